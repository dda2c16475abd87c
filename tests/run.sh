#!/bin/sh
# Run every test: the cmocka unit test binaries, then the end-to-end scripts
# (tests/e2e/*.sh, which run the real binary on real files). Prints one line
# per failure and ends with "N passed, N failed".
# Env: CBPACK (the binary), BUILD (the build directory with tests/).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${BUILD:=build/rel}"
: "${CBPACK:=$here/../$BUILD/cbpack}"
export CBPACK
tally=$(mktemp)
trap 'rm -f "$tally"' EXIT
passed=0
failed=0

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" | grep -E '^\[  (FAILED|  ERROR)' | head -20
		[ -z "$f" ] && { echo "FAIL: $(basename "$t") exited $rc"; failed=$((failed + 1)); }
	fi
done

for s in "$here"/e2e/*.sh; do
	[ -f "$s" ] || continue
	case "$(basename "$s")" in lib.sh) continue ;; esac
	TALLY=$tally sh "$s"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		echo "FAIL: $(basename "$s") exited $rc"
		echo "0 1" >> "$tally"
	fi
done
while read -r p f; do
	passed=$((passed + p))
	failed=$((failed + f))
done < "$tally"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
