/*
 * batch.c: the nightly run. The parent takes the store's lock, selects the
 * disputes that need a response (most urgent first, optionally one shard),
 * records the run, forks the workers, and turns their reports into events
 * and a summary. Workers share nothing but a queue in shared memory and a
 * pipe back to the parent; each builds into a temp file, which the parent
 * flushes, renames and records (publish.c), so a SIGKILL at any point leaves
 * whole zips only, and a rerun skips what is done.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "cbpack/batch.h"
#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/store.h"
#include "publish.h"
#include "runs.h"
#include "worker.h"

#define MAX_JOBS 64

struct batch {
	struct cb_batch_opts o;  /* the caller's, with out_dir made absolute */
	struct cb_batch_summary *sum;
	struct cb_store *store;
	struct task_queue *queue;
	size_t queue_bytes;
	char **ids;              /* dispute ids by task index, for crash reports */
	char **gateways;
	bool *reported;          /* parent only: a worker's result arrived for the task */
	size_t done;             /* results emitted */
	struct publisher pub;
	char *out_dir;
	int lock_fd;
	pid_t pids[MAX_JOBS];
	int status[MAX_JOBS];    /* each worker's wait status */
	int n_pids;
};

int cb_batch_shard_of(const char *gateway, const char *dispute_id, int n)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	if (n <= 1)
		return 1;
	for (p = (const unsigned char *)gateway; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ ':') * 1099511628211ULL;
	for (p = (const unsigned char *)dispute_id; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (int)(h % (uint64_t)n) + 1;
}

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* flock, not a pid file: the kernel drops it when the holder and every
 * worker (they inherit it) are gone. */
static int take_lock(struct batch *b, struct cb_error *err)
{
	char *path = runs_lock_path(b->o.db_path);
	int i, ret = 0, saved = 0;

	b->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (b->lock_fd < 0) {
		ret = cb_error_set(err, CB_EIO, "cannot open lock '%s': %s", path, strerror(errno));
		goto out;
	}
	/* A few tries: `cbpack runs` probes the lock for an instant. */
	for (i = 0; i < 10; i++) {
		if (flock(b->lock_fd, LOCK_EX | LOCK_NB) == 0)
			goto out;
		saved = errno;
		if (saved != EWOULDBLOCK)
			break;
		usleep(20000);
	}
	if (saved == EWOULDBLOCK)
		ret = cb_error_set(err, CB_ELOCKED,
				   "another batch is running on '%s' (lock '%s' is held)",
				   b->o.db_path, path);
	else
		ret = cb_error_set(err, CB_EIO, "cannot lock '%s': %s", path, strerror(saved));
out:
	free(path);
	return ret;
}

/* The output folder, created if missing, as an absolute path: the packet
 * records name it, and a rerun from another directory must find the zips. */
static int prepare_out_dir(struct batch *b, struct cb_error *err)
{
	struct stat st;

	if (mkdir(b->o.out_dir, 0700) < 0 && errno != EEXIST)
		return cb_error_set(err, CB_EIO, "cannot create '%s': %s", b->o.out_dir,
				    strerror(errno));
	if (stat(b->o.out_dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return cb_error_set(err, CB_EIO, "'%s' is not a directory", b->o.out_dir);
	b->out_dir = realpath(b->o.out_dir, NULL);
	if (!b->out_dir)
		return cb_error_set(err, CB_EIO, "cannot resolve '%s': %s", b->o.out_dir,
				    strerror(errno));
	b->o.out_dir = b->out_dir;
	return 0;
}

/* Temp files of a batch or build that was killed; we hold the lock. */
static void remove_stale_temps(const char *dir)
{
	struct cb_buf path = CB_BUF_INIT;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, ".tmp-", 5))
			continue;
		cb_buf_reset(&path);
		cb_buf_addf(&path, "%s/%s", dir, e->d_name);
		unlink(cb_buf_cstr(&path));
	}
	closedir(d);
	cb_buf_release(&path);
}

static int select_disputes(struct batch *b, struct cb_error *err)
{
	struct cb_list_opts lo = { true, b->o.due_within_days, b->o.gateway, b->o.now };
	struct cb_dispute_list list = { NULL, 0, 0 };
	size_t i, n = 0;
	int ret;

	ret = cb_store_list_disputes(b->store, &lo, &list, err);
	if (ret)
		return ret;
	b->queue_bytes = sizeof(struct task_queue) + (list.n + 1) * sizeof(struct task);
	b->queue = mmap(NULL, b->queue_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			-1, 0);
	if (b->queue == MAP_FAILED) {
		b->queue = NULL;
		ret = cb_error_set(err, CB_ERROR, "cannot map the task queue: %s", strerror(errno));
		goto out;
	}
	b->ids = cb_xcalloc(list.n + 1, sizeof(char *));
	b->gateways = cb_xcalloc(list.n + 1, sizeof(char *));
	b->reported = cb_xcalloc(list.n + 1, sizeof(bool));
	for (i = 0; i < list.n; i++) {
		const struct cb_dispute_row *r = &list.rows[i];

		if (b->o.shard_n > 1 &&
		    cb_batch_shard_of(r->gateway, r->gateway_id, b->o.shard_n) != b->o.shard_k)
			continue;
		b->queue->tasks[n].rowid = r->id;
		b->queue->tasks[n].worker = -1;
		b->ids[n] = cb_xstrdup(r->gateway_id);
		b->gateways[n] = cb_xstrdup(r->gateway);
		if (r->due_by != INT64_MIN && r->due_by - b->o.now <= 48 * 3600)
			b->sum->due_48h++;
		n++;
	}
	b->queue->n = (int64_t)n;
	b->sum->selected = n;
out:
	cb_dispute_list_release(&list);
	return ret;
}

/* _exit skips LeakSanitizer's check at exit: under ASan a worker runs it
 * itself (LSan prints any leak; a worker with one exits 23). */
static int worker_exit(int status)
{
#if defined(__SANITIZE_ADDRESS__)
	if (__lsan_do_recoverable_leak_check())
		return 23;
#endif
	return status;
}

/* Fewer workers than asked is fine (fork can fail under load); none is not. */
static int start_workers(struct batch *b, int result_fd, struct cb_error *err)
{
	struct worker_args a;
	int i, jobs = b->sum->jobs, saved;
	pid_t parent = getpid(), pid;

	for (i = 0; i < jobs; i++) {
		pid = fork();
		if (pid < 0) {
			saved = errno;
			if (b->n_pids > 0)
				break;
			return cb_error_set(err, CB_ERROR, "cannot start a worker: %s",
					    strerror(saved));
		}
		if (pid == 0) {
			/* Die with the parent: a killed batch leaves no orphan writing zips. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
			a.opts = &b->o;
			a.queue = b->queue;
			a.run_id = b->sum->run_id;
			a.worker = i;
			a.result_fd = result_fd;
			_exit(worker_exit(worker_main(&a)));
		}
		b->pids[b->n_pids++] = pid;
	}
	b->sum->jobs = b->n_pids;
	return 0;
}

static void emit(struct batch *b, const struct result_msg *m)
{
	struct cb_batch_event ev;

	switch (m->outcome) {
	case CB_BATCH_BUILT:
		b->sum->built++;
		break;
	case CB_BATCH_UNCHANGED:
		b->sum->unchanged++;
		break;
	default:
		b->sum->failed++;
	}
	if (m->outcome != CB_BATCH_FAILED && m->missing > 0)
		b->sum->missing_evidence++;
	if (!b->o.on_event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.outcome = (enum cb_batch_outcome)m->outcome;
	ev.dispute_id = m->dispute_id[0] ? m->dispute_id : b->ids[m->index];
	ev.gateway = m->gateway[0] ? m->gateway : b->gateways[m->index];
	ev.detail = m->detail;
	ev.bytes = m->bytes;
	ev.pages = m->pages;
	ev.missing = m->missing;
	ev.done = ++b->done;
	ev.total = b->sum->selected;
	b->o.on_event(b->o.ctx, &ev);
}

static void emit_published(void *ctx, const struct result_msg *m)
{
	emit(ctx, m);
}

/* Read one whole message: 1, or 0 at the end of the pipe. */
static int read_msg(int fd, struct result_msg *m)
{
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(*m)) {
		n = read(fd, (char *)m + got, sizeof(*m) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		got += (size_t)n;
	}
	return 1;
}

static bool valid_msg(const struct batch *b, struct result_msg *m)
{
	if (m->index < 0 || m->index >= b->queue->n || b->reported[m->index] ||
	    m->outcome < CB_BATCH_BUILT || m->outcome > CB_BATCH_FAILED)
		return false;
	m->dispute_id[sizeof(m->dispute_id) - 1] = '\0';
	m->gateway[sizeof(m->gateway) - 1] = '\0';
	m->detail[sizeof(m->detail) - 1] = '\0';
	m->tmp_name[sizeof(m->tmp_name) - 1] = '\0';
	m->digest[sizeof(m->digest) - 1] = '\0';
	m->layout[sizeof(m->layout) - 1] = '\0';
	/* A staged zip must be one of our temp files in the output folder. */
	if (m->tmp_name[0] && (strncmp(m->tmp_name, ".tmp-", 5) || strchr(m->tmp_name, '/')))
		m->tmp_name[0] = '\0';
	if (m->outcome == CB_BATCH_BUILT && !m->tmp_name[0]) {
		m->outcome = CB_BATCH_FAILED;
		snprintf(m->detail, sizeof(m->detail), "the worker's report named no staged zip");
	}
	return true;
}

/*
 * Until every worker has closed its end of the pipe. A message is one
 * write() of less than PIPE_BUF, so it arrives whole or not at all. Built
 * packets wait in the publisher for their group; the wait for the pipe ends
 * when the oldest of them is due.
 */
static void collect_results(struct batch *b, int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	struct result_msg m;
	int ready;

	for (;;) {
		ready = poll(&pfd, 1, publisher_wait_ms(&b->pub, monotonic()));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0) {
			publisher_flush(&b->pub, emit_published, b);
			continue;
		}
		if (!read_msg(fd, &m))
			break;
		if (!valid_msg(b, &m))
			continue;
		b->reported[m.index] = true;
		if (m.outcome == CB_BATCH_BUILT)
			publisher_add(&b->pub, &m, b->queue->tasks[m.index].rowid, monotonic(),
				      emit_published, b);
		else
			emit(b, &m);
	}
	publisher_flush(&b->pub, emit_published, b);
}

static void reap_workers(struct batch *b)
{
	struct rusage ru;
	int i;

	for (i = 0; i < b->n_pids; i++) {
		memset(&ru, 0, sizeof(ru));
		b->status[i] = 0;
		while (wait4(b->pids[i], &b->status[i], 0, &ru) < 0) {
			if (errno != EINTR) {
				b->status[i] = -1;
				break;
			}
		}
		if (ru.ru_maxrss > b->sum->worker_max_rss_kb)
			b->sum->worker_max_rss_kb = ru.ru_maxrss;
	}
}

static void why_lost(const struct batch *b, const struct task *t, char *out, size_t len)
{
	int st;

	if (t->state == TASK_PENDING || t->worker < 0 || t->worker >= b->n_pids) {
		snprintf(out, len, "no worker was left to build it");
		return;
	}
	st = b->status[t->worker];
	if (st != -1 && WIFSIGNALED(st))
		snprintf(out, len, "the worker building it was killed by signal %d (%s)",
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (st != -1 && WIFEXITED(st))
		snprintf(out, len, "the worker building it exited with status %d", WEXITSTATUS(st));
	else
		snprintf(out, len, "the worker building it died");
}

/* Every task whose result never arrived failed: its worker died building it,
 * or before it could say so, or no worker was left to claim it. */
static void report_lost_tasks(struct batch *b)
{
	struct result_msg m;
	int64_t i;

	for (i = 0; i < b->queue->n; i++) {
		if (b->reported[i])
			continue;
		memset(&m, 0, sizeof(m));
		m.index = i;
		m.outcome = CB_BATCH_FAILED;
		why_lost(b, &b->queue->tasks[i], m.detail, sizeof(m.detail));
		runs_record_failure(b->store, b->sum->run_id, b->queue->tasks[i].rowid, m.detail,
				    NULL);
		b->reported[i] = true;
		emit(b, &m);
	}
}

/* SQLite connections must not cross a fork: the parent closes its own while
 * the workers run, and opens it again to record the outcome. */
static int run_workers(struct batch *b, struct cb_error *err)
{
	struct sigaction dfl, old;
	int fds[2], ret;

	if (pipe(fds) < 0)
		return cb_error_set(err, CB_ERROR, "cannot make a pipe: %s", strerror(errno));
	cb_store_free(b->store);
	b->store = NULL;
	/* An inherited SIGCHLD SIG_IGN (some daemons run jobs so) would have the
	 * kernel reap the workers: no exit status, no RSS. */
	sigemptyset(&dfl.sa_mask);
	dfl.sa_flags = 0;
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, &old);
	ret = start_workers(b, fds[1], err);
	close(fds[1]);
	if (!ret) {
		/* Opened after the forks, so no worker shares it; NULL fails what is built. */
		cb_store_open(&b->store, b->o.db_path, CB_STORE_SMALL_CACHE, NULL);
		publisher_init(&b->pub, b->out_dir, b->sum->run_id);
		b->pub.store = b->store;
		collect_results(b, fds[0]);
		publisher_release(&b->pub);
	}
	close(fds[0]);
	reap_workers(b);
	sigaction(SIGCHLD, &old, NULL);
	if (!b->store && !ret)
		ret = cb_store_open(&b->store, b->o.db_path, CB_STORE_SMALL_CACHE, err);
	else if (!b->store)
		cb_store_open(&b->store, b->o.db_path, CB_STORE_SMALL_CACHE, NULL);
	if (b->store)
		report_lost_tasks(b);
	return ret;
}

static int choose_jobs(const struct cb_batch_opts *o, size_t tasks)
{
	long n = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > MAX_JOBS)
		n = MAX_JOBS;
	if ((size_t)n > tasks)
		n = tasks ? (long)tasks : 1;
	return (int)n;
}

static void batch_release(struct batch *b)
{
	size_t i;

	for (i = 0; b->ids && i < b->sum->selected; i++) {
		free(b->ids[i]);
		free(b->gateways[i]);
	}
	free(b->ids);
	free(b->gateways);
	free(b->reported);
	free(b->out_dir);
	if (b->queue)
		munmap(b->queue, b->queue_bytes);
	cb_store_free(b->store);
	if (b->lock_fd >= 0)
		close(b->lock_fd);
}

static int run(struct batch *b, struct cb_error *err)
{
	char options[256];
	int ret;

	ret = runs_mark_interrupted(b->store, err);
	if (!ret)
		ret = select_disputes(b, err);
	if (!ret)
		ret = prepare_out_dir(b, err);
	if (ret)
		return ret;
	remove_stale_temps(b->o.out_dir);
	snprintf(options, sizeof(options), "jobs=%d due_within=%d gateway=%s force=%d shard=%d/%d",
		 b->o.jobs, b->o.due_within_days, b->o.gateway ? b->o.gateway : "*", b->o.force,
		 b->o.shard_k, b->o.shard_n);
	ret = runs_start(b->store, (int64_t)time(NULL), options, &b->sum->run_id, err);
	if (ret)
		return ret;
	b->sum->jobs = choose_jobs(&b->o, b->sum->selected);
	if (b->sum->selected)
		ret = run_workers(b, err);
	if (!b->store)
		return ret;
	if (!ret)
		return runs_finish(b->store, b->sum, (int64_t)time(NULL), err);
	runs_fail(b->store, b->sum, (int64_t)time(NULL), NULL);
	return ret;
}

int cb_batch_run(const struct cb_batch_opts *o, struct cb_batch_summary *sum, struct cb_error *err)
{
	struct batch b;
	double t0 = monotonic();
	int ret;

	memset(sum, 0, sizeof(*sum));
	memset(&b, 0, sizeof(b));
	b.o = *o;
	b.sum = sum;
	b.lock_fd = -1;
	ret = take_lock(&b, err);
	if (!ret)
		ret = cb_store_open(&b.store, o->db_path, CB_STORE_SMALL_CACHE, err);
	if (!ret)
		ret = run(&b, err);
	sum->seconds = monotonic() - t0;
	batch_release(&b);
	return ret;
}
