/*
 * link.c: turning natural keys (*_ref) into links (*_id). Records arrive in
 * any order across imports, so linking is not done at insert time but as a
 * pass over everything still unlinked, after each import. Each rule is one
 * set-based UPDATE whose per-row lookup hits an index (see the "link"
 * indexes in schema.sql), so a pass costs one index probe per unlinked
 * row, never a scan per row. docs/linking.md states the rules; the order
 * of the statements below matters where one rule uses another's result
 * (customers before the e-mail window, charges before disputes).
 */
#include "cbpack/error.h"
#include "store_int.h"

/* An order number as a key: trimmed, leading '#' dropped (store_order_key). */
#define KEY(x) "ltrim(trim(" x "), '#')"

/* A message or ticket at time t may belong to an order created in [t-180d, t+30d]. */
#define WINDOW_BEFORE "15552000"   /* 180 days: order created up to 180 days earlier */
#define WINDOW_AFTER "2592000"     /* 30 days: or up to 30 days later */

/* The nearest order of the customer with e-mail `email` created around `t`. */
#define NEAREST_ORDER(email, t) \
	"(SELECT oid FROM (SELECT o.id AS oid, abs(o.created_at - " t ") AS dist" \
	" FROM customers cu JOIN orders o ON o.customer_id = cu.id" \
	" WHERE cu.email = lower(trim(" email ")) AND o.created_at BETWEEN " \
	t " - " WINDOW_BEFORE " AND " t " + " WINDOW_AFTER " ORDER BY dist, oid LIMIT 1))"

/*
 * The charge with gateway id `ref`, the one at `gateway` if several gateways
 * use the id. (SQLite cannot ORDER BY an outer column in a subquery, hence
 * two lookups.)
 */
#define CHARGE_OF(ref, gateway) \
	"COALESCE((SELECT min(id) FROM charges WHERE gateway_id = " ref \
	" AND gateway = " gateway "), (SELECT min(id) FROM charges WHERE gateway_id = " ref "))"

struct rule {
	const char *what, *sql;
};

static const struct rule rules[] = {
	/* customers, by lower-cased e-mail, from orders then charges */
	{ "customers from orders",
	  "INSERT INTO customers (email, name, phone, first_seen)"
	  " SELECT lower(trim(email)), max(customer_name), max(phone), min(created_at)"
	  " FROM orders WHERE customer_id IS NULL AND trim(email) <> ''"
	  " GROUP BY lower(trim(email))"
	  " ON CONFLICT (email) DO UPDATE SET name = COALESCE(customers.name, excluded.name),"
	  " phone = COALESCE(customers.phone, excluded.phone),"
	  " first_seen = min(COALESCE(customers.first_seen, excluded.first_seen),"
	  "                  COALESCE(excluded.first_seen, customers.first_seen))" },
	{ "orders to customers",
	  "UPDATE orders SET customer_id = cu.id FROM customers cu"
	  " WHERE orders.customer_id IS NULL AND cu.email = lower(trim(orders.email))" },
	{ "customers from charges",
	  "INSERT INTO customers (email, name, first_seen)"
	  " SELECT lower(trim(email)), max(customer_name), min(created_at)"
	  " FROM charges WHERE customer_id IS NULL AND trim(email) <> ''"
	  " GROUP BY lower(trim(email))"
	  " ON CONFLICT (email) DO UPDATE SET name = COALESCE(customers.name, excluded.name),"
	  " first_seen = min(COALESCE(customers.first_seen, excluded.first_seen),"
	  "                  COALESCE(excluded.first_seen, customers.first_seen))" },
	{ "charges to customers",
	  "UPDATE charges SET customer_id = cu.id FROM customers cu"
	  " WHERE charges.customer_id IS NULL AND cu.email = lower(trim(charges.email))" },

	/* charge -> order */
	{ "charges to orders by order number",
	  "UPDATE charges SET order_id = o.id FROM orders o"
	  " WHERE charges.order_id IS NULL AND o.order_key = " KEY("charges.order_ref") },
	{ "charges to orders by order id",
	  "UPDATE charges SET order_id = o.id FROM orders o"
	  " WHERE charges.order_id IS NULL AND o.external_id = trim(charges.order_ref)" },
	{ "charges to orders by payment id",
	  "UPDATE charges SET order_id = o.id FROM orders o"
	  " WHERE charges.order_id IS NULL AND o.payment_id = charges.gateway_id" },
	{ "charges to orders by payment reference",
	  "UPDATE charges SET order_id = o.id FROM orders o"
	  " WHERE charges.order_id IS NULL AND o.payment_reference = charges.gateway_id" },
	{ "charges to orders by payment intent",
	  "UPDATE charges SET order_id = o.id FROM orders o"
	  " WHERE charges.order_id IS NULL AND o.payment_id = charges.payment_intent" },
	{ "charges to orders by payment intent reference",
	  "UPDATE charges SET order_id = o.id FROM orders o"
	  " WHERE charges.order_id IS NULL AND o.payment_reference = charges.payment_intent" },

	/* dispute -> charge (same gateway preferred), then dispute -> order */
	{ "disputes to charges",
	  "WITH m AS MATERIALIZED"
	  " (SELECT d.id AS did, " CHARGE_OF("d.charge_ref", "d.gateway") " AS cid"
	  "  FROM disputes d WHERE d.charge_id IS NULL AND d.charge_ref IS NOT NULL)"
	  " UPDATE disputes SET charge_id = m.cid FROM m"
	  " WHERE disputes.id = m.did AND m.cid IS NOT NULL" },
	/*
	 * The Stripe Dashboard CSV has no dispute ids, so its importer names them
	 * dp_from_<charge>. Once the API's own record of that charge's dispute is
	 * here, the stand-in needs no response of its own: one packet per dispute.
	 */
	{ "dashboard stand-ins superseded by API disputes",
	  "UPDATE disputes SET is_open = 0 WHERE is_open <> 0 AND gateway = 'stripe'"
	  " AND gateway_id LIKE 'dp!_from!_%' ESCAPE '!' AND charge_id IS NOT NULL"
	  " AND EXISTS (SELECT 1 FROM disputes d2 WHERE d2.charge_id = disputes.charge_id"
	  " AND d2.id <> disputes.id AND d2.gateway_id NOT LIKE 'dp!_from!_%' ESCAPE '!')" },
	{ "disputes to orders through their charge",
	  "UPDATE disputes SET order_id = ch.order_id FROM charges ch"
	  " WHERE disputes.order_id IS NULL AND ch.id = disputes.charge_id"
	  " AND ch.order_id IS NOT NULL" },
	{ "disputes to orders by order number",
	  "UPDATE disputes SET order_id = o.id FROM orders o"
	  " WHERE disputes.order_id IS NULL AND o.order_key = " KEY("disputes.order_ref") },
	{ "disputes to orders by order id",
	  "UPDATE disputes SET order_id = o.id FROM orders o"
	  " WHERE disputes.order_id IS NULL AND o.external_id = trim(disputes.order_ref)" },
	/* a dispute that names both its charge and its order links the two */
	{ "charges to orders through their dispute",
	  "UPDATE charges SET order_id = d.order_id FROM disputes d"
	  " WHERE charges.order_id IS NULL AND d.charge_id = charges.id"
	  " AND d.order_id IS NOT NULL" },

	/* refund -> charge */
	{ "refunds to charges",
	  "WITH m AS MATERIALIZED"
	  " (SELECT r.id AS rid, " CHARGE_OF("r.charge_ref", "r.gateway") " AS cid"
	  "  FROM refunds r WHERE r.charge_id IS NULL AND r.charge_ref IS NOT NULL)"
	  " UPDATE refunds SET charge_id = m.cid FROM m"
	  " WHERE refunds.id = m.rid AND m.cid IS NOT NULL" },

	/* shipment -> order */
	{ "shipments to orders by order number",
	  "UPDATE shipments SET order_id = o.id FROM orders o"
	  " WHERE shipments.order_id IS NULL AND o.order_key = " KEY("shipments.order_ref") },
	{ "shipments to orders by order id",
	  "UPDATE shipments SET order_id = o.id FROM orders o"
	  " WHERE shipments.order_id IS NULL AND o.external_id = trim(shipments.order_ref)" },
	{ "shipments to orders by a charge's tracking number",
	  "UPDATE shipments SET order_id = ch.order_id FROM charges ch"
	  " WHERE shipments.order_id IS NULL AND ch.shipping_tracking = shipments.tracking_number"
	  " AND ch.order_id IS NOT NULL" },

	/*
	 * Conversations. order_via records the rule that linked a row; a rule
	 * revisits rows linked by weaker rules (order_ref > dispute > ticket >
	 * email), so the outcome does not depend on which file came first.
	 */
	{ "tickets to orders by order number",
	  "UPDATE tickets SET order_id = o.id, order_via = 'order_ref' FROM orders o"
	  " WHERE tickets.order_via IN ('none', 'email') AND tickets.order_ref IS NOT NULL"
	  " AND o.order_key = " KEY("tickets.order_ref") },
	{ "tickets to orders by e-mail and time",
	  "WITH m AS MATERIALIZED"
	  " (SELECT t.id AS tid, " NEAREST_ORDER("t.email", "t.created_at") " AS oid"
	  "  FROM tickets t WHERE t.order_via IN ('none', 'email') AND t.email IS NOT NULL"
	  "  AND t.created_at IS NOT NULL)"
	  " UPDATE tickets SET order_id = m.oid, order_via = 'email' FROM m"
	  " WHERE tickets.id = m.tid AND m.oid IS NOT NULL AND tickets.order_id IS NOT m.oid" },
	{ "messages to orders by order number",
	  "UPDATE messages SET order_id = o.id, order_via = 'order_ref' FROM orders o"
	  " WHERE messages.order_via IN ('none', 'dispute', 'ticket', 'email')"
	  " AND messages.order_ref IS NOT NULL AND o.order_key = " KEY("messages.order_ref") },
	{ "messages to orders through their dispute",
	  "WITH m AS MATERIALIZED"
	  " (SELECT x.id AS mid, (SELECT d.order_id FROM disputes d"
	  "   WHERE d.gateway_id = x.dispute_ref AND d.order_id IS NOT NULL"
	  "   ORDER BY d.id LIMIT 1) AS oid"
	  "  FROM messages x WHERE x.order_via IN ('none', 'ticket', 'email')"
	  "  AND x.dispute_ref IS NOT NULL)"
	  " UPDATE messages SET order_id = m.oid, order_via = 'dispute' FROM m"
	  " WHERE messages.id = m.mid AND m.oid IS NOT NULL" },
	{ "messages to orders through their ticket",
	  "WITH m AS MATERIALIZED"
	  " (SELECT x.id AS mid, COALESCE("
	  "   (SELECT min(t.order_id) FROM tickets t WHERE t.source = x.source"
	  "    AND t.ticket_id = x.ticket_id),"
	  "   (SELECT min(t.order_id) FROM tickets t WHERE t.ticket_id = x.ticket_id)) AS oid"
	  "  FROM messages x WHERE x.order_via IN ('none', 'ticket', 'email')"
	  "  AND x.ticket_id IS NOT NULL)"
	  " UPDATE messages SET order_id = m.oid, order_via = 'ticket' FROM m"
	  " WHERE messages.id = m.mid AND m.oid IS NOT NULL"
	  " AND (messages.order_id IS NOT m.oid OR messages.order_via <> 'ticket')" },
	{ "messages to orders by e-mail and time",
	  "WITH m AS MATERIALIZED"
	  " (SELECT x.id AS mid, " NEAREST_ORDER("x.email", "x.sent_at") " AS oid"
	  "  FROM messages x WHERE x.order_via IN ('none', 'email') AND x.email IS NOT NULL"
	  "  AND x.sent_at IS NOT NULL)"
	  " UPDATE messages SET order_id = m.oid, order_via = 'email' FROM m"
	  " WHERE messages.id = m.mid AND m.oid IS NOT NULL AND messages.order_id IS NOT m.oid" },
};

/*
 * The rules before this one read orders only through "customer_id IS NULL".
 * When a bulk load deferred the indexes of orders (bulk.c), they run before
 * the indexes are built again: scanning a table of new rows costs no more
 * than walking an index of all of them, and setting customer_id does not
 * then move each row's entry in orders_customer.
 */
#define FIRST_RULE_NEEDING_INDEXES 2

/* A savepoint makes the pass atomic whether or not the caller opened a transaction. */
int cb_store_link(struct cb_store *s, struct cb_error *err)
{
	bool linked, restored;
	size_t i = 0;
	int ret;

	if ((ret = store_exec(s, "SAVEPOINT link", "linking", err)) < 0)
		return ret;
	if ((ret = store_customers_settle(s, &linked, &restored, err)) < 0)
		goto fail;
	/* linked: the sink made the first two rules' customers and links */
	if (linked)
		i = FIRST_RULE_NEEDING_INDEXES;
	for (; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (i == FIRST_RULE_NEEDING_INDEXES && !restored &&
		    (ret = store_bulk_restore(s, err)) < 0)
			goto fail;
		if (sqlite3_exec(s->db, rules[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
			ret = store_db_error(s, err, "linking %s", rules[i].what);
			goto fail;
		}
	}
	if ((ret = store_exec(s, "RELEASE link", "linking", err)) < 0)
		return ret;
	store_customers_forget(s);
	if (s->deferred.len)
		store_bulk_forget(s);   /* built, and kept */
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK TO link; RELEASE link", NULL, NULL, NULL);
	return ret;
}
