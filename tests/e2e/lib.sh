# Sourced by tests/e2e/*.sh. Each script makes a scratch directory, runs the
# real binary, and records each check with `check` / `check_fails`.
# A script ends with `finish`, which adds its counts to $TALLY.
set -u
: "${CBPACK:?CBPACK must name the cbpack binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CBPACK_DB="$T/cbpack.db"
export SOURCE_DATE_EPOCH=1795392000   # 2026-11-23 00:00 UTC: the samples are dated around it
_pass=0
_fail=0
_name=$(basename "$0" .sh)

ok() { _pass=$((_pass + 1)); }
not_ok() { _fail=$((_fail + 1)); echo "FAIL: $_name: $*"; }

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0.
check() {
	d=$1; shift
	if "$@" >"$T/.out" 2>"$T/.err"; then ok; else not_ok "$d"; sed 's/^/    /' "$T/.err" | head -5; fi
}

# check_fails DESCRIPTION COMMAND...: passes when COMMAND exits non-zero.
check_fails() {
	d=$1; shift
	if "$@" >"$T/.out" 2>"$T/.err"; then not_ok "$d (unexpectedly succeeded)"; else ok; fi
}

# check_exit STATUS DESCRIPTION COMMAND...: passes when COMMAND exits with STATUS.
check_exit() {
	want=$1; d=$2; shift 2
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else not_ok "$d: exit $rc, want $want"; sed 's/^/    /' "$T/.err" | head -5; fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok; else not_ok "$1: got '$2', want '$3'"; fi
}

# sql ARGS...: the sqlite3 shell on the test's store.
sql() { sqlite3 "$CBPACK_DB" "$@"; }

# check_grep DESCRIPTION PATTERN FILE: passes when FILE has a line matching PATTERN.
check_grep() {
	if grep -qE -- "$2" "$3"; then ok; else not_ok "$1: no '$2' in $3"; head -5 "$3" | sed 's/^/    /'; fi
}

check_no_grep() {
	if grep -qE -- "$2" "$3"; then not_ok "$1: '$2' found in $3"; else ok; fi
}

cb() { "$CBPACK" "$@"; }

finish() {
	echo "$_pass $_fail" >> "${TALLY:-/dev/null}"
	[ "$_fail" -eq 0 ] && exit 0 || exit 1
}
