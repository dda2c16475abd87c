#!/bin/sh
# End-to-end: `cbpack import` of every CSV format (and messages NDJSON) with
# the real binary into a real store: counts, linking, no card number stored,
# a refused file leaves the store as it was, --help lists every format.
. "$(dirname "$0")/lib.sh"

F=$ROOT/tests/fixtures/csv
B=$ROOT/tests/bad

check "init" cb init

# --help lists every format with its summary
check "import --help" cb import --help
check_grep "usage line" "^usage: cbpack import FORMAT FILE\.\.\. \[--json\]" "$T/.out"
for f in stripe stripe-payments shopify-orders paypal-disputes easypost aftership zendesk \
	messages orders-csv payments-csv disputes-csv shipments-csv tracking-csv policies-csv; do
	check_grep "--help lists $f" "^   $f +[A-Z]" "$T/.out"
done

# usage errors
check_exit 2 "import without arguments" cb import
check_exit 2 "import without a file" cb import orders-csv
check_exit 2 "unknown format" cb import no-such-format "$F/orders.csv"
check_grep "names the unknown format" "unknown format 'no-such-format'" "$T/.err"
check_exit 1 "missing file" cb import orders-csv "$T/missing.csv"
check_grep "names the missing file" "cannot open '$T/missing.csv'" "$T/.err"

# each format
check "shopify-orders" cb import shopify-orders "$F/shopify_orders.csv"
check_grep "shopify summary" "^imported $F/shopify_orders.csv: 4 rows \(6 records\), 0 skipped$" "$T/.out"
check "stripe-payments, two files" cb import stripe-payments "$F/stripe_payments.csv" "$F/stripe_payments_old.csv"
check_grep "skipped row counted" "^imported $F/stripe_payments.csv: 2 rows \(3 records\), 1 skipped$" "$T/.out"
check_grep "second file reported" "^imported $F/stripe_payments_old.csv: 1 rows \(2 records\), 0 skipped$" "$T/.out"
for f in orders payments disputes shipments tracking policies; do
	check "$f-csv" cb import "$f-csv" "$F/$f.csv"
	check_grep "$f-csv summary" "^imported $F/$f.csv: " "$T/.out"
done
check "messages CSV and NDJSON" cb import messages "$F/messages.csv" "$F/messages.ndjson"
check_grep "NDJSON summary" "^imported $F/messages.ndjson: 2 rows \(2 records\), 0 skipped$" "$T/.out"
check "--json" cb import --json policies-csv "$F/policies.csv"
check_grep "--json names the format" '"format": "policies-csv"' "$T/.out"
check_grep "--json has the sha256" '"sha256": "[0-9a-f]{64}"' "$T/.out"
sum=$(sha256sum "$F/policies.csv" | cut -c1-64)
check_grep "--json sha256 is the file's" "\"sha256\": \"$sum\"" "$T/.out"
check_eq "import log sha256 is the file's" \
	"$(sql "SELECT sha256 FROM imports WHERE file LIKE '%policies.csv' ORDER BY id DESC LIMIT 1")" "$sum"

# what the store holds
sql "SELECT order_ref, external_id, bill_postal FROM orders ORDER BY order_ref" >"$T/orders"
check_grep "Shopify order with its Luhn-valid Id intact" "^#1001\|4582310447621\|02134$" "$T/orders"
check_grep "the generic CSV orders are there" "^#2002\|" "$T/orders"
sql "SELECT count(*) FROM order_lines" >"$T/n"
check_grep "7 order lines" "^7$" "$T/n"
sql "SELECT gateway_id, status, is_open FROM disputes ORDER BY gateway_id" >"$T/disputes"
check_grep "Stripe CSV dispute keyed on the charge" "^dp_from_ch_3Q2BBtLoR5xD6xCe1DISPUTED\|needs_response\|1$" "$T/disputes"
check_grep "generic dispute open" "^D-100\|Needs_Response\|1$" "$T/disputes"
check_grep "generic dispute closed" "^D-101\|won\|0$" "$T/disputes"
sql "SELECT count(*) FROM imports" >"$T/n"
check_grep "every file logged" "^12$" "$T/n"
sql .dump >"$T/dump"
check_no_grep "no full card number stored" "4111 ?1111 ?1111 ?1111|4111-1111|5555555555554444|5555 5555 5555 4444" "$T/dump"
check_grep "masked card in a chat" "\[card ending 1111\]" "$T/dump"
check_grep "UPS tracking number intact" "1Z999AA10123456784" "$T/dump"

# re-import changes nothing
sql "SELECT count(*) FROM orders; SELECT count(*) FROM messages; SELECT count(*) FROM disputes" >"$T/before"
check "re-import" cb import shopify-orders "$F/shopify_orders.csv"
check "re-import messages" cb import messages "$F/messages.csv"
sql "SELECT count(*) FROM orders; SELECT count(*) FROM messages; SELECT count(*) FROM disputes" >"$T/after"
check "re-import adds no rows" cmp -s "$T/before" "$T/after"

# a refused file, even after a good one, leaves the store as it was
sql "SELECT count(*) FROM imports; SELECT count(*) FROM orders" >"$T/before"
check_exit 1 "good then bad file" cb import orders-csv "$F/orders.csv" "$B/csv-bad-amount.csv"
check_grep "message names file, line, column" "csv-bad-amount.csv:3: column 'total': 'abc' is not an amount" "$T/.err"
check_no_grep "nothing printed as imported" "^imported" "$T/.out"
sql "SELECT count(*) FROM imports; SELECT count(*) FROM orders" >"$T/after"
check "store unchanged" cmp -s "$T/before" "$T/after"

finish
