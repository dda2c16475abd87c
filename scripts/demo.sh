#!/bin/sh
# make demo: the main job on the bundled samples. A scratch store under
# build/demo/, every sample export imported, the proof files attached, the
# open disputes listed, and a bundle built for each of them in build/demo/out.
# The samples are dated around 2026-11-23, so the demo runs "as of" then.
set -eu
bin=${1:-bin/cbpack}
here=$(cd "$(dirname "$0")/.." && pwd)
s=$here/samples
demo=$here/build/demo
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795392000}
export CBPACK_DB=$demo/cbpack.db

rm -rf "$demo"
mkdir -p "$demo"
"$bin" init
"$bin" import shopify-orders "$s/shopify/orders_export.csv"
"$bin" import orders-csv "$s/csv/orders.csv"
"$bin" import stripe "$s/stripe/disputes.json" "$s/stripe/charges.ndjson"
"$bin" import paypal-disputes "$s/paypal/disputes.json"
"$bin" import payments-csv "$s/csv/payments.csv"
"$bin" import disputes-csv "$s/csv/disputes.csv"
"$bin" import easypost "$s/tracking/easypost.json"
"$bin" import aftership "$s/tracking/aftership.json"
"$bin" import shipments-csv "$s/csv/shipments.csv"
"$bin" import tracking-csv "$s/csv/tracking.csv"
"$bin" import zendesk "$s/zendesk/tickets.ndjson"
"$bin" import messages "$s/csv/messages.csv" "$s/messages/instagram.ndjson"
"$bin" import policies-csv "$s/csv/policies.csv"
"$bin" attach --list "$s/attachments.csv"
echo
echo "Open disputes, most urgent first:"
"$bin" list --open
echo
"$bin" batch -o "$demo/out"
echo
echo "Bundles are in $demo/out/"
ls -l "$demo/out"
