/*
 * digest.c: one SHA-256 over everything a packet was made from, so batch can
 * tell that a dispute's bundle would come out the same and skip it.
 *
 * The serialisation is canonical: every field in a fixed order, each written
 * as "name:length:bytes" (strings; "name!" for none) or "name=number", so no
 * two different packets can serialise alike. Two things are left out on
 * purpose: the dispute's rowid and the attachments' absolute paths, which
 * say where the store is rather than what it holds (the file's SHA-256 is in).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cbpack/hash.h"
#include "evidence_int.h"

struct dg {
	struct cb_sha256 h;
};

static void dg_str(struct dg *d, const char *name, const char *s)
{
	char head[96];
	int n;

	if (!s)
		n = snprintf(head, sizeof(head), "%s!", name);
	else
		n = snprintf(head, sizeof(head), "%s:%zu:", name, strlen(s));
	cb_sha256_update(&d->h, head, (size_t)n);
	if (s)
		cb_sha256_update(&d->h, s, strlen(s));
}

static void dg_int(struct dg *d, const char *name, int64_t v)
{
	char b[96];
	int n = snprintf(b, sizeof(b), "%s=%" PRId64 ";", name, v);

	cb_sha256_update(&d->h, b, (size_t)n);
}

static void dg_address(struct dg *d, const struct cb_pk_address *a)
{
	dg_str(d, "name", a->name);
	dg_str(d, "company", a->company);
	dg_str(d, "line1", a->line1);
	dg_str(d, "line2", a->line2);
	dg_str(d, "city", a->city);
	dg_str(d, "state", a->state);
	dg_str(d, "postal", a->postal);
	dg_str(d, "country", a->country);
	dg_str(d, "phone", a->phone);
}

static void dg_dispute(struct dg *d, const struct cb_packet *p)
{
	dg_str(d, "gateway", p->gateway);
	dg_str(d, "dispute_id", p->dispute_id);
	dg_str(d, "gateway_reason", p->gateway_reason);
	dg_str(d, "network_reason_code", p->network_reason_code);
	dg_str(d, "network", p->network);
	dg_str(d, "status", p->status);
	dg_str(d, "stage", p->stage);
	dg_str(d, "currency", p->currency);
	dg_str(d, "buyer_statement", p->buyer_statement);
	dg_int(d, "reason", p->reason);
	dg_int(d, "amount", p->amount);
	dg_int(d, "opened_at", p->opened_at);
	dg_int(d, "due_by", p->due_by);
	dg_str(d, "customer_name", p->customer_name);
	dg_str(d, "email", p->email);
	dg_str(d, "phone", p->phone);
	dg_str(d, "device_id", p->device_id);
	dg_str(d, "account_id", p->account_id);
}

static void dg_order(struct dg *d, const struct cb_pk_order *o, bool has)
{
	size_t i;

	dg_int(d, "has_order", has);
	dg_str(d, "order_ref", o->order_ref);
	dg_str(d, "external_id", o->external_id);
	dg_str(d, "source", o->source);
	dg_str(d, "channel", o->channel);
	dg_int(d, "created_at", o->created_at);
	dg_int(d, "paid_at", o->paid_at);
	dg_int(d, "fulfilled_at", o->fulfilled_at);
	dg_int(d, "cancelled_at", o->cancelled_at);
	dg_str(d, "financial_status", o->financial_status);
	dg_str(d, "fulfillment_status", o->fulfillment_status);
	dg_str(d, "currency", o->currency);
	dg_int(d, "subtotal", o->subtotal);
	dg_int(d, "shipping", o->shipping);
	dg_int(d, "taxes", o->taxes);
	dg_int(d, "total", o->total);
	dg_int(d, "discount", o->discount);
	dg_int(d, "refunded", o->refunded);
	dg_str(d, "discount_code", o->discount_code);
	dg_str(d, "shipping_method", o->shipping_method);
	dg_str(d, "payment_method", o->payment_method);
	dg_str(d, "notes", o->notes);
	dg_address(d, &o->billing);
	dg_address(d, &o->shipping_addr);
	dg_int(d, "lines", (int64_t)o->n_lines);
	for (i = 0; i < o->n_lines; i++) {
		dg_str(d, "line.name", o->lines[i].name);
		dg_str(d, "line.sku", o->lines[i].sku);
		dg_int(d, "line.quantity", o->lines[i].quantity);
		dg_int(d, "line.price", o->lines[i].price);
	}
}

static void dg_charge(struct dg *d, const struct cb_pk_charge *c, bool has)
{
	dg_int(d, "has_charge", has);
	dg_str(d, "gateway_id", c->gateway_id);
	dg_str(d, "description", c->description);
	dg_str(d, "status", c->status);
	dg_str(d, "currency", c->currency);
	dg_int(d, "amount", c->amount);
	dg_int(d, "amount_refunded", c->amount_refunded);
	dg_int(d, "created_at", c->created_at);
	dg_str(d, "card_brand", c->card_brand);
	dg_str(d, "card_last4", c->card_last4);
	dg_str(d, "card_country", c->card_country);
	dg_str(d, "card_funding", c->card_funding);
	dg_str(d, "wallet", c->wallet);
	dg_int(d, "card_exp_month", c->card_exp_month);
	dg_int(d, "card_exp_year", c->card_exp_year);
	dg_str(d, "avs_line1", c->avs_line1);
	dg_str(d, "avs_postal", c->avs_postal);
	dg_str(d, "cvc", c->cvc);
	dg_str(d, "three_ds_result", c->three_ds_result);
	dg_str(d, "three_ds_version", c->three_ds_version);
	dg_str(d, "three_ds_flow", c->three_ds_flow);
	dg_str(d, "risk_level", c->risk_level);
	dg_str(d, "network_status", c->network_status);
	dg_str(d, "seller_message", c->seller_message);
	dg_int(d, "risk_score", c->risk_score);
	dg_str(d, "ip", c->ip);
	dg_str(d, "device_id", c->device_id);
	dg_str(d, "receipt_email", c->receipt_email);
	dg_address(d, &c->billing);
	dg_address(d, &c->shipping_addr);
}

static void dg_messages(struct dg *d, const struct cb_packet *p)
{
	size_t i;

	dg_int(d, "messages", (int64_t)p->n_messages);
	for (i = 0; i < p->n_messages; i++) {
		const struct cb_pk_message *m = &p->messages[i];

		dg_int(d, "sent_at", m->sent_at);
		dg_str(d, "channel", m->channel);
		dg_str(d, "direction", m->direction);
		dg_str(d, "author", m->author);
		dg_str(d, "body", m->body);
		dg_str(d, "subject", m->subject);
	}
}

static void dg_shipments(struct dg *d, const struct cb_packet *p)
{
	size_t i, j;

	dg_int(d, "shipments", (int64_t)p->n_shipments);
	for (i = 0; i < p->n_shipments; i++) {
		const struct cb_pk_shipment *s = &p->shipments[i];

		dg_str(d, "carrier", s->carrier);
		dg_str(d, "tracking_number", s->tracking_number);
		dg_str(d, "status", s->status);
		dg_str(d, "service", s->service);
		dg_str(d, "signed_by", s->signed_by);
		dg_int(d, "shipped_at", s->shipped_at);
		dg_int(d, "delivered_at", s->delivered_at);
		dg_address(d, &s->to);
		dg_int(d, "events", (int64_t)s->n_events);
		for (j = 0; j < s->n_events; j++) {
			const struct cb_pk_event *e = &s->events[j];

			dg_int(d, "occurred_at", e->occurred_at);
			dg_int(d, "utc_offset_min", e->utc_offset_min);
			dg_str(d, "status", e->status);
			dg_str(d, "message", e->message);
			dg_str(d, "location", e->location);
			dg_str(d, "postal", e->postal);
			dg_int(d, "is_delivered", e->is_delivered);
		}
	}
}

static void dg_attachments(struct dg *d, const struct cb_packet *p)
{
	size_t i;

	dg_int(d, "attachments", (int64_t)p->n_attachments);
	for (i = 0; i < p->n_attachments; i++) {
		const struct cb_pk_attachment *a = &p->attachments[i];

		dg_str(d, "kind", a->kind);
		dg_str(d, "media_type", a->media_type);
		dg_str(d, "sha256", a->sha256);
		dg_str(d, "original_name", a->original_name);
		dg_int(d, "size", a->size);
	}
}

static void dg_priors(struct dg *d, const struct cb_packet *p)
{
	size_t i;

	dg_int(d, "priors", (int64_t)p->n_priors);
	for (i = 0; i < p->n_priors; i++) {
		const struct cb_pk_prior *r = &p->priors[i];

		dg_str(d, "order_ref", r->order_ref);
		dg_str(d, "charge_id", r->charge_id);
		dg_str(d, "currency", r->currency);
		dg_str(d, "matched_on", r->matched_on);
		dg_int(d, "created_at", r->created_at);
		dg_int(d, "amount", r->amount);
		dg_int(d, "disputed", r->disputed);
		dg_int(d, "days_before", r->days_before);
		dg_int(d, "ce3", r->ce3);
		dg_str(d, "ip", r->ip);
		dg_str(d, "device_id", r->device_id);
	}
}

static void dg_money(struct dg *d, const struct cb_packet *p)
{
	size_t i;

	dg_int(d, "refunds", (int64_t)p->n_refunds);
	for (i = 0; i < p->n_refunds; i++) {
		dg_str(d, "gateway_id", p->refunds[i].gateway_id);
		dg_str(d, "status", p->refunds[i].status);
		dg_str(d, "reason", p->refunds[i].reason);
		dg_str(d, "currency", p->refunds[i].currency);
		dg_int(d, "amount", p->refunds[i].amount);
		dg_int(d, "created_at", p->refunds[i].created_at);
	}
	dg_int(d, "policies", (int64_t)p->n_policies);
	for (i = 0; i < p->n_policies; i++) {
		dg_str(d, "kind", p->policies[i].kind);
		dg_str(d, "title", p->policies[i].title);
		dg_str(d, "body", p->policies[i].body);
		dg_str(d, "disclosure", p->policies[i].disclosure);
	}
}

static void dg_facts(struct dg *d, const struct cb_pk_facts *f)
{
	dg_int(d, "avs_line1_ok", f->avs_line1_ok);
	dg_int(d, "avs_postal_ok", f->avs_postal_ok);
	dg_int(d, "cvc_ok", f->cvc_ok);
	dg_int(d, "three_ds_ok", f->three_ds_ok);
	dg_int(d, "billing_matches_shipping", f->billing_matches_shipping);
	dg_int(d, "delivered_before_dispute", f->delivered_before_dispute);
	dg_int(d, "delivered_to_order_address", f->delivered_to_order_address);
	dg_int(d, "days_order_to_dispute", f->days_order_to_dispute);
	dg_int(d, "delivered_at", f->delivered_at);
	dg_str(d, "purchase_ip", f->purchase_ip);
	dg_int(d, "ce3_prior_matches", f->ce3_prior_matches);
}

void cb_packet_digest(const struct cb_packet *p, char out[65])
{
	struct dg d;

	cb_sha256_init(&d.h);
	cb_sha256_update(&d.h, "cbpack-packet-1;", 16);
	dg_dispute(&d, p);
	dg_order(&d, &p->order, p->has_order);
	dg_charge(&d, &p->charge, p->has_charge);
	dg_messages(&d, p);
	dg_shipments(&d, p);
	dg_attachments(&d, p);
	dg_priors(&d, p);
	dg_money(&d, p);
	dg_facts(&d, &p->facts);
	dg_int(&d, "redactions", (int64_t)p->redactions);
	cb_sha256_hex(&d.h, out);
}
