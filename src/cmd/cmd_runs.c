/*
 * cmd_runs.c: `cbpack runs`, the record of past batches.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cbpack/batch.h"
#include "cbpack/store.h"
#include "cbpack/timeutil.h"
#include "cmd.h"

#define USAGE "cbpack runs [-n COUNT] [--json]"

static void print_text(const struct cb_run_row *r, size_t n)
{
	char start[40], end[40];
	size_t i;

	printf("%-5s %-21s %-21s %-11s %8s %6s %9s %6s %7s %6s\n", "RUN", "STARTED", "FINISHED",
	       "STATUS", "SELECTED", "BUILT", "UNCHANGED", "FAILED", "MISSING", "DUE48H");
	for (i = 0; i < n; i++) {
		cb_time_format(start, sizeof(start), r[i].started_at, 0);
		if (r[i].finished_at)
			cb_time_format(end, sizeof(end), r[i].finished_at, 0);
		else
			snprintf(end, sizeof(end), "-");
		printf("%-5lld %-21s %-21s %-11s %8ld %6ld %9ld %6ld %7ld %6ld\n", (long long)r[i].id,
		       start, end, r[i].status, r[i].selected, r[i].built, r[i].unchanged, r[i].failed,
		       r[i].missing_evidence, r[i].due_48h);
	}
}

static void print_json(const struct cb_run_row *r, size_t n)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i}",
			"id", (json_int_t)r[i].id, "started_at", (json_int_t)r[i].started_at,
			"finished_at", (json_int_t)r[i].finished_at, "status", r[i].status,
			"selected", (int)r[i].selected, "built", (int)r[i].built,
			"unchanged", (int)r[i].unchanged, "failed", (int)r[i].failed,
			"missing_evidence", (int)r[i].missing_evidence, "due_48h", (int)r[i].due_48h));
	text = json_dumps(a, JSON_INDENT(2));
	printf("%s\n", text);
	free(text);
	json_decref(a);
}

int cmd_runs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_run_row *rows = NULL;
	size_t n = 0;
	int ch, json = 0, limit = 20;
	char *end;

	while ((ch = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			limit = (int)strtol(optarg, &end, 10);
			if (*end || limit < 1)
				return cb_usage(USAGE, "-n takes a positive number");
			break;
		case 'J': json = 1; break;
		case 'h':
			printf("usage: %s\n\nList the most recent batch runs (default 20), newest first.\n",
			       USAGE);
			return CB_EXIT_OK;
		default: return cb_usage(USAGE, NULL);
		}
	}
	if (cb_batch_list_runs(cb_store_default_path(cb_global.db_path), limit, &rows, &n, &err))
		return cb_fail(&err);
	if (json)
		print_json(rows, n);
	else
		print_text(rows, n);
	free(rows);
	return CB_EXIT_OK;
}
