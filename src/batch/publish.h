#ifndef CBPACK_BATCH_PUBLISH_H
#define CBPACK_BATCH_PUBLISH_H

/*
 * Private to src/batch: the parent's side of staged packets. Workers leave
 * each built zip unflushed at a temp name and report it; the publisher
 * gathers those reports and, for a group at a time, flushes the output
 * folder's file system once, moves each zip into place, and records the
 * packets in one transaction. Only then are they reported built.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "worker.h"

struct cb_store;

#define PUBLISH_MAX 32         /* a group: this many staged packets ... */
#define PUBLISH_SECONDS 0.25   /* ... or the oldest waiting this long */

struct publisher {
	const char *out_dir;
	int64_t run_id;
	struct cb_store *store;    /* NULL: nothing can be recorded, so nothing is published */
	struct result_msg *m;      /* PUBLISH_MAX waiting */
	int64_t *rowid;
	size_t n;
	double since;              /* when the oldest arrived (CLOCK_MONOTONIC) */
};

/* Called for each published or failed packet, in arrival order. */
typedef void (*publish_fn)(void *ctx, const struct result_msg *m);

void publisher_init(struct publisher *p, const char *out_dir, int64_t run_id);
void publisher_release(struct publisher *p);
/* Milliseconds until the waiting group is due (-1: none waiting, 0: now). */
int publisher_wait_ms(const struct publisher *p, double now);
/* Add a staged report; publishes the group when it is full. */
void publisher_add(struct publisher *p, const struct result_msg *m, int64_t rowid, double now,
		   publish_fn fn, void *ctx);
void publisher_flush(struct publisher *p, publish_fn fn, void *ctx);

#endif
