#ifndef CBPACK_INGEST_CSV_READER_H
#define CBPACK_INGEST_CSV_READER_H

/*
 * Private to src/ingest: an RFC 4180 CSV file read whole through libcsv in
 * strict mode (quoted commas, embedded newlines, CRLF), kept as rows of
 * NUL-terminated, trimmed fields. Each row knows the physical line it starts
 * on, so messages can say "orders.csv:7: column 'total': ...". Row 0 is the
 * header; columns are looked up by name, case-insensitively.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbpack/buf.h"

struct cb_error;

struct csv_row {
	long line;          /* physical line the row starts on, 1-based */
	size_t base;        /* where its text starts in csv_doc.text */
	size_t first;       /* index of its first field (csv_doc.offs, offs2) */
	size_t n;           /* number of fields */
	bool blank;         /* every field empty (a line of commas) */
};

struct csv_doc {
	const char *path;   /* borrowed, for messages */
	struct cb_buf text; /* every field, each NUL-terminated */
	uint32_t *offs;     /* start of each field, from its row's base */
	size_t noffs, offs_alloc;
	struct csv_row *rows;
	size_t nrows, rows_alloc;
	uint32_t *offs2;    /* a split parse's second part: field i >= noffs is offs2[i - noffs] */
};

#define CSV_DOC_INIT { NULL, CB_BUF_INIT, NULL, 0, 0, NULL, 0, 0, NULL }

/**
 * Parse `data` (valid UTF-8, no BOM) into `out`, which the caller releases
 * with csv_doc_release even on failure. Broken quoting is CB_EPARSE naming
 * the line; a file with no header row is CB_EPARSE.
 */
int csv_doc_parse(struct csv_doc *out, const char *path, const char *data, size_t len,
		  struct cb_error *err);

/*
 * From CSV_SPLIT_MIN bytes on, csv_doc_parse splits the input in two at a
 * row boundary and parses the halves on two threads; the document and any
 * error are exactly those of parsing it in one piece.
 */
#define CSV_SPLIT_MIN ((size_t)8 << 20)

/**
 * For tests: csv_doc_parse with the split forced, whatever the size, at the
 * first row boundary at or after byte `split_hint`. A hint past the last
 * line end parses in one piece, as csv_doc_parse does for small inputs.
 */
int csv_doc_parse_split(struct csv_doc *out, const char *path, const char *data, size_t len,
			size_t split_hint, struct cb_error *err);

/** For tests: where csv_doc_parse_split splits, 0 when it does not. */
size_t csv_split_point(const char *data, size_t len, size_t split_hint);
void csv_doc_release(struct csv_doc *d);

/** Field `col` of row `row`; "" when `col` < 0 or the row is shorter. */
const char *csv_cell(const struct csv_doc *d, size_t row, int col);

/** True when every field of the row is empty (a line of commas). */
bool csv_row_blank(const struct csv_doc *d, size_t row);

/**
 * Index of the header column called `names`, trimmed and case-insensitive;
 * `names` may list alternatives separated by '|' ("Created date (UTC)|Created
 * (UTC)"), the first found wins. -1 when absent.
 */
int csv_find_column(const struct csv_doc *d, const char *names);

/**
 * Like csv_find_column, but a missing column is CB_EPARSE:
 * "x.csv: missing required column 'total'".
 */
int csv_require_column(int *col, const struct csv_doc *d, const char *names,
		       struct cb_error *err);

/**
 * Rows grouped by the value of one column, in order of each group's first
 * row, so that rows of one order are found together wherever they are in the
 * file. Blank rows and rows with an empty key are left out.
 */
struct csv_group {
	const char *key;    /* borrowed from the doc */
	size_t *rows;       /* row indices, in file order */
	size_t n;
};

struct csv_groups {
	struct csv_group *g;
	size_t n;
	size_t *all;        /* storage behind every group's rows */
};

#define CSV_GROUPS_INIT { NULL, 0, NULL }

void csv_group_rows(struct csv_groups *out, const struct csv_doc *d, int col);
void csv_groups_release(struct csv_groups *g);

#endif
