/*
 * cmd_layouts.c: `cbpack layouts list` shows the gateway layouts in the
 * layout directory with their files and limits; `cbpack layouts check
 * FILE...` loads layout files exactly as a build would, so that a mistake
 * in a new layout shows up with its file and line before any batch runs.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/layout.h"
#include "cmd.h"

#define COMMAND_NAME "layouts"
#define LAYOUTS_USAGE "cbpack layouts list\n       cbpack layouts check FILE..."

static void print_help(void)
{
	printf("usage: %s\n\n", LAYOUTS_USAGE);
	printf("  list           the layouts in the layout directory: name, gateway,\n"
	       "                 number of files, limits\n");
	printf("  check FILE...  validate layout files; prints 'FILE: ok' for each good one\n\n");
	printf("The layout directory is $CBPACK_LAYOUTS, else %s.\n", cb_layout_dir());
	printf("docs/layouts.md explains how to write a layout.\n");
}

/* "5 MB", "4.5 MB", "under 10 MB", or the exact count when MB would round it. */
static void add_bytes(struct cb_buf *out, long long n)
{
	if ((n + 1) % 1000000 == 0)
		cb_buf_addf(out, "under %lld MB", (n + 1) / 1000000);
	else if (n % 1000000 == 0)
		cb_buf_addf(out, "%lld MB", n / 1000000);
	else if (n % 100000 == 0)
		cb_buf_addf(out, "%.1f MB", (double)n / 1e6);
	else
		cb_buf_addf(out, "%lld bytes", n);
}

static void add_limits(struct cb_buf *out, const struct cb_limits *lim)
{
	const char *const *t;

	if (lim->file_bytes) {
		add_bytes(out, lim->file_bytes);
		cb_buf_adds(out, " a file, ");
	}
	if (lim->total_bytes) {
		add_bytes(out, lim->total_bytes);
		cb_buf_adds(out, " in all, ");
	}
	if (lim->file_pages)
		cb_buf_addf(out, "%d pages a file, ", lim->file_pages);
	if (lim->total_pages)
		cb_buf_addf(out, "%d pages in all, ", lim->total_pages);
	if (lim->text_field_chars)
		cb_buf_addf(out, "%d chars a field, ", lim->text_field_chars);
	if (lim->text_total_chars)
		cb_buf_addf(out, "%d chars in all, ", lim->text_total_chars);
	cb_buf_adds(out, lim->page_width < 600 ? "A4" : "Letter");
	for (t = lim->file_types; t && *t; t++)
		cb_buf_addf(out, "%s%s", t == lim->file_types ? "; " : "/", *t);
}

/* Distinct file names over all reasons: what a reader thinks of as "the files". */
static size_t count_files(const struct cb_layout *l)
{
	const struct cb_layout_file *const *files;
	const char **seen = NULL;
	size_t n_seen = 0, alloc = 0, n, i, j;
	int r;

	for (r = 0; r < CB_REASON_COUNT; r++) {
		n = cb_layout_files(l, (enum cb_reason)r, &files);
		for (i = 0; i < n; i++) {
			for (j = 0; j < n_seen && strcmp(seen[j], files[i]->name); j++)
				;
			if (j == n_seen) {
				seen = cb_xgrow(seen, sizeof(*seen), n_seen + 1, &alloc);
				seen[n_seen++] = files[i]->name;
			}
		}
	}
	free(seen);
	return n_seen;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_layouts(void)
{
	const char *dir = cb_layout_dir();
	struct cb_error err = CB_ERROR_INIT;
	struct cb_buf path = CB_BUF_INIT, lim = CB_BUF_INIT;
	struct cb_layout *l;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0, i, len;
	int ret = CB_EXIT_OK;
	DIR *d;

	if (!(d = opendir(dir))) {
		cb_error_set(&err, CB_EIO, "cannot open layout directory '%s'", dir);
		return cb_fail(&err);
	}
	while ((e = readdir(d))) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".xml"))
			continue;
		names = cb_xgrow(names, sizeof(*names), n + 1, &alloc);
		names[n++] = cb_xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);

	printf("%-12s %-10s %5s  %s\n", "NAME", "GATEWAY", "FILES", "LIMITS");
	for (i = 0; i < n; i++) {
		cb_buf_reset(&path);
		cb_buf_addf(&path, "%s/%s", dir, names[i]);
		if (cb_layout_load(&l, path.ptr, &err) < 0) {
			ret = cb_fail(&err);
			continue;
		}
		cb_buf_reset(&lim);
		add_limits(&lim, cb_layout_limits(l));
		printf("%-12s %-10s %5zu  %s\n", cb_layout_name(l), cb_layout_gateway(l),
		       count_files(l), cb_buf_cstr(&lim));
		cb_layout_free(l);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	cb_buf_release(&path);
	cb_buf_release(&lim);
	return ret;
}

static int check_layouts(int argc, char **argv)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	int i, ret = CB_EXIT_OK;

	if (argc < 1)
		return cb_usage(LAYOUTS_USAGE, "'check' needs at least one layout file");
	for (i = 0; i < argc; i++) {
		if (cb_layout_load(&l, argv[i], &err) < 0 ||
		    cb_layout_check_names(l, cb_packet_keys(), cb_evidence_kinds(), &err) < 0) {
			ret = cb_fail(&err);
		} else {
			printf("%s: ok\n", argv[i]);
		}
		cb_layout_free(l);
		l = NULL;
	}
	return ret;
}

int cmd_layouts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			print_help();
			return CB_EXIT_OK;
		default:
			return cb_usage(LAYOUTS_USAGE, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cb_usage(LAYOUTS_USAGE, "'%s' needs a subcommand", COMMAND_NAME);
	if (!strcmp(argv[0], "list")) {
		if (argc > 1)
			return cb_usage(LAYOUTS_USAGE, "'list' takes no arguments");
		return list_layouts();
	}
	if (!strcmp(argv[0], "check"))
		return check_layouts(argc - 1, argv + 1);
	return cb_usage(LAYOUTS_USAGE, "unknown subcommand '%s'", argv[0]);
}
