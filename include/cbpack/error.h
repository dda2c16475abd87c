#ifndef CBPACK_ERROR_H
#define CBPACK_ERROR_H

/*
 * Errors. A module function that can fail returns 0 or a negative CB_E*
 * code and fills a `struct cb_error` whose message already names the file,
 * line or record and field at fault, in compiler style:
 *     samples/orders.csv:17: column 'Total': not a number: 'abc'
 * Callers add no context that the message already has. Only src/cmd/ and
 * main.c print it.
 */

#include <stdarg.h>

enum cb_status {
	CB_OK = 0,
	CB_ERROR = -1,     /* anything else */
	CB_ENOTFOUND = -2,
	CB_EPARSE = -3,    /* bad input data */
	CB_EEXISTS = -4,
	CB_EIO = -5,
	CB_EDB = -6,
	CB_ELIMIT = -7,    /* a gateway limit cannot be met */
	CB_ELOCKED = -8,   /* another process holds the lock */
	CB_EUSAGE = -9     /* the caller asked for something that cannot be */
};

/* Exit codes of the cbpack command, documented in README.md. */
enum cb_exit {
	CB_EXIT_OK = 0,
	CB_EXIT_FAIL = 1,     /* the command failed; nothing was changed */
	CB_EXIT_USAGE = 2,    /* bad command line */
	CB_EXIT_PARTIAL = 3,  /* batch: some disputes failed, the rest were built */
	CB_EXIT_CANNOT = 4    /* batch: could not run at all (lock held, no store) */
};

#define CB_ERROR_MSG_MAX 1024

struct cb_error {
	int code;
	char msg[CB_ERROR_MSG_MAX];
};

#define CB_ERROR_INIT { 0, { 0 } }

/** Set `err` (if not NULL) to `code` and a printf-style message. Returns `code`. */
int cb_error_set(struct cb_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Like cb_error_set, prefixing "file:line: " (line <= 0 leaves it out).
 * Returns `code`.
 */
int cb_error_at(struct cb_error *err, int code, const char *file, long line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/** Prefix an existing message with "what: " (for example a file name). */
void cb_error_prefix(struct cb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void cb_error_clear(struct cb_error *err);

#endif
