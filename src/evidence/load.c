/*
 * load.c: assembling a packet from a SQLite connection holding the store
 * schema. Each part is filled by its own loader (load_*.c); this file finds
 * the dispute, runs them in order and computes the facts at the end, when
 * everything they are derived from is in place.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "evidence_int.h"

static void address_blank(struct cb_pk_address *a)
{
	memset(a, 0, sizeof(*a));
}

static struct cb_packet *packet_new(void)
{
	struct cb_packet *p = cb_xcalloc(1, sizeof(*p));

	p->amount = CB_NO_AMOUNT;
	p->opened_at = p->due_by = CB_NO_TIME;
	p->reason = CB_REASON_GENERAL;
	p->order.created_at = p->order.paid_at = CB_NO_TIME;
	p->order.fulfilled_at = p->order.cancelled_at = CB_NO_TIME;
	p->order.subtotal = p->order.shipping = p->order.taxes = CB_NO_AMOUNT;
	p->order.total = p->order.discount = p->order.refunded = CB_NO_AMOUNT;
	address_blank(&p->order.billing);
	address_blank(&p->order.shipping_addr);
	p->charge.amount = p->charge.amount_refunded = CB_NO_AMOUNT;
	p->charge.created_at = CB_NO_TIME;
	p->charge.risk_score = -1;
	p->facts.avs_line1_ok = p->facts.avs_postal_ok = -1;
	p->facts.cvc_ok = p->facts.three_ds_ok = -1;
	p->facts.billing_matches_shipping = -1;
	p->facts.delivered_before_dispute = p->facts.delivered_to_order_address = -1;
	p->facts.days_order_to_dispute = -1;
	p->facts.delivered_at = CB_NO_TIME;
	return p;
}

int ev_load(struct cb_packet **out, sqlite3 *db, const char *files_dir, struct ev_cache *cache,
	    int64_t rowid, struct cb_error *err)
{
	struct ev_ctx c = { db, files_dir, cache, NULL, 0, 0, 0 };
	bool began = false;
	int ret;

	*out = NULL;
	c.p = packet_new();
	/*
	 * One read transaction, so an import running meanwhile cannot tear the
	 * packet; a caller's own transaction is used as it is, and left open.
	 */
	if (sqlite3_get_autocommit(db)) {
		if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
			ret = ev_db_error(db, err, "disputes");
			goto out;
		}
		began = true;
	}
	if ((ret = ev_load_dispute(&c, rowid, err)) < 0 ||
	    (ret = ev_load_charge(&c, err)) < 0 ||
	    (ret = ev_load_order(&c, err)) < 0 ||
	    (ret = ev_load_customer(&c, err)) < 0 ||
	    (ret = ev_load_messages(&c, err)) < 0 ||
	    (ret = ev_load_shipping(&c, err)) < 0 ||
	    (ret = ev_load_attachments(&c, err)) < 0 ||
	    (ret = ev_load_refunds(&c, err)) < 0 ||
	    (ret = ev_load_policies(&c, err)) < 0 ||
	    (ret = ev_load_priors(&c, err)) < 0)
		goto out_end;
	ev_compute_facts(c.p);
	*out = c.p;
	c.p = NULL;
out_end:
	if (began)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
out:
	cb_packet_free(c.p);
	return ret;
}

int cb_evidence_load_db(struct cb_packet **out, sqlite3 *db, const char *files_dir,
			int64_t rowid, struct cb_error *err)
{
	return ev_load(out, db, files_dir, NULL, rowid, err);
}

struct cb_evidence_reader {
	sqlite3 *db;
	char *files_dir;
	struct ev_cache cache;
};

struct cb_evidence_reader *cb_evidence_reader_new(sqlite3 *db, const char *files_dir)
{
	struct cb_evidence_reader *rd = cb_xcalloc(1, sizeof(*rd));

	rd->db = db;
	rd->files_dir = cb_xstrdup_or_null(files_dir);
	return rd;
}

int cb_evidence_reader_load(struct cb_evidence_reader *rd, int64_t rowid,
			    struct cb_packet **out, struct cb_error *err)
{
	return ev_load(out, rd->db, rd->files_dir, &rd->cache, rowid, err);
}

void cb_evidence_reader_free(struct cb_evidence_reader *rd)
{
	if (!rd)
		return;
	ev_cache_clear(&rd->cache);
	free(rd->files_dir);
	free(rd);
}

/* Rowids of disputes whose gateway id is `id` (and gateway, when given). */
static int find_rows(int64_t *rowid, int *count, sqlite3 *db, const char *gateway,
		     const char *id, size_t id_len, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int ret, rc;

	*count = 0;
	if ((ret = ev_prepare_db(db, &st,
			      "SELECT id FROM disputes WHERE gateway_id = ?1"
			      " AND (?2 IS NULL OR lower(gateway) = lower(?2)) ORDER BY id", err)) < 0)
		return ret;
	sqlite3_bind_text(st, 1, id, (int)id_len, SQLITE_STATIC);
	if (gateway)
		sqlite3_bind_text(st, 2, gateway, (int)(id - 1 - gateway), SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!*count)
			*rowid = sqlite3_column_int64(st, 0);
		++*count;
	}
	ret = rc == SQLITE_DONE ? 0 : ev_db_error(db, err, "disputes");
	sqlite3_finalize(st);
	return ret;
}

int cb_evidence_find_db(int64_t *rowid, sqlite3 *db, const char *ref, struct cb_error *err)
{
	const char *colon = strchr(ref, ':');
	int ret, n = 0;

	if (colon && colon > ref && colon[1]) {
		ret = find_rows(rowid, &n, db, ref, colon + 1, strlen(colon + 1), err);
		if (ret < 0 || n)
			return ret;
	}
	if ((ret = find_rows(rowid, &n, db, NULL, ref, strlen(ref), err)) < 0)
		return ret;
	if (n > 1)
		return cb_error_set(err, CB_EUSAGE,
				    "dispute '%s' exists at more than one gateway; write 'gateway:%s'",
				    ref, ref);
	if (!n)
		return cb_error_set(err, CB_ENOTFOUND, "no dispute '%s' in the store", ref);
	return 0;
}
