#ifndef CBPACK_BUF_H
#define CBPACK_BUF_H

/*
 * Memory helpers and a growable byte buffer, after git's strbuf and sds.
 * Out-of-memory is not an error cbpack recovers from: the x* allocators
 * print a message and abort().
 */

#include <stddef.h>
#include <stdarg.h>

void *cb_xmalloc(size_t n);
void *cb_xcalloc(size_t nmemb, size_t size);
void *cb_xrealloc(void *p, size_t n);
char *cb_xstrdup(const char *s);
/** NULL-safe strdup: returns NULL for NULL. */
char *cb_xstrdup_or_null(const char *s);
char *cb_xstrndup(const char *s, size_t n);

/** Grow an array `p` of `*alloc` elements of `size` bytes to hold `need`. */
void *cb_xgrow(void *p, size_t size, size_t need, size_t *alloc);

/*
 * A buffer always NUL-terminated once anything was added; `ptr` is NULL for
 * an empty, never-used buffer. cb_buf_cstr() never returns NULL.
 */
struct cb_buf {
	char *ptr;
	size_t len;
	size_t alloc;
};

#define CB_BUF_INIT { NULL, 0, 0 }

void cb_buf_grow(struct cb_buf *b, size_t extra);
void cb_buf_add(struct cb_buf *b, const void *data, size_t len);
void cb_buf_adds(struct cb_buf *b, const char *s);
void cb_buf_addc(struct cb_buf *b, char c);
void cb_buf_addf(struct cb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cb_buf_vaddf(struct cb_buf *b, const char *fmt, va_list ap);
void cb_buf_reset(struct cb_buf *b);
const char *cb_buf_cstr(const struct cb_buf *b);
/** Hand the string over to the caller, who frees it; `b` is left empty. */
char *cb_buf_detach(struct cb_buf *b);
void cb_buf_release(struct cb_buf *b);

struct cb_error;
/** Append the whole file at `path`; on failure `b` holds what it held before. */
int cb_buf_add_file(struct cb_buf *b, const char *path, struct cb_error *err);

#endif
