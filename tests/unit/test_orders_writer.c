/*
 * Unit tests: the orders importer storing on a second thread
 * (src/ingest/orders_writer.c). The sink must see exactly the records, in
 * the order, that a one-thread import would send, and the first failure in
 * file order must be the one reported, whichever thread met it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/records.h"

/* Records as the sink saw them, one line each; fails at record `fail_at` (1-based) if set. */
struct seen {
	struct cb_buf log;
	long n, fail_at;
};

static int note(struct seen *s, const char *kind, const char *ref, long n, struct cb_error *err)
{
	if (++s->n == s->fail_at)
		return cb_error_set(err, CB_EDB, "%s '%s': disk I/O error", kind, ref);
	cb_buf_addf(&s->log, "%s %s %ld\n", kind, ref, n);
	return 0;
}

static int on_order(void *ctx, const struct cb_order *o, struct cb_error *err)
{
	return note(ctx, "order", o->order_ref, (long)o->total, err);
}

static int on_line(void *ctx, const struct cb_order_line *l, struct cb_error *err)
{
	return note(ctx, "line", l->order_ref, (long)l->line_no, err);
}

static int run(struct seen *s, const char *text, struct cb_ingest_stats *st,
	       struct cb_error *err)
{
	struct cb_sink sink;

	memset(&sink, 0, sizeof(sink));
	sink.ctx = s;
	sink.order = on_order;
	sink.order_line = on_line;
	memset(st, 0, sizeof(*st));
	return cb_ingest_find("orders-csv")->run("o.csv", text, strlen(text), &sink, st, err);
}

/*
 * `orders` orders of two lines each, order k on lines 2k and 2k+1 of the
 * file; order `bad` (1-based, 0: none) has the total `bad_total` and the
 * quantity `bad_qty` on its second row, when not NULL.
 */
static char *orders_csv(long orders, long bad, const char *bad_total, const char *bad_qty)
{
	struct cb_buf b = CB_BUF_INIT;
	long i;

	cb_buf_adds(&b, "order_number,created_at,currency,total,item_name,item_quantity\n");
	for (i = 1; i <= orders; i++) {
		cb_buf_addf(&b, "#%ld,2026-10-01T08:00:00Z,USD,%s,Tee,1\n", i,
			    i == bad && bad_total ? bad_total : "10.00");
		cb_buf_addf(&b, "#%ld,,,,Socks,%s\n", i, i == bad && bad_qty ? bad_qty : "2");
	}
	return cb_buf_detach(&b);
}

/* What a one-thread import would have sent for the first `records` records. */
static char *expected_log(long records)
{
	struct cb_buf b = CB_BUF_INIT;
	long i;

	cb_buf_adds(&b, "");
	for (i = 0; i < records; i++) {
		if (i % 3 == 0)
			cb_buf_addf(&b, "order #%ld 1000\n", i / 3 + 1);
		else
			cb_buf_addf(&b, "line #%ld %ld\n", i / 3 + 1, i % 3);
	}
	return cb_buf_detach(&b);
}

static void every_record_in_file_order(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct seen s = { CB_BUF_INIT, 0, 0 };
	char *text = orders_csv(5000, 0, NULL, NULL), *want = expected_log(15000);

	(void)state;
	assert_int_equal(run(&s, text, &st, &err), 0);
	assert_int_equal(st.records, 15000);
	assert_int_equal(st.rows_accepted, 10000);
	assert_string_equal(cb_buf_cstr(&s.log), want);
	cb_buf_release(&s.log);
	free(text);
	free(want);
}

/* A sink failure deep in the file names that record's line; nothing after it is stored. */
static void sink_failure_names_its_line(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct seen s = { CB_BUF_INIT, 0, 0 };
	char *text = orders_csv(5000, 0, NULL, NULL), *want = expected_log(9000);

	(void)state;
	s.fail_at = 9001;   /* order #3001, on line 2 * 3000 + 2 */
	assert_int_equal(run(&s, text, &st, &err), CB_EDB);
	assert_string_equal(err.msg, "o.csv:6002: order '#3001': disk I/O error");
	assert_string_equal(cb_buf_cstr(&s.log), want);
	cb_buf_release(&s.log);
	free(text);
	free(want);

	s.n = 0;
	s.fail_at = 9003;   /* the second line of order #3001, on line 6003 */
	cb_buf_reset(&s.log);
	text = orders_csv(5000, 0, NULL, NULL);
	assert_int_equal(run(&s, text, &st, &err), CB_EDB);
	assert_string_equal(err.msg, "o.csv:6003: line '#3001': disk I/O error");
	cb_buf_release(&s.log);
	free(text);
}

/* A bad value is reported once every record before it has been stored. */
static void read_failure_after_stored_records(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct seen s = { CB_BUF_INIT, 0, 0 };
	char *text = orders_csv(5000, 4000, "ten", NULL), *want = expected_log(3999 * 3);

	(void)state;
	assert_int_equal(run(&s, text, &st, &err), CB_EPARSE);
	assert_string_equal(err.msg, "o.csv:8000: column 'total': 'ten' is not an amount");
	assert_string_equal(cb_buf_cstr(&s.log), want);
	cb_buf_release(&s.log);
	free(text);
	free(want);
}

/* Both fail: the sink on an earlier record than the bad value, so its message wins. */
static void earlier_failure_wins(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct seen s = { CB_BUF_INIT, 0, 0 };
	char *text = orders_csv(5000, 4000, "ten", NULL);

	(void)state;
	s.fail_at = 3 * 3999;   /* the last line of order #3999, just before the bad one */
	assert_int_equal(run(&s, text, &st, &err), CB_EDB);
	assert_string_equal(err.msg, "o.csv:7999: line '#3999': disk I/O error");
	cb_buf_release(&s.log);
	free(text);

	/* an order goes to the sink before its lines are read */
	s.n = 0;
	s.fail_at = 3 * 4000 - 2;
	text = orders_csv(5000, 4000, NULL, "two");
	assert_int_equal(run(&s, text, &st, &err), CB_EDB);
	assert_string_equal(err.msg, "o.csv:8000: order '#4000': disk I/O error");
	cb_buf_release(&s.log);
	free(text);

	s.n = 0;
	s.fail_at = 0;
	text = orders_csv(5000, 4000, NULL, "two");
	assert_int_equal(run(&s, text, &st, &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "o.csv:8001: column 'item_quantity': "));
	cb_buf_release(&s.log);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_record_in_file_order),
		cmocka_unit_test(sink_failure_names_its_line),
		cmocka_unit_test(read_failure_after_stored_records),
		cmocka_unit_test(earlier_failure_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
