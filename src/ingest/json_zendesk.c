/*
 * json_zendesk.c: the `zendesk` importer. Zendesk Support tickets with
 * their comments and side-loaded users (docs/formats.md, "zendesk"): one
 * {"ticket","comments","users"} bundle, an array or NDJSON of bundles, or
 * a ticket list {"tickets":[...]} (tickets only). Zendesk does not put the
 * requester's name and email on the ticket, so they are joined from
 * "users"; the same join tells a customer's comment from an agent's.
 * Internal notes are kept, marked not public: the packet leaves them out,
 * but the merchant may want to see them.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "formats.h"
#include "json_util.h"

/* ---- finding the order number ---- */

static int digit_run(const char *s, size_t *n)
{
	*n = 0;
	while (isdigit((unsigned char)s[*n]))
		(*n)++;
	return *n >= 3 && *n <= 20;
}

static const char *order_ref(struct cb_json_ctx *c, const char *digits, size_t n)
{
	return cb_json_printf(c, "#%.*s", (int)n, digits);
}

/* A whole value that is an order number: "#1234", "1234", "order-1234". */
static const char *order_value(struct cb_json_ctx *c, const char *v)
{
	size_t n, digits;

	if (cb_empty(v))
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	if (!strncasecmp(v, "order", 5)) {
		v += 5;
		while (*v == '_' || *v == '-' || *v == ':' || *v == ' ')
			v++;
	}
	if (*v == '#')
		v++;
	if (!digit_run(v, &digits))
		return NULL;
	for (n = digits; isspace((unsigned char)v[n]); n++)
		;
	return v[n] ? NULL : order_ref(c, v, digits);
}

static int word_start(const char *text, const char *p)
{
	return p == text || !isalnum((unsigned char)p[-1]);
}

/*
 * An order number inside text: "#1234" or "order 1234", "order #1234",
 * "order no. 1234", "order number: 1234", any case.
 */
static const char *order_in_text(struct cb_json_ctx *c, const char *text)
{
	static const char *const fillers[] = { "number", "num", "no.", "no", "nr", "id" };
	const char *p, *q;
	size_t n, i, fl;

	for (p = text; p && *p; p++) {
		if (*p == '#' && word_start(text, p) && digit_run(p + 1, &n) &&
		    !isalnum((unsigned char)p[1 + n]))
			return order_ref(c, p + 1, n);
		if (strncasecmp(p, "order", 5) || !word_start(text, p))
			continue;
		q = p + 5;
		while (*q == ' ' || *q == ':')
			q++;
		for (i = 0; i < sizeof(fillers) / sizeof(fillers[0]); i++) {
			fl = strlen(fillers[i]);
			if (!strncasecmp(q, fillers[i], fl) && !isalnum((unsigned char)q[fl])) {
				q += fl;
				while (*q == ' ' || *q == ':')
					q++;
				break;
			}
		}
		if (*q == '#')
			q++;
		if (digit_run(q, &n) && !isalnum((unsigned char)q[n]))
			return order_ref(c, q, n);
	}
	return NULL;
}

/* Custom fields first (a merchant made one for it), then tags, subject, external_id. */
static const char *find_order(struct cb_json_ctx *c, const json_t *t, const char *subject,
			      const char *external_id)
{
	json_t *arr, *v;
	const char *found = NULL;
	size_t i;

	arr = json_object_get(t, "custom_fields");
	for (i = 0; !found && json_is_array(arr) && i < json_array_size(arr); i++) {
		v = json_object_get(json_array_get(arr, i), "value");
		if (json_is_string(v))
			found = order_value(c, json_string_value(v));
		else if (json_is_integer(v))
			found = order_value(c, cb_json_printf(c, "%" JSON_INTEGER_FORMAT,
							      json_integer_value(v)));
	}
	arr = json_object_get(t, "tags");
	for (i = 0; !found && json_is_array(arr) && i < json_array_size(arr); i++)
		found = order_value(c, json_string_value(json_array_get(arr, i)));
	if (!found && subject)
		found = order_in_text(c, subject);
	if (!found && external_id)
		found = order_value(c, external_id);
	return found;
}

/* ---- users ---- */

static int same_id(const json_t *a, const json_t *b)
{
	if (!a || !b)
		return 0;
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	if (json_is_string(a) && json_is_string(b))
		return !strcmp(json_string_value(a), json_string_value(b));
	return 0;
}

static const json_t *find_user(const json_t *users, const json_t *id)
{
	size_t i;

	for (i = 0; json_is_array(users) && i < json_array_size(users); i++)
		if (same_id(json_object_get(json_array_get(users, i), "id"), id))
			return json_array_get(users, i);
	return NULL;
}

static const char *user_field(const json_t *user, const char *key)
{
	return json_string_value(json_object_get(user, key));
}

/* ---- ticket and comments ---- */

struct ticket_ctx {
	const char *id, *order_ref, *email, *channel;
	const json_t *requester_id, *users;
};

/*
 * Role "end-user" writes as the customer, "agent" and "admin" for the
 * merchant. An author missing from "users" is the customer only when it is
 * the requester.
 */
static void comment_author(const struct ticket_ctx *t, const json_t *author_id,
			   struct cb_message *m)
{
	const json_t *user = find_user(t->users, author_id);
	const char *role = user_field(user, "role");

	m->author = user_field(user, "name");
	if (role)
		m->direction = cb_streq_ci(role, "end-user") ? "customer" : "merchant";
	else
		m->direction = same_id(author_id, t->requester_id) ? "customer" : "merchant";
}

static int put_comment(struct cb_json_ctx *c, const json_t *o, size_t index,
		       const struct ticket_ctx *t)
{
	const char *plain, *body, *via;
	struct cb_message m;
	int ret;

	cb_message_blank(&m);
	m.source = "zendesk";
	m.ticket_id = t->id;
	m.order_ref = t->order_ref;
	m.email = t->email;
	if ((ret = cb_json_id(c, o, "id", &m.source_id)) ||
	    (ret = cb_json_time(c, o, "created_at", &m.sent_at, NULL)) ||
	    (ret = cb_json_str(c, o, "plain_body", &plain)) ||
	    (ret = cb_json_str(c, o, "body", &body)) ||
	    (ret = cb_json_bool(c, o, "public", 1, &m.is_public)) ||
	    (ret = cb_json_str_at(c, o, "via.channel", &via)))
		return ret;
	if (!m.source_id)
		m.source_id = cb_json_printf(c, "%s:%zu", t->id, index);
	m.channel = via ? via : t->channel;
	m.body = cb_json_redact(c, !cb_empty(plain) ? plain : body ? body : "");
	m.attachment_names = cb_json_join_names(c, o, "attachments", "file_name");
	comment_author(t, json_object_get(o, "author_id"), &m);
	return cb_json_put_message(c, &m);
}

static int put_comments(struct cb_json_ctx *c, const json_t *comments, const struct ticket_ctx *t)
{
	size_t i, mark;
	int ret = 0;

	for (i = 0; !ret && i < json_array_size(comments); i++) {
		mark = cb_json_enter_index(c, i);
		if (!json_is_object(json_array_get(comments, i)))
			ret = cb_json_fail(c, NULL, "expected a comment object");
		else
			ret = put_comment(c, json_array_get(comments, i), i, t);
		cb_json_leave(c, mark);
	}
	return ret;
}

static int put_ticket(struct cb_json_ctx *c, const json_t *o, const json_t *users,
		      struct ticket_ctx *t)
{
	const char *subject, *external_id;
	const json_t *requester;
	struct cb_ticket r;
	int ret;

	cb_ticket_blank(&r);
	r.source = "zendesk";
	if ((ret = cb_json_id(c, o, "id", &r.ticket_id)))
		return ret;
	if (!r.ticket_id)
		return cb_json_fail(c, "id", "missing ticket id");
	if ((ret = cb_json_str(c, o, "subject", &subject)) ||
	    (ret = cb_json_id(c, o, "external_id", &external_id)) ||
	    (ret = cb_json_time(c, o, "created_at", &r.created_at, NULL)) ||
	    (ret = cb_json_str(c, o, "status", &r.status)) ||
	    (ret = cb_json_str_at(c, o, "via.channel", &r.channel)))
		return ret;
	t->requester_id = json_object_get(o, "requester_id");
	t->users = users;
	requester = find_user(users, t->requester_id);
	r.email = user_field(requester, "email");
	r.requester_name = user_field(requester, "name");
	r.subject = cb_json_redact(c, subject);
	r.order_ref = find_order(c, o, r.subject, external_id);
	t->id = r.ticket_id;
	t->order_ref = r.order_ref;
	t->email = r.email;
	t->channel = r.channel;
	if ((ret = cb_json_put_ticket(c, &r)))
		return ret;
	c->st->rows_accepted++;
	return 0;
}

/* {"ticket": {...}, "comments": [...], "users": [...]} */
static int put_bundle(struct cb_json_ctx *c, const json_t *o)
{
	struct ticket_ctx t;
	json_t *ticket, *comments, *users;
	size_t mark;
	int ret;

	memset(&t, 0, sizeof(t));
	if ((ret = cb_json_object(c, o, "ticket", &ticket)) ||
	    (ret = cb_json_array(c, o, "comments", &comments)) ||
	    (ret = cb_json_array(c, o, "users", &users)))
		return ret;
	mark = cb_json_enter(c, "ticket");
	ret = put_ticket(c, ticket, users, &t);
	cb_json_leave(c, mark);
	if (ret || !comments)
		return ret;
	mark = cb_json_enter(c, "comments");
	ret = put_comments(c, comments, &t);
	cb_json_leave(c, mark);
	return ret;
}

/* {"tickets": [...], "users": [...]}: a ticket list, with users when side-loaded. */
static int put_ticket_list(struct cb_json_ctx *c, const json_t *o)
{
	struct ticket_ctx t;
	json_t *tickets, *users;
	size_t mark, m2, i;
	int ret;

	if ((ret = cb_json_array(c, o, "tickets", &tickets)) ||
	    (ret = cb_json_array(c, o, "users", &users)))
		return ret;
	mark = cb_json_enter(c, "tickets");
	for (i = 0; !ret && i < json_array_size(tickets); i++) {
		memset(&t, 0, sizeof(t));
		m2 = cb_json_enter_index(c, i);
		if (!json_is_object(json_array_get(tickets, i)))
			ret = cb_json_fail(c, NULL, "expected a ticket object");
		else
			ret = put_ticket(c, json_array_get(tickets, i), users, &t);
		cb_json_leave(c, m2);
		cb_json_drop_strings(c);
	}
	cb_json_leave(c, mark);
	return ret;
}

static int zendesk_value(struct cb_json_ctx *c, json_t *v)
{
	size_t i, mark;
	int ret = 0;

	if (json_is_array(v)) {
		for (i = 0; !ret && i < json_array_size(v); i++) {
			mark = cb_json_enter_index(c, i);
			ret = zendesk_value(c, json_array_get(v, i));
			cb_json_leave(c, mark);
			cb_json_drop_strings(c);
		}
		return ret;
	}
	if (!json_is_object(v))
		return cb_json_fail(c, NULL, "expected a ticket bundle, a ticket list or an array");
	if (json_object_get(v, "ticket"))
		return put_bundle(c, v);
	if (json_object_get(v, "tickets"))
		return put_ticket_list(c, v);
	return cb_json_fail(c, NULL, "not a Zendesk export (no 'ticket' or 'tickets')");
}

CB_INGEST_FN(cb_ingest_zendesk)
{
	return cb_json_run(path, data, len, sink, st, err, zendesk_value);
}
