#!/bin/sh
# End-to-end: `cbpack build` on the sample data set with every shipped layout.
# Each bundle: valid PDFs (qpdf), page counts and SHA-256s as the manifest
# says, safe entry names, mode 0600, the facts a reviewer needs in the text,
# and never the planted card number anywhere. Two builds are byte-identical.
# A photo too large for a layout is shrunk to fit; an impossible limit fails
# naming the file and the overage and leaves nothing behind.
. "$(dirname "$0")/lib.sh"

S=$ROOT/samples
FX=$ROOT/tests/fixtures/bundle
OUT=$T/out

# --- the store, from every sample file ---
check "init" cb init
check "shopify-orders" cb import shopify-orders "$S/shopify/orders_export.csv"
check "orders-csv" cb import orders-csv "$S/csv/orders.csv"
check "stripe" cb import stripe "$S/stripe/disputes.json" "$S/stripe/charges.ndjson"
check "paypal" cb import paypal-disputes "$S/paypal/disputes.json"
check "payments-csv" cb import payments-csv "$S/csv/payments.csv"
check "disputes-csv" cb import disputes-csv "$S/csv/disputes.csv"
check "easypost" cb import easypost "$S/tracking/easypost.json"
check "aftership" cb import aftership "$S/tracking/aftership.json"
check "shipments-csv" cb import shipments-csv "$S/csv/shipments.csv"
check "tracking-csv" cb import tracking-csv "$S/csv/tracking.csv"
check "zendesk" cb import zendesk "$S/zendesk/tickets.ndjson"
check "messages" cb import messages "$S/messages/instagram.ndjson" "$S/csv/messages.csv"
check "policies" cb import policies-csv "$S/csv/policies.csv"
check "attach" cb attach --list "$S/attachments.csv"

DISPUTES=$(sql "SELECT gateway_id FROM disputes ORDER BY gateway, gateway_id")
check_eq "disputes imported" "$(echo "$DISPUTES" | wc -l)" 14

# --- usage ---
check_exit 2 "build without a dispute" cb build
check_exit 0 "build --help" cb build --help
check_grep "help names -o" "^usage: cbpack build DISPUTE\.\.\." "$T/.out"
check_exit 1 "unknown layout" cb build --layout no-such-layout -o "$OUT/x" dp_1Sqdw0NwO7uTf2Lk5rYsS9DL
check_grep "names the layout" "no-such-layout" "$T/.err"

# one bad dispute among good ones: the good ones are still built, exit 1, the bad one named
check_exit 1 "build with an unknown dispute" cb build -o "$OUT/mixed" dp_nope CBK-7781-0457
check_grep "names the unknown dispute" "dp_nope" "$T/.err"
check_grep "one line per bundle" "^built $OUT/mixed/CBK-7781-0457\.zip \([0-9]+ files?, [0-9]+ pages?, [0-9,]+ bytes\)" "$T/.out"
check "the good one was built" test -f "$OUT/mixed/CBK-7781-0457.zip"

# --- every dispute with every shipped layout ---
# text of a bundle: every PDF through pdftotext, the JSON files as they are; joined on one line
bundle_text() {
	zip=$1; txt=$2
	: > "$txt"
	for e in $(unzip -Z1 "$zip"); do
		unzip -p "$zip" "$e" > "$T/entry"
		case "$e" in
		*.pdf) pdftotext -q "$T/entry" - >> "$txt" 2>/dev/null ;;
		*) cat "$T/entry" >> "$txt" ;;
		esac
		echo >> "$txt"
	done
	tr '\n' ' ' < "$txt" | tr -s ' ' > "$txt.1"
	mv "$txt.1" "$txt"
}

check_bundle() {
	zip=$1; id=$2; what="$3 $id"
	check "$what: zip exists" test -f "$zip"
	[ -f "$zip" ] || return 0
	check_eq "$what: mode" "$(stat -c %a "$zip")" 600
	check "$what: zip is sound" unzip -tq "$zip"
	unzip -p "$zip" manifest.json > "$T/manifest.json"
	check_eq "$what: manifest names the dispute" "$(jq -r .dispute.id "$T/manifest.json")" "$id"
	# entry names: a file or folder/file of [A-Za-z0-9._-], no dot first, no ".."
	bad=$(unzip -Z1 "$zip" | grep -Ev '^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)?$' ; \
	      unzip -Z1 "$zip" | grep -F '..')
	check_eq "$what: safe entry names" "$bad" ""
	jq -r '.files[] | [.name, (.pages // 0), .sha256] | @tsv' "$T/manifest.json" > "$T/files.tsv"
	check_eq "$what: manifest lists every entry" "$(cut -f1 "$T/files.tsv" | sort | tr '\n' ' ')" \
		"$(unzip -Z1 "$zip" | grep -v '^manifest.json$' | sort | tr '\n' ' ')"
	while IFS="$(printf '\t')" read -r name pages sha; do
		unzip -p "$zip" "$name" > "$T/entry"
		check_eq "$what: $name sha256" "$(sha256sum < "$T/entry" | cut -d' ' -f1)" "$sha"
		case "$name" in
		*.pdf)
			check "$what: qpdf --check $name" qpdf --check "$T/entry"
			check_eq "$what: $name pages" \
				"$(pdfinfo "$T/entry" 2>/dev/null | sed -n 's/^Pages: *//p')" "$pages"
			;;
		esac
	done < "$T/files.tsv"
	bundle_text "$zip" "$T/text"
	check_grep "$what: dispute id in the text" "$id" "$T/text"
	check_no_grep "$what: no card number" '4111 ?1111 ?1111 ?1111|4111-1111' "$T/text"
	# the raw bytes too, in case a PDF hides text pdftotext does not show
	for e in $(unzip -Z1 "$zip"); do unzip -p "$zip" "$e"; done > "$T/raw"
	check_no_grep "$what: no card number in the raw bytes" '4111 ?1111 ?1111 ?1111' "$T/raw"
}

for layout in stripe paypal generic; do
	# shellcheck disable=SC2086
	check_exit 0 "build all with $layout" cb build --layout "$layout" -o "$OUT/$layout" $DISPUTES
	check_eq "$layout: one 'built' line per dispute" "$(grep -c '^built ' "$T/.out")" 14
	for id in $DISPUTES; do
		check_bundle "$OUT/$layout/$id.zip" "$id" "$layout"
	done
done

# --- the facts a reviewer looks for ---
# fraud, #1021: order number, masked card, tracking, a non-ASCII name, the customer's words
ID=dp_1Sqdw0NwO7uTf2Lk5rYsS9DL
bundle_text "$OUT/stripe/$ID.zip" "$T/t1021"
check_grep "1021: order number" "1021" "$T/t1021"
check_grep "1021: customer name" "Zoë Ångström" "$T/t1021"
LAST4=$(sql "SELECT c.card_last4 FROM charges c JOIN disputes d ON d.charge_id = c.id WHERE d.gateway_id = '$ID'")
check_grep "1021: card last 4 ($LAST4)" "$LAST4" "$T/t1021"
TRACK=$(sql "SELECT s.tracking_number FROM shipments s JOIN disputes d ON d.order_id = s.order_id WHERE d.gateway_id = '$ID' LIMIT 1")
check_grep "1021: tracking number ($TRACK)" "$TRACK" "$T/t1021"
WORDS=$(sql "SELECT m.body FROM messages m JOIN disputes d ON d.order_id = m.order_id WHERE d.gateway_id = '$ID' AND m.direction = 'customer' ORDER BY m.sent_at LIMIT 1" |
	tr '\n' ' ' | tr -s ' ' | cut -d' ' -f1-4)
check_grep "1021: the customer's words ($WORDS)" "$WORDS" "$T/t1021"

# PayPal not received, #1011: the planted UPS number and a Vietnamese name
ID=PP-R-NXB-10483211
bundle_text "$OUT/paypal/$ID.zip" "$T/t1011"
check_grep "1011: tracking" "1Z999AA10123456784" "$T/t1011"
check_grep "1011: name" "Nguyễn Thị Hương" "$T/t1011"
check_grep "1011: order" "1011" "$T/t1011"
check "1011: evidence.json is JSON" sh -c "unzip -p '$OUT/paypal/$ID.zip' evidence.json | jq -e .evidences >/dev/null"
check "1011: carrier in PayPal's spelling, with its tracking number" sh -c "unzip -p '$OUT/paypal/$ID.zip' evidence.json | jq -e '.evidences[0].evidence_info.tracking_info[0] | .carrier_name == \"UPS\" and .tracking_number == \"1Z999AA10123456784\"' >/dev/null"

# PayPal not as described, #1018: the message with the card number is there, masked
ID=PP-R-QHD-10511876
bundle_text "$OUT/generic/$ID.zip" "$T/t1018"
check_grep "1018: masked card in the conversation" "card ending 1111" "$T/t1018"

# --- two builds are byte-identical ---
# shellcheck disable=SC2086
check "second build" cb build --layout stripe -o "$OUT/again" $DISPUTES
same=0
for id in $DISPUTES; do
	cmp -s "$OUT/stripe/$id.zip" "$OUT/again/$id.zip" && same=$((same + 1))
done
check_eq "two builds byte-identical" "$same" 14
check_eq "no temp files left" "$(find "$OUT" -name '.tmp-*' | wc -l)" 0
check_eq "output directory mode" "$(stat -c %a "$OUT/stripe")" 700

# --- a photo too large for the layout is shrunk to fit ---
cc -O2 -o "$T/noise_jpeg" "$FX/noise_jpeg.c" -ljpeg
check "make a big photo" "$T/noise_jpeg" "$T/big_photo.jpg" 3000 2000 92
check "attach the big photo" cb attach order '#1014' "$T/big_photo.jpg" --kind product_photo
ID=dp_1SVQr2NwO7uTf2Lk7ZYw7uUK
check "build with a tight layout" cb build --layout "$FX/tight.xml" -o "$OUT/tight" "$ID"
check_bundle "$OUT/tight/$ID.zip" "$ID" "tight"
unzip -p "$OUT/tight/$ID.zip" manifest.json > "$T/manifest.json"
check "shrunk at least one step" jq -e '.image_shrink.step > 0' "$T/manifest.json"
check "fits the total" jq -e '.limits.total_bytes.actual <= 400000 and .limits.total_bytes.ok' "$T/manifest.json"
check_grep "says so in a warning" "images re-encoded at most" "$T/manifest.json"

# --- an impossible limit fails cleanly ---
check_exit 1 "build with a 1,000-byte layout" cb build --layout "$FX/impossible.xml" -o "$OUT/impossible" "$ID"
check_grep "names the file and overage" "evidence\.pdf is [0-9,]+ bytes, [0-9,]+ over the 1,000-byte limit of layout 'impossible'" "$T/.err"
check_eq "nothing left behind" "$(find "$OUT/impossible" -type f 2>/dev/null | wc -l)" 0

finish
