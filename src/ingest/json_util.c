/*
 * json_util.c: the part of every JSON importer that is not about one API.
 * jansson parses; this file finds where each top-level value starts (so an
 * NDJSON error names its line), keeps the JSON path of the value being read
 * so that a message can say exactly which field is wrong, and owns the
 * strings a record borrows until the sink has taken it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/money.h"
#include "cbpack/records.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "json_util.h"

/* ---- loading ---- */

static size_t skip_space(const char *s, size_t i, size_t len, long *line)
{
	for (; i < len; i++) {
		if (s[i] == '\n')
			(*line)++;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			break;
	}
	return i;
}

static void doc_add(struct cb_json_doc *doc, json_t *v, long line)
{
	size_t a_values = doc->alloc, a_lines = doc->alloc;

	doc->values = cb_xgrow(doc->values, sizeof(*doc->values), doc->n + 1, &a_values);
	doc->lines = cb_xgrow(doc->lines, sizeof(*doc->lines), doc->n + 1, &a_lines);
	doc->alloc = a_values < a_lines ? a_values : a_lines;
	doc->values[doc->n] = v;
	doc->lines[doc->n] = line;
	doc->n++;
}

static long count_lines(const char *s, size_t from, size_t to)
{
	long n = 0;

	for (; from < to; from++)
		if (s[from] == '\n')
			n++;
	return n;
}

/*
 * Messages quote the values they refuse, and a value may be a card number
 * pasted into the wrong field: the message is masked like any free text.
 */
static int redact_error(struct cb_error *err)
{
	struct cb_buf b = CB_BUF_INIT;

	if (!err)
		return CB_EPARSE;
	if (cb_redact_text(&b, err->msg))
		snprintf(err->msg, sizeof(err->msg), "%s", cb_buf_cstr(&b));
	cb_buf_release(&b);
	return err->code;
}

/* jansson counts columns from where it started reading, which may be mid-line. */
static long error_column(const char *data, size_t at, const json_error_t *je)
{
	size_t line_start = at;

	if (je->line > 1)
		return je->column > 0 ? je->column : 1;
	while (line_start > 0 && data[line_start - 1] != '\n')
		line_start--;
	return (long)(at - line_start) + (je->column > 0 ? je->column : 1);
}

/*
 * jansson reads one value and, with JSON_DISABLE_EOF_CHECK, reports in
 * error.position how far it got; whatever follows is the next value. Its
 * line numbers count from where that read started, hence `line - 1`.
 */
int cb_json_doc_load(struct cb_json_doc *doc, const char *path, const char *data,
		     size_t len, struct cb_error *err)
{
	json_error_t je;
	size_t at;
	long line = 1;
	json_t *v;

	memset(doc, 0, sizeof(*doc));
	at = skip_space(data, 0, len, &line);
	if (at == len)
		return cb_error_at(err, CB_EPARSE, path, 0, "no JSON data");
	while (at < len) {
		v = json_loadb(data + at, len - at, JSON_DISABLE_EOF_CHECK, &je);
		if (!v) {
			cb_json_doc_release(doc);
			cb_error_at(err, CB_EPARSE, path, line + (je.line > 0 ? je.line - 1 : 0),
				    "invalid JSON: %s (column %ld)", je.text,
				    error_column(data, at, &je));
			return redact_error(err);
		}
		doc_add(doc, v, line);
		line += count_lines(data, at, at + (size_t)je.position);
		at = skip_space(data, at + (size_t)je.position, len, &line);
	}
	doc->multi = doc->n > 1;
	return 0;
}

void cb_json_doc_release(struct cb_json_doc *doc)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->n; i++)
		json_decref(doc->values[i]);
	free(doc->values);
	free(doc->lines);
	memset(doc, 0, sizeof(*doc));
}

/* ---- context and path ---- */

void cb_json_ctx_init(struct cb_json_ctx *c, const char *file, const struct cb_sink *sink,
		      struct cb_ingest_stats *st, struct cb_error *err)
{
	memset(c, 0, sizeof(*c));
	c->file = file;
	c->sink = sink;
	c->st = st;
	c->err = err;
	snprintf(c->path, sizeof(c->path), "$");
	c->plen = 1;
}

void cb_json_ctx_release(struct cb_json_ctx *c)
{
	if (!c)
		return;
	cb_json_drop_strings(c);
	free(c->owned);
	c->owned = NULL;
	c->aowned = 0;
}

int cb_json_run(const char *path, const char *data, size_t len, const struct cb_sink *sink,
		struct cb_ingest_stats *st, struct cb_error *err,
		int (*each)(struct cb_json_ctx *c, json_t *value))
{
	struct cb_json_doc doc;
	struct cb_json_ctx c;
	size_t i;
	int ret;

	ret = cb_json_doc_load(&doc, path, data, len, err);
	if (ret)
		return ret;
	cb_json_ctx_init(&c, path, sink, st, err);
	for (i = 0; i < doc.n && !ret; i++) {
		c.line = doc.multi ? doc.lines[i] : 0;
		c.plen = 1;
		c.path[1] = '\0';
		ret = each(&c, doc.values[i]);
		cb_json_drop_strings(&c);
	}
	cb_json_ctx_release(&c);
	cb_json_doc_release(&doc);
	return ret;
}

/* A piece that does not fit is left out: no real export nests that deep. */
static size_t path_append(struct cb_json_ctx *c, const char *piece)
{
	size_t mark = c->plen, n = strlen(piece);

	if (c->plen + n >= sizeof(c->path))
		return mark;
	memcpy(c->path + c->plen, piece, n + 1);
	c->plen += n;
	return mark;
}

size_t cb_json_enter(struct cb_json_ctx *c, const char *key)
{
	char piece[CB_JSON_PATH_MAX];

	snprintf(piece, sizeof(piece), ".%s", key);
	return path_append(c, piece);
}

size_t cb_json_enter_index(struct cb_json_ctx *c, size_t i)
{
	char piece[32];

	snprintf(piece, sizeof(piece), "[%zu]", i);
	return path_append(c, piece);
}

void cb_json_leave(struct cb_json_ctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

static void locate(struct cb_json_ctx *c, struct cb_buf *b, const char *key)
{
	if (c->line > 0)
		cb_buf_addf(b, "%s:%ld: %s", c->file, c->line, c->path);
	else
		cb_buf_addf(b, "%s: %s", c->file, c->path);
	if (key)
		cb_buf_addf(b, ".%s", key);
}

int cb_json_fail(struct cb_json_ctx *c, const char *key, const char *fmt, ...)
{
	struct cb_buf b = CB_BUF_INIT;
	va_list ap;

	locate(c, &b, key);
	cb_buf_adds(&b, ": ");
	va_start(ap, fmt);
	cb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	cb_error_set(c->err, CB_EPARSE, "%s", cb_buf_cstr(&b));
	cb_buf_release(&b);
	return redact_error(c->err);
}

/* A message from a helper (money, time) put behind the path of the field. */
static int fail_with(struct cb_json_ctx *c, const char *key, const struct cb_error *why)
{
	return cb_json_fail(c, key, "%s", why->msg);
}

/* ---- owned strings ---- */

const char *cb_json_keep(struct cb_json_ctx *c, char *s)
{
	if (!s)
		return NULL;
	c->owned = cb_xgrow(c->owned, sizeof(*c->owned), c->nowned + 1, &c->aowned);
	c->owned[c->nowned++] = s;
	return s;
}

const char *cb_json_printf(struct cb_json_ctx *c, const char *fmt, ...)
{
	struct cb_buf b = CB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	cb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	cb_buf_add(&b, "", 0);
	return cb_json_keep(c, cb_buf_detach(&b));
}

const char *cb_json_redact(struct cb_json_ctx *c, const char *text)
{
	struct cb_buf b = CB_BUF_INIT;

	if (!text)
		return NULL;
	cb_redact_text(&b, text);
	return cb_json_keep(c, cb_buf_detach(&b));
}

const char *cb_json_last4(struct cb_json_ctx *c, const char *card_field)
{
	char d[5];

	cb_card_last4(d, card_field);
	return d[0] ? cb_json_keep(c, cb_xstrdup(d)) : NULL;
}

void cb_json_drop_strings(struct cb_json_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	c->nowned = 0;
}

/* ---- getters ---- */

/* The member, or NULL when the key is missing or null. */
static json_t *member(const json_t *obj, const char *key)
{
	json_t *v = obj && json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return v && !json_is_null(v) ? v : NULL;
}

int cb_json_str(struct cb_json_ctx *c, const json_t *obj, const char *key, const char **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return cb_json_fail(c, key, "expected a string");
	*out = json_string_value(v);
	return 0;
}

int cb_json_id(struct cb_json_ctx *c, const json_t *obj, const char *key, const char **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		if (!**out)
			*out = NULL;
		return 0;
	}
	if (json_is_integer(v)) {
		*out = cb_json_printf(c, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	return cb_json_fail(c, key, "expected a string or an integer id");
}

int cb_json_int(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t absent,
		int64_t *out)
{
	json_t *v = member(obj, key);

	*out = absent;
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return cb_json_fail(c, key, "expected an integer");
	*out = (int64_t)json_integer_value(v);
	return 0;
}

int cb_json_bool(struct cb_json_ctx *c, const json_t *obj, const char *key, int absent, int *out)
{
	json_t *v = member(obj, key);

	*out = absent;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return cb_json_fail(c, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

/* Year 9999 is the last a timestamp in an export can sensibly name. */
#define MAX_EPOCH INT64_C(253402300799)

int cb_json_epoch(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t *out)
{
	json_t *v = member(obj, key);

	*out = CB_NO_TIME;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > MAX_EPOCH)
		return cb_json_fail(c, key, "expected a Unix time");
	if (json_integer_value(v) > 0)
		*out = (int64_t)json_integer_value(v);
	return 0;
}

int cb_json_time(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t *out,
		 int *offset_min)
{
	struct cb_error why = CB_ERROR_INIT;
	const char *s;
	int ret;

	*out = CB_NO_TIME;
	if (offset_min)
		*offset_min = 0;
	if (member(obj, key) && !json_is_string(member(obj, key)))
		return cb_json_fail(c, key, "expected an RFC 3339 time");
	ret = cb_json_str(c, obj, key, &s);
	if (ret || cb_empty(s))
		return ret;
	if (cb_time_parse(out, offset_min, s, &why))
		return fail_with(c, key, &why);
	return 0;
}

int cb_json_object(struct cb_json_ctx *c, const json_t *obj, const char *key, json_t **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_object(v))
		return cb_json_fail(c, key, "expected an object");
	*out = v;
	return 0;
}

int cb_json_array(struct cb_json_ctx *c, const json_t *obj, const char *key, json_t **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return cb_json_fail(c, key, "expected an array");
	*out = v;
	return 0;
}

int cb_json_currency(struct cb_json_ctx *c, const json_t *obj, const char *key,
		     const char **out)
{
	struct cb_error why = CB_ERROR_INIT;
	const char *s;
	char code[4];
	int ret;

	*out = NULL;
	ret = cb_json_str(c, obj, key, &s);
	if (ret || !s)
		return ret;
	if (cb_currency_normalise(code, s, &why))
		return fail_with(c, key, &why);
	*out = cb_json_keep(c, cb_xstrdup(code));
	return 0;
}

int cb_json_money(struct cb_json_ctx *c, const json_t *obj, const char *key, int64_t *amount,
		  const char **currency)
{
	struct cb_error why = CB_ERROR_INIT;
	const char *value = NULL;
	json_t *m;
	size_t mark;
	int ret;

	*amount = CB_NO_AMOUNT;
	*currency = NULL;
	ret = cb_json_object(c, obj, key, &m);
	if (ret || !m)
		return ret;
	mark = cb_json_enter(c, key);
	ret = cb_json_currency(c, m, "currency_code", currency);
	if (!ret && json_is_number(json_object_get(m, "value")))
		ret = cb_json_fail(c, "value", "expected a decimal string");
	if (!ret)
		ret = cb_json_str(c, m, "value", &value);
	if (!ret && value && !*currency)
		ret = cb_json_fail(c, "currency_code", "missing currency for amount '%s'", value);
	if (!ret && value && cb_money_parse(amount, value, *currency, &why))
		ret = fail_with(c, "value", &why);
	cb_json_leave(c, mark);
	return ret;
}

int cb_json_str_at(struct cb_json_ctx *c, const json_t *obj, const char *dotted,
		   const char **out)
{
	char key[128];
	const char *dot;
	json_t *next;
	size_t mark = c->plen, n;
	int ret = 0;

	*out = NULL;
	while (obj && (dot = strchr(dotted, '.'))) {
		n = (size_t)(dot - dotted);
		if (n >= sizeof(key))
			break;
		memcpy(key, dotted, n);
		key[n] = '\0';
		ret = cb_json_object(c, obj, key, &next);
		if (ret)
			break;
		cb_json_enter(c, key);
		obj = next;
		dotted = dot + 1;
	}
	if (!ret && obj && !strchr(dotted, '.'))
		ret = cb_json_str(c, obj, dotted, out);
	cb_json_leave(c, mark);
	return ret;
}

/* ---- the sink ---- */

static int put_done(struct cb_json_ctx *c, int ret)
{
	struct cb_buf b = CB_BUF_INIT;

	if (!ret) {
		if (c->st)
			c->st->records++;
		return 0;
	}
	locate(c, &b, NULL);
	cb_error_prefix(c->err, "%s", cb_buf_cstr(&b));
	cb_buf_release(&b);
	return ret;
}

#define DEFINE_PUT(kind, type)                                                         \
	int cb_json_put_##kind(struct cb_json_ctx *c, const struct type *r)            \
	{                                                                              \
		if (!c->sink || !c->sink->kind)                                        \
			return 0;                                                      \
		return put_done(c, c->sink->kind(c->sink->ctx, r, c->err));            \
	}

DEFINE_PUT(charge, cb_charge)
DEFINE_PUT(refund, cb_refund)
DEFINE_PUT(dispute, cb_dispute)
DEFINE_PUT(ticket, cb_ticket)
DEFINE_PUT(message, cb_message)
DEFINE_PUT(shipment, cb_shipment)
DEFINE_PUT(tracking_event, cb_tracking_event)

const char *cb_json_join_names(struct cb_json_ctx *c, const json_t *obj, const char *array,
			       const char *key)
{
	json_t *arr = json_object_get(obj, array), *name;
	struct cb_buf b = CB_BUF_INIT;
	size_t i;

	for (i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
		name = json_object_get(json_array_get(arr, i), key);
		if (!json_is_string(name) || !*json_string_value(name))
			continue;
		if (b.len)
			cb_buf_adds(&b, ", ");
		cb_buf_adds(&b, json_string_value(name));
	}
	return b.len ? cb_json_keep(c, cb_buf_detach(&b)) : NULL;
}
