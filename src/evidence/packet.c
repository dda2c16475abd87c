/*
 * packet.c: the packet's lifetime and the column readers every loader uses.
 *
 * The store is trusted to hold redacted text, but a packet is what leaves the
 * machine, so every free-text column is normalised and redacted again here;
 * identifiers are copied untouched because redaction would break them.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "evidence_int.h"

char *ev_text_str(struct cb_packet *p, const char *s)
{
	struct cb_buf nfc = CB_BUF_INIT, out = CB_BUF_INIT;

	if (cb_empty(s))
		return NULL;
	cb_utf8_nfc(&nfc, s, strlen(s));
	p->redactions += cb_redact_text(&out, cb_buf_cstr(&nfc));
	cb_buf_release(&nfc);
	return cb_buf_detach(&out);
}

char *ev_text(struct cb_packet *p, sqlite3_stmt *st, int col)
{
	return ev_text_str(p, (const char *)sqlite3_column_text(st, col));
}

char *ev_ident(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	struct cb_buf out = CB_BUF_INIT;
	size_t len;

	if (cb_empty(s))
		return NULL;
	len = strlen(s);
	if (cb_utf8_valid(s, len, NULL))
		return cb_xstrndup(s, len);
	/* Only broken bytes are replaced; a valid identifier is never altered. */
	cb_utf8_nfc(&out, s, len);
	return cb_buf_detach(&out);
}

int64_t ev_int(sqlite3_stmt *st, int col, int64_t if_null)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return if_null;
	return sqlite3_column_int64(st, col);
}

int64_t ev_time(sqlite3_stmt *st, int col)
{
	return ev_int(st, col, CB_NO_TIME);
}

int64_t ev_amount(sqlite3_stmt *st, int col)
{
	return ev_int(st, col, CB_NO_AMOUNT);
}

int ev_prepare_db(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct cb_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return cb_error_set(err, CB_EDB, "cannot prepare evidence query: %s",
				    sqlite3_errmsg(db));
	return 0;
}

int ev_prepare(struct ev_ctx *c, sqlite3_stmt **st, const char *sql, struct cb_error *err)
{
	struct ev_cache *k = c->cache;
	size_t i;

	if (!k)
		return ev_prepare_db(c->db, st, sql, err);
	for (i = 0; i < k->n; i++)
		if (k->sql[i] == sql) {
			*st = k->st[i];
			return 0;
		}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return cb_error_set(err, CB_EDB, "cannot prepare evidence query: %s",
				    sqlite3_errmsg(c->db));
	if (k->n < EV_CACHE_MAX) {
		k->sql[k->n] = sql;
		k->st[k->n++] = *st;
	}
	return 0;
}

/* A kept statement is reset for its next use; any other is finalized. */
void ev_done(struct ev_ctx *c, sqlite3_stmt *st)
{
	size_t i;

	for (i = 0; c->cache && i < c->cache->n; i++)
		if (c->cache->st[i] == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

void ev_cache_clear(struct ev_cache *cache)
{
	size_t i;

	for (i = 0; i < cache->n; i++)
		sqlite3_finalize(cache->st[i]);
	cache->n = 0;
}

int ev_db_error(sqlite3 *db, struct cb_error *err, const char *what)
{
	return cb_error_set(err, CB_EDB, "cannot read '%s' from the store: %s", what,
			    sqlite3_errmsg(db));
}

static void address_release(struct cb_pk_address *a)
{
	free(a->name);
	free(a->company);
	free(a->line1);
	free(a->line2);
	free(a->city);
	free(a->state);
	free(a->postal);
	free(a->country);
	free(a->phone);
}

static void order_release(struct cb_pk_order *o)
{
	size_t i;

	free(o->order_ref);
	free(o->external_id);
	free(o->source);
	free(o->channel);
	free(o->financial_status);
	free(o->fulfillment_status);
	free(o->currency);
	free(o->discount_code);
	free(o->shipping_method);
	free(o->payment_method);
	free(o->notes);
	address_release(&o->billing);
	address_release(&o->shipping_addr);
	for (i = 0; i < o->n_lines; i++) {
		free(o->lines[i].name);
		free(o->lines[i].sku);
	}
	free(o->lines);
}

static void charge_release(struct cb_pk_charge *c)
{
	free(c->gateway_id);
	free(c->description);
	free(c->status);
	free(c->currency);
	free(c->card_brand);
	free(c->card_last4);
	free(c->card_country);
	free(c->card_funding);
	free(c->wallet);
	free(c->avs_line1);
	free(c->avs_postal);
	free(c->cvc);
	free(c->three_ds_result);
	free(c->three_ds_version);
	free(c->three_ds_flow);
	free(c->risk_level);
	free(c->network_status);
	free(c->seller_message);
	free(c->ip);
	free(c->device_id);
	free(c->receipt_email);
	address_release(&c->billing);
	address_release(&c->shipping_addr);
}

static void messages_free(struct cb_pk_message *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].channel);
		free(m[i].direction);
		free(m[i].author);
		free(m[i].body);
		free(m[i].subject);
	}
	free(m);
}

static void shipments_free(struct cb_pk_shipment *s, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(s[i].carrier);
		free(s[i].tracking_number);
		free(s[i].status);
		free(s[i].service);
		free(s[i].signed_by);
		address_release(&s[i].to);
		for (j = 0; j < s[i].n_events; j++) {
			free(s[i].events[j].status);
			free(s[i].events[j].message);
			free(s[i].events[j].location);
			free(s[i].events[j].postal);
		}
		free(s[i].events);
	}
	free(s);
}

static void attachments_free(struct cb_pk_attachment *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].kind);
		free(a[i].media_type);
		free(a[i].sha256);
		free(a[i].original_name);
		free(a[i].path);
	}
	free(a);
}

static void priors_free(struct cb_pk_prior *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].order_ref);
		free(r[i].charge_id);
		free(r[i].currency);
		free(r[i].matched_on);
		free(r[i].ip);
		free(r[i].device_id);
	}
	free(r);
}

static void refunds_free(struct cb_pk_refund *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].gateway_id);
		free(r[i].status);
		free(r[i].reason);
		free(r[i].currency);
	}
	free(r);
}

static void policies_free(struct cb_pk_policy *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].kind);
		free(r[i].title);
		free(r[i].body);
		free(r[i].disclosure);
	}
	free(r);
}

void cb_packet_free(struct cb_packet *p)
{
	if (!p)
		return;
	free(p->gateway);
	free(p->dispute_id);
	free(p->gateway_reason);
	free(p->network_reason_code);
	free(p->network);
	free(p->status);
	free(p->stage);
	free(p->currency);
	free(p->buyer_statement);
	free(p->customer_name);
	free(p->email);
	free(p->phone);
	free(p->device_id);
	free(p->account_id);
	order_release(&p->order);
	charge_release(&p->charge);
	messages_free(p->messages, p->n_messages);
	shipments_free(p->shipments, p->n_shipments);
	attachments_free(p->attachments, p->n_attachments);
	priors_free(p->priors, p->n_priors);
	refunds_free(p->refunds, p->n_refunds);
	policies_free(p->policies, p->n_policies);
	free(p->facts.purchase_ip);
	free(p);
}
