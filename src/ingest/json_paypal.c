/*
 * json_paypal.c: the `paypal-disputes` importer. PayPal Disputes API v1
 * objects (docs/formats.md, "paypal-disputes"): a list {"items":[...]}, one
 * dispute, a JSON array or NDJSON. A full dispute yields the dispute, a
 * charge for each disputed transaction, a message for each entry of the
 * conversation, and a shipment for each tracking number given as evidence.
 * PayPal writes money as decimal strings and times as RFC 3339.
 */
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/reason.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "formats.h"
#include "json_util.h"

/* What the dispute's other records take from its first transaction. */
struct txn {
	const char *id, *order_ref, *buyer_name, *buyer_email;
};

static int put_transaction(struct cb_json_ctx *c, const json_t *t, struct txn *out)
{
	const char *invoice, *custom;
	struct cb_charge ch;
	json_t *buyer;
	int ret;

	cb_charge_blank(&ch);
	ch.gateway = "paypal";
	if ((ret = cb_json_id(c, t, "seller_transaction_id", &ch.gateway_id)) ||
	    (ret = cb_json_money(c, t, "gross_amount", &ch.amount, &ch.currency)) ||
	    (ret = cb_json_time(c, t, "create_time", &ch.created_at, NULL)) ||
	    (ret = cb_json_str(c, t, "transaction_status", &ch.status)) ||
	    (ret = cb_json_id(c, t, "invoice_number", &invoice)) ||
	    (ret = cb_json_id(c, t, "custom", &custom)) ||
	    (ret = cb_json_object(c, t, "buyer", &buyer)))
		return ret;
	if (buyer) {
		size_t mark = cb_json_enter(c, "buyer");

		if (!(ret = cb_json_str(c, buyer, "name", &ch.customer_name)))
			ret = cb_json_str(c, buyer, "email", &ch.email);
		cb_json_leave(c, mark);
		if (ret)
			return ret;
	}
	ch.order_ref = invoice ? invoice : custom;
	out->id = ch.gateway_id;
	out->order_ref = ch.order_ref;
	out->buyer_name = ch.customer_name;
	out->buyer_email = ch.email;
	if (!ch.gateway_id)
		return 0;
	return cb_json_put_charge(c, &ch);
}

static int transactions(struct cb_json_ctx *c, const json_t *o, struct txn *first)
{
	struct txn ignored;
	json_t *arr;
	size_t mark, m2, i;
	int ret;

	ret = cb_json_array(c, o, "disputed_transactions", &arr);
	if (ret || !arr)
		return ret;
	mark = cb_json_enter(c, "disputed_transactions");
	for (i = 0; !ret && i < json_array_size(arr); i++) {
		m2 = cb_json_enter_index(c, i);
		if (!json_is_object(json_array_get(arr, i)))
			ret = cb_json_fail(c, NULL, "expected a transaction object");
		else
			ret = put_transaction(c, json_array_get(arr, i), i ? &ignored : first);
		cb_json_leave(c, m2);
	}
	cb_json_leave(c, mark);
	return ret;
}

/*
 * The arbiter is PayPal itself. Records know only "customer" and
 * "merchant", and whatever the arbiter says is not the buyer's claim, so
 * it is kept as a merchant-side message whose author says who wrote it.
 */
static int message_author(struct cb_json_ctx *c, const char *posted_by, const struct txn *t,
			  struct cb_message *m)
{
	if (cb_streq_ci(posted_by, "BUYER")) {
		m->direction = "customer";
		m->author = t->buyer_name ? t->buyer_name : "Buyer";
	} else if (cb_streq_ci(posted_by, "SELLER")) {
		m->direction = "merchant";
		m->author = "Seller";
	} else if (cb_streq_ci(posted_by, "ARBITER")) {
		m->direction = "merchant";
		m->author = "PayPal arbiter";
	} else if (!posted_by) {
		return cb_json_fail(c, "posted_by", "missing author");
	} else {
		return cb_json_fail(c, "posted_by", "unknown author '%s' (BUYER, SELLER or ARBITER)",
				    posted_by);
	}
	return 0;
}

static int put_messages(struct cb_json_ctx *c, const json_t *o, const char *dispute_id,
			const struct txn *t)
{
	const char *posted_by, *content;
	struct cb_message m;
	json_t *arr, *it;
	size_t mark, m2, i;
	int ret;

	ret = cb_json_array(c, o, "messages", &arr);
	if (ret || !arr)
		return ret;
	mark = cb_json_enter(c, "messages");
	for (i = 0; !ret && i < json_array_size(arr); i++) {
		it = json_array_get(arr, i);
		m2 = cb_json_enter_index(c, i);
		cb_message_blank(&m);
		m.source = "paypal";
		m.channel = "paypal";
		m.dispute_ref = dispute_id;
		m.order_ref = t->order_ref;
		m.email = t->buyer_email;
		if (!json_is_object(it))
			ret = cb_json_fail(c, NULL, "expected a message object");
		else if (!(ret = cb_json_str(c, it, "posted_by", &posted_by)) &&
			 !(ret = cb_json_time(c, it, "time_posted", &m.sent_at, NULL)) &&
			 !(ret = cb_json_str(c, it, "content", &content)) &&
			 !(ret = message_author(c, posted_by, t, &m))) {
			m.source_id = cb_json_printf(c, "%s:%zu", dispute_id, i);
			m.body = cb_json_redact(c, content ? content : "");
			m.attachment_names = cb_json_join_names(c, it, "documents", "name");
			ret = cb_json_put_message(c, &m);
		}
		cb_json_leave(c, m2);
	}
	cb_json_leave(c, mark);
	return ret;
}

static int put_tracking(struct cb_json_ctx *c, const json_t *ti, const struct txn *t)
{
	struct cb_shipment s;
	int ret;

	cb_shipment_blank(&s);
	s.source = "paypal";
	s.order_ref = t->order_ref;
	if ((ret = cb_json_str(c, ti, "carrier_name", &s.carrier)) ||
	    (ret = cb_json_id(c, ti, "tracking_number", &s.tracking_number)))
		return ret;
	if (cb_streq_ci(s.carrier, "OTHER") &&
	    (ret = cb_json_str(c, ti, "carrier_name_other", &s.carrier)))
		return ret;
	if (cb_empty(s.tracking_number) || cb_empty(s.carrier))
		return 0;   /* shipments are keyed by carrier and number */
	return cb_json_put_shipment(c, &s);
}

/* evidences[].evidence_info.tracking_info[] */
static int put_shipments(struct cb_json_ctx *c, const json_t *o, const struct txn *t)
{
	json_t *evs, *info, *tis;
	size_t mark, m2, m3, i, j;
	int ret;

	ret = cb_json_array(c, o, "evidences", &evs);
	if (ret || !evs)
		return ret;
	mark = cb_json_enter(c, "evidences");
	for (i = 0; !ret && i < json_array_size(evs); i++) {
		m2 = cb_json_enter_index(c, i);
		tis = NULL;
		if (!(ret = cb_json_object(c, json_array_get(evs, i), "evidence_info", &info)) && info) {
			cb_json_enter(c, "evidence_info");
			ret = cb_json_array(c, info, "tracking_info", &tis);
			cb_json_enter(c, "tracking_info");
		}
		for (j = 0; !ret && tis && j < json_array_size(tis); j++) {
			m3 = cb_json_enter_index(c, j);
			if (!json_is_object(json_array_get(tis, j)))
				ret = cb_json_fail(c, NULL, "expected a tracking object");
			else
				ret = put_tracking(c, json_array_get(tis, j), t);
			cb_json_leave(c, m3);
		}
		cb_json_leave(c, m2);
	}
	cb_json_leave(c, mark);
	return ret;
}

/* The buyer's first message is their statement, the one a response rebuts. */
static const char *buyer_statement(struct cb_json_ctx *c, const json_t *o)
{
	json_t *arr = json_object_get(o, "messages"), *m, *content;
	size_t i;

	for (i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
		m = json_array_get(arr, i);
		content = json_object_get(m, "content");
		if (cb_streq_ci(json_string_value(json_object_get(m, "posted_by")), "BUYER") &&
		    json_is_string(content) && *json_string_value(content))
			return cb_json_redact(c, json_string_value(content));
	}
	return NULL;
}

/* SAMPLES.md, "Open statuses": the two that wait on the merchant. */
static int paypal_is_open(const char *status)
{
	if (!status)
		return -1;
	return cb_streq_ci(status, "OPEN") || cb_streq_ci(status, "WAITING_FOR_SELLER_RESPONSE");
}

static int put_dispute(struct cb_json_ctx *c, const json_t *o)
{
	struct txn t = { NULL, NULL, NULL, NULL };
	struct cb_dispute d;
	int ret;

	cb_dispute_blank(&d);
	d.gateway = "paypal";
	if ((ret = cb_json_id(c, o, "dispute_id", &d.gateway_id)))
		return ret;
	if (!d.gateway_id)
		return cb_json_fail(c, "dispute_id", "missing dispute id");
	if ((ret = transactions(c, o, &t)) ||
	    (ret = cb_json_time(c, o, "create_time", &d.opened_at, NULL)) ||
	    (ret = cb_json_time(c, o, "update_time", &d.updated_at, NULL)) ||
	    (ret = cb_json_time(c, o, "seller_response_due_date", &d.due_by, NULL)) ||
	    (ret = cb_json_str(c, o, "reason", &d.gateway_reason)) ||
	    (ret = cb_json_str(c, o, "status", &d.status)) ||
	    (ret = cb_json_str(c, o, "dispute_life_cycle_stage", &d.stage)) ||
	    (ret = cb_json_id(c, o, "external_reason_code", &d.network_reason_code)) ||
	    (ret = cb_json_money(c, o, "dispute_amount", &d.amount, &d.currency)))
		return ret;
	if (d.amount == CB_NO_AMOUNT)
		return cb_json_fail(c, "dispute_amount", "missing amount");
	d.is_open = paypal_is_open(d.status);
	if (!d.status)
		d.status = "unknown";   /* is_open -1: never assumed open or closed */
	d.charge_ref = t.id;
	d.order_ref = t.order_ref;
	d.reason = cb_reason_name(cb_reason_from_gateway(d.gateway_reason, d.network_reason_code));
	d.buyer_statement = buyer_statement(c, o);
	if ((ret = cb_json_put_dispute(c, &d)) || (ret = put_messages(c, o, d.gateway_id, &t)) ||
	    (ret = put_shipments(c, o, &t)))
		return ret;
	c->st->rows_accepted++;
	return 0;
}

static int paypal_value(struct cb_json_ctx *c, json_t *v);

static int paypal_items(struct cb_json_ctx *c, const json_t *arr)
{
	size_t i, mark;
	int ret = 0;

	for (i = 0; !ret && i < json_array_size(arr); i++) {
		mark = cb_json_enter_index(c, i);
		if (!json_is_object(json_array_get(arr, i)))
			ret = cb_json_fail(c, NULL, "expected a dispute object");
		else
			ret = put_dispute(c, json_array_get(arr, i));
		cb_json_leave(c, mark);
		cb_json_drop_strings(c);
	}
	return ret;
}

static int paypal_value(struct cb_json_ctx *c, json_t *v)
{
	json_t *items;
	size_t mark;
	int ret;

	if (json_is_array(v))
		return paypal_items(c, v);
	if (!json_is_object(v))
		return cb_json_fail(c, NULL, "expected a dispute, an {\"items\": [...]} list or an array");
	if (!json_object_get(v, "items") || json_object_get(v, "dispute_id"))
		return put_dispute(c, v);
	if ((ret = cb_json_array(c, v, "items", &items)))
		return ret;
	mark = cb_json_enter(c, "items");
	ret = paypal_items(c, items);
	cb_json_leave(c, mark);
	return ret;
}

CB_INGEST_FN(cb_ingest_paypal_disputes)
{
	return cb_json_run(path, data, len, sink, st, err, paypal_value);
}
