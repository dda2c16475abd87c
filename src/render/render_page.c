/*
 * render_page.c: page flow and the few drawing primitives the sections are
 * made of: wrapped paragraphs, headings with bookmarks, and tables whose
 * cells wrap and whose rows continue on the next page, so nothing is ever
 * cut off or drawn outside the page.
 *
 * The cursor r->y is the top of the next block; a block asks render_need()
 * for its height first and moves to a new page when it does not fit.
 */
#include <string.h>

#include "cbpack/buf.h"
#include "render_internal.h"

const struct render_rgb RGB_TEXT = { 0.12f, 0.12f, 0.14f };
const struct render_rgb RGB_MUTED = { 0.40f, 0.42f, 0.46f };
const struct render_rgb RGB_HEAD = { 0.10f, 0.22f, 0.40f };
const struct render_rgb RGB_RULE = { 0.78f, 0.80f, 0.83f };
const struct render_rgb RGB_FILL = { 0.92f, 0.94f, 0.96f };
const struct render_rgb RGB_HIGHLIGHT = { 0.86f, 0.95f, 0.87f };
const struct render_rgb RGB_GOOD = { 0.10f, 0.48f, 0.22f };
const struct render_rgb RGB_CUSTOMER = { 0.16f, 0.42f, 0.74f };
const struct render_rgb RGB_MERCHANT = { 0.45f, 0.47f, 0.52f };

static const struct render_rgb RGB_ZEBRA = { 0.975f, 0.978f, 0.985f };

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.0
#define CELL_LEAD 12.5

/* Baseline of a line of `size` type in a line box of height `lead` whose top is y. */
static double baseline(double y, double size, double lead)
{
	return y - (lead - size) / 2.0 - size * 0.8;
}

static void draw_header(struct cb_renderer *r)
{
	double y = r->ph - 40, w;

	render_text_at(r, FONT_BOLD, SIZE_SMALL, RGB_HEAD, r->x0, y, r->head_left,
		       strlen(r->head_left));
	w = render_text_width(r, FONT_REGULAR, SIZE_SMALL, r->head_right);
	render_text_at(r, FONT_REGULAR, SIZE_SMALL, RGB_MUTED, r->x1 - w, y, r->head_right,
		       strlen(r->head_right));
	render_hrule(r, r->x0, r->x1, y - 7, 0.6, RGB_RULE);
}

void render_page_new(struct cb_renderer *r)
{
	HPDF_Page pg = HPDF_AddPage(r->doc);

	HPDF_Page_SetWidth(pg, (HPDF_REAL)r->pw);
	HPDF_Page_SetHeight(pg, (HPDF_REAL)r->ph);
	r->pages = cb_xgrow(r->pages, sizeof(*r->pages), r->n_pages + 1, &r->pages_alloc);
	r->pages[r->n_pages++] = pg;
	r->page = pg;
	r->y = r->ytop;
	draw_header(r);
}

void render_need(struct cb_renderer *r, double h)
{
	if (!r->page || (r->y - h < r->ybot && r->y < r->ytop))
		render_page_new(r);
}

void render_gap(struct cb_renderer *r, double h)
{
	if (r->y < r->ytop)
		r->y -= h;
}

void render_fill_rect(struct cb_renderer *r, double x, double y, double w, double h,
		      struct render_rgb c)
{
	HPDF_Page_SetRGBFill(r->page, c.r, c.g, c.b);
	if (r->ts_page == r->page)
		r->ts_fill = c;
	HPDF_Page_Rectangle(r->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Fill(r->page);
}

void render_hrule(struct cb_renderer *r, double x0, double x1, double y, double width,
		  struct render_rgb c)
{
	HPDF_Page_SetRGBStroke(r->page, c.r, c.g, c.b);
	HPDF_Page_SetLineWidth(r->page, (HPDF_REAL)width);
	HPDF_Page_MoveTo(r->page, (HPDF_REAL)x0, (HPDF_REAL)y);
	HPDF_Page_LineTo(r->page, (HPDF_REAL)x1, (HPDF_REAL)y);
	HPDF_Page_Stroke(r->page);
}

/*
 * Set font, size, colour and bold for the next text; the text state lasts
 * for the page, so only changes are written.
 */
static void text_state(struct cb_renderer *r, HPDF_Font font, enum render_font f, double size,
		       struct render_rgb c)
{
	int bold = f == FONT_BOLD;

	if (r->ts_page != r->page) {
		r->ts_page = r->page;
		r->ts_size = -1;
		r->ts_font = NULL;
		r->ts_bold = -1;
		r->ts_fill.r = -1;
	}
	if (bold) {
		/* Line width and stroke colour are shared with rules: always set. */
		HPDF_Page_SetLineWidth(r->page, (HPDF_REAL)(size * BOLD_STROKE));
		HPDF_Page_SetRGBStroke(r->page, c.r, c.g, c.b);
	}
	if (size != r->ts_size || font != r->ts_font) {
		HPDF_Page_SetFontAndSize(r->page, font, (HPDF_REAL)size);
		if (r->ts_bold == 1 && size != r->ts_size)
			HPDF_Page_SetCharSpace(r->page, (HPDF_REAL)(size * BOLD_SPACE));
		r->ts_size = size;
		r->ts_font = font;
	}
	if (bold != r->ts_bold) {
		HPDF_Page_SetTextRenderingMode(r->page, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
		HPDF_Page_SetCharSpace(r->page, bold ? (HPDF_REAL)(size * BOLD_SPACE) : 0);
		r->ts_bold = bold;
	}
	if (c.r != r->ts_fill.r || c.g != r->ts_fill.g || c.b != r->ts_fill.b) {
		HPDF_Page_SetRGBFill(r->page, c.r, c.g, c.b);
		r->ts_fill = c;
	}
}

/* Cleaned UTF-8 as CP1252 bytes into `out`; false if some character is not CP1252. */
static bool to_winansi(const uint8_t *win_code, struct cb_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	cb_buf_reset(out);
	while (i < len) {
		uint32_t cp;

		if (p[i] < 0x80) {
			cp = p[i++];
		} else if (p[i] < 0xE0) {
			if (i + 2 > len)
				return false;
			cp = ((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);
			i += 2;
		} else if (p[i] < 0xF0) {
			if (i + 3 > len)
				return false;
			cp = ((uint32_t)(p[i] & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) |
			     (p[i + 2] & 0x3F);
			i += 3;
		} else {
			return false;
		}
		if (cp >= WIN_CP_END || !win_code[cp])
			return false;
		cb_buf_addc(out, (char)win_code[cp]);
	}
	return true;
}

static void text_out(struct cb_renderer *r, HPDF_Font font, enum render_font f, double size,
		     struct render_rgb c, double x, double y, const char *text)
{
	text_state(r, font, f, size, c);
	HPDF_Page_BeginText(r->page);
	HPDF_Page_TextOut(r->page, (HPDF_REAL)x, (HPDF_REAL)y, text);
	HPDF_Page_EndText(r->page);
}

#define TICK "\xE2\x9C\x93"   /* U+2713 */

/* The next tick in [p, end), or end. */
static const char *find_tick(const char *p, const char *end)
{
	for (; end - p >= 3; p++)
		if (p[0] == TICK[0] && p[1] == TICK[1] && p[2] == TICK[2])
			return p;
	return end;
}

/*
 * The fact ticks (U+2713) are the one character beyond CP1252 that nearly
 * every packet has; making the CID font for them alone would cost every
 * packet. ZapfDingbats, a standard PDF font that is never embedded, has the
 * tick as '3' (pdftotext gives U+2713 back). The runs around it keep the
 * positions the layout measured with the embedded font's widths.
 */
static bool draw_ticked(struct cb_renderer *r, enum render_font f, double size,
			struct render_rgb c, double x, double y, const char *s, size_t len)
{
	const char *p, *end = s + len, *t;

	for (p = s; p < end; p = t + 3) {
		t = find_tick(p, end);
		if (t > p && !to_winansi(r->win_code, &r->win, p, (size_t)(t - p)))
			return false;
		if (t == end)
			break;
	}
	if (!r->font_tick)
		r->font_tick = HPDF_GetFont(r->doc, "ZapfDingbats", NULL);
	for (p = s; p < end; p = t + 3) {
		t = find_tick(p, end);
		if (t > p) {
			to_winansi(r->win_code, &r->win, p, (size_t)(t - p));
			text_out(r, r->font_win, f, size, c, x, y, cb_buf_cstr(&r->win));
			x += render_width(r->adv[f], p, (size_t)(t - p), size);
		}
		if (t == end)
			break;
		text_out(r, r->font_tick, f, size, c, x, y, "3");
		x += render_width(r->adv[f], TICK, 3, size);
	}
	return true;
}

void render_text_at(struct cb_renderer *r, enum render_font f, double size,
		    struct render_rgb c, double x, double y, const char *s, size_t len)
{
	HPDF_Font font = r->font_win;
	const char *text;

	if (len == 0)
		return;
	if (find_tick(s, s + len) != s + len && draw_ticked(r, f, size, c, x, y, s, len))
		return;
	/* TextOut wants a terminated string; lines are slices of a longer one. */
	if (to_winansi(r->win_code, &r->win, s, len)) {
		text = cb_buf_cstr(&r->win);
	} else {
		font = render_cid_font(r);
		cb_buf_reset(&r->slice);
		cb_buf_add(&r->slice, s, len);
		text = cb_buf_cstr(&r->slice);
	}
	text_out(r, font, f, size, c, x, y, text);
}

double render_text_width(struct cb_renderer *r, enum render_font f, double size, const char *s)
{
	return render_width(r->adv[f], s, strlen(s), size);
}

void render_para_text(struct cb_renderer *r, const char *t, enum render_font f, double size,
		      double lead, double indent, struct render_rgb c)
{
	size_t i;

	render_wrap(&r->lines, r->adv[f], t, strlen(t), size, r->x1 - r->x0 - indent);
	for (i = 0; i < r->lines.n; i++) {
		const struct render_line *l = &r->lines.v[i];

		render_need(r, lead);
		render_text_at(r, f, size, c, r->x0 + indent, baseline(r->y, size, lead),
			       t + l->off, l->len);
		r->y -= lead;
	}
}

void render_para(struct cb_renderer *r, const char *s, enum render_font f, double size,
		 double lead, double indent, struct render_rgb c)
{
	render_para_text(r, render_clean(r, s), f, size, lead, indent, c);
}

static void add_bookmark(struct cb_renderer *r, const char *title, double top)
{
	HPDF_Outline o = HPDF_CreateOutline(r->doc, NULL, title,
					    HPDF_GetEncoder(r->doc, "UTF-8"));
	HPDF_Destination d = HPDF_Page_CreateDestination(r->page);

	HPDF_Destination_SetFitH(d, (HPDF_REAL)top);
	HPDF_Outline_SetDestination(o, d);
}

void render_h1(struct cb_renderer *r, const char *title, double keep)
{
	const char *t = render_clean(r, title);

	render_gap(r, 14);
	render_need(r, 30 + keep);
	render_text_at(r, FONT_BOLD, SIZE_H1, RGB_HEAD, r->x0, r->y - SIZE_H1, t, strlen(t));
	render_hrule(r, r->x0, r->x1, r->y - SIZE_H1 - 7, 0.9, RGB_HEAD);
	add_bookmark(r, t, r->y + 6);
	r->y -= 32;
}

void render_h2(struct cb_renderer *r, const char *title, double keep)
{
	const char *t = render_clean(r, title);

	render_gap(r, 8);
	render_need(r, 20 + keep);
	render_text_at(r, FONT_BOLD, SIZE_H2, RGB_TEXT, r->x0, r->y - SIZE_H2, t, strlen(t));
	r->y -= 20;
}

void render_headers_footers(struct cb_renderer *r)
{
	size_t i;
	double y = 34, lw = render_text_width(r, FONT_REGULAR, SIZE_SMALL, r->foot_left);

	for (i = 0; i < r->n_pages; i++) {
		const char *right = render_fmt(r, "%s \xE2\x80\x94 page %zu of %zu", r->dispute_id,
					       i + 1, r->n_pages);
		double rw = render_text_width(r, FONT_REGULAR, SIZE_SMALL, right);

		r->page = r->pages[i];
		render_hrule(r, r->x0, r->x1, y + 10, 0.6, RGB_RULE);
		if (lw + rw + 24 <= r->x1 - r->x0)
			render_text_at(r, FONT_REGULAR, SIZE_SMALL, RGB_MUTED, r->x0, y,
				       r->foot_left, strlen(r->foot_left));
		render_text_at(r, FONT_REGULAR, SIZE_SMALL, RGB_MUTED, r->x1 - rw, y, right,
			       strlen(right));
	}
}

/* ---- tables --------------------------------------------------------- */

static double col_x(const struct render_table *t, size_t c)
{
	double x = t->x0;
	size_t i;

	for (i = 0; i < c; i++)
		x += t->w[i];
	return x;
}

static double col_w(const struct render_table *t, size_t c)
{
	return t->w[c];
}

/* Column titles are ours and short: one line each, no wrapping needed. */
static void draw_table_header(struct cb_renderer *r, struct render_table *t)
{
	double h = CELL_LEAD + 2 * CELL_PAD_Y;
	size_t c;

	render_fill_rect(r, t->x0, r->y - h, t->x1 - t->x0, h, RGB_FILL);
	for (c = 0; c < t->ncols; c++) {
		const char *s = t->cols[c].title ? t->cols[c].title : "";
		double x = col_x(t, c) + CELL_PAD_X;

		if (t->cols[c].flags & COL_RIGHT)
			x = col_x(t, c) + col_w(t, c) - CELL_PAD_X -
			    render_text_width(r, FONT_BOLD, SIZE_BODY - 1, s);
		render_text_at(r, FONT_BOLD, SIZE_BODY - 1, RGB_HEAD, x,
			       baseline(r->y - CELL_PAD_Y, SIZE_BODY - 1, CELL_LEAD), s, strlen(s));
	}
	render_hrule(r, t->x0, t->x1, r->y - h, 0.8, RGB_HEAD);
	r->y -= h;
}

static void table_new_page(struct cb_renderer *r, struct render_table *t)
{
	render_page_new(r);
	if (t->header)
		draw_table_header(r, t);
}

void render_table_begin(struct cb_renderer *r, struct render_table *t,
			const struct render_col *cols, size_t ncols, bool header)
{
	size_t c;

	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
	t->header = header;
	t->x0 = r->x0;
	t->x1 = r->x1;
	for (c = 0; c < t->ncols; c++)
		t->w[c] = (t->x1 - t->x0) * cols[c].frac;
}

/*
 * Widen column c so that `text` (bold, as highlighted rows are) fits on one
 * line, taking the room from the other columns in proportion to their width.
 * Call before the first row. A column never takes more than half the table.
 */
void render_table_fit(struct cb_renderer *r, struct render_table *t, size_t c, const char *text)
{
	double need = render_text_width(r, FONT_BOLD, SIZE_BODY, text) + 2 * CELL_PAD_X + 1;
	double total = t->x1 - t->x0, others = total - t->w[c], extra, scale;
	size_t i;

	if (need > total / 2)
		need = total / 2;
	if (c >= t->ncols || need <= t->w[c] || others <= 0)
		return;
	extra = need - t->w[c];
	scale = (others - extra) / others;
	for (i = 0; i < t->ncols; i++)
		t->w[i] = i == c ? need : t->w[i] * scale;
}

static enum render_font cell_font(const struct render_table *t, size_t c, unsigned flags)
{
	if (flags & (ROW_STRONG | ROW_HIGHLIGHT | ROW_TOTAL))
		return FONT_BOLD;
	return (t->cols[c].flags & COL_BOLD) ? FONT_BOLD : FONT_REGULAR;
}

/* Draw lines [from, from + n) of every cell of a row as one band of the page. */
static void draw_row_band(struct cb_renderer *r, struct render_table *t,
			  const char *const *texts, unsigned flags, size_t from, size_t n)
{
	double h = (double)n * CELL_LEAD + 2 * CELL_PAD_Y;
	size_t c, k;

	if (flags & ROW_HIGHLIGHT)
		render_fill_rect(r, t->x0, r->y - h, t->x1 - t->x0, h, RGB_HIGHLIGHT);
	else if (t->header && t->rows % 2 == 1)
		render_fill_rect(r, t->x0, r->y - h, t->x1 - t->x0, h, RGB_ZEBRA);
	if (flags & ROW_TOTAL)
		render_hrule(r, t->x0, t->x1, r->y, 0.8, RGB_MUTED);
	for (c = 0; c < t->ncols; c++) {
		enum render_font f = cell_font(t, c, flags);
		struct render_rgb color = (t->cols[c].flags & COL_MUTED) ? RGB_MUTED : RGB_TEXT;
		const struct render_lines *ls = &r->cell[c];

		for (k = from; k < from + n && k < ls->n; k++) {
			const struct render_line *l = &ls->v[k];
			double x = col_x(t, c) + CELL_PAD_X;
			double y = baseline(r->y - CELL_PAD_Y - (double)(k - from) * CELL_LEAD,
					    SIZE_BODY, CELL_LEAD);

			if (t->cols[c].flags & COL_RIGHT)
				x = col_x(t, c) + col_w(t, c) - CELL_PAD_X - l->width;
			render_text_at(r, f, SIZE_BODY, color, x, y, texts[c] + l->off, l->len);
		}
	}
	render_hrule(r, t->x0, t->x1, r->y - h, 0.5, RGB_RULE);
	r->y -= h;
}

static size_t lines_that_fit(const struct cb_renderer *r)
{
	double avail = r->y - r->ybot - 2 * CELL_PAD_Y;

	return avail < CELL_LEAD ? 0 : (size_t)(avail / CELL_LEAD);
}

void render_table_row(struct cb_renderer *r, struct render_table *t,
		      const char *const *cells, unsigned flags)
{
	const char *texts[TABLE_MAX_COLS];
	double room = r->ytop - r->ybot - (t->header ? CELL_LEAD + 2 * CELL_PAD_Y : 0);
	size_t c, rows = 1, done = 0;

	if (!r->page)
		render_page_new(r);
	if (t->header && t->rows == 0) {
		render_need(r, 3 * CELL_LEAD + 4 * CELL_PAD_Y);
		draw_table_header(r, t);
	}
	for (c = 0; c < t->ncols; c++) {
		texts[c] = render_clean(r, cells[c]);
		render_wrap(&r->cell[c], r->adv[cell_font(t, c, flags)], texts[c], strlen(texts[c]),
			    SIZE_BODY, col_w(t, c) - 2 * CELL_PAD_X);
		if (r->cell[c].n > rows)
			rows = r->cell[c].n;
	}
	while (done < rows) {
		size_t rest = rows - done, fit = lines_that_fit(r);
		bool fits_fresh = (double)rest * CELL_LEAD + 2 * CELL_PAD_Y <= room;
		bool fresh = r->y >= r->ytop - (t->header ? CELL_LEAD + 2 * CELL_PAD_Y : 0) - 0.01;

		/* Move a row that would fit on a page of its own; split only taller ones. */
		if (!fresh && (fit == 0 || (fit < rest && done == 0 && fits_fresh))) {
			table_new_page(r, t);
			continue;
		}
		if (fit == 0)
			fit = 1;
		if (fit > rest)
			fit = rest;
		draw_row_band(r, t, texts, flags, done, fit);
		done += fit;
	}
	t->rows++;
}

void render_table_end(struct cb_renderer *r, struct render_table *t)
{
	(void)t;
	render_gap(r, 6);
}

static const struct render_col kv_cols[] = {
	{ NULL, 0.30, COL_MUTED },
	{ NULL, 0.70, COL_LEFT },
};

void render_kv_begin(struct cb_renderer *r, struct render_table *t)
{
	render_table_begin(r, t, kv_cols, 2, false);
}

void render_kv(struct cb_renderer *r, struct render_table *t, const char *label,
	       const char *value, unsigned flags)
{
	const char *cells[2];

	if (render_is_blank(value))
		return;
	cells[0] = label;
	cells[1] = value;
	render_table_row(r, t, cells, flags);
}
