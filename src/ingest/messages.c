/*
 * messages.c: a chat or message log (Instagram DMs, live chat, email) as a
 * generic CSV or as NDJSON with the same keys, one message per row or line.
 * The two shapes share one column table, so they are read by the same rules;
 * a file whose first non-space byte is '{' is NDJSON.
 *
 * Message ids are unique per platform, so the channel is the record's source:
 * two exports numbering their messages from 1 do not overwrite each other.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "formats.h"
#include "rowmap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define M(f) offsetof(struct cb_message, f)

static const char *const directions[] = { "customer", "merchant", NULL };

static const struct rm_col message_cols[] = {
	{ "message_id", RM_STR, RM_REQUIRED, M(source_id), NULL, 0, 0 },
	{ "ticket_id", RM_STR, 0, M(ticket_id), NULL, 0, 0 },
	{ "order_number", RM_STR, 0, M(order_ref), NULL, 0, 0 },
	{ "email", RM_STR, 0, M(email), NULL, 0, 0 },
	{ "channel", RM_WORD, RM_REQUIRED, M(channel), NULL, 0, 0 },
	{ "direction", RM_ENUM, RM_REQUIRED, M(direction), directions, 0, 0 },
	{ "author", RM_STR, 0, M(author), NULL, 0, 0 },
	{ "sent_at", RM_TIME, RM_REQUIRED, M(sent_at), NULL, 0, 0 },
	{ "body", RM_TEXT, RM_REQUIRED, M(body), NULL, 0, 0 },
};
#undef M

static void blank_message(void *r)
{
	cb_message_blank(r);
}

static int finish_message(void *rec, const struct rm_row *row, struct cb_error *err)
{
	struct cb_message *m = rec;

	(void)row;
	(void)err;
	m->source = m->channel;
	m->is_public = 1;
	return 0;
}

static int emit_message(const struct cb_sink *s, const void *r, struct cb_error *err)
{
	return s->message(s->ctx, r, err);
}

static const struct rm_format messages_fmt = {
	message_cols, N(message_cols), blank_message, finish_message, emit_message
};

/* A JSON scalar as the text a CSV cell would hold; objects and arrays are refused. */
static int json_value_text(const char **out, json_t *v, struct rm_scratch *scratch)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		*out = json_string_value(v);
		return 0;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*out = rm_keep(scratch, cb_xstrdup(num));
		return 0;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		*out = rm_keep(scratch, cb_xstrdup(num));
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		*out = json_is_true(v) ? "true" : "false";
		return 0;
	case JSON_NULL:
		*out = NULL;
		return 0;
	default:
		return -1;
	}
}

static int ndjson_line(const char *path, long line, const char *text, size_t len,
		       const struct cb_sink *sink, struct cb_ingest_stats *st,
		       struct rm_scratch *scratch, struct cb_error *err)
{
	const char *vals[N(message_cols)], *names[N(message_cols)];
	struct rm_row row = { path, line, "key", vals, names, scratch };
	json_error_t jerr;
	json_t *obj = json_loadb(text, len, 0, &jerr);
	size_t i;
	int ret = 0;

	if (!obj)
		return cb_error_at(err, CB_EPARSE, path, line, "invalid JSON: %s (column %d)",
				   jerr.text, jerr.column);
	if (!json_is_object(obj)) {
		ret = cb_error_at(err, CB_EPARSE, path, line, "expected a JSON object per line");
		goto out;
	}
	for (i = 0; i < N(message_cols); i++) {
		json_t *v = json_object_get(obj, message_cols[i].name);

		names[i] = message_cols[i].name;
		vals[i] = NULL;
		if (!v && (message_cols[i].flags & RM_REQUIRED)) {
			ret = cb_error_at(err, CB_EPARSE, path, line, "missing required key '%s'",
					  message_cols[i].name);
			goto out;
		}
		if (v && json_value_text(&vals[i], v, scratch)) {
			ret = rm_error(err, &row, i, "expected a string, not an %s",
				       json_is_array(v) ? "array" : "object");
			goto out;
		}
	}
	ret = rm_row_import(&messages_fmt, &row, sink, st, err);
out:
	json_decref(obj);
	return ret;
}

static int import_ndjson(const char *path, const char *data, size_t len,
			 const struct cb_sink *sink, struct cb_ingest_stats *st,
			 struct cb_error *err)
{
	struct rm_scratch scratch = RM_SCRATCH_INIT;
	size_t pos = 0, end, i;
	const char *nl;
	long line = 1;
	int ret = 0;

	for (; pos < len && !ret; line++, pos = end + 1) {
		nl = memchr(data + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - data) : len;
		for (i = pos; i < end && isspace((unsigned char)data[i]); i++)
			;
		if (i == end)
			continue;
		ret = ndjson_line(path, line, data + pos, end - pos, sink, st, &scratch, err);
		rm_scratch_reset(&scratch);
	}
	rm_scratch_release(&scratch);
	return ret;
}

CB_INGEST_FN(cb_ingest_messages)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i < len && data[i] == '{')
		return import_ndjson(path, data, len, sink, st, err);
	return rm_import_csv(&messages_fmt, path, data, len, sink, st, err);
}
