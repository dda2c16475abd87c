/*
 * buf.c: allocation that cannot fail, and a growable string buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"

static void die_oom(size_t n)
{
	fprintf(stderr, "cbpack: out of memory (%zu bytes)\n", n);
	abort();
}

void *cb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom(n);
	return p;
}

void *cb_xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		die_oom(SIZE_MAX);
	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		die_oom(nmemb * size);
	return p;
}

void *cb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom(n);
	return q;
}

char *cb_xstrdup(const char *s)
{
	return cb_xstrndup(s, strlen(s));
}

char *cb_xstrdup_or_null(const char *s)
{
	return s ? cb_xstrdup(s) : NULL;
}

char *cb_xstrndup(const char *s, size_t n)
{
	char *p = cb_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *cb_xgrow(void *p, size_t size, size_t need, size_t *alloc)
{
	size_t n = *alloc;

	if (need <= n)
		return p;
	if (n < 8)
		n = 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			die_oom(SIZE_MAX);
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		die_oom(SIZE_MAX);
	*alloc = n;
	return cb_xrealloc(p, n * size);
}

void cb_buf_grow(struct cb_buf *b, size_t extra)
{
	if (b->len + extra + 1 < b->len)
		die_oom(SIZE_MAX);
	b->ptr = cb_xgrow(b->ptr, 1, b->len + extra + 1, &b->alloc);
}

void cb_buf_add(struct cb_buf *b, const void *data, size_t len)
{
	cb_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void cb_buf_adds(struct cb_buf *b, const char *s)
{
	cb_buf_add(b, s, strlen(s));
}

void cb_buf_addc(struct cb_buf *b, char c)
{
	cb_buf_add(b, &c, 1);
}

void cb_buf_vaddf(struct cb_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	cb_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= b->alloc - b->len) {
		cb_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void cb_buf_addf(struct cb_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cb_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void cb_buf_reset(struct cb_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

const char *cb_buf_cstr(const struct cb_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *cb_buf_detach(struct cb_buf *b)
{
	char *s = b->ptr ? b->ptr : cb_xstrdup("");

	b->ptr = NULL;
	b->len = b->alloc = 0;
	return s;
}

void cb_buf_release(struct cb_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
}

int cb_buf_add_file(struct cb_buf *b, const char *path, struct cb_error *err)
{
	FILE *fp = fopen(path, "rb");
	size_t start = b->len, n;
	int rc = 0;

	if (!fp)
		return cb_error_set(err, CB_EIO, "cannot open '%s': %s", path, strerror(errno));
	do {
		cb_buf_grow(b, 65536);
		n = fread(b->ptr + b->len, 1, 65536, fp);
		b->len += n;
		b->ptr[b->len] = '\0';
	} while (n == 65536);
	if (ferror(fp)) {
		rc = cb_error_set(err, CB_EIO, "cannot read '%s': %s", path, strerror(errno));
		b->len = start;
		b->ptr[start] = '\0';
	}
	fclose(fp);
	return rc;
}
