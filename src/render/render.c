/*
 * render.c: the renderer and one packet's way from struct cb_packet to PDF
 * bytes.
 *
 * A renderer owns one libharu document for its whole life. The fonts are
 * loaded into it once; each packet starts with HPDF_NewDoc, which keeps the
 * font definitions (only HPDF_GetFont is paid per packet). Compression is set
 * right after HPDF_New so that every page is compressed. A libharu error
 * longjmps back here; the document is then freed and rebuilt for the next
 * packet, because nothing but HPDF_Free is safe after such a jump.
 *
 * Nothing in the output depends on the clock or the process: the info dates
 * come from SOURCE_DATE_EPOCH or the dispute, and libharu writes no /ID
 * unless encrypting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf_encoder.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/layout.h"
#include "cbpack/money.h"
#include "cbpack/reason.h"
#include "cbpack/records.h"
#include "cbpack/render.h"
#include "cbpack/timeutil.h"
#include "cbpack/version.h"
#include "render_internal.h"

#ifndef CB_DATADIR
#define CB_DATADIR "/usr/local/share/cbpack"
#endif

#define LETTER_W 612.0
#define LETTER_H 792.0
#define ARENA_BLOCK 32768

#define FONT_FILE "cbpack-sans.ttf"

struct render_block {
	struct render_block *next;
	size_t used, size;
	char data[];
};

const char *cb_render_font_dir(void)
{
	const char *d = getenv("CBPACK_FONTS");

	return (d && *d) ? d : CB_DATADIR "/fonts";
}

/* ---- arena ---------------------------------------------------------- */

char *render_arena_alloc(struct render_arena *a, size_t n)
{
	struct render_block *b = a->head;
	char *p;

	n = (n + 7) & ~(size_t)7;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = cb_xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

/* Keep one block for the next packet; most packets fit in it. */
void render_arena_reset(struct render_arena *a)
{
	struct render_block *b = a->head, *keep = NULL;

	while (b) {
		struct render_block *next = b->next;

		if (!next && b->size == ARENA_BLOCK) {
			keep = b;
			keep->used = 0;
		} else {
			free(b);
		}
		b = next;
	}
	a->head = keep;
}

void render_arena_free(struct render_arena *a)
{
	render_arena_reset(a);
	free(a->head);
	a->head = NULL;
}

/* ---- strings -------------------------------------------------------- */

static const char *arena_copy(struct cb_renderer *r, const char *s, size_t len)
{
	char *d = render_arena_alloc(&r->arena, len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

const char *render_clean(struct cb_renderer *r, const char *s)
{
	if (!s)
		return "";
	cb_buf_reset(&r->clean);
	r->replaced += cb_render_text_clean(&r->clean, s);
	return arena_copy(r, cb_buf_cstr(&r->clean), r->clean.len);
}

const char *render_fmt(struct cb_renderer *r, const char *fmt, ...)
{
	va_list ap;

	cb_buf_reset(&r->slice);
	va_start(ap, fmt);
	cb_buf_vaddf(&r->slice, fmt, ap);
	va_end(ap);
	return arena_copy(r, cb_buf_cstr(&r->slice), r->slice.len);
}

const char *render_money(struct cb_renderer *r, int64_t minor, const char *currency)
{
	char b[64];

	if (minor == CB_NO_AMOUNT)
		return NULL;
	cb_money_format(b, sizeof(b), minor, currency ? currency : "");
	return arena_copy(r, b, strlen(b));
}

const char *render_time(struct cb_renderer *r, int64_t t, int offset_min)
{
	char b[64];

	if (t == CB_NO_TIME)
		return NULL;
	cb_time_format(b, sizeof(b), t, offset_min);
	return arena_copy(r, b, strlen(b));
}

const char *render_date(struct cb_renderer *r, int64_t t)
{
	char b[32];

	if (t == CB_NO_TIME)
		return NULL;
	cb_date_format(b, sizeof(b), t);
	return arena_copy(r, b, strlen(b));
}

bool render_is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

int render_fail(struct cb_renderer *r, int code, const char *fmt, ...)
{
	char msg[CB_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cb_error_set(r->err, code, "dispute '%s': section '%s': %s",
			    r->p && r->p->dispute_id ? r->p->dispute_id : "?",
			    r->section ? r->section : "?", msg);
}

/* ---- libharu document ----------------------------------------------- */

static void on_hpdf_error(HPDF_STATUS status, HPDF_STATUS detail, void *data)
{
	struct cb_renderer *r = data;

	r->hpdf_status = status;
	r->hpdf_detail = detail;
	longjmp(r->jmp, 1);
}

/*
 * The document's UTF-8 CID font. libharu 2.3.0 builds one by looking up a
 * glyph and a width for every BMP code point, 65,536 of them, in every
 * document, and writes a 128 KB CIDToGIDMap: a third of a packet's
 * instructions. Its table-driven branch (taken when the encoder converts
 * with HPDF_CMapEncoder_ToUnicode) looks up only the codes whose cid_map
 * entry is set, and the map stops at the highest of them. So for the length
 * of HPDF_GetFont the UTF-8 encoder is made to look table-driven, with a
 * table of exactly the code points the font has, each its own CID, as the
 * UTF-8 CMap maps them; text.c never lets any other code point through. The
 * encoder's own conversion is put back at once, so text is encoded as before.
 * The entry after the last code point makes libharu's map (which stops one
 * short of the highest CID) include U+2713.
 */
#define CID_LAST 0x2713

static void fill_cid_table(struct cb_renderer *r)
{
	HPDF_Encoder enc = HPDF_GetEncoder(r->doc, "UTF-8");
	HPDF_CMapEncoderAttr a;
	uint32_t cp;

	r->utf8 = NULL;
	if (!enc || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE || !enc->attr ||
	    enc->to_unicode_fn == HPDF_CMapEncoder_ToUnicode)
		return;
	a = (HPDF_CMapEncoderAttr)enc->attr;
	for (cp = 1; cp <= CID_LAST + 1; cp++)
		if (cp == CID_LAST + 1 || render_font_has(cp)) {
			a->cid_map[cp >> 8][cp & 0xFF] = (HPDF_UINT16)cp;
			a->unicode_map[cp >> 8][cp & 0xFF] = (HPDF_UNICODE)cp;
		}
	r->utf8 = enc;
}

static HPDF_Font get_font(struct cb_renderer *r)
{
	HPDF_Encoder enc = r->utf8;
	HPDF_Encoder_ToUnicode_Func own;
	HPDF_Font font;

	if (!enc)
		return HPDF_GetFont(r->doc, r->font_name, "UTF-8");
	/* The UTF-8 decoder keeps its state in the first cells of cid_map. */
	memset(((HPDF_CMapEncoderAttr)enc->attr)->cid_map[0], 0, 32 * sizeof(HPDF_UINT16));
	own = enc->to_unicode_fn;
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	font = HPDF_GetFont(r->doc, r->font_name, "UTF-8");
	enc->to_unicode_fn = own;
	return font;
}

HPDF_Font render_cid_font(struct cb_renderer *r)
{
	if (!r->font_cid)
		r->font_cid = get_font(r);
	return r->font_cid;
}

/*
 * Most packets are all CP1252 text (English, and names such as José Muñoz).
 * The same embedded font, addressed through WinAnsiEncoding, draws those
 * strings at one byte a character instead of four hex digits, and costs
 * nothing to set up; the CID font is made only for a document with text
 * beyond CP1252 (Nguyễn Thị Hương). Both share the font file. The table is
 * read from libharu's own encoder, so it says exactly what libharu will
 * draw: a code point the font has, and its byte.
 */
static void map_winansi(struct cb_renderer *r)
{
	HPDF_Encoder enc = HPDF_GetEncoder(r->doc, "WinAnsiEncoding");
	unsigned code;

	r->win_code = cb_xcalloc(WIN_CP_END, 1);
	for (code = 0x20; code <= 0xFF; code++) {
		HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)code);

		if (code != 0x7F && u >= 0x20 && u < WIN_CP_END && render_font_has(u))
			r->win_code[u] = (uint8_t)code;
	}
}

/*
 * The advance widths, read once through a font that is then thrown away
 * (HPDF_NewDoc resets which glyphs count as used). Synthetic bold is the
 * same glyphs with BOLD_SPACE more room each.
 */
static void read_widths(struct cb_renderer *r)
{
	HPDF_Font font = get_font(r);
	uint16_t extra = (uint16_t)(BOLD_SPACE * 1000);
	uint32_t cp;

	r->adv[FONT_REGULAR] = cb_xcalloc(0x10000, sizeof(uint16_t));
	r->adv[FONT_BOLD] = cb_xcalloc(0x10000, sizeof(uint16_t));
	for (cp = 0; cp < 0x10000; cp++) {
		if (!render_font_has(cp))
			continue;
		r->adv[FONT_REGULAR][cp] = (uint16_t)HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
		r->adv[FONT_BOLD][cp] = (uint16_t)(r->adv[FONT_REGULAR][cp] + extra);
	}
}

/* HPDF_New with our handler, compression, UTF-8 and the font loaded. */
static int open_doc(struct cb_renderer *r, struct cb_error *err)
{
	r->doc = HPDF_New(on_hpdf_error, r);
	if (!r->doc)
		return cb_error_set(err, CB_ERROR, "libharu: cannot create a document");
	if (setjmp(r->jmp)) {
		HPDF_Free(r->doc);
		r->doc = NULL;
		return cb_error_set(err, CB_EIO, "font '%s': libharu error 0x%04X (detail %u)",
				    r->font_path, (unsigned)r->hpdf_status, (unsigned)r->hpdf_detail);
	}
	HPDF_SetCompressionMode(r->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(r->doc);
	HPDF_SetCurrentEncoder(r->doc, "UTF-8");
	r->font_name = HPDF_LoadTTFontFromFile(r->doc, r->font_path, HPDF_TRUE);
	/* On failure libharu keeps reading the file itself: slower, same output. */
	render_font_from_memory(r->doc, r->font_name, (const unsigned char *)r->font_file.ptr,
				r->font_file.len);
	fill_cid_table(r);
	if (!r->adv[FONT_REGULAR])
		read_widths(r);
	if (!r->win_code)
		map_winansi(r);
	return 0;
}

int cb_renderer_new(struct cb_renderer **out, const char *font_dir, struct cb_error *err)
{
	struct cb_renderer *r = cb_xcalloc(1, sizeof(*r));
	size_t n;
	int rc;

	*out = NULL;
	if (!font_dir)
		font_dir = cb_render_font_dir();
	n = strlen(font_dir) + sizeof(FONT_FILE) + 1;
	r->font_path = cb_xmalloc(n);
	snprintf(r->font_path, n, "%s/%s", font_dir, FONT_FILE);
	/* Read here: libharu's own message for a missing file is a bare number. */
	rc = cb_buf_add_file(&r->font_file, r->font_path, err);
	if (rc == 0)
		rc = render_glyphs_load(&r->glyphs, &r->font_file, r->font_path, err);
	if (rc < 0)
		goto fail;
	rc = open_doc(r, err);
	if (rc < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	cb_renderer_free(r);
	return rc;
}

void cb_renderer_free(struct cb_renderer *r)
{
	int f;

	if (!r)
		return;
	if (r->doc)
		HPDF_Free(r->doc);
	render_deflate_release();
	free(r->font_path);
	cb_buf_release(&r->font_file);
	render_glyphs_free(&r->glyphs);
	for (f = 0; f < FONT_COUNT; f++)
		free(r->adv[f]);
	for (f = 0; f < TABLE_MAX_COLS; f++)
		free(r->cell[f].v);
	free(r->win_code);
	free(r->lines.v);
	free(r->pages);
	render_arena_free(&r->arena);
	cb_buf_release(&r->clean);
	cb_buf_release(&r->slice);
	cb_buf_release(&r->win);
	cb_buf_release(&r->file);
	cb_buf_release(&r->pixels);
	cb_buf_release(&r->scaled);
	cb_buf_release(&r->jpeg);
	free(r->jmem);
	free(r);
}

void cb_render_result_release(struct cb_render_result *res)
{
	if (!res)
		return;
	free(res->pdf);
	memset(res, 0, sizeof(*res));
}

/* ---- one packet ----------------------------------------------------- */

static int64_t doc_time(const struct cb_packet *p)
{
	int64_t v;

	if (cb_source_date_epoch(&v) && v >= 0)
		return v;
	return p->opened_at != CB_NO_TIME ? p->opened_at : 0;
}

static void set_info(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	time_t t = (time_t)doc_time(p);
	struct tm tm;
	HPDF_Date d;

	gmtime_r(&t, &tm);
	memset(&d, 0, sizeof(d));
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(r->doc, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(r->doc, HPDF_INFO_MOD_DATE, d);
	HPDF_SetInfoAttr(r->doc, HPDF_INFO_TITLE, r->foot_left);
	HPDF_SetInfoAttr(r->doc, HPDF_INFO_SUBJECT,
			 render_clean(r, render_fmt(r, "Evidence for dispute %s (%s)",
						    r->dispute_id, cb_reason_label(p->reason))));
	HPDF_SetInfoAttr(r->doc, HPDF_INFO_CREATOR, "cbpack " CB_VERSION);
}

static void begin_packet(struct cb_renderer *r, const struct cb_packet *p,
			 const struct cb_render_opts *o, struct cb_error *err)
{
	render_arena_reset(&r->arena);
	r->p = p;
	r->o = o;
	r->err = err;
	r->section = "document";
	r->page = NULL;
	r->n_pages = 0;
	r->replaced = r->images = 0;
	r->index_page = NULL;
	r->n_index = 0;
	r->pw = o->page_width > 0 ? o->page_width : LETTER_W;
	r->ph = o->page_height > 0 ? o->page_height : LETTER_H;
	r->x0 = 54;
	r->x1 = r->pw - 54;
	r->ytop = r->ph - 66;
	r->ybot = 58;
	r->y = r->ytop;

	HPDF_NewDoc(r->doc);
	HPDF_SetCurrentEncoder(r->doc, "UTF-8");
	r->font_cid = NULL;
	r->font_tick = NULL;
	r->font_win = HPDF_GetFont(r->doc, r->font_name, "WinAnsiEncoding");
	r->ts_page = NULL;
	/* Counted once here, although they are drawn on every page. */
	r->dispute_id = render_clean(r, p->dispute_id ? p->dispute_id : "(no id)");
	r->foot_left = render_clean(r, o->title ? o->title : "Chargeback evidence");
	r->head_left = render_clean(r, render_gateway_label(p->gateway));
	r->head_right = render_fmt(r, "Evidence for dispute %s", r->dispute_id);
	set_info(r);
}

/* libharu accepts 3 to 14,400 points a side; 72 is the least that holds a page. */
static int check_page_size(struct cb_renderer *r)
{
	if (r->pw < 72 || r->ph < 72 || r->pw > 14400 || r->ph > 14400)
		return cb_error_set(r->err, CB_EUSAGE,
				    "dispute '%s': page size %gx%g points is not between 72 and 14400",
				    r->dispute_id, r->pw, r->ph);
	return 0;
}

static int check_sections(struct cb_renderer *r)
{
	static const char *const known[] = { CB_SECTION_NAMES };
	const char *const *s;
	size_t i;

	for (s = r->o->sections; s && *s; s++) {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(*s, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			return cb_error_set(r->err, CB_EUSAGE, "dispute '%s': unknown section '%s'",
					    r->dispute_id, *s);
	}
	return 0;
}

static int draw_sections(struct cb_renderer *r)
{
	const char *const *s;
	int rc;

	for (s = r->o->sections; s && *s; s++) {
		r->section = *s;
		if (strcmp(*s, "cover") == 0)
			rc = render_cover(r);
		else if (render_section_has_content(r, *s))
			rc = render_section(r, *s);
		else
			rc = 0;
		if (rc < 0)
			return rc;
	}
	r->section = "document";
	if (r->n_pages == 0)
		render_page_new(r);
	render_cover_index(r);
	render_headers_footers(r);
	return 0;
}

/* HPDF_ReadFromStream reports STREAM_EOF even when it delivered every byte. */
static void save_pdf(struct cb_renderer *r, struct cb_render_result *out)
{
	HPDF_UINT32 size, got = 0;

	render_glyphs_complete(&r->glyphs, r->doc, r->font_name);
	HPDF_SaveToStream(r->doc);
	size = HPDF_GetStreamSize(r->doc);
	HPDF_ResetStream(r->doc);
	out->pdf = cb_xmalloc(size ? size : 1);
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_STATUS st = HPDF_ReadFromStream(r->doc, out->pdf + got, &n);

		got += n;
		if (st != HPDF_OK || n == 0)
			break;
	}
	out->len = got;
}

int cb_render_packet(struct cb_renderer *r, const struct cb_packet *p,
		     const struct cb_render_opts *o, struct cb_render_result *out,
		     struct cb_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!r->doc && (rc = open_doc(r, err)) < 0)
		return rc;
	if (setjmp(r->jmp)) {
		/* After a jump only HPDF_Free is safe; open_doc rebuilds next time. */
		HPDF_Free(r->doc);
		r->doc = NULL;
		free(out->pdf);
		memset(out, 0, sizeof(*out));
		return cb_error_set(err, CB_ERROR,
				    "dispute '%s': section '%s': libharu error 0x%04X (detail %u)",
				    p->dispute_id ? p->dispute_id : "?", r->section,
				    (unsigned)r->hpdf_status, (unsigned)r->hpdf_detail);
	}
	begin_packet(r, p, o, err);
	rc = check_page_size(r);
	if (rc == 0)
		rc = check_sections(r);
	if (rc == 0)
		rc = draw_sections(r);
	if (rc < 0)
		return rc;
	save_pdf(r, out);
	if (out->len != HPDF_GetStreamSize(r->doc)) {
		free(out->pdf);
		memset(out, 0, sizeof(*out));
		return cb_error_set(err, CB_ERROR, "dispute '%s': short read of the PDF from libharu",
				    r->dispute_id);
	}
	out->pages = (int)r->n_pages;
	out->replaced_chars = r->replaced;
	out->images = r->images;
	return 0;
}
