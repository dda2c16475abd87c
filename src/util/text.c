/*
 * text.c: UTF-8 validation and NFC normalisation through utf8proc.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "cbpack/buf.h"
#include "cbpack/text.h"

/*
 * Code points that NFC leaves alone wherever they stand: no canonical
 * decomposition, combining class 0, never the second half of a composition.
 * Latin up to the combining marks, the precomposed Vietnamese letters, the
 * usual punctuation and currency signs, ™, emoji and their selectors.
 * (U+2000/2001, U+2126, U+212A/B are singletons, so they are not here.)
 */
static bool nfc_inert(utf8proc_int32_t cp)
{
	return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) ||
	       (cp >= 0x200B && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
	       (cp >= 0x20A0 && cp <= 0x20BF) || cp == 0x2122 ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

/*
 * Walk `s`: false at the first invalid sequence (its offset in *bad_at).
 * With `inert`, also say whether every code point is one NFC leaves alone.
 */
static bool utf8_walk(const char *s, size_t len, size_t *bad_at, bool *inert)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t off = 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	if (inert)
		*inert = true;
	while (off < len) {
		if (p[off] < 0x80) {
			off++;
			continue;
		}
		n = utf8proc_iterate(p + off, (utf8proc_ssize_t)(len - off), &cp);
		if (n < 0) {
			if (bad_at)
				*bad_at = off;
			return false;
		}
		if (inert && !nfc_inert(cp))
			*inert = false;
		off += (size_t)n;
	}
	return true;
}

bool cb_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	return utf8_walk(s, len, bad_at, NULL);
}

/* Copy `s` with each invalid sequence replaced by U+FFFD; returns replacements. */
static size_t repair_utf8(struct cb_buf *out, const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t off = 0, bad = 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	while (off < len) {
		n = utf8proc_iterate(p + off, (utf8proc_ssize_t)(len - off), &cp);
		if (n < 0) {
			size_t k = 1;

			/* One marker for the lead byte and its stray continuation bytes. */
			while (k < 4 && off + k < len && (p[off + k] & 0xC0) == 0x80)
				k++;
			cb_buf_add(out, "\xEF\xBF\xBD", 3);
			bad++;
			off += k;
			continue;
		}
		cb_buf_add(out, s + off, (size_t)n);
		off += (size_t)n;
	}
	return bad;
}

size_t cb_utf8_nfc(struct cb_buf *out, const char *s, size_t len)
{
	struct cb_buf fixed = CB_BUF_INIT;
	utf8proc_uint8_t *nfc = NULL;
	size_t bad = 0;
	bool inert, valid = utf8_walk(s, len, NULL, &inert);

	/* Valid UTF-8 made only of code points NFC leaves alone is already NFC. */
	if (valid && inert) {
		cb_buf_add(out, s, len);
		return 0;
	}
	if (!valid) {
		bad = repair_utf8(&fixed, s, len);
		s = cb_buf_cstr(&fixed);
		len = fixed.len;
	}
	if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE) >= 0) {
		cb_buf_adds(out, (const char *)nfc);
		free(nfc);
	} else {
		cb_buf_add(out, s, len);
	}
	cb_buf_release(&fixed);
	return bad;
}

size_t cb_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

char *cb_trim(char *s)
{
	char *start = s, *end;

	while (*start && isspace((unsigned char)*start))
		start++;
	if (start != s)
		memmove(s, start, strlen(start) + 1);
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

bool cb_streq_ci(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcasecmp(a, b) == 0;
}
