/*
 * csv_stripe_payments.c: the Stripe Dashboard payments export,
 * unified_payments.csv (formats.md section 1d). One charge per row; rows of
 * PaymentIntents that never made a charge have an empty id and carry
 * nothing, so they are skipped and counted. Older exports name some columns
 * differently ("Created (UTC)"), which the specs list as alternatives.
 * Metadata arrives as "<key> (metadata)" columns; order_id, order_number or
 * order is the merchant's order number.
 *
 * A disputed row also yields a dispute. The export has no dispute id, so the
 * dispute is keyed "dp_from_<charge id>": stable across re-imports of the
 * file, and plainly not a real Stripe id (docs/formats.md says so).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/reason.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "csv_reader.h"
#include "formats.h"
#include "rowmap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REQ RM_REQUIRED

#define C(f) offsetof(struct cb_charge, f)
static const struct rm_col stripe_cols[] = {
	{ "id", RM_STR, REQ, C(gateway_id), NULL, 0, 0 },
	{ "Created date (UTC)|Created (UTC)|Created", RM_TIME, REQ, C(created_at), NULL, 0, 0 },
	{ "Amount", RM_MONEY, REQ, C(amount), NULL, 0, 0 },
	{ "Amount Refunded", RM_MONEY, 0, C(amount_refunded), NULL, 0, 0 },
	{ "Currency", RM_CURRENCY, REQ, C(currency), NULL, 0, 0 },
	{ "Description", RM_TEXT, 0, C(description), NULL, 0, 0 },
	{ "PaymentIntent ID", RM_STR, 0, C(payment_intent), NULL, 0, 0 },
	{ "Status", RM_WORD, 0, C(status), NULL, 0, 0 },
	{ "Seller Message", RM_STR, 0, C(seller_message), NULL, 0, 0 },
	{ "Card Name", RM_STR, 0, C(billing.name), NULL, 0, 0 },
	{ "Card Address Line1", RM_STR, 0, C(billing.line1), NULL, 0, 0 },
	{ "Card Address Line2", RM_STR, 0, C(billing.line2), NULL, 0, 0 },
	{ "Card Address City", RM_STR, 0, C(billing.city), NULL, 0, 0 },
	{ "Card Address State", RM_STR, 0, C(billing.state), NULL, 0, 0 },
	{ "Card Address Country", RM_STR, 0, C(billing.country), NULL, 0, 0 },
	{ "Card Address Zip", RM_ZIP, 0, C(billing.postal), NULL, 0, 0 },
	{ "Card AVS Line1 Status", RM_CHECK, 0, C(avs_line1), NULL, 0, 0 },
	{ "Card AVS Zip Status", RM_CHECK, 0, C(avs_postal), NULL, 0, 0 },
	{ "Card CVC Status", RM_CHECK, 0, C(cvc), NULL, 0, 0 },
	{ "Card Brand", RM_STR, 0, C(card_brand), NULL, 0, 0 },
	{ "Card Exp Month", RM_INT, 0, C(card_exp_month), NULL, 1, 12 },
	{ "Card Exp Year", RM_INT, 0, C(card_exp_year), NULL, 1900, 9999 },
	{ "Card Fingerprint", RM_STR, 0, C(card_fingerprint), NULL, 0, 0 },
	{ "Card Funding", RM_WORD, 0, C(card_funding), NULL, 0, 0 },
	{ "Card Issue Country", RM_STR, 0, C(card_country), NULL, 0, 0 },
	{ "Card Last4", RM_CARD, 0, C(card_last4), NULL, 0, 0 },
	{ "Card Tokenization Method", RM_WORD, 0, C(wallet), NULL, 0, 0 },
	{ "Customer ID", RM_STR, 0, C(customer_ref), NULL, 0, 0 },
	{ "Customer Email", RM_STR, 0, C(email), NULL, 0, 0 },
	{ "Customer Phone", RM_STR, 0, C(billing.phone), NULL, 0, 0 },
	{ "Shipping Name", RM_STR, 0, C(shipping_addr.name), NULL, 0, 0 },
	{ "Shipping Address Line1", RM_STR, 0, C(shipping_addr.line1), NULL, 0, 0 },
	{ "Shipping Address Line2", RM_STR, 0, C(shipping_addr.line2), NULL, 0, 0 },
	{ "Shipping Address City", RM_STR, 0, C(shipping_addr.city), NULL, 0, 0 },
	{ "Shipping Address State", RM_STR, 0, C(shipping_addr.state), NULL, 0, 0 },
	{ "Shipping Address Country", RM_STR, 0, C(shipping_addr.country), NULL, 0, 0 },
	{ "Shipping Address Postal Code", RM_ZIP, 0, C(shipping_addr.postal), NULL, 0, 0 },
	{ "Client Reference ID", RM_STR, 0, C(order_ref), NULL, 0, 0 },
};
#undef C

/* The dispute columns, read into a dispute only when the row was disputed. */
#define D(f) offsetof(struct cb_dispute, f)
static const struct rm_col stripe_dispute_cols[] = {
	{ "Currency", RM_CURRENCY, 0, D(currency), NULL, 0, 0 },
	{ "Disputed Amount", RM_MONEY, 0, D(amount), NULL, 0, 0 },
	{ "Dispute Date (UTC)|Dispute Date", RM_TIME, 0, D(opened_at), NULL, 0, 0 },
	{ "Dispute Evidence Due (UTC)|Dispute Evidence Due", RM_TIME, 0, D(due_by), NULL, 0, 0 },
	{ "Dispute Reason", RM_WORD, 0, D(gateway_reason), NULL, 0, 0 },
	{ "Dispute Status", RM_WORD, 0, D(status), NULL, 0, 0 },
};
#undef D

static const char metadata_suffix[] = " (metadata)";
static const char *const order_keys[] = { "order_id", "order_number", "order", NULL };

struct stripe_run {
	const struct csv_doc *doc;
	struct rm_csv charges, disputes;
	int *meta_cols;          /* the "<key> (metadata)" columns */
	size_t n_meta;
	struct rm_scratch scratch;
	const struct cb_sink *sink;
	struct cb_ingest_stats *st;
};

static bool is_metadata_header(const char *h)
{
	size_t n = strlen(h), s = sizeof(metadata_suffix) - 1;

	return n > s && !strcasecmp(h + n - s, metadata_suffix);
}

static void find_metadata(struct stripe_run *run)
{
	const struct csv_row *h = &run->doc->rows[0];
	size_t i;

	run->meta_cols = cb_xcalloc(h->n ? h->n : 1, sizeof(*run->meta_cols));
	for (i = 0; i < h->n; i++)
		if (is_metadata_header(csv_cell(run->doc, 0, (int)i)))
			run->meta_cols[run->n_meta++] = (int)i;
}

/*
 * Metadata into the charge: an order key gives order_ref (ahead of Client
 * Reference ID), and all of it is kept as redacted JSON.
 */
static void read_metadata(struct cb_charge *c, struct stripe_run *run, size_t r)
{
	json_t *obj = json_object();
	size_t i, k, best = N(order_keys);
	char *key, *dump;

	for (i = 0; i < run->n_meta; i++) {
		const char *h = csv_cell(run->doc, 0, run->meta_cols[i]);
		const char *v = csv_cell(run->doc, r, run->meta_cols[i]);

		if (!*v)
			continue;
		key = cb_xstrndup(h, strlen(h) - (sizeof(metadata_suffix) - 1));
		json_object_set_new(obj, key, json_string(v));
		for (k = 0; k < best && order_keys[k]; k++)
			if (!strcasecmp(key, order_keys[k])) {
				c->order_ref = v;
				best = k;
			}
		free(key);
	}
	if (json_object_size(obj)) {
		dump = json_dumps(obj, JSON_SORT_KEYS | JSON_COMPACT);
		c->metadata_json = rm_redact(&run->scratch, dump);
		free(dump);
	}
	json_decref(obj);
}

/* Stripe's dispute statuses (SAMPLES.md, "Open statuses"); -1 for one we do not know. */
static int stripe_is_open(const char *status)
{
	static const char *const open[] = { "needs_response", "warning_needs_response", NULL };
	static const char *const closed[] = {
		"under_review", "warning_under_review", "warning_closed", "won", "lost",
		"charge_refunded", "prevented", NULL
	};
	size_t i;

	for (i = 0; open[i]; i++)
		if (!strcmp(status, open[i]))
			return 1;
	for (i = 0; closed[i]; i++)
		if (!strcmp(status, closed[i]))
			return 0;
	return -1;
}

static int emit_dispute(struct stripe_run *run, const struct cb_charge *c, size_t r,
			struct cb_error *err)
{
	struct cb_dispute d;
	struct rm_row row;
	struct cb_buf id = CB_BUF_INIT;
	int ret;

	cb_dispute_blank(&d);
	rm_csv_row(&row, &run->disputes, r, &run->scratch);
	ret = rm_fill(&d, stripe_dispute_cols, N(stripe_dispute_cols), &row, NULL, false, err);
	if (ret)
		return ret;
	if (!d.status && !d.gateway_reason && d.opened_at == CB_NO_TIME)
		return 0;
	cb_buf_addf(&id, "dp_from_%s", c->gateway_id);
	d.gateway = "stripe";
	d.gateway_id = cb_buf_cstr(&id);
	d.charge_ref = c->gateway_id;
	d.order_ref = c->order_ref;
	if (d.amount == CB_NO_AMOUNT)
		d.amount = c->amount;
	d.reason = cb_reason_name(cb_reason_from_gateway(d.gateway_reason, NULL));
	/* Without a status nobody knows whether it is open; the store needs one. */
	d.status = d.status ? d.status : "unknown";
	d.is_open = stripe_is_open(d.status);
	d.stage = strncmp(d.status, "warning_", 8) ? "chargeback" : "inquiry";
	ret = run->sink->dispute(run->sink->ctx, &d, err);
	cb_buf_release(&id);
	if (ret)
		return rm_sink_error(err, row.path, row.line, ret);
	run->st->records++;
	return 0;
}

static int import_row(struct stripe_run *run, size_t r, struct cb_error *err)
{
	struct cb_charge c;
	struct rm_row row;
	int ret;

	rm_csv_row(&row, &run->charges, r, &run->scratch);
	if (cb_empty(row.vals[0])) {	/* "id": a PaymentIntent that made no charge */
		run->st->rows_skipped++;
		return 0;
	}
	cb_charge_blank(&c);
	ret = rm_fill(&c, stripe_cols, N(stripe_cols), &row, NULL, true, err);
	if (ret)
		return ret;
	read_metadata(&c, run, r);
	c.gateway = "stripe";
	c.customer_name = c.billing.name;
	ret = run->sink->charge(run->sink->ctx, &c, err);
	if (ret)
		return rm_sink_error(err, row.path, row.line, ret);
	run->st->records++;
	ret = emit_dispute(run, &c, r, err);
	if (!ret)
		run->st->rows_accepted++;
	return ret;
}

CB_INGEST_FN(cb_ingest_stripe_payments_csv)
{
	struct csv_doc doc = CSV_DOC_INIT;
	struct stripe_run run;
	size_t r;
	int ret;

	memset(&run, 0, sizeof(run));
	run.doc = &doc;
	run.sink = sink;
	run.st = st;
	ret = csv_doc_parse(&doc, path, data, len, err);
	if (!ret)
		ret = rm_csv_bind(&run.charges, &doc, stripe_cols, N(stripe_cols), err);
	if (!ret)
		ret = rm_csv_bind(&run.disputes, &doc, stripe_dispute_cols,
				  N(stripe_dispute_cols), err);
	if (ret)
		goto out;
	find_metadata(&run);
	for (r = 1; r < doc.nrows && !ret; r++) {
		if (csv_row_blank(&doc, r))
			st->rows_skipped++;
		else
			ret = import_row(&run, r, err);
		rm_scratch_reset(&run.scratch);
	}
out:
	free(run.meta_cols);
	rm_scratch_release(&run.scratch);
	rm_csv_release(&run.charges);
	rm_csv_release(&run.disputes);
	csv_doc_release(&doc);
	return ret;
}
