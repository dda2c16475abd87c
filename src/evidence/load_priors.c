/*
 * load_priors.c: the customer's earlier orders and charges, found by the
 * card fingerprint or the customer (record or email), each marked with what
 * it shares with the disputed purchase: card, email, account, shipping
 * address, IP, device. They show an account history for fraud disputes and
 * feed the Visa CE 3.0 test.
 *
 * A transaction is an order with its charge, or a charge without an order.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

#define PRIORS_MAX 20     /* newest first; enough for the history section */
#define CE3_WANTED 2      /* Stripe takes exactly two prior transactions */

/*
 * Candidates come only through indexed columns: the card fingerprint, the
 * customer the store linked by email, and the email itself. Batch loads one
 * packet per dispute, so a table scan here would make a night's run
 * quadratic in the size of the store. IP, device, account and address are
 * then compared on those candidates (matched_on, CE 3.0).
 */
static const char priors_sql[] =
	"WITH cand_o(oid) AS ("
	"  SELECT id FROM orders WHERE customer_id = ?6"
	"  UNION SELECT id FROM orders WHERE email IN (?5, lower(?5))"
	"  UNION SELECT order_id FROM charges WHERE card_fingerprint = ?4"
	"  UNION SELECT order_id FROM charges WHERE customer_id = ?6),"
	" cand_c(cid) AS ("
	"  SELECT id FROM charges WHERE card_fingerprint = ?4"
	"  UNION SELECT id FROM charges WHERE customer_id = ?6),"
	" tx(oid, cid, oref, gid, t, amount, cur, fp, email, line1, postal, ip, dev, acct) AS ("
	"  SELECT o.id, c.id, o.order_ref, c.gateway_id, COALESCE(c.created_at, o.created_at),"
	"   COALESCE(c.amount, o.total), COALESCE(c.currency, o.currency), c.card_fingerprint,"
	"   lower(COALESCE(NULLIF(o.email, ''), c.email)),"
	"   COALESCE(NULLIF(o.ship_line1, ''), c.ship_line1),"
	"   COALESCE(NULLIF(o.ship_postal, ''), c.ship_postal),"
	"   COALESCE(NULLIF(c.ip, ''), o.ip), COALESCE(NULLIF(c.device_id, ''), o.device_id),"
	"   o.customer_account_id"
	"  FROM cand_o JOIN orders o ON o.id = cand_o.oid LEFT JOIN charges c ON c.order_id = o.id"
	"  UNION ALL"
	"  SELECT NULL, c.id, c.order_ref, c.gateway_id, c.created_at, c.amount, c.currency,"
	"   c.card_fingerprint, lower(c.email), c.ship_line1, c.ship_postal, c.ip, c.device_id,"
	"   NULL"
	"  FROM cand_c JOIN charges c ON c.id = cand_c.cid WHERE c.order_id IS NULL)"
	" SELECT oid, cid, oref, gid, t, amount, cur, fp, email, line1, postal, ip, dev, acct,"
	"  EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = tx.oid)"
	"  OR EXISTS (SELECT 1 FROM disputes d WHERE d.charge_id = tx.cid)"
	" FROM tx WHERE t < ?1"
	"  AND (?2 IS NULL OR oid IS NULL OR oid <> ?2)"
	"  AND (?3 IS NULL OR cid IS NULL OR cid <> ?3)"
	" ORDER BY t DESC, oid DESC, cid DESC";

/* What the disputed purchase is identified by. */
struct ident {
	char *fp;
	const char *email, *account, *line1, *postal, *ip, *device;
	int64_t before, charged_at;
	int64_t customer;      /* the store's customer record, 0 when none */
};

static bool same(const char *a, const char *b)
{
	return !cb_empty(a) && !cb_empty(b) && !strcmp(a, b);
}

/* The disputed charge's card fingerprint, and its customer when the order has none. */
static int disputed_card(struct ev_ctx *c, struct ident *me, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int ret, rc;

	me->customer = c->customer_rowid;
	if (!c->charge_rowid)
		return 0;
	if ((ret = ev_prepare(c, &st,
			      "SELECT card_fingerprint, customer_id FROM charges WHERE id = ?1",
			      err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->charge_rowid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		me->fp = ev_ident(st, 0);
		if (!me->customer)
			me->customer = ev_int(st, 1, 0);
	} else if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "charges");
	ev_done(c, st);
	return ret;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (!cb_empty(s))
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void bind_ident(sqlite3_stmt *st, const struct ident *me, const struct ev_ctx *c)
{
	sqlite3_bind_int64(st, 1, me->before);
	if (c->order_rowid)
		sqlite3_bind_int64(st, 2, c->order_rowid);
	if (c->charge_rowid)
		sqlite3_bind_int64(st, 3, c->charge_rowid);
	bind_opt(st, 4, me->fp);
	bind_opt(st, 5, me->email);
	/* No customer: an id no row has, so the lookup stays an index probe. */
	sqlite3_bind_int64(st, 6, me->customer ? me->customer : -1);
}

static void row_match(struct ev_match *m, sqlite3_stmt *st, const struct ident *me)
{
	const char *email = (const char *)sqlite3_column_text(st, 8);

	m->card = same(me->fp, (const char *)sqlite3_column_text(st, 7));
	m->email = !cb_empty(me->email) && !cb_empty(email) && !strcasecmp(me->email, email);
	m->address = ev_address_same(me->line1, me->postal,
				     (const char *)sqlite3_column_text(st, 9),
				     (const char *)sqlite3_column_text(st, 10)) == 1;
	m->ip = same(me->ip, (const char *)sqlite3_column_text(st, 11));
	m->device = same(me->device, (const char *)sqlite3_column_text(st, 12));
	m->account = same(me->account, (const char *)sqlite3_column_text(st, 13));
}

static char *matched_on(const struct ev_match *m)
{
	struct cb_buf b = CB_BUF_INIT;
	const char *sep = "";

#define MATCH(flag, word) if (m->flag) { cb_buf_addf(&b, "%s%s", sep, word); sep = ", "; }
	MATCH(card, "card")
	MATCH(email, "email")
	MATCH(account, "account")
	MATCH(address, "address")
	MATCH(ip, "ip")
	MATCH(device, "device")
#undef MATCH
	return cb_buf_detach(&b);
}

static int64_t utc_day(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

static void prior_add(struct cb_packet *p, size_t *alloc, sqlite3_stmt *st,
		      const struct ev_match *m, int64_t days, bool ce3)
{
	struct cb_pk_prior *r;

	p->priors = cb_xgrow(p->priors, sizeof(*p->priors), p->n_priors + 1, alloc);
	r = &p->priors[p->n_priors++];
	memset(r, 0, sizeof(*r));
	r->order_ref = ev_ident(st, 2);
	r->charge_id = ev_ident(st, 3);
	r->created_at = ev_time(st, 4);
	r->amount = ev_amount(st, 5);
	r->currency = ev_ident(st, 6);
	r->ip = ev_ident(st, 11);
	r->device_id = ev_ident(st, 12);
	r->disputed = sqlite3_column_int(st, 14) != 0;
	r->matched_on = matched_on(m);
	r->days_before = days;
	r->ce3 = ce3;
}

/* An order with several charges comes back once per charge: keep its newest. */
static bool seen_order(int64_t **seen, size_t *n, size_t *alloc, int64_t oid)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*seen)[i] == oid)
			return true;
	*seen = cb_xgrow(*seen, sizeof(**seen), *n + 1, alloc);
	(*seen)[(*n)++] = oid;
	return false;
}

static int scan_priors(struct ev_ctx *c, const struct ident *me, struct cb_error *err)
{
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	int64_t *seen = NULL;
	size_t n_seen = 0, seen_alloc = 0, alloc = 0, ce3_listed = 0;
	int ret, rc;

	if ((ret = ev_prepare(c, &st, priors_sql, err)) < 0)
		return ret;
	bind_ident(st, me, c);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ev_match m;
		int64_t days;
		bool ce3;

		if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    seen_order(&seen, &n_seen, &seen_alloc, sqlite3_column_int64(st, 0)))
			continue;
		row_match(&m, st, me);
		if (!m.card && !m.email && !m.address && !m.ip && !m.device && !m.account)
			continue;
		days = me->charged_at == CB_NO_TIME ? -1
			: utc_day(me->charged_at) - utc_day(sqlite3_column_int64(st, 4));
		ce3 = ev_ce3_qualifies(&m, sqlite3_column_int(st, 14) != 0, days);
		if (ce3)
			p->facts.ce3_prior_matches++;
		/* Past the cap, only CE 3.0 priors still needed for the block are kept. */
		if (p->n_priors < PRIORS_MAX || (ce3 && ce3_listed < CE3_WANTED)) {
			prior_add(p, &alloc, st, &m, days, ce3);
			ce3_listed += ce3;
		}
	}
	if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "orders");
	ev_done(c, st);
	free(seen);
	return ret;
}

int ev_load_priors(struct ev_ctx *c, struct cb_error *err)
{
	struct cb_packet *p = c->p;
	const struct cb_pk_address *ship = ev_shipping(p);
	struct ident me;
	int ret;

	memset(&me, 0, sizeof(me));
	me.before = p->has_order && p->order.created_at != CB_NO_TIME ? p->order.created_at
		: p->charge.created_at;
	me.charged_at = ev_purchase_time(p);
	if (me.before == CB_NO_TIME)
		return 0;
	if ((ret = disputed_card(c, &me, err)) < 0)
		return ret;
	me.email = p->email;
	me.account = p->account_id;
	me.line1 = ship ? ship->line1 : NULL;
	me.postal = ship ? ship->postal : NULL;
	/* facts.purchase_ip still holds the order's IP here (load_order.c). */
	me.ip = !cb_empty(p->charge.ip) ? p->charge.ip : p->facts.purchase_ip;
	me.device = p->device_id;
	ret = scan_priors(c, &me, err);
	free(me.fp);
	return ret;
}
