/*
 * values_shipping.c: template values about shipments and delivery
 * (docs/template-keys.md). Several shipments are listed comma-separated,
 * which is how Stripe's shipping_carrier and shipping_tracking_number take
 * them.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static bool listed_before(const struct cb_packet *p, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (p->shipments[j].carrier && !strcasecmp(p->shipments[j].carrier,
							   p->shipments[i].carrier))
			return true;
	return false;
}

static void v_carriers(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i;

	for (i = 0; i < p->n_shipments; i++)
		if (!cb_empty(p->shipments[i].carrier) && !listed_before(p, i))
			ev_add_sep(o, ", ", p->shipments[i].carrier);
}

/* "FedEx" -> "FEDEX", "ups" -> "UPS": the spelling of PayPal's carrier enum. */
static void v_carrier_codes(const struct cb_packet *p, struct cb_buf *o)
{
	const char *c;
	size_t i;

	for (i = 0; i < p->n_shipments; i++) {
		if (cb_empty(p->shipments[i].carrier) || listed_before(p, i))
			continue;
		if (o->len)
			cb_buf_adds(o, ", ");
		for (c = p->shipments[i].carrier; *c; c++)
			cb_buf_addc(o, isalnum((unsigned char)*c) ? (char)toupper((unsigned char)*c)
								 : '_');
	}
}

static void v_tracking(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i;

	for (i = 0; i < p->n_shipments; i++)
		ev_add_sep(o, ", ", p->shipments[i].tracking_number);
}

static void v_ship_date(const struct cb_packet *p, struct cb_buf *o)
{
	int64_t first = CB_NO_TIME;
	size_t i;

	for (i = 0; i < p->n_shipments; i++) {
		int64_t t = p->shipments[i].shipped_at;

		if (t != CB_NO_TIME && (first == CB_NO_TIME || t < first))
			first = t;
	}
	ev_add_date(o, first);
}

static void v_delivered_at(const struct cb_packet *p, struct cb_buf *o)
{
	ev_add_time(o, p->facts.delivered_at);
}

static void v_signed_by(const struct cb_packet *p, struct cb_buf *o)
{
	const struct cb_pk_shipment *d = ev_delivered_shipment(p);
	size_t i;

	if (d && !cb_empty(d->signed_by)) {
		cb_buf_adds(o, d->signed_by);
		return;
	}
	for (i = 0; i < p->n_shipments; i++)
		if (!cb_empty(p->shipments[i].signed_by)) {
			cb_buf_adds(o, p->shipments[i].signed_by);
			return;
		}
}

static void v_delivery_location(const struct cb_packet *p, struct cb_buf *o)
{
	const struct cb_pk_shipment *d = ev_delivered_shipment(p);
	const struct cb_pk_event *e = d ? ev_delivery_event(d) : NULL;

	if (e && !cb_empty(e->location))
		cb_buf_adds(o, e->location);
}

const struct ev_value ev_values_shipping[] = {
	{ "shipping.carrier", v_carriers },
	{ "shipping.carriers", v_carriers },
	{ "shipping.carrier_code", v_carrier_codes },
	{ "shipping.tracking_numbers", v_tracking },
	{ "shipping.date", v_ship_date },
	{ "shipping.delivered_at", v_delivered_at },
	{ "shipping.signed_by", v_signed_by },
	{ "shipping.delivery_location", v_delivery_location },
	{ NULL, NULL }
};
