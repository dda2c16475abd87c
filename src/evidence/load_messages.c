/*
 * load_messages.c: the conversation with the customer, every channel merged
 * into one time line, oldest first. Internal notes (is_public = 0) never
 * enter a packet: they were not written to the customer and may say things
 * the merchant would not show the bank.
 */
#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "evidence_int.h"

/*
 * By the order when there is one: the store links every message it can to
 * an order (its order number, its ticket, the dispute it names, the email in
 * the order's time window), and messages(order_id) is indexed. A dispute
 * without an order still gets the messages that name it.
 */
static const char by_order_sql[] =
	"SELECT m.sent_at, m.channel, m.direction, m.author, m.body, t.subject"
	" FROM messages m LEFT JOIN tickets t ON t.source = m.source AND t.ticket_id = m.ticket_id"
	" WHERE m.order_id = ?1 AND m.is_public = 1"
	" ORDER BY m.sent_at IS NULL, m.sent_at, m.id";
static const char by_dispute_sql[] =
	"SELECT m.sent_at, m.channel, m.direction, m.author, m.body, t.subject"
	" FROM messages m LEFT JOIN tickets t ON t.source = m.source AND t.ticket_id = m.ticket_id"
	" WHERE m.dispute_ref = ?1 AND m.is_public = 1"
	" ORDER BY m.sent_at IS NULL, m.sent_at, m.id";

int ev_load_messages(struct ev_ctx *c, struct cb_error *err)
{
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if (!c->order_rowid && !p->dispute_id)
		return 0;
	if ((ret = ev_prepare(c, &st, c->order_rowid ? by_order_sql : by_dispute_sql,
			      err)) < 0)
		return ret;
	if (c->order_rowid)
		sqlite3_bind_int64(st, 1, c->order_rowid);
	else
		sqlite3_bind_text(st, 1, p->dispute_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_pk_message *m;

		p->messages = cb_xgrow(p->messages, sizeof(*p->messages), p->n_messages + 1, &alloc);
		m = &p->messages[p->n_messages++];
		m->sent_at = ev_time(st, 0);
		m->channel = ev_text(p, st, 1);
		m->direction = ev_text(p, st, 2);
		m->author = ev_text(p, st, 3);
		m->body = ev_text(p, st, 4);
		m->subject = ev_text(p, st, 5);
	}
	if (rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "messages");
	ev_done(c, st);
	return ret;
}
