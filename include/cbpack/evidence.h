#ifndef CBPACK_EVIDENCE_H
#define CBPACK_EVIDENCE_H

/*
 * One dispute's evidence packet, assembled in memory from the store: what
 * render and bundle draw from. Everything in it is owned by the packet and
 * freed by cb_packet_free. All text is valid, NFC-normalised UTF-8 that has
 * been through redaction (redact.h) once more, whatever the importer did:
 * nothing downstream needs to mask anything.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbpack/reason.h"

struct cb_buf;
struct cb_error;
struct cb_store;

struct cb_pk_address {
	char *name, *company, *line1, *line2, *city, *state, *postal, *country, *phone;
};

struct cb_pk_line {
	char *name, *sku;
	int64_t quantity, price;   /* unit price, minor units */
};

struct cb_pk_order {
	char *order_ref, *external_id, *source, *channel;
	int64_t created_at, paid_at, fulfilled_at, cancelled_at;
	char *financial_status, *fulfillment_status, *currency;
	int64_t subtotal, shipping, taxes, total, discount, refunded;
	char *discount_code, *shipping_method, *payment_method, *notes;
	struct cb_pk_address billing, shipping_addr;
	struct cb_pk_line *lines;
	size_t n_lines;
};

struct cb_pk_charge {
	char *gateway_id, *description, *status, *currency;
	int64_t amount, amount_refunded, created_at;
	char *card_brand, *card_last4, *card_country, *card_funding, *wallet;
	int card_exp_month, card_exp_year;
	char *avs_line1, *avs_postal, *cvc;
	char *three_ds_result, *three_ds_version, *three_ds_flow;
	char *risk_level, *network_status, *seller_message;
	int risk_score;            /* -1 unknown */
	char *ip, *device_id, *receipt_email;
	struct cb_pk_address billing, shipping_addr;
};

struct cb_pk_message {
	int64_t sent_at;
	char *channel, *direction, *author, *body, *subject;  /* subject: the ticket's, may be NULL */
};

struct cb_pk_event {
	int64_t occurred_at;
	int utc_offset_min;
	char *status, *message, *location;   /* location: "CHARLESTON, SC 29407" */
	char *postal;                        /* the scan's postal code alone, for address checks */
	bool is_delivered;
};

struct cb_pk_shipment {
	char *carrier, *tracking_number, *status, *service, *signed_by;
	int64_t shipped_at, delivered_at;
	struct cb_pk_address to;
	struct cb_pk_event *events;  /* oldest first */
	size_t n_events;
};

struct cb_pk_attachment {
	char *kind, *media_type, *sha256, *original_name;
	char *path;                /* absolute path inside the store's file area */
	int64_t size;
};

struct cb_pk_prior {
	char *order_ref, *charge_id, *currency, *matched_on;  /* matched_on: "card, email, ip" */
	int64_t created_at, amount;
	bool disputed;
	/* Visa CE 3.0 (domain.md section 6): whole days before the disputed charge, and
	 * whether this prior qualifies (same card, undisputed, 120-365 days, >= 2 of
	 * account/address/ip/device matching, one of them ip or device). */
	int64_t days_before;
	bool ce3;
	char *ip, *device_id;      /* the prior's purchase ip and device, for the CE3 table */
};

struct cb_pk_refund {
	char *gateway_id, *status, *reason, *currency;
	int64_t amount, created_at;
};

struct cb_pk_policy {
	char *kind, *title, *body, *disclosure;
};

/* Computed facts. Tri-state ints: 1 yes/pass, 0 no/fail, -1 unknown. */
struct cb_pk_facts {
	int avs_line1_ok, avs_postal_ok, cvc_ok, three_ds_ok;
	int billing_matches_shipping;
	int delivered_before_dispute;
	int delivered_to_order_address;   /* delivery scan postal == shipping postal */
	int64_t days_order_to_dispute;    /* -1 unknown */
	int64_t delivered_at;             /* CB_NO_TIME when not delivered */
	char *purchase_ip;
	int ce3_prior_matches;            /* prior undisputed orders 120-365 days old that match */
};

struct cb_packet {
	/* the dispute */
	int64_t dispute_rowid;
	char *gateway, *dispute_id, *gateway_reason, *network_reason_code, *network;
	char *status, *stage, *currency, *buyer_statement;
	enum cb_reason reason;
	int64_t amount, opened_at, due_by;

	/* who */
	char *customer_name, *email, *phone;
	char *device_id, *account_id;     /* purchase device, merchant's customer account id */

	bool has_order, has_charge;
	struct cb_pk_order order;
	struct cb_pk_charge charge;

	struct cb_pk_message *messages;   /* all channels, oldest first */
	size_t n_messages;
	struct cb_pk_shipment *shipments;
	size_t n_shipments;
	struct cb_pk_attachment *attachments;
	size_t n_attachments;
	struct cb_pk_prior *priors;       /* newest first */
	size_t n_priors;
	struct cb_pk_refund *refunds;
	size_t n_refunds;
	struct cb_pk_policy *policies;
	size_t n_policies;

	struct cb_pk_facts facts;

	size_t redactions;                /* masks applied while assembling */
};

/**
 * Assemble the packet of the dispute `ref` (gateway id, or "gateway:id").
 * CB_ENOTFOUND when there is no such dispute, CB_EUSAGE when a bare id is
 * used by more than one gateway. Caller frees *out.
 */
int cb_evidence_load(struct cb_packet **out, struct cb_store *s, const char *ref,
		     struct cb_error *err);
/** The same by dispute rowid (batch). */
int cb_evidence_load_id(struct cb_packet **out, struct cb_store *s, int64_t rowid,
			struct cb_error *err);
void cb_packet_free(struct cb_packet *p);

/*
 * For a caller that loads many packets from one connection (a batch worker):
 * the loaders' queries stay prepared from one packet to the next, where
 * preparing them again cost about a tenth of a packet. `db` and `files_dir`
 * as for cb_evidence_load_db below; free the reader before closing `db`.
 */
struct sqlite3;
struct cb_evidence_reader;
struct cb_evidence_reader *cb_evidence_reader_new(struct sqlite3 *db, const char *files_dir);
int cb_evidence_reader_load(struct cb_evidence_reader *rd, int64_t rowid,
			    struct cb_packet **out, struct cb_error *err);
void cb_evidence_reader_free(struct cb_evidence_reader *rd);

/*
 * The same on a bare SQLite connection holding the store schema, for callers
 * (and tests) without a struct cb_store. `files_dir` is the store's file area
 * (cb_store_files_dir); attachment paths are resolved against it. The
 * cb_store functions above are thin wrappers over these.
 */
int cb_evidence_load_db(struct cb_packet **out, struct sqlite3 *db, const char *files_dir,
			int64_t rowid, struct cb_error *err);
/** Resolve "id" or "gateway:id" to a dispute rowid; CB_ENOTFOUND names it. */
int cb_evidence_find_db(int64_t *rowid, struct sqlite3 *db, const char *ref,
			struct cb_error *err);

/*
 * Evidence kinds a layout can require per reason (docs/layouts.md):
 *   order, receipt, payment_auth, three_ds, avs_cvc, customer_ip,
 *   communication, shipping, tracking, delivery, signature, delivery_photo,
 *   product_photo, refund, refund_policy, cancellation_policy,
 *   shipping_policy, prior_orders, product_description
 */
/** True when the packet holds evidence of `kind`; unknown kinds are false. */
bool cb_packet_has(const struct cb_packet *p, const char *kind);
/** The list above, NULL-terminated, for layout validation. */
const char *const *cb_evidence_kinds(void);
/**
 * What the evidence matrix (domain.md section 7) asks for a reason, most
 * important first, NULL-terminated: for `cbpack show`'s "missing evidence"
 * when no layout is at hand. Layouts carry their own list (cb_layout_required).
 */
const char *const *cb_evidence_default_required(enum cb_reason reason);
/** A short human description of a kind ("3-D Secure authentication"); NULL when unknown. */
const char *cb_evidence_kind_label(const char *kind);

/**
 * Template values. Append the value of `key` ("dispute.id", "order.number",
 * "customer.name", "shipping.tracking_numbers", "card.last4", ...; the full
 * list in docs/template-keys.md) to `out`. CB_ENOTFOUND for an unknown key; a known
 * key with no value appends nothing and returns 0.
 */
int cb_packet_value(const struct cb_packet *p, const char *key, struct cb_buf *out);
/** The key list, NULL-terminated, so layouts can be checked at load time. */
const char *const *cb_packet_keys(void);

/**
 * A digest of everything the packet was made from, for batch's "unchanged"
 * test: every field above plus the SHA-256 of each attachment.
 */
void cb_packet_digest(const struct cb_packet *p, char out[65]);

#endif
