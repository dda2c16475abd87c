/*
 * reason.c: every gateway's dispute reasons, folded into seven categories.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbpack/error.h"
#include "cbpack/reason.h"

static const char *const names[CB_REASON_COUNT] = {
	"fraud", "not_received", "not_as_described", "subscription_canceled",
	"credit_not_processed", "duplicate", "general"
};

static const char *const labels[CB_REASON_COUNT] = {
	"Fraudulent / unrecognized", "Product not received", "Not as described",
	"Subscription canceled", "Credit not processed", "Duplicate charge", "General"
};

struct alias {
	const char *word;
	enum cb_reason reason;
};

/* Stripe, PayPal, Braintree, Checkout.com and generic spellings. */
static const struct alias aliases[] = {
	{ "fraudulent", CB_REASON_FRAUD }, { "unrecognized", CB_REASON_FRAUD },
	{ "unauthorised", CB_REASON_FRAUD }, { "unauthorized", CB_REASON_FRAUD },
	{ "fraud", CB_REASON_FRAUD }, { "not_recognized", CB_REASON_FRAUD },
	{ "debit_not_authorized", CB_REASON_FRAUD },
	{ "product_not_received", CB_REASON_NOT_RECEIVED },
	{ "merchandise_or_service_not_received", CB_REASON_NOT_RECEIVED },
	{ "product_service_not_received", CB_REASON_NOT_RECEIVED },
	{ "item_not_received", CB_REASON_NOT_RECEIVED },
	{ "product_unacceptable", CB_REASON_NOT_AS_DESCRIBED },
	{ "merchandise_or_service_not_as_described", CB_REASON_NOT_AS_DESCRIBED },
	{ "product_unsatisfactory", CB_REASON_NOT_AS_DESCRIBED },
	{ "not_as_described", CB_REASON_NOT_AS_DESCRIBED },
	{ "subscription_canceled", CB_REASON_SUBSCRIPTION_CANCELED },
	{ "canceled_recurring_billing", CB_REASON_SUBSCRIPTION_CANCELED },
	{ "cancelled_recurring_transaction", CB_REASON_SUBSCRIPTION_CANCELED },
	{ "canceled_recurring", CB_REASON_SUBSCRIPTION_CANCELED },
	{ "credit_not_processed", CB_REASON_CREDIT_NOT_PROCESSED },
	{ "credit_not_issued", CB_REASON_CREDIT_NOT_PROCESSED },
	{ "duplicate", CB_REASON_DUPLICATE }, { "duplicate_transaction", CB_REASON_DUPLICATE },
	{ "payment_by_other_means", CB_REASON_DUPLICATE },
	{ "general", CB_REASON_GENERAL }, { "incorrect_amount", CB_REASON_GENERAL },
	{ "other", CB_REASON_GENERAL },
};

const char *cb_reason_name(enum cb_reason r)
{
	return r < CB_REASON_COUNT ? names[r] : "general";
}

const char *cb_reason_label(enum cb_reason r)
{
	return r < CB_REASON_COUNT ? labels[r] : "General";
}

int cb_reason_parse(enum cb_reason *out, const char *name)
{
	int i;

	for (i = 0; name && i < CB_REASON_COUNT; i++)
		if (!strcmp(names[i], name)) {
			*out = (enum cb_reason)i;
			return 0;
		}
	return CB_ENOTFOUND;
}

/* Visa 10.x/11.x/12.x/13.x and Mastercard 48xx codes (docs: domain reference §5). */
static int reason_from_code(const char *code, enum cb_reason *out)
{
	static const struct alias codes[] = {
		{ "13.1", CB_REASON_NOT_RECEIVED }, { "13.2", CB_REASON_SUBSCRIPTION_CANCELED },
		{ "13.3", CB_REASON_NOT_AS_DESCRIBED }, { "13.4", CB_REASON_NOT_AS_DESCRIBED },
		{ "13.5", CB_REASON_NOT_AS_DESCRIBED }, { "13.6", CB_REASON_CREDIT_NOT_PROCESSED },
		{ "13.7", CB_REASON_CREDIT_NOT_PROCESSED }, { "12.6.1", CB_REASON_DUPLICATE },
		{ "12.6.2", CB_REASON_DUPLICATE }, { "4837", CB_REASON_FRAUD },
		{ "4863", CB_REASON_FRAUD }, { "4840", CB_REASON_FRAUD }, { "4849", CB_REASON_FRAUD },
		{ "4855", CB_REASON_NOT_RECEIVED }, { "4853", CB_REASON_NOT_AS_DESCRIBED },
		{ "4841", CB_REASON_SUBSCRIPTION_CANCELED }, { "4860", CB_REASON_CREDIT_NOT_PROCESSED },
		{ "4834", CB_REASON_DUPLICATE },
	};
	size_t i;

	if (!code || !*code)
		return -1;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(codes[i].word, code)) {
			*out = codes[i].reason;
			return 0;
		}
	if (!strncmp(code, "10.", 3)) {
		*out = CB_REASON_FRAUD;
		return 0;
	}
	return -1;
}

enum cb_reason cb_reason_from_gateway(const char *gateway_reason, const char *network_code)
{
	enum cb_reason r;
	size_t i;

	for (i = 0; gateway_reason && i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(aliases[i].word, gateway_reason))
			return aliases[i].reason;
	if (!cb_reason_parse(&r, gateway_reason))
		return r;
	if (!reason_from_code(network_code, &r))
		return r;
	return CB_REASON_GENERAL;
}
