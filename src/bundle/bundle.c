/*
 * bundle.c: one dispute's evidence bundle, from packet and layout to
 * DIR/<id>.zip. For the packet's reason it walks the layout's files in
 * order: PDFs are rendered from the sections that have something to show,
 * proof files are passed through as they are, the text fields are expanded
 * into the gateway's API body. Then the limits are enforced (images shrunk
 * step by step when the bytes do not fit), everything is hashed into
 * manifest.json, zipped in memory and published with a rename. Any failure
 * leaves the output directory as it was.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/bundle.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/hash.h"
#include "cbpack/layout.h"
#include "cbpack/render.h"
#include "cbpack/text.h"
#include "bundle_int.h"

#define LETTER_W 612.0
#define LETTER_H 792.0

struct pdf_job {
	const struct cb_layout_file *f;
	const char **sections;     /* borrowed names, NULL-terminated */
	size_t entry;
	bool rendered;
	struct cb_render_result res;
};

struct build {
	struct cb_renderer *r;
	const struct cb_packet *p;
	const struct cb_layout *l;
	const struct cb_limits *lim;
	const char *layout_name;
	char *rebuttal, *exhibits, *fields_json, *manifest;
	struct pdf_job *jobs;
	size_t n_jobs, alloc_jobs;
	struct cb_bentry *e;
	size_t n, alloc;
	struct cb_strv used, skipped, warnings, missing;
	struct cb_field_val *fields;
	size_t n_fields;
	struct cb_limit_check checks[CB_LIM_COUNT];
	size_t step, replaced;
	int64_t first_bytes;       /* gateway bytes with images as they are */
};

/* ---- template values ---- */

struct lookup_ctx {
	const struct cb_packet *p;
};

static int packet_lookup(void *ctx, const char *key, struct cb_buf *out)
{
	const struct lookup_ctx *c = ctx;

	return cb_packet_value(c->p, key, out);
}

static int expand(char **out, const struct cb_packet *p, const char *tmpl, bool tidy,
		  struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;
	struct lookup_ctx c = { p };
	int rc;

	*out = NULL;
	rc = cb_layout_expand(&b, tmpl ? tmpl : "", packet_lookup, &c, err);
	if (rc < 0) {
		cb_buf_release(&b);
		return rc;
	}
	*out = b.ptr ? cb_buf_detach(&b) : cb_xstrdup("");
	if (tidy)
		cb_bundle_tidy_text(*out);
	else
		cb_trim(*out);
	return 0;
}

/* ---- what the packet has ---- */

static bool in_list(const char *const *list, const char *s)
{
	if (!list)
		return false;
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* "pdf", "jpeg", "png" or NULL for an attachment's media type */
static const char *file_type(const struct cb_pk_attachment *a)
{
	const char *m = a->media_type ? a->media_type : "";

	if (!strcmp(m, "application/pdf"))
		return "pdf";
	if (!strcmp(m, "image/jpeg") || !strcmp(m, "image/jpg"))
		return "jpeg";
	if (!strcmp(m, "image/png"))
		return "png";
	return NULL;
}

static size_t images_of(const struct cb_packet *p, const char *const *kinds)
{
	size_t i, n = 0;
	const char *t;

	for (i = 0; i < p->n_attachments; i++) {
		t = file_type(&p->attachments[i]);
		if (t && strcmp(t, "pdf") && (!kinds || in_list(kinds, p->attachments[i].kind)))
			n++;
	}
	return n;
}

static bool section_has_content(const struct build *b, const char *sec,
				const struct cb_layout_file *f)
{
	const struct cb_packet *p = b->p;

	if (!strcmp(sec, "cover"))
		return !cb_empty(b->rebuttal);
	if (!strcmp(sec, "order"))
		return p->has_order;
	if (!strcmp(sec, "payment"))
		return p->has_charge;
	if (!strcmp(sec, "customer"))
		return !cb_empty(p->customer_name) || !cb_empty(p->email) || !cb_empty(p->phone);
	if (!strcmp(sec, "conversation"))
		return p->n_messages > 0;
	if (!strcmp(sec, "shipping"))
		return p->n_shipments > 0;
	if (!strcmp(sec, "images"))
		return images_of(p, f->attachment_kinds) > 0;
	if (!strcmp(sec, "refunds"))
		return p->n_refunds > 0;
	if (!strcmp(sec, "policies"))
		return p->n_policies > 0;
	return true;   /* a section this code does not know: the renderer decides */
}

/* ---- planning the entries ---- */

static struct cb_bentry *new_entry(struct build *b, const char *name, const char *answers,
				   enum cb_bentry_kind kind)
{
	struct cb_bentry *e;
	char nm[256];

	b->e = cb_xgrow(b->e, sizeof(*b->e), b->n + 1, &b->alloc);
	e = &b->e[b->n++];
	memset(e, 0, sizeof(*e));
	snprintf(nm, sizeof(nm), "%s", name);
	if (kind != CB_BENTRY_MANIFEST)   /* its name was reserved up front */
		cb_bundle_name_unique(nm, sizeof(nm), &b->used);
	e->name = cb_xstrdup(nm);
	e->answers = cb_xstrdup_or_null(answers);
	e->kind = kind;
	e->gateway = kind == CB_BENTRY_PDF || kind == CB_BENTRY_PROOF;
	e->compress = kind == CB_BENTRY_FIELDS || kind == CB_BENTRY_MANIFEST;
	return e;
}

static void plan_pdf(struct build *b, const struct cb_layout_file *f)
{
	const char *const *order = cb_layout_section_order(b->l, b->p->reason);
	const char *const *src = order ? order : f->sections;
	const char **secs;
	size_t n = 0, listed = 0;
	bool only_cover = true;
	struct pdf_job *j;
	char name[256];

	for (; f->sections && f->sections[listed]; listed++)
		if (strcmp(f->sections[listed], "cover"))
			only_cover = false;
	secs = cb_xcalloc(listed + 1, sizeof(*secs));
	for (; src && *src; src++) {
		if (!in_list(f->sections, *src) || !section_has_content(b, *src, f))
			continue;
		secs[n++] = *src;
	}
	/* a cover alone is worth a file only when the file is meant to be the letter */
	if (n == 0 || (!only_cover && n == 1 && !strcmp(secs[0], "cover"))) {
		cb_strv_addf(&b->skipped, "%s\tnothing to show in its sections for reason '%s'",
			     f->name, cb_reason_name(b->p->reason));
		free(secs);
		return;
	}
	cb_bundle_entry_name(name, sizeof(name), f->name);
	new_entry(b, name, f->answers, CB_BENTRY_PDF);
	b->jobs = cb_xgrow(b->jobs, sizeof(*b->jobs), b->n_jobs + 1, &b->alloc_jobs);
	j = &b->jobs[b->n_jobs++];
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->sections = secs;
	j->entry = b->n - 1;
}

static bool type_allowed(const struct cb_limits *lim, const char *type)
{
	if (!lim || !lim->file_types)
		return !strcmp(type, "pdf");
	return in_list(lim->file_types, type);
}

static int read_file(unsigned char **out, size_t *len, const char *path, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;
	int rc = cb_buf_add_file(&b, path, err);

	if (rc < 0) {
		cb_buf_release(&b);
		return rc;
	}
	*len = b.len;
	*out = b.ptr ? (unsigned char *)cb_buf_detach(&b) : cb_xcalloc(1, 1);
	return 0;
}

static const char *type_ext(const char *type)
{
	return !strcmp(type, "jpeg") ? "jpg" : type;
}

/* "customer_signature_{n}" with n = 3 and type "pdf" -> "customer_signature_3.pdf" */
static void pattern_name(char *out, size_t outlen, const char *pattern, size_t n, const char *type)
{
	const char *at = strstr(pattern, "{n}");
	char safe[200];

	snprintf(safe, sizeof(safe), "%.*s%zu%s", (int)(at - pattern), pattern, n, at + 3);
	cb_bundle_entry_name(out, outlen - 6, safe);
	snprintf(out + strlen(out), 6, ".%s", type_ext(type));
}

static int add_proof(struct build *b, const struct cb_layout_file *f,
		     const struct cb_pk_attachment *a, const char *type, const char *name,
		     struct cb_error *err)
{
	char sha[CB_SHA256_HEX];
	struct cb_bentry *e;
	unsigned char *data;
	size_t len;
	int rc, pages;

	rc = read_file(&data, &len, a->path, err);
	if (rc < 0)
		return rc;
	cb_sha256_buf(sha, data, len);
	/* the store names files by content: a mismatch means it changed under us */
	if (!cb_empty(a->sha256) && strcmp(sha, a->sha256)) {
		free(data);
		return cb_error_set(err, CB_EIO, "attachment '%s' ('%s') no longer matches its "
				    "SHA-256 %s", a->original_name ? a->original_name : a->kind,
				    a->path, a->sha256);
	}
	e = new_entry(b, name, f->answers, CB_BENTRY_PROOF);
	e->own = data;
	e->data = data;
	e->len = len;
	memcpy(e->sha256, sha, sizeof(sha));
	if (!strcmp(type, "pdf")) {
		pages = cb_bundle_pdf_pages(data, len);
		e->pages = pages > 0 ? pages : 1;
		e->pages_estimated = pages <= 0;
	} else {
		e->pages = 1;   /* the gateway shows an image as a page */
	}
	return 0;
}

/*
 * Where a proof file's attachments go, by its layout name: a pattern with
 * "{n}" names them after the gateway's field ("customer_signature_1.pdf");
 * a plain word is a folder ("proof/<original name>"); a name with a dot
 * puts them at the top level under their original names. Original names
 * are sanitized (cb_bundle_entry_name): they come from the merchant.
 */
static void proof_name(char *out, size_t outlen, const struct cb_layout_file *f,
		       const struct cb_pk_attachment *a, const char *type, size_t n)
{
	char folder[100], base[120];

	if (f->name && strstr(f->name, "{n}")) {
		pattern_name(out, outlen, f->name, n, type);
		return;
	}
	if (!cb_empty(a->original_name))
		cb_bundle_entry_name(base, sizeof(base), a->original_name);
	else
		snprintf(base, sizeof(base), "%.40s-%.8s.%s", a->kind ? a->kind : "proof",
			 a->sha256 ? a->sha256 : "", type_ext(type));
	if (!cb_empty(f->name) && !strchr(f->name, '.')) {
		cb_bundle_entry_name(folder, sizeof(folder), f->name);
		snprintf(out, outlen, "%s/%s", folder, base);
	} else {
		snprintf(out, outlen, "%s", base);
	}
}

static int plan_proof(struct build *b, const struct cb_layout_file *f, struct cb_error *err)
{
	char name[256];
	const char *type;
	size_t i, added = 0;
	int rc;

	for (i = 0; i < b->p->n_attachments; i++) {
		const struct cb_pk_attachment *a = &b->p->attachments[i];

		if (!a->kind || !in_list(f->attachment_kinds, a->kind))
			continue;
		if (f->max_files > 0 && added >= (size_t)f->max_files) {
			cb_strv_addf(&b->warnings, "attachment '%s' left out of '%s': layout '%s' "
				     "takes at most %d", a->original_name ? a->original_name : a->sha256,
				     f->name, b->layout_name, f->max_files);
			continue;
		}
		type = file_type(a);
		if (!type || !type_allowed(b->lim, type)) {
			cb_strv_addf(&b->warnings, "attachment '%s' (%s) left out of '%s': layout "
				     "'%s' does not take that file type",
				     a->original_name ? a->original_name : a->sha256,
				     a->media_type ? a->media_type : "unknown type", f->name,
				     b->layout_name);
			continue;
		}
		proof_name(name, sizeof(name), f, a, type, added + 1);
		rc = add_proof(b, f, a, type, name, err);
		if (rc < 0)
			return rc;
		added++;
	}
	if (!added)
		cb_strv_addf(&b->skipped, "%s\tno attachment of the kinds it takes", f->name);
	return 0;
}

static int plan_fields(struct build *b, const struct cb_layout_file *f, struct cb_error *err)
{
	const struct cb_layout_field *lf;
	size_t n = cb_layout_fields(b->l, &lf), i;
	struct cb_buf clean = CB_BUF_INIT;
	struct cb_bentry *e;
	size_t replaced;
	char *raw, name[256];
	int rc;

	b->fields = cb_xcalloc(n + 1, sizeof(*b->fields));
	for (i = 0; i < n; i++) {
		if (!(lf[i].reasons & (1u << b->p->reason)))
			continue;
		rc = expand(&raw, b->p, lf[i].tmpl, true, err);
		if (rc < 0) {
			cb_error_prefix(err, "layout '%s': text field '%s'", b->layout_name,
					lf[i].name);
			return rc;
		}
		if (!*raw) {
			free(raw);
			continue;
		}
		cb_buf_reset(&clean);
		replaced = cb_render_text_clean(&clean, raw);
		free(raw);
		if (replaced)
			cb_strv_addf(&b->warnings, "text field '%s': %zu character%s the font cannot "
				     "show replaced", lf[i].name, replaced, replaced == 1 ? "" : "s");
		b->replaced += replaced;
		b->fields[b->n_fields].name = lf[i].name;
		b->fields[b->n_fields].value = clean.ptr ? cb_buf_detach(&clean) : cb_xstrdup("");
		b->n_fields++;
	}
	cb_buf_release(&clean);
	if (!b->n_fields) {
		cb_strv_addf(&b->skipped, "%s\tno text field has a value", f->name);
		return 0;
	}
	rc = cb_bundle_fields_fit(b->fields, b->n_fields, b->lim->text_field_chars,
				  b->lim->text_total_chars, b->layout_name, &b->warnings, err);
	if (rc < 0)
		return rc;
	free(b->fields_json);
	b->fields_json = cb_bundle_fields_json(b->fields, b->n_fields);
	cb_bundle_entry_name(name, sizeof(name), f->name);
	e = new_entry(b, name, f->answers, CB_BENTRY_FIELDS);
	e->data = (const unsigned char *)b->fields_json;
	e->len = strlen(b->fields_json);
	return 0;
}

/* The PDF title the layout gave the file of entry `i`; NULL for other entries. */
static const char *entry_title(const struct build *b, size_t i)
{
	size_t k;

	for (k = 0; k < b->n_jobs; k++)
		if (b->jobs[k].entry == i)
			return b->jobs[k].f->title;
	return NULL;
}

/* Lines for the cover's index: every file the gateway receives, and what it is. */
static void make_exhibit_index(struct build *b)
{
	struct cb_buf s = CB_BUF_INIT;
	const char *title;
	size_t i, sent = 0;

	for (i = 0; i < b->n; i++)
		sent += b->e[i].gateway;
	/* one file (the generic layout): its own section index says it all */
	for (i = 0; sent > 1 && i < b->n; i++) {
		if (!b->e[i].gateway)
			continue;
		title = entry_title(b, i);
		cb_buf_addf(&s, "%s%s \xE2\x80\x94 %s", s.len ? "\n" : "", b->e[i].name,
			    title ? title : "proof file, as received");
		if (b->e[i].answers)
			cb_buf_addf(&s, " (%c%s evidence '%s')",
				    toupper((unsigned char)cb_layout_gateway(b->l)[0]),
				    cb_layout_gateway(b->l) + 1, b->e[i].answers);
	}
	b->exhibits = s.ptr ? cb_buf_detach(&s) : NULL;
}

/* ---- rendering within the limits ---- */

static int render_job(struct build *b, struct pdf_job *j, const struct cb_shrink_step *s,
		      struct cb_error *err)
{
	struct cb_render_opts o;
	struct cb_bentry *e = &b->e[j->entry];
	int rc;

	memset(&o, 0, sizeof(o));
	o.title = j->f->title ? j->f->title : j->f->name;
	o.sections = j->sections;
	o.rebuttal = b->rebuttal;
	o.exhibit_index = b->exhibits;
	o.page_width = b->lim->page_width > 0 ? b->lim->page_width : LETTER_W;
	o.page_height = b->lim->page_height > 0 ? b->lim->page_height : LETTER_H;
	o.image_max_px = s->image_max_px;
	o.jpeg_quality = s->jpeg_quality;
	o.image_kinds = j->f->attachment_kinds;
	if (j->rendered)
		cb_render_result_release(&j->res);
	memset(&j->res, 0, sizeof(j->res));
	j->rendered = false;
	rc = cb_render_packet(b->r, b->p, &o, &j->res, err);
	if (rc < 0) {
		cb_error_prefix(err, "%s", e->name);
		return rc;
	}
	j->rendered = true;
	e->data = j->res.pdf;
	e->len = j->res.len;
	e->pages = j->res.pages;
	return 0;
}

static int64_t proof_bytes(const struct build *b)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->e[i].kind == CB_BENTRY_PROOF)
			t += (int64_t)b->e[i].len;
	return t;
}

static bool proof_named(const struct build *b, const char *name)
{
	size_t i;

	for (i = 0; name && i < b->n; i++)
		if (b->e[i].kind == CB_BENTRY_PROOF && !strcmp(b->e[i].name, name))
			return true;
	return false;
}

static int attempt(void *ctx, const struct cb_shrink_step *s, bool *give_up, struct cb_error *err)
{
	struct build *b = ctx;
	const struct cb_limit_check *c = b->checks;
	bool shrinkable, images = false, first = s == &cb_shrink_ladder[0];
	size_t i;
	int rc;

	for (i = 0; i < b->n_jobs; i++) {
		if (first || b->jobs[i].res.images > 0) {
			rc = render_job(b, &b->jobs[i], s, err);
			if (rc < 0)
				return rc;
		}
		images = images || b->jobs[i].res.images > 0;
	}
	rc = cb_bundle_check_limits(b->checks, b->lim, b->layout_name, b->e, b->n, &shrinkable,
				    err);
	if (first)
		b->first_bytes = c[CB_LIM_TOTAL_BYTES].actual;
	if (rc == 0)
		return 0;
	/* smaller images cannot help pages, files without images, or proofs */
	if (!shrinkable || !images ||
	    (!c[CB_LIM_FILE_BYTES].ok && proof_named(b, c[CB_LIM_FILE_BYTES].file)) ||
	    (c[CB_LIM_TOTAL_BYTES].max > 0 && proof_bytes(b) > c[CB_LIM_TOTAL_BYTES].max))
		*give_up = true;
	return rc;
}

static void text_checks(struct build *b)
{
	struct cb_limit_check *fc = &b->checks[CB_LIM_FIELD_CHARS], *tc = &b->checks[CB_LIM_TOTAL_CHARS];
	size_t i;

	for (i = 0; i < b->n_fields; i++) {
		tc->actual += (int64_t)b->fields[i].chars;
		if (!fc->file || (int64_t)b->fields[i].chars > fc->actual) {
			fc->actual = (int64_t)b->fields[i].chars;
			fc->file = b->fields[i].name;
		}
	}
	fc->ok = fc->max <= 0 || fc->actual <= fc->max;
	tc->ok = tc->max <= 0 || tc->actual <= tc->max;
}

static void final_warnings(struct build *b)
{
	const struct cb_shrink_step *s = &cb_shrink_ladder[b->step];
	char from[32], to[32];
	size_t i;

	for (i = 0; i < b->n_jobs; i++) {
		if (!b->jobs[i].res.replaced_chars)
			continue;
		b->replaced += b->jobs[i].res.replaced_chars;
		cb_strv_addf(&b->warnings, "%s: %zu character%s the font cannot show replaced",
			     b->e[b->jobs[i].entry].name, b->jobs[i].res.replaced_chars,
			     b->jobs[i].res.replaced_chars == 1 ? "" : "s");
	}
	for (i = 0; i < b->n; i++)
		if (b->e[i].pages_estimated)
			cb_strv_addf(&b->warnings, "%s: page count could not be read; counted as 1",
				     b->e[i].name);
	if (b->step)
		cb_strv_addf(&b->warnings, "images re-encoded at most %d px, JPEG quality %d, to "
			     "fit the limits of layout '%s' (%s -> %s bytes)",
			     s->image_max_px, s->jpeg_quality, b->layout_name,
			     cb_bundle_fmt_int(from, sizeof(from), b->first_bytes),
			     cb_bundle_fmt_int(to, sizeof(to), b->checks[CB_LIM_TOTAL_BYTES].actual));
}

static void find_missing(struct build *b)
{
	const char *const *req = cb_layout_required(b->l, b->p->reason);

	for (; req && *req; req++)
		if (!cb_packet_has(b->p, *req) && !cb_strv_has(&b->missing, *req))
			cb_strv_add(&b->missing, *req);
}

static void add_manifest(struct build *b)
{
	struct cb_manifest m;
	struct cb_bentry *e;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->e[i].kind != CB_BENTRY_PROOF)
			cb_sha256_buf(b->e[i].sha256, b->e[i].data, b->e[i].len);
	memset(&m, 0, sizeof(m));
	m.dispute_id = b->p->dispute_id;
	m.gateway = b->p->gateway;
	m.gateway_reason = b->p->gateway_reason;
	m.reason = cb_reason_name(b->p->reason);
	m.currency = b->p->currency;
	m.amount = b->p->amount;
	m.opened_at = b->p->opened_at;
	m.due_by = b->p->due_by;
	m.layout_name = b->layout_name;
	m.layout_digest = cb_layout_digest(b->l);
	m.entries = b->e;
	m.n_entries = b->n;
	m.skipped = &b->skipped;
	m.checks = b->checks;
	m.missing = &b->missing;
	m.warnings = &b->warnings;
	m.redactions = b->p->redactions;
	m.replaced_chars = b->replaced;
	m.shrink = &cb_shrink_ladder[b->step];
	m.shrink_step = b->step;
	b->manifest = cb_bundle_manifest_json(&m);
	e = new_entry(b, "manifest.json", NULL, CB_BENTRY_MANIFEST);
	e->data = (const unsigned char *)b->manifest;
	e->len = strlen(b->manifest);
	cb_sha256_buf(e->sha256, e->data, e->len);
}

static void fill_result(struct cb_bundle_result *res, struct build *b, char *path, size_t zlen)
{
	size_t i;

	res->path = path;
	res->bytes = (int64_t)zlen;
	res->gateway_bytes = b->checks[CB_LIM_TOTAL_BYTES].actual;
	res->pages = (int)b->checks[CB_LIM_TOTAL_PAGES].actual;
	for (i = 0; i < b->n; i++)
		if (b->e[i].kind != CB_BENTRY_MANIFEST)
			res->files++;
	res->shrink_steps = (int)b->step;
	res->missing = b->missing.n;
	res->missing_kinds = cb_strv_detach(&b->missing);
	res->warnings = b->warnings.n;
	res->warning_list = cb_strv_detach(&b->warnings);
	res->redactions = b->p->redactions;
	res->replaced_chars = b->replaced;
}

static void build_release(struct build *b)
{
	size_t i;

	for (i = 0; i < b->n_jobs; i++) {
		if (b->jobs[i].rendered)
			cb_render_result_release(&b->jobs[i].res);
		free(b->jobs[i].sections);
	}
	free(b->jobs);
	for (i = 0; i < b->n; i++)
		cb_bentry_release(&b->e[i]);
	free(b->e);
	for (i = 0; i < b->n_fields; i++)
		free(b->fields[i].value);
	free(b->fields);
	free(b->rebuttal);
	free(b->exhibits);
	free(b->fields_json);
	free(b->manifest);
	cb_strv_release(&b->used);
	cb_strv_release(&b->skipped);
	cb_strv_release(&b->warnings);
	cb_strv_release(&b->missing);
}

static int plan(struct build *b, struct cb_error *err)
{
	const struct cb_layout_file *const *files;
	size_t n = cb_layout_files(b->l, b->p->reason, &files), i;
	int rc = 0;

	/* reserved first, so no layout file or attachment can take its name */
	cb_strv_add(&b->used, "manifest.json");
	rc = expand(&b->rebuttal, b->p, cb_layout_rebuttal(b->l, b->p->reason), false, err);
	if (rc < 0) {
		cb_error_prefix(err, "layout '%s': rebuttal letter for '%s'", b->layout_name,
				cb_reason_name(b->p->reason));
		return rc;
	}
	for (i = 0; i < n && rc == 0; i++) {
		switch (files[i]->kind) {
		case CB_LFILE_PDF:
			plan_pdf(b, files[i]);
			break;
		case CB_LFILE_PROOF:
			rc = plan_proof(b, files[i], err);
			break;
		case CB_LFILE_FIELDS:
			rc = plan_fields(b, files[i], err);
			break;
		}
	}
	return rc;
}

static int bundle_make(struct cb_renderer *r, const struct cb_packet *p,
		       const struct cb_layout *l, const char *out_dir, bool stage,
		       struct cb_bundle_result *res, struct cb_error *err)
{
	static const struct cb_limits no_limits;
	struct build b;
	unsigned char *zip = NULL;
	size_t zlen = 0;
	char fname[256], *path = NULL, *tmp = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&b, 0, sizeof(b));
	cb_error_clear(err);
	b.r = r;
	b.p = p;
	b.l = l;
	b.lim = cb_layout_limits(l) ? cb_layout_limits(l) : &no_limits;
	b.layout_name = cb_layout_name(l);
	rc = plan(&b, err);
	if (rc < 0)
		goto out;
	if (b.n == 0) {
		rc = cb_error_set(err, CB_ENOTFOUND, "dispute '%s': nothing to put in a bundle "
				  "with layout '%s'", p->dispute_id, b.layout_name);
		goto out;
	}
	make_exhibit_index(&b);
	rc = cb_bundle_shrink(&b.step, attempt, &b, err);
	if (rc < 0)
		goto out;
	text_checks(&b);
	final_warnings(&b);
	find_missing(&b);
	add_manifest(&b);
	rc = cb_bundle_zip(&zip, &zlen, b.e, b.n, cb_bundle_mtime(p->opened_at), err);
	if (rc < 0)
		goto out;
	cb_bundle_file_name(fname, sizeof(fname), p->dispute_id);
	rc = cb_bundle_publish(&path, stage ? &tmp : NULL, out_dir, fname, zip, zlen, err);
	if (rc < 0)
		goto out;
	fill_result(res, &b, path, zlen);
	res->tmp_path = tmp;
out:
	free(zip);
	build_release(&b);
	return rc;
}

int cb_bundle_write(struct cb_renderer *r, const struct cb_packet *p, const struct cb_layout *l,
		    const char *out_dir, struct cb_bundle_result *res, struct cb_error *err)
{
	return bundle_make(r, p, l, out_dir, false, res, err);
}

int cb_bundle_stage(struct cb_renderer *r, const struct cb_packet *p, const struct cb_layout *l,
		    const char *out_dir, struct cb_bundle_result *res, struct cb_error *err)
{
	return bundle_make(r, p, l, out_dir, true, res, err);
}
