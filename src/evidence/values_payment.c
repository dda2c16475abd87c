/*
 * values_payment.c: template values about the card payment, the checks the
 * issuer ran on it, and refunds (docs/template-keys.md). Card data is brand
 * and last 4 only; the packet holds nothing more.
 */
#include "cbpack/buf.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static void add_charge(struct cb_buf *o, const struct cb_packet *p, const char *s)
{
	if (p->has_charge && !cb_empty(s))
		cb_buf_adds(o, s);
}

static void v_brand(const struct cb_packet *p, struct cb_buf *o)
{
	add_charge(o, p, p->charge.card_brand);
}

static void v_last4(const struct cb_packet *p, struct cb_buf *o)
{
	add_charge(o, p, p->charge.card_last4);
}

/* "line1 pass, postal pass". */
static void v_avs(const struct cb_packet *p, struct cb_buf *o)
{
	struct cb_buf b = CB_BUF_INIT;

	if (!p->has_charge)
		return;
	if (!cb_empty(p->charge.avs_line1))
		cb_buf_addf(&b, "line1 %s", p->charge.avs_line1);
	if (!cb_empty(p->charge.avs_postal))
		cb_buf_addf(&b, "%spostal %s", b.len ? ", " : "", p->charge.avs_postal);
	if (b.len)
		cb_buf_add(o, b.ptr, b.len);
	cb_buf_release(&b);
}

static void v_cvc(const struct cb_packet *p, struct cb_buf *o) { add_charge(o, p, p->charge.cvc); }

static void v_three_ds(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->has_charge)
		ev_add_three_ds(o, &p->charge);
}

/* "normal (score 12)", or either half alone. */
static void v_risk(const struct cb_packet *p, struct cb_buf *o)
{
	const struct cb_pk_charge *c = &p->charge;

	if (!p->has_charge)
		return;
	if (!cb_empty(c->risk_level) && c->risk_score >= 0)
		cb_buf_addf(o, "%s (score %d)", c->risk_level, c->risk_score);
	else if (!cb_empty(c->risk_level))
		cb_buf_adds(o, c->risk_level);
	else if (c->risk_score >= 0)
		cb_buf_addf(o, "score %d", c->risk_score);
}

static void v_charge_id(const struct cb_packet *p, struct cb_buf *o)
{
	add_charge(o, p, p->charge.gateway_id);
}

static void v_charge_date(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->has_charge)
		ev_add_date(o, p->charge.created_at);
}

static void v_charge_amount(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->has_charge)
		ev_add_money(o, p->charge.amount, p->charge.currency);
}

static void v_refund_amount(const struct cb_packet *p, struct cb_buf *o)
{
	const char *currency;
	int64_t sum = ev_refund_total(p, &currency);

	if (currency)
		ev_add_money(o, sum, currency);
}

/* The first refund's date: when the customer was first credited. */
static void v_refund_date(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->n_refunds)
		ev_add_date(o, p->refunds[0].created_at);
}

static void v_refund_id(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i;

	for (i = 0; i < p->n_refunds; i++)
		ev_add_sep(o, ", ", p->refunds[i].gateway_id);
}

const struct ev_value ev_values_payment[] = {
	{ "card.brand", v_brand },
	{ "card.last4", v_last4 },
	{ "payment.avs", v_avs },
	{ "payment.cvc", v_cvc },
	{ "payment.three_ds", v_three_ds },
	{ "payment.risk", v_risk },
	{ "charge.id", v_charge_id },
	{ "charge.date", v_charge_date },
	{ "charge.amount", v_charge_amount },
	{ "refund.amount", v_refund_amount },
	{ "refund.date", v_refund_date },
	{ "refund.id", v_refund_id },
	{ NULL, NULL }
};
