/*
 * bulk.c: a large first import into a small table builds its secondary
 * indexes once at the end instead of row by row. Inserting rows whose
 * e-mail, payment id and order id are in no particular order touches a
 * random page of each of those indexes for every row; once the indexes
 * outgrow the page cache, every insert reads and writes pages back. Building
 * an index from a sorted list instead writes each page once.
 *
 * Inside the import's transaction, once the sink has been sent BULK_AFTER
 * orders, and they added at least half that many rows and as many as the
 * table had before, the non-unique indexes of
 * `orders` are dropped (their CREATE statements kept), and made again before
 * anything reads by them: at the start of the link pass, or at the commit.
 * Unique indexes stay: the upserts find their conflicts through them. A
 * rollback brings the indexes back with everything else, and a reader sees
 * the old schema until the commit, so nobody ever sees the table without
 * them. A re-import, or a small file into a large store, never gets here.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "store_int.h"

#define BULK_AFTER 16384

/* The largest rowid of orders: rows are only appended, so its growth counts new rows. */
#define LAST_ORDER_ID "SELECT max(id) FROM orders"

/* The one column of index `name`, or NULL (several columns, an expression); sqlite3_free it. */
static char *index_column(struct cb_store *s, const char *name)
{
	sqlite3_stmt *st = NULL;
	char *col = NULL;
	int n = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT name FROM pragma_index_info(?1)", -1, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && ++n == 1)
		if (sqlite3_column_text(st, 0))
			col = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (n != 1) {
		sqlite3_free(col);
		col = NULL;
	}
	return col;
}

/*
 * Whether keeping index `name` costs an append per row: its one column took
 * values in index order (NULLs first) in at least 99% of the rows this
 * transaction added so far. Shopify's order ids and payment references grow
 * with the order number; e-mail and payment id arrive at random. An index
 * on customer_id is never kept: the link pass sets it on every new row,
 * which would move every entry, or the sink does (customers.c), in no order.
 * The rows are walked here: comparing them with a window function in SQL
 * took 8 times the instructions (760M against 100M for 16k rows, 4 indexes).
 */
static int keys_arrive_in_order(struct cb_store *s, const char *name, bool *out,
				struct cb_error *err)
{
	char *col = index_column(s, name), *sql, *prev = NULL;
	const char *v;
	sqlite3_stmt *st = NULL;
	int64_t rows = 0, backwards = 0;
	int rc, ret = 0;

	*out = false;
	if (!col || !strcmp(col, "customer_id")) {
		sqlite3_free(col);
		return 0;
	}
	sql = sqlite3_mprintf("SELECT \"%w\" FROM orders WHERE id > ?1 ORDER BY id", col);
	if (!sql || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ret = store_db_error(s, err, "checking the order of index '%s'", name);
		goto out;
	}
	sqlite3_bind_int64(st, 1, s->tx_first_order);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		rows++;
		/* BINARY collation is strcmp for text without NULs; NULL sorts first */
		if (prev && (!v || strcmp(v, prev) < 0))
			backwards++;
		free(prev);
		prev = cb_xstrdup_or_null(v);
	}
	if (rc != SQLITE_DONE) {
		ret = store_db_error(s, err, "checking the order of index '%s'", name);
		goto out;
	}
	*out = backwards * 100 <= rows;
out:
	free(prev);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	sqlite3_free(col);
	return ret;
}

/* Keep the CREATE statement of each index worth deferring, then drop it. */
static int drop_indexes(struct cb_store *s, struct cb_error *err)
{
	static const char list[] =
		"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"
		" AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name";
	struct cb_buf drop = CB_BUF_INIT;
	sqlite3_stmt *st = NULL;
	bool in_order;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(s->db, list, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "listing the indexes of orders");
	cb_buf_reset(&s->deferred);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((ret = keys_arrive_in_order(s, (const char *)sqlite3_column_text(st, 0),
						&in_order, err)) < 0)
			break;
		if (in_order)
			continue;
		cb_buf_addf(&drop, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(st, 0));
		cb_buf_addf(&s->deferred, "%s;", (const char *)sqlite3_column_text(st, 1));
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_db_error(s, err, "listing the indexes of orders");
	sqlite3_finalize(st);
	if (!ret && drop.len)
		ret = store_exec(s, cb_buf_cstr(&drop), "deferring the indexes of orders", err);
	if (ret < 0)
		cb_buf_reset(&s->deferred);
	cb_buf_release(&drop);
	return ret;
}

int store_bulk_order_coming(struct cb_store *s, struct cb_error *err)
{
	int64_t last = 0;
	int ret;

	if (sqlite3_get_autocommit(s->db) || s->tx_orders > BULK_AFTER)
		return 0;
	if (s->tx_orders++ == 0)
		return store_query_int(s, LAST_ORDER_ID, "counting orders", &s->tx_first_order,
				       err);
	if (s->tx_orders != BULK_AFTER)
		return 0;
	/* new rows so far, against the rows there were before (at most that many) */
	if ((ret = store_query_int(s, LAST_ORDER_ID, "counting orders", &last, err)) < 0)
		return ret;
	if (last - s->tx_first_order < s->tx_first_order || last - s->tx_first_order < BULK_AFTER / 2)
		return 0;
	return drop_indexes(s, err);
}

int store_bulk_restore(struct cb_store *s, struct cb_error *err)
{
	if (!s->deferred.len)
		return 0;
	return store_exec(s, cb_buf_cstr(&s->deferred), "building the indexes of orders", err);
}

void store_bulk_forget(struct cb_store *s)
{
	s->tx_orders = s->tx_first_order = 0;
	cb_buf_reset(&s->deferred);
}
