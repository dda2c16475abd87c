/*
 * layout_expand.c: the layouts' small template language. "{{key}}" is the
 * value of a packet key; "{{#key}}...{{/key}}" keeps its body only when the
 * key has a non-empty value. Nothing else: no escapes, no loops, no
 * inverted blocks, so a layout author cannot write anything surprising.
 *
 * A block that is left out also takes one following space with it when the
 * text before it already ends in white space, so that sentences written one
 * per line and wrapped in blocks do not leave double spaces behind.
 *
 * Keys inside a block that is left out are still looked up, so that a typo
 * is an error on every packet, not only on those that have the value.
 */
#include <stdbool.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/layout.h"
#include "layout_int.h"

#define KEY_MAX 64

struct tpl {
	const char *p;             /* cursor in the template */
	cb_value_fn lookup;
	void *ctx;
	struct cb_buf scratch;     /* values only tested, never shown */
	struct cb_error *err;
};

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Keys are dotted lower-case words: "shipping.tracking_numbers". */
static bool key_valid(const char *k)
{
	bool word = false;

	for (; *k; k++) {
		if (key_char(*k))
			word = true;
		else if (*k == '.' && word)
			word = false;
		else
			return false;
	}
	return word;
}

/*
 * Read the tag at t->p (which points at "{{") into *kind ('#', '/' or 0)
 * and key, and move past its "}}".
 */
static int read_tag(struct tpl *t, char *kind, char key[KEY_MAX + 1])
{
	const char *start = t->p + 2, *end = strstr(start, "}}");
	size_t n;

	if (!end)
		return cb_error_set(t->err, CB_EPARSE, "unterminated template tag '%.40s'", t->p);
	*kind = (*start == '#' || *start == '/') ? *start : 0;
	if (*kind)
		start++;
	n = (size_t)(end - start);
	if (n == 0)
		return cb_error_set(t->err, CB_EPARSE, "empty template tag '%.*s'",
				    (int)(end + 2 - t->p), t->p);
	if (n > KEY_MAX)
		return cb_error_set(t->err, CB_EPARSE, "template key '%.*s...' is too long",
				    KEY_MAX, start);
	memcpy(key, start, n);
	key[n] = '\0';
	if (!key_valid(key))
		return cb_error_set(t->err, CB_EPARSE,
				    "bad template key '%s' (dotted lower-case words, no spaces)", key);
	t->p = end + 2;
	return 0;
}

/* Append key's value to out; CB_EPARSE naming a key lookup() does not know. */
static int lookup_key(struct tpl *t, const char *key, struct cb_buf *out)
{
	int rc = t->lookup(t->ctx, key, out);

	if (rc == CB_ENOTFOUND)
		return cb_error_set(t->err, CB_EPARSE, "unknown template key '%s'", key);
	if (rc < 0)
		return cb_error_set(t->err, rc, "template key '%s': no value could be read", key);
	return 0;
}

static bool ends_in_space(const struct cb_buf *b)
{
	return b->len == 0 || b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\n';
}

/*
 * Expand from t->p up to the "{{/open}}" that closes `open` (or the end when
 * open is NULL). With emit false, only check and look keys up.
 */
static int expand_until(struct tpl *t, struct cb_buf *out, const char *open, bool emit)
{
	char kind = 0, key[KEY_MAX + 1];
	const char *q;
	bool has;
	int rc;

	for (;;) {
		q = strstr(t->p, "{{");
		if (!q) {
			if (emit)
				cb_buf_adds(out, t->p);
			t->p += strlen(t->p);
			if (open)
				return cb_error_set(t->err, CB_EPARSE,
						    "'{{#%s}}' is not closed by '{{/%s}}'", open, open);
			return 0;
		}
		if (emit)
			cb_buf_add(out, t->p, (size_t)(q - t->p));
		t->p = q;
		if ((rc = read_tag(t, &kind, key)) < 0)
			return rc;
		if (kind == '/') {
			if (!open)
				return cb_error_set(t->err, CB_EPARSE,
						    "'{{/%s}}' closes no '{{#%s}}'", key, key);
			if (strcmp(key, open) != 0)
				return cb_error_set(t->err, CB_EPARSE,
						    "'{{/%s}}' where '{{/%s}}' was expected", key, open);
			return 0;
		}
		if (kind == '#') {
			cb_buf_reset(&t->scratch);
			if ((rc = lookup_key(t, key, &t->scratch)) < 0)
				return rc;
			has = t->scratch.len > 0;
			if ((rc = expand_until(t, out, key, emit && has)) < 0)
				return rc;
			if (emit && !has && *t->p == ' ' && ends_in_space(out))
				t->p++;
			continue;
		}
		if (emit) {
			rc = lookup_key(t, key, out);
		} else {
			cb_buf_reset(&t->scratch);
			rc = lookup_key(t, key, &t->scratch);
		}
		if (rc < 0)
			return rc;
	}
}

int cb_layout_expand(struct cb_buf *out, const char *tmpl, cb_value_fn lookup, void *ctx,
		     struct cb_error *err)
{
	struct tpl t = { tmpl, lookup, ctx, CB_BUF_INIT, err };
	size_t start = out->len;
	int rc;

	rc = expand_until(&t, out, NULL, true);
	cb_buf_release(&t.scratch);
	if (rc < 0 && out->ptr) {
		/* leave `out` as it was: no half-expanded text */
		out->len = start;
		out->ptr[start] = '\0';
	}
	return rc;
}

static int any_key(void *ctx, const char *key, struct cb_buf *out)
{
	(void)ctx;
	(void)key;
	(void)out;
	return 0;
}

int layout_template_check(const char *tmpl, struct cb_error *err)
{
	struct cb_buf sink = CB_BUF_INIT;
	int rc = cb_layout_expand(&sink, tmpl, any_key, NULL, err);

	cb_buf_release(&sink);
	return rc;
}
