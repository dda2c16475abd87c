#!/bin/sh
# Turn tests/bench/data/results.tsv into tests/bench/RESULTS.md.
set -eu
r=$1
get() { printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p"; }
echo "# cbpack benchmark results"
echo
echo "Made by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) cores,"
echo "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)."
echo "Every ratio compares two measurements taken in the same run on the same data."
echo
echo "## Import (Shopify orders CSV)"
echo
echo "| rows | cbpack rows/s | SQLite prepared INSERT rows/s | cbpack / SQLite | cbpack CPU s | SQLite CPU s | every round's ratio |"
echo "|---:|---:|---:|---:|---:|---:|---|"
grep '^import' "$r" | while read -r l; do
	echo "| $(get "$l" rows) | $(get "$l" cbpack_rows_per_s) | $(get "$l" sqlite_insert_rows_per_s) | $(get "$l" ratio) | $(get "$l" cbpack_cpu_s) | $(get "$l" sqlite_cpu_s) | $(get "$l" all_ratios) |"
done
echo
echo "Each round imports into a fresh store with cbpack, then runs sqlite_ref into another, back"
echo "to back; the row shows the round with the median ratio (the machines are noisy)."
echo "Rates are rows over wall-clock time. cbpack reads the file and stores the orders on two"
echo "threads (docs/design.md, \"Import speed\"), so its CPU time, both threads, is shown beside it;"
echo "the reference is one thread."
echo
echo "## Packets (cbpack batch; ~6-page PDF + one JPEG photo per dispute)"
echo
echo "| disputes | -j1 packets/s | -j2 packets/s | -j2 / -j1 | peak RSS per worker (KB) | bytes per bundle | reference packets/s | cbpack -j1 / reference |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
grep '^packets' "$r" | while read -r l; do
	echo "| $(get "$l" n) | $(get "$l" j1_packets_per_s) | $(get "$l" j2_packets_per_s) | $(get "$l" j2_over_j1) | $(get "$l" peak_worker_rss_kb_j1) | $(get "$l" bytes_per_bundle) | $(get "$l" reference_packets_per_s) | $(get "$l" cbpack_over_reference) |"
done
echo
echo "## Packets in the gateway's own layout (Stripe: six separate PDFs per packet)"
echo
echo "| disputes | -j1 packets/s | peak RSS per worker (KB) | bytes per bundle |"
echo "|---:|---:|---:|---:|"
grep '^stripe_layout' "$r" | while read -r l; do
	echo "| $(get "$l" n) | $(get "$l" j1_packets_per_s) | $(get "$l" peak_worker_rss_kb_j1) | $(get "$l" bytes_per_bundle) |"
done
echo
echo "The packet rows above use \`--layout generic\`: one combined PDF and the photo, the packet"
echo "the reference makes. The Stripe layout renders the same evidence as six PDFs (one per"
echo "Stripe evidence field), so it pays libharu's per-document cost six times."
echo
echo "The reference is tests/bench/reference.py: the same packet from the same store, written the"
echo "way a merchant's engineer would (reportlab canvas, DejaVu Sans, zipfile), run in the same"
echo "invocation. Peak RSS is the largest worker's maximum resident set (getrusage)."
