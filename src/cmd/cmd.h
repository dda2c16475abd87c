#ifndef CBPACK_CMD_H
#define CBPACK_CMD_H

/*
 * The command layer: the only code that prints or chooses an exit status.
 *
 * Adding a command:
 *  1. src/cmd/cmd_<name>.c with `int cmd_<name>(int argc, char **argv)`
 *     that parses its options (getopt_long), calls modules, and maps errors
 *     to exit codes with cb_fail / cb_usage;
 *  2. a line in the table in src/main.c;
 *  3. a test under tests/e2e/ and a line in README.md.
 */

#include "cbpack/error.h"

struct cb_global {
	const char *db_path;   /* --db, else $CBPACK_DB, else ./cbpack.db */
	int quiet;
};

extern struct cb_global cb_global;

int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_layouts(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_help(int argc, char **argv);

/** Print "cbpack: <err->msg>" to stderr; returns CB_EXIT_FAIL. */
int cb_fail(const struct cb_error *err);
/** Print "cbpack: <msg>" and "usage: <usage>" to stderr; returns CB_EXIT_USAGE. */
int cb_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Print "cbpack: <msg>" to stderr (a warning or a plain failure). */
void cb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
