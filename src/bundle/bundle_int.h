#ifndef CBPACK_BUNDLE_INT_H
#define CBPACK_BUNDLE_INT_H

/*
 * Inside the bundle module. bundle.c drives layout, evidence and render; the
 * pieces here stand alone (they see only bytes, names and numbers), so the
 * unit tests exercise them with hand-made inputs: entry naming, the zip
 * writer and its temp-file-and-rename, limits arithmetic, the image shrink
 * ladder, text field truncation and the manifest.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbpack/layout.h"

struct cb_error;

/* A growable list of owned strings, NULL-terminated once anything was added. */
struct cb_strv {
	char **v;
	size_t n, alloc;
};

#define CB_STRV_INIT { NULL, 0, 0 }

void cb_strv_add(struct cb_strv *sv, const char *s);
void cb_strv_addf(struct cb_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool cb_strv_has(const struct cb_strv *sv, const char *s);
/** Hand the NULL-terminated array over (never NULL); `sv` is left empty. */
char **cb_strv_detach(struct cb_strv *sv);
void cb_strv_release(struct cb_strv *sv);
void cb_strv_free_array(char **v);

/* "1,234,567": counts in messages are read by people. */
char *cb_bundle_fmt_int(char *out, size_t outlen, int64_t v);

/* ---- names (names.c) ---- */

/**
 * A zip entry name from an untrusted original file name: only
 * [A-Za-z0-9._-] kept (others become '_'), no leading dot, no "..", never
 * empty ("file"), at most outlen-1 bytes with the extension kept.
 */
void cb_bundle_entry_name(char *out, size_t outlen, const char *original);
/** Make `name` (a buffer of `len` bytes) unique among `used` ("a.pdf" -> "a-2.pdf"); adds it. */
void cb_bundle_name_unique(char *name, size_t len, struct cb_strv *used);

/* ---- entries and the zip (zipout.c) ---- */

enum cb_bentry_kind { CB_BENTRY_PDF, CB_BENTRY_PROOF, CB_BENTRY_FIELDS, CB_BENTRY_MANIFEST };

struct cb_bentry {
	char *name;                /* owned: path inside the zip */
	char *answers;             /* owned: gateway field it answers; may be NULL */
	enum cb_bentry_kind kind;
	const unsigned char *data; /* borrowed unless `own` is set */
	size_t len;
	unsigned char *own;        /* freed with the entry */
	int pages;                 /* 0 for non-paged files */
	bool pages_estimated;      /* proof PDF whose pages could not be counted exactly */
	bool compress;             /* deflate (JSON, text); PDFs and images are stored */
	bool gateway;              /* sent to the gateway: counts against byte/page limits */
	char sha256[65];
};

void cb_bentry_release(struct cb_bentry *e);

/**
 * Zip `n` entries in order into memory (*out, malloc'd), every entry dated
 * `mtime`, so the same entries give the same bytes.
 */
int cb_bundle_zip(unsigned char **out, size_t *outlen, const struct cb_bentry *e, size_t n,
		  int64_t mtime, struct cb_error *err);

/**
 * Write `data` to `dir`/`file_name` (mode 0600) through a temp file
 * ".tmp-XXXXXX" in `dir` (created 0700 if missing), flushed and renamed into
 * place; on failure the temp file is removed. *path_out is the final path.
 * With `tmp_out`, the file is only written, not flushed, and left at the
 * temp name *tmp_out for cb_bundle_sync and cb_bundle_commit.
 */
int cb_bundle_publish(char **path_out, char **tmp_out, const char *dir, const char *file_name,
		      const void *data, size_t len, struct cb_error *err);

/** Entry mtime: SOURCE_DATE_EPOCH when set, else `opened_at`, else 1980-01-02. */
int64_t cb_bundle_mtime(int64_t opened_at);

/** Pages of a PDF by counting page objects; -1 when none can be seen (object streams). */
int cb_bundle_pdf_pages(const unsigned char *data, size_t len);

/* ---- limits (limits.c) ---- */

enum cb_limit_id {
	CB_LIM_FILE_BYTES, CB_LIM_TOTAL_BYTES, CB_LIM_FILE_PAGES, CB_LIM_TOTAL_PAGES,
	CB_LIM_FIELD_CHARS, CB_LIM_TOTAL_CHARS, CB_LIM_COUNT
};

struct cb_limit_check {
	const char *limit;         /* "file_bytes", ... */
	int64_t max;               /* 0 = no limit */
	int64_t actual;            /* largest file / total */
	const char *file;          /* the file that decides `actual` (per-file limits) */
	bool ok;
};

/** Name of a limit as the manifest says it. */
const char *cb_limit_name(enum cb_limit_id id);

/**
 * Measure the gateway files of `e` against the byte and page limits into
 * `checks` (CB_LIM_COUNT slots; the two text limits are left to the caller).
 * Returns 0 when all fit, else CB_ELIMIT with the message for the first
 * limit broken (pages first: shrinking images cannot help them) and
 * *shrinkable telling whether smaller images could help.
 */
int cb_bundle_check_limits(struct cb_limit_check *checks, const struct cb_limits *lim,
			   const char *layout_name, const struct cb_bentry *e, size_t n,
			   bool *shrinkable, struct cb_error *err);

struct cb_shrink_step {
	int image_max_px, jpeg_quality;   /* 0, 0 = images as they are */
};

extern const struct cb_shrink_step cb_shrink_ladder[];
extern const size_t cb_shrink_ladder_len;

/**
 * Try the ladder from the top: `attempt` renders with the step's settings
 * and returns 0 when everything fits, CB_ELIMIT (with its message) when not
 * and a smaller image could help, CB_ELIMIT with *give_up set when nothing
 * could, or another error to stop. *step is the index of the step that fit.
 */
typedef int (*cb_shrink_attempt_fn)(void *ctx, const struct cb_shrink_step *s, bool *give_up,
				    struct cb_error *err);
int cb_bundle_shrink(size_t *step, cb_shrink_attempt_fn attempt, void *ctx, struct cb_error *err);

/* ---- text fields (fields.c) ---- */

#define CB_TRUNC_MARKER "[\xe2\x80\xa6truncated, see attached PDF]"

struct cb_field_val {
	const char *name;          /* borrowed */
	char *value;               /* owned, valid UTF-8 */
	size_t chars;              /* code points */
	size_t orig_chars;         /* before shortening */
};

/**
 * Shorten values so that none exceeds `field_max` code points and all
 * together fit `total_max` (0 = no limit), cutting the longest ones to a
 * common length with CB_TRUNC_MARKER at the end; one warning per field cut.
 * CB_ELIMIT when even that cannot fit (fields too many for the total).
 */
int cb_bundle_fields_fit(struct cb_field_val *f, size_t n, int64_t field_max, int64_t total_max,
			 const char *layout_name, struct cb_strv *warnings, struct cb_error *err);
/** Shorten `s` (owned, reallocated) to exactly `chars` code points ending in the marker. */
void cb_bundle_truncate(char **s, size_t chars);
/** Trim every line of `s` in place and drop the empty ones. */
void cb_bundle_tidy_text(char *s);
/**
 * The fields as one JSON object, keys sorted, compact; malloc'd. A name
 * with dots is a path, "a[]" meaning the first element of array a.
 */
char *cb_bundle_fields_json(const struct cb_field_val *f, size_t n);

/* ---- manifest (manifest.c) ---- */

struct cb_manifest {
	const char *dispute_id, *gateway, *gateway_reason, *reason, *currency;
	int64_t amount, opened_at, due_by;
	const char *layout_name, *layout_digest;
	const struct cb_bentry *entries;   /* the files, manifest excluded */
	size_t n_entries;
	const struct cb_strv *skipped;     /* "name\twhy" */
	const struct cb_limit_check *checks;   /* CB_LIM_COUNT */
	const struct cb_strv *missing, *warnings;
	size_t redactions, replaced_chars;
	const struct cb_shrink_step *shrink;   /* the step used */
	size_t shrink_step;
};

/** manifest.json, deterministic (keys sorted, no time but the packet's); malloc'd. */
char *cb_bundle_manifest_json(const struct cb_manifest *m);

#endif
