/*
 * cmd_build.c: `cbpack build DISPUTE... [-o DIR] [--layout NAME|FILE]`.
 * One renderer serves every dispute (fonts load once); each layout is
 * loaded and checked against the packet's keys once. A dispute that fails
 * is named and the rest are still built; the exit status is 1 if any failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/bundle.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/layout.h"
#include "cbpack/render.h"
#include "cbpack/store.h"
#include "cbpack/text.h"
#include "cmd.h"

#define USAGE "cbpack build DISPUTE... [-o DIR] [--layout NAME|FILE]"
#define DEFAULT_LAYOUT "generic"

struct layout_cache {
	char **names;
	struct cb_layout **layouts;   /* NULL: known not to exist */
	size_t n, alloc;
};

static void print_help(void)
{
	printf("usage: %s\n\n", USAGE);
	printf("Build the evidence bundle of each DISPUTE (gateway id, or gateway:id) as\n"
	       "DIR/<id>.zip: the layout's PDFs, proof files, text fields and manifest.json,\n"
	       "within the layout's limits.\n\n");
	printf("  -o, --output DIR     where the bundles go (default ./out; created 0700)\n");
	printf("  -l, --layout NAME    layout name, or a layout file (a path with '/' or\n"
	       "                       ending in .xml); default: the dispute's gateway when a\n"
	       "                       layout of that name exists, else 'generic'\n");
}

static bool is_layout_file(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n > 4 && !strcmp(s + n - 4, ".xml"));
}

/* Load (once) and check a layout; *out is NULL when it does not exist. */
static int get_layout(struct cb_layout **out, struct layout_cache *c, const char *name,
		      struct cb_error *err)
{
	struct cb_layout *l = NULL;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->names[i], name)) {
			*out = c->layouts[i];
			return *out ? 0 : cb_error_set(err, CB_ENOTFOUND, "no layout '%s'", name);
		}
	}
	rc = is_layout_file(name) ? cb_layout_load(&l, name, err) : cb_layout_find(&l, name, err);
	if (rc == 0)
		rc = cb_layout_check_names(l, cb_packet_keys(), cb_evidence_kinds(), err);
	if (rc < 0 && rc != CB_ENOTFOUND) {
		cb_layout_free(l);
		return rc;
	}
	if (rc < 0) {
		cb_layout_free(l);
		l = NULL;
	}
	c->names = cb_xgrow(c->names, sizeof(*c->names), c->n + 1, &c->alloc);
	c->layouts = cb_xrealloc(c->layouts, c->alloc * sizeof(*c->layouts));
	c->names[c->n] = cb_xstrdup(name);
	c->layouts[c->n++] = l;
	*out = l;
	return l ? 0 : rc;
}

static void cache_release(struct layout_cache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->names[i]);
		cb_layout_free(c->layouts[i]);
	}
	free(c->names);
	free(c->layouts);
}

static int pick_layout(struct cb_layout **out, struct layout_cache *c, const char *forced,
		       const struct cb_packet *p, struct cb_error *err)
{
	int rc;

	if (forced)
		return get_layout(out, c, forced, err);
	if (!cb_empty(p->gateway)) {
		rc = get_layout(out, c, p->gateway, err);
		if (rc != CB_ENOTFOUND)
			return rc;
	}
	return get_layout(out, c, DEFAULT_LAYOUT, err);
}

static void fmt_count(char *out, size_t outlen, int64_t v)
{
	char digits[32];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long)v);
	n = strlen(digits);
	for (i = 0; i < n && o + 2 < outlen; i++) {
		if (i && digits[i - 1] != '-' && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void report(const struct cb_packet *p, const struct cb_bundle_result *res)
{
	char bytes[32];
	size_t i;

	fmt_count(bytes, sizeof(bytes), res->bytes);
	printf("built %s (%d file%s, %d page%s, %s bytes)", res->path, res->files,
	       res->files == 1 ? "" : "s", res->pages, res->pages == 1 ? "" : "s", bytes);
	for (i = 0; res->missing_kinds && res->missing_kinds[i]; i++)
		printf("%s%s", i ? ", " : " \xe2\x80\x94 missing: ", res->missing_kinds[i]);
	putchar('\n');
	for (i = 0; res->warning_list && res->warning_list[i]; i++)
		cb_warn("warning: %s: %s", p->dispute_id, res->warning_list[i]);
}

static int build_one(struct cb_store *s, struct cb_renderer *r, struct layout_cache *c,
		     const char *forced, const char *ref, const char *out_dir,
		     struct cb_error *err)
{
	struct cb_bundle_result res;
	struct cb_packet *p = NULL;
	struct cb_layout *l;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = cb_evidence_load(&p, s, ref, err);
	if (rc < 0)
		return rc;
	rc = pick_layout(&l, c, forced, p, err);
	if (rc == 0)
		rc = cb_bundle_write(r, p, l, out_dir, &res, err);
	if (rc == 0)
		report(p, &res);
	cb_bundle_result_release(&res);
	cb_packet_free(p);
	return rc;
}

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "layout", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	struct layout_cache cache = { NULL, NULL, 0, 0 };
	struct cb_buf failed = CB_BUF_INIT;
	struct cb_store *s = NULL;
	struct cb_renderer *r = NULL;
	struct cb_layout *l;
	const char *out_dir = "out", *forced = NULL;
	int ch, i, nfailed = 0, rc = CB_EXIT_OK;

	while ((ch = getopt_long(argc, argv, "o:l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out_dir = optarg;
			break;
		case 'l':
			forced = optarg;
			break;
		case 'h':
			print_help();
			return CB_EXIT_OK;
		default:
			return cb_usage(USAGE, NULL);
		}
	}
	if (optind >= argc)
		return cb_usage(USAGE, "no dispute given");
	if (!*out_dir)
		return cb_usage(USAGE, "empty output directory");
	if (cb_store_open(&s, cb_store_default_path(cb_global.db_path), CB_STORE_SMALL_CACHE,
			  &err) < 0 ||
	    cb_renderer_new(&r, NULL, &err) < 0) {
		rc = cb_fail(&err);
		goto out;
	}
	/* a layout the user named must exist: say so once, not per dispute */
	if (forced && get_layout(&l, &cache, forced, &err) < 0) {
		if (err.code == CB_ENOTFOUND && !err.msg[0])
			cb_error_set(&err, CB_ENOTFOUND, "no layout '%s'", forced);
		rc = cb_fail(&err);
		goto out;
	}
	for (i = optind; i < argc; i++) {
		cb_error_clear(&err);
		if (build_one(s, r, &cache, forced, argv[i], out_dir, &err) < 0) {
			cb_warn("%s: %s", argv[i], err.msg[0] ? err.msg : "failed");
			cb_buf_addf(&failed, "%s%s", nfailed ? ", " : "", argv[i]);
			nfailed++;
		}
	}
	if (nfailed) {
		cb_warn("%d of %d bundle%s failed: %s", nfailed, argc - optind,
			argc - optind == 1 ? "" : "s", cb_buf_cstr(&failed));
		rc = CB_EXIT_FAIL;
	}
out:
	cb_buf_release(&failed);
	cache_release(&cache);
	cb_renderer_free(r);
	cb_store_free(s);
	return rc;
}
