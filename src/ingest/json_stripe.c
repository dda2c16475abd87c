/*
 * json_stripe.c: the `stripe` importer. Stripe API objects as the API
 * returns them (docs/formats.md, "stripe"): a bare object, a list envelope
 * {"object":"list","data":[...]}, a JSON array, or NDJSON, in any mix.
 * Objects are told apart by their "object" key: disputes, charges and
 * refunds become records, anything else (customers, balance transactions)
 * is counted as skipped. A dispute with its charge expanded yields both.
 * Amounts are already integer minor units and times Unix seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/error.h"
#include "cbpack/reason.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "formats.h"
#include "json_util.h"

static int stripe_value(struct cb_json_ctx *c, json_t *v);

static int address(struct cb_json_ctx *c, const json_t *parent, const char *key,
		   struct cb_address *a)
{
	json_t *o;
	size_t mark;
	int ret;

	ret = cb_json_object(c, parent, key, &o);
	if (ret || !o)
		return ret;
	mark = cb_json_enter(c, key);
	if (!(ret = cb_json_str(c, o, "line1", &a->line1)) &&
	    !(ret = cb_json_str(c, o, "line2", &a->line2)) &&
	    !(ret = cb_json_str(c, o, "city", &a->city)) &&
	    !(ret = cb_json_str(c, o, "state", &a->state)) &&
	    !(ret = cb_json_str(c, o, "postal_code", &a->postal)))
		ret = cb_json_str(c, o, "country", &a->country);
	cb_json_leave(c, mark);
	return ret;
}

/* A reference that may be expanded: "ch_..." or {"id": "ch_...", ...}. */
static int expandable_id(struct cb_json_ctx *c, const json_t *o, const char *key,
			 const char **out)
{
	json_t *v = json_object_get(o, key);
	size_t mark;
	int ret;

	*out = NULL;
	if (!v || !json_is_object(v))
		return cb_json_str(c, o, key, out);
	mark = cb_json_enter(c, key);
	ret = cb_json_str(c, v, "id", out);
	cb_json_leave(c, mark);
	return ret;
}

/* Metadata holds the order and the buyer's IP under names merchants choose. */
static int metadata_fields(struct cb_json_ctx *c, const json_t *o, const char **order_ref,
			   const char **ip, const char **device_id, const char **json)
{
	static const char *const order_keys[] = { "order_id", "order_number", "order" };
	static const char *const ip_keys[] = { "ip", "ip_address", "customer_ip" };
	json_t *md;
	size_t mark, i;
	char *dump;
	int ret;

	ret = cb_json_object(c, o, "metadata", &md);
	if (ret || !md)
		return ret;
	mark = cb_json_enter(c, "metadata");
	for (i = 0; !ret && !*order_ref && i < sizeof(order_keys) / sizeof(order_keys[0]); i++)
		ret = cb_json_id(c, md, order_keys[i], order_ref);
	for (i = 0; !ret && ip && !*ip && i < sizeof(ip_keys) / sizeof(ip_keys[0]); i++)
		ret = cb_json_str(c, md, ip_keys[i], ip);
	if (!ret && device_id)
		ret = cb_json_str(c, md, "device_id", device_id);
	cb_json_leave(c, mark);
	if (!ret && json && json_object_size(md)) {
		dump = json_dumps(md, JSON_COMPACT | JSON_SORT_KEYS);
		*json = dump ? cb_json_redact(c, dump) : NULL;
		free(dump);
	}
	return ret;
}

static int card_checks(struct cb_json_ctx *c, const json_t *card, struct cb_charge *ch)
{
	json_t *o;
	size_t mark;
	int ret;

	ret = cb_json_object(c, card, "checks", &o);
	if (ret || !o)
		return ret;
	mark = cb_json_enter(c, "checks");
	if (!(ret = cb_json_str(c, o, "address_line1_check", &ch->avs_line1)) &&
	    !(ret = cb_json_str(c, o, "address_postal_code_check", &ch->avs_postal)))
		ret = cb_json_str(c, o, "cvc_check", &ch->cvc);
	cb_json_leave(c, mark);
	return ret;
}

/* Older API versions said {"authenticated": true} instead of a result. */
static int card_3ds(struct cb_json_ctx *c, const json_t *card, struct cb_charge *ch)
{
	json_t *o;
	size_t mark;
	int ret, authed;

	ret = cb_json_object(c, card, "three_d_secure", &o);
	if (ret || !o)
		return ret;
	mark = cb_json_enter(c, "three_d_secure");
	if (!(ret = cb_json_str(c, o, "result", &ch->three_ds_result)) &&
	    !(ret = cb_json_str(c, o, "version", &ch->three_ds_version)) &&
	    !(ret = cb_json_str(c, o, "authentication_flow", &ch->three_ds_flow)) &&
	    !ch->three_ds_result && !(ret = cb_json_bool(c, o, "authenticated", -1, &authed)))
		ch->three_ds_result = authed == 1 ? "authenticated" : authed == 0 ? "failed" : NULL;
	cb_json_leave(c, mark);
	return ret;
}

/*
 * Where the card is: payment_method_details.card, or on charges older than
 * payment methods "source" (when it is a card) or "card". The path is left
 * pointing at it; the caller restores it.
 */
static int find_card(struct cb_json_ctx *c, const json_t *o, json_t **card)
{
	json_t *pmd, *src;
	int ret;

	*card = NULL;
	if ((ret = cb_json_object(c, o, "payment_method_details", &pmd)))
		return ret;
	if (pmd) {
		cb_json_enter(c, "payment_method_details");
		if (!(ret = cb_json_object(c, pmd, "card", card)) && *card)
			cb_json_enter(c, "card");
		return ret;
	}
	src = json_object_get(o, "source");
	if (json_is_object(src) &&
	    cb_streq_ci(json_string_value(json_object_get(src, "object")), "card")) {
		*card = src;
		cb_json_enter(c, "source");
		return 0;
	}
	if (!(ret = cb_json_object(c, o, "card", card)) && *card)
		cb_json_enter(c, "card");
	return ret;
}

/*
 * last4 goes through cb_card_last4 even when Stripe named it last4: a
 * hand-made export may hold a whole number there, or in "number".
 */
static int card_fields(struct cb_json_ctx *c, const json_t *o, struct cb_charge *ch)
{
	const char *last4 = NULL, *number = NULL;
	json_t *card, *wallet = NULL;
	int64_t month, year;
	size_t mark = c->plen;
	int ret;

	ret = find_card(c, o, &card);
	if (ret || !card)
		goto out;
	if ((ret = cb_json_str(c, card, "brand", &ch->card_brand)) ||
	    (ret = cb_json_str(c, card, "last4", &last4)) ||
	    (ret = cb_json_id(c, card, "number", &number)) ||
	    (ret = cb_json_str(c, card, "fingerprint", &ch->card_fingerprint)) ||
	    (ret = cb_json_str(c, card, "country", &ch->card_country)) ||
	    (ret = cb_json_str(c, card, "funding", &ch->card_funding)) ||
	    (ret = cb_json_int(c, card, "exp_month", 0, &month)) ||
	    (ret = cb_json_int(c, card, "exp_year", 0, &year)) ||
	    (ret = card_checks(c, card, ch)) || (ret = card_3ds(c, card, ch)) ||
	    (ret = cb_json_object(c, card, "wallet", &wallet)))
		goto out;
	ch->card_last4 = cb_json_last4(c, last4 ? last4 : number);
	if (month < 0 || month > 12) {
		ret = cb_json_fail(c, "exp_month", "%lld is not a month", (long long)month);
		goto out;
	}
	ch->card_exp_month = (int)month;
	ch->card_exp_year = year > 0 && year < 10000 ? (int)year : 0;
	if (wallet) {
		cb_json_enter(c, "wallet");
		ret = cb_json_str(c, wallet, "type", &ch->wallet);
	}
out:
	cb_json_leave(c, mark);
	return ret;
}

static int outcome_fields(struct cb_json_ctx *c, const json_t *o, struct cb_charge *ch)
{
	const char *seller_message;
	int64_t score;
	json_t *oc;
	size_t mark;
	int ret;

	ret = cb_json_object(c, o, "outcome", &oc);
	if (ret || !oc)
		return ret;
	mark = cb_json_enter(c, "outcome");
	if (!(ret = cb_json_str(c, oc, "risk_level", &ch->risk_level)) &&
	    !(ret = cb_json_int(c, oc, "risk_score", -1, &score)) &&
	    !(ret = cb_json_str(c, oc, "network_status", &ch->network_status)) &&
	    !(ret = cb_json_str(c, oc, "type", &ch->outcome_type)) &&
	    !(ret = cb_json_str(c, oc, "seller_message", &seller_message))) {
		if (score < -1 || score > 100)
			ret = cb_json_fail(c, "risk_score", "%lld is not a score from 0 to 100",
					   (long long)score);
		ch->risk_score = (int)score;
		ch->seller_message = cb_json_redact(c, seller_message);
	}
	cb_json_leave(c, mark);
	return ret;
}

static int person_fields(struct cb_json_ctx *c, const json_t *o, struct cb_charge *ch)
{
	json_t *bd, *sh;
	size_t mark;
	int ret;

	ret = cb_json_object(c, o, "billing_details", &bd);
	if (!ret && bd) {
		mark = cb_json_enter(c, "billing_details");
		if (!(ret = cb_json_str(c, bd, "email", &ch->email)) &&
		    !(ret = cb_json_str(c, bd, "name", &ch->billing.name)) &&
		    !(ret = cb_json_str(c, bd, "phone", &ch->billing.phone)))
			ret = address(c, bd, "address", &ch->billing);
		cb_json_leave(c, mark);
	}
	if (!ret)
		ret = cb_json_object(c, o, "shipping", &sh);
	if (!ret && sh) {
		mark = cb_json_enter(c, "shipping");
		if (!(ret = cb_json_str(c, sh, "name", &ch->shipping_addr.name)) &&
		    !(ret = cb_json_str(c, sh, "phone", &ch->shipping_addr.phone)) &&
		    !(ret = cb_json_str(c, sh, "carrier", &ch->shipping_carrier)) &&
		    !(ret = cb_json_str(c, sh, "tracking_number", &ch->shipping_tracking)))
			ret = address(c, sh, "address", &ch->shipping_addr);
		cb_json_leave(c, mark);
	}
	if (!ret)
		ret = cb_json_str(c, o, "receipt_email", &ch->receipt_email);
	if (!ret && !ch->email)
		ch->email = ch->receipt_email;
	ch->customer_name = ch->billing.name ? ch->billing.name : ch->shipping_addr.name;
	return ret;
}

static int put_refund(struct cb_json_ctx *c, const json_t *o, const char *charge_id)
{
	struct cb_refund r;
	int ret;

	cb_refund_blank(&r);
	r.gateway = "stripe";
	if ((ret = cb_json_str(c, o, "id", &r.gateway_id)) ||
	    (ret = expandable_id(c, o, "charge", &r.charge_ref)) ||
	    (ret = cb_json_int(c, o, "amount", CB_NO_AMOUNT, &r.amount)) ||
	    (ret = cb_json_currency(c, o, "currency", &r.currency)) ||
	    (ret = cb_json_epoch(c, o, "created", &r.created_at)) ||
	    (ret = cb_json_str(c, o, "status", &r.status)) ||
	    (ret = cb_json_str(c, o, "reason", &r.reason)))
		return ret;
	if (cb_empty(r.gateway_id))
		return cb_json_fail(c, "id", "missing refund id");
	if (!r.charge_ref)
		r.charge_ref = charge_id;
	return cb_json_put_refund(c, &r);
}

/* charge.refunds: a list envelope, or a bare array in old API versions. */
static int charge_refunds(struct cb_json_ctx *c, const json_t *o, const char *charge_id)
{
	json_t *v = json_object_get(o, "refunds"), *arr = NULL;
	size_t mark, m2, i;
	int ret = 0;

	if (!v || json_is_null(v))
		return 0;
	mark = cb_json_enter(c, "refunds");
	if (json_is_array(v))
		arr = v, cb_json_leave(c, mark);
	else if (json_is_object(v))
		ret = cb_json_array(c, v, "data", &arr);
	else
		ret = cb_json_fail(c, NULL, "expected a list of refunds");
	if (!ret && arr && json_is_object(v))
		cb_json_enter(c, "data");
	for (i = 0; !ret && arr && i < json_array_size(arr); i++) {
		m2 = cb_json_enter_index(c, i);
		if (!json_is_object(json_array_get(arr, i)))
			ret = cb_json_fail(c, NULL, "expected a refund object");
		else
			ret = put_refund(c, json_array_get(arr, i), charge_id);
		cb_json_leave(c, m2);
	}
	cb_json_leave(c, mark);
	return ret;
}

/*
 * The shipping block with a carrier and a tracking number is a shipment of
 * its own. A number without a carrier stays on the charge only: shipments
 * are keyed by carrier and number.
 */
static int charge_shipment(struct cb_json_ctx *c, const struct cb_charge *ch)
{
	struct cb_shipment s;

	if (cb_empty(ch->shipping_tracking) || cb_empty(ch->shipping_carrier))
		return 0;
	cb_shipment_blank(&s);
	s.carrier = ch->shipping_carrier;
	s.tracking_number = ch->shipping_tracking;
	s.order_ref = ch->order_ref;
	s.to = ch->shipping_addr;
	s.source = "stripe";
	return cb_json_put_shipment(c, &s);
}

static int put_charge(struct cb_json_ctx *c, const json_t *o, const char **id_out,
		      const char **order_out)
{
	const char *description;
	struct cb_charge ch;
	int ret;

	cb_charge_blank(&ch);
	ch.gateway = "stripe";
	if ((ret = cb_json_str(c, o, "id", &ch.gateway_id)) ||
	    (ret = expandable_id(c, o, "payment_intent", &ch.payment_intent)) ||
	    (ret = expandable_id(c, o, "customer", &ch.customer_ref)) ||
	    (ret = cb_json_int(c, o, "amount", CB_NO_AMOUNT, &ch.amount)) ||
	    (ret = cb_json_int(c, o, "amount_refunded", CB_NO_AMOUNT, &ch.amount_refunded)) ||
	    (ret = cb_json_currency(c, o, "currency", &ch.currency)) ||
	    (ret = cb_json_epoch(c, o, "created", &ch.created_at)) ||
	    (ret = cb_json_str(c, o, "status", &ch.status)) ||
	    (ret = cb_json_str(c, o, "description", &description)) ||
	    (ret = cb_json_str(c, o, "receipt_number", &ch.receipt_number)) ||
	    (ret = person_fields(c, o, &ch)) || (ret = card_fields(c, o, &ch)) ||
	    (ret = outcome_fields(c, o, &ch)) ||
	    (ret = metadata_fields(c, o, &ch.order_ref, &ch.ip, &ch.device_id, &ch.metadata_json)))
		return ret;
	if (cb_empty(ch.gateway_id))
		return cb_json_fail(c, "id", "missing charge id");
	ch.description = cb_json_redact(c, description);
	if ((ret = cb_json_put_charge(c, &ch)) || (ret = charge_shipment(c, &ch)) ||
	    (ret = charge_refunds(c, o, ch.gateway_id)))
		return ret;
	if (id_out)
		*id_out = ch.gateway_id;
	if (order_out)
		*order_out = ch.order_ref;
	return 0;
}

/* SAMPLES.md, "Open statuses". */
static int stripe_is_open(const char *status)
{
	static const char *const closed[] = {
		"under_review", "warning_under_review", "warning_closed", "won", "lost",
		"charge_refunded", "prevented"
	};
	size_t i;

	if (!status)
		return -1;
	if (!strcmp(status, "needs_response") || !strcmp(status, "warning_needs_response"))
		return 1;
	for (i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		if (!strcmp(status, closed[i]))
			return 0;
	return -1;
}

/* payment_method_details.card: the network's reason code and the case type. */
static int dispute_card(struct cb_json_ctx *c, const json_t *o, struct cb_dispute *d)
{
	json_t *pmd, *card;
	const char *brand = NULL;
	size_t mark = c->plen;
	int ret;

	ret = cb_json_object(c, o, "payment_method_details", &pmd);
	if (ret || !pmd)
		return ret;
	cb_json_enter(c, "payment_method_details");
	ret = cb_json_object(c, pmd, "card", &card);
	if (!ret && card) {
		cb_json_enter(c, "card");
		if (!(ret = cb_json_id(c, card, "network_reason_code", &d->network_reason_code)) &&
		    !(ret = cb_json_str(c, card, "case_type", &d->stage)) &&
		    !(ret = cb_json_str(c, card, "network", &d->network)))
			ret = cb_json_str(c, card, "brand", &brand);
		if (!d->network)
			d->network = brand;
	}
	cb_json_leave(c, mark);
	return ret;
}

static int dispute_deadline(struct cb_json_ctx *c, const json_t *o, struct cb_dispute *d)
{
	json_t *ed;
	size_t mark;
	int ret;

	ret = cb_json_object(c, o, "evidence_details", &ed);
	if (ret || !ed)
		return ret;
	mark = cb_json_enter(c, "evidence_details");
	if (!(ret = cb_json_epoch(c, ed, "due_by", &d->due_by)))
		ret = cb_json_str_at(c, ed, "enhanced_eligibility.visa_compelling_evidence_3.status",
				     &d->ce3_status);
	cb_json_leave(c, mark);
	return ret;
}

static int put_dispute(struct cb_json_ctx *c, const json_t *o)
{
	const char *charge_order = NULL;
	struct cb_dispute d;
	json_t *charge;
	size_t mark;
	int ret;

	cb_dispute_blank(&d);
	d.gateway = "stripe";
	if ((ret = cb_json_str(c, o, "id", &d.gateway_id)))
		return ret;
	if (cb_empty(d.gateway_id))
		return cb_json_fail(c, "id", "missing dispute id");
	charge = json_object_get(o, "charge");
	if (charge && json_is_object(charge)) {
		mark = cb_json_enter(c, "charge");
		ret = put_charge(c, charge, &d.charge_ref, &charge_order);
		cb_json_leave(c, mark);
	} else if (charge && !json_is_null(charge) && !json_is_string(charge)) {
		ret = cb_json_fail(c, "charge", "expected a charge id or a charge object");
	} else {
		ret = cb_json_str(c, o, "charge", &d.charge_ref);
	}
	if (ret || (ret = cb_json_int(c, o, "amount", CB_NO_AMOUNT, &d.amount)) ||
	    (ret = cb_json_currency(c, o, "currency", &d.currency)) ||
	    (ret = cb_json_epoch(c, o, "created", &d.opened_at)) ||
	    (ret = cb_json_str(c, o, "reason", &d.gateway_reason)) ||
	    (ret = cb_json_str(c, o, "status", &d.status)) ||
	    (ret = dispute_card(c, o, &d)) || (ret = dispute_deadline(c, o, &d)) ||
	    (!d.network_reason_code &&
	     (ret = cb_json_id(c, o, "network_reason_code", &d.network_reason_code))) ||
	    (ret = metadata_fields(c, o, &d.order_ref, NULL, NULL, NULL)))
		return ret;
	if (d.amount == CB_NO_AMOUNT)
		return cb_json_fail(c, "amount", "missing amount");
	if (!d.currency)
		return cb_json_fail(c, "currency", "missing currency");
	if (!d.order_ref)
		d.order_ref = charge_order;
	d.is_open = stripe_is_open(d.status);
	if (!d.status)
		d.status = "unknown";   /* is_open -1: never assumed open or closed */
	d.reason = cb_reason_name(cb_reason_from_gateway(d.gateway_reason, d.network_reason_code));
	return cb_json_put_dispute(c, &d);
}

/* Objects without "object" (hand-trimmed dumps) are known by their id prefix. */
static const char *kind_from_id(const char *id)
{
	if (!id)
		return NULL;
	if (!strncmp(id, "dp_", 3))
		return "dispute";
	if (!strncmp(id, "ch_", 3) || !strncmp(id, "py_", 3))
		return "charge";
	if (!strncmp(id, "re_", 3) || !strncmp(id, "pyr_", 4))
		return "refund";
	return NULL;
}

static int stripe_items(struct cb_json_ctx *c, const json_t *arr)
{
	size_t i, mark;
	int ret = 0;

	for (i = 0; !ret && i < json_array_size(arr); i++) {
		mark = cb_json_enter_index(c, i);
		ret = stripe_value(c, json_array_get(arr, i));
		cb_json_leave(c, mark);
		cb_json_drop_strings(c);
	}
	return ret;
}

static int stripe_object(struct cb_json_ctx *c, json_t *o)
{
	const char *kind, *id;
	json_t *inner;
	size_t mark;
	int ret;

	if ((ret = cb_json_str(c, o, "object", &kind)) || (ret = cb_json_str(c, o, "id", &id)))
		return ret;
	if (!kind && !(kind = kind_from_id(id)))
		return cb_json_fail(c, NULL, "not a Stripe object (no 'object' key)");
	if (!strcmp(kind, "list") || !strcmp(kind, "search_result")) {
		if ((ret = cb_json_array(c, o, "data", &inner)) || !inner)
			return ret;
		mark = cb_json_enter(c, "data");
		ret = stripe_items(c, inner);
		cb_json_leave(c, mark);
		return ret;
	}
	/* A webhook event carries its object in data.object. */
	if (!strcmp(kind, "event")) {
		inner = json_object_get(json_object_get(o, "data"), "object");
		if (!inner || !json_is_object(inner)) {
			c->st->rows_skipped++;
			return 0;
		}
		mark = cb_json_enter(c, "data.object");
		ret = stripe_object(c, inner);
		cb_json_leave(c, mark);
		return ret;
	}
	if (!strcmp(kind, "dispute"))
		ret = put_dispute(c, o);
	else if (!strcmp(kind, "charge"))
		ret = put_charge(c, o, NULL, NULL);
	else if (!strcmp(kind, "refund"))
		ret = put_refund(c, o, NULL);
	else {
		c->st->rows_skipped++;
		return 0;
	}
	if (!ret)
		c->st->rows_accepted++;
	return ret;
}

static int stripe_value(struct cb_json_ctx *c, json_t *v)
{
	if (json_is_array(v))
		return stripe_items(c, v);
	if (json_is_object(v))
		return stripe_object(c, v);
	return cb_json_fail(c, NULL, "expected a Stripe object, a list or an array");
}

CB_INGEST_FN(cb_ingest_stripe)
{
	return cb_json_run(path, data, len, sink, st, err, stripe_value);
}
