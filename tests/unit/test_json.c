/*
 * Unit tests: the JSON importers (Stripe, PayPal, EasyPost, AfterShip,
 * Zendesk) on the fixtures in tests/fixtures/json/, through a sink that
 * records every record as one line of "|field=value|" pairs, and their
 * error messages. The bad files of tests/bad/ are run by test_bad.c.
 * Run from the top of the source tree (tests/run.sh does).
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

#define FIXTURE(name) "tests/fixtures/json/" name

/* ---- a sink that writes each record down ---- */

struct rec {
	char **lines;
	size_t n, alloc;
	int fail_kind;        /* make this record kind's callback fail (test of error paths) */
};

enum { K_CHARGE = 1, K_REFUND, K_DISPUTE, K_TICKET, K_MESSAGE, K_SHIPMENT, K_EVENT };

static void add_s(struct cb_buf *b, const char *k, const char *v)
{
	if (v)
		cb_buf_addf(b, "%s=%s|", k, v);
}

static void add_i(struct cb_buf *b, const char *k, int64_t v)
{
	if (v != CB_NO_AMOUNT)
		cb_buf_addf(b, "%s=%lld|", k, (long long)v);
}

static void add_addr(struct cb_buf *b, const char *pre, const struct cb_address *a)
{
	char k[32];

#define A(f) snprintf(k, sizeof(k), "%s.%s", pre, #f), add_s(b, k, a->f)
	A(name); A(line1); A(line2); A(city); A(state); A(postal); A(country); A(phone);
#undef A
}

static int keep(struct rec *r, struct cb_buf *b, int kind, struct cb_error *err)
{
	r->lines = cb_xgrow(r->lines, sizeof(*r->lines), r->n + 1, &r->alloc);
	r->lines[r->n++] = cb_buf_detach(b);
	if (r->fail_kind == kind)
		return cb_error_set(err, CB_EDB, "store refused the record");
	return 0;
}

static int rec_charge(void *ctx, const struct cb_charge *c, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "charge|");
	add_s(&b, "gateway", c->gateway); add_s(&b, "id", c->gateway_id);
	add_s(&b, "pi", c->payment_intent); add_s(&b, "order", c->order_ref);
	add_s(&b, "customer", c->customer_ref); add_s(&b, "email", c->email);
	add_s(&b, "name", c->customer_name); add_i(&b, "amount", c->amount);
	add_i(&b, "refunded", c->amount_refunded); add_s(&b, "currency", c->currency);
	add_i(&b, "created", c->created_at); add_s(&b, "status", c->status);
	add_s(&b, "description", c->description); add_s(&b, "brand", c->card_brand);
	add_s(&b, "last4", c->card_last4); add_s(&b, "fingerprint", c->card_fingerprint);
	add_s(&b, "card_country", c->card_country); add_s(&b, "funding", c->card_funding);
	add_i(&b, "exp_month", c->card_exp_month); add_i(&b, "exp_year", c->card_exp_year);
	add_s(&b, "wallet", c->wallet); add_s(&b, "avs_line1", c->avs_line1);
	add_s(&b, "avs_postal", c->avs_postal); add_s(&b, "cvc", c->cvc);
	add_s(&b, "3ds", c->three_ds_result); add_s(&b, "3ds_version", c->three_ds_version);
	add_s(&b, "3ds_flow", c->three_ds_flow); add_s(&b, "risk_level", c->risk_level);
	if (c->risk_score >= 0)
		add_i(&b, "risk_score", c->risk_score);
	add_s(&b, "network_status", c->network_status);
	add_s(&b, "outcome", c->outcome_type); add_s(&b, "seller_message", c->seller_message);
	add_s(&b, "ip", c->ip); add_s(&b, "device", c->device_id);
	add_addr(&b, "bill", &c->billing); add_addr(&b, "ship", &c->shipping_addr);
	add_s(&b, "carrier", c->shipping_carrier); add_s(&b, "tracking", c->shipping_tracking);
	add_s(&b, "receipt_email", c->receipt_email); add_s(&b, "receipt_number", c->receipt_number);
	add_s(&b, "metadata", c->metadata_json);
	return keep(ctx, &b, K_CHARGE, err);
}

static int rec_refund(void *ctx, const struct cb_refund *r, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "refund|");
	add_s(&b, "gateway", r->gateway); add_s(&b, "id", r->gateway_id);
	add_s(&b, "charge", r->charge_ref); add_i(&b, "amount", r->amount);
	add_s(&b, "currency", r->currency); add_i(&b, "created", r->created_at);
	add_s(&b, "status", r->status); add_s(&b, "reason", r->reason);
	return keep(ctx, &b, K_REFUND, err);
}

static int rec_dispute(void *ctx, const struct cb_dispute *d, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "dispute|");
	add_s(&b, "gateway", d->gateway); add_s(&b, "id", d->gateway_id);
	add_s(&b, "charge", d->charge_ref); add_s(&b, "order", d->order_ref);
	add_s(&b, "reason", d->reason); add_s(&b, "gateway_reason", d->gateway_reason);
	add_s(&b, "code", d->network_reason_code); add_s(&b, "network", d->network);
	add_i(&b, "amount", d->amount); add_s(&b, "currency", d->currency);
	add_s(&b, "status", d->status); add_s(&b, "stage", d->stage);
	add_i(&b, "opened", d->opened_at); add_i(&b, "due", d->due_by);
	add_i(&b, "updated", d->updated_at); add_i(&b, "open", d->is_open);
	add_s(&b, "statement", d->buyer_statement); add_s(&b, "ce3", d->ce3_status);
	return keep(ctx, &b, K_DISPUTE, err);
}

static int rec_ticket(void *ctx, const struct cb_ticket *t, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "ticket|");
	add_s(&b, "source", t->source); add_s(&b, "id", t->ticket_id);
	add_s(&b, "subject", t->subject); add_s(&b, "order", t->order_ref);
	add_s(&b, "email", t->email); add_s(&b, "name", t->requester_name);
	add_i(&b, "created", t->created_at); add_s(&b, "status", t->status);
	add_s(&b, "channel", t->channel);
	return keep(ctx, &b, K_TICKET, err);
}

static int rec_message(void *ctx, const struct cb_message *m, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "message|");
	add_s(&b, "source", m->source); add_s(&b, "id", m->source_id);
	add_s(&b, "ticket", m->ticket_id); add_s(&b, "order", m->order_ref);
	add_s(&b, "dispute", m->dispute_ref); add_s(&b, "email", m->email);
	add_s(&b, "channel", m->channel); add_s(&b, "direction", m->direction);
	add_s(&b, "author", m->author); add_i(&b, "sent", m->sent_at);
	add_s(&b, "body", m->body); add_i(&b, "public", m->is_public);
	add_s(&b, "attachments", m->attachment_names);
	return keep(ctx, &b, K_MESSAGE, err);
}

static int rec_shipment(void *ctx, const struct cb_shipment *s, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "shipment|");
	add_s(&b, "carrier", s->carrier); add_s(&b, "id", s->tracking_number);
	add_s(&b, "order", s->order_ref); add_s(&b, "status", s->status);
	add_s(&b, "service", s->service); add_i(&b, "shipped", s->shipped_at);
	add_i(&b, "delivered", s->delivered_at); add_i(&b, "est", s->est_delivery);
	add_s(&b, "signed_by", s->signed_by); add_addr(&b, "to", &s->to);
	add_s(&b, "source", s->source);
	return keep(ctx, &b, K_SHIPMENT, err);
}

static int rec_event(void *ctx, const struct cb_tracking_event *e, struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_adds(&b, "event|");
	add_s(&b, "carrier", e->carrier); add_s(&b, "id", e->tracking_number);
	add_i(&b, "at", e->occurred_at); add_i(&b, "offset", e->utc_offset_min);
	add_s(&b, "status", e->status); add_s(&b, "message", e->message);
	add_s(&b, "city", e->city); add_s(&b, "state", e->state);
	add_s(&b, "postal", e->postal); add_s(&b, "country", e->country);
	return keep(ctx, &b, K_EVENT, err);
}

static void rec_sink(struct cb_sink *s, struct rec *r)
{
	memset(s, 0, sizeof(*s));
	s->ctx = r;
	s->charge = rec_charge;
	s->refund = rec_refund;
	s->dispute = rec_dispute;
	s->ticket = rec_ticket;
	s->message = rec_message;
	s->shipment = rec_shipment;
	s->tracking_event = rec_event;
}

static void rec_free(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

/* The record of `kind` ("dispute") whose key is `id`; fails the test when there is none. */
static const char *find(const struct rec *r, const char *kind, const char *id)
{
	char head[256];
	size_t i;

	snprintf(head, sizeof(head), "%s|", kind);
	for (i = 0; i < r->n; i++) {
		const char *p = strstr(r->lines[i], "|id=");

		if (!strncmp(r->lines[i], head, strlen(head)) && p &&
		    !strncmp(p + 4, id, strlen(id)) && p[4 + strlen(id)] == '|')
			return r->lines[i];
	}
	fail_msg("no %s record with id '%s'", kind, id);
	return NULL;
}

static size_t count(const struct rec *r, const char *kind)
{
	size_t i, n = 0, kl = strlen(kind);

	for (i = 0; i < r->n; i++)
		if (!strncmp(r->lines[i], kind, kl) && r->lines[i][kl] == '|')
			n++;
	return n;
}

/* `line` holds "|field=value|" exactly. */
#define assert_field(line, fv) do {                                                 \
		const char *l_ = (line);                                            \
		char want_[512];                                                    \
		snprintf(want_, sizeof(want_), "|%s|", fv);                         \
		if (!strstr(l_, want_))                                             \
			fail_msg("'%s' not in %s", want_, l_);                      \
	} while (0)

#define assert_no_field(line, key) do {                                             \
		char want_[128];                                                    \
		snprintf(want_, sizeof(want_), "|%s=", key);                        \
		if (strstr((line), want_))                                          \
			fail_msg("unexpected %s in %s", want_, (line));             \
	} while (0)

static int run(struct rec *r, const char *format, const char *path, struct cb_ingest_stats *st,
	       struct cb_error *err)
{
	const struct cb_ingest_format *f = cb_ingest_find(format);
	struct cb_sink sink;

	assert_non_null(f);
	rec_sink(&sink, r);
	return cb_ingest_file(f, path, &sink, st, err);
}

static void run_ok(struct rec *r, const char *format, const char *path, struct cb_ingest_stats *st)
{
	struct cb_error err = CB_ERROR_INIT;

	if (run(r, format, path, st, &err))
		fail_msg("%s", err.msg);
}

/* Nothing any importer sent may hold the planted card numbers. */
static void assert_no_pan(const struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		assert_null(strstr(r->lines[i], "4111 1111 1111 1111"));
		assert_null(strstr(r->lines[i], "4111-1111-1111-1111"));
		assert_null(strstr(r->lines[i], "4111111111111111"));
		assert_null(strstr(r->lines[i], "5555555555554444"));
	}
}

static void run_text(struct rec *r, const char *format, const char *text);

/* ---- Stripe ---- */

static void stripe_bare_dispute(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *d;

	(void)state;
	run_ok(&r, "stripe", FIXTURE("stripe_dispute.json"), &st);
	assert_int_equal(r.n, 1);
	d = find(&r, "dispute", "dp_1Pgc71B7WZ01zgkWMevJiAUx");
	assert_field(d, "gateway=stripe");
	assert_field(d, "charge=ch_1PgafuB7WZ01zgkWXYmPNZs8");
	assert_field(d, "amount=1000");
	assert_field(d, "currency=USD");
	assert_field(d, "opened=1234567890");
	assert_field(d, "due=1723679999");
	/* "general" with Visa 10.4 stays general: the gateway's word comes first */
	assert_field(d, "reason=general");
	assert_field(d, "gateway_reason=general");
	assert_field(d, "code=10.4");
	assert_field(d, "network=visa");
	assert_field(d, "stage=inquiry");
	assert_field(d, "status=warning_needs_response");
	assert_field(d, "open=1");
	assert_no_field(d, "ce3");
	assert_int_equal(st.rows_accepted, 1);
	assert_int_equal(st.records, 1);
	rec_free(&r);
}

static void stripe_list_with_expanded_charge(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *d, *c, *s;

	(void)state;
	run_ok(&r, "stripe", FIXTURE("stripe_disputes_list.json"), &st);
	assert_int_equal(count(&r, "dispute"), 3);
	assert_int_equal(count(&r, "charge"), 1);
	assert_int_equal(count(&r, "shipment"), 1);
	assert_int_equal(st.records, 5);
	assert_int_equal(st.rows_accepted, 3);

	d = find(&r, "dispute", "dp_3QFraud0001");
	assert_field(d, "charge=ch_3QFraudCharge01");
	assert_field(d, "order=#1007");          /* from the expanded charge's metadata */
	assert_field(d, "reason=fraud");
	assert_field(d, "gateway_reason=fraudulent");
	assert_field(d, "stage=chargeback");
	assert_field(d, "network=visa");          /* no "network": the brand stands in */
	assert_field(d, "due=1796169599");
	assert_field(d, "ce3=qualified");
	assert_field(d, "open=1");

	c = find(&r, "charge", "ch_3QFraudCharge01");
	assert_field(c, "order=#1007");
	assert_field(c, "pi=pi_3QFraudPI01");
	assert_field(c, "customer=cus_R1aa");
	assert_field(c, "ip=203.0.113.7");
	assert_field(c, "device=dev-7f3a");
	assert_field(c, "email=jose.munoz@example.com");
	assert_field(c, "name=José Muñoz");
	assert_field(c, "3ds=authenticated");
	assert_field(c, "3ds_version=2.2.0");
	assert_field(c, "3ds_flow=challenge");
	assert_field(c, "avs_line1=pass");
	assert_field(c, "avs_postal=pass");
	assert_field(c, "cvc=pass");
	assert_field(c, "risk_level=normal");
	assert_field(c, "risk_score=12");
	assert_field(c, "network_status=approved_by_network");
	assert_field(c, "outcome=authorized");
	assert_field(c, "last4=4242");
	assert_field(c, "exp_month=8");
	assert_field(c, "exp_year=2030");
	assert_field(c, "bill.postal=97205");
	assert_field(c, "ship.line1=12 Alder St");
	assert_field(c, "receipt_number=1844-2210");
	assert_field(c, "description=Order #1007 from Northwind Outfitters");
	/* metadata kept as JSON, redacted */
	assert_non_null(strstr(c, "[card ending 1111]"));
	assert_non_null(strstr(c, "\"order_id\":\"#1007\""));

	s = find(&r, "shipment", "1Z999AA10123456784");
	assert_field(s, "carrier=UPS");
	assert_field(s, "order=#1007");
	assert_field(s, "to.postal=97205");
	assert_field(s, "source=stripe");

	d = find(&r, "dispute", "dp_3QWon0002");
	assert_field(d, "reason=not_received");
	assert_field(d, "code=13.1");
	assert_field(d, "open=0");
	assert_no_field(d, "due");
	d = find(&r, "dispute", "dp_3QReview0003");
	assert_field(d, "reason=duplicate");
	assert_field(d, "open=0");
	assert_no_field(d, "due");              /* due_by 0 is no deadline */
	assert_no_pan(&r);
	rec_free(&r);
}

static void stripe_tracking_without_carrier_stays_on_charge(void **state)
{
	struct rec r = { 0 };

	(void)state;
	run_text(&r, "stripe", "{\"id\":\"ch_1\",\"object\":\"charge\",\"shipping\":"
		 "{\"carrier\":null,\"tracking_number\":\"1Z999AA10123456784\"}}");
	assert_int_equal(r.n, 1);
	assert_field(find(&r, "charge", "ch_1"), "tracking=1Z999AA10123456784");
	rec_free(&r);
}

static void stripe_old_card_shapes_keep_last4_only(void **state)
{
	struct rec r = { 0 };

	(void)state;
	run_text(&r, "stripe",
		 "{\"id\":\"ch_old1\",\"object\":\"charge\",\"source\":{\"object\":\"card\","
		 "\"brand\":\"Visa\",\"number\":\"4111 1111 1111 1111\",\"cvc_check\":\"pass\"}}\n"
		 "{\"id\":\"ch_old2\",\"card\":{\"brand\":\"Visa\",\"last4\":\"4111111111111111\"}}\n");
	assert_field(find(&r, "charge", "ch_old1"), "last4=1111");
	assert_field(find(&r, "charge", "ch_old2"), "last4=1111");   /* no "object": known by "ch_" */
	assert_no_pan(&r);
	rec_free(&r);
}

static void stripe_array_skips_other_objects(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *c;

	(void)state;
	run_ok(&r, "stripe", FIXTURE("stripe_array.json"), &st);
	assert_int_equal(r.n, 1);
	assert_int_equal(st.rows_accepted, 1);
	assert_int_equal(st.rows_skipped, 2);
	c = find(&r, "charge", "ch_1PgafuB7WZ01zgkWXYmPNZs8");
	assert_field(c, "name=Jenny Rosen");
	assert_field(c, "amount=100");
	assert_field(c, "refunded=0");
	assert_field(c, "wallet=link");
	assert_field(c, "cvc=pass");
	assert_field(c, "fingerprint=AOB934RVNwzk6xtn");
	assert_no_field(c, "3ds");
	assert_no_field(c, "risk_score");
	assert_no_field(c, "metadata");        /* {} is nothing to keep */
	assert_int_equal(count(&r, "shipment"), 0);   /* "shipping": {} */
	rec_free(&r);
}

static void stripe_ndjson_charges_and_refunds(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *c;

	(void)state;
	run_ok(&r, "stripe", FIXTURE("stripe_charges.ndjson"), &st);
	assert_int_equal(st.rows_accepted, 3);
	assert_int_equal(st.rows_skipped, 1);
	assert_int_equal(count(&r, "refund"), 2);

	c = find(&r, "charge", "ch_3QNd01");
	assert_field(c, "order=1010");
	assert_field(c, "brand=mastercard");
	assert_field(c, "last4=4444");          /* a full "number" is cut to its last 4 */
	assert_field(c, "funding=debit");
	assert_field(c, "email=zoe@example.com");
	assert_field(c, "description=Customer phoned, card [card ending 1111] cvv [CVV redacted]");

	c = find(&r, "charge", "ch_3QNd02");
	assert_field(c, "order=#1012");
	assert_field(c, "ip=198.51.100.23");
	assert_field(c, "customer=cus_R9zz");   /* expanded customer */
	assert_field(c, "currency=EUR");
	assert_field(c, "3ds=authenticated");   /* pre-2019 {"authenticated": true} */
	assert_field(c, "3ds_version=1.0.2");
	assert_field(c, "wallet=apple_pay");
	assert_field(c, "refunded=3900");

	c = find(&r, "refund", "re_3QNd01");
	assert_field(c, "charge=ch_3QNd01");
	assert_field(c, "amount=500");
	assert_field(c, "reason=requested_by_customer");
	c = find(&r, "refund", "re_3QNd02");
	assert_field(c, "charge=ch_3QNd02");    /* taken from the charge it is listed under */
	assert_field(c, "currency=EUR");
	assert_no_pan(&r);
	rec_free(&r);
}

/* ---- PayPal ---- */

static void paypal_full_dispute(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *d, *c, *m, *s;

	(void)state;
	run_ok(&r, "paypal-disputes", FIXTURE("paypal_dispute.json"), &st);
	assert_int_equal(st.rows_accepted, 1);
	assert_int_equal(count(&r, "dispute"), 1);
	assert_int_equal(count(&r, "charge"), 1);
	assert_int_equal(count(&r, "message"), 3);
	assert_int_equal(count(&r, "shipment"), 2);   /* the third has no number */

	d = find(&r, "dispute", "PP-D-4012");
	assert_field(d, "gateway=paypal");
	assert_field(d, "charge=3BC38643YC807283D");
	assert_field(d, "order=#1021");
	assert_field(d, "amount=9600");
	assert_field(d, "currency=USD");
	assert_field(d, "reason=not_as_described");
	assert_field(d, "gateway_reason=MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED");
	assert_field(d, "code=13.3");
	assert_field(d, "stage=CHARGEBACK");
	assert_field(d, "status=WAITING_FOR_SELLER_RESPONSE");
	assert_field(d, "open=1");
	assert_field(d, "opened=1554956280");
	assert_field(d, "updated=1555820348");
	assert_field(d, "due=1556236799");
	assert_field(d, "statement=The jacket is the wrong size. I paid with [card ending 1111], refund it.");

	c = find(&r, "charge", "3BC38643YC807283D");
	assert_field(c, "gateway=paypal");
	assert_field(c, "amount=19200");
	assert_field(c, "order=#1021");         /* invoice_number wins over custom */
	assert_field(c, "name=Lupe Justin");
	assert_field(c, "status=REVERSED");
	assert_field(c, "created=1554956218");

	m = find(&r, "message", "PP-D-4012:0");
	assert_field(m, "direction=customer");
	assert_field(m, "author=Lupe Justin");
	assert_field(m, "channel=paypal");
	assert_field(m, "dispute=PP-D-4012");
	assert_field(m, "order=#1021");
	assert_field(m, "sent=1554956284");
	assert_non_null(strstr(m, "[card ending 1111]"));
	m = find(&r, "message", "PP-D-4012:1");
	assert_field(m, "direction=merchant");
	assert_field(m, "author=Seller");
	assert_field(m, "attachments=size-chart.pdf, photo.jpg");
	m = find(&r, "message", "PP-D-4012:2");
	assert_field(m, "direction=merchant");
	assert_field(m, "author=PayPal arbiter");

	s = find(&r, "shipment", "1Z999AA10123456784");
	assert_field(s, "carrier=UPS");
	assert_field(s, "order=#1021");
	assert_field(s, "source=paypal");
	s = find(&r, "shipment", "RM123456785GB");
	assert_field(s, "carrier=Royal Mail");
	assert_no_pan(&r);
	rec_free(&r);
}

static void paypal_list_items(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *d;

	(void)state;
	run_ok(&r, "paypal-disputes", FIXTURE("paypal_list.json"), &st);
	assert_int_equal(r.n, 2);
	d = find(&r, "dispute", "PP-000-003-648-191");
	assert_field(d, "amount=5000");
	assert_field(d, "reason=not_received");
	assert_field(d, "open=1");
	assert_no_field(d, "charge");
	d = find(&r, "dispute", "PP-D-5000");
	assert_field(d, "amount=1500");
	assert_field(d, "currency=JPY");
	assert_field(d, "reason=fraud");
	assert_field(d, "stage=INQUIRY");
	assert_field(d, "open=0");
	rec_free(&r);
}

/* ---- EasyPost ---- */

static void easypost_delivered_tracker(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *s, *e;

	(void)state;
	run_ok(&r, "easypost", FIXTURE("easypost_tracker.json"), &st);
	assert_int_equal(count(&r, "shipment"), 1);
	assert_int_equal(count(&r, "event"), 4);
	assert_string_equal(r.lines[0], find(&r, "shipment", "9461200897846039483214"));
	s = r.lines[0];
	assert_field(s, "carrier=USPS");
	assert_field(s, "status=delivered");
	assert_field(s, "signed_by=John Tester");
	assert_field(s, "service=First-Class Package Service");
	assert_field(s, "shipped=1587664860");     /* the first in_transit scan, not pre_transit */
	assert_field(s, "delivered=1587799183");
	assert_field(s, "est=1590168523");
	assert_field(s, "source=easypost");
	e = r.lines[4];
	assert_field(e, "status=delivered");
	assert_field(e, "message=Delivered");
	assert_field(e, "city=CHARLESTON");
	assert_field(e, "postal=29407");
	assert_field(e, "offset=0");
	assert_field(r.lines[1], "status=pre_transit");
	rec_free(&r);
}

static void easypost_list_and_events(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *s;

	(void)state;
	run_ok(&r, "easypost", FIXTURE("easypost_list.json"), &st);
	s = find(&r, "shipment", "1Z999AA10123456784");
	assert_field(s, "shipped=1791065700");     /* earliest physical scan, out of order */
	assert_no_field(s, "delivered");
	assert_no_field(s, "signed_by");
	s = find(&r, "shipment", "9400100000000000000000");
	assert_field(s, "status=unknown");         /* EasyPost "error" */
	assert_no_field(s, "signed_by");           /* "Signature Not Required" */
	assert_no_field(s, "shipped");
	rec_free(&r);

	run_ok(&r, "easypost", FIXTURE("easypost_event.ndjson"), &st);
	assert_int_equal(st.rows_accepted, 1);
	assert_int_equal(st.rows_skipped, 1);
	s = find(&r, "shipment", "EZ4000000004");
	assert_field(s, "carrier=FedEx");
	assert_no_field(s, "shipped");             /* a label is not a shipment */
	assert_int_equal(count(&r, "event"), 1);
	rec_free(&r);
}

/* ---- AfterShip ---- */

static void aftership_signature_phrase_is_not_a_signer(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *s, *e;

	(void)state;
	run_ok(&r, "aftership", FIXTURE("aftership_tracking.json"), &st);
	assert_int_equal(count(&r, "shipment"), 1);
	assert_int_equal(count(&r, "event"), 3);
	s = find(&r, "shipment", "111111111111");
	assert_field(s, "carrier=fedex");
	assert_field(s, "status=delivered");
	assert_field(s, "order=#1015");            /* order_number over order_id */
	assert_field(s, "service=FedEx International Economy");
	assert_no_field(s, "signed_by");
	assert_field(s, "shipped=1532394131");     /* the pickup scan, not InfoReceived */
	assert_field(s, "delivered=1533143987");
	assert_field(s, "to.country=USA");
	assert_field(r.lines[1], "status=pre_transit");
	assert_field(r.lines[1], "offset=-300");
	assert_field(r.lines[1], "at=1532326899");
	assert_field(r.lines[2], "offset=480");
	assert_field(r.lines[2], "city=SHENZHEN");
	e = r.lines[3];
	assert_field(e, "status=delivered");
	assert_field(e, "offset=-240");
	assert_field(e, "city=Deal");
	assert_field(e, "postal=07723");
	assert_field(e, "country=United States");
	rec_free(&r);
}

static void aftership_list_real_signer_and_return(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *s;

	(void)state;
	run_ok(&r, "aftership", FIXTURE("aftership_list.json"), &st);
	assert_int_equal(st.rows_accepted, 2);
	s = find(&r, "shipment", "1Z999AA10123456784");
	assert_field(s, "signed_by=M. GARCIA");
	assert_field(s, "order=1002");
	assert_field(s, "delivered=1791397800");
	s = find(&r, "shipment", "9261290100130435082319");
	assert_field(s, "status=return_to_sender");
	assert_no_field(s, "signed_by");
	rec_free(&r);
}

/* ---- Zendesk ---- */

static void zendesk_bundle_with_users(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *t, *m;

	(void)state;
	run_ok(&r, "zendesk", FIXTURE("zendesk_ticket.json"), &st);
	assert_int_equal(count(&r, "ticket"), 1);
	assert_int_equal(count(&r, "message"), 3);
	t = find(&r, "ticket", "48001");
	assert_field(t, "email=huong@example.com");
	assert_field(t, "name=Nguyễn Thị Hương");
	assert_field(t, "order=#1018");             /* from the subject */
	assert_field(t, "channel=email");
	assert_field(t, "status=open");
	assert_field(t, "created=1792536929");

	m = find(&r, "message", "1274");
	assert_field(m, "direction=customer");
	assert_field(m, "author=Nguyễn Thị Hương");
	assert_field(m, "ticket=48001");
	assert_field(m, "order=#1018");
	assert_field(m, "email=huong@example.com");
	assert_field(m, "public=1");
	assert_field(m, "attachments=photo.jpg, label.jpg");
	assert_field(m, "body=Hi, the jacket is a size too small. My card is [card ending 1111] if you need it.");
	m = find(&r, "message", "1275");
	assert_field(m, "public=0");                /* internal note kept, marked */
	assert_field(m, "direction=merchant");
	assert_field(m, "author=Sam Agent");
	assert_field(m, "channel=web");
	m = find(&r, "message", "1276");
	assert_field(m, "public=1");
	assert_field(m, "direction=merchant");
	assert_no_pan(&r);
	rec_free(&r);
}

static void zendesk_order_from_tags_and_fields(void **state)
{
	struct cb_ingest_stats st;
	struct rec r = { 0 };
	const char *t, *m;

	(void)state;
	run_ok(&r, "zendesk", FIXTURE("zendesk_tickets.ndjson"), &st);
	assert_int_equal(st.rows_accepted, 3);
	t = find(&r, "ticket", "501");
	assert_field(t, "order=#1004");             /* tag order_1004 */
	assert_field(t, "name=Zoë Ångström");
	t = find(&r, "ticket", "502");
	assert_field(t, "order=#1009");             /* custom field */
	assert_no_field(t, "email");                /* requester not side-loaded */
	m = find(&r, "message", "10");
	assert_field(m, "direction=customer");      /* unknown user, but the requester */
	assert_field(m, "channel=chat");            /* the ticket's channel */
	t = find(&r, "ticket", "503");
	assert_field(t, "order=#1011");             /* "order no. 1011" in the subject */
	rec_free(&r);

	run_ok(&r, "zendesk", FIXTURE("zendesk_list.json"), &st);
	assert_int_equal(count(&r, "ticket"), 2);
	assert_int_equal(count(&r, "message"), 0);
	t = find(&r, "ticket", "35436");
	assert_field(t, "email=jane@example.com");
	assert_field(t, "order=#745");              /* a numeric custom field counts */
	t = find(&r, "ticket", "35437");
	assert_no_field(t, "order");                /* "#88" is too short for an order */
	rec_free(&r);
}

/* Run an importer over `text` as if it were a file named x.json. */
static void run_text(struct rec *r, const char *format, const char *text)
{
	const struct cb_ingest_format *f = cb_ingest_find(format);
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st = { 0 };
	struct cb_sink sink;

	assert_non_null(f);
	rec_sink(&sink, r);
	if (f->run("x.json", text, strlen(text), &sink, &st, &err))
		fail_msg("%s", err.msg);
}

static const char *signer_of(struct rec *r, const char *signed_by)
{
	char text[512];
	const char *p;

	rec_free(r);
	snprintf(text, sizeof(text),
		 "{\"object\":\"Tracker\",\"carrier\":\"USPS\",\"tracking_code\":\"T1\",\"signed_by\":\"%s\"}",
		 signed_by);
	run_text(r, "easypost", text);
	assert_int_equal(r->n, 1);
	p = strstr(r->lines[0], "|signed_by=");
	return p ? p + 11 : "";
}

static void signer_names_not_phrases(void **state)
{
	static const char *const phrases[] = {
		"Signature not required", "Signature Service not requested", "SIGNATURE ON FILE",
		"Release authorized", "N/A", "none", "Left at front door", "Mailbox", "...",
		"Indirect signature", "unknown", "Front Door", "Waived",
	};
	static const char *const names[] = {
		"John Tester", "M. GARCIA", "..KOSUTOKO", "Nguyễn Thị Hương", "P DOORLEY", "NANCY",
	};
	struct rec r = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (*signer_of(&r, phrases[i]))
			fail_msg("'%s' taken for a signer", phrases[i]);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(signer_of(&r, names[i]), names[i], strlen(names[i])))
			fail_msg("'%s' not taken for a signer", names[i]);
	rec_free(&r);
}

static void zendesk_subject_is_redacted_ids_are_not(void **state)
{
	struct rec r = { 0 };
	const char *t, *m;

	(void)state;
	run_text(&r, "zendesk",
		 "{\"ticket\":{\"id\":7,\"subject\":\"charged twice on 4111111111111111, "
		 "order 5823104476201\",\"external_id\":\"1Z999AA10123456784\"},"
		 "\"comments\":[{\"id\":70,\"author_id\":1,\"body\":\"tracking 1Z999AA10123456784, "
		 "order id 5823104476201, cvc 123\"}]}");
	t = find(&r, "ticket", "7");
	assert_field(t, "subject=charged twice on [card ending 1111], order 5823104476201");
	assert_field(t, "order=#5823104476201");
	m = find(&r, "message", "70");
	assert_field(m, "body=tracking 1Z999AA10123456784, order id 5823104476201, cvc [CVV redacted]");
	assert_field(m, "direction=merchant");      /* no users, not the requester */
	assert_no_pan(&r);
	rec_free(&r);
}

/* ---- errors ---- */

static void expect_error(const char *format, const char *text, const char *fragment)
{
	const struct cb_ingest_format *f = cb_ingest_find(format);
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st = { 0 };
	struct rec r = { 0 };
	struct cb_sink sink;

	assert_non_null(f);
	rec_sink(&sink, &r);
	assert_int_not_equal(f->run("x.json", text, strlen(text), &sink, &st, &err), 0);
	if (!strstr(err.msg, fragment))
		fail_msg("expected '%s' in '%s'", fragment, err.msg);
	rec_free(&r);
}

static void error_messages_name_path(void **state)
{
	(void)state;
	expect_error("stripe", "{\"object\":\"list\",\"data\":[{\"id\":\"dp_1\",\"object\":\"dispute\","
		     "\"amount\":100,\"currency\":\"usd\"},"
		     "{\"id\":\"dp_2\",\"object\":\"dispute\",\"amount\":1.5}]}",
		     "x.json: $.data[1].amount: expected an integer");
	expect_error("stripe", "{\"id\":\"dp_1\",\"object\":\"dispute\",\"currency\":\"zzz\"}",
		     "x.json: $.currency: unknown currency 'zzz'");
	expect_error("stripe", "{\"id\":\"dp_1\",\"object\":\"dispute\",\"created\":\"yesterday\"}",
		     "x.json: $.created: expected a Unix time");
	expect_error("stripe", "{\"id\":\"ch_1\",\"object\":\"charge\",\"payment_method_details\":"
		     "{\"card\":{\"exp_month\":\"08\"}}}",
		     "$.payment_method_details.card.exp_month: expected an integer");
	expect_error("stripe", "{\"id\":\"dp_1\",\"object\":\"dispute\",\"charge\":{\"object\":\"charge\"}}",
		     "x.json: $.charge.id: missing charge id");
	expect_error("stripe", "{\"a\":1}\n{\"b\":2}\n{\"c\":3,}\n",
		     "x.json:3: invalid JSON:");
	expect_error("stripe", "{\"object\":\"dispute\",\"id\":\"dp_1\",\"amount\":1,\"currency\":\"usd\"}\n\n{\"object\":\"dispute\",\"amount\":\"5\",\"id\":\"dp_2\"}\n",
		     "x.json:3: $.amount: expected an integer");
	expect_error("stripe", "{\"data\":[1]}", "not a Stripe object");
	expect_error("stripe", "{\"id\":\"dp_1\",\"object\":\"dispute\",\"currency\":\"usd\"}",
		     "x.json: $.amount: missing amount");
	expect_error("paypal-disputes", "{\"dispute_id\":\"PP-1\",\"status\":\"OPEN\"}",
		     "x.json: $.dispute_amount: missing amount");
	expect_error("stripe", "   \n", "x.json: no JSON data");
	expect_error("paypal-disputes", "{\"items\":[{\"dispute_id\":\"PP-1\",\"dispute_amount\":"
		     "{\"currency_code\":\"USD\",\"value\":\"abc\"}}]}",
		     "x.json: $.items[0].dispute_amount.value: 'abc' is not an amount");
	expect_error("paypal-disputes", "{\"items\":[{\"reason\":\"OTHER\"}]}",
		     "$.items[0].dispute_id: missing dispute id");
	expect_error("paypal-disputes", "{\"dispute_id\":\"PP-1\",\"create_time\":\"2019-02-30T00:00:00Z\"}",
		     "$.create_time: '2019-02-30T00:00:00Z' is not a date");
	expect_error("paypal-disputes", "{\"dispute_id\":\"PP-1\",\"dispute_amount\":{\"currency_code\":\"USD\","
		     "\"value\":\"1.00\"},\"messages\":[{\"posted_by\":\"BOT\"}]}",
		     "$.messages[0].posted_by: unknown author 'BOT'");
	expect_error("easypost", "{\"trackers\":[{\"object\":\"Tracker\",\"carrier\":\"UPS\"}]}",
		     "$.trackers[0].tracking_code: missing tracking code");
	expect_error("easypost", "{\"object\":\"Tracker\",\"carrier\":\"UPS\",\"tracking_code\":\"X1\",\"tracking_details\":"
		     "[{\"datetime\":\"soon\"}]}",
		     "$.tracking_details[0].datetime: 'soon' is not a date");
	expect_error("easypost", "{\"object\":\"Tracker\",\"tracking_code\":\"X1\"}",
		     "x.json: $.carrier: missing carrier");
	expect_error("aftership", "[{\"tracking_number\":\"X1\",\"slug\":\"\"}]",
		     "x.json: $[0].slug: missing carrier slug");
	expect_error("aftership", "{\"data\":{\"tracking\":{\"slug\":\"ups\"}}}",
		     "$.data.tracking.tracking_number: missing tracking number");
	expect_error("zendesk", "{\"ticket\":{\"subject\":\"x\"}}", "$.ticket.id: missing ticket id");
	expect_error("zendesk", "{\"comments\":[]}", "not a Zendesk export");
	/* a card number in the wrong field is not repeated by the message */
	expect_error("stripe", "{\"id\":\"ch_1\",\"object\":\"charge\",\"currency\":\"4111111111111111\"}",
		     "$.currency: unknown currency '[card ending 1111]'");
	expect_error("paypal-disputes", "{\"dispute_id\":\"PP-1\",\"create_time\":\"4111 1111 1111 1111\"}",
		     "$.create_time: '[card ending 1111]' is not a date");
	expect_error("stripe", "{\"a\" 4111111111111111}", "near '[card ending 1111]'");
}

static void sink_failure_names_the_record(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	struct rec r = { 0 };

	(void)state;
	r.fail_kind = K_CHARGE;
	assert_int_equal(run(&r, "stripe", FIXTURE("stripe_disputes_list.json"), &st, &err), CB_EDB);
	assert_string_equal(err.msg, FIXTURE("stripe_disputes_list.json")
			    ": $.data[0].charge: store refused the record");
	rec_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stripe_bare_dispute),
		cmocka_unit_test(stripe_list_with_expanded_charge),
		cmocka_unit_test(stripe_array_skips_other_objects),
		cmocka_unit_test(stripe_old_card_shapes_keep_last4_only),
		cmocka_unit_test(stripe_tracking_without_carrier_stays_on_charge),
		cmocka_unit_test(stripe_ndjson_charges_and_refunds),
		cmocka_unit_test(paypal_full_dispute),
		cmocka_unit_test(paypal_list_items),
		cmocka_unit_test(easypost_delivered_tracker),
		cmocka_unit_test(easypost_list_and_events),
		cmocka_unit_test(aftership_signature_phrase_is_not_a_signer),
		cmocka_unit_test(aftership_list_real_signer_and_return),
		cmocka_unit_test(zendesk_bundle_with_users),
		cmocka_unit_test(zendesk_order_from_tags_and_fields),
		cmocka_unit_test(signer_names_not_phrases),
		cmocka_unit_test(zendesk_subject_is_redacted_ids_are_not),
		cmocka_unit_test(error_messages_name_path),
		cmocka_unit_test(sink_failure_names_the_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
