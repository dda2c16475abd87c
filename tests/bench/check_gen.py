#!/usr/bin/env python3
"""Check a directory written by tests/bench/gen.py --disputes: every file parses with the
stdlib readers, and every reference holds (dispute -> charge -> order, tracker -> charge,
message -> order, attachment -> dispute and file), with the shapes gen.py promises (79
columns, ten scans, 40-80 messages per dispute of 6-40 words, due dates after "now").

usage: python3 tests/bench/check_gen.py DIR        exit 0 when everything holds
"""

import collections
import csv
import json
import os
import sys

NOW = 1795392000          # 2026-11-23T00:00:00Z


def main(d):
    with open(os.path.join(d, "shopify_orders.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows[0]) == 79 and all(len(r) == 79 for r in rows), "shopify row width"
    orders = {r[0] for r in rows[1:]}
    charges = {}
    with open(os.path.join(d, "stripe_charges.ndjson"), encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            charges[c["id"]] = c
            assert c["metadata"]["order_id"] in orders, c["id"]
    with open(os.path.join(d, "stripe_disputes.ndjson"), encoding="utf-8") as f:
        disputes = [json.loads(line) for line in f]
    for x in disputes:
        assert x["charge"] in charges, x["id"]
        assert x["created"] < NOW < x["evidence_details"]["due_by"], x["id"]
        if x["reason"] == "duplicate":
            assert x["evidence"]["duplicate_charge_id"] in charges, x["id"]
        if x["reason"] == "credit_not_processed":
            assert charges[x["charge"]]["amount_refunded"] > 0, x["id"]
    tracking = {c["shipping"]["tracking_number"] for c in charges.values()}
    trackers = 0
    with open(os.path.join(d, "easypost_trackers.ndjson"), encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            trackers += 1
            assert t["tracking_code"] in tracking and len(t["tracking_details"]) == 10
    threads = collections.Counter()
    with open(os.path.join(d, "messages.ndjson"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            threads[m["ticket_id"]] += 1
            assert m["order_number"] in orders and m["direction"] in ("customer", "merchant")
            assert 6 <= len(m["body"].split()) <= 40, m["message_id"]
    assert all(40 <= v <= 80 for v in threads.values()), "messages per dispute"
    ids = {x["id"] for x in disputes}
    with open(os.path.join(d, "attachments.csv"), encoding="utf-8", newline="") as f:
        atts = list(csv.DictReader(f))
    for a in atts:
        assert a["owner_kind"] == "dispute" and a["owner_ref"] in ids, a
        assert os.path.isfile(os.path.join(d, a["file"])), a["file"]
    print(f"check_gen: ok: {len(orders)} orders, {len(charges)} charges, {len(disputes)} "
          f"disputes, {trackers} trackers, {sum(threads.values())} messages, "
          f"{len(atts)} attachments")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
