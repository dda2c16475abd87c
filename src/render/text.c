/*
 * text.c: what the renderer can show, and how wide it is.
 *
 * libharu's UTF-8 path silently drops non-BMP characters and invalid bytes,
 * and draws .notdef boxes for glyphs the font lacks, so every string is
 * cleaned first: valid NFC UTF-8 whose every code point is in the embedded
 * font, anything else replaced by a visible marker (U+25A1) and counted.
 * Wrapping then measures with the renderer's advance-width table instead of
 * one libharu call per line attempt.
 */
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/render.h"
#include "cbpack/text.h"
#include "render_internal.h"

#define MARKER "\xE2\x96\xA1"  /* U+25A1 WHITE SQUARE */

/*
 * The code points the subset fonts have: the Makefile's FONT_RANGES
 * intersected with DejaVu 2.37's cmap (checked against the font files by
 * test_render). U+FFFD is in the font but is shown as the marker too.
 */
static const uint32_t font_ranges[][2] = {
	{ 0x0020, 0x007E }, { 0x00A0, 0x024F }, { 0x0300, 0x034F }, { 0x0351, 0x0353 },
	{ 0x0357, 0x0358 }, { 0x035A, 0x035A }, { 0x035C, 0x0362 }, { 0x1E00, 0x1EFB },
	{ 0x2000, 0x2064 }, { 0x206A, 0x206F }, { 0x20AC, 0x20AC }, { 0x2122, 0x2122 },
	{ 0x2190, 0x2193 }, { 0x2212, 0x2212 }, { 0x25A1, 0x25A1 }, { 0x25CF, 0x25CF },
	{ 0x2713, 0x2713 },
};

bool render_font_has(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(font_ranges) / sizeof(font_ranges[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < font_ranges[mid][0])
			hi = mid;
		else if (cp > font_ranges[mid][1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Decode one code point of valid UTF-8; returns its length in bytes. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

/* Invisible selectors and isolates: dropped, since they show nothing anyway. */
static bool is_invisible(uint32_t cp)
{
	return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0xFEFF || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/*
 * Parts of an emoji sequence that follow its first code point (skin tones,
 * tags, keycap, joiner): one sequence is one marker, not three.
 */
static bool extends_emoji(uint32_t cp)
{
	return (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
	       cp == 0x20E3 || cp == 0x200D || is_invisible(cp);
}

static bool is_regional(uint32_t cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Length of the rest of an emoji sequence starting at s (after its first code point). */
static size_t emoji_tail(const unsigned char *s, size_t len, uint32_t first)
{
	size_t off = 0, n;
	uint32_t cp;

	if (is_regional(first) && len >= 4) {
		n = utf8_next(s, &cp);
		if (is_regional(cp))
			off = n;
	}
	while (off < len) {
		n = utf8_next(s + off, &cp);
		if (cp == 0x200D && off + n < len) {
			uint32_t next;
			size_t m = utf8_next(s + off + n, &next);

			if (!render_font_has(next)) {
				off += n + m;
				continue;
			}
		}
		if (!extends_emoji(cp) || cp == 0x200D)
			break;
		off += n;
	}
	return off;
}

/* Copy valid NFC text keeping what the font has; returns markers written. */
static size_t filter(struct cb_buf *out, const unsigned char *s, size_t len)
{
	size_t off = 0, replaced = 0;

	while (off < len) {
		uint32_t cp;
		size_t n = utf8_next(s + off, &cp);

		if (cp == '\r') {
			cb_buf_addc(out, '\n');
			off += (off + 1 < len && s[off + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x85)
			cb_buf_addc(out, '\n');
		else if (cp == '\t')
			cb_buf_addc(out, ' ');
		else if (is_invisible(cp))
			;
		else if (render_font_has(cp))
			cb_buf_add(out, s + off, n);
		else {
			cb_buf_add(out, MARKER, 3);
			replaced++;
			off += n;
			off += emoji_tail(s + off, len - off, cp);
			continue;
		}
		off += n;
	}
	return replaced;
}

static bool plain_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c >= 0x7F)
			return false;
	}
	return true;
}

size_t cb_render_text_clean(struct cb_buf *out, const char *s)
{
	struct cb_buf nfc = CB_BUF_INIT;
	size_t len, replaced;

	if (!s)
		return 0;
	len = strlen(s);
	if (plain_ascii(s, len)) {
		cb_buf_add(out, s, len);
		return 0;
	}
	/* Invalid sequences come back as U+FFFD, which filter() counts as markers. */
	cb_utf8_nfc(&nfc, s, len);
	replaced = filter(out, (const unsigned char *)cb_buf_cstr(&nfc), nfc.len);
	cb_buf_release(&nfc);
	return replaced;
}

double render_width(const uint16_t *adv, const char *s, size_t len, double size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0;
	unsigned long units = 0;

	while (off < len) {
		uint32_t cp;

		off += utf8_next(p + off, &cp);
		if (cp < 0x10000)
			units += adv[cp];
	}
	return (double)units * size / 1000.0;
}

static void push_line(struct render_lines *out, const uint16_t *adv, const char *s,
		      size_t off, size_t len, unsigned long units, double size)
{
	struct render_line *l;

	while (len > 0 && s[off + len - 1] == ' ') {
		len--;
		units -= adv[' '];
	}
	out->v = cb_xgrow(out->v, sizeof(*out->v), out->n + 1, &out->alloc);
	l = &out->v[out->n++];
	l->off = off;
	l->len = len;
	l->width = (double)units * size / 1000.0;
}

static unsigned long span_units(const uint16_t *adv, const char *s, size_t from, size_t to)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long units = 0;

	while (from < to) {
		uint32_t cp;

		from += utf8_next(p + from, &cp);
		units += adv[cp & 0xFFFF];
	}
	return units;
}

static bool breaks_after(uint32_t cp)
{
	return cp == '-' || cp == '/' || cp == '?' || cp == '&' || cp == 0x2014 || cp == 0x2013;
}

/*
 * Greedy wrap of cleaned text into lines no wider than `width`: break at
 * spaces, else after - / ? & and dashes, else (a word longer than the line,
 * such as a URL) before whatever character overflows. '\n' always breaks.
 * A line always takes at least one character, so this cannot loop.
 */
void render_wrap(struct render_lines *out, const uint16_t *adv, const char *s, size_t len,
		 double size, double width)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long max = (unsigned long)(width * 1000.0 / size), units = 0, brk_units = 0;
	size_t off = 0, start = 0, brk = 0, brk_next = 0;

	out->n = 0;
	while (off < len) {
		uint32_t cp;
		size_t n = utf8_next(p + off, &cp);
		unsigned long w = adv[cp & 0xFFFF];

		if (cp == '\n') {
			push_line(out, adv, s, start, off - start, units, size);
			off += n;
			start = off;
			units = 0;
			brk = 0;
			continue;
		}
		if (cp == ' ') {
			brk = off;
			brk_units = units;
			brk_next = off + 1;
		} else if (units + w > max && off > start && !(cp >= 0x300 && cp <= 0x36F)) {
			if (brk > start) {
				push_line(out, adv, s, start, brk - start, brk_units, size);
				start = brk_next;
				while (start < off && s[start] == ' ')
					start++;
			} else {
				push_line(out, adv, s, start, off - start, units, size);
				start = off;
			}
			units = span_units(adv, s, start, off);
			brk = 0;
			continue;
		}
		units += w;
		off += n;
		if (cp != ' ' && breaks_after(cp) && units <= max) {
			brk = off;
			brk_units = units;
			brk_next = off;
		}
	}
	if (start < len || out->n == 0)
		push_line(out, adv, s, start, len - start, units, size);
}
