#ifndef CBPACK_INGEST_ROWMAP_H
#define CBPACK_INGEST_ROWMAP_H

/*
 * Private to src/ingest: turning one row (a CSV row, or an NDJSON object with
 * the same keys) into a record, driven by a table of column specs. Each spec
 * names a column, says how its text is read (identifier, free text to redact,
 * money, time, card number...) and where in the record the value goes. A
 * value that cannot be read is CB_EPARSE with a message naming file, line and
 * column: "orders.csv:7: column 'total': 'abc' is not an amount".
 */

#include <stdbool.h>
#include <stddef.h>

struct cb_error;
struct csv_doc;

enum rm_type {
	RM_STR,          /* identifier or plain value, kept as written (const char *) */
	RM_TEXT,         /* free text a person typed: redacted (const char *) */
	RM_WORD,         /* a status word: lower-case, '_' for ' ' and '-' (const char *) */
	RM_ENUM,         /* lower-cased, one of rm_col.words (const char *) */
	RM_CURRENCY,     /* ISO 4217, upper-cased; money columns use it (const char *) */
	RM_MONEY,        /* decimal major units -> minor units (int64_t) */
	RM_TIME,         /* cb_time_parse shapes -> Unix seconds (int64_t) */
	RM_CARD,         /* card number field -> last 4 digits (const char *) */
	RM_INT,          /* whole number within [lo, hi] (int) */
	RM_COUNT,        /* whole number >= 0 (int64_t) */
	RM_BOOL,         /* true/false, yes/no, 1/0 -> 1/0; empty -1 (int) */
	RM_CHECK,        /* AVS/CVC result: pass|fail|unavailable|unchecked (const char *) */
	RM_ZIP,          /* postal code; one leading apostrophe dropped (const char *) */
	RM_SHIP_STATUS,  /* shipment/tracking status word, normalised (const char *) */
	RM_NONE          /* looked up only; the format's own code reads it (rm_value) */
};

#define RM_REQUIRED 1u   /* the header must have it and no row may leave it empty */

struct rm_col {
	const char *name;           /* column or key; "a|b": b is another name for it */
	enum rm_type type;
	unsigned flags;
	size_t off;                 /* offsetof the field in the record */
	const char *const *words;   /* RM_ENUM: the allowed values, NULL-terminated */
	int lo, hi;                 /* RM_INT: bounds */
};

/* Strings made while reading a row; they live until the next reset. */
struct rm_scratch {
	char **p;
	size_t n, alloc;
};

#define RM_SCRATCH_INIT { NULL, 0, 0 }

/** Keep `owned` until the next reset; returns it. */
char *rm_keep(struct rm_scratch *s, char *owned);
void rm_scratch_reset(struct rm_scratch *s);
void rm_scratch_release(struct rm_scratch *s);

/** Redact free text into the scratch; NULL for NULL or "". */
const char *rm_redact(struct rm_scratch *s, const char *text);

/* One row's values, one per spec; where they came from, for messages. */
struct rm_row {
	const char *path;
	long line;
	const char *what;            /* "column" or "key" */
	const char *const *vals;     /* NULL or "" when absent */
	const char *const *names;    /* each spec's name as written in the file */
	struct rm_scratch *scratch;
};

/**
 * Fill `rec` from `row` by the `n` specs in `cols`. Money is read in the
 * row's RM_CURRENCY value, else in `currency` (may be NULL). With
 * `check_required`, an empty RM_REQUIRED value is an error. `rec` must be
 * blanked by the caller (cb_*_blank); empty values leave their field alone.
 */
int rm_fill(void *rec, const struct rm_col *cols, size_t n, const struct rm_row *row,
	    const char *currency, bool check_required, struct cb_error *err);

/** The value of the spec called `name` (its first name) in `row`, or NULL. */
const char *rm_value(const struct rm_row *row, const struct rm_col *cols, size_t n,
		     const char *name);

/** "path:line: column 'name': <fmt>" for spec `i` of `row`. Returns CB_EPARSE. */
int rm_error(struct cb_error *err, const struct rm_row *row, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** Prefix a message made by a parser with "path:line: column 'name'". */
int rm_error_prefix(struct cb_error *err, const struct rm_row *row, size_t i);

/*
 * CSV binding: the column index of each spec, looked up once in the header.
 * A missing RM_REQUIRED column is "x.csv: missing required column 'total'"
 * (all missing ones are named).
 */
struct rm_csv {
	const struct csv_doc *doc;
	const struct rm_col *cols;
	size_t n;
	int *idx;                    /* column index per spec, -1 absent */
	const char **vals, **names;  /* per spec, refilled by rm_csv_row */
};

int rm_csv_bind(struct rm_csv *b, const struct csv_doc *doc, const struct rm_col *cols,
		size_t n, struct cb_error *err);
/** Point `row` at the values of CSV row `r`; valid until the next call. */
void rm_csv_row(struct rm_row *row, struct rm_csv *b, size_t r, struct rm_scratch *scratch);
void rm_csv_release(struct rm_csv *b);

/*
 * A format whose every row is one record: its specs, how to blank a record,
 * an optional step after the specs (derived fields, cross-field checks) and
 * the sink callback to send it to.
 */
struct cb_sink;
struct cb_ingest_stats;

struct rm_format {
	const struct rm_col *cols;
	size_t n;
	void (*blank)(void *rec);
	int (*finish)(void *rec, const struct rm_row *row, struct cb_error *err);
	int (*emit)(const struct cb_sink *sink, const void *rec, struct cb_error *err);
};

/** Fill, finish and emit one row; a sink error gets the row's "path:line: " prefix. */
int rm_row_import(const struct rm_format *f, const struct rm_row *row,
		  const struct cb_sink *sink, struct cb_ingest_stats *st, struct cb_error *err);

/** Run a one-record-per-row format over a CSV file. Blank rows are skipped. */
int rm_import_csv(const struct rm_format *f, const char *path, const char *data, size_t len,
		  const struct cb_sink *sink, struct cb_ingest_stats *st, struct cb_error *err);

/** Prefix a sink's message with the row's "path:line". Returns err->code. */
int rm_sink_error(struct cb_error *err, const char *path, long line, int code);

#endif
