/*
 * load_order.c: the disputed order with its line items, and who the customer
 * is. The customer is named from the order first (what the shopper typed at
 * checkout), then the charge, then the store's customer record.
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static void order_address(struct cb_packet *p, struct cb_pk_address *a, sqlite3_stmt *st,
			  int col)
{
	a->name = ev_text(p, st, col);
	a->company = ev_text(p, st, col + 1);
	a->line1 = ev_text(p, st, col + 2);
	a->line2 = ev_text(p, st, col + 3);
	a->city = ev_text(p, st, col + 4);
	a->state = ev_text(p, st, col + 5);
	a->postal = ev_text(p, st, col + 6);
	a->country = ev_text(p, st, col + 7);
	a->phone = ev_text(p, st, col + 8);
}

static void order_from_row(struct ev_ctx *c, sqlite3_stmt *st)
{
	struct cb_packet *p = c->p;
	struct cb_pk_order *o = &p->order;

	o->order_ref = ev_ident(st, 0);
	o->external_id = ev_ident(st, 1);
	o->source = ev_text(p, st, 2);
	o->channel = ev_text(p, st, 3);
	o->created_at = ev_time(st, 4);
	o->paid_at = ev_time(st, 5);
	o->fulfilled_at = ev_time(st, 6);
	o->cancelled_at = ev_time(st, 7);
	o->financial_status = ev_text(p, st, 8);
	o->fulfillment_status = ev_text(p, st, 9);
	o->currency = ev_ident(st, 10);
	o->subtotal = ev_amount(st, 11);
	o->shipping = ev_amount(st, 12);
	o->taxes = ev_amount(st, 13);
	o->total = ev_amount(st, 14);
	o->discount = ev_amount(st, 15);
	o->refunded = ev_amount(st, 16);
	o->discount_code = ev_text(p, st, 17);
	o->shipping_method = ev_text(p, st, 18);
	o->payment_method = ev_text(p, st, 19);
	o->notes = ev_text(p, st, 20);
	order_address(p, &o->billing, st, 21);
	order_address(p, &o->shipping_addr, st, 30);
	c->customer_rowid = ev_int(st, 39, 0);
	p->customer_name = ev_text(p, st, 40);
	p->email = ev_text(p, st, 41);
	p->phone = ev_text(p, st, 42);
	p->device_id = ev_ident(st, 43);
	p->account_id = ev_ident(st, 44);
	/* Kept for the purchase IP fact when the charge has none. */
	p->facts.purchase_ip = ev_ident(st, 45);
}

static int load_lines(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT name, sku, quantity, price FROM order_lines"
		" WHERE order_id = ?1 ORDER BY line_no, id";
	struct cb_pk_order *o = &c->p->order;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->order_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_pk_line *l;

		o->lines = cb_xgrow(o->lines, sizeof(*o->lines), o->n_lines + 1, &alloc);
		l = &o->lines[o->n_lines++];
		l->name = ev_text(c->p, st, 0);
		l->sku = ev_ident(st, 1);
		l->quantity = ev_int(st, 2, 1);
		l->price = ev_amount(st, 3);
	}
	if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "order_lines");
	ev_done(c, st);
	return ret;
}

int ev_load_order(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT order_ref, external_id, source, channel, created_at, paid_at,"
		" fulfilled_at, cancelled_at, financial_status, fulfillment_status, currency,"
		" subtotal, shipping, taxes, total, discount, refunded, discount_code,"
		" shipping_method, payment_method, notes,"
		" bill_name, bill_company, bill_line1, bill_line2, bill_city, bill_state,"
		" bill_postal, bill_country, bill_phone,"
		" ship_name, ship_company, ship_line1, ship_line2, ship_city, ship_state,"
		" ship_postal, ship_country, ship_phone,"
		" customer_id, COALESCE(NULLIF(customer_name, ''), NULLIF(bill_name, ''), ship_name),"
		" email, COALESCE(NULLIF(phone, ''), NULLIF(bill_phone, ''), ship_phone),"
		" device_id, customer_account_id, ip"
		" FROM orders WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	int ret, rc;

	if (!c->order_rowid)
		return 0;
	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->order_rowid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		order_from_row(c, st);
		c->p->has_order = true;
	} else if (rc != SQLITE_DONE) {
		ret = ev_db_error(c->db, err, "orders");
	}
	ev_done(c, st);
	if (ret == 0 && c->p->has_order)
		ret = load_lines(c, err);
	return ret;
}

static void take_if_empty(char **dst, const char *src, struct cb_packet *p)
{
	if (cb_empty(*dst) && !cb_empty(src)) {
		free(*dst);
		*dst = ev_text_str(p, src);
	}
}

/* Fill what the order did not say from the charge, then the customer record. */
int ev_load_customer(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] = "SELECT name, email, phone FROM customers WHERE id = ?1";
	struct cb_packet *p = c->p;
	struct cb_pk_charge *ch = &p->charge;
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (p->has_charge) {
		take_if_empty(&p->customer_name, ch->billing.name, p);
		take_if_empty(&p->customer_name, ch->shipping_addr.name, p);
		take_if_empty(&p->email, ch->receipt_email, p);
		take_if_empty(&p->phone, ch->billing.phone, p);
		if (cb_empty(p->device_id) && !cb_empty(ch->device_id))
			p->device_id = cb_xstrdup(ch->device_id);
	}
	if (p->has_charge && c->charge_rowid) {
		if ((ret = ev_prepare(c, &st,
				      "SELECT customer_name, email FROM charges WHERE id = ?1",
				      err)) < 0)
			return ret;
		sqlite3_bind_int64(st, 1, c->charge_rowid);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			take_if_empty(&p->customer_name, (const char *)sqlite3_column_text(st, 0), p);
			take_if_empty(&p->email, (const char *)sqlite3_column_text(st, 1), p);
		} else if (rc != SQLITE_DONE) {
			ret = ev_db_error(c->db, err, "charges");
		}
		ev_done(c, st);
		st = NULL;
		if (ret < 0)
			return ret;
	}
	if (!c->customer_rowid)
		return 0;
	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->customer_rowid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		take_if_empty(&p->customer_name, (const char *)sqlite3_column_text(st, 0), p);
		take_if_empty(&p->email, (const char *)sqlite3_column_text(st, 1), p);
		take_if_empty(&p->phone, (const char *)sqlite3_column_text(st, 2), p);
	} else if (rc != SQLITE_DONE) {
		ret = ev_db_error(c->db, err, "customers");
	}
	ev_done(c, st);
	return ret;
}
