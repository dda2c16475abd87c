/*
 * runs.c: the batch's own records in the store — runs, the digest of each
 * dispute's last good packet, and failures. Workers write their packet rows
 * on their own connections; SQLite's WAL and busy timeout serialise them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cbpack/batch.h"
#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/store.h"
#include "runs.h"

static int db_fail(struct cb_store *s, struct cb_error *err, const char *what)
{
	return cb_error_set(err, CB_EDB, "%s: %s: %s", cb_store_path(s), what,
			    sqlite3_errmsg(cb_store_db(s)));
}

/* Prepare, bind int64s in order, step once. */
static int exec_ints(struct cb_store *s, const char *sql, const int64_t *v, int nv,
		     struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int i, rc;

	if (sqlite3_prepare_v2(cb_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "prepare");
	for (i = 0; i < nv; i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(s, err, "write");
	return 0;
}

int runs_mark_interrupted(struct cb_store *s, struct cb_error *err)
{
	return exec_ints(s, "UPDATE runs SET status = 'interrupted' WHERE status = 'running'",
			 NULL, 0, err);
}

int runs_start(struct cb_store *s, int64_t now, const char *options, int64_t *run_id,
	       struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_store_db(s),
			       "INSERT INTO runs (started_at, status, options) VALUES (?, 'running', ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "prepare");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, options, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, err, "record run");
	*run_id = sqlite3_last_insert_rowid(cb_store_db(s));
	return 0;
}

static int end_run(struct cb_store *s, const struct cb_batch_summary *sum, int64_t now,
		   const char *status, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_store_db(s),
			       "UPDATE runs SET finished_at = ?, status = ?, selected = ?, built = ?,"
			       " unchanged = ?, failed = ?, missing_evidence = ?, due_48h = ?"
			       " WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "prepare");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)sum->selected);
	sqlite3_bind_int64(st, 4, (int64_t)sum->built);
	sqlite3_bind_int64(st, 5, (int64_t)sum->unchanged);
	sqlite3_bind_int64(st, 6, (int64_t)sum->failed);
	sqlite3_bind_int64(st, 7, (int64_t)sum->missing_evidence);
	sqlite3_bind_int64(st, 8, (int64_t)sum->due_48h);
	sqlite3_bind_int64(st, 9, sum->run_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, err, "finish run");
}

int runs_finish(struct cb_store *s, const struct cb_batch_summary *sum, int64_t now,
		struct cb_error *err)
{
	return end_run(s, sum, now, sum->failed ? "partial" : "ok", err);
}

int runs_fail(struct cb_store *s, const struct cb_batch_summary *sum, int64_t now,
	      struct cb_error *err)
{
	return end_run(s, sum, now, "failed", err);
}

int runs_last_packet(struct cb_store *s, int64_t dispute_rowid, struct runs_last *out,
		     struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(cb_store_db(s),
			       "SELECT digest, path, bytes, pages, missing FROM packets"
			       " WHERE dispute_id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "prepare");
	sqlite3_bind_int64(st, 1, dispute_rowid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out->digest, sizeof(out->digest), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		out->path = cb_xstrdup((const char *)sqlite3_column_text(st, 1));
		out->bytes = sqlite3_column_int64(st, 2);
		out->pages = sqlite3_column_int(st, 3);
		out->missing = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, err, "read packet");
	return 0;
}

void runs_last_release(struct runs_last *l)
{
	if (!l)
		return;
	free(l->path);
	l->path = NULL;
}

/* The real path, so a store reached through a symlink or another relative
 * path still has one lock. */
char *runs_lock_path(const char *db_path)
{
	struct cb_buf b = CB_BUF_INIT;
	char *real = realpath(db_path, NULL);

	cb_buf_addf(&b, "%s.lock", real ? real : db_path);
	free(real);
	return cb_buf_detach(&b);
}

int runs_record_packet(struct cb_store *s, const struct runs_packet *pk, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_store_db(s),
			       "INSERT OR REPLACE INTO packets (dispute_id, digest, path, layout, bytes,"
			       " pages, missing, run_id, built_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "prepare");
	sqlite3_bind_int64(st, 1, pk->dispute_rowid);
	sqlite3_bind_text(st, 2, pk->digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pk->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, pk->layout, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, pk->bytes);
	sqlite3_bind_int(st, 6, pk->pages);
	sqlite3_bind_int(st, 7, pk->missing);
	sqlite3_bind_int64(st, 8, pk->run_id);
	sqlite3_bind_int64(st, 9, pk->built_at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, err, "record packet");
}

int runs_record_failure(struct cb_store *s, int64_t run_id, int64_t dispute_rowid,
			const char *message, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_store_db(s),
			       "INSERT OR REPLACE INTO packet_failures (run_id, dispute_id, message)"
			       " VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "prepare");
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, dispute_rowid);
	sqlite3_bind_text(st, 3, message, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, err, "record failure");
}

/* Whether a batch holds the store's lock. The probe is a shared lock taken
 * and dropped at once; take_lock() retries briefly, so a batch starting at
 * that very moment is not refused because of it. */
static bool batch_running(const char *db_path)
{
	char *path = runs_lock_path(db_path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool held = false;

	free(path);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		held = errno == EWOULDBLOCK;
	close(fd);
	return held;
}

/* A run still 'running' with no batch holding the lock was killed: it says
 * 'interrupted' now, as the next batch will record. */
static void show_dead_runs(const char *db_path, struct cb_run_row *rows, size_t n)
{
	size_t i;
	int alive = -1;

	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].status, "running"))
			continue;
		if (alive < 0)
			alive = batch_running(db_path);
		if (!alive)
			snprintf(rows[i].status, sizeof(rows[i].status), "interrupted");
	}
}

int cb_batch_list_runs(const char *db_path, int limit, struct cb_run_row **rows, size_t *n,
		       struct cb_error *err)
{
	struct cb_store *s = NULL;
	sqlite3_stmt *st = NULL;
	struct cb_run_row *out = NULL;
	size_t alloc = 0, count = 0;
	int ret, rc;

	*rows = NULL;
	*n = 0;
	ret = cb_store_open(&s, db_path, CB_STORE_READONLY, err);
	if (ret)
		goto out;
	if (sqlite3_prepare_v2(cb_store_db(s),
			       "SELECT id, started_at, coalesce(finished_at, 0), status, selected, built,"
			       " unchanged, failed, missing_evidence, due_48h FROM runs"
			       " ORDER BY id DESC LIMIT ?", -1, &st, NULL) != SQLITE_OK) {
		ret = db_fail(s, err, "prepare");
		goto out;
	}
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_run_row *r;

		out = cb_xgrow(out, sizeof(*out), count + 1, &alloc);
		r = &out[count++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		r->started_at = sqlite3_column_int64(st, 1);
		r->finished_at = sqlite3_column_int64(st, 2);
		snprintf(r->status, sizeof(r->status), "%s", (const char *)sqlite3_column_text(st, 3));
		r->selected = sqlite3_column_int(st, 4);
		r->built = sqlite3_column_int(st, 5);
		r->unchanged = sqlite3_column_int(st, 6);
		r->failed = sqlite3_column_int(st, 7);
		r->missing_evidence = sqlite3_column_int(st, 8);
		r->due_48h = sqlite3_column_int(st, 9);
	}
	if (rc != SQLITE_DONE) {
		ret = db_fail(s, err, "list runs");
		free(out);
		goto out;
	}
	show_dead_runs(db_path, out, count);
	*rows = out;
	*n = count;
out:
	sqlite3_finalize(st);
	cb_store_free(s);
	return ret;
}
