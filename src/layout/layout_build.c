/*
 * layout_build.c: a validated, merged layout tree turned into a struct
 * cb_layout. The schema has already checked shapes and vocabularies; this
 * checks what a schema cannot say (nothing listed twice, one cover per
 * reason, a letter for every reason, well-formed templates) and copies
 * every string out of libxml2, so the tree can be freed afterwards.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/layout.h"
#include "cbpack/reason.h"
#include "layout_int.h"

static const char *const section_names[] = { CB_SECTION_NAMES, NULL };
#define N_SECTIONS (sizeof(section_names) / sizeof(section_names[0]) - 1)

struct build {
	struct cb_layout *l;
	xmlDocPtr doc;
	const char *path;
	const char *last_file;          /* pooled; nodes of one file share it */
	struct cb_error *err;
	xmlNodePtr files_node, letters_node;
	xmlNodePtr *file_nodes;         /* parallel to l->files */
	size_t file_nodes_alloc;
	const char **default_order;
	const char **req[CB_REASON_COUNT];
	size_t n_req[CB_REASON_COUNT], req_alloc[CB_REASON_COUNT];
	const char *default_letter;
};

static bool named(xmlNodePtr n, const char *name)
{
	return !xmlStrcmp(n->name, BAD_CAST name);
}

static struct layout_loc loc_of(struct build *b, xmlNodePtr n)
{
	struct layout_loc at = { b->path, xmlGetLineNo(n) };
	char *file = layout_node_file(n);

	if (file) {
		if (!b->last_file || strcmp(b->last_file, file))
			b->last_file = pool_strdup(&b->l->pool, file);
		at.file = b->last_file;
		free(file);
	}
	return at;
}

static int fail_at(struct build *b, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "file:line: element 'x': message", the shape schema errors have too. */
static int fail_at(struct build *b, xmlNodePtr n, const char *fmt, ...)
{
	struct layout_loc at = loc_of(b, n);
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cb_error_at(b->err, CB_EPARSE, at.file, at.line, "element '%s': %s",
			   (const char *)n->name, msg);
}

static const char *attr(struct build *b, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	const char *s;

	if (!v)
		return NULL;
	s = pool_strdup(&b->l->pool, (const char *)v);
	xmlFree(v);
	return s;
}

static const char *content(struct build *b, xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *s = pool_strdup(&b->l->pool, v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Split on white space into a pooled, NULL-terminated array. */
static const char **words(struct build *b, const char *s, size_t *count)
{
	const char **list, *p, *start;
	size_t n = 0;

	if (!s)
		s = "";
	for (p = s; *p;) {
		while (space(*p))
			p++;
		if (!*p)
			break;
		n++;
		while (*p && !space(*p))
			p++;
	}
	list = pool_calloc(&b->l->pool, n + 1, sizeof(*list));
	for (p = s, n = 0; *p;) {
		while (space(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !space(*p))
			p++;
		list[n++] = pool_strndup(&b->l->pool, start, (size_t)(p - start));
	}
	if (count)
		*count = n;
	return list;
}

static bool listed(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* The first word listed twice in `list`, or NULL. */
static const char *repeated(const char *const *list)
{
	size_t i, j;

	for (i = 0; list[i]; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(list[i], list[j]))
				return list[i];
	return NULL;
}

/*
 * Template text as written in XML, indented and wrapped: lines are trimmed
 * and joined with one space; a blank line between text starts a paragraph.
 */
static const char *norm_template(struct build *b, const char *s)
{
	struct cb_buf out = CB_BUF_INIT;
	bool blank = false;
	const char *end, *a, *z, *t;

	for (; *s; s = *end ? end + 1 : end) {
		end = strchr(s, '\n');
		if (!end)
			end = s + strlen(s);
		for (a = s; a < end && space(*a); a++)
			;
		for (z = end; z > a && space(z[-1]); z--)
			;
		if (a == z) {
			blank = out.len > 0;
			continue;
		}
		if (out.len)
			cb_buf_adds(&out, blank ? "\n\n" : " ");
		blank = false;
		cb_buf_add(&out, a, (size_t)(z - a));
	}
	t = pool_strdup(&b->l->pool, cb_buf_cstr(&out));
	cb_buf_release(&out);
	return t;
}

static int reason_mask(struct build *b, xmlNodePtr n, unsigned inherit, unsigned *mask)
{
	const char *v = attr(b, n, "reasons");
	const char **list;
	enum cb_reason r;
	size_t i;

	*mask = inherit;
	if (!v)
		return 0;
	list = words(b, v, NULL);
	*mask = 0;
	for (i = 0; list[i]; i++) {
		if (cb_reason_parse(&r, list[i]) < 0)
			return fail_at(b, n, "unknown reason '%s'", list[i]);
		if (*mask & (1u << r))
			return fail_at(b, n, "reason '%s' is listed twice", list[i]);
		*mask |= 1u << r;
	}
	return 0;
}

/* The reason="..." of n; *has is false when n has none (a default). */
static int one_reason(struct build *b, xmlNodePtr n, enum cb_reason *r, bool *has)
{
	const char *v = attr(b, n, "reason");

	*has = v != NULL;
	if (v && cb_reason_parse(r, v) < 0)
		return fail_at(b, n, "unknown reason '%s'", v);
	return 0;
}

static int number(struct build *b, xmlNodePtr n, const char *text, long long max, long long *out)
{
	char *end;

	if (!text)
		text = "";
	while (space(*text))
		text++;
	*out = strtoll(text, &end, 10);
	while (space(*end))
		end++;
	if (end == text || *end || *out <= 0 || *out > max)
		return fail_at(b, n, "'%s' is not a whole number from 1 to %lld", text, max);
	return 0;
}

/* ---- limits ---- */

static int build_limits(struct build *b, xmlNodePtr node)
{
	struct cb_limits *lim = &b->l->limits;
	const char **types, *size, *dup;
	long long v = 0;
	xmlNodePtr c;
	int rc = 0;

	for (c = xmlFirstElementChild(node); c && rc == 0; c = xmlNextElementSibling(c)) {
		if (named(c, "file-bytes") || named(c, "total-bytes")) {
			rc = number(b, c, content(b, c), 1000000000000LL, &v);
			*(named(c, "file-bytes") ? &lim->file_bytes : &lim->total_bytes) = v;
		} else if (named(c, "file-pages") || named(c, "total-pages") ||
			   named(c, "text-field-chars") || named(c, "text-total-chars")) {
			rc = number(b, c, content(b, c), INT_MAX, &v);
			*(named(c, "file-pages") ? &lim->file_pages
			  : named(c, "total-pages") ? &lim->total_pages
			  : named(c, "text-field-chars") ? &lim->text_field_chars
			  : &lim->text_total_chars) = (int)v;
		} else if (named(c, "page")) {
			size = attr(b, c, "size");
			if (size && !strcmp(size, "letter")) {
				lim->page_width = 612;
				lim->page_height = 792;
			} else if (size && !strcmp(size, "a4")) {
				lim->page_width = 595;
				lim->page_height = 842;
			} else {
				rc = fail_at(b, c, "page size '%s' is not 'letter' or 'a4'",
					     size ? size : "");
			}
		} else if (named(c, "file-types")) {
			types = words(b, content(b, c), NULL);
			if ((dup = repeated(types)))
				rc = fail_at(b, c, "file type '%s' is listed twice", dup);
			else if (!listed(types, "pdf"))
				rc = fail_at(b, c, "file types must include 'pdf': layouts render PDFs");
			lim->file_types = types;
		}
	}
	return rc;
}

/* ---- files ---- */

static int add_field(struct build *b, xmlNodePtr n, unsigned file_mask, const char *file_name)
{
	struct cb_layout *l = b->l;
	struct cb_buf what = CB_BUF_INIT;
	struct cb_layout_field *f;
	struct layout_tmpl *t;
	const char *name = attr(b, n, "name"), *tmpl;
	unsigned mask, clash;
	size_t i;
	int rc;

	if ((rc = reason_mask(b, n, file_mask, &mask)) < 0)
		return rc;
	if (mask & ~file_mask)
		return fail_at(b, n, "field '%s' names a reason '%s' is not used for", name,
			       file_name);
	tmpl = norm_template(b, content(b, n));
	if (!*tmpl)
		return fail_at(b, n, "field '%s' has an empty template", name);
	if ((rc = layout_template_check(tmpl, b->err)) < 0) {
		cb_error_prefix(b->err, "field '%s'", name);
		return fail_at(b, n, "%s", b->err->msg);
	}
	for (i = 0; i < l->n_fields; i++) {
		clash = l->fields[i].reasons & mask;
		if (clash && !strcmp(l->fields[i].name, name))
			return fail_at(b, n, "field '%s' is defined twice for reason '%s'", name,
				       cb_reason_name((enum cb_reason)__builtin_ctz(clash)));
	}
	l->fields = cb_xgrow(l->fields, sizeof(*l->fields), l->n_fields + 1, &l->fields_alloc);
	f = &l->fields[l->n_fields++];
	f->name = name;
	f->tmpl = tmpl;
	f->reasons = mask;
	l->tmpls = cb_xgrow(l->tmpls, sizeof(*l->tmpls), l->n_tmpls + 1, &l->tmpls_alloc);
	t = &l->tmpls[l->n_tmpls++];
	t->tmpl = tmpl;
	t->at = loc_of(b, n);
	cb_buf_addf(&what, "field '%s'", name);
	t->what = pool_strdup(&l->pool, what.ptr);
	cb_buf_release(&what);
	return 0;
}

static int pdf_sections(struct build *b, xmlNodePtr n, struct cb_layout_file *f)
{
	const char **list;
	xmlNodePtr c;
	size_t count = 0, i;

	for (c = xmlFirstElementChild(n); c; c = xmlNextElementSibling(c))
		count++;
	list = pool_calloc(&b->l->pool, count + 1, sizeof(*list));
	for (c = xmlFirstElementChild(n), i = 0; c; c = xmlNextElementSibling(c)) {
		const char *ref = attr(b, c, "ref");

		if (!ref || !listed(section_names, ref))
			return fail_at(b, c, "unknown section '%s'", ref ? ref : "");
		if (listed(list, ref))
			return fail_at(b, c, "section '%s' is listed twice in '%s'", ref, f->name);
		list[i++] = ref;
	}
	f->sections = list;
	return 0;
}

static int proof_kinds(struct build *b, xmlNodePtr n, struct cb_layout_file *f)
{
	const char **kinds = words(b, attr(b, n, "kinds"), NULL), *dup, *max = attr(b, n, "max");
	long long v;
	int rc;

	if ((dup = repeated(kinds)))
		return fail_at(b, n, "attachment kind '%s' is listed twice", dup);
	f->attachment_kinds = kinds;
	if (max) {
		if ((rc = number(b, n, max, INT_MAX, &v)) < 0)
			return rc;
		f->max_files = (int)v;
	}
	return 0;
}

static int build_file(struct build *b, xmlNodePtr n)
{
	struct cb_layout *l = b->l;
	struct cb_layout_file f;
	unsigned mask;
	xmlNodePtr c;
	int rc;

	memset(&f, 0, sizeof(f));
	f.answers = attr(b, n, "answers");
	if ((rc = reason_mask(b, n, ALL_REASONS, &mask)) < 0)
		return rc;
	if (named(n, "pdf")) {
		f.kind = CB_LFILE_PDF;
		f.name = attr(b, n, "name");
		f.title = attr(b, n, "title");
		rc = pdf_sections(b, n, &f);
	} else if (named(n, "proof")) {
		f.kind = CB_LFILE_PROOF;
		f.name = attr(b, n, "name-pattern");
		if (!strstr(f.name, "{n}"))
			return fail_at(b, n, "name-pattern '%s' has no '{n}'", f.name);
		rc = proof_kinds(b, n, &f);
	} else {
		f.kind = CB_LFILE_FIELDS;
		f.name = attr(b, n, "name");
		for (c = xmlFirstElementChild(n); c && rc == 0; c = xmlNextElementSibling(c))
			rc = add_field(b, c, mask, f.name);
	}
	if (rc < 0)
		return rc;
	if (!f.name || !f.answers)
		return fail_at(b, n, "a file needs a name and what it answers");
	l->files = cb_xgrow(l->files, sizeof(*l->files), l->n_files + 1, &l->files_alloc);
	l->file_reasons = cb_xrealloc(l->file_reasons, l->files_alloc * sizeof(*l->file_reasons));
	b->file_nodes = cb_xrealloc(b->file_nodes, l->files_alloc * sizeof(*b->file_nodes));
	l->files[l->n_files] = f;
	l->file_reasons[l->n_files] = mask;
	b->file_nodes[l->n_files] = n;
	l->n_files++;
	return 0;
}

static int build_files(struct build *b, xmlNodePtr node)
{
	xmlNodePtr c;
	int rc;

	b->files_node = node;
	for (c = xmlFirstElementChild(node); c; c = xmlNextElementSibling(c))
		if ((rc = build_file(b, c)) < 0)
			return rc;
	return 0;
}

/* ---- plan: section order and required evidence ---- */

static int build_order(struct build *b, xmlNodePtr n)
{
	const char **list = words(b, content(b, n), NULL), *dup;
	enum cb_reason r = CB_REASON_GENERAL;
	bool has;
	size_t i;
	int rc;

	if ((rc = one_reason(b, n, &r, &has)) < 0)
		return rc;
	for (i = 0; list[i]; i++)
		if (!listed(section_names, list[i]))
			return fail_at(b, n, "unknown section '%s'", list[i]);
	if ((dup = repeated(list)))
		return fail_at(b, n, "section '%s' is listed twice", dup);
	if (!list[0] || strcmp(list[0], "cover"))
		return fail_at(b, n, "the order must start with 'cover'");
	if (!has) {
		if (b->default_order)
			return fail_at(b, n, "a second default order (add reason=\"...\")");
		b->default_order = list;
	} else {
		if (b->l->order[r])
			return fail_at(b, n, "a second order for reason '%s'", cb_reason_name(r));
		b->l->order[r] = list;
	}
	return 0;
}

static int build_required(struct build *b, xmlNodePtr n)
{
	struct cb_layout *l = b->l;
	const char **list = words(b, content(b, n), NULL);
	struct layout_kind *k;
	enum cb_reason r;
	bool has;
	size_t i;
	int rc;

	if ((rc = one_reason(b, n, &r, &has)) < 0)
		return rc;
	if (!has)
		return fail_at(b, n, "required evidence needs a reason");
	for (i = 0; list[i]; i++) {
		l->kinds = cb_xgrow(l->kinds, sizeof(*l->kinds), l->n_kinds + 1, &l->kinds_alloc);
		k = &l->kinds[l->n_kinds++];
		k->kind = list[i];
		k->at = loc_of(b, n);
		/* the plan's list and a layout's additions merge */
		if (listed(b->req[r], list[i]))
			continue;
		b->req[r] = cb_xgrow(b->req[r], sizeof(*b->req[r]), b->n_req[r] + 2, &b->req_alloc[r]);
		b->req[r][b->n_req[r]++] = list[i];
		b->req[r][b->n_req[r]] = NULL;
	}
	return 0;
}

static int build_plan(struct build *b, xmlNodePtr node)
{
	xmlNodePtr c, o;
	int rc = 0;

	for (c = xmlFirstElementChild(node); c && rc == 0; c = xmlNextElementSibling(c)) {
		if (named(c, "sections")) {
			for (o = xmlFirstElementChild(c); o && rc == 0; o = xmlNextElementSibling(o))
				rc = build_order(b, o);
		} else if (named(c, "required")) {
			rc = build_required(b, c);
		}
	}
	if (rc == 0 && !b->default_order)
		rc = fail_at(b, node, "no default order (an <order> without a reason)");
	return rc;
}

/* ---- letters ---- */

static int build_letters(struct build *b, xmlNodePtr node)
{
	struct cb_layout *l = b->l;
	struct cb_buf what = CB_BUF_INIT;
	struct layout_tmpl *t;
	enum cb_reason r = CB_REASON_GENERAL;
	const char *tmpl;
	xmlNodePtr c;
	bool has;
	int rc = 0;

	b->letters_node = node;
	for (c = xmlFirstElementChild(node); c; c = xmlNextElementSibling(c)) {
		if ((rc = one_reason(b, c, &r, &has)) < 0)
			goto out;
		cb_buf_reset(&what);
		if (has)
			cb_buf_addf(&what, "letter '%s'", cb_reason_name(r));
		else
			cb_buf_adds(&what, "default letter");
		if (has ? l->letters[r] != NULL : b->default_letter != NULL) {
			rc = fail_at(b, c, "a second %s", what.ptr);
			goto out;
		}
		tmpl = norm_template(b, content(b, c));
		if (!*tmpl) {
			rc = fail_at(b, c, "%s is empty", what.ptr);
			goto out;
		}
		if ((rc = layout_template_check(tmpl, b->err)) < 0) {
			cb_error_prefix(b->err, "%s", what.ptr);
			rc = fail_at(b, c, "%s", b->err->msg);
			goto out;
		}
		if (has)
			l->letters[r] = tmpl;
		else
			b->default_letter = tmpl;
		l->tmpls = cb_xgrow(l->tmpls, sizeof(*l->tmpls), l->n_tmpls + 1, &l->tmpls_alloc);
		t = &l->tmpls[l->n_tmpls++];
		t->what = pool_strdup(&l->pool, what.ptr);
		t->tmpl = tmpl;
		t->at = loc_of(b, c);
	}
out:
	cb_buf_release(&what);
	return rc;
}

/* ---- per-reason checks and the lists handed out ---- */

static size_t section_index(const char *s)
{
	size_t i;

	for (i = 0; i < N_SECTIONS; i++)
		if (!strcmp(section_names[i], s))
			return i;
	return 0;
}

/*
 * For one reason: file names unique, each section in one PDF at most, one
 * PDF holds the cover, every PDF shows something, one fields file at most.
 */
static int check_reason(struct build *b, enum cb_reason r)
{
	const struct cb_layout *l = b->l;
	const char *held[N_SECTIONS] = { NULL };
	const char *rn = cb_reason_name(r);
	bool shows, fields = false;
	size_t i, j, k;

	for (i = 0; i < l->n_files; i++) {
		const struct cb_layout_file *f = &l->files[i];
		xmlNodePtr n = b->file_nodes[i];

		if (!(l->file_reasons[i] & (1u << r)))
			continue;
		for (j = 0; j < i; j++)
			if ((l->file_reasons[j] & (1u << r)) && !strcmp(l->files[j].name, f->name))
				return fail_at(b, n, "file '%s' is listed twice for reason '%s'",
					       f->name, rn);
		if (f->kind == CB_LFILE_FIELDS) {
			if (fields)
				return fail_at(b, n, "a second fields file for reason '%s'", rn);
			fields = true;
		}
		if (f->kind != CB_LFILE_PDF)
			continue;
		shows = false;
		for (k = 0; f->sections[k]; k++) {
			size_t s = section_index(f->sections[k]);

			if (held[s])
				return fail_at(b, n, "section '%s' is already in '%s' for reason '%s'",
					       f->sections[k], held[s], rn);
			held[s] = f->name;
			shows = shows || listed(l->order[r], f->sections[k]);
		}
		if (!shows)
			return fail_at(b, n, "'%s' holds no section of the order for reason '%s'",
				       f->name, rn);
	}
	if (!held[section_index("cover")])
		return fail_at(b, b->files_node, "no PDF holds the 'cover' section for reason '%s'",
			       rn);
	return 0;
}

static int finish(struct build *b)
{
	struct cb_layout *l = b->l;
	size_t i, n;
	int r, rc;

	for (r = 0; r < CB_REASON_COUNT; r++) {
		if (!l->order[r])
			l->order[r] = b->default_order;
		if (!l->letters[r])
			l->letters[r] = b->default_letter;
		if (!l->letters[r])
			return fail_at(b, b->letters_node, "no letter for reason '%s' and no default letter",
				       cb_reason_name((enum cb_reason)r));
		l->required[r] = pool_calloc(&l->pool, b->n_req[r] + 1, sizeof(char *));
		for (i = 0; i < b->n_req[r]; i++)
			l->required[r][i] = b->req[r][i];

		for (i = 0, n = 0; i < l->n_files; i++)
			n += (l->file_reasons[i] >> r) & 1u;
		l->by_reason[r] = pool_calloc(&l->pool, n + 1, sizeof(*l->by_reason[r]));
		l->n_by_reason[r] = n;
		for (i = 0, n = 0; i < l->n_files; i++)
			if (l->file_reasons[i] & (1u << r))
				l->by_reason[r][n++] = &l->files[i];
		if ((rc = check_reason(b, (enum cb_reason)r)) < 0)
			return rc;
	}
	return 0;
}

int layout_build(struct cb_layout *l, xmlDocPtr doc, const char *path, struct cb_error *err)
{
	struct build b;
	xmlNodePtr root = xmlDocGetRootElement(doc), c;
	long long version = 0;
	int r, rc = 0;

	memset(&b, 0, sizeof(b));
	b.l = l;
	b.doc = doc;
	b.err = err;
	/* locations outlive the caller's path string: they point at the pooled copy */
	l->path = pool_strdup(&l->pool, path);
	b.path = l->path;
	l->name = attr(&b, root, "name");
	l->gateway = attr(&b, root, "gateway");
	if ((rc = number(&b, root, attr(&b, root, "version"), INT_MAX, &version)) < 0)
		goto out;
	l->version = (int)version;
	for (c = xmlFirstElementChild(root); c && rc == 0; c = xmlNextElementSibling(c)) {
		if (named(c, "limits"))
			rc = build_limits(&b, c);
		else if (named(c, "files"))
			rc = build_files(&b, c);
		else if (named(c, "plan"))
			rc = build_plan(&b, c);
		else if (named(c, "required"))
			rc = build_required(&b, c);
		else if (named(c, "letters"))
			rc = build_letters(&b, c);
	}
	if (rc == 0)
		rc = finish(&b);
out:
	free(b.file_nodes);
	for (r = 0; r < CB_REASON_COUNT; r++)
		free(b.req[r]);
	return rc;
}
