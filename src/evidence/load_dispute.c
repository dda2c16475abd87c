/*
 * load_dispute.c: the dispute row, and the charge it is about.
 *
 * Links are the store's job (cb_store_link), but a dispute imported before
 * its charge may still carry only the natural key, so the charge is looked
 * up by gateway id when the link is missing.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/reason.h"
#include "cbpack/records.h"
#include "cbpack/redact.h"
#include "evidence_int.h"

int ev_load_dispute(struct ev_ctx *c, int64_t rowid, struct cb_error *err)
{
	static const char sql[] =
		"SELECT d.gateway, d.gateway_id, d.reason, d.gateway_reason,"
		" d.network_reason_code, d.network, d.amount, d.currency, d.status, d.stage,"
		" d.opened_at, d.due_by, d.buyer_statement,"
		" COALESCE(d.charge_id,"
		"  (SELECT c.id FROM charges c WHERE c.gateway_id = d.charge_ref"
		"   AND c.gateway = d.gateway),"
		"  (SELECT min(c.id) FROM charges c WHERE c.gateway_id = d.charge_ref), 0),"
		" COALESCE(d.order_id, (SELECT o.id FROM orders o"
		"   WHERE o.order_key = ltrim(d.order_ref, '#')), 0)"
		" FROM disputes d WHERE d.id = ?1";
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	char *reason;
	int ret, rc;

	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, rowid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = cb_error_set(err, CB_ENOTFOUND, "no dispute with id %lld in the store",
				   (long long)rowid);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = ev_db_error(c->db, err, "disputes");
		goto out;
	}
	p->dispute_rowid = rowid;
	p->gateway = ev_ident(st, 0);
	p->dispute_id = ev_ident(st, 1);
	reason = ev_ident(st, 2);
	p->gateway_reason = ev_text(p, st, 3);
	p->network_reason_code = ev_ident(st, 4);
	p->network = ev_text(p, st, 5);
	p->amount = ev_amount(st, 6);
	p->currency = ev_ident(st, 7);
	p->status = ev_text(p, st, 8);
	p->stage = ev_text(p, st, 9);
	p->opened_at = ev_time(st, 10);
	p->due_by = ev_time(st, 11);
	p->buyer_statement = ev_text(p, st, 12);
	c->charge_rowid = sqlite3_column_int64(st, 13);
	c->order_rowid = sqlite3_column_int64(st, 14);
	/* The store keeps the folded name; an older row may hold the gateway's own word. */
	if (!reason || cb_reason_parse(&p->reason, reason) < 0)
		p->reason = cb_reason_from_gateway(reason ? reason : p->gateway_reason,
						   p->network_reason_code);
	free(reason);
out:
	ev_done(c, st);
	return ret;
}

static void charge_address(struct cb_packet *p, struct cb_pk_address *a, sqlite3_stmt *st,
			   int col)
{
	a->name = ev_text(p, st, col);
	a->line1 = ev_text(p, st, col + 1);
	a->line2 = ev_text(p, st, col + 2);
	a->city = ev_text(p, st, col + 3);
	a->state = ev_text(p, st, col + 4);
	a->postal = ev_text(p, st, col + 5);
	a->country = ev_text(p, st, col + 6);
	a->phone = ev_text(p, st, col + 7);
}

static void charge_from_row(struct cb_packet *p, struct cb_pk_charge *ch, sqlite3_stmt *st)
{
	char last4[5];
	const char *raw;

	ch->gateway_id = ev_ident(st, 0);
	ch->description = ev_text(p, st, 1);
	ch->status = ev_text(p, st, 2);
	ch->currency = ev_ident(st, 3);
	ch->amount = ev_amount(st, 4);
	ch->amount_refunded = ev_amount(st, 5);
	ch->created_at = ev_time(st, 6);
	ch->card_brand = ev_text(p, st, 7);
	/* Last 4 is an identifier, but a store that somehow held more is cut down here. */
	raw = (const char *)sqlite3_column_text(st, 8);
	cb_card_last4(last4, raw ? raw : "");
	ch->card_last4 = last4[0] ? cb_xstrdup(last4) : NULL;
	ch->card_country = ev_text(p, st, 9);
	ch->card_funding = ev_text(p, st, 10);
	ch->wallet = ev_text(p, st, 11);
	ch->card_exp_month = (int)ev_int(st, 12, 0);
	ch->card_exp_year = (int)ev_int(st, 13, 0);
	ch->avs_line1 = ev_text(p, st, 14);
	ch->avs_postal = ev_text(p, st, 15);
	ch->cvc = ev_text(p, st, 16);
	ch->three_ds_result = ev_text(p, st, 17);
	ch->three_ds_version = ev_text(p, st, 18);
	ch->three_ds_flow = ev_text(p, st, 19);
	ch->risk_level = ev_text(p, st, 20);
	ch->risk_score = (int)ev_int(st, 21, -1);
	ch->network_status = ev_text(p, st, 22);
	ch->seller_message = ev_text(p, st, 23);
	ch->ip = ev_ident(st, 24);
	ch->device_id = ev_ident(st, 25);
	ch->receipt_email = ev_text(p, st, 26);
	charge_address(p, &ch->billing, st, 27);
	charge_address(p, &ch->shipping_addr, st, 35);
}

int ev_load_charge(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT gateway_id, description, status, currency, amount, amount_refunded,"
		" created_at, card_brand, card_last4, card_country, card_funding, wallet,"
		" card_exp_month, card_exp_year, avs_line1, avs_postal, cvc,"
		" three_ds_result, three_ds_version, three_ds_flow, risk_level, risk_score,"
		" network_status, seller_message, ip, device_id, receipt_email,"
		" bill_name, bill_line1, bill_line2, bill_city, bill_state, bill_postal,"
		" bill_country, bill_phone,"
		" ship_name, ship_line1, ship_line2, ship_city, ship_state, ship_postal,"
		" ship_country, ship_phone,"
		" COALESCE(order_id, (SELECT o.id FROM orders o"
		"   WHERE o.order_key = ltrim(charges.order_ref, '#')), 0)"
		" FROM charges WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	int ret, rc;

	if (!c->charge_rowid)
		return 0;
	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->charge_rowid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		charge_from_row(c->p, &c->p->charge, st);
		c->p->has_charge = true;
		if (!c->order_rowid)
			c->order_rowid = sqlite3_column_int64(st, 43);
	} else if (rc != SQLITE_DONE) {
		ret = ev_db_error(c->db, err, "charges");
	}
	ev_done(c, st);
	return ret;
}
