/*
 * publish.c: staged packets made durable and recorded, a group at a time
 * (publish.h). One syncfs per group replaces an fsync per zip: a flush of
 * the disk's cache and a journal commit each, which was a third of a
 * packet's wall time on the bench machine. A group that cannot be flushed
 * or recorded fails as a whole, its temp files removed; the next batch
 * builds those disputes again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbpack/buf.h"
#include "cbpack/bundle.h"
#include "cbpack/error.h"
#include "cbpack/store.h"
#include "cbpack/timeutil.h"
#include "publish.h"
#include "runs.h"

void publisher_init(struct publisher *p, const char *out_dir, int64_t run_id)
{
	memset(p, 0, sizeof(*p));
	p->out_dir = out_dir;
	p->run_id = run_id;
	p->m = cb_xcalloc(PUBLISH_MAX, sizeof(*p->m));
	p->rowid = cb_xcalloc(PUBLISH_MAX, sizeof(*p->rowid));
}

void publisher_release(struct publisher *p)
{
	free(p->m);
	free(p->rowid);
	memset(p, 0, sizeof(*p));
}

int publisher_wait_ms(const struct publisher *p, double now)
{
	double left;

	if (!p->n)
		return -1;
	left = p->since + PUBLISH_SECONDS - now;
	return left > 0 ? (int)(left * 1000) + 1 : 0;
}

static void fail(struct result_msg *m, const char *why)
{
	m->outcome = CB_BATCH_FAILED;
	snprintf(m->detail, sizeof(m->detail), "%s", why);
}

/* The final path is made here from the dispute id, not taken from the report. */
static void paths(const struct publisher *p, const struct result_msg *m, struct cb_buf *tmp,
		  struct cb_buf *final)
{
	char name[256];

	cb_bundle_file_name(name, sizeof(name), m->dispute_id);
	cb_buf_reset(tmp);
	cb_buf_reset(final);
	cb_buf_addf(tmp, "%s/%s", p->out_dir, m->tmp_name);
	cb_buf_addf(final, "%s/%s", p->out_dir, name);
}

/* Flush, then move each into place; a zip that fails is removed. */
static void move_all(struct publisher *p)
{
	struct cb_buf tmp = CB_BUF_INIT, final = CB_BUF_INIT;
	struct cb_error err = CB_ERROR_INIT;
	bool synced = p->store && cb_bundle_sync(p->out_dir, &err) == 0;
	size_t k;

	if (!p->store)
		cb_error_set(&err, CB_EDB, "the store could not be opened to record it");
	for (k = 0; k < p->n; k++) {
		struct result_msg *m = &p->m[k];

		paths(p, m, &tmp, &final);
		if (!synced || cb_bundle_commit(tmp.ptr, final.ptr, &err) < 0) {
			unlink(tmp.ptr);
			fail(m, err.msg);
		} else {
			snprintf(m->detail, sizeof(m->detail), "%s", final.ptr);
		}
	}
	cb_buf_release(&tmp);
	cb_buf_release(&final);
}

static void record_all(struct publisher *p)
{
	struct cb_error err = CB_ERROR_INIT;
	struct runs_packet rec;
	bool tx = cb_store_begin(p->store, &err) == 0;
	size_t k;

	for (k = 0; tx && k < p->n; k++) {
		struct result_msg *m = &p->m[k];

		if (m->outcome != CB_BATCH_BUILT)
			continue;
		memset(&rec, 0, sizeof(rec));
		rec.dispute_rowid = p->rowid[k];
		rec.run_id = p->run_id;
		rec.bytes = m->bytes;
		rec.pages = m->pages;
		rec.missing = m->missing;
		rec.built_at = cb_now();
		rec.digest = m->digest;
		rec.path = m->detail;
		rec.layout = m->layout;
		if (runs_record_packet(p->store, &rec, &err) < 0)
			tx = false;
	}
	if (tx && cb_store_commit(p->store, &err) == 0)
		return;
	cb_store_rollback(p->store);
	/* In place but not recorded: the next batch sees no packet and builds again. */
	for (k = 0; k < p->n; k++)
		if (p->m[k].outcome == CB_BATCH_BUILT)
			fail(&p->m[k], err.msg);
}

void publisher_flush(struct publisher *p, publish_fn fn, void *ctx)
{
	size_t k;

	if (!p->n)
		return;
	move_all(p);
	if (p->store)
		record_all(p);
	for (k = 0; k < p->n; k++) {
		if (p->m[k].outcome == CB_BATCH_FAILED && p->store)
			runs_record_failure(p->store, p->run_id, p->rowid[k], p->m[k].detail, NULL);
		fn(ctx, &p->m[k]);
	}
	p->n = 0;
}

void publisher_add(struct publisher *p, const struct result_msg *m, int64_t rowid, double now,
		   publish_fn fn, void *ctx)
{
	if (p->n == 0)
		p->since = now;
	p->m[p->n] = *m;
	p->rowid[p->n++] = rowid;
	if (p->n == PUBLISH_MAX)
		publisher_flush(p, fn, ctx);
}
