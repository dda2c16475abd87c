#ifndef CBPACK_STORE_H
#define CBPACK_STORE_H

/*
 * The SQLite store: schema (src/store/schema.sql) and forward migrations
 * keyed on PRAGMA user_version, WAL, foreign keys on. One `struct cb_store`
 * per connection; open one per thread or process.
 *
 * Writes come in through a `struct cb_sink` (records.h) inside a transaction
 * the caller opens with cb_store_begin: one transaction per import, so a
 * refused file leaves the database exactly as it was. Upserts are by natural
 * key (docs/formats.md): re-importing a file changes nothing, a newer export
 * of a record overwrites the fields it has and keeps the ones it lacks.
 *
 * Proof files live in the store's file area, `<db>.files/`, under
 * content-addressed names.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbpack/records.h"

struct cb_error;
struct cb_store;
typedef struct sqlite3 sqlite3;

enum cb_store_flags {
	CB_STORE_CREATE = 1 << 0,   /* create the database if missing (cbpack init) */
	CB_STORE_READONLY = 1 << 1,
	/* A 2 MB page cache instead of the 64 MB one imports want: for batch
	 * workers, which read a few rows per packet and must stay small. */
	CB_STORE_SMALL_CACHE = 1 << 2
};

/** The database path from --db, else $CBPACK_DB, else "./cbpack.db". */
const char *cb_store_default_path(const char *from_option);

/**
 * Open (and with CB_STORE_CREATE, create) the store at `path` and bring its
 * schema up to date. Without CB_STORE_CREATE a missing database is
 * CB_ENOTFOUND ("no store at 'x' (run 'cbpack init')"). A database newer
 * than this cbpack is refused. Caller frees with cb_store_free.
 */
int cb_store_open(struct cb_store **out, const char *path, int flags, struct cb_error *err);
void cb_store_free(struct cb_store *s);

/** Schema version of this build, and of an open store. */
int cb_store_schema_version(void);
int cb_store_version(struct cb_store *s);

const char *cb_store_path(const struct cb_store *s);
/** The file area, "<db>.files" (no trailing slash). */
const char *cb_store_files_dir(const struct cb_store *s);

/** The connection, for read queries in evidence and batch. Borrowed. */
sqlite3 *cb_store_db(struct cb_store *s);

int cb_store_begin(struct cb_store *s, struct cb_error *err);
int cb_store_commit(struct cb_store *s, struct cb_error *err);
void cb_store_rollback(struct cb_store *s);

/** A sink writing into `s`; valid while `s` is open. */
void cb_store_sink(struct cb_store *s, struct cb_sink *out);

/**
 * Resolve every unresolved *_ref into its link (dispute -> charge -> order,
 * order -> shipments, conversations -> order, customers). Idempotent; run
 * after each import, inside its transaction.
 */
int cb_store_link(struct cb_store *s, struct cb_error *err);

struct cb_import_log {
	const char *file, *format, *sha256;
	long rows_accepted, rows_rejected;
	int64_t started_at, finished_at;
};
int cb_store_log_import(struct cb_store *s, const struct cb_import_log *log, struct cb_error *err);

/**
 * Copy `file` (PNG, JPEG or PDF, recognised by content, not name) into the
 * file area as files/<ab>/<sha256>.<ext> and record it against an order
 * (owner_kind "order", owner_ref an order number) or a dispute ("dispute",
 * its gateway id). The owner must exist. Attaching the same file twice is a
 * no-op. `kind`: pod, signature, product_photo, receipt, policy, other.
 */
int cb_store_attach(struct cb_store *s, const char *owner_kind, const char *owner_ref,
		    const char *file, const char *kind, struct cb_error *err);

/*
 * Dispute listing for `cbpack list` and `cbpack batch`.
 */
struct cb_dispute_row {
	int64_t id;                 /* rowid */
	char *gateway, *gateway_id, *reason, *status, *currency, *order_ref;
	int64_t amount, opened_at, due_by;
	bool is_open;
};

struct cb_dispute_list {
	struct cb_dispute_row *rows;
	size_t n, alloc;
};

struct cb_list_opts {
	bool open_only;             /* needs a response and deadline not passed */
	int due_within_days;        /* <= 0: any */
	const char *gateway;        /* NULL: any */
	int64_t now;                /* reference time for deadlines */
};

/** Disputes ordered by due date (soonest first, no deadline last). */
int cb_store_list_disputes(struct cb_store *s, const struct cb_list_opts *o,
			   struct cb_dispute_list *out, struct cb_error *err);
void cb_dispute_list_release(struct cb_dispute_list *l);

/** Find a dispute by gateway id (or "gateway:id"); CB_ENOTFOUND names it. */
int cb_store_find_dispute(struct cb_store *s, const char *ref, int64_t *rowid, struct cb_error *err);

#endif
