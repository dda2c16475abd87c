#ifndef CBPACK_INGEST_ORDERS_WRITER_H
#define CBPACK_INGEST_ORDERS_WRITER_H

/*
 * Private to src/ingest: orders and their lines handed to the sink on a
 * thread of its own, so that reading the next orders (fields, money, dates,
 * redaction) and storing the last ones (SQLite) take two cores. Records go
 * over in batches; each batch keeps the strings its records point to (its
 * scratch) until the writer has stored them. The sink sees the records in
 * the order they were added and only on the writer thread, so the caller
 * must not use the sink between ow_start and ow_finish.
 */

#include "rowmap.h"

struct cb_error;
struct cb_order;
struct cb_order_line;
struct cb_sink;
struct orders_writer;

/** Start the writer thread. `path` names the file in the sink's messages. */
int ow_start(struct orders_writer **out, const struct cb_sink *sink, const char *path,
	     struct cb_error *err);

/** Where the strings of the records about to be added must live. */
struct rm_scratch *ow_scratch(struct orders_writer *w);

/** Copy a record into the batch; `line` is where it starts in the file. */
void ow_add_order(struct orders_writer *w, const struct cb_order *o, long line);
void ow_add_line(struct orders_writer *w, const struct cb_order_line *l, long line);

/**
 * Between two orders: a full batch goes to the writer and a spare one
 * comes back (ow_scratch changes). Fails once the writer has failed; the
 * writer's message is the one ow_finish returns.
 */
int ow_next(struct orders_writer *w, struct cb_error *err);

/**
 * Store what is left, wait for the writer and free `w`. Returns the first
 * failure in file order: the writer's (it failed on a record added before
 * the caller stopped), else `ret` with `err` untouched.
 */
int ow_finish(struct orders_writer *w, int ret, struct cb_error *err);

#endif
