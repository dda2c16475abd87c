#!/usr/bin/env python3
"""Smoke check of samples/: every file parses with the stdlib csv/json readers, and every
cross-reference the importers and the store rely on holds (dispute -> charge -> order, shipment
-> order, conversation -> order, attachment -> file and owner), plus the facts each dispute's
evidence needs (domain.md section 7) and the planted test values (SAMPLES.md).

usage: python3 scripts/check_samples.py [SAMPLES_DIR]     exit 0 when everything holds
"""

import csv
import datetime as dt
import json
import os
import sys

SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,"
    "Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
    "Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,"
    "Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,"
    "Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,"
    "Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References").split(",")

NOW = 1795392000                       # 2026-11-23T00:00:00Z
DAY = 86400
OPEN_STATUSES = {"needs_response", "warning_needs_response", "open",
                 "waiting_for_seller_response"}
PLANTED_CARD = "4111 1111 1111 1111"
PLANTED_UPS = "1Z999AA10123456784"
NON_ASCII_NAMES = ["Nguyễn Thị Hương", "José Muñoz", "Zoë Ångström", "François Lefèvre"]

errors = []
counts = {}


def fail(msg):
    errors.append(msg)


def need(cond, msg):
    if not cond:
        fail(msg)
    return cond


def t_utc(s):
    return int(dt.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc).timestamp())


def parse_time(s):
    """RFC 3339, 'YYYY-MM-DD HH:MM:SS [+ZZZZ]' (UTC when no offset) or 'YYYY-MM-DD'."""
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S %z",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            d = dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
        if d.tzinfo is None:
            d = d.replace(tzinfo=dt.timezone.utc)
        return int(d.timestamp())
    raise ValueError(f"not a time: {s!r}")


def luhn_ok(digits):
    tot = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        tot += d - 9 if d > 9 else d
    return tot % 10 == 0


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]], rows


def read_ndjson(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    fail(f"{path}:{n}: {e}")
    return out


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "samples")
    root = os.path.normpath(root)
    P = lambda *a: os.path.join(root, *a)          # noqa: E731

    # ---- every file parses ---------------------------------------------------------------
    texts = {}
    total_bytes = 0
    for dirpath, _dirs, files in os.walk(root):
        for fn in files:
            path = os.path.join(dirpath, fn)
            total_bytes += os.path.getsize(path)
            rel = os.path.relpath(path, root)
            if fn.endswith((".csv", ".json", ".ndjson", ".md")):
                with open(path, encoding="utf-8") as f:      # UTF-8 or it raises
                    texts[rel] = f.read()
            try:
                if fn.endswith(".csv"):
                    read_csv(path)
                elif fn.endswith(".json"):
                    read_json(path)
                elif fn.endswith(".ndjson"):
                    read_ndjson(path)
            except Exception as e:                            # noqa: BLE001
                fail(f"{rel}: does not parse: {e}")
    counts["bytes"] = total_bytes
    need(total_bytes < 1_100_000, f"samples/ is {total_bytes} bytes, want under ~1 MB")

    # ---- orders ----------------------------------------------------------------------------
    header, srows, raw = read_csv(P("shopify", "orders_export.csv"))
    need(header == SHOPIFY_HEADER, "shopify header is not the exact 79-column header")
    need(all(len(r) == 79 for r in raw), "a shopify row does not have 79 fields")
    orders = {}            # "#1001" -> dict(created, email, zip, ip, source, payment_id, ...)
    shop_first = {}
    for r in srows:
        name = r["Name"]
        if r["Financial Status"]:                 # only the first row carries order fields
            need(name not in shop_first, f"shopify: two first rows for {name}")
            shop_first[name] = r
    for r in srows:
        need(r["Name"] in shop_first, f"shopify: continuation row for {r['Name']} has no "
             "first row")
    luhn_ids = 0
    for name, r in shop_first.items():
        need(len(r["Id"]) == 13 and r["Id"].isdigit(), f"shopify {name}: Id {r['Id']!r} is not "
             "13 digits")
        luhn_ids += luhn_ok(r["Id"])
        for col in ("Billing Zip", "Shipping Zip"):
            need(r[col].startswith("'"), f"shopify {name}: {col} lacks the leading apostrophe")
        ip = next((ln.split(":", 1)[1].strip() for ln in r["Note Attributes"].split("\n")
                   if ln.startswith("IP address:")), None)
        need(ip, f"shopify {name}: no 'IP address:' in Note Attributes")
        orders[name] = {"src": "shopify", "created": parse_time(r["Created at"]),
                        "email": r["Email"].lower(), "zip": r["Shipping Zip"].lstrip("'"),
                        "ip": ip, "payment_id": r["Payment ID"],
                        "line1": r["Shipping Address1"], "total": r["Total"],
                        "name": r["Billing Name"]}
    need(luhn_ids >= 1, "no Luhn-valid 13-digit Shopify Id")
    need(any("\n" in r["Notes"] for r in shop_first.values()), "no Notes with a newline")
    names_in_order = [r["Name"] for r in srows]
    split = [n for n in set(names_in_order)
             if max(i for i, x in enumerate(names_in_order) if x == n)
             - min(i for i, x in enumerate(names_in_order) if x == n) + 1
             != names_in_order.count(n)]
    need(split, "no shopify order with non-adjacent rows (grouping must not rely on adjacency)")
    need(any(names_in_order.count(n) > 1 for n in set(names_in_order)), "no multi-row order")

    _h, corows, _ = read_csv(P("csv", "orders.csv"))
    for r in corows:
        if r["email"]:
            need(r["order_number"] not in orders, f"csv order {r['order_number']} duplicates "
                 "a shopify order")
            orders[r["order_number"]] = {"src": "csv", "created": parse_time(r["created_at"]),
                                         "email": r["email"].lower(),
                                         "zip": r["shipping_postal"], "ip": r["ip"],
                                         "payment_id": "", "line1": r["shipping_line1"],
                                         "total": r["total"], "name": r["customer_name"]}
        else:
            need(r["order_number"] in orders, f"csv orders: continuation row for "
                 f"{r['order_number']} before its first row")
    need(sorted(orders) == [f"#{n}" for n in range(1001, 1031)],
         f"orders are not exactly #1001..#1030: {sorted(orders)}")
    counts["orders"] = len(orders)
    counts["order rows"] = len(srows) + len(corows)

    # ---- Stripe ---------------------------------------------------------------------------
    env = read_json(P("stripe", "disputes.json"))
    need(env.get("object") == "list" and isinstance(env.get("data"), list),
         "stripe/disputes.json is not a list envelope")
    charges = {c["id"]: c for c in read_ndjson(P("stripe", "charges.ndjson"))}
    by_payment_id = {o["payment_id"]: k for k, o in orders.items() if o["payment_id"]}

    def charge_order(c):
        ref = (c.get("metadata") or {}).get("order_id")
        if ref:
            return ref if need(ref in orders, f"charge {c['id']}: order {ref} missing") else None
        ref = by_payment_id.get(c["id"])
        need(ref, f"charge {c['id']}: no metadata.order_id and no Shopify Payment ID names it")
        return ref

    for c in charges.values():
        charge_order(c)
    disputes = []         # (gateway, id, reason, status, order, opened, due, extra)
    expanded = 0
    for d in env["data"]:
        ch = d["charge"]
        if isinstance(ch, dict):
            expanded += 1
            need(ch["id"] in charges, f"{d['id']}: expanded charge not also in charges.ndjson")
            c = ch
        else:
            c = charges.get(ch)
            if not need(c, f"{d['id']}: charge {ch} not found"):
                continue
        o = charge_order(c)
        need(c["amount"] >= d["amount"], f"{d['id']}: disputed more than charged")
        disputes.append(("stripe", d["id"], d["reason"], d["status"], o, d["created"],
                         d["evidence_details"]["due_by"], c))
    need(expanded >= 1, "no Stripe dispute with an expanded charge")

    uh, urows, _ = read_csv(P("extra", "stripe_unified_payments.csv"))
    need(len(uh) >= 79 and uh[0] == "id" and "Card Fingerprint" in uh,
         "extra/stripe_unified_payments.csv lacks the dashboard header")
    for r in urows:
        need(r["id"] in charges, f"unified_payments {r['id']}: not in charges.ndjson")
        ref = r.get("order_id (metadata)")
        need(not ref or ref in orders, f"unified_payments {r['id']}: order {ref} missing")
        c = charges.get(r["id"])
        if c:
            need(r["Amount"] == "%d.%02d" % divmod(c["amount"], 100),
                 f"unified_payments {r['id']}: amount differs from the API charge")
    need(len(urows) == len(charges), "unified_payments.csv and charges.ndjson differ in size")

    # ---- PayPal ---------------------------------------------------------------------------
    pp = read_json(P("paypal", "disputes.json"))
    need(isinstance(pp.get("items"), list), "paypal/disputes.json has no items[]")
    for d in pp["items"]:
        tx = d["disputed_transactions"][0]
        o = tx.get("invoice_number")
        need(o in orders, f"{d['dispute_id']}: invoice_number {o} is not an order")
        need(orders.get(o, {}).get("payment_id") == tx["seller_transaction_id"],
             f"{d['dispute_id']}: seller_transaction_id is not the order's Payment ID")
        disputes.append(("paypal", d["dispute_id"], d["reason"], d["status"], o,
                         parse_time(d["create_time"]),
                         parse_time(d["seller_response_due_date"]), d))

    # ---- generic CSV payments and disputes ------------------------------------------------
    _h, pays, _ = read_csv(P("csv", "payments.csv"))
    pay = {r["charge_id"]: r for r in pays}
    for r in pays:
        need(r["order_number"] in orders, f"payments.csv {r['charge_id']}: order missing")
    _h, cdis, _ = read_csv(P("csv", "disputes.csv"))
    for r in cdis:
        need(r["charge_id"] in pay, f"disputes.csv {r['dispute_id']}: charge missing")
        need(pay.get(r["charge_id"], {}).get("order_number") == r["order_number"],
             f"disputes.csv {r['dispute_id']}: charge and order disagree")
        disputes.append(("csv", r["dispute_id"], r["reason"], r["status"], r["order_number"],
                         parse_time(r["opened_at"]),
                         parse_time(r["due_by"]) + (DAY - 1 if len(r["due_by"]) == 10 else 0),
                         r))
    dispute_ids = {d[1] for d in disputes}
    need(len(dispute_ids) == len(disputes), "duplicate dispute ids")
    for g, did, reason, status, o, opened, due, _x in disputes:
        need(t_utc("2026-11-01") <= opened < t_utc("2026-11-21"),
             f"{did}: opened outside 2026-11-01..20")
        need(t_utc("2026-11-24") <= due < t_utc("2026-12-13"),
             f"{did}: due outside 2026-11-24..2026-12-12")
        if status.lower() in OPEN_STATUSES:
            need(due > NOW, f"{did}: open but past due")
    statuses = {d[3] for d in disputes}
    for s in ("won", "under_review", "RESOLVED"):
        need(s in statuses, f"no dispute with status {s}")

    # ---- shipments and tracking ------------------------------------------------------------
    ship = {}      # order -> list of (carrier, number, status, signed_by, delivered zip)
    ep = read_json(P("tracking", "easypost.json"))
    by_tracking = {}
    for c in charges.values():
        tn = (c.get("shipping") or {}).get("tracking_number")
        if tn:
            by_tracking[tn] = charge_order(c)
    for t in ep["trackers"]:
        o = by_tracking.get(t["tracking_code"])
        if not need(o, f"easypost {t['tracking_code']}: no charge names it"):
            continue
        need(len(t["tracking_details"]) == 10 or t["status"] != "delivered",
             f"easypost {t['tracking_code']}: not ten scans")
        dz = [e["tracking_location"]["zip"] for e in t["tracking_details"]
              if e["status"] == "delivered"]
        ship.setdefault(o, []).append((t["carrier"], t["tracking_code"], t["status"],
                                       t["signed_by"], dz[-1] if dz else None))
    af = read_json(P("tracking", "aftership.json"))
    for t in af["data"]["trackings"]:
        o = t["order_number"]
        if not need(o in orders, f"aftership {t['tracking_number']}: order {o} missing"):
            continue
        dz = [c["zip"] for c in t["checkpoints"] if c["tag"] == "Delivered"]
        signed = t["signed_by"] if t["subtag"] == "Delivered_003" else None
        ship.setdefault(o, []).append((t["slug"], t["tracking_number"],
                                       "delivered" if t["tag"] == "Delivered" else t["tag"],
                                       signed, dz[-1] if dz else None))
    _h, shs, _ = read_csv(P("csv", "shipments.csv"))
    _h, trs, _ = read_csv(P("csv", "tracking.csv"))
    events = {}
    for r in trs:
        events.setdefault(r["tracking_number"], []).append(r)
    for r in shs:
        o = r["order_number"]
        if not need(o in orders, f"shipments.csv {r['tracking_number']}: order {o} missing"):
            continue
        ev = events.get(r["tracking_number"], [])
        need(ev, f"shipments.csv {r['tracking_number']}: no tracking.csv events")
        dz = [e["postal"] for e in ev if e["status"] == "delivered"]
        ship.setdefault(o, []).append((r["carrier"], r["tracking_number"], r["status"],
                                       r["signed_by"] or None, dz[-1] if dz else None))
    known = {n for v in ship.values() for _c, n, *_ in v}
    for tn in events:
        need(tn in known, f"tracking.csv {tn}: no shipment")
    need(PLANTED_UPS in known, f"planted UPS number {PLANTED_UPS} is not a shipment")
    counts["shipments"] = sum(len(v) for v in ship.values())

    # ---- conversations ---------------------------------------------------------------------
    conv = {}      # order -> number of public messages linked to it
    by_email_only = 0

    def link(order_ref, email, when):
        if order_ref:
            need(order_ref in orders, f"conversation names unknown order {order_ref}")
            return order_ref
        if email:       # the store's fallback: same customer, within the order's window
            cands = [k for k, o in orders.items() if o["email"] == email.lower()
                     and o["created"] - 2 * DAY <= when <= o["created"] + 90 * DAY]
            return max(cands, key=lambda k: orders[k]["created"]) if cands else None
        return None

    import re
    tickets = read_ndjson(P("zendesk", "tickets.ndjson"))
    for line in tickets:
        tk, cm, us = line["ticket"], line["comments"], line["users"]
        users = {u["id"]: u for u in us}
        need(tk["requester_id"] in users, f"ticket {tk['id']}: requester not in users")
        need(4 <= len(cm) <= 20, f"ticket {tk['id']}: {len(cm)} comments")
        for c in cm:
            need(c["author_id"] in users, f"ticket {tk['id']}: comment author not in users")
        ref = None
        m = re.search(r"#(10\d\d)\b", tk["subject"])
        if m:
            ref = "#" + m.group(1)
        for tag in tk["tags"]:
            if tag.startswith("order_"):
                ref = "#" + tag[6:]
        for f in tk["custom_fields"]:
            if isinstance(f["value"], str) and re.fullmatch(r"#10\d\d", f["value"]):
                ref = f["value"]
        email = users[tk["requester_id"]]["email"]
        o = link(ref, email, parse_time(tk["created_at"]))
        if need(o, f"ticket {tk['id']}: links to no order"):
            by_email_only += ref is None
            conv[o] = conv.get(o, 0) + sum(1 for c in cm if c["public"])
    _h, cmsg, _ = read_csv(P("csv", "messages.csv"))
    ig = read_ndjson(P("messages", "instagram.ndjson"))
    threads = {}
    unlinked = 0
    for m in cmsg + ig:
        for k in ("message_id", "channel", "direction", "sent_at", "body"):
            need(m.get(k), f"message {m.get('message_id')}: empty {k}")
        need(m["direction"] in ("customer", "merchant"), f"message {m['message_id']}: "
             "bad direction")
        threads.setdefault(m["ticket_id"], []).append(m)
    for tid, ms in threads.items():
        need(4 <= len(ms) <= 20, f"thread {tid}: {len(ms)} messages")
        o = link(ms[0]["order_number"], ms[0]["email"], parse_time(ms[0]["sent_at"]))
        if o:
            by_email_only += not ms[0]["order_number"]
            conv[o] = conv.get(o, 0) + len(ms)
        else:
            unlinked += 1
    need(by_email_only >= 1, "no conversation that links only by email and time")
    counts["zendesk tickets"] = len(tickets)
    counts["zendesk comments"] = sum(len(t["comments"]) for t in tickets)
    counts["chat messages"] = len(cmsg) + len(ig)
    counts["threads linked by email only"] = by_email_only
    counts["unlinked threads"] = unlinked

    # ---- policies ---------------------------------------------------------------------------
    _h, pol, _ = read_csv(P("csv", "policies.csv"))
    kinds = {r["kind"] for r in pol}
    need(kinds == {"refund", "shipping", "cancellation", "terms"}, f"policy kinds {kinds}")

    # ---- evidence per reason (domain.md section 7) --------------------------------------------
    def delivered(o, signed=False):
        for _c, _n, st, sb, z in ship.get(o, []):
            if st == "delivered" and z == orders[o]["zip"] and (sb or not signed):
                return True
        return False

    fold = {"fraudulent": "fraud", "UNAUTHORISED": "fraud",
            "product_not_received": "not_received",
            "MERCHANDISE_OR_SERVICE_NOT_RECEIVED": "not_received",
            "product_unacceptable": "not_as_described",
            "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED": "not_as_described",
            "subscription_canceled": "subscription_canceled",
            "credit_not_processed": "credit_not_processed", "duplicate": "duplicate",
            "general": "general"}
    per = {}
    for g, did, reason, status, o, opened, due, x in disputes:
        r = fold.get(reason)
        if not need(r, f"{did}: unexpected reason {reason}"):
            continue
        per.setdefault(f"{g}/{r}", []).append(did)
        if r == "fraud" and g == "stripe":
            card = x["payment_method_details"]["card"]
            need(card["three_d_secure"] and card["three_d_secure"]["result"] == "authenticated",
                 f"{did}: fraud without 3DS authenticated")
            need(all(v == "pass" for v in card["checks"].values()), f"{did}: AVS/CVC not pass")
            prior = [c for c in charges.values() if c["id"] != x["id"]
                     and c["status"] == "succeeded" and not c["disputed"]
                     and c["payment_method_details"]["card"]["fingerprint"] == card["fingerprint"]
                     and 120 * DAY <= x["created"] - c["created"] <= 365 * DAY]
            need(len(prior) >= 2, f"{did}: {len(prior)} prior undisputed charges in 120-365 d")
            for c in prior:
                po = charge_order(c)
                need(orders[po]["email"] == orders[o]["email"], f"{did}: prior email differs")
                need(orders[po]["ip"] == orders[o]["ip"], f"{did}: prior IP differs")
                need(orders[po]["line1"] == orders[o]["line1"] and
                     orders[po]["zip"] == orders[o]["zip"], f"{did}: prior address differs")
            need(delivered(o, signed=True), f"{did}: no signed delivery")
        elif r == "fraud":
            need(delivered(o), f"{did}: no delivery to the shipping zip")
        if r == "not_received":
            need(delivered(o), f"{did}: no delivered scan at the shipping zip")
        if r == "not_as_described":
            need(conv.get(o, 0) >= 4, f"{did}: no conversation for {o}")
            need("refund" in kinds, f"{did}: no refund policy")
        if r == "credit_not_processed":
            need(x["amount_refunded"] > 0 and x["refunds"]["data"], f"{did}: no refund")
        if r == "subscription_canceled":
            need("cancellation" in kinds, f"{did}: no cancellation policy")
        if r == "duplicate":
            other = [c for c in charges.values() if c["id"] != x["id"]
                     and c["customer"] == x["customer"] and c["amount"] == x["amount"]
                     and abs(c["created"] - x["created"]) < DAY and c["status"] == "succeeded"]
            need(other and charge_order(other[0]) != o,
                 f"{did}: no second charge for a separate order")
    need(any(delivered(o, signed=True) and any(d[4] == o for d in disputes
                                               if fold.get(d[2]) == "not_received")
             for o in orders), "no not-received dispute with a signed delivery")

    # ---- attachments ------------------------------------------------------------------------
    _h, atts, _ = read_csv(P("attachments.csv"))
    need(_h == ["owner_kind", "owner_ref", "file", "kind"], "attachments.csv header")
    magic = {".jpg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}
    for r in atts:
        f = P(r["file"])
        need(os.path.normpath(f).startswith(root + os.sep), f"attachment {r['file']} escapes")
        if need(os.path.isfile(f), f"attachment {r['file']} missing"):
            with open(f, "rb") as fh:
                head = fh.read(8)
            ext = os.path.splitext(f)[1]
            need(head.startswith(magic.get(ext, b"?")), f"{r['file']}: not a {ext}")
            size = os.path.getsize(f)
            need(3_000 <= size <= 120_000, f"{r['file']}: {size} bytes")
        need(r["kind"] in ("pod", "signature", "product_photo"), f"{r['file']}: kind")
        if r["owner_kind"] == "order":
            need(r["owner_ref"] in orders, f"attachment owner order {r['owner_ref']} missing")
        else:
            need(r["owner_kind"] == "dispute" and r["owner_ref"] in dispute_ids,
                 f"attachment owner {r['owner_kind']} {r['owner_ref']} missing")
    counts["attachments"] = len(atts)

    # ---- planted values ----------------------------------------------------------------------
    alltext = "".join(v for k, v in texts.items() if not k.endswith(".md"))
    need(alltext.count(PLANTED_CARD) == 1, f"planted card appears "
         f"{alltext.count(PLANTED_CARD)} times, want 1")
    need(any(ord(ch) >= 0x1F300 for ch in alltext), "no emoji")
    for n in NON_ASCII_NAMES:
        need(n in alltext, f"name {n} missing")

    counts["disputes"] = len(disputes)
    for k in sorted(per):
        counts["  " + k] = len(per[k])
    for k, v in counts.items():
        print(f"{k}: {v}")
    if errors:
        for e in errors:
            print("FAIL:", e, file=sys.stderr)
        print(f"check_samples: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print("check_samples: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
