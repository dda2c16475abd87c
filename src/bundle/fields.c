/*
 * fields.c: the text evidence fields, as the gateway's API body.
 *
 * Gateways cap each text field and all of them together (Stripe: 20,000
 * and 150,000 characters). A field over the cap is never cut silently: the
 * longest free-text fields are shortened to a common length, each ending in
 * an explicit marker that sends the reader to the PDF, and each cut becomes
 * a manifest warning. Lengths are code points, as the gateways count them.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/text.h"
#include "bundle_int.h"

/* byte offset of the first `chars` code points of valid UTF-8 */
static size_t prefix_bytes(const char *s, size_t chars)
{
	size_t i = 0;

	while (s[i] && chars) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars--;
	}
	return i;
}

void cb_bundle_truncate(char **s, size_t chars)
{
	struct cb_buf b = CB_BUF_INIT;
	size_t mlen = cb_utf8_len(CB_TRUNC_MARKER), keep;

	/* the text, a space, the marker: exactly `chars` code points */
	keep = chars > mlen + 1 ? chars - mlen - 1 : 0;
	cb_buf_add(&b, *s, prefix_bytes(*s, keep));
	if (keep)
		cb_buf_addc(&b, ' ');
	if (chars >= mlen)
		cb_buf_adds(&b, CB_TRUNC_MARKER);
	else
		cb_buf_add(&b, CB_TRUNC_MARKER, prefix_bytes(CB_TRUNC_MARKER, chars));
	free(*s);
	*s = b.ptr ? cb_buf_detach(&b) : cb_xstrdup("");
}

static void cut(struct cb_field_val *f, size_t chars, const char *why, struct cb_strv *warnings)
{
	char from[32], to[32];

	if (!f->orig_chars)
		f->orig_chars = f->chars;
	cb_bundle_truncate(&f->value, chars);
	f->chars = cb_utf8_len(f->value);
	cb_strv_addf(warnings, "text field '%s' shortened from %s to %s characters (%s)", f->name,
		     cb_bundle_fmt_int(from, sizeof(from), (int64_t)f->orig_chars),
		     cb_bundle_fmt_int(to, sizeof(to), (int64_t)f->chars), why);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The largest cap C with sum(min(chars_i, C)) <= total: fields shorter than
 * C stay whole, the longer ones share what is left equally.
 */
static size_t water_level(const struct cb_field_val *f, size_t n, size_t total)
{
	size_t *len = cb_xcalloc(n, sizeof(*len)), i, used = 0, cap = 0;

	for (i = 0; i < n; i++)
		len[i] = f[i].chars;
	qsort(len, n, sizeof(*len), cmp_size);
	for (i = 0; i < n; i++) {
		size_t rest = n - i;   /* fields at least len[i] long */

		if (used + len[i] * rest > total) {
			cap = (total - used) / rest;
			break;
		}
		used += len[i];
		cap = len[i];
	}
	free(len);
	return cap;
}

int cb_bundle_fields_fit(struct cb_field_val *f, size_t n, int64_t field_max, int64_t total_max,
			 const char *layout_name, struct cb_strv *warnings, struct cb_error *err)
{
	char why[96], lim[32];
	size_t i, total = 0, cap, mlen = cb_utf8_len(CB_TRUNC_MARKER);

	for (i = 0; i < n; i++) {
		f[i].chars = cb_utf8_len(f[i].value);
		f[i].orig_chars = 0;
	}
	if (field_max > 0) {
		snprintf(why, sizeof(why), "the %s-character field limit of layout '%s'",
			 cb_bundle_fmt_int(lim, sizeof(lim), field_max), layout_name);
		for (i = 0; i < n; i++)
			if (f[i].chars > (size_t)field_max)
				cut(&f[i], (size_t)field_max, why, warnings);
	}
	for (i = 0; i < n; i++)
		total += f[i].chars;
	if (total_max <= 0 || total <= (size_t)total_max)
		return 0;
	cap = water_level(f, n, (size_t)total_max);
	if (cap < mlen + 2)
		return cb_error_set(err, CB_ELIMIT,
				    "the text fields are %zu characters together, %zu over the "
				    "%" PRId64 "-character total limit of layout '%s', and cannot be "
				    "shortened to fit", total, total - (size_t)total_max, total_max,
				    layout_name);
	snprintf(why, sizeof(why), "the %s-character total limit of layout '%s'",
		 cb_bundle_fmt_int(lim, sizeof(lim), total_max), layout_name);
	for (i = 0; i < n; i++)
		if (f[i].chars > cap)
			cut(&f[i], cap, why, warnings);
	return 0;
}

/*
 * Field names are paths into the gateway's body: "customer_name" is a key,
 * "evidences[].evidence_info.tracking_info[].carrier_name" walks objects
 * and the first element of arrays (PayPal's provide-evidence shape).
 */
static json_t *child(json_t *parent, const char *seg, size_t len)
{
	bool array = len > 2 && !memcmp(seg + len - 2, "[]", 2);
	char *key = cb_xstrndup(seg, array ? len - 2 : len);
	json_t *c = json_object_get(parent, key), *el;

	if (!array) {
		if (!json_is_object(c)) {
			c = json_object();
			json_object_set_new(parent, key, c);
		}
	} else {
		if (!json_is_array(c)) {
			c = json_array();
			json_object_set_new(parent, key, c);
		}
		el = json_array_get(c, 0);
		if (!json_is_object(el)) {
			el = json_object();
			json_array_append_new(c, el);
		}
		c = el;
	}
	free(key);
	return c;
}

static void set_path(json_t *root, const char *path, const char *value)
{
	const char *dot;
	json_t *o = root;

	while ((dot = strchr(path, '.')) != NULL) {
		o = child(o, path, (size_t)(dot - path));
		path = dot + 1;
	}
	json_object_set_new(o, path, json_string(value));
}

char *cb_bundle_fields_json(const struct cb_field_val *f, size_t n)
{
	json_t *o = json_object();
	char *s;
	size_t i;

	for (i = 0; i < n; i++)
		set_path(o, f[i].name, f[i].value);
	s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	if (!s)
		abort();   /* only on out of memory */
	return s;
}

void cb_bundle_tidy_text(char *s)
{
	char *r = s, *w = s, *eol, *a, *b;

	/* template indentation and blank lines left by empty sections go */
	while (*r) {
		eol = strchr(r, '\n');
		if (!eol)
			eol = r + strlen(r);
		for (a = r; a < eol && (*a == ' ' || *a == '\t' || *a == '\r'); a++)
			;
		for (b = eol; b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'); b--)
			;
		if (b > a) {
			if (w != s)
				*w++ = '\n';
			memmove(w, a, (size_t)(b - a));
			w += b - a;
		}
		r = *eol ? eol + 1 : eol;
	}
	*w = '\0';
}
