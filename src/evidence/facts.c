/*
 * facts.c: the conclusions a reviewer at the bank looks for first, computed
 * once from the loaded packet so that the summary, the rebuttal letter and
 * `cbpack show` all say the same thing. Every fact is a tri-state: a missing
 * input gives "unknown" (-1), never "no".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

#define DAY 86400

/* Lower-case with runs of white space folded to one space and the ends trimmed. */
static void fold(struct cb_buf *out, const char *s)
{
	bool space = false;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			cb_buf_addc(out, ' ');
		space = false;
		cb_buf_addc(out, (char)tolower((unsigned char)*s));
	}
	cb_buf_adds(out, "");
}

static bool folded_equal(const char *a, const char *b)
{
	struct cb_buf fa = CB_BUF_INIT, fb = CB_BUF_INIT;
	bool eq;

	fold(&fa, a);
	fold(&fb, b);
	eq = !strcmp(cb_buf_cstr(&fa), cb_buf_cstr(&fb));
	cb_buf_release(&fa);
	cb_buf_release(&fb);
	return eq;
}

/* True for a US ZIP or ZIP+4 ("29407", "29407-1234"). */
static bool is_zip(const char *s)
{
	size_t i;

	for (i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return !s[5] || (s[5] == '-' && strlen(s) == 10);
}

bool ev_postal_same(const char *a, const char *b)
{
	if (cb_empty(a) || cb_empty(b))
		return false;
	/* A ZIP+4 on one side and the plain ZIP on the other is the same place. */
	if (is_zip(a) && is_zip(b))
		return !strncmp(a, b, 5);
	return folded_equal(a, b);
}

int ev_address_same(const char *line1_a, const char *postal_a,
		    const char *line1_b, const char *postal_b)
{
	if (cb_empty(line1_a) || cb_empty(postal_a) || cb_empty(line1_b) || cb_empty(postal_b))
		return -1;
	return folded_equal(line1_a, line1_b) && ev_postal_same(postal_a, postal_b);
}

static bool address_known(const struct cb_pk_address *a)
{
	return !cb_empty(a->line1) || !cb_empty(a->postal);
}

const struct cb_pk_address *ev_billing(const struct cb_packet *p)
{
	if (p->has_order && address_known(&p->order.billing))
		return &p->order.billing;
	if (p->has_charge && address_known(&p->charge.billing))
		return &p->charge.billing;
	return NULL;
}

const struct cb_pk_address *ev_shipping(const struct cb_packet *p)
{
	if (p->has_order && address_known(&p->order.shipping_addr))
		return &p->order.shipping_addr;
	if (p->has_charge && address_known(&p->charge.shipping_addr))
		return &p->charge.shipping_addr;
	return NULL;
}

int64_t ev_purchase_time(const struct cb_packet *p)
{
	if (p->has_charge && p->charge.created_at != CB_NO_TIME)
		return p->charge.created_at;
	if (p->has_order)
		return p->order.created_at;
	return CB_NO_TIME;
}

bool ev_ce3_qualifies(const struct ev_match *m, bool disputed, int64_t days_before)
{
	int elements;

	if (!m->card || disputed || days_before < 120 || days_before > 365)
		return false;
	/* The account is the merchant's login id, or the email the customer signs in with. */
	elements = (m->account || m->email) + m->address + m->ip + m->device;
	return elements >= 2 && (m->ip || m->device);
}

/* pass -> 1, fail -> 0, anything else (unavailable, unchecked, absent) -> -1. */
static int check_result(const char *v)
{
	if (cb_empty(v))
		return -1;
	if (!strcasecmp(v, "pass") || !strcasecmp(v, "match") || !strcasecmp(v, "y"))
		return 1;
	if (!strcasecmp(v, "fail") || !strcasecmp(v, "mismatch") || !strcasecmp(v, "n"))
		return 0;
	return -1;
}

static int three_ds_result(const char *v)
{
	if (cb_empty(v))
		return -1;
	if (!strcasecmp(v, "authenticated") || !strcasecmp(v, "attempt_acknowledged"))
		return 1;
	if (!strcasecmp(v, "failed") || !strcasecmp(v, "not_supported") ||
	    !strcasecmp(v, "processing_error") || !strcasecmp(v, "exempted"))
		return 0;
	return -1;
}

/* The first delivery among the shipments, and the scan's postal code. */
static int64_t first_delivery(const struct cb_packet *p, const char **scan_postal)
{
	int64_t best = CB_NO_TIME;
	size_t i;

	*scan_postal = NULL;
	for (i = 0; i < p->n_shipments; i++) {
		const struct cb_pk_shipment *s = &p->shipments[i];
		const struct cb_pk_event *e = ev_delivery_event(s);

		if (s->delivered_at == CB_NO_TIME)
			continue;
		if (best == CB_NO_TIME || s->delivered_at < best) {
			best = s->delivered_at;
			*scan_postal = e ? e->postal : NULL;
		}
	}
	return best;
}

const struct cb_pk_shipment *ev_delivered_shipment(const struct cb_packet *p)
{
	size_t i;

	for (i = 0; i < p->n_shipments; i++)
		if (p->shipments[i].delivered_at != CB_NO_TIME &&
		    p->shipments[i].delivered_at == p->facts.delivered_at)
			return &p->shipments[i];
	return NULL;
}

static void delivery_facts(struct cb_packet *p)
{
	struct cb_pk_facts *f = &p->facts;
	const struct cb_pk_address *ship = ev_shipping(p);
	const char *scan_postal;

	f->delivered_at = first_delivery(p, &scan_postal);
	if (f->delivered_at == CB_NO_TIME)
		f->delivered_before_dispute = p->n_shipments ? 0 : -1;
	else if (p->opened_at != CB_NO_TIME)
		f->delivered_before_dispute = f->delivered_at <= p->opened_at;
	if (!cb_empty(scan_postal) && ship && !cb_empty(ship->postal))
		f->delivered_to_order_address = ev_postal_same(scan_postal, ship->postal);
}

void ev_compute_facts(struct cb_packet *p)
{
	struct cb_pk_facts *f = &p->facts;
	const struct cb_pk_address *bill = ev_billing(p), *ship = ev_shipping(p);
	int64_t ordered = p->has_order && p->order.created_at != CB_NO_TIME
		? p->order.created_at : ev_purchase_time(p);

	if (p->has_charge) {
		f->avs_line1_ok = check_result(p->charge.avs_line1);
		f->avs_postal_ok = check_result(p->charge.avs_postal);
		f->cvc_ok = check_result(p->charge.cvc);
		f->three_ds_ok = three_ds_result(p->charge.three_ds_result);
		/* The charge's IP is what the gateway saw; the order's is the fallback. */
		if (!cb_empty(p->charge.ip)) {
			free(f->purchase_ip);
			f->purchase_ip = cb_xstrdup(p->charge.ip);
		}
	}
	if (bill && ship)
		f->billing_matches_shipping = ev_address_same(bill->line1, bill->postal,
							      ship->line1, ship->postal);
	delivery_facts(p);
	if (ordered != CB_NO_TIME && p->opened_at != CB_NO_TIME && p->opened_at >= ordered)
		f->days_order_to_dispute = (p->opened_at - ordered) / DAY;
}
