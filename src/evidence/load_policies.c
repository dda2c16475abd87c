/*
 * load_policies.c: the merchant's published policies (refund, shipping,
 * cancellation, terms). They are store-wide, so every packet carries all.
 */
#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "evidence_int.h"

int ev_load_policies(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT kind, title, body, disclosure FROM policies ORDER BY kind, id";
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_pk_policy *r;

		p->policies = cb_xgrow(p->policies, sizeof(*p->policies), p->n_policies + 1, &alloc);
		r = &p->policies[p->n_policies++];
		r->kind = ev_ident(st, 0);
		r->title = ev_text(p, st, 1);
		r->body = ev_text(p, st, 2);
		r->disclosure = ev_text(p, st, 3);
	}
	if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "policies");
	ev_done(c, st);
	return ret;
}
