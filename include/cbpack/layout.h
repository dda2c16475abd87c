#ifndef CBPACK_LAYOUT_H
#define CBPACK_LAYOUT_H

/*
 * Gateway layouts: XML files in layouts/, validated with libxml2 against
 * layouts/layout.rng, parsed with network access and external entities off.
 * A layout says which files a bundle holds and what gateway field each
 * answers, which sections each PDF holds in which order per reason, which
 * evidence each reason requires, the gateway's limits, the text evidence
 * fields (templates) and the rebuttal letter per reason. Shared pieces live
 * in layouts/common/ (XML files) and are pulled in with XInclude (local files only).
 * docs/layouts.md is the guide to writing one.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbpack/reason.h"

struct cb_buf;
struct cb_error;
struct cb_packet;
struct cb_layout;

/* Section names a PDF file can hold. */
#define CB_SECTION_NAMES "cover", "order", "payment", "customer", "conversation", \
	"shipping", "images", "refunds", "policies"

struct cb_limits {
	int64_t file_bytes;        /* per file in the bundle; 0 = none */
	int64_t total_bytes;       /* all files the gateway receives */
	int file_pages, total_pages;
	int text_field_chars, text_total_chars;
	double page_width, page_height;   /* points; Letter 612x792, A4 595x842 */
	const char *const *file_types;    /* "pdf", "jpeg", "png"; NULL-terminated */
};

enum cb_layout_file_kind {
	CB_LFILE_PDF,          /* a PDF rendered from sections */
	CB_LFILE_PROOF,        /* attachments passed through as they are (a carrier's POD PDF) */
	CB_LFILE_FIELDS        /* the text evidence fields, as the gateway's API body (JSON) */
};

struct cb_layout_file {
	enum cb_layout_file_kind kind;
	const char *name;          /* file name inside the zip, e.g. "shipping_documentation.pdf" */
	const char *answers;       /* gateway field / category / evidence type it answers */
	const char *title;         /* PDF title */
	const char *const *sections;      /* PDF: sections it may hold, NULL-terminated */
	const char *const *attachment_kinds; /* PROOF: attachment kinds it takes */
	int max_files;             /* PROOF: at most this many files (max="1"); 0 = no limit */
};

struct cb_layout_field {
	const char *name;          /* gateway's field name, e.g. "shipping_tracking_number" */
	const char *tmpl;          /* "{{shipping.tracking_numbers}}" */
	unsigned reasons;          /* bit (1 << enum cb_reason); all bits when unrestricted */
};

/**
 * Load and validate a layout file. Validation errors are CB_EPARSE with
 * "file:line: message" of the first error. Caller frees with cb_layout_free.
 */
int cb_layout_load(struct cb_layout **out, const char *path, struct cb_error *err);
/**
 * Load layouts/<name>.xml from the layout directory. CB_EUSAGE for a name
 * with '/' or '..' in it, CB_ENOTFOUND when there is no such layout.
 */
int cb_layout_find(struct cb_layout **out, const char *name, struct cb_error *err);
void cb_layout_free(struct cb_layout *l);

/** True when the layout directory has <name>.xml. */
bool cb_layout_exists(const char *name);
/**
 * What `--layout` means: a path (has a '/' or ends in ".xml") is loaded as a
 * file, anything else is a name in the layout directory.
 */
int cb_layout_open(struct cb_layout **out, const char *name_or_path, struct cb_error *err);

/** The layout directory: $CBPACK_LAYOUTS, else the compiled-in one. */
const char *cb_layout_dir(void);

const char *cb_layout_name(const struct cb_layout *l);
const char *cb_layout_gateway(const struct cb_layout *l);
/** SHA-256 of the layout and everything it includes (for batch digests). */
const char *cb_layout_digest(const struct cb_layout *l);
const struct cb_limits *cb_layout_limits(const struct cb_layout *l);

/** Files in the order the layout lists them for `reason`. */
size_t cb_layout_files(const struct cb_layout *l, enum cb_reason reason,
		       const struct cb_layout_file *const **out);
/** Section order for `reason`: a PDF file shows its sections in this order. */
const char *const *cb_layout_section_order(const struct cb_layout *l, enum cb_reason reason);
/** Evidence kinds (cb_packet_has) required for `reason`, NULL-terminated. */
const char *const *cb_layout_required(const struct cb_layout *l, enum cb_reason reason);
/** Text evidence fields. */
size_t cb_layout_fields(const struct cb_layout *l, const struct cb_layout_field **out);
/** Rebuttal letter template for `reason`. */
const char *cb_layout_rebuttal(const struct cb_layout *l, enum cb_reason reason);

/* Looks up a template key; see cb_packet_value (evidence.h) for the contract. */
typedef int (*cb_value_fn)(void *ctx, const char *key, struct cb_buf *out);

/**
 * Expand a template: "{{key}}" is replaced by lookup(key);
 * "{{#key}}...{{/key}}" keeps its body only when key has a non-empty value
 * (a block left out also drops one following space when the text before it
 * ends in white space). A key lookup() does not know, even inside a block
 * left out, is CB_EPARSE naming it; so is a tag or block left open. On
 * error `out` is left as it was.
 */
int cb_layout_expand(struct cb_buf *out, const char *tmpl, cb_value_fn lookup, void *ctx,
		     struct cb_error *err);

/**
 * Check every template key and required evidence kind in the layout against
 * the known ones (cb_packet_keys(), cb_evidence_kinds()), so that a typo is a
 * load-time error with the layout's file and line, not a surprise at build.
 * The layout module does not depend on evidence; callers pass the lists.
 */
int cb_layout_check_names(const struct cb_layout *l, const char *const *keys,
			  const char *const *kinds, struct cb_error *err);

#endif
