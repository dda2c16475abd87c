#ifndef CBPACK_BATCH_H
#define CBPACK_BATCH_H

/*
 * The nightly batch: build a fresh bundle for every dispute that needs a
 * response, most urgent deadline first, with N worker processes (each with
 * its own SQLite connection and renderer), skipping disputes whose inputs
 * have not changed since their last good packet. One bad dispute never stops
 * the others. A lock file keeps two batches off the same store; a batch
 * killed at any point leaves no half-written zip, and a rerun finishes the
 * job. Runs are recorded in the store (tables runs, packets,
 * packet_failures). Progress is reported through a callback: this module
 * never prints.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cb_error;

enum cb_batch_outcome { CB_BATCH_BUILT, CB_BATCH_UNCHANGED, CB_BATCH_FAILED };

struct cb_batch_event {
	enum cb_batch_outcome outcome;
	const char *dispute_id, *gateway;
	const char *detail;        /* zip path when built/unchanged, the error when failed */
	int64_t bytes;
	int pages;
	int missing;               /* required evidence kinds missing */
	size_t done, total;
};

struct cb_batch_opts {
	const char *db_path;
	const char *out_dir;
	const char *layout;        /* NULL: each dispute's gateway layout, else generic */
	const char *gateway;       /* NULL: all */
	int jobs;                  /* worker processes; <= 0: number of online CPUs */
	int due_within_days;       /* <= 0: any deadline */
	bool force;                /* rebuild even when unchanged */
	int shard_k, shard_n;      /* build only shard k (1-based) of n; n <= 1: all */
	int64_t now;
	void (*on_event)(void *ctx, const struct cb_batch_event *ev);
	void *ctx;
};

struct cb_batch_summary {
	int64_t run_id;
	size_t selected, built, unchanged, failed;
	size_t missing_evidence;   /* packets built or unchanged that lack required evidence */
	size_t due_48h;            /* selected disputes due within 48 hours */
	int jobs;
	long worker_max_rss_kb;    /* peak RSS of the largest worker */
	double seconds;
};

/**
 * Run a batch. Returns 0 when it ran (check summary->failed), CB_ELOCKED
 * when another batch holds the store's lock, or another CB_E* when it could
 * not run at all.
 */
int cb_batch_run(const struct cb_batch_opts *o, struct cb_batch_summary *summary,
		 struct cb_error *err);

/** Shard (1-based, of n) a dispute id falls in: FNV-1a 64 of "gateway:id". */
int cb_batch_shard_of(const char *gateway, const char *dispute_id, int n);

/*
 * Past runs, newest first, for `cbpack runs`.
 */
struct cb_run_row {
	int64_t id, started_at, finished_at;
	char status[16];
	long selected, built, unchanged, failed, missing_evidence, due_48h;
};

int cb_batch_list_runs(const char *db_path, int limit, struct cb_run_row **rows, size_t *n,
		       struct cb_error *err);

#endif
