-- cbpack store schema. Version 1. Migrations live in src/store/migrate.c:
-- each step takes PRAGMA user_version from N to N+1 inside one transaction.
-- Conventions: money is INTEGER minor units with an ISO 4217 `currency`;
-- times are INTEGER Unix seconds UTC; *_ref columns hold natural keys from
-- the exports, *_id columns the links resolved from them (NULL until the
-- other side exists). Card data is brand + last 4 only.
-- docs/linking.md says how links are resolved; the indexes below marked
-- "link" exist so that the set-based link pass never scans a table per row.

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,          -- lower-cased
  name TEXT, phone TEXT,
  first_seen INTEGER
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  order_key TEXT NOT NULL UNIQUE,      -- order_ref without leading '#', as matched
  order_ref TEXT NOT NULL,             -- as shown, e.g. "#1001"
  source TEXT, external_id TEXT,
  customer_id INTEGER REFERENCES customers(id),
  email TEXT, phone TEXT, customer_name TEXT,
  created_at INTEGER, paid_at INTEGER, fulfilled_at INTEGER, cancelled_at INTEGER,
  financial_status TEXT, fulfillment_status TEXT,
  currency TEXT,
  subtotal INTEGER, shipping INTEGER, taxes INTEGER, total INTEGER,
  discount INTEGER, refunded INTEGER,
  discount_code TEXT, shipping_method TEXT,
  bill_name TEXT, bill_company TEXT, bill_line1 TEXT, bill_line2 TEXT, bill_city TEXT,
  bill_state TEXT, bill_postal TEXT, bill_country TEXT, bill_phone TEXT,
  ship_name TEXT, ship_company TEXT, ship_line1 TEXT, ship_line2 TEXT, ship_city TEXT,
  ship_state TEXT, ship_postal TEXT, ship_country TEXT, ship_phone TEXT,
  notes TEXT, ip TEXT, device_id TEXT, user_agent TEXT,
  payment_method TEXT, payment_reference TEXT, payment_id TEXT,
  risk_level TEXT, channel TEXT, customer_account_id TEXT
);
CREATE INDEX orders_external ON orders(external_id);
CREATE INDEX orders_payment_ref ON orders(payment_reference);
CREATE INDEX orders_payment_id ON orders(payment_id);
CREATE INDEX orders_email ON orders(email);
CREATE INDEX orders_customer ON orders(customer_id, created_at);  -- link: email window

CREATE TABLE order_lines (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  name TEXT, sku TEXT, quantity INTEGER NOT NULL DEFAULT 1,
  price INTEGER, currency TEXT,
  requires_shipping INTEGER, fulfillment_status TEXT,
  UNIQUE (order_id, line_no)
);

CREATE TABLE charges (
  id INTEGER PRIMARY KEY,
  gateway TEXT NOT NULL, gateway_id TEXT NOT NULL,
  payment_intent TEXT, order_ref TEXT,
  order_id INTEGER REFERENCES orders(id),
  customer_id INTEGER REFERENCES customers(id),
  customer_ref TEXT, email TEXT, customer_name TEXT,
  amount INTEGER, amount_refunded INTEGER, currency TEXT,
  created_at INTEGER, status TEXT, description TEXT,
  card_brand TEXT, card_last4 TEXT, card_fingerprint TEXT, card_country TEXT,
  card_funding TEXT, card_exp_month INTEGER, card_exp_year INTEGER, wallet TEXT,
  avs_line1 TEXT, avs_postal TEXT, cvc TEXT,
  three_ds_result TEXT, three_ds_version TEXT, three_ds_flow TEXT,
  risk_level TEXT, risk_score INTEGER,
  network_status TEXT, outcome_type TEXT, seller_message TEXT,
  ip TEXT, device_id TEXT,
  bill_name TEXT, bill_line1 TEXT, bill_line2 TEXT, bill_city TEXT, bill_state TEXT,
  bill_postal TEXT, bill_country TEXT, bill_phone TEXT,
  ship_name TEXT, ship_line1 TEXT, ship_line2 TEXT, ship_city TEXT, ship_state TEXT,
  ship_postal TEXT, ship_country TEXT, ship_phone TEXT,
  shipping_carrier TEXT, shipping_tracking TEXT,
  receipt_email TEXT, receipt_number TEXT, metadata_json TEXT,
  UNIQUE (gateway, gateway_id)
);
CREATE INDEX charges_gateway_id ON charges(gateway_id);
CREATE INDEX charges_order ON charges(order_id);
CREATE INDEX charges_fingerprint ON charges(card_fingerprint);
CREATE INDEX charges_customer ON charges(customer_id);
CREATE INDEX charges_tracking ON charges(shipping_tracking);   -- link: shipment by tracking

CREATE TABLE refunds (
  id INTEGER PRIMARY KEY,
  gateway TEXT NOT NULL, gateway_id TEXT NOT NULL,
  charge_ref TEXT, charge_id INTEGER REFERENCES charges(id),
  amount INTEGER, currency TEXT, created_at INTEGER, status TEXT, reason TEXT,
  UNIQUE (gateway, gateway_id)
);
CREATE INDEX refunds_charge ON refunds(charge_id);

CREATE TABLE disputes (
  id INTEGER PRIMARY KEY,
  gateway TEXT NOT NULL, gateway_id TEXT NOT NULL,
  charge_ref TEXT, charge_id INTEGER REFERENCES charges(id),
  order_ref TEXT, order_id INTEGER REFERENCES orders(id),
  reason TEXT NOT NULL, gateway_reason TEXT, network_reason_code TEXT, network TEXT,
  amount INTEGER NOT NULL, currency TEXT NOT NULL,
  status TEXT NOT NULL, stage TEXT, is_open INTEGER NOT NULL,
  opened_at INTEGER, due_by INTEGER, updated_at INTEGER,
  buyer_statement TEXT, ce3_status TEXT,
  UNIQUE (gateway, gateway_id)
);
CREATE INDEX disputes_gateway_id ON disputes(gateway_id);
CREATE INDEX disputes_due ON disputes(is_open, due_by);
CREATE INDEX disputes_charge ON disputes(charge_id);
CREATE INDEX disputes_order ON disputes(order_id);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL, ticket_id TEXT NOT NULL,
  subject TEXT, order_ref TEXT, order_id INTEGER REFERENCES orders(id),
  -- which rule linked order_id: none, order_ref, ticket, email (docs/linking.md);
  -- a weaker link is replaced when a stronger one becomes possible
  order_via TEXT NOT NULL DEFAULT 'none',
  email TEXT, requester_name TEXT, created_at INTEGER, status TEXT, channel TEXT,
  UNIQUE (source, ticket_id)
);
CREATE INDEX tickets_ticket ON tickets(ticket_id);
CREATE INDEX tickets_order ON tickets(order_id);
CREATE INDEX tickets_via ON tickets(order_via);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL, source_id TEXT NOT NULL,
  ticket_id TEXT, order_ref TEXT, order_id INTEGER REFERENCES orders(id),
  order_via TEXT NOT NULL DEFAULT 'none',  -- none, order_ref, dispute, ticket, email
  dispute_ref TEXT, email TEXT,
  channel TEXT, direction TEXT NOT NULL CHECK (direction IN ('customer', 'merchant')),
  author TEXT, sent_at INTEGER, body TEXT NOT NULL, is_public INTEGER NOT NULL DEFAULT 1,
  attachment_names TEXT,
  UNIQUE (source, source_id)
);
CREATE INDEX messages_order ON messages(order_id, sent_at);
CREATE INDEX messages_email ON messages(email, sent_at);
CREATE INDEX messages_ticket ON messages(source, ticket_id);
CREATE INDEX messages_via ON messages(order_via);

CREATE TABLE shipments (
  id INTEGER PRIMARY KEY,
  carrier TEXT NOT NULL, carrier_key TEXT NOT NULL,   -- carrier_key: lower-case letters and digits
  tracking_number TEXT NOT NULL,
  order_ref TEXT, order_id INTEGER REFERENCES orders(id),
  status TEXT, service TEXT,
  shipped_at INTEGER, delivered_at INTEGER, est_delivery INTEGER,
  signed_by TEXT,
  to_name TEXT, to_line1 TEXT, to_line2 TEXT, to_city TEXT, to_state TEXT,
  to_postal TEXT, to_country TEXT,
  source TEXT,
  UNIQUE (carrier_key, tracking_number)
);
CREATE INDEX shipments_order ON shipments(order_id);
CREATE INDEX shipments_tracking ON shipments(tracking_number);

CREATE TABLE tracking_events (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
  occurred_at INTEGER NOT NULL, utc_offset_min INTEGER NOT NULL DEFAULT 0,
  status TEXT, message TEXT NOT NULL DEFAULT '',
  city TEXT, state TEXT, postal TEXT, country TEXT,
  UNIQUE (shipment_id, occurred_at, message)
);

CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('order', 'dispute')),
  owner_ref TEXT NOT NULL,             -- order_key, or "gateway:gateway_id" of a dispute
  order_id INTEGER REFERENCES orders(id),
  dispute_id INTEGER REFERENCES disputes(id),
  kind TEXT NOT NULL,                  -- pod, signature, product_photo, receipt, policy, other
  path TEXT NOT NULL,                  -- relative to the file area <db>.files: ab/<sha256>.<ext>
  sha256 TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
  original_name TEXT, added_at INTEGER,
  UNIQUE (owner_kind, owner_ref, sha256)
);
CREATE INDEX attachments_order ON attachments(order_id);
CREATE INDEX attachments_dispute ON attachments(dispute_id);

CREATE TABLE policies (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL UNIQUE, title TEXT, body TEXT NOT NULL, disclosure TEXT
);

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL, format TEXT NOT NULL, sha256 TEXT NOT NULL,
  rows_accepted INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,
  started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL
);

-- Nightly batch (issue 4): one row per run, one per last good packet.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL, finished_at INTEGER,
  status TEXT NOT NULL DEFAULT 'running',  -- running, ok, partial, failed, interrupted
  selected INTEGER NOT NULL DEFAULT 0, built INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
  missing_evidence INTEGER NOT NULL DEFAULT 0, due_48h INTEGER NOT NULL DEFAULT 0,
  options TEXT
);

CREATE TABLE packets (
  dispute_id INTEGER PRIMARY KEY REFERENCES disputes(id),
  digest TEXT NOT NULL, path TEXT NOT NULL, layout TEXT NOT NULL,
  bytes INTEGER NOT NULL, pages INTEGER NOT NULL, missing INTEGER NOT NULL DEFAULT 0,
  run_id INTEGER REFERENCES runs(id), built_at INTEGER NOT NULL
);

CREATE TABLE packet_failures (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  dispute_id INTEGER NOT NULL REFERENCES disputes(id),
  message TEXT NOT NULL,
  PRIMARY KEY (run_id, dispute_id)
);
