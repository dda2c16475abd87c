#!/bin/sh
# The Stripe Dashboard CSV has no dispute ids (its importer names them
# dp_from_<charge>). When the API's disputes for the same charges arrive, in
# either order, each dispute is open once, not twice.
. "$(dirname "$0")/lib.sh"

S=$ROOT/samples
cb init >/dev/null
check "dashboard CSV first" cb import stripe-payments "$S/extra/stripe_unified_payments.csv"
cb list --open --json > "$T/a.json"
check_grep "stand-ins are open while alone" '"dp_from_' "$T/a.json"
check "then the API disputes" cb import stripe "$S/stripe/disputes.json" "$S/stripe/charges.ndjson"
cb list --open --json > "$T/b.json"
check_no_grep "stand-ins no longer open" '"dp_from_' "$T/b.json"
check_grep "the API disputes are" '"dp_1S' "$T/b.json"
check "the CSV again" cb import stripe-payments "$S/extra/stripe_unified_payments.csv"
cb list --open --json > "$T/c.json"
check "same open list after re-import" cmp -s "$T/b.json" "$T/c.json"

export CBPACK_DB=$T/other.db
cb init >/dev/null
cb import stripe "$S/stripe/disputes.json" "$S/stripe/charges.ndjson" >/dev/null
cb list --open --json > "$T/d.json"
cb import stripe-payments "$S/extra/stripe_unified_payments.csv" >/dev/null
cb list --open --json > "$T/e.json"
check "API first, CSV second: the open list does not change" cmp -s "$T/d.json" "$T/e.json"
finish
