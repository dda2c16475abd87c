/*
 * worker.c: one batch worker process. It has its own store connection,
 * renderer and layouts, claims disputes from the shared queue, builds each
 * with the same code path as `cbpack build` (staged: cb_bundle_stage), and
 * reports every outcome to the parent over a pipe; the parent publishes.
 */
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbpack/bundle.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/hash.h"
#include "cbpack/layout.h"
#include "cbpack/render.h"
#include "cbpack/store.h"
#include "cbpack/timeutil.h"
#include "cbpack/version.h"
#include "runs.h"
#include "worker.h"

#define MAX_LAYOUTS 16

struct worker {
	const struct worker_args *a;
	struct cb_store *store;
	struct cb_evidence_reader *reader;
	struct cb_renderer *renderer;
	struct cb_layout *layouts[MAX_LAYOUTS];
	size_t n_layouts;
};

static struct cb_layout *cached_layout(struct worker *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->n_layouts; i++)
		if (!strcmp(cb_layout_name(w->layouts[i]), name))
			return w->layouts[i];
	return NULL;
}

/* The dispute's layout: --layout, else the gateway's own, else generic. */
static int layout_for(struct worker *w, const char *gateway, struct cb_layout **out,
		      struct cb_error *err)
{
	const char *want = w->a->opts->layout;
	struct cb_layout *l;
	int ret;

	if (!want)
		want = cb_layout_exists(gateway) ? gateway : "generic";
	l = cached_layout(w, want);
	if (!l) {
		ret = cb_layout_open(&l, want, err);
		if (ret)
			return ret;
		if (w->n_layouts == MAX_LAYOUTS) {
			cb_layout_free(l);
			return cb_error_set(err, CB_ERROR, "too many layouts in one batch");
		}
		w->layouts[w->n_layouts++] = l;
	}
	*out = l;
	return 0;
}

/* What a packet was made from: its data, the layout, and this cbpack. */
static void inputs_digest(const struct cb_packet *p, const struct cb_layout *l, char out[65])
{
	struct cb_sha256 h;
	char pd[65];

	cb_packet_digest(p, pd);
	cb_sha256_init(&h);
	cb_sha256_update(&h, pd, 64);
	cb_sha256_update(&h, cb_layout_digest(l), 64);
	cb_sha256_update(&h, CB_VERSION, sizeof(CB_VERSION));
	cb_sha256_update(&h, cb_layout_name(l), strlen(cb_layout_name(l)));
	cb_sha256_hex(&h, out);
}

/* Unchanged: same inputs as the last good packet, and that packet is still
 * where it was put, whole (its size as recorded; a truncated or replaced zip
 * is rebuilt). 1 when unchanged, 0 when it must be built, < 0 on error. */
static int unchanged(struct worker *w, const struct cb_packet *p, const char *digest,
		     struct result_msg *m, struct cb_error *err)
{
	struct runs_last last;
	struct stat st;
	char want[4096], name[256];
	int ret, same;

	if (w->a->opts->force)
		return 0;
	ret = runs_last_packet(w->store, p->dispute_rowid, &last, err);
	if (ret)
		return ret;
	cb_bundle_file_name(name, sizeof(name), p->dispute_id);
	snprintf(want, sizeof(want), "%s/%s", w->a->opts->out_dir, name);
	same = last.path && !strcmp(last.digest, digest) && !strcmp(last.path, want) &&
	       stat(last.path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == last.bytes;
	if (same) {
		m->outcome = CB_BATCH_UNCHANGED;
		m->bytes = last.bytes;
		m->pages = last.pages;
		m->missing = last.missing;
		snprintf(m->detail, sizeof(m->detail), "%s", last.path);
	}
	runs_last_release(&last);
	return same;
}

/* Build task `rowid`: 0 staged (m says where) or unchanged, < 0 on error. */
static int build_one(struct worker *w, int64_t rowid, struct result_msg *m, struct cb_error *err)
{
	struct cb_bundle_result res;
	struct cb_packet *p = NULL;
	struct cb_layout *l = NULL;
	const char *slash;
	int ret;

	memset(&res, 0, sizeof(res));
	ret = cb_evidence_reader_load(w->reader, rowid, &p, err);
	if (ret)
		goto out;
	snprintf(m->dispute_id, sizeof(m->dispute_id), "%s", p->dispute_id);
	snprintf(m->gateway, sizeof(m->gateway), "%s", p->gateway);
	ret = layout_for(w, p->gateway, &l, err);
	if (ret)
		goto out;
	inputs_digest(p, l, m->digest);
	ret = unchanged(w, p, m->digest, m, err);
	if (ret)
		goto out;   /* 1: unchanged, < 0: error */
	ret = cb_bundle_stage(w->renderer, p, l, w->a->opts->out_dir, &res, err);
	if (ret)
		goto out;
	slash = strrchr(res.tmp_path, '/');
	if (!slash || strlen(slash + 1) >= sizeof(m->tmp_name)) {
		ret = cb_error_set(err, CB_ERROR, "unexpected temp file name '%s'", res.tmp_path);
		goto out;
	}
	m->outcome = CB_BATCH_BUILT;
	m->bytes = res.bytes;
	m->pages = res.pages;
	m->missing = (int)res.missing;
	snprintf(m->detail, sizeof(m->detail), "%s", res.path);
	snprintf(m->tmp_name, sizeof(m->tmp_name), "%s", slash + 1);
	snprintf(m->layout, sizeof(m->layout), "%s", cb_layout_name(l));
	/* The staged file is the parent's from here. */
	free(res.tmp_path);
	res.tmp_path = NULL;
out:
	cb_bundle_result_release(&res);
	cb_packet_free(p);
	return ret > 0 ? 0 : ret;
}

/* The parent relies on each message arriving whole. */
_Static_assert(sizeof(struct result_msg) <= PIPE_BUF, "a result must fit one atomic pipe write");

static void report(struct worker *w, const struct result_msg *m)
{
	ssize_t n = write(w->a->result_fd, m, sizeof(*m));

	(void)n;   /* the parent is gone if this fails; SIGPIPE/PDEATHSIG end us */
}

static void run_task(struct worker *w, int64_t i)
{
	struct cb_error err = CB_ERROR_INIT;
	struct result_msg m;
	struct task *t = &w->a->queue->tasks[i];

	memset(&m, 0, sizeof(m));
	m.index = i;
	if (build_one(w, t->rowid, &m, &err)) {
		m.outcome = CB_BATCH_FAILED;
		m.tmp_name[0] = '\0';
		snprintf(m.detail, sizeof(m.detail), "%s", err.msg);
		runs_record_failure(w->store, w->a->run_id, t->rowid, err.msg, NULL);
	}
	__atomic_store_n(&t->state, TASK_DONE, __ATOMIC_SEQ_CST);
	report(w, &m);
}

/* Could not start (no store, no fonts): every task it claims fails, saying why. */
static void fail_task(struct worker *w, int64_t i, const char *why)
{
	struct task *t = &w->a->queue->tasks[i];
	struct result_msg m;

	memset(&m, 0, sizeof(m));
	m.index = i;
	m.outcome = CB_BATCH_FAILED;
	snprintf(m.detail, sizeof(m.detail), "%s", why);
	if (w->store)
		runs_record_failure(w->store, w->a->run_id, t->rowid, why, NULL);
	__atomic_store_n(&t->state, TASK_DONE, __ATOMIC_SEQ_CST);
	report(w, &m);
}

/*
 * Each packet allocates and frees the same few megabytes (libharu's objects
 * and streams, the zip in memory). With glibc's defaults the freed top of
 * the heap went back to the kernel after every packet and was faulted in and
 * zeroed again for the next: a third of the worker's time was system time.
 * Keeping it (bounded, so RSS stays the size of one packet's work) and
 * serving blocks up to 8 MB from the heap rather than mmap removes that.
 */
static void keep_heap(void)
{
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
}

int worker_main(const struct worker_args *a)
{
	struct cb_error err = CB_ERROR_INIT;
	struct worker w;
	int64_t i;
	size_t k;
	int ret;

	memset(&w, 0, sizeof(w));
	w.a = a;
	keep_heap();
	ret = cb_store_open(&w.store, a->opts->db_path, CB_STORE_SMALL_CACHE, &err);
	if (!ret)
		ret = cb_renderer_new(&w.renderer, NULL, &err);
	if (!ret)
		w.reader = cb_evidence_reader_new(cb_store_db(w.store), cb_store_files_dir(w.store));
	while ((i = __atomic_fetch_add(&a->queue->next, 1, __ATOMIC_SEQ_CST)) < a->queue->n) {
		a->queue->tasks[i].worker = a->worker;
		__atomic_store_n(&a->queue->tasks[i].state, TASK_CLAIMED, __ATOMIC_SEQ_CST);
		if (!ret)
			run_task(&w, i);
		else
			fail_task(&w, i, err.msg);
	}
	for (k = 0; k < w.n_layouts; k++)
		cb_layout_free(w.layouts[k]);
	cb_renderer_free(w.renderer);
	cb_evidence_reader_free(w.reader);
	cb_store_free(w.store);
	return ret ? 1 : 0;
}
