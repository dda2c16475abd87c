#!/bin/sh
# End-to-end: `cbpack import` of the JSON formats (stripe, paypal-disputes,
# easypost, aftership, zendesk) with the real binary into a real store: the
# fixtures and the sample data set, what the store holds, linking, no card
# number stored, re-import changes nothing, a refused file changes nothing.
. "$(dirname "$0")/lib.sh"

F=$ROOT/tests/fixtures/json
S=$ROOT/samples
B=$ROOT/tests/bad

check "init" cb init

# the fixtures, every accepted shape
check "stripe: bare, list, array, NDJSON" cb import stripe "$F/stripe_dispute.json" \
	"$F/stripe_disputes_list.json" "$F/stripe_array.json" "$F/stripe_charges.ndjson"
check_grep "list summary" "^imported $F/stripe_disputes_list.json: 3 rows \(5 records\), 0 skipped$" "$T/.out"
check_grep "array summary counts the skipped objects" "^imported $F/stripe_array.json: 1 rows \(1 records\), 2 skipped$" "$T/.out"
check "paypal-disputes" cb import paypal-disputes "$F/paypal_dispute.json" "$F/paypal_list.json"
check_grep "paypal summary" "^imported $F/paypal_dispute.json: 1 rows \(7 records\), 0 skipped$" "$T/.out"
check "easypost" cb import easypost "$F/easypost_tracker.json" "$F/easypost_list.json" "$F/easypost_event.ndjson"
check "aftership" cb import aftership "$F/aftership_tracking.json" "$F/aftership_list.json"
check "zendesk" cb import zendesk "$F/zendesk_ticket.json" "$F/zendesk_tickets.ndjson" "$F/zendesk_list.json"

sql "SELECT gateway_id, charge_ref, reason, is_open, due_by, ce3_status FROM disputes WHERE gateway = 'stripe' ORDER BY gateway_id" >"$T/d"
check_grep "dispute with expanded charge" "^dp_3QFraud0001\|ch_3QFraudCharge01\|fraud\|1\|1796169599\|qualified$" "$T/d"
check_grep "won dispute closed, no deadline" "^dp_3QWon0002\|ch_3QWonCharge02\|not_received\|0\|\|$" "$T/d"
sql "SELECT gateway_id, order_ref, three_ds_result, card_last4, ip FROM charges WHERE gateway = 'stripe' ORDER BY gateway_id" >"$T/c"
check_grep "charge from the expanded dispute" "^ch_3QFraudCharge01\|#1007\|authenticated\|4242\|203.0.113.7$" "$T/c"
check_grep "card number cut to last 4" "^ch_3QNd01\|1010\|\|4444\|$" "$T/c"
sql "SELECT gateway_id, charge_id IS NOT NULL FROM refunds ORDER BY gateway_id" >"$T/r"
check_grep "refund linked to its charge" "^re_3QNd02\|1$" "$T/r"
sql "SELECT gateway_id, order_ref, amount, currency, is_open, due_by, stage FROM disputes WHERE gateway = 'paypal' ORDER BY gateway_id" >"$T/d"
check_grep "paypal dispute" "^PP-D-4012\|#1021\|9600\|USD\|1\|1556236799\|CHARGEBACK$" "$T/d"
sql "SELECT source_id, direction, author, is_public FROM messages WHERE source = 'paypal' ORDER BY source_id" >"$T/m"
check_grep "arbiter kept apart from the buyer" "^PP-D-4012:2\|merchant\|PayPal arbiter\|1$" "$T/m"
sql "SELECT tracking_number, status, signed_by, shipped_at, delivered_at FROM shipments ORDER BY tracking_number" >"$T/s"
check_grep "easypost delivered and signed" "^9461200897846039483214\|delivered\|John Tester\|1587664860\|1587799183$" "$T/s"
check_grep "aftership: no signer from 'Signature not required'" "^111111111111\|delivered\|\|1532394131\|1533143987$" "$T/s"
sql "SELECT count(*) FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.tracking_number = '111111111111'" >"$T/n"
check_grep "aftership checkpoints stored" "^3$" "$T/n"
sql "SELECT utc_offset_min FROM tracking_events WHERE occurred_at = 1532326899" >"$T/n"
check_grep "checkpoint keeps its local offset" "^-300$" "$T/n"
sql "SELECT ticket_id, order_ref, email FROM tickets ORDER BY ticket_id" >"$T/t"
check_grep "requester joined from users" "^48001\|#1018\|huong@example.com$" "$T/t"
check_grep "order number from a tag" "^501\|#1004\|" "$T/t"
sql "SELECT source_id, direction, is_public FROM messages WHERE source = 'zendesk' ORDER BY source_id" >"$T/m"
check_grep "internal note kept, not public" "^1275\|merchant\|0$" "$T/m"

# the sample data set, linked to the Shopify orders
check "samples" cb import shopify-orders "$S/shopify/orders_export.csv"
check "samples: stripe" cb import stripe "$S/stripe/disputes.json" "$S/stripe/charges.ndjson"
check "samples: the rest" sh -c "'$CBPACK' import paypal-disputes '$S/paypal/disputes.json' &&
	'$CBPACK' import easypost '$S/tracking/easypost.json' &&
	'$CBPACK' import aftership '$S/tracking/aftership.json' &&
	'$CBPACK' import zendesk '$S/zendesk/tickets.ndjson'"
sql "SELECT count(*) FROM disputes WHERE (gateway_id LIKE 'dp_1S%' OR gateway_id LIKE 'PP-R-%' OR gateway_id = 'PP-D-27719') AND order_id IS NULL" >"$T/n"
check_grep "every sample dispute linked to its order" "^0$" "$T/n"
sql "SELECT count(*) FROM disputes WHERE (gateway_id LIKE 'dp_1S%' OR gateway_id LIKE 'PP-R-%' OR gateway_id = 'PP-D-27719') AND is_open = 1" >"$T/n"
check_grep "9 sample disputes need a response" "^9$" "$T/n"
sql "SELECT count(*) FROM tickets WHERE ticket_id BETWEEN '48200' AND '48399' AND order_id IS NULL" >"$T/n"
check_grep "every sample ticket linked" "^0$" "$T/n"

sql .dump >"$T/dump"
check_no_grep "no full card number stored" "4111 ?1111 ?1111 ?1111|4111-1111-1111-1111|5555555555554444" "$T/dump"
check_grep "masked card in a comment" "\[card ending 1111\]" "$T/dump"
check_grep "UPS tracking number intact" "1Z999AA10123456784" "$T/dump"

# re-import changes nothing
sql "SELECT count(*) FROM disputes; SELECT count(*) FROM charges; SELECT count(*) FROM messages; SELECT count(*) FROM tracking_events" >"$T/before"
check "re-import" cb import stripe "$F/stripe_disputes_list.json" "$S/stripe/charges.ndjson"
check "re-import tracking" cb import aftership "$S/tracking/aftership.json"
check "re-import zendesk" cb import zendesk "$S/zendesk/tickets.ndjson"
sql "SELECT count(*) FROM disputes; SELECT count(*) FROM charges; SELECT count(*) FROM messages; SELECT count(*) FROM tracking_events" >"$T/after"
check "re-import adds no rows" cmp -s "$T/before" "$T/after"

# a refused file, even after a good one, leaves the store as it was
sql "SELECT count(*) FROM imports; SELECT count(*) FROM disputes" >"$T/before"
check_fails "good then bad file" cb import stripe "$F/stripe_dispute.json" "$B/json-unknown-currency.json"
check_grep "message names file, path and field" "json-unknown-currency.json: \\\$\.data\[2\]\.currency: unknown currency 'zzz'" "$T/.err"
check_fails "NDJSON error" cb import stripe "$B/json-ndjson-bad-line3.json"
check_grep "NDJSON error names the line" "json-ndjson-bad-line3.json:3: invalid JSON" "$T/.err"
sql "SELECT count(*) FROM imports; SELECT count(*) FROM disputes" >"$T/after"
check "store unchanged" cmp -s "$T/before" "$T/after"

finish
