/*
 * cmd_init.c: `cbpack init` creates the store, or brings an existing one up
 * to date, and says where it is. Running it twice is harmless.
 */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cbpack/error.h"
#include "cbpack/store.h"
#include "cmd.h"

static const char usage[] = "cbpack [--db PATH] init";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Create the database (--db PATH, else $CBPACK_DB, else ./cbpack.db) and its\n"
	       "file area PATH.files/ for proof files. On an existing database, bring its\n"
	       "schema up to date; data is kept.\n", usage);
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	struct stat st;
	const char *path;
	int ch, existed;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			print_help();
			return CB_EXIT_OK;
		default:
			return cb_usage(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cb_usage(usage, "unexpected argument '%s'", argv[optind]);

	path = cb_store_default_path(cb_global.db_path);
	existed = stat(path, &st) == 0;
	if (cb_store_open(&s, path, CB_STORE_CREATE, &err) < 0)
		return cb_fail(&err);
	if (existed)
		printf("store '%s' is up to date (schema version %d)\n", path, cb_store_version(s));
	else
		printf("created store '%s' (schema version %d); proof files go in '%s/'\n", path,
		       cb_store_version(s), cb_store_files_dir(s));
	cb_store_free(s);
	return CB_EXIT_OK;
}
