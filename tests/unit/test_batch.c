/* Unit tests: the batch's shard function (cb_batch_shard_of). */
#include <limits.h>
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
#include <sqlite3.h>

#include "cbpack/batch.h"
#include "cbpack/error.h"
#include "cbpack/store.h"
#include "../../src/batch/publish.h"

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

struct seen {
	struct result_msg m[4];
	int n;
};

static void on_published(void *ctx, const struct result_msg *m)
{
	struct seen *s = ctx;

	s->m[s->n++] = *m;
}

static struct result_msg staged(const char *dir, const char *id, int index)
{
	struct result_msg m;
	char path[512];
	FILE *f;

	memset(&m, 0, sizeof(m));
	m.index = index;
	m.outcome = CB_BATCH_BUILT;
	m.bytes = 4;
	m.pages = 1;
	snprintf(m.dispute_id, sizeof(m.dispute_id), "%s", id);
	snprintf(m.tmp_name, sizeof(m.tmp_name), ".tmp-%06d", index);
	snprintf(m.digest, sizeof(m.digest), "%064d", index);
	snprintf(m.layout, sizeof(m.layout), "generic");
	snprintf(path, sizeof(path), "%s/%s", dir, m.tmp_name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("zip!", f);
	fclose(f);
	return m;
}

static int64_t count(struct cb_store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(cb_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * The parent's publisher: a group's staged zips reach their names and the
 * packets table together; one whose temp file is gone fails alone, named and
 * recorded; with no store nothing is published and the temp files go.
 */
static void publisher_publishes_groups(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	char root[] = "/tmp/cbpack-pub-XXXXXX", db[128], path[512];
	struct cb_store *s = NULL;
	struct publisher pub;
	struct result_msg m;
	struct seen seen;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(db, sizeof(db), "%s/cb.db", root);
	assert_int_equal(cb_store_open(&s, db, CB_STORE_CREATE, &err), 0);
	assert_int_equal(sqlite3_exec(cb_store_db(s),
				      "INSERT INTO runs (id, started_at) VALUES (7, 1);"
				      "INSERT INTO disputes (id, gateway, gateway_id, reason, amount,"
				      " currency, status, is_open) VALUES"
				      " (1, 'stripe', 'dp_a', 'fraudulent', 100, 'USD', 'open', 1),"
				      " (2, 'stripe', 'dp_b', 'fraudulent', 100, 'USD', 'open', 1),"
				      " (3, 'stripe', 'dp_c', 'fraudulent', 100, 'USD', 'open', 1)",
				      NULL, NULL, NULL), SQLITE_OK);
	memset(&seen, 0, sizeof(seen));
	publisher_init(&pub, root, 7);
	pub.store = s;
	assert_int_equal(publisher_wait_ms(&pub, 100.0), -1);
	m = staged(root, "dp_a", 0);
	publisher_add(&pub, &m, 1, 100.0, on_published, &seen);
	assert_int_equal(publisher_wait_ms(&pub, 100.0), (int)(PUBLISH_SECONDS * 1000) + 1);
	assert_int_equal(publisher_wait_ms(&pub, 100.0 + PUBLISH_SECONDS), 0);
	m = staged(root, "dp_b", 1);
	snprintf(path, sizeof(path), "%s/%s", root, m.tmp_name);
	unlink(path);   /* its zip is gone before the flush */
	publisher_add(&pub, &m, 2, 100.1, on_published, &seen);
	assert_int_equal(seen.n, 0);
	publisher_flush(&pub, on_published, &seen);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.m[0].outcome, CB_BATCH_BUILT);
	snprintf(path, sizeof(path), "%s/dp_a.zip", root);
	assert_string_equal(seen.m[0].detail, path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(seen.m[1].outcome, CB_BATCH_FAILED);
	assert_non_null(strstr(seen.m[1].detail, "cannot rename"));
	assert_int_equal(count(s, "SELECT count(*) FROM packets WHERE dispute_id = 1"
			       " AND run_id = 7 AND layout = 'generic' AND bytes = 4"), 1);
	assert_int_equal(count(s, "SELECT count(*) FROM packets"), 1);
	assert_int_equal(count(s, "SELECT count(*) FROM packet_failures WHERE dispute_id = 2"), 1);
	unlink(path);

	/* without a store nothing is published, and no temp file stays */
	pub.store = NULL;
	m = staged(root, "dp_c", 2);
	publisher_add(&pub, &m, 3, 200.0, on_published, &seen);
	publisher_flush(&pub, on_published, &seen);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.m[2].outcome, CB_BATCH_FAILED);
	snprintf(path, sizeof(path), "%s/%s", root, m.tmp_name);
	assert_int_not_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/dp_c.zip", root);
	assert_int_not_equal(stat(path, &st), 0);
	publisher_release(&pub);
	cb_store_free(s);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);
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
		cmocka_unit_test(publisher_publishes_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
