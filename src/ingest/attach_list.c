/*
 * attach_list.c: reading a CSV list of proof files for `cbpack attach
 * --list`, so a merchant (or the demo, or the benchmark) can attach hundreds
 * of files in one command and one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/text.h"
#include "csv_reader.h"

/* The list's directory, so "files/x.jpg" means next to the list. */
static void list_dir(struct cb_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash)
		cb_buf_add(out, path, (size_t)(slash - path));
	else
		cb_buf_adds(out, ".");
}

static int attach_row(const struct csv_doc *d, size_t row, const int *col, const char *dir,
		      cb_attach_fn fn, void *ctx, struct cb_error *err)
{
	static const char *const names[] = { "owner_kind", "owner_ref", "file", "kind" };
	struct cb_buf file = CB_BUF_INIT;
	const char *v[4];
	int i, ret;

	for (i = 0; i < 4; i++) {
		v[i] = csv_cell(d, row, col[i]);
		if (cb_empty(v[i]))
			return cb_error_at(err, CB_EPARSE, d->path, d->rows[row].line,
					   "column '%s': empty", names[i]);
	}
	if (v[2][0] != '/')
		cb_buf_addf(&file, "%s/", dir);
	cb_buf_adds(&file, v[2]);
	ret = fn(ctx, v[0], v[1], cb_buf_cstr(&file), v[3], d->rows[row].line, err);
	cb_buf_release(&file);
	return ret;
}

int cb_ingest_attachment_list(const char *path, cb_attach_fn fn, void *ctx, struct cb_error *err)
{
	struct csv_doc d = CSV_DOC_INIT;
	struct cb_buf data = CB_BUF_INIT, dir = CB_BUF_INIT;
	char chunk[8192];
	int col[4], ret = 0;
	size_t n, row;
	FILE *f = fopen(path, "rb");

	if (!f)
		return cb_error_set(err, CB_EIO, "cannot open '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cb_buf_add(&data, chunk, n);
	fclose(f);
	ret = csv_doc_parse(&d, path, cb_buf_cstr(&data), data.len, err);
	if (!ret)
		ret = csv_require_column(&col[0], &d, "owner_kind", err);
	if (!ret)
		ret = csv_require_column(&col[1], &d, "owner_ref", err);
	if (!ret)
		ret = csv_require_column(&col[2], &d, "file", err);
	if (!ret)
		ret = csv_require_column(&col[3], &d, "kind", err);
	list_dir(&dir, path);
	for (row = 1; !ret && row < d.nrows; row++)
		if (!csv_row_blank(&d, row))
			ret = attach_row(&d, row, col, cb_buf_cstr(&dir), fn, ctx, err);
	csv_doc_release(&d);
	cb_buf_release(&data);
	cb_buf_release(&dir);
	return ret;
}
