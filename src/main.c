/*
 * main.c: global options and the command table, after libgit2's CLI.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cbpack/version.h"
#include "cmd/cmd.h"

struct cb_global cb_global;

struct cb_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cb_cmd cb_cmds[] = {
	{ "init", cmd_init, "Create the database" },
	{ "import", cmd_import, "Import merchant exports (see 'cbpack import --help')" },
	{ "attach", cmd_attach, "Add a proof file (PNG, JPEG, PDF) to an order or dispute" },
	{ "list", cmd_list, "List disputes by due date" },
	{ "show", cmd_show, "Show the evidence held for a dispute and what is missing" },
	{ "build", cmd_build, "Build the evidence bundle of one or more disputes" },
	{ "batch", cmd_batch, "Build bundles for every dispute that needs a response" },
	{ "runs", cmd_runs, "List past batch runs" },
	{ "layouts", cmd_layouts, "List or check gateway layouts" },
	{ "help", cmd_help, "Show help for cbpack or a command" },
	{ NULL, NULL, NULL }
};

int cb_fail(const struct cb_error *err)
{
	fprintf(stderr, "cbpack: %s\n", err && err->msg[0] ? err->msg : "failed");
	return CB_EXIT_FAIL;
}

int cb_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("cbpack: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "usage: %s\n", usage);
	return CB_EXIT_USAGE;
}

void cb_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("cbpack: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void print_usage(FILE *f)
{
	const struct cb_cmd *c;

	fprintf(f, "usage: cbpack [--db PATH] [--version] [--help] <command> [<args>]\n\n");
	fprintf(f, "Build chargeback evidence bundles from a merchant's exports.\n\n");
	fprintf(f, "Commands:\n");
	for (c = cb_cmds; c->name; c++)
		fprintf(f, "   %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nThe database is --db PATH, else $CBPACK_DB, else ./cbpack.db.\n");
	fprintf(f, "See 'cbpack help <command>' or 'cbpack <command> --help'.\n");
}

static const struct cb_cmd *find_cmd(const char *name)
{
	const struct cb_cmd *c;

	for (c = cb_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cmd_help(int argc, char **argv)
{
	const struct cb_cmd *c;
	char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2) {
		print_usage(stdout);
		return CB_EXIT_OK;
	}
	c = find_cmd(argv[1]);
	if (!c || c->fn == cmd_help) {
		fprintf(stderr, "cbpack: '%s' is not a cbpack command. See 'cbpack help'.\n", argv[1]);
		return CB_EXIT_USAGE;
	}
	help_argv[0] = argv[1];
	return c->fn(2, help_argv);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cb_cmd *c;
	int ch;

	/*
	 * libzip writes entry times as DOS local time: pin the zone so the same
	 * store gives byte-identical bundles on machines in any time zone. cbpack
	 * itself shows every time in UTC.
	 */
	setenv("TZ", "UTC", 1);
	tzset();

	/* '+': stop at the command name; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cb_global.db_path = optarg;
			break;
		case 'V':
			printf("cbpack %s\n", CB_VERSION);
			return CB_EXIT_OK;
		case 'h':
			print_usage(stdout);
			return CB_EXIT_OK;
		default:
			print_usage(stderr);
			return CB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return CB_EXIT_USAGE;
	}
	c = find_cmd(argv[optind]);
	if (!c) {
		fprintf(stderr, "cbpack: '%s' is not a cbpack command. See 'cbpack help'.\n",
			argv[optind]);
		return CB_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;   /* reset getopt for the command (glibc: 0 re-initialises) */
	return c->fn(argc, argv);
}
