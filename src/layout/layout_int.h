/*
 * layout_int.h: the layout object as the three layout_*.c files share it.
 * Everything a layout hands out is owned by it: strings and fixed arrays
 * come from a pool freed in one go, the few growable arrays are freed by
 * cb_layout_free. Nothing points into libxml2's tree, which is gone by the
 * time cb_layout_load returns.
 */
#ifndef CBPACK_LAYOUT_INT_H
#define CBPACK_LAYOUT_INT_H

#include <stddef.h>

#include "cbpack/hash.h"
#include "cbpack/layout.h"
#include "cbpack/reason.h"

#define ALL_REASONS ((1u << CB_REASON_COUNT) - 1)

/* Allocations freed together with the layout. */
struct pool {
	void **ptrs;
	size_t n, alloc;
};

void *pool_calloc(struct pool *p, size_t nmemb, size_t size);
char *pool_strdup(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
void pool_release(struct pool *p);

/* Where a piece of the layout was written: the file (the layout or one it
 * includes) and line, for messages. */
struct layout_loc {
	const char *file;
	long line;
};

/* A template and what it is, for cb_layout_check_names. */
struct layout_tmpl {
	const char *what;          /* "field 'customer_name'", "letter 'fraud'" */
	const char *tmpl;
	struct layout_loc at;
};

/* A required evidence kind as written. */
struct layout_kind {
	const char *kind;
	struct layout_loc at;
};

struct cb_layout {
	struct pool pool;
	const char *path, *name, *gateway;
	int version;
	char digest[CB_SHA256_HEX];
	struct cb_limits limits;

	struct cb_layout_file *files;
	unsigned *file_reasons;
	size_t n_files, files_alloc;
	const struct cb_layout_file **by_reason[CB_REASON_COUNT];   /* NULL-terminated */
	size_t n_by_reason[CB_REASON_COUNT];

	const char **order[CB_REASON_COUNT];        /* NULL-terminated */
	const char **required[CB_REASON_COUNT];     /* NULL-terminated */
	const char *letters[CB_REASON_COUNT];

	struct cb_layout_field *fields;
	size_t n_fields, fields_alloc;

	struct layout_tmpl *tmpls;
	size_t n_tmpls, tmpls_alloc;
	struct layout_kind *kinds;
	size_t n_kinds, kinds_alloc;
};

/*
 * Check a template's syntax ({{key}}, {{#key}}...{{/key}}) without values.
 * CB_EPARSE with a message that does not name the template's place; the
 * caller prefixes it.
 */
int layout_template_check(const char *tmpl, struct cb_error *err);

struct _xmlDoc;
struct _xmlNode;

/*
 * The file a node of a merged layout came from, when it came from an
 * included piece (malloc'd), else NULL (layout_load.c).
 */
char *layout_node_file(struct _xmlNode *n);

/*
 * Fill `l` from a validated, merged layout document read from `path`
 * (layout_build.c). CB_EPARSE names the file and line of what is wrong.
 */
int layout_build(struct cb_layout *l, struct _xmlDoc *doc, const char *path,
		 struct cb_error *err);

#endif
