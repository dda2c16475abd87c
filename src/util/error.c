/*
 * error.c: filling struct cb_error. Messages are formatted once, where the
 * fault is known, so that the command layer only has to print them.
 */
#include <stdio.h>
#include <string.h>

#include "cbpack/error.h"

int cb_error_set(struct cb_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int cb_error_at(struct cb_error *err, int code, const char *file, long line,
		const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!err)
		return code;
	err->code = code;
	if (file && line > 0)
		n = snprintf(err->msg, sizeof(err->msg), "%s:%ld: ", file, line);
	else if (file)
		n = snprintf(err->msg, sizeof(err->msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

void cb_error_prefix(struct cb_error *err, const char *fmt, ...)
{
	char head[CB_ERROR_MSG_MAX];
	size_t hl, ml, cap = sizeof(err->msg) - 1;
	va_list ap;
	int n;

	if (!err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(head, sizeof(head) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	hl = strlen(head);
	memcpy(head + hl, ": ", 3);
	hl += 2;
	ml = strlen(err->msg);
	if (hl + ml > cap)
		ml = cap > hl ? cap - hl : 0;
	memmove(err->msg + hl, err->msg, ml);
	memcpy(err->msg, head, hl);
	err->msg[hl + ml] = '\0';
}

void cb_error_clear(struct cb_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
