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

int runs_mark_interrupted(struct cb_store *s, struct cb_error *err);
int runs_start(struct cb_store *s, int64_t now, const char *options, int64_t *run_id,
	       struct cb_error *err);
int runs_finish(struct cb_store *s, const struct cb_batch_summary *sum, int64_t now,
		struct cb_error *err);
/** Digest and path of the dispute's last good packet; "" and NULL when none. Caller frees *path. */
int runs_last_packet(struct cb_store *s, int64_t dispute_rowid, char digest[65], char **path,
		     int *missing, struct cb_error *err);
int runs_record_packet(struct cb_store *s, const struct runs_packet *pk, struct cb_error *err);
int runs_record_failure(struct cb_store *s, int64_t run_id, int64_t dispute_rowid,
			const char *message, struct cb_error *err);

#endif
