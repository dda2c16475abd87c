#ifndef CBPACK_BATCH_WORKER_H
#define CBPACK_BATCH_WORKER_H

/* Private to src/batch: the queue shared by the workers, and one worker. */

#include <stdint.h>

#include "cbpack/batch.h"

enum task_state { TASK_PENDING = 0, TASK_CLAIMED = 1, TASK_DONE = 2 };

/* In MAP_SHARED memory: workers claim tasks with an atomic counter. */
struct task_queue {
	int64_t next;
	int64_t n;
	struct task {
		int64_t rowid;
		int state;
		int worker;
	} tasks[];
};

/*
 * One result, written by a worker in a single write() (< PIPE_BUF: atomic).
 * A built packet arrives staged: its zip waits unflushed at `tmp_name` in
 * the output folder, and `detail` is its final path. The parent flushes
 * staged zips in groups, moves them into place and records them (batch.c
 * publish); a worker never waits for the disk.
 */
struct result_msg {
	int64_t index;
	int outcome, pages, missing;
	int64_t bytes;
	char dispute_id[128];
	char gateway[32];
	char detail[1536];
	char tmp_name[16];        /* ".tmp-XXXXXX" when staged, else "" */
	char digest[65];          /* the packet's inputs (worker.c inputs_digest) */
	char layout[64];
};

struct worker_args {
	const struct cb_batch_opts *opts;
	struct task_queue *queue;
	int64_t run_id;
	int worker;
	int result_fd;
};

/** Run one worker until the queue is empty; returns a process exit status. */
int worker_main(const struct worker_args *a);

#endif
