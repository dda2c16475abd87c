/*
 * Unit tests: the CSV importers (and the messages NDJSON shape), through a
 * recording sink that writes each record it is given as one line of
 * "kind key=value|key=value|..." text. Copying at call time also checks that
 * every string an importer passes is alive during the call.
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
#include "cbpack/redact.h"
#include "../../src/ingest/csv_reader.h"

#define FIX "tests/fixtures/csv/"
#define MAX_LINES 64

struct rec {
	char *line[MAX_LINES];
	int n;
	struct cb_buf cur;
};

static void put_s(struct rec *r, const char *k, const char *v)
{
	if (v)
		cb_buf_addf(&r->cur, "%s=%s|", k, v);
}

static void put_i(struct rec *r, const char *k, int64_t v)
{
	if (v != INT64_MIN)
		cb_buf_addf(&r->cur, "%s=%lld|", k, (long long)v);
}

static void put_addr(struct rec *r, const char *k, const struct cb_address *a)
{
	char key[32];

	snprintf(key, sizeof(key), "%s.name", k);
	put_s(r, key, a->name);
	snprintf(key, sizeof(key), "%s.line1", k);
	put_s(r, key, a->line1);
	snprintf(key, sizeof(key), "%s.line2", k);
	put_s(r, key, a->line2);
	snprintf(key, sizeof(key), "%s.city", k);
	put_s(r, key, a->city);
	snprintf(key, sizeof(key), "%s.postal", k);
	put_s(r, key, a->postal);
	snprintf(key, sizeof(key), "%s.phone", k);
	put_s(r, key, a->phone);
}

static int done(struct rec *r)
{
	assert_true(r->n < MAX_LINES);
	r->line[r->n++] = cb_buf_detach(&r->cur);
	return 0;
}

static void begin(struct rec *r, const char *kind)
{
	cb_buf_addf(&r->cur, "%s ", kind);
}

static int on_order(void *ctx, const struct cb_order *o, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "order");
	put_s(r, "source", o->source);
	put_s(r, "ref", o->order_ref);
	put_s(r, "ext", o->external_id);
	put_s(r, "email", o->email);
	put_s(r, "phone", o->phone);
	put_s(r, "name", o->customer_name);
	put_i(r, "created", o->created_at);
	put_i(r, "paid", o->paid_at);
	put_s(r, "fin", o->financial_status);
	put_s(r, "cur", o->currency);
	put_i(r, "subtotal", o->subtotal);
	put_i(r, "shipping", o->shipping);
	put_i(r, "taxes", o->taxes);
	put_i(r, "total", o->total);
	put_i(r, "refunded", o->refunded);
	put_addr(r, "bill", &o->billing);
	put_addr(r, "ship", &o->shipping_addr);
	put_s(r, "notes", o->notes);
	put_s(r, "ip", o->ip);
	put_s(r, "payref", o->payment_reference);
	put_s(r, "payid", o->payment_id);
	put_s(r, "risk", o->risk_level);
	put_s(r, "channel", o->channel);
	return done(r);
}

static int on_line(void *ctx, const struct cb_order_line *l, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "line");
	put_s(r, "ref", l->order_ref);
	put_i(r, "no", l->line_no);
	put_s(r, "name", l->name);
	put_s(r, "sku", l->sku);
	put_i(r, "qty", l->quantity);
	put_i(r, "price", l->price);
	put_s(r, "cur", l->currency);
	put_i(r, "ship", l->requires_shipping);
	put_s(r, "status", l->fulfillment_status);
	return done(r);
}

static int on_charge(void *ctx, const struct cb_charge *c, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "charge");
	put_s(r, "gw", c->gateway);
	put_s(r, "id", c->gateway_id);
	put_s(r, "pi", c->payment_intent);
	put_s(r, "order", c->order_ref);
	put_s(r, "email", c->email);
	put_s(r, "name", c->customer_name);
	put_i(r, "amount", c->amount);
	put_i(r, "refunded", c->amount_refunded);
	put_s(r, "cur", c->currency);
	put_i(r, "created", c->created_at);
	put_s(r, "status", c->status);
	put_s(r, "desc", c->description);
	put_s(r, "brand", c->card_brand);
	put_s(r, "last4", c->card_last4);
	put_s(r, "fp", c->card_fingerprint);
	put_i(r, "exp_m", c->card_exp_month);
	put_i(r, "exp_y", c->card_exp_year);
	put_s(r, "wallet", c->wallet);
	put_s(r, "avs1", c->avs_line1);
	put_s(r, "avszip", c->avs_postal);
	put_s(r, "cvc", c->cvc);
	put_s(r, "3ds", c->three_ds_result);
	put_i(r, "score", c->risk_score);
	put_s(r, "risk", c->risk_level);
	put_addr(r, "bill", &c->billing);
	put_addr(r, "ship", &c->shipping_addr);
	put_s(r, "meta", c->metadata_json);
	return done(r);
}

static int on_refund(void *ctx, const struct cb_refund *x, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "refund");
	put_s(r, "id", x->gateway_id);
	return done(r);
}

static int on_dispute(void *ctx, const struct cb_dispute *d, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "dispute");
	put_s(r, "gw", d->gateway);
	put_s(r, "id", d->gateway_id);
	put_s(r, "charge", d->charge_ref);
	put_s(r, "order", d->order_ref);
	put_s(r, "reason", d->reason);
	put_s(r, "gwreason", d->gateway_reason);
	put_s(r, "code", d->network_reason_code);
	put_i(r, "amount", d->amount);
	put_s(r, "cur", d->currency);
	put_s(r, "status", d->status);
	put_s(r, "stage", d->stage);
	put_i(r, "opened", d->opened_at);
	put_i(r, "due", d->due_by);
	put_i(r, "open", d->is_open);
	put_s(r, "statement", d->buyer_statement);
	return done(r);
}

static int on_ticket(void *ctx, const struct cb_ticket *t, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "ticket");
	put_s(r, "id", t->ticket_id);
	return done(r);
}

static int on_message(void *ctx, const struct cb_message *m, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "message");
	put_s(r, "source", m->source);
	put_s(r, "id", m->source_id);
	put_s(r, "ticket", m->ticket_id);
	put_s(r, "order", m->order_ref);
	put_s(r, "email", m->email);
	put_s(r, "channel", m->channel);
	put_s(r, "dir", m->direction);
	put_s(r, "author", m->author);
	put_i(r, "sent", m->sent_at);
	put_i(r, "public", m->is_public);
	put_s(r, "body", m->body);
	return done(r);
}

static int on_shipment(void *ctx, const struct cb_shipment *s, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "shipment");
	put_s(r, "carrier", s->carrier);
	put_s(r, "tn", s->tracking_number);
	put_s(r, "order", s->order_ref);
	put_s(r, "status", s->status);
	put_s(r, "service", s->service);
	put_i(r, "shipped", s->shipped_at);
	put_i(r, "delivered", s->delivered_at);
	put_s(r, "signed", s->signed_by);
	put_addr(r, "to", &s->to);
	put_s(r, "source", s->source);
	return done(r);
}

static int on_event(void *ctx, const struct cb_tracking_event *e, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "event");
	put_s(r, "carrier", e->carrier);
	put_s(r, "tn", e->tracking_number);
	put_i(r, "at", e->occurred_at);
	put_i(r, "off", e->utc_offset_min);
	put_s(r, "status", e->status);
	put_s(r, "msg", e->message);
	put_s(r, "city", e->city);
	put_s(r, "postal", e->postal);
	return done(r);
}

static int on_policy(void *ctx, const struct cb_policy *p, struct cb_error *err)
{
	struct rec *r = ctx;

	(void)err;
	begin(r, "policy");
	put_s(r, "kind", p->kind);
	put_s(r, "title", p->title);
	put_s(r, "body", p->body);
	put_s(r, "disclosure", p->disclosure);
	return done(r);
}

static void rec_sink(struct cb_sink *s, struct rec *r)
{
	memset(r, 0, sizeof(*r));
	memset(s, 0, sizeof(*s));
	s->ctx = r;
	s->order = on_order;
	s->order_line = on_line;
	s->charge = on_charge;
	s->refund = on_refund;
	s->dispute = on_dispute;
	s->ticket = on_ticket;
	s->message = on_message;
	s->shipment = on_shipment;
	s->tracking_event = on_event;
	s->policy = on_policy;
}

static void rec_free(struct rec *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		free(r->line[i]);
	cb_buf_release(&r->cur);
	r->n = 0;
}

/* Line `i` must exist and hold every fragment given. */
static void expect(const struct rec *r, int i, ...)
{
	const char *frag;
	va_list ap;

	if (i >= r->n)
		fail_msg("no record %d (only %d)", i, r->n);
	va_start(ap, i);
	while ((frag = va_arg(ap, const char *)))
		if (!strstr(r->line[i], frag)) {
			va_end(ap);
			fail_msg("record %d lacks '%s': %s", i, frag, r->line[i]);
		}
	va_end(ap);
}

static int run_file(struct rec *r, struct cb_ingest_stats *st, const char *fmt,
		    const char *file, struct cb_error *err)
{
	struct cb_sink sink;

	rec_sink(&sink, r);
	assert_non_null(cb_ingest_find(fmt));
	return cb_ingest_file(cb_ingest_find(fmt), file, &sink, st, err);
}

/* Run a format over text in memory, named `path` in messages. */
static int run_text(struct rec *r, struct cb_ingest_stats *st, const char *fmt,
		    const char *path, const char *text, struct cb_error *err)
{
	struct cb_sink sink;

	rec_sink(&sink, r);
	memset(st, 0, sizeof(*st));
	assert_non_null(cb_ingest_find(fmt));
	return cb_ingest_find(fmt)->run(path, text, strlen(text), &sink, st, err);
}

/* The error a format gives for `text`: asserts it fails and returns the message. */
static const char *fails(struct cb_error *err, const char *fmt, const char *path,
			 const char *text)
{
	struct cb_ingest_stats st;
	struct rec r;
	int ret = run_text(&r, &st, fmt, path, text, err);

	rec_free(&r);
	if (ret != CB_EPARSE)
		fail_msg("%s over %s returned %d, not CB_EPARSE", fmt, path, ret);
	return err->msg;
}

static void reader_quotes_newlines_crlf(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_text(&r, &st, "policies-csv", "p.csv",
				  "kind,title,body\r\n"
				  "refund,\"Refunds, returns\",\"Line one\r\nline two, with comma\"\r\n"
				  "\r\n"
				  "terms,\"Say \"\"hi\"\"\",x\r\n", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "kind=refund|", "title=Refunds, returns|",
	       "body=Line one\r\nline two, with comma|", NULL);
	expect(&r, 1, "kind=terms|", "title=Say \"hi\"|", NULL);
	assert_int_equal(st.rows_accepted, 2);
	assert_int_equal(st.records, 2);
	rec_free(&r);
}

/* A BOM before the first header name (Excel's "CSV UTF-8") must not hide the column. */
static void reader_header_after_bom(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "policies-csv", FIX "policies_bom.csv", &err), 0);
	assert_int_equal(r.n, 1);
	expect(&r, 0, "policy kind=terms|", "body=Terms of sale|", NULL);
	rec_free(&r);
}

static void reader_line_numbers_follow_multiline_rows(void **state)
{
	struct cb_error err = CB_ERROR_INIT;

	(void)state;
	/* The bad row starts on line 6: lines 2-4 are one row with a 3-line body, 5 is blank. */
	assert_string_equal(fails(&err, "policies-csv", "p.csv",
				  "kind,body\n"
				  "refund,\"a\nb\nc\"\n"
				  "\n"
				  "nonsense,x\n"),
			    "p.csv:6: column 'kind': 'nonsense' is not refund, shipping, cancellation or terms");
}

static void reader_reports_broken_quoting(void **state)
{
	struct cb_error err = CB_ERROR_INIT;

	(void)state;
	assert_string_equal(fails(&err, "policies-csv", "q.csv",
				  "kind,body\nrefund,ok\nshipping,\"never closed\nmore\n"),
			    "q.csv:3: unterminated quoted field (a '\"' opened here is never closed)");
	assert_non_null(strstr(fails(&err, "policies-csv", "q.csv",
				     "kind,body\nrefund,ok\nshipping,ab\"c\n"),
			       "q.csv:3: broken quoting"));
	assert_non_null(strstr(fails(&err, "policies-csv", "q.csv",
				     "kind,body\nrefund,\"a\nb\"x,\n"),
			       "q.csv:3: broken quoting (a '\"' inside an unquoted field, or text after a closing quote) in the row starting on line 2"));
	assert_string_equal(fails(&err, "policies-csv", "q.csv", ""),
			    "q.csv: empty file (no header row)");
}

static void header_by_name_any_order(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "orders-csv", FIX "orders.csv", &err), 0);
	assert_int_equal(r.n, 5);
	expect(&r, 0, "order source=csv|ref=#2001|", "email=ana@example.com|",
	       "name=Lefèvre, François|", "cur=USD|", "total=5500|", "ship.postal=02134|",
	       "notes=Call first, please|", "created=1790841600|", NULL);
	expect(&r, 1, "line ref=#2001|no=1|name=Trail Tee|sku=TT-S|qty=1|price=2500|cur=USD|", NULL);
	expect(&r, 2, "line ref=#2001|no=2|name=Wool Socks\r\ntwo-pack|sku=SOCK-1|qty=2|price=1500|",
	       NULL);
	expect(&r, 3, "order source=csv|ref=#2002|", "name=Nguyễn Thị Hương|", "cur=EUR|",
	       "total=1950|", NULL);
	expect(&r, 4, "line ref=#2002|no=1|name=Canvas Cap|", NULL);
	assert_int_equal(st.rows_accepted, 3);
	assert_int_equal(st.records, 5);
	rec_free(&r);
}

static void shopify_groups_rows_by_name(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "shopify-orders", FIX "shopify_orders.csv", &err), 0);
	assert_int_equal(r.n, 6);
	/* #1001's second item is on line 6, after #1002: still one order, two lines. */
	expect(&r, 0, "order source=shopify|ref=#1001|ext=4582310447621|",
	       "email=jose@example.com|", "phone=+16175550100|", "name=José Muñoz|",
	       "created=1788272100|", "paid=1788272102|", "fin=paid|", "cur=USD|",
	       "subtotal=8000|", "shipping=500|", "taxes=640|", "total=9140|", "refunded=0|",
	       "bill.line1=12 Elm St|", "bill.line2=Apt 3|", "bill.postal=02134|",
	       "ship.postal=02134|", "ip=203.0.113.7|", "payref=c5823104476201.1|",
	       "payid=ch_3QnwAbLoR5xD6xCe0a1b2c3d|", "risk=low|", "channel=web|", NULL);
	expect(&r, 1, "line ref=#1001|no=1|name=Trail Tee - M / Navy|sku=TT-M-NV|qty=2|price=2500|cur=USD|ship=1|status=fulfilled|", NULL);
	expect(&r, 2, "line ref=#1001|no=2|name=Wool Socks, \"Trail\" edition|sku=SOCK-1|qty=1|price=3000|", NULL);
	expect(&r, 3, "order source=shopify|ref=#1002|ext=5823104476299|", "bill.postal=0812|",
	       "name=Zoë Ångström|", "payref=#1002.1|", "risk=high|", NULL);
	expect(&r, 4, "line ref=#1002|no=1|name=Canvas Cap|", NULL);
	expect(&r, 5, "line ref=#1002|no=2|name=Gift card|", "price=0|", "ship=0|", NULL);
	assert_int_equal(st.rows_accepted, 4);
	assert_int_equal(st.records, 6);
	rec_free(&r);
}

static void shopify_masks_card_in_notes_keeps_ids(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct cb_buf b = CB_BUF_INIT;
	struct rec r;

	(void)state;
	/* The Id would be masked as free text: it is Luhn-valid with a Visa prefix. */
	assert_int_equal(cb_redact_text(&b, "4582310447621"), 1);
	cb_buf_release(&b);
	assert_int_equal(run_file(&r, &st, "shopify-orders", FIX "shopify_orders.csv", &err), 0);
	expect(&r, 0, "notes=Please leave at door.\nMy card [card ending 1111] if you need it\n"
	       "IP address: 203.0.113.7\nutm_source: instagram|", "ext=4582310447621|",
	       "payref=c5823104476201.1|", NULL);
	assert_null(strstr(r.line[0], "4111 1111"));
	rec_free(&r);
}

static void shopify_needs_name_column(void **state)
{
	struct cb_error err = CB_ERROR_INIT;

	(void)state;
	assert_string_equal(fails(&err, "shopify-orders", "s.csv",
				  "Email,Currency,Total,Created at\nx@example.com,USD,1.00,2026-01-01\n"),
			    "s.csv: missing required column 'Name'");
}

static void shopify_bad_values_name_the_line(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	const char *head = "Name,Currency,Total,Created at,Lineitem name,Lineitem price,Lineitem quantity\n";
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%s#1,USD,1.00,2026-01-01,a,1.00,1\n#2,USD,2.00,2026-01-01,b,2.0x,1\n", head);
	assert_string_equal(fails(&err, "shopify-orders", "s.csv", text),
			    "s.csv:3: column 'Lineitem price': '2.0x' is not an amount");
	snprintf(text, sizeof(text), "%s#1,USD,1.00,2026-01-01,a,1.00,1\n#1,,,2026-01-01,b,1.00,two\n", head);
	assert_string_equal(fails(&err, "shopify-orders", "s.csv", text),
			    "s.csv:3: column 'Lineitem quantity': 'two' is not a whole number");
	snprintf(text, sizeof(text), "%s#1,USD,1.00,2026-02-30 10:00:00 +0000,a,1.00,1\n", head);
	assert_string_equal(fails(&err, "shopify-orders", "s.csv", text),
			    "s.csv:2: column 'Created at': '2026-02-30 10:00:00 +0000' is not a date");
	/* An order-level typo on a continuation row is reported, not ignored. */
	snprintf(text, sizeof(text), "%s#1,USD,1.00,2026-01-01,a,1.00,1\n#1,,1.0.0,2026-01-01,b,1.00,1\n", head);
	assert_string_equal(fails(&err, "shopify-orders", "s.csv", text),
			    "s.csv:3: column 'Total': '1.0.0' is not an amount");
}

static void orders_errors_name_line_and_column(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	const char *head = "order_number,created_at,currency,total\n";
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%s#1,2026-01-01,USD,1\n#2,2026-01-01,USD,2\n"
		 "#3,2026-01-01,USD,3\n#4,2026-01-01,USD,4\n#5,2026-01-01,USD,5\n#6,2026-01-01,USD,abc\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:7: column 'total': 'abc' is not an amount");
	snprintf(text, sizeof(text), "%s#1,2026-01-01,USD,1\n#2,2026-01-01,ZZZ,2\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:3: column 'currency': unknown currency 'ZZZ'");
	snprintf(text, sizeof(text), "%s#1,2026-01-01,USD,1\n#2,2026-01-01,USD,2\n"
		 "#3,2026-01-01,USD,3\n#4,2026-13-01,USD,4\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:5: column 'created_at': '2026-13-01' is not a date");
	snprintf(text, sizeof(text), "%s#1,2026-01-01,USD,1.005\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:2: column 'total': '1.005' has more decimals than USD allows");
	snprintf(text, sizeof(text), "%s#1,2026-01-01,JPY,100.5\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:2: column 'total': '100.5' has more decimals than JPY allows");
	snprintf(text, sizeof(text), "%s#1,2026-01-01,USD,\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:2: column 'total': empty value (this column is required)");
	snprintf(text, sizeof(text), "%s#1,2026-01-01,USD,1\n,2026-01-01,USD,1\n", head);
	assert_string_equal(fails(&err, "orders-csv", "orders.csv", text),
			    "orders.csv:3: column 'order_number': empty value (this column is required)");
	assert_string_equal(fails(&err, "orders-csv", "x.csv", "order_number,created_at,currency\n#1,2026-01-01,USD\n"),
			    "x.csv: missing required column 'total'");
	assert_string_equal(fails(&err, "orders-csv", "x.csv", "order_number,created_at\n"),
			    "x.csv: missing required columns 'currency', 'total'");
}

static void stripe_payments_rows(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "stripe-payments", FIX "stripe_payments.csv", &err), 0);
	assert_int_equal(r.n, 3);
	expect(&r, 0, "charge gw=stripe|id=ch_3Q1AFtLoR5xD6xCe1OEiHzto|pi=pi_3Q1AFtLoR5xD6xCe1g7t0o7D|",
	       "order=#1003|", "email=jane@example.com|", "name=Jane Doe|", "amount=7794|",
	       "refunded=0|", "cur=USD|", "created=1789923870|", "status=paid|",
	       "desc=Order #1003, 2 items|", "brand=Visa|", "last4=4242|", "exp_m=8|",
	       "exp_y=2028|", "wallet=apple_pay|", "avs1=pass|", "avszip=pass|", "cvc=pass|",
	       "bill.postal=62701|", "bill.phone=+15550100000|", "ship.name=Jane Doe|",
	       "meta={\"order_id\":\"#1003\",\"session_id\":\"sess_1\"}|", NULL);
	expect(&r, 1, "charge gw=stripe|id=ch_3Q2BBtLoR5xD6xCe1DISPUTED|", "order=#1004|",
	       "desc=Note: my card [card ending 1111]|", "last4=4444|", "avs1=fail|",
	       "cvc=unavailable|", NULL);
	assert_null(strstr(r.line[1], "5555555555554444"));
	expect(&r, 2, "dispute gw=stripe|id=dp_from_ch_3Q2BBtLoR5xD6xCe1DISPUTED|"
	       "charge=ch_3Q2BBtLoR5xD6xCe1DISPUTED|order=#1004|reason=fraud|gwreason=fraudulent|",
	       "amount=12000|cur=USD|status=needs_response|stage=chargeback|",
	       "opened=1794312000|due=1796083199|open=1|", NULL);
	assert_int_equal(st.rows_accepted, 2);
	assert_int_equal(st.rows_skipped, 1);
	assert_int_equal(st.records, 3);
	rec_free(&r);
}

static void stripe_payments_older_header(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "stripe-payments", FIX "stripe_payments_old.csv", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "id=ch_old1|", "order=1005|", "amount=500|", "cur=EUR|",
	       "created=1709287200|", "last4=1234|", NULL);
	expect(&r, 1, "id=dp_from_ch_old1|", "reason=not_received|", "status=won|", "open=0|",
	       "amount=500|", NULL);
	assert_string_equal(fails(&err, "stripe-payments", "u.csv", "id,Amount,Currency\nch_1,1,usd\n"),
			    "u.csv: missing required column 'Created date (UTC)'");
	rec_free(&r);
}

static void generic_payments_disputes(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "payments-csv", FIX "payments.csv", &err), 0);
	assert_int_equal(r.n, 1);
	expect(&r, 0, "gw=csv|id=pay-1|order=#1010|", "amount=4999|", "status=succeeded|",
	       "last4=1111|", "avs1=pass|avszip=pass|cvc=pass|3ds=authenticated|score=12|",
	       "risk=normal|", "refunded=0|", "bill.postal=02134|", NULL);
	assert_null(strstr(r.line[0], "4111111111111111"));
	rec_free(&r);

	assert_int_equal(run_file(&r, &st, "disputes-csv", FIX "disputes.csv", &err), 0);
	assert_int_equal(r.n, 3);
	expect(&r, 0, "gw=csv|id=D-100|charge=pay-1|order=#1010|reason=not_received|"
	       "gwreason=Item not received|code=13.1|amount=4999|cur=USD|status=Needs_Response|",
	       "open=1|", "statement=Never arrived; card [card ending 1111]|", NULL);
	expect(&r, 1, "id=D-101|", "reason=duplicate|", "amount=1000|", "open=0|", NULL);
	expect(&r, 2, "id=D-102|", "reason=fraud|", "amount=1000|cur=JPY|", "open=0|", NULL);
	rec_free(&r);
	assert_string_equal(fails(&err, "payments-csv", "p.csv",
				  "gateway,charge_id,created_at,amount,currency,cvc\ncsv,c1,2026-01-01,1,USD,maybe\n"),
			    "p.csv:2: column 'cvc': 'maybe' is not pass, fail, unavailable or unchecked");
	assert_string_equal(fails(&err, "payments-csv", "p.csv",
				  "gateway,charge_id,created_at,amount,currency,risk_score\ncsv,c1,2026-01-01,1,USD,101\n"),
			    "p.csv:2: column 'risk_score': '101' is not a whole number from 0 to 100");
}

static void shipments_tracking_policies(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "shipments-csv", FIX "shipments.csv", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "carrier=UPS|tn=1Z999AA10123456784|order=#1010|status=delivered|service=Ground|",
	       "signed=J MUNOZ|", "to.name=José Muñoz|", "to.postal=02134|", "source=csv|", NULL);
	expect(&r, 1, "status=out_for_delivery|", NULL);
	assert_null(strstr(r.line[1], "signed="));
	rec_free(&r);

	assert_int_equal(run_file(&r, &st, "tracking-csv", FIX "tracking.csv", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "tn=1Z999AA10123456784|at=1792868520|off=-240|status=delivered|"
	       "msg=Delivered, front door|city=Boston|postal=02134|", NULL);
	expect(&r, 1, "status=in_transit|", NULL);
	rec_free(&r);

	assert_int_equal(run_file(&r, &st, "policies-csv", FIX "policies.csv", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "kind=refund|title=Refunds|body=Returns within 30 days.\nUnworn items only.|"
	       "disclosure=Shown at checkout with a required checkbox|", NULL);
	expect(&r, 1, "kind=shipping|", NULL);
	rec_free(&r);
	assert_non_null(strstr(fails(&err, "shipments-csv", "s.csv",
				     "order_number,carrier,tracking_number,status\n#1,UPS,1Z,teleported\n"),
			       "s.csv:2: column 'status': 'teleported' is not a shipment status"));
}

static void messages_csv_and_ndjson(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r;

	(void)state;
	assert_int_equal(run_file(&r, &st, "messages", FIX "messages.csv", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "message source=chat|id=chat-1|ticket=t-9|order=#1001|", "channel=chat|",
	       "dir=customer|", "author=José Muñoz|", "sent=1788602400|", "public=1|",
	       "body=Hi, my card is [card ending 1111]\ncan you refund? \xF0\x9F\x98\x80|", NULL);
	expect(&r, 1, "dir=merchant|", "body=Tracking 1Z999AA10123456784, ref c5823104476201.1|",
	       NULL);
	assert_null(strstr(r.line[0], "4111"));
	rec_free(&r);

	assert_int_equal(run_file(&r, &st, "messages", FIX "messages.ndjson", &err), 0);
	assert_int_equal(r.n, 2);
	expect(&r, 0, "message source=instagram|id=ig-1|order=#1002|", "dir=customer|",
	       "sent=1788685200|", "body=where is my cap? card [card ending 4444]|", NULL);
	expect(&r, 1, "id=17|", "dir=merchant|", "sent=1788685200|", "body=On its way!|", NULL);
	assert_int_equal(st.rows_accepted, 2);
	rec_free(&r);

	assert_string_equal(fails(&err, "messages", "m.csv",
				  "message_id,channel,direction,sent_at,body\n1,chat,bot,2026-01-01,hi\n"),
			    "m.csv:2: column 'direction': 'bot' is not customer or merchant");
	assert_string_equal(fails(&err, "messages", "m.ndjson",
				  "{\"message_id\":\"1\",\"channel\":\"chat\",\"direction\":\"customer\",\"sent_at\":\"2026-01-01\",\"body\":\"a\"}\n"
				  "{\"message_id\":\"2\",\"channel\":\"chat\",\"direction\":\"system\",\"sent_at\":\"2026-01-01\",\"body\":\"b\"}\n"),
			    "m.ndjson:2: key 'direction': 'system' is not customer or merchant");
	assert_string_equal(fails(&err, "messages", "m.ndjson",
				  "{\"message_id\":\"1\",\"channel\":\"chat\",\"direction\":\"customer\",\"sent_at\":\"2026-01-01\"}\n"),
			    "m.ndjson:1: missing required key 'body'");
	assert_non_null(strstr(fails(&err, "messages", "m.ndjson", "{\"message_id\": 1,\n"),
			       "m.ndjson:1: invalid JSON"));
	assert_string_equal(fails(&err, "messages", "m.ndjson",
				  "{\"message_id\":\"1\",\"channel\":\"chat\",\"direction\":\"customer\",\"sent_at\":\"2026-01-01\",\"body\":[\"a\"]}\n"),
			    "m.ndjson:1: key 'body': expected a string, not an array");
}

/* A sink failure comes back with the row's place in the file in front of it. */
static int refuse_policy(void *ctx, const struct cb_policy *p, struct cb_error *err)
{
	(void)ctx;
	(void)p;
	return cb_error_set(err, CB_EDB, "database is locked");
}

static void sink_errors_name_the_row(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st = { 0 };
	struct cb_sink sink;
	struct rec r;
	const char *text = "kind,body\nrefund,x\n";

	(void)state;
	rec_sink(&sink, &r);
	sink.policy = refuse_policy;
	assert_int_equal(cb_ingest_find("policies-csv")->run("p.csv", text, strlen(text), &sink,
							     &st, &err), CB_EDB);
	assert_string_equal(err.msg, "p.csv:2: database is locked");
	rec_free(&r);
}

/*
 * The split parse (two parts on two threads) against the parse in one
 * piece: the same rows, fields, lines and blank flags, or the same error.
 */
static const char *describe(const char *text, size_t hint)
{
	static char buf[512];
	size_t i, n = 0;

	n += (size_t)snprintf(buf, sizeof(buf), "hint %zu, text \"", hint);
	for (i = 0; text[i] && n < sizeof(buf) - 8; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      text[i] == '\n' ? "\\n" : text[i] == '\r' ? "\\r" :
				      text[i] == '"' ? "\\\"" : "%c", text[i]);
	snprintf(buf + n, sizeof(buf) - n, "\"");
	return buf;
}

static void assert_same_doc(const struct csv_doc *a, const struct csv_doc *b, const char *what)
{
	size_t r, c;

	if (a->nrows != b->nrows)
		fail_msg("%s: %zu rows, split: %zu rows", what, a->nrows, b->nrows);
	for (r = 0; r < a->nrows; r++) {
		if (a->rows[r].line != b->rows[r].line || a->rows[r].n != b->rows[r].n ||
		    a->rows[r].blank != b->rows[r].blank)
			fail_msg("%s: row %zu: line %ld, %zu fields, blank %d; split: line %ld, %zu fields, blank %d",
				 what, r, a->rows[r].line, a->rows[r].n, a->rows[r].blank,
				 b->rows[r].line, b->rows[r].n, b->rows[r].blank);
		for (c = 0; c < a->rows[r].n; c++)
			if (strcmp(csv_cell(a, r, (int)c), csv_cell(b, r, (int)c)))
				fail_msg("%s: row %zu field %zu: '%s', split: '%s'", what, r, c,
					 csv_cell(a, r, (int)c), csv_cell(b, r, (int)c));
	}
}

/* Split `len` bytes of `text` at `hint` and in one piece; returns the status. */
static int same_as_whole(const char *text, size_t len, size_t hint, struct cb_error *err)
{
	struct csv_doc a = CSV_DOC_INIT, b = CSV_DOC_INIT;
	struct cb_error eb = CB_ERROR_INIT;
	int ra, rb;

	ra = csv_doc_parse_split(&a, "t.csv", text, len, SIZE_MAX, err);
	rb = csv_doc_parse_split(&b, "t.csv", text, len, hint, &eb);
	if (ra != rb || (ra && (err->code != eb.code || strcmp(err->msg, eb.msg))))
		fail_msg("%s: %d '%s', split: %d '%s'", describe(text, hint), ra, ra ? err->msg : "",
			 rb, rb ? eb.msg : "");
	if (!ra)
		assert_same_doc(&a, &b, describe(text, hint));
	csv_doc_release(&a);
	csv_doc_release(&b);
	return ra;
}

/* Every split of `text` gives what the whole parse gives; returns its status. */
static int same_at_every_hint(const char *text, struct cb_error *err)
{
	size_t len = strlen(text), hint;
	int ret = same_as_whole(text, len, 0, err);

	for (hint = 1; hint <= len; hint++)
		assert_int_equal(same_as_whole(text, len, hint, err), ret);
	return ret;
}

static void split_matches_whole(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	static const char *const ok[] = {
		/* quoted newlines, commas and "" escapes on both sides of every split */
		"id,note,total\n1,\"a,\nb\",2\n2,\"say \"\"hi\"\"\n,\n\",3\n3,\"\n\",4\n4,x,5\n",
		/* CRLF, blank lines, lines of commas, white space lines */
		"a,b\r\n\r\n1,2\r\n,\r\n\r\n  \n\t\r\n,,\n3,\"x\r\ny\"\r\n\n",
		/* trimming; spaces around quoted fields; a row ended by a bare CR */
		"  a , b\t\n\t x ,  \"y\" \n  \" q \"  ,z\r\nw\rv\n",
		/* no line end at the end; a quoted field last */
		"h\nx\ny", "h\nx\n\"y\nz\"",
		/* the header only, with and without its line end */
		"a,b,c\n", "a,b,c", "\"a\nb\",c\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(same_at_every_hint(ok[i], &err), 0);
}

static void split_point_is_outside_quotes(void **state)
{
	const char *t = "h\n\"a\nb\"\nc\n";

	(void)state;
	/* A hint inside the quoted field moves the split past the field's row. */
	assert_int_equal(csv_split_point(t, strlen(t), 0), 2);
	assert_int_equal(csv_split_point(t, strlen(t), 3), 8);
	assert_int_equal(csv_split_point(t, strlen(t), 8), 10);
	/* The second part may be empty: the split is at the end. */
	assert_int_equal(csv_split_point("a,b\n", 4, 0), 4);
	assert_int_equal(csv_split_point("a,b\n", 4, 4), 0);
	/* The only line end after the hint is inside quotes: no split. */
	assert_int_equal(csv_split_point("h\nx,\"a\nb\"", 10, 2), 0);
	assert_int_equal(csv_split_point("a,b", 3, 0), 0);
	assert_int_equal(csv_split_point("", 0, 0), 0);
}

static void split_errors_match_whole(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	const char *broken = "broken quoting (a '\"' inside an unquoted field, or text after a closing quote)";
	const char *t;
	char want[256];

	(void)state;
	/* Part 1: text after a closing quote (two quotes: the parity stays even). */
	t = "h1,h2\n\"a\"b,1\nx,2\ny,3\n";
	assert_int_equal(csv_split_point(t, strlen(t), 12), 13);
	assert_int_equal(same_at_every_hint(t, &err), CB_EPARSE);
	snprintf(want, sizeof(want), "t.csv:2: %s", broken);
	assert_string_equal(err.msg, want);

	/* Part 2, on its own line and in a row that started lines before. */
	t = "h1,h2\nx,1\ny,2\n\"a\"b,3\n";
	assert_int_equal(csv_split_point(t, strlen(t), 0), 6);
	assert_int_equal(same_at_every_hint(t, &err), CB_EPARSE);
	snprintf(want, sizeof(want), "t.csv:4: %s", broken);
	assert_string_equal(err.msg, want);
	t = "h\nx\n\"a\nb\"x\n";
	assert_int_equal(same_at_every_hint(t, &err), CB_EPARSE);
	snprintf(want, sizeof(want), "t.csv:4: %s in the row starting on line 3", broken);
	assert_string_equal(err.msg, want);

	/* Both parts: part 1's is the first. */
	t = "h\n\"a\"b\nx\ny\n\"c\"d\n";
	assert_int_equal(csv_split_point(t, strlen(t), 9), 11);
	assert_int_equal(same_at_every_hint(t, &err), CB_EPARSE);
	snprintf(want, sizeof(want), "t.csv:2: %s", broken);
	assert_string_equal(err.msg, want);

	/* Unterminated at the end of part 2. */
	t = "h\nx\n\"abc\ndef\n";
	assert_int_equal(same_at_every_hint(t, &err), CB_EPARSE);
	assert_string_equal(err.msg, "t.csv:3: unterminated quoted field (a '\"' opened here is never closed)");

	/*
	 * A stray quote on line 2 makes the parity wrong: the split lands inside
	 * the quoted field of lines 3-4, and part 1's error is still the answer.
	 */
	t = "h\nx\"y\n\"a\nb\"\nc\n";
	assert_int_equal(csv_split_point(t, strlen(t), 6), 9);
	assert_int_equal(same_at_every_hint(t, &err), CB_EPARSE);
	snprintf(want, sizeof(want), "t.csv:2: %s", broken);
	assert_string_equal(err.msg, want);

	/* Nothing but blank lines in either part. */
	assert_int_equal(same_at_every_hint("\n \r\n\n\t\n", &err), CB_EPARSE);
	assert_string_equal(err.msg, "t.csv: empty file (no header row)");
}

static uint64_t rnd_state = 0x2545f4914f6cdd1dULL;

static unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

/* A random field; with `bad`, sometimes one libcsv refuses. */
static void random_field(struct cb_buf *b, bool bad)
{
	static const char *const plain[] = { "a", "b c", " x ", "\t", "1" };
	static const char *const inside[] = { "a", ",", "\n", "\r\n", "\"\"", " ", "\r" };
	unsigned i, n;

	switch (rnd(bad ? 7 : 5)) {
	case 0:
		break;
	case 1:
	case 2:
		cb_buf_adds(b, plain[rnd(5)]);
		break;
	case 3:
	case 4:
		cb_buf_adds(b, rnd(3) ? "\"" : " \"");
		for (i = 0, n = rnd(5); i < n; i++)
			cb_buf_adds(b, inside[rnd(7)]);
		cb_buf_adds(b, rnd(4) ? "\"" : "\" ");
		break;
	case 5:
		cb_buf_adds(b, rnd(2) ? "a\"b" : "\"a\"b");
		break;
	default:
		cb_buf_adds(b, rnd(2) ? "\"a\nb" : "\"");
		break;
	}
}

static void random_csv(struct cb_buf *b)
{
	static const char *const ends[] = { "\n", "\n", "\r\n", "\r", "\n\n", " \n", ",\n" };
	bool bad = !rnd(3);
	unsigned row, rows = 1 + rnd(5), f, fields;

	cb_buf_reset(b);
	for (row = 0; row < rows; row++) {
		for (f = 0, fields = 1 + rnd(3); f < fields; f++) {
			if (f)
				cb_buf_addc(b, ',');
			random_field(b, bad && !rnd(4));
		}
		if (row + 1 < rows || rnd(3))
			cb_buf_adds(b, ends[rnd(7)]);
	}
}

/* A few hundred random texts, valid and not, split at every byte. */
static void split_random_texts(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_buf b = CB_BUF_INIT;
	unsigned text, failed = 0, splits = 0;
	size_t hint;

	(void)state;
	for (text = 0; text < 400; text++) {
		random_csv(&b);
		for (hint = 0; hint <= b.len; hint++)
			splits += csv_split_point(b.ptr, b.len, hint) != 0;
		failed += same_at_every_hint(cb_buf_cstr(&b), &err) != 0;
	}
	cb_buf_release(&b);
	/* Both kinds are well represented, and most hints really split. */
	assert_true(failed > 60 && failed < 340);
	assert_true(splits > 4000);
}

/* Past CSV_SPLIT_MIN, csv_doc_parse splits by itself. */
static void split_large_input(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_buf b = CB_BUF_INIT;
	struct csv_doc d = CSV_DOC_INIT;
	unsigned i;

	(void)state;
	cb_buf_adds(&b, "id,note,total\r\n");
	for (i = 0; b.len <= CSV_SPLIT_MIN; i++)
		cb_buf_addf(&b, "%u,\"line one,\nline \"\"two\"\"\",%u.00\r\n%s", i, i % 97,
			    i % 5 ? "" : ",,\n");
	assert_int_equal(csv_doc_parse(&d, "t.csv", b.ptr, b.len, &err), 0);
	assert_int_equal(d.nrows, 1 + i + (i + 4) / 5);
	csv_doc_release(&d);
	assert_int_equal(same_as_whole(b.ptr, b.len, b.len / 2, &err), 0);
	/* An error near the end names the same line as the whole parse. */
	cb_buf_adds(&b, "x,\"a\nb\"c,1\n");
	assert_int_equal(csv_doc_parse(&d, "t.csv", b.ptr, b.len, &err), CB_EPARSE);
	csv_doc_release(&d);
	assert_non_null(strstr(err.msg, "in the row starting on line"));
	assert_int_equal(same_as_whole(b.ptr, b.len, b.len / 2, &err), CB_EPARSE);
	cb_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_quotes_newlines_crlf),
		cmocka_unit_test(reader_header_after_bom),
		cmocka_unit_test(reader_line_numbers_follow_multiline_rows),
		cmocka_unit_test(reader_reports_broken_quoting),
		cmocka_unit_test(header_by_name_any_order),
		cmocka_unit_test(shopify_groups_rows_by_name),
		cmocka_unit_test(shopify_masks_card_in_notes_keeps_ids),
		cmocka_unit_test(shopify_needs_name_column),
		cmocka_unit_test(shopify_bad_values_name_the_line),
		cmocka_unit_test(orders_errors_name_line_and_column),
		cmocka_unit_test(stripe_payments_rows),
		cmocka_unit_test(stripe_payments_older_header),
		cmocka_unit_test(generic_payments_disputes),
		cmocka_unit_test(shipments_tracking_policies),
		cmocka_unit_test(messages_csv_and_ndjson),
		cmocka_unit_test(sink_errors_name_the_row),
		cmocka_unit_test(split_matches_whole),
		cmocka_unit_test(split_point_is_outside_quotes),
		cmocka_unit_test(split_errors_match_whole),
		cmocka_unit_test(split_random_texts),
		cmocka_unit_test(split_large_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
