/*
 * render_sections.c: the exhibits after the cover, one function per section
 * name of layout.h: order, payment, customer, conversation, shipping,
 * refunds, policies (images are in render_image.c). A section with nothing
 * to show is left out, and out of the cover's index, rather than drawn as an
 * empty heading.
 */
#include <string.h>

#include "cbpack/evidence.h"
#include "cbpack/records.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "render_internal.h"

#define CHECK "\xE2\x9C\x93"    /* U+2713 */
#define BULLET "\xE2\x80\xA2"   /* U+2022 */
#define MDASH "\xE2\x80\x94"
#define MIDDOT "\xC2\xB7"

static const char *const titles[][2] = {
	{ "cover", "Summary" },
	{ "order", "Order and receipt" },
	{ "payment", "Payment and authentication" },
	{ "customer", "Customer and account history" },
	{ "conversation", "Customer communication" },
	{ "shipping", "Shipping and delivery" },
	{ "images", "Photos and documents" },
	{ "refunds", "Refunds and credits" },
	{ "policies", "Store policies" },
};

const char *render_section_title(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(titles[i][0], name) == 0)
			return titles[i][1];
	return name;
}

const char *render_gateway_label(const char *g)
{
	static const char *const map[][2] = {
		{ "stripe", "Stripe" }, { "paypal", "PayPal" },
		{ "shopify", "Shopify Payments" }, { "braintree", "Braintree" },
		{ "adyen", "Adyen" }, { "checkout", "Checkout.com" },
		{ "square", "Square" }, { "csv", "Card gateway" },
	};
	size_t i;

	if (cb_empty(g))
		return "Card gateway";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cb_streq_ci(g, map[i][0]))
			return map[i][1];
	return g;
}

static bool has_images(const struct cb_renderer *r)
{
	size_t i;

	for (i = 0; i < r->p->n_attachments; i++)
		if (render_image_wanted(r->o, r->p->attachments[i].kind))
			return true;
	return false;
}

bool render_section_has_content(struct cb_renderer *r, const char *name)
{
	const struct cb_packet *p = r->p;

	if (strcmp(name, "order") == 0)
		return p->has_order;
	if (strcmp(name, "payment") == 0)
		return p->has_charge;
	if (strcmp(name, "customer") == 0)
		return !cb_empty(p->customer_name) || !cb_empty(p->email) || p->n_priors > 0;
	if (strcmp(name, "conversation") == 0)
		return p->n_messages > 0;
	if (strcmp(name, "shipping") == 0)
		return p->n_shipments > 0;
	if (strcmp(name, "images") == 0)
		return has_images(r);
	if (strcmp(name, "refunds") == 0)
		return p->n_refunds > 0;
	if (strcmp(name, "policies") == 0)
		return p->n_policies > 0;
	return false;
}

/* "in_transit" -> "In transit" */
static const char *humanise(struct cb_renderer *r, const char *s)
{
	char *d, *q;

	if (cb_empty(s))
		return NULL;
	d = (char *)render_fmt(r, "%s", s);
	for (q = d; *q; q++)
		if (*q == '_')
			*q = ' ';
	if (*d >= 'a' && *d <= 'z')
		*d = (char)(*d - 'a' + 'A');
	return d;
}

static const char *address_text(struct cb_renderer *r, const struct cb_pk_address *a)
{
	struct cb_buf b = CB_BUF_INIT;
	const char *parts[] = { a->name, a->company, a->line1, a->line2 };
	const char *s;
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (!cb_empty(parts[i]))
			cb_buf_addf(&b, "%s%s", b.len ? "\n" : "", parts[i]);
	if (!cb_empty(a->city) || !cb_empty(a->state) || !cb_empty(a->postal)) {
		cb_buf_addf(&b, "%s%s%s%s%s%s", b.len ? "\n" : "", a->city ? a->city : "",
			    !cb_empty(a->city) && (!cb_empty(a->state) || !cb_empty(a->postal)) ?
				    ", " : "",
			    a->state ? a->state : "", !cb_empty(a->state) ? " " : "",
			    a->postal ? a->postal : "");
	}
	if (!cb_empty(a->country))
		cb_buf_addf(&b, "%s%s", b.len ? "\n" : "", a->country);
	if (!cb_empty(a->phone))
		cb_buf_addf(&b, "%sPhone %s", b.len ? "\n" : "", a->phone);
	s = b.len ? render_fmt(r, "%s", cb_buf_cstr(&b)) : NULL;
	cb_buf_release(&b);
	return s;
}

static void section_begin(struct cb_renderer *r, const char *name)
{
	size_t i;

	/* A section starting near the bottom of a page starts on the next one. */
	render_need(r, 160);
	render_h1(r, render_section_title(name), 3 * LEAD_BODY);
	for (i = 0; i < r->n_index; i++)
		if (strcmp(r->index[i].name, name) == 0 && r->index[i].page == 0) {
			r->index[i].page = (int)r->n_pages;
			break;
		}
}

/* ---- order ---------------------------------------------------------- */

static void order_items(struct cb_renderer *r)
{
	static const struct render_col cols[] = {
		{ "Item", 0.38, COL_LEFT }, { "SKU", 0.20, COL_MUTED },
		{ "Qty", 0.08, COL_RIGHT }, { "Unit price", 0.17, COL_RIGHT },
		{ "Total", 0.17, COL_RIGHT },
	};
	const struct cb_pk_order *o = &r->p->order;
	const char *cur = o->currency ? o->currency : r->p->currency;
	const struct {
		const char *label;
		int64_t v;
		unsigned flags;
	} totals[] = {
		{ "Subtotal", o->subtotal, ROW_PLAIN },
		{ "Discount", o->discount > 0 ? -o->discount : CB_NO_AMOUNT, ROW_PLAIN },
		{ "Shipping", o->shipping, ROW_PLAIN },
		{ "Taxes", o->taxes, ROW_PLAIN },
		{ "Total", o->total, ROW_TOTAL },
		{ "Refunded", o->refunded > 0 ? -o->refunded : CB_NO_AMOUNT, ROW_PLAIN },
	};
	struct render_table t;
	size_t i;

	if (o->n_lines == 0 && o->total == CB_NO_AMOUNT)
		return;
	render_h2(r, "Items", 4 * LEAD_BODY);
	render_table_begin(r, &t, cols, 5, true);
	/* Amounts stay on one line: the widest of them sets the money columns. */
	for (i = 0; i < o->n_lines; i++)
		if (o->lines[i].price != CB_NO_AMOUNT) {
			render_table_fit(r, &t, 3, render_money(r, o->lines[i].price, cur));
			render_table_fit(r, &t, 4, render_money(r, o->lines[i].price *
								      o->lines[i].quantity, cur));
		}
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
		if (totals[i].v != CB_NO_AMOUNT)
			render_table_fit(r, &t, 4, render_money(r, totals[i].v, cur));
	for (i = 0; i < o->n_lines; i++) {
		const struct cb_pk_line *l = &o->lines[i];
		const char *cells[5];

		cells[0] = l->name;
		cells[1] = l->sku;
		cells[2] = render_fmt(r, "%lld", (long long)l->quantity);
		cells[3] = render_money(r, l->price, cur);
		cells[4] = l->price == CB_NO_AMOUNT ? NULL : render_money(r, l->price * l->quantity, cur);
		render_table_row(r, &t, cells, ROW_PLAIN);
	}
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		const char *cells[5] = { NULL, NULL, NULL, totals[i].label, NULL };

		if (totals[i].v == CB_NO_AMOUNT)
			continue;
		cells[4] = render_money(r, totals[i].v, cur);
		render_table_row(r, &t, cells, totals[i].flags);
	}
	render_table_end(r, &t);
}

static void addresses(struct cb_renderer *r, const struct cb_pk_address *bill,
		      const struct cb_pk_address *ship)
{
	static const struct render_col cols[] = {
		{ "Billing address", 0.5, COL_LEFT }, { "Shipping address", 0.5, COL_LEFT },
	};
	const char *cells[2];
	struct render_table t;

	cells[0] = address_text(r, bill);
	cells[1] = address_text(r, ship);
	if (!cells[0] && !cells[1])
		return;
	render_h2(r, "Billing and shipping addresses", 5 * LEAD_BODY);
	render_table_begin(r, &t, cols, 2, true);
	if (!cells[0])
		cells[0] = "(not given)";
	if (!cells[1])
		cells[1] = "(not given)";
	render_table_row(r, &t, cells, ROW_PLAIN);
	render_table_end(r, &t);
	if (r->p->facts.billing_matches_shipping == 1)
		render_para(r, CHECK " The billing address matches the shipping address.",
			    FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_GOOD);
}

static void section_order(struct cb_renderer *r)
{
	const struct cb_pk_order *o = &r->p->order;
	struct render_table t;
	const char *status = NULL;

	if (!cb_empty(o->financial_status) || !cb_empty(o->fulfillment_status))
		status = render_fmt(r, "payment %s, fulfilment %s",
				    cb_empty(o->financial_status) ? "unknown" : o->financial_status,
				    cb_empty(o->fulfillment_status) ? "unknown" :
								       o->fulfillment_status);
	render_kv_begin(r, &t);
	render_kv(r, &t, "Order number", o->order_ref, ROW_STRONG);
	if (!cb_empty(o->external_id))
		render_kv(r, &t, "Platform order id", o->external_id, ROW_PLAIN);
	render_kv(r, &t, "Placed", render_time(r, o->created_at, 0), ROW_PLAIN);
	render_kv(r, &t, "Paid", render_time(r, o->paid_at, 0), ROW_PLAIN);
	render_kv(r, &t, "Fulfilled", render_time(r, o->fulfilled_at, 0), ROW_PLAIN);
	render_kv(r, &t, "Cancelled", render_time(r, o->cancelled_at, 0), ROW_PLAIN);
	render_kv(r, &t, "Status", status, ROW_PLAIN);
	render_kv(r, &t, "Sales channel", o->channel ? o->channel : o->source, ROW_PLAIN);
	render_kv(r, &t, "Payment method", o->payment_method, ROW_PLAIN);
	render_kv(r, &t, "Shipping method", o->shipping_method, ROW_PLAIN);
	render_kv(r, &t, "Discount code", o->discount_code, ROW_PLAIN);
	render_table_end(r, &t);
	order_items(r);
	addresses(r, &o->billing, &o->shipping_addr);
	if (!render_is_blank(o->notes)) {
		render_h2(r, "Order notes", 2 * LEAD_BODY);
		render_para(r, o->notes, FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_TEXT);
	}
}

/* ---- payment -------------------------------------------------------- */

static const char *check_text(const char *v)
{
	if (cb_empty(v))
		return NULL;
	if (cb_streq_ci(v, "pass"))
		return "Pass (match)";
	if (cb_streq_ci(v, "fail"))
		return "Fail (no match)";
	if (cb_streq_ci(v, "unavailable"))
		return "Unavailable";
	if (cb_streq_ci(v, "unchecked"))
		return "Not checked";
	return v;
}

static const char *card_line(struct cb_renderer *r, const struct cb_pk_charge *c)
{
	struct cb_buf b = CB_BUF_INIT;
	char last4[5];
	const char *s;

	cb_card_last4(last4, c->card_last4);
	cb_buf_adds(&b, cb_empty(c->card_brand) ? "Card" : c->card_brand);
	if (*last4)
		cb_buf_addf(&b, " " BULLET BULLET BULLET BULLET " %s", last4);
	if (!cb_empty(c->card_funding))
		cb_buf_addf(&b, ", %s", c->card_funding);
	if (!cb_empty(c->card_country))
		cb_buf_addf(&b, ", issued in %s", c->card_country);
	if (c->card_exp_month > 0 && c->card_exp_year > 0)
		cb_buf_addf(&b, ", expires %02d/%04d", c->card_exp_month, c->card_exp_year);
	s = render_fmt(r, "%s", cb_buf_cstr(&b));
	cb_buf_release(&b);
	return s;
}

static const char *three_ds_line(struct cb_renderer *r, const struct cb_pk_charge *c)
{
	if (cb_empty(c->three_ds_result))
		return NULL;
	return render_fmt(r, "%s%s%s%s%s%s", c->three_ds_result,
			  cb_empty(c->three_ds_version) ? "" : ", version ",
			  c->three_ds_version ? c->three_ds_version : "",
			  cb_empty(c->three_ds_flow) ? "" : ", ",
			  c->three_ds_flow ? c->three_ds_flow : "",
			  cb_empty(c->three_ds_flow) ? "" : " flow");
}

/* One line of the key facts: a tick for what helps the merchant, a bullet otherwise. */
static void fact(struct cb_renderer *r, int ok, const char *text)
{
	struct render_rgb c = ok > 0 ? RGB_GOOD : RGB_TEXT;
	const char *mark = ok > 0 ? CHECK : BULLET;

	/* Room for the first line, so that the mark and it share a page. */
	render_need(r, LEAD_BODY);
	render_text_at(r, FONT_REGULAR, SIZE_BODY, c, r->x0 + 8, r->y - LEAD_BODY + 3.5, mark,
		       strlen(mark));
	render_para(r, text, FONT_REGULAR, SIZE_BODY, LEAD_BODY, 22, c);
}

static void tri_fact(struct cb_renderer *r, int v, const char *yes, const char *no)
{
	if (v == 1)
		fact(r, 1, yes);
	else if (v == 0)
		fact(r, 0, no);
}

static void key_facts(struct cb_renderer *r)
{
	const struct cb_pk_facts *f = &r->p->facts;
	const char *delivered = render_time(r, f->delivered_at, 0);
	const char *opened = render_time(r, r->p->opened_at, 0);

	render_h2(r, "Key facts", 3 * LEAD_BODY);
	tri_fact(r, f->three_ds_ok, "3-D Secure: authenticated " MDASH " liability shift to the card issuer",
		 "3-D Secure: not authenticated");
	tri_fact(r, f->avs_line1_ok, "Address verification: the street address matches the card's billing address",
		 "Address verification: the street address does not match");
	tri_fact(r, f->avs_postal_ok, "Address verification: the postal code matches the card's billing address",
		 "Address verification: the postal code does not match");
	tri_fact(r, f->cvc_ok, "Card security code (CVC): correct", "Card security code (CVC): incorrect");
	tri_fact(r, f->billing_matches_shipping, "The billing address matches the shipping address",
		 "The billing and shipping addresses differ");
	if (f->delivered_before_dispute == 1 && delivered)
		fact(r, 1, render_fmt(r, "Delivered %s, before the dispute was opened%s%s", delivered,
				      opened ? " on " : "", opened ? opened : ""));
	else
		tri_fact(r, f->delivered_before_dispute, "Delivered before the dispute was opened",
			 "Not delivered before the dispute was opened");
	tri_fact(r, f->delivered_to_order_address,
		 "Delivered to the order's shipping address (the delivery scan's postal code matches)",
		 "The delivery scan's postal code differs from the shipping address");
	if (f->days_order_to_dispute >= 0)
		fact(r, 0, render_fmt(r, "The order was placed %lld days before the dispute was opened",
				      (long long)f->days_order_to_dispute));
	if (!cb_empty(f->purchase_ip))
		fact(r, 0, render_fmt(r, "The purchase was made from IP address %s", f->purchase_ip));
	if (f->ce3_prior_matches > 0)
		fact(r, f->ce3_prior_matches >= 2,
		     render_fmt(r, "%d prior undisputed order%s 120 to 365 days old match this "
				   "customer (Visa Compelling Evidence 3.0 needs 2)",
				f->ce3_prior_matches, f->ce3_prior_matches == 1 ? "" : "s"));
}

static void section_payment(struct cb_renderer *r)
{
	const struct cb_pk_charge *c = &r->p->charge;
	const char *risk = NULL, *amount = render_money(r, c->amount, c->currency);
	struct render_table t;

	if (!cb_empty(c->risk_level) || c->risk_score >= 0)
		risk = c->risk_score >= 0 ?
			       render_fmt(r, "%s (score %d of 100)",
					  cb_empty(c->risk_level) ? "score" : c->risk_level,
					  c->risk_score) :
			       c->risk_level;
	if (amount && c->amount_refunded > 0 && c->amount_refunded != CB_NO_AMOUNT)
		amount = render_fmt(r, "%s (%s refunded)", amount,
				    render_money(r, c->amount_refunded, c->currency));
	render_kv_begin(r, &t);
	render_kv(r, &t, "Charge", c->gateway_id, ROW_STRONG);
	render_kv(r, &t, "Charged", render_time(r, c->created_at, 0), ROW_PLAIN);
	render_kv(r, &t, "Amount", amount, ROW_PLAIN);
	render_kv(r, &t, "Status", c->status, ROW_PLAIN);
	render_kv(r, &t, "Description", c->description, ROW_PLAIN);
	render_kv(r, &t, "Card", card_line(r, c), ROW_PLAIN);
	render_kv(r, &t, "Wallet", c->wallet, ROW_PLAIN);
	render_kv(r, &t, "AVS street address", check_text(c->avs_line1), ROW_PLAIN);
	render_kv(r, &t, "AVS postal code", check_text(c->avs_postal), ROW_PLAIN);
	render_kv(r, &t, "CVC check", check_text(c->cvc), ROW_PLAIN);
	render_kv(r, &t, "3-D Secure", three_ds_line(r, c), ROW_PLAIN);
	render_kv(r, &t, "Risk evaluation", risk, ROW_PLAIN);
	render_kv(r, &t, "Network status", humanise(r, c->network_status), ROW_PLAIN);
	render_kv(r, &t, "Gateway note", c->seller_message, ROW_PLAIN);
	render_kv(r, &t, "IP address", c->ip, ROW_PLAIN);
	render_kv(r, &t, "Device", c->device_id, ROW_PLAIN);
	render_kv(r, &t, "Receipt sent to", c->receipt_email, ROW_PLAIN);
	if (!r->p->has_order)
		render_kv(r, &t, "Billing address", address_text(r, &c->billing), ROW_PLAIN);
	render_table_end(r, &t);
	key_facts(r);
}

/* ---- customer ------------------------------------------------------- */

static void priors(struct cb_renderer *r)
{
	static const struct render_col cols[] = {
		{ "Date", 0.22, COL_LEFT }, { "Order", 0.22, COL_LEFT },
		{ "Amount", 0.20, COL_RIGHT }, { "Matched on", 0.36, COL_LEFT },
	};
	const struct cb_packet *p = r->p;
	struct render_table t;
	size_t i, n = 0;

	for (i = 0; i < p->n_priors; i++)
		n += !p->priors[i].disputed;
	if (n == 0)
		return;
	render_h2(r, render_fmt(r, "Prior undisputed orders (%zu)", n), 3 * LEAD_BODY);
	render_table_begin(r, &t, cols, 4, true);
	for (i = 0; i < p->n_priors; i++) {
		const struct cb_pk_prior *pr = &p->priors[i];
		const char *cells[4];

		if (pr->disputed)
			continue;
		cells[0] = render_date(r, pr->created_at);
		cells[1] = cb_empty(pr->order_ref) ? pr->charge_id : pr->order_ref;
		cells[2] = render_money(r, pr->amount, pr->currency);
		cells[3] = pr->matched_on;
		render_table_row(r, &t, cells, ROW_PLAIN);
	}
	render_table_end(r, &t);
	if (p->facts.ce3_prior_matches > 0)
		render_para(r, render_fmt(r, "%d of these are 120 to 365 days old and match this "
					     "customer's details (Visa Compelling Evidence 3.0).",
					  p->facts.ce3_prior_matches),
			    FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_TEXT);
}

static void section_customer(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	struct render_table t;

	render_kv_begin(r, &t);
	render_kv(r, &t, "Name", p->customer_name, ROW_STRONG);
	render_kv(r, &t, "Email", p->email, ROW_PLAIN);
	render_kv(r, &t, "Phone", p->phone, ROW_PLAIN);
	render_kv(r, &t, "Purchase IP address", p->facts.purchase_ip, ROW_PLAIN);
	if (p->has_charge)
		render_kv(r, &t, "Device", p->charge.device_id, ROW_PLAIN);
	render_table_end(r, &t);
	priors(r);
}

/* ---- conversation --------------------------------------------------- */

static bool from_customer(const struct cb_pk_message *m)
{
	return cb_streq_ci(m->direction, "customer");
}

static void message_bar(struct cb_renderer *r, double top, struct render_rgb c)
{
	render_fill_rect(r, r->x0, r->y + 2, 3, top - r->y - 2, c);
}

static const char *message_sender(struct cb_renderer *r, const struct cb_pk_message *m)
{
	return render_clean(r, render_fmt(r, "%s%s%s", from_customer(m) ? "Customer" : "Merchant",
					  cb_empty(m->author) ? "" : " " MDASH " ",
					  m->author ? m->author : ""));
}

static void message_header(struct cb_renderer *r, const struct cb_pk_message *m,
			   const char *who, const char *subject, double indent)
{
	struct render_rgb c = from_customer(m) ? RGB_CUSTOMER : RGB_MERCHANT;
	const char *sent = render_time(r, m->sent_at, 0);
	const char *when = render_clean(r, render_fmt(r, "%s%s%s", sent ? sent : "time unknown",
						      cb_empty(m->channel) ? "" : " " MIDDOT " ",
						      m->channel ? m->channel : ""));
	double x = r->x0 + indent, avail = r->x1 - x;
	double ww = render_text_width(r, FONT_REGULAR, SIZE_BODY - 1, when);

	if (render_text_width(r, FONT_BOLD, SIZE_BODY, who) + ww + 16 <= avail) {
		render_text_at(r, FONT_BOLD, SIZE_BODY, c, x, r->y - LEAD_BODY + 3.5, who,
			       strlen(who));
		render_text_at(r, FONT_REGULAR, SIZE_BODY - 1, RGB_MUTED, r->x1 - ww,
			       r->y - LEAD_BODY + 3.5, when, strlen(when));
		r->y -= LEAD_BODY;
	} else {
		render_para_text(r, who, FONT_BOLD, SIZE_BODY, LEAD_BODY, indent, c);
		render_para_text(r, when, FONT_REGULAR, SIZE_BODY - 1, LEAD_BODY, indent, RGB_MUTED);
	}
	if (subject)
		render_para(r, render_fmt(r, "Subject: %s", subject), FONT_REGULAR, SIZE_BODY - 1,
			    LEAD_BODY, indent, RGB_MUTED);
}

/*
 * One message: header, wrapped body, and a bar in the sender's colour down
 * its left side. A long message continues on the next page with its bar.
 */
static void draw_message(struct cb_renderer *r, const struct cb_pk_message *m,
			 const char *subject)
{
	struct render_rgb c = from_customer(m) ? RGB_CUSTOMER : RGB_MERCHANT;
	const double indent = 12;
	const char *body = render_clean(r, render_is_blank(m->body) ? "(no text)" : m->body);
	const char *who = message_sender(r, m), *more;
	struct render_lines *ls = &r->cell[0];
	size_t i;
	double top;

	render_wrap(ls, r->adv[FONT_REGULAR], body, strlen(body), SIZE_BODY,
		    r->x1 - r->x0 - indent);
	/* The header stays with at least two lines of its message. */
	render_need(r, (subject ? 3 : 2) * LEAD_BODY +
			       (double)(ls->n < 2 ? ls->n : 2) * LEAD_BODY + 4);
	top = r->y;
	message_header(r, m, who, subject, indent);
	for (i = 0; i < ls->n; i++) {
		const struct render_line *l = &ls->v[i];

		if (r->y - LEAD_BODY < r->ybot) {
			message_bar(r, top, c);
			render_page_new(r);
			top = r->y;
			more = render_fmt(r, "%s (continued)", who);
			render_para_text(r, more, FONT_REGULAR, SIZE_BODY - 1, LEAD_BODY, indent,
					 RGB_MUTED);
		}
		render_text_at(r, FONT_REGULAR, SIZE_BODY, RGB_TEXT, r->x0 + indent,
			       r->y - LEAD_BODY + 3.5, body + l->off, l->len);
		r->y -= LEAD_BODY;
	}
	message_bar(r, top, c);
	r->y -= 9;
}

static void section_conversation(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	const char *last_subject = NULL;
	size_t i, cust = 0;

	for (i = 0; i < p->n_messages; i++)
		cust += from_customer(&p->messages[i]);
	render_para(r, render_fmt(r, "%zu message%s, oldest first: %zu from the customer, %zu "
				     "from the merchant. Times are UTC.",
				  p->n_messages, p->n_messages == 1 ? "" : "s", cust,
				  p->n_messages - cust),
		    FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_MUTED);
	r->y -= 6;
	for (i = 0; i < p->n_messages; i++) {
		const struct cb_pk_message *m = &p->messages[i];
		const char *subject = NULL;

		if (!cb_empty(m->subject) && (!last_subject || strcmp(last_subject, m->subject) != 0))
			subject = m->subject;
		if (!cb_empty(m->subject))
			last_subject = m->subject;
		draw_message(r, m, subject);
	}
}

/* ---- shipping ------------------------------------------------------- */

static void timeline(struct cb_renderer *r, const struct cb_pk_shipment *sh)
{
	static const struct render_col cols[] = {
		{ "Time (local)", 0.27, COL_LEFT }, { "Status", 0.15, COL_LEFT },
		{ "Location", 0.23, COL_LEFT }, { "Carrier message", 0.35, COL_LEFT },
	};
	struct render_table t;
	size_t i;

	if (sh->n_events == 0)
		return;
	render_h2(r, render_fmt(r, "Tracking history (%zu scans)", sh->n_events), 4 * LEAD_BODY);
	render_table_begin(r, &t, cols, 4, true);
	for (i = 0; i < sh->n_events; i++) {
		const char *when = render_time(r, sh->events[i].occurred_at,
					       sh->events[i].utc_offset_min);

		if (when)
			render_table_fit(r, &t, 0, when);
	}
	for (i = 0; i < sh->n_events; i++) {
		const struct cb_pk_event *e = &sh->events[i];
		const char *cells[4];

		cells[0] = render_time(r, e->occurred_at, e->utc_offset_min);
		cells[1] = humanise(r, e->status);
		cells[2] = e->location;
		cells[3] = e->message;
		render_table_row(r, &t, cells, e->is_delivered ? ROW_HIGHLIGHT : ROW_PLAIN);
	}
	render_table_end(r, &t);
}

static void section_shipping(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	size_t i;

	for (i = 0; i < p->n_shipments; i++) {
		const struct cb_pk_shipment *sh = &p->shipments[i];
		struct render_table t;

		if (p->n_shipments > 1)
			render_h2(r, render_fmt(r, "Shipment %zu of %zu", i + 1, p->n_shipments),
				  4 * LEAD_BODY);
		render_kv_begin(r, &t);
		render_kv(r, &t, "Carrier", sh->carrier, ROW_PLAIN);
		render_kv(r, &t, "Tracking number", sh->tracking_number, ROW_STRONG);
		render_kv(r, &t, "Service", sh->service, ROW_PLAIN);
		render_kv(r, &t, "Status", humanise(r, sh->status), ROW_PLAIN);
		render_kv(r, &t, "Shipped", render_time(r, sh->shipped_at, 0), ROW_PLAIN);
		render_kv(r, &t, "Delivered", render_time(r, sh->delivered_at, 0), ROW_HIGHLIGHT);
		render_kv(r, &t, "Signed for by", sh->signed_by, ROW_PLAIN);
		render_kv(r, &t, "Shipped to", address_text(r, &sh->to), ROW_PLAIN);
		render_table_end(r, &t);
		timeline(r, sh);
	}
}

/* ---- refunds and policies ------------------------------------------- */

static void section_refunds(struct cb_renderer *r)
{
	static const struct render_col cols[] = {
		{ "Date", 0.25, COL_LEFT }, { "Refund", 0.27, COL_LEFT },
		{ "Amount", 0.16, COL_RIGHT }, { "Status", 0.14, COL_LEFT },
		{ "Reason", 0.18, COL_LEFT },
	};
	const struct cb_packet *p = r->p;
	struct render_table t;
	size_t i;

	render_table_begin(r, &t, cols, 5, true);
	for (i = 0; i < p->n_refunds; i++) {
		const char *when = render_time(r, p->refunds[i].created_at, 0);

		if (when)
			render_table_fit(r, &t, 0, when);
		if (!cb_empty(p->refunds[i].gateway_id))
			render_table_fit(r, &t, 1, p->refunds[i].gateway_id);
	}
	for (i = 0; i < p->n_refunds; i++) {
		const struct cb_pk_refund *f = &p->refunds[i];
		const char *cells[5];

		cells[0] = render_time(r, f->created_at, 0);
		cells[1] = f->gateway_id;
		cells[2] = render_money(r, f->amount, f->currency ? f->currency : p->currency);
		cells[3] = humanise(r, f->status);
		cells[4] = humanise(r, f->reason);
		render_table_row(r, &t, cells, ROW_PLAIN);
	}
	render_table_end(r, &t);
}

static void section_policies(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	size_t i;

	for (i = 0; i < p->n_policies; i++) {
		const struct cb_pk_policy *pol = &p->policies[i];
		const char *title = !cb_empty(pol->title) ? pol->title :
				    render_fmt(r, "%s policy", cb_empty(pol->kind) ? "Store" : humanise(r, pol->kind));

		render_h2(r, title, 2 * LEAD_BODY);
		render_para(r, pol->body, FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_TEXT);
		if (!render_is_blank(pol->disclosure)) {
			r->y -= 4;
			render_para(r, render_fmt(r, "How the customer saw this policy: %s",
						  pol->disclosure),
				    FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_MUTED);
		}
	}
}

int render_section(struct cb_renderer *r, const char *name)
{
	section_begin(r, name);
	if (strcmp(name, "order") == 0)
		section_order(r);
	else if (strcmp(name, "payment") == 0)
		section_payment(r);
	else if (strcmp(name, "customer") == 0)
		section_customer(r);
	else if (strcmp(name, "conversation") == 0)
		section_conversation(r);
	else if (strcmp(name, "shipping") == 0)
		section_shipping(r);
	else if (strcmp(name, "images") == 0)
		return render_images(r);
	else if (strcmp(name, "refunds") == 0)
		section_refunds(r);
	else if (strcmp(name, "policies") == 0)
		section_policies(r);
	return 0;
}
