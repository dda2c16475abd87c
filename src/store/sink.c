/*
 * sink.c: the store's struct cb_sink. Each record becomes one upsert keyed
 * on its natural key (docs/linking.md):
 *     INSERT ... ON CONFLICT (key) DO UPDATE SET col = COALESCE(excluded.col, col)
 * so re-importing a file changes nothing, and a newer export overwrites the
 * fields it has while keeping those it lacks. The upserts are generated
 * from the column lists below (one list per table, in binding order) and
 * prepared once per store: an import of a million rows is bound and
 * stepped, never re-parsed.
 *
 * Defence in depth: whatever the importer did, card_last4 goes through
 * cb_card_last4 again and typed free text through cb_redact_text again, so
 * a full card number cannot reach the database through the sink.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/error.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "store_int.h"

/*
 * An upsert: `cols` in binding order, comma-separated. SQLite checks NOT NULL
 * before it looks for a conflict, so a NOT NULL column the record lacks takes
 * the stored row's value: "col!" (a new row without it is refused), or
 * "col=expr" (a new row without it gets expr). "col+" is a link the sink
 * resolved itself (customers.c): a row made in this transaction takes the
 * new value, an older row keeps its own (its link is the link pass's
 * business); the upsert then has one more parameter, the last rowid made
 * before.
 */
struct upsert {
	const char *table, *key, *cols;
};

#define ADDR9(p) p "name," p "company," p "line1," p "line2," p "city," p "state," p "postal," \
	p "country," p "phone"
#define ADDR8(p) p "name," p "line1," p "line2," p "city," p "state," p "postal," p "country," \
	p "phone"
#define ADDR7(p) p "name," p "line1," p "line2," p "city," p "state," p "postal," p "country"

static const struct upsert up_order = {
	"orders", "order_key",
	"order_key,order_ref,source,external_id,email,phone,customer_name,"
	"created_at,paid_at,fulfilled_at,cancelled_at,financial_status,fulfillment_status,"
	"currency,subtotal,shipping,taxes,total,discount,refunded,discount_code,shipping_method,"
	ADDR9("bill_") "," ADDR9("ship_") ","
	"notes,ip,device_id,user_agent,payment_method,payment_reference,payment_id,"
	"risk_level,channel,customer_account_id,customer_id+"
};

static const struct upsert up_order_line = {
	"order_lines", "order_id,line_no",
	"order_id,line_no,name,sku,quantity=1,price,currency,requires_shipping,fulfillment_status"
};

static const struct upsert up_charge = {
	"charges", "gateway,gateway_id",
	"gateway,gateway_id,payment_intent,order_ref,customer_ref,email,customer_name,"
	"amount,amount_refunded,currency,created_at,status,description,"
	"card_brand,card_last4,card_fingerprint,card_country,card_funding,card_exp_month,"
	"card_exp_year,wallet,avs_line1,avs_postal,cvc,three_ds_result,three_ds_version,"
	"three_ds_flow,risk_level,risk_score,network_status,outcome_type,seller_message,"
	"ip,device_id," ADDR8("bill_") "," ADDR8("ship_") ","
	"shipping_carrier,shipping_tracking,receipt_email,receipt_number,metadata_json"
};

static const struct upsert up_refund = {
	"refunds", "gateway,gateway_id",
	"gateway,gateway_id,charge_ref,amount,currency,created_at,status,reason"
};

/* An open/closed flag the export did not give counts as open: a dispute
 * wrongly listed costs a look, one wrongly hidden costs the deadline. */
static const struct upsert up_dispute = {
	"disputes", "gateway,gateway_id",
	"gateway,gateway_id,charge_ref,order_ref,reason!,gateway_reason,network_reason_code,"
	"network,amount!,currency!,status!,stage,is_open=1,opened_at,due_by,updated_at,"
	"buyer_statement,ce3_status"
};

static const struct upsert up_ticket = {
	"tickets", "source,ticket_id",
	"source,ticket_id,subject,order_ref,email,requester_name,created_at,status,channel"
};

static const struct upsert up_message = {
	"messages", "source,source_id",
	"source,source_id,ticket_id,order_ref,dispute_ref,email,channel,direction!,author,"
	"sent_at,body!,is_public,attachment_names"
};

static const struct upsert up_shipment = {
	"shipments", "carrier_key,tracking_number",
	"carrier,carrier_key,tracking_number,order_ref,status,service,shipped_at,delivered_at,"
	"est_delivery,signed_by," ADDR7("to_") ",source"
};

static const struct upsert up_event = {
	"tracking_events", "shipment_id,occurred_at,message",
	"shipment_id,occurred_at,utc_offset_min,status,message='',city,state,postal,country"
};

static const struct upsert up_policy = {
	"policies", "kind", "kind,title,body!,disclosure"
};

static const char sql_order_find[] = "SELECT id FROM orders WHERE order_key = ?1";
static const char sql_order_stub[] = "INSERT INTO orders (order_key, order_ref) VALUES (?1, ?2)";
static const char sql_ship_find[] =
	"SELECT id FROM shipments WHERE carrier_key = ?1 AND tracking_number = ?2";
static const char sql_ship_stub[] =
	"INSERT INTO shipments (carrier, carrier_key, tracking_number) VALUES (?1, ?2, ?3)";

/* The 1-based position of column `name` in `cols`, 0 if absent. */
static int col_index(const char *cols, const char *name, size_t len)
{
	const char *p = cols;
	int i = 0;

	while (*p) {
		size_t n = strcspn(p, ","), name_len = strcspn(p, ",=!+");

		i++;
		if (name_len == len && !memcmp(p, name, len))
			return i;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int col_count(const char *cols)
{
	int n = 1;

	for (; *cols; cols++)
		n += *cols == ',';
	return n;
}

/* "(SELECT col FROM table WHERE k1 = ?i AND ...)": the stored value of `col`. */
static void add_stored(struct cb_buf *b, const struct upsert *u, const char *col, size_t len)
{
	const char *k = u->key;

	cb_buf_addf(b, "(SELECT %.*s FROM %s WHERE ", (int)len, col, u->table);
	while (*k) {
		size_t n = strcspn(k, ",");

		cb_buf_addf(b, "%s%.*s = ?%d", k == u->key ? "" : " AND ", (int)n, k,
			    col_index(u->cols, k, n));
		k += n;
		if (*k == ',')
			k++;
	}
	cb_buf_addc(b, ')');
}

static void build_upsert(struct cb_buf *sql, const struct upsert *u)
{
	struct cb_buf values = CB_BUF_INIT, set = CB_BUF_INIT;
	const char *p = u->cols;
	int i = 0;

	cb_buf_addf(sql, "INSERT INTO %s (", u->table);
	while (*p) {
		size_t n = strcspn(p, ","), len = strcspn(p, ",=!+");
		bool is_key = col_index(u->key, p, len) > 0;

		i++;
		cb_buf_addf(sql, "%s%.*s", i > 1 ? ", " : "", (int)len, p);
		cb_buf_adds(&values, i > 1 ? ", " : "");
		if (p[len] == '+') {
			cb_buf_addf(&values, "?%d", i);
			cb_buf_addf(&set, "%s%.*s = CASE WHEN %s.rowid > ?%d THEN excluded.%.*s"
				    " ELSE %.*s END", set.len ? ", " : "", (int)len, p, u->table,
				    col_count(u->cols) + 1, (int)len, p, (int)len, p);
			p += n;
			if (*p == ',')
				p++;
			continue;
		}
		if (len == n) {
			cb_buf_addf(&values, "?%d", i);
		} else {
			cb_buf_addf(&values, "COALESCE(?%d, ", i);
			if (is_key)
				cb_buf_add(&values, p + len + 1, n - len - 1);
			else
				add_stored(&values, u, p, len);
			if (!is_key && p[len] == '=') {
				cb_buf_adds(&values, ", ");
				cb_buf_add(&values, p + len + 1, n - len - 1);
			}
			cb_buf_addc(&values, ')');
		}
		if (!is_key)
			cb_buf_addf(&set, "%s%.*s = COALESCE(excluded.%.*s, %.*s)", set.len ? ", " : "",
				    (int)len, p, (int)len, p, (int)len, p);
		p += n;
		if (*p == ',')
			p++;
	}
	cb_buf_addf(sql, ") VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s", cb_buf_cstr(&values),
		    u->key, cb_buf_cstr(&set));
	cb_buf_release(&values);
	cb_buf_release(&set);
}

static const struct upsert *const upserts[ST__COUNT] = {
	[ST_ORDER] = &up_order, [ST_ORDER_LINE] = &up_order_line, [ST_CHARGE] = &up_charge,
	[ST_REFUND] = &up_refund, [ST_DISPUTE] = &up_dispute, [ST_TICKET] = &up_ticket,
	[ST_MESSAGE] = &up_message, [ST_SHIPMENT] = &up_shipment, [ST_EVENT] = &up_event,
	[ST_POLICY] = &up_policy,
};

static const char *const plain_sql[ST__COUNT] = {
	[ST_ORDER_FIND] = sql_order_find, [ST_ORDER_STUB] = sql_order_stub,
	[ST_SHIPMENT_FIND] = sql_ship_find, [ST_SHIPMENT_STUB] = sql_ship_stub,
};

static int get_stmt(struct cb_store *s, enum store_stmt which, sqlite3_stmt **out,
		    struct cb_error *err)
{
	struct cb_buf sql = CB_BUF_INIT;
	int ret = 0;

	if (!s->stmt[which]) {
		if (upserts[which])
			build_upsert(&sql, upserts[which]);
		else
			cb_buf_adds(&sql, plain_sql[which]);
		if (sqlite3_prepare_v3(s->db, cb_buf_cstr(&sql), -1, SQLITE_PREPARE_PERSISTENT,
				       &s->stmt[which], NULL) != SQLITE_OK)
			ret = store_db_error(s, err, "preparing '%.60s...'", cb_buf_cstr(&sql));
		cb_buf_release(&sql);
	}
	*out = s->stmt[which];
	return ret;
}

/* Binds parameters 1, 2, ... in column-list order; the first failure sticks. */
struct binder {
	struct cb_store *s;
	sqlite3_stmt *st;
	int i, rc, n_redacted;
};

static void b_text(struct binder *b, const char *v)
{
	b->i++;
	if (b->rc == SQLITE_OK)
		b->rc = cb_empty(v) ? sqlite3_bind_null(b->st, b->i)
				    : sqlite3_bind_text(b->st, b->i, v, -1, SQLITE_STATIC);
}

/* Typed free text, masked again; text without a digit cannot hold a number. */
static void b_free_text(struct binder *b, const char *v)
{
	struct cb_buf *buf;

	if (cb_empty(v) || !strpbrk(v, "0123456789")) {
		b_text(b, v);
		return;
	}
	if (b->n_redacted >= (int)(sizeof(b->s->redacted) / sizeof(b->s->redacted[0]))) {
		b->i++;
		b->rc = SQLITE_MISUSE;   /* more free-text fields than scratch buffers */
		return;
	}
	buf = &b->s->redacted[b->n_redacted++];
	cb_buf_reset(buf);
	cb_buf_adds(buf, "");
	cb_redact_text(buf, v);
	b_text(b, cb_buf_cstr(buf));
}

static void b_i64(struct binder *b, int64_t v, int64_t none)
{
	b->i++;
	if (b->rc == SQLITE_OK)
		b->rc = v == none ? sqlite3_bind_null(b->st, b->i) : sqlite3_bind_int64(b->st, b->i, v);
}

static void b_money(struct binder *b, int64_t v) { b_i64(b, v, CB_NO_AMOUNT); }
static void b_time(struct binder *b, int64_t v) { b_i64(b, v, CB_NO_TIME); }

static void b_addr(struct binder *b, const struct cb_address *a, int fields)
{
	b_text(b, a->name);
	if (fields == 9)
		b_text(b, a->company);
	b_text(b, a->line1);
	b_text(b, a->line2);
	b_text(b, a->city);
	b_text(b, a->state);
	b_text(b, a->postal);
	b_text(b, a->country);
	if (fields >= 8)
		b_text(b, a->phone);
}

static int bind_start(struct binder *b, struct cb_store *s, enum store_stmt which,
		      struct cb_error *err)
{
	int ret;

	memset(b, 0, sizeof(*b));
	b->s = s;
	b->rc = SQLITE_OK;
	if ((ret = get_stmt(s, which, &b->st, err)) < 0)
		return ret;
	return 0;
}

/*
 * Run the bound statement. `what` and `id` name the record in a message.
 * `rowid` (may be NULL) receives the first column of a returned row.
 */
static int run(struct binder *b, const char *what, const char *id, int64_t *rowid,
	       struct cb_error *err)
{
	int rc, ret = 0;

	if (b->rc != SQLITE_OK || b->i != sqlite3_bind_parameter_count(b->st)) {
		ret = cb_error_set(err, CB_ERROR, "store '%s': %s '%s': bound %d of %d values",
				   b->s->path, what, id, b->i, sqlite3_bind_parameter_count(b->st));
		goto out;
	}
	rc = sqlite3_step(b->st);
	if (rc == SQLITE_ROW && rowid)
		*rowid = sqlite3_column_int64(b->st, 0);
	else if (rc == SQLITE_DONE && rowid)
		*rowid = 0;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_error(b->s, err, "%s '%s'", what, id);
out:
	sqlite3_reset(b->st);
	return ret;
}

static int missing_key(struct cb_store *s, const char *what, const char *field,
		       struct cb_error *err)
{
	return cb_error_set(err, CB_EUSAGE, "store '%s': %s record without '%s'", s->path, what,
			    field);
}

/* lower-case letters and digits: "U.S.P.S." and "usps" are one carrier. */
static void carrier_key(struct cb_buf *out, const char *carrier)
{
	const unsigned char *p;

	cb_buf_reset(out);
	cb_buf_adds(out, "");
	for (p = (const unsigned char *)carrier; *p; p++)
		if (isalnum(*p) || *p >= 0x80)
			cb_buf_addc(out, *p >= 0x80 ? (char)*p : (char)tolower(*p));
}

/* The rowid of order `key`, creating a bare row for it when it has none yet. */
static int order_parent(struct cb_store *s, const char *key, const char *ref, int64_t *out,
			struct cb_error *err)
{
	struct binder b;
	int ret;

	if (s->last_order_key && !strcmp(s->last_order_key, key)) {
		*out = s->last_order_id;
		return 0;
	}
	if ((ret = bind_start(&b, s, ST_ORDER_FIND, err)) < 0)
		return ret;
	b_text(&b, key);
	if ((ret = run(&b, "order", ref, out, err)) < 0)
		return ret;
	if (!*out) {
		if ((ret = bind_start(&b, s, ST_ORDER_STUB, err)) < 0)
			return ret;
		b_text(&b, key);
		b_text(&b, ref);
		if ((ret = run(&b, "order", ref, NULL, err)) < 0)
			return ret;
		*out = sqlite3_last_insert_rowid(s->db);
	}
	free(s->last_order_key);
	s->last_order_key = cb_xstrdup(key);
	s->last_order_id = *out;
	return 0;
}

static int sink_order(void *ctx, const struct cb_order *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int64_t customer_id;
	int ret;

	store_order_key(&s->key, r->order_ref);
	if (!s->key.len)
		return missing_key(s, "order", "order_ref", err);
	if ((ret = store_bulk_order_coming(s, err)) < 0)
		return ret;
	if ((ret = bind_start(&b, s, ST_ORDER, err)) < 0)
		return ret;
	b_text(&b, cb_buf_cstr(&s->key));
	b_text(&b, r->order_ref);
	b_text(&b, r->source);
	b_text(&b, r->external_id);
	b_text(&b, r->email);
	b_text(&b, r->phone);
	b_text(&b, r->customer_name);
	b_time(&b, r->created_at);
	b_time(&b, r->paid_at);
	b_time(&b, r->fulfilled_at);
	b_time(&b, r->cancelled_at);
	b_text(&b, r->financial_status);
	b_text(&b, r->fulfillment_status);
	b_text(&b, r->currency);
	b_money(&b, r->subtotal);
	b_money(&b, r->shipping);
	b_money(&b, r->taxes);
	b_money(&b, r->total);
	b_money(&b, r->discount);
	b_money(&b, r->refunded);
	b_text(&b, r->discount_code);
	b_text(&b, r->shipping_method);
	b_addr(&b, &r->billing, 9);
	b_addr(&b, &r->shipping_addr, 9);
	b_free_text(&b, r->notes);
	b_text(&b, r->ip);
	b_text(&b, r->device_id);
	b_text(&b, r->user_agent);
	b_text(&b, r->payment_method);
	b_text(&b, r->payment_reference);
	b_text(&b, r->payment_id);
	b_text(&b, r->risk_level);
	b_text(&b, r->channel);
	b_text(&b, r->customer_account_id);
	customer_id = store_customer_of(s, r);
	b_i64(&b, customer_id, 0);
	b_i64(&b, store_customers_orders_before(s), INT64_MIN);
	sqlite3_set_last_insert_rowid(s->db, 0);
	if ((ret = run(&b, "order", r->order_ref, NULL, err)) < 0)
		return ret;
	store_customers_order_stored(s, sqlite3_last_insert_rowid(s->db) != 0);
	return 0;
}

static int sink_orders_coming(void *ctx, const char *const *emails, size_t n,
			      struct cb_error *err)
{
	return store_customers_expect(ctx, emails, n, err);
}

static int sink_order_line(void *ctx, const struct cb_order_line *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int64_t order_id;
	int ret;

	store_order_key(&s->key, r->order_ref);
	if (!s->key.len)
		return missing_key(s, "order line", "order_ref", err);
	if ((ret = order_parent(s, cb_buf_cstr(&s->key), r->order_ref, &order_id, err)) < 0)
		return ret;
	if ((ret = bind_start(&b, s, ST_ORDER_LINE, err)) < 0)
		return ret;
	b_i64(&b, order_id, 0);
	b_i64(&b, r->line_no, INT64_MIN);
	b_text(&b, r->name);
	b_text(&b, r->sku);
	b_i64(&b, r->quantity, INT64_MIN);
	b_money(&b, r->price);
	b_text(&b, r->currency);
	b_i64(&b, r->requires_shipping, -1);
	b_text(&b, r->fulfillment_status);
	return run(&b, "order line of", r->order_ref, NULL, err);
}

static int sink_charge(void *ctx, const struct cb_charge *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	char last4[5] = "";
	int ret;

	if (cb_empty(r->gateway) || cb_empty(r->gateway_id))
		return missing_key(s, "charge", cb_empty(r->gateway) ? "gateway" : "gateway_id", err);
	if (r->card_last4)
		cb_card_last4(last4, r->card_last4);
	if ((ret = bind_start(&b, s, ST_CHARGE, err)) < 0)
		return ret;
	b_text(&b, r->gateway);
	b_text(&b, r->gateway_id);
	b_text(&b, r->payment_intent);
	b_text(&b, r->order_ref);
	b_text(&b, r->customer_ref);
	b_text(&b, r->email);
	b_text(&b, r->customer_name);
	b_money(&b, r->amount);
	b_money(&b, r->amount_refunded);
	b_text(&b, r->currency);
	b_time(&b, r->created_at);
	b_text(&b, r->status);
	b_free_text(&b, r->description);
	b_text(&b, r->card_brand);
	b_text(&b, last4);
	b_text(&b, r->card_fingerprint);
	b_text(&b, r->card_country);
	b_text(&b, r->card_funding);
	b_i64(&b, r->card_exp_month, 0);
	b_i64(&b, r->card_exp_year, 0);
	b_text(&b, r->wallet);
	b_text(&b, r->avs_line1);
	b_text(&b, r->avs_postal);
	b_text(&b, r->cvc);
	b_text(&b, r->three_ds_result);
	b_text(&b, r->three_ds_version);
	b_text(&b, r->three_ds_flow);
	b_text(&b, r->risk_level);
	b_i64(&b, r->risk_score, -1);
	b_text(&b, r->network_status);
	b_text(&b, r->outcome_type);
	b_free_text(&b, r->seller_message);
	b_text(&b, r->ip);
	b_text(&b, r->device_id);
	b_addr(&b, &r->billing, 8);
	b_addr(&b, &r->shipping_addr, 8);
	b_text(&b, r->shipping_carrier);
	b_text(&b, r->shipping_tracking);
	b_text(&b, r->receipt_email);
	b_text(&b, r->receipt_number);
	b_free_text(&b, r->metadata_json);
	return run(&b, "charge", r->gateway_id, NULL, err);
}

static int sink_refund(void *ctx, const struct cb_refund *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int ret;

	if (cb_empty(r->gateway) || cb_empty(r->gateway_id))
		return missing_key(s, "refund", cb_empty(r->gateway) ? "gateway" : "gateway_id", err);
	if ((ret = bind_start(&b, s, ST_REFUND, err)) < 0)
		return ret;
	b_text(&b, r->gateway);
	b_text(&b, r->gateway_id);
	b_text(&b, r->charge_ref);
	b_money(&b, r->amount);
	b_text(&b, r->currency);
	b_time(&b, r->created_at);
	b_text(&b, r->status);
	b_text(&b, r->reason);
	return run(&b, "refund", r->gateway_id, NULL, err);
}

static int sink_dispute(void *ctx, const struct cb_dispute *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int ret;

	if (cb_empty(r->gateway) || cb_empty(r->gateway_id))
		return missing_key(s, "dispute", cb_empty(r->gateway) ? "gateway" : "gateway_id",
				   err);
	if ((ret = bind_start(&b, s, ST_DISPUTE, err)) < 0)
		return ret;
	b_text(&b, r->gateway);
	b_text(&b, r->gateway_id);
	b_text(&b, r->charge_ref);
	b_text(&b, r->order_ref);
	b_text(&b, r->reason);
	b_text(&b, r->gateway_reason);
	b_text(&b, r->network_reason_code);
	b_text(&b, r->network);
	b_money(&b, r->amount);
	b_text(&b, r->currency);
	b_text(&b, r->status);
	b_text(&b, r->stage);
	b_i64(&b, r->is_open < 0 ? -1 : !!r->is_open, -1);
	b_time(&b, r->opened_at);
	b_time(&b, r->due_by);
	b_time(&b, r->updated_at);
	b_free_text(&b, r->buyer_statement);
	b_text(&b, r->ce3_status);
	return run(&b, "dispute", r->gateway_id, NULL, err);
}

static int sink_ticket(void *ctx, const struct cb_ticket *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int ret;

	if (cb_empty(r->source) || cb_empty(r->ticket_id))
		return missing_key(s, "ticket", cb_empty(r->source) ? "source" : "ticket_id", err);
	if ((ret = bind_start(&b, s, ST_TICKET, err)) < 0)
		return ret;
	b_text(&b, r->source);
	b_text(&b, r->ticket_id);
	b_free_text(&b, r->subject);
	b_text(&b, r->order_ref);
	b_text(&b, r->email);
	b_text(&b, r->requester_name);
	b_time(&b, r->created_at);
	b_text(&b, r->status);
	b_text(&b, r->channel);
	return run(&b, "ticket", r->ticket_id, NULL, err);
}

static int sink_message(void *ctx, const struct cb_message *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int ret;

	if (cb_empty(r->source) || cb_empty(r->source_id))
		return missing_key(s, "message", cb_empty(r->source) ? "source" : "source_id", err);
	if ((ret = bind_start(&b, s, ST_MESSAGE, err)) < 0)
		return ret;
	b_text(&b, r->source);
	b_text(&b, r->source_id);
	b_text(&b, r->ticket_id);
	b_text(&b, r->order_ref);
	b_text(&b, r->dispute_ref);
	b_text(&b, r->email);
	b_text(&b, r->channel);
	b_text(&b, r->direction);
	b_text(&b, r->author);
	b_time(&b, r->sent_at);
	/* A message with an empty body (an attachment only) is still a message. */
	if (r->body && !*r->body) {
		b.i++;
		if (b.rc == SQLITE_OK)
			b.rc = sqlite3_bind_text(b.st, b.i, "", 0, SQLITE_STATIC);
	} else {
		b_free_text(&b, r->body);
	}
	b_i64(&b, r->is_public ? 1 : 0, -1);
	b_text(&b, r->attachment_names);
	return run(&b, "message", r->source_id, NULL, err);
}

static int sink_shipment(void *ctx, const struct cb_shipment *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int ret;

	if (cb_empty(r->carrier) || cb_empty(r->tracking_number))
		return missing_key(s, "shipment",
				   cb_empty(r->carrier) ? "carrier" : "tracking_number", err);
	carrier_key(&s->key, r->carrier);
	if ((ret = bind_start(&b, s, ST_SHIPMENT, err)) < 0)
		return ret;
	b_text(&b, r->carrier);
	b_text(&b, cb_buf_cstr(&s->key));
	b_text(&b, r->tracking_number);
	b_text(&b, r->order_ref);
	b_text(&b, r->status);
	b_text(&b, r->service);
	b_time(&b, r->shipped_at);
	b_time(&b, r->delivered_at);
	b_time(&b, r->est_delivery);
	b_text(&b, r->signed_by);
	b_addr(&b, &r->to, 7);
	b_text(&b, r->source);
	return run(&b, "shipment", r->tracking_number, NULL, err);
}

/* The shipment of a tracking event; an event can arrive before its shipment. */
static int shipment_parent(struct cb_store *s, const struct cb_tracking_event *r, int64_t *out,
			   struct cb_error *err)
{
	struct binder b;
	struct cb_buf both = CB_BUF_INIT;
	int ret;

	carrier_key(&s->key, r->carrier);
	cb_buf_addf(&both, "%s\n%s", cb_buf_cstr(&s->key), r->tracking_number);
	if (s->last_ship_key && !strcmp(s->last_ship_key, cb_buf_cstr(&both))) {
		*out = s->last_ship_id;
		cb_buf_release(&both);
		return 0;
	}
	if ((ret = bind_start(&b, s, ST_SHIPMENT_FIND, err)) < 0)
		goto out;
	b_text(&b, cb_buf_cstr(&s->key));
	b_text(&b, r->tracking_number);
	if ((ret = run(&b, "shipment", r->tracking_number, out, err)) < 0)
		goto out;
	if (!*out) {
		if ((ret = bind_start(&b, s, ST_SHIPMENT_STUB, err)) < 0)
			goto out;
		b_text(&b, r->carrier);
		b_text(&b, cb_buf_cstr(&s->key));
		b_text(&b, r->tracking_number);
		if ((ret = run(&b, "shipment", r->tracking_number, NULL, err)) < 0)
			goto out;
		*out = sqlite3_last_insert_rowid(s->db);
	}
	free(s->last_ship_key);
	s->last_ship_key = cb_buf_detach(&both);
	s->last_ship_id = *out;
out:
	cb_buf_release(&both);
	return ret;
}

static int sink_tracking_event(void *ctx, const struct cb_tracking_event *r,
			       struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int64_t ship_id;
	int ret;

	if (cb_empty(r->carrier) || cb_empty(r->tracking_number))
		return missing_key(s, "tracking event",
				   cb_empty(r->carrier) ? "carrier" : "tracking_number", err);
	if (r->occurred_at == CB_NO_TIME)
		return missing_key(s, "tracking event", "occurred_at", err);
	if ((ret = shipment_parent(s, r, &ship_id, err)) < 0)
		return ret;
	if ((ret = bind_start(&b, s, ST_EVENT, err)) < 0)
		return ret;
	b_i64(&b, ship_id, 0);
	b_time(&b, r->occurred_at);
	b_i64(&b, r->utc_offset_min, INT64_MIN);
	b_text(&b, r->status);
	b_text(&b, r->message);   /* none: '' (it is part of the key) */
	b_text(&b, r->city);
	b_text(&b, r->state);
	b_text(&b, r->postal);
	b_text(&b, r->country);
	return run(&b, "tracking event of", r->tracking_number, NULL, err);
}

static int sink_policy(void *ctx, const struct cb_policy *r, struct cb_error *err)
{
	struct cb_store *s = ctx;
	struct binder b;
	int ret;

	if (cb_empty(r->kind))
		return missing_key(s, "policy", "kind", err);
	if ((ret = bind_start(&b, s, ST_POLICY, err)) < 0)
		return ret;
	b_text(&b, r->kind);
	b_text(&b, r->title);
	b_free_text(&b, r->body);
	b_free_text(&b, r->disclosure);
	return run(&b, "policy", r->kind, NULL, err);
}

void cb_store_sink(struct cb_store *s, struct cb_sink *out)
{
	memset(out, 0, sizeof(*out));
	out->ctx = s;
	out->order = sink_order;
	out->order_line = sink_order_line;
	out->charge = sink_charge;
	out->refund = sink_refund;
	out->dispute = sink_dispute;
	out->ticket = sink_ticket;
	out->message = sink_message;
	out->shipment = sink_shipment;
	out->tracking_event = sink_tracking_event;
	out->policy = sink_policy;
	out->orders_coming = sink_orders_coming;
}
