#!/bin/sh
# End-to-end: `cbpack layouts list` and `cbpack layouts check` on the shipped
# layouts and on the broken fixtures in tests/layouts-bad/ (each marks the
# line the message must name with an "expect-error" comment).
. "$(dirname "$0")/lib.sh"
export CBPACK_LAYOUTS="$ROOT/layouts"

check "layouts list" cb layouts list
cp "$T/.out" "$T/list"
for name in stripe paypal generic; do
	check_grep "list shows $name" "^$name +$name +[0-9]+ " "$T/list"
done
check_grep "stripe limits" "^stripe .*5 MB a file, 4.5 MB in all, 49 pages a file" "$T/list"
check_grep "generic limits" "^generic +generic +1 +2 MB a file, 4 MB in all, 19 pages" "$T/list"
check_grep "paypal types" "^paypal .*pdf/jpeg/png/gif" "$T/list"
check_no_grep "common pieces are not layouts" "^(order|letters) " "$T/list"

check "shipped layouts check" cb layouts check "$ROOT"/layouts/*.xml
cp "$T/.out" "$T/check"
for name in stripe paypal generic; do
	check_grep "$name ok" "^$ROOT/layouts/$name.xml: ok$" "$T/check"
done

# each broken fixture: refused, exit 1, the message names its file and line
for f in "$ROOT"/tests/layouts-bad/*.xml; do
	line=$(grep -n 'expect-error' "$f" | head -1 | cut -d: -f1)
	cb layouts check "$f" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 1 ]; then ok; else not_ok "$(basename "$f"): exit $rc, want 1"; fi
	check_grep "$(basename "$f") names line $line" "^cbpack: $f:$line: " "$T/err"
	check_no_grep "$(basename "$f") not ok'd" ": ok$" "$T/out"
done

# nothing from the file the XXE fixture names ends up in the message
cb layouts check "$ROOT/tests/layouts-bad/xxe.xml" 2>"$T/err"
check_no_grep "xxe leaks nothing" "root:" "$T/err"

# a good file and a bad one: the good one is ok'd, the run fails
check_fails "mixed check fails" cb layouts check "$ROOT/layouts/generic.xml" \
	"$ROOT/tests/layouts-bad/bad-number.xml"
check_grep "good one still ok" "generic.xml: ok$" "$T/.out"

# a layout dir elsewhere: $CBPACK_LAYOUTS is honoured, including its schema
mkdir -p "$T/lay/common"
cp "$ROOT/layouts/layout.rng" "$ROOT/layouts/generic.xml" "$T/lay/"
cp "$ROOT"/layouts/common/*.xml "$T/lay/common/"
sed 's/name="generic" gateway="generic"/name="acme" gateway="acme"/' \
	"$ROOT/layouts/generic.xml" > "$T/lay/acme.xml"
CBPACK_LAYOUTS="$T/lay" cb layouts list > "$T/list2"
check_grep "new layout listed" "^acme +acme +1 " "$T/list2"

# the minimal layout in docs/layouts.md is complete and valid as printed
awk '/^```xml$/ { n++; if (n == 1) { f = 1; next } } /^```$/ { f = 0 } f' \
	"$ROOT/docs/layouts.md" > "$T/lay/minimal.xml"
check "docs example checks" cb layouts check "$T/lay/minimal.xml"

# usage
check_fails "no subcommand" cb layouts
check_fails "unknown subcommand" cb layouts frob
check_fails "check without files" cb layouts check
check "help" cb layouts --help
check_grep "help names the docs" "docs/layouts.md" "$T/.out"
check_fails "missing file" cb layouts check "$T/nope.xml"
check_grep "missing file named" "nope.xml" "$T/.err"

# Template keys and evidence kinds are checked against what evidence knows.
mkdir -p "$T/lay"
cp -r "$ROOT/layouts/." "$T/lay/"
sed 's/{{customer.email}}/{{customer.emial}}/' "$ROOT/layouts/stripe.xml" > "$T/lay/typo.xml"
check_fails "unknown template key refused" cb layouts check "$T/lay/typo.xml"
check_grep "unknown key named with its line" "typo.xml:60:.*customer.emial" "$T/.err"
finish
