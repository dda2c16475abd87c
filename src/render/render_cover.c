/*
 * render_cover.c: the first page an analyst reads: who disputes what, how
 * much, by when, the merchant's response, and an index of the exhibits with
 * their page numbers.
 *
 * Page numbers are known only after layout, so the index's lines are
 * reserved on the cover (their count is known up front: one per non-empty
 * section) and drawn at the end, when every section has recorded its page.
 */
#include <string.h>

#include "cbpack/evidence.h"
#include "cbpack/reason.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "render_internal.h"

static const char *network_label(const char *n)
{
	static const char *const map[][2] = {
		{ "visa", "Visa" }, { "mastercard", "Mastercard" },
		{ "amex", "American Express" }, { "american_express", "American Express" },
		{ "discover", "Discover" }, { "jcb", "JCB" }, { "diners", "Diners Club" },
		{ "unionpay", "UnionPay" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cb_streq_ci(n, map[i][0]))
			return map[i][1];
	return n;
}

static const char *reason_text(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	struct cb_buf b = CB_BUF_INIT;
	const char *s;

	cb_buf_adds(&b, cb_reason_label(p->reason));
	if (!cb_empty(p->network_reason_code))
		cb_buf_addf(&b, " \xE2\x80\x94 %s reason code %s",
			    cb_empty(p->network) ? "network" : network_label(p->network),
			    p->network_reason_code);
	if (!cb_empty(p->gateway_reason))
		cb_buf_addf(&b, " (%s: %s)", render_gateway_label(p->gateway), p->gateway_reason);
	s = render_fmt(r, "%s", cb_buf_cstr(&b));
	cb_buf_release(&b);
	return s;
}

static const char *customer_text(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	struct cb_buf b = CB_BUF_INIT;
	const char *s;

	if (!cb_empty(p->customer_name))
		cb_buf_adds(&b, p->customer_name);
	if (!cb_empty(p->email))
		cb_buf_addf(&b, "%s%s", b.len ? "\n" : "", p->email);
	if (!cb_empty(p->phone))
		cb_buf_addf(&b, "%s%s", b.len ? "\n" : "", p->phone);
	s = render_fmt(r, "%s", cb_buf_cstr(&b));
	cb_buf_release(&b);
	return s;
}

static const char *order_text(struct cb_renderer *r)
{
	const struct cb_pk_order *o = &r->p->order;
	const char *placed;

	if (!r->p->has_order || cb_empty(o->order_ref))
		return NULL;
	placed = render_time(r, o->created_at, 0);
	return placed ? render_fmt(r, "%s, placed %s", o->order_ref, placed) : o->order_ref;
}

static const char *card_text(struct cb_renderer *r)
{
	const struct cb_pk_charge *c = &r->p->charge;
	char last4[5];

	if (!r->p->has_charge)
		return NULL;
	/* The packet holds last 4 only; reduce again so no field can leak a number. */
	cb_card_last4(last4, c->card_last4);
	if (!*last4 && cb_empty(c->card_brand))
		return NULL;
	return render_fmt(r, "%s%s%s", cb_empty(c->card_brand) ? "Card" : c->card_brand,
			  *last4 ? " \xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 " : "", last4);
}

static const char *tracking_text(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	struct cb_buf b = CB_BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < p->n_shipments; i++) {
		const struct cb_pk_shipment *sh = &p->shipments[i];
		const char *when = render_time(r, sh->delivered_at, 0);

		cb_buf_addf(&b, "%s%s %s", b.len ? "\n" : "", sh->carrier ? sh->carrier : "",
			    sh->tracking_number ? sh->tracking_number : "");
		if (when)
			cb_buf_addf(&b, ", delivered %s", when);
	}
	s = b.len ? render_fmt(r, "%s", cb_buf_cstr(&b)) : NULL;
	cb_buf_release(&b);
	return s;
}

static void summary_table(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	struct render_table t;
	const char *status = NULL;

	if (!cb_empty(p->status) || !cb_empty(p->stage))
		status = render_fmt(r, "%s%s%s", p->status ? p->status : "",
				    !cb_empty(p->status) && !cb_empty(p->stage) ? ", stage " : "",
				    p->stage ? p->stage : "");
	render_kv_begin(r, &t);
	render_kv(r, &t, "Dispute", p->dispute_id, ROW_PLAIN);
	render_kv(r, &t, "Gateway", render_fmt(r, "%s%s%s", render_gateway_label(p->gateway),
					       cb_empty(p->network) ? "" : ", card network ",
					       cb_empty(p->network) ? "" : network_label(p->network)),
		  ROW_PLAIN);
	render_kv(r, &t, "Reason", reason_text(r), ROW_PLAIN);
	render_kv(r, &t, "Amount disputed", render_money(r, p->amount, p->currency), ROW_STRONG);
	render_kv(r, &t, "Response due", render_time(r, p->due_by, 0), ROW_HIGHLIGHT);
	render_kv(r, &t, "Dispute opened", render_time(r, p->opened_at, 0), ROW_PLAIN);
	render_kv(r, &t, "Status", status, ROW_PLAIN);
	render_kv(r, &t, "Order", order_text(r), ROW_PLAIN);
	render_kv(r, &t, "Customer", customer_text(r), ROW_PLAIN);
	render_kv(r, &t, "Payment", card_text(r), ROW_PLAIN);
	render_kv(r, &t, "Shipment", tracking_text(r), ROW_PLAIN);
	render_table_end(r, &t);
}

/* One index entry per section after the cover that will be drawn. */
static void plan_index(struct cb_renderer *r)
{
	const char *const *s;

	r->n_index = 0;
	for (s = r->o->sections; s && *s; s++) {
		if (strcmp(*s, "cover") == 0 || !render_section_has_content(r, *s))
			continue;
		if (r->n_index == sizeof(r->index) / sizeof(r->index[0]))
			break;
		r->index[r->n_index].name = *s;
		r->index[r->n_index].title = render_section_title(*s);
		r->index[r->n_index].page = 0;
		r->n_index++;
	}
}

static void reserve_index(struct cb_renderer *r)
{
	const char *extra = render_clean(r, r->o->exhibit_index);
	double w = r->x1 - r->x0, h;
	size_t i;

	plan_index(r);
	render_wrap(&r->lines, r->adv[FONT_REGULAR], extra, strlen(extra), SIZE_BODY, w);
	if (!*extra)
		r->lines.n = 0;
	if (r->n_index == 0 && r->lines.n == 0)
		return;
	h = (double)(r->n_index + r->lines.n) * LEAD_BODY + 4;
	render_h2(r, "Index of exhibits", h);
	r->index_page = r->page;
	r->index_y = r->y;
	r->y -= (double)r->n_index * LEAD_BODY;
	if (r->lines.n > 0)
		r->y -= 4;
	for (i = 0; i < r->lines.n; i++) {
		const struct render_line *l = &r->lines.v[i];

		render_need(r, LEAD_BODY);
		render_text_at(r, FONT_REGULAR, SIZE_BODY, RGB_TEXT, r->x0,
			       r->y - LEAD_BODY + 3.5, extra + l->off, l->len);
		r->y -= LEAD_BODY;
	}
}

int render_cover(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	const char *sub;

	if (!r->page || r->y < r->ytop)
		render_page_new(r);
	render_para(r, r->o->title ? r->o->title : "Chargeback evidence", FONT_BOLD, SIZE_TITLE,
		    SIZE_TITLE + 5, 0, RGB_HEAD);
	sub = render_fmt(r, "%s dispute %s \xC2\xB7 %s", render_gateway_label(p->gateway),
			 p->dispute_id ? p->dispute_id : "", cb_reason_label(p->reason));
	render_para(r, sub, FONT_REGULAR, SIZE_H2, 16, 0, RGB_MUTED);
	HPDF_Outline_SetDestination(HPDF_CreateOutline(r->doc, NULL, "Summary",
						       HPDF_GetEncoder(r->doc, "UTF-8")),
				    HPDF_Page_CreateDestination(r->page));
	render_gap(r, 10);
	summary_table(r);
	if (!render_is_blank(p->buyer_statement)) {
		render_h2(r, "Customer's statement to the bank", 2 * LEAD_BODY);
		render_para(r, p->buyer_statement, FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_MUTED);
	}
	if (!render_is_blank(r->o->rebuttal)) {
		render_h2(r, "Merchant's response", 3 * LEAD_BODY);
		render_para(r, r->o->rebuttal, FONT_REGULAR, SIZE_BODY, LEAD_BODY, 0, RGB_TEXT);
	}
	reserve_index(r);
	/* The exhibits start on a page of their own. */
	r->y = 0;
	return 0;
}

static void dotted_leader(struct cb_renderer *r, double x0, double x1, double y)
{
	if (x1 - x0 < 12)
		return;
	HPDF_Page_SetDash(r->page, (const HPDF_UINT16[]){ 1, 3 }, 2, 0);
	render_hrule(r, x0 + 4, x1 - 4, y, 0.8, RGB_MUTED);
	HPDF_Page_SetDash(r->page, NULL, 0, 0);
}

void render_cover_index(struct cb_renderer *r)
{
	HPDF_Page keep = r->page;
	size_t i;

	if (!r->index_page)
		return;
	r->page = r->index_page;
	for (i = 0; i < r->n_index; i++) {
		const struct render_index_entry *e = &r->index[i];
		double y = r->index_y - (double)i * LEAD_BODY - LEAD_BODY + 3.5;
		const char *label = render_fmt(r, "Exhibit %c", (char)('A' + i));
		const char *page = render_fmt(r, "page %d", e->page);
		double tx = r->x0 + 62, tw = render_text_width(r, FONT_REGULAR, SIZE_BODY, e->title);
		double pw = render_text_width(r, FONT_REGULAR, SIZE_BODY, page);

		render_text_at(r, FONT_BOLD, SIZE_BODY, RGB_HEAD, r->x0, y, label, strlen(label));
		render_text_at(r, FONT_REGULAR, SIZE_BODY, RGB_TEXT, tx, y, e->title,
			       strlen(e->title));
		dotted_leader(r, tx + tw, r->x1 - pw, y);
		render_text_at(r, FONT_REGULAR, SIZE_BODY, RGB_TEXT, r->x1 - pw, y, page,
			       strlen(page));
	}
	r->page = keep;
}
