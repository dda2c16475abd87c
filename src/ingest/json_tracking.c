/*
 * json_tracking.c: the `easypost` and `aftership` importers. Carrier
 * tracking as the two aggregators return it (docs/formats.md, "easypost",
 * "aftership"): one shipment per tracker plus one tracking event per scan.
 * Two facts carry a not-received dispute and both are derived here with
 * care: the ship date is the first physical scan (a label created or
 * "pre-shipment info sent" is not shipping), and the signer is kept only
 * when it is a person's name, never a phrase such as "Signature not
 * required".
 */
#include <ctype.h>
#include <string.h>

#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "formats.h"
#include "json_util.h"

/* ---- shared ---- */

/*
 * Phrases that turn up in signer fields when nobody signed. Each must start
 * a word; `whole` ones must also end one, so that "Doorley" stays a name.
 */
static const struct {
	const char *phrase;
	int whole;
} not_a_signer[] = {
	{ "signature", 0 }, { "not required", 0 }, { "not requested", 0 }, { "required", 0 },
	{ "requested", 0 }, { "release", 0 }, { "waive", 0 }, { "indirect", 0 },
	{ "not available", 0 }, { "no sig", 0 }, { "left at", 0 }, { "parcel locker", 0 },
	{ "n/a", 1 }, { "na", 1 }, { "none", 1 }, { "null", 1 }, { "unknown", 1 }, { "door", 1 },
	{ "porch", 1 }, { "mailbox", 1 }, { "mail room", 1 }, { "mailroom", 1 },
};

static int has_phrase(const char *low, const char *phrase, int whole)
{
	size_t n = strlen(phrase);
	const char *p;

	for (p = strstr(low, phrase); p; p = strstr(p + 1, phrase))
		if ((p == low || !isalpha((unsigned char)p[-1])) &&
		    (!whole || !isalpha((unsigned char)p[n])))
			return 1;
	return 0;
}

static int real_signer(const char *s)
{
	char low[128];
	size_t i, n, letters = 0;

	if (cb_empty(s))
		return 0;
	n = strlen(s);
	if (n >= sizeof(low))
		return 0;
	for (i = 0; i <= n; i++) {
		low[i] = (char)tolower((unsigned char)s[i]);
		if (isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			letters++;
	}
	if (!letters)
		return 0;
	for (i = 0; i < sizeof(not_a_signer) / sizeof(not_a_signer[0]); i++)
		if (has_phrase(low, not_a_signer[i].phrase, not_a_signer[i].whole))
			return 0;
	return 1;
}

/* A scan that means the parcel was in the carrier's hands. */
static int is_physical(const char *status)
{
	static const char *const physical[] = {
		"in_transit", "out_for_delivery", "available_for_pickup", "delivered",
		"return_to_sender", "failure"
	};
	size_t i;

	for (i = 0; status && i < sizeof(physical) / sizeof(physical[0]); i++)
		if (!strcmp(status, physical[i]))
			return 1;
	return 0;
}

/* Earliest physical scan and earliest delivery, whatever order the list is in. */
static void note_event(struct cb_shipment *s, const char *status, int64_t t)
{
	if (t == CB_NO_TIME)
		return;
	if (is_physical(status) && (s->shipped_at == CB_NO_TIME || t < s->shipped_at))
		s->shipped_at = t;
	if (status && !strcmp(status, "delivered") &&
	    (s->delivered_at == CB_NO_TIME || t < s->delivered_at))
		s->delivered_at = t;
}

/*
 * Walk a list of scans twice: first (emit == 0) to find the ship and
 * delivery dates the shipment needs, then (emit == 1) to send the events,
 * which come after their shipment.
 */
typedef int (*scan_fn)(struct cb_json_ctx *c, const json_t *scan, struct cb_shipment *s,
		       int emit);

static int walk_scans(struct cb_json_ctx *c, const json_t *o, const char *key,
		      struct cb_shipment *s, int emit, scan_fn fn)
{
	json_t *arr;
	size_t mark, m2, i;
	int ret;

	ret = cb_json_array(c, o, key, &arr);
	if (ret || !arr)
		return ret;
	mark = cb_json_enter(c, key);
	for (i = 0; !ret && i < json_array_size(arr); i++) {
		m2 = cb_json_enter_index(c, i);
		if (!json_is_object(json_array_get(arr, i)))
			ret = cb_json_fail(c, NULL, "expected an object");
		else
			ret = fn(c, json_array_get(arr, i), s, emit);
		cb_json_leave(c, m2);
	}
	cb_json_leave(c, mark);
	return ret;
}

static int put_shipment_with_scans(struct cb_json_ctx *c, const json_t *o, const char *key,
				   struct cb_shipment *s, scan_fn fn)
{
	int ret;

	if ((ret = walk_scans(c, o, key, s, 0, fn)) || (ret = cb_json_put_shipment(c, s)) ||
	    (ret = walk_scans(c, o, key, s, 1, fn)))
		return ret;
	c->st->rows_accepted++;
	return 0;
}

/* ---- EasyPost ---- */

static const char *easypost_status(const char *status)
{
	static const char *const known[] = {
		"pre_transit", "in_transit", "out_for_delivery", "available_for_pickup",
		"delivered", "return_to_sender", "failure", "cancelled", "unknown"
	};
	size_t i;

	for (i = 0; status && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(status, known[i]))
			return known[i];
	return "unknown";   /* "error" and anything newer */
}

static int easypost_scan(struct cb_json_ctx *c, const json_t *d, struct cb_shipment *s, int emit)
{
	struct cb_tracking_event e;
	const char *status, *message;
	json_t *loc;
	size_t mark;
	int ret;

	cb_tracking_event_blank(&e);
	if ((ret = cb_json_str(c, d, "status", &status)) ||
	    (ret = cb_json_time(c, d, "datetime", &e.occurred_at, &e.utc_offset_min)) ||
	    (ret = cb_json_str(c, d, "message", &message)) ||
	    (ret = cb_json_object(c, d, "tracking_location", &loc)))
		return ret;
	e.status = easypost_status(status);
	if (!emit) {
		note_event(s, e.status, e.occurred_at);
		return 0;
	}
	if (e.occurred_at == CB_NO_TIME)
		return 0;   /* a scan with no time cannot be placed in the history */
	if (loc) {
		mark = cb_json_enter(c, "tracking_location");
		if (!(ret = cb_json_str(c, loc, "city", &e.city)) &&
		    !(ret = cb_json_str(c, loc, "state", &e.state)) &&
		    !(ret = cb_json_id(c, loc, "zip", &e.postal)))
			ret = cb_json_str(c, loc, "country", &e.country);
		cb_json_leave(c, mark);
		if (ret)
			return ret;
	}
	e.carrier = s->carrier;
	e.tracking_number = s->tracking_number;
	e.message = cb_json_redact(c, message);
	return cb_json_put_tracking_event(c, &e);
}

static int easypost_detail(struct cb_json_ctx *c, const json_t *o, struct cb_shipment *s)
{
	json_t *cd, *dest;
	size_t mark;
	int ret;

	ret = cb_json_object(c, o, "carrier_detail", &cd);
	if (ret || !cd)
		return ret;
	mark = cb_json_enter(c, "carrier_detail");
	if (!(ret = cb_json_str(c, cd, "service", &s->service)) &&
	    !(ret = cb_json_object(c, cd, "destination_tracking_location", &dest)) && dest) {
		cb_json_enter(c, "destination_tracking_location");
		if (!(ret = cb_json_str(c, dest, "city", &s->to.city)) &&
		    !(ret = cb_json_str(c, dest, "state", &s->to.state)) &&
		    !(ret = cb_json_id(c, dest, "zip", &s->to.postal)))
			ret = cb_json_str(c, dest, "country", &s->to.country);
	}
	cb_json_leave(c, mark);
	return ret;
}

static int put_tracker(struct cb_json_ctx *c, const json_t *o)
{
	const char *status, *signer;
	struct cb_shipment s;
	int ret;

	cb_shipment_blank(&s);
	s.source = "easypost";
	if ((ret = cb_json_id(c, o, "tracking_code", &s.tracking_number)))
		return ret;
	if (!s.tracking_number)
		return cb_json_fail(c, "tracking_code", "missing tracking code");
	if ((ret = cb_json_str(c, o, "carrier", &s.carrier)))
		return ret;
	if (cb_empty(s.carrier))
		return cb_json_fail(c, "carrier", "missing carrier");
	if ((ret = cb_json_str(c, o, "status", &status)) ||
	    (ret = cb_json_str(c, o, "signed_by", &signer)) ||
	    (ret = cb_json_time(c, o, "est_delivery_date", &s.est_delivery, NULL)) ||
	    (ret = easypost_detail(c, o, &s)))
		return ret;
	s.status = easypost_status(status);
	s.signed_by = real_signer(signer) ? signer : NULL;
	return put_shipment_with_scans(c, o, "tracking_details", &s, easypost_scan);
}

static int easypost_value(struct cb_json_ctx *c, json_t *v);

static int easypost_items(struct cb_json_ctx *c, const json_t *arr)
{
	size_t i, mark;
	int ret = 0;

	for (i = 0; !ret && i < json_array_size(arr); i++) {
		mark = cb_json_enter_index(c, i);
		ret = easypost_value(c, json_array_get(arr, i));
		cb_json_leave(c, mark);
		cb_json_drop_strings(c);
	}
	return ret;
}

static int easypost_value(struct cb_json_ctx *c, json_t *v)
{
	const char *kind;
	json_t *inner;
	size_t mark;
	int ret;

	if (json_is_array(v))
		return easypost_items(c, v);
	if (!json_is_object(v))
		return cb_json_fail(c, NULL, "expected a tracker, a list or an array");
	if ((ret = cb_json_str(c, v, "object", &kind)))
		return ret;
	if (!kind && json_object_get(v, "trackers")) {
		if ((ret = cb_json_array(c, v, "trackers", &inner)))
			return ret;
		mark = cb_json_enter(c, "trackers");
		ret = easypost_items(c, inner);
		cb_json_leave(c, mark);
		return ret;
	}
	if (cb_streq_ci(kind, "Event")) {
		if ((ret = cb_json_object(c, v, "result", &inner)))
			return ret;
		if (!inner) {
			c->st->rows_skipped++;
			return 0;
		}
		mark = cb_json_enter(c, "result");
		ret = easypost_value(c, inner);
		cb_json_leave(c, mark);
		return ret;
	}
	if (cb_streq_ci(kind, "Tracker") || (!kind && json_object_get(v, "tracking_code")))
		return put_tracker(c, v);
	if (kind) {
		c->st->rows_skipped++;   /* another EasyPost object: a Shipment, a Batch... */
		return 0;
	}
	return cb_json_fail(c, NULL, "not an EasyPost tracker (no 'object' or 'tracking_code')");
}

CB_INGEST_FN(cb_ingest_easypost)
{
	return cb_json_run(path, data, len, sink, st, err, easypost_value);
}

/* ---- AfterShip ---- */

/* formats.md §4c: AfterShip tags onto EasyPost's vocabulary. */
static const char *aftership_status(const char *tag, int returned)
{
	static const struct { const char *tag, *status; } map[] = {
		{ "InfoReceived", "pre_transit" }, { "InTransit", "in_transit" },
		{ "OutForDelivery", "out_for_delivery" }, { "AttemptFail", "failure" },
		{ "Delivered", "delivered" }, { "AvailableForPickup", "available_for_pickup" },
		{ "Pending", "unknown" }, { "Expired", "unknown" },
	};
	size_t i;

	if (cb_streq_ci(tag, "Exception"))
		return returned ? "return_to_sender" : "failure";
	for (i = 0; tag && i < sizeof(map) / sizeof(map[0]); i++)
		if (cb_streq_ci(tag, map[i].tag))
			return map[i].status;
	return "unknown";
}

static int aftership_scan(struct cb_json_ctx *c, const json_t *cp, struct cb_shipment *s,
			  int emit)
{
	struct cb_tracking_event e;
	const char *tag, *message, *location;
	int ret;

	cb_tracking_event_blank(&e);
	if ((ret = cb_json_str(c, cp, "tag", &tag)) ||
	    (ret = cb_json_time(c, cp, "checkpoint_time", &e.occurred_at, &e.utc_offset_min)))
		return ret;
	e.status = aftership_status(tag, !strcmp(s->status, "return_to_sender"));
	if (!emit) {
		note_event(s, e.status, e.occurred_at);
		return 0;
	}
	if (e.occurred_at == CB_NO_TIME)
		return 0;
	if ((ret = cb_json_str(c, cp, "message", &message)) ||
	    (ret = cb_json_str(c, cp, "location", &location)) ||
	    (ret = cb_json_str(c, cp, "city", &e.city)) ||
	    (ret = cb_json_str(c, cp, "state", &e.state)) ||
	    (ret = cb_json_id(c, cp, "zip", &e.postal)) ||
	    (ret = cb_json_str(c, cp, "country_iso3", &e.country)) ||
	    (!e.country && (ret = cb_json_str(c, cp, "country_name", &e.country))))
		return ret;
	if (!e.city && !e.state && !e.postal)
		e.city = location;
	e.carrier = s->carrier;
	e.tracking_number = s->tracking_number;
	e.message = cb_json_redact(c, message);
	return cb_json_put_tracking_event(c, &e);
}

static int put_tracking(struct cb_json_ctx *c, const json_t *o)
{
	const char *tag, *signer, *order_id;
	int64_t pickup, delivery;
	struct cb_shipment s;
	int returned, ret;

	cb_shipment_blank(&s);
	s.source = "aftership";
	if ((ret = cb_json_id(c, o, "tracking_number", &s.tracking_number)))
		return ret;
	if (!s.tracking_number)
		return cb_json_fail(c, "tracking_number", "missing tracking number");
	if ((ret = cb_json_str(c, o, "slug", &s.carrier)))
		return ret;
	if (cb_empty(s.carrier))
		return cb_json_fail(c, "slug", "missing carrier slug");
	if ((ret = cb_json_str(c, o, "tag", &tag)) ||
	    (ret = cb_json_bool(c, o, "return_to_sender", 0, &returned)) ||
	    (ret = cb_json_id(c, o, "order_number", &s.order_ref)) ||
	    (ret = cb_json_id(c, o, "order_id", &order_id)) ||
	    (ret = cb_json_str(c, o, "signed_by", &signer)) ||
	    (ret = cb_json_str(c, o, "shipment_type", &s.service)) ||
	    (ret = cb_json_time(c, o, "expected_delivery", &s.est_delivery, NULL)) ||
	    (ret = cb_json_time(c, o, "shipment_pickup_date", &pickup, NULL)) ||
	    (ret = cb_json_time(c, o, "shipment_delivery_date", &delivery, NULL)) ||
	    (ret = cb_json_str(c, o, "customer_name", &s.to.name)) ||
	    (ret = cb_json_id(c, o, "tracking_postal_code", &s.to.postal)) ||
	    (ret = cb_json_str(c, o, "destination_country_iso3", &s.to.country)))
		return ret;
	if (!s.order_ref)
		s.order_ref = order_id;
	s.status = aftership_status(tag, returned);
	s.signed_by = real_signer(signer) ? signer : NULL;
	if ((ret = walk_scans(c, o, "checkpoints", &s, 0, aftership_scan)))
		return ret;
	/* Without checkpoints, the carrier's own pickup and delivery dates stand in. */
	if (s.shipped_at == CB_NO_TIME)
		s.shipped_at = pickup;
	if (s.delivered_at == CB_NO_TIME && !strcmp(s.status, "delivered"))
		s.delivered_at = delivery;
	if ((ret = cb_json_put_shipment(c, &s)) ||
	    (ret = walk_scans(c, o, "checkpoints", &s, 1, aftership_scan)))
		return ret;
	c->st->rows_accepted++;
	return 0;
}

static int aftership_value(struct cb_json_ctx *c, json_t *v);

static int aftership_items(struct cb_json_ctx *c, const json_t *arr)
{
	size_t i, mark;
	int ret = 0;

	for (i = 0; !ret && i < json_array_size(arr); i++) {
		mark = cb_json_enter_index(c, i);
		ret = aftership_value(c, json_array_get(arr, i));
		cb_json_leave(c, mark);
		cb_json_drop_strings(c);
	}
	return ret;
}

static int aftership_value(struct cb_json_ctx *c, json_t *v)
{
	json_t *data, *inner;
	size_t mark, m2;
	int ret;

	if (json_is_array(v))
		return aftership_items(c, v);
	if (!json_is_object(v))
		return cb_json_fail(c, NULL, "expected a tracking, a response or an array");
	if (json_object_get(v, "tracking_number"))
		return put_tracking(c, v);
	if ((ret = cb_json_object(c, v, "data", &data)))
		return ret;
	if (!data)
		return cb_json_fail(c, NULL, "not an AfterShip response (no 'data' or 'tracking_number')");
	mark = cb_json_enter(c, "data");
	if (!(ret = cb_json_object(c, data, "tracking", &inner)) && inner) {
		m2 = cb_json_enter(c, "tracking");
		ret = put_tracking(c, inner);
		cb_json_leave(c, m2);
	} else if (!ret && !(ret = cb_json_array(c, data, "trackings", &inner)) && inner) {
		m2 = cb_json_enter(c, "trackings");
		ret = aftership_items(c, inner);
		cb_json_leave(c, m2);
	} else if (!ret) {
		ret = cb_json_fail(c, NULL, "no 'tracking' or 'trackings'");
	}
	cb_json_leave(c, mark);
	return ret;
}

CB_INGEST_FN(cb_ingest_aftership)
{
	return cb_json_run(path, data, len, sink, st, err, aftership_value);
}
