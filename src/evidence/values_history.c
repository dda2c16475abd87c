/*
 * values_history.c: template values about the customer's history with the
 * merchant, the conversation, prior orders and published policies
 * (docs/template-keys.md). Counts of zero append nothing, so a layout's
 * "{{#messages.count}}...{{/messages.count}}" section drops out when there is
 * nothing to say.
 */
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static void add_count(struct cb_buf *o, size_t n)
{
	if (n)
		cb_buf_addf(o, "%zu", n);
}

static void v_messages_count(const struct cb_packet *p, struct cb_buf *o)
{
	add_count(o, p->n_messages);
}

static void v_first_customer(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i;

	for (i = 0; i < p->n_messages; i++)
		if (p->messages[i].direction && !strcmp(p->messages[i].direction, "customer") &&
		    p->messages[i].sent_at != CB_NO_TIME) {
			ev_add_time(o, p->messages[i].sent_at);
			return;
		}
}

static void v_priors_count(const struct cb_packet *p, struct cb_buf *o)
{
	add_count(o, p->n_priors);
}

static void v_priors_ce3(const struct cb_packet *p, struct cb_buf *o)
{
	add_count(o, (size_t)p->facts.ce3_prior_matches);
}

/* "#1003, 2026-03-01, 84.00 USD, matched on card, email, ip" per line. */
static void v_priors_summary(const struct cb_packet *p, struct cb_buf *o)
{
	size_t i;

	for (i = 0; i < p->n_priors; i++) {
		const struct cb_pk_prior *r = &p->priors[i];
		struct cb_buf line = CB_BUF_INIT, part = CB_BUF_INIT;

		ev_add_sep(&line, ", ", r->order_ref ? r->order_ref : r->charge_id);
		ev_add_date(&part, r->created_at);
		ev_add_sep(&line, ", ", part.ptr);
		cb_buf_reset(&part);
		ev_add_money(&part, r->amount, r->currency);
		ev_add_sep(&line, ", ", part.ptr);
		if (!cb_empty(r->matched_on))
			cb_buf_addf(&line, ", matched on %s", r->matched_on);
		if (r->disputed)
			cb_buf_adds(&line, " (disputed)");
		else if (r->ce3)
			cb_buf_adds(&line, " (Visa CE 3.0)");
		if (i)
			cb_buf_addc(o, '\n');
		cb_buf_add(o, line.ptr, line.len);
		cb_buf_release(&line);
		cb_buf_release(&part);
	}
}

static const struct cb_pk_policy *policy(const struct cb_packet *p, const char *kind)
{
	size_t i;

	for (i = 0; i < p->n_policies; i++)
		if (p->policies[i].kind && !strcasecmp(p->policies[i].kind, kind))
			return &p->policies[i];
	return NULL;
}

static void add_policy_body(const struct cb_packet *p, struct cb_buf *o, const char *kind)
{
	const struct cb_pk_policy *r = policy(p, kind);

	if (r && !cb_empty(r->body))
		cb_buf_adds(o, r->body);
}

static void add_policy_disclosure(const struct cb_packet *p, struct cb_buf *o, const char *kind)
{
	const struct cb_pk_policy *r = policy(p, kind);

	if (r && !cb_empty(r->disclosure))
		cb_buf_adds(o, r->disclosure);
}

static void v_refund_policy(const struct cb_packet *p, struct cb_buf *o)
{
	add_policy_body(p, o, "refund");
}

static void v_cancel_policy(const struct cb_packet *p, struct cb_buf *o)
{
	add_policy_body(p, o, "cancellation");
}

static void v_shipping_policy(const struct cb_packet *p, struct cb_buf *o)
{
	add_policy_body(p, o, "shipping");
}

static void v_terms(const struct cb_packet *p, struct cb_buf *o)
{
	add_policy_body(p, o, "terms");
}

static void v_refund_disclosure(const struct cb_packet *p, struct cb_buf *o)
{
	add_policy_disclosure(p, o, "refund");
}

static void v_cancel_disclosure(const struct cb_packet *p, struct cb_buf *o)
{
	add_policy_disclosure(p, o, "cancellation");
}

const struct ev_value ev_values_history[] = {
	{ "messages.count", v_messages_count },
	{ "messages.first_customer_at", v_first_customer },
	{ "priors.count", v_priors_count },
	{ "priors.ce3_count", v_priors_ce3 },
	{ "priors.summary", v_priors_summary },
	{ "facts.summary", ev_facts_summary },
	{ "policy.refund", v_refund_policy },
	{ "policy.refund_disclosure", v_refund_disclosure },
	{ "policy.cancellation", v_cancel_policy },
	{ "policy.cancellation_disclosure", v_cancel_disclosure },
	{ "policy.shipping", v_shipping_policy },
	{ "policy.terms", v_terms },
	{ NULL, NULL }
};
