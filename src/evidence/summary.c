/*
 * summary.c: the key facts in plain language, one sentence a line, for the
 * cover page and the rebuttal letter ({{facts.summary}}). It states what the
 * records establish in the merchant's favour, oldest fact first; checks that
 * failed or are unknown are left out here (`cbpack show` lists them), since a
 * sentence the bank reads must never be a guess.
 */
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static void line_start(struct cb_buf *o)
{
	if (o->len)
		cb_buf_addc(o, '\n');
}

static void order_line(const struct cb_packet *p, struct cb_buf *o)
{
	int64_t t = p->has_order ? p->order.created_at : ev_purchase_time(p);

	if (t == CB_NO_TIME)
		return;
	line_start(o);
	if (p->has_order && !cb_empty(p->order.order_ref))
		cb_buf_addf(o, "Order %s was placed on ", p->order.order_ref);
	else
		cb_buf_adds(o, "The purchase was made on ");
	ev_add_time(o, t);
	if (!cb_empty(p->facts.purchase_ip))
		cb_buf_addf(o, " from IP address %s", p->facts.purchase_ip);
	cb_buf_adds(o, ".");
}

static void checks_line(const struct cb_packet *p, struct cb_buf *o)
{
	const struct cb_pk_facts *f = &p->facts;
	struct cb_buf what = CB_BUF_INIT;
	const char *checked[3];
	size_t i, n;

	if (f->three_ds_ok == 1) {
		ev_add_sep(&what, ", ", p->charge.three_ds_result);
		ev_add_sep(&what, ", ", p->charge.three_ds_version);
		ev_add_sep(&what, ", ", p->charge.three_ds_flow);
		line_start(o);
		cb_buf_addf(o, "The payment passed 3-D Secure authentication (%s).", what.ptr);
		cb_buf_reset(&what);
	}
	n = 0;
	if (f->avs_line1_ok == 1)
		checked[n++] = "the billing street address";
	if (f->avs_postal_ok == 1)
		checked[n++] = "the billing postal code";
	if (f->cvc_ok == 1)
		checked[n++] = "the card security code (CVC)";
	if (n) {
		line_start(o);
		cb_buf_adds(o, "The card issuer confirmed ");
		for (i = 0; i < n; i++)
			cb_buf_addf(o, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", checked[i]);
		cb_buf_adds(o, ".");
	}
	cb_buf_release(&what);
	if (f->billing_matches_shipping == 1) {
		line_start(o);
		cb_buf_adds(o, "The billing and shipping addresses are the same.");
	}
}

static void delivery_line(const struct cb_packet *p, struct cb_buf *o)
{
	const struct cb_pk_facts *f = &p->facts;
	const struct cb_pk_shipment *s = ev_delivered_shipment(p);
	struct cb_buf v = CB_BUF_INIT;

	if (!s)
		return;
	line_start(o);
	cb_buf_adds(o, "The order was delivered on ");
	ev_add_time(o, f->delivered_at);
	if (!cb_empty(s->carrier))
		cb_buf_addf(o, " by %s", s->carrier);
	if (!cb_empty(s->tracking_number))
		cb_buf_addf(o, " (tracking %s)", s->tracking_number);
	if (f->delivered_before_dispute == 1 && p->opened_at != CB_NO_TIME) {
		cb_buf_adds(o, ", before the dispute was opened on ");
		ev_add_date(o, p->opened_at);
	}
	cb_buf_adds(o, ".");
	if (f->delivered_to_order_address == 1) {
		line_start(o);
		cb_buf_adds(o, "The delivery scan was in the postal code of the order's shipping address.");
	}
	cb_packet_value(p, "shipping.signed_by", &v);
	if (v.len) {
		line_start(o);
		cb_buf_addf(o, "Delivery was signed for by %s.", v.ptr);
	}
	cb_buf_release(&v);
}

static void history_line(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i, undisputed = 0;

	for (i = 0; i < p->n_priors; i++)
		undisputed += !p->priors[i].disputed;
	if (p->facts.ce3_prior_matches >= 2) {
		line_start(o);
		cb_buf_addf(o, "%d earlier undisputed purchases on the same card, 120 to 365 days "
			    "before this one, share this customer's IP address or device "
			    "(Visa Compelling Evidence 3.0).", p->facts.ce3_prior_matches);
	} else if (undisputed) {
		line_start(o);
		cb_buf_addf(o, "The customer made %zu earlier undisputed purchase%s with us.",
			    undisputed, undisputed == 1 ? "" : "s");
	}
}

static void refund_line(const struct cb_packet *p, struct cb_buf *o)
{
	const char *currency;
	int64_t sum = ev_refund_total(p, &currency);

	if (!currency)
		return;
	line_start(o);
	cb_buf_adds(o, "A refund of ");
	ev_add_money(o, sum, currency);
	cb_buf_adds(o, " was issued");
	if (p->n_refunds && p->refunds[0].created_at != CB_NO_TIME) {
		cb_buf_adds(o, " on ");
		ev_add_date(o, p->refunds[0].created_at);
	}
	if (p->n_refunds && !cb_empty(p->refunds[0].gateway_id))
		cb_buf_addf(o, " (%s)", p->refunds[0].gateway_id);
	cb_buf_adds(o, ".");
}

void ev_facts_summary(const struct cb_packet *p, struct cb_buf *out)
{
	struct cb_buf o = CB_BUF_INIT;

	order_line(p, &o);
	checks_line(p, &o);
	delivery_line(p, &o);
	history_line(p, &o);
	refund_line(p, &o);
	if (p->facts.days_order_to_dispute >= 0 && p->opened_at != CB_NO_TIME) {
		line_start(&o);
		cb_buf_adds(&o, "The dispute was opened on ");
		ev_add_date(&o, p->opened_at);
		cb_buf_addf(&o, ", %lld days after the purchase.",
			    (long long)p->facts.days_order_to_dispute);
	}
	if (o.len)
		cb_buf_add(out, o.ptr, o.len);
	cb_buf_release(&o);
}
