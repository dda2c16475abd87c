#ifndef CBPACK_BATCH_RUNS_H
#define CBPACK_BATCH_RUNS_H

/* Private to src/batch: the run, packet and failure records. */

#include <stdint.h>

struct cb_batch_summary;
struct cb_error;
struct cb_store;

struct runs_packet {
	int64_t dispute_rowid, run_id, bytes, built_at;
	int pages, missing;
	const char *digest, *path, *layout;
};

/* The last good packet of a dispute, as recorded. */
struct runs_last {
	char digest[65];           /* "" when none */
	char *path;                /* NULL when none; free with runs_last_release */
	int64_t bytes;
	int pages, missing;
};

int runs_mark_interrupted(struct cb_store *s, struct cb_error *err);
int runs_start(struct cb_store *s, int64_t now, const char *options, int64_t *run_id,
	       struct cb_error *err);
int runs_finish(struct cb_store *s, const struct cb_batch_summary *sum, int64_t now,
		struct cb_error *err);
/** A run that started but could not go on: status 'failed', with what it got done. */
int runs_fail(struct cb_store *s, const struct cb_batch_summary *sum, int64_t now,
	      struct cb_error *err);
/** The dispute's last good packet (path NULL when none). */
int runs_last_packet(struct cb_store *s, int64_t dispute_rowid, struct runs_last *out,
		     struct cb_error *err);
void runs_last_release(struct runs_last *l);
/** The lock file's path for a store: "<real path of db>.lock". Caller frees. */
char *runs_lock_path(const char *db_path);
int runs_record_packet(struct cb_store *s, const struct runs_packet *pk, struct cb_error *err);
int runs_record_failure(struct cb_store *s, int64_t run_id, int64_t dispute_rowid,
			const char *message, struct cb_error *err);

#endif
