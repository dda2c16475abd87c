/*
 * load_messages.c: the conversation with the customer, every channel merged
 * into one time line, oldest first. Internal notes (is_public = 0) never
 * enter a packet: they were not written to the customer and may say things
 * the merchant would not show the bank.
 */
#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "evidence_int.h"

int ev_load_messages(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT m.sent_at, m.channel, m.direction, m.author, m.body, t.subject"
		" FROM messages m LEFT JOIN tickets t"
		"   ON t.source = m.source AND t.ticket_id = m.ticket_id"
		" WHERE m.is_public = 1 AND ("
		"   (?1 <> 0 AND (m.order_id = ?1 OR t.order_id = ?1"
		"     OR (m.order_id IS NULL AND ltrim(m.order_ref, '#') ="
		"         (SELECT order_key FROM orders WHERE id = ?1))))"
		"   OR (?2 IS NOT NULL AND m.dispute_ref = ?2))"
		" ORDER BY m.sent_at IS NULL, m.sent_at, m.id";
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if ((ret = ev_prepare(c->db, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->order_rowid);
	if (p->dispute_id)
		sqlite3_bind_text(st, 2, p->dispute_id, -1, SQLITE_STATIC);
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
	sqlite3_finalize(st);
	return ret;
}
