#!/bin/sh
# End-to-end: `cbpack batch`, the nightly job, on the sample data set and on
# 200 generated disputes. Every open dispute built (valid zips and PDFs, mode
# 0600) and no closed one; a rerun skips what did not change and rebuilds
# exactly what did (a new message, a layout, a lost or damaged zip); a broken
# image fails its dispute alone (exit 3, named, recorded); kill -9 mid-run and
# a rerun leave one whole zip per dispute and honest run records; a second
# batch on a locked store exits 4; shards cover every dispute exactly once;
# the filters, the JSON summary, the log and the usage errors.
. "$(dirname "$0")/lib.sh"

S=$ROOT/samples
OUT=$T/out

# json_num FIELD FILE: a number from a --json summary.
json_num() { sed -n "s/^ *\"$1\": *\([0-9.]*\),*$/\1/p" "$2" | head -1; }

# batch_run NAME EXPECTED-EXIT ARGS...: a batch with its summary in $T/NAME.json
# and its log in $T/NAME.log.
batch_run() {
	name=$1; want=$2; shift 2
	"$CBPACK" batch --json "$@" >"$T/$name.json" 2>"$T/$name.log"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else not_ok "batch $name: exit $rc, want $want"; sed 's/^/    /' "$T/$name.log" | tail -5; fi
}

# Dispute ids a log says were built / failed.
built_ids() { sed -n 's/^\[[0-9]*\/[0-9]*\] built \([^ ]*\) .*/\1/p' "$1" | sort; }
zip_ids() { (cd "$1" && ls -- *.zip 2>/dev/null | sed 's/\.zip$//' | sort); }
inodes() { (cd "$1" && ls -i -- *.zip | sort -k2); }

# check_zips DIR [STRIDE]: each zip passes `unzip -t`, and the PDFs in it
# `qpdf --check` (in every STRIDE-th zip only: qpdf is slow on hundreds).
check_zips() {
	bad=0 n=0
	for z in "$1"/*.zip; do
		[ -f "$z" ] || { bad=1; echo "    no zips in $1"; break; }
		unzip -tq "$z" >/dev/null 2>&1 || { bad=1; echo "    unzip -t: $z"; continue; }
		n=$((n + 1))
		[ $(( (n - 1) % ${2:-1} )) -eq 0 ] || continue
		rm -rf "$T/x" && mkdir "$T/x" && unzip -q "$z" -d "$T/x" || bad=1
		for p in "$T/x"/*.pdf; do
			[ -f "$p" ] || { bad=1; echo "    no PDF in $z"; continue; }
			qpdf --check "$p" >/dev/null 2>&1 || { bad=1; echo "    qpdf --check: $p in $z"; }
		done
	done
	[ "$bad" -eq 0 ]
}

# --- the store, from every sample file (as scripts/demo.sh does) ---
{
	cb init &&
	cb import shopify-orders "$S/shopify/orders_export.csv" &&
	cb import orders-csv "$S/csv/orders.csv" &&
	cb import stripe "$S/stripe/disputes.json" "$S/stripe/charges.ndjson" &&
	cb import paypal-disputes "$S/paypal/disputes.json" &&
	cb import payments-csv "$S/csv/payments.csv" &&
	cb import disputes-csv "$S/csv/disputes.csv" &&
	cb import easypost "$S/tracking/easypost.json" &&
	cb import aftership "$S/tracking/aftership.json" &&
	cb import shipments-csv "$S/csv/shipments.csv" &&
	cb import tracking-csv "$S/csv/tracking.csv" &&
	cb import zendesk "$S/zendesk/tickets.ndjson" &&
	cb import messages "$S/csv/messages.csv" "$S/messages/instagram.ndjson" &&
	cb import policies-csv "$S/csv/policies.csv" &&
	cb attach --list "$S/attachments.csv"
} >"$T/import.log" 2>&1
check_eq "samples imported" "$?" 0

cb list --open --json > "$T/open.json"
OPEN_IDS=$(sed -n 's/^ *"id": "\(.*\)",$/\1/p' "$T/open.json" | sort)
NOPEN=$(echo "$OPEN_IDS" | wc -l)
check_eq "open disputes in the samples" "$NOPEN" 11

# --- 1. every open dispute built, no closed one ---
batch_run first 0 -o "$OUT"
check_eq "first: selected" "$(json_num selected "$T/first.json")" "$NOPEN"
check_eq "first: built" "$(json_num built "$T/first.json")" "$NOPEN"
check_eq "first: failed" "$(json_num failed "$T/first.json")" 0
check_eq "first: one zip per open dispute" "$(zip_ids "$OUT")" "$OPEN_IDS"
for closed in PP-R-KTM-10377045 dp_1SFGiONwO7uTf2Lkp8HgLOga dp_1SRxwiNwO7uTf2LkERvAmzai; do
	check "closed dispute $closed exists" test -n "$(sql "SELECT id FROM disputes WHERE gateway_id = '$closed'")"
	check_fails "closed dispute $closed gets no zip" test -e "$OUT/$closed.zip"
done
check "zips and PDFs valid" check_zips "$OUT"
check_eq "zips are mode 0600" "$(stat -c %a "$OUT"/*.zip | sort -u)" 600
check_eq "out dir is not world-readable" "$(stat -c %a "$OUT")" 700
check_eq "non-tty log: one line per packet" "$(grep -c '^\[[0-9]*/11\] built ' "$T/first.log")" "$NOPEN"
check_grep "log line names dispute, zip, pages, bytes" \
	"^\[[0-9]+/11\] built CBK-7781-0457 .*/CBK-7781-0457\.zip \([0-9]+ pages, [0-9]+ bytes" "$T/first.log"
check_eq "log ids are the open ids" "$(built_ids "$T/first.log")" "$OPEN_IDS"
check_eq "packets recorded" "$(sql 'SELECT count(*) FROM packets')" "$NOPEN"
check_eq "no temp files" "$(ls -A "$OUT" | grep -c '^\.tmp-')" 0

# the same code path as `cbpack build`: byte-identical bundles
check "cbpack build of two disputes" cb build -o "$T/b" CBK-7781-0457 PP-R-NXB-10483211
check "batch and build: same CSV bundle" cmp "$OUT/CBK-7781-0457.zip" "$T/b/CBK-7781-0457.zip"
check "batch and build: same PayPal bundle" cmp "$OUT/PP-R-NXB-10483211.zip" "$T/b/PP-R-NXB-10483211.zip"

# --- 2. nothing changed: nothing built ---
inodes "$OUT" > "$T/inodes.1"
batch_run second 0 -o "$OUT"
check_eq "second: built" "$(json_num built "$T/second.json")" 0
check_eq "second: unchanged" "$(json_num unchanged "$T/second.json")" "$NOPEN"
check_eq "second: zips not rewritten" "$(inodes "$OUT")" "$(cat "$T/inodes.1")"
check_grep "unchanged line keeps pages and bytes" \
	"^\[[0-9]+/11\] unchanged CBK-7781-0457 .*CBK-7781-0457\.zip \([1-9][0-9]* pages, [1-9][0-9]* bytes" \
	"$T/second.log"
check_eq "second: text summary says all unchanged" \
	"$("$CBPACK" batch -q -o "$OUT" | head -1 | sed 's/^run [0-9]*: //')" \
	"11 selected, 0 built, 11 unchanged, 0 failed; 1 missing required evidence; 1 due within 48 hours"

# the packet records name the zips by absolute path: -o given relative, from
# another directory, finds them all
mkdir "$T/sub"
check_eq "relative -o from elsewhere: all unchanged" \
	"$(cd "$T/sub" && "$CBPACK" batch -q --json -o ../out | json_num unchanged /dev/stdin)" "$NOPEN"
check_eq "relative -o: the log names absolute paths" \
	"$(cd "$T" && "$CBPACK" batch -o out 2>&1 >/dev/null | grep -c " unchanged [^ ]* $OUT/")" "$NOPEN"
: > "$T/afile"
runs_before=$(sql 'SELECT count(*) FROM runs')
check_exit 4 "-o names a file: cannot run" cb batch -o "$T/afile"
check_grep "-o names a file: says so" "'$T/afile' is not a directory" "$T/.err"
check_eq "-o names a file: no run recorded" "$(sql 'SELECT count(*) FROM runs')" "$runs_before"

# --- 3. one dispute's data changes: only it is rebuilt ---
cat > "$T/msg.csv" <<'EOF'
message_id,ticket_id,order_number,email,channel,direction,author,sent_at,body
e2e-batch-001,e2e-batch,#1009,,chat,merchant,Sam Whitfield,2026-11-20T10:00:00Z,"Following up: your refund for #1009 was issued on 2026-11-02."
EOF
check "import one new message" cb import messages "$T/msg.csv"
CHANGED=dp_1SmqhbNwO7uTf2LkbLUEZ2KX   # order #1009
batch_run msg 0 -o "$OUT"
check_eq "new message: built" "$(json_num built "$T/msg.json")" 1
check_eq "new message: unchanged" "$(json_num unchanged "$T/msg.json")" $((NOPEN - 1))
check_eq "new message: the right dispute rebuilt" "$(built_ids "$T/msg.log")" "$CHANGED"
rm -rf "$T/x" && unzip -q "$OUT/$CHANGED.zip" -d "$T/x" && for p in "$T/x"/*.pdf; do pdftotext "$p" - 2>/dev/null; done > "$T/changed.txt"
check_grep "the new message is in its bundle" "Following up: your refund" "$T/changed.txt"
check_eq "the same import again changes nothing" \
	"$(cb import messages "$T/msg.csv" >/dev/null && "$CBPACK" batch -q --json -o "$OUT" | json_num built /dev/stdin)" 0

# a lost zip and a damaged zip are rebuilt, nothing else
rm "$OUT/CBK-7781-0457.zip"
head -c 100 "$OUT/PP-D-27719.zip" > "$T/trunc" && cat "$T/trunc" > "$OUT/PP-D-27719.zip"
batch_run lost 0 -o "$OUT"
check_eq "lost and damaged zips rebuilt" "$(built_ids "$T/lost.log" | tr '\n' ' ')" "CBK-7781-0457 PP-D-27719 "
check "rebuilt zips valid" check_zips "$OUT"

# another layout is another input: rebuilt, and back again (the two generic
# CSV disputes already use the generic layout: unchanged)
batch_run generic 0 -o "$OUT" --layout generic
check_eq "--layout generic rebuilds the Stripe and PayPal ones" \
	"$(json_num built "$T/generic.json"):$(built_ids "$T/generic.log" | grep -c '^CBK-')" "$((NOPEN - 2)):0"
batch_run back 0 -o "$OUT"
check_eq "their own layouts again rebuild them" "$(json_num built "$T/back.json")" $((NOPEN - 2))
check_eq "--force rebuilds all" "$("$CBPACK" batch -q --json --force -o "$OUT" | json_num built /dev/stdin)" "$NOPEN"

# --- 8. summary JSON, filters, log, usage ---
for f in run selected built unchanged failed missing_evidence due_48h jobs seconds worker_max_rss_kb; do
	check_grep "JSON summary has $f" "^  \"$f\": [0-9]" "$T/first.json"
done
check_eq "JSON: missing_evidence" "$(json_num missing_evidence "$T/first.json")" 1
check_eq "JSON: due_48h" "$(json_num due_48h "$T/first.json")" 1
check_eq "JSON: jobs defaults to the CPUs" "$(json_num jobs "$T/first.json")" "$(nproc)"
rss=$(json_num worker_max_rss_kb "$T/first.json")
check "JSON: worker RSS is plausible (1 MB .. 1 GB)" test "$rss" -gt 1000 -a "$rss" -lt 1000000

batch_run due 0 -o "$T/due" --due-within 2
check_eq "--due-within 2: selected" "$(json_num selected "$T/due.json")" 1
check_eq "--due-within 2: the one due in 47 hours" "$(zip_ids "$T/due")" dp_1Sqdw0NwO7uTf2Lk5rYsS9DL
batch_run paypal 0 -o "$T/paypal" --gateway paypal -j 1
check_eq "--gateway paypal: selected" "$(json_num selected "$T/paypal.json")" 3
check_eq "--gateway paypal: only PayPal's" "$(zip_ids "$T/paypal" | tr '\n' ' ')" \
	"PP-D-27719 PP-R-NXB-10483211 PP-R-QHD-10511876 "
check_eq "-j 1: one worker" "$(json_num jobs "$T/paypal.json")" 1
batch_run none 0 -o "$T/none" --gateway no-such-gateway
check_eq "nothing selected: fine, nothing built" "$(json_num selected "$T/none.json"):$(zip_ids "$T/none")" "0:"

check_exit 2 "-j 0" cb batch -j 0 -o "$T/u"
check_grep "bad -j says why" "-j takes a number" "$T/.err"
check_exit 2 "-j x" cb batch -j x -o "$T/u"
check_exit 2 "-j 65" cb batch -j 65 -o "$T/u"
check_exit 2 "--shard 0/3" cb batch --shard 0/3 -o "$T/u"
check_grep "bad --shard says why" "--shard takes K/N" "$T/.err"
check_exit 2 "--shard 4/3" cb batch --shard 4/3 -o "$T/u"
check_exit 2 "--shard 3" cb batch --shard 3 -o "$T/u"
check_exit 2 "--shard 1/3x" cb batch --shard 1/3x -o "$T/u"
check_exit 2 "--shard 1/" cb batch --shard 1/ -o "$T/u"
check_exit 2 "--due-within 0" cb batch --due-within 0 -o "$T/u"
check_exit 2 "--due-within 99999999999" cb batch --due-within 99999999999 -o "$T/u"
check_exit 2 "--due-within -1" cb batch --due-within -1 -o "$T/u"
check_exit 2 "-j ' 2'" cb batch -j ' 2' -o "$T/u"
check_exit 2 "stray argument" cb batch extra -o "$T/u"
check_fails "usage errors write nothing" test -e "$T/u"
check_exit 0 "--help" cb batch --help
check_grep "help gives the exit codes" "3 some failed, 4 could not run" "$T/.out"
check_exit 4 "no store" env CBPACK_DB="$T/none.db" "$CBPACK" batch -o "$T/u"
check_grep "no store: says so" "none\.db" "$T/.err"

# progress bar on a terminal (script(1) gives it one)
if command -v script >/dev/null 2>&1; then
	script -qec "'$CBPACK' batch --force -o '$OUT'" /dev/null > "$T/tty.out" 2>&1
	check_grep "a terminal gets a bar" "\[#+ *\] [0-9]+/11" "$T/tty.out"
	check_no_grep "a terminal gets no per-packet lines" "^\[[0-9]+/11\] built" "$T/tty.out"
fi

# started with SIGCHLD ignored (some daemons do): workers still waited for, RSS known
sh -c "trap '' CHLD; exec '$CBPACK' batch -q --json --force -o '$OUT'" > "$T/chld.json" 2>"$T/chld.err"
check_eq "SIGCHLD ignored: all built" "$(json_num built "$T/chld.json")" "$NOPEN"
check "SIGCHLD ignored: worker RSS still reported" test "$(json_num worker_max_rss_kb "$T/chld.json")" -gt 1000

# workers that cannot start (no fonts): every dispute fails, saying why, recorded
CBPACK_FONTS=$T/no-fonts "$CBPACK" batch --json --force -o "$T/nofonts" > "$T/nofonts.json" 2> "$T/nofonts.err"
check_eq "no fonts: exit 3" "$?" 3
check_eq "no fonts: all failed" "$(json_num failed "$T/nofonts.json"):$(json_num built "$T/nofonts.json")" "$NOPEN:0"
check_eq "no fonts: one line per dispute naming the fonts" "$(grep -c "FAILED .*no-fonts" "$T/nofonts.err")" "$NOPEN"
check_eq "no fonts: every failure recorded" \
	"$(sql "SELECT count(*) FROM packet_failures WHERE run_id = (SELECT max(id) FROM runs) AND message LIKE '%no-fonts%'")" "$NOPEN"
check_eq "no fonts: no zips" "$(zip_ids "$T/nofonts" | wc -l)" 0

# --- 7. shards: every dispute exactly once ---
: > "$T/shards"
total=0
for k in 1 2 3; do
	batch_run "shard$k" 0 -o "$T/s$k" --shard "$k/3"
	built_ids "$T/shard$k.log" >> "$T/shards"
	total=$((total + $(json_num selected "$T/shard$k.json")))
	check_eq "shard $k/3: its zips are the ones it logged" "$(zip_ids "$T/s$k")" "$(built_ids "$T/shard$k.log")"
done
check_eq "shards: selected add up" "$total" "$NOPEN"
check_eq "shards: union is every open dispute, none twice" "$(sort "$T/shards")" "$OPEN_IDS"
check_eq "shards: each one has some" "$(for k in 1 2 3; do built_ids "$T/shard$k.log" | grep -c .; done | grep -c '^0$')" 0
check_eq "--shard 1/1 is everything" "$("$CBPACK" batch -q --json --shard 1/1 -o "$OUT" | json_num selected /dev/stdin)" "$NOPEN"

# --- 6. the lock: a second batch on the store exits 4 ---
LOCK="$CBPACK_DB.lock"
(
	flock -x 9 && touch "$T/locked" && while [ ! -e "$T/release" ]; do sleep 0.05; done
) 9>>"$LOCK" &
holder=$!
i=0; while [ ! -e "$T/locked" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check_exit 4 "locked store: batch exits 4" cb batch -o "$OUT"
check_grep "locked store: says another batch is running" "another batch is running" "$T/.err"
check_eq "locked store: no run recorded" "$(sql "SELECT count(*) FROM runs WHERE started_at > 0 AND status = 'running'")" 0
ln -s "$CBPACK_DB" "$T/link.db"
check_exit 4 "locked store reached through a symlink: exit 4" env CBPACK_DB="$T/link.db" "$CBPACK" batch -o "$OUT"
check_grep "symlink: says another batch is running" "another batch is running" "$T/.err"
touch "$T/release"; wait "$holder"
check_exit 0 "lock released: batch runs" cb batch -q -o "$OUT"

# --- 4. a broken image fails its dispute alone ---
BAD=dp_1SkSfKNwO7uTf2LkntmCvdcF
printf '\377\330\377\340\000\020JFIF\000\001\001garbage, not a JPEG' > "$T/broken.jpg"
check "attach a truncated JPEG" cb attach dispute "$BAD" "$T/broken.jpg" --kind product_photo
rm -rf "$T/bad"
batch_run broken 3 -o "$T/bad"
check_eq "broken: failed" "$(json_num failed "$T/broken.json")" 1
check_eq "broken: the rest built" "$(json_num built "$T/broken.json")" $((NOPEN - 1))
check_grep "broken: the failure names the dispute and the file" "FAILED $BAD: .*'broken\.jpg'" "$T/broken.log"
check_eq "broken: no zip for it" "$(zip_ids "$T/bad" | grep -c "$BAD")" 0
check_eq "broken: the others' zips" "$(zip_ids "$T/bad" | wc -l)" $((NOPEN - 1))
check "broken: the others are valid" check_zips "$T/bad"
cb runs --json > "$T/runs.json"
check_grep "runs: the run is partial" '"status": "partial"' "$T/runs.json"
check_eq "runs: newest is partial" "$(sed -n 's/.*"status": "\(.*\)".*/\1/p' "$T/runs.json" | head -1)" partial
check_eq "the failure is recorded" \
	"$(sql "SELECT count(*) FROM packet_failures f JOIN disputes d ON d.id = f.dispute_id WHERE d.gateway_id = '$BAD' AND f.message LIKE '%broken.jpg%' AND f.run_id = (SELECT max(id) FROM runs)")" 1
batch_run broken2 3 -o "$T/bad"
check_eq "broken again: fails again, the rest unchanged" \
	"$(json_num failed "$T/broken2.json"):$(json_num unchanged "$T/broken2.json")" "1:$((NOPEN - 1))"
cb runs > "$T/runs.txt"
check_grep "runs (text): partial" "^[0-9]+ .* partial +11 +0 +10 +1 " "$T/runs.txt"

# --- 5. kill -9 mid-run, then rerun ---
G=$T/g
/usr/bin/python3 "$ROOT/tests/bench/gen.py" --disputes 200 --out "$G" >/dev/null 2>&1
export CBPACK_DB=$T/g.db
{
	cb init &&
	cb import shopify-orders "$G/shopify_orders.csv" &&
	cb import stripe "$G/stripe_charges.ndjson" "$G/stripe_disputes.ndjson" &&
	cb import easypost "$G/easypost_trackers.ndjson" &&
	cb import messages "$G/messages.ndjson" &&
	cb import policies-csv "$G/policies.csv" &&
	cb attach --list "$G/attachments.csv"
} >"$T/gimport.log" 2>&1
check_eq "generated disputes imported" "$?" 0
NSEL=$(cb list --open --json | grep -c '"id"')
check "generated: many open disputes" test "$NSEL" -ge 150

GOUT=$T/gout
# In a process group of its own, so that it can be frozen (parent and workers)
# as soon as a few packets are built, however fast the machine: the checks
# below then see it running, and the kill lands mid-run.
setsid "$CBPACK" batch -j2 -o "$GOUT" > "$T/killed.out" 2> "$T/killed.log" &
victim=$!
i=0; while [ "$(grep -c ' built ' "$T/killed.log")" -lt 3 ] && [ $i -lt 400 ]; do sleep 0.01; i=$((i + 1)); done
kill -STOP "-$victim"
check_eq "during a batch: runs says running" \
	"$(cb runs --json | sed -n 's/.*"status": "\(.*\)".*/\1/p' | head -1)" running
# while it runs, a second batch is refused
check_exit 4 "during a batch: a second one exits 4" cb batch -o "$T/second-out"
check_grep "during a batch: says another batch is running" "another batch is running" "$T/.err"
kill -9 "$victim"
kill -CONT "-$victim" 2>/dev/null
wait "$victim" 2>/dev/null
i=0; while pgrep -f -- "-o $GOUT" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check_fails "killed: its workers died too" pgrep -f -- "-o $GOUT"
check "killed: the lock is free" flock -n "$CBPACK_DB.lock" true
before=$(zip_ids "$GOUT" | wc -l)
check "killed mid-run (some built, not all)" test "$before" -gt 0 -a "$before" -lt "$NSEL"
check "killed: every finished zip is whole" check_zips "$GOUT" 25
check_eq "killed: its record still says running" "$(sql "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" running
check_eq "killed: runs shows it interrupted at once" \
	"$(cb runs --json | sed -n 's/.*"status": "\(.*\)".*/\1/p' | head -1)" interrupted

batch_run rerun 0 -j2 -o "$GOUT"
check_eq "rerun: selected" "$(json_num selected "$T/rerun.json")" "$NSEL"
check_eq "rerun: built + unchanged = selected" \
	"$(($(json_num built "$T/rerun.json") + $(json_num unchanged "$T/rerun.json")))" "$NSEL"
check "rerun: skipped what the killed run finished" test "$(json_num unchanged "$T/rerun.json")" -gt 0
check_eq "rerun: one zip per dispute" "$(zip_ids "$GOUT" | wc -l)" "$NSEL"
check_eq "rerun: the zips are the selected disputes" "$(zip_ids "$GOUT")" \
	"$(cb list --open --json | sed -n 's/^ *"id": "\(.*\)",$/\1/p' | sort)"
check_eq "rerun: no temp files" "$(ls -A "$GOUT" | grep -c '^\.tmp-')" 0
check "rerun: every zip whole" check_zips "$GOUT" 25
check_eq "rerun: one packet record each" "$(sql 'SELECT count(*), count(DISTINCT path) FROM packets')" "$NSEL|$NSEL"
check_eq "store intact" "$(sql 'PRAGMA integrity_check')" ok
cb runs --json > "$T/gruns.json"
check_eq "runs: the new one ok, the killed one interrupted" \
	"$(sed -n 's/.*"status": "\(.*\)".*/\1/p' "$T/gruns.json" | tr '\n' ' ')" "ok interrupted "
check_eq "runs: the killed run has no finish time" \
	"$(sql "SELECT finished_at IS NULL FROM runs WHERE status = 'interrupted'")" 1

# one worker killed mid-run: the dispute it was building fails, saying how;
# the other worker builds the rest; nothing goes unaccounted for
WOUT=$T/wout
# all 200 disputes in the Stripe layout (six PDFs each): long enough to find a worker at work
"$CBPACK" batch -j2 --json -o "$WOUT" > "$T/wkill.json" 2> "$T/wkill.log" &
parent=$!
i=0; while [ "$(grep -c ' built ' "$T/wkill.log")" -lt 1 ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
worker=$(pgrep -P "$parent" | head -1)
check "found a worker to kill" test -n "$worker"
[ -n "$worker" ] && kill -9 "$worker"
wait "$parent"
rc=$?
wsel=$(json_num selected "$T/wkill.json")
wfailed=$(json_num failed "$T/wkill.json")
check "worker killed: the batch still finished" test -n "$wsel" -a "$wsel" -gt 10
check_eq "worker killed: every dispute accounted for" \
	"$(($(json_num built "$T/wkill.json") + ${wfailed:-0}))" "$wsel"
check_eq "worker killed: the rest were built" "$(zip_ids "$WOUT" | wc -l)" "$((wsel - ${wfailed:-0}))"
if [ "${wfailed:-0}" -gt 0 ]; then
	# (it is almost always building: the claim covers the whole build)
	check_eq "worker killed: one dispute lost, exit 3" "$wfailed:$rc" "1:3"
	check_grep "worker killed: the failure says how" \
		"FAILED [^ ]+: the worker building it was killed by signal 9" "$T/wkill.log"
	check_eq "worker killed: the run is partial" "$(sql 'SELECT status FROM runs ORDER BY id DESC LIMIT 1')" partial
	check_eq "worker killed: the failure is recorded" \
		"$(sql "SELECT count(*) FROM packet_failures WHERE run_id = (SELECT max(id) FROM runs) AND message LIKE '%signal 9%'")" 1
else
	check_eq "worker killed between disputes: exit 0" "$rc" 0
fi
check_eq "worker killed: no temp files after the next run" \
	"$("$CBPACK" batch -q -o "$WOUT" >/dev/null; ls -A "$WOUT" | grep -c '^\.tmp-')" 0
check_eq "worker killed: the next run completes the night" "$(zip_ids "$WOUT" | wc -l)" "$wsel"

# under `make asan` workers run LeakSanitizer before _exit: no report in any log
cat "$T"/*.log "$T"/*.err > "$T/all-logs" 2>/dev/null
check_no_grep "no sanitizer report from the batch or its workers" "Sanitizer|runtime error" "$T/all-logs"

finish
