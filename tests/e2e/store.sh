#!/bin/sh
# End-to-end: `cbpack init`, `list` and `attach` with the real binary on a
# real store. Orders and disputes are put in with the sqlite3 shell, so this
# does not depend on the importers.
. "$(dirname "$0")/lib.sh"

# check_exit CODE DESCRIPTION COMMAND...: passes when COMMAND exits with CODE.
# init
check "init creates the store" cb init
check_grep "init says where" "created store '$T/cbpack.db'" "$T/.out"
check "the store file exists" test -f "$T/cbpack.db"
check "the store is mode 600" test "$(stat -c %a "$T/cbpack.db")" = 600
check "the file area is mode 700" test "$(stat -c %a "$T/cbpack.db.files")" = 700
check "init twice succeeds" cb init
check_grep "second init says up to date" "is up to date \(schema version 1\)" "$T/.out"
check "--db names another store" cb --db "$T/other.db" init
check "the other store exists" test -f "$T/other.db"
check_exit 2 "init takes no arguments" cb init extra
check "init --help" cb init --help
check_grep "init --help shows usage" "^usage: cbpack .*init" "$T/.out"

# list
check_exit 1 "list without a store fails" cb --db "$T/none.db" list
check_grep "names the missing store" "no store at '$T/none.db'.*cbpack init" "$T/.err"
check "no store was created by list" test ! -e "$T/none.db"
check "list on an empty store" cb list
check_grep "empty list says so" "^no disputes$" "$T/.out"
check "list --json on an empty store" cb list --json
check_grep "empty JSON array" '^\[\]$' "$T/.out"
check_exit 2 "list --due-within needs a number" cb list --due-within soon
check_exit 2 "list refuses unknown options" cb list --bogus
check_exit 2 "list takes no arguments" cb list extra

now=1795392000
sql "INSERT INTO orders (order_key, order_ref, currency, total, created_at)
       VALUES ('1001', '#1001', 'USD', 9600, $((now - 40 * 86400)));
     INSERT INTO disputes (gateway, gateway_id, order_ref, reason, amount, currency, status,
                           is_open, due_by) VALUES
       ('stripe', 'dp_1', '#1001', 'fraudulent', 9600, 'USD', 'needs_response', 1,
        $((now + 5 * 86400 + 3600))),
       ('paypal', 'PP-D-1', NULL, 'product_not_received', 4500, 'USD', 'OPEN', 1, NULL),
       ('stripe', 'dp_soon', NULL, 'general', 1250, 'USD', 'needs_response', 1, $((now + 5 * 3600))),
       ('stripe', 'dp_old', NULL, 'general', 100, 'USD', 'won', 0, $((now - 86400))),
       ('csv', 'D-late', NULL, 'general', 100, 'USD', 'open', 1, $((now - 3 * 86400)));"

check "list all disputes" cb list
check_grep "table heading" "^DISPUTE +GATEWAY +REASON +AMOUNT +STATUS +ORDER +DUE +LEFT$" "$T/.out"
check_grep "row with amount, status, order, absolute and relative due" \
	"^dp_1 +stripe +fraudulent +96\.00 USD +needs_response +#1001 +2026-11-28 01:00 UTC +in 5 days$" "$T/.out"
check_grep "hours when under two days" "^dp_soon .* in 5 hours$" "$T/.out"
check_grep "passed deadline" "^D-late .* overdue by 3 days$" "$T/.out"
check_grep "closed dispute" "^dp_old .* closed$" "$T/.out"
check_grep "no deadline" "^PP-D-1 .*no deadline$" "$T/.out"
check "soonest first, no deadline last" test "$(sed -n '2p;$p' "$T/.out" | cut -d' ' -f1 | tr '\n' ' ')" = "D-late PP-D-1 "

check "list --open" cb list --open
check_no_grep "--open leaves out closed disputes" "dp_old" "$T/.out"
check_no_grep "--open leaves out passed deadlines" "D-late" "$T/.out"
check_grep "--open keeps a dispute without a deadline" "^PP-D-1 " "$T/.out"
check "list --open --due-within 1" cb list --open --due-within 1
check_grep "--due-within keeps the soon one" "^dp_soon " "$T/.out"
check_no_grep "--due-within leaves out later ones" "^dp_1 |^PP-D-1 " "$T/.out"
check "list --gateway paypal" cb list --gateway paypal
check_grep "--gateway keeps paypal" "^PP-D-1 " "$T/.out"
check_no_grep "--gateway leaves out stripe" "stripe" "$T/.out"
check "list --json" cb list --json --open
cp "$T/.out" "$T/list.json"
check "the JSON parses" python3 -m json.tool "$T/list.json"
check_grep "JSON has the deadline" '"due_by": "2026-11-28T01:00:00Z"' "$T/list.json"
check_grep "JSON has seconds left" '"due_in_seconds": 435600' "$T/list.json"
check_grep "JSON has minor units" '"amount": 9600' "$T/list.json"
check_grep "JSON has null for no deadline" '"due_by": null' "$T/list.json"
check "list --help" cb list --help

# attach
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\006\000\000\000\037\025\304\211' > "$T/pod.png"
printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' > "$T/receipt.pdf"
printf 'not an image\n' > "$T/notes.txt"
cp "$T/notes.txt" "$T/fake.png"
sha=$(sha256sum "$T/pod.png" | cut -c1-64)
stored="$T/cbpack.db.files/$(printf %s "$sha" | cut -c1-2)/$sha.png"

check "attach a PNG to an order" cb attach order '#1001' "$T/pod.png" --kind pod
check_grep "attach says what it did" "attached '$T/pod.png' to order '#1001' as pod" "$T/.out"
check "the copy is content-addressed" test -f "$stored"
check "the copy is mode 600" test "$(stat -c %a "$stored")" = 600
check "the copy is the same bytes" cmp "$T/pod.png" "$stored"
check "one attachment recorded" test "$(sql "SELECT count(*) FROM attachments")" = 1
check "recorded with sha256 and type" test "$(sql "SELECT sha256 || ' ' || media_type || ' ' || kind FROM attachments")" = "$sha image/png pod"
check "attach the same file again" cb attach order 1001 "$T/pod.png" --kind pod
check "the same file twice is a no-op" test "$(sql "SELECT count(*) FROM attachments")" = 1
check "attach to a dispute" cb attach dispute dp_1 "$T/pod.png" --kind=other
check "attach a PDF with gateway:id" cb attach dispute stripe:dp_1 "$T/receipt.pdf" -k receipt
check "three attachments" test "$(sql "SELECT count(*) FROM attachments")" = 3
check "PDF recognised" test "$(sql "SELECT count(*) FROM attachments WHERE media_type = 'application/pdf' AND path LIKE '%.pdf'")" = 1
check "every stored file is mode 600" test -z "$(find "$T/cbpack.db.files" -type f ! -perm 600)"

check_exit 1 "attaching a .txt is refused" cb attach order 1001 "$T/notes.txt" --kind pod
check_grep "refusal names the file" "'$T/notes.txt' is not a PNG, JPEG or PDF" "$T/.err"
check_exit 1 "a text file named .png is refused" cb attach order 1001 "$T/fake.png" --kind pod
check "nothing recorded for refused files" test "$(sql "SELECT count(*) FROM attachments")" = 3
check_exit 1 "attaching to an unknown dispute fails" cb attach dispute dp_nope "$T/pod.png" --kind pod
check_grep "names the unknown dispute" "no dispute 'dp_nope'" "$T/.err"
check_exit 1 "attaching to an unknown order fails" cb attach order '#9999' "$T/pod.png" --kind pod
check_grep "names the unknown order" "no order '#9999'" "$T/.err"
check_exit 1 "attaching a missing file fails" cb attach order 1001 "$T/missing.png" --kind pod
check_grep "names the missing file" "missing.png" "$T/.err"
check_exit 2 "attach needs --kind" cb attach order 1001 "$T/pod.png"
check_exit 2 "attach refuses an unknown kind" cb attach order 1001 "$T/pod.png" --kind selfie
check_exit 2 "attach refuses an unknown owner kind" cb attach customer 1001 "$T/pod.png" --kind pod
check_exit 2 "attach needs three arguments" cb attach order 1001 --kind pod
check "attach --help" cb attach --help
check_grep "attach --help shows usage" "^usage: cbpack attach" "$T/.out"

# a store written by a newer cbpack is refused, and left alone
sql "PRAGMA user_version = 99"
check_exit 1 "a newer store is refused" cb list
check_grep "says the store is newer" "newer than this cbpack" "$T/.err"
check "and left at its version" test "$(sql "PRAGMA user_version")" = 99

finish
