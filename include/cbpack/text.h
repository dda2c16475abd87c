#ifndef CBPACK_TEXT_H
#define CBPACK_TEXT_H

/*
 * UTF-8 text hygiene, through utf8proc: validation with a position for error
 * messages, NFC normalisation, and small string helpers.
 */

#include <stdbool.h>
#include <stddef.h>

struct cb_buf;

/** True when `s[0..len)` is valid UTF-8; else *bad_at is the byte offset. */
bool cb_utf8_valid(const char *s, size_t len, size_t *bad_at);

/**
 * Append `s` to `out` NFC-normalised. Invalid sequences become U+FFFD, so the
 * result is always valid UTF-8. Returns the number of replaced sequences.
 */
size_t cb_utf8_nfc(struct cb_buf *out, const char *s, size_t len);

/** Number of code points in valid UTF-8. */
size_t cb_utf8_len(const char *s);

/** Trim ASCII white space in place; returns s. */
char *cb_trim(char *s);

/** Case-insensitive ASCII equality; NULL equals only NULL. */
bool cb_streq_ci(const char *a, const char *b);

/** NULL and "" are both empty. */
static inline bool cb_empty(const char *s) { return !s || !*s; }

#endif
