/*
 * Unit tests: the SQLite store. Opening and creating, migrations (including
 * a version 2 made up here), upsert idempotence and COALESCE semantics,
 * linking in both arrival orders, transactions, card data, attachments and
 * the dispute list. Each test works in its own fresh database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/store.h"
#include "../../src/store/store_int.h"

#define DAY 86400
#define T0 1790000000   /* 2026-09-21 */

static char tmpdir[] = "/tmp/cbpack-test-store-XXXXXX";
static int seq;

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A path for a database no earlier test used. */
static const char *fresh_path(void)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/t%d.db", tmpdir, ++seq);
	return path;
}

static struct cb_store *fresh_store(void)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;

	if (cb_store_open(&s, fresh_path(), CB_STORE_CREATE, &err) < 0)
		fail_msg("%s", err.msg);
	return s;
}

static int64_t q_int(struct cb_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = INT64_MIN;

	if (sqlite3_prepare_v2(cb_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(cb_store_db(s)));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The text of the first column of the first row, "(null)" for NULL; caller frees. */
static char *q_text(struct cb_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(cb_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(cb_store_db(s)));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = cb_xstrdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
							  : "(null)");
	sqlite3_finalize(st);
	return v ? v : cb_xstrdup("(no row)");
}

#define assert_q_text(s, sql, want) do { \
	char *got_ = q_text(s, sql); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

/* Every row of every data table, as text: equal dumps mean equal stores. */
static char *dump(struct cb_store *s)
{
	static const char *const tables[] = {
		"customers", "orders", "order_lines", "charges", "refunds", "disputes", "tickets",
		"messages", "shipments", "tracking_events", "policies", "attachments", NULL
	};
	struct cb_buf b = CB_BUF_INIT;
	const char *const *t;

	for (t = tables; *t; t++) {
		char sql[64];
		sqlite3_stmt *st = NULL;
		int i;

		snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY id", *t);
		assert_int_equal(sqlite3_prepare_v2(cb_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
		cb_buf_addf(&b, "[%s]\n", *t);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(st); i++) {
				const unsigned char *v = sqlite3_column_text(st, i);
				cb_buf_addf(&b, "%s|", v ? (const char *)v : "NULL");
			}
			cb_buf_addc(&b, '\n');
		}
		sqlite3_finalize(st);
	}
	return cb_buf_detach(&b);
}

static void ok(int ret, const struct cb_error *err)
{
	if (ret < 0)
		fail_msg("%s", err->msg);
}

/* Small record builders, the fields the tests look at. */
static void put_order(struct cb_store *s, const char *ref, const char *email, int64_t created,
		      int64_t total)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	struct cb_order o;

	cb_store_sink(s, &k);
	cb_order_blank(&o);
	o.source = "csv";
	o.order_ref = ref;
	o.email = email;
	o.created_at = created;
	o.currency = "USD";
	o.total = total;
	ok(k.order(k.ctx, &o, &err), &err);
}

static void put_charge(struct cb_store *s, const char *gateway, const char *id,
		       const char *order_ref)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	struct cb_charge c;

	cb_store_sink(s, &k);
	cb_charge_blank(&c);
	c.gateway = gateway;
	c.gateway_id = id;
	c.order_ref = order_ref;
	c.amount = 9600;
	c.currency = "USD";
	ok(k.charge(k.ctx, &c, &err), &err);
}

static void put_dispute(struct cb_store *s, const char *gateway, const char *id,
			const char *charge_ref, int is_open, int64_t due_by)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	struct cb_dispute d;

	cb_store_sink(s, &k);
	cb_dispute_blank(&d);
	d.gateway = gateway;
	d.gateway_id = id;
	d.charge_ref = charge_ref;
	d.reason = "fraudulent";
	d.amount = 9600;
	d.currency = "USD";
	d.status = is_open ? "needs_response" : "won";
	d.is_open = is_open;
	d.due_by = due_by;
	ok(k.dispute(k.ctx, &d, &err), &err);
}

static void put_message(struct cb_store *s, const char *id, const char *order_ref,
			const char *ticket, const char *email, int64_t sent, const char *body)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	struct cb_message m;

	cb_store_sink(s, &k);
	cb_message_blank(&m);
	m.source = "csv";
	m.source_id = id;
	m.order_ref = order_ref;
	m.ticket_id = ticket;
	m.email = email;
	m.channel = "chat";
	m.direction = "customer";
	m.sent_at = sent;
	m.body = body;
	ok(k.message(k.ctx, &m, &err), &err);
}

static void do_link(struct cb_store *s)
{
	struct cb_error err = CB_ERROR_INIT;

	ok(cb_store_link(s, &err), &err);
}

/* ---- the sink links orders to customers (customers.c) ---- */

struct cust_order {
	const char *ref, *email, *name;
	int64_t created;
	const char *phone;
};

/* Customers and the order->customer links, ids included, as one string. */
static char *customer_dump(struct cb_store *s)
{
	return q_text(s, "SELECT (SELECT group_concat(x, ';') FROM (SELECT id || '|' || email"
		      " || '|' || ifnull(name, '-') || '|' || ifnull(phone, '-') || '|'"
		      " || ifnull(first_seen, '-') AS x"
		      " FROM customers ORDER BY id)) || ' / ' || (SELECT group_concat(x, ';')"
		      " FROM (SELECT id || '|' || order_key || '|' || ifnull(customer_id, '-') AS x"
		      " FROM orders ORDER BY id))");
}

/* One import of `orders` in one transaction, told their e-mails first when `hint`. */
static void import_orders(struct cb_store *s, const struct cust_order *orders, size_t n,
			  const char *const *hint, size_t n_hint)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	struct cb_order o;
	size_t i;

	cb_store_sink(s, &k);
	ok(cb_store_begin(s, &err), &err);
	if (hint)
		ok(k.orders_coming(k.ctx, hint, n_hint, &err), &err);
	for (i = 0; i < n; i++) {
		cb_order_blank(&o);
		o.source = "csv";
		o.order_ref = orders[i].ref;
		o.email = orders[i].email;
		o.customer_name = orders[i].name;
		o.phone = orders[i].phone;
		o.created_at = orders[i].created;
		ok(k.order(k.ctx, &o, &err), &err);
	}
	ok(cb_store_link(s, &err), &err);
	ok(cb_store_commit(s, &err), &err);
}

static const struct cust_order first_file[] = {
	{ "#1", "b@x.com", "Bea", T0 + 3, "555-0102" }, { "#2", " A@X.com ", "Al", T0 + 2, "555-0199" },
	{ "#3", NULL, "Nobody", T0, NULL }, { "#4", "a@x.com", "Alan", T0 + 1, "555-0100" },
	{ "#5", "c@x.com", NULL, T0 + 5, NULL }, { "#6", "   ", "Blank", T0, NULL },
};
static const char *const first_emails[] = {
	"b@x.com", " A@X.com ", NULL, "a@x.com", "c@x.com", "   ",
};

static void add_charge_customer(struct cb_store *s)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	struct cb_charge c;

	cb_store_sink(s, &k);
	ok(cb_store_begin(s, &err), &err);
	cb_charge_blank(&c);
	c.gateway = "stripe";
	c.gateway_id = "ch_f";
	c.email = "f@x.com";
	c.customer_name = "Fay";
	ok(k.charge(k.ctx, &c, &err), &err);
	ok(cb_store_link(s, &err), &err);
	ok(cb_store_commit(s, &err), &err);
}

/*
 * A store told the e-mails first and one that was not end with the same
 * customers, ids and links, whether the list was right, too long (an
 * e-mail never sent), or too short (an order with an e-mail not on it).
 */
static void sink_links_customers_as_the_link_pass_would(void **state)
{
	static const char *const too_long[] = { "b@x.com", "zz@x.com", "a@x.com", "c@x.com" };
	static const char *const too_short[] = { "b@x.com", "a@x.com" };
	static const struct cust_order second_file[] = {
		{ "#7", "d@x.com", "Dee", T0 + 9, NULL }, { "#3", "e@x.com", NULL, T0, "555-0103" },
		{ "#8", "B@x.com", NULL, T0 - 1, "555-0104" }, { "#0", "aa@x.com", "Aa", T0 + 8, NULL },
	};
	static const char *const second_emails[] = { "d@x.com", "e@x.com", "B@x.com", "aa@x.com" };
	static const struct cust_order third_file[] = {
		{ "#10", "F@x.com ", "Flo", T0 - 5, NULL }, { "#11", "g@x.com", "Gus", T0, NULL },
	};
	static const char *const third_emails[] = { "F@x.com ", "g@x.com" };
	struct cb_store *plain = fresh_store(), *told = fresh_store(), *longer = fresh_store(),
			*shorter = fresh_store();
	struct cb_error err = CB_ERROR_INIT;
	struct cb_sink k;
	char *want, *got;

	(void)state;
	import_orders(plain, first_file, 6, NULL, 0);
	import_orders(told, first_file, 6, first_emails, 6);
	import_orders(longer, first_file, 6, too_long, 4);
	import_orders(shorter, first_file, 6, too_short, 2);
	want = customer_dump(plain);
	assert_string_equal(want, "1|a@x.com|Alan|555-0199|1790000001;2|b@x.com|Bea|555-0102|1790000003;"
			    "3|c@x.com|-|-|1790000005 / 1|1|2;2|2|1;3|3|-;4|4|1;5|5|3;6|6|-");
	got = customer_dump(told);
	assert_string_equal(got, want);
	free(got);
	got = customer_dump(longer);
	assert_string_equal(got, want);
	free(got);
	got = customer_dump(shorter);
	assert_string_equal(got, want);
	free(got);
	free(want);

	/* the list is used: the customers exist before the first order */
	cb_store_sink(told, &k);
	ok(cb_store_begin(told, &err), &err);
	ok(k.orders_coming(k.ctx, second_emails, 4, &err), &err);
	assert_int_equal(q_int(told, "SELECT count(*) FROM customers"), 6);
	cb_store_rollback(told);

	/* a second file: an older order takes an e-mail, a known customer, new ones */
	import_orders(plain, second_file, 4, NULL, 0);
	import_orders(told, second_file, 4, second_emails, 4);
	want = customer_dump(plain);
	got = customer_dump(told);
	assert_string_equal(got, want);
	free(got);
	/* the same file again changes nothing */
	import_orders(told, second_file, 4, second_emails, 4);
	got = customer_dump(told);
	assert_string_equal(got, want);
	free(got);
	free(want);

	/* a customer made from a charge first, then orders of hers */
	add_charge_customer(plain);
	add_charge_customer(told);
	import_orders(plain, third_file, 2, NULL, 0);
	import_orders(told, third_file, 2, third_emails, 2);
	want = customer_dump(plain);
	got = customer_dump(told);
	assert_string_equal(got, want);
	assert_non_null(strstr(want, "|f@x.com|Fay|-|1789999995"));
	free(got);
	free(want);
	cb_store_free(plain);
	cb_store_free(told);
	cb_store_free(longer);
	cb_store_free(shorter);
}

/* ---- opening and migrations ---- */

static void open_missing_store_is_not_found(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	const char *path = fresh_path();
	struct stat st;

	(void)state;
	assert_int_equal(cb_store_open(&s, path, 0, &err), CB_ENOTFOUND);
	assert_null(s);
	assert_non_null(strstr(err.msg, "run 'cbpack init'"));
	assert_non_null(strstr(err.msg, path));
	assert_int_not_equal(stat(path, &st), 0);
}

static void create_makes_private_store_and_file_area(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	char path[256], *mode;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s", fresh_path());
	ok(cb_store_open(&s, path, CB_STORE_CREATE, &err), &err);
	assert_int_equal(cb_store_version(s), cb_store_schema_version());
	assert_int_equal(cb_store_version(s), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(cb_store_files_dir(s), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0077, 0);
	mode = q_text(s, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(q_int(s, "PRAGMA foreign_keys"), 1);
	cb_store_free(s);
	s = NULL;
	ok(cb_store_open(&s, path, 0, &err), &err);
	assert_string_equal(cb_store_path(s), path);
	cb_store_free(s);
}

static void default_path_prefers_option_then_env(void **state)
{
	(void)state;
	setenv("CBPACK_DB", "/tmp/from-env.db", 1);
	assert_string_equal(cb_store_default_path("x.db"), "x.db");
	assert_string_equal(cb_store_default_path(NULL), "/tmp/from-env.db");
	unsetenv("CBPACK_DB");
	assert_string_equal(cb_store_default_path(NULL), "./cbpack.db");
}

static void migrates_empty_db_and_reopens(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	char path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s", fresh_path());
	f = fopen(path, "w");   /* an empty file is an empty SQLite database */
	assert_non_null(f);
	fclose(f);
	ok(cb_store_open(&s, path, 0, &err), &err);
	assert_int_equal(q_int(s, "PRAGMA user_version"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE name = 'disputes'"), 1);
	put_order(s, "#1001", NULL, T0, 100);
	cb_store_free(s);
	s = NULL;
	ok(cb_store_open(&s, path, 0, &err), &err);
	assert_int_equal(cb_store_version(s), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders"), 1);
	cb_store_free(s);
}

static void migration_to_v2_then_newer_store_refused(void **state)
{
	struct store_step steps[] = {
		{ 1, cb_schema_sql },
		{ 2, "ALTER TABLE disputes ADD COLUMN note TEXT; CREATE TABLE extra (x);" },
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s", cb_store_path(s));
	put_dispute(s, "stripe", "dp_1", NULL, 1, T0);
	ok(store_migrate(s, steps, 2, 0, &err), &err);
	assert_int_equal(q_int(s, "PRAGMA user_version"), 2);
	assert_int_equal(q_int(s, "SELECT count(*) FROM disputes WHERE note IS NULL"), 1);
	/* already there: a second run is a no-op */
	ok(store_migrate(s, steps, 2, 0, &err), &err);
	cb_store_free(s);
	s = NULL;
	assert_int_equal(cb_store_open(&s, path, 0, &err), CB_EDB);
	assert_null(s);
	assert_non_null(strstr(err.msg, "newer"));
	assert_non_null(strstr(err.msg, path));
}

static void failed_migration_step_changes_nothing(void **state)
{
	struct store_step steps[] = {
		{ 1, cb_schema_sql },
		{ 2, "CREATE TABLE extra (x); INSERT INTO no_such_table VALUES (1);" },
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();

	(void)state;
	assert_int_equal(store_migrate(s, steps, 2, 0, &err), CB_EDB);
	assert_non_null(strstr(err.msg, cb_store_path(s)));
	assert_non_null(strstr(err.msg, "no_such_table"));
	assert_int_equal(q_int(s, "PRAGMA user_version"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE name = 'extra'"), 0);
	cb_store_free(s);
}

static void foreign_sqlite_database_refused(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	char path[256];
	sqlite3 *db = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s", fresh_path());
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cb_store_open(&s, path, CB_STORE_CREATE, &err), CB_EDB);
	assert_non_null(strstr(err.msg, "not a cbpack store"));
}

/* ---- the sink ---- */

static void put_everything(struct cb_store *s)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_order_line l;
	struct cb_refund r;
	struct cb_ticket t;
	struct cb_shipment sh;
	struct cb_tracking_event e;
	struct cb_policy p;
	struct cb_sink k;

	cb_store_sink(s, &k);
	put_order(s, "#1001", "Ana@Example.com", T0, 9600);
	cb_order_line_blank(&l);
	l.order_ref = "#1001";
	l.line_no = 1;
	l.name = "Rain jacket";
	l.price = 9600;
	ok(k.order_line(k.ctx, &l, &err), &err);
	put_charge(s, "stripe", "ch_1", "#1001");
	cb_refund_blank(&r);
	r.gateway = "stripe";
	r.gateway_id = "re_1";
	r.charge_ref = "ch_1";
	r.amount = 100;
	ok(k.refund(k.ctx, &r, &err), &err);
	put_dispute(s, "stripe", "dp_1", "ch_1", 1, T0 + 30 * DAY);
	cb_ticket_blank(&t);
	t.source = "zendesk";
	t.ticket_id = "35436";
	t.subject = "Where is my order #1001?";
	ok(k.ticket(k.ctx, &t, &err), &err);
	put_message(s, "m1", NULL, "35436", "ana@example.com", T0 + DAY, "Hello 👋");
	cb_shipment_blank(&sh);
	sh.carrier = "UPS";
	sh.tracking_number = "1Z999AA10123456784";
	sh.order_ref = "1001";
	sh.status = "delivered";
	ok(k.shipment(k.ctx, &sh, &err), &err);
	cb_tracking_event_blank(&e);
	e.carrier = "ups";
	e.tracking_number = "1Z999AA10123456784";
	e.occurred_at = T0 + 3 * DAY;
	e.status = "delivered";
	e.message = "Delivered";
	ok(k.tracking_event(k.ctx, &e, &err), &err);
	cb_policy_blank(&p);
	p.kind = "refund";
	p.body = "30 days";
	ok(k.policy(k.ctx, &p, &err), &err);
	do_link(s);
}

static void same_records_twice_change_nothing(void **state)
{
	struct cb_store *s = fresh_store();
	char *before, *after;

	(void)state;
	put_everything(s);
	before = dump(s);
	put_everything(s);
	after = dump(s);
	assert_string_equal(before, after);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM order_lines"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM shipments"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM tracking_events"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM customers"), 1);
	assert_q_text(s, "SELECT email FROM customers", "ana@example.com");
	/* identifiers survive intact */
	assert_q_text(s, "SELECT tracking_number FROM shipments", "1Z999AA10123456784");
	free(before);
	free(after);
	cb_store_free(s);
}

static void newer_record_updates_and_keeps_missing_fields(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_sink k;
	struct cb_order o;
	struct cb_dispute d;

	(void)state;
	cb_store_sink(s, &k);
	cb_order_blank(&o);
	o.order_ref = "#1001";
	o.email = "ana@example.com";
	o.notes = "leave at the door";
	o.total = 9600;
	o.currency = "USD";
	ok(k.order(k.ctx, &o, &err), &err);
	cb_order_blank(&o);
	o.order_ref = "1001";   /* the same order, without the '#' */
	o.total = 8600;
	o.financial_status = "partially_refunded";
	ok(k.order(k.ctx, &o, &err), &err);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders"), 1);
	assert_int_equal(q_int(s, "SELECT total FROM orders"), 8600);
	assert_q_text(s, "SELECT notes FROM orders", "leave at the door");
	assert_q_text(s, "SELECT email FROM orders", "ana@example.com");
	assert_q_text(s, "SELECT financial_status FROM orders", "partially_refunded");

	put_dispute(s, "stripe", "dp_1", "ch_1", 1, T0);
	cb_dispute_blank(&d);
	d.gateway = "stripe";
	d.gateway_id = "dp_1";
	d.status = "won";
	d.is_open = 0;
	ok(k.dispute(k.ctx, &d, &err), &err);
	assert_int_equal(q_int(s, "SELECT is_open FROM disputes"), 0);
	assert_q_text(s, "SELECT status FROM disputes", "won");
	assert_q_text(s, "SELECT reason FROM disputes", "fraudulent");
	assert_int_equal(q_int(s, "SELECT due_by FROM disputes"), T0);
	/* a later record that does not know the open flag keeps it */
	d.is_open = -1;
	d.status = NULL;
	ok(k.dispute(k.ctx, &d, &err), &err);
	assert_int_equal(q_int(s, "SELECT is_open FROM disputes"), 0);
	cb_store_free(s);
}

static void card_data_is_last4_only(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_sink k;
	struct cb_charge c;
	char *body;

	(void)state;
	cb_store_sink(s, &k);
	cb_charge_blank(&c);
	c.gateway = "csv";
	c.gateway_id = "p1";
	c.card_last4 = "4242424242424242";
	c.description = "card 4111 1111 1111 1111 used";
	ok(k.charge(k.ctx, &c, &err), &err);
	c.gateway_id = "p2";
	c.card_last4 = "**** 1881";
	ok(k.charge(k.ctx, &c, &err), &err);
	c.gateway_id = "p3";
	c.card_last4 = "42";
	ok(k.charge(k.ctx, &c, &err), &err);
	assert_q_text(s, "SELECT card_last4 FROM charges WHERE gateway_id = 'p1'", "4242");
	assert_q_text(s, "SELECT card_last4 FROM charges WHERE gateway_id = 'p2'", "1881");
	assert_q_text(s, "SELECT card_last4 FROM charges WHERE gateway_id = 'p3'", "(null)");
	assert_int_equal(q_int(s, "SELECT max(length(card_last4)) FROM charges"), 4);
	assert_int_equal(q_int(s, "SELECT count(*) FROM charges WHERE description LIKE '%1111 1111%'"),
			 0);

	put_message(s, "m1", NULL, NULL, NULL, T0, "my card is 4111 1111 1111 1111 thanks");
	body = q_text(s, "SELECT body FROM messages");
	assert_null(strstr(body, "4111 1111 1111 1111"));
	assert_non_null(strstr(body, "1111"));
	free(body);
	cb_store_free(s);
}

static void record_without_key_is_refused(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_sink k;
	struct cb_order o;
	struct cb_dispute d;

	(void)state;
	cb_store_sink(s, &k);
	cb_order_blank(&o);
	o.order_ref = " # ";
	assert_int_equal(k.order(k.ctx, &o, &err), CB_EUSAGE);
	assert_non_null(strstr(err.msg, "order_ref"));
	/* a new dispute without its required fields names the store and the dispute */
	cb_dispute_blank(&d);
	d.gateway = "stripe";
	d.gateway_id = "dp_x";
	assert_int_equal(k.dispute(k.ctx, &d, &err), CB_EDB);
	assert_non_null(strstr(err.msg, cb_store_path(s)));
	assert_non_null(strstr(err.msg, "dp_x"));
	cb_store_free(s);
}

static void tracking_event_creates_its_shipment(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_tracking_event e;
	struct cb_shipment sh;
	struct cb_sink k;

	(void)state;
	cb_store_sink(s, &k);
	cb_tracking_event_blank(&e);
	e.carrier = "U.S.P.S.";
	e.tracking_number = "9400100000000000000000";
	e.occurred_at = T0;
	e.status = "in_transit";
	ok(k.tracking_event(k.ctx, &e, &err), &err);
	e.occurred_at = T0 + DAY;
	e.status = "delivered";
	e.message = "Delivered, front porch";
	ok(k.tracking_event(k.ctx, &e, &err), &err);
	assert_int_equal(q_int(s, "SELECT count(*) FROM shipments"), 1);
	assert_q_text(s, "SELECT carrier_key FROM shipments", "usps");
	cb_shipment_blank(&sh);
	sh.carrier = "USPS";
	sh.tracking_number = "9400100000000000000000";
	sh.order_ref = "#1002";
	ok(k.shipment(k.ctx, &sh, &err), &err);
	assert_int_equal(q_int(s, "SELECT count(*) FROM shipments"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM tracking_events"), 2);
	assert_q_text(s, "SELECT order_ref FROM shipments", "#1002");
	cb_store_free(s);
}

/* ---- transactions ---- */

static void rollback_keeps_prior_data(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_order_line l;
	struct cb_sink k;

	(void)state;
	cb_store_sink(s, &k);
	ok(cb_store_begin(s, &err), &err);
	put_order(s, "#1001", "ana@example.com", T0, 9600);
	ok(cb_store_commit(s, &err), &err);

	ok(cb_store_begin(s, &err), &err);
	put_order(s, "#1001", NULL, T0, 1);
	put_order(s, "#1002", NULL, T0, 2);
	cb_order_line_blank(&l);
	l.order_ref = "#1003";   /* creates #1003 as a bare row, cached as the last parent */
	l.line_no = 1;
	ok(k.order_line(k.ctx, &l, &err), &err);
	cb_store_rollback(s);

	assert_int_equal(q_int(s, "SELECT count(*) FROM orders"), 1);
	assert_int_equal(q_int(s, "SELECT total FROM orders WHERE order_key = '1001'"), 9600);
	/* the rolled-back parent must not be reused from the cache */
	ok(k.order_line(k.ctx, &l, &err), &err);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders WHERE order_key = '1003'"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM order_lines l JOIN orders o"
			       " ON o.id = l.order_id WHERE o.order_key = '1003'"), 1);
	cb_store_free(s);
}

/* The CREATE statements of the indexes of orders, in name order; caller frees. */
static char *order_indexes(struct cb_store *s)
{
	return q_text(s, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"
			 " WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL"
			 " ORDER BY name)");
}

/* Enough orders in one transaction that the store defers the indexes of orders. */
static void put_many_orders(struct cb_store *s, int from, int n)
{
	char ref[32], email[64];
	int i;

	for (i = from; i < from + n; i++) {
		snprintf(ref, sizeof(ref), "#%d", i);
		snprintf(email, sizeof(email), " Buyer%d@Example.com ", i % 97);
		put_order(s, ref, email, T0 + i, 100 + i);
	}
}

static void bulk_import_keeps_indexes_and_links(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	char *before = order_indexes(s), *after;

	(void)state;
	assert_non_null(strstr(before, "orders_email"));
	/* rolled back in the middle of a bulk load: the indexes are as they were */
	ok(cb_store_begin(s, &err), &err);
	put_many_orders(s, 1, 20000);
	after = order_indexes(s);
	assert_null(strstr(after, "orders_email"));      /* e-mails at random: deferred */
	assert_null(strstr(after, "orders_customer"));   /* the link pass sets customer_id */
	assert_non_null(strstr(after, "orders_external"));   /* all empty, in order: kept */
	free(after);
	cb_store_rollback(s);
	after = order_indexes(s);
	assert_string_equal(after, before);
	free(after);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders"), 0);

	/* committed: the same indexes, complete, and every order linked */
	ok(cb_store_begin(s, &err), &err);
	put_many_orders(s, 1, 20000);
	ok(cb_store_link(s, &err), &err);
	ok(cb_store_commit(s, &err), &err);
	after = order_indexes(s);
	assert_string_equal(after, before);
	free(after);
	assert_q_text(s, "PRAGMA integrity_check", "ok");
	assert_int_equal(q_int(s, "SELECT count(*) FROM customers"), 97);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders WHERE customer_id IS NULL"), 0);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders INDEXED BY orders_email"
			       " WHERE email = ' Buyer5@Example.com '"), 207);
	assert_int_equal(q_int(s, "SELECT first_seen FROM customers WHERE email = 'buyer5@example.com'"),
			 T0 + 5);

	/* a re-import of the same orders is not a bulk load, and changes nothing */
	ok(cb_store_begin(s, &err), &err);
	put_many_orders(s, 1, 20000);
	after = order_indexes(s);
	assert_string_equal(after, before);
	free(after);
	ok(cb_store_link(s, &err), &err);
	ok(cb_store_commit(s, &err), &err);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders"), 20000);
	free(before);
	cb_store_free(s);
}

/* ---- linking ---- */

static void check_chain_linked(struct cb_store *s)
{
	assert_int_equal(q_int(s, "SELECT count(*) FROM disputes d JOIN charges c ON c.id = d.charge_id"
			       " JOIN orders o ON o.id = d.order_id AND o.id = c.order_id"
			       " WHERE d.gateway_id = 'dp_1' AND o.order_key = '1001'"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM refunds r JOIN charges c ON c.id = r.charge_id"
			       " WHERE c.gateway_id = 'ch_1'"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
			       " WHERE o.order_key = '1001'"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM orders o JOIN customers c"
			       " ON c.id = o.customer_id WHERE c.email = 'ana@example.com'"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM charges WHERE customer_id IS NOT NULL"), 1);
}

static void links_whatever_arrives_first(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *a = fresh_store(), *b = fresh_store();
	struct cb_shipment sh;
	struct cb_refund r;
	struct cb_charge c;
	struct cb_sink k;

	(void)state;
	/* a: order, charge, dispute, one link pass */
	put_order(a, "#1001", "Ana@Example.com", T0, 9600);
	cb_store_sink(a, &k);
	cb_charge_blank(&c);
	c.gateway = "stripe";
	c.gateway_id = "ch_1";
	c.order_ref = "#1001";
	c.email = "ana@example.com";
	c.shipping_tracking = "1Z999AA10123456784";
	ok(k.charge(k.ctx, &c, &err), &err);
	put_dispute(a, "stripe", "dp_1", "ch_1", 1, T0 + 30 * DAY);
	cb_refund_blank(&r);
	r.gateway = "stripe";
	r.gateway_id = "re_1";
	r.charge_ref = "ch_1";
	ok(k.refund(k.ctx, &r, &err), &err);
	cb_shipment_blank(&sh);
	sh.carrier = "UPS";
	sh.tracking_number = "1Z999AA10123456784";   /* no order number: found by tracking */
	ok(k.shipment(k.ctx, &sh, &err), &err);
	do_link(a);
	check_chain_linked(a);

	/* b: the same records backwards, a link pass after each import */
	cb_store_sink(b, &k);
	ok(k.shipment(k.ctx, &sh, &err), &err);
	do_link(b);
	ok(k.refund(k.ctx, &r, &err), &err);
	put_dispute(b, "stripe", "dp_1", "ch_1", 1, T0 + 30 * DAY);
	do_link(b);
	assert_int_equal(q_int(b, "SELECT count(*) FROM disputes WHERE charge_id IS NULL"), 1);
	ok(k.charge(k.ctx, &c, &err), &err);
	do_link(b);
	assert_int_equal(q_int(b, "SELECT count(*) FROM disputes WHERE order_id IS NULL"), 1);
	put_order(b, "1001", "ana@example.com", T0, 9600);
	do_link(b);
	check_chain_linked(b);
	do_link(b);   /* idempotent */
	check_chain_linked(b);
	cb_store_free(a);
	cb_store_free(b);
}

static void links_charges_by_payment_id_and_prefers_same_gateway(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_sink k;
	struct cb_order o;

	(void)state;
	cb_store_sink(s, &k);
	cb_order_blank(&o);
	o.order_ref = "#1002";
	o.external_id = "5558845767801";
	o.payment_id = "ch_2";
	ok(k.order(k.ctx, &o, &err), &err);
	put_charge(s, "stripe", "ch_2", NULL);
	put_charge(s, "csv", "X1", "5558845767801");
	put_charge(s, "stripe", "X1", NULL);   /* same id at two gateways */
	put_dispute(s, "csv", "D1", "X1", 1, T0);
	do_link(s);
	assert_int_equal(q_int(s, "SELECT count(*) FROM charges WHERE order_id IS NOT NULL"), 2);
	assert_q_text(s, "SELECT c.gateway FROM disputes d JOIN charges c ON c.id = d.charge_id",
		      "csv");
	assert_q_text(s, "SELECT o.order_ref FROM disputes d JOIN orders o ON o.id = d.order_id",
		      "#1002");
	cb_store_free(s);
}

static void messages_link_by_ref_ticket_and_email_window(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_ticket t;
	struct cb_sink k;

	(void)state;
	cb_store_sink(s, &k);
	put_order(s, "#1001", "zoe@example.com", T0, 100);
	put_order(s, "#1005", "zoe@example.com", T0 + 100 * DAY, 100);
	put_message(s, "near-first", NULL, NULL, "ZOE@example.com", T0 + 10 * DAY, "hi");
	put_message(s, "near-second", NULL, NULL, "zoe@example.com", T0 + 95 * DAY, "hi");
	put_message(s, "too-early", NULL, NULL, "zoe@example.com", T0 - 40 * DAY, "hi");
	put_message(s, "no-email", NULL, NULL, NULL, T0, "hi");
	put_message(s, "by-ref", "#1005", NULL, "zoe@example.com", T0, "hi");
	cb_ticket_blank(&t);
	t.source = "csv";
	t.ticket_id = "T9";
	t.order_ref = "1001";
	ok(k.ticket(k.ctx, &t, &err), &err);
	put_message(s, "by-ticket", NULL, "T9", NULL, T0 + 99 * DAY, "hi");
	/* names an order not imported yet; meanwhile the e-mail window applies */
	put_message(s, "later-ref", "#1009", NULL, "zoe@example.com", T0 + 99 * DAY, "hi");
	do_link(s);
#define ORDER_OF(id) "SELECT coalesce(o.order_ref, 'none') || '/' || m.order_via FROM messages m" \
	" LEFT JOIN orders o ON o.id = m.order_id WHERE m.source_id = '" id "'"
	assert_q_text(s, ORDER_OF("near-first"), "#1001/email");
	assert_q_text(s, ORDER_OF("near-second"), "#1005/email");
	assert_q_text(s, ORDER_OF("too-early"), "none/none");
	assert_q_text(s, ORDER_OF("no-email"), "none/none");
	assert_q_text(s, ORDER_OF("by-ref"), "#1005/order_ref");
	assert_q_text(s, ORDER_OF("by-ticket"), "#1001/ticket");
	assert_q_text(s, ORDER_OF("later-ref"), "#1005/email");
	put_order(s, "#1009", "zoe@example.com", T0 + 98 * DAY, 100);
	do_link(s);
	assert_q_text(s, ORDER_OF("later-ref"), "#1009/order_ref");
	/* a nearer order now exists for this message: the e-mail link moves */
	assert_q_text(s, ORDER_OF("near-second"), "#1009/email");
#undef ORDER_OF
	cb_store_free(s);
}

/* ---- attachments ---- */

static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0";

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void attach_copies_image_once_and_refuses_others(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	char file[256], txt[256], *rel;
	struct cb_buf stored = CB_BUF_INIT;
	struct stat st;

	(void)state;
	snprintf(file, sizeof(file), "%s/photo.png", tmpdir);
	snprintf(txt, sizeof(txt), "%s/notes.png", tmpdir);   /* named .png, is text */
	write_file(file, png, sizeof(png) - 1);
	write_file(txt, "hello\n", 6);
	put_order(s, "#1001", NULL, T0, 100);
	put_dispute(s, "stripe", "dp_1", NULL, 1, T0);

	ok(cb_store_attach(s, "order", "#1001", file, "pod", &err), &err);
	ok(cb_store_attach(s, "order", "1001", file, "pod", &err), &err);
	ok(cb_store_attach(s, "dispute", "stripe:dp_1", file, "other", &err), &err);
	assert_int_equal(q_int(s, "SELECT count(*) FROM attachments"), 2);
	assert_int_equal(q_int(s, "SELECT count(*) FROM attachments WHERE media_type = 'image/png'"
			       " AND length(sha256) = 64"), 2);
	assert_int_equal(q_int(s, "SELECT max(size) FROM attachments"), (int64_t)sizeof(png) - 1);
	assert_q_text(s, "SELECT owner_ref FROM attachments WHERE owner_kind = 'dispute'",
		      "stripe:dp_1");
	rel = q_text(s, "SELECT path FROM attachments LIMIT 1");
	assert_int_equal(strlen(rel), 2 + 1 + 64 + 4);
	cb_buf_addf(&stored, "%s/%s", cb_store_files_dir(s), rel);
	assert_int_equal(stat(cb_buf_cstr(&stored), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, sizeof(png) - 1);

	assert_int_equal(cb_store_attach(s, "order", "#1001", txt, "pod", &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, txt));
	assert_int_equal(cb_store_attach(s, "order", "#4040", file, "pod", &err), CB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "#4040"));
	assert_int_equal(cb_store_attach(s, "dispute", "dp_404", file, "pod", &err), CB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "dp_404"));
	assert_int_equal(cb_store_attach(s, "order", "#1001", file, "selfie", &err), CB_EUSAGE);
	assert_int_equal(q_int(s, "SELECT count(*) FROM attachments"), 2);
	free(rel);
	cb_buf_release(&stored);
	cb_store_free(s);
}

/* ---- listing ---- */

static void list_orders_by_deadline_and_filters(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	struct cb_list_opts o = { true, 0, NULL, T0 };
	struct cb_dispute_list l;

	(void)state;
	put_dispute(s, "stripe", "later", NULL, 1, T0 + 20 * DAY);
	put_dispute(s, "stripe", "no-deadline", NULL, 1, CB_NO_TIME);
	put_dispute(s, "paypal", "soon", NULL, 1, T0 + DAY);
	put_dispute(s, "stripe", "overdue", NULL, 1, T0 - DAY);
	put_dispute(s, "stripe", "closed", NULL, 0, T0 + 2 * DAY);

	ok(cb_store_list_disputes(s, &o, &l, &err), &err);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.rows[0].gateway_id, "soon");
	assert_string_equal(l.rows[1].gateway_id, "later");
	assert_string_equal(l.rows[2].gateway_id, "no-deadline");
	assert_true(l.rows[2].due_by == CB_NO_TIME);
	assert_int_equal(l.rows[0].amount, 9600);
	assert_true(l.rows[0].is_open);
	cb_dispute_list_release(&l);

	o.due_within_days = 7;
	ok(cb_store_list_disputes(s, &o, &l, &err), &err);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.rows[0].gateway_id, "soon");
	cb_dispute_list_release(&l);

	o.open_only = false;
	o.due_within_days = 0;
	o.gateway = "STRIPE";
	ok(cb_store_list_disputes(s, &o, &l, &err), &err);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.rows[0].gateway_id, "overdue");
	assert_string_equal(l.rows[3].gateway_id, "no-deadline");
	cb_dispute_list_release(&l);
	cb_store_free(s);
}

static void find_dispute_by_id_or_gateway_and_id(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = fresh_store();
	int64_t id = 0, other = 0;

	(void)state;
	put_dispute(s, "stripe", "dp_1", NULL, 1, T0);
	put_dispute(s, "stripe", "D7", NULL, 1, T0);
	put_dispute(s, "csv", "D7", NULL, 1, T0);
	ok(cb_store_find_dispute(s, "dp_1", &id, &err), &err);
	assert_int_equal(id, q_int(s, "SELECT id FROM disputes WHERE gateway_id = 'dp_1'"));
	assert_int_equal(cb_store_find_dispute(s, "D7", &id, &err), CB_EUSAGE);
	assert_non_null(strstr(err.msg, "csv:D7"));
	assert_non_null(strstr(err.msg, "stripe:D7"));
	ok(cb_store_find_dispute(s, "csv:D7", &id, &err), &err);
	ok(cb_store_find_dispute(s, "stripe:D7", &other, &err), &err);
	assert_int_not_equal(id, other);
	assert_int_equal(cb_store_find_dispute(s, "dp_9", &id, &err), CB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "'dp_9'"));
	cb_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_missing_store_is_not_found),
		cmocka_unit_test(create_makes_private_store_and_file_area),
		cmocka_unit_test(default_path_prefers_option_then_env),
		cmocka_unit_test(migrates_empty_db_and_reopens),
		cmocka_unit_test(migration_to_v2_then_newer_store_refused),
		cmocka_unit_test(failed_migration_step_changes_nothing),
		cmocka_unit_test(foreign_sqlite_database_refused),
		cmocka_unit_test(same_records_twice_change_nothing),
		cmocka_unit_test(newer_record_updates_and_keeps_missing_fields),
		cmocka_unit_test(card_data_is_last4_only),
		cmocka_unit_test(record_without_key_is_refused),
		cmocka_unit_test(tracking_event_creates_its_shipment),
		cmocka_unit_test(rollback_keeps_prior_data),
		cmocka_unit_test(bulk_import_keeps_indexes_and_links),
		cmocka_unit_test(links_whatever_arrives_first),
		cmocka_unit_test(sink_links_customers_as_the_link_pass_would),
		cmocka_unit_test(links_charges_by_payment_id_and_prefers_same_gateway),
		cmocka_unit_test(messages_link_by_ref_ticket_and_email_window),
		cmocka_unit_test(attach_copies_image_once_and_refuses_others),
		cmocka_unit_test(list_orders_by_deadline_and_filters),
		cmocka_unit_test(find_dispute_by_id_or_gateway_and_id),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
