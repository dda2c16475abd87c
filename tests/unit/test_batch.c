/* Unit tests: the batch's shard function (cb_batch_shard_of). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cbpack/batch.h"

#define IDS 10000

/* A fixed pseudo-random stream (xorshift64), so the ids are the same every run. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* An id shaped like the gateway's own: "dp_" + 24 of [0-9A-Za-z] for Stripe. */
static void make_id(char *out, size_t len, const char *prefix, uint64_t *s)
{
	static const char abc[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t i, p = strlen(prefix);

	memcpy(out, prefix, p);
	for (i = p; i < p + 24 && i + 1 < len; i++)
		out[i] = abc[next_rand(s) % (sizeof(abc) - 1)];
	out[i] = '\0';
}

/* Known answers, worked out independently (FNV-1a 64 of "gateway:id" in
 * Python): a change here moves disputes between hosts mid-deployment. */
static void shard_known_values(void **state)
{
	(void)state;
	assert_int_equal(cb_batch_shard_of("stripe", "dp_1Sqdw0NwO7uTf2Lk5rYsS9DL", 2), 2);
	assert_int_equal(cb_batch_shard_of("stripe", "dp_1Sqdw0NwO7uTf2Lk5rYsS9DL", 3), 2);
	assert_int_equal(cb_batch_shard_of("stripe", "dp_1Sqdw0NwO7uTf2Lk5rYsS9DL", 7), 1);
	assert_int_equal(cb_batch_shard_of("stripe", "dp_1Sqdw0NwO7uTf2Lk5rYsS9DL", 1000), 250);
	assert_int_equal(cb_batch_shard_of("stripe", "dp_1Sqdw0NwO7uTf2Lk5rYsS9DL", INT_MAX),
			 571117989);
	assert_int_equal(cb_batch_shard_of("paypal", "PP-D-27719", 3), 3);
	assert_int_equal(cb_batch_shard_of("paypal", "PP-D-27719", 7), 2);
	assert_int_equal(cb_batch_shard_of("paypal", "PP-D-27719", 1000), 941);
	assert_int_equal(cb_batch_shard_of("csv", "CBK-7781-0457", 3), 2);
	assert_int_equal(cb_batch_shard_of("csv", "CBK-7781-0457", 7), 4);
	assert_int_equal(cb_batch_shard_of("", "", 1000), 716);
}

static void shard_of_one_is_everything(void **state)
{
	(void)state;
	assert_int_equal(cb_batch_shard_of("stripe", "dp_x", 1), 1);
	assert_int_equal(cb_batch_shard_of("stripe", "dp_x", 0), 1);
	assert_int_equal(cb_batch_shard_of("stripe", "dp_x", -3), 1);
}

/* The gateway is part of the key: ids are unique per gateway only. */
static void shard_depends_on_gateway(void **state)
{
	char id[64];
	uint64_t s = 42;
	int i, differ = 0;

	(void)state;
	for (i = 0; i < 100; i++) {
		make_id(id, sizeof(id), "X-", &s);
		if (cb_batch_shard_of("stripe", id, 7) != cb_batch_shard_of("paypal", id, 7))
			differ++;
	}
	assert_true(differ > 50);
}

static void shard_in_range_and_stable(void **state)
{
	static const int ns[] = { 2, 3, 5, 16, 1000, INT_MAX };
	char id[64];
	uint64_t s = 7;
	size_t k;
	int i, a;

	(void)state;
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		for (i = 0; i < 2000; i++) {
			make_id(id, sizeof(id), "dp_", &s);
			a = cb_batch_shard_of("stripe", id, ns[k]);
			assert_in_range(a, 1, ns[k]);
			assert_int_equal(cb_batch_shard_of("stripe", id, ns[k]), a);
		}
	}
}

/* 10,000 ids of each gateway's shape: every shard within 15% of its share. */
static void check_uniform(const char *gateway, const char *prefix, int n)
{
	int count[16] = { 0 };
	char id[64];
	uint64_t s = 0x9E3779B97F4A7C15ULL;
	int i, lo = IDS / n * 85 / 100, hi = IDS / n * 115 / 100;

	for (i = 0; i < IDS; i++) {
		make_id(id, sizeof(id), prefix, &s);
		count[cb_batch_shard_of(gateway, id, n) - 1]++;
	}
	for (i = 0; i < n; i++) {
		if (count[i] < lo || count[i] > hi)
			fail_msg("%s, %d shards: shard %d has %d of %d ids (want %d..%d)", gateway, n,
				 i + 1, count[i], IDS, lo, hi);
	}
}

static void shard_roughly_uniform(void **state)
{
	static const int ns[] = { 2, 3, 4, 7, 10, 16 };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		check_uniform("stripe", "dp_", ns[k]);
		check_uniform("paypal", "PP-R-", ns[k]);
	}
}

/* Sequential ids (CSV exports number their disputes) spread too. */
static void shard_uniform_on_sequential_ids(void **state)
{
	int count[3] = { 0 };
	char id[32];
	int i;

	(void)state;
	for (i = 0; i < IDS; i++) {
		snprintf(id, sizeof(id), "CBK-%04d-%04d", 7000 + i / 1000, i % 1000);
		count[cb_batch_shard_of("csv", id, 3) - 1]++;
	}
	for (i = 0; i < 3; i++)
		assert_in_range(count[i], IDS / 3 * 85 / 100, IDS / 3 * 115 / 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shard_known_values),
		cmocka_unit_test(shard_of_one_is_everything),
		cmocka_unit_test(shard_depends_on_gateway),
		cmocka_unit_test(shard_in_range_and_stable),
		cmocka_unit_test(shard_roughly_uniform),
		cmocka_unit_test(shard_uniform_on_sequential_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
