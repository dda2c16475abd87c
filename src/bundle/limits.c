/*
 * limits.c: the gateway's limits, enforced rather than hoped for.
 *
 * Every file the gateway receives is measured against the layout's per-file
 * and total limits on bytes and pages. When the bytes do not fit, the images
 * are re-encoded smaller, one step of the ladder at a time (after Gumroad's
 * q80 -> q60@2000px -> q40@1200px, with finer steps), and the first step
 * that fits wins. When none does, the error says which file, which limit,
 * and by how much: a merchant can act on "1,210,445 bytes over", not on
 * "too big". Nothing is ever cut silently.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cbpack/error.h"
#include "bundle_int.h"

const struct cb_shrink_step cb_shrink_ladder[] = {
	{ 0, 0 }, { 2000, 80 }, { 1600, 70 }, { 1200, 60 },
	{ 1000, 50 }, { 800, 40 }, { 640, 35 }, { 480, 30 }
};
const size_t cb_shrink_ladder_len = sizeof(cb_shrink_ladder) / sizeof(cb_shrink_ladder[0]);

static const char *const limit_names[CB_LIM_COUNT] = {
	"file_bytes", "total_bytes", "file_pages", "total_pages",
	"text_field_chars", "text_total_chars"
};

const char *cb_limit_name(enum cb_limit_id id)
{
	return (unsigned)id < CB_LIM_COUNT ? limit_names[id] : "?";
}

static void measure(struct cb_limit_check *c, const struct cb_limits *lim,
		    const struct cb_bentry *e, size_t n)
{
	size_t i;

	for (i = 0; i < CB_LIM_COUNT; i++) {
		c[i].limit = limit_names[i];
		c[i].max = 0;
		c[i].actual = 0;
		c[i].file = NULL;
		c[i].ok = true;
	}
	c[CB_LIM_FILE_BYTES].max = lim ? lim->file_bytes : 0;
	c[CB_LIM_TOTAL_BYTES].max = lim ? lim->total_bytes : 0;
	c[CB_LIM_FILE_PAGES].max = lim ? lim->file_pages : 0;
	c[CB_LIM_TOTAL_PAGES].max = lim ? lim->total_pages : 0;
	c[CB_LIM_FIELD_CHARS].max = lim ? lim->text_field_chars : 0;
	c[CB_LIM_TOTAL_CHARS].max = lim ? lim->text_total_chars : 0;
	for (i = 0; i < n; i++) {
		if (!e[i].gateway)
			continue;
		c[CB_LIM_TOTAL_BYTES].actual += (int64_t)e[i].len;
		c[CB_LIM_TOTAL_PAGES].actual += e[i].pages;
		if (!c[CB_LIM_FILE_BYTES].file || (int64_t)e[i].len > c[CB_LIM_FILE_BYTES].actual) {
			c[CB_LIM_FILE_BYTES].actual = (int64_t)e[i].len;
			c[CB_LIM_FILE_BYTES].file = e[i].name;
		}
		if (!c[CB_LIM_FILE_PAGES].file || e[i].pages > c[CB_LIM_FILE_PAGES].actual) {
			c[CB_LIM_FILE_PAGES].actual = e[i].pages;
			c[CB_LIM_FILE_PAGES].file = e[i].name;
		}
	}
	for (i = 0; i < CB_LIM_COUNT; i++)
		c[i].ok = c[i].max <= 0 || c[i].actual <= c[i].max;
}

static const char *largest_file(const struct cb_bentry *e, size_t n)
{
	const struct cb_bentry *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].gateway && (!best || e[i].len > best->len))
			best = &e[i];
	return best ? best->name : "?";
}

int cb_bundle_check_limits(struct cb_limit_check *c, const struct cb_limits *lim,
			   const char *layout_name, const struct cb_bentry *e, size_t n,
			   bool *shrinkable, struct cb_error *err)
{
	char a[32], over[32], max[32];
	const struct cb_limit_check *k;

	measure(c, lim, e, n);
	*shrinkable = false;
	k = &c[CB_LIM_FILE_PAGES];
	if (!k->ok)
		return cb_error_set(err, CB_ELIMIT,
				    "%s has %" PRId64 " pages, %" PRId64 " over the %" PRId64
				    "-page limit of layout '%s'",
				    k->file, k->actual, k->actual - k->max, k->max, layout_name);
	k = &c[CB_LIM_TOTAL_PAGES];
	if (!k->ok)
		return cb_error_set(err, CB_ELIMIT,
				    "the bundle's files have %" PRId64 " pages together, %" PRId64
				    " over the %" PRId64 "-page total limit of layout '%s'",
				    k->actual, k->actual - k->max, k->max, layout_name);
	*shrinkable = true;
	k = &c[CB_LIM_FILE_BYTES];
	if (!k->ok)
		return cb_error_set(err, CB_ELIMIT,
				    "%s is %s bytes, %s over the %s-byte limit of layout '%s'",
				    k->file, cb_bundle_fmt_int(a, sizeof(a), k->actual),
				    cb_bundle_fmt_int(over, sizeof(over), k->actual - k->max),
				    cb_bundle_fmt_int(max, sizeof(max), k->max), layout_name);
	k = &c[CB_LIM_TOTAL_BYTES];
	if (!k->ok)
		return cb_error_set(err, CB_ELIMIT,
				    "the bundle's files are %s bytes together, %s over the "
				    "%s-byte total limit of layout '%s' (largest: %s)",
				    cb_bundle_fmt_int(a, sizeof(a), k->actual),
				    cb_bundle_fmt_int(over, sizeof(over), k->actual - k->max),
				    cb_bundle_fmt_int(max, sizeof(max), k->max), layout_name,
				    largest_file(e, n));
	*shrinkable = false;
	return 0;
}

int cb_bundle_shrink(size_t *step, cb_shrink_attempt_fn attempt, void *ctx, struct cb_error *err)
{
	const struct cb_shrink_step *last = NULL;
	bool give_up = false;
	size_t i;
	int rc = CB_ELIMIT;

	for (i = 0; i < cb_shrink_ladder_len; i++) {
		give_up = false;
		last = &cb_shrink_ladder[i];
		rc = attempt(ctx, last, &give_up, err);
		if (rc == 0) {
			*step = i;
			return 0;
		}
		if (rc != CB_ELIMIT || give_up)
			return rc;
	}
	/* say how far the ladder went, so nobody tries a smaller image by hand */
	if (last && err && strlen(err->msg) + 64 < sizeof(err->msg))
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
			 ", even with images at %d px, JPEG quality %d",
			 last->image_max_px, last->jpeg_quality);
	return rc;
}
