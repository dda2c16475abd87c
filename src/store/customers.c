/*
 * customers.c: the sink links a new order to its customer in the order's
 * own INSERT, so that the link pass need not rewrite every new order row
 * (on a bulk load that rewrite dirtied the whole table a second time).
 *
 * The result must be what the link pass alone would make, ids included:
 * it makes the customers of unlinked orders in one INSERT ... SELECT ...
 * GROUP BY lower(trim(email)), so new customers take their ids in the sorted
 * order of their e-mails. The sink can only give an order its customer's
 * id if it knows every new e-mail first: an importer holding a whole file
 * passes them (sink->orders_coming), and the new customers are made then,
 * bare and in that sorted order; the link pass fills their names, phones and
 * first_seen from the orders as before.
 *
 * The list is only a hint, so the links stand only if it was exactly right:
 * every order sent had an e-mail on the list (or none), every new customer
 * got an order, and every order's upsert made a new row (an update could
 * change an older row's e-mail, which the link pass must see unlinked).
 * Otherwise settle undoes it all (links cleared, the bare customers deleted,
 * so their ids are handed out again) before the pass runs as it always did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/hash.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "store_int.h"

/*
 * A customer, and what the link pass's GROUP BY would make of the orders
 * linked to it: max(customer_name), max(phone), min(created_at).
 */
struct slot {
	size_t email;      /* offset in `text`; 0: empty slot */
	int64_t id;
	bool is_new, used, has_first_seen;
	char *name, *phone;
	int64_t first_seen;
};

struct store_customers {
	struct slot *slots;
	size_t n, cap;                 /* cap: a power of two */
	struct cb_buf text;            /* e-mails, NUL-separated; offset 0 unused */
	int64_t orders_before;         /* last rowid of orders before this transaction's */
	int64_t customers_before;      /* last rowid of customers before the new ones */
	size_t n_new;
	bool miss, updated;            /* an e-mail not listed; an upsert that made no row */
};

static struct slot *find_slot(struct slot *slots, size_t cap, const char *text, const char *email)
{
	size_t i = cb_str_hash(email) & (cap - 1);

	while (slots[i].email && strcmp(text + slots[i].email, email))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct store_customers *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i;
	struct slot *slots = cb_xcalloc(cap, sizeof(*slots));

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].email)
			*find_slot(slots, cap, m->text.ptr, m->text.ptr + m->slots[i].email) =
				m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

static void add_email(struct store_customers *m, const char *email)
{
	struct slot *sl;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	sl = find_slot(m->slots, m->cap, m->text.ptr, email);
	if (sl->email)
		return;
	sl->email = m->text.len;
	cb_buf_add(&m->text, email, strlen(email) + 1);
	m->n++;
}

/* lower(trim(email)) as SQLite computes it (spaces only; ASCII letters); "" for none. */
static const char *customer_key(struct cb_buf *out, const char *email)
{
	const char *end;

	cb_buf_reset(out);
	cb_buf_adds(out, "");
	if (!email)
		return cb_buf_cstr(out);
	while (*email == ' ')
		email++;
	end = email + strlen(email);
	while (end > email && end[-1] == ' ')
		end--;
	for (; email < end; email++)
		cb_buf_addc(out, *email >= 'A' && *email <= 'Z' ? (char)(*email - 'A' + 'a') : *email);
	return cb_buf_cstr(out);
}

struct listed {
	const char *email;
	struct slot *slot;
};

static int by_email(const void *a, const void *b)
{
	return strcmp(((const struct listed *)a)->email, ((const struct listed *)b)->email);
}

/* Find or make each listed customer, new ones in the sorted order of their e-mails. */
static int make_customers(struct cb_store *s, struct store_customers *m, struct cb_error *err)
{
	sqlite3_stmt *add = NULL, *find = NULL;
	struct listed *order = cb_xcalloc(m->n ? m->n : 1, sizeof(*order));
	size_t i, k = 0;
	int ret = 0;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].email) {
			order[k].email = m->text.ptr + m->slots[i].email;
			order[k++].slot = &m->slots[i];
		}
	/* strcmp orders as SQLite's BINARY collation does, as the link pass's GROUP BY */
	qsort(order, k, sizeof(*order), by_email);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO customers (email) VALUES (?1)"
			       " ON CONFLICT (email) DO NOTHING", -1, &add, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT id FROM customers WHERE email = ?1", -1, &find,
			       NULL) != SQLITE_OK) {
		ret = store_db_error(s, err, "linking customers");
		goto out;
	}
	for (i = 0; i < k && !ret; i++) {
		const char *email = order[i].email;

		sqlite3_bind_text(add, 1, email, -1, SQLITE_STATIC);
		if (sqlite3_step(add) != SQLITE_DONE) {
			ret = store_db_error(s, err, "customer '%s'", email);
			break;
		}
		sqlite3_reset(add);
		if (sqlite3_changes(s->db) == 1) {
			order[i].slot->id = sqlite3_last_insert_rowid(s->db);
			order[i].slot->is_new = true;
			m->n_new++;
			continue;
		}
		sqlite3_bind_text(find, 1, email, -1, SQLITE_STATIC);
		if (sqlite3_step(find) == SQLITE_ROW)
			order[i].slot->id = sqlite3_column_int64(find, 0);
		else
			ret = store_db_error(s, err, "customer '%s'", email);
		sqlite3_reset(find);
	}
out:
	sqlite3_finalize(add);
	sqlite3_finalize(find);
	free(order);
	return ret;
}

int store_customers_expect(struct cb_store *s, const char *const *emails, size_t n,
			   struct cb_error *err)
{
	struct store_customers *m;
	int64_t unlinked;
	size_t i;
	int ret;

	/* once per transaction, before its first order */
	if (s->customers || sqlite3_get_autocommit(s->db) || s->tx_orders)
		return 0;
	/* an older unlinked order with an e-mail would join the link pass's groups */
	if ((ret = store_query_int(s, "SELECT count(*) FROM (SELECT 1 FROM orders WHERE customer_id IS NULL"
				   " AND trim(email) <> '' LIMIT 1)", "linking customers", &unlinked,
				   err)) < 0 || unlinked)
		return ret;
	m = cb_xcalloc(1, sizeof(*m));
	cb_buf_addc(&m->text, '\0');
	for (i = 0; i < n; i++)
		if (*customer_key(&s->email, emails[i]))
			add_email(m, cb_buf_cstr(&s->email));
	if ((ret = store_query_int(s, "SELECT coalesce(max(id), 0) FROM orders", "linking customers",
				   &m->orders_before, err)) < 0 ||
	    (ret = store_query_int(s, "SELECT coalesce(max(id), 0) FROM customers",
				   "linking customers", &m->customers_before, err)) < 0 ||
	    (ret = make_customers(s, m, err)) < 0) {
		cb_buf_release(&m->text);
		free(m->slots);
		free(m);
		return ret;   /* the caller rolls the transaction back */
	}
	s->customers = m;
	return 0;
}

/* max() of SQLite's BINARY collation over text, which ignores NULLs. */
static void keep_max(char **kept, const char *v)
{
	if (cb_empty(v) || (*kept && strcmp(*kept, v) >= 0))
		return;
	free(*kept);
	*kept = cb_xstrdup(v);
}

int64_t store_customer_of(struct cb_store *s, const struct cb_order *r)
{
	struct store_customers *m = s->customers;
	const char *key;
	struct slot *sl;

	if (!m)
		return 0;
	key = customer_key(&s->email, r->email);
	if (!*key)
		return 0;
	sl = m->n ? find_slot(m->slots, m->cap, m->text.ptr, key) : NULL;
	if (!sl || !sl->email) {
		m->miss = true;
		return 0;
	}
	sl->used = true;
	keep_max(&sl->name, r->customer_name);
	keep_max(&sl->phone, r->phone);
	if (r->created_at != CB_NO_TIME &&
	    (!sl->has_first_seen || r->created_at < sl->first_seen)) {
		sl->first_seen = r->created_at;
		sl->has_first_seen = true;
	}
	return sl->id;
}

int64_t store_customers_orders_before(const struct cb_store *s)
{
	return s->customers ? s->customers->orders_before : INT64_MAX;
}

void store_customers_order_stored(struct cb_store *s, bool made_row)
{
	if (s->customers && !made_row)
		s->customers->updated = true;
}

/*
 * What the link pass's "customers from orders" would do with the groups the
 * sink kept: the same ON CONFLICT DO UPDATE, customer by customer.
 */
static int fill_customers(struct cb_store *s, const struct store_customers *m,
			  struct cb_error *err)
{
	static const char sql[] =
		"UPDATE customers SET name = COALESCE(name, ?2), phone = COALESCE(phone, ?3),"
		" first_seen = min(COALESCE(first_seen, ?4), COALESCE(?4, first_seen))"
		" WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	const struct slot *sl;
	size_t i;
	int ret = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "linking customers from orders");
	for (i = 0; i < m->cap && !ret; i++) {
		sl = &m->slots[i];
		if (!sl->email || !sl->used)
			continue;
		sqlite3_bind_int64(st, 1, sl->id);
		sqlite3_bind_text(st, 2, sl->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sl->phone, -1, SQLITE_STATIC);
		if (sl->has_first_seen)
			sqlite3_bind_int64(st, 4, sl->first_seen);
		else
			sqlite3_bind_null(st, 4);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = store_db_error(s, err, "linking customer '%s'", m->text.ptr + sl->email);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return ret;
}

static bool links_stand(const struct store_customers *m)
{
	size_t i;

	if (m->miss || m->updated)
		return false;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].is_new && !m->slots[i].used)
			return false;
	return true;
}

int store_customers_settle(struct cb_store *s, bool *linked, bool *restored,
			   struct cb_error *err)
{
	struct store_customers *m = s->customers;
	char sql[256];
	int ret;

	*linked = *restored = false;
	if (!m)
		return 0;
	if (links_stand(m)) {
		*linked = true;
		return fill_customers(s, m, err);
	}
	/* the indexes first: clearing and deleting then probe orders_customer, not scan */
	if ((ret = store_bulk_restore(s, err)) < 0)
		return ret;
	*restored = true;
	snprintf(sql, sizeof(sql),
		 "UPDATE orders SET customer_id = NULL WHERE id > %lld AND customer_id IS NOT NULL;"
		 " DELETE FROM customers WHERE id > %lld",
		 (long long)m->orders_before, (long long)m->customers_before);
	return store_exec(s, sql, "undoing the links of the sink", err);
}

void store_customers_forget(struct cb_store *s)
{
	size_t i;

	if (!s->customers)
		return;
	for (i = 0; i < s->customers->cap; i++) {
		free(s->customers->slots[i].name);
		free(s->customers->slots[i].phone);
	}
	cb_buf_release(&s->customers->text);
	free(s->customers->slots);
	free(s->customers);
	s->customers = NULL;
}
