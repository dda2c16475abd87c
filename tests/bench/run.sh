#!/bin/sh
# make bench: import speed and packet speed, each as a ratio to a yardstick
# measured in the same run on the same data (the machines are noisy; only
# side-by-side ratios mean anything). Not a test: it asserts nothing.
#   import: 1,000,000 generated Shopify order rows through `cbpack import`,
#           against SQLite's own prepared INSERT of as many rows (sqlite_ref.c)
#   packets: N generated disputes (~6 pages, one JPEG photo each) through
#           `cbpack batch --layout generic -j1` and `-j2` (one combined PDF
#           per packet, as reference.py makes), against the same packets
#           built by reference.py (Python 3 + reportlab + zipfile); and, at
#           REF_N, the gateway's own layout (Stripe: six separate PDFs) as a
#           row of its own
# Env: BENCH_N ("100 1000 10000"), BENCH_REF_N (1000), BENCH_ROWS (1000000),
# BENCH_IMPORT_ROUNDS (3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${CBPACK:=$root/bin/cbpack}"
NS=${BENCH_N:-"100 1000 10000"}
REF_N=${BENCH_REF_N:-1000}
ROWS=${BENCH_ROWS:-1000000}
IMPORT_ROUNDS=${BENCH_IMPORT_ROUNDS:-3}
data=$here/data
py=/usr/bin/python3
export SOURCE_DATE_EPOCH=1795392000
mkdir -p "$data"
results=$data/results.tsv
: > "$results"

now() { date +%s.%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? n / t : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
json_field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p" "$2" | head -1; }
# CPU seconds (user + system) of the shell's finished children, from the
# output of `times` saved in file $1 (run by the shell itself: a $(...)
# subshell has no children of its own)
children_cpu() {
	tail -1 "$1" | tr 'ms' '  ' | awk '{ print $1 * 60 + $2 + $3 * 60 + $4 }'
}
say() { printf '%s\n' "$*"; printf '%s\n' "$*" >> "$results"; }

cc -O2 -o "$data/sqlite_ref" "$here/sqlite_ref.c" -lsqlite3

# --- import ---------------------------------------------------------------
if [ ! -s "$data/orders-$ROWS/shopify_orders.csv" ]; then
	$py "$here/gen.py" --orders-only "$ROWS" --out "$data/orders-$ROWS" >/dev/null
fi
# Rounds of one cbpack import and one sqlite_ref run, back to back, each
# into a fresh store; the row reported is the round with the median ratio.
rounds=$data/import_rounds
: > "$rounds"
i=0
while [ "$i" -lt "$IMPORT_ROUNDS" ]; do
	i=$((i + 1))
	rm -rf "$data"/imp.db* "$data"/ref.db*
	CBPACK_DB=$data/imp.db "$CBPACK" init >/dev/null
	times > "$data/times0"
	t0=$(now)
	CBPACK_DB=$data/imp.db "$CBPACK" import shopify-orders "$data/orders-$ROWS/shopify_orders.csv" >/dev/null
	t1=$(now)
	times > "$data/times1"
	imp_cpu=$(awk -v a="$(children_cpu "$data/times0")" -v b="$(children_cpu "$data/times1")" \
		'BEGIN { printf "%.1f", b - a }')
	imp_rate=$(rate "$ROWS" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
	CBPACK_DB=$data/ref.db "$CBPACK" init >/dev/null
	"$data/sqlite_ref" "$ROWS" "$data/ref.db" > "$data/sqlite_ref.json"
	ref_rate=$(json_field rows_per_s "$data/sqlite_ref.json")
	ref_cpu=$(awk -v c="$(json_field cpu_seconds "$data/sqlite_ref.json")" 'BEGIN { printf "%.1f", c }')
	echo "$(ratio "$imp_rate" "$ref_rate") $imp_rate $ref_rate $imp_cpu $ref_cpu" >> "$rounds"
done
rm -rf "$data"/imp.db* "$data"/ref.db*
read -r r_ratio r_imp r_ref r_imp_cpu r_ref_cpu <<EOF
$(sort -n "$rounds" | sed -n "$(((IMPORT_ROUNDS + 1) / 2))p")
EOF
say "import	rows=$ROWS	cbpack_rows_per_s=$r_imp	sqlite_insert_rows_per_s=$r_ref	ratio=$r_ratio	cbpack_cpu_s=$r_imp_cpu	sqlite_cpu_s=$r_ref_cpu	rounds=$IMPORT_ROUNDS	all_ratios=$(cut -d' ' -f1 "$rounds" | paste -sd' ' -)"

# --- packets --------------------------------------------------------------
load() {   # load DIR DB: import one generated data set into a fresh store
	export CBPACK_DB=$2
	rm -rf "$2" "$2"-wal "$2"-shm "$2.files"
	"$CBPACK" init >/dev/null
	"$CBPACK" import shopify-orders "$1/shopify_orders.csv" >/dev/null
	"$CBPACK" import stripe "$1/stripe_charges.ndjson" "$1/stripe_disputes.ndjson" >/dev/null
	"$CBPACK" import easypost "$1/easypost_trackers.ndjson" >/dev/null
	"$CBPACK" import messages "$1/messages.ndjson" >/dev/null
	"$CBPACK" import policies-csv "$1/policies.csv" >/dev/null
	"$CBPACK" attach --list "$1/attachments.csv" >/dev/null
}

for n in $NS; do
	d=$data/disputes-$n
	[ -s "$d/stripe_disputes.ndjson" ] || $py "$here/gen.py" --disputes "$n" --out "$d" >/dev/null
	db=$data/bench-$n.db
	load "$d" "$db"
	rm -rf "$data/out-$n"
	"$CBPACK" batch -q -j1 --layout generic --json -o "$data/out-$n" > "$data/j1-$n.json"
	built=$(json_field built "$data/j1-$n.json")
	secs=$(json_field seconds "$data/j1-$n.json")
	rss=$(json_field worker_max_rss_kb "$data/j1-$n.json")
	pps1=$(rate "$built" "$secs")
	bytes=$(du -sb "$data/out-$n" | cut -f1)
	# Into an empty folder again, as the -j1 run: replacing zips costs more I/O.
	rm -rf "$data/out-$n"
	"$CBPACK" batch -q -j2 --layout generic --force --json -o "$data/out-$n" > "$data/j2-$n.json"
	pps2=$(rate "$(json_field built "$data/j2-$n.json")" "$(json_field seconds "$data/j2-$n.json")")
	rss2=$(json_field worker_max_rss_kb "$data/j2-$n.json")
	line="packets	n=$n	j1_packets_per_s=$pps1	j2_packets_per_s=$pps2	j2_over_j1=$(ratio "$pps2" "$pps1")	peak_worker_rss_kb_j1=$rss	peak_worker_rss_kb_j2=$rss2	bytes_per_bundle=$(awk -v b="$bytes" -v n="$built" 'BEGIN{printf "%d", b/n}')"
	if [ "$n" = "$REF_N" ]; then
		rm -rf "$data/ref-$n"
		/usr/bin/time -f "%M" -o "$data/ref-rss-$n" $py "$here/reference.py" --db "$db" --out "$data/ref-$n" > "$data/ref-$n.json"
		rpps=$(json_field packets_per_s "$data/ref-$n.json")
		line="$line	reference_packets_per_s=$rpps	cbpack_over_reference=$(ratio "$pps1" "$rpps")	reference_rss_kb=$(cat "$data/ref-rss-$n")"
	fi
	say "$line"
	if [ "$n" = "$REF_N" ]; then
		rm -rf "$data/stripe-$n"
		"$CBPACK" batch -q -j1 --force --json -o "$data/stripe-$n" > "$data/s1-$n.json"
		sbytes=$(du -sb "$data/stripe-$n" | cut -f1)
		say "stripe_layout	n=$n	j1_packets_per_s=$(rate "$(json_field built "$data/s1-$n.json")" "$(json_field seconds "$data/s1-$n.json")")	peak_worker_rss_kb_j1=$(json_field worker_max_rss_kb "$data/s1-$n.json")	bytes_per_bundle=$(awk -v b="$sbytes" -v n="$(json_field built "$data/s1-$n.json")" 'BEGIN{printf "%d", b/n}')"
		rm -rf "$data/stripe-$n"
	fi
	rm -rf "$db" "$db"-wal "$db"-shm "$db.files" "$data/out-$n" "$data/ref-$n"
done

"$here/report.sh" "$results" > "$here/RESULTS.md"
echo "written: tests/bench/RESULTS.md"
