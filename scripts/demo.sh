#!/bin/sh
# make demo: import everything in samples/ into a scratch store and build the
# open disputes' bundles. Filled in as the importers and `build` land.
set -eu
bin=${1:-bin/cbpack}
echo "cbpack demo: not all commands have landed yet" >&2
"$bin" --help
