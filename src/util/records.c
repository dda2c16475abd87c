/*
 * records.c: blank record constructors. Zeroing is not enough because
 * "absent" money and time are INT64_MIN, not 0 (a $0.00 refund is real).
 */
#include <string.h>

#include "cbpack/records.h"

void cb_order_blank(struct cb_order *r)
{
	memset(r, 0, sizeof(*r));
	r->created_at = r->paid_at = r->fulfilled_at = r->cancelled_at = CB_NO_TIME;
	r->subtotal = r->shipping = r->taxes = r->total = CB_NO_AMOUNT;
	r->discount = r->refunded = CB_NO_AMOUNT;
}

void cb_order_line_blank(struct cb_order_line *r)
{
	memset(r, 0, sizeof(*r));
	r->quantity = 1;
	r->price = CB_NO_AMOUNT;
	r->requires_shipping = -1;
}

void cb_charge_blank(struct cb_charge *r)
{
	memset(r, 0, sizeof(*r));
	r->amount = r->amount_refunded = CB_NO_AMOUNT;
	r->created_at = CB_NO_TIME;
	r->risk_score = -1;
}

void cb_refund_blank(struct cb_refund *r)
{
	memset(r, 0, sizeof(*r));
	r->amount = CB_NO_AMOUNT;
	r->created_at = CB_NO_TIME;
}

void cb_dispute_blank(struct cb_dispute *r)
{
	memset(r, 0, sizeof(*r));
	r->amount = CB_NO_AMOUNT;
	r->opened_at = r->due_by = r->updated_at = CB_NO_TIME;
	r->is_open = -1;
}

void cb_ticket_blank(struct cb_ticket *r)
{
	memset(r, 0, sizeof(*r));
	r->created_at = CB_NO_TIME;
}

void cb_message_blank(struct cb_message *r)
{
	memset(r, 0, sizeof(*r));
	r->sent_at = CB_NO_TIME;
	r->is_public = 1;
}

void cb_shipment_blank(struct cb_shipment *r)
{
	memset(r, 0, sizeof(*r));
	r->shipped_at = r->delivered_at = r->est_delivery = CB_NO_TIME;
}

void cb_tracking_event_blank(struct cb_tracking_event *r)
{
	memset(r, 0, sizeof(*r));
	r->occurred_at = CB_NO_TIME;
}

void cb_policy_blank(struct cb_policy *r)
{
	memset(r, 0, sizeof(*r));
}
