#ifndef CBPACK_INGEST_H
#define CBPACK_INGEST_H

/*
 * Importers: real export formats in, records (records.h) out to a sink.
 * Every importer matches columns and keys by name, ignores unknown ones, and
 * refuses a malformed file with a message naming the file, line (CSV) or
 * JSON path, and field. Free text goes through cb_redact_text and card
 * numbers through cb_card_last4 before a record leaves the importer.
 * docs/formats.md documents each format.
 */

#include <stddef.h>

#include "cbpack/hash.h"

struct cb_error;
struct cb_sink;

struct cb_ingest_stats {
	long rows_accepted;   /* rows / objects turned into records */
	long rows_skipped;    /* rows the format says carry nothing (e.g. Stripe CSV rows with no charge) */
	long records;         /* records sent to the sink */
	char sha256[CB_SHA256_HEX];   /* of the file's bytes, as read (cb_ingest_file) */
};

/*
 * An importer gets the whole file, already checked to be valid UTF-8 and
 * with any BOM removed. `path` is for messages only.
 */
typedef int (*cb_ingest_fn)(const char *path, const char *data, size_t len,
			    const struct cb_sink *sink, struct cb_ingest_stats *st,
			    struct cb_error *err);

struct cb_ingest_format {
	const char *name;      /* as typed on the command line: "stripe", "shopify-orders" */
	const char *summary;   /* one line for --help */
	cb_ingest_fn run;
};

/** The formats, ending with an entry whose name is NULL. */
const struct cb_ingest_format *cb_ingest_formats(void);
const struct cb_ingest_format *cb_ingest_find(const char *name);

/**
 * Read `path`, refuse invalid UTF-8 (naming line and column), drop a UTF-8
 * BOM, and run `fmt` over it. st->sha256 is the digest of the very bytes
 * imported, computed on another thread meanwhile. Nothing reaches the sink
 * if the file cannot be read; on a parse error some records may have, so
 * run this inside a store transaction and roll back on failure.
 */
int cb_ingest_file(const struct cb_ingest_format *fmt, const char *path,
		   const struct cb_sink *sink, struct cb_ingest_stats *st,
		   struct cb_error *err);

/*
 * A list of proof files to attach, as CSV with the columns owner_kind
 * (order|dispute), owner_ref, file, kind. `file` is relative to the list's
 * own directory unless absolute. `fn` is called for each row with the file's
 * path resolved and the row's line number; its error stops the list.
 */
typedef int (*cb_attach_fn)(void *ctx, const char *owner_kind, const char *owner_ref,
			    const char *file, const char *kind, long line, struct cb_error *err);

int cb_ingest_attachment_list(const char *path, cb_attach_fn fn, void *ctx, struct cb_error *err);

#endif
