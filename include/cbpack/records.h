#ifndef CBPACK_RECORDS_H
#define CBPACK_RECORDS_H

/*
 * The records cbpack keeps: what an importer hands to the store, one struct
 * per table of src/store/schema.sql. Every string is UTF-8, borrowed (the
 * producer keeps it alive for the duration of the call), NULL when the export
 * did not have it. Money is integer minor units of an ISO 4217 currency,
 * CB_NO_AMOUNT when absent. Times are Unix seconds (UTC), CB_NO_TIME when
 * absent. Text a person typed (bodies, notes) is already redacted by the
 * importer (redact.h); card fields hold brand and last 4 only.
 *
 * `*_ref` fields are natural keys as found in the export (an order number,
 * a gateway charge id). The store resolves them into links whenever both
 * sides exist (docs/formats.md, "Linking").
 */

#include <stdint.h>

#define CB_NO_AMOUNT INT64_MIN
#define CB_NO_TIME INT64_MIN

struct cb_address {
	const char *name, *company, *line1, *line2, *city, *state, *postal, *country, *phone;
};

struct cb_order {
	const char *source;          /* "shopify", "csv" */
	const char *order_ref;       /* order number as shown, e.g. "#1001" (key, '#' ignored) */
	const char *external_id;     /* platform's numeric id (Shopify Id) */
	const char *email, *phone, *customer_name;
	int64_t created_at, paid_at, fulfilled_at, cancelled_at;
	const char *financial_status, *fulfillment_status;
	const char *currency;
	int64_t subtotal, shipping, taxes, total, discount, refunded;
	const char *discount_code, *shipping_method;
	struct cb_address billing, shipping_addr;
	const char *notes;           /* redacted free text (Notes + Note Attributes) */
	const char *ip, *device_id, *user_agent;
	const char *payment_method, *payment_reference, *payment_id;
	const char *risk_level, *channel;   /* channel: web, pos, tiktok... */
	const char *customer_account_id;
};

struct cb_order_line {
	const char *order_ref;
	int line_no;                 /* 1-based position in the order */
	const char *name, *sku;
	int64_t quantity;
	int64_t price;               /* unit price, minor units of the order currency */
	const char *currency;
	int requires_shipping;       /* 1, 0, or -1 unknown */
	const char *fulfillment_status;
};

struct cb_charge {
	const char *gateway;         /* "stripe", "paypal", "shopify", "csv" */
	const char *gateway_id;      /* ch_..., PayPal transaction id */
	const char *payment_intent;
	const char *order_ref;       /* from metadata / invoice_number / custom */
	const char *customer_ref;    /* gateway customer id */
	const char *email, *customer_name;
	int64_t amount, amount_refunded;
	const char *currency;
	int64_t created_at;
	const char *status, *description;
	const char *card_brand, *card_last4, *card_fingerprint, *card_country, *card_funding;
	int card_exp_month, card_exp_year;  /* 0 when unknown */
	const char *wallet;
	const char *avs_line1, *avs_postal, *cvc;        /* pass|fail|unavailable|unchecked */
	const char *three_ds_result, *three_ds_version, *three_ds_flow;
	const char *risk_level;
	int risk_score;              /* 0-100, -1 when unknown */
	const char *network_status, *outcome_type, *seller_message;
	const char *ip, *device_id;
	struct cb_address billing, shipping_addr;
	const char *shipping_carrier, *shipping_tracking;
	const char *receipt_email, *receipt_number;
	const char *metadata_json;   /* redacted */
};

struct cb_refund {
	const char *gateway, *gateway_id, *charge_ref;
	int64_t amount;
	const char *currency;
	int64_t created_at;
	const char *status, *reason;
};

struct cb_dispute {
	const char *gateway, *gateway_id;
	const char *charge_ref;      /* gateway charge / transaction id */
	const char *order_ref;       /* when the export names the order directly */
	const char *reason;          /* normalised: see cb_reason in evidence.h */
	const char *gateway_reason;  /* as the gateway wrote it */
	const char *network_reason_code;
	const char *network;         /* visa, mastercard, ... */
	int64_t amount;
	const char *currency;
	const char *status;          /* as the gateway wrote it */
	const char *stage;           /* chargeback, inquiry, PRE_ARBITRATION... */
	int64_t opened_at, due_by, updated_at;
	int is_open;                 /* 1 needs a response, 0 not, -1 unknown */
	const char *buyer_statement; /* redacted */
	const char *ce3_status;      /* Visa CE 3.0 eligibility as the gateway says */
};

struct cb_ticket {
	const char *source;          /* "zendesk", "csv" */
	const char *ticket_id;
	const char *subject;
	const char *order_ref;       /* from subject, tags, custom fields, external_id */
	const char *email, *requester_name;
	int64_t created_at;
	const char *status, *channel;
};

struct cb_message {
	const char *source, *source_id;  /* unique per source */
	const char *ticket_id;
	const char *order_ref, *dispute_ref;
	const char *email;           /* the customer's, for time-window linking */
	const char *channel;         /* email, chat, web, instagram, paypal... */
	const char *direction;       /* "customer" or "merchant" */
	const char *author;
	int64_t sent_at;
	const char *body;            /* redacted */
	int is_public;               /* internal notes (0) are kept out of packets */
	const char *attachment_names;
};

struct cb_shipment {
	const char *carrier;         /* as given; matched case-insensitively */
	const char *tracking_number;
	const char *order_ref;
	const char *status;          /* pre_transit|in_transit|out_for_delivery|available_for_pickup|
	                                delivered|return_to_sender|failure|cancelled|unknown */
	const char *service;
	int64_t shipped_at, delivered_at, est_delivery;
	const char *signed_by;       /* a real signer name only, never "Signature not required" */
	struct cb_address to;
	const char *source;
};

struct cb_tracking_event {
	const char *carrier, *tracking_number;
	int64_t occurred_at;
	int utc_offset_min;          /* local offset the carrier reported, for display */
	const char *status, *message;
	const char *city, *state, *postal, *country;
};

struct cb_policy {
	const char *kind;            /* refund, shipping, cancellation, terms */
	const char *title, *body;
	const char *disclosure;      /* how and when the customer saw it */
};

/*
 * Where importers send records. The store provides one (store_sink); tests
 * provide their own. A callback returns 0 or a CB_E* code with `err` set.
 * An importer that calls one with a record that has none of its key fields
 * set is a bug.
 */
struct cb_error;
struct cb_sink {
	void *ctx;
	int (*order)(void *ctx, const struct cb_order *r, struct cb_error *err);
	int (*order_line)(void *ctx, const struct cb_order_line *r, struct cb_error *err);
	int (*charge)(void *ctx, const struct cb_charge *r, struct cb_error *err);
	int (*refund)(void *ctx, const struct cb_refund *r, struct cb_error *err);
	int (*dispute)(void *ctx, const struct cb_dispute *r, struct cb_error *err);
	int (*ticket)(void *ctx, const struct cb_ticket *r, struct cb_error *err);
	int (*message)(void *ctx, const struct cb_message *r, struct cb_error *err);
	int (*shipment)(void *ctx, const struct cb_shipment *r, struct cb_error *err);
	int (*tracking_event)(void *ctx, const struct cb_tracking_event *r, struct cb_error *err);
	int (*policy)(void *ctx, const struct cb_policy *r, struct cb_error *err);
	/*
	 * Optional (NULL: not called). Before its first order, an importer that
	 * holds a whole file may pass the e-mail of each order it will send (NULL
	 * or "" for none). Only a hint: the sink must store the same whatever it
	 * is given, and may use it to link orders to customers as they come.
	 */
	int (*orders_coming)(void *ctx, const char *const *emails, size_t n,
			     struct cb_error *err);
};

/* Blank records: every string NULL, amounts CB_NO_AMOUNT, times CB_NO_TIME. */
void cb_order_blank(struct cb_order *r);
void cb_order_line_blank(struct cb_order_line *r);
void cb_charge_blank(struct cb_charge *r);
void cb_refund_blank(struct cb_refund *r);
void cb_dispute_blank(struct cb_dispute *r);
void cb_ticket_blank(struct cb_ticket *r);
void cb_message_blank(struct cb_message *r);
void cb_shipment_blank(struct cb_shipment *r);
void cb_tracking_event_blank(struct cb_tracking_event *r);
void cb_policy_blank(struct cb_policy *r);

#endif
