/*
 * migrate.c: schema versions. PRAGMA user_version holds the version of a
 * store; version 1 is src/store/schema.sql. A later version is one more
 * entry in `steps` (its SQL takes the schema from the previous version),
 * applied in its own transaction so that a failed step leaves the store at
 * the version before it. A store written by a newer cbpack is refused rather
 * than guessed at, and so is any SQLite file that is not a cbpack store
 * (PRAGMA application_id tells them apart).
 */
#include <stdio.h>

#include "cbpack/error.h"
#include "store_int.h"

#define CB_APPLICATION_ID 0x63627061   /* "cbpa" */

static const struct store_step steps[] = {
	{ 1, cb_schema_sql },
	/* { 2, "ALTER TABLE disputes ADD COLUMN ...;" }, */
};

#define N_STEPS (sizeof(steps) / sizeof(steps[0]))

const struct store_step *store_steps(size_t *n)
{
	*n = N_STEPS;
	return steps;
}

int cb_store_schema_version(void)
{
	return steps[N_STEPS - 1].version;
}

static int pragma_int(struct cb_store *s, const char *sql, int *out, struct cb_error *err)
{
	int64_t v;
	int ret = store_query_int(s, sql, "reading the schema version", &v, err);

	if (!ret)
		*out = (int)v;
	return ret;
}

int store_read_version(struct cb_store *s, int *out, struct cb_error *err)
{
	return pragma_int(s, "PRAGMA user_version", out, err);
}

static int check_is_ours(struct cb_store *s, int version, struct cb_error *err)
{
	int n = 0, ret;

	if (version > 0) {
		if ((ret = pragma_int(s, "PRAGMA application_id", &n, err)) < 0)
			return ret;
		if (n == CB_APPLICATION_ID)
			return 0;
	} else {
		if ((ret = pragma_int(s, "SELECT count(*) FROM sqlite_master", &n, err)) < 0)
			return ret;
		if (n == 0)
			return 0;
	}
	return cb_error_set(err, CB_EDB, "'%s' is an SQLite database but not a cbpack store",
			    s->path);
}

static int apply_step(struct cb_store *s, const struct store_step *step, struct cb_error *err)
{
	char sql[128];
	int v = 0, ret;

	if ((ret = store_exec(s, "BEGIN IMMEDIATE", "cannot start a migration", err)) < 0)
		return ret;
	/* Another process may have migrated while this one waited for the lock. */
	if ((ret = store_read_version(s, &v, err)) < 0)
		goto fail;
	if (v >= step->version)
		return store_exec(s, "COMMIT", "cannot commit a migration", err);
	if (sqlite3_exec(s->db, step->sql, NULL, NULL, NULL) != SQLITE_OK) {
		ret = store_db_error(s, err, "migrating from schema version %d to %d", v,
				     step->version);
		goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA application_id = %d",
		 step->version, CB_APPLICATION_ID);
	if ((ret = store_exec(s, sql, "recording the schema version", err)) < 0)
		goto fail;
	if ((ret = store_exec(s, "COMMIT", "cannot commit a migration", err)) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

int store_migrate(struct cb_store *s, const struct store_step *table, size_t n,
		  int readonly, struct cb_error *err)
{
	int cur = 0, latest = table[n - 1].version, ret;
	size_t i;

	if ((ret = store_read_version(s, &cur, err)) < 0)
		return ret;
	if ((ret = check_is_ours(s, cur, err)) < 0)
		return ret;
	if (cur > latest)
		return cb_error_set(err, CB_EDB,
				    "store '%s' has schema version %d, newer than this cbpack "
				    "knows (%d); use a newer cbpack", s->path, cur, latest);
	if (cur < latest && readonly)
		return cb_error_set(err, CB_EDB,
				    "store '%s' has schema version %d and needs upgrading to %d; "
				    "open it once without read-only", s->path, cur, latest);
	for (i = 0; i < n; i++) {
		if (table[i].version != (int)i + 1)
			return cb_error_set(err, CB_ERROR, "migration %zu has version %d, not %zu",
					    i, table[i].version, i + 1);
		if (table[i].version <= cur)
			continue;
		if ((ret = apply_step(s, &table[i], err)) < 0)
			return ret;
	}
	s->version = latest;
	return 0;
}
