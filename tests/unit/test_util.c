/* Unit tests: money, time, UTF-8, card masking, reasons, hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <utf8proc.h>

#include "cbpack/buf.h"
#include "cbpack/chan.h"
#include "cbpack/error.h"
#include "cbpack/hash.h"
#include "cbpack/money.h"
#include "cbpack/reason.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"

static void money_parses_major_units(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	int64_t v;

	(void)state;
	assert_int_equal(cb_money_parse(&v, "96.00", "USD", &err), 0);
	assert_int_equal(v, 9600);
	assert_int_equal(cb_money_parse(&v, "0.5", "usd", &err), 0);
	assert_int_equal(v, 50);
	assert_int_equal(cb_money_parse(&v, "$1,234.56", "USD", &err), 0);
	assert_int_equal(v, 123456);
	assert_int_equal(cb_money_parse(&v, "-12", "EUR", &err), 0);
	assert_int_equal(v, -1200);
	assert_int_equal(cb_money_parse(&v, "1500", "JPY", &err), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(cb_money_parse(&v, "1.234", "KWD", &err), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(cb_money_parse(&v, "40.000", "USD", &err), 0);
	assert_int_equal(v, 4000);
}

static void money_refuses_garbage(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	int64_t v;

	(void)state;
	assert_int_equal(cb_money_parse(&v, "abc", "USD", &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "'abc' is not an amount"));
	assert_int_equal(cb_money_parse(&v, "1.234", "USD", &err), CB_EPARSE);
	assert_int_equal(cb_money_parse(&v, "1e5", "USD", &err), CB_EPARSE);
	assert_int_equal(cb_money_parse(&v, "", "USD", &err), CB_EPARSE);
	assert_int_equal(cb_money_parse(&v, "12.00", "XYZ", &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "unknown currency 'XYZ'"));
	assert_int_equal(cb_money_parse(&v, "99999999999999999999", "USD", &err), CB_EPARSE);
}

static void currency_lookup_covers_the_table(void **state)
{
	(void)state;
	assert_int_equal(cb_currency_exponent("AED"), 2);   /* first */
	assert_int_equal(cb_currency_exponent("ZWL"), 2);   /* last */
	assert_int_equal(cb_currency_exponent("usd"), 2);
	assert_int_equal(cb_currency_exponent("Jpy"), 0);
	assert_int_equal(cb_currency_exponent("KWD"), 3);
	assert_int_equal(cb_currency_exponent("XYZ"), -1);
	assert_int_equal(cb_currency_exponent("US"), -1);
	assert_int_equal(cb_currency_exponent(NULL), -1);
}

static void money_formats(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(cb_money_format(b, sizeof(b), 123456, "USD"), "1,234.56 USD");
	assert_string_equal(cb_money_format(b, sizeof(b), -5, "USD"), "-0.05 USD");
	assert_string_equal(cb_money_format(b, sizeof(b), 1500, "JPY"), "1,500 JPY");
}

static void time_parses_export_shapes(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	int64_t t;
	int off;

	(void)state;
	assert_int_equal(cb_time_parse(&t, &off, "2019-04-11T04:18:00.000Z", &err), 0);
	assert_int_equal(t, 1554956280);
	assert_int_equal(cb_time_parse(&t, &off, "2018-07-23T01:21:39-05:00", &err), 0);
	assert_int_equal(t, 1532326899);
	assert_int_equal(off, -300);
	assert_int_equal(cb_time_parse(&t, &off, "2026-06-08 22:55:29 +1000", &err), 0);
	assert_int_equal(t, 1780923329);
	assert_int_equal(off, 600);
	assert_int_equal(cb_time_parse(&t, NULL, "2024-09-20 17:04:30", &err), 0);
	assert_int_equal(t, 1726851870);
	assert_int_equal(cb_time_parse(&t, NULL, "1723679999", &err), 0);
	assert_int_equal(t, 1723679999);
	assert_int_equal(cb_time_parse(&t, NULL, "2024-02-29", &err), 0);
	assert_int_equal(cb_time_parse(&t, NULL, "2023-02-29", &err), CB_EPARSE);
	assert_int_equal(cb_time_parse(&t, NULL, "2023-13-01", &err), CB_EPARSE);
	assert_int_equal(cb_time_parse(&t, NULL, "yesterday", &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "'yesterday' is not a date"));
}

static void time_formats(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(cb_time_format(b, sizeof(b), 1554956280, 0), "2019-04-11 04:18 UTC");
	assert_string_equal(cb_time_format(b, sizeof(b), 1532326899, -300),
			    "2018-07-23 01:21 UTC-05:00");
	assert_string_equal(cb_time_iso(b, sizeof(b), 1554956280), "2019-04-11T04:18:00Z");
	assert_string_equal(cb_time_left(b, sizeof(b), 1000 + 3 * 86400 + 5, 1000), "in 3 days");
	assert_string_equal(cb_time_left(b, sizeof(b), 1000 + 7200, 1000), "in 2 hours");
	assert_string_equal(cb_time_left(b, sizeof(b), 1000 - 86400 * 2, 1000), "overdue by 2 days");
	assert_string_equal(cb_time_left(b, sizeof(b), 1060, 1000), "in 1 minute");
	assert_string_equal(cb_time_left(b, sizeof(b), INT64_MIN, 1000), "no deadline");
}

static void check_redact(const char *in, const char *want, size_t want_n)
{
	struct cb_buf b = CB_BUF_INIT;
	size_t n = cb_redact_text(&b, in);

	assert_string_equal(cb_buf_cstr(&b), want);
	assert_int_equal(n, want_n);
	cb_buf_release(&b);
}

static void redact_masks_cards_in_text(void **state)
{
	(void)state;
	check_redact("my card is 4111 1111 1111 1111 ok", "my card is [card ending 1111] ok", 1);
	check_redact("4111-1111-1111-1111", "[card ending 1111]", 1);
	check_redact("amex 378282246310005.", "amex [card ending 0005].", 1);
	check_redact("card 5555555555554444 exp 12/27 cvv 123",
		     "card [card ending 4444] exp 12/27 cvv [CVV redacted]", 2);
	check_redact("4111 1111 1111 1111 2026", "[card ending 1111] 2026", 1);
	check_redact("ssn 123-45-6789", "ssn [SSN redacted]", 1);
	check_redact("security code: 9876", "security code: [CVV redacted]", 1);
}

static void redact_keeps_identifiers(void **state)
{
	(void)state;
	/* Luhn-valid or long digit runs that are not card numbers. */
	check_redact("order 5823104476201", "order 5823104476201", 0);
	check_redact("ref c5823104476201.1", "ref c5823104476201.1", 0);
	check_redact("UPS 1Z999AA10123456784", "UPS 1Z999AA10123456784", 0);
	check_redact("USPS 9400111899223197428490", "USPS 9400111899223197428490", 0);
	check_redact("41111111111111112", "41111111111111112", 0);
	check_redact("x4111111111111111", "x4111111111111111", 0);
	check_redact("ssn 000-12-3456 and 666-12-3456", "ssn 000-12-3456 and 666-12-3456", 0);
	check_redact("room 123", "room 123", 0);
	check_redact("", "", 0);
}

static void card_fields_keep_last4(void **state)
{
	char l4[5];

	(void)state;
	cb_card_last4(l4, "4242424242424242");
	assert_string_equal(l4, "4242");
	cb_card_last4(l4, "**** **** **** 1881");
	assert_string_equal(l4, "1881");
	cb_card_last4(l4, "42");
	assert_string_equal(l4, "");
	assert_true(cb_luhn_ok("4111111111111111", 16));
	assert_false(cb_luhn_ok("4111111111111112", 16));
}

static void utf8_validates_and_normalises(void **state)
{
	struct cb_buf b = CB_BUF_INIT;
	size_t bad;

	(void)state;
	assert_true(cb_utf8_valid("Nguy\xe1\xbb\x85n", 8, &bad));
	assert_false(cb_utf8_valid("ab\xff", 3, &bad));
	assert_int_equal(bad, 2);
	/* "e" + combining acute -> "é" (U+00E9) */
	assert_int_equal(cb_utf8_nfc(&b, "Jose\xcc\x81", 6), 0);
	assert_string_equal(cb_buf_cstr(&b), "Jos\xc3\xa9");
	cb_buf_reset(&b);
	assert_int_equal(cb_utf8_nfc(&b, "a\xe1\xbb b", 5), 1);
	assert_true(cb_utf8_valid(b.ptr, b.len, NULL));
	cb_buf_release(&b);
}

/* cb_utf8_nfc's result on `s` is utf8proc's NFC of it. */
static void check_nfc(const char *s, size_t len)
{
	struct cb_buf got = CB_BUF_INIT;
	utf8proc_uint8_t *want = NULL;

	assert_true(utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &want,
				 UTF8PROC_STABLE | UTF8PROC_COMPOSE) >= 0);
	cb_utf8_nfc(&got, s, len);
	if (strcmp(cb_buf_cstr(&got), (const char *)want) != 0)
		fail_msg("NFC differs for the %zu bytes starting %02x %02x", len,
			 (unsigned char)s[0], len > 1 ? (unsigned char)s[1] : 0);
	free(want);
	cb_buf_release(&got);
}

/*
 * The fast path that skips normalisation for text that is already NFC gives
 * utf8proc's answer for every code point, alone and after a letter, and for
 * every pair that composes (each canonical two-part decomposition).
 */
static void nfc_fast_path_agrees_with_utf8proc(void **state)
{
	utf8proc_int32_t cp, parts[4];
	char s[16];
	int last;

	(void)state;
	for (cp = 0x80; cp <= 0x1FAFF; cp++) {
		utf8proc_ssize_t n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)s + 1);
		s[0] = 'e';
		check_nfc(s + 1, (size_t)n);
		check_nfc(s, (size_t)n + 1);
		last = 0;
		n = utf8proc_decompose_char(cp, parts, 4, UTF8PROC_DECOMPOSE, &last);
		if (n == 2) {
			utf8proc_ssize_t a = utf8proc_encode_char(parts[0], (utf8proc_uint8_t *)s);
			utf8proc_ssize_t b = utf8proc_encode_char(parts[1], (utf8proc_uint8_t *)s + a);

			check_nfc(s, (size_t)(a + b));
		}
	}
}

static void reasons_fold(void **state)
{
	(void)state;
	assert_int_equal(cb_reason_from_gateway("fraudulent", NULL), CB_REASON_FRAUD);
	assert_int_equal(cb_reason_from_gateway("UNAUTHORISED", NULL), CB_REASON_FRAUD);
	assert_int_equal(cb_reason_from_gateway("MERCHANDISE_OR_SERVICE_NOT_RECEIVED", NULL),
			 CB_REASON_NOT_RECEIVED);
	assert_int_equal(cb_reason_from_gateway("product_unacceptable", NULL),
			 CB_REASON_NOT_AS_DESCRIBED);
	assert_int_equal(cb_reason_from_gateway(NULL, "13.2"), CB_REASON_SUBSCRIPTION_CANCELED);
	assert_int_equal(cb_reason_from_gateway("weird", "10.4"), CB_REASON_FRAUD);
	assert_int_equal(cb_reason_from_gateway("weird", NULL), CB_REASON_GENERAL);
	assert_string_equal(cb_reason_name(CB_REASON_CREDIT_NOT_PROCESSED), "credit_not_processed");
}

static void sha256_known_answer(void **state)
{
	char hex[CB_SHA256_HEX];

	(void)state;
	cb_sha256_buf(hex, "abc", 3);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void error_messages_carry_location(void **state)
{
	struct cb_error err = CB_ERROR_INIT;

	(void)state;
	cb_error_at(&err, CB_EPARSE, "orders.csv", 17, "column '%s': bad", "Total");
	assert_string_equal(err.msg, "orders.csv:17: column 'Total': bad");
	cb_error_prefix(&err, "import");
	assert_string_equal(err.msg, "import: orders.csv:17: column 'Total': bad");
}

/* A sender thread's items arrive in order through a queue smaller than them all. */
static void *send_numbers(void *arg)
{
	struct cb_chan *c = arg;
	intptr_t i;

	for (i = 1; i <= 10000; i++)
		if (!cb_chan_send(c, (void *)i))
			break;
	cb_chan_close(c);
	return (void *)i;
}

static void chan_passes_items_in_order(void **state)
{
	struct cb_chan c;
	pthread_t t;
	void *item, *sent;
	intptr_t want = 1;

	(void)state;
	assert_int_equal(cb_chan_init(&c, 3, NULL), 0);
	assert_int_equal(pthread_create(&t, NULL, send_numbers, &c), 0);
	while ((item = cb_chan_recv(&c)))
		assert_int_equal((intptr_t)item, want++);
	assert_int_equal(want, 10001);
	pthread_join(t, &sent);
	assert_int_equal((intptr_t)sent, 10001);
	cb_chan_destroy(&c);
}

/* Closing by the receiver stops a sender waiting on a full queue; queued items still come out. */
static void chan_close_stops_the_sender(void **state)
{
	struct cb_chan c;
	pthread_t t;
	void *sent;

	(void)state;
	assert_int_equal(cb_chan_init(&c, 2, NULL), 0);
	assert_int_equal(pthread_create(&t, NULL, send_numbers, &c), 0);
	assert_int_equal((intptr_t)cb_chan_recv(&c), 1);
	cb_chan_close(&c);
	pthread_join(t, &sent);
	assert_true((intptr_t)sent <= 4);   /* at most the two queued and one more were sent */
	while (cb_chan_recv(&c))
		;
	assert_false(cb_chan_send(&c, (void *)1));
	assert_null(cb_chan_recv(&c));
	cb_chan_destroy(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chan_passes_items_in_order),
		cmocka_unit_test(chan_close_stops_the_sender),
		cmocka_unit_test(money_parses_major_units),
		cmocka_unit_test(money_refuses_garbage),
		cmocka_unit_test(currency_lookup_covers_the_table),
		cmocka_unit_test(money_formats),
		cmocka_unit_test(time_parses_export_shapes),
		cmocka_unit_test(time_formats),
		cmocka_unit_test(redact_masks_cards_in_text),
		cmocka_unit_test(redact_keeps_identifiers),
		cmocka_unit_test(card_fields_keep_last4),
		cmocka_unit_test(utf8_validates_and_normalises),
		cmocka_unit_test(nfc_fast_path_agrees_with_utf8proc),
		cmocka_unit_test(reasons_fold),
		cmocka_unit_test(sha256_known_answer),
		cmocka_unit_test(error_messages_carry_location),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
