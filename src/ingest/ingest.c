/*
 * ingest.c: the table of import formats, and the checks every file gets
 * before its importer sees it (readable, valid UTF-8, BOM removed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/text.h"
#include "formats.h"

static const struct cb_ingest_format formats[] = {
	{ "stripe", "Stripe API JSON: disputes, charges, refunds (list, array, NDJSON)", cb_ingest_stripe },
	{ "stripe-payments", "Stripe Dashboard payments export CSV (unified_payments.csv)", cb_ingest_stripe_payments_csv },
	{ "shopify-orders", "Shopify admin 'Export orders' CSV", cb_ingest_shopify_orders },
	{ "paypal-disputes", "PayPal Disputes API v1 JSON", cb_ingest_paypal_disputes },
	{ "easypost", "EasyPost Tracker JSON", cb_ingest_easypost },
	{ "aftership", "AfterShip tracking JSON", cb_ingest_aftership },
	{ "zendesk", "Zendesk tickets with comments and users JSON", cb_ingest_zendesk },
	{ "messages", "Chat/message log, generic CSV or NDJSON", cb_ingest_messages },
	{ "orders-csv", "Generic orders CSV (one row per line item)", cb_ingest_orders_csv },
	{ "payments-csv", "Generic payments CSV", cb_ingest_payments_csv },
	{ "disputes-csv", "Generic disputes CSV", cb_ingest_disputes_csv },
	{ "shipments-csv", "Generic shipments CSV", cb_ingest_shipments_csv },
	{ "tracking-csv", "Generic tracking events CSV", cb_ingest_tracking_csv },
	{ "policies-csv", "Refund/shipping/cancellation policies CSV", cb_ingest_policies_csv },
	{ NULL, NULL, NULL }
};

const struct cb_ingest_format *cb_ingest_formats(void)
{
	return formats;
}

const struct cb_ingest_format *cb_ingest_find(const char *name)
{
	const struct cb_ingest_format *f;

	for (f = formats; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static int read_whole(struct cb_buf *out, const char *path, struct cb_error *err)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int ret = 0;

	if (!f)
		return cb_error_set(err, CB_EIO, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cb_buf_add(out, chunk, n);
	if (ferror(f))
		ret = cb_error_set(err, CB_EIO, "cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	cb_buf_add(out, "", 0);
	return ret;
}

/* Where a byte offset is, as line and column (both 1-based), for messages. */
static void offset_to_line(const char *s, size_t off, long *line, long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int cb_ingest_file(const struct cb_ingest_format *fmt, const char *path,
		   const struct cb_sink *sink, struct cb_ingest_stats *st,
		   struct cb_error *err)
{
	struct cb_buf data = CB_BUF_INIT;
	const char *p;
	size_t len, bad;
	long line, col;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = read_whole(&data, path, err);
	if (ret)
		goto out;
	p = cb_buf_cstr(&data);
	len = data.len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		len -= 3;
	}
	if (memchr(p, '\0', len)) {
		offset_to_line(p, (size_t)((const char *)memchr(p, '\0', len) - p), &line, &col);
		ret = cb_error_at(err, CB_EPARSE, path, line, "column %ld: NUL byte (binary file?)", col);
		goto out;
	}
	if (!cb_utf8_valid(p, len, &bad)) {
		offset_to_line(p, bad, &line, &col);
		ret = cb_error_at(err, CB_EPARSE, path, line,
				  "column %ld: invalid UTF-8 (byte 0x%02X)", col,
				  (unsigned char)p[bad]);
		goto out;
	}
	ret = fmt->run(path, p, len, sink, st, err);
out:
	cb_buf_release(&data);
	return ret;
}
