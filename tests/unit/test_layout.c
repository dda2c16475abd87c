/*
 * Unit tests: layouts. The three shipped layouts load with the limits,
 * orders, required evidence and files the gateways need; templates expand;
 * broken layouts are refused with the file and line at fault; external
 * entities and includes from outside the layout directory are refused
 * without the file they point at being opened; the digest covers the
 * included pieces.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/layout.h"
#include "cbpack/reason.h"

#define FIXTURES CB_LAYOUTDIR "/../tests/layouts-bad"

/* Every template key the shipped layouts use. */
static const char *const used_keys[] = {
	"billing.address", "shipping.carrier_code", "card.brand", "card.last4", "charge.date", "charge.id",
	"customer.email", "customer.ip", "customer.name", "dispute.amount", "order.date",
	"order.number", "payment.avs", "payment.cvc", "payment.three_ds", "policy.cancellation",
	"policy.cancellation_disclosure", "policy.refund", "policy.refund_disclosure",
	"priors.ce3_count", "priors.count", "product.description", "refund.amount", "refund.date",
	"refund.id", "shipping.address", "shipping.carrier", "shipping.date",
	"shipping.delivered_at", "shipping.signed_by", "shipping.tracking_numbers", NULL
};

static const char *const all_kinds[] = {
	"order", "receipt", "payment_auth", "three_ds", "avs_cvc", "customer_ip",
	"communication", "shipping", "tracking", "delivery", "signature", "delivery_photo",
	"product_photo", "refund", "refund_policy", "cancellation_policy", "shipping_policy",
	"prior_orders", "product_description", NULL
};

/* ---- helpers ---- */

static struct cb_layout *load_shipped(const char *name)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l = NULL;

	if (cb_layout_find(&l, name, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	return l;
}

static bool has(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static size_t count(const char *const *list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

static const struct cb_layout_file *file_named(const struct cb_layout *l, enum cb_reason r,
					       const char *name)
{
	const struct cb_layout_file *const *files;
	size_t n = cb_layout_files(l, r, &files), i;

	for (i = 0; i < n; i++)
		if (!strcmp(files[i]->name, name))
			return files[i];
	return NULL;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static char *read_all(const char *path)
{
	struct cb_buf b = CB_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cb_buf_add(&b, chunk, n);
	fclose(f);
	return cb_buf_detach(&b);
}

static void copy_file(const char *from, const char *to)
{
	char *text = read_all(from);

	write_file(to, text);
	free(text);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

struct tmp {
	char dir[64];
	char path[512];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/cbpack-layout-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
}

static const char *tmp_path(struct tmp *t, const char *name)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	return t->path;
}

static void tmp_remove(struct tmp *t)
{
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A small valid layout; `plan` and `letters` replace those elements. */
static void write_layout(const char *path, const char *plan, const char *letters)
{
	struct cb_buf b = CB_BUF_INIT;

	cb_buf_addf(&b,
		"<?xml version=\"1.0\"?>\n"
		"<layout xmlns:xi=\"http://www.w3.org/2001/XInclude\" name=\"t\" gateway=\"test\" version=\"1\">\n"
		"  <limits>\n"
		"    <file-bytes>2000000</file-bytes>\n"
		"    <total-bytes>4000000</total-bytes>\n"
		"    <page size=\"a4\"/>\n"
		"    <file-types>pdf</file-types>\n"
		"  </limits>\n"
		"  <files>\n"
		"    <pdf name=\"e.pdf\" answers=\"evidence\" title=\"Evidence\"><section ref=\"cover\"/></pdf>\n"
		"  </files>\n"
		"  %s\n"
		"  %s\n"
		"</layout>\n",
		plan ? plan : "<plan><sections><order>cover</order></sections></plan>",
		letters ? letters : "<letters><letter>Order {{order.number}}.</letter></letters>");
	write_file(path, b.ptr);
	cb_buf_release(&b);
}

/* Watch `path` for any open or read; the returned fd reports them. */
static int watch_file(const char *path)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	assert_true(fd >= 0);
	assert_true(inotify_add_watch(fd, path, IN_OPEN | IN_ACCESS) >= 0);
	return fd;
}

static void assert_untouched(int fd)
{
	char ev[4096];

	assert_int_equal(read(fd, ev, sizeof(ev)), -1);
	assert_int_equal(errno, EAGAIN);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	setenv("CBPACK_LAYOUTS", CB_LAYOUTDIR, 1);
	return 0;
}

/* ---- the shipped layouts ---- */

/* A layout found by name keeps its own copy of its path for error locations. */
static void name_errors_locate_found_layouts(void **state)
{
	static const char *const few_keys[] = { "order.number", NULL };
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l = load_shipped("paypal");

	(void)state;
	assert_true(cb_layout_check_names(l, few_keys, all_kinds, &err) < 0);
	assert_non_null(strstr(err.msg, "paypal.xml:"));
	cb_layout_free(l);
}

static void shipped_layouts_load(void **state)
{
	const char *names[] = { "stripe", "paypal", "generic" };
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		l = load_shipped(names[i]);
		assert_string_equal(cb_layout_name(l), names[i]);
		assert_string_equal(cb_layout_gateway(l), names[i]);
		assert_int_equal(strlen(cb_layout_digest(l)), 64);
		assert_int_equal(cb_layout_check_names(l, used_keys, all_kinds, &err), 0);
		cb_layout_free(l);
	}
}

static void limits_match_the_gateways(void **state)
{
	struct cb_layout *l;
	const struct cb_limits *lim;

	(void)state;
	l = load_shipped("stripe");
	lim = cb_layout_limits(l);
	assert_int_equal(lim->file_bytes, 5000000);
	assert_int_equal(lim->total_bytes, 4500000);
	assert_int_equal(lim->file_pages, 49);
	assert_int_equal(lim->total_pages, 49);
	assert_int_equal(lim->text_field_chars, 20000);
	assert_int_equal(lim->text_total_chars, 150000);
	assert_true(lim->page_width == 612 && lim->page_height == 792);
	assert_int_equal(count(lim->file_types), 3);
	assert_true(has(lim->file_types, "pdf") && has(lim->file_types, "jpeg") &&
		    has(lim->file_types, "png"));
	cb_layout_free(l);

	l = load_shipped("paypal");
	lim = cb_layout_limits(l);
	assert_true(lim->file_bytes < 10000000 && lim->file_bytes > 9000000);
	assert_int_equal(lim->total_bytes, 50000000);
	assert_int_equal(lim->file_pages, 0);
	assert_int_equal(lim->text_field_chars, 0);
	assert_true(has(lim->file_types, "gif"));
	cb_layout_free(l);

	l = load_shipped("generic");
	lim = cb_layout_limits(l);
	assert_int_equal(lim->file_bytes, 2000000);
	assert_int_equal(lim->total_bytes, 4000000);
	assert_int_equal(lim->file_pages, 19);
	assert_int_equal(lim->total_pages, 19);
	assert_true(lim->page_width == 612 && lim->page_height == 792);
	assert_int_equal(count(lim->file_types), 1);
	cb_layout_free(l);
}

static void section_order_follows_the_reason(void **state)
{
	struct cb_layout *l = load_shipped("stripe");
	const char *const *fraud = cb_layout_section_order(l, CB_REASON_FRAUD);
	const char *const *inr = cb_layout_section_order(l, CB_REASON_NOT_RECEIVED);
	const char *const *cnp = cb_layout_section_order(l, CB_REASON_CREDIT_NOT_PROCESSED);
	const char *const *gen = cb_layout_section_order(l, CB_REASON_GENERAL);
	int r;

	(void)state;
	/* fraud: authentication first; not received: the carrier first */
	assert_string_equal(fraud[0], "cover");
	assert_string_equal(fraud[1], "payment");
	assert_string_equal(fraud[2], "customer");
	assert_string_equal(inr[0], "cover");
	assert_string_equal(inr[1], "shipping");
	assert_string_equal(inr[2], "images");
	assert_string_equal(cnp[1], "refunds");
	assert_string_equal(gen[1], "order");
	for (r = 0; r < CB_REASON_COUNT; r++)
		assert_int_equal(count(cb_layout_section_order(l, (enum cb_reason)r)), 9);
	cb_layout_free(l);
}

static void required_evidence_per_reason(void **state)
{
	struct cb_layout *l = load_shipped("stripe");
	const char *const *req;
	size_t i, j;

	(void)state;
	req = cb_layout_required(l, CB_REASON_FRAUD);
	assert_true(has(req, "payment_auth") && has(req, "avs_cvc") && has(req, "customer_ip"));
	assert_false(has(req, "shipping"));
	req = cb_layout_required(l, CB_REASON_NOT_RECEIVED);
	assert_true(has(req, "order") && has(req, "shipping") && has(req, "delivery"));
	assert_true(has(cb_layout_required(l, CB_REASON_SUBSCRIPTION_CANCELED),
			"cancellation_policy"));
	assert_true(has(cb_layout_required(l, CB_REASON_NOT_AS_DESCRIBED), "product_description"));
	assert_true(has(cb_layout_required(l, CB_REASON_CREDIT_NOT_PROCESSED), "refund_policy"));
	cb_layout_free(l);

	/*
	 * PayPal needs carrier and tracking number (kind 'shipping') wherever it
	 * answers with PROOF_OF_FULFILLMENT: added to fraud, merged without a
	 * repeat into not_received, which the plan already has it on.
	 */
	l = load_shipped("paypal");
	assert_true(has(cb_layout_required(l, CB_REASON_FRAUD), "shipping"));
	req = cb_layout_required(l, CB_REASON_NOT_RECEIVED);
	assert_true(has(req, "shipping") && has(req, "delivery"));
	for (i = 0; req[i]; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(req[i], req[j]);
	assert_false(has(cb_layout_required(l, CB_REASON_NOT_AS_DESCRIBED), "shipping"));
	cb_layout_free(l);
}

static void files_depend_on_the_reason(void **state)
{
	struct cb_layout *l = load_shipped("stripe");
	const struct cb_layout_file *f;
	const struct cb_layout_file *const *files;

	(void)state;
	assert_non_null(file_named(l, CB_REASON_SUBSCRIPTION_CANCELED, "cancellation_policy.pdf"));
	assert_null(file_named(l, CB_REASON_SUBSCRIPTION_CANCELED, "refund_policy.pdf"));
	assert_non_null(file_named(l, CB_REASON_CREDIT_NOT_PROCESSED, "refund_policy.pdf"));
	f = file_named(l, CB_REASON_FRAUD, "uncategorized_file.pdf");
	assert_non_null(f);
	assert_int_equal(f->kind, CB_LFILE_PDF);
	assert_string_equal(f->answers, "uncategorized_file");
	assert_string_equal(f->sections[0], "cover");
	assert_null(f->sections[1]);
	f = file_named(l, CB_REASON_NOT_RECEIVED, "customer_signature_{n}");
	assert_non_null(f);
	assert_int_equal(f->kind, CB_LFILE_PROOF);
	assert_int_equal(f->max_files, 1);
	assert_true(has(f->attachment_kinds, "signature"));
	assert_null(file_named(l, CB_REASON_DUPLICATE, "customer_signature_{n}"));
	f = file_named(l, CB_REASON_GENERAL, "evidence.json");
	assert_non_null(f);
	assert_int_equal(f->kind, CB_LFILE_FIELDS);
	cb_layout_free(l);

	l = load_shipped("paypal");
	f = file_named(l, CB_REASON_NOT_RECEIVED, "proof_of_fulfillment.pdf");
	assert_non_null(f);
	assert_string_equal(f->answers, "PROOF_OF_FULFILLMENT");
	assert_null(file_named(l, CB_REASON_NOT_AS_DESCRIBED, "proof_of_fulfillment.pdf"));
	f = file_named(l, CB_REASON_NOT_RECEIVED, "proof_of_delivery_{n}");
	assert_non_null(f);
	assert_true(has(f->attachment_kinds, "pod") && has(f->attachment_kinds, "signature"));
	assert_int_equal(f->max_files, 0);
	cb_layout_free(l);

	l = load_shipped("generic");
	assert_int_equal(cb_layout_files(l, CB_REASON_FRAUD, &files), 1);
	assert_string_equal(files[0]->name, "evidence.pdf");
	assert_int_equal(count(files[0]->sections), 9);
	assert_null(files[1]);
	cb_layout_free(l);
}

static void text_fields_have_reasons(void **state)
{
	struct cb_layout *l = load_shipped("stripe");
	const struct cb_layout_field *f;
	unsigned all = (1u << CB_REASON_COUNT) - 1, types = 0;
	size_t n, i;
	bool name = false, rebuttal = false;

	(void)state;
	n = cb_layout_fields(l, &f);
	for (i = 0; i < n; i++) {
		if (!strcmp(f[i].name, "customer_name")) {
			name = true;
			assert_string_equal(f[i].tmpl, "{{customer.name}}");
			assert_int_equal(f[i].reasons, all);
		}
		if (!strcmp(f[i].name, "cancellation_rebuttal")) {
			rebuttal = true;
			assert_int_equal(f[i].reasons, 1u << CB_REASON_SUBSCRIPTION_CANCELED);
			assert_null(strchr(f[i].tmpl, '\n'));
		}
	}
	assert_true(name && rebuttal);
	cb_layout_free(l);

	/* one evidence_type per reason, every reason covered once */
	l = load_shipped("paypal");
	n = cb_layout_fields(l, &f);
	for (i = 0; i < n; i++) {
		if (strcmp(f[i].name, "evidences[].evidence_type"))
			continue;
		assert_int_equal(types & f[i].reasons, 0);
		types |= f[i].reasons;
	}
	assert_int_equal(types, all);
	cb_layout_free(l);
}

/* ---- templates ---- */

struct kv {
	const char *key, *value;
};

static int fake_lookup(void *ctx, const char *key, struct cb_buf *out)
{
	const struct kv *t;

	for (t = ctx; t->key; t++) {
		if (!strcmp(t->key, key)) {
			cb_buf_adds(out, t->value);
			return 0;
		}
	}
	return CB_ENOTFOUND;
}

static const struct kv values[] = {
	{ "customer.name", "Zoë Ångström" }, { "order.number", "#1001" },
	{ "refund.amount", "" }, { "shipping.carrier", "UPS" },
	{ "shipping.tracking_numbers", "1Z999AA10123456784" }, { NULL, NULL }
};

static char *expand(const char *tmpl, const struct kv *kv, int *rc, struct cb_error *err)
{
	struct cb_buf out = CB_BUF_INIT;

	*rc = cb_layout_expand(&out, tmpl, fake_lookup, (void *)kv, err);
	return cb_buf_detach(&out);
}

static void expand_values_and_blocks(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct kv refunded[] = { { "refund.amount", "5.00 USD" }, { "order.number", "#1001" },
				 { NULL, NULL } };
	char *s;
	int rc;

	(void)state;
	s = expand("{{customer.name}} ordered {{order.number}}.", values, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "Zoë Ångström ordered #1001.");
	free(s);

	/* an empty value drops its block and the space after it */
	s = expand("A. {{#refund.amount}}Refunded {{refund.amount}}.{{/refund.amount}} B.", values,
		   &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "A. B.");
	free(s);
	s = expand("A. {{#refund.amount}}Refunded {{refund.amount}}.{{/refund.amount}} B.",
		   refunded, &rc, &err);
	assert_string_equal(s, "A. Refunded 5.00 USD. B.");
	free(s);

	/* nested blocks, and a block at the start */
	s = expand("{{#shipping.carrier}}{{shipping.carrier}}{{#shipping.tracking_numbers}} "
		   "{{shipping.tracking_numbers}}{{/shipping.tracking_numbers}}{{/shipping.carrier}}",
		   values, &rc, &err);
	assert_string_equal(s, "UPS 1Z999AA10123456784");
	free(s);
	s = expand("{{#refund.amount}}x{{/refund.amount}} Order {{order.number}}", values, &rc, &err);
	assert_string_equal(s, "Order #1001");
	free(s);
	s = expand("no tags at all", values, &rc, &err);
	assert_string_equal(s, "no tags at all");
	free(s);
}

static void expand_refuses_bad_templates(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_buf out = CB_BUF_INIT;
	static const struct {
		const char *tmpl, *msg;
	} bad[] = {
		{ "Hello {{nope.key}}", "unknown template key 'nope.key'" },
		/* a typo inside a block that is left out is still a typo */
		{ "{{#refund.amount}}{{refund.amout}}{{/refund.amount}}",
		  "unknown template key 'refund.amout'" },
		{ "Dear {{customer.name", "unterminated template tag '{{customer.name'" },
		{ "{{#refund.amount}}never closed", "'{{#refund.amount}}' is not closed" },
		{ "{{#refund.amount}}x{{/order.number}}", "where '{{/refund.amount}}' was expected" },
		{ "x{{/order.number}}", "'{{/order.number}}' closes no" },
		{ "{{Customer.Name}}", "bad template key 'Customer.Name'" },
		{ "{{ customer.name }}", "bad template key ' customer.name '" },
		{ "{{}}", "empty template tag" },
		{ "{{order..number}}", "bad template key 'order..number'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cb_buf_reset(&out);
		cb_buf_adds(&out, "kept");
		assert_int_equal(cb_layout_expand(&out, bad[i].tmpl, fake_lookup, (void *)values,
						  &err), CB_EPARSE);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("'%s': got '%s', want '%s'", bad[i].tmpl, err.msg, bad[i].msg);
		/* nothing half-expanded is left behind */
		assert_string_equal(cb_buf_cstr(&out), "kept");
	}
	cb_buf_release(&out);
}

/* Every key has a value: the letters read as whole sentences. */
static int full_lookup(void *ctx, const char *key, struct cb_buf *out)
{
	(void)ctx;
	if (!has(used_keys, key))
		return CB_ENOTFOUND;
	cb_buf_addf(out, "<%s>", key);
	return 0;
}

/* Keys the template tests with {{#key}} have no value; the others do. */
static int optional_empty(void *ctx, const char *key, struct cb_buf *out)
{
	char tag[80];

	if (!has(used_keys, key))
		return CB_ENOTFOUND;
	snprintf(tag, sizeof(tag), "{{#%s}}", key);
	if (!strstr(ctx, tag))
		cb_buf_addf(out, "<%s>", key);
	return 0;
}

static void letters_expand_cleanly(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_buf out = CB_BUF_INIT;
	struct cb_layout *l = load_shipped("stripe");
	int r;

	(void)state;
	for (r = 0; r < CB_REASON_COUNT; r++) {
		const char *tmpl = cb_layout_rebuttal(l, (enum cb_reason)r);

		assert_non_null(tmpl);
		assert_null(strchr(tmpl, '\n'));
		cb_buf_reset(&out);
		assert_int_equal(cb_layout_expand(&out, tmpl, full_lookup, NULL, &err), 0);
		assert_null(strstr(out.ptr, "{{"));
		assert_null(strstr(out.ptr, "  "));
		assert_non_null(strstr(out.ptr, "<order.number>"));
		/* with every optional value missing, no block is left and no gap either */
		cb_buf_reset(&out);
		assert_int_equal(cb_layout_expand(&out, tmpl, optional_empty, (void *)tmpl, &err), 0);
		if (strstr(out.ptr, "  ") || strstr(out.ptr, " .") || strstr(out.ptr, " ,"))
			fail_msg("letter '%s': '%s'", cb_reason_name((enum cb_reason)r), out.ptr);
	}
	assert_non_null(strstr(cb_layout_rebuttal(l, CB_REASON_FRAUD), "{{#payment.three_ds}}"));
	assert_non_null(strstr(cb_layout_rebuttal(l, CB_REASON_NOT_RECEIVED),
			       "{{shipping.tracking_numbers}}"));
	cb_buf_release(&out);
	cb_layout_free(l);
}

static void check_names_points_at_the_template(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l = load_shipped("generic");
	const char *keys[64];
	const char *kinds[32];
	size_t i, n = 0;
	char want[64];
	FILE *f;
	char line[512];
	long lineno = 0, letter_line = 0;

	(void)state;
	for (i = 0; used_keys[i]; i++)
		if (strcmp(used_keys[i], "order.number"))
			keys[n++] = used_keys[i];
	keys[n] = NULL;
	assert_int_equal(cb_layout_check_names(l, keys, NULL, &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "unknown template key 'order.number'"));

	/* the message names letters.xml and the line of the first letter */
	f = fopen(CB_LAYOUTDIR "/common/letters.xml", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (strstr(line, "<letter reason=\"fraud\">")) {
			letter_line = lineno;
			break;
		}
	}
	fclose(f);
	assert_true(letter_line > 0);
	snprintf(want, sizeof(want), "common/letters.xml:%ld: letter 'fraud':", letter_line);
	if (!strstr(err.msg, want))
		fail_msg("got '%s', want '%s'", err.msg, want);

	for (i = 0, n = 0; all_kinds[i]; i++)
		if (strcmp(all_kinds[i], "delivery"))
			kinds[n++] = all_kinds[i];
	kinds[n] = NULL;
	assert_int_equal(cb_layout_check_names(l, NULL, kinds, &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "common/order.xml:"));
	assert_non_null(strstr(err.msg, "unknown evidence kind 'delivery'"));
	/* NULL lists skip the checks */
	assert_int_equal(cb_layout_check_names(l, NULL, NULL, &err), 0);
	cb_layout_free(l);
}

/* ---- broken layouts ---- */

/* Each fixture marks its bad line with "expect-error"; the message must name it. */
static void bad_fixtures_name_their_line(void **state)
{
	const char *names[] = { "unknown-section.xml", "missing-limits.xml", "bad-number.xml",
				"unknown-kind.xml", "two-covers.xml", "unclosed-block.xml",
				"order-without-cover.xml", "xxe.xml", "include-escape.xml",
				"include-url.xml" };
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	char path[512], want[600], line[512];
	long lineno, bad;
	size_t i;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", FIXTURES, names[i]);
		f = fopen(path, "r");
		assert_non_null(f);
		for (lineno = 1, bad = 0; fgets(line, sizeof(line), f); lineno++)
			if (strstr(line, "expect-error") && !bad)
				bad = lineno;
		fclose(f);
		assert_true(bad > 0);
		l = (struct cb_layout *)1;
		assert_int_equal(cb_layout_load(&l, path, &err), CB_EPARSE);
		assert_null(l);
		snprintf(want, sizeof(want), "%s:%ld: ", path, bad);
		if (strncmp(err.msg, want, strlen(want)))
			fail_msg("%s: got '%s', want it to start with '%s'", names[i], err.msg, want);
	}
}

static void schema_error_in_a_piece_names_the_piece(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	struct tmp t;
	char want[600];

	(void)state;
	tmp_make(&t);
	mkdir(tmp_path(&t, "common"), 0700);
	write_file(tmp_path(&t, "common/plan.xml"),
		   "<?xml version=\"1.0\"?>\n"
		   "<plan>\n"
		   "  <sections>\n"
		   "    <order>cover order</order>\n"
		   "  </sections>\n"
		   "  <required reason=\"fraud\">order</required>\n"
		   "  <required reason=\"fraud\">recipt</required>\n"
		   "</plan>\n");
	write_layout(tmp_path(&t, "t.xml"), "<xi:include href=\"common/plan.xml\"/>", NULL);
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), CB_EPARSE);
	snprintf(want, sizeof(want), "%s/common/plan.xml:7: element 'required':", t.dir);
	if (strncmp(err.msg, want, strlen(want)))
		fail_msg("got '%s', want '%s'", err.msg, want);
	assert_non_null(strstr(err.msg, "recipt"));

	/* a piece next to the layout (no xml:base from libxml2) is named too */
	write_file(tmp_path(&t, "letters.xml"),
		   "<letters>\n  <letter>x</letter>\n  <note/>\n</letters>\n");
	write_layout(tmp_path(&t, "u.xml"), NULL, "<xi:include href=\"letters.xml\"/>");
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "u.xml"), &err), CB_EPARSE);
	snprintf(want, sizeof(want), "%s/letters.xml:3: element 'note':", t.dir);
	if (strncmp(err.msg, want, strlen(want)))
		fail_msg("got '%s', want '%s'", err.msg, want);

	/* the same piece, fixed, loads */
	write_file(tmp_path(&t, "common/plan.xml"),
		   "<plan><sections><order>cover order</order></sections></plan>\n");
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), 0);
	cb_layout_free(l);
	tmp_remove(&t);
}

static void xxe_is_refused_unread(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	struct tmp t, outside;
	struct cb_buf doc = CB_BUF_INIT;
	int fd;

	(void)state;
	tmp_make(&t);
	tmp_make(&outside);
	write_file(tmp_path(&outside, "secret.txt"), "TOPSECRET\n");

	/* an external entity in the layout itself */
	cb_buf_addf(&doc,
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE layout [\n"
		"  <!ENTITY secret SYSTEM \"%s\">\n"
		"]>\n"
		"<layout name=\"t\" gateway=\"test\" version=\"1\"><limits><file-bytes>1</file-bytes>"
		"<total-bytes>1</total-bytes><page size=\"a4\"/><file-types>pdf</file-types></limits>"
		"<files><pdf name=\"e.pdf\" answers=\"e\" title=\"&secret;\"><section ref=\"cover\"/>"
		"</pdf></files><plan><sections><order>cover</order></sections></plan>"
		"<letters><letter>&secret;</letter></letters></layout>\n",
		tmp_path(&outside, "secret.txt"));
	write_file(tmp_path(&t, "xxe.xml"), doc.ptr);
	fd = watch_file(tmp_path(&outside, "secret.txt"));
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "xxe.xml"), &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "xxe.xml:2: a DOCTYPE is not allowed"));
	assert_null(strstr(err.msg, "TOPSECRET"));
	assert_untouched(fd);

	/* the same from inside an included piece */
	mkdir(tmp_path(&t, "common"), 0700);
	cb_buf_reset(&doc);
	cb_buf_addf(&doc,
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE letters [ <!ENTITY secret SYSTEM \"%s\"> ]>\n"
		"<letters>\n"
		"  <letter>&secret;</letter>\n"
		"</letters>\n",
		tmp_path(&outside, "secret.txt"));
	write_file(tmp_path(&t, "common/letters.xml"), doc.ptr);
	write_layout(tmp_path(&t, "t.xml"), NULL, "<xi:include href=\"common/letters.xml\"/>");
	fd = watch_file(tmp_path(&outside, "secret.txt"));
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), CB_EPARSE);
	assert_null(strstr(err.msg, "TOPSECRET"));
	assert_non_null(strstr(err.msg, "common/letters.xml:2: a DOCTYPE is not allowed"));
	assert_untouched(fd);

	/* an entity reference with nothing declaring it gets no further */
	write_file(tmp_path(&t, "common/letters.xml"),
		   "<letters>\n  <letter>&secret;</letter>\n</letters>\n");
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "letters.xml:2:"));

	/* an external DTD named by a piece is not fetched either */
	cb_buf_reset(&doc);
	cb_buf_addf(&doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE letters SYSTEM \"%s\">\n"
		    "<letters><letter>x</letter></letters>\n", tmp_path(&outside, "secret.txt"));
	write_file(tmp_path(&t, "common/letters.xml"), doc.ptr);
	fd = watch_file(tmp_path(&outside, "secret.txt"));
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "letters.xml:2: a DOCTYPE is not allowed"));
	assert_untouched(fd);

	cb_buf_release(&doc);
	tmp_remove(&t);
	tmp_remove(&outside);
}

static void includes_stay_in_the_directory(void **state)
{
	static const struct {
		const char *href, *msg;
	} bad[] = {
		{ "../x.xml", "must be a relative path" },
		{ "common/../../x.xml", "must be a relative path" },
		{ "/etc/hostname.xml", "must be a relative path" },
		{ "file:///etc/x.xml", "must be a relative path" },
		{ "http://example.com/x.xml", "must be a relative path" },
		{ "common/%2e%2e/x.xml", "must be a relative path" },
		{ "common/notes.txt", "must be a relative path" },
		{ "missing.xml", "missing.xml': No such file" },
		/* a symlink inside that leads outside */
		{ "link/plan.xml", "outside the layout directory" },
		/* pieces include nothing themselves */
		{ "common/nested.xml", "common/nested.xml:1: an included piece cannot include another" },
		/* ... even with the namespace spelt so that the byte check misses it:
		 * then the loader still keeps to the directory ... */
		{ "common/sneaky.xml", "outside the layout directory" },
		/* ... and inside it, the merged tree shows the nested include */
		{ "common/sneaky-in.xml", "an included piece cannot include another" },
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_buf doc = CB_BUF_INIT, inc = CB_BUF_INIT;
	struct cb_layout *l;
	struct tmp t, outside;
	size_t i;
	int fd;

	(void)state;
	tmp_make(&t);
	tmp_make(&outside);
	write_file(tmp_path(&outside, "plan.xml"),
		   "<plan><sections><order>cover</order></sections></plan>\n");
	assert_int_equal(symlink(outside.dir, tmp_path(&t, "link")), 0);
	mkdir(tmp_path(&t, "common"), 0700);
	cb_buf_addf(&doc, "<plan xmlns:xi=\"http://www.w3.org/2001/XInclude\"><sections>"
		    "<order>cover</order></sections><xi:include href=\"%s\"/></plan>\n",
		    tmp_path(&outside, "plan.xml"));
	write_file(tmp_path(&t, "common/nested.xml"), doc.ptr);
	cb_buf_reset(&doc);
	cb_buf_addf(&doc, "<plan xmlns:xi=\"http://www.w3.org/2001&#47;XInclude\"><sections>"
		    "<order>cover</order></sections><xi:include href=\"%s\"/></plan>\n",
		    tmp_path(&outside, "plan.xml"));
	write_file(tmp_path(&t, "common/sneaky.xml"), doc.ptr);
	write_file(tmp_path(&t, "common/sneaky-in.xml"),
		   "<plan xmlns:xi=\"http://www.w3.org/2001&#47;XInclude\"><sections>"
		   "<order>cover</order></sections><xi:include href=\"inner.xml\"/></plan>\n");
	write_file(tmp_path(&t, "common/inner.xml"), "<required reason=\"fraud\">order</required>\n");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cb_buf_reset(&inc);
		cb_buf_addf(&inc, "<xi:include href=\"%s\"/>", bad[i].href);
		write_layout(tmp_path(&t, "t.xml"), inc.ptr, NULL);
		fd = watch_file(tmp_path(&outside, "plan.xml"));
		assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), CB_EPARSE);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("'%s': got '%s', want '%s'", bad[i].href, err.msg, bad[i].msg);
		assert_untouched(fd);
	}
	cb_buf_release(&doc);
	cb_buf_release(&inc);
	tmp_remove(&t);
	tmp_remove(&outside);
}

static void digest_covers_included_pieces(void **state)
{
	const char *copies[] = { "stripe.xml", "layout.rng", "common/order.xml",
				 "common/letters.xml" };
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	char d1[65], d2[65], from[512], *letters, *changed;
	struct tmp t;
	size_t i;

	(void)state;
	tmp_make(&t);
	mkdir(tmp_path(&t, "common"), 0700);
	for (i = 0; i < 4; i++) {
		snprintf(from, sizeof(from), "%s/%s", CB_LAYOUTDIR, copies[i]);
		copy_file(from, tmp_path(&t, copies[i]));
	}
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "stripe.xml"), &err), 0);
	memcpy(d1, cb_layout_digest(l), 65);
	cb_layout_free(l);
	/* the shipped copy and this one are the same bytes */
	l = load_shipped("stripe");
	assert_string_equal(cb_layout_digest(l), d1);
	cb_layout_free(l);

	letters = read_all(tmp_path(&t, "common/letters.xml"));
	changed = cb_xmalloc(strlen(letters) + 32);
	snprintf(changed, strlen(letters) + 32, "%s<!-- edited -->\n", letters);
	write_file(tmp_path(&t, "common/letters.xml"), changed);
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "stripe.xml"), &err), 0);
	memcpy(d2, cb_layout_digest(l), 65);
	cb_layout_free(l);
	assert_string_not_equal(d1, d2);

	write_file(tmp_path(&t, "common/letters.xml"), letters);
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "stripe.xml"), &err), 0);
	assert_string_equal(cb_layout_digest(l), d1);
	cb_layout_free(l);
	free(letters);
	free(changed);
	tmp_remove(&t);
}

static void find_takes_plain_names_only(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;

	(void)state;
	assert_int_equal(cb_layout_find(&l, "../layouts/stripe", &err), CB_EUSAGE);
	assert_int_equal(cb_layout_find(&l, "common/order", &err), CB_EUSAGE);
	assert_int_equal(cb_layout_find(&l, "", &err), CB_EUSAGE);
	assert_null(l);
	assert_int_equal(cb_layout_find(&l, "acme", &err), CB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no layout 'acme'"));
}

static void semantic_checks(void **state)
{
	static const struct {
		const char *plan, *letters, *msg;
	} bad[] = {
		{ "<plan><sections><order>cover order order</order></sections></plan>", NULL,
		  "section 'order' is listed twice" },
		{ "<plan><sections><order>cover</order><order reason=\"fraud\">cover</order>"
		  "<order reason=\"fraud\">cover order</order></sections></plan>", NULL,
		  "a second order for reason 'fraud'" },
		{ NULL, "<letters><letter reason=\"fraud\">x</letter></letters>",
		  "no letter for reason 'not_received' and no default letter" },
		{ NULL, "<letters><letter>a</letter><letter>b</letter></letters>",
		  "a second default letter" },
		{ NULL, "<letters><letter>   \n  </letter></letters>", "default letter is empty" },
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_layout *l;
	struct tmp t;
	size_t i;

	(void)state;
	tmp_make(&t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_layout(tmp_path(&t, "t.xml"), bad[i].plan, bad[i].letters);
		assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), CB_EPARSE);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("got '%s', want '%s'", err.msg, bad[i].msg);
	}
	/* the minimal layout itself is fine, A4, one letter for every reason */
	write_layout(tmp_path(&t, "t.xml"), NULL,
		     "<letters><letter>\n  Line one\n  continues.\n\n  Second paragraph.\n"
		     "</letter></letters>");
	assert_int_equal(cb_layout_load(&l, tmp_path(&t, "t.xml"), &err), 0);
	assert_true(cb_layout_limits(l)->page_width == 595);
	assert_string_equal(cb_layout_rebuttal(l, CB_REASON_DUPLICATE),
			    "Line one continues.\n\nSecond paragraph.");
	assert_null(cb_layout_required(l, CB_REASON_FRAUD)[0]);
	cb_layout_free(l);
	tmp_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_layouts_load),
		cmocka_unit_test(name_errors_locate_found_layouts),
		cmocka_unit_test(limits_match_the_gateways),
		cmocka_unit_test(section_order_follows_the_reason),
		cmocka_unit_test(required_evidence_per_reason),
		cmocka_unit_test(files_depend_on_the_reason),
		cmocka_unit_test(text_fields_have_reasons),
		cmocka_unit_test(expand_values_and_blocks),
		cmocka_unit_test(expand_refuses_bad_templates),
		cmocka_unit_test(letters_expand_cleanly),
		cmocka_unit_test(check_names_points_at_the_template),
		cmocka_unit_test(bad_fixtures_name_their_line),
		cmocka_unit_test(schema_error_in_a_piece_names_the_piece),
		cmocka_unit_test(xxe_is_refused_unread),
		cmocka_unit_test(includes_stay_in_the_directory),
		cmocka_unit_test(digest_covers_included_pieces),
		cmocka_unit_test(find_takes_plain_names_only),
		cmocka_unit_test(semantic_checks),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
