/*
 * manifest.c: manifest.json, the bundle's account of itself. It says what
 * each file is, what it answers and its SHA-256 (so a reviewer can check
 * what was uploaded), which limits were checked with their actual values,
 * which evidence is missing, and every warning (cut text, replaced
 * characters, shrunk images). Keys are sorted and the only times in it are
 * the dispute's, so two builds of one packet give the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cbpack/records.h"
#include "cbpack/timeutil.h"
#include "cbpack/version.h"
#include "bundle_int.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t t)
{
	char b[32];

	if (t == CB_NO_TIME)
		return json_null();
	return json_string(cb_time_iso(b, sizeof(b), t));
}

static const char *kind_name(enum cb_bentry_kind k)
{
	switch (k) {
	case CB_BENTRY_PDF: return "pdf";
	case CB_BENTRY_PROOF: return "proof";
	case CB_BENTRY_FIELDS: return "fields";
	case CB_BENTRY_MANIFEST: return "manifest";
	}
	return "?";
}

static json_t *strv_json(const struct cb_strv *sv)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; sv && i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *files_json(const struct cb_manifest *m)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < m->n_entries; i++) {
		const struct cb_bentry *e = &m->entries[i];

		o = json_object();
		json_object_set_new(o, "name", json_string(e->name));
		json_object_set_new(o, "kind", json_string(kind_name(e->kind)));
		json_object_set_new(o, "answers", str_or_null(e->answers));
		json_object_set_new(o, "bytes", json_integer((json_int_t)e->len));
		json_object_set_new(o, "pages", e->pages > 0 ? json_integer(e->pages) : json_null());
		if (e->pages_estimated)
			json_object_set_new(o, "pages_estimated", json_true());
		json_object_set_new(o, "sha256", json_string(e->sha256));
		json_object_set_new(o, "sent_to_gateway", json_boolean(e->gateway));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *skipped_json(const struct cb_strv *sv)
{
	json_t *a = json_array(), *o;
	const char *tab;
	size_t i;

	for (i = 0; sv && i < sv->n; i++) {
		tab = strchr(sv->v[i], '\t');
		o = json_object();
		json_object_set_new(o, "name", json_stringn(sv->v[i],
				   tab ? (size_t)(tab - sv->v[i]) : strlen(sv->v[i])));
		json_object_set_new(o, "why", json_string(tab ? tab + 1 : ""));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *limits_json(const struct cb_limit_check *c)
{
	json_t *o = json_object(), *l;
	size_t i;

	for (i = 0; c && i < CB_LIM_COUNT; i++) {
		l = json_object();
		json_object_set_new(l, "max", c[i].max > 0 ? json_integer(c[i].max) : json_null());
		json_object_set_new(l, "actual", json_integer(c[i].actual));
		if (c[i].file)
			json_object_set_new(l, i >= CB_LIM_FIELD_CHARS ? "field" : "file",
					    json_string(c[i].file));
		json_object_set_new(l, "ok", json_boolean(c[i].ok));
		json_object_set_new(o, c[i].limit, l);
	}
	return o;
}

char *cb_bundle_manifest_json(const struct cb_manifest *m)
{
	json_t *root = json_object(), *o;
	char *s;

	o = json_object();
	json_object_set_new(o, "id", str_or_null(m->dispute_id));
	json_object_set_new(o, "gateway", str_or_null(m->gateway));
	json_object_set_new(o, "gateway_reason", str_or_null(m->gateway_reason));
	json_object_set_new(o, "reason", str_or_null(m->reason));
	json_object_set_new(o, "amount", m->amount == CB_NO_AMOUNT ? json_null()
				: json_integer((json_int_t)m->amount));
	json_object_set_new(o, "currency", str_or_null(m->currency));
	json_object_set_new(o, "opened_at", time_or_null(m->opened_at));
	json_object_set_new(o, "due_by", time_or_null(m->due_by));
	json_object_set_new(root, "dispute", o);

	o = json_object();
	json_object_set_new(o, "name", str_or_null(m->layout_name));
	json_object_set_new(o, "digest", str_or_null(m->layout_digest));
	json_object_set_new(root, "layout", o);

	json_object_set_new(root, "cbpack_version", json_string(CB_VERSION));
	json_object_set_new(root, "files", files_json(m));
	json_object_set_new(root, "skipped", skipped_json(m->skipped));
	json_object_set_new(root, "limits", limits_json(m->checks));
	json_object_set_new(root, "missing_evidence", strv_json(m->missing));
	json_object_set_new(root, "warnings", strv_json(m->warnings));
	json_object_set_new(root, "redactions", json_integer((json_int_t)m->redactions));
	json_object_set_new(root, "replaced_chars", json_integer((json_int_t)m->replaced_chars));

	o = json_object();
	json_object_set_new(o, "step", json_integer((json_int_t)m->shrink_step));
	json_object_set_new(o, "image_max_px", json_integer(m->shrink ? m->shrink->image_max_px : 0));
	json_object_set_new(o, "jpeg_quality", json_integer(m->shrink ? m->shrink->jpeg_quality : 0));
	json_object_set_new(root, "image_shrink", o);

	s = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(root);
	if (!s)
		abort();   /* only on out of memory */
	return s;
}
