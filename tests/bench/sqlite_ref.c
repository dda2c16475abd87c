/*
 * sqlite_ref.c: the import benchmark's yardstick — SQLite's own prepared
 * INSERT rate for N order rows on this machine, into the real orders table of
 * a fresh store (same schema, same indexes), in one transaction, with the
 * same pragmas cbpack uses. `make bench` prints cbpack's import rate as a
 * ratio to this.
 * usage: sqlite_ref N DB   (DB must be a fresh store made by `cbpack init`)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv)
{
	static const char sql[] =
		"INSERT INTO orders (order_key, order_ref, source, external_id, email, customer_name,"
		" created_at, financial_status, fulfillment_status, currency, subtotal, shipping,"
		" taxes, total, ship_name, ship_line1, ship_city, ship_state, ship_postal,"
		" ship_country, payment_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3 *db;
	sqlite3_stmt *st;
	char key[32], ref[32], ext[32], email[64], name[64], line1[64], pay[40];
	long i, n;
	double t0, c0, dt;

	if (argc != 3)
		return fprintf(stderr, "usage: sqlite_ref N DB\n"), 2;
	n = atol(argv[1]);
	if (sqlite3_open(argv[2], &db) != SQLITE_OK)
		return fprintf(stderr, "sqlite_ref: %s\n", sqlite3_errmsg(db)), 1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
	t0 = now();
	c0 = cpu();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fprintf(stderr, "sqlite_ref: %s\n", sqlite3_errmsg(db)), 1;
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%ld", 100000 + i);
		snprintf(ref, sizeof(ref), "#%ld", 100000 + i);
		snprintf(ext, sizeof(ext), "58%011ld", i * 7919 % 100000000000L);
		snprintf(email, sizeof(email), "customer%ld@example.com", i % 50000);
		snprintf(name, sizeof(name), "Customer %ld Nguyễn", i % 50000);
		snprintf(line1, sizeof(line1), "%ld Market Street", i % 9000 + 1);
		snprintf(pay, sizeof(pay), "ch_%024ld", i);
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, "shopify", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, ext, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, email, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, 1790000000 + i);
		sqlite3_bind_text(st, 8, "paid", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, "fulfilled", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, "USD", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 11, 4000 + i % 10000);
		sqlite3_bind_int64(st, 12, 500);
		sqlite3_bind_int64(st, 13, 320);
		sqlite3_bind_int64(st, 14, 4820 + i % 10000);
		sqlite3_bind_text(st, 15, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 16, line1, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 17, "Springfield", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 18, "IL", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 19, "62701", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 20, "US", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 21, pay, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return fprintf(stderr, "sqlite_ref: %s\n", sqlite3_errmsg(db)), 1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	dt = now() - t0;
	c0 = cpu() - c0;
	sqlite3_close(db);
	printf("{\"rows\": %ld, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"rows_per_s\": %.0f}\n",
	       n, dt, c0, n / dt);
	return 0;
}
