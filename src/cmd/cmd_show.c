/*
 * cmd_show.c: `cbpack show DISPUTE` prints what the store holds for one
 * dispute, as its evidence packet sees it, and then what the evidence matrix
 * asks for that reason and the packet lacks, so a merchant knows what to
 * import or attach before building. Everything printed comes from the packet,
 * which is already redacted: card data is brand and last 4 only. Message
 * bodies are not printed at all; `cbpack build` renders them.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/money.h"
#include "cbpack/records.h"
#include "cbpack/store.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "cmd.h"

static const char usage[] = "cbpack show DISPUTE [--json]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Show the evidence the store holds for DISPUTE (its gateway id, or\n"
	       "GATEWAY:ID): order, payment checks, messages, tracking, attachments,\n"
	       "refunds and prior orders, then the evidence its reason calls for that is\n"
	       "still missing.\n\n"
	       "  --json       print the same as one JSON object\n"
	       "  -h, --help   show this help\n", usage);
}

/* The value of a template key in `b` (reused), "-" when it has none. */
static const char *val(const struct cb_packet *p, const char *key, struct cb_buf *b)
{
	cb_buf_reset(b);
	cb_packet_value(p, key, b);
	return b->len ? b->ptr : "-";
}

static const char *or_dash(const char *s)
{
	return cb_empty(s) ? "-" : s;
}

static char *fmt_time(char *out, size_t n, int64_t t)
{
	if (t != CB_NO_TIME)
		return cb_time_format(out, n, t, 0);
	snprintf(out, n, "-");
	return out;
}

static void print_header(const struct cb_packet *p, int64_t now)
{
	struct cb_buf b = CB_BUF_INIT;
	char t[64], left[64];

	printf("Dispute %s %s: %s", p->gateway, p->dispute_id, cb_reason_label(p->reason));
	if (!cb_empty(p->gateway_reason) || !cb_empty(p->network_reason_code))
		printf(" (%s%s%s)", or_dash(p->gateway_reason),
		       cb_empty(p->network_reason_code) ? "" : ", code ",
		       cb_empty(p->network_reason_code) ? "" : p->network_reason_code);
	printf("\n  Amount:    %s\n", val(p, "dispute.amount", &b));
	printf("  Status:    %s%s%s\n", or_dash(p->status), cb_empty(p->stage) ? "" : ", ",
	       cb_empty(p->stage) ? "" : p->stage);
	printf("  Opened:    %s\n", fmt_time(t, sizeof(t), p->opened_at));
	if (p->due_by == CB_NO_TIME) {
		printf("  Due:       no deadline recorded\n");
	} else {
		cb_time_left(left, sizeof(left), p->due_by, now);
		printf("  Due:       %s (%s)\n", fmt_time(t, sizeof(t), p->due_by), left);
	}
	cb_buf_release(&b);
}

static void print_order(const struct cb_packet *p)
{
	struct cb_buf b = CB_BUF_INIT;
	char t[64];
	size_t i;

	printf("\nOrder");
	if (!p->has_order) {
		printf(": none in the store\n");
		return;
	}
	printf(" %s, placed %s\n", or_dash(p->order.order_ref),
	       fmt_time(t, sizeof(t), p->order.created_at));
	for (i = 0; i < p->order.n_lines; i++) {
		const struct cb_pk_line *l = &p->order.lines[i];

		printf("  %" PRId64 " \xC3\x97 %s%s%s%s\n", l->quantity, or_dash(l->name),
		       cb_empty(l->sku) ? "" : " (", cb_empty(l->sku) ? "" : l->sku,
		       cb_empty(l->sku) ? "" : ")");
	}
	printf("  Total:     %s\n", val(p, "order.total", &b));
	printf("  Status:    %s\n", val(p, "order.status", &b));
	printf("  Customer:  %s", or_dash(p->customer_name));
	if (!cb_empty(p->email))
		printf(" <%s>", p->email);
	printf("%s%s\n", cb_empty(p->phone) ? "" : ", ", cb_empty(p->phone) ? "" : p->phone);
	printf("  Billing:   %s\n", val(p, "billing.address", &b));
	printf("  Shipping:  %s\n", val(p, "shipping.address", &b));
	cb_buf_release(&b);
}

static const char *tri(int v)
{
	return v == 1 ? "yes" : v == 0 ? "no" : "unknown";
}

static void print_payment(const struct cb_packet *p)
{
	struct cb_buf b = CB_BUF_INIT;
	char t[64];

	printf("\nPayment");
	if (!p->has_charge) {
		printf(": no charge in the store\n");
		return;
	}
	printf(" %s, %s\n", or_dash(p->charge.gateway_id),
	       fmt_time(t, sizeof(t), p->charge.created_at));
	printf("  Card:      %s", or_dash(p->charge.card_brand));
	if (!cb_empty(p->charge.card_last4))
		printf(" ending %s", p->charge.card_last4);
	printf("\n  AVS:       %s\n", val(p, "payment.avs", &b));
	printf("  CVC:       %s\n", val(p, "payment.cvc", &b));
	printf("  3DS:       %s\n", val(p, "payment.three_ds", &b));
	printf("  IP:        %s\n", val(p, "customer.ip", &b));
	printf("  Risk:      %s\n", val(p, "payment.risk", &b));
	printf("  Billing = shipping address: %s\n", tri(p->facts.billing_matches_shipping));
	cb_buf_release(&b);
}

static void print_messages(const struct cb_packet *p)
{
	char a[64], b[64];
	size_t i, j;

	printf("\nMessages: %zu", p->n_messages);
	if (!p->n_messages) {
		printf("\n");
		return;
	}
	printf(" (");
	/* Channels in order of first appearance, each counted once. */
	for (i = 0; i < p->n_messages; i++) {
		size_t n = 0;

		for (j = 0; j < i; j++)
			if (cb_streq_ci(p->messages[j].channel, p->messages[i].channel))
				break;
		if (j < i)
			continue;
		for (j = i; j < p->n_messages; j++)
			n += cb_streq_ci(p->messages[j].channel, p->messages[i].channel);
		printf("%s%s %zu", i ? ", " : "", or_dash(p->messages[i].channel), n);
	}
	printf(")\n  First:     %s\n  Last:      %s\n",
	       fmt_time(a, sizeof(a), p->messages[0].sent_at),
	       fmt_time(b, sizeof(b), p->messages[p->n_messages - 1].sent_at));
}

static void print_tracking(const struct cb_packet *p)
{
	char t[64];
	size_t i;

	printf("\nTracking:%s\n", p->n_shipments ? "" : " no shipments");
	for (i = 0; i < p->n_shipments; i++) {
		const struct cb_pk_shipment *s = &p->shipments[i];
		const struct cb_pk_event *e = NULL;
		size_t k;

		for (k = 0; k < s->n_events && !e; k++)
			if (s->events[k].is_delivered)
				e = &s->events[k];
		printf("  %s %s: ", or_dash(s->carrier), or_dash(s->tracking_number));
		if (s->delivered_at != CB_NO_TIME)
			printf("delivered %s", fmt_time(t, sizeof(t), s->delivered_at));
		else
			printf("%s", or_dash(s->status));
		if (e && !cb_empty(e->location))
			printf(" at %s", e->location);
		if (!cb_empty(s->signed_by))
			printf(", signed by %s", s->signed_by);
		printf(" (%zu scan%s)\n", s->n_events, s->n_events == 1 ? "" : "s");
	}
}

static void print_attachments(const struct cb_packet *p)
{
	size_t i;

	printf("\nAttachments:%s\n", p->n_attachments ? "" : " none");
	for (i = 0; i < p->n_attachments; i++) {
		const struct cb_pk_attachment *a = &p->attachments[i];

		printf("  %-14s %s, %.1f KB\n", or_dash(a->kind), or_dash(a->original_name),
		       (double)a->size / 1024.0);
	}
}

static void print_refunds(const struct cb_packet *p)
{
	char m[64], t[32];
	size_t i;

	printf("\nRefunds:%s\n", p->n_refunds ? "" : " none");
	for (i = 0; i < p->n_refunds; i++) {
		const struct cb_pk_refund *r = &p->refunds[i];

		printf("  %s  %s  %s  %s\n", or_dash(r->gateway_id),
		       r->amount == CB_NO_AMOUNT || !r->currency ? "-"
			: cb_money_format(m, sizeof(m), r->amount, r->currency),
		       r->created_at == CB_NO_TIME ? "-" : cb_date_format(t, sizeof(t), r->created_at),
		       or_dash(r->status));
	}
}

static void print_priors(const struct cb_packet *p)
{
	char m[64], t[32];
	size_t i;

	printf("\nPrior orders: %zu", p->n_priors);
	if (p->n_priors)
		printf(" (%d qualify for Visa CE 3.0)", p->facts.ce3_prior_matches);
	printf("\n");
	for (i = 0; i < p->n_priors; i++) {
		const struct cb_pk_prior *r = &p->priors[i];

		printf("  %s  %s  %s  matched on %s%s\n",
		       r->order_ref ? r->order_ref : or_dash(r->charge_id),
		       r->created_at == CB_NO_TIME ? "-" : cb_date_format(t, sizeof(t), r->created_at),
		       r->amount == CB_NO_AMOUNT || !r->currency ? "-"
			: cb_money_format(m, sizeof(m), r->amount, r->currency),
		       or_dash(r->matched_on),
		       r->disputed ? " (disputed)" : r->ce3 ? " (CE 3.0)" : "");
	}
}

static void print_missing(const struct cb_packet *p)
{
	const char *const *k;
	int n = 0;

	printf("\nMissing evidence for %s:", cb_reason_label(p->reason));
	for (k = cb_evidence_default_required(p->reason); *k; k++) {
		if (cb_packet_has(p, *k))
			continue;
		printf("\n  - %s: %s", *k, cb_evidence_kind_label(*k));
		n++;
	}
	printf("%s\n", n ? "" : " none");
}

/* A heading, then each line of `text` indented under it. */
static void print_indented(const char *heading, const char *text)
{
	const char *nl;

	printf("\n%s:\n", heading);
	for (; (nl = strchr(text, '\n')); text = nl + 1)
		printf("  %.*s\n", (int)(nl - text), text);
	printf("  %s\n", text);
}

static void print_text(const struct cb_packet *p, int64_t now)
{
	struct cb_buf facts = CB_BUF_INIT;

	print_header(p, now);
	print_order(p);
	print_payment(p);
	print_messages(p);
	print_tracking(p);
	print_attachments(p);
	print_refunds(p);
	print_priors(p);
	cb_packet_value(p, "facts.summary", &facts);
	if (facts.len)
		print_indented("Key facts", facts.ptr);
	cb_buf_release(&facts);
	print_missing(p);
}

/* JSON helpers: absent values are null, never "" or a sentinel number. */
static json_t *j_str(const char *s)
{
	return cb_empty(s) ? json_null() : json_string(s);
}

static json_t *j_time(int64_t t)
{
	char b[64];

	return t == CB_NO_TIME ? json_null() : json_string(cb_time_iso(b, sizeof(b), t));
}

static json_t *j_amount(int64_t v)
{
	return v == CB_NO_AMOUNT ? json_null() : json_integer((json_int_t)v);
}

static json_t *j_tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static json_t *j_val(const struct cb_packet *p, const char *key)
{
	struct cb_buf b = CB_BUF_INIT;
	json_t *j;

	cb_packet_value(p, key, &b);
	j = j_str(b.ptr);
	cb_buf_release(&b);
	return j;
}

static json_t *json_dispute(const struct cb_packet *p, int64_t now)
{
	return json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"gateway", j_str(p->gateway), "id", j_str(p->dispute_id),
		"reason", cb_reason_name(p->reason), "reason_label", cb_reason_label(p->reason),
		"gateway_reason", j_str(p->gateway_reason),
		"network_code", j_str(p->network_reason_code),
		"amount", j_amount(p->amount), "currency", j_str(p->currency),
		"amount_text", j_val(p, "dispute.amount"), "status", j_str(p->status),
		"opened_at", j_time(p->opened_at), "due_by", j_time(p->due_by),
		"due_in_seconds", p->due_by == CB_NO_TIME ? json_null()
			: json_integer((json_int_t)(p->due_by - now)));
}

static json_t *json_order(const struct cb_packet *p)
{
	json_t *lines = json_array();
	size_t i;

	if (!p->has_order) {
		json_decref(lines);
		return json_null();
	}
	for (i = 0; i < p->order.n_lines; i++) {
		const struct cb_pk_line *l = &p->order.lines[i];

		json_array_append_new(lines, json_pack("{s:o, s:o, s:I, s:o}",
			"name", j_str(l->name), "sku", j_str(l->sku),
			"quantity", (json_int_t)l->quantity, "price", j_amount(l->price)));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"number", j_str(p->order.order_ref), "created_at", j_time(p->order.created_at),
		"items", lines, "total", j_amount(p->order.total),
		"currency", j_str(p->order.currency), "status", j_val(p, "order.status"),
		"customer_name", j_str(p->customer_name), "email", j_str(p->email),
		"phone", j_str(p->phone), "billing_address", j_val(p, "billing.address"),
		"shipping_address", j_val(p, "shipping.address"),
		"billing_matches_shipping", j_tri(p->facts.billing_matches_shipping));
}

static json_t *json_payment(const struct cb_packet *p)
{
	const struct cb_pk_charge *c = &p->charge;

	if (!p->has_charge)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"charge_id", j_str(c->gateway_id), "created_at", j_time(c->created_at),
		"card_brand", j_str(c->card_brand), "card_last4", j_str(c->card_last4),
		"avs_line1", j_str(c->avs_line1), "avs_postal", j_str(c->avs_postal),
		"cvc", j_str(c->cvc), "three_ds", j_val(p, "payment.three_ds"),
		"three_ds_ok", j_tri(p->facts.three_ds_ok), "ip", j_str(p->facts.purchase_ip),
		"risk_level", j_str(c->risk_level),
		"risk_score", c->risk_score < 0 ? json_null() : json_integer(c->risk_score),
		"device_id", j_str(p->device_id));
}

static json_t *json_messages(const struct cb_packet *p)
{
	json_t *by = json_object();
	size_t i;

	for (i = 0; i < p->n_messages; i++) {
		const char *ch = p->messages[i].channel ? p->messages[i].channel : "unknown";
		json_t *n = json_object_get(by, ch);

		json_object_set_new(by, ch, json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	return json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)p->n_messages,
		"by_channel", by,
		"first_at", p->n_messages ? j_time(p->messages[0].sent_at) : json_null(),
		"last_at", p->n_messages ? j_time(p->messages[p->n_messages - 1].sent_at)
					 : json_null());
}

static json_t *json_shipments(const struct cb_packet *p)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < p->n_shipments; i++) {
		const struct cb_pk_shipment *s = &p->shipments[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
			"carrier", j_str(s->carrier), "tracking_number", j_str(s->tracking_number),
			"status", j_str(s->status), "shipped_at", j_time(s->shipped_at),
			"delivered_at", j_time(s->delivered_at), "signed_by", j_str(s->signed_by),
			"scans", (json_int_t)s->n_events));
	}
	return arr;
}

static json_t *json_attachments(const struct cb_packet *p)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < p->n_attachments; i++) {
		const struct cb_pk_attachment *a = &p->attachments[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:I, s:o}",
			"kind", j_str(a->kind), "name", j_str(a->original_name),
			"media_type", j_str(a->media_type), "size", (json_int_t)a->size,
			"sha256", j_str(a->sha256)));
	}
	return arr;
}

static json_t *json_refunds(const struct cb_packet *p)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < p->n_refunds; i++) {
		const struct cb_pk_refund *r = &p->refunds[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"id", j_str(r->gateway_id), "amount", j_amount(r->amount),
			"currency", j_str(r->currency), "created_at", j_time(r->created_at),
			"status", j_str(r->status)));
	}
	return arr;
}

static json_t *json_priors(const struct cb_packet *p)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < p->n_priors; i++) {
		const struct cb_pk_prior *r = &p->priors[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b}",
			"order", j_str(r->order_ref), "charge_id", j_str(r->charge_id),
			"created_at", j_time(r->created_at), "amount", j_amount(r->amount),
			"currency", j_str(r->currency), "matched_on", j_str(r->matched_on),
			"disputed", r->disputed, "ce3", r->ce3));
	}
	return arr;
}

static json_t *json_missing(const struct cb_packet *p)
{
	json_t *arr = json_array();
	const char *const *k;

	for (k = cb_evidence_default_required(p->reason); *k; k++)
		if (!cb_packet_has(p, *k))
			json_array_append_new(arr, json_pack("{s:s, s:s}", "kind", *k,
							     "label", cb_evidence_kind_label(*k)));
	return arr;
}

static int print_json(const struct cb_packet *p, int64_t now)
{
	char digest[65];
	json_t *o;
	int ret;

	cb_packet_digest(p, digest);
	o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:s}",
		"dispute", json_dispute(p, now), "order", json_order(p),
		"payment", json_payment(p), "messages", json_messages(p),
		"shipments", json_shipments(p), "attachments", json_attachments(p),
		"refunds", json_refunds(p), "priors", json_priors(p),
		"ce3_prior_matches", p->facts.ce3_prior_matches,
		"facts", j_val(p, "facts.summary"), "missing", json_missing(p),
		"digest", digest);
	ret = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
	return ret;
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_packet *p = NULL;
	struct cb_store *s = NULL;
	int ch, json = 0, ret;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'h':
			print_help();
			return CB_EXIT_OK;
		default:
			return cb_usage(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cb_usage(usage, "no dispute named");
	if (optind + 1 < argc)
		return cb_usage(usage, "unexpected argument '%s'", argv[optind + 1]);

	if (cb_store_open(&s, cb_store_default_path(cb_global.db_path), CB_STORE_READONLY,
			  &err) < 0)
		return cb_fail(&err);
	ret = cb_evidence_load(&p, s, argv[optind], &err);
	cb_store_free(s);
	if (ret < 0)
		return ret == CB_EUSAGE ? cb_usage(usage, "%s", err.msg) : cb_fail(&err);
	if (json) {
		if (print_json(p, cb_now()) < 0)
			cb_warn("cannot write the JSON output");
	} else {
		print_text(p, cb_now());
	}
	cb_packet_free(p);
	return CB_EXIT_OK;
}
