#!/usr/bin/python3
"""Benchmark data for cbpack, in the same real export formats as samples/.

  gen.py --disputes N --out DIR [--seed S]
      N open Stripe disputes, each with its Shopify order, Stripe charge, EasyPost tracker
      (ten scans), 40-80 chat messages and one delivery photo:
        DIR/shopify_orders.csv       Shopify 79-column orders export (1-3 rows per order)
        DIR/stripe_charges.ndjson    Stripe Charge objects (metadata.order_id, shipping with
                                     the tracking number, card checks, 3DS, outcome, refunds)
        DIR/stripe_disputes.ndjson   Stripe Dispute objects, charge by id, due in the future
        DIR/easypost_trackers.ndjson EasyPost Tracker objects
        DIR/messages.ndjson          generic message records (cbpack "messages" format)
        DIR/policies.csv             refund/shipping/cancellation/terms policies
        DIR/attachments.csv          owner_kind,owner_ref,file,kind -> files/pod_NNNNNNN.jpg
        DIR/files/                   a few distinct 640x480 JPEGs, hard-linked once per dispute
  gen.py --orders-only N --out DIR [--seed S]
      DIR/shopify_orders.csv with exactly N order rows (for the large import benchmark).

Streaming: memory stays flat whatever N is. Deterministic for a seed: the same arguments give
the same bytes. All times are relative to "now" = 2026-11-23 00:00 UTC, so every dispute is
open with a due date 1-20 days ahead. Needs Python 3.9+; Pillow (python3-pil) for the photos.
"""

import argparse
import base64
import datetime as dt
import os
import random
import sys
import time
from zoneinfo import ZoneInfo

NOW = 1795392000                      # 2026-11-23T00:00:00Z
DAY = 86400
SHOP_TZ = ZoneInfo("America/Los_Angeles")
UTC = dt.timezone.utc
ACCT = "BnC4mKr8Qz"                   # the account part of this merchant's Stripe ids
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

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
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References")

PRODUCTS = [  # name, sku, price in cents
    ("Trailhead Fleece Jacket - M / Forest", "NW-FJ-FOR-M", 8900),
    ("Trailhead Fleece Jacket - L / Slate", "NW-FJ-SLT-L", 8900),
    ("Ridgeline Rain Shell - M / Slate", "NW-RS-SLT-M", 14900),
    ("Ridgeline Rain Shell - S / Ember", "NW-RS-EMB-S", 14900),
    ("Merino Crew Socks 3-Pack - M", "NW-SK-3P-M", 2400),
    ("Canvas Field Tote - Natural", "NW-TT-NAT", 4800),
    ("Harbor Knit Beanie - Charcoal", "NW-BN-CHR", 2800),
    ("Summit Down Vest - S / Black", "NW-DV-BLK-S", 12900),
    ("Everyday Chino - 32x30 / Khaki", "NW-CH-KHK-3230", 6800),
    ("Flannel Overshirt - XL / Red Plaid", "NW-FL-RED-XL", 7400),
    ("Leather Card Wallet - Tan", "NW-WL-TAN", 3900),
    ("Alpine Wool Scarf - Oatmeal", "NW-SC-OAT", 4500),
    ("Waxed Canvas Backpack - Olive", "NW-BP-OLV", 16500),
    ("Wool Hiking Socks 2-Pack - L", "NW-HS-2P-L", 2200),
    ("Packable Puffer Jacket - M / Navy", "NW-PJ-NVY-M", 13900),
    ("Corduroy Cap - Rust", "NW-CC-RST", 3200),
]
FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
         "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
         "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
         "Mark", "Sandra", "Zoë", "José", "François", "Hương", "Søren", "Chloé", "Łukasz",
         "Renée", "Björn", "Ana", "Wei", "Priya", "Aisha", "Mateo", "Noah", "Olivia", "Liam"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
        "O'Connor", "Muñoz", "Ångström", "Nguyễn", "Lefèvre", "Øberg", "Kowalski", "Patel",
        "Kim", "Okafor", "Schultz", "Dubois", "Novák", "Yılmaz", "Fernández", "Clark"]
STREETS = ["Main St", "Oak Ave", "Pine St", "Maple Ave", "Cedar Rd", "Elm St", "Washington Blvd",
           "Lake Shore Dr", "Park Ave", "Sunset Blvd", "Broadway", "Market St", "Church St",
           "Highland Ave", "River Rd", "Mill St", "Chestnut St", "Forest Dr", "Beacon St"]
CITIES = [  # city, state, zip prefix (3 digits), state name, tax basis points
    ("Boston", "MA", "021", "Massachusetts", 625), ("Newark", "NJ", "071", "New Jersey", 663),
    ("Portland", "ME", "041", "Maine", 550), ("Hartford", "CT", "061", "Connecticut", 635),
    ("Atlanta", "GA", "303", "Georgia", 400), ("Columbus", "OH", "432", "Ohio", 575),
    ("Chicago", "IL", "606", "Illinois", 625), ("Austin", "TX", "787", "Texas", 625),
    ("Denver", "CO", "802", "Colorado", 290), ("Phoenix", "AZ", "850", "Arizona", 560),
    ("Seattle", "WA", "981", "Washington", 650), ("San Francisco", "CA", "941", "California",
                                                  725),
    ("Miami", "FL", "331", "Florida", 700), ("Nashville", "TN", "372", "Tennessee", 700),
    ("Minneapolis", "MN", "554", "Minnesota", 688), ("Portland", "OR", "972", "Oregon", 0),
    ("Philadelphia", "PA", "191", "Pennsylvania", 600), ("Burlington", "VT", "054",
                                                         "Vermont", 600),
]
HUBS = [("TROUTDALE", "OR", "97060"), ("SACRAMENTO", "CA", "95813"),
        ("SALT LAKE CITY", "UT", "84199"), ("DENVER", "CO", "80266"),
        ("KANSAS CITY", "MO", "64121"), ("CHICAGO", "IL", "60607"),
        ("MEMPHIS", "TN", "38101"), ("DALLAS", "TX", "75260")]

# reason, network, network code, share (percent)
REASONS = [("fraudulent", "visa", "10.4", 30), ("product_not_received", "visa", "13.1", 22),
           ("product_unacceptable", "mastercard", "4853", 14),
           ("credit_not_processed", "visa", "13.6", 10), ("general", "mastercard", "4831", 10),
           ("subscription_canceled", "visa", "13.2", 6), ("duplicate", "visa", "12.6.1", 5),
           ("fraudulent", "amex", "F29", 3)]
REASON_TABLE = [r for r in REASONS for _ in range(r[3])]

WORDS = (
    "the a my your our order package parcel box jacket shell vest socks scarf tote size "
    "colour color fit small large medium return refund exchange label tracking number "
    "delivered delivery arrived received never still yet today yesterday tomorrow week "
    "monday friday weekend porch door mailbox neighbour building office front back side "
    "please thanks thank you hi hello sorry again soon quickly asap just really very so "
    "can could would should will did does is was were are be been have has had not no yes "
    "ok okay fine great love perfect wrong different blue grey green darker lighter sleeves "
    "too short long tight loose photo picture website listing product page chart policy "
    "days window within free prepaid post usps ups fedex carrier driver signature signed "
    "address street zip apartment unit bank card charge charged twice amount total shipping "
    "express standard tax discount code email account login subscription cancel cancelled "
    "renewal billing month help issue problem update check checked looking into it we i "
    "he she they them that this there here when where why how what which who about for with "
    "from to of in on at by as and or but if then because after before until while since "
    "gift birthday wrapped wrap receipt invoice confirmation reference ticket case claim "
    "trace investigate investigation escalate manager supervisor team warehouse shipped "
    "ship sent send sending resend replacement replace credit statement pending processed "
    "processing business hours morning afternoon evening call phone text message reply "
    "answer waiting waited wait frustrated disappointed happy glad appreciate understand "
    "unfortunately actually honestly absolutely definitely maybe probably already also only"
    .split())
WORDS_INTL = ("café naïve façade jalapeño résumé déjà Zürich São Ångström smörgåsbord crème "
              "brûlée piñata über garçon Øresund München Kraków Hà Nội merci gracias danke "
              "cảm ơn").split()
OPENERS = {
    '"customer"': ["Hi, my order still hasn't arrived.", "The jacket I got is the wrong size.",
                   "I was charged twice for this.", "Where is my refund?",
                   "I cancelled this subscription last month.", "Can you check my tracking?",
                   "This is not what the photos showed.", "Thanks, that helps.",
                   "I never received anything.", "Ok, I will check with my neighbours."],
    '"merchant"': ["Thanks for reaching out, I'm sorry about the trouble.",
                   "I've checked the tracking for you.", "Our records show it was delivered.",
                   "I've emailed you a prepaid return label.",
                   "The refund was issued to your original payment method.",
                   "Happy to help with an exchange.", "Let me look into this right away.",
                   "Could you send a photo of the item?"],
}

POLICIES = [
    ("refund", "Returns & Refunds", "Unworn items can be returned within 30 days of "
     "delivery with the prepaid label included in every order.\nRefunds are issued to the "
     "original payment method the day the return is checked in.",
     "Linked in the footer and shown at checkout with a required checkbox."),
    ("shipping", "Shipping Policy", "Orders ship within one business day from Portland, OR. "
     "Standard 3-5 business days, Express 2 business days.\nTracking is emailed when the "
     "label is printed.", "Shown on the cart page and at the shipping step of checkout."),
    ("cancellation", "Subscription Terms", "Subscriptions renew monthly until cancelled. "
     "Cancel any time before the billing date from Account > Subscriptions.",
     "Required checkbox in the subscription checkout; reminder email 3 days before renewal."),
    ("terms", "Terms of Service", "By placing an order you confirm you are authorised to use "
     "the payment method provided.", "Accepted with a required checkbox at checkout."),
]


def b62(n, width):
    s = []
    for _ in range(width):
        n, r = divmod(n, 62)
        s.append(B62[r])
    return "".join(reversed(s))


def money(c):
    return "%d.%02d" % divmod(c, 100)


PRICE_TEXT = {p[2]: money(p[2]) for p in PRODUCTS}


def csvq(v):
    if any(ch in v for ch in ',"\n\r'):
        return '"' + v.replace('"', '""') + '"'
    return v


class Clock:
    """Fast time formatting: one zoneinfo/strftime call per hour, not per timestamp."""

    def __init__(self):
        self.shop, self.utc = {}, {}

    def shopify(self, t):                 # "2026-10-05 09:14:07 -0700"
        h = t // 3600
        p = self.shop.get(h)
        if p is None:
            d = dt.datetime.fromtimestamp(h * 3600, SHOP_TZ)
            p = self.shop[h] = (d.strftime("%Y-%m-%d %H:"), d.strftime(" %z"))
        m, s = divmod(t % 3600, 60)
        return "%s%02d:%02d%s" % (p[0], m, s, p[1])

    def iso(self, t):                     # "2026-10-05T16:14:07Z"
        h = t // 3600
        p = self.utc.get(h)
        if p is None:
            p = self.utc[h] = dt.datetime.fromtimestamp(h * 3600, UTC).strftime("%Y-%m-%dT%H:")
        m, s = divmod(t % 3600, 60)
        return "%s%02d:%02dZ" % (p, m, s)


def usps_number(i):
    body = "9400111899" + "%011d" % (i * 7919 % 10**11)
    tot = sum(int(c) * (3 if k % 2 == 0 else 1) for k, c in enumerate(reversed(body)))
    return body + str((10 - tot % 10) % 10)


# --------------------------------------------------------------------------------------------
# customers: a fixed pool, each with its CSV-ready Shopify address block


class Customer:
    __slots__ = ("name", "email", "phone", "line1", "line2", "city", "state", "zip",
                 "state_name", "tax", "ip", "fingerprint", "last4", "brand", "block", "cus")


def make_customers(rng, n):
    pool = []
    for i in range(n):
        c = Customer()
        first, last = rng.choice(FIRST), rng.choice(LAST)
        c.name = f"{first} {last}"
        c.email = "%s.%s%d@%s" % (
            first.lower().encode("ascii", "ignore").decode() or "user",
            last.lower().replace("'", "").encode("ascii", "ignore").decode() or "x", i,
            rng.choice(["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me"]))
        city, st, zp, stname, tax = rng.choice(CITIES)
        c.city, c.state, c.state_name, c.tax = city, st, stname, tax
        c.zip = zp + "%02d" % rng.randint(1, 99)
        c.line1 = "%d %s" % (rng.randint(1, 9999), rng.choice(STREETS))
        c.line2 = rng.choice(["", "", "", "Apt %d" % rng.randint(1, 40), "Unit %dB"
                              % rng.randint(1, 9)])
        c.phone = "+1%03d555%04d" % (rng.randint(201, 989), rng.randint(100, 199))
        c.ip = "%d.%d.%d.%d" % (rng.randint(24, 199), rng.randint(0, 255), rng.randint(0, 255),
                                rng.randint(1, 254))
        c.fingerprint = b62(rng.getrandbits(95), 16)
        c.brand = rng.choice(["visa", "visa", "visa", "mastercard", "mastercard", "amex"])
        c.last4 = "%04d" % rng.randint(0, 9999)
        c.cus = "cus_" + b62(rng.getrandbits(83), 14)
        street = c.line1 + (", " + c.line2 if c.line2 else "")
        a = ",".join(csvq(x) for x in (c.name, street, c.line1, c.line2, "", c.city,
                                       "'" + c.zip, c.state, "US", c.phone))
        c.block = a + "," + a           # billing block then shipping block
        pool.append(c)
    return pool


# --------------------------------------------------------------------------------------------
# Shopify rows

def shopify_order_rows(rng, clock, num, shop_id, c, created, lines, fulfilled, pay_id, risk):
    """The CSV rows (strings) of one order: first row with the order fields, then lines."""
    sub = sum(p[2] * q for p, q in lines)
    ship_m, ship = ("Free Shipping", 0) if sub >= 10000 else (
        "Standard Shipping (3-5 business days)", 795)
    tax = (sub * c.tax + 5000) // 10000
    total = sub + ship + tax
    name = "#%d" % num
    cr = clock.shopify(created)
    ful = clock.shopify(fulfilled) if fulfilled else ""
    lstat = "fulfilled" if fulfilled else "pending"
    (pn, sku, price), q = lines[0]
    notes = '"IP address: %s\nlanding_page: /collections/%s"' % (
        c.ip, "outerwear" if num % 2 else "new")
    taxcols = ("%s State Tax,%s" % (c.state_name, money(tax))) if tax else ","
    first = (
        f"{name},{c.email},paid,{clock.shopify(created + 3)},"
        f"{'fulfilled' if fulfilled else 'unfulfilled'},{ful},no,USD,{money(sub)},"
        f"{money(ship)},{money(tax)},{money(total)},,0.00,{ship_m},{cr},{q},{pn},"
        f"{PRICE_TEXT[price]},,{sku},true,true,{lstat},{c.block},\"\",{notes},,Stripe,"
        f"{name}.1,0.00,Northwind Outfitters,0.00,,,,{shop_id},\"\",{risk},web,0.00,"
        f"{taxcols},,,,,,,,,{c.phone},,,{c.state_name},{c.state_name},{pay_id},,,{name}.1")
    rows = [first]
    for (pn, sku, price), q in lines[1:]:
        rows.append(f"{name},{c.email},,,,,,,,,,,,,,{cr},{q},{pn},{PRICE_TEXT[price]},\"\",{sku},"
                    f"true,true,{lstat},,,,,,,,,,,,,,,,,,,,,,,,,,,Northwind Outfitters,,,,,,,,,"
                    "0.00,,,,,,,,,,,,,,,,,,,")
    return rows, total


LINE_COUNTS = (1, 1, 1, 2, 2, 3, 1, 2)
QTYS = (1, 1, 1, 2)


def pick_lines(rng):
    """1-3 (product, quantity) pairs from one random draw: this runs a million times."""
    r = rng.getrandbits(21)
    n = LINE_COUNTS[r & 7]
    r >>= 3
    out = []
    for _ in range(n):
        out.append((PRODUCTS[r & 15], QTYS[(r >> 4) & 3]))
        r >>= 6
    return out


def token(rng):
    """A 25-character opaque token like Shopify's Payment ID ('r' + 24 url-safe chars)."""
    return "r" + base64.b64encode(rng.randbytes(18), b"xZ").decode()


# --------------------------------------------------------------------------------------------
# orders-only mode


def orders_only(n_rows, out, seed):
    rng = random.Random(seed)
    clock = Clock()
    pool = make_customers(rng, 5000)
    path = os.path.join(out, "shopify_orders.csv")
    tmp = path + ".tmp"
    written = 0
    num = 100001
    shop_id = 5800000000000
    # spread the orders over the two years before now, oldest first
    t = NOW - 730 * DAY
    step = max(1, (729 * DAY) // max(1, n_rows))
    with open(tmp, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        f.write(SHOPIFY_HEADER + "\n")
        chunk = []
        while written < n_rows:
            c = pool[rng.randrange(len(pool))]
            lines = pick_lines(rng)
            t += rng.randint(1, 2 * step)
            ful = t + rng.randint(20, 50) * 3600 if t < NOW - 5 * DAY else None
            shop_id += rng.randint(1, 2000)
            rows, _total = shopify_order_rows(rng, clock, num, shop_id, c, t, lines, ful,
                                              token(rng), "Low")
            rows = rows[: n_rows - written]
            chunk.extend(rows)
            written += len(rows)
            num += 1
            if len(chunk) >= 20000:
                f.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            f.write("\n".join(chunk) + "\n")
    os.replace(tmp, path)
    return {"order rows": written, "orders": num - 100001, "bytes": os.path.getsize(path)}


# --------------------------------------------------------------------------------------------
# photos


def make_photos(fdir, seed, count=6):
    """A handful of distinct 640x480 delivery photos (~30 KB); returns their paths."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
    r = random.Random(seed * 31 + 7)
    try:
        big = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 30)
        small = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 16)
    except OSError:
        big = small = ImageFont.load_default()
    paths = []
    for k in range(count):
        w, h = 640, 480
        top = tuple(r.randint(150, 225) for _ in range(3))
        bot = tuple(max(0, v - r.randint(25, 60)) for v in top)
        mask = Image.linear_gradient("L").resize((w, h))
        img = Image.composite(Image.new("RGB", (w, h), bot), Image.new("RGB", (w, h), top), mask)
        d = ImageDraw.Draw(img)
        for y in range(16, 300, 18):
            d.line([(0, y), (w, y)], fill=tuple(max(0, v - 20) for v in bot), width=2)
        d.rectangle((380, 50, 550, 305), fill=(60 + 10 * k, 44, 36))
        floor = tuple(r.randint(90, 150) for _ in range(3))
        d.rectangle((0, 300, w, h), fill=floor)
        for x in range(-300, w + 300, 56):
            d.line([(x, h), (x // 2 + 160, 300)], fill=tuple(v - 30 for v in floor), width=2)
        bx, by = 120 + r.randint(-40, 60), 250
        d.polygon([(bx, by), (bx + 190, by), (bx + 190, by + 120), (bx, by + 120)],
                  fill=(176, 130, 84))
        d.polygon([(bx, by), (bx + 50, by - 38), (bx + 240, by - 38), (bx + 190, by)],
                  fill=(201, 155, 104))
        d.polygon([(bx + 190, by), (bx + 240, by - 38), (bx + 240, by + 82), (bx + 190, by + 120)],
                  fill=(142, 102, 64))
        d.rectangle((bx + 90, by, bx + 102, by + 120), fill=(205, 186, 150))
        d.rectangle((bx + 16, by + 24, bx + 80, by + 76), fill=(245, 245, 240))
        img = img.filter(ImageFilter.GaussianBlur(1.0))
        n = Image.frombytes("L", (w // 2, h // 2), r.randbytes((w // 2) * (h // 2)))
        n = n.resize((w, h), Image.BILINEAR)
        img = Image.blend(img, Image.merge("RGB", (n, n, n)), 0.06)
        d = ImageDraw.Draw(img, "RGBA")
        d.rectangle((0, h - 72, w, h), fill=(0, 0, 0, 170))
        d.text((18, h - 66), "DELIVERED", font=big, fill=(255, 255, 255))
        d.text((18, h - 28), "Left at front door - photo %d" % (k + 1), font=small,
               fill=(235, 235, 235))
        p = os.path.join(fdir, "base_%d.jpg" % k)
        img.save(p, "JPEG", quality=70, optimize=True)
        paths.append(p)
    return paths


def place_photo(src, dst):
    try:
        os.unlink(dst)
    except FileNotFoundError:
        pass
    try:
        os.link(src, dst)
    except OSError:                       # no hard links on this filesystem: copy
        with open(src, "rb") as a, open(dst, "wb") as b:
            b.write(a.read())


# --------------------------------------------------------------------------------------------
# disputes mode

EVIDENCE_NULL = (
    '{"access_activity_log":null,"billing_address":null,"cancellation_policy":null,'
    '"cancellation_policy_disclosure":null,"cancellation_rebuttal":null,'
    '"customer_communication":null,"customer_email_address":null,"customer_name":null,'
    '"customer_purchase_ip":null,"customer_signature":null,"duplicate_charge_documentation":null,'
    '"duplicate_charge_explanation":null,"duplicate_charge_id":null,"product_description":null,'
    '"receipt":null,"refund_policy":null,"refund_policy_disclosure":null,'
    '"refund_refusal_explanation":null,"service_date":null,"service_documentation":null,'
    '"shipping_address":null,"shipping_carrier":null,"shipping_date":null,'
    '"shipping_documentation":null,"shipping_tracking_number":null,"uncategorized_file":null,'
    '"uncategorized_text":null,"enhanced_evidence":{}}')


def jstr(s):
    """JSON string for text that may hold quotes (names like O'Connor need none)."""
    if '"' in s or "\\" in s:
        s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s + '"'


def addr_json(c):
    return ('{"city":%s,"country":"US","line1":%s,"line2":%s,"postal_code":"%s","state":"%s"}'
            % (jstr(c.city), jstr(c.line1), jstr(c.line2) if c.line2 else "null", c.zip,
               c.state))


def charge_json(rng, c, chid, order_ref, amount, created, tracking, reason, refund_at):
    three_ds = "null"
    if reason == "fraudulent" and rng.random() < 0.6 or rng.random() < 0.15:
        three_ds = ('{"authentication_flow":"%s","electronic_commerce_indicator":"05",'
                    '"exemption_indicator":null,"result":"authenticated","result_reason":null,'
                    '"transaction_id":"%s","version":"2.2.0"}'
                    % (rng.choice(("challenge", "frictionless")), b62(rng.getrandbits(190), 32)))
    avs = "pass" if rng.random() < 0.9 else "fail"
    refunded, refunds = 0, "[]"
    if refund_at:
        refunded = amount
        refunds = ('[{"id":"re_3S%s%s","object":"refund","amount":%d,"charge":"%s",'
                   '"created":%d,"currency":"usd","reason":"requested_by_customer",'
                   '"status":"succeeded"}]' % (b62(rng.getrandbits(90), 4), ACCT + b62(
                       rng.getrandbits(48), 8), amount, chid, refund_at))
    risk = rng.randint(3, 70)
    return (
        '{"id":"%s","object":"charge","amount":%d,"amount_captured":%d,"amount_refunded":%d,'
        '"billing_details":{"address":%s,"email":%s,"name":%s,"phone":"%s"},'
        '"captured":true,"created":%d,"currency":"usd","customer":"%s",'
        '"description":"Order %s","disputed":true,"livemode":true,'
        '"metadata":{"order_id":"%s","customer_ip":"%s"},'
        '"outcome":{"network_status":"approved_by_network","reason":null,"risk_level":"%s",'
        '"risk_score":%d,"seller_message":"Payment complete.","type":"authorized"},'
        '"paid":true,"payment_intent":"pi%s",'
        '"payment_method_details":{"card":{"brand":"%s","checks":{"address_line1_check":"%s",'
        '"address_postal_code_check":"pass","cvc_check":"pass"},"country":"US","exp_month":%d,'
        '"exp_year":%d,"fingerprint":"%s","funding":"credit","last4":"%s","network":"%s",'
        '"three_d_secure":%s,"wallet":null},"type":"card"},'
        '"receipt_email":%s,"refunded":%s,"refunds":{"object":"list","data":%s,'
        '"has_more":false,"url":"/v1/charges/%s/refunds"},'
        '"shipping":{"address":%s,"carrier":"USPS","name":%s,"phone":"%s",'
        '"tracking_number":"%s"},"status":"succeeded"}\n'
        % (chid, amount, amount, refunded, addr_json(c), jstr(c.email), jstr(c.name), c.phone,
           created, c.cus, order_ref, order_ref, c.ip, "elevated" if risk > 65 else "normal",
           risk, chid[2:], c.brand, avs, rng.randint(1, 12), rng.randint(2027, 2031),
           c.fingerprint, c.last4, c.brand, three_ds, jstr(c.email),
           "true" if refund_at else "false", refunds, chid, addr_json(c), jstr(c.name),
           c.phone, tracking))


def tracker_json(rng, clock, c, tracking, shipped):
    """An EasyPost Tracker with exactly ten scans, delivered at the customer's zip."""
    hubs = rng.sample(HUBS, 4)
    ev = [("pre_transit", "Shipping Label Created, USPS Awaiting Item", shipped - 3 * 3600,
           None),
          ("in_transit", "Accepted at USPS Origin Facility", shipped, ("PORTLAND", "OR",
                                                                      "97217"))]
    t = shipped
    for k, hub in enumerate(hubs):
        t += rng.randint(6, 14) * 3600
        ev.append(("in_transit", "Arrived at Facility" if k % 2 == 0 else "Departed Facility",
                   t, hub))
    t += rng.randint(6, 12) * 3600
    ev.append(("in_transit", "In Transit to Next Facility", t, None))
    dest = (c.city.upper(), c.state, c.zip)
    t += rng.randint(8, 16) * 3600
    ev.append(("in_transit", "Arrived at Post Office", t, dest))
    t += rng.randint(3, 6) * 3600
    ev.append(("out_for_delivery", "Out for Delivery", t, dest))
    t += rng.randint(2, 7) * 3600
    ev.append(("delivered", rng.choice(("Delivered, Front Door/Porch",
                                        "Delivered, In/At Mailbox",
                                        "Delivered, Left with Individual")), t, dest))
    sub = {"pre_transit": "status_update", "in_transit": "arrived_at_facility",
           "out_for_delivery": "out_for_delivery", "delivered": "arrived_at_destination"}
    det = []
    for st, msg, when, loc in ev:
        if loc:
            tl = ('{"object":"TrackingLocation","city":%s,"state":"%s","country":"US","zip":"%s"}'
                  % (jstr(loc[0]), loc[1], loc[2]))
        else:
            tl = '{"object":"TrackingLocation","city":null,"state":null,"country":null,"zip":null}'
        det.append('{"object":"TrackingDetail","message":"%s","description":null,"status":"%s",'
                   '"status_detail":"%s","datetime":"%s","source":"USPS","carrier_code":null,'
                   '"tracking_location":%s}' % (msg, st, sub[st], clock.iso(when), tl))
    signed = jstr(c.name.split()[-1].upper()) if "Individual" in ev[-1][1] else "null"
    return ('{"id":"trk_%s","object":"Tracker","mode":"production","tracking_code":"%s",'
            '"carrier":"USPS","status":"delivered","status_detail":"arrived_at_destination",'
            '"created_at":"%s","updated_at":"%s","signed_by":%s,"weight":null,'
            '"est_delivery_date":"%s","shipment_id":"shp_%s","tracking_details":[%s],'
            '"carrier_detail":{"object":"CarrierDetail","service":"Priority Mail",'
            '"origin_location":"PORTLAND OR, 97217","destination_location":%s,'
            '"initial_delivery_attempt":"%s"},"finalized":true,"is_return":false,'
            '"public_url":"https://track.easypost.com/djE6dHJrXz%s","fees":[]}\n'
            % ("%032x" % rng.getrandbits(128), tracking, clock.iso(ev[0][2]),
               clock.iso(t + 120), signed, clock.iso(t), "%032x" % rng.getrandbits(128),
               ",".join(det), jstr("%s %s, %s" % (c.city.upper(), c.state, c.zip)),
               clock.iso(t), b62(rng.getrandbits(160), 28)), t)


AGENTS = ["Dana Reyes", "Sam Whitfield", "Priya Shah", "Marco Bianchi"]
CHANNELS = ["chat", "email", "instagram", "chat", "email"]


def messages_json(rng, clock, c, order_ref, thread, start, end, idx):
    """40-80 messages between the customer and the shop, start..end, mixed directions."""
    n = rng.randint(40, 80)
    chan = CHANNELS[idx % len(CHANNELS)]
    agent = AGENTS[idx % len(AGENTS)]
    span = max(n, end - start)
    gap = span // n
    t = start
    out = []
    choices, randint, rand = rng.choices, rng.randint, rng.random
    cust = jstr(c.name)
    email = jstr(c.email)
    who = '"customer"'
    for k in range(1, n + 1):
        t += randint(60, max(61, 2 * gap - 60))
        if rand() < 0.55:
            who = '"merchant"' if who == '"customer"' else '"customer"'
        nw = randint(6, 40)
        opener = choices(OPENERS[who])[0]
        words = choices(WORDS, k=max(1, nw - opener.count(" ") - 1))
        if rand() < 0.12:
            words[randint(0, len(words) - 1)] = choices(WORDS_INTL)[0]
        if rand() < 0.002 and nw >= 20:   # a pasted card number, for the redaction path
            words[-11:] = "my card is 4242 4242 4242 4242 if you need it".split()
        body = opener + " " + " ".join(words) + "."
        out.append('{"message_id":"%s-%03d","ticket_id":"%s","order_number":"%s","email":%s,'
                   '"channel":"%s","direction":%s,"author":%s,"sent_at":"%s","body":"%s"}'
                   % (thread, k, thread, order_ref, email, chan, who,
                      cust if who == '"customer"' else '"' + agent + '"', clock.iso(t), body))
    return "\n".join(out) + "\n", n


def disputes_mode(n, out, seed):
    rng = random.Random(seed)
    clock = Clock()
    pool = make_customers(rng, max(50, min(20000, n)))
    fdir = os.path.join(out, "files")
    os.makedirs(fdir, exist_ok=True)
    photos = make_photos(fdir, seed)
    names = ["shopify_orders.csv", "stripe_charges.ndjson", "stripe_disputes.ndjson",
             "easypost_trackers.ndjson", "messages.ndjson", "attachments.csv"]
    files = [open(os.path.join(out, x + ".tmp"), "w", encoding="utf-8", newline="",
                  buffering=1 << 20) for x in names]
    f_ord, f_ch, f_dp, f_trk, f_msg, f_att = files
    f_ord.write(SHOPIFY_HEADER + "\n")
    f_att.write("owner_kind,owner_ref,file,kind\n")
    stats = {"disputes": n, "orders": 0, "order rows": 0, "charges": 0, "trackers": 0,
             "tracking events": 0, "messages": 0, "photos (files)": n,
             "distinct photos": len(photos)}
    num, shop_id = 200001, 6100000000000
    for i in range(n):
        c = pool[rng.randrange(len(pool))]
        reason, network, code, _share = REASON_TABLE[rng.randrange(len(REASON_TABLE))]
        opened = NOW - rng.randint(1, 19) * DAY - rng.randint(0, DAY - 1)
        due = NOW + rng.randint(1, 20) * DAY + DAY - 1 - (NOW % DAY)
        created = opened - rng.randint(20, 75) * DAY - rng.randint(0, DAY - 1)
        orders = [(created, None)]
        if reason == "duplicate":          # the other, separate order of the same amount
            orders.insert(0, (created - rng.randint(600, 7200), "first"))
        lines = pick_lines(rng)
        for when, kind in orders:
            shop_id += rng.randint(1, 5000)
            ref = "#%d" % num
            chid = "ch_3S%s%s%s" % (b62(i * 2 + (kind == "first"), 4), ACCT,
                                    b62(rng.getrandbits(48), 8))
            ful = when + rng.randint(18, 44) * 3600
            tracking = usps_number(i * 2 + (kind == "first"))
            rows, total = shopify_order_rows(rng, clock, num, shop_id, c, when, lines, ful,
                                             token(rng),
                                             "Low" if rng.random() < 0.85 else "Medium")
            f_ord.write("\n".join(rows) + "\n")
            stats["orders"] += 1
            stats["order rows"] += len(rows)
            refund_at = ful + rng.randint(12, 25) * DAY if reason == "credit_not_processed" \
                else None
            f_ch.write(charge_json(rng, c, chid, ref, total, when + 4, tracking, reason,
                                   refund_at))
            if kind == "first":
                first_chid = chid
            stats["charges"] += 1
            trk, delivered = tracker_json(rng, clock, c, tracking, ful + 2 * 3600)
            f_trk.write(trk)
            stats["trackers"] += 1
            stats["tracking events"] += 10
            num += 1
        dpid = "dp_1S%s%s%s" % (b62(i, 4), ACCT, b62(rng.getrandbits(48), 8))
        case = "inquiry" if rng.random() < 0.08 else "chargeback"
        status = "warning_needs_response" if case == "inquiry" else "needs_response"
        evidence = EVIDENCE_NULL
        if reason == "duplicate":
            evidence = evidence.replace('"duplicate_charge_id":null',
                                        '"duplicate_charge_id":"%s"' % first_chid)
        f_dp.write(
            '{"id":"%s","object":"dispute","amount":%d,"balance_transactions":[],"charge":"%s",'
            '"created":%d,"currency":"usd","enhanced_eligibility_types":%s,"evidence":%s,'
            '"evidence_details":{"due_by":%d,"enhanced_eligibility":{},"has_evidence":false,'
            '"past_due":false,"submission_count":0,"submission_method":"not_submitted"},'
            '"is_charge_refundable":false,"livemode":true,"metadata":{},'
            '"network_reason_code":"%s","payment_intent":"pi%s",'
            '"payment_method_details":{"card":{"brand":"%s","case_type":"%s",'
            '"network_reason_code":"%s"},"type":"card"},"reason":"%s","status":"%s"}\n'
            % (dpid, total, chid, opened,
               '["visa_compelling_evidence_3"]' if code == "10.4" else "[]", evidence, due,
               code, chid[2:], network, case, code, reason, status))
        thread = "chat_%07d" % (i + 1)
        body, m = messages_json(rng, clock, c, ref, thread, created + 3600, opened, i)
        f_msg.write(body)
        stats["messages"] += m
        photo = "files/pod_%07d.jpg" % (i + 1)
        place_photo(photos[i % len(photos)], os.path.join(out, photo))
        f_att.write("dispute,%s,%s,%s\n" % (dpid, photo, "pod" if i % 4 else "product_photo"))
    for f in files:
        f.close()
    for x in names:
        os.replace(os.path.join(out, x + ".tmp"), os.path.join(out, x))
    with open(os.path.join(out, "policies.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("kind,title,body,disclosure\r\n")
        for row in POLICIES:
            f.write(",".join(csvq(v) for v in row) + "\r\n")
    return stats


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--disputes", type=int, metavar="N", help="N disputes with everything")
    g.add_argument("--orders-only", type=int, metavar="N", help="a Shopify CSV of N order rows")
    ap.add_argument("--out", required=True, metavar="DIR")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    n = a.disputes if a.disputes is not None else a.orders_only
    if n < 1:
        ap.error("N must be at least 1")
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    if a.disputes is not None:
        stats = disputes_mode(n, a.out, a.seed)
    else:
        stats = orders_only(n, a.out, a.seed)
    print("gen.py: %s in %.1fs: %s" % (a.out, time.time() - t0,
                                       ", ".join("%s %s" % (v, k) for k, v in stats.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
