/*
 * cmd_batch.c: `cbpack batch`, the nightly job. Progress goes to stderr: a
 * bar on a terminal, one line per packet otherwise (cron logs). The summary
 * goes to stdout, as text or --json.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbpack/batch.h"
#include "cbpack/error.h"
#include "cbpack/store.h"
#include "cbpack/timeutil.h"
#include "cmd.h"

#define USAGE "cbpack batch [-o DIR] [-j N] [--due-within DAYS] [--gateway NAME] [--layout NAME]" \
	" [--force] [--json] [--shard K/N]"

struct progress {
	int tty;
	int quiet;
};

static void print_help(void)
{
	printf("usage: %s\n\n", USAGE);
	printf("Build a fresh evidence bundle for every dispute that needs a response (open, deadline\n"
	       "not passed), most urgent first, skipping disputes whose inputs have not changed.\n\n");
	printf("  -o, --out DIR          where bundles go (default: ./out)\n");
	printf("  -j, --jobs N           worker processes (default: number of CPUs)\n");
	printf("      --due-within DAYS  only disputes due within DAYS days\n");
	printf("      --gateway NAME     only disputes of this gateway (stripe, paypal, ...)\n");
	printf("      --layout NAME      use this layout for all (default: the gateway's own)\n");
	printf("      --force            rebuild even when nothing changed\n");
	printf("      --json             print the summary as JSON\n");
	printf("      --shard K/N        build only shard K of N (disputes hashed by id), to split\n"
	       "                         a night across hosts; see docs/nightly.md\n");
	printf("  -q, --quiet            no progress output\n\n");
	printf("Exit status: 0 all built or unchanged, 3 some failed, 4 could not run\n"
	       "(another batch holds the lock, no store), 2 bad usage.\n");
}

static const char *outcome_word(enum cb_batch_outcome o)
{
	return o == CB_BATCH_BUILT ? "built" : o == CB_BATCH_UNCHANGED ? "unchanged" : "FAILED";
}

static void on_event(void *ctx, const struct cb_batch_event *ev)
{
	const struct progress *pg = ctx;
	int width = 30, filled;

	if (pg->quiet)
		return;
	if (pg->tty) {
		filled = ev->total ? (int)(ev->done * (size_t)width / ev->total) : width;
		if (ev->outcome == CB_BATCH_FAILED)
			fprintf(stderr, "\r\033[Kfailed %s: %s\n", ev->dispute_id, ev->detail);
		fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled,
			"##############################", width - filled, "", ev->done, ev->total);
		if (ev->done == ev->total)
			fputc('\n', stderr);
		return;
	}
	if (ev->outcome == CB_BATCH_FAILED)
		fprintf(stderr, "[%zu/%zu] %s %s: %s\n", ev->done, ev->total, outcome_word(ev->outcome),
			ev->dispute_id, ev->detail);
	else
		fprintf(stderr, "[%zu/%zu] %s %s %s (%d pages, %lld bytes%s)\n", ev->done, ev->total,
			outcome_word(ev->outcome), ev->dispute_id, ev->detail, ev->pages,
			(long long)ev->bytes, ev->missing ? ", evidence missing" : "");
}

/* A whole decimal number in [lo, hi]; no sign games, no overflow. */
static int parse_int(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_shard(const char *s, int *k, int *n)
{
	char part[32];
	const char *slash = strchr(s, '/');

	if (!slash || (size_t)(slash - s) >= sizeof(part))
		return -1;
	memcpy(part, s, (size_t)(slash - s));
	part[slash - s] = '\0';
	if (parse_int(part, 1, 100000, k) || parse_int(slash + 1, 1, 100000, n) || *k > *n)
		return -1;
	return 0;
}

static void print_summary(const struct cb_batch_summary *s, int json)
{
	json_t *o;
	char *text;

	if (!json) {
		printf("run %lld: %zu selected, %zu built, %zu unchanged, %zu failed;"
		       " %zu missing required evidence; %zu due within 48 hours\n",
		       (long long)s->run_id, s->selected, s->built, s->unchanged, s->failed,
		       s->missing_evidence, s->due_48h);
		if (s->selected)
			printf("%d workers, %.2f s, %.1f packets/s, peak worker RSS %ld KB\n", s->jobs,
			       s->seconds, s->seconds > 0 ? (double)(s->built + s->unchanged) / s->seconds : 0,
			       s->worker_max_rss_kb);
		return;
	}
	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:f, s:I}",
		      "run", (json_int_t)s->run_id, "selected", (json_int_t)s->selected,
		      "built", (json_int_t)s->built, "unchanged", (json_int_t)s->unchanged,
		      "failed", (json_int_t)s->failed,
		      "missing_evidence", (json_int_t)s->missing_evidence,
		      "due_48h", (json_int_t)s->due_48h, "jobs", s->jobs, "seconds", s->seconds,
		      "worker_max_rss_kb", (json_int_t)s->worker_max_rss_kb);
	text = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(2));
	printf("%s\n", text);
	free(text);
	json_decref(o);
}

int cmd_batch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' }, { "jobs", required_argument, NULL, 'j' },
		{ "due-within", required_argument, NULL, 'd' },
		{ "gateway", required_argument, NULL, 'g' }, { "layout", required_argument, NULL, 'l' },
		{ "force", no_argument, NULL, 'f' }, { "json", no_argument, NULL, 'J' },
		{ "shard", required_argument, NULL, 's' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct cb_batch_opts o;
	struct cb_batch_summary sum;
	struct cb_error err = CB_ERROR_INIT;
	struct progress pg = { isatty(2), 0 };
	int ch, json = 0, ret;

	memset(&o, 0, sizeof(o));
	o.out_dir = "out";
	o.shard_k = o.shard_n = 1;
	while ((ch = getopt_long(argc, argv, "o:j:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': o.out_dir = optarg; break;
		case 'j':
			if (parse_int(optarg, 1, 64, &o.jobs))
				return cb_usage(USAGE, "-j takes a number from 1 to 64");
			break;
		case 'd':
			if (parse_int(optarg, 1, 36500, &o.due_within_days))
				return cb_usage(USAGE, "--due-within takes a number of days from 1 to 36500");
			break;
		case 'g': o.gateway = optarg; break;
		case 'l': o.layout = optarg; break;
		case 'f': o.force = true; break;
		case 'J': json = 1; break;
		case 'q': pg.quiet = 1; break;
		case 's':
			if (parse_shard(optarg, &o.shard_k, &o.shard_n))
				return cb_usage(USAGE, "--shard takes K/N with 1 <= K <= N");
			break;
		case 'h': print_help(); return CB_EXIT_OK;
		default: return cb_usage(USAGE, NULL);
		}
	}
	if (optind < argc)
		return cb_usage(USAGE, "unexpected argument '%s'", argv[optind]);
	o.db_path = cb_store_default_path(cb_global.db_path);
	o.now = cb_now();
	o.on_event = on_event;
	o.ctx = &pg;
	ret = cb_batch_run(&o, &sum, &err);
	if (ret) {
		cb_warn("%s", err.msg);
		return CB_EXIT_CANNOT;
	}
	print_summary(&sum, json);
	return sum.failed ? CB_EXIT_PARTIAL : CB_EXIT_OK;
}
