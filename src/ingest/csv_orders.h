#ifndef CBPACK_INGEST_CSV_ORDERS_H
#define CBPACK_INGEST_CSV_ORDERS_H

/*
 * Private to src/ingest: order exports written one row per line item
 * (Shopify "Export orders", the generic orders CSV). Rows are grouped by the
 * order key wherever they are in the file; the first row of an order that has
 * a currency carries the order-level fields, every row may carry an item.
 */

#include <stddef.h>

#include "rowmap.h"

struct cb_order;
struct cb_sink;
struct cb_ingest_stats;

struct order_csv_format {
	const char *source;                 /* cb_order.source: "shopify", "csv" */
	const char *key;                    /* the column orders are grouped by */
	const char *currency;               /* the currency column */
	const char *email;                  /* the e-mail column (a hint to the sink) */
	const struct rm_col *order_cols;    /* into struct cb_order */
	size_t n_order;
	const struct rm_col *line_cols;     /* into struct cb_order_line */
	size_t n_line;
	/* Optional: fields the specs cannot fill, from the order's first row. */
	int (*finish)(struct cb_order *o, const struct rm_row *row, struct cb_error *err);
};

int csv_import_orders(const struct order_csv_format *f, const char *path, const char *data,
		      size_t len, const struct cb_sink *sink, struct cb_ingest_stats *st,
		      struct cb_error *err);

#endif
