/*
 * format.c: how packet data reads in text: money as "1,234.50 USD", times
 * as "2026-11-23 16:05 UTC", addresses on one line. Template values, the
 * facts summary and `cbpack show` share these so that a date or an amount is
 * written the same way everywhere in a bundle.
 */
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/money.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "evidence_int.h"

void ev_add_sep(struct cb_buf *out, const char *sep, const char *s)
{
	if (cb_empty(s))
		return;
	if (out->len)
		cb_buf_adds(out, sep);
	cb_buf_adds(out, s);
}

void ev_add_money(struct cb_buf *out, int64_t minor, const char *currency)
{
	char b[64];

	if (minor == CB_NO_AMOUNT || cb_empty(currency))
		return;
	cb_buf_adds(out, cb_money_format(b, sizeof(b), minor, currency));
}

void ev_add_time(struct cb_buf *out, int64_t t)
{
	char b[48];

	if (t != CB_NO_TIME)
		cb_buf_adds(out, cb_time_format(b, sizeof(b), t, 0));
}

void ev_add_date(struct cb_buf *out, int64_t t)
{
	char b[32];

	if (t != CB_NO_TIME)
		cb_buf_adds(out, cb_date_format(b, sizeof(b), t));
}

/* "1 Main St, Apt 2, Charleston, SC 29407, US": the postal lines, no name. */
void ev_add_address(struct cb_buf *out, const struct cb_pk_address *a)
{
	struct cb_buf b = CB_BUF_INIT, region = CB_BUF_INIT;

	if (!a)
		return;
	ev_add_sep(&b, ", ", a->company);
	ev_add_sep(&b, ", ", a->line1);
	ev_add_sep(&b, ", ", a->line2);
	ev_add_sep(&b, ", ", a->city);
	ev_add_sep(&region, " ", a->state);
	ev_add_sep(&region, " ", a->postal);
	ev_add_sep(&b, ", ", region.ptr);
	ev_add_sep(&b, ", ", a->country);
	if (b.len)
		cb_buf_add(out, b.ptr, b.len);
	cb_buf_release(&region);
	cb_buf_release(&b);
}

/* "authenticated (2.2.0, frictionless)". */
void ev_add_three_ds(struct cb_buf *out, const struct cb_pk_charge *c)
{
	struct cb_buf detail = CB_BUF_INIT;

	if (cb_empty(c->three_ds_result))
		return;
	cb_buf_adds(out, c->three_ds_result);
	ev_add_sep(&detail, ", ", c->three_ds_version);
	ev_add_sep(&detail, ", ", c->three_ds_flow);
	if (detail.len)
		cb_buf_addf(out, " (%s)", detail.ptr);
	cb_buf_release(&detail);
}

static bool refund_counts(const struct cb_pk_refund *r)
{
	return r->amount != CB_NO_AMOUNT && !(r->status && (!strcasecmp(r->status, "failed") ||
							     !strcasecmp(r->status, "canceled") ||
							     !strcasecmp(r->status, "cancelled")));
}

int64_t ev_refund_total(const struct cb_packet *p, const char **currency)
{
	int64_t sum = 0;
	size_t i;

	*currency = NULL;
	for (i = 0; i < p->n_refunds; i++) {
		if (!refund_counts(&p->refunds[i]))
			continue;
		sum += p->refunds[i].amount;
		if (!*currency)
			*currency = p->refunds[i].currency ? p->refunds[i].currency : p->currency;
	}
	if (!*currency && p->has_charge && p->charge.amount_refunded != CB_NO_AMOUNT &&
	    p->charge.amount_refunded > 0) {
		sum = p->charge.amount_refunded;
		*currency = p->charge.currency ? p->charge.currency : p->currency;
	}
	return *currency ? sum : 0;
}
