#ifndef CBPACK_BUNDLE_H
#define CBPACK_BUNDLE_H

/*
 * The bundle: DIR/<dispute-id>.zip with the layout's PDFs, the text-fields
 * file, proof files passed through, and manifest.json (dispute, gateway,
 * layout, reason; each file with bytes, pages, SHA-256 and the field it
 * answers; the limits checked; missing evidence; warnings). Written to a
 * temporary name in DIR and renamed, mode 0600: never half-written, never
 * world-readable. Limits are enforced: images are re-encoded smaller step by
 * step until everything fits; if it still cannot, CB_ELIMIT names the file
 * and by how much it is over, and nothing is written.
 */

#include <stddef.h>
#include <stdint.h>

struct cb_error;
struct cb_layout;
struct cb_packet;
struct cb_renderer;

struct cb_bundle_result {
	char *path;                /* final zip path; caller frees via release */
	char *tmp_path;            /* staged: where the zip waits, not yet at `path` */
	int64_t bytes;             /* size of the zip */
	int64_t gateway_bytes;     /* sum of the files the gateway receives */
	int pages;                 /* pages in all PDFs */
	int files;
	int shrink_steps;          /* image re-encoding steps it took to fit */
	size_t missing;            /* required evidence kinds missing */
	char **missing_kinds;      /* NULL-terminated */
	size_t warnings;
	char **warning_list;       /* the warnings' texts, NULL-terminated (as in manifest.json) */
	size_t redactions, replaced_chars;
};

/** Zip name for a dispute id: only [A-Za-z0-9._-] kept, others become '_'. */
void cb_bundle_file_name(char *out, size_t outlen, const char *dispute_id);

/**
 * Build the bundle of `p` with layout `l` into `out_dir` (created if
 * missing). The same code path serves `cbpack build` and `cbpack batch`.
 */
int cb_bundle_write(struct cb_renderer *r, const struct cb_packet *p, const struct cb_layout *l,
		    const char *out_dir, struct cb_bundle_result *res, struct cb_error *err);
/** Frees the result; a staged zip that never reached its place is removed. */
void cb_bundle_result_release(struct cb_bundle_result *res);

/*
 * Staged bundles, for a caller that writes many (the batch): an fsync per
 * zip is a disk flush and a journal commit each. cb_bundle_stage does what
 * cb_bundle_write does but leaves the zip, unflushed, at res->tmp_path
 * (removed by cb_bundle_result_release unless the caller takes the name and
 * sets it to NULL). cb_bundle_sync then flushes everything written in
 * `dir`'s file system at once (syncfs), after which cb_bundle_commit renames
 * each staged zip to its final path. Until then no reader sees it, and a
 * crash leaves only a ".tmp-" file, which the next batch removes.
 */
int cb_bundle_stage(struct cb_renderer *r, const struct cb_packet *p, const struct cb_layout *l,
		    const char *out_dir, struct cb_bundle_result *res, struct cb_error *err);
int cb_bundle_sync(const char *dir, struct cb_error *err);
int cb_bundle_commit(const char *tmp_path, const char *path, struct cb_error *err);

#endif
