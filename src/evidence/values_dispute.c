/*
 * values_dispute.c: template values about the dispute, the customer and the
 * order (docs/template-keys.md).
 */
#include <inttypes.h>

#include "cbpack/buf.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static void add(struct cb_buf *out, const char *s)
{
	if (!cb_empty(s))
		cb_buf_adds(out, s);
}

static void v_dispute_id(const struct cb_packet *p, struct cb_buf *o) { add(o, p->dispute_id); }
static void v_gateway(const struct cb_packet *p, struct cb_buf *o) { add(o, p->gateway); }

static void v_reason(const struct cb_packet *p, struct cb_buf *o)
{
	add(o, cb_reason_name(p->reason));
}

static void v_reason_label(const struct cb_packet *p, struct cb_buf *o)
{
	add(o, cb_reason_label(p->reason));
}

static void v_network_code(const struct cb_packet *p, struct cb_buf *o)
{
	add(o, p->network_reason_code);
}

static void v_amount(const struct cb_packet *p, struct cb_buf *o)
{
	ev_add_money(o, p->amount, p->currency);
}

static void v_opened(const struct cb_packet *p, struct cb_buf *o) { ev_add_time(o, p->opened_at); }
static void v_due(const struct cb_packet *p, struct cb_buf *o) { ev_add_time(o, p->due_by); }
static void v_status(const struct cb_packet *p, struct cb_buf *o) { add(o, p->status); }

static void v_statement(const struct cb_packet *p, struct cb_buf *o)
{
	add(o, p->buyer_statement);
}

static void v_name(const struct cb_packet *p, struct cb_buf *o) { add(o, p->customer_name); }
static void v_email(const struct cb_packet *p, struct cb_buf *o) { add(o, p->email); }
static void v_phone(const struct cb_packet *p, struct cb_buf *o) { add(o, p->phone); }
static void v_ip(const struct cb_packet *p, struct cb_buf *o) { add(o, p->facts.purchase_ip); }
static void v_device(const struct cb_packet *p, struct cb_buf *o) { add(o, p->device_id); }
static void v_account(const struct cb_packet *p, struct cb_buf *o) { add(o, p->account_id); }

static void v_order_number(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->has_order)
		add(o, p->order.order_ref);
}

static void v_order_date(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->has_order)
		ev_add_date(o, p->order.created_at);
}

static void v_order_total(const struct cb_packet *p, struct cb_buf *o)
{
	if (p->has_order)
		ev_add_money(o, p->order.total, p->order.currency);
}

/* One line per item: "2 × Linen Shirt (LS-M-BLU)". */
static void v_order_items(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i;

	for (i = 0; i < p->order.n_lines; i++) {
		const struct cb_pk_line *l = &p->order.lines[i];

		if (i)
			cb_buf_addc(o, '\n');
		cb_buf_addf(o, "%" PRId64 " \xC3\x97 %s", l->quantity,
			    !cb_empty(l->name) ? l->name : "item");
		if (!cb_empty(l->sku))
			cb_buf_addf(o, " (%s)", l->sku);
	}
}

static void v_order_status(const struct cb_packet *p, struct cb_buf *o)
{
	struct cb_buf b = CB_BUF_INIT;

	if (!p->has_order)
		return;
	ev_add_sep(&b, ", ", p->order.financial_status);
	ev_add_sep(&b, ", ", p->order.fulfillment_status);
	if (p->order.cancelled_at != CB_NO_TIME)
		ev_add_sep(&b, ", ", "cancelled");
	if (b.len)
		cb_buf_add(o, b.ptr, b.len);
	cb_buf_release(&b);
}

static void v_billing(const struct cb_packet *p, struct cb_buf *o)
{
	ev_add_address(o, ev_billing(p));
}

static void v_shipping_addr(const struct cb_packet *p, struct cb_buf *o)
{
	ev_add_address(o, ev_shipping(p));
}

/* What was sold, by name; the charge's description when there is no order. */
static void v_product(const struct cb_packet *p, struct cb_buf *o)
{
	struct cb_buf b = CB_BUF_INIT;
	size_t i;

	for (i = 0; i < p->order.n_lines; i++)
		ev_add_sep(&b, ", ", p->order.lines[i].name);
	if (!b.len && p->has_charge)
		add(&b, p->charge.description);
	if (b.len)
		cb_buf_add(o, b.ptr, b.len);
	cb_buf_release(&b);
}

const struct ev_value ev_values_dispute[] = {
	{ "dispute.id", v_dispute_id },
	{ "dispute.gateway", v_gateway },
	{ "dispute.reason", v_reason },
	{ "dispute.reason_label", v_reason_label },
	{ "dispute.network_code", v_network_code },
	{ "dispute.amount", v_amount },
	{ "dispute.opened_at", v_opened },
	{ "dispute.due_by", v_due },
	{ "dispute.status", v_status },
	{ "dispute.statement", v_statement },
	{ "customer.name", v_name },
	{ "customer.email", v_email },
	{ "customer.phone", v_phone },
	{ "customer.ip", v_ip },
	{ "customer.device", v_device },
	{ "customer.account", v_account },
	{ "order.number", v_order_number },
	{ "order.date", v_order_date },
	{ "order.total", v_order_total },
	{ "order.items", v_order_items },
	{ "order.status", v_order_status },
	{ "billing.address", v_billing },
	{ "shipping.address", v_shipping_addr },
	{ "product.description", v_product },
	{ NULL, NULL }
};
