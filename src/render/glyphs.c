/*
 * glyphs.c: complete libharu's font subsetting.
 *
 * libharu embeds a TrueType font with the glyphs a document did not use
 * zeroed out. It marks a drawn glyph and, if the glyph is a composite, its
 * direct components, but not the components of those components. DejaVu
 * builds many Vietnamese letters that way (U+1EC5 "ễ" is "e" plus a
 * circumflex-and-tilde composite), so their marks came out blank: "Nguyễn"
 * printed as "Nguyen". Here the font's composite graph is read once, and
 * before each save every component reachable from a used glyph is marked.
 */
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "render_internal.h"

enum {
	ARG_1_AND_2_ARE_WORDS = 0x01,
	WE_HAVE_A_SCALE = 0x08,
	MORE_COMPONENTS = 0x20,
	WE_HAVE_AN_X_AND_Y_SCALE = 0x40,
	WE_HAVE_A_TWO_BY_TWO = 0x80,
};

static unsigned be16(const unsigned char *p)
{
	return (unsigned)(p[0] << 8 | p[1]);
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       p[3];
}

/* Offset and length of table `tag`; 0 when missing or out of bounds. */
static int find_table(const unsigned char *f, size_t len, const char *tag, size_t *off,
		      size_t *tlen)
{
	unsigned n, i;

	if (len < 12)
		return -1;
	n = be16(f + 4);
	for (i = 0; i < n && 12 + (i + 1) * 16 <= len; i++) {
		const unsigned char *rec = f + 12 + i * 16;

		if (memcmp(rec, tag, 4) == 0) {
			*off = be32(rec + 8);
			*tlen = be32(rec + 12);
			return *off + *tlen <= len ? 0 : -1;
		}
	}
	return -1;
}

static size_t glyph_offset(const unsigned char *loca, bool long_loca, unsigned gid)
{
	return long_loca ? be32(loca + 4 * gid) : 2 * (size_t)be16(loca + 2 * gid);
}

/* Append the direct components of the glyph at g[0..len) to the graph. */
static void read_components(struct render_glyphs *gr, const unsigned char *g, size_t len)
{
	size_t off = 10;
	unsigned flags;

	if (len < 10 || (int16_t)be16(g) != -1)
		return;
	do {
		if (off + 4 > len)
			return;
		flags = be16(g + off);
		gr->comp = cb_xgrow(gr->comp, sizeof(*gr->comp), gr->n_comp + 1, &gr->comp_alloc);
		gr->comp[gr->n_comp++] = (uint16_t)be16(g + off + 2);
		off += 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
		if (flags & WE_HAVE_A_SCALE)
			off += 2;
		else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
			off += 4;
		else if (flags & WE_HAVE_A_TWO_BY_TWO)
			off += 8;
	} while (flags & MORE_COMPONENTS);
}

static int parse_font(struct render_glyphs *gr, const unsigned char *f, size_t len)
{
	size_t head, head_len, maxp, maxp_len, loca, loca_len, glyf, glyf_len;
	bool long_loca;
	unsigned gid;

	if (find_table(f, len, "head", &head, &head_len) < 0 || head_len < 54 ||
	    find_table(f, len, "maxp", &maxp, &maxp_len) < 0 || maxp_len < 6 ||
	    find_table(f, len, "loca", &loca, &loca_len) < 0 ||
	    find_table(f, len, "glyf", &glyf, &glyf_len) < 0)
		return -1;
	long_loca = be16(f + head + 50) != 0;
	gr->n = (uint16_t)be16(f + maxp + 4);
	if (loca_len < (size_t)(gr->n + 1) * (long_loca ? 4 : 2))
		return -1;
	gr->first = cb_xcalloc((size_t)gr->n + 1, sizeof(*gr->first));
	for (gid = 0; gid < gr->n; gid++) {
		size_t a = glyph_offset(f + loca, long_loca, gid);
		size_t b = glyph_offset(f + loca, long_loca, gid + 1);

		gr->first[gid] = (uint32_t)gr->n_comp;
		if (a < b && b <= glyf_len)
			read_components(gr, f + glyf + a, b - a);
	}
	gr->first[gr->n] = (uint32_t)gr->n_comp;
	return 0;
}

int render_glyphs_load(struct render_glyphs *gr, const struct cb_buf *font, const char *path,
		       struct cb_error *err)
{
	memset(gr, 0, sizeof(*gr));
	if (parse_font(gr, (const unsigned char *)cb_buf_cstr(font), font->len) < 0) {
		render_glyphs_free(gr);
		return cb_error_set(err, CB_EPARSE, "font '%s': not a TrueType font with glyf outlines",
				    path);
	}
	return 0;
}

void render_glyphs_free(struct render_glyphs *gr)
{
	free(gr->first);
	free(gr->comp);
	free(gr->stack);
	memset(gr, 0, sizeof(*gr));
}

void render_glyphs_complete(struct render_glyphs *gr, HPDF_Doc doc, const char *font_name)
{
	HPDF_FontDef def = HPDF_GetFontDef(doc, font_name);
	HPDF_TTFontDefAttr attr;
	size_t top = 0;
	unsigned gid;

	if (!def || !def->attr)
		return;
	attr = (HPDF_TTFontDefAttr)def->attr;
	/* A different font than the one parsed: leave libharu's marks alone. */
	if (attr->num_glyphs != gr->n || !attr->glyph_tbl.flgs)
		return;
	if (!gr->stack)
		gr->stack = cb_xcalloc((size_t)gr->n + 1, sizeof(*gr->stack));
	for (gid = 0; gid < gr->n; gid++) {
		if (!attr->glyph_tbl.flgs[gid] || gr->first[gid] == gr->first[gid + 1])
			continue;
		gr->stack[top++] = (uint16_t)gid;
		while (top > 0) {
			uint16_t g = gr->stack[--top];
			uint32_t i;

			for (i = gr->first[g]; i < gr->first[g + 1]; i++) {
				uint16_t c = gr->comp[i];

				/* Each glyph is pushed once, so the stack never overflows. */
				if (c < gr->n && !attr->glyph_tbl.flgs[c]) {
					attr->glyph_tbl.flgs[c] = 1;
					gr->stack[top++] = c;
				}
			}
		}
	}
}
