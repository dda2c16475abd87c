#!/bin/sh
# End-to-end: `cbpack show` with the real binary on a store filled from the
# sample exports by the importers, plus a few rows put in with the sqlite3
# shell (prior orders for Visa CE 3.0, a card number the store should never
# have held).
. "$(dirname "$0")/lib.sh"

S=$ROOT/samples

check "init" cb init
check "import the sample CSV exports" cb import shopify-orders "$S/shopify/orders_export.csv"
check "import orders-csv" cb import orders-csv "$S/csv/orders.csv"
check "import payments, disputes" cb import payments-csv "$S/csv/payments.csv"
check "import disputes" cb import disputes-csv "$S/csv/disputes.csv"
check "import shipments" cb import shipments-csv "$S/csv/shipments.csv"
check "import tracking" cb import tracking-csv "$S/csv/tracking.csv"
check "import messages" cb import messages "$S/csv/messages.csv" "$S/messages/instagram.ndjson"
check "import policies" cb import policies-csv "$S/csv/policies.csv"
check "attach a delivery photo" cb attach order '#1008' "$S/files/pod_1008_ontrac.jpg" --kind pod

# usage
check "show --help" cb show --help
check_grep "help has the usage line" "^usage: cbpack show DISPUTE \[--json\]" "$T/.out"
check_exit 2 "show without a dispute" cb show
check_exit 2 "show with a bad option" cb show --bogus CBK-7781-0457
check_exit 2 "show with two disputes" cb show CBK-7781-0457 CBK-7781-0502
check_exit 1 "show an unknown dispute" cb show dp_nope
check_grep "names the unknown dispute" "no dispute 'dp_nope'" "$T/.err"
check_exit 1 "show without a store" cb --db "$T/none.db" show CBK-7781-0457

# not received, delivered: what the store holds and what is missing
check "show CBK-7781-0457" cb show CBK-7781-0457
cp "$T/.out" "$T/inr.txt"
check_grep "header" "^Dispute csv CBK-7781-0457: Product not received \(product_not_received, code 13\.1\)$" "$T/inr.txt"
check_grep "amount" "^  Amount: +107\.61 USD$" "$T/inr.txt"
check_grep "due date, absolute and relative" "^  Due: +2026-11-30 00:00 UTC \(in 7 days\)$" "$T/inr.txt"
check_grep "order number and date" "^Order #1008, placed 2026-09-17 21:10 UTC$" "$T/inr.txt"
check_grep "an order line" "^  1 × Flannel Overshirt - XL / Red Plaid \(NW-FL-RED-XL\)$" "$T/inr.txt"
check_grep "total" "^  Total: +107\.61 USD$" "$T/inr.txt"
check_grep "card brand and last 4" "^  Card: +visa ending 7701$" "$T/inr.txt"
check_grep "AVS" "^  AVS: +line1 pass, postal pass$" "$T/inr.txt"
check_grep "CVC" "^  CVC: +pass$" "$T/inr.txt"
check_grep "purchase IP" "^  IP: +66\.30\.215\.88$" "$T/inr.txt"
check_grep "messages by channel" "^Messages: 4 \(email 4\)$" "$T/inr.txt"
check_grep "tracking" "^  OnTrac D18404032685368: delivered 2026-09-22 19:18 UTC at PORTLAND, ME 04101" "$T/inr.txt"
check_grep "attachment" "^  pod +pod_1008_ontrac\.jpg, [0-9.]+ KB$" "$T/inr.txt"
check_grep "key facts" "^  The order was delivered on 2026-09-22 19:18 UTC by OnTrac" "$T/inr.txt"
check_grep "missing heading" "^Missing evidence for Product not received:$" "$T/inr.txt"
check_grep "signature is missing" "^  - signature: " "$T/inr.txt"
check_no_grep "tracking is not missing" "^  - tracking:" "$T/inr.txt"
check_no_grep "the delivery photo counts as delivery" "^  - delivery:" "$T/inr.txt"

# fraud: the CE 3.0 test, before and after two prior orders on the same card
check "show csv:CBK-7781-0502" cb show csv:CBK-7781-0502
check_grep "fraud heading" "^Missing evidence for Fraudulent / unrecognized:$" "$T/.out"
check_grep "no priors yet" "^  - prior_orders: " "$T/.out"
check_grep "3-D Secure is missing" "^  - three_ds: " "$T/.out"
sql "INSERT INTO orders (order_key, order_ref, email, created_at, currency, total, ip)
     VALUES ('0901', '#0901', 'henry.adams@aol.com', 1792523700 - 150 * 86400, 'USD', 4200,
             '73.38.120.66'),
            ('0801', '#0801', 'Henry.Adams@aol.com', 1792523700 - 200 * 86400, 'USD', 5100,
             '73.38.120.66'),
            ('0701', '#0701', 'henry.adams@aol.com', 1792523700 - 400 * 86400, 'USD', 3000,
             '73.38.120.66');
     INSERT INTO charges (gateway, gateway_id, order_id, created_at, amount, currency,
                          card_fingerprint)
     SELECT 'csv', 'AN-' || order_key, id, created_at, total, 'USD', '5MEaUpCWbhnrW2pJ'
     FROM orders WHERE order_key IN ('0901', '0801', '0701');"
check "show with priors" cb show CBK-7781-0502
check_grep "three priors, two for CE 3.0" "^Prior orders: 3 \(2 qualify for Visa CE 3\.0\)$" "$T/.out"
check_grep "a qualifying prior" "^  #0901  2026-05-23  42\.00 USD  matched on card, email, ip \(CE 3\.0\)$" "$T/.out"
check_grep "too old for CE 3.0" "^  #0701  .* matched on card, email, ip$" "$T/.out"
check_grep "summary cites CE 3.0" "2 earlier undisputed purchases on the same card" "$T/.out"
check_no_grep "prior_orders no longer missing" "^  - prior_orders:" "$T/.out"

# --json: the same, machine-readable
check "show --json" cb show CBK-7781-0457 --json
cp "$T/.out" "$T/inr.json"
check "valid JSON" jq -e . "$T/inr.json"
check "dispute id" jq -e '.dispute.id == "CBK-7781-0457" and .dispute.reason == "not_received"' "$T/inr.json"
check "due_in_seconds" jq -e '.dispute.due_in_seconds == 604800' "$T/inr.json"
check "card last 4" jq -e '.payment.card_last4 == "7701"' "$T/inr.json"
check "order items" jq -e '.order.items | length == 2' "$T/inr.json"
check "messages by channel" jq -e '.messages.by_channel.email == 4' "$T/inr.json"
check "tracking number intact" jq -e '.shipments[0].tracking_number == "D18404032685368"' "$T/inr.json"
check "attachment sha256" jq -e '.attachments[0].sha256 | test("^[0-9a-f]{64}$")' "$T/inr.json"
check "missing kinds" jq -e '[.missing[].kind] == ["signature"]' "$T/inr.json"
check "digest" jq -e '.digest | test("^[0-9a-f]{64}$")' "$T/inr.json"
check "show --json again" cb show --json CBK-7781-0457
check "the digest is stable" test "$(jq -r .digest "$T/.out")" = "$(jq -r .digest "$T/inr.json")"

# a card number the store should never have held is masked on the way out
sql "UPDATE orders SET customer_name = 'Liam 4111 1111 1111 1111' WHERE order_key = '1008'"
check "show after planting a card number" cb show CBK-7781-0457
check_grep "masked in text" "^  Customer: +Liam \[card ending 1111\]" "$T/.out"
check_no_grep "no full number in text" "4111 1111 1111 1111|4111111111111111" "$T/.out"
check "show --json after planting" cb show CBK-7781-0457 --json
check_no_grep "no full number in JSON" "4111 1111 1111 1111|4111111111111111" "$T/.out"
check "the digest changed" test "$(jq -r .digest "$T/.out")" != "$(jq -r .digest "$T/inr.json")"

# the whole sample set: gateway JSON, carriers, helpdesk
check "import stripe" cb import stripe "$S/stripe/disputes.json" "$S/stripe/charges.ndjson"
check "import paypal" cb import paypal-disputes "$S/paypal/disputes.json"
check "import carriers" cb import easypost "$S/tracking/easypost.json"
check "import aftership" cb import aftership "$S/tracking/aftership.json"
check "import zendesk" cb import zendesk "$S/zendesk/tickets.ndjson"
check "attach #1021's delivery photo" cb attach order '#1021' "$S/files/pod_1021_fedex.jpg" --kind pod
check "show the sample fraud dispute" cb show dp_1Sqdw0NwO7uTf2Lk5rYsS9DL
cp "$T/.out" "$T/fraud.txt"
check_grep "3-D Secure" "^  3DS: +authenticated \(2\.2\.0, challenge\)$" "$T/fraud.txt"
check_grep "due in hours" "^  Due: +2026-11-24 23:59 UTC \(in 47 hours\)$" "$T/fraud.txt"
check_grep "two CE 3.0 priors" "^Prior orders: 2 \(2 qualify for Visa CE 3\.0\)$" "$T/fraud.txt"
check_grep "prior #1004" "^  #1004  2026-05-19  .*matched on card, email, .*ip.* \(CE 3\.0\)$" "$T/fraud.txt"
check_grep "prior #1002" "^  #1002  2026-02-11  .*\(CE 3\.0\)$" "$T/fraud.txt"
check_grep "signed FedEx delivery" "^  FedEx 367743411844: delivered .* signed by Z\.ANGSTROM" "$T/fraud.txt"
check_grep "nothing missing" "^Missing evidence for Fraudulent / unrecognized: none$" "$T/fraud.txt"
check "show the PayPal not-received dispute" cb show --json PP-R-NXB-10483211
check "UPS tracking number intact" jq -e '.shipments[0].tracking_number == "1Z999AA10123456784"' "$T/.out"
check "show the not-as-described dispute" cb show PP-R-QHD-10511876
check_no_grep "the planted card number never shows" "4111" "$T/.out"
check "show --json of every dispute" sh -c "n=0; for d in \$(sqlite3 '$CBPACK_DB' \"SELECT gateway || ':' || gateway_id FROM disputes\"); do '$CBPACK' show --json \"\$d\" | jq -e .dispute.id >/dev/null || exit 1; n=\$((n + 1)); done; test \$n -eq 14"

finish
