#ifndef CBPACK_RENDER_INTERNAL_H
#define CBPACK_RENDER_INTERNAL_H

/*
 * Shared between the files of the render module: the renderer itself, the
 * page flow (render_page.c), text measuring and wrapping (text.c), the
 * sections (render_cover.c, render_sections.c), images (render_image.c) and
 * the font's composite glyphs (glyphs.c).
 *
 * libharu reports errors through a callback; ours records the code and
 * longjmps back to cb_render_packet, so drawing code never checks statuses.
 * Everything a packet allocates therefore lives in the renderer (scratch
 * buffers, an arena) and survives the jump: nothing can leak.
 */

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "cbpack/buf.h"
#include "cbpack/render.h"

struct cb_error;
struct cb_packet;

enum render_font { FONT_REGULAR, FONT_BOLD, FONT_COUNT };

/*
 * Bold is drawn from the regular font, filled and stroked (a 0.05 em
 * outline) with 0.04 em of extra spacing, not from a second embedded font:
 * libharu pays per embedded font and document (a 65,536-entry CIDToGIDMap
 * built, written and deflated, and the font file), and a second font cost
 * 40% of the time of a whole packet.
 */
#define BOLD_STROKE 0.05
#define BOLD_SPACE 0.04

/* Type sizes (points) and the line pitch that goes with body text. */
#define SIZE_BODY 10.0
#define LEAD_BODY 13.5
#define SIZE_SMALL 8.0
#define SIZE_H1 15.0
#define SIZE_H2 11.5
#define SIZE_TITLE 20.0
#define TABLE_MAX_COLS 6

struct render_rgb {
	float r, g, b;
};

extern const struct render_rgb RGB_TEXT, RGB_MUTED, RGB_HEAD, RGB_RULE,
	RGB_FILL, RGB_HIGHLIGHT, RGB_GOOD, RGB_CUSTOMER, RGB_MERCHANT;

/* One wrapped line: a slice of a cleaned string and its width in points. */
struct render_line {
	size_t off, len;
	double width;
};

struct render_lines {
	struct render_line *v;
	size_t n, alloc;
};

/* Bump allocator for the strings of one packet; reset between packets. */
struct render_block;
struct render_arena {
	struct render_block *head;
};

/* The font's composite glyphs: components of gid are comp[first[gid] .. first[gid + 1]). */
struct render_glyphs {
	uint16_t n;
	uint32_t *first;
	uint16_t *comp;
	size_t n_comp, comp_alloc;
	uint16_t *stack;
};

struct render_index_entry {
	const char *name, *title;
	int page;
};

struct cb_renderer {
	HPDF_Doc doc;                 /* NULL after a libharu error: rebuilt next time */
	char *font_path;
	struct cb_buf font_file;      /* the font file's bytes */
	const char *font_name;
	HPDF_Font font_cid;           /* UTF-8 CID font: made when a text needs it */
	HPDF_Font font_win;           /* the same font, WinAnsi (CP1252) encoded */
	HPDF_Font font_tick;          /* ZapfDingbats, for U+2713: made when needed */
	HPDF_Encoder utf8;            /* set up for get_font's CID table, or NULL */
	uint8_t *win_code;            /* CP1252 byte per code point below WIN_CP_END, 0 if none */
	uint16_t *adv[FONT_COUNT];    /* advance per BMP code point, 1/1000 em */
	struct render_glyphs glyphs;

	/* text state of the current page, to write Tf/rg/Tr/Tc only on change */
	HPDF_Page ts_page;
	double ts_size;
	int ts_bold;                  /* -1 unknown: pages are revisited for footers */
	HPDF_Font ts_font;
	struct render_rgb ts_fill;

	jmp_buf jmp;
	HPDF_STATUS hpdf_status, hpdf_detail;

	/* the packet being drawn */
	const struct cb_packet *p;
	const struct cb_render_opts *o;
	struct cb_error *err;
	const char *section;          /* for error messages */
	HPDF_Page page;
	HPDF_Page *pages;
	size_t n_pages, pages_alloc;
	double pw, ph;                /* page size */
	double x0, x1, ytop, ybot;    /* content box */
	double y;                     /* top of the next thing drawn */
	size_t replaced, images;
	const char *head_left, *head_right, *foot_left, *dispute_id;

	/* the cover's index of exhibits, filled in once pages are known */
	HPDF_Page index_page;
	double index_y;
	struct render_index_entry index[16];
	size_t n_index;

	/* scratch, reused from packet to packet */
	struct render_arena arena;
	struct render_lines lines;
	struct render_lines cell[TABLE_MAX_COLS];
	struct cb_buf clean, slice, win, file, pixels, scaled, jpeg;
	unsigned char *jmem;          /* libjpeg's output buffer while encoding */
	unsigned long jmem_len;
};

/* text.c */
bool render_font_has(uint32_t cp);
double render_width(const uint16_t *adv, const char *s, size_t len, double size);
void render_wrap(struct render_lines *out, const uint16_t *adv, const char *s, size_t len,
		 double size, double width);

/* glyphs.c */
int render_glyphs_load(struct render_glyphs *gr, const struct cb_buf *font, const char *path,
		       struct cb_error *err);
void render_glyphs_free(struct render_glyphs *gr);
/* Mark every component of every used glyph, so that libharu embeds it. */
void render_glyphs_complete(struct render_glyphs *gr, HPDF_Doc doc, const char *font_name);

/* hpdf_fast.c */
/* Free the process's PDF deflater and its buffers; made again when needed. */
void render_deflate_release(void);
/* Serve the loaded TrueType font `font_name` from a copy of its file's bytes. */
int render_font_from_memory(HPDF_Doc doc, const char *font_name, const unsigned char *bytes,
			    size_t len);

/* render.c */
#define WIN_CP_END 0x2200
/* The document's UTF-8 CID font, made on first use. */
HPDF_Font render_cid_font(struct cb_renderer *r);
char *render_arena_alloc(struct render_arena *a, size_t n);
void render_arena_reset(struct render_arena *a);
void render_arena_free(struct render_arena *a);
/* `s` cleaned for display, counted in the result, owned by the arena. */
const char *render_clean(struct cb_renderer *r, const char *s);
/* printf into the arena; the result is not cleaned (render_clean it if it holds data). */
const char *render_fmt(struct cb_renderer *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *render_money(struct cb_renderer *r, int64_t minor, const char *currency);
const char *render_time(struct cb_renderer *r, int64_t t, int offset_min);
const char *render_date(struct cb_renderer *r, int64_t t);
bool render_is_blank(const char *s);
int render_fail(struct cb_renderer *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* render_page.c: page flow and drawing primitives */
void render_page_new(struct cb_renderer *r);
/* Start a new page unless `h` points fit above the bottom margin. */
void render_need(struct cb_renderer *r, double h);
void render_gap(struct cb_renderer *r, double h);
void render_fill_rect(struct cb_renderer *r, double x, double y, double w, double h,
		      struct render_rgb c);
void render_hrule(struct cb_renderer *r, double x0, double x1, double y, double width,
		  struct render_rgb c);
/* Draw already-cleaned text with its baseline at y. */
void render_text_at(struct cb_renderer *r, enum render_font f, double size,
		    struct render_rgb c, double x, double y, const char *s, size_t len);
double render_text_width(struct cb_renderer *r, enum render_font f, double size, const char *s);
/* Wrapped paragraph across pages, from x0 + indent to x1. Cleans `s`. */
void render_para(struct cb_renderer *r, const char *s, enum render_font f, double size,
		 double lead, double indent, struct render_rgb c);
/* The same for text that is already clean. */
void render_para_text(struct cb_renderer *r, const char *t, enum render_font f, double size,
		      double lead, double indent, struct render_rgb c);
/* Section heading: keeps room for what follows, adds a bookmark. */
void render_h1(struct cb_renderer *r, const char *title, double keep);
void render_h2(struct cb_renderer *r, const char *title, double keep);
void render_headers_footers(struct cb_renderer *r);

/* Tables: cells are wrapped, rows split across pages, header repeated. */
enum { COL_LEFT = 0, COL_RIGHT = 1, COL_MUTED = 2, COL_BOLD = 4 };
enum { ROW_PLAIN = 0, ROW_STRONG = 1, ROW_HIGHLIGHT = 2, ROW_TOTAL = 4 };

struct render_col {
	const char *title;
	double frac;                  /* share of the table width */
	unsigned flags;
};

struct render_table {
	const struct render_col *cols;
	size_t ncols;
	bool header;
	double x0, x1;
	double w[TABLE_MAX_COLS];     /* column widths, points */
	size_t rows;
};

void render_table_begin(struct cb_renderer *r, struct render_table *t,
			const struct render_col *cols, size_t ncols, bool header);
void render_table_fit(struct cb_renderer *r, struct render_table *t, size_t c, const char *text);
/* `cells` are raw strings (NULL = empty); they are cleaned here. */
void render_table_row(struct cb_renderer *r, struct render_table *t,
		      const char *const *cells, unsigned flags);
void render_table_end(struct cb_renderer *r, struct render_table *t);
/* A two-column label/value table row; skipped when value is blank. */
void render_kv(struct cb_renderer *r, struct render_table *t, const char *label,
	       const char *value, unsigned flags);
void render_kv_begin(struct cb_renderer *r, struct render_table *t);

/* render_cover.c */
int render_cover(struct cb_renderer *r);
void render_cover_index(struct cb_renderer *r);

/* render_sections.c */
const char *render_section_title(const char *name);
bool render_section_has_content(struct cb_renderer *r, const char *name);
int render_section(struct cb_renderer *r, const char *name);
const char *render_gateway_label(const char *gateway);

/* render_image.c */
bool render_image_wanted(const struct cb_render_opts *o, const char *kind);
bool render_image_drawable(const char *media_type);
int render_images(struct cb_renderer *r);

#endif
