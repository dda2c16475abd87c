/*
 * render_image.c: the images section: photos, signatures and screenshots
 * attached to the dispute, each scaled to fit the page with a caption naming
 * its kind, file and SHA-256; PDFs and other files are listed, not drawn
 * (the bundle sends them as they are).
 *
 * JPEGs are passed through to the PDF untouched (libharu copies the DCT
 * data) unless the caller asks for a maximum size: then they are decoded
 * with libjpeg, using its DCT scaling to decode no more pixels than needed,
 * box-filtered down and encoded again at the requested quality. PNGs are
 * decoded with libpng, alpha flattened onto white. Every image is checked
 * with libjpeg or libpng before libharu sees it, because a libharu error
 * would abort the whole packet. EXIF orientation is honoured by drawing the
 * image through a transformation matrix, so a passed-through phone photo is
 * not shown on its side.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/text.h"
#include "render_internal.h"

#define MAX_PIXELS (64L * 1000 * 1000)
#define DEFAULT_QUALITY 85

struct raster {
	const unsigned char *px;
	int w, h, comps;
};

struct jpeg_fail {
	struct jpeg_error_mgr pub;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
};

bool render_image_wanted(const struct cb_render_opts *o, const char *kind)
{
	const char *const *k;

	if (!o->image_kinds)
		return true;
	for (k = o->image_kinds; *k; k++)
		if (cb_streq_ci(*k, kind))
			return true;
	return false;
}

static bool is_jpeg(const struct cb_buf *b)
{
	return b->len > 3 && (unsigned char)b->ptr[0] == 0xFF && (unsigned char)b->ptr[1] == 0xD8 &&
	       (unsigned char)b->ptr[2] == 0xFF;
}

static bool is_png(const struct cb_buf *b)
{
	return b->len > 8 && memcmp(b->ptr, "\x89PNG\r\n\x1a\n", 8) == 0;
}

bool render_image_drawable(const char *media_type)
{
	return cb_streq_ci(media_type, "image/jpeg") || cb_streq_ci(media_type, "image/jpg") ||
	       cb_streq_ci(media_type, "image/png");
}

static const char *kind_label(const char *kind)
{
	static const char *const map[][2] = {
		{ "pod", "Proof of delivery" }, { "signature", "Delivery signature" },
		{ "delivery_photo", "Delivery photo" }, { "product_photo", "Product photo" },
		{ "receipt", "Receipt" }, { "policy", "Policy" }, { "other", "Attachment" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cb_streq_ci(kind, map[i][0]))
			return map[i][1];
	return cb_empty(kind) ? "Attachment" : kind;
}

static const char *file_name(const struct cb_pk_attachment *a)
{
	const char *slash;

	if (!cb_empty(a->original_name))
		return a->original_name;
	slash = a->path ? strrchr(a->path, '/') : NULL;
	return slash ? slash + 1 : (a->path ? a->path : "(unnamed)");
}

static int read_file(struct cb_renderer *r, const struct cb_pk_attachment *a)
{
	struct cb_error why = CB_ERROR_INIT;

	cb_buf_reset(&r->file);
	if (!a->path)
		return render_fail(r, CB_EIO, "attachment '%s': no stored file", file_name(a));
	if (cb_buf_add_file(&r->file, a->path, &why) < 0)
		return render_fail(r, CB_EIO, "attachment '%s': %s", file_name(a), why.msg);
	return 0;
}

/* ---- EXIF orientation ------------------------------------------------ */

static unsigned rd16(const unsigned char *p, bool le)
{
	return le ? (unsigned)(p[0] | p[1] << 8) : (unsigned)(p[0] << 8 | p[1]);
}

static unsigned long rd32(const unsigned char *p, bool le)
{
	return le ? ((unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
		     (unsigned long)p[3] << 24) :
		    ((unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
		     (unsigned long)p[2] << 8 | (unsigned long)p[3]);
}

static int tiff_orientation(const unsigned char *t, size_t len)
{
	bool le;
	unsigned long ifd;
	unsigned n, i;

	if (len < 8 || (memcmp(t, "II", 2) != 0 && memcmp(t, "MM", 2) != 0))
		return 1;
	le = t[0] == 'I';
	ifd = rd32(t + 4, le);
	if (ifd + 2 > len)
		return 1;
	n = rd16(t + ifd, le);
	for (i = 0; i < n && ifd + 2 + (i + 1) * 12 <= len; i++) {
		const unsigned char *e = t + ifd + 2 + i * 12;

		if (rd16(e, le) == 0x0112) {
			unsigned v = rd16(e + 8, le);

			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

/* The orientation tag of a JPEG's EXIF block; 1 (as stored) when there is none. */
static int exif_orientation(const unsigned char *b, size_t len)
{
	size_t off = 2;

	while (off + 4 <= len && b[off] == 0xFF) {
		unsigned marker = b[off + 1];
		size_t seg = (size_t)(b[off + 2] << 8 | b[off + 3]);

		if (marker == 0xDA || marker == 0xD9 || seg < 2 || off + 2 + seg > len)
			break;
		if (marker == 0xE1 && seg >= 8 && memcmp(b + off + 4, "Exif\0\0", 6) == 0)
			return tiff_orientation(b + off + 10, seg - 8);
		off += 2 + seg;
	}
	return 1;
}

/*
 * Whether libharu's own JPEG reader will take the file: it walks the markers
 * after SOI strictly (no fill bytes, no junk) to a baseline, extended,
 * progressive or arithmetic SOF. libjpeg is more lenient, so a file it reads
 * can still make libharu fail, and a libharu failure ends the whole packet;
 * such files are decoded and encoded again instead.
 */
static bool haru_takes_jpeg(const unsigned char *b, size_t len)
{
	size_t off = 2;

	while (off + 4 <= len) {
		unsigned tag = (unsigned)(b[off] << 8 | b[off + 1]);
		size_t size = (size_t)(b[off + 2] << 8 | b[off + 3]);

		if (tag == 0xFFC0 || tag == 0xFFC1 || tag == 0xFFC2 || tag == 0xFFC9)
			return off + 10 <= len;
		if ((tag & 0xFF00) != 0xFF00 || tag == 0xFFFF || size < 2)
			return false;
		off += 2 + size;
	}
	return false;
}

/* ---- libjpeg ---------------------------------------------------------- */

static void jpeg_fail_exit(j_common_ptr c)
{
	struct jpeg_fail *f = (struct jpeg_fail *)c->err;

	c->err->format_message(c, f->msg);
	longjmp(f->jmp, 1);
}

/* Modules never print: libjpeg's warnings go nowhere. */
static void jpeg_silent(j_common_ptr c)
{
	(void)c;
}

static struct jpeg_error_mgr *jpeg_errors(struct jpeg_fail *f)
{
	jpeg_std_error(&f->pub);
	f->pub.error_exit = jpeg_fail_exit;
	f->pub.output_message = jpeg_silent;
	f->msg[0] = '\0';
	return &f->pub;
}

struct jpeg_head {
	int w, h, comps, precision;
	J_COLOR_SPACE cs;
};

static int jpeg_probe(const struct cb_buf *b, struct jpeg_head *out, char *msg)
{
	struct jpeg_decompress_struct c;
	struct jpeg_fail f;

	c.err = jpeg_errors(&f);
	if (setjmp(f.jmp)) {
		jpeg_destroy_decompress(&c);
		snprintf(msg, JMSG_LENGTH_MAX, "%s", f.msg);
		return -1;
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, (const unsigned char *)b->ptr, (unsigned long)b->len);
	jpeg_read_header(&c, TRUE);
	out->w = (int)c.image_width;
	out->h = (int)c.image_height;
	out->comps = c.num_components;
	out->precision = c.data_precision;
	out->cs = c.jpeg_color_space;
	jpeg_destroy_decompress(&c);
	return 0;
}

static void cmyk_to_rgb(unsigned char *row, int w, bool inverted)
{
	int x;

	/* In place: each 4-byte CMYK pixel becomes 3 bytes, left to right. */
	for (x = 0; x < w; x++) {
		unsigned c = row[4 * x], m = row[4 * x + 1], y = row[4 * x + 2], k = row[4 * x + 3];

		if (!inverted) {
			c = 255 - c;
			m = 255 - m;
			y = 255 - y;
			k = 255 - k;
		}
		row[3 * x] = (unsigned char)(c * k / 255);
		row[3 * x + 1] = (unsigned char)(m * k / 255);
		row[3 * x + 2] = (unsigned char)(y * k / 255);
	}
}

static unsigned scale_denom(unsigned longest, int max_px)
{
	unsigned denom = 1;

	while (max_px > 0 && denom < 8 && longest / (denom * 2) >= (unsigned)max_px)
		denom *= 2;
	return denom;
}

/* Decode into r->pixels, at 1/2, 1/4 or 1/8 scale when that still leaves max_px. */
static int jpeg_decode(struct cb_renderer *r, int max_px, struct raster *out, char *msg)
{
	struct jpeg_decompress_struct c;
	struct jpeg_fail f;
	size_t stride;
	bool cmyk;

	c.err = jpeg_errors(&f);
	if (setjmp(f.jmp)) {
		jpeg_destroy_decompress(&c);
		snprintf(msg, JMSG_LENGTH_MAX, "%s", f.msg);
		return -1;
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, (const unsigned char *)r->file.ptr, (unsigned long)r->file.len);
	jpeg_read_header(&c, TRUE);
	cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
	c.out_color_space = cmyk ? JCS_CMYK : c.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
	c.scale_num = 1;
	c.scale_denom = scale_denom(c.image_width > c.image_height ? c.image_width : c.image_height,
				    max_px);
	jpeg_start_decompress(&c);
	stride = (size_t)c.output_width * (size_t)c.output_components;
	if ((long)c.output_width * (long)c.output_height > MAX_PIXELS) {
		snprintf(f.msg, sizeof(f.msg), "%ux%u pixels is too large", c.output_width,
			 c.output_height);
		longjmp(f.jmp, 1);
	}
	cb_buf_reset(&r->pixels);
	/* One spare row: CMYK is read there and converted down into place. */
	cb_buf_grow(&r->pixels, stride * (c.output_height + 1));
	while (c.output_scanline < c.output_height) {
		unsigned char *base = (unsigned char *)r->pixels.ptr;
		unsigned char *row = base + (size_t)c.output_scanline *
						    (cmyk ? (size_t)c.output_width * 3 : stride);

		if (cmyk) {
			unsigned char *tmp = base + stride * c.output_height;

			jpeg_read_scanlines(&c, &tmp, 1);
			cmyk_to_rgb(tmp, (int)c.output_width, c.saw_Adobe_marker);
			memcpy(row, tmp, (size_t)c.output_width * 3);
		} else {
			jpeg_read_scanlines(&c, &row, 1);
		}
	}
	out->px = (const unsigned char *)r->pixels.ptr;
	out->w = (int)c.output_width;
	out->h = (int)c.output_height;
	out->comps = cmyk ? 3 : c.output_components;
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	return 0;
}

/* Encode a raster into r->jpeg. */
static int jpeg_encode(struct cb_renderer *r, const struct raster *in, int quality, char *msg)
{
	struct jpeg_compress_struct c;
	struct jpeg_fail f;
	int y;

	r->jmem = NULL;
	r->jmem_len = 0;
	c.err = jpeg_errors(&f);
	if (setjmp(f.jmp)) {
		jpeg_destroy_compress(&c);
		free(r->jmem);
		r->jmem = NULL;
		snprintf(msg, JMSG_LENGTH_MAX, "%s", f.msg);
		return -1;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &r->jmem, &r->jmem_len);
	c.image_width = (JDIMENSION)in->w;
	c.image_height = (JDIMENSION)in->h;
	c.input_components = in->comps;
	c.in_color_space = in->comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	jpeg_start_compress(&c, TRUE);
	for (y = 0; y < in->h; y++) {
		JSAMPROW row = (JSAMPROW)(in->px + (size_t)y * (size_t)in->w * (size_t)in->comps);

		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	/* Copied so that a libharu error later cannot leak libjpeg's buffer. */
	cb_buf_reset(&r->jpeg);
	cb_buf_add(&r->jpeg, r->jmem, r->jmem_len);
	free(r->jmem);
	r->jmem = NULL;
	return 0;
}

/* ---- libpng ------------------------------------------------------------ */

static int png_decode(struct cb_renderer *r, struct raster *out, char *msg)
{
	png_image img;
	png_color white = { 255, 255, 255 };
	size_t size;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, r->file.ptr, r->file.len))
		goto fail;
	img.format = (img.format & PNG_FORMAT_FLAG_COLOR) ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
	if ((long)img.width * (long)img.height > MAX_PIXELS) {
		snprintf(msg, JMSG_LENGTH_MAX, "%ux%u pixels is too large", img.width, img.height);
		png_image_free(&img);
		return -1;
	}
	size = PNG_IMAGE_SIZE(img);
	cb_buf_reset(&r->pixels);
	cb_buf_grow(&r->pixels, size);
	if (!png_image_finish_read(&img, &white, r->pixels.ptr, 0, NULL))
		goto fail;
	out->px = (const unsigned char *)r->pixels.ptr;
	out->w = (int)img.width;
	out->h = (int)img.height;
	out->comps = PNG_IMAGE_PIXEL_CHANNELS(img.format);
	png_image_free(&img);
	return 0;
fail:
	snprintf(msg, JMSG_LENGTH_MAX, "%s", img.message);
	png_image_free(&img);
	return -1;
}

/* ---- scaling ------------------------------------------------------------ */

/* Box filter down to fit max_px on the longest side, into r->scaled. */
static void downscale(struct cb_renderer *r, struct raster *img, int max_px)
{
	int longest = img->w > img->h ? img->w : img->h, tw, th, x, y, k;
	unsigned char *dst;

	if (max_px <= 0 || longest <= max_px)
		return;
	tw = (int)((long)img->w * max_px / longest);
	th = (int)((long)img->h * max_px / longest);
	tw = tw < 1 ? 1 : tw;
	th = th < 1 ? 1 : th;
	cb_buf_reset(&r->scaled);
	cb_buf_grow(&r->scaled, (size_t)tw * (size_t)th * (size_t)img->comps);
	dst = (unsigned char *)r->scaled.ptr;
	for (y = 0; y < th; y++) {
		int y0 = (int)((long)y * img->h / th), y1 = (int)((long)(y + 1) * img->h / th);

		y1 = y1 > y0 ? y1 : y0 + 1;
		for (x = 0; x < tw; x++) {
			int x0 = (int)((long)x * img->w / tw), x1 = (int)((long)(x + 1) * img->w / tw);
			unsigned long sum[3] = { 0, 0, 0 }, n = 0;
			int sy, sx;

			x1 = x1 > x0 ? x1 : x0 + 1;
			for (sy = y0; sy < y1; sy++) {
				const unsigned char *p = img->px +
							 ((size_t)sy * (size_t)img->w + (size_t)x0) *
								 (size_t)img->comps;

				for (sx = x0; sx < x1; sx++, n++)
					for (k = 0; k < img->comps; k++)
						sum[k] += *p++;
			}
			for (k = 0; k < img->comps; k++)
				*dst++ = (unsigned char)((sum[k] + n / 2) / n);
		}
	}
	img->px = (const unsigned char *)r->scaled.ptr;
	img->w = tw;
	img->h = th;
}

/* ---- loading ------------------------------------------------------------ */

struct loaded {
	HPDF_Image image;
	int w, h, orientation;
};

/* Scale `img` down to the options' limit, encode it as JPEG, and load that. */
static int load_reencoded(struct cb_renderer *r, const struct cb_pk_attachment *a,
			  struct raster *img, struct loaded *out)
{
	const struct cb_render_opts *o = r->o;
	int q = o->jpeg_quality > 0 && o->jpeg_quality <= 100 ? o->jpeg_quality : DEFAULT_QUALITY;
	char msg[JMSG_LENGTH_MAX];

	downscale(r, img, o->image_max_px);
	if (jpeg_encode(r, img, q, msg) < 0)
		return render_fail(r, CB_ERROR, "attachment '%s': JPEG encoding failed: %s",
				   file_name(a), msg);
	out->image = HPDF_LoadJpegImageFromMem(r->doc, (const HPDF_BYTE *)r->jpeg.ptr,
					       (HPDF_UINT)r->jpeg.len);
	out->w = img->w;
	out->h = img->h;
	return 0;
}

static int load_jpeg(struct cb_renderer *r, const struct cb_pk_attachment *a, struct loaded *out)
{
	const struct cb_render_opts *o = r->o;
	struct jpeg_head head;
	struct raster img;
	char msg[JMSG_LENGTH_MAX];

	if (jpeg_probe(&r->file, &head, msg) < 0)
		return render_fail(r, CB_EPARSE, "attachment '%s': not a readable JPEG: %s",
				   file_name(a), msg);
	out->orientation = exif_orientation((const unsigned char *)r->file.ptr, r->file.len);
	if (o->image_max_px == 0 && head.precision == 8 &&
	    (head.cs == JCS_GRAYSCALE || head.cs == JCS_YCbCr || head.cs == JCS_RGB) &&
	    haru_takes_jpeg((const unsigned char *)r->file.ptr, r->file.len)) {
		out->image = HPDF_LoadJpegImageFromMem(r->doc, (const HPDF_BYTE *)r->file.ptr,
						       (HPDF_UINT)r->file.len);
		out->w = head.w;
		out->h = head.h;
		return 0;
	}
	if (jpeg_decode(r, o->image_max_px, &img, msg) < 0)
		return render_fail(r, CB_EPARSE, "attachment '%s': not a readable JPEG: %s",
				   file_name(a), msg);
	return load_reencoded(r, a, &img, out);
}

static int load_png(struct cb_renderer *r, const struct cb_pk_attachment *a, struct loaded *out)
{
	struct raster img;
	char msg[JMSG_LENGTH_MAX];

	if (png_decode(r, &img, msg) < 0)
		return render_fail(r, CB_EPARSE, "attachment '%s': not a readable PNG: %s",
				   file_name(a), msg);
	out->orientation = 1;
	if (r->o->image_max_px != 0)
		return load_reencoded(r, a, &img, out);
	out->image = HPDF_LoadRawImageFromMem(r->doc, img.px, (HPDF_UINT)img.w, (HPDF_UINT)img.h,
					      img.comps == 1 ? HPDF_CS_DEVICE_GRAY :
							       HPDF_CS_DEVICE_RGB,
					      8);
	out->w = img.w;
	out->h = img.h;
	return 0;
}

/* ---- drawing ------------------------------------------------------------ */

/*
 * Draw the image into the box (x, y, w, h) as EXIF orientation `o` says the
 * stored pixels should be turned: the matrix maps the image's unit square.
 */
static void draw_oriented(struct cb_renderer *r, HPDF_Image img, int o, double x, double y,
			  double w, double h)
{
	double m[6];

	switch (o) {
	case 2: m[0] = -w; m[1] = 0; m[2] = 0; m[3] = h; m[4] = x + w; m[5] = y; break;
	case 3: m[0] = -w; m[1] = 0; m[2] = 0; m[3] = -h; m[4] = x + w; m[5] = y + h; break;
	case 4: m[0] = w; m[1] = 0; m[2] = 0; m[3] = -h; m[4] = x; m[5] = y + h; break;
	case 5: m[0] = 0; m[1] = -h; m[2] = -w; m[3] = 0; m[4] = x + w; m[5] = y + h; break;
	case 6: m[0] = 0; m[1] = -h; m[2] = w; m[3] = 0; m[4] = x; m[5] = y + h; break;
	case 7: m[0] = 0; m[1] = h; m[2] = w; m[3] = 0; m[4] = x; m[5] = y; break;
	case 8: m[0] = 0; m[1] = h; m[2] = -w; m[3] = 0; m[4] = x + w; m[5] = y; break;
	default: m[0] = w; m[1] = 0; m[2] = 0; m[3] = h; m[4] = x; m[5] = y; break;
	}
	HPDF_Page_GSave(r->page);
	HPDF_Page_Concat(r->page, (HPDF_REAL)m[0], (HPDF_REAL)m[1], (HPDF_REAL)m[2],
			 (HPDF_REAL)m[3], (HPDF_REAL)m[4], (HPDF_REAL)m[5]);
	HPDF_Page_ExecuteXObject(r->page, img);
	HPDF_Page_GRestore(r->page);
}

static const char *sha_prefix(struct cb_renderer *r, const char *sha)
{
	return render_fmt(r, "%.16s", cb_empty(sha) ? "unknown" : sha);
}

static void place_image(struct cb_renderer *r, const struct cb_pk_attachment *a,
			const struct loaded *l)
{
	const double caption_h = 2 * LEAD_BODY + 6;
	bool turned = l->orientation >= 5;
	double iw = turned ? l->h : l->w, ih = turned ? l->w : l->h;
	double maxw = r->x1 - r->x0, maxh = r->ytop - r->ybot - caption_h - 8;
	double s = 1.0, w, h, x, room;

	if (iw * s > maxw)
		s = maxw / iw;
	if (ih * s > maxh)
		s = maxh / ih;
	render_gap(r, 10);
	/* Shrink to the room left on the page rather than leave most of it blank. */
	room = r->y - r->ybot - caption_h - 4;
	if (ih * s > room && room >= ih * s * 0.6)
		s = room / ih;
	w = iw * s;
	h = ih * s;
	render_need(r, caption_h + h + 4);
	render_para(r, render_fmt(r, "%s \xE2\x80\x94 %s", kind_label(a->kind), file_name(a)),
		    FONT_BOLD, SIZE_BODY, LEAD_BODY, 0, RGB_TEXT);
	render_para(r, render_fmt(r, "SHA-256 %s\xE2\x80\xA6 \xC2\xB7 %d \xC3\x97 %d pixels%s",
				  sha_prefix(r, a->sha256), l->w, l->h,
				  l->orientation != 1 ? " \xC2\xB7 shown upright (EXIF orientation)" : ""),
		    FONT_REGULAR, SIZE_BODY - 1, LEAD_BODY, 0, RGB_MUTED);
	r->y -= 6;
	x = r->x0 + (maxw - w) / 2;
	draw_oriented(r, l->image, l->orientation, x, r->y - h, w, h);
	HPDF_Page_SetRGBStroke(r->page, RGB_RULE.r, RGB_RULE.g, RGB_RULE.b);
	HPDF_Page_SetLineWidth(r->page, 0.5);
	HPDF_Page_Rectangle(r->page, (HPDF_REAL)x, (HPDF_REAL)(r->y - h), (HPDF_REAL)w,
			    (HPDF_REAL)h);
	HPDF_Page_Stroke(r->page);
	r->y -= h + 4;
}

static int draw_image(struct cb_renderer *r, const struct cb_pk_attachment *a)
{
	struct loaded l;
	int rc;

	memset(&l, 0, sizeof(l));
	rc = read_file(r, a);
	if (rc < 0)
		return rc;
	if (is_jpeg(&r->file))
		rc = load_jpeg(r, a, &l);
	else if (is_png(&r->file))
		rc = load_png(r, a, &l);
	else
		rc = render_fail(r, CB_EPARSE, "attachment '%s': '%s' but not a JPEG or PNG file",
				 file_name(a), a->media_type ? a->media_type : "image");
	if (rc < 0)
		return rc;
	place_image(r, a, &l);
	r->images++;
	return 0;
}

static void list_documents(struct cb_renderer *r)
{
	static const struct render_col cols[] = {
		{ "Document", 0.22, COL_LEFT }, { "File", 0.32, COL_LEFT },
		{ "Type", 0.18, COL_LEFT }, { "SHA-256", 0.28, COL_MUTED },
	};
	const struct cb_packet *p = r->p;
	struct render_table t;
	size_t i, n = 0;

	for (i = 0; i < p->n_attachments; i++)
		n += render_image_wanted(r->o, p->attachments[i].kind) &&
		     !render_image_drawable(p->attachments[i].media_type);
	if (n == 0)
		return;
	render_h2(r, "Documents sent as separate files", 3 * LEAD_BODY);
	render_table_begin(r, &t, cols, 4, true);
	for (i = 0; i < p->n_attachments; i++) {
		const struct cb_pk_attachment *a = &p->attachments[i];
		const char *cells[4];

		if (!render_image_wanted(r->o, a->kind) || render_image_drawable(a->media_type))
			continue;
		cells[0] = kind_label(a->kind);
		cells[1] = file_name(a);
		cells[2] = a->media_type;
		cells[3] = render_fmt(r, "%s\xE2\x80\xA6", sha_prefix(r, a->sha256));
		render_table_row(r, &t, cells, ROW_PLAIN);
	}
	render_table_end(r, &t);
}

int render_images(struct cb_renderer *r)
{
	const struct cb_packet *p = r->p;
	size_t i;
	int rc;

	for (i = 0; i < p->n_attachments; i++) {
		const struct cb_pk_attachment *a = &p->attachments[i];

		if (!render_image_wanted(r->o, a->kind) || !render_image_drawable(a->media_type))
			continue;
		rc = draw_image(r, a);
		if (rc < 0)
			return rc;
	}
	list_documents(r);
	return 0;
}
