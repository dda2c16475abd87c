#ifndef CBPACK_EVIDENCE_INT_H
#define CBPACK_EVIDENCE_INT_H

/*
 * Internal to the evidence module: the loaders that fill one part of a
 * packet each, and the helpers they share for turning SQLite columns into
 * packet strings. Text columns go through NFC and redaction once more
 * (ev_text); identifier columns are copied as they are (ev_ident).
 */

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "cbpack/evidence.h"

struct cb_error;

/*
 * Prepared queries kept from packet to packet (struct cb_evidence_reader),
 * by the address of their SQL text: every loader passes a string constant.
 */
#define EV_CACHE_MAX 24
struct ev_cache {
	const char *sql[EV_CACHE_MAX];
	sqlite3_stmt *st[EV_CACHE_MAX];
	size_t n;
};

/* What a loader needs beyond the packet: the links the dispute resolved to. */
struct ev_ctx {
	sqlite3 *db;
	const char *files_dir;
	struct ev_cache *cache;   /* NULL: statements are finalized after use */
	struct cb_packet *p;
	int64_t charge_rowid;     /* 0 when none */
	int64_t order_rowid;      /* 0 when none */
	int64_t customer_rowid;   /* 0 when none */
};

/* Column readers. Empty strings come back as NULL. */
char *ev_text(struct cb_packet *p, sqlite3_stmt *st, int col);
char *ev_ident(sqlite3_stmt *st, int col);
int64_t ev_time(sqlite3_stmt *st, int col);
int64_t ev_amount(sqlite3_stmt *st, int col);
int64_t ev_int(sqlite3_stmt *st, int col, int64_t if_null);

/* A C string through NFC and redaction (for text assembled in C). */
char *ev_text_str(struct cb_packet *p, const char *s);

/* A statement for `sql`, from the cache when there is one; give it back with ev_done. */
int ev_prepare(struct ev_ctx *c, sqlite3_stmt **st, const char *sql, struct cb_error *err);
void ev_done(struct ev_ctx *c, sqlite3_stmt *st);
int ev_prepare_db(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct cb_error *err);
void ev_cache_clear(struct ev_cache *cache);
/* The packet of dispute `rowid`, with or without a statement cache. */
int ev_load(struct cb_packet **out, sqlite3 *db, const char *files_dir, struct ev_cache *cache,
	    int64_t rowid, struct cb_error *err);
/* Fill `err` with the connection's message about reading `what`; returns CB_EDB. */
int ev_db_error(sqlite3 *db, struct cb_error *err, const char *what);

/* Loaders, in the order cb_evidence_load_db runs them. */
int ev_load_dispute(struct ev_ctx *c, int64_t rowid, struct cb_error *err);
int ev_load_charge(struct ev_ctx *c, struct cb_error *err);
int ev_load_order(struct ev_ctx *c, struct cb_error *err);
int ev_load_customer(struct ev_ctx *c, struct cb_error *err);
int ev_load_messages(struct ev_ctx *c, struct cb_error *err);
int ev_load_shipping(struct ev_ctx *c, struct cb_error *err);
int ev_load_attachments(struct ev_ctx *c, struct cb_error *err);
int ev_load_refunds(struct ev_ctx *c, struct cb_error *err);
int ev_load_policies(struct ev_ctx *c, struct cb_error *err);
int ev_load_priors(struct ev_ctx *c, struct cb_error *err);
void ev_compute_facts(struct cb_packet *p);

/* Address comparison on line 1 + postal code, case and white space folded:
 * 1 same, 0 different, -1 when either side lacks one of them. */
int ev_address_same(const char *line1_a, const char *postal_a,
		    const char *line1_b, const char *postal_b);
bool ev_postal_same(const char *a, const char *b);

/* The address to show and compare: the order's, else the charge's. */
const struct cb_pk_address *ev_billing(const struct cb_packet *p);
const struct cb_pk_address *ev_shipping(const struct cb_packet *p);

/* The disputed transaction's time: the charge's, else the order's. */
int64_t ev_purchase_time(const struct cb_packet *p);

/*
 * Visa CE 3.0 test for one prior transaction (domain.md section 6): same
 * card, not disputed, 120-365 whole days before, and at least two of
 * account, address, ip, device matching with ip or device among them.
 */
struct ev_match {
	bool card, email, account, address, ip, device;
};
bool ev_ce3_qualifies(const struct ev_match *m, bool disputed, int64_t days_before);

/* The shipment whose delivery facts.delivered_at is, or NULL. */
const struct cb_pk_shipment *ev_delivered_shipment(const struct cb_packet *p);

/* The first shipment event that is a delivery, or NULL. */
const struct cb_pk_event *ev_delivery_event(const struct cb_pk_shipment *s);

/* Formatting shared by template values and the facts summary. */
struct cb_buf;
void ev_add_money(struct cb_buf *out, int64_t minor, const char *currency);
void ev_add_time(struct cb_buf *out, int64_t t);
void ev_add_date(struct cb_buf *out, int64_t t);
void ev_add_address(struct cb_buf *out, const struct cb_pk_address *a);
void ev_add_three_ds(struct cb_buf *out, const struct cb_pk_charge *c);
/* Append `s` after `sep` when `out` already has text. */
void ev_add_sep(struct cb_buf *out, const char *sep, const char *s);

/* The refunds as one total, NULL currency when there is nothing refunded. */
int64_t ev_refund_total(const struct cb_packet *p, const char **currency);

/* Template values by family (values_*.c); each appends nothing when empty. */
typedef void (*ev_value_fn)(const struct cb_packet *p, struct cb_buf *out);
struct ev_value {
	const char *key;
	ev_value_fn fn;
};
extern const struct ev_value ev_values_dispute[];
extern const struct ev_value ev_values_payment[];
extern const struct ev_value ev_values_shipping[];
extern const struct ev_value ev_values_history[];
void ev_facts_summary(const struct cb_packet *p, struct cb_buf *out);

#endif
