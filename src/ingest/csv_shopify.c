/*
 * csv_shopify.c: Shopify admin "Export orders" CSV (79 columns, formats.md
 * section 2). One row per line item; the first row of an order carries its
 * totals, addresses and payment fields, later rows only the item. Zips keep
 * their leading zeros behind an apostrophe ('0812). Notes and Note Attributes
 * are what the buyer or a checkout app typed, so they are redacted; the
 * checkout's "IP address: x" line is lifted out of Note Attributes first.
 * Id, Payment ID and Payment Reference are identifiers and kept as written.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "csv_orders.h"
#include "formats.h"
#include "rowmap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REQ RM_REQUIRED

#define O(f) offsetof(struct cb_order, f)
static const struct rm_col shopify_order_cols[] = {
	{ "Name", RM_STR, REQ, O(order_ref), NULL, 0, 0 },
	{ "Id", RM_STR, 0, O(external_id), NULL, 0, 0 },
	{ "Email", RM_STR, 0, O(email), NULL, 0, 0 },
	{ "Phone", RM_STR, 0, O(phone), NULL, 0, 0 },
	{ "Created at", RM_TIME, REQ, O(created_at), NULL, 0, 0 },
	{ "Paid at", RM_TIME, 0, O(paid_at), NULL, 0, 0 },
	{ "Fulfilled at", RM_TIME, 0, O(fulfilled_at), NULL, 0, 0 },
	{ "Cancelled at", RM_TIME, 0, O(cancelled_at), NULL, 0, 0 },
	{ "Financial Status", RM_WORD, 0, O(financial_status), NULL, 0, 0 },
	{ "Fulfillment Status", RM_WORD, 0, O(fulfillment_status), NULL, 0, 0 },
	{ "Currency", RM_CURRENCY, REQ, O(currency), NULL, 0, 0 },
	{ "Subtotal", RM_MONEY, 0, O(subtotal), NULL, 0, 0 },
	{ "Shipping", RM_MONEY, 0, O(shipping), NULL, 0, 0 },
	{ "Taxes", RM_MONEY, 0, O(taxes), NULL, 0, 0 },
	{ "Total", RM_MONEY, REQ, O(total), NULL, 0, 0 },
	{ "Discount Amount", RM_MONEY, 0, O(discount), NULL, 0, 0 },
	{ "Refunded Amount", RM_MONEY, 0, O(refunded), NULL, 0, 0 },
	{ "Discount Code", RM_STR, 0, O(discount_code), NULL, 0, 0 },
	{ "Shipping Method", RM_STR, 0, O(shipping_method), NULL, 0, 0 },
	{ "Billing Name", RM_STR, 0, O(billing.name), NULL, 0, 0 },
	{ "Billing Company", RM_STR, 0, O(billing.company), NULL, 0, 0 },
	{ "Billing Address1|Billing Street", RM_STR, 0, O(billing.line1), NULL, 0, 0 },
	{ "Billing Address2", RM_STR, 0, O(billing.line2), NULL, 0, 0 },
	{ "Billing City", RM_STR, 0, O(billing.city), NULL, 0, 0 },
	{ "Billing Province", RM_STR, 0, O(billing.state), NULL, 0, 0 },
	{ "Billing Zip", RM_ZIP, 0, O(billing.postal), NULL, 0, 0 },
	{ "Billing Country", RM_STR, 0, O(billing.country), NULL, 0, 0 },
	{ "Billing Phone", RM_STR, 0, O(billing.phone), NULL, 0, 0 },
	{ "Shipping Name", RM_STR, 0, O(shipping_addr.name), NULL, 0, 0 },
	{ "Shipping Company", RM_STR, 0, O(shipping_addr.company), NULL, 0, 0 },
	{ "Shipping Address1|Shipping Street", RM_STR, 0, O(shipping_addr.line1), NULL, 0, 0 },
	{ "Shipping Address2", RM_STR, 0, O(shipping_addr.line2), NULL, 0, 0 },
	{ "Shipping City", RM_STR, 0, O(shipping_addr.city), NULL, 0, 0 },
	{ "Shipping Province", RM_STR, 0, O(shipping_addr.state), NULL, 0, 0 },
	{ "Shipping Zip", RM_ZIP, 0, O(shipping_addr.postal), NULL, 0, 0 },
	{ "Shipping Country", RM_STR, 0, O(shipping_addr.country), NULL, 0, 0 },
	{ "Shipping Phone", RM_STR, 0, O(shipping_addr.phone), NULL, 0, 0 },
	{ "Notes", RM_NONE, 0, 0, NULL, 0, 0 },
	{ "Note Attributes", RM_NONE, 0, 0, NULL, 0, 0 },
	{ "Payment Method", RM_STR, 0, O(payment_method), NULL, 0, 0 },
	{ "Payment Reference|Payment References", RM_STR, 0, O(payment_reference), NULL, 0, 0 },
	{ "Payment ID", RM_STR, 0, O(payment_id), NULL, 0, 0 },
	{ "Device ID", RM_STR, 0, O(device_id), NULL, 0, 0 },
	{ "Risk Level", RM_WORD, 0, O(risk_level), NULL, 0, 0 },
	{ "Source", RM_STR, 0, O(channel), NULL, 0, 0 },
};
#undef O

#define L(f) offsetof(struct cb_order_line, f)
static const struct rm_col shopify_line_cols[] = {
	{ "Lineitem name", RM_STR, 0, L(name), NULL, 0, 0 },
	{ "Lineitem sku", RM_STR, 0, L(sku), NULL, 0, 0 },
	{ "Lineitem quantity", RM_COUNT, 0, L(quantity), NULL, 0, 0 },
	{ "Lineitem price", RM_MONEY, 0, L(price), NULL, 0, 0 },
	{ "Lineitem requires shipping", RM_BOOL, 0, L(requires_shipping), NULL, 0, 0 },
	{ "Lineitem fulfillment status", RM_WORD, 0, L(fulfillment_status), NULL, 0, 0 },
};
#undef L

/*
 * "IP address: 119.148.39.118" on a line of Note Attributes, as checkout
 * apps write it. Only characters an IPv4 or IPv6 address has are taken.
 */
static const char *find_ip(const char *attrs, struct rm_scratch *scratch)
{
	static const char label[] = "ip address:";
	const char *p;
	size_t n;

	for (p = attrs; p && *p; p++) {
		if ((*p != 'i' && *p != 'I') || strncasecmp(p, label, sizeof(label) - 1))
			continue;
		if (p != attrs && isalnum((unsigned char)p[-1]))
			continue;
		p += sizeof(label) - 1;
		while (*p == ' ' || *p == '\t')
			p++;
		n = strspn(p, "0123456789abcdefABCDEF.:");
		if (n >= 3 && (memchr(p, '.', n) || memchr(p, ':', n)))
			return rm_keep(scratch, cb_xstrndup(p, n));
	}
	return NULL;
}

static int finish_shopify(struct cb_order *o, const struct rm_row *row, struct cb_error *err)
{
	const struct rm_col *c = shopify_order_cols;
	const char *notes = rm_value(row, c, N(shopify_order_cols), "Notes");
	const char *attrs = rm_value(row, c, N(shopify_order_cols), "Note Attributes");
	struct cb_buf both = CB_BUF_INIT;

	(void)err;
	o->ip = find_ip(attrs, row->scratch);
	if (notes || attrs) {
		cb_buf_adds(&both, notes ? notes : "");
		if (notes && attrs)
			cb_buf_addc(&both, '\n');
		cb_buf_adds(&both, attrs ? attrs : "");
		o->notes = rm_redact(row->scratch, cb_buf_cstr(&both));
		cb_buf_release(&both);
	}
	o->customer_name = o->billing.name ? o->billing.name : o->shipping_addr.name;
	if (!o->phone)
		o->phone = o->billing.phone ? o->billing.phone : o->shipping_addr.phone;
	return 0;
}

static const struct order_csv_format shopify = {
	"shopify", "Name", "Currency", "Email", shopify_order_cols, N(shopify_order_cols),
	shopify_line_cols, N(shopify_line_cols), finish_shopify
};

CB_INGEST_FN(cb_ingest_shopify_orders)
{
	return csv_import_orders(&shopify, path, data, len, sink, st, err);
}
