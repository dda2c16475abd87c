#!/usr/bin/python3
"""Write the cbpack sample data set into samples/ (see SAMPLES.md and samples/README.md).

One merchant, Northwind Outfitters (US apparel and accessories, shop in Portland, OR), thirty
orders #1001..#1030 and fourteen disputes, written in the real export formats the importers read:
Shopify's 79-column orders CSV, Stripe API JSON, PayPal Disputes API JSON, EasyPost and AfterShip
trackers, Zendesk tickets, chat logs and the generic CSVs. Every value is made up here; nothing is
copied from a real shop. The output is byte-for-byte deterministic: a fixed seed drives every
random choice, and all times are fixed relative to "now" = 2026-11-23 00:00 UTC.

usage: /usr/bin/python3 scripts/gen_samples.py [OUTDIR]   (default: samples/ next to scripts/)
Needs Python 3.9+ (zoneinfo) and Pillow (Debian: python3-pil) for the images.
"""

import csv
import datetime as dt
import io
import json
import os
import random
import shutil
import sys
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFilter, ImageFont

NOW = 1795392000                      # 2026-11-23T00:00:00Z, SOURCE_DATE_EPOCH for samples
SEED = 20261123
SHOP_TZ = ZoneInfo("America/Los_Angeles")
UTC = dt.timezone.utc
MERCHANT = "Northwind Outfitters"
SUPPORT_EMAIL = "support@northwindoutfitters.com"
STRIPE_ACCT = "NwO7uTf2Lk"            # the account part every Stripe id of this merchant shares
PAYPAL_MERCHANT_ID = "7QW4ZJX2KLM8N"

rng = random.Random(SEED)

# --------------------------------------------------------------------------------------------
# time and money helpers


def local(s, tz=SHOP_TZ):
    """'2026-10-05 09:14[:07]' in `tz` -> Unix seconds."""
    fmt = "%Y-%m-%d %H:%M:%S" if s.count(":") == 2 else "%Y-%m-%d %H:%M"
    return int(dt.datetime.strptime(s, fmt).replace(tzinfo=tz).timestamp())


def utc(s):
    return local(s, UTC)


def iso_z(t):
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(t):                        # PayPal
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def iso_local(t, tz):                 # AfterShip checkpoint_time, RFC 3339 with the local offset
    s = dt.datetime.fromtimestamp(t, tz).strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


def shopify_time(t):                  # "2026-10-05 09:14:07 -0700", the shop's offset
    return dt.datetime.fromtimestamp(t, SHOP_TZ).strftime("%Y-%m-%d %H:%M:%S %z")


def plain_utc(t):                     # generic CSVs: "YYYY-MM-DD HH:MM:SS" in UTC
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S")


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


DAY = 86400

# --------------------------------------------------------------------------------------------
# identifiers

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
UPPERNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def rand_str(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def stripe_id(prefix, version="3"):
    """Stripe ids: prefix, a version digit, a time-ish part, the account part, a random tail."""
    return f"{prefix}_{version}S{rand_str(4)}{STRIPE_ACCT}{rand_str(8)}"


def luhn_ok(digits):
    tot = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def ups_tracking(shipper, service, serial):
    """1Z + shipper(6) + service(2) + serial(7), then UPS's mod-10 check digit."""
    body = f"{shipper}{service}{serial}"
    tot = 0
    for i, c in enumerate(body):
        v = int(c) if c.isdigit() else (ord(c) - 63) % 10
        tot += 2 * v if i % 2 else v
    return f"1Z{body}{(10 - tot % 10) % 10}"


def usps_tracking(prefix="9400111899"):
    """22-digit USPS IMpb number with its mod-10 (3,1 weights) check digit."""
    body = prefix + "".join(rng.choice("0123456789") for _ in range(21 - len(prefix)))
    tot = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return body + str((10 - tot % 10) % 10)


# --------------------------------------------------------------------------------------------
# the merchant's world: products, customers


PRODUCTS = {
    "fleece_m_forest": ("Trailhead Fleece Jacket - M / Forest", "NW-FJ-FOR-M", 8900, 9900),
    "fleece_l_slate": ("Trailhead Fleece Jacket - L / Slate", "NW-FJ-SLT-L", 8900, 9900),
    "fleece_l_forest": ("Trailhead Fleece Jacket - L / Forest", "NW-FJ-FOR-L", 8900, 9900),
    "rain_m_slate": ("Ridgeline Rain Shell - M / Slate", "NW-RS-SLT-M", 14900, None),
    "rain_s_ember": ("Ridgeline Rain Shell - S / Ember", "NW-RS-EMB-S", 14900, None),
    "socks_m": ("Merino Crew Socks 3-Pack - M", "NW-SK-3P-M", 2400, None),
    "tote": ("Canvas Field Tote - Natural", "NW-TT-NAT", 4800, None),
    "beanie": ("Harbor Knit Beanie - Charcoal", "NW-BN-CHR", 2800, None),
    "vest_s_black": ("Summit Down Vest - S / Black", "NW-DV-BLK-S", 12900, 15900),
    "chino_32": ("Everyday Chino - 32x30 / Khaki", "NW-CH-KHK-3230", 6800, None),
    "flannel_xl": ("Flannel Overshirt - XL / Red Plaid", "NW-FL-RED-XL", 7400, None),
    "wallet": ("Leather Card Wallet - Tan", "NW-WL-TAN", 3900, None),
    "scarf": ("Alpine Wool Scarf - Oatmeal", "NW-SC-OAT", 4500, None),
    "sockclub": ("Northwind Sock Club - Monthly (3 pairs)", "NW-SUB-SOCK-M", 2400, None),
    "backpack": ("Waxed Canvas Backpack - Olive", "NW-BP-OLV", 16500, 18500),
    "gift_card": ("Northwind Gift Card - $50", "NW-GC-50", 5000, None),
}

STATE_NAMES = {
    "GA": "Georgia", "MA": "Massachusetts", "CA": "California", "TX": "Texas", "WI": "Wisconsin",
    "NJ": "New Jersey", "ME": "Maine", "LA": "Louisiana", "WA": "Washington", "OH": "Ohio",
    "VT": "Vermont", "IL": "Illinois", "NC": "North Carolina", "AZ": "Arizona",
    "CT": "Connecticut", "FL": "Florida", "CO": "Colorado", "PA": "Pennsylvania",
    "RI": "Rhode Island", "MN": "Minnesota", "OR": "Oregon", "TN": "Tennessee",
}
TAX_RATE = {  # basis points; a rough state-level rate is all a sample needs
    "GA": 400, "MA": 625, "CA": 725, "TX": 625, "WI": 500, "NJ": 663, "ME": 550, "LA": 445,
    "WA": 650, "OH": 575, "VT": 600, "IL": 625, "NC": 475, "AZ": 560, "CT": 635, "FL": 600,
    "CO": 290, "PA": 600, "RI": 700, "MN": 688, "OR": 0, "TN": 700,
}
TAX_RATE["FL"] = 700                 # 6% state + 1% Miami-Dade surtax
TZ_OF = {
    "GA": "America/New_York", "MA": "America/New_York", "CA": "America/Los_Angeles",
    "TX": "America/Chicago", "WI": "America/Chicago", "NJ": "America/New_York",
    "ME": "America/New_York", "LA": "America/Chicago", "WA": "America/Los_Angeles",
    "OH": "America/New_York", "VT": "America/New_York", "IL": "America/Chicago",
    "NC": "America/New_York", "AZ": "America/Phoenix", "CT": "America/New_York",
    "FL": "America/New_York", "CO": "America/Denver", "PA": "America/New_York",
    "RI": "America/New_York", "MN": "America/Chicago", "OR": "America/Los_Angeles",
    "TN": "America/Chicago", "UT": "America/Denver",
}


def addr(line1, line2, city, state, zip_):
    return {"line1": line1, "line2": line2, "city": city, "state": state, "zip": zip_,
            "country": "US"}


# key: (name, email, phone, address, ip, card brand, card last4, funding)
CUSTOMERS = {
    "daniel": ("Daniel Okafor", "daniel.okafor@gmail.com", "+14045550142",
               addr("1480 Peachtree St NE", "Apt 12", "Atlanta", "GA", "30309"),
               "98.192.41.77", "visa", "4242", "credit"),
    "zoe": ("Zoë Ångström", "zoe.angstrom@proton.me", "+16175550188",
            addr("22 Beacon St", "Unit 4B", "Boston", "MA", "02108"),
            "73.114.208.19", "visa", "1881", "credit"),
    "priya": ("Priya Raman", "priya.raman@outlook.com", "+16505550117",
              addr("915 Hamilton Ave", "", "Palo Alto", "CA", "94301"),
              "24.5.180.62", "mastercard", "4444", "credit"),
    "ethan": ("Ethan Walker", "ewalker88@yahoo.com", "+12145550163",
              addr("3307 Oak Lawn Ave", "Apt 210", "Dallas", "TX", "75219"),
              "99.44.13.201", None, None, None),
    "hannah": ("Hannah Schultz", "hannah.schultz@icloud.com", "+14145550139",
               addr("418 W Wisconsin Ave", "", "Milwaukee", "WI", "53203"),
               "76.230.7.154", "visa", "0341", "debit"),
    "lucas": ("Lucas Brown", "lucas.brown@gmail.com", "+19735550126",
              addr("77 Forest St", "", "Montclair", "NJ", "07042"),
              "173.63.92.12", "visa", "5556", "credit"),
    "liam": ("Liam O'Connor", "liam.oconnor@gmail.com", "+12075550190",
             addr("16 Congress St", "", "Portland", "ME", "04101"),
             "66.30.215.88", "visa", "7701", "credit"),
    "francois": ("François Lefèvre", "francois.lefevre@gmail.com", "+15045550171",
                 addr("1200 Decatur St", "", "New Orleans", "LA", "70116"),
                 "71.14.190.3", "amex", "8431", "credit"),
    "grace": ("Grace Kim", "grace.kim@gmail.com", "+12065550108",
              addr("2301 NW Market St", "", "Seattle", "WA", "98107"),
              "50.35.77.140", "visa", "9995", "credit"),
    "huong": ("Nguyễn Thị Hương", "huong.nguyen@gmail.com", "+17145550155",
              addr("9852 Bolsa Ave", "", "Westminster", "CA", "92683"),
              "172.112.54.9", None, None, None),
    "michael": ("Michael Turner", "mturner@fastmail.com", "+16145550133",
                addr("1455 N High St", "Apt 3", "Columbus", "OH", "43201"),
                "24.93.128.45", "mastercard", "5100", "credit"),
    "amelia": ("Amelia Scott", "amelia.scott@gmail.com", "+18025550112",
               addr("54 Main St", "", "Burlington", "VT", "05401"),
               "65.183.151.20", "visa", "2030", "debit"),
    "jose": ("José Muñoz", "jose.munoz@gmail.com", "+14155550194",
             addr("2715 Mission St", "", "San Francisco", "CA", "94110"),
             "73.202.18.251", "visa", "6012", "credit"),
    "sophia": ("Sophia Nguyen", "sophia.nguyen@hotmail.com", "+15125550147",
               addr("620 Congress Ave", "Suite 300", "Austin", "TX", "78701"),
               "70.112.33.90", "mastercard", "2288", "credit"),
    "ryan": ("Ryan Patel", "ryan.patel@gmail.com", "+17735550161",
             addr("3040 N Clark St", "Apt 2F", "Chicago", "IL", "60657"),
             "98.253.67.11", "visa", "3137", "credit"),
    "emily": ("Emily Davis", "emily.davis@gmail.com", "+18285550120",
              addr("88 Wall St", "", "Asheville", "NC", "28801"),
              "174.108.60.33", None, None, None),
    "ben": ("Benjamin Clark", "ben.clark@gmail.com", "+16025550184",
            addr("4410 E Camelback Rd", "", "Phoenix", "AZ", "85018"),
            "68.3.144.217", "visa", "7274", "debit"),
    "henry": ("Henry Adams", "henry.adams@aol.com", "+18605550177",
              addr("7 Elm St", "", "Hartford", "CT", "06103"),
              "73.38.120.66", "visa", "1117", "credit"),
    "isabella": ("Isabella Garcia", "isabella.garcia@gmail.com", "+13055550129",
                 addr("1900 Biscayne Blvd", "Apt 1804", "Miami", "FL", "33132"),
                 "76.109.8.230", "mastercard", "9021", "credit"),
    "noah": ("Noah Robinson", "noah.robinson@gmail.com", "+13035550136",
             addr("250 Broadway", "", "Denver", "CO", "80203"),
             "67.165.92.4", None, None, None),
    "william": ("William Harris", "will.harris@comcast.net", "+12155550159",
                addr("812 Chestnut St", "", "Philadelphia", "PA", "19107"),
                "71.224.33.178", None, None, None),
    "mia": ("Mia Lewis", "mia.lewis@gmail.com", "+13035550104",
            addr("1510 Pearl St", "", "Boulder", "CO", "80302"),
            "75.71.204.88", "visa", "4018", "credit"),
    "ella": ("Ella Foster", "ella.foster@gmail.com", "+14015550198",
             addr("33 Pleasant St", "", "Providence", "RI", "02906"),
             "24.63.41.199", "mastercard", "6650", "debit"),
    "james": ("James Young", "james.young@gmail.com", "+16125550143",
              addr("400 Nicollet Mall", "Apt 1502", "Minneapolis", "MN", "55401"),
              "73.94.17.230", "visa", "8808", "credit"),
    "olivia": ("Olivia Martinez", "olivia.m@gmail.com", "+15125550166",
               addr("2120 Guadalupe St", "", "Austin", "TX", "78705"),
               "97.99.145.20", "visa", "5309", "credit"),
    "chloe": ("Chloe Wilson", "chloe.wilson@gmail.com", "+15035550115",
              addr("615 SE Morrison St", "", "Portland", "OR", "97214"),
              None, None, None, None),
    "jack": ("Jack Miller", "jack.miller@gmail.com", "+16155550102",
             addr("1120 Broadway", "", "Nashville", "TN", "37203"),
             "76.22.65.141", "mastercard", "7342", "credit"),
}


class Customer:
    def __init__(self, key, t):
        (self.name, self.email, self.phone, self.addr, self.ip, self.brand, self.last4,
         self.funding) = t
        self.key = key
        self.first, _, self.last = self.name.partition(" ")
        self.stripe_customer = "cus_" + rand_str(14)
        self.fingerprint = rand_str(16)
        self.exp = (rng.randint(1, 12), rng.randint(2027, 2031))
        self.device = rand_str(32, "0123456789abcdef")   # browser fingerprint, >= 20 chars
        self.user_agent = rng.choice([
            "Mozilla/5.0 (iPhone; CPU iPhone OS 19_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/19.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/142.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        ])


CUST = {k: Customer(k, v) for k, v in CUSTOMERS.items()}

# --------------------------------------------------------------------------------------------
# the orders. gateway: stripe (charge metadata.order_id), stripe_pid (Shopify Payment ID = the
# charge id, no metadata), paypal, csv (samples/csv/orders.csv + payments.csv)

ORDERS_SPEC = [
    # number, placed (shop time), customer, gateway, [(product, qty)], shipping, extras
    (1001, "2026-01-22 19:41:07", "daniel", "stripe", [("rain_m_slate", 1)], "standard", {}),
    (1002, "2026-02-10 20:12:44", "zoe", "stripe", [("scarf", 1), ("beanie", 1)], "standard",
     {"note": "Please leave with the concierge if I'm not in."}),
    (1003, "2026-03-30 08:05:19", "priya", "stripe_pid", [("tote", 1)], "standard", {}),
    (1004, "2026-05-19 12:33:58", "zoe", "stripe", [("chino_32", 1), ("socks_m", 2)],
     "standard", {}),
    (1005, "2026-09-03 17:20:31", "ethan", "paypal", [("backpack", 1)], "free", {}),
    (1006, "2026-09-08 10:02:15", "hannah", "stripe_pid", [("wallet", 1), ("socks_m", 1)],
     "standard", {"marketing": True}),
    (1007, "2026-09-12 21:48:03", "lucas", "stripe", [("fleece_l_forest", 1)], "standard", {}),
    (1008, "2026-09-17 14:10:00", "liam", "csv", [("flannel_xl", 1), ("beanie", 1)],
     "standard", {"channel": "phone"}),
    (1009, "2026-09-24 16:27:42", "francois", "stripe", [("vest_s_black", 1)], "free",
     {"refund": True}),
    (1010, "2026-09-29 07:55:10", "grace", "stripe", [("socks_m", 3)], "standard", {}),
    (1011, "2026-10-02 18:36:22", "huong", "paypal", [("rain_s_ember", 1), ("scarf", 1)],
     "express", {"note": "Giao hàng giờ hành chính giúp mình nhé.\nPlease ring bell 2B."}),
    (1012, "2026-10-05 11:14:07", "michael", "stripe",
     [("backpack", 1), ("wallet", 1), ("socks_m", 1)], "signature",
     {"note": "Signature required (added at checkout)."}),
    (1013, "2026-10-07 09:30:00", "amelia", "csv", [("scarf", 2)], "standard",
     {"channel": "phone"}),
    (1014, "2026-10-09 22:03:51", "jose", "stripe_pid", [("fleece_m_forest", 1)], "standard",
     {"discount": ("FALL15", 15)}),
    (1015, "2026-10-12 13:44:29", "sophia", "stripe", [("tote", 1), ("beanie", 1)], "standard",
     {"marketing": True}),
    (1016, "2026-10-14 19:02:13", "ryan", "stripe", [("fleece_m_forest", 1)], "standard", {}),
    (1017, "2026-10-14 19:43:38", "ryan", "stripe", [("fleece_l_slate", 1)], "standard",
     {"ship_to": ("Arjun Patel", addr("118 Elm St", "", "Naperville", "IL", "60540")),
      "note": "Gift for my brother - no receipt in the box please"}),
    (1018, "2026-10-16 15:21:09", "emily", "paypal", [("rain_m_slate", 1)], "standard",
     {"source": "instagram"}),
    (1019, "2026-10-18 06:00:04", "ben", "stripe", [("sockclub", 1)], "free",
     {"source": "subscription_contract", "tags": "Subscription, Subscription Recurring Order"}),
    (1020, "2026-10-20 12:15:00", "henry", "csv", [("beanie", 1), ("wallet", 1)], "standard",
     {"channel": "phone"}),
    (1021, "2026-10-22 20:57:16", "zoe", "stripe", [("vest_s_black", 1), ("beanie", 1)],
     "signature", {"note": "Birthday present for my sister - could you gift wrap it?\n"
                   "Thank you!", "gift_wrap": True}),
    (1022, "2026-10-24 09:12:40", "noah", "paypal", [("chino_32", 2)], "standard", {}),
    (1023, "2026-10-26 17:05:33", "isabella", "stripe", [("rain_s_ember", 1)], "express", {}),
    (1024, "2026-10-28 23:41:02", "william", "paypal", [("backpack", 1), ("socks_m", 1)],
     "express", {}),
    (1025, "2026-10-30 11:19:27", "mia", "stripe", [("flannel_xl", 1)], "standard", {}),
    (1026, "2026-11-02 10:00:00", "ella", "csv", [("fleece_l_slate", 1)], "standard",
     {"channel": "phone"}),
    (1027, "2026-11-04 20:31:55", "james", "stripe", [("gift_card", 1), ("scarf", 1)],
     "standard", {"unfulfilled": True, "declined_first": True}),
    (1028, "2026-11-08 14:08:12", "olivia", "stripe_pid", [("tote", 1)], "standard",
     {"source": "instagram", "marketing": True}),
    (1029, "2026-11-12 08:47:36", "chloe", "paypal", [("socks_m", 2)], "standard",
     {"ip": "50.39.180.21"}),
    (1030, "2026-11-15 21:22:09", "jack", "stripe", [("rain_m_slate", 1), ("beanie", 1)],
     "standard", {"unfulfilled": True}),
]

SHIPPING = {  # method title, price (0 when free over $100 for "standard")
    "standard": ("Standard Shipping (3-5 business days)", 795),
    "free": ("Free Shipping", 0),
    "express": ("Express (2 business days)", 1995),
    "signature": ("Standard Shipping + Signature Confirmation", 1095),
}


class Order:
    pass


def build_orders():
    orders = {}
    shopify_id = 5823104476180
    for num, placed, ckey, gw, items, ship, ex in ORDERS_SPEC:
        o = Order()
        o.num, o.ref, o.cust, o.gateway, o.ex = num, f"#{num}", CUST[ckey], gw, ex
        o.created = local(placed)
        shopify_id += rng.randint(900, 4000)
        o.shopify_id = str(shopify_id)
        o.lines = [(PRODUCTS[p], q) for p, q in items]
        o.subtotal = sum(p[2] * q for p, q in o.lines)
        o.discount_code, o.discount = "", 0
        if "discount" in ex:
            code, pct = ex["discount"]
            o.discount_code, o.discount = code, o.subtotal * pct // 100
        o.ship_method, o.shipping = SHIPPING[ship]
        if ship == "standard" and o.subtotal >= 10000:
            o.ship_method, o.shipping = SHIPPING["free"]
        if "ship_to" in ex:
            o.ship_name, o.ship_addr = ex["ship_to"]
        else:
            o.ship_name, o.ship_addr = o.cust.name, o.cust.addr
        rate = TAX_RATE[o.ship_addr["state"]]
        o.tax_rate = rate
        taxable = sum(p[2] * q for p, q in o.lines if not p[1].startswith("NW-GC"))
        o.taxes = ((taxable - o.discount) * rate + 5000) // 10000
        o.total = o.subtotal - o.discount + o.shipping + o.taxes
        o.ip = ex.get("ip", o.cust.ip)
        o.paid = o.created + rng.randint(2, 9)
        o.fulfilled = None
        if not ex.get("unfulfilled"):      # packed on a following working day, 10:00-16:59
            d = dt.datetime.fromtimestamp(o.created, SHOP_TZ).date() + dt.timedelta(
                days=rng.randint(1, 2))
            o.fulfilled = int(dt.datetime(d.year, d.month, d.day, rng.randint(10, 16),
                                          rng.randint(0, 59), rng.randint(0, 59),
                                          tzinfo=SHOP_TZ).timestamp())
        o.refunded = 0
        o.charge_id = o.pi = o.paypal_txn = o.csv_charge = None
        o.tracking = None
        orders[num] = o
    # the Shopify Id of the disputed fraud order is Luhn-valid on purpose: an identifier that
    # a naive card-number scanner would destroy (pan-masking.md)
    o = orders[1021]
    base = o.shopify_id[:-1]
    o.shopify_id = next(base + d for d in "0123456789" if luhn_ok(base + d))
    return orders


ORDERS = build_orders()

# --------------------------------------------------------------------------------------------
# payments: Stripe charges, PayPal transactions, generic CSV payments


def card_checks(line1="pass", postal="pass", cvc="pass"):
    return {"address_line1_check": line1, "address_postal_code_check": postal,
            "cvc_check": cvc}


def three_ds(result, flow, version="2.2.0"):
    return {"authentication_flow": flow,
            "electronic_commerce_indicator": "05" if result == "authenticated" else "06",
            "exemption_indicator": None, "result": result, "result_reason": None,
            "transaction_id": "%08x-%04x-4%03x-a%03x-%012x" % (
                rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                rng.getrandbits(12), rng.getrandbits(48)),
            "version": version}


def stripe_address(a):
    return {"city": a["city"], "country": a["country"], "line1": a["line1"],
            "line2": a["line2"] or None, "postal_code": a["zip"], "state": a["state"]}


CHARGE_PROFILE = {  # order -> (checks, 3DS, risk_level, risk_score)
    1002: (card_checks(), three_ds("authenticated", "frictionless"), "normal", 9),
    1004: (card_checks(), three_ds("authenticated", "frictionless"), "normal", 7),
    1021: (card_checks(), three_ds("authenticated", "challenge"), "normal", 12),
    1012: (card_checks(), None, "normal", 21),
    1007: (card_checks(), None, "normal", 14),
    1014: (card_checks("pass", "pass", "pass"), None, "normal", 18),
    1016: (card_checks(), three_ds("attempt_acknowledged", None, "2.1.0"), "normal", 24),
    1017: (card_checks(), three_ds("attempt_acknowledged", None, "2.1.0"), "normal", 27),
    1009: (card_checks("unavailable", "pass", "pass"), None, "normal", 33),
    1023: (card_checks("pass", "pass", "unchecked"), None, "elevated", 67),
    1019: (card_checks(None, None, None), None, "normal", 5),
}


def make_charge(o, amount=None, created=None, status="succeeded", decline=None, meta=True):
    c = o.cust
    checks, tds, risk_level, risk_score = CHARGE_PROFILE.get(
        o.num, (card_checks(), None, "normal", rng.randint(3, 38)))
    amount = o.total if amount is None else amount
    created = o.paid if created is None else created
    chid = stripe_id("ch")
    pi = "pi" + chid[2:]
    metadata = {}
    if meta:
        metadata = {"order_id": o.ref, "customer_ip": o.ip, "shopify_order_id": o.shopify_id}
        if o.num in (1002, 1004, 1021):
            metadata["device_fingerprint"] = c.device
    if o.num == 1019:
        metadata = {"order_id": o.ref, "subscription_contract": "gid://shopify/"
                    "SubscriptionContract/2841097215", "billing_cycle": "7"}
    outcome = {"advice_code": None, "network_advice_code": None, "network_decline_code": None,
               "network_status": "approved_by_network", "reason": None,
               "risk_level": risk_level, "risk_score": risk_score, "rule": None,
               "seller_message": "Payment complete.", "type": "authorized"}
    if status == "failed":
        outcome.update({"network_status": "declined_by_network", "reason": decline,
                        "seller_message": "The bank did not return any further details with "
                        "this decline.", "type": "issuer_declined",
                        "network_decline_code": "51"})
    shipping = None
    if o.num not in (1019,):
        shipping = {"address": stripe_address(o.ship_addr), "carrier": None, "name": o.ship_name,
                    "phone": c.phone, "tracking_number": None}
    ch = {
        "id": chid, "object": "charge", "amount": amount,
        "amount_captured": amount if status == "succeeded" else 0, "amount_refunded": 0,
        "application": None, "application_fee": None, "application_fee_amount": None,
        "balance_transaction": ("txn_3S" + rand_str(4) + STRIPE_ACCT + rand_str(8))
        if status == "succeeded" else None,
        "billing_details": {"address": stripe_address(c.addr), "email": c.email, "name": c.name,
                            "phone": c.phone, "tax_id": None},
        "calculated_statement_descriptor": "NORTHWIND OUTFITTERS",
        "captured": status == "succeeded", "created": created, "currency": "usd",
        "customer": c.stripe_customer,
        "description": "Northwind Sock Club renewal" if o.num == 1019 else f"Order {o.ref}",
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": "card_declined" if status == "failed" else None,
        "failure_message": "Your card has insufficient funds." if status == "failed" else None,
        "fraud_details": {}, "invoice": None, "livemode": True, "metadata": metadata,
        "on_behalf_of": None, "order": None, "outcome": outcome,
        "paid": status == "succeeded", "payment_intent": pi,
        "payment_method": "pm_1S" + rand_str(4) + STRIPE_ACCT + rand_str(8),
        "payment_method_details": {
            "card": {
                "amount_authorized": amount, "authorization_code": "%06d" % rng.randint(0, 999999),
                "brand": c.brand, "checks": checks,
                "country": "US", "exp_month": c.exp[0], "exp_year": c.exp[1],
                "extended_authorization": {"status": "disabled"},
                "fingerprint": c.fingerprint, "funding": c.funding,
                "incremental_authorization": {"status": "unavailable"},
                "installments": None, "last4": c.last4, "mandate": None,
                "multicapture": {"status": "unavailable"}, "network": c.brand,
                "network_token": {"used": False},
                "network_transaction_id": "%015d" % rng.randint(10**14, 10**15 - 1),
                "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
                "regulated_status": "unregulated",
                "three_d_secure": tds, "wallet": None,
            },
            "type": "card",
        },
        "radar_options": {},
        "receipt_email": c.email, "receipt_number": "%04d-%04d" % (rng.randint(1000, 9999),
                                                                    rng.randint(0, 9999)),
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{rand_str(40)}",
        "refunded": False,
        "refunds": {"object": "list", "data": [], "has_more": False, "total_count": 0,
                    "url": f"/v1/charges/{chid}/refunds"},
        "review": None, "shipping": shipping, "source_transfer": None,
        "statement_descriptor": None, "statement_descriptor_suffix": None,
        "status": status, "transfer_data": None, "transfer_group": None,
    }
    if c.brand == "amex":
        ch["payment_method_details"]["card"]["network_transaction_id"] = None
    return ch


def build_payments():
    charges = []
    for o in ORDERS.values():
        if o.gateway in ("stripe", "stripe_pid"):
            if o.ex.get("declined_first"):
                charges.append(make_charge(o, created=o.paid - 95, status="failed",
                                           decline="generic_decline"))
            ch = make_charge(o, meta=(o.gateway == "stripe"))
            o.charge_id, o.pi = ch["id"], ch["payment_intent"]
            o.charge = ch
            charges.append(ch)
        elif o.gateway == "paypal":
            o.paypal_txn = rand_str(17, UPPERNUM)
            o.paypal_buyer_txn = rand_str(17, UPPERNUM)
            o.paypal_payer = rand_str(13, UPPERNUM)
        elif o.gateway == "csv":
            o.csv_charge = "AN-" + str(rng.randint(60000000000, 69999999999))
    # credit not processed: the customer returned the vest and was refunded before disputing
    o = ORDERS[1009]
    o.refunded = o.total
    refund_at = local("2026-10-30 10:42:18")
    o.refund_at = refund_at
    ch = o.charge
    ch["amount_refunded"] = o.total
    ch["refunded"] = True
    ch["refunds"]["data"] = [{
        "id": "re_3S" + rand_str(4) + STRIPE_ACCT + rand_str(8), "object": "refund",
        "amount": o.total, "balance_transaction": "txn_3S" + rand_str(4) + STRIPE_ACCT
        + rand_str(8), "charge": ch["id"], "created": refund_at, "currency": "usd",
        "destination_details": {"card": {"reference": "74987436303452718402941",
                                         "reference_status": "available",
                                         "reference_type": "acquirer_reference_number",
                                         "type": "refund"}, "type": "card"},
        "metadata": {"reason": "Return received 2026-10-29 (RMA 4471)"},
        "payment_intent": ch["payment_intent"], "reason": "requested_by_customer",
        "receipt_number": None, "source_transfer_reversal": None, "status": "succeeded",
        "transfer_reversal": None}]
    ch["refunds"]["total_count"] = 1
    return charges


CHARGES = build_payments()

# --------------------------------------------------------------------------------------------
# shipping: which carrier/tracking feed each fulfilled order comes from

WAREHOUSE = {"city": "PORTLAND", "state": "OR", "zip": "97217"}
HUBS = {  # carrier hubs between Portland, OR and the destination region
    "east": [("TROUTDALE", "OR", "97060"), ("SALT LAKE CITY", "UT", "84199"),
             ("DENVER", "CO", "80266"), ("CHICAGO", "IL", "60607")],
    "south": [("TROUTDALE", "OR", "97060"), ("SACRAMENTO", "CA", "95813"),
              ("PHOENIX", "AZ", "85026"), ("DALLAS", "TX", "75260")],
    "west": [("TROUTDALE", "OR", "97060"), ("SACRAMENTO", "CA", "95813")],
}
REGION = {"CA": "west", "WA": "west", "OR": "west", "AZ": "south", "TX": "south",
          "LA": "south", "FL": "south", "GA": "south", "TN": "south", "NC": "south"}

# order -> (feed, carrier, service, signed_by, delivered message)
TRACKED = {
    1007: ("easypost", "USPS", "Priority Mail", None,
           "Delivered, Front Door/Porch"),
    1009: ("easypost", "USPS", "Priority Mail", None, "Delivered, In/At Mailbox"),
    1012: ("easypost", "USPS", "Priority Mail Signature Confirmation", "M TURNER",
           "Delivered, Left with Individual"),
    1014: ("easypost", "USPS", "Priority Mail", None, "Delivered, In/At Mailbox"),
    1015: ("easypost", "USPS", "Ground Advantage", None, "Delivered, Front Door/Porch"),
    1016: ("easypost", "UPS", "UPS Ground", None, "DELIVERED - FRONT DOOR"),
    1017: ("easypost", "UPS", "UPS Ground", None, "DELIVERED - FRONT PORCH"),
    1021: ("easypost", "FedEx", "FedEx Home Delivery", "Z.ANGSTROM",
           "Delivered - Signed for by Z.ANGSTROM"),
    1023: ("easypost", "USPS", "Priority Mail Express", None, "Delivered, Parcel Locker"),
    1025: ("easypost", "USPS", "Ground Advantage", None, "Delivered, In/At Mailbox"),
    1005: ("aftership", "usps", "Priority Mail", None, "Delivered, Front Door/Porch"),
    1011: ("aftership", "ups", "UPS 2nd Day Air", "HUONG",
           "DELIVERED - Signed for by HUONG"),
    1018: ("aftership", "usps", "Priority Mail", None, "Delivered, In/At Mailbox"),
    1019: ("aftership", "usps", "Ground Advantage", None, "Delivered, In/At Mailbox"),
    1022: ("aftership", "usps", "Ground Advantage", None, "Delivered, Front Door/Porch"),
    1024: ("aftership", "fedex", "FedEx 2Day", "W.HARRIS",
           "Delivered - Signed for by W.HARRIS"),
    1029: ("aftership", "usps", "Ground Advantage", None, None),        # in transit
    1008: ("csv", "OnTrac", "OnTrac Ground", None, "Delivered - Left at back door"),
    1013: ("csv", "USPS", "Priority Mail", None, "Delivered, In/At Mailbox"),
    1020: ("csv", "UPS", "UPS Ground", "ADAMS", "DELIVERED - Signed for by ADAMS"),
    1026: ("csv", "USPS", "Ground Advantage", None, "Delivered, Front Door/Porch"),
    1001: ("none",), 1002: ("none",), 1003: ("none",), 1004: ("none",), 1006: ("none",),
    1010: ("none",), 1028: ("none",),
}


def tracking_number(o, carrier):
    if o.num == 1011:
        return "1Z999AA10123456784"          # planted: a UPS number that must survive intact
    carrier = carrier.lower()
    if carrier == "ups":
        return ups_tracking("4V8A19", "03", "%07d" % rng.randint(0, 9999999))
    if carrier == "fedex":
        return str(rng.randint(270000000000, 789999999999))
    if carrier == "ontrac":
        return "D1" + "%013d" % rng.randint(0, 10**13 - 1)
    if "Signature" in TRACKED[o.num][2]:
        return usps_tracking("9405511899")
    return usps_tracking("9400111899")


def build_events(o, carrier, service, message_delivered, signed_by):
    """Ten realistic scans from label to delivery; times in UTC seconds."""
    dest = o.ship_addr
    tz = ZoneInfo(TZ_OF[dest["state"]])
    hubs = HUBS[REGION.get(dest["state"], "east")]
    t0 = o.fulfilled - 3 * 3600
    c = carrier.lower()
    ev = [("pre_transit", "Shipping Label Created, %s Awaiting Item" % carrier.upper()
           if c == "usps" else "Shipment information sent to carrier", t0, None)]
    t = o.fulfilled + 2 * 3600
    ev.append(("in_transit", "Accepted at USPS Origin Facility" if c == "usps" else
               "Picked up", t, (WAREHOUSE["city"], WAREHOUSE["state"], WAREHOUSE["zip"])))
    for i, hub in enumerate(hubs):
        t += rng.randint(7, 16) * 3600
        ev.append(("in_transit", "Arrived at Facility" if i % 2 == 0 else
                   "Departed Facility", t, hub))
    t += rng.randint(10, 20) * 3600
    city, st, z = dest["city"].upper(), dest["state"], dest["zip"]
    ev.append(("in_transit", "Arrived at Post Office" if c == "usps" else
               "Arrived at local facility", t, (city, st, z)))
    # out for delivery early in the local morning, delivered in the afternoon
    day = dt.datetime.fromtimestamp(t + 8 * 3600, tz).date()
    ofd = int(dt.datetime(day.year, day.month, day.day, 7, rng.randint(2, 55),
                          rng.randint(0, 59), tzinfo=tz).timestamp())
    if message_delivered is None:          # still moving: stop before the last mile
        return ev
    ev.append(("out_for_delivery", "Out for Delivery", ofd, (city, st, z)))
    dlv = int(dt.datetime(day.year, day.month, day.day, rng.randint(12, 17),
                          rng.randint(0, 59), rng.randint(0, 59), tzinfo=tz).timestamp())
    ev.append(("delivered", message_delivered, dlv, (city, st, z)))
    return ev


def build_shipments():
    for o in ORDERS.values():
        spec = TRACKED.get(o.num, ("none",))
        if spec[0] == "none" or o.fulfilled is None:
            continue
        feed, carrier, service, signed_by, msg = spec
        tn = tracking_number(o, carrier)
        events = build_events(o, carrier, service, msg, signed_by)
        # pad to ten scans with intermediate "In Transit to Next Facility" updates
        while len(events) < 10 and msg is not None:
            i = rng.randint(2, len(events) - 3)
            a, b = events[i][2], events[i + 1][2]
            events.insert(i + 1, ("in_transit", "In Transit to Next Facility",
                                  (a + b) // 2, None))
        o.tracking = {"feed": feed, "carrier": carrier, "service": service, "number": tn,
                      "signed_by": signed_by, "events": events,
                      "delivered": events[-1][2] if events[-1][0] == "delivered" else None,
                      "tz": ZoneInfo(TZ_OF[o.ship_addr["state"]])}
        if feed == "easypost" and o.charge_id:
            # the merchant's checkout writes the label's tracking number back onto the charge
            o.charge["shipping"]["carrier"] = carrier
            o.charge["shipping"]["tracking_number"] = tn


build_shipments()

def on_day(num, which="delivered"):
    """'Thursday, September 17' of an order's delivery (carrier's local day)."""
    o = ORDERS[num]
    t = o.tracking["delivered"] if which == "delivered" else o.tracking["events"][1][2]
    d = dt.datetime.fromtimestamp(t, o.tracking["tz"])
    return d.strftime("%A, %B ") + str(d.day)


def at_time(num):
    d = dt.datetime.fromtimestamp(ORDERS[num].tracking["delivered"], ORDERS[num].tracking["tz"])
    return d.strftime("%I:%M %p").lstrip("0").lower()


def window_end(num):
    d = dt.datetime.fromtimestamp(ORDERS[num].tracking["delivered"] + 30 * DAY, SHOP_TZ)
    return d.strftime("%B ") + str(d.day)


def total(num):
    return "$" + money(ORDERS[num].total)


# --------------------------------------------------------------------------------------------
# conversations: (local shop time, who, text); who = "c" customer, "a" agent, "n" internal note

CONVERSATIONS = {
    "zd_1007": ("zendesk", 1007, "Package says delivered but it's not here", ["shipping",
                "order_1007", "wismo"], None, [
        ("2026-09-21 08:12", "c",
         f"Hi, my tracking says the package was delivered on {on_day(1007).split(',')[0]} but "
         "there is nothing at my door. I checked with my neighbours and nobody has it. "
         "Can you help?"),
        ("2026-09-21 09:40", "a",
         "Hi Lucas, I'm sorry about that. USPS shows your parcel delivered to the front porch "
         "at 77 Forest St, Montclair NJ 07042. Parcels are sometimes tucked somewhere out of "
         "sight, could you check around the side entrance and with anyone else at the "
         "address? If it hasn't turned up by Wednesday we'll open a claim with USPS for you."),
        ("2026-09-21 18:05", "c",
         "Found it! It was behind the planters by the side door. Sorry for the trouble, "
         "the jacket is great."),
        ("2026-09-22 08:31", "a",
         "Great news, glad it turned up. Enjoy the fleece, and thanks for letting us know!"),
        ("2026-09-22 08:33", "n", "Customer confirmed receipt in writing. Closing."),
    ]),
    "zd_1012": ("zendesk", 1012, "Where is my order #1012???", ["wismo", "escalated"], None, [
        ("2026-10-12 07:55", "c",
         "I paid extra for signature confirmation and my order still hasn't shown up. "
         "Tracking says delivered but I never signed for anything. What is going on?"),
        ("2026-10-12 09:02", "a",
         "Hi Michael, thanks for reaching out. I can see USPS recorded the delivery on "
         f"{on_day(1012)} at {at_time(1012)} in Columbus, OH 43201 with a signature from "
         "\"M TURNER\". "
         "Could anyone else at the address have signed for it?"),
        ("2026-10-12 09:20", "c",
         "No. I live alone. This is ridiculous, I want a refund today or I'm calling my bank."),
        ("2026-10-12 10:11", "n",
         "USPS signature image pulled from the carrier portal and saved to the order. "
         "Name and zip match the shipping address."),
        ("2026-10-12 10:15", "a",
         "I understand how frustrating this is. I've attached the signature and delivery "
         "photo USPS provided, the parcel was left with an individual at 1455 N High St. "
         "I've also opened a trace with the Columbus post office. Could you check with the "
         "building manager in the meantime?"),
        ("2026-10-13 16:48", "c",
         "That's not my signature. I don't care about a trace, just refund me."),
        ("2026-10-14 09:05", "a",
         "I'm sorry, Michael. Because USPS confirms a signed delivery to your address we "
         "can't refund the order outright, but we'll keep the trace open and update you as "
         "soon as the post office replies."),
        ("2026-10-16 11:30", "c", "Forget it. I've filed a chargeback."),
    ]),
    "zd_1014": ("zendesk", 1014, "Wrong size", ["returns", "exchange"], "#1014", [
        ("2026-10-14 18:22", "c",
         "Hola, I ordered the Trailhead fleece in M but it fits like a small. The sleeves are "
         "way too short. Can I exchange it for a large?"),
        ("2026-10-15 08:47", "a",
         "Hi José, sorry the fit isn't right! Happy to exchange it. Our fleece runs true to "
         "size per the size chart on the product page (M = 38-40\" chest), but we know fit "
         "is personal. I've emailed you a prepaid return label; once the jacket is scanned "
         "by USPS we'll ship the L straight away."),
        ("2026-10-15 12:03", "c",
         "The label says I have to drop it at the post office. I work all week, can't you "
         "just send the large and I keep this one?"),
        ("2026-10-15 13:30", "a",
         "I understand, unfortunately we can't send a second jacket before the first is on "
         "its way back. You can also schedule a free USPS pickup from your door with the "
         "same label at usps.com/pickup."),
        ("2026-10-20 21:14", "c",
         "Honestly the colour is also darker than on the website. This is not what I paid "
         "for."),
        ("2026-10-21 09:02", "a",
         "I'm sorry to hear that. The colour is Forest, shown on the product page in "
         "daylight photos; screens do vary a little. Our return window is 30 days from "
         f"delivery (until {window_end(1014)}), so you have plenty of time to send it back for a "
         "full refund or the large."),
        ("2026-10-21 09:05", "n", "Offered exchange twice + full refund on return. RMA 4502."),
        ("2026-11-04 17:40", "c", "I'm keeping it and asking my bank for the money back."),
        ("2026-11-05 08:15", "a",
         "José, the offer still stands: send the jacket back with the prepaid label before "
         
         f"{window_end(1014)} and we refund the full {total(1014)} the same day it arrives."),
    ]),
    "zd_1015": ("zendesk", 1015, "Thank you! (order #1015)", ["feedback"], None, [
        ("2026-10-17 12:10", "c",
         "Just wanted to say the tote is gorgeous and arrived so fast. Do you have the beanie "
         "in navy too?"),
        ("2026-10-17 14:02", "a",
         "Thank you Sophia, that made our day! Navy beanies are back in stock on November 1."),
        ("2026-10-17 14:30", "c", "Perfect, I'll grab one for my dad then."),
        ("2026-10-17 14:41", "a", "Wonderful, have a great weekend!"),
    ]),
    "zd_1019": ("zendesk", 1019, "Cancel subscription", ["subscriptions", "cancellation"], None, [
        ("2026-10-20 19:48", "c",
         "Please cancel my sock club subscription. I was charged again this month and I "
         "didn't want another box."),
        ("2026-10-21 08:30", "a",
         "Hi Benjamin, I've cancelled your Sock Club subscription effective today, so there "
         "will be no further charges. The October box was billed on October 18 and shipped "
         f"on {on_day(1019, 'shipped').split(', ')[1]}, before we received your request. "
         "Our subscription terms let you "
         "cancel any time before the billing date from your account page; once a box has "
         "shipped it can be returned unworn within 30 days for a refund."),
        ("2026-10-21 08:31", "n", "Cancelled contract 2841097215. No earlier cancel request "
         "found in the account log or inbox."),
        ("2026-10-21 12:17", "c",
         "I thought I cancelled in September. Whatever. I'm not paying for socks I didn't "
         "want."),
        ("2026-10-21 13:05", "a",
         "I checked your account history: the last change was a skip of the August box on "
         "August 12, and there is no cancellation before October 20. If you'd like, send the "
         f"unopened socks back and we'll refund the {total(1019)}."),
        ("2026-10-25 10:22", "c", "Not worth my time to go to the post office."),
    ]),
    "zd_1021": ("zendesk", 1021, "Gift wrap for my order", ["gift_wrap", "order_1021"], None, [
        ("2026-10-22 21:10", "c",
         "Hi! I just placed an order for the down vest, it's a birthday present for my "
         "sister. Could you gift wrap it and leave out the packing slip? Tack så mycket!"),
        ("2026-10-23 08:05", "a",
         "Hi Zoë, absolutely, we'll wrap it and leave the prices out. It ships tomorrow with "
         "FedEx and needs a signature on delivery."),
        ("2026-10-27 19:33", "c",
         "It arrived and I signed for it, the wrapping is beautiful. She's going to love it, "
         "thank you!"),
        ("2026-10-28 08:12", "a", "So glad to hear it. Happy birthday to your sister!"),
    ]),
    "zd_1023": ("zendesk", 1023, "Charged more than the price for order #1023", ["billing"],
                None, [
        ("2026-10-31 18:40", "c",
         f"The rain shell is listed at $149 but my card was charged {total(1023)}. Why?"),
        ("2026-10-31 19:25", "a",
         f"Hi Isabella, the {total(1023)} is the jacket ($149.00) plus Express shipping "
         "($19.95), which you picked at checkout, plus Florida sales tax with the Miami-Dade "
         f"surtax (${money(ORDERS[1023].taxes)}). Your order confirmation email shows the same "
         "breakdown."),
        ("2026-10-31 19:51", "c", "I never chose express. I want the difference back."),
        ("2026-11-01 09:10", "a",
         "I checked the order: Express (2 business days) was selected on the shipping step "
         f"and the jacket was delivered on {on_day(1023)}. As a courtesy I can refund "
         "the $12.00 difference between Express and Standard shipping, would that help?"),
        ("2026-11-01 09:44", "c", "No, I already disputed it with my bank."),
    ]),
    "chat_1009": ("chat", None, None, None, None, [
        ("2026-10-27 11:02", "c", "hi, I sent back the down vest last week (RMA 4471). any "
         "update on my refund?"),
        ("2026-10-27 11:03", "a", "Hi François, let me check that for you."),
        ("2026-10-27 11:06", "a", "The return is on its way to us, USPS shows it arriving "
         "Thursday. We refund the same day it's checked in."),
        ("2026-10-30 10:45", "a", "Good news: your return arrived and we've refunded the "
         f"full {total(1009)} to your Amex ending 8431. Refunds take 5-10 business days to appear "
         "on your statement."),
        ("2026-11-04 18:20", "c", "still nothing on my card. are you sure??"),
        ("2026-11-04 18:24", "a", "Yes, the refund was processed on October 30. The "
         "acquirer reference number is 74987436303452718402941; your card issuer can use it "
         "to locate the credit."),
        ("2026-11-04 18:26", "c", "ok merci"),
    ]),
    "chat_1008": ("email", 1008, None, None, None, [
        ("2026-09-17 14:30", "c", "Hi, I just ordered by phone. Could the parcel go to the "
         "back door? The front steps are being redone."),
        ("2026-09-17 15:02", "a", "Hi Liam, no problem, I've added a note for the driver to "
         "leave it at the back door."),
        ("2026-09-22 17:15", "c", "Got a text that it was delivered, thanks!"),
        ("2026-09-22 17:40", "a", "Enjoy the flannel, Liam!"),
    ]),
    "chat_1020": ("chat", 1020, None, None, None, [
        ("2026-10-19 20:02", "c", "does the harbor beanie come in navy or only charcoal?"),
        ("2026-10-19 20:04", "a", "Only charcoal right now, navy is back November 1."),
        ("2026-10-19 20:06", "c", "ok I'll order charcoal by phone tomorrow with the card "
         "wallet. can you ship to my home in Hartford?"),
        ("2026-10-19 20:07", "a", "Of course, we ship UPS Ground to Connecticut in 4-5 "
         "business days."),
        ("2026-10-26 18:31", "c", "beanie and wallet arrived, thanks"),
    ]),
    "ig_1018": ("instagram", 1018, None, None, None, [
        ("2026-10-22 19:10", "c", "hey!! my rain shell came today but it's way more blue than "
         "your photos 😡 the website says slate grey"),
        ("2026-10-22 19:31", "a", "Hi Emily! Sorry it's not what you expected. Could you send "
         "a photo in daylight? Slate has a cool blue-grey tone and can look bluer under "
         "indoor light."),
        ("2026-10-22 19:45", "c", "[photo] this is in daylight. it's BLUE"),
        ("2026-10-22 20:02", "a", "Thanks for the photo. That matches our Slate colour "
         "sample, but we totally get it if it's not for you. Our return policy gives you 30 "
         "days from delivery; I can send a prepaid return label or swap it for Ember."),
        ("2026-10-22 20:10", "c", "can you just send the ember one and I send this back "
         "later"),
        ("2026-10-22 20:18", "a", "We can ship the Ember as soon as the return label is "
         "scanned by USPS. Want me to email the label to emily.davis@gmail.com?"),
        ("2026-10-22 20:25", "c", "ugh fine. if you need to charge shipping for the exchange "
         "just use my card 4111 1111 1111 1111 exp 09/28 cvv 737, I don't want to go "
         "through paypal again"),
        ("2026-10-22 20:29", "a", "Please never send card details over chat, we've deleted "
         "the message from our notes. There is no charge for an exchange, the label is "
         "free. Sending it now 👍"),
        ("2026-10-24 11:02", "c", "I haven't had time to go to the post office"),
        ("2026-10-24 11:15", "a", "No rush! USPS can pick it up from your door with the "
         f"same label, and the 30-day window runs until {window_end(1018)}."),
        ("2026-11-12 09:30", "c", "I opened a case with paypal instead."),
        ("2026-11-12 09:48", "a", "Sorry to hear that, Emily. Our offer stands: return it "
         f"with the label before {window_end(1018)} and we refund the full amount."),
    ]),
    "ig_1028": ("instagram", None, None, None, None, [
        ("2026-11-11 16:20", "c", "the tote just arrived and it's even better in person 😍🙌"),
        ("2026-11-11 16:45", "a", "Yay! Thanks for the love, Olivia 💚 Tag us when you take "
         "it out!"),
        ("2026-11-11 16:47", "c", "will do!!"),
        ("2026-11-11 16:52", "a", "😊"),
    ]),
    "ig_none": ("instagram", None, None, None, None, [
        ("2026-11-19 10:05", "c", "do you ship to Canada?"),
        ("2026-11-19 10:30", "a", "Not yet, sorry! US only for now, Canada is planned for "
         "spring."),
        ("2026-11-19 10:31", "c", "ok thx"),
        ("2026-11-19 10:33", "a", "Thanks for asking, we'll post when it launches!"),
    ]),
}
# whose conversation is it (for email/author when no order is named)
CONV_CUSTOMER = {"chat_1009": "francois", "ig_1028": "olivia", "ig_none": None}

AGENTS = [(381029410, "Dana Reyes", "dana@northwindoutfitters.com"),
          (381029577, "Sam Whitfield", "sam@northwindoutfitters.com")]

# --------------------------------------------------------------------------------------------
# writers


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, bytes):
        with open(path, "wb") as f:
            f.write(data)
    else:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(data)


def jdump(obj, indent=2):
    return json.dumps(obj, ensure_ascii=False, indent=indent) + "\n"


def ndjson(objs):
    return "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for o in objs)


def csv_text(header, rows, crlf=True):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


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
assert len(SHOPIFY_HEADER) == 79


def shopify_quote(v, quote_empty=False):
    """Shopify's own CSV quoting: only when needed, plus "" for a few empty text columns."""
    if v == "" or v is None:
        return '""' if quote_empty else ""
    if any(ch in v for ch in ',"\n\r'):
        return '"' + v.replace('"', '""') + '"'
    return v


QUOTE_EMPTY_FIRST = {"Shipping Method", "Notes", "Tags"}
QUOTE_EMPTY_CONT = {"Lineitem compare at price", "Lineitem sku"}


def shopify_rows(o):
    c = o.cust
    b, s = c.addr, o.ship_addr

    def street(a):
        return a["line1"] + (", " + a["line2"] if a["line2"] else "")

    lines_status = "pending" if o.fulfilled is None else "fulfilled"
    note_attrs = [f"IP address: {o.ip}"]
    if o.ex.get("source") == "instagram":
        note_attrs += ["utm_source: instagram", "utm_medium: social", "utm_campaign: fall26"]
    elif o.num % 3 == 0:
        note_attrs += ["utm_source: google", "utm_medium: cpc", "utm_campaign: brand"]
    if o.ex.get("gift_wrap"):
        note_attrs.append("Gift wrap: yes")
    note_attrs.append("landing_page: /collections/" + ("new" if o.num % 2 else "outerwear"))
    if o.gateway == "stripe_pid":
        pay_method, pay_ref, pay_id = "Stripe", f"c{o.shopify_id}.1", o.charge_id
    elif o.gateway == "stripe":
        pay_method, pay_ref = "Stripe", f"{o.ref}.1"
        pay_id = "r" + rand_str(24)          # Shopify's own token: does not name the charge
    else:
        pay_method, pay_ref, pay_id = "PayPal Express Checkout", o.paypal_txn, o.paypal_txn
    fin = "refunded" if o.refunded == o.total and o.refunded else "paid"
    first = {
        "Name": o.ref, "Email": c.email, "Financial Status": fin,
        "Paid at": shopify_time(o.paid),
        "Fulfillment Status": "unfulfilled" if o.fulfilled is None else "fulfilled",
        "Fulfilled at": shopify_time(o.fulfilled) if o.fulfilled else "",
        "Accepts Marketing": "yes" if o.ex.get("marketing") else "no",
        "Currency": "USD", "Subtotal": money(o.subtotal - o.discount),
        "Shipping": money(o.shipping), "Taxes": money(o.taxes), "Total": money(o.total),
        "Discount Code": o.discount_code,
        "Discount Amount": money(o.discount) if o.discount_code else "0.00",
        "Shipping Method": o.ship_method, "Created at": shopify_time(o.created),
        "Billing Name": c.name, "Billing Street": street(b), "Billing Address1": b["line1"],
        "Billing Address2": b["line2"], "Billing Company": "", "Billing City": b["city"],
        "Billing Zip": "'" + b["zip"], "Billing Province": b["state"], "Billing Country": "US",
        "Billing Phone": c.phone, "Shipping Name": o.ship_name, "Shipping Street": street(s),
        "Shipping Address1": s["line1"], "Shipping Address2": s["line2"],
        "Shipping Company": "", "Shipping City": s["city"], "Shipping Zip": "'" + s["zip"],
        "Shipping Province": s["state"], "Shipping Country": "US", "Shipping Phone": c.phone,
        "Notes": o.ex.get("note", ""), "Note Attributes": "\n".join(note_attrs),
        "Cancelled at": "", "Payment Method": pay_method, "Payment Reference": pay_ref,
        "Refunded Amount": money(o.refunded), "Outstanding Balance": "0.00",
        "Id": o.shopify_id, "Tags": o.ex.get("tags", ""),
        "Risk Level": "Low" if o.num != 1023 else "Medium",
        "Source": o.ex.get("source", "web"), "Phone": c.phone,
        "Billing Province Name": STATE_NAMES[b["state"]],
        "Shipping Province Name": STATE_NAMES[s["state"]],
        "Payment ID": pay_id, "Payment References": pay_ref,
    }
    if o.taxes:
        first["Tax 1 Name"] = "%s State Tax %s%%" % (
            STATE_NAMES[s["state"]], ("%.3f" % (o.tax_rate / 100)).rstrip("0").rstrip("."))
        first["Tax 1 Value"] = money(o.taxes)
    rows = []
    for i, (p, q) in enumerate(o.lines):
        name, sku, price, compare = p
        row = dict(first) if i == 0 else {"Name": o.ref, "Email": c.email,
                                          "Created at": shopify_time(o.created)}
        row.update({
            "Lineitem quantity": str(q), "Lineitem name": name,
            "Lineitem price": money(price),
            "Lineitem compare at price": money(compare) if compare else "",
            "Lineitem sku": sku,
            "Lineitem requires shipping": "false" if sku.startswith("NW-GC") else "true",
            "Lineitem taxable": "false" if sku.startswith("NW-GC") else "true",
            "Lineitem fulfillment status": lines_status, "Vendor": MERCHANT,
            "Lineitem discount": money(o.discount if i == 0 else 0),
        })
        if i and o.num % 2:
            row["Phone"] = c.phone            # some exports repeat Phone on continuation rows
        quote = QUOTE_EMPTY_FIRST if i == 0 else QUOTE_EMPTY_CONT
        rows.append(",".join(shopify_quote(row.get(h, ""), h in quote)
                             for h in SHOPIFY_HEADER))
    return rows


def gen_shopify(out):
    lines = [",".join(SHOPIFY_HEADER)]
    held = None
    # newest first, as Shopify exports them; one continuation row is moved to the end of the
    # file: the importer must group by Name, not by adjacency
    for o in sorted(ORDERS.values(), key=lambda o: -o.num):
        if o.gateway == "csv":
            continue
        rows = shopify_rows(o)
        if o.num == 1012:
            held = rows.pop()
        lines.extend(rows)
    lines.append(held)
    write(f"{out}/shopify/orders_export.csv", "\n".join(lines) + "\n")


# ---- Stripe disputes ----------------------------------------------------------------------

EVIDENCE_KEYS = [
    "access_activity_log", "billing_address", "cancellation_policy",
    "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_communication",
    "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
    "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id",
    "product_description", "receipt", "refund_policy", "refund_policy_disclosure",
    "refund_refusal_explanation", "service_date", "service_documentation", "shipping_address",
    "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
    "uncategorized_file", "uncategorized_text"]

# order, reason, network, code, case_type, status, opened (UTC), due (UTC day), expand
STRIPE_DISPUTES = [
    (1021, "fraudulent", "visa", "10.4", "chargeback", "needs_response", "2026-11-10 14:22:05",
     "2026-11-24", True),
    (1012, "product_not_received", "mastercard", "4855", "chargeback", "needs_response",
     "2026-11-06 09:41:50", "2026-11-27", False),
    (1014, "product_unacceptable", "visa", "13.3", "chargeback", "needs_response",
     "2026-11-12 18:03:31", "2026-12-03", False),
    (1017, "duplicate", "visa", "12.6.1", "chargeback", "needs_response", "2026-11-14 11:15:12",
     "2026-12-05", False),
    (1019, "subscription_canceled", "visa", "13.2", "inquiry", "warning_needs_response",
     "2026-11-18 16:40:00", "2026-12-08", True),
    (1009, "credit_not_processed", "amex", "C02", "chargeback", "needs_response",
     "2026-11-05 13:07:44", "2026-11-26", False),
    (1023, "general", "mastercard", "4831", "chargeback", "under_review", "2026-11-03 20:30:19",
     "2026-11-24", False),
    (1007, "product_not_received", "visa", "13.1", "chargeback", "won", "2026-11-01 10:12:40",
     "2026-11-25", False),
]


def stripe_dispute(spec):
    num, reason, network, code, case_type, status, opened, due, expand = spec
    o = ORDERS[num]
    ch = o.charge
    ch["disputed"] = True
    opened_t, due_t = utc(opened), utc(due + " 23:59:59")
    dpid = stripe_id("dp", "1")
    evidence = {k: None for k in EVIDENCE_KEYS}
    evidence["enhanced_evidence"] = {}
    submitted = status in ("under_review", "won")
    if num == 1007:
        t = o.tracking
        evidence.update({
            "customer_email_address": o.cust.email, "customer_name": o.cust.name,
            "customer_purchase_ip": o.ip, "shipping_carrier": t["carrier"],
            "shipping_tracking_number": t["number"],
            "shipping_date": dt.datetime.fromtimestamp(o.fulfilled, SHOP_TZ)
            .strftime("%Y-%m-%d"),
            "shipping_address": "77 Forest St, Montclair, NJ 07042, US",
            "customer_communication": "file_1S" + rand_str(4) + STRIPE_ACCT + rand_str(8),
            "uncategorized_text": "USPS delivered the parcel to the front porch of the "
            f"shipping address on {on_day(1007)}. On 2026-09-21 the customer wrote to us that "
            "he had found it by the side door (Zendesk ticket attached)."})
    if num == 1023:
        evidence.update({
            "customer_email_address": o.cust.email, "customer_name": o.cust.name,
            "receipt": "file_1S" + rand_str(4) + STRIPE_ACCT + rand_str(8),
            "uncategorized_text": f"The amount charged ({total(1023)}) equals the order total "
            "shown at checkout: Ridgeline Rain Shell $149.00 + Express shipping $19.95 selected "
            f"by the customer + sales tax ${money(o.taxes)}."})
    details = {"due_by": due_t, "enhanced_eligibility": {}, "has_evidence": submitted,
               "past_due": False, "submission_count": 1 if submitted else 0,
               "submission_method": "manual" if submitted else "not_submitted"}
    elig = []
    if reason == "fraudulent" and network == "visa":
        elig = ["visa_compelling_evidence_3"]
        details["enhanced_eligibility"] = {"visa_compelling_evidence_3": {
            "required_actions": ["missing_prior_undisputed_transactions"],
            "status": "requires_action"}}
    bts = []
    if case_type == "chargeback":
        bts = [{"id": "txn_1S" + rand_str(4) + STRIPE_ACCT + rand_str(8),
                "object": "balance_transaction", "amount": -o.total,
                "available_on": opened_t + 2 * DAY, "created": opened_t, "currency": "usd",
                "description": f"Chargeback withdrawal for {ch['id']}", "exchange_rate": None,
                "fee": 1500, "fee_details": [{"amount": 1500, "application": None,
                                              "currency": "usd", "description": "Dispute fee",
                                              "type": "stripe_fee"}],
                "net": -o.total - 1500, "reporting_category": "dispute", "source": dpid,
                "status": "available", "type": "adjustment"}]
        if status == "won":
            bts.append({"id": "txn_1S" + rand_str(4) + STRIPE_ACCT + rand_str(8),
                        "object": "balance_transaction", "amount": o.total,
                        "available_on": utc("2026-11-21 00:00:00"),
                        "created": utc("2026-11-19 08:14:51"), "currency": "usd",
                        "description": f"Chargeback reversal for {ch['id']}",
                        "exchange_rate": None, "fee": -1500,
                        "fee_details": [{"amount": -1500, "application": None,
                                         "currency": "usd", "description": "Dispute fee refund",
                                         "type": "stripe_fee"}],
                        "net": o.total + 1500, "reporting_category": "dispute_reversal",
                        "source": dpid, "status": "available", "type": "adjustment"})
    d = {
        "id": dpid, "object": "dispute", "amount": o.total, "balance_transactions": bts,
        "charge": ch if expand else ch["id"], "created": opened_t, "currency": "usd",
        "enhanced_eligibility_types": elig, "evidence": evidence, "evidence_details": details,
        "intended_submission_method": None,
        "is_charge_refundable": not ch["refunded"] and case_type == "inquiry",
        "livemode": True, "metadata": {}, "network_reason_code": code,
        "payment_intent": ch["payment_intent"],
        "payment_method_details": {"card": {"brand": network, "case_type": case_type,
                                            "network_reason_code": code},
                                   "type": "card"},
        "reason": reason, "status": status,
    }
    o.dispute = d
    return d


# ---- PayPal ---------------------------------------------------------------------------------

def money_pp(cents):
    return {"currency_code": "USD", "value": money(cents)}


def paypal_dispute(o, did, reason, status, stage, opened, due, extra):
    c = o.cust
    items = [{"item_id": p[1], "item_name": p[0], "item_quantity": str(q),
              "item_description": p[0].split(" - ")[0]} for p, q in o.lines]
    d = {
        "dispute_id": did, "create_time": iso_ms(utc(opened)),
        "update_time": iso_ms(utc(extra.pop("updated", opened))),
        "disputed_transactions": [{
            "buyer_transaction_id": o.paypal_buyer_txn,
            "seller_transaction_id": o.paypal_txn,
            "create_time": iso_ms(o.paid), "transaction_status": "COMPLETED",
            "gross_amount": money_pp(o.total), "invoice_number": o.ref,
            "custom": f"shopify:{o.shopify_id}",
            "buyer": {"name": c.name, "payer_id": o.paypal_payer},
            "seller": {"email": "payments@northwindoutfitters.com",
                       "merchant_id": PAYPAL_MERCHANT_ID, "name": MERCHANT},
            "items": items,
        }],
        "reason": reason, "status": status, "dispute_amount": money_pp(o.total),
        "dispute_life_cycle_stage": stage, "dispute_channel": extra.pop("channel", "INTERNAL"),
    }
    if due:
        d["seller_response_due_date"] = iso_ms(utc(due))
    d.update(extra)
    d["links"] = [{"href": f"https://api-m.paypal.com/v1/customer/disputes/{did}",
                   "rel": "self", "method": "GET"}]
    o.dispute = d
    return d


def gen_paypal():
    out = []
    o = ORDERS[1011]
    out.append(paypal_dispute(
        o, "PP-R-NXB-10483211", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
        "WAITING_FOR_SELLER_RESPONSE", "CHARGEBACK", "2026-11-08 03:18:40",
        "2026-11-28 08:00:00", {
            "updated": "2026-11-08 03:19:02",
            "messages": [{"posted_by": "BUYER", "time_posted": iso_ms(utc("2026-11-08 03:18:44")),
                          "content": "Tôi chưa nhận được hàng. I have not received my rain "
                          "jacket and scarf, tracking says delivered but nothing came."}],
            "offer": {"buyer_requested_amount": money_pp(o.total)},
            "extensions": {"merchant_contacted": False,
                           "merchandize_dispute_properties": {"issue_type": "PRODUCT"}},
        }))
    o = ORDERS[1018]
    out.append(paypal_dispute(
        o, "PP-R-QHD-10511876", "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED",
        "WAITING_FOR_SELLER_RESPONSE", "CHARGEBACK", "2026-11-13 17:55:09",
        "2026-12-04 08:00:00", {
            "updated": "2026-11-14 09:02:33",
            "messages": [
                {"posted_by": "BUYER", "time_posted": iso_ms(utc("2026-11-13 17:55:12")),
                 "content": "The jacket is a completely different colour from the website. "
                 "It was advertised as slate grey and it is clearly blue. The seller wants me "
                 "to pay to ship it back."},
                {"posted_by": "SELLER", "time_posted": iso_ms(utc("2026-11-14 09:02:33")),
                 "content": "Hello Emily, the return label we emailed on October 22 is "
                 f"prepaid, there is no cost to you. Return it by {window_end(1018)} and we "
                 "refund in full on arrival."},
                {"posted_by": "BUYER", "time_posted": iso_ms(utc("2026-11-14 15:40:10")),
                 "content": "I want PayPal to decide. Not going to the post office."}],
            "offer": {"buyer_requested_amount": money_pp(o.total)},
            "extensions": {"merchant_contacted": True,
                           "merchant_contacted_outcome": "NOT_FIXED",
                           "merchant_contacted_time": iso_ms(local("2026-10-22 19:10")),
                           "merchant_contacted_mode": "WRITTEN",
                           "merchandize_dispute_properties": {
                               "issue_type": "PRODUCT",
                               "product_details": {
                                   "product_received": "YES",
                                   "product_received_time": iso_ms(o.tracking["delivered"]),
                                   "sub_reasons": ["DIFFERENT"],
                                   "purchase_url": "https://northwindoutfitters.com/products/"
                                   "ridgeline-rain-shell"}}},
        }))
    o = ORDERS[1024]
    out.append(paypal_dispute(
        o, "PP-D-27719", "UNAUTHORISED", "OPEN", "CHARGEBACK", "2026-11-16 22:01:37",
        "2026-12-12 08:00:00", {
            "channel": "EXTERNAL", "external_reason_code": "10.4",
            "dispute_state": "REQUIRED_ACTION",
            "messages": [{"posted_by": "BUYER", "time_posted": iso_ms(utc("2026-11-16 22:01:40")),
                          "content": "I did not authorize this transaction."}],
        }))
    o = ORDERS[1005]
    out.append(paypal_dispute(
        o, "PP-R-KTM-10377045", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "RESOLVED", "INQUIRY",
        "2026-11-01 15:30:12", "2026-11-24 08:00:00", {
            "updated": "2026-11-15 10:02:44",
            "dispute_state": "RESOLVED",
            "messages": [
                {"posted_by": "BUYER", "time_posted": iso_ms(utc("2026-11-01 15:30:15")),
                 "content": "Backpack never arrived."},
                {"posted_by": "SELLER", "time_posted": iso_ms(utc("2026-11-02 17:12:08")),
                 "content": f"Hi Ethan, USPS delivered the backpack on {on_day(1005)} to "
                 "3307 Oak Lawn Ave Apt 210, Dallas TX 75219. Tracking attached."}],
            "evidences": [{"evidence_type": "PROOF_OF_FULFILLMENT", "evidence_info": {
                "tracking_info": [{"carrier_name": "USPS",
                                   "tracking_number": o.tracking["number"]}]},
                "documents": [{"name": "usps_tracking.pdf"}],
                "notes": f"Delivered {on_day(1005)}, front door/porch.",
                "source": "SUBMITTED_BY_SELLER", "date": iso_ms(utc("2026-11-02 17:12:08")),
                "dispute_life_cycle_stage": "INQUIRY"}],
            "dispute_outcome": {"outcome_code": "RESOLVED_SELLER_FAVOUR"},
        }))
    return {"items": out, "links": [
        {"href": "https://api-m.paypal.com/v1/customer/disputes?page_size=20",
         "rel": "self", "method": "GET"},
        {"href": "https://api-m.paypal.com/v1/customer/disputes?page_size=20",
         "rel": "first", "method": "GET"}]}


# ---- tracking feeds -------------------------------------------------------------------------

EP_SUB = {"pre_transit": "status_update", "in_transit": "arrived_at_facility",
          "out_for_delivery": "out_for_delivery", "delivered": "arrived_at_destination"}
AS_TAG = {"pre_transit": ("InfoReceived", "InfoReceived_001", "Info Received"),
          "in_transit": ("InTransit", "InTransit_001", "In Transit"),
          "out_for_delivery": ("OutForDelivery", "OutForDelivery_001", "Out for Delivery"),
          "delivered": ("Delivered", "Delivered_001", "Delivered")}


def easypost_tracker(o):
    t = o.tracking
    det = []
    for status, msg, when, loc in t["events"]:
        city, st, z = loc if loc else (None, None, None)
        det.append({"object": "TrackingDetail", "message": msg, "description": None,
                    "status": status, "status_detail": EP_SUB[status],
                    "datetime": iso_z(when), "source": t["carrier"], "carrier_code": None,
                    "tracking_location": {"object": "TrackingLocation", "city": city,
                                          "state": st, "country": "US" if loc else None,
                                          "zip": z}})
    last = t["events"][-1]
    dest = o.ship_addr
    return {
        "id": "trk_" + rand_str(32, "0123456789abcdef"), "object": "Tracker", "mode": "production",
        "tracking_code": t["number"], "carrier": t["carrier"], "status": last[0],
        "status_detail": EP_SUB[last[0]], "created_at": iso_z(t["events"][0][2]),
        "updated_at": iso_z(last[2] + 180), "signed_by": t["signed_by"], "weight": None,
        "est_delivery_date": iso_z(last[2]),
        "shipment_id": "shp_" + rand_str(32, "0123456789abcdef"),
        "tracking_details": det,
        "carrier_detail": {"object": "CarrierDetail", "service": t["service"],
                           "container_type": None, "est_delivery_date_local": None,
                           "est_delivery_time_local": None,
                           "origin_location": "PORTLAND OR, 97217",
                           "destination_location": f"{dest['city'].upper()} {dest['state']}, "
                           f"{dest['zip']}",
                           "guaranteed_delivery_date": None, "alternate_identifier": None,
                           "initial_delivery_attempt": iso_z(t["delivered"])
                           if t["delivered"] else None},
        "finalized": last[0] == "delivered", "is_return": False,
        "public_url": "https://track.easypost.com/djE6dHJrXz" + rand_str(28),
        "fees": [],
    }


def aftership_tracking(o):
    t = o.tracking
    tz = t["tz"]
    slug = t["carrier"]
    cps = []
    for status, msg, when, loc in t["events"]:
        tag, sub, submsg = AS_TAG[status]
        city, st, z = loc if loc else (None, None, None)
        if status == "delivered" and t["signed_by"]:
            sub, submsg = "Delivered_003", "Signed by customer"
        cps.append({"slug": slug, "created_at": iso_local(when + 240, UTC),
                    "checkpoint_time": iso_local(when, tz if loc and st == o.ship_addr["state"]
                                                 else ZoneInfo(TZ_OF.get(st or "OR",
                                                                         "America/Los_Angeles"))),
                    "message": msg, "location": f"{city}, {st}, US" if loc else None,
                    "city": city, "state": st, "zip": z, "country_iso3": "USA" if loc else None,
                    "country_name": "USA" if loc else None, "coordinates": [],
                    "tag": tag, "subtag": sub, "subtag_message": submsg,
                    "raw_tag": {"usps": "01" if status == "delivered" else "10",
                                "ups": "D" if status == "delivered" else "I"}.get(slug, "")})
    last = t["events"][-1]
    tag, sub, submsg = AS_TAG[last[0]]
    if last[0] == "delivered" and t["signed_by"]:
        sub, submsg = "Delivered_003", "Signed by customer"
    signed = t["signed_by"] or ("Signature not required" if slug == "fedex" else None)
    link = {"usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels=",
            "ups": "https://www.ups.com/track?tracknum=",
            "fedex": "https://www.fedex.com/fedextrack/?tracknumbers="}[slug] + t["number"]
    return {
        "id": rand_str(24, "0123456789abcdef"), "created_at": iso_local(t["events"][0][2], UTC),
        "updated_at": iso_local(last[2] + 300, UTC), "last_updated_at": iso_local(last[2] + 300,
                                                                                   UTC),
        "tracking_number": t["number"], "slug": slug, "active": last[0] != "delivered",
        "title": o.ref, "order_id": o.shopify_id, "order_number": o.ref,
        "order_date": iso_local(o.created, UTC), "customer_name": o.ship_name,
        "emails": [o.cust.email], "smses": [], "origin_country_iso3": "USA",
        "destination_country_iso3": "USA", "courier_destination_country_iso3": "USA",
        "shipment_package_count": 1,
        "shipment_pickup_date": iso_local(t["events"][1][2], ZoneInfo("America/Los_Angeles"))[:19],
        "shipment_delivery_date": iso_local(last[2], tz)[:19] if t["delivered"] else None,
        "shipment_type": t["service"], "shipment_weight": round(rng.uniform(0.4, 2.2), 1),
        "shipment_weight_unit": "kg", "signed_by": signed, "source": "shopify", "tag": tag,
        "subtag": sub, "subtag_message": submsg, "tracked_count": rng.randint(9, 40),
        "expected_delivery": None, "order_promised_delivery_date": None,
        "delivery_type": "pickup_at_courier" if False else None, "pickup_location": None,
        "pickup_note": None, "courier_tracking_link": link, "courier_redirect_link": link,
        "first_attempted_at": iso_local(t["delivered"], tz) if t["delivered"] else None,
        "return_to_sender": False, "checkpoints": cps, "custom_fields": None, "note": None,
        "tracking_postal_code": o.ship_addr["zip"], "tracking_ship_date": None,
    }


# ---- conversations --------------------------------------------------------------------------

def zendesk_tickets():
    lines = []
    tid = 48211
    users_base = [{"id": a[0], "name": a[1], "email": a[2], "role": "agent"} for a in AGENTS]
    for key, (kind, num, subject, tags, custom, msgs) in CONVERSATIONS.items():
        if kind != "zendesk":
            continue
        tid += rng.randint(3, 60)
        o = ORDERS[num]
        c = o.cust
        uid = 402210000000 + rng.randint(0, 99999999)
        agent = AGENTS[tid % 2]
        first_t = local(msgs[0][0])
        last_t = local(msgs[-1][0])
        custom_fields = [{"id": 360041592211, "value": custom}, {"id": 360041592254,
                                                                  "value": "web_order"}]
        ticket = {
            "id": tid, "url": f"https://northwind.zendesk.com/api/v2/tickets/{tid}.json",
            "external_id": None,
            "via": {"channel": "email", "source": {
                "from": {"address": c.email, "name": c.name},
                "to": {"address": SUPPORT_EMAIL, "name": MERCHANT}, "rel": None}},
            "created_at": iso_z(first_t), "updated_at": iso_z(last_t + 600),
            "type": "question" if num in (1015, 1021) else "problem", "subject": subject,
            "raw_subject": subject, "description": msgs[0][2],
            "priority": "high" if num in (1012,) else "normal",
            "status": "solved" if num in (1007, 1015, 1021) else "open",
            "recipient": SUPPORT_EMAIL, "requester_id": uid, "submitter_id": uid,
            "assignee_id": agent[0], "organization_id": None, "group_id": 360008127734,
            "collaborator_ids": [], "follower_ids": [], "email_cc_ids": [], "problem_id": None,
            "has_incidents": False, "due_at": None, "tags": tags,
            "custom_fields": custom_fields,
            "satisfaction_rating": {"score": "good", "id": 9021345, "comment": "Quick and kind"}
            if num == 1015 else {"score": "unoffered"},
            "sharing_agreement_ids": [], "from_messaging_channel": False,
            "custom_status_id": 360012093312,
        }
        comments = []
        cid = tid * 1000 + 1
        for when, who, text in msgs:
            t = local(when)
            author = uid if who == "c" else agent[0]
            system = {"client": c.user_agent if who == "c" else
                      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                      "(KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
                      "ip_address": o.ip if who == "c" else "204.152.17.40",
                      "location": f"{c.addr['city']}, {c.addr['state']}, United States"
                      if who == "c" else "Portland, OR, United States",
                      "latitude": None, "longitude": None}
            html = "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(
                ">", "&gt;").replace('"', "&quot;") + "</p>"
            atts = []
            if num == 1012 and who == "a" and "attached" in text:
                atts = [{"id": 27718830211, "file_name": "usps_signature_1012.png",
                         "content_url": "https://northwind.zendesk.com/attachments/token/"
                         + rand_str(25) + "/?name=usps_signature_1012.png",
                         "content_type": "image/png", "size": 9114, "thumbnails": []}]
            comments.append({
                "id": cid, "type": "Comment", "author_id": author, "body": text,
                "html_body": html, "plain_body": text, "public": who != "n",
                "created_at": iso_z(t), "audit_id": cid + 500, "attachments": atts,
                "via": {"channel": "email" if who == "c" else "web",
                        "source": {"from": {}, "to": {}, "rel": None}},
                "metadata": {"system": system, "custom": {}},
            })
            cid += rng.randint(1, 9)
        users = [{"id": uid, "name": c.name, "email": c.email, "role": "end-user"}]
        users += [u for u in users_base if u["id"] == agent[0]]
        lines.append({"ticket": ticket, "comments": comments, "users": users})
    return lines


def chat_messages(kinds):
    """Generic message rows (messages CSV/NDJSON keys) for the conversations of `kinds`."""
    rows = []
    for key, (kind, num, _subject, _tags, _custom, msgs) in CONVERSATIONS.items():
        if kind not in kinds:
            continue
        ckey = CONV_CUSTOMER.get(key)
        cust = ORDERS[num].cust if num else (CUST[ckey] if ckey else None)
        thread = ("ig_" if kind == "instagram" else "chat_") + rand_str(10, "0123456789")
        agent = AGENTS[len(msgs) % 2][1]          # one agent handles the whole thread
        for i, (when, who, text) in enumerate(msgs, 1):
            handle = None
            if kind == "instagram":
                handle = "@" + (cust.first.lower() + "." + cust.last.split()[-1].lower()
                                if cust else "maple.and.moss")
            rows.append({
                "message_id": f"{thread}-{i:03d}", "ticket_id": thread,
                "order_number": ORDERS[num].ref if num else "",
                "email": cust.email if cust else "",
                "channel": kind, "direction": "customer" if who == "c" else "merchant",
                "author": (handle or cust.name) if who == "c" else agent,
                "sent_at": iso_z(local(when)), "body": text,
            })
    return rows


# ---- generic CSVs ---------------------------------------------------------------------------

ORDERS_CSV_HEADER = [
    "order_number", "order_id", "created_at", "email", "customer_name", "phone", "currency",
    "subtotal", "shipping", "tax", "total", "discount", "financial_status",
    "fulfillment_status", "billing_name", "billing_line1", "billing_line2", "billing_city",
    "billing_state", "billing_postal", "billing_country", "shipping_name", "shipping_line1",
    "shipping_line2", "shipping_city", "shipping_state", "shipping_postal", "shipping_country",
    "ip", "device_id", "notes", "item_name", "item_sku", "item_quantity", "item_price"]


def gen_generic(out):
    rows = []
    for o in ORDERS.values():
        if o.gateway != "csv":
            continue
        c, s = o.cust, o.ship_addr
        for i, (p, q) in enumerate(o.lines):
            head = [o.ref, "PH-%05d" % (o.num * 7 % 99991), plain_utc(o.created), c.email,
                    c.name, c.phone, "USD", money(o.subtotal), money(o.shipping),
                    money(o.taxes), money(o.total), money(o.discount), "paid",
                    "fulfilled", c.name, c.addr["line1"], c.addr["line2"], c.addr["city"],
                    c.addr["state"], c.addr["zip"], "US", o.ship_name, s["line1"], s["line2"],
                    s["city"], s["state"], s["zip"], "US", o.ip, "",
                    "Phone order taken by Dana. Customer asked for back-door delivery, front "
                    "steps under repair." if o.num == 1008 else ""]
            if i:                      # continuation rows: order-level fields blank
                head = [o.ref] + [""] * 29 + [""]
                head[2] = plain_utc(o.created)
                head[6] = "USD"
                head[10] = money(o.total)
            rows.append(head + [p[0], p[1], str(q), money(p[2])])
    write(f"{out}/csv/orders.csv", csv_text(ORDERS_CSV_HEADER, rows))

    pay_header = ["gateway", "charge_id", "order_number", "created_at", "amount", "currency",
                  "status", "email", "customer_name", "card_brand", "card_last4",
                  "card_fingerprint", "avs_line1", "avs_postal", "cvc", "three_ds",
                  "three_ds_version", "risk_score", "risk_level", "ip", "device_id",
                  "billing_postal", "shipping_postal", "amount_refunded"]
    prow = []
    for o in ORDERS.values():
        if o.gateway != "csv":
            continue
        c = o.cust
        prow.append(["csv", o.csv_charge, o.ref, iso_z(o.paid), money(o.total), "USD",
                     "captured", c.email, c.name, c.brand, c.last4, c.fingerprint,
                     "pass" if o.num != 1020 else "fail", "pass", "pass", "", "",
                     str(rng.randint(8, 30)), "normal", o.ip, "", c.addr["zip"],
                     o.ship_addr["zip"], "0.00"])
    write(f"{out}/csv/payments.csv", csv_text(pay_header, prow))

    disp_header = ["gateway", "dispute_id", "charge_id", "order_number", "reason",
                   "network_reason_code", "amount", "currency", "status", "opened_at",
                   "due_by", "statement"]
    o8, o20 = ORDERS[1008], ORDERS[1020]
    drows = [
        ["csv", "CBK-7781-0457", o8.csv_charge, o8.ref, "product_not_received", "13.1",
         money(o8.total), "USD", "needs_response", "2026-11-07 15:02:11", "2026-11-30",
         "Cardholder states the merchandise was never delivered. Cardholder contacted the "
         "merchant on 11/02 with no resolution."],
        ["csv", "CBK-7781-0502", o20.csv_charge, o20.ref, "fraudulent", "10.4",
         money(o20.total), "USD", "open", "2026-11-19T09:40:00Z", "2026-12-10T23:59:59Z",
         "Cardholder does not recognize this transaction, \"I never ordered from this "
         "company\"."],
    ]
    o8.dispute = {"id": "CBK-7781-0457"}
    o20.dispute = {"id": "CBK-7781-0502"}
    write(f"{out}/csv/disputes.csv", csv_text(disp_header, drows))

    sh_header = ["order_number", "carrier", "tracking_number", "service", "shipped_at",
                 "status", "delivered_at", "signed_by", "to_name", "to_line1", "to_city",
                 "to_state", "to_postal", "to_country"]
    tr_header = ["carrier", "tracking_number", "occurred_at", "status", "message", "city",
                 "state", "postal", "country"]
    srows, trows = [], []
    for o in ORDERS.values():
        t = o.tracking
        if not t or t["feed"] != "csv":
            continue
        s = o.ship_addr
        srows.append([o.ref, t["carrier"], t["number"], t["service"],
                      plain_utc(t["events"][1][2]), t["events"][-1][0],
                      plain_utc(t["delivered"]) if t["delivered"] else "",
                      t["signed_by"] or "", o.ship_name, s["line1"], s["city"], s["state"],
                      s["zip"], "US"])
        for status, msg, when, loc in t["events"]:
            city, st, z = loc if loc else ("", "", "")
            trows.append([t["carrier"], t["number"], iso_z(when), status, msg, city, st, z,
                          "US" if loc else ""])
    write(f"{out}/csv/shipments.csv", csv_text(sh_header, srows))
    write(f"{out}/csv/tracking.csv", csv_text(tr_header, trows))

    mrows = chat_messages({"chat", "email"})
    mh = ["message_id", "ticket_id", "order_number", "email", "channel", "direction", "author",
          "sent_at", "body"]
    write(f"{out}/csv/messages.csv", csv_text(mh, [[r[k] for k in mh] for r in mrows]))

    pol = [
        ["refund", "Returns & Refunds",
         "We accept returns of unworn, unwashed items with tags attached within 30 days of "
         "delivery.\nEvery order includes a prepaid USPS return label; exchanges ship free.\n"
         "Refunds go back to the original payment method on the day the return is checked in "
         "at our Portland warehouse. Your bank may take 5-10 business days to show the "
         "credit.\nGift cards and Sock Club boxes that have been opened are final sale.",
         "Linked in the footer of every page, on each product page under \"Free returns\", "
         "and at checkout next to the Place order button; the customer ticks \"I agree to "
         "the Terms and the Refund Policy\" (required) before paying."],
        ["shipping", "Shipping Policy",
         "Orders placed before 12 pm Pacific ship the same business day from Portland, OR.\n"
         "Standard (3-5 business days) is free over $100, otherwise $7.95. Express (2 "
         "business days) is $19.95. Signature Confirmation can be added for $3.00.\n"
         "We ship with USPS, UPS, FedEx and OnTrac to US addresses only. A tracking number is "
         "emailed when the label is printed. Once the carrier marks a parcel delivered to the "
         "address given at checkout, it is the customer's; we help open a carrier claim for "
         "missing parcels.",
         "Shown on the cart page and as the delivery estimate on the shipping step of "
         "checkout."],
        ["cancellation", "Sock Club Subscription Terms",
         "Sock Club renews monthly on the billing date shown in your account, for $24.00 "
         "plus sales tax, shipping included.\nYou can skip a month or cancel at any time "
         "before the billing "
         "date from Account > Subscriptions, or by emailing support; cancellation takes "
         "effect for the next billing date.\nWe email a reminder 3 days before each renewal. "
         "Boxes already billed and shipped are not refundable once opened; unopened boxes can "
         "be returned within 30 days.",
         "Shown on the Sock Club product page and in the subscription checkout, where the "
         "customer ticks \"I understand my subscription renews monthly until I cancel\" "
         "(required). Renewal reminder emails are sent 3 days before each billing date."],
        ["terms", "Terms of Service",
         "By placing an order you confirm that you are authorised to use the payment method "
         "provided. Prices are in US dollars and include no tax; sales tax is added at "
         "checkout. Northwind Outfitters LLC, 2150 N Columbia Blvd, Portland, OR 97217.",
         "Accepted with a required checkbox at checkout (since 2025-03-01)."],
    ]
    write(f"{out}/csv/policies.csv", csv_text(["kind", "title", "body", "disclosure"], pol))


# ---- images -------------------------------------------------------------------------------

FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(os.path.join(FONT_DIR, name), size)
    except OSError:
        return ImageFont.load_default()


def gradient(w, h, top, bottom):
    mask = Image.linear_gradient("L").resize((w, h))
    return Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top),
                           mask)


def grain(img, amount, r):
    """Low-frequency sensor-like noise: random bytes at half size, smoothed, blended in."""
    w, h = img.size
    n = Image.frombytes("L", (w // 2, h // 2), r.randbytes((w // 2) * (h // 2)))
    n = n.resize((w, h), Image.BILINEAR).filter(ImageFilter.GaussianBlur(0.6))
    return Image.blend(img, Image.merge("RGB", (n, n, n)), amount)


def delivery_photo(path, r, caption, when_text, place_text, carrier, tone):
    w, h = 800, 600
    wall_top, wall_bot, floor_top, floor_bot = tone
    img = gradient(w, h, wall_top, wall_bot)
    d = ImageDraw.Draw(img)
    for y in range(20, 380, 22):                                   # siding boards
        d.line([(0, y), (w, y)], fill=tuple(max(0, v - 18) for v in wall_bot), width=2)
    door = (470, 60, 690, 400)
    d.rectangle(door, fill=(58, 44, 36))
    d.rectangle((door[0] + 18, door[1] + 20, door[2] - 18, door[1] + 150), outline=(40, 30, 24),
                width=4)
    d.rectangle((door[0] + 18, door[1] + 170, door[2] - 18, door[3] - 20), outline=(40, 30, 24),
                width=4)
    d.ellipse((door[0] + 180, 235, door[0] + 196, 251), fill=(190, 160, 80))
    floor = gradient(w, h - 380, floor_top, floor_bot)
    img.paste(floor, (0, 380))
    for x in range(-400, w + 400, 70):                              # porch planks, perspective
        d.line([(x, 600), (x // 2 + 200, 380)], fill=tuple(max(0, v - 25) for v in floor_bot),
               width=2)
    d.polygon([(400, 420), (720, 420), (760, 470), (370, 470)], fill=(88, 74, 58))   # mat
    # the parcel: front, top and side faces, tape, shipping label with a barcode
    bx, by, bw, bh = 180 + r.randint(-30, 30), 300, 230, 150
    d.polygon([(bx, by), (bx + bw, by), (bx + bw, by + bh), (bx, by + bh)], fill=(176, 130, 84))
    d.polygon([(bx, by), (bx + 60, by - 45), (bx + bw + 60, by - 45), (bx + bw, by)],
              fill=(201, 155, 104))
    d.polygon([(bx + bw, by), (bx + bw + 60, by - 45), (bx + bw + 60, by + bh - 45),
               (bx + bw, by + bh)], fill=(142, 102, 64))
    d.polygon([(bx + 100, by), (bx + 160, by - 45), (bx + 185, by - 45), (bx + 125, by)],
              fill=(214, 196, 160))
    d.rectangle((bx + 112, by, bx + 125, by + bh), fill=(205, 186, 150))
    d.rectangle((bx + 20, by + 30, bx + 100, by + 95), fill=(245, 245, 240))
    for i in range(24):
        x = bx + 26 + i * 3
        d.line([(x, by + 62), (x, by + 88)], fill=(20, 20, 20), width=1 + (r.random() < 0.4))
    d.text((bx + 26, by + 36), carrier, font=font(13, True), fill=(30, 30, 30))
    d.polygon([(bx - 10, by + bh + 4), (bx + bw + 60, by + bh + 4),
               (bx + bw + 90, by + bh + 22), (bx + 20, by + bh + 22)], fill=(60, 52, 44))
    img = img.filter(ImageFilter.GaussianBlur(1.1))
    img = grain(img, 0.07, r)
    d = ImageDraw.Draw(img, "RGBA")
    d.rectangle((0, h - 92, w, h), fill=(0, 0, 0, 170))
    d.text((24, h - 84), caption, font=font(34, True), fill=(255, 255, 255))
    d.text((24, h - 40), f"{when_text}   {place_text}", font=font(20), fill=(235, 235, 235))
    d.text((w - 250, 16), f"{carrier} proof of delivery", font=font(16), fill=(255, 255, 255))
    img.save(path, "JPEG", quality=72, optimize=True)


def signature_png(path, r, signer, tracking):
    w, h = 640, 220
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    d.line([(40, 160), (600, 160)], fill=170, width=2)
    d.text((40, 170), f"Signature: {signer}   USPS {tracking}", font=font(14), fill=90)
    d.text((40, 14), "Delivery signature record", font=font(16, True), fill=60)
    # a handwriting-like stroke: a prolate cycloid (loops like joined-up letters) whose loop
    # size and slant wander, a tall first letter, then an underline flourish
    import math
    pts = []
    for i in range(0, 90):                                   # the capital: two tall peaks
        t = i / 89.0
        pts.append((60 + 70 * t + 6 * math.sin(t * 9), 140 - 70 * abs(math.sin(t * 2 * math.pi))
                    + r.uniform(-0.8, 0.8)))
    x0, k = 135.0, 0.0
    while k < 26 * math.pi:
        amp = 15 + 7 * math.sin(k / 5.1) + (14 if int(k / (2 * math.pi)) in (3, 8) else 0)
        x = x0 + 4.2 * k - 9 * math.sin(k) + 0.25 * amp
        y = 128 - amp * (0.5 + 0.5 * math.cos(k)) + r.uniform(-0.7, 0.7)
        pts.append((x, y))
        k += 0.12
    d.line(pts, fill=25, width=3, joint="curve")
    fl = [(120 + 6 * i, 150 - 6 * math.sin(i / 12.0) - i * 0.2) for i in range(62)]
    d.line(fl, fill=25, width=2, joint="curve")
    img.save(path, "PNG", optimize=True)


def product_photo(path, r, colour, label, tag):
    w, h = 800, 800
    img = gradient(w, h, (238, 236, 232), (206, 203, 198))
    d = ImageDraw.Draw(img)
    d.ellipse((170, 700, 630, 760), fill=(180, 176, 170))                      # shadow
    cx = 400
    body = [(cx - 150, 200), (cx - 60, 170), (cx, 200), (cx + 60, 170), (cx + 150, 200),
            (cx + 165, 690), (cx - 165, 690)]
    d.polygon(body, fill=colour)
    dark = tuple(max(0, v - 35) for v in colour)
    d.polygon([(cx - 150, 200), (cx - 265, 560), (cx - 215, 585), (cx - 140, 330)], fill=dark)
    d.polygon([(cx + 150, 200), (cx + 265, 560), (cx + 215, 585), (cx + 140, 330)], fill=dark)
    d.polygon([(cx - 60, 170), (cx, 230), (cx + 60, 170), (cx + 45, 150), (cx - 45, 150)],
              fill=tuple(max(0, v - 55) for v in colour))
    d.line([(cx, 230), (cx, 690)], fill=(60, 60, 60), width=3)                 # zipper
    for y in range(240, 690, 9):
        d.line([(cx - 3, y), (cx + 3, y)], fill=(90, 90, 90), width=1)
    d.rectangle((cx - 20, 188, cx + 20, 214), fill=(250, 250, 246))           # size tag
    d.text((cx - 9, 190), tag, font=font(18, True), fill=(30, 30, 30))
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    img = grain(img, 0.05, r)
    d = ImageDraw.Draw(img)
    d.text((40, 30), label, font=font(24, True), fill=(40, 40, 40))
    d.text((40, 64), "Northwind Outfitters - photographed at packing", font=font(16),
           fill=(90, 90, 90))
    img = img.resize((640, 640), Image.LANCZOS)
    img.save(path, "JPEG", quality=74, optimize=True)


def stamp(t, tz):
    return dt.datetime.fromtimestamp(t, tz).strftime("%Y-%m-%d %H:%M %Z")


def gen_files(out):
    r = random.Random(SEED + 7)
    fdir = f"{out}/files"
    os.makedirs(fdir, exist_ok=True)
    att = []

    def place(o):
        a = o.ship_addr
        return f"{a['city'].upper()}, {a['state']} {a['zip']}"

    porch_tones = [((196, 204, 210), (160, 170, 178), (150, 126, 100), (110, 90, 70)),
                   ((222, 214, 196), (186, 176, 156), (128, 128, 128), (96, 96, 96)),
                   ((170, 186, 160), (132, 150, 124), (140, 110, 86), (100, 78, 60)),
                   ((214, 190, 172), (178, 152, 134), (120, 120, 126), (84, 84, 90))]
    pods = [(1012, "pod_1012_usps.jpg", "dispute"), (1011, "pod_1011_ups.jpg", "order"),
            (1008, "pod_1008_ontrac.jpg", "order"), (1021, "pod_1021_fedex.jpg", "order")]
    for i, (num, name, owner) in enumerate(pods):
        o = ORDERS[num]
        t = o.tracking
        delivery_photo(f"{fdir}/{name}", r, "DELIVERED", stamp(t["delivered"], t["tz"]),
                       place(o), t["carrier"].upper(), porch_tones[i])
        ref = o.dispute["id"] if owner == "dispute" else o.ref
        att.append([owner, ref if owner == "dispute" else o.ref, f"files/{name}", "pod"])
    o = ORDERS[1012]
    signature_png(f"{fdir}/signature_1012_usps.png", r, o.tracking["signed_by"],
                  o.tracking["number"])
    att.append(["order", o.ref, "files/signature_1012_usps.png", "signature"])
    product_photo(f"{fdir}/product_1014_fleece_m_forest.jpg", r, (52, 88, 62),
                  "Trailhead Fleece Jacket - Forest - size M (order #1014)", "M")
    att.append(["dispute", ORDERS[1014].dispute["id"], "files/product_1014_fleece_m_forest.jpg",
                "product_photo"])
    product_photo(f"{fdir}/product_1018_rain_m_slate.jpg", r, (92, 104, 116),
                  "Ridgeline Rain Shell - Slate - size M (order #1018)", "M")
    att.append(["order", "#1018", "files/product_1018_rain_m_slate.jpg", "product_photo"])
    write(f"{out}/attachments.csv", csv_text(["owner_kind", "owner_ref", "file", "kind"], att))


# ---- Stripe files ---------------------------------------------------------------------------

def gen_stripe(out):
    disputes = [stripe_dispute(spec) for spec in STRIPE_DISPUTES]
    env = {"object": "list", "data": disputes, "has_more": False, "url": "/v1/disputes"}
    write(f"{out}/stripe/disputes.json", jdump(env))
    write(f"{out}/stripe/charges.ndjson", ndjson(sorted(CHARGES, key=lambda c: c["created"])))


UNIFIED_HEADER = (
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
    "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,Is Link,"
    "Link Funding,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),"
    "Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Card Name,"
    "Card Address Line1,Card Address Line2,Card Address City,Card Address State,"
    "Card Address Country,Card Address Zip,Card AVS Line1 Status,Card AVS Zip Status,"
    "Card Brand,Card CVC Status,Card Exp Month,Card Exp Year,Card Fingerprint,Card Funding,"
    "Card Issue Country,Card Last4,Card Tokenization Method,Customer ID,Customer Description,"
    "Customer Email,Customer Phone,Shipping Name,Shipping Address Line1,Shipping Address Line2,"
    "Shipping Address City,Shipping Address State,Shipping Address Country,"
    "Shipping Address Postal Code,Disputed Amount,Dispute Date (UTC),"
    "Dispute Evidence Due (UTC),Dispute Reason,Dispute Status,Invoice ID,Invoice Number,"
    "Checkout Session ID,Checkout Custom Field 1 Key,Checkout Custom Field 1 Value,"
    "Checkout Custom Field 2 Key,Checkout Custom Field 2 Value,Checkout Custom Field 3 Key,"
    "Checkout Custom Field 3 Value,Checkout Line Item Summary,Checkout Promotional Consent,"
    "Checkout Terms of Service Consent,Client Reference ID,Payment Link ID,UTM Campaign,"
    "UTM Content,UTM Medium,UTM Source,UTM Term,Terminal Location ID,Terminal Reader ID,"
    "Application Fee,Application ID,Destination,Transfer,Transfer Group").split(",")
BRAND_LABEL = {"visa": "Visa", "mastercard": "MasterCard", "amex": "American Express"}


def gen_unified_payments(out):
    """The same Stripe charges as the dashboard's Payments export (unified_payments.csv)."""
    header = UNIFIED_HEADER + ["order_id (metadata)", "customer_ip (metadata)"]
    rows = []
    disputes = {o.charge_id: o.dispute for o in ORDERS.values()
                if o.charge_id and getattr(o, "dispute", None)}
    for c in sorted(CHARGES, key=lambda c: -c["created"]):          # newest first
        card = c["payment_method_details"]["card"]
        b, sh = c["billing_details"], c["shipping"] or {}
        ba, sa = b["address"], sh.get("address") or {}
        refunds = c["refunds"]["data"]
        failed = c["status"] == "failed"
        fee = 0 if failed else (c["amount"] * 29 + 500) // 1000 + 30
        status = "Failed" if failed else ("Refunded" if c["refunded"] else "Paid")
        r = dict.fromkeys(header, "")
        r.update({
            "id": c["id"], "Created date (UTC)": plain_utc(c["created"]),
            "Amount": money(c["amount"]), "Amount Refunded": money(c["amount_refunded"]),
            "Currency": "usd", "Captured": "true" if c["captured"] else "false",
            "Converted Amount": money(c["amount"]),
            "Converted Amount Refunded": money(c["amount_refunded"]),
            "Converted Currency": "usd",
            "Decline Reason": (c["outcome"]["reason"] or "") if failed else "",
            "Description": c["description"], "Fee": money(fee), "Is Link": "false",
            "Mode": "Live", "PaymentIntent ID": c["payment_intent"],
            "Payment Source Type": "card",
            "Refunded date (UTC)": plain_utc(refunds[0]["created"]) if refunds else "",
            "Statement Descriptor": "NORTHWIND OUTFITTERS", "Status": status,
            "Seller Message": c["outcome"]["seller_message"], "Taxes On Fee": "0.00",
            "Card ID": c["payment_method"], "Card Name": b["name"],
            "Card Address Line1": ba["line1"], "Card Address Line2": ba["line2"] or "",
            "Card Address City": ba["city"], "Card Address State": ba["state"],
            "Card Address Country": ba["country"], "Card Address Zip": ba["postal_code"],
            "Card AVS Line1 Status": card["checks"]["address_line1_check"] or "",
            "Card AVS Zip Status": card["checks"]["address_postal_code_check"] or "",
            "Card Brand": BRAND_LABEL[card["brand"]],
            "Card CVC Status": card["checks"]["cvc_check"] or "",
            "Card Exp Month": str(card["exp_month"]), "Card Exp Year": str(card["exp_year"]),
            "Card Fingerprint": card["fingerprint"], "Card Funding": card["funding"],
            "Card Issue Country": card["country"], "Card Last4": card["last4"],
            "Customer ID": c["customer"], "Customer Email": b["email"],
            "Customer Phone": b["phone"], "Shipping Name": sh.get("name") or "",
            "Shipping Address Line1": sa.get("line1") or "",
            "Shipping Address Line2": sa.get("line2") or "",
            "Shipping Address City": sa.get("city") or "",
            "Shipping Address State": sa.get("state") or "",
            "Shipping Address Country": sa.get("country") or "",
            "Shipping Address Postal Code": sa.get("postal_code") or "",
            "order_id (metadata)": c["metadata"].get("order_id", ""),
            "customer_ip (metadata)": c["metadata"].get("customer_ip", ""),
        })
        d = disputes.get(c["id"])
        if d and not failed:
            r.update({"Disputed Amount": money(d["amount"]),
                      "Dispute Date (UTC)": plain_utc(d["created"]),
                      "Dispute Evidence Due (UTC)": plain_utc(d["evidence_details"]["due_by"]),
                      "Dispute Reason": d["reason"], "Dispute Status": d["status"]})
        rows.append([r[h] for h in header])
    write(f"{out}/extra/stripe_unified_payments.csv", csv_text(header, rows, crlf=False))


def gen_tracking(out):
    ep = [easypost_tracker(o) for o in ORDERS.values()
          if o.tracking and o.tracking["feed"] == "easypost"]
    write(f"{out}/tracking/easypost.json", jdump({"trackers": ep, "has_more": False}))
    trk = [aftership_tracking(o) for o in ORDERS.values()
           if o.tracking and o.tracking["feed"] == "aftership"]
    write(f"{out}/tracking/aftership.json", jdump({"meta": {"code": 200}, "data": {
        "page": 1, "limit": 100, "count": len(trk), "keyword": "", "slug": "",
        "origin": [], "destination": [], "tag": "", "fields": "",
        "created_at_min": "2026-08-24T00:00:00+00:00",
        "created_at_max": "2026-11-22T23:59:59+00:00", "trackings": trk}}))


def gen_conversations(out):
    write(f"{out}/zendesk/tickets.ndjson", ndjson(zendesk_tickets()))
    write(f"{out}/messages/instagram.ndjson", ndjson(chat_messages({"instagram"})))


# ---- samples/README.md ----------------------------------------------------------------------

STORY = {
    1021: "Fraud claim by a returning customer. The charge was 3-D Secure authenticated "
          "(challenge, 2.2.0) with AVS line1/zip and CVC pass, Radar risk 12. Two earlier "
          "undisputed orders, {p1} and {p2}, used the same card fingerprint, email, IP, device "
          "fingerprint (charge metadata) and Boston shipping address, {d1} and {d2} days before: "
          "Visa CE 3.0 material (Stripe says requires_action). FedEx delivered with a signature "
          "(Z.ANGSTROM) at the billing zip; delivery photo attached to the order; Zendesk "
          "ticket (tag order_1021) where she thanks us after delivery; comment metadata carries "
          "the same IP. Due soonest (Nov 24).",
    1012: "Not received, Mastercard 4855. USPS Signature Confirmation: EasyPost tracker linked "
          "through the charge's shipping.tracking_number, delivered and signed \"M TURNER\" at "
          "zip 43201 = the shipping zip. Signature PNG (order) and delivery photo (dispute) "
          "attached. Zendesk ticket (order number in the subject) with an angry customer and "
          "one internal note that must stay out of the packet.",
    1014: "Product unacceptable, wrong size (Visa 13.3). Linked by Shopify Payment ID = charge "
          "id (no metadata). Zendesk ticket (order number only in a custom field) where we offer "
          "an exchange and a full refund on return twice; refund policy in policies.csv; product "
          "photo attached to the dispute.",
    1017: "Duplicate (Visa 12.6.1). Ryan Patel placed #1016 and #1017 41 minutes apart for the "
          "same amount: two separate orders (different size and colour, #1017 shipped as a gift "
          "to Naperville), two charges, two UPS trackers.",
    1019: "Subscription canceled (Visa 13.2 inquiry, warning_needs_response, expanded charge). "
          "Sock Club renewal billed Oct 18; the cancellation request came Oct 20, after the box "
          "shipped. Zendesk ticket has no order number: it links by requester email within the "
          "order's time window. Cancellation policy with its checkout disclosure in "
          "policies.csv.",
    1009: "Credit not processed (Amex C02): the charge carries the full refund (refunds.data[0], "
          "acquirer reference number) issued Oct 30. Chat in csv/messages.csv has no order "
          "number: links by email and time.",
    1023: "General / amount differs (Mastercard 4831), under_review: evidence already "
          "submitted (has_evidence, submission_count 1). Zendesk ticket explaining the Express "
          "shipping and tax.",
    1007: "Not received (Visa 13.1), won: customer wrote \"Found it!\" in Zendesk (tag "
          "order_1007) after USPS delivered to the porch. Balance transactions show the "
          "withdrawal and the reversal.",
    1011: "PayPal not received: AfterShip UPS 1Z999AA10123456784 (planted identifier), "
          "Delivered_003 signed by HUONG at zip 92683; delivery photo attached to the order. "
          "Buyer message partly in Vietnamese.",
    1018: "PayPal not as described (colour): buyer and seller messages inside the dispute, and "
          "an Instagram DM thread (order number on each message) with emoji and the planted "
          "card number; product photo attached to the order; AfterShip USPS delivered.",
    1024: "PayPal UNAUTHORISED, card chargeback through PayPal (dispute_channel EXTERNAL, "
          "external_reason_code 10.4), status OPEN. AfterShip FedEx delivered, signed W.HARRIS.",
    1005: "PayPal not received, RESOLVED in the seller's favour at the inquiry stage; "
          "evidences[] has PROOF_OF_FULFILLMENT with USPS tracking.",
    1008: "Generic CSV gateway, not received (13.1): shipments.csv + tracking.csv (OnTrac, "
          "delivered at the back door as the customer asked by email); delivery photo attached "
          "to the order.",
    1020: "Generic CSV gateway, fraud (10.4), status \"open\": AVS line1 failed but zip and CVC "
          "passed; a pre-sale chat in csv/messages.csv asks to ship to this address; UPS "
          "delivered, signed ADAMS.",
}


def gen_readme(out, disputes):
    o21 = ORDERS[1021]
    story = dict(STORY)
    story[1021] = story[1021].format(
        p1="#1002", p2="#1004",
        d1=(o21.charge["created"] - ORDERS[1002].charge["created"]) // DAY,
        d2=(o21.charge["created"] - ORDERS[1004].charge["created"]) // DAY)
    n_shop = sum(1 for o in ORDERS.values() if o.gateway != "csv")
    n_rows = sum(len(o.lines) for o in ORDERS.values() if o.gateway != "csv")
    rows = []
    for g, did, num, reason, status, due in disputes:
        o = ORDERS[num]
        rows.append(f"| {g} | `{did}` | {o.ref} | {o.cust.name} | {reason} | {status} | "
                    f"{due} | ${money(o.total)} |")
    text = f"""# cbpack sample data set

Made by `scripts/gen_samples.py` (deterministic; do not edit by hand, re-run the script) and
checked by `scripts/check_samples.py`. Everything here is invented. "Now" is
2026-11-23 00:00 UTC (SOURCE_DATE_EPOCH=1795392000).

The merchant is **{MERCHANT}**, a US apparel and accessories shop in Portland, OR
(shop timezone America/Los_Angeles, so Shopify times are -0700 before Nov 1 and -0800 after).
It has 30 orders, #1001..#1030, placed from 2026-01 to 2026-11, and 14 disputes opened
2026-11-01..20.

## Files

| file | format (`cbpack import` name) | contents |
|---|---|---|
| shopify/orders_export.csv | shopify-orders | 79-column Shopify export, {n_shop} orders ({n_rows} rows), newest first, multi-row orders, `'` zips, multi-line Notes / Note Attributes with `IP address: ...` |
| csv/orders.csv | orders-csv | 4 phone orders (#1008, #1013, #1020, #1026) |
| stripe/disputes.json | stripe | list envelope, 8 disputes, 2 with the charge expanded |
| stripe/charges.ndjson | stripe | {len(CHARGES)} charges (one declined attempt), including the expanded ones again |
| paypal/disputes.json | paypal-disputes | `{{"items":[...]}}`, 4 full dispute objects |
| tracking/easypost.json | easypost | `{{"trackers":[...]}}`, ten scans each |
| tracking/aftership.json | aftership | `{{"meta":..,"data":{{"trackings":[...]}}}}` |
| csv/shipments.csv, csv/tracking.csv | shipments-csv, tracking-csv | 4 shipments and their scans |
| csv/payments.csv, csv/disputes.csv | payments-csv, disputes-csv | the phone orders' payments; 2 disputes from the "csv" gateway |
| zendesk/tickets.ndjson | zendesk | one `{{"ticket","comments","users"}}` per line |
| messages/instagram.ndjson | messages | Instagram DMs, generic message keys |
| csv/messages.csv | messages | chat and email threads |
| csv/policies.csv | policies-csv | refund, shipping, cancellation, terms (multi-line bodies) |
| attachments.csv + files/ | `cbpack attach --list` | delivery photos (JPEG 800x600), a signature (PNG), product photos (JPEG) |

Not part of the demo set: **extra/stripe_unified_payments.csv** (`stripe-payments`) holds the
same Stripe charges in the Dashboard "Payments" export shape (exact header plus
`order_id (metadata)` and `customer_ip (metadata)`), for importer tests. That CSV has no
dispute ids, so importing it together with stripe/disputes.json would record each Stripe
dispute a second time under a made-up id; use one or the other.

## Disputes

| gateway | id | order | customer | reason | status | due (UTC) | amount |
|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + """

## What each dispute shows

""" + "\n".join(f"- **{ORDERS[n].ref}**: {story[n]}" for _g, _d, n, *_r in disputes) + """

## How things link

- Stripe dispute `charge` -> charge id in stripe/charges.ndjson (or expanded in place).
- Charge -> order: `metadata.order_id` ("#10xx") for most; for #1003, #1006, #1014 and #1028
  the charge has no metadata and the Shopify row's `Payment ID` is the charge id.
- PayPal: `disputed_transactions[0].invoice_number` = order number; `seller_transaction_id` =
  the Shopify `Payment ID` / `Payment Reference` of the order.
- Generic CSV: disputes.csv `charge_id` -> payments.csv, both carry `order_number`.
- Shipments: EasyPost has no order field; each tracker's `tracking_code` is the
  `shipping.tracking_number` of a Stripe charge. AfterShip carries `order_number`;
  shipments.csv carries `order_number`; tracking.csv joins on `tracking_number`.
- Conversations: Zendesk by subject (#1012, #1015, #1023), tag `order_10xx` (#1007, #1021),
  custom field 360041592211 (#1014), or only the requester email within the order's window
  (#1019). Chats: `order_number` when the inbox knew it; #1009 and the Instagram #1028 thread
  link only by email; one Instagram thread (a question about shipping to Canada) belongs to
  no order and must not be linked.
- attachments.csv: `owner_kind` order (owner_ref "#10xx") or dispute (gateway id).

## Planted test values

- A full card number `4111 1111 1111 1111` (with `exp 09/28 cvv 737`) in one Instagram message
  of #1018: it must never reach the store or a packet.
- Shopify Id of #1021 (`{o21.shopify_id}`) is 13 digits and Luhn-valid: an identifier that must
  survive intact. So must the UPS number `1Z999AA10123456784` and the 22-digit USPS numbers.
- Emoji (😡 👍 😍 🙌 💚 😊) in Instagram messages; non-ASCII names Nguyễn Thị Hương, José Muñoz,
  Zoë Ångström, François Lefèvre; an apostrophe in Liam O'Connor.
- One Shopify continuation row (#1012's third line item) is at the end of the file, away
  from its order: grouping must be by `Name`, not by adjacency.
- Zendesk internal notes (`"public": false`) in the #1007, #1012, #1014 and #1019 tickets.
- A declined Stripe charge (#1027) before the successful one.
"""
    write(f"{out}/README.md", text.replace("{o21.shopify_id}", o21.shopify_id))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "samples")
    out = os.path.normpath(out)
    for sub in ("shopify", "stripe", "paypal", "tracking", "zendesk", "messages", "csv",
                "files", "extra"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    # order matters: disputes record themselves on their orders, files name the disputes
    gen_shopify(out)
    gen_stripe(out)
    gen_unified_payments(out)
    write(f"{out}/paypal/disputes.json", jdump(gen_paypal()))
    gen_tracking(out)
    gen_conversations(out)
    gen_generic(out)
    gen_files(out)
    listing = [("stripe", ORDERS[n].dispute["id"], n, r, st, due)
               for n, r, _nw, _c, _ct, st, _op, due, _ex in STRIPE_DISPUTES]
    listing += [("paypal", ORDERS[n].dispute["dispute_id"], n, ORDERS[n].dispute["reason"],
                 ORDERS[n].dispute["status"],
                 ORDERS[n].dispute["seller_response_due_date"][:10]) for n in (1011, 1018, 1024,
                                                                              1005)]
    listing += [("csv", "CBK-7781-0457", 1008, "product_not_received", "needs_response",
                 "2026-11-30"), ("csv", "CBK-7781-0502", 1020, "fraudulent", "open",
                                 "2026-12-10")]
    gen_readme(out, listing)
    total = 0
    for root, _dirs, files in os.walk(out):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    print(f"gen_samples: wrote {out} ({total} bytes)")


if __name__ == "__main__":
    main()
