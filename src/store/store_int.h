/*
 * store_int.h: what the store's source files share and the public header
 * hides: the connection struct, its cache of prepared statements, the
 * migration step table, and helpers turning SQLite failures into messages.
 * Unit tests include it to drive migrations with their own step tables.
 */
#ifndef CB_STORE_INT_H
#define CB_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "cbpack/buf.h"
#include "cbpack/store.h"

/* Statements the sink prepares once per store and reuses for every record. */
enum store_stmt {
	ST_ORDER, ST_ORDER_FIND, ST_ORDER_STUB, ST_ORDER_LINE, ST_CHARGE, ST_REFUND,
	ST_DISPUTE, ST_TICKET, ST_MESSAGE, ST_SHIPMENT, ST_SHIPMENT_FIND, ST_SHIPMENT_STUB,
	ST_EVENT, ST_POLICY, ST__COUNT
};

struct cb_store {
	sqlite3 *db;
	char *path, *files_dir;
	int version;
	sqlite3_stmt *stmt[ST__COUNT];
	struct cb_buf redacted[3];   /* sink scratch for re-redacted free text */
	struct cb_buf key;           /* sink scratch for natural keys */
	/* The parent row of the last order line / tracking event, so that the
	 * rows of one order or one shipment cost one lookup. Cleared whenever a
	 * transaction ends, as a rollback can hand the rowid out again. */
	char *last_order_key, *last_ship_key;
	int64_t last_order_id, last_ship_id;
	/* bulk.c: orders sent in this transaction, the last rowid of orders
	 * before the first, and the CREATE INDEX statements of the indexes
	 * deferred to its end (empty: none). */
	int64_t tx_orders, tx_first_order;
	struct cb_buf deferred;
	/* customers.c: the sink's customers of this transaction (NULL: none) */
	struct store_customers *customers;
	struct cb_buf email;         /* sink scratch for a customer's e-mail */
};

/* A forward migration: from version-1 to `version`, in one transaction. */
struct store_step {
	int version;
	const char *sql;
};

extern const char cb_schema_sql[];

/* Bring the store to the last step of `steps` (versions 1..n in order). */
int store_migrate(struct cb_store *s, const struct store_step *steps, size_t n,
		  int readonly, struct cb_error *err);
/* The built-in steps of this cbpack. */
const struct store_step *store_steps(size_t *n);
int store_read_version(struct cb_store *s, int *out, struct cb_error *err);

/*
 * Fill `err` with "store 'path': <what>: <sqlite message>" and return
 * CB_ELOCKED when the database is busy, CB_EDB otherwise.
 */
int store_db_error(struct cb_store *s, struct cb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int store_exec(struct cb_store *s, const char *sql, const char *what, struct cb_error *err);
/* The first column of the first row of `sql` (0: no row, or NULL); `what` names it in a message. */
int store_query_int(struct cb_store *s, const char *sql, const char *what, int64_t *out,
		    struct cb_error *err);
void store_forget_parents(struct cb_store *s);
void store_finalize(struct cb_store *s);

/*
 * bulk.c: called before the sink writes an order; at the BULK_AFTER-th of a
 * transaction that makes most of the table, defers its non-unique indexes.
 * store_bulk_restore builds them again (link pass, commit), and forget says
 * they are built, or that a transaction started or was rolled back. Until
 * then a restore that was itself rolled back (ROLLBACK TO) can run again.
 */
int store_bulk_order_coming(struct cb_store *s, struct cb_error *err);
int store_bulk_restore(struct cb_store *s, struct cb_error *err);
void store_bulk_forget(struct cb_store *s);

/*
 * customers.c: linking orders to their customers in the sink. expect takes
 * the e-mails of the orders to come (sink->orders_coming) and, inside a
 * transaction and before its first order, makes their new customers in the
 * order the link pass would; customer_of is then the customer of an order
 * with that e-mail (0: none), and order_stored says whether the order's
 * upsert made a row. settle, at the start of the link pass, says whether
 * the links made stand (*linked: the pass must not make them again) or
 * undoes them, so that the pass links as if the sink had not (building the
 * deferred indexes first: *restored). forget
 * drops the lot (transaction begun, ended, linked).
 */
int store_customers_expect(struct cb_store *s, const char *const *emails, size_t n,
			   struct cb_error *err);
struct cb_order;
int64_t store_customer_of(struct cb_store *s, const struct cb_order *r);
int64_t store_customers_orders_before(const struct cb_store *s);
void store_customers_order_stored(struct cb_store *s, bool made_row);
int store_customers_settle(struct cb_store *s, bool *linked, bool *restored,
			   struct cb_error *err);
void store_customers_forget(struct cb_store *s);

/* The natural key of an order number: trimmed, leading '#' dropped. */
void store_order_key(struct cb_buf *out, const char *order_ref);

#endif
