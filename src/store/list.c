/*
 * list.c: reading disputes back out for `cbpack list` and `cbpack batch`:
 * the list ordered by deadline, and finding one dispute by its gateway id.
 * Gateway ids are only unique per gateway, so a bare id that two gateways
 * use is refused with both spelled out rather than one picked.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/error.h"
#include "cbpack/text.h"
#include "store_int.h"

static const char list_sql[] =
	"SELECT d.id, d.gateway, d.gateway_id, d.reason, d.status, d.currency,"
	" COALESCE(o.order_ref, d.order_ref), d.amount, d.opened_at, d.due_by, d.is_open"
	" FROM disputes d LEFT JOIN orders o ON o.id = d.order_id"
	" WHERE (?1 = 0 OR (d.is_open = 1 AND (d.due_by IS NULL OR d.due_by > ?2)))"
	" AND (?3 <= 0 OR (d.due_by IS NOT NULL AND d.due_by <= ?2 + ?3 * 86400))"
	" AND (?4 IS NULL OR d.gateway = ?4 COLLATE NOCASE)"
	" ORDER BY d.due_by IS NULL, d.due_by, d.gateway, d.gateway_id";

static char *column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? cb_xstrdup((const char *)t) : NULL;
}

static int64_t column_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? CB_NO_TIME : sqlite3_column_int64(st, i);
}

static void read_row(struct cb_dispute_row *r, sqlite3_stmt *st)
{
	r->id = sqlite3_column_int64(st, 0);
	r->gateway = column_text(st, 1);
	r->gateway_id = column_text(st, 2);
	r->reason = column_text(st, 3);
	r->status = column_text(st, 4);
	r->currency = column_text(st, 5);
	r->order_ref = column_text(st, 6);
	r->amount = sqlite3_column_int64(st, 7);
	r->opened_at = column_time(st, 8);
	r->due_by = column_time(st, 9);
	r->is_open = sqlite3_column_int(st, 10) == 1;
}

int cb_store_list_disputes(struct cb_store *s, const struct cb_list_opts *o,
			   struct cb_dispute_list *out, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(s->db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "listing disputes");
	sqlite3_bind_int(st, 1, o->open_only);
	sqlite3_bind_int64(st, 2, o->now);
	sqlite3_bind_int(st, 3, o->due_within_days);
	if (!cb_empty(o->gateway))
		sqlite3_bind_text(st, 4, o->gateway, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->rows = cb_xgrow(out->rows, sizeof(*out->rows), out->n + 1, &out->alloc);
		read_row(&out->rows[out->n++], st);
	}
	if (rc != SQLITE_DONE) {
		ret = store_db_error(s, err, "listing disputes");
		cb_dispute_list_release(out);
	}
	sqlite3_finalize(st);
	return ret;
}

void cb_dispute_list_release(struct cb_dispute_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		struct cb_dispute_row *r = &l->rows[i];

		free(r->gateway);
		free(r->gateway_id);
		free(r->reason);
		free(r->status);
		free(r->currency);
		free(r->order_ref);
	}
	free(l->rows);
	memset(l, 0, sizeof(*l));
}

/* "stripe:dp_1" names gateway and id; an id may itself hold a ':', so fall back. */
static int find_qualified(struct cb_store *s, const char *ref, int64_t *rowid, bool *found,
			  struct cb_error *err)
{
	static const char sql[] = "SELECT id FROM disputes WHERE gateway = ?1 COLLATE NOCASE"
				  " AND gateway_id = ?2";
	const char *colon = strchr(ref, ':');
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	*found = false;
	if (!colon || colon == ref || !colon[1])
		return 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "finding dispute '%s'", ref);
	sqlite3_bind_text(st, 1, ref, (int)(colon - ref), SQLITE_STATIC);
	sqlite3_bind_text(st, 2, colon + 1, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*rowid = sqlite3_column_int64(st, 0);
		*found = true;
	} else if (rc != SQLITE_DONE) {
		ret = store_db_error(s, err, "finding dispute '%s'", ref);
	}
	sqlite3_finalize(st);
	return ret;
}

int cb_store_find_dispute(struct cb_store *s, const char *ref, int64_t *rowid,
			  struct cb_error *err)
{
	static const char sql[] = "SELECT id, gateway FROM disputes WHERE gateway_id = ?1"
				  " ORDER BY gateway";
	struct cb_buf names = CB_BUF_INIT;
	sqlite3_stmt *st = NULL;
	bool found;
	int rc, n = 0, ret;

	if (cb_empty(ref))
		return cb_error_set(err, CB_EUSAGE, "no dispute named");
	if ((ret = find_qualified(s, ref, rowid, &found, err)) < 0 || found)
		return ret;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "finding dispute '%s'", ref);
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0)
			*rowid = sqlite3_column_int64(st, 0);
		cb_buf_addf(&names, "%s%s:%s", n > 1 ? ", " : "", sqlite3_column_text(st, 1), ref);
	}
	if (rc != SQLITE_DONE)
		ret = store_db_error(s, err, "finding dispute '%s'", ref);
	else if (n == 0)
		ret = cb_error_set(err, CB_ENOTFOUND, "no dispute '%s' in store '%s'", ref, s->path);
	else if (n > 1)
		ret = cb_error_set(err, CB_EUSAGE,
				   "dispute id '%s' is used by more than one gateway: %s "
				   "(name one as GATEWAY:ID)", ref, cb_buf_cstr(&names));
	sqlite3_finalize(st);
	cb_buf_release(&names);
	return ret;
}
