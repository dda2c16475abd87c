/*
 * load_shipping.c: the order's shipments and every carrier scan, oldest
 * first. A shipment is the order's when the store linked it to the order, or
 * when the charge names its tracking number (Stripe's
 * shipping.tracking_number). Both lookups are indexed: batch loads a packet
 * per dispute, so nothing here may scan a table.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

/* "CHARLESTON, SC 29407", with the country only when it is not the US. */
static char *event_location(struct cb_packet *p, sqlite3_stmt *st, int col)
{
	const char *city = (const char *)sqlite3_column_text(st, col);
	const char *state = (const char *)sqlite3_column_text(st, col + 1);
	const char *postal = (const char *)sqlite3_column_text(st, col + 2);
	const char *country = (const char *)sqlite3_column_text(st, col + 3);
	struct cb_buf b = CB_BUF_INIT;
	char *s;

	if (!cb_empty(city))
		cb_buf_adds(&b, city);
	if (!cb_empty(state) || !cb_empty(postal)) {
		if (b.len)
			cb_buf_adds(&b, ", ");
		cb_buf_addf(&b, "%s%s%s", state ? state : "",
			    !cb_empty(state) && !cb_empty(postal) ? " " : "", postal ? postal : "");
	}
	if (!cb_empty(country) && strcasecmp(country, "US") && strcasecmp(country, "USA")) {
		if (b.len)
			cb_buf_adds(&b, ", ");
		cb_buf_adds(&b, country);
	}
	s = ev_text_str(p, cb_buf_cstr(&b));
	cb_buf_release(&b);
	return s;
}

static int load_events(struct ev_ctx *c, struct cb_pk_shipment *s, int64_t shipment_rowid,
		       struct cb_error *err)
{
	static const char sql[] =
		"SELECT occurred_at, utc_offset_min, status, message, city, state, postal, country"
		" FROM tracking_events WHERE shipment_id = ?1 ORDER BY occurred_at, id";
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, shipment_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_pk_event *e;

		s->events = cb_xgrow(s->events, sizeof(*s->events), s->n_events + 1, &alloc);
		e = &s->events[s->n_events++];
		e->occurred_at = ev_time(st, 0);
		e->utc_offset_min = (int)ev_int(st, 1, 0);
		e->status = ev_text(c->p, st, 2);
		e->message = ev_text(c->p, st, 3);
		e->location = event_location(c->p, st, 4);
		e->postal = ev_text(c->p, st, 6);
		e->is_delivered = e->status && !strcasecmp(e->status, "delivered");
		if (e->is_delivered && s->delivered_at == CB_NO_TIME)
			s->delivered_at = e->occurred_at;
	}
	if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "tracking_events");
	ev_done(c, st);
	return ret;
}

static void shipment_from_row(struct cb_packet *p, struct cb_pk_shipment *s, sqlite3_stmt *st)
{
	s->carrier = ev_text(p, st, 1);
	s->tracking_number = ev_ident(st, 2);
	s->status = ev_text(p, st, 3);
	s->service = ev_text(p, st, 4);
	s->shipped_at = ev_time(st, 5);
	s->delivered_at = ev_time(st, 6);
	s->signed_by = ev_text(p, st, 7);
	s->to.name = ev_text(p, st, 8);
	s->to.line1 = ev_text(p, st, 9);
	s->to.line2 = ev_text(p, st, 10);
	s->to.city = ev_text(p, st, 11);
	s->to.state = ev_text(p, st, 12);
	s->to.postal = ev_text(p, st, 13);
	s->to.country = ev_text(p, st, 14);
}

int ev_load_shipping(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT id, carrier, tracking_number, status, service, shipped_at, delivered_at,"
		" signed_by, to_name, to_line1, to_line2, to_city, to_state, to_postal, to_country"
		" FROM shipments s WHERE s.id IN ("
		"  SELECT id FROM shipments WHERE order_id = ?1"
		"  UNION SELECT id FROM shipments WHERE tracking_number ="
		"   (SELECT shipping_tracking FROM charges WHERE id = ?2))"
		" ORDER BY s.shipped_at IS NULL, s.shipped_at, s.id";
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if (!c->order_rowid && !c->charge_rowid)
		return 0;
	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->order_rowid);
	sqlite3_bind_int64(st, 2, c->charge_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_pk_shipment *s;

		p->shipments = cb_xgrow(p->shipments, sizeof(*p->shipments), p->n_shipments + 1,
					&alloc);
		s = &p->shipments[p->n_shipments++];
		memset(s, 0, sizeof(*s));
		shipment_from_row(p, s, st);
		if ((ret = load_events(c, s, sqlite3_column_int64(st, 0), err)) < 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "shipments");
	ev_done(c, st);
	return ret;
}

const struct cb_pk_event *ev_delivery_event(const struct cb_pk_shipment *s)
{
	size_t i;

	for (i = 0; i < s->n_events; i++)
		if (s->events[i].is_delivered)
			return &s->events[i];
	return NULL;
}
