#!/bin/sh
# Make sure the Debian packages cbpack needs are installed.
# As root: install what is missing with apt-get. Otherwise: print the exact
# command and fail, so that `make` stops before a confusing compiler error.
# usage: scripts/deps.sh [build|test|bench]
set -eu
build="pkg-config gcc make libhpdf-dev libxml2-dev libsqlite3-dev libzip-dev libcsv-dev
libjansson-dev libutf8proc-dev nettle-dev libjpeg-dev libpng-dev zlib1g-dev libdeflate-dev
fonts-dejavu-core python3-fonttools python3"
test="libcmocka-dev poppler-utils qpdf unzip sqlite3 jq python3-pil tzdata procps"
bench="python3-reportlab time"
want=$build
case "${1:-build}" in
  test) want="$build $test" ;;
  bench) want="$build $test $bench" ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "cbpack: installing missing packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
  exit 0
fi
echo "cbpack: missing packages:$missing" >&2
echo "run: sudo apt-get install -y$missing" >&2
exit 1
