/*
 * csv_generic.c: the generic CSV formats (SAMPLES.md, docs/formats.md) for
 * merchants whose platform cbpack does not read directly: orders, payments,
 * disputes, shipments, tracking events and policies. Each format is a table
 * of columns; rowmap.c does the reading, this file only says what goes where
 * and derives what the columns do not say (open or not, reason category).
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "cbpack/error.h"
#include "cbpack/reason.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "csv_orders.h"
#include "formats.h"
#include "rowmap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REQ RM_REQUIRED

/* orders-csv: one row per line item, grouped by order_number. */

#define O(f) offsetof(struct cb_order, f)
static const struct rm_col order_cols[] = {
	{ "order_number", RM_STR, REQ, O(order_ref), NULL, 0, 0 },
	{ "order_id", RM_STR, 0, O(external_id), NULL, 0, 0 },
	{ "created_at", RM_TIME, REQ, O(created_at), NULL, 0, 0 },
	{ "email", RM_STR, 0, O(email), NULL, 0, 0 },
	{ "customer_name", RM_STR, 0, O(customer_name), NULL, 0, 0 },
	{ "phone", RM_STR, 0, O(phone), NULL, 0, 0 },
	{ "currency", RM_CURRENCY, REQ, O(currency), NULL, 0, 0 },
	{ "subtotal", RM_MONEY, 0, O(subtotal), NULL, 0, 0 },
	{ "shipping", RM_MONEY, 0, O(shipping), NULL, 0, 0 },
	{ "tax", RM_MONEY, 0, O(taxes), NULL, 0, 0 },
	{ "total", RM_MONEY, REQ, O(total), NULL, 0, 0 },
	{ "discount", RM_MONEY, 0, O(discount), NULL, 0, 0 },
	{ "financial_status", RM_WORD, 0, O(financial_status), NULL, 0, 0 },
	{ "fulfillment_status", RM_WORD, 0, O(fulfillment_status), NULL, 0, 0 },
	{ "billing_name", RM_STR, 0, O(billing.name), NULL, 0, 0 },
	{ "billing_line1", RM_STR, 0, O(billing.line1), NULL, 0, 0 },
	{ "billing_line2", RM_STR, 0, O(billing.line2), NULL, 0, 0 },
	{ "billing_city", RM_STR, 0, O(billing.city), NULL, 0, 0 },
	{ "billing_state", RM_STR, 0, O(billing.state), NULL, 0, 0 },
	{ "billing_postal", RM_ZIP, 0, O(billing.postal), NULL, 0, 0 },
	{ "billing_country", RM_STR, 0, O(billing.country), NULL, 0, 0 },
	{ "shipping_name", RM_STR, 0, O(shipping_addr.name), NULL, 0, 0 },
	{ "shipping_line1", RM_STR, 0, O(shipping_addr.line1), NULL, 0, 0 },
	{ "shipping_line2", RM_STR, 0, O(shipping_addr.line2), NULL, 0, 0 },
	{ "shipping_city", RM_STR, 0, O(shipping_addr.city), NULL, 0, 0 },
	{ "shipping_state", RM_STR, 0, O(shipping_addr.state), NULL, 0, 0 },
	{ "shipping_postal", RM_ZIP, 0, O(shipping_addr.postal), NULL, 0, 0 },
	{ "shipping_country", RM_STR, 0, O(shipping_addr.country), NULL, 0, 0 },
	{ "ip", RM_STR, 0, O(ip), NULL, 0, 0 },
	{ "device_id", RM_STR, 0, O(device_id), NULL, 0, 0 },
	{ "notes", RM_TEXT, 0, O(notes), NULL, 0, 0 },
};
#undef O

#define L(f) offsetof(struct cb_order_line, f)
static const struct rm_col order_line_cols[] = {
	{ "item_name", RM_STR, 0, L(name), NULL, 0, 0 },
	{ "item_sku", RM_STR, 0, L(sku), NULL, 0, 0 },
	{ "item_quantity", RM_COUNT, 0, L(quantity), NULL, 0, 0 },
	{ "item_price", RM_MONEY, 0, L(price), NULL, 0, 0 },
};
#undef L

static const struct order_csv_format orders_csv = {
	"csv", "order_number", "currency", "email", order_cols, N(order_cols),
	order_line_cols, N(order_line_cols), NULL
};

CB_INGEST_FN(cb_ingest_orders_csv)
{
	return csv_import_orders(&orders_csv, path, data, len, sink, st, err);
}

/* payments-csv: one charge per row. */

#define C(f) offsetof(struct cb_charge, f)
static const struct rm_col charge_cols[] = {
	{ "gateway", RM_WORD, REQ, C(gateway), NULL, 0, 0 },
	{ "charge_id", RM_STR, REQ, C(gateway_id), NULL, 0, 0 },
	{ "order_number", RM_STR, 0, C(order_ref), NULL, 0, 0 },
	{ "created_at", RM_TIME, REQ, C(created_at), NULL, 0, 0 },
	{ "amount", RM_MONEY, REQ, C(amount), NULL, 0, 0 },
	{ "currency", RM_CURRENCY, REQ, C(currency), NULL, 0, 0 },
	{ "status", RM_WORD, 0, C(status), NULL, 0, 0 },
	{ "email", RM_STR, 0, C(email), NULL, 0, 0 },
	{ "customer_name", RM_STR, 0, C(customer_name), NULL, 0, 0 },
	{ "card_brand", RM_STR, 0, C(card_brand), NULL, 0, 0 },
	{ "card_last4", RM_CARD, 0, C(card_last4), NULL, 0, 0 },
	{ "card_fingerprint", RM_STR, 0, C(card_fingerprint), NULL, 0, 0 },
	{ "avs_line1", RM_CHECK, 0, C(avs_line1), NULL, 0, 0 },
	{ "avs_postal", RM_CHECK, 0, C(avs_postal), NULL, 0, 0 },
	{ "cvc", RM_CHECK, 0, C(cvc), NULL, 0, 0 },
	{ "three_ds", RM_WORD, 0, C(three_ds_result), NULL, 0, 0 },
	{ "three_ds_version", RM_STR, 0, C(three_ds_version), NULL, 0, 0 },
	{ "risk_score", RM_INT, 0, C(risk_score), NULL, 0, 100 },
	{ "risk_level", RM_WORD, 0, C(risk_level), NULL, 0, 0 },
	{ "ip", RM_STR, 0, C(ip), NULL, 0, 0 },
	{ "device_id", RM_STR, 0, C(device_id), NULL, 0, 0 },
	{ "billing_postal", RM_ZIP, 0, C(billing.postal), NULL, 0, 0 },
	{ "shipping_postal", RM_ZIP, 0, C(shipping_addr.postal), NULL, 0, 0 },
	{ "amount_refunded", RM_MONEY, 0, C(amount_refunded), NULL, 0, 0 },
};
#undef C

static void blank_charge(void *r)
{
	cb_charge_blank(r);
}

static int emit_charge(const struct cb_sink *s, const void *r, struct cb_error *err)
{
	return s->charge(s->ctx, r, err);
}

static const struct rm_format payments_csv = {
	charge_cols, N(charge_cols), blank_charge, NULL, emit_charge
};

CB_INGEST_FN(cb_ingest_payments_csv)
{
	return rm_import_csv(&payments_csv, path, data, len, sink, st, err);
}

/* disputes-csv: one dispute per row. */

#define D(f) offsetof(struct cb_dispute, f)
static const struct rm_col dispute_cols[] = {
	{ "gateway", RM_WORD, REQ, D(gateway), NULL, 0, 0 },
	{ "dispute_id", RM_STR, REQ, D(gateway_id), NULL, 0, 0 },
	{ "charge_id", RM_STR, 0, D(charge_ref), NULL, 0, 0 },
	{ "order_number", RM_STR, 0, D(order_ref), NULL, 0, 0 },
	{ "reason", RM_STR, REQ, D(gateway_reason), NULL, 0, 0 },
	{ "network_reason_code", RM_STR, 0, D(network_reason_code), NULL, 0, 0 },
	{ "amount", RM_MONEY, REQ, D(amount), NULL, 0, 0 },
	{ "currency", RM_CURRENCY, REQ, D(currency), NULL, 0, 0 },
	{ "status", RM_STR, REQ, D(status), NULL, 0, 0 },
	{ "opened_at", RM_TIME, 0, D(opened_at), NULL, 0, 0 },
	{ "due_by", RM_TIME, 0, D(due_by), NULL, 0, 0 },
	{ "statement", RM_TEXT, 0, D(buyer_statement), NULL, 0, 0 },
};
#undef D

/* SAMPLES.md, "Open statuses", generic CSV. */
static int generic_is_open(const char *status)
{
	static const char *const open[] = {
		"needs_response", "open", "warning_needs_response", "waiting_for_seller_response",
		NULL
	};
	size_t i;

	for (i = 0; open[i]; i++)
		if (!strcasecmp(status, open[i]))
			return 1;
	return 0;
}

static void blank_dispute(void *r)
{
	cb_dispute_blank(r);
}

static int finish_dispute(void *rec, const struct rm_row *row, struct cb_error *err)
{
	struct cb_dispute *d = rec;

	(void)row;
	(void)err;
	d->reason = cb_reason_name(cb_reason_from_gateway(d->gateway_reason,
							   d->network_reason_code));
	d->is_open = generic_is_open(d->status);
	return 0;
}

static int emit_dispute(const struct cb_sink *s, const void *r, struct cb_error *err)
{
	return s->dispute(s->ctx, r, err);
}

static const struct rm_format disputes_csv = {
	dispute_cols, N(dispute_cols), blank_dispute, finish_dispute, emit_dispute
};

CB_INGEST_FN(cb_ingest_disputes_csv)
{
	return rm_import_csv(&disputes_csv, path, data, len, sink, st, err);
}

/* shipments-csv: one shipment per row. */

#define S(f) offsetof(struct cb_shipment, f)
static const struct rm_col shipment_cols[] = {
	{ "order_number", RM_STR, REQ, S(order_ref), NULL, 0, 0 },
	{ "carrier", RM_STR, REQ, S(carrier), NULL, 0, 0 },
	{ "tracking_number", RM_STR, REQ, S(tracking_number), NULL, 0, 0 },
	{ "service", RM_STR, 0, S(service), NULL, 0, 0 },
	{ "shipped_at", RM_TIME, 0, S(shipped_at), NULL, 0, 0 },
	{ "status", RM_SHIP_STATUS, 0, S(status), NULL, 0, 0 },
	{ "delivered_at", RM_TIME, 0, S(delivered_at), NULL, 0, 0 },
	{ "signed_by", RM_STR, 0, S(signed_by), NULL, 0, 0 },
	{ "to_name", RM_STR, 0, S(to.name), NULL, 0, 0 },
	{ "to_line1", RM_STR, 0, S(to.line1), NULL, 0, 0 },
	{ "to_city", RM_STR, 0, S(to.city), NULL, 0, 0 },
	{ "to_state", RM_STR, 0, S(to.state), NULL, 0, 0 },
	{ "to_postal", RM_ZIP, 0, S(to.postal), NULL, 0, 0 },
	{ "to_country", RM_STR, 0, S(to.country), NULL, 0, 0 },
};
#undef S

static void blank_shipment(void *r)
{
	cb_shipment_blank(r);
}

/* Carriers write a placeholder where nobody signed; records.h wants a real name or nothing. */
static int is_real_signer(const char *s)
{
	static const char *const placeholders[] = {
		"signature not required", "not required", "no signature required", "none", "n/a",
		"na", "-", NULL
	};
	size_t i;

	for (i = 0; placeholders[i]; i++)
		if (!strcasecmp(s, placeholders[i]))
			return 0;
	return 1;
}

static int finish_shipment(void *rec, const struct rm_row *row, struct cb_error *err)
{
	struct cb_shipment *s = rec;

	(void)row;
	(void)err;
	if (s->signed_by && !is_real_signer(s->signed_by))
		s->signed_by = NULL;
	s->source = "csv";
	return 0;
}

static int emit_shipment(const struct cb_sink *s, const void *r, struct cb_error *err)
{
	return s->shipment(s->ctx, r, err);
}

static const struct rm_format shipments_csv = {
	shipment_cols, N(shipment_cols), blank_shipment, finish_shipment, emit_shipment
};

CB_INGEST_FN(cb_ingest_shipments_csv)
{
	return rm_import_csv(&shipments_csv, path, data, len, sink, st, err);
}

/* tracking-csv: one carrier scan per row. */

#define T(f) offsetof(struct cb_tracking_event, f)
static const struct rm_col tracking_cols[] = {
	{ "carrier", RM_STR, REQ, T(carrier), NULL, 0, 0 },
	{ "tracking_number", RM_STR, REQ, T(tracking_number), NULL, 0, 0 },
	{ "occurred_at", RM_TIME, REQ, T(occurred_at), NULL, 0, 0 },
	{ "status", RM_SHIP_STATUS, REQ, T(status), NULL, 0, 0 },
	{ "message", RM_TEXT, 0, T(message), NULL, 0, 0 },
	{ "city", RM_STR, 0, T(city), NULL, 0, 0 },
	{ "state", RM_STR, 0, T(state), NULL, 0, 0 },
	{ "postal", RM_ZIP, 0, T(postal), NULL, 0, 0 },
	{ "country", RM_STR, 0, T(country), NULL, 0, 0 },
};
#undef T

static void blank_tracking(void *r)
{
	cb_tracking_event_blank(r);
}

/* The local offset the scan was written in, kept for display. */
static int finish_tracking(void *rec, const struct rm_row *row, struct cb_error *err)
{
	struct cb_tracking_event *e = rec;
	const char *when = rm_value(row, tracking_cols, N(tracking_cols), "occurred_at");
	int64_t t;

	return when ? cb_time_parse(&t, &e->utc_offset_min, when, err) : 0;
}

static int emit_tracking(const struct cb_sink *s, const void *r, struct cb_error *err)
{
	return s->tracking_event(s->ctx, r, err);
}

static const struct rm_format tracking_csv = {
	tracking_cols, N(tracking_cols), blank_tracking, finish_tracking, emit_tracking
};

CB_INGEST_FN(cb_ingest_tracking_csv)
{
	return rm_import_csv(&tracking_csv, path, data, len, sink, st, err);
}

/* policies-csv: one policy per row. */

static const char *const policy_kinds[] = { "refund", "shipping", "cancellation", "terms", NULL };

#define P(f) offsetof(struct cb_policy, f)
static const struct rm_col policy_cols[] = {
	{ "kind", RM_ENUM, REQ, P(kind), policy_kinds, 0, 0 },
	{ "title", RM_STR, 0, P(title), NULL, 0, 0 },
	{ "body", RM_TEXT, REQ, P(body), NULL, 0, 0 },
	{ "disclosure", RM_TEXT, 0, P(disclosure), NULL, 0, 0 },
};
#undef P

static void blank_policy(void *r)
{
	cb_policy_blank(r);
}

static int emit_policy(const struct cb_sink *s, const void *r, struct cb_error *err)
{
	return s->policy(s->ctx, r, err);
}

static const struct rm_format policies_csv = {
	policy_cols, N(policy_cols), blank_policy, NULL, emit_policy
};

CB_INGEST_FN(cb_ingest_policies_csv)
{
	return rm_import_csv(&policies_csv, path, data, len, sink, st, err);
}
