#ifndef CBPACK_RENDER_H
#define CBPACK_RENDER_H

/*
 * PDF rendering with libharu. One renderer per worker: it holds the fonts
 * and reuses its libharu document between packets (HPDF_NewDoc), so a batch
 * pays font loading once. Output is byte-for-byte reproducible: no wall-clock
 * time is written (dates come from the packet or SOURCE_DATE_EPOCH).
 *
 * Every string goes through cb_render_text_clean before libharu sees it:
 * valid UTF-8, NFC, and characters the embedded font cannot show replaced by
 * a visible marker and counted (libharu would silently drop or mangle them).
 */

#include <stddef.h>
#include <stdint.h>

struct cb_buf;
struct cb_error;
struct cb_packet;
struct cb_renderer;

struct cb_render_opts {
	const char *title;               /* PDF title and cover heading */
	const char *const *sections;     /* section names in order, NULL-terminated */
	const char *rebuttal;            /* expanded rebuttal letter for the cover */
	const char *exhibit_index;       /* optional: extra lines for the cover's index */
	double page_width, page_height;  /* points */
	/*
	 * Images: 0 = embed JPEGs as they are and PNGs decoded; else the longest
	 * side in pixels and the JPEG quality each image is re-encoded to.
	 */
	int image_max_px, jpeg_quality;
	const char *const *image_kinds;  /* attachment kinds the images section shows; NULL = all */
};

struct cb_render_result {
	unsigned char *pdf;              /* malloc'd; caller frees */
	size_t len;
	int pages;
	size_t replaced_chars;           /* characters the font could not show */
	size_t images;                   /* images embedded */
};

/** `font_dir` holds cbpack-sans.ttf and cbpack-sans-bold.ttf; NULL = the default. */
int cb_renderer_new(struct cb_renderer **out, const char *font_dir, struct cb_error *err);
void cb_renderer_free(struct cb_renderer *r);

/** The font directory: $CBPACK_FONTS, else the compiled-in one. */
const char *cb_render_font_dir(void);

int cb_render_packet(struct cb_renderer *r, const struct cb_packet *p,
		     const struct cb_render_opts *o, struct cb_render_result *out,
		     struct cb_error *err);
void cb_render_result_release(struct cb_render_result *res);

/**
 * Append `s` to `out` as the renderer will show it; returns the number of
 * characters replaced by the marker. Exposed for tests and the fields file.
 */
size_t cb_render_text_clean(struct cb_buf *out, const char *s);

#endif
