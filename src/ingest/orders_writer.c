/*
 * orders_writer.c: the orders importer's records stored on a second thread
 * (orders_writer.h). A fixed set of batches goes round: the reader fills
 * one, sends it on `full`, and takes the next from `spare`; the writer
 * stores each batch it receives and gives it back on `spare`. Both queues
 * can hold every batch, so sending never waits; only an empty queue does.
 * After a failure the writer keeps the batches it receives and closes
 * `spare`, which stops the reader at its next batch.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/chan.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "orders_writer.h"

#define BATCHES 4
#define BATCH_RECORDS 1024

struct record {
	long line;
	bool is_line;
	union {
		struct cb_order order;
		struct cb_order_line item;
	} r;
};

struct batch {
	struct record *recs;
	size_t n, alloc;
	struct rm_scratch scratch;
};

struct orders_writer {
	const struct cb_sink *sink;
	const char *path;
	struct batch batches[BATCHES];
	struct batch *cur;            /* being filled by the reader; NULL once the writer failed */
	struct cb_chan full, spare;
	pthread_t thread;
	int ret;                      /* the writer's; read only after the join */
	struct cb_error err;
};

static int store_batch(struct orders_writer *w, const struct batch *b)
{
	const struct record *rec;
	int ret = 0;

	for (rec = b->recs; rec < b->recs + b->n && !ret; rec++)
		ret = rec->is_line ? w->sink->order_line(w->sink->ctx, &rec->r.item, &w->err)
				   : w->sink->order(w->sink->ctx, &rec->r.order, &w->err);
	if (ret)
		ret = rm_sink_error(&w->err, w->path, (rec - 1)->line, ret);
	return ret;
}

static void *write_batches(void *arg)
{
	struct orders_writer *w = arg;
	struct batch *b;

	while ((b = cb_chan_recv(&w->full))) {
		if (!w->ret)
			w->ret = store_batch(w, b);
		if (w->ret)
			cb_chan_close(&w->spare);
		else
			cb_chan_send(&w->spare, b);
	}
	return NULL;
}

static void free_writer(struct orders_writer *w)
{
	size_t i;

	for (i = 0; i < BATCHES; i++) {
		free(w->batches[i].recs);
		rm_scratch_release(&w->batches[i].scratch);
	}
	cb_chan_destroy(&w->full);
	cb_chan_destroy(&w->spare);
	free(w);
}

int ow_start(struct orders_writer **out, const struct cb_sink *sink, const char *path,
	     struct cb_error *err)
{
	struct orders_writer *w = cb_xcalloc(1, sizeof(*w));
	size_t i;
	int rc, ret;

	*out = NULL;
	w->sink = sink;
	w->path = path;
	w->cur = &w->batches[0];
	if ((ret = cb_chan_init(&w->full, BATCHES, err)) < 0 ||
	    (ret = cb_chan_init(&w->spare, BATCHES, err)) < 0)
		goto fail;
	for (i = 1; i < BATCHES; i++)
		cb_chan_send(&w->spare, &w->batches[i]);
	if ((rc = pthread_create(&w->thread, NULL, write_batches, w)) != 0) {
		ret = cb_error_set(err, CB_ERROR, "%s: cannot start a thread: %s", path,
				   strerror(rc));
		goto fail;
	}
	*out = w;
	return 0;
fail:
	free_writer(w);
	return ret;
}

struct rm_scratch *ow_scratch(struct orders_writer *w)
{
	return &w->cur->scratch;
}

static struct record *add_record(struct orders_writer *w, long line, bool is_line)
{
	struct batch *b = w->cur;
	struct record *rec;

	if (b->n == b->alloc)
		b->recs = cb_xgrow(b->recs, sizeof(*b->recs), b->n + 1, &b->alloc);
	rec = &b->recs[b->n++];
	rec->line = line;
	rec->is_line = is_line;
	return rec;
}

void ow_add_order(struct orders_writer *w, const struct cb_order *o, long line)
{
	add_record(w, line, false)->r.order = *o;
}

void ow_add_line(struct orders_writer *w, const struct cb_order_line *l, long line)
{
	add_record(w, line, true)->r.item = *l;
}

int ow_next(struct orders_writer *w, struct cb_error *err)
{
	if (w->cur->n < BATCH_RECORDS)
		return 0;
	cb_chan_send(&w->full, w->cur);
	w->cur = cb_chan_recv(&w->spare);
	if (!w->cur)
		return cb_error_set(err, CB_ERROR, "%s: the writer stopped", w->path);
	w->cur->n = 0;
	rm_scratch_reset(&w->cur->scratch);
	return 0;
}

int ow_finish(struct orders_writer *w, int ret, struct cb_error *err)
{
	if (w->cur && w->cur->n)
		cb_chan_send(&w->full, w->cur);
	cb_chan_close(&w->full);
	pthread_join(w->thread, NULL);
	if (w->ret) {
		*err = w->err;
		ret = w->ret;
	}
	free_writer(w);
	return ret;
}
