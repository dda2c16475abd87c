/*
 * layout.c: finding layouts, reading a loaded one, and checking its
 * template keys and evidence kinds against the lists the evidence module
 * knows. Loading and validation are in layout_load.c, templates in
 * layout_expand.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/layout.h"
#include "layout_int.h"

#ifndef CB_LAYOUTDIR
#define CB_LAYOUTDIR "layouts"
#endif

void *pool_calloc(struct pool *p, size_t nmemb, size_t size)
{
	void *mem = cb_xcalloc(nmemb ? nmemb : 1, size ? size : 1);

	p->ptrs = cb_xgrow(p->ptrs, sizeof(*p->ptrs), p->n + 1, &p->alloc);
	p->ptrs[p->n++] = mem;
	return mem;
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *d = pool_calloc(p, n + 1, 1);

	memcpy(d, s, n);
	return d;
}

char *pool_strdup(struct pool *p, const char *s)
{
	return s ? pool_strndup(p, s, strlen(s)) : NULL;
}

void pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->ptrs[i]);
	free(p->ptrs);
	p->ptrs = NULL;
	p->n = p->alloc = 0;
}

void cb_layout_free(struct cb_layout *l)
{
	if (!l)
		return;
	free(l->files);
	free(l->file_reasons);
	free(l->fields);
	free(l->tmpls);
	free(l->kinds);
	pool_release(&l->pool);
	free(l);
}

const char *cb_layout_dir(void)
{
	const char *d = getenv("CBPACK_LAYOUTS");

	return d && *d ? d : CB_LAYOUTDIR;
}

/* A layout name is one plain file name: no directories, no way out. */
static bool plain_name(const char *name)
{
	return *name && !strchr(name, '/') && !strchr(name, '\\') && !strstr(name, "..");
}

int cb_layout_find(struct cb_layout **out, const char *name, struct cb_error *err)
{
	struct cb_buf path = CB_BUF_INIT;
	struct stat st;
	int rc;

	*out = NULL;
	if (!name || !plain_name(name))
		return cb_error_set(err, CB_EUSAGE, "layout name '%s' is not a plain name",
				    name ? name : "");
	cb_buf_addf(&path, "%s/%s.xml", cb_layout_dir(), name);
	if (stat(path.ptr, &st) < 0) {
		rc = errno == ENOENT
			? cb_error_set(err, CB_ENOTFOUND, "no layout '%s' in '%s'", name,
				       cb_layout_dir())
			: cb_error_set(err, CB_EIO, "cannot open layout '%s': %s", path.ptr,
				       strerror(errno));
		goto out;
	}
	rc = cb_layout_load(out, path.ptr, err);
out:
	cb_buf_release(&path);
	return rc;
}

const char *cb_layout_name(const struct cb_layout *l)
{
	return l->name;
}

const char *cb_layout_gateway(const struct cb_layout *l)
{
	return l->gateway;
}

const char *cb_layout_digest(const struct cb_layout *l)
{
	return l->digest;
}

const struct cb_limits *cb_layout_limits(const struct cb_layout *l)
{
	return &l->limits;
}

size_t cb_layout_files(const struct cb_layout *l, enum cb_reason reason,
		       const struct cb_layout_file *const **out)
{
	if ((unsigned)reason >= CB_REASON_COUNT)
		reason = CB_REASON_GENERAL;
	*out = l->by_reason[reason];
	return l->n_by_reason[reason];
}

const char *const *cb_layout_section_order(const struct cb_layout *l, enum cb_reason reason)
{
	if ((unsigned)reason >= CB_REASON_COUNT)
		reason = CB_REASON_GENERAL;
	return l->order[reason];
}

const char *const *cb_layout_required(const struct cb_layout *l, enum cb_reason reason)
{
	if ((unsigned)reason >= CB_REASON_COUNT)
		reason = CB_REASON_GENERAL;
	return l->required[reason];
}

size_t cb_layout_fields(const struct cb_layout *l, const struct cb_layout_field **out)
{
	*out = l->fields;
	return l->n_fields;
}

const char *cb_layout_rebuttal(const struct cb_layout *l, enum cb_reason reason)
{
	if ((unsigned)reason >= CB_REASON_COUNT)
		reason = CB_REASON_GENERAL;
	return l->letters[reason];
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* Template lookup that knows exactly the keys in ctx's list. */
static int listed_key(void *ctx, const char *key, struct cb_buf *out)
{
	(void)out;
	return in_list(ctx, key) ? 0 : CB_ENOTFOUND;
}

int cb_layout_check_names(const struct cb_layout *l, const char *const *keys,
			  const char *const *kinds, struct cb_error *err)
{
	struct cb_buf sink = CB_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; keys && i < l->n_tmpls; i++) {
		const struct layout_tmpl *t = &l->tmpls[i];

		rc = cb_layout_expand(&sink, t->tmpl, listed_key, (void *)keys, err);
		if (rc < 0) {
			cb_error_prefix(err, "%s", t->what);
			cb_error_prefix(err, "%s:%ld", t->at.file, t->at.line);
			goto out;
		}
	}
	for (i = 0; kinds && i < l->n_kinds; i++) {
		const struct layout_kind *k = &l->kinds[i];

		if (!in_list(kinds, k->kind)) {
			rc = cb_error_at(err, CB_EPARSE, k->at.file, k->at.line,
					 "element 'required': unknown evidence kind '%s'", k->kind);
			goto out;
		}
	}
out:
	cb_buf_release(&sink);
	return rc;
}
