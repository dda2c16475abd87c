/*
 * cmd_import.c: `cbpack import FORMAT FILE... [--json]`. All files of one
 * command go into the store in one transaction, each logged with its SHA-256
 * and counts, and links are resolved before the commit: a refused file (or a
 * failure anywhere) leaves the database exactly as it was, as exit status 1
 * promises.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/records.h"
#include "cbpack/store.h"
#include "cbpack/timeutil.h"
#include "cmd.h"

#define USAGE "cbpack import FORMAT FILE... [--json]"

static void print_help(void)
{
	const struct cb_ingest_format *f;

	printf("usage: %s\n\n", USAGE);
	printf("Import merchant exports into the store. Every FILE is read as FORMAT; all of\n"
	       "them are imported in one transaction, so if one is refused nothing is changed.\n"
	       "Importing the same file again changes nothing.\n\n");
	printf("Formats (docs/formats.md describes each):\n");
	for (f = cb_ingest_formats(); f->name; f++)
		printf("   %-16s %s\n", f->name, f->summary);
	printf("\n      --json   print what was imported as JSON\n");
	printf("  -h, --help   show this help\n");
}

struct file_result {
	const char *file;
	struct cb_ingest_stats st;
};

static int import_one(struct cb_store *store, const struct cb_ingest_format *fmt,
		      struct file_result *res, struct cb_error *err)
{
	struct cb_sink sink;
	struct cb_import_log log;
	int64_t started = cb_now();
	int ret;

	cb_store_sink(store, &sink);
	ret = cb_ingest_file(fmt, res->file, &sink, &res->st, err);
	if (ret)
		return ret;
	memset(&log, 0, sizeof(log));
	log.file = res->file;
	log.format = fmt->name;
	log.sha256 = res->st.sha256;
	log.rows_accepted = res->st.rows_accepted;
	log.rows_rejected = res->st.rows_skipped;
	log.started_at = started;
	log.finished_at = cb_now();
	return cb_store_log_import(store, &log, err);
}

static void print_text(const struct file_result *res, int n)
{
	int i;

	for (i = 0; i < n; i++)
		printf("imported %s: %ld rows (%ld records), %ld skipped\n", res[i].file,
		       res[i].st.rows_accepted, res[i].st.records, res[i].st.rows_skipped);
}

static void print_json(const char *format, const struct file_result *res, int n)
{
	json_t *files = json_array();
	json_t *top;
	char *dump;
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(files, json_pack("{s:s, s:s, s:I, s:I, s:I}",
						       "file", res[i].file,
						       "sha256", res[i].st.sha256,
						       "rows", (json_int_t)res[i].st.rows_accepted,
						       "records", (json_int_t)res[i].st.records,
						       "skipped", (json_int_t)res[i].st.rows_skipped));
	top = json_pack("{s:s, s:o}", "format", format, "files", files);
	dump = json_dumps(top, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (dump)
		puts(dump);
	free(dump);
	json_decref(top);
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	const struct cb_ingest_format *fmt;
	struct file_result *res = NULL;
	struct cb_store *store = NULL;
	int json = 0, ch, nfiles, i, ret = CB_EXIT_FAIL, in_tx = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'J':
			json = 1;
			break;
		case 'h':
			print_help();
			return CB_EXIT_OK;
		default:
			return cb_usage(USAGE, NULL);
		}
	}
	if (argc - optind < 2)
		return cb_usage(USAGE, argc - optind < 1 ? "no format given" : "no file given");
	fmt = cb_ingest_find(argv[optind]);
	if (!fmt)
		return cb_usage(USAGE, "unknown format '%s' (see 'cbpack import --help')",
				argv[optind]);
	nfiles = argc - optind - 1;
	res = cb_xcalloc((size_t)nfiles, sizeof(*res));
	if (cb_store_open(&store, cb_store_default_path(cb_global.db_path), 0, &err) ||
	    cb_store_begin(store, &err))
		goto out;
	in_tx = 1;
	for (i = 0; i < nfiles; i++) {
		res[i].file = argv[optind + 1 + i];
		if (import_one(store, fmt, &res[i], &err))
			goto out;
	}
	if (cb_store_link(store, &err) || cb_store_commit(store, &err))
		goto out;
	in_tx = 0;
	if (json)
		print_json(fmt->name, res, nfiles);
	else if (!cb_global.quiet)
		print_text(res, nfiles);
	ret = CB_EXIT_OK;
out:
	if (in_tx)
		cb_store_rollback(store);
	if (ret != CB_EXIT_OK)
		ret = cb_fail(&err);
	cb_store_free(store);
	free(res);
	return ret;
}
