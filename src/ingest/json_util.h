#ifndef CBPACK_INGEST_JSON_UTIL_H
#define CBPACK_INGEST_JSON_UTIL_H

/*
 * Private to src/ingest: what every JSON importer shares. Loading a file
 * that holds one JSON value, an array, or several values (NDJSON); typed
 * getters that name the JSON path of a bad field in their message; the
 * strings a record borrows while it is handed to the sink; and the sink
 * calls themselves.
 *
 * Getters take an object and a key, treat a missing key and null alike
 * (the "absent" value: NULL, CB_NO_AMOUNT, CB_NO_TIME), and fail with
 * CB_EPARSE on a value of the wrong type:
 *     disputes.json: $.data[3].amount: expected an integer
 *     charges.ndjson:3: $.created: expected a Unix time
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cbpack/ingest.h"

struct cb_error;
struct cb_sink;
struct cb_charge;
struct cb_refund;
struct cb_dispute;
struct cb_ticket;
struct cb_message;
struct cb_shipment;
struct cb_tracking_event;

/* The top-level values of a file, with the line each starts on. */
struct cb_json_doc {
	json_t **values;
	long *lines;
	size_t n, alloc;
	int multi;           /* several top-level values (NDJSON): messages give lines */
};

/**
 * Parse `data` (valid UTF-8). One value, or several separated by white
 * space (one per line in NDJSON). A syntax error is "path:line: invalid
 * JSON: <jansson's text> (column N)". `doc` is released on failure.
 */
int cb_json_doc_load(struct cb_json_doc *doc, const char *path, const char *data,
		     size_t len, struct cb_error *err);
void cb_json_doc_release(struct cb_json_doc *doc);

#define CB_JSON_PATH_MAX 256

/* Where an importer is, and what it owns, while it walks one document. */
struct cb_json_ctx {
	const char *file;
	long line;           /* line of the current top-level value, 0 in a one-value file */
	char path[CB_JSON_PATH_MAX];
	size_t plen;
	const struct cb_sink *sink;
	struct cb_ingest_stats *st;
	struct cb_error *err;
	char **owned;        /* strings the current records borrow */
	size_t nowned, aowned;
};

void cb_json_ctx_init(struct cb_json_ctx *c, const char *file, const struct cb_sink *sink,
		      struct cb_ingest_stats *st, struct cb_error *err);
void cb_json_ctx_release(struct cb_json_ctx *c);

/**
 * Load `data` and call `each` on every top-level value with the path set to
 * "$" (and the line, in a file of several values); stops at the first
 * failure. The wrapper every importer's entry point is.
 */
int cb_json_run(const char *path, const char *data, size_t len, const struct cb_sink *sink,
		struct cb_ingest_stats *st, struct cb_error *err,
		int (*each)(struct cb_json_ctx *c, json_t *value));

/* Path bookkeeping: enter returns a mark that leave restores. */
size_t cb_json_enter(struct cb_json_ctx *c, const char *key);
size_t cb_json_enter_index(struct cb_json_ctx *c, size_t i);
void cb_json_leave(struct cb_json_ctx *c, size_t mark);

/**
 * Fail at the current path, or at its `key` member when key is not NULL:
 * "file[:line]: $.path.key: <message>". Returns CB_EPARSE.
 */
int cb_json_fail(struct cb_json_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Strings owned by the context until cb_json_drop_strings(). */
const char *cb_json_keep(struct cb_json_ctx *c, char *s);

/**
 * "a.pdf, b.png": the non-empty string `key` of each object in the array
 * `obj[array]` (PayPal documents, Zendesk attachments), kept in `c`; NULL
 * when there are none.
 */
const char *cb_json_join_names(struct cb_json_ctx *c, const json_t *obj, const char *array,
			       const char *key);
const char *cb_json_printf(struct cb_json_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Free text with card numbers, SSNs and CVVs masked (redact.h); NULL stays NULL. */
const char *cb_json_redact(struct cb_json_ctx *c, const char *text);
/** The last 4 digits of a card-number field, or NULL when it has fewer than 4. */
const char *cb_json_last4(struct cb_json_ctx *c, const char *card_field);
void cb_json_drop_strings(struct cb_json_ctx *c);

/* Typed getters; see the top of this file for absent values. */
int cb_json_str(struct cb_json_ctx *c, const json_t *obj, const char *key, const char **out);
/** An identifier written as a string or an integer (Zendesk ids are numbers). */
int cb_json_id(struct cb_json_ctx *c, const json_t *obj, const char *key, const char **out);
int cb_json_int(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t absent,
		int64_t *out);
int cb_json_bool(struct cb_json_ctx *c, const json_t *obj, const char *key, int absent, int *out);
/** Unix seconds; 0 counts as absent (Stripe's "no deadline"). */
int cb_json_epoch(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t *out);
/** An RFC 3339 string; `offset_min` (may be NULL) gets the offset it was written in. */
int cb_json_time(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t *out,
		 int *offset_min);
int cb_json_object(struct cb_json_ctx *c, const json_t *obj, const char *key, json_t **out);
int cb_json_array(struct cb_json_ctx *c, const json_t *obj, const char *key, json_t **out);
/** An ISO 4217 code in any case, returned upper-case. */
int cb_json_currency(struct cb_json_ctx *c, const json_t *obj, const char *key,
		     const char **out);
/** A {"currency_code": "USD", "value": "96.00"} money object (PayPal). */
int cb_json_money(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t *amount,
		  const char **currency);
/** A string member of a nested object, "a.b.c" walked one dot at a time. */
int cb_json_str_at(struct cb_json_ctx *c, const json_t *obj, const char *dotted,
		   const char **out);

/*
 * Hand a record to the sink (a NULL callback drops it) and count it. A sink
 * failure gets the file and JSON path in front of its message.
 */
int cb_json_put_charge(struct cb_json_ctx *c, const struct cb_charge *r);
int cb_json_put_refund(struct cb_json_ctx *c, const struct cb_refund *r);
int cb_json_put_dispute(struct cb_json_ctx *c, const struct cb_dispute *r);
int cb_json_put_ticket(struct cb_json_ctx *c, const struct cb_ticket *r);
int cb_json_put_message(struct cb_json_ctx *c, const struct cb_message *r);
int cb_json_put_shipment(struct cb_json_ctx *c, const struct cb_shipment *r);
int cb_json_put_tracking_event(struct cb_json_ctx *c, const struct cb_tracking_event *r);

#endif
