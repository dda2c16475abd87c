/*
 * kinds.c: evidence kinds, the vocabulary layouts use to say what a reason
 * requires, and the test of whether a packet holds each one. A kind is held
 * only when it helps the merchant: a failed 3-D Secure check is in the packet
 * but is not "three_ds" evidence.
 */
#include <string.h>
#include <strings.h>

#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

typedef bool (*has_fn)(const struct cb_packet *p);

struct kind {
	const char *name, *label;
	has_fn has;
};

static bool has_attachment(const struct cb_packet *p, const char *kind)
{
	size_t i;

	for (i = 0; i < p->n_attachments; i++)
		if (p->attachments[i].kind && !strcmp(p->attachments[i].kind, kind))
			return true;
	return false;
}

static bool has_policy(const struct cb_packet *p, const char *kind)
{
	size_t i;

	for (i = 0; i < p->n_policies; i++)
		if (p->policies[i].kind && !strcasecmp(p->policies[i].kind, kind) &&
		    !cb_empty(p->policies[i].body))
			return true;
	return false;
}

static bool k_order(const struct cb_packet *p) { return p->has_order; }

static bool k_receipt(const struct cb_packet *p)
{
	return p->has_order || p->has_charge || has_attachment(p, "receipt");
}

static bool k_payment_auth(const struct cb_packet *p)
{
	return p->has_charge && (!cb_empty(p->charge.card_last4) || !cb_empty(p->charge.status));
}

static bool k_three_ds(const struct cb_packet *p) { return p->facts.three_ds_ok == 1; }

static bool k_avs_cvc(const struct cb_packet *p)
{
	return p->facts.avs_line1_ok == 1 || p->facts.avs_postal_ok == 1 || p->facts.cvc_ok == 1;
}

static bool k_customer_ip(const struct cb_packet *p) { return !cb_empty(p->facts.purchase_ip); }
static bool k_communication(const struct cb_packet *p) { return p->n_messages > 0; }

static bool k_shipping(const struct cb_packet *p)
{
	size_t i;

	for (i = 0; i < p->n_shipments; i++)
		if (!cb_empty(p->shipments[i].tracking_number))
			return true;
	return false;
}

static bool k_tracking(const struct cb_packet *p)
{
	size_t i;

	for (i = 0; i < p->n_shipments; i++)
		if (p->shipments[i].n_events)
			return true;
	return false;
}

static bool k_delivery(const struct cb_packet *p)
{
	size_t i;

	if (p->facts.delivered_at != CB_NO_TIME)
		return true;
	for (i = 0; i < p->n_shipments; i++)
		if (p->shipments[i].status && !strcasecmp(p->shipments[i].status, "delivered"))
			return true;
	return has_attachment(p, "pod");
}

static bool k_signature(const struct cb_packet *p)
{
	size_t i;

	for (i = 0; i < p->n_shipments; i++)
		if (!cb_empty(p->shipments[i].signed_by))
			return true;
	return has_attachment(p, "signature");
}

static bool k_delivery_photo(const struct cb_packet *p) { return has_attachment(p, "pod"); }

static bool k_product_photo(const struct cb_packet *p)
{
	return has_attachment(p, "product_photo");
}

static bool k_refund(const struct cb_packet *p)
{
	return p->n_refunds > 0 || (p->has_charge && p->charge.amount_refunded > 0);
}

static bool k_refund_policy(const struct cb_packet *p) { return has_policy(p, "refund"); }

static bool k_cancellation_policy(const struct cb_packet *p)
{
	return has_policy(p, "cancellation");
}

static bool k_shipping_policy(const struct cb_packet *p) { return has_policy(p, "shipping"); }

static bool k_prior_orders(const struct cb_packet *p)
{
	size_t i;

	for (i = 0; i < p->n_priors; i++)
		if (!p->priors[i].disputed)
			return true;
	return false;
}

static bool k_product_description(const struct cb_packet *p)
{
	size_t i;

	for (i = 0; i < p->order.n_lines; i++)
		if (!cb_empty(p->order.lines[i].name))
			return true;
	return p->has_charge && !cb_empty(p->charge.description);
}

static const struct kind kinds[] = {
	{ "order", "the order record", k_order },
	{ "receipt", "a receipt or invoice", k_receipt },
	{ "payment_auth", "the card authorisation (brand, last 4, status)", k_payment_auth },
	{ "three_ds", "a successful 3-D Secure authentication", k_three_ds },
	{ "avs_cvc", "a passing AVS or CVC check", k_avs_cvc },
	{ "customer_ip", "the customer's purchase IP address", k_customer_ip },
	{ "communication", "messages with the customer", k_communication },
	{ "shipping", "a shipment with carrier and tracking number", k_shipping },
	{ "tracking", "carrier tracking events", k_tracking },
	{ "delivery", "proof of delivery", k_delivery },
	{ "signature", "a delivery signature", k_signature },
	{ "delivery_photo", "a delivery photo (attach kind 'pod')", k_delivery_photo },
	{ "product_photo", "product photos (attach kind 'product_photo')", k_product_photo },
	{ "refund", "a refund on the charge", k_refund },
	{ "refund_policy", "the refund policy", k_refund_policy },
	{ "cancellation_policy", "the cancellation policy", k_cancellation_policy },
	{ "shipping_policy", "the shipping policy", k_shipping_policy },
	{ "prior_orders", "prior undisputed orders by the same customer", k_prior_orders },
	{ "product_description", "a description of what was sold", k_product_description },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct kind *kind_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < N_KINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

bool cb_packet_has(const struct cb_packet *p, const char *kind)
{
	const struct kind *k = kind_find(kind);

	return p && k && k->has(p);
}

const char *cb_evidence_kind_label(const char *kind)
{
	const struct kind *k = kind_find(kind);

	return k ? k->label : NULL;
}

/* The same names as kinds[], as the plain list layouts are checked against. */
static const char *const kind_names[] = {
	"order", "receipt", "payment_auth", "three_ds", "avs_cvc", "customer_ip",
	"communication", "shipping", "tracking", "delivery", "signature", "delivery_photo",
	"product_photo", "refund", "refund_policy", "cancellation_policy", "shipping_policy",
	"prior_orders", "product_description", NULL
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == N_KINDS + 1,
	       "kind_names and kinds must list the same kinds");

const char *const *cb_evidence_kinds(void)
{
	return kind_names;
}

/* domain.md section 7, reduced to what a packet can hold, strongest first. */
static const char *const req_fraud[] = {
	"three_ds", "avs_cvc", "customer_ip", "prior_orders", "delivery", "communication",
	"receipt", NULL
};
static const char *const req_not_received[] = {
	"shipping", "tracking", "delivery", "signature", "communication", "receipt",
	"shipping_policy", NULL
};
static const char *const req_not_as_described[] = {
	"product_description", "product_photo", "refund_policy", "communication", "delivery",
	"receipt", NULL
};
static const char *const req_subscription[] = {
	"cancellation_policy", "communication", "receipt", NULL
};
static const char *const req_credit[] = {
	"refund_policy", "communication", "receipt", NULL
};
static const char *const req_duplicate[] = {
	"receipt", "order", "payment_auth", "communication", NULL
};
static const char *const req_general[] = {
	"receipt", "order", "communication", NULL
};

const char *const *cb_evidence_default_required(enum cb_reason reason)
{
	switch (reason) {
	case CB_REASON_FRAUD:
		return req_fraud;
	case CB_REASON_NOT_RECEIVED:
		return req_not_received;
	case CB_REASON_NOT_AS_DESCRIBED:
		return req_not_as_described;
	case CB_REASON_SUBSCRIPTION_CANCELED:
		return req_subscription;
	case CB_REASON_CREDIT_NOT_PROCESSED:
		return req_credit;
	case CB_REASON_DUPLICATE:
		return req_duplicate;
	default:
		return req_general;
	}
}
