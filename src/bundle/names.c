/*
 * names.c: names that end up on disk or inside the zip. Dispute ids and
 * attachment names come from merchants' exports, so they are reduced to a
 * safe alphabet here: a name can never climb out of its folder, hide itself
 * behind a leading dot, or collide with another entry.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbpack/buf.h"
#include "cbpack/bundle.h"
#include "bundle_int.h"

void cb_strv_add(struct cb_strv *sv, const char *s)
{
	sv->v = cb_xgrow(sv->v, sizeof(*sv->v), sv->n + 2, &sv->alloc);
	sv->v[sv->n++] = cb_xstrdup(s);
	sv->v[sv->n] = NULL;
}

void cb_strv_addf(struct cb_strv *sv, const char *fmt, ...)
{
	struct cb_buf b = CB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	cb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	sv->v = cb_xgrow(sv->v, sizeof(*sv->v), sv->n + 2, &sv->alloc);
	sv->v[sv->n++] = b.ptr ? cb_buf_detach(&b) : cb_xstrdup("");
	sv->v[sv->n] = NULL;
}

bool cb_strv_has(const struct cb_strv *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

char **cb_strv_detach(struct cb_strv *sv)
{
	char **v = sv->v ? sv->v : cb_xcalloc(1, sizeof(*v));

	sv->v = NULL;
	sv->n = sv->alloc = 0;
	return v;
}

void cb_strv_free_array(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

void cb_strv_release(struct cb_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

char *cb_bundle_fmt_int(char *out, size_t outlen, int64_t v)
{
	char digits[32];
	size_t nd, i, o = 0;
	int neg = v < 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	nd = strlen(digits);
	if (neg && o + 1 < outlen)
		out[o++] = '-';
	for (i = 0; i < nd && o + 1 < outlen; i++) {
		if (i && (nd - i) % 3 == 0 && o + 2 < outlen)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	if (outlen)
		out[o < outlen ? o : outlen - 1] = '\0';
	return out;
}

static int safe_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

void cb_bundle_file_name(char *out, size_t outlen, const char *dispute_id)
{
	static const char ext[] = ".zip";
	size_t o = 0, cap;
	const unsigned char *s = (const unsigned char *)(dispute_id ? dispute_id : "");

	if (outlen < sizeof(ext) + 1) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	cap = outlen - sizeof(ext);
	for (; *s && o < cap; s++)
		out[o++] = safe_char(*s) ? (char)*s : '_';
	if (o == 0)
		out[o++] = '_';
	/* a leading dot would hide the file and ".." would name the parent */
	if (out[0] == '.')
		out[0] = '_';
	memcpy(out + o, ext, sizeof(ext));
}

void cb_bundle_entry_name(char *out, size_t outlen, const char *original)
{
	const unsigned char *s = (const unsigned char *)(original ? original : "");
	const char *dot;
	size_t o = 0, extlen;
	char c;

	if (outlen < 8) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	for (; *s; s++) {
		c = safe_char(*s) ? (char)*s : '_';
		/* no leading dot, no ".." anywhere */
		if (c == '.' && (o == 0 || out[o - 1] == '.'))
			continue;
		if (o + 1 >= outlen)
			break;
		out[o++] = c;
	}
	while (o && out[o - 1] == '.')
		o--;
	out[o] = '\0';
	if (!o) {
		snprintf(out, outlen, "file");
		return;
	}
	/* cut long names in the middle so the extension survives */
	if (s[0] != '\0' && original) {
		dot = strrchr(original, '.');
		extlen = dot ? strlen(dot) : 0;
		if (extlen > 1 && extlen < 10 && extlen < o) {
			size_t i;
			char ext[10];
			size_t e = 0;

			for (i = 0; i < extlen; i++)
				if (safe_char((unsigned char)dot[i]))
					ext[e++] = dot[i];
			if (e > 1 && e < o) {
				memcpy(out + o - e, ext, e);
				out[o] = '\0';
			}
		}
	}
}

void cb_bundle_name_unique(char *name, size_t len, struct cb_strv *used)
{
	char base[256], ext[64];
	const char *dot, *slash;
	int i;

	if (!cb_strv_has(used, name)) {
		cb_strv_add(used, name);
		return;
	}
	slash = strrchr(name, '/');
	dot = strrchr(name, '.');
	if (!dot || (slash && dot < slash) || dot == name || strlen(dot) >= sizeof(ext))
		dot = name + strlen(name);
	snprintf(ext, sizeof(ext), "%s", dot);
	snprintf(base, sizeof(base), "%.*s", (int)(dot - name), name);
	for (i = 2; i < 100000; i++) {
		snprintf(name, len, "%.*s-%d%s",
			 (int)(len > strlen(ext) + 8 ? len - strlen(ext) - 8 : 0), base, i, ext);
		if (!cb_strv_has(used, name))
			break;
	}
	cb_strv_add(used, name);
}

/* here rather than in bundle.c, so tests of the standalone parts need no renderer */
void cb_bundle_result_release(struct cb_bundle_result *res)
{
	if (!res)
		return;
	if (res->tmp_path)
		unlink(res->tmp_path);
	free(res->tmp_path);
	free(res->path);
	cb_strv_free_array(res->missing_kinds);
	cb_strv_free_array(res->warning_list);
	memset(res, 0, sizeof(*res));
}
