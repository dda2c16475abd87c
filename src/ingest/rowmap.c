/*
 * rowmap.c: one row of an export into one record, by a table of column specs.
 *
 * Every importer of a tabular format would otherwise repeat the same dozen
 * lines per field (look up, trim, parse, check, report); here each field is
 * one line of a table and the reading rules live in one place: free text is
 * redacted, card fields cut to their last 4, money read in the row's currency.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/money.h"
#include "cbpack/records.h"
#include "cbpack/redact.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "csv_reader.h"
#include "rowmap.h"

char *rm_keep(struct rm_scratch *s, char *owned)
{
	s->p = cb_xgrow(s->p, sizeof(*s->p), s->n + 1, &s->alloc);
	s->p[s->n++] = owned;
	return owned;
}

void rm_scratch_reset(struct rm_scratch *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->p[i]);
	s->n = 0;
}

void rm_scratch_release(struct rm_scratch *s)
{
	if (!s)
		return;
	rm_scratch_reset(s);
	free(s->p);
	s->p = NULL;
	s->alloc = 0;
}

const char *rm_redact(struct rm_scratch *s, const char *text)
{
	struct cb_buf b = CB_BUF_INIT;

	if (cb_empty(text))
		return NULL;
	cb_redact_text(&b, text);
	return rm_keep(s, cb_buf_detach(&b));
}

int rm_error(struct cb_error *err, const struct rm_row *row, size_t i, const char *fmt, ...)
{
	char msg[CB_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cb_error_at(err, CB_EPARSE, row->path, row->line, "%s '%s': %s", row->what,
			   row->names[i], msg);
}

int rm_error_prefix(struct cb_error *err, const struct rm_row *row, size_t i)
{
	if (row->line > 0)
		cb_error_prefix(err, "%s:%ld: %s '%s'", row->path, row->line, row->what,
				row->names[i]);
	else
		cb_error_prefix(err, "%s: %s '%s'", row->path, row->what, row->names[i]);
	if (err)
		err->code = CB_EPARSE;
	return CB_EPARSE;
}

static char *lower_dup(const char *s)
{
	char *d = cb_xstrdup(s), *p;

	for (p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* Lower-case, with spaces and dashes as underscores: "Out for delivery" -> out_for_delivery. */
static char *word_dup(const char *s)
{
	char *d = lower_dup(s), *p;

	for (p = d; *p; p++)
		if (*p == ' ' || *p == '-')
			*p = '_';
	return d;
}

struct synonym {
	const char *word, *canon;
};

static const char *lookup(const struct synonym *t, const char *word)
{
	for (; t->word; t++)
		if (!strcmp(t->word, word))
			return t->canon;
	return NULL;
}

static const struct synonym checks[] = {
	{ "pass", "pass" }, { "passed", "pass" }, { "match", "pass" }, { "matched", "pass" },
	{ "y", "pass" }, { "yes", "pass" },
	{ "fail", "fail" }, { "failed", "fail" }, { "no_match", "fail" }, { "mismatch", "fail" },
	{ "n", "fail" }, { "no", "fail" },
	{ "unavailable", "unavailable" }, { "not_available", "unavailable" },
	{ "unchecked", "unchecked" }, { "not_checked", "unchecked" },
	{ NULL, NULL }
};

/* Carrier and tracking-service words (AfterShip tags included) onto records.h's set. */
static const struct synonym ship_statuses[] = {
	{ "pre_transit", "pre_transit" }, { "label_created", "pre_transit" },
	{ "info_received", "pre_transit" }, { "inforeceived", "pre_transit" },
	{ "in_transit", "in_transit" }, { "intransit", "in_transit" }, { "shipped", "in_transit" },
	{ "transit", "in_transit" }, { "out_for_delivery", "out_for_delivery" },
	{ "outfordelivery", "out_for_delivery" },
	{ "available_for_pickup", "available_for_pickup" },
	{ "availableforpickup", "available_for_pickup" },
	{ "ready_for_pickup", "available_for_pickup" }, { "delivered", "delivered" },
	{ "return_to_sender", "return_to_sender" }, { "returned", "return_to_sender" },
	{ "failure", "failure" }, { "failed", "failure" }, { "exception", "failure" },
	{ "attemptfail", "failure" }, { "failed_attempt", "failure" },
	{ "cancelled", "cancelled" }, { "canceled", "cancelled" },
	{ "unknown", "unknown" }, { "pending", "unknown" }, { "expired", "unknown" },
	{ NULL, NULL }
};

static int read_enum(const char **out, const struct rm_col *c, const struct rm_row *row,
		     size_t i, const char *v, struct cb_error *err)
{
	char *w = rm_keep(row->scratch, lower_dup(v));
	struct cb_buf list = CB_BUF_INIT;
	const char *const *p;
	int ret;

	for (p = c->words; *p; p++)
		if (!strcmp(*p, w)) {
			*out = *p;
			return 0;
		}
	for (p = c->words; *p; p++)
		cb_buf_addf(&list, "%s%s", p == c->words ? "" : (p[1] ? ", " : " or "), *p);
	ret = rm_error(err, row, i, "'%s' is not %s", v, cb_buf_cstr(&list));
	cb_buf_release(&list);
	return ret;
}

static int read_int(int *out, const struct rm_col *c, const struct rm_row *row, size_t i,
		    const char *v, struct cb_error *err)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end || n < c->lo || n > c->hi)
		return rm_error(err, row, i, "'%s' is not a whole number from %d to %d", v,
				c->lo, c->hi);
	*out = (int)n;
	return 0;
}

static int read_count(int64_t *out, const struct rm_row *row, size_t i, const char *v,
		      struct cb_error *err)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)*v))
		return rm_error(err, row, i, "'%s' is not a whole number", v);
	n = strtoll(v, &end, 10);
	if (*end || n > 100000000)
		return rm_error(err, row, i, "'%s' is not a whole number", v);
	*out = n;
	return 0;
}

static int read_bool(int *out, const struct rm_row *row, size_t i, const char *v,
		     struct cb_error *err)
{
	static const char *const yes[] = { "true", "yes", "y", "1", NULL };
	static const char *const no[] = { "false", "no", "n", "0", NULL };
	size_t k;

	for (k = 0; yes[k]; k++)
		if (!strcasecmp(v, yes[k])) {
			*out = 1;
			return 0;
		}
	for (k = 0; no[k]; k++)
		if (!strcasecmp(v, no[k])) {
			*out = 0;
			return 0;
		}
	return rm_error(err, row, i, "'%s' is not true or false", v);
}

static int read_word(const char **out, const struct synonym *t, const char *what,
		     const struct rm_row *row, size_t i, const char *v, struct cb_error *err)
{
	const char *canon = lookup(t, rm_keep(row->scratch, word_dup(v)));

	if (!canon)
		return rm_error(err, row, i, "'%s' is not %s", v, what);
	*out = canon;
	return 0;
}

/* The row's currency, read before anything else so money columns can use it. */
static int read_currency(const char **out, const struct rm_col *cols, size_t n,
			 const struct rm_row *row, struct cb_error *err)
{
	char code[4];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *v = row->vals[i];

		if (cols[i].type != RM_CURRENCY || cb_empty(v))
			continue;
		if (cb_currency_normalise(code, v, err))
			return rm_error_prefix(err, row, i);
		*out = rm_keep(row->scratch, cb_xstrdup(code));
		return 0;
	}
	return 0;
}

static int read_one(void *rec, const struct rm_col *c, const struct rm_row *row, size_t i,
		    const char *currency, struct cb_error *err)
{
	char *field = (char *)rec + c->off;
	const char **sp = (const char **)(void *)field;
	const char *v = row->vals[i];
	char last4[5];

	switch (c->type) {
	case RM_STR:
		*sp = v;
		return 0;
	case RM_TEXT:
		*sp = rm_redact(row->scratch, v);
		return 0;
	case RM_WORD:
		*sp = rm_keep(row->scratch, word_dup(v));
		return 0;
	case RM_ENUM:
		return read_enum(sp, c, row, i, v, err);
	case RM_CURRENCY:
		*sp = currency;
		return 0;
	case RM_MONEY:
		if (!currency)
			return rm_error(err, row, i, "'%s' has no currency (the currency column is empty)", v);
		if (cb_money_parse((int64_t *)(void *)field, v, currency, err))
			return rm_error_prefix(err, row, i);
		return 0;
	case RM_TIME:
		if (cb_time_parse((int64_t *)(void *)field, NULL, v, err))
			return rm_error_prefix(err, row, i);
		return 0;
	case RM_CARD:
		cb_card_last4(last4, v);
		if (!last4[0])
			return rm_error(err, row, i, "'%s' has no last 4 digits of a card", v);
		*sp = rm_keep(row->scratch, cb_xstrdup(last4));
		return 0;
	case RM_INT:
		return read_int((int *)(void *)field, c, row, i, v, err);
	case RM_COUNT:
		return read_count((int64_t *)(void *)field, row, i, v, err);
	case RM_BOOL:
		return read_bool((int *)(void *)field, row, i, v, err);
	case RM_CHECK:
		return read_word(sp, checks, "pass, fail, unavailable or unchecked", row, i, v, err);
	case RM_ZIP:
		*sp = *v == '\'' ? v + 1 : v;
		return 0;
	case RM_NONE:
		return 0;
	case RM_SHIP_STATUS:
		return read_word(sp, ship_statuses,
				 "a shipment status (pre_transit, in_transit, out_for_delivery, available_for_pickup, delivered, return_to_sender, failure, cancelled, unknown)",
				 row, i, v, err);
	}
	return 0;
}

const char *rm_value(const struct rm_row *row, const struct rm_col *cols, size_t n,
		     const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < n; i++)
		if (!strncmp(cols[i].name, name, len) &&
		    (cols[i].name[len] == '\0' || cols[i].name[len] == '|'))
			return cb_empty(row->vals[i]) ? NULL : row->vals[i];
	return NULL;
}

int rm_fill(void *rec, const struct rm_col *cols, size_t n, const struct rm_row *row,
	    const char *currency, bool check_required, struct cb_error *err)
{
	const char *cur = NULL;
	size_t i;
	int ret;

	if (check_required)
		for (i = 0; i < n; i++)
			if ((cols[i].flags & RM_REQUIRED) && cb_empty(row->vals[i]))
				return rm_error(err, row, i, "empty value (this %s is required)",
						row->what);
	ret = read_currency(&cur, cols, n, row, err);
	if (ret)
		return ret;
	if (!cur)
		cur = currency;
	for (i = 0; i < n; i++) {
		if (cb_empty(row->vals[i]))
			continue;
		ret = read_one(rec, &cols[i], row, i, cur, err);
		if (ret)
			return ret;
	}
	return 0;
}

int rm_csv_bind(struct rm_csv *b, const struct csv_doc *doc, const struct rm_col *cols,
		size_t n, struct cb_error *err)
{
	struct cb_buf missing = CB_BUF_INIT;
	size_t i, nmissing = 0;
	int ret = 0;

	b->doc = doc;
	b->cols = cols;
	b->n = n;
	b->idx = cb_xcalloc(n, sizeof(*b->idx));
	b->vals = cb_xcalloc(n, sizeof(*b->vals));
	b->names = cb_xcalloc(n, sizeof(*b->names));
	for (i = 0; i < n; i++) {
		b->idx[i] = csv_find_column(doc, cols[i].name);
		if (b->idx[i] >= 0) {
			b->names[i] = csv_cell(doc, 0, b->idx[i]);
		} else {
			b->names[i] = cols[i].name;
			if (cols[i].flags & RM_REQUIRED) {
				size_t len = strcspn(cols[i].name, "|");

				cb_buf_addf(&missing, "%s'%.*s'", nmissing ? ", " : "", (int)len,
					    cols[i].name);
				nmissing++;
			}
		}
	}
	if (nmissing)
		ret = cb_error_at(err, CB_EPARSE, doc->path, 0, "missing required column%s %s",
				  nmissing > 1 ? "s" : "", cb_buf_cstr(&missing));
	cb_buf_release(&missing);
	return ret;
}

void rm_csv_row(struct rm_row *row, struct rm_csv *b, size_t r, struct rm_scratch *scratch)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		b->vals[i] = csv_cell(b->doc, r, b->idx[i]);
	row->path = b->doc->path;
	row->line = b->doc->rows[r].line;
	row->what = "column";
	row->vals = b->vals;
	row->names = b->names;
	row->scratch = scratch;
}

void rm_csv_release(struct rm_csv *b)
{
	if (!b)
		return;
	free(b->idx);
	free(b->vals);
	free(b->names);
	b->idx = NULL;
	b->vals = b->names = NULL;
}

int rm_sink_error(struct cb_error *err, const char *path, long line, int code)
{
	if (line > 0)
		cb_error_prefix(err, "%s:%ld", path, line);
	else
		cb_error_prefix(err, "%s", path);
	return code;
}

/* Room for any one record. */
union any_record {
	struct cb_order order;
	struct cb_order_line order_line;
	struct cb_charge charge;
	struct cb_refund refund;
	struct cb_dispute dispute;
	struct cb_ticket ticket;
	struct cb_message message;
	struct cb_shipment shipment;
	struct cb_tracking_event tracking_event;
	struct cb_policy policy;
};

int rm_row_import(const struct rm_format *f, const struct rm_row *row,
		  const struct cb_sink *sink, struct cb_ingest_stats *st, struct cb_error *err)
{
	union any_record rec;
	int ret;

	f->blank(&rec);
	ret = rm_fill(&rec, f->cols, f->n, row, NULL, true, err);
	if (!ret && f->finish)
		ret = f->finish(&rec, row, err);
	if (ret)
		return ret;
	ret = f->emit(sink, &rec, err);
	if (ret)
		return rm_sink_error(err, row->path, row->line, ret);
	st->rows_accepted++;
	st->records++;
	return 0;
}

int rm_import_csv(const struct rm_format *f, const char *path, const char *data, size_t len,
		  const struct cb_sink *sink, struct cb_ingest_stats *st, struct cb_error *err)
{
	struct csv_doc doc = CSV_DOC_INIT;
	struct rm_csv bind = { 0 };
	struct rm_scratch scratch = RM_SCRATCH_INIT;
	struct rm_row row;
	size_t r;
	int ret;

	ret = csv_doc_parse(&doc, path, data, len, err);
	if (ret)
		goto out;
	ret = rm_csv_bind(&bind, &doc, f->cols, f->n, err);
	if (ret)
		goto out;
	for (r = 1; r < doc.nrows; r++) {
		if (csv_row_blank(&doc, r)) {
			st->rows_skipped++;
			continue;
		}
		rm_csv_row(&row, &bind, r, &scratch);
		ret = rm_row_import(f, &row, sink, st, err);
		rm_scratch_reset(&scratch);
		if (ret)
			goto out;
	}
out:
	rm_scratch_release(&scratch);
	rm_csv_release(&bind);
	csv_doc_release(&doc);
	return ret;
}
