/*
 * csv_orders.c: orders exported one row per line item. A merchant's export
 * may sort rows by anything (Shopify sorts by date, and a re-sorted sheet
 * splits orders), so rows are grouped by the order key, not by adjacency.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "csv_orders.h"
#include "csv_reader.h"
#include "orders_writer.h"

struct orders_run {
	const struct order_csv_format *f;
	const struct csv_doc *doc;
	struct rm_csv order_bind, line_bind;
	struct rm_scratch check_scratch;   /* values of check_other_rows, dropped at once */
	const struct cb_sink *sink;
	struct orders_writer *writer;
	struct cb_ingest_stats *st;
};

/* The row holding the order-level fields: the first with a currency. */
static size_t primary_row(const struct orders_run *run, const struct csv_group *g, int cur_col)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (*csv_cell(run->doc, g->rows[i], cur_col))
			return g->rows[i];
	return g->rows[0];
}

/* Order-level values on other rows are checked too, so a typo is never silently ignored. */
static int check_other_rows(struct orders_run *run, const struct csv_group *g, size_t primary,
			    const char *currency, struct cb_error *err)
{
	struct cb_order scratch_order;
	struct rm_row row;
	size_t i;
	int ret;

	for (i = 0; i < g->n; i++) {
		if (g->rows[i] == primary)
			continue;
		cb_order_blank(&scratch_order);
		rm_csv_row(&row, &run->order_bind, g->rows[i], &run->check_scratch);
		ret = rm_fill(&scratch_order, run->f->order_cols, run->f->n_order, &row, currency,
			      false, err);
		rm_scratch_reset(&run->check_scratch);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_lines(struct orders_run *run, const struct csv_group *g,
		     const struct cb_order *o, struct cb_error *err)
{
	struct cb_order_line l;
	struct rm_row row;
	size_t i;
	int line_no = 0, ret = 0;

	for (i = 0; i < g->n && !ret; i++) {
		cb_order_line_blank(&l);
		rm_csv_row(&row, &run->line_bind, g->rows[i], ow_scratch(run->writer));
		ret = rm_fill(&l, run->f->line_cols, run->f->n_line, &row, o->currency, false, err);
		if (!ret && (!cb_empty(l.name) || !cb_empty(l.sku))) {
			l.order_ref = o->order_ref;
			l.line_no = ++line_no;
			l.currency = o->currency;
			ow_add_line(run->writer, &l, row.line);
			run->st->records++;
		}
	}
	return ret;
}

/* The order and its lines go to the writer as they would go to the sink. */
static int add_group(struct orders_run *run, const struct csv_group *g, int cur_col,
		     struct cb_error *err)
{
	size_t primary = primary_row(run, g, cur_col);
	struct cb_order o;
	struct rm_row row;
	int ret;

	cb_order_blank(&o);
	rm_csv_row(&row, &run->order_bind, primary, ow_scratch(run->writer));
	ret = rm_fill(&o, run->f->order_cols, run->f->n_order, &row, NULL, true, err);
	if (!ret && run->f->finish)
		ret = run->f->finish(&o, &row, err);
	if (!ret)
		ret = check_other_rows(run, g, primary, o.currency, err);
	if (ret)
		return ret;
	o.source = run->f->source;
	ow_add_order(run->writer, &o, row.line);
	run->st->records++;
	if ((ret = add_lines(run, g, &o, err)) < 0)
		return ret;
	run->st->rows_accepted += (long)g->n;
	return ow_next(run->writer, err);
}

/*
 * Tell the sink the e-mail of each order before the first (sink->orders_coming),
 * from the cell the order-level fields come from. Only a hint: a cell the
 * row mapping would turn into another value costs the sink a slower path.
 */
static int announce_orders(const struct orders_run *run, const struct csv_groups *groups,
			   int cur_col, struct cb_error *err)
{
	const char **emails;
	int email_col;
	size_t i;
	int ret;

	if (!run->sink->orders_coming || !run->f->email ||
	    (email_col = csv_find_column(run->doc, run->f->email)) < 0)
		return 0;
	emails = cb_xcalloc(groups->n ? groups->n : 1, sizeof(*emails));
	for (i = 0; i < groups->n; i++)
		emails[i] = csv_cell(run->doc, primary_row(run, &groups->g[i], cur_col), email_col);
	ret = run->sink->orders_coming(run->sink->ctx, emails, groups->n, err);
	free(emails);
	return ret;
}

/* Every non-blank row needs its order key: without it the row belongs nowhere. */
static int check_keys(const struct csv_doc *doc, int key_col, struct cb_ingest_stats *st,
		      struct cb_error *err)
{
	size_t r;

	for (r = 1; r < doc->nrows; r++) {
		if (csv_row_blank(doc, r)) {
			st->rows_skipped++;
			continue;
		}
		if (!*csv_cell(doc, r, key_col))
			return cb_error_at(err, CB_EPARSE, doc->path, doc->rows[r].line,
					   "column '%s': empty value (this column is required)",
					   csv_cell(doc, 0, key_col));
	}
	return 0;
}

int csv_import_orders(const struct order_csv_format *f, const char *path, const char *data,
		      size_t len, const struct cb_sink *sink, struct cb_ingest_stats *st,
		      struct cb_error *err)
{
	struct csv_doc doc = CSV_DOC_INIT;
	struct csv_groups groups = CSV_GROUPS_INIT;
	struct orders_run run;
	int key_col, cur_col, ret;
	size_t i;

	memset(&run, 0, sizeof(run));
	run.f = f;
	run.doc = &doc;
	run.sink = sink;
	run.st = st;
	ret = csv_doc_parse(&doc, path, data, len, err);
	if (ret)
		goto out;
	ret = rm_csv_bind(&run.order_bind, &doc, f->order_cols, f->n_order, err);
	if (!ret)
		ret = rm_csv_bind(&run.line_bind, &doc, f->line_cols, f->n_line, err);
	if (!ret)
		ret = csv_require_column(&key_col, &doc, f->key, err);
	if (ret)
		goto out;
	cur_col = csv_find_column(&doc, f->currency);
	ret = check_keys(&doc, key_col, st, err);
	if (ret)
		goto out;
	csv_group_rows(&groups, &doc, key_col);
	ret = announce_orders(&run, &groups, cur_col, err);
	if (!ret)
		ret = ow_start(&run.writer, sink, path, err);
	if (ret)
		goto out;
	for (i = 0; i < groups.n && !ret; i++)
		ret = add_group(&run, &groups.g[i], cur_col, err);
	ret = ow_finish(run.writer, ret, err);
out:
	csv_groups_release(&groups);
	rm_scratch_release(&run.check_scratch);
	rm_csv_release(&run.order_bind);
	rm_csv_release(&run.line_bind);
	csv_doc_release(&doc);
	return ret;
}
