#!/bin/sh
# Every file in tests/bad/ (listed in tests/bad/cases.tsv) is refused by the
# real binary with a message that names the file, line or JSON path and the
# field, a non-zero exit, and a store left exactly as it was: the samples are
# imported first, and a dump of the database is compared before and after.
. "$(dirname "$0")/lib.sh"

S=$ROOT/samples
BAD=$ROOT/tests/bad
cb init >/dev/null
cb import shopify-orders "$S/shopify/orders_export.csv" >/dev/null
cb import messages "$S/csv/messages.csv" >/dev/null
cb import policies-csv "$S/csv/policies.csv" >/dev/null

dump() { sqlite3 "$CBPACK_DB" .dump > "$1"; }

dump "$T/before.sql"
n=0
tab=$(printf '\t')
while IFS="$tab" read -r file format expect; do
	[ "$file" = file ] && continue
	n=$((n + 1))
	if cb import "$format" "$BAD/$file" >"$T/out" 2>"$T/err"; then
		not_ok "$file: import $format succeeded"
		continue
	fi
	ok
	if grep -qF -- "$expect" "$T/err"; then ok; else
		not_ok "$file: expected '$expect' in: $(cat "$T/err")"
	fi
	dump "$T/after.sql"
	if cmp -s "$T/before.sql" "$T/after.sql"; then ok; else not_ok "$file: the store changed"; fi
done < "$BAD/cases.tsv"

# A refused file among good ones: the whole command changes nothing.
check_fails "good file then bad file" cb import policies-csv "$S/csv/policies.csv" "$BAD/csv-unterminated-quote.csv"
dump "$T/after.sql"
if cmp -s "$T/before.sql" "$T/after.sql"; then ok; else not_ok "good+bad import changed the store"; fi

[ "$n" -ge 20 ] && ok || not_ok "only $n bad cases (want at least 20)"
finish
