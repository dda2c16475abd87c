/*
 * Unit tests: the evidence packet, assembled from an in-memory SQLite
 * database built from the compiled-in schema and filled with plain SQL, so
 * these tests do not depend on the store or the importers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/records.h"

extern const char cb_schema_sql[];

/*
 * A small merchant. Order #1001 is disputed as fraud; the same customer
 * bought before: #0901 and #0801 qualify for Visa CE 3.0, #0701 is too old,
 * #0951 too recent, #0851 was itself disputed, #1010 came after. #0999 is a
 * stranger. Order #1002 is disputed as not received and was delivered and
 * signed for; its conversation spans four channels, holds an internal note
 * and a card number the store should never have kept.
 */
static const char fixture_sql[] =
	"INSERT INTO orders (id, order_key, order_ref, external_id, email, customer_name, phone,"
	" created_at, financial_status, fulfillment_status, currency, total, ip, device_id,"
	" bill_line1, bill_city, bill_state, bill_postal, bill_country,"
	" ship_name, ship_line1, ship_city, ship_state, ship_postal, ship_country) VALUES"
	" (1, '1001', '#1001', '5823104476205', 'zoe@example.com', 'Zoë Ångström', '+1 843 555 0101',"
	"  unixepoch('2026-10-01 10:00:00'), 'paid', 'unfulfilled', 'USD', 123450,"
	"  '203.0.113.7', 'dev-7f3a9c2e81b44d10',"
	"  '12 Harbor View Rd', 'Charleston', 'SC', '29407', 'US',"
	"  'Zoë Ångström', '12  harbor view rd', 'Charleston', 'SC', '29407-1234', 'US'),"
	" (2, '0901', '#0901', NULL, 'ZOE@example.com', 'Zoë Ångström', NULL,"
	"  unixepoch('2026-05-01 09:00:00'), 'paid', 'fulfilled', 'USD', 4200, '203.0.113.7', NULL,"
	"  NULL, NULL, NULL, NULL, NULL, NULL, '9 Elm St', NULL, NULL, '10001', 'US'),"
	" (3, '0801', '#0801', NULL, 'zoe@example.com', NULL, NULL,"
	"  unixepoch('2026-02-01 09:00:00'), 'paid', 'fulfilled', 'USD', 5100, '198.51.100.3',"
	"  'dev-7f3a9c2e81b44d10', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (4, '0701', '#0701', NULL, 'zoe@example.com', NULL, NULL,"
	"  unixepoch('2025-08-01 09:00:00'), 'paid', 'fulfilled', 'USD', 3000, '203.0.113.7', NULL,"
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (5, '0951', '#0951', NULL, 'zoe@example.com', NULL, NULL,"
	"  unixepoch('2026-09-01 09:00:00'), 'paid', 'fulfilled', 'USD', 2500, '203.0.113.7', NULL,"
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (6, '0851', '#0851', NULL, 'zoe@example.com', NULL, NULL,"
	"  unixepoch('2026-03-01 09:00:00'), 'paid', 'fulfilled', 'USD', 6000, '203.0.113.7', NULL,"
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (7, '1010', '#1010', NULL, 'zoe@example.com', NULL, NULL,"
	"  unixepoch('2026-11-01 09:00:00'), 'paid', 'fulfilled', 'USD', 1000, '203.0.113.7', NULL,"
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (8, '0999', '#0999', NULL, 'other@example.org', NULL, NULL,"
	"  unixepoch('2026-04-01 09:00:00'), 'paid', 'fulfilled', 'USD', 1000, '192.0.2.1', NULL,"
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (9, '1002', '#1002', '4222222222222', 'jose@example.com', 'José Muñoz', NULL,"
	"  unixepoch('2026-10-02 12:00:00'), 'paid', 'fulfilled', 'USD', 8900, '192.0.2.44', NULL,"
	"  '4 King St', 'Charleston', 'SC', '29401', 'US',"
	"  'José Muñoz', '77 Rutledge Ave', 'Charleston', 'SC', '29407', 'US');"
	"INSERT INTO order_lines (order_id, line_no, name, sku, quantity, price) VALUES"
	" (1, 1, 'Linen Shirt', 'LS-M', 2, 45000), (1, 2, 'Canvas Tote', 'CT-1', 1, 33450),"
	" (9, 1, 'Wool Scarf', NULL, 1, 8900);"
	"INSERT INTO charges (id, gateway, gateway_id, order_id, email, amount, currency, created_at,"
	" status, card_brand, card_last4, card_fingerprint, avs_line1, avs_postal, cvc,"
	" three_ds_result, three_ds_version, three_ds_flow, risk_level, risk_score, ip,"
	" shipping_tracking) VALUES"
	" (1, 'stripe', 'ch_fraud', 1, 'zoe@example.com', 123450, 'USD',"
	"  unixepoch('2026-10-01 10:01:00'), 'succeeded', 'visa', '4242', 'fpA', 'pass', 'pass',"
	"  'pass', 'authenticated', '2.2.0', 'frictionless', 'normal', 12, '203.0.113.7', NULL),"
	" (2, 'stripe', 'ch_0901', 2, NULL, 4200, 'USD', unixepoch('2026-05-01 09:01:00'),"
	"  'succeeded', 'visa', '4242', 'fpA', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
	"  NULL),"
	" (3, 'stripe', 'ch_0801', 3, NULL, 5100, 'USD', unixepoch('2026-02-01 09:01:00'),"
	"  'succeeded', 'visa', '4242', 'fpA', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
	"  NULL),"
	" (4, 'stripe', 'ch_0701', 4, NULL, 3000, 'USD', unixepoch('2025-08-01 09:01:00'),"
	"  'succeeded', 'visa', '4242', 'fpA', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
	"  NULL),"
	" (5, 'stripe', 'ch_0851', 6, NULL, 6000, 'USD', unixepoch('2026-03-01 09:01:00'),"
	"  'succeeded', 'visa', '4242', 'fpA', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
	"  NULL),"
	" (6, 'stripe', 'ch_inr', 9, 'jose@example.com', 8900, 'USD',"
	"  unixepoch('2026-10-02 12:00:30'), 'succeeded', 'mastercard', '4444', 'fpB', 'fail',"
	"  'pass', 'unchecked', NULL, NULL, NULL, 'normal', 30, NULL, NULL);"
	"INSERT INTO disputes (id, gateway, gateway_id, charge_ref, charge_id, order_id, reason,"
	" gateway_reason, network_reason_code, amount, currency, status, is_open, opened_at, due_by)"
	" VALUES"
	" (1, 'stripe', 'dp_fraud', 'ch_fraud', 1, NULL, 'fraud', 'fraudulent', '10.4', 123450,"
	"  'USD', 'needs_response', 1, unixepoch('2026-11-10 08:00:00'),"
	"  unixepoch('2026-11-30 23:59:00')),"
	" (2, 'stripe', 'dp_old', 'ch_0851', 5, 6, 'fraud', 'fraudulent', '10.4', 6000, 'USD',"
	"  'lost', 0, unixepoch('2026-04-01 08:00:00'), NULL),"
	" (3, 'stripe', 'dp_inr', 'ch_inr', 6, 9, 'not_received', 'product_not_received', '13.1',"
	"  8900, 'USD', 'needs_response', 1, unixepoch('2026-10-20 08:00:00'),"
	"  unixepoch('2026-11-28 23:59:00')),"
	" (4, 'paypal', 'PP-77', NULL, NULL, NULL, 'fraud', 'UNAUTHORISED', NULL, 5000, 'USD',"
	"  'OPEN', 1, unixepoch('2026-11-01 08:00:00'), NULL);"
	"INSERT INTO shipments (id, carrier, carrier_key, tracking_number, order_ref, order_id,"
	" status, shipped_at, delivered_at, signed_by, to_postal) VALUES"
	" (1, 'UPS', 'ups', '1Z999AA10123456784', '#1002', 9, 'delivered',"
	"  unixepoch('2026-10-03 15:00:00'), NULL, 'J SMITH', '29407'),"
	" (2, 'USPS', 'usps', '9400111899223100001234', '#1002', 9, 'in_transit',"
	"  unixepoch('2026-10-04 15:00:00'), NULL, NULL, '29407');"
	"INSERT INTO tracking_events (shipment_id, occurred_at, utc_offset_min, status, message,"
	" city, state, postal, country) VALUES"
	" (1, unixepoch('2026-10-06 18:05:00'), -240, 'delivered', 'DELIVERED', 'CHARLESTON', 'SC',"
	"  '29407', 'US'),"
	" (1, unixepoch('2026-10-03 15:00:00'), -240, 'pre_transit', 'Label created', NULL, NULL,"
	"  NULL, NULL),"
	" (1, unixepoch('2026-10-04 02:00:00'), -240, 'in_transit', 'Departed facility', 'ATLANTA',"
	"  'GA', NULL, 'US');"
	"INSERT INTO tickets (source, ticket_id, subject, order_ref, order_id) VALUES"
	" ('zendesk', '88', 'Where is my order #1002?', '#1002', 9);"
	"INSERT INTO messages (source, source_id, ticket_id, order_ref, order_id, dispute_ref,"
	" channel, direction, author, sent_at, body, is_public) VALUES"
	" ('zendesk', 'c2', '88', NULL, 9, NULL, 'email', 'merchant', 'Ana',"
	"  unixepoch('2026-10-10 11:00:00'), 'It shows delivered: UPS 1Z999AA10123456784.', 1),"
	" ('zendesk', 'c1', '88', NULL, 9, NULL, 'email', 'customer', 'José Muñoz',"
	"  unixepoch('2026-10-10 09:00:00'), 'Has my scarf shipped?', 1),"
	" ('zendesk', 'c3', '88', NULL, 9, NULL, 'email', 'merchant', 'Ana',"
	"  unixepoch('2026-10-10 12:00:00'), 'internal: customer seems fine', 0),"
	" ('chat', 'm1', NULL, '#1002', 9, NULL, 'chat', 'customer', 'José Muñoz',"
	"  unixepoch('2026-10-09 20:00:00'),"
	"  'Can you charge 4111 1111 1111 1111 again? order 5823104476205', 1),"
	" ('instagram', 'ig1', NULL, '1002', 9, NULL, 'instagram', 'customer', 'jose.m',"
	"  unixepoch('2026-10-12 08:00:00'), 'Got it, thanks!', 1),"
	" ('paypal', 'pp1', NULL, NULL, 9, 'dp_inr', 'paypal', 'customer', NULL,"
	"  unixepoch('2026-10-21 08:00:00'), 'I never got it', 1),"
	" ('chat', 'm9', NULL, '#0999', 8, NULL, 'chat', 'customer', 'Someone else',"
	"  unixepoch('2026-10-09 21:00:00'), 'not about this order', 1),"
	" ('paypal', 'pp7', NULL, NULL, NULL, 'PP-77', 'paypal', 'customer', NULL,"
	"  unixepoch('2026-11-02 08:00:00'), 'Who are you?', 1);"
	"INSERT INTO attachments (owner_kind, owner_ref, order_id, dispute_id, kind, path, sha256, media_type,"
	" size, original_name) VALUES"
	" ('order', '1001', 1, NULL, 'receipt', 'ab/ab12.png', 'ab12', 'image/png', 2048, 'receipt.png'),"
	" ('dispute', 'stripe:dp_inr', NULL, 3, 'pod', 'cd/cd34.jpg', 'cd34', 'image/jpeg', 4096, 'door.jpg');"
	"INSERT INTO policies (kind, title, body, disclosure) VALUES"
	" ('refund', 'Refunds', 'Returns accepted within 30 days.', 'Shown at checkout'),"
	" ('cancellation', 'Cancellations', 'Cancel before shipping.', NULL);";

static int setup(void **state)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	if (sqlite3_exec(db, cb_schema_sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, fixture_sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("fixture: %s\n", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

static struct cb_packet *load(sqlite3 *db, const char *ref)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_packet *p = NULL;
	int64_t rowid = 0;

	if (cb_evidence_find_db(&rowid, db, ref, &err) < 0 ||
	    cb_evidence_load_db(&p, db, "/srv/cb.db.files", rowid, &err) < 0)
		fail_msg("loading '%s': %s", ref, err.msg);
	return p;
}

/* The value of `key` as a string the caller frees. */
static char *value(const struct cb_packet *p, const char *key)
{
	struct cb_buf b = CB_BUF_INIT;

	assert_int_equal(cb_packet_value(p, key, &b), 0);
	cb_buf_adds(&b, "");
	return cb_buf_detach(&b);
}

static void assert_value(const struct cb_packet *p, const char *key, const char *want)
{
	char *got = value(p, key);

	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", key, got, want);
	free(got);
}

static const struct cb_pk_prior *prior(const struct cb_packet *p, const char *ref)
{
	size_t i;

	for (i = 0; i < p->n_priors; i++)
		if (p->priors[i].order_ref && !strcmp(p->priors[i].order_ref, ref))
			return &p->priors[i];
	return NULL;
}

static void fraud_packet_has_ce3_priors(void **state)
{
	struct cb_packet *p = load(*state, "dp_fraud");
	const struct cb_pk_prior *r;

	assert_true(p->has_charge);
	assert_true(p->has_order);  /* through the charge's order link */
	assert_string_equal(p->order.order_ref, "#1001");
	assert_int_equal(p->reason, CB_REASON_FRAUD);
	/* #0701 too old, #0951 too recent, #0851 disputed: only two qualify. */
	assert_int_equal(p->facts.ce3_prior_matches, 2);
	assert_int_equal(p->n_priors, 5);
	assert_string_equal(p->priors[0].order_ref, "#0951");
	assert_string_equal(p->priors[4].order_ref, "#0701");
	assert_null(prior(p, "#1010"));
	assert_null(prior(p, "#0999"));
	r = prior(p, "#0901");
	assert_non_null(r);
	assert_true(r->ce3);
	assert_string_equal(r->matched_on, "card, email, ip");
	assert_string_equal(r->charge_id, "ch_0901");
	r = prior(p, "#0801");
	assert_true(r->ce3);
	assert_string_equal(r->matched_on, "card, email, device");
	r = prior(p, "#0851");
	assert_true(r->disputed);
	assert_false(r->ce3);
	assert_false(prior(p, "#0701")->ce3);
	assert_true(prior(p, "#0701")->days_before > 365);
	assert_false(prior(p, "#0951")->ce3);
	assert_true(cb_packet_has(p, "prior_orders"));
	cb_packet_free(p);
}

static void fraud_packet_facts(void **state)
{
	struct cb_packet *p = load(*state, "stripe:dp_fraud");

	assert_int_equal(p->facts.avs_line1_ok, 1);
	assert_int_equal(p->facts.avs_postal_ok, 1);
	assert_int_equal(p->facts.cvc_ok, 1);
	assert_int_equal(p->facts.three_ds_ok, 1);
	/* "12 Harbor View Rd" 29407 vs "12  harbor view rd" 29407-1234 */
	assert_int_equal(p->facts.billing_matches_shipping, 1);
	assert_int_equal(p->facts.days_order_to_dispute, 39);
	assert_string_equal(p->facts.purchase_ip, "203.0.113.7");
	assert_int_equal(p->facts.delivered_before_dispute, -1);
	assert_int_equal(p->facts.delivered_at, CB_NO_TIME);
	assert_true(cb_packet_has(p, "three_ds"));
	assert_true(cb_packet_has(p, "avs_cvc"));
	assert_true(cb_packet_has(p, "customer_ip"));
	assert_true(cb_packet_has(p, "receipt"));
	assert_false(cb_packet_has(p, "delivery"));
	assert_false(cb_packet_has(p, "communication"));
	assert_string_equal(p->customer_name, "Zoë Ångström");
	assert_string_equal(p->order.external_id, "5823104476205");
	cb_packet_free(p);
}

static void not_received_delivered(void **state)
{
	struct cb_packet *p = load(*state, "dp_inr");
	const struct cb_pk_shipment *s;

	assert_int_equal(p->reason, CB_REASON_NOT_RECEIVED);
	assert_int_equal(p->n_shipments, 2);
	s = &p->shipments[0];
	assert_string_equal(s->tracking_number, "1Z999AA10123456784");
	assert_int_equal(s->n_events, 3);
	assert_string_equal(s->events[0].status, "pre_transit");
	assert_string_equal(s->events[1].location, "ATLANTA, GA");
	assert_string_equal(s->events[2].location, "CHARLESTON, SC 29407");
	assert_true(s->events[2].is_delivered);
	assert_false(s->events[1].is_delivered);
	/* No delivered_at column: the delivery scan supplies it. */
	assert_int_equal(s->delivered_at, s->events[2].occurred_at);
	assert_int_equal(p->facts.delivered_at, s->events[2].occurred_at);
	assert_int_equal(p->facts.delivered_before_dispute, 1);
	assert_int_equal(p->facts.delivered_to_order_address, 1);
	assert_int_equal(p->facts.billing_matches_shipping, 0);
	assert_int_equal(p->facts.avs_line1_ok, 0);
	assert_int_equal(p->facts.cvc_ok, -1);
	assert_int_equal(p->facts.three_ds_ok, -1);
	assert_true(cb_packet_has(p, "shipping"));
	assert_true(cb_packet_has(p, "tracking"));
	assert_true(cb_packet_has(p, "delivery"));
	assert_true(cb_packet_has(p, "signature"));
	assert_true(cb_packet_has(p, "delivery_photo"));
	assert_false(cb_packet_has(p, "three_ds"));
	assert_false(cb_packet_has(p, "no_such_kind"));
	assert_int_equal(p->n_attachments, 1);
	assert_string_equal(p->attachments[0].path, "/srv/cb.db.files/cd/cd34.jpg");
	cb_packet_free(p);
}

static void messages_merge_channels_in_time_order(void **state)
{
	struct cb_packet *p = load(*state, "dp_inr");
	static const char *const channels[] = { "chat", "email", "email", "instagram", "paypal" };
	size_t i;

	assert_int_equal(p->n_messages, 5);
	for (i = 0; i < p->n_messages; i++) {
		assert_string_equal(p->messages[i].channel, channels[i]);
		if (i)
			assert_true(p->messages[i - 1].sent_at <= p->messages[i].sent_at);
		assert_null(strstr(p->messages[i].body, "internal"));
	}
	assert_string_equal(p->messages[1].direction, "customer");
	assert_string_equal(p->messages[1].subject, "Where is my order #1002?");
	assert_null(p->messages[0].subject);
	assert_string_equal(p->messages[4].body, "I never got it");
	cb_packet_free(p);
}

static void dispute_without_order_keeps_its_messages(void **state)
{
	struct cb_packet *p = load(*state, "paypal:PP-77");

	assert_false(p->has_order);
	assert_false(p->has_charge);
	assert_int_equal(p->n_messages, 1);
	assert_string_equal(p->messages[0].body, "Who are you?");
	assert_int_equal(p->n_priors, 0);
	assert_int_equal(p->facts.ce3_prior_matches, 0);
	assert_value(p, "order.number", "");
	assert_value(p, "card.last4", "");
	assert_value(p, "dispute.due_by", "");
	assert_false(cb_packet_has(p, "receipt"));
	cb_packet_free(p);
}

static void text_is_nfc(void **state)
{
	sqlite3 *db = *state;
	struct cb_packet *p;

	/* "José" with a combining acute accent, as some exports write it. */
	assert_int_equal(sqlite3_exec(db, "UPDATE orders SET customer_name = 'Jose' || char(769)"
				      " WHERE id = 9", NULL, NULL, NULL), SQLITE_OK);
	p = load(db, "dp_inr");
	assert_string_equal(p->customer_name, "Jos\xC3\xA9");
	cb_packet_free(p);
	sqlite3_exec(db, "UPDATE orders SET customer_name = 'José Muñoz' WHERE id = 9",
		     NULL, NULL, NULL);
}

static void card_number_in_store_is_masked(void **state)
{
	struct cb_packet *p = load(*state, "dp_inr");
	const char *body = p->messages[0].body;

	assert_non_null(strstr(body, "[card ending 1111]"));
	assert_null(strstr(body, "4111 1111"));
	/* A Luhn-valid Shopify id in the same text is not a card number. */
	assert_non_null(strstr(body, "5823104476205"));
	assert_true(p->redactions >= 1);
	cb_packet_free(p);
}

static void identifiers_untouched(void **state)
{
	struct cb_packet *p = load(*state, "dp_inr");

	/* A 13-digit Luhn-valid Visa-shaped id: masked in text, kept as an identifier. */
	assert_string_equal(p->order.external_id, "4222222222222");
	assert_string_equal(p->shipments[0].tracking_number, "1Z999AA10123456784");
	assert_non_null(strstr(p->messages[2].body, "1Z999AA10123456784"));
	assert_string_equal(p->charge.card_last4, "4444");
	assert_string_equal(p->dispute_id, "dp_inr");
	assert_string_equal(p->charge.gateway_id, "ch_inr");
	cb_packet_free(p);
}

static void template_values(void **state)
{
	struct cb_packet *p = load(*state, "dp_fraud");
	struct cb_buf b = CB_BUF_INIT;

	assert_value(p, "dispute.id", "dp_fraud");
	assert_value(p, "dispute.gateway", "stripe");
	assert_value(p, "dispute.reason", "fraud");
	assert_value(p, "dispute.reason_label", "Fraudulent / unrecognized");
	assert_value(p, "dispute.network_code", "10.4");
	assert_value(p, "dispute.amount", "1,234.50 USD");
	assert_value(p, "dispute.due_by", "2026-11-30 23:59 UTC");
	assert_value(p, "order.number", "#1001");
	assert_value(p, "order.date", "2026-10-01");
	assert_value(p, "order.total", "1,234.50 USD");
	assert_value(p, "order.items", "2 \xC3\x97 Linen Shirt (LS-M)\n1 \xC3\x97 Canvas Tote (CT-1)");
	assert_value(p, "order.status", "paid, unfulfilled");
	assert_value(p, "product.description", "Linen Shirt, Canvas Tote");
	assert_value(p, "billing.address", "12 Harbor View Rd, Charleston, SC 29407, US");
	assert_value(p, "card.brand", "visa");
	assert_value(p, "card.last4", "4242");
	assert_value(p, "payment.avs", "line1 pass, postal pass");
	assert_value(p, "payment.cvc", "pass");
	assert_value(p, "payment.three_ds", "authenticated (2.2.0, frictionless)");
	assert_value(p, "payment.risk", "normal (score 12)");
	assert_value(p, "customer.ip", "203.0.113.7");
	assert_value(p, "customer.email", "zoe@example.com");
	assert_value(p, "priors.count", "5");
	assert_value(p, "priors.ce3_count", "2");
	assert_value(p, "policy.refund", "Returns accepted within 30 days.");
	assert_value(p, "policy.refund_disclosure", "Shown at checkout");
	/* Known keys with nothing to say append nothing. */
	assert_value(p, "refund.id", "");
	assert_value(p, "shipping.tracking_numbers", "");
	assert_value(p, "messages.count", "");
	assert_value(p, "policy.shipping", "");
	/* Appending never touches what the buffer held before. */
	cb_buf_adds(&b, "x");
	assert_int_equal(cb_packet_value(p, "card.last4", &b), 0);
	assert_string_equal(cb_buf_cstr(&b), "x4242");
	cb_buf_release(&b);
	cb_packet_free(p);

	p = load(*state, "dp_inr");
	assert_value(p, "shipping.tracking_numbers", "1Z999AA10123456784, 9400111899223100001234");
	assert_value(p, "shipping.carrier", "UPS, USPS");
	assert_value(p, "shipping.date", "2026-10-03");
	assert_value(p, "shipping.delivered_at", "2026-10-06 18:05 UTC");
	assert_value(p, "shipping.signed_by", "J SMITH");
	assert_value(p, "shipping.delivery_location", "CHARLESTON, SC 29407");
	assert_value(p, "messages.count", "5");
	assert_value(p, "messages.first_customer_at", "2026-10-09 20:00 UTC");
	assert_value(p, "order.items", "1 \xC3\x97 Wool Scarf");
	assert_value(p, "payment.avs", "line1 fail, postal pass");
	cb_packet_free(p);
}

static void facts_summary_reads_plainly(void **state)
{
	struct cb_packet *p = load(*state, "dp_fraud");
	char *s = value(p, "facts.summary");

	assert_non_null(strstr(s, "Order #1001 was placed on 2026-10-01 10:00 UTC from IP address "
			       "203.0.113.7."));
	assert_non_null(strstr(s, "passed 3-D Secure authentication (authenticated, 2.2.0, "
			       "frictionless)."));
	assert_non_null(strstr(s, "2 earlier undisputed purchases on the same card"));
	assert_non_null(strstr(s, "billing and shipping addresses are the same"));
	free(s);
	cb_packet_free(p);

	p = load(*state, "dp_inr");
	s = value(p, "facts.summary");
	assert_non_null(strstr(s, "delivered on 2026-10-06 18:05 UTC by UPS"));
	assert_non_null(strstr(s, "before the dispute was opened on 2026-10-20"));
	assert_non_null(strstr(s, "signed for by J SMITH"));
	/* A failed AVS line check is not claimed. */
	assert_null(strstr(s, "street address"));
	free(s);
	cb_packet_free(p);
}

static void unknown_key_is_not_found(void **state)
{
	struct cb_packet *p = load(*state, "dp_fraud");
	struct cb_buf b = CB_BUF_INIT;
	const char *const *k;
	size_t n = 0;

	assert_int_equal(cb_packet_value(p, "order.nope", &b), CB_ENOTFOUND);
	assert_int_equal(cb_packet_value(p, "", &b), CB_ENOTFOUND);
	assert_int_equal(b.len, 0);
	for (k = cb_packet_keys(); *k; k++, n++)
		assert_int_equal(cb_packet_value(p, *k, &b), 0);
	assert_true(n >= 45);
	cb_buf_release(&b);
	cb_packet_free(p);
}

static void digest_stable_and_sensitive(void **state)
{
	sqlite3 *db = *state;
	struct cb_packet *p;
	char d1[65], d2[65], d3[65], d4[65];

	p = load(db, "dp_inr");
	cb_packet_digest(p, d1);
	cb_packet_free(p);
	p = load(db, "dp_inr");
	cb_packet_digest(p, d2);
	cb_packet_free(p);
	assert_string_equal(d1, d2);
	assert_int_equal(strlen(d1), 64);

	assert_int_equal(sqlite3_exec(db, "UPDATE messages SET body = 'Got it, thanks!!'"
				      " WHERE source_id = 'ig1'", NULL, NULL, NULL), SQLITE_OK);
	p = load(db, "dp_inr");
	cb_packet_digest(p, d3);
	cb_packet_free(p);
	assert_string_not_equal(d1, d3);

	assert_int_equal(sqlite3_exec(db, "UPDATE attachments SET sha256 = 'cd35'"
				      " WHERE sha256 = 'cd34'", NULL, NULL, NULL), SQLITE_OK);
	p = load(db, "dp_inr");
	cb_packet_digest(p, d4);
	cb_packet_free(p);
	assert_string_not_equal(d3, d4);
	sqlite3_exec(db, "UPDATE messages SET body = 'Got it, thanks!' WHERE source_id = 'ig1';"
		     "UPDATE attachments SET sha256 = 'cd34' WHERE sha256 = 'cd35'",
		     NULL, NULL, NULL);
}

static const char **missing(const struct cb_packet *p, const char **out, size_t max)
{
	const char *const *k;
	size_t n = 0;

	for (k = cb_evidence_default_required(p->reason); *k && n < max; k++)
		if (!cb_packet_has(p, *k))
			out[n++] = *k;
	out[n] = NULL;
	return out;
}

static void missing_kinds_for_reason(void **state)
{
	struct cb_packet *p;
	const char *m[32];

	p = load(*state, "dp_fraud");
	missing(p, m, 30);
	assert_string_equal(m[0], "delivery");
	assert_string_equal(m[1], "communication");
	assert_null(m[2]);
	cb_packet_free(p);

	p = load(*state, "dp_inr");
	missing(p, m, 30);
	assert_string_equal(m[0], "shipping_policy");
	assert_null(m[1]);
	cb_packet_free(p);
}

static void kinds_are_listed_and_labelled(void **state)
{
	const char *const *k;
	int r;
	size_t n = 0;

	(void)state;
	for (k = cb_evidence_kinds(); *k; k++, n++)
		assert_non_null(cb_evidence_kind_label(*k));
	assert_int_equal(n, 19);
	for (r = 0; r < CB_REASON_COUNT; r++)
		for (k = cb_evidence_default_required((enum cb_reason)r); *k; k++)
			assert_non_null(cb_evidence_kind_label(*k));
	assert_null(cb_evidence_kind_label("nope"));
}

/* docs/template-keys.md is the layout writer's reference: it must name every key. */
static void every_key_is_documented(void **state)
{
	FILE *f = fopen("docs/template-keys.md", "r");
	struct cb_buf doc = CB_BUF_INIT, quoted = CB_BUF_INIT;
	const char *const *k;
	char chunk[4096];
	size_t n;

	(void)state;
	if (!f)
		fail_msg("cannot open docs/template-keys.md (run from the top of the tree)");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cb_buf_add(&doc, chunk, n);
	fclose(f);
	for (k = cb_packet_keys(); *k; k++) {
		cb_buf_reset(&quoted);
		cb_buf_addf(&quoted, "| `%s` |", *k);
		if (!strstr(cb_buf_cstr(&doc), cb_buf_cstr(&quoted)))
			fail_msg("key '%s' is not in docs/template-keys.md", *k);
	}
	cb_buf_release(&quoted);
	cb_buf_release(&doc);
}

/* Loading inside the caller's transaction neither commits nor ends it. */
static void caller_transaction_left_open(void **state)
{
	sqlite3 *db = *state;
	struct cb_packet *p;

	assert_int_equal(sqlite3_exec(db, "BEGIN; UPDATE policies SET title = 'X'"
				      " WHERE kind = 'refund'", NULL, NULL, NULL), SQLITE_OK);
	p = load(db, "dp_fraud");
	assert_string_equal(p->policies[1].title, "X");
	cb_packet_free(p);
	assert_int_equal(sqlite3_get_autocommit(db), 0);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	p = load(db, "dp_fraud");
	assert_string_equal(p->policies[1].title, "Refunds");
	assert_int_equal(sqlite3_get_autocommit(db), 1);
	cb_packet_free(p);
}

static void unknown_dispute_is_not_found(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_packet *p = NULL;
	int64_t rowid;

	assert_int_equal(cb_evidence_find_db(&rowid, *state, "dp_nope", &err), CB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "'dp_nope'"));
	assert_int_equal(cb_evidence_find_db(&rowid, *state, "paypal:dp_fraud", &err),
			 CB_ENOTFOUND);
	assert_int_equal(cb_evidence_load_db(&p, *state, NULL, 999, &err), CB_ENOTFOUND);
	assert_null(p);
	cb_packet_free(NULL);
}

static void digest_of(const struct cb_packet *p, char out[65])
{
	assert_non_null(p);
	cb_packet_digest(p, out);
}

/* A reader's kept statements give the same packets as fresh ones, see new
 * data, survive a failed load, and leave no transaction open. */
static void reader_matches_one_shot_loads(void **state)
{
	static const char *const refs[] = { "dp_fraud", "dp_inr", "dp_fraud", "dp_old" };
	struct cb_evidence_reader *rd = cb_evidence_reader_new(*state, "/srv/cb.db.files");
	struct cb_error err = CB_ERROR_INIT;
	struct cb_packet *a, *b = NULL;
	char da[65], db_[65];
	int64_t rowid;
	size_t i;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		a = load(*state, refs[i]);
		assert_int_equal(cb_evidence_find_db(&rowid, *state, refs[i], &err), 0);
		assert_int_equal(cb_evidence_reader_load(rd, rowid, &b, &err), 0);
		digest_of(a, da);
		digest_of(b, db_);
		assert_string_equal(da, db_);
		assert_string_equal(b->dispute_id, refs[i]);
		assert_int_equal(b->n_messages, a->n_messages);
		assert_int_equal(b->n_priors, a->n_priors);
		cb_packet_free(a);
		cb_packet_free(b);
		b = NULL;
	}
	assert_int_equal(cb_evidence_reader_load(rd, 999, &b, &err), CB_ENOTFOUND);
	assert_null(b);
	assert_int_equal(sqlite3_exec(*state, "UPDATE policies SET title = 'Y'"
				      " WHERE kind = 'refund'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_evidence_find_db(&rowid, *state, "dp_fraud", &err), 0);
	assert_int_equal(cb_evidence_reader_load(rd, rowid, &b, &err), 0);
	assert_string_equal(b->policies[1].title, "Y");
	assert_int_equal(sqlite3_get_autocommit(*state), 1);
	cb_packet_free(b);
	sqlite3_exec(*state, "UPDATE policies SET title = 'Refunds' WHERE kind = 'refund'",
		     NULL, NULL, NULL);
	cb_evidence_reader_free(rd);
	cb_evidence_reader_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fraud_packet_has_ce3_priors),
		cmocka_unit_test(fraud_packet_facts),
		cmocka_unit_test(not_received_delivered),
		cmocka_unit_test(messages_merge_channels_in_time_order),
		cmocka_unit_test(dispute_without_order_keeps_its_messages),
		cmocka_unit_test(text_is_nfc),
		cmocka_unit_test(card_number_in_store_is_masked),
		cmocka_unit_test(identifiers_untouched),
		cmocka_unit_test(template_values),
		cmocka_unit_test(facts_summary_reads_plainly),
		cmocka_unit_test(unknown_key_is_not_found),
		cmocka_unit_test(digest_stable_and_sensitive),
		cmocka_unit_test(missing_kinds_for_reason),
		cmocka_unit_test(kinds_are_listed_and_labelled),
		cmocka_unit_test(every_key_is_documented),
		cmocka_unit_test(caller_transaction_left_open),
		cmocka_unit_test(unknown_dispute_is_not_found),
		cmocka_unit_test(reader_matches_one_shot_loads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
