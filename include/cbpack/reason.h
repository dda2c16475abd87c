#ifndef CBPACK_REASON_H
#define CBPACK_REASON_H

/*
 * Dispute reasons, normalised across gateways into the seven categories the
 * layouts order evidence by (docs/layouts.md):
 *   fraud, not_received, not_as_described, subscription_canceled,
 *   credit_not_processed, duplicate, general
 */

enum cb_reason {
	CB_REASON_FRAUD,
	CB_REASON_NOT_RECEIVED,
	CB_REASON_NOT_AS_DESCRIBED,
	CB_REASON_SUBSCRIPTION_CANCELED,
	CB_REASON_CREDIT_NOT_PROCESSED,
	CB_REASON_DUPLICATE,
	CB_REASON_GENERAL,
	CB_REASON_COUNT
};

/** "fraud", "not_received", ... */
const char *cb_reason_name(enum cb_reason r);

/** Human label: "Fraudulent / unrecognized", "Product not received", ... */
const char *cb_reason_label(enum cb_reason r);

/** Parse a canonical name; returns 0 or CB_ENOTFOUND. */
int cb_reason_parse(enum cb_reason *out, const char *name);

/**
 * Map a gateway's own reason to a category: Stripe "fraudulent",
 * "unrecognized" -> fraud; "product_unacceptable" -> not_as_described;
 * PayPal "UNAUTHORISED" -> fraud, "MERCHANDISE_OR_SERVICE_NOT_RECEIVED" ->
 * not_received, ... A canonical name maps to itself. When the reason is not
 * known, a Visa/Mastercard network code decides ("10.4" -> fraud, "13.1" ->
 * not_received, "4853" -> not_as_described); else general.
 */
enum cb_reason cb_reason_from_gateway(const char *gateway_reason, const char *network_code);

#endif
