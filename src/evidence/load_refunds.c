/*
 * load_refunds.c: refunds issued on the disputed charge, oldest first. They
 * answer "credit not processed" and explain a partial dispute amount.
 */
#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "evidence_int.h"

int ev_load_refunds(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT gateway_id, status, reason, currency, amount, created_at FROM refunds r"
		" WHERE r.charge_id = ?1"
		" ORDER BY r.created_at IS NULL, r.created_at, r.id";
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if (!p->has_charge)
		return 0;
	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->charge_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_pk_refund *r;

		p->refunds = cb_xgrow(p->refunds, sizeof(*p->refunds), p->n_refunds + 1, &alloc);
		r = &p->refunds[p->n_refunds++];
		r->gateway_id = ev_ident(st, 0);
		r->status = ev_text(p, st, 1);
		r->reason = ev_text(p, st, 2);
		r->currency = ev_ident(st, 3);
		r->amount = ev_amount(st, 4);
		r->created_at = ev_time(st, 5);
	}
	if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "refunds");
	ev_done(c, st);
	return ret;
}
