#!/usr/bin/python3
"""Reference implementation for `make bench`: the same evidence packet built
the way a merchant's engineer would otherwise do it, in Python 3 with
reportlab and zipfile (Debian's python3-reportlab), reading the same cbpack
store. It is not part of cbpack; it exists so that the benchmark can print
cbpack's speed as a ratio to it, measured in the same run on the same data.

usage: reference.py --db cbpack.db --out DIR [--limit N]
"""
import argparse
import hashlib
import io
import json
import os
import sqlite3
import sys
import time
import zipfile

from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
W, H = letter
M = 54


def money(minor, cur):
    return "%s %s" % (format(minor / 100.0, ",.2f"), (cur or "").upper())


def when(t):
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t)) if t else "-"


class Doc:
    def __init__(self, title, dispute_id):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=letter, pageCompression=1,
                               invariant=1)
        self.c.setTitle(title)
        self.dispute_id = dispute_id
        self.y = H - M
        self.page = 1

    def footer(self):
        self.c.setFont("Sans", 9)
        self.c.drawString(M, 30, "%s - page %d of " % (self.dispute_id, self.page))
        self.c.doForm("pgTotal")  # filled in at the end: the usual trick

    def new_page(self):
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = H - M

    def need(self, h):
        if self.y - h < M + 20:
            self.new_page()

    def heading(self, text, key):
        self.need(40)
        self.c.bookmarkPage(key)
        self.c.addOutlineEntry(text, key, 0)
        self.c.setFont("SansBold", 15)
        self.c.drawString(M, self.y - 15, text)
        self.y -= 28

    def para(self, text, size=10, indent=0):
        self.c.setFont("Sans", size)
        for line in simpleSplit(text or "", "Sans", size, W - 2 * M - indent):
            self.need(size + 3)
            self.c.drawString(M + indent, self.y - size, line)
            self.y -= size + 3
        self.y -= 4

    def row(self, cells, widths, bold=False):
        font = "SansBold" if bold else "Sans"
        self.need(14)
        self.c.setFont(font, 10)
        x = M
        for cell, w in zip(cells, widths):
            self.c.drawString(x, self.y - 10, str(cell)[: int(w / 5.5)])
            x += w
        self.y -= 14

    def finish(self):
        self.footer()
        self.c.beginForm("pgTotal")
        self.c.setFont("Sans", 9)
        self.c.drawString(0, 0, str(self.page))
        self.c.endForm()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def one(db, q, *a):
    return db.execute(q, a).fetchone()


def build(db, files_dir, d, out_dir):
    ch = one(db, "SELECT * FROM charges WHERE id = ?", d["charge_id"]) if d["charge_id"] else None
    order_id = d["order_id"] or (ch["order_id"] if ch else None)
    o = one(db, "SELECT * FROM orders WHERE id = ?", order_id) if order_id else None
    doc = Doc("Evidence for dispute %s" % d["gateway_id"], d["gateway_id"])

    doc.heading("Dispute %s" % d["gateway_id"], "cover")
    doc.para("Gateway: %s   Reason: %s (%s)" % (d["gateway"], d["reason"], d["network_reason_code"] or "-"))
    doc.para("Amount: %s   Respond by: %s" % (money(d["amount"], d["currency"]), when(d["due_by"])))
    doc.para("We ask the issuer to reverse this dispute. The order was placed and paid by the "
             "cardholder, shipped to the address given at checkout and delivered, as the "
             "carrier's records below show. The customer corresponded with us after delivery.")

    if o:
        doc.heading("Order %s" % o["order_ref"], "order")
        doc.para("Placed %s by %s <%s>" % (when(o["created_at"]), o["customer_name"] or "", o["email"] or ""))
        doc.row(["Item", "SKU", "Qty", "Price"], [250, 110, 50, 90], bold=True)
        for li in db.execute("SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (o["id"],)):
            doc.row([li["name"] or "", li["sku"] or "", li["quantity"], money(li["price"] or 0, o["currency"])],
                    [250, 110, 50, 90])
        doc.para("Total: %s" % money(o["total"] or 0, o["currency"]))
        doc.para("Ship to: %s, %s, %s %s" % (o["ship_name"], o["ship_line1"], o["ship_city"], o["ship_postal"]))

    if ch:
        doc.heading("Payment and authentication", "payment")
        for k, v in [("Charge", ch["gateway_id"]), ("Card", "%s ending %s" % (ch["card_brand"], ch["card_last4"])),
                     ("AVS", "%s / %s" % (ch["avs_line1"], ch["avs_postal"])), ("CVC", ch["cvc"]),
                     ("3-D Secure", ch["three_ds_result"]), ("IP", ch["ip"]), ("Risk", ch["risk_score"])]:
            doc.row([k, v if v is not None else "-"], [120, 380])

    if order_id:
        doc.heading("Customer communication", "conversation")
        for m in db.execute("SELECT * FROM messages WHERE order_id = ? AND is_public = 1 ORDER BY sent_at",
                            (order_id,)):
            doc.need(30)
            doc.c.setFont("SansBold", 10)
            doc.c.drawString(M, doc.y - 10, "%s (%s) - %s - %s" % (m["author"] or "", m["direction"],
                                                                   when(m["sent_at"]), m["channel"]))
            doc.y -= 14
            doc.para(m["body"], indent=10)

        doc.heading("Shipping and tracking", "shipping")
        for s in db.execute("SELECT * FROM shipments WHERE order_id = ?", (order_id,)):
            doc.para("%s %s - %s - signed by %s" % (s["carrier"], s["tracking_number"], s["status"],
                                                    s["signed_by"] or "-"))
            for e in db.execute("SELECT * FROM tracking_events WHERE shipment_id = ? ORDER BY occurred_at",
                                (s["id"],)):
                doc.row([when(e["occurred_at"]), e["status"] or "", "%s %s" % (e["city"] or "", e["state"] or ""),
                         e["message"]], [120, 90, 110, 180])

    atts = db.execute("SELECT * FROM attachments WHERE order_id = ? OR dispute_id = ?",
                      (order_id, d["id"])).fetchall()
    if atts:
        doc.heading("Proof of delivery", "images")
        for a in atts:
            if a["media_type"] not in ("image/jpeg", "image/png"):
                continue
            doc.new_page() if doc.y < H / 2 else None
            doc.c.drawImage(os.path.join(files_dir, a["path"]), M, doc.y - 300, width=400, height=300,
                            preserveAspectRatio=True)
            doc.y -= 310
            doc.para("%s: %s" % (a["kind"], a["original_name"] or ""))

    pdf = doc.finish()
    name = "".join(ch_ if ch_.isalnum() or ch_ in "._-" else "_" for ch_ in d["gateway_id"]) + ".zip"
    tmp = os.path.join(out_dir, ".tmp-" + name)
    manifest = {"dispute": d["gateway_id"], "files": [
        {"name": "evidence.pdf", "bytes": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest()}]}
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("evidence.pdf", pdf)
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
    os.rename(tmp, os.path.join(out_dir, name))
    return doc.page


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    pdfmetrics.registerFont(TTFont("Sans", FONT))
    pdfmetrics.registerFont(TTFont("SansBold", FONT_BOLD))
    os.makedirs(a.out, exist_ok=True)
    db = sqlite3.connect(a.db)
    db.row_factory = sqlite3.Row
    files_dir = a.db + ".files"
    q = "SELECT * FROM disputes WHERE is_open = 1 ORDER BY due_by"
    if a.limit:
        q += " LIMIT %d" % a.limit
    t0 = time.monotonic()
    n = pages = 0
    for d in db.execute(q).fetchall():
        pages += build(db, files_dir, d, a.out)
        n += 1
    dt = time.monotonic() - t0
    print(json.dumps({"packets": n, "pages": pages, "seconds": round(dt, 3),
                      "packets_per_s": round(n / dt, 2) if dt else 0}))


if __name__ == "__main__":
    sys.exit(main())
