/*
 * Unit tests: the render module. A packet is built by hand with every
 * section filled (Vietnamese and Spanish names, emoji in chat, a 300-word
 * message, a 200-character URL, 60 messages, 10 scans, JPEG and PNG images
 * made here with libjpeg/libpng), rendered, and the PDF checked from the
 * outside with pdftotext, pdfinfo, pdfimages and qpdf.
 * CBPACK_RENDER_DUMP=path keeps the full packet's PDF for a look.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/evidence.h"
#include "cbpack/records.h"
#include "cbpack/redact.h"
#include "cbpack/render.h"

#define N_MESSAGES 60
#define N_EVENTS 10
#define N_EMOJI 2   /* one plain, one with a skin tone: each one marker */

static const char *const all_sections[] = {
	"cover", "order", "payment", "customer", "conversation", "shipping", "images",
	"refunds", "policies", NULL,
};

static const char long_url[] =
	"https://tracking.example-carrier.com/track/shipment/details?number=9400111899223100012345"
	"&locale=en_US&ref=order-confirmation-email&utm_source=shop&utm_medium=email&session="
	"7f3a9c2b1d8e4f60a5b7c9d1e3f5a7b9";

/* ---- a packet built by hand ------------------------------------------ */

struct fixture {
	char dir[64];
	char jpeg[96], jpeg_exif[96], png[96], pdf[96], broken[96];
	char **strings;
	size_t n_strings, alloc;
	struct cb_packet p;
};

static struct fixture *fx;

static char *S(const char *s)
{
	if (!s)
		return NULL;
	fx->strings = cb_xgrow(fx->strings, sizeof(char *), fx->n_strings + 1, &fx->alloc);
	return fx->strings[fx->n_strings++] = cb_xstrdup(s);
}

static char *SF(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *SF(const char *fmt, ...)
{
	struct cb_buf b = CB_BUF_INIT;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	cb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	s = S(cb_buf_cstr(&b));
	cb_buf_release(&b);
	return s;
}

/* A photo-like picture: gradients and a few blocks, so JPEG has work to do. */
static void write_jpeg(const char *path, int w, int h, int orientation)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *row = malloc((size_t)w * 3);
	FILE *fp = fopen(path, "wb");
	int x, y;

	assert_non_null(fp);
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, fp);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 80, TRUE);
	jpeg_start_compress(&c, TRUE);
	if (orientation != 1) {
		/* Minimal EXIF: big-endian TIFF, IFD0 with one Orientation entry. */
		unsigned char exif[] = { 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
					 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0,
					 (unsigned char)orientation, 0, 0, 0, 0, 0, 0 };

		jpeg_write_marker(&c, JPEG_APP0 + 1, exif, sizeof(exif));
	}
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			bool box = x > w / 3 && x < w / 2 && y > h / 4 && y < h * 3 / 4;

			row[3 * x] = (unsigned char)(box ? 200 : 40 + 180 * x / w);
			row[3 * x + 1] = (unsigned char)(box ? 60 : 90 + 120 * y / h);
			row[3 * x + 2] = (unsigned char)(box ? 50 : 160 - 100 * x / w);
		}
		/* An arrow-ish top marker so orientation can be checked by eye. */
		if (y < h / 10)
			memset(row + 3 * (w / 2 - w / 20), 255, (size_t)(w / 10) * 3);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(fp);
	free(row);
}

static void write_png(const char *path, int w, int h)
{
	png_image img;
	unsigned char *px = malloc((size_t)w * (size_t)h * 4);
	int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			unsigned char *p = px + ((size_t)y * (size_t)w + (size_t)x) * 4;

			p[0] = (unsigned char)(x * 255 / w);
			p[1] = 30;
			p[2] = (unsigned char)(y * 255 / h);
			p[3] = (unsigned char)((x + y) % 64 < 32 ? 255 : 80);
		}
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = PNG_FORMAT_RGBA;
	assert_true(png_image_write_to_file(&img, path, 0, px, 0, NULL));
	free(px);
}

static void write_text(const char *path, const char *s)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(s, fp);
	fclose(fp);
}

static void fill_address(struct cb_pk_address *a, const char *name, const char *line1,
			 const char *city, const char *state, const char *postal)
{
	memset(a, 0, sizeof(*a));
	a->name = S(name);
	a->line1 = S(line1);
	a->city = S(city);
	a->state = S(state);
	a->postal = S(postal);
	a->country = S("US");
}

static char *words(int n)
{
	static const char *const w[] = {
		"the", "parcel", "arrived", "yesterday", "but", "I", "was", "not", "home",
		"and", "my", "neighbour", "says", "nobody", "left", "anything", "at", "door",
		"please", "check", "với", "hàng", "café", "naïve", "señora",
	};
	struct cb_buf b = CB_BUF_INIT;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		cb_buf_addf(&b, "%s%s", i ? " " : "", w[(i * 7 + 3) % (sizeof(w) / sizeof(w[0]))]);
	cb_buf_adds(&b, " END-OF-LONG-MESSAGE");
	s = S(cb_buf_cstr(&b));
	cb_buf_release(&b);
	return s;
}

static void fill_order(struct cb_packet *p)
{
	struct cb_pk_order *o = &p->order;
	static const struct {
		const char *name, *sku;
		int64_t qty, price;
	} items[] = {
		{ "Merino wool crew-neck sweater, charcoal, size M", "MW-CREW-CHA-M", 1, 8900 },
		{ "Organic cotton socks (3-pack), Nguyễn collection", "OC-SOCK-3P", 2, 1450 },
		{ "Gift wrapping", "GIFT-WRAP", 1, 500 },
	};
	size_t i;

	p->has_order = true;
	o->order_ref = S("#1042");
	o->external_id = S("5821739202851");
	o->source = S("shopify");
	o->channel = S("web");
	o->created_at = 1788000000;
	o->paid_at = 1788000030;
	o->fulfilled_at = 1788090000;
	o->cancelled_at = CB_NO_TIME;
	o->financial_status = S("paid");
	o->fulfillment_status = S("fulfilled");
	o->currency = S("USD");
	o->subtotal = 12300;
	o->discount = 1230;
	o->shipping = 795;
	o->taxes = 886;
	o->total = 12751;
	o->refunded = 0;
	o->discount_code = S("WELCOME10");
	o->shipping_method = S("USPS Priority Mail");
	o->payment_method = S("Visa credit card");
	o->notes = S("Please leave the parcel with the concierge — thank you!");
	fill_address(&o->billing, "Nguyễn Thị Hương", "1187 Rue Saint-Denis, Apt 4", "Charleston",
		     "SC", "29407");
	fill_address(&o->shipping_addr, "Nguyễn Thị Hương", "1187 Rue Saint-Denis, Apt 4",
		     "Charleston", "SC", "29407");
	o->n_lines = sizeof(items) / sizeof(items[0]);
	o->lines = calloc(o->n_lines, sizeof(*o->lines));
	for (i = 0; i < o->n_lines; i++) {
		o->lines[i].name = S(items[i].name);
		o->lines[i].sku = S(items[i].sku);
		o->lines[i].quantity = items[i].qty;
		o->lines[i].price = items[i].price;
	}
}

static void fill_charge(struct cb_packet *p)
{
	struct cb_pk_charge *c = &p->charge;

	p->has_charge = true;
	c->gateway_id = S("ch_3PqR8sT2eZvKYlo21A9bCdEf");
	c->description = S("Order #1042");
	c->status = S("succeeded");
	c->currency = S("USD");
	c->amount = 12751;
	c->amount_refunded = 0;
	c->created_at = 1788000030;
	c->card_brand = S("Visa");
	/* A whole number where last 4 belong: the renderer must still show only 4. */
	c->card_last4 = S("4242424242424242");
	c->card_country = S("US");
	c->card_funding = S("credit");
	c->card_exp_month = 4;
	c->card_exp_year = 2029;
	c->avs_line1 = S("pass");
	c->avs_postal = S("pass");
	c->cvc = S("pass");
	c->three_ds_result = S("authenticated");
	c->three_ds_version = S("2.2.0");
	c->three_ds_flow = S("frictionless");
	c->risk_level = S("normal");
	c->risk_score = 12;
	c->network_status = S("approved_by_network");
	c->seller_message = S("Payment complete.");
	c->ip = S("203.0.113.42");
	c->device_id = S("dev_8c1f0b2e6a7d4c93b5e2");
	c->receipt_email = S("huong.nguyen@example.com");
	fill_address(&c->billing, "Nguyễn Thị Hương", "1187 Rue Saint-Denis, Apt 4", "Charleston",
		     "SC", "29407");
}

static void fill_messages(struct cb_packet *p)
{
	size_t i;

	p->n_messages = N_MESSAGES;
	p->messages = calloc(N_MESSAGES, sizeof(*p->messages));
	for (i = 0; i < N_MESSAGES; i++) {
		struct cb_pk_message *m = &p->messages[i];
		bool cust = i % 2 == 0;

		m->sent_at = 1788200000 + (int64_t)i * 3700;
		m->channel = S(i < 40 ? "email" : "chat");
		m->direction = S(cust ? "customer" : "merchant");
		m->author = S(cust ? "Nguyễn Thị Hương" : (i % 4 == 1 ? "José Muñoz" : "Support"));
		m->subject = i < 40 ? S("Where is my order #1042?") : S("Live chat");
		m->body = SF("Message %zu: %s", i + 1,
			     cust ? "Hi, I still have not received my sweater. Can you check the "
				    "tracking for me?" :
				    "Thanks for reaching out. The carrier shows the parcel as "
				    "delivered to your front door; here is the tracking link.");
	}
	p->messages[4].body = S("Message 5: Thanks, I found it 🙂 sorry for the trouble!");
	p->messages[6].body = S("Message 7: Great news 👍🏽 enjoy the sweater.");
	p->messages[10].body = SF("Message 11: %s", words(300));
	p->messages[12].body = SF("Message 13: tracking is here %s — let us know.", long_url);
}

static void fill_shipment(struct cb_packet *p)
{
	static const char *const status[N_EVENTS] = {
		"pre_transit", "in_transit", "in_transit", "in_transit", "in_transit",
		"in_transit", "in_transit", "out_for_delivery", "delivered", "delivered",
	};
	static const char *const where[N_EVENTS] = {
		"COLUMBUS, OH 43219", "COLUMBUS, OH 43218", "INDIANAPOLIS, IN 46241",
		"LOUISVILLE, KY 40213", "ATLANTA, GA 30320", "COLUMBIA, SC 29201",
		"NORTH CHARLESTON, SC 29423", "CHARLESTON, SC 29407", "CHARLESTON, SC 29407",
		"CHARLESTON, SC 29407",
	};
	struct cb_pk_shipment *s;
	size_t i;

	p->n_shipments = 1;
	p->shipments = calloc(1, sizeof(*p->shipments));
	s = &p->shipments[0];
	s->carrier = S("USPS");
	s->tracking_number = S("9400111899223100012345");
	s->status = S("delivered");
	s->service = S("Priority Mail");
	s->signed_by = S("J. MUNOZ");
	s->shipped_at = 1788090000;
	s->delivered_at = 1788350000;
	fill_address(&s->to, "Nguyễn Thị Hương", "1187 Rue Saint-Denis, Apt 4", "Charleston", "SC",
		     "29407");
	s->n_events = N_EVENTS;
	s->events = calloc(N_EVENTS, sizeof(*s->events));
	for (i = 0; i < N_EVENTS; i++) {
		struct cb_pk_event *e = &s->events[i];

		e->occurred_at = 1788090000 + (int64_t)i * 29000;
		e->utc_offset_min = -300;
		e->status = S(status[i]);
		e->location = S(where[i]);
		e->message = S(i == 8 ? "Delivered, Front Door/Porch" :
			       i == 9 ? "Delivered, signature on file (J. MUNOZ)" :
					"Arrived at USPS Regional Facility");
		e->is_delivered = i >= 8;
	}
	p->shipments[0].events[8].is_delivered = true;
}

static void fill_rest(struct cb_packet *p)
{
	size_t i;

	p->n_priors = 3;
	p->priors = calloc(3, sizeof(*p->priors));
	for (i = 0; i < 3; i++) {
		p->priors[i].order_ref = SF("#%zu", 900 + i * 31);
		p->priors[i].charge_id = SF("ch_prior_%zu", i);
		p->priors[i].currency = S("USD");
		p->priors[i].matched_on = S("card, email, ip, device");
		p->priors[i].created_at = 1788000000 - (int64_t)(150 + i * 60) * 86400;
		p->priors[i].amount = 4500 + (int64_t)i * 1000;
		p->priors[i].disputed = i == 2;
	}
	p->n_refunds = 1;
	p->refunds = calloc(1, sizeof(*p->refunds));
	p->refunds[0].gateway_id = S("re_3PqR8sT2eZvKYlo21xYz");
	p->refunds[0].status = S("succeeded");
	p->refunds[0].reason = S("requested_by_customer");
	p->refunds[0].currency = S("USD");
	p->refunds[0].amount = 500;
	p->refunds[0].created_at = 1788400000;
	p->n_policies = 2;
	p->policies = calloc(2, sizeof(*p->policies));
	p->policies[0].kind = S("refund");
	p->policies[0].title = S("Returns and refunds");
	p->policies[0].body = S("Unworn items can be returned within 30 days of delivery for a full "
				"refund. Gift wrapping is not refundable.");
	p->policies[0].disclosure = S("Shown on the checkout page next to the Pay button; the "
				      "customer ticked \"I agree to the terms\" at 2026-08-29 10:40 UTC.");
	p->policies[1].kind = S("shipping");
	p->policies[1].body = S("Orders ship within 2 business days with tracking.");
}

static void fill_attachments(struct cb_packet *p)
{
	p->n_attachments = 4;
	p->attachments = calloc(4, sizeof(*p->attachments));
	p->attachments[0].kind = S("pod");
	p->attachments[0].media_type = S("image/jpeg");
	p->attachments[0].sha256 = S("3f2a9c1b04d27e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f");
	p->attachments[0].original_name = S("porch-photo.jpg");
	p->attachments[0].path = S(fx->jpeg);
	p->attachments[1].kind = S("product_photo");
	p->attachments[1].media_type = S("image/png");
	p->attachments[1].sha256 = S("aa11bb22cc33dd44ee55ff6677889900aa11bb22cc33dd44ee55ff6677889900");
	p->attachments[1].original_name = S("sweater-listing.png");
	p->attachments[1].path = S(fx->png);
	p->attachments[2].kind = S("pod");
	p->attachments[2].media_type = S("application/pdf");
	p->attachments[2].sha256 = S("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	p->attachments[2].original_name = S("usps-proof-of-delivery.pdf");
	p->attachments[2].path = S(fx->pdf);
	p->attachments[3].kind = S("signature");
	p->attachments[3].media_type = S("image/jpeg");
	p->attachments[3].sha256 = S("feedfacecafebeef0123456789abcdef0123456789abcdef0123456789abcdef");
	p->attachments[3].original_name = S("phone-photo-rotated.jpg");
	p->attachments[3].path = S(fx->jpeg_exif);
}

static void fill_packet(struct cb_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->dispute_rowid = 7;
	p->gateway = S("stripe");
	p->dispute_id = S("dp_1Q2w3E4r5T6y7U8i");
	p->gateway_reason = S("product_not_received");
	p->network_reason_code = S("13.1");
	p->network = S("visa");
	p->status = S("needs_response");
	p->stage = S("chargeback");
	p->currency = S("USD");
	p->buyer_statement = S("I never received the sweater I ordered.");
	p->reason = CB_REASON_NOT_RECEIVED;
	p->amount = 12751;
	p->opened_at = 1788700000;
	p->due_by = 1795910340;   /* 2026-11-28 23:59 UTC */
	p->customer_name = S("Nguyễn Thị Hương");
	p->email = S("huong.nguyen@example.com");
	p->phone = S("+1 843 555 0142");
	fill_order(p);
	fill_charge(p);
	fill_messages(p);
	fill_shipment(p);
	fill_rest(p);
	fill_attachments(p);
	p->facts.avs_line1_ok = 1;
	p->facts.avs_postal_ok = 1;
	p->facts.cvc_ok = 1;
	p->facts.three_ds_ok = 1;
	p->facts.billing_matches_shipping = 1;
	p->facts.delivered_before_dispute = 1;
	p->facts.delivered_to_order_address = 1;
	p->facts.days_order_to_dispute = 8;
	p->facts.delivered_at = 1788350000;
	p->facts.purchase_ip = S("203.0.113.42");
	p->facts.ce3_prior_matches = 2;
}

static void free_packet(struct cb_packet *p)
{
	size_t i;

	free(p->order.lines);
	free(p->messages);
	for (i = 0; i < p->n_shipments; i++)
		free(p->shipments[i].events);
	free(p->shipments);
	free(p->attachments);
	free(p->priors);
	free(p->refunds);
	free(p->policies);
}

static int setup(void **state)
{
	(void)state;
	fx = calloc(1, sizeof(*fx));
	strcpy(fx->dir, "/tmp/cbpack-render-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->jpeg, sizeof(fx->jpeg), "%s/photo.jpg", fx->dir);
	snprintf(fx->jpeg_exif, sizeof(fx->jpeg_exif), "%s/rotated.jpg", fx->dir);
	snprintf(fx->png, sizeof(fx->png), "%s/listing.png", fx->dir);
	snprintf(fx->pdf, sizeof(fx->pdf), "%s/pod.pdf", fx->dir);
	snprintf(fx->broken, sizeof(fx->broken), "%s/broken.jpg", fx->dir);
	write_jpeg(fx->jpeg, 640, 480, 1);
	write_jpeg(fx->jpeg_exif, 480, 320, 6);
	write_png(fx->png, 300, 200);
	write_text(fx->pdf, "%PDF-1.4\n% not drawn, only listed\n");
	write_text(fx->broken, "\xFF\xD8\xFF\xE0 this is not really a JPEG");
	fill_packet(&fx->p);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	size_t i;

	(void)state;
	free_packet(&fx->p);
	for (i = 0; i < fx->n_strings; i++)
		free(fx->strings[i]);
	free(fx->strings);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static struct cb_render_opts default_opts(void)
{
	struct cb_render_opts o;

	memset(&o, 0, sizeof(o));
	o.title = "Evidence: product not received";
	o.sections = all_sections;
	o.rebuttal = "The customer, Nguyễn Thị Hương, ordered a sweater on 2026-08-29 and paid "
		     "with a Visa card authenticated by 3-D Secure. USPS delivered the parcel to "
		     "the address on the order on 2026-09-02 and it was signed for. The customer "
		     "then wrote to us that the parcel had been found (Exhibit D).\n\nWe ask that "
		     "the dispute be decided in our favour.";
	o.exhibit_index = "The carrier's proof of delivery is attached as "
			  "usps-proof-of-delivery.pdf.";
	o.page_width = 612;
	o.page_height = 792;
	return o;
}

static void render_ok(struct cb_renderer *r, const struct cb_render_opts *o,
		      struct cb_render_result *res)
{
	struct cb_error err = CB_ERROR_INIT;
	int rc = cb_render_packet(r, &fx->p, o, res, &err);

	if (rc != 0)
		fail_msg("render failed: %s", err.msg);
}

static void save(const char *path, const struct cb_render_result *res)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(res->pdf, 1, res->len, fp), res->len);
	fclose(fp);
}

/* Run a command, return its stdout (caller frees) and exit status. */
static char *run(const char *cmd, int *status)
{
	struct cb_buf b = CB_BUF_INIT;
	FILE *fp = popen(cmd, "r");
	char chunk[4096];
	size_t n;
	int st;

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		cb_buf_add(&b, chunk, n);
	st = pclose(fp);
	if (status)
		*status = st;
	return cb_buf_detach(&b);
}

/* A maximal run of 13-19 digits that passes Luhn: what a card number looks like. */
static bool has_card_number(const char *s)
{
	const char *start = NULL;

	for (;; s++) {
		bool digit = *s >= '0' && *s <= '9';

		if (digit && !start)
			start = s;
		if (!digit && start) {
			size_t n = (size_t)(s - start);

			if (n >= 13 && n <= 19 && cb_luhn_ok(start, n))
				return true;
			start = NULL;
		}
		if (!*s)
			return false;
	}
}

/* pdftotext breaks wrapped lines; join everything with no white space. */
static char *squeeze(const char *s)
{
	char *d = cb_xstrdup(s), *q = d;

	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\f' && *s != '\r')
			*q++ = *s;
	*q = '\0';
	return d;
}

/* ---- tests -------------------------------------------------------------- */

static void text_clean_marks_what_the_font_cannot_show(void **state)
{
	struct cb_buf b = CB_BUF_INIT;

	(void)state;
	assert_int_equal(cb_render_text_clean(&b, "Nguyễn Thị Hương — café, 12 €"), 0);
	assert_string_equal(cb_buf_cstr(&b), "Nguyễn Thị Hương — café, 12 €");
	cb_buf_reset(&b);
	/* Non-BMP emoji: libharu would drop it silently. */
	assert_int_equal(cb_render_text_clean(&b, "ok 😀 done"), 1);
	assert_string_equal(cb_buf_cstr(&b), "ok □ done");
	cb_buf_reset(&b);
	/* An invalid byte and a truncated sequence each become one marker. */
	assert_int_equal(cb_render_text_clean(&b, "a\xFF" "b\xE1\xBB c"), 2);
	assert_string_equal(cb_buf_cstr(&b), "a□b□ c");
	cb_buf_reset(&b);
	/* One marker per emoji sequence, skin tone and joiners included. */
	assert_int_equal(cb_render_text_clean(&b, "👍🏽 👨‍👩‍👧 🇫🇷 ❤️"), 4);
	assert_string_equal(cb_buf_cstr(&b), "□ □ □ □");
	cb_buf_reset(&b);
	/* CJK is outside the subset; control characters other than \n too. */
	assert_int_equal(cb_render_text_clean(&b, "中文\x07x\r\ny\tz"), 3);
	assert_string_equal(cb_buf_cstr(&b), "□□□x\ny z");
	cb_buf_reset(&b);
	/* Decomposed input comes out composed (NFC). */
	assert_int_equal(cb_render_text_clean(&b, "Jose\xCC\x81"), 0);
	assert_string_equal(cb_buf_cstr(&b), "José");
	cb_buf_reset(&b);
	assert_int_equal(cb_render_text_clean(&b, NULL), 0);
	assert_string_equal(cb_buf_cstr(&b), "");
	cb_buf_release(&b);
}

/* Every BMP code point text_clean lets through has a glyph in the font, and back. */
static void text_clean_agrees_with_the_font(void **state)
{
	char path[512];
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_FontDef def;
	const char *name;
	uint32_t cp;
	size_t kept = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/cbpack-sans.ttf", cb_render_font_dir());
	name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_FALSE);
	assert_non_null(name);
	def = HPDF_GetFontDef(pdf, name);
	assert_non_null(def);
	for (cp = 0x20; cp < 0x10000; cp++) {
		struct cb_buf in = CB_BUF_INIT, out = CB_BUF_INIT;
		bool has = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) != 0;
		size_t n;

		if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFD)
			continue;
		if (cp < 0x80)
			cb_buf_addc(&in, (char)cp);
		else if (cp < 0x800)
			cb_buf_addf(&in, "%c%c", 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
		else
			cb_buf_addf(&in, "%c%c%c", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F),
				    0x80 | (cp & 0x3F));
		n = cb_render_text_clean(&out, cb_buf_cstr(&in));
		if (cp == 0x85)
			assert_string_equal(cb_buf_cstr(&out), "\n");
		else if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			assert_int_equal(n, 1);
		else if (n == 0 && out.len > 0 && strcmp(out.ptr, in.ptr) == 0) {
			if (!has)
				fail_msg("U+%04X passes text_clean but the font has no glyph", cp);
			kept++;
		} else if (n > 0 && has) {
			fail_msg("U+%04X is in the font but text_clean replaces it", cp);
		}
		cb_buf_release(&in);
		cb_buf_release(&out);
	}
	assert_true(kept > 900);
	HPDF_Free(pdf);
}

static void renders_a_full_packet(void **state)
{
	struct cb_renderer *r = NULL, *r2 = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_render_result a, b, c;
	const char *dump = getenv("CBPACK_RENDER_DUMP");
	char path[128], cmd[512], *text, *flat, *expect;
	int st, pages;

	(void)state;
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	render_ok(r, &o, &a);
	assert_true(a.len > 1000);
	assert_memory_equal(a.pdf, "%PDF-", 5);
	assert_true(memcmp(a.pdf + a.len - 6, "%%EOF", 5) == 0 ||
		    memcmp(a.pdf + a.len - 5, "%%EOF", 5) == 0);
	assert_true(a.pages > 1);
	assert_int_equal(a.replaced_chars, N_EMOJI);
	assert_int_equal(a.images, 3);

	/* Reproducible: same renderer again, and a fresh renderer. */
	render_ok(r, &o, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.pdf, b.pdf, a.len);
	assert_int_equal(cb_renderer_new(&r2, NULL, &err), 0);
	render_ok(r2, &o, &c);
	assert_int_equal(a.len, c.len);
	assert_memory_equal(a.pdf, c.pdf, a.len);

	snprintf(path, sizeof(path), "%s/packet.pdf", fx->dir);
	save(path, &a);
	if (dump)
		save(dump, &a);

	snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null 2>&1", path);
	assert_int_equal(system(cmd), 0);

	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
	text = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(text, "Nguyễn Thị Hương"));
	assert_non_null(strstr(text, "José Muñoz"));
	assert_non_null(strstr(text, "•••• 4242"));
	assert_false(has_card_number(text));
	assert_null(strstr(text, "4242424242424242"));
	assert_non_null(strstr(text, "page 1 of "));
	expect = SF("page %d of %d", a.pages, a.pages);
	assert_non_null(strstr(text, expect));
	assert_non_null(strstr(text, "2026-11-28 23:59 UTC"));
	assert_non_null(strstr(text, "3-D Secure: authenticated — liability shift"));
	assert_non_null(strstr(text, "Evidence for dispute dp_1Q2w3E4r5T6y7U8i"));
	/* Nothing cut off: the last message, the end of the long one, the whole URL. */
	assert_non_null(strstr(text, "Message 60:"));
	assert_non_null(strstr(text, "END-OF-LONG-MESSAGE"));
	flat = squeeze(text);
	assert_non_null(strstr(flat, long_url));
	/* The index lists exhibits with the pages they start on. */
	assert_non_null(strstr(text, "Exhibit A"));
	assert_non_null(strstr(text, "Customer communication"));
	free(flat);
	free(text);

	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null | sed -n 's/^Pages: *//p'", path);
	text = run(cmd, NULL);
	pages = atoi(text);
	free(text);
	assert_int_equal(pages, a.pages);

	cb_render_result_release(&a);
	cb_render_result_release(&b);
	cb_render_result_release(&c);
	cb_renderer_free(r);
	cb_renderer_free(r2);
}

static void page_size_and_sections_follow_the_options(void **state)
{
	static const char *const few[] = { "shipping", "cover", NULL };
	struct cb_renderer *r = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_render_result res;
	char path[128], cmd[256], *text;
	const char *ship, *cover;

	(void)state;
	o.page_width = 595.276;
	o.page_height = 841.89;
	o.sections = few;
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	render_ok(r, &o, &res);
	snprintf(path, sizeof(path), "%s/a4.pdf", fx->dir);
	save(path, &res);
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", path);
	text = run(cmd, NULL);
	assert_non_null(strstr(text, "(A4)"));
	free(text);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
	text = run(cmd, NULL);
	/* In the order given, and nothing else. */
	ship = strstr(text, "Tracking history");
	cover = strstr(text, "Merchant's response");
	assert_non_null(ship);
	assert_non_null(cover);
	assert_true(ship < cover);
	assert_null(strstr(text, "Customer communication"));
	assert_int_equal(res.images, 0);
	free(text);
	cb_render_result_release(&res);
	cb_renderer_free(r);
}

static void images_are_reencoded_when_asked(void **state)
{
	static const char *const only_images[] = { "images", NULL };
	static const char *const kinds[] = { "pod", NULL };
	struct cb_renderer *r = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_render_result pass, small;
	char path[128], cmd[256], *text;

	(void)state;
	o.sections = only_images;
	o.image_kinds = kinds;
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	render_ok(r, &o, &pass);
	assert_int_equal(pass.images, 1);
	o.image_max_px = 160;
	o.jpeg_quality = 60;
	render_ok(r, &o, &small);
	assert_int_equal(small.images, 1);
	assert_true(small.len < pass.len);
	snprintf(path, sizeof(path), "%s/small.pdf", fx->dir);
	save(path, &small);
	snprintf(cmd, sizeof(cmd), "pdfimages -list '%s' 2>/dev/null | awk 'NR==3{print $4\"x\"$5}'",
		 path);
	text = run(cmd, NULL);
	assert_string_equal(text, "160x120\n");
	free(text);
	/* The PDF attachment of a wanted kind is listed, not drawn. */
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
	text = run(cmd, NULL);
	assert_non_null(strstr(text, "usps-proof-of-delivery.pdf"));
	assert_null(strstr(text, "sweater-listing.png"));
	free(text);
	cb_render_result_release(&pass);
	cb_render_result_release(&small);
	cb_renderer_free(r);
}

static void bad_input_is_an_error_and_the_renderer_recovers(void **state)
{
	static const char *const bogus[] = { "cover", "appendix", NULL };
	struct cb_renderer *r = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_render_result res;
	char *saved, *huge;

	(void)state;
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	o.sections = bogus;
	assert_int_equal(cb_render_packet(r, &fx->p, &o, &res, &err), CB_EUSAGE);
	assert_non_null(strstr(err.msg, "unknown section 'appendix'"));
	assert_null(res.pdf);

	o = default_opts();
	saved = fx->p.attachments[0].path;
	fx->p.attachments[0].path = S("/nonexistent/photo.jpg");
	assert_int_equal(cb_render_packet(r, &fx->p, &o, &res, &err), CB_EIO);
	assert_non_null(strstr(err.msg, "attachment 'porch-photo.jpg'"));
	fx->p.attachments[0].path = S(fx->broken);
	assert_int_equal(cb_render_packet(r, &fx->p, &o, &res, &err), CB_EPARSE);
	assert_non_null(strstr(err.msg, "not a readable JPEG"));
	fx->p.attachments[0].path = saved;

	o.page_width = 20000;
	assert_int_equal(cb_render_packet(r, &fx->p, &o, &res, &err), CB_EUSAGE);
	assert_non_null(strstr(err.msg, "page size"));
	o = default_opts();

	/* libharu refuses a string over 64 KiB: its error handler unwinds the packet. */
	o.title = huge = calloc(70001, 1);
	memset(huge, 'T', 70000);
	assert_int_equal(cb_render_packet(r, &fx->p, &o, &res, &err), CB_ERROR);
	assert_non_null(strstr(err.msg, "libharu error"));
	assert_null(res.pdf);
	free(huge);
	o = default_opts();

	/* And the renderer is whole again afterwards. */
	render_ok(r, &o, &res);
	assert_true(res.pages > 1);
	assert_int_equal(res.images, 3);
	cb_render_result_release(&res);
	cb_renderer_free(r);

	assert_int_equal(cb_renderer_new(&r, "/nonexistent", &err), CB_EIO);
	assert_null(r);
	assert_non_null(strstr(err.msg, "cbpack-sans.ttf"));
}


/*
 * A JPEG libjpeg reads but libharu's stricter marker walk would not (a fill
 * byte before a marker) is encoded again instead of failing the packet.
 */
static void jpeg_libharu_would_refuse_is_reencoded(void **state)
{
	static const char *const only_images[] = { "images", NULL };
	static const char *const kinds[] = { "pod", NULL };
	struct cb_renderer *r = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_render_result res;
	char path[128], *saved;
	struct cb_buf jpg = CB_BUF_INIT;
	FILE *fp = fopen(fx->jpeg, "rb");
	char chunk[4096];
	size_t n;

	(void)state;
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		cb_buf_add(&jpg, chunk, n);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/fill.jpg", fx->dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fwrite(jpg.ptr, 1, 2, fp);
	fputc(0xFF, fp);
	fwrite(jpg.ptr + 2, 1, jpg.len - 2, fp);
	fclose(fp);
	cb_buf_release(&jpg);

	o.sections = only_images;
	o.image_kinds = kinds;
	saved = fx->p.attachments[0].path;
	fx->p.attachments[0].path = S(path);
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	render_ok(r, &o, &res);
	assert_int_equal(res.images, 1);
	fx->p.attachments[0].path = saved;
	cb_render_result_release(&res);
	cb_renderer_free(r);
}

/* A dispute with almost nothing known still gives a clean one-page cover. */
static void sparse_packet_renders(void **state)
{
	struct cb_renderer *r = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_render_result res;
	struct cb_packet p;
	char path[128], cmd[256], *text;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.dispute_id = (char *)"PP-D-27803";
	p.gateway = (char *)"paypal";
	p.reason = CB_REASON_GENERAL;
	p.amount = CB_NO_AMOUNT;
	p.opened_at = CB_NO_TIME;
	p.due_by = CB_NO_TIME;
	p.facts.days_order_to_dispute = -1;
	p.facts.delivered_at = CB_NO_TIME;
	p.facts.avs_line1_ok = p.facts.avs_postal_ok = p.facts.cvc_ok = -1;
	p.facts.three_ds_ok = p.facts.billing_matches_shipping = -1;
	p.facts.delivered_before_dispute = p.facts.delivered_to_order_address = -1;
	o.rebuttal = NULL;
	o.exhibit_index = NULL;
	o.title = NULL;
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	assert_int_equal(cb_render_packet(r, &p, &o, &res, &err), 0);
	assert_int_equal(res.pages, 1);
	snprintf(path, sizeof(path), "%s/sparse.pdf", fx->dir);
	if (getenv("CBPACK_RENDER_DUMP_SPARSE"))
		save(getenv("CBPACK_RENDER_DUMP_SPARSE"), &res);
	save(path, &res);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
	text = run(cmd, NULL);
	assert_non_null(strstr(text, "PP-D-27803"));
	assert_non_null(strstr(text, "PayPal"));
	assert_non_null(strstr(text, "page 1 of 1"));
	assert_null(strstr(text, "Index of exhibits"));
	free(text);
	cb_render_result_release(&res);
	cb_renderer_free(r);
}

/* Inked pixels of page 1 rasterised in grey at 150 dpi. */
static long ink(const struct cb_render_result *res)
{
	char path[128], cmd[256], *pgm, *p;
	long dark = 0, i, w, h, max, n;
	int st;

	snprintf(path, sizeof(path), "%s/ink.pdf", fx->dir);
	save(path, res);
	snprintf(cmd, sizeof(cmd), "pdftoppm -gray -r 150 -f 1 -l 1 '%s' 2>/dev/null", path);
	pgm = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_int_equal(sscanf(pgm, "P5 %ld %ld %ld", &w, &h, &max), 3);
	/* The header ends with one white-space byte after maxval. */
	p = strstr(pgm, "255") + 4;
	n = w * h;
	for (i = 0; i < n; i++)
		dark += (unsigned char)p[i] < 200;
	free(pgm);
	return dark;
}

/*
 * Vietnamese letters with two marks are composite glyphs whose accent is
 * itself a composite; libharu keeps only one level of components when it
 * subsets, which drew "Nguyễn" as "Nguyen". The marks must have ink.
 */
static void stacked_accents_are_drawn(void **state)
{
	static const char *const only[] = { "policies", NULL };
	struct cb_renderer *r = NULL;
	struct cb_error err = CB_ERROR_INIT;
	struct cb_render_opts o = default_opts();
	struct cb_packet p;
	struct cb_pk_policy pol;
	struct cb_render_result plain, marked;
	long base, accents;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&pol, 0, sizeof(pol));
	p.dispute_id = (char *)"dp_ink";
	p.opened_at = 1788700000;
	p.n_policies = 1;
	p.policies = &pol;
	o.sections = only;
	assert_int_equal(cb_renderer_new(&r, NULL, &err), 0);
	pol.title = (char *)"Policy";
	pol.body = (char *)"eeeeeeeeeeeeeeeeeeee EEEEEEEEEEEEEEEEEEEE";
	assert_int_equal(cb_render_packet(r, &p, &o, &plain, &err), 0);
	pol.body = (char *)"ễễễễễễễễễễễễễễễễễễễễ ỄỄỄỄỄỄỄỄỄỄỄỄỄỄỄỄỄỄỄỄ";
	assert_int_equal(cb_render_packet(r, &p, &o, &marked, &err), 0);
	base = ink(&plain);
	accents = ink(&marked);
	/* 40 circumflex-and-tilde marks: at least 10 inked pixels each. */
	if (accents - base < 400)
		fail_msg("accents add %ld dark pixels (%ld vs %ld)", accents - base, accents, base);
	cb_render_result_release(&plain);
	cb_render_result_release(&marked);
	cb_renderer_free(r);
}

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst,
						 HPDF_Encrypt e);

/* The bytes of a libharu memory stream, in one piece. */
static void mem_stream_bytes(HPDF_Stream s, struct cb_buf *out)
{
	HPDF_UINT i, n;

	for (i = 0; i < HPDF_MemStream_GetBufCount(s); i++) {
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &n);

		assert_non_null(p);
		cb_buf_add(out, p, n);
	}
}

/*
 * hpdf_fast.c deflates libharu's streams in its place: whatever the size
 * (empty, one block, many blocks), zlib inflates the result back to the
 * input, as every PDF reader will.
 */
static void streams_deflate_to_what_zlib_inflates(void **state)
{
	static const size_t sizes[] = { 1, 4000, 4096, 100000 };
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	size_t k, i;

	(void)state;
	assert_non_null(doc);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		HPDF_Stream src = HPDF_MemStream_New(doc->mmgr, 4096);
		HPDF_Stream dst = HPDF_MemStream_New(doc->mmgr, 4096);
		struct cb_buf in = CB_BUF_INIT, packed = CB_BUF_INIT;
		unsigned char *back = malloc(sizes[k]);
		uLongf back_len = sizes[k];

		for (i = 0; i < sizes[k]; i++)
			cb_buf_addc(&in, (char)("BT /F1 9 Tf (Order #1001) Tj ET\n"[i % 33] + (i / 997) % 3));
		assert_int_equal(HPDF_Stream_Write(src, (HPDF_BYTE *)in.ptr, (HPDF_UINT)in.len), HPDF_OK);
		assert_int_equal(HPDF_Stream_WriteToStreamWithDeflate(src, dst, NULL), HPDF_OK);
		mem_stream_bytes(dst, &packed);
		assert_true(packed.len > 2);
		if (sizes[k] >= 4096)
			assert_true(packed.len < sizes[k] / 2);
		assert_int_equal(uncompress(back, &back_len, (Bytef *)packed.ptr, packed.len), Z_OK);
		assert_int_equal(back_len, sizes[k]);
		assert_memory_equal(back, in.ptr, sizes[k]);
		free(back);
		cb_buf_release(&in);
		cb_buf_release(&packed);
		HPDF_Stream_Free(src);
		HPDF_Stream_Free(dst);
	}
	HPDF_Free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(streams_deflate_to_what_zlib_inflates),
		cmocka_unit_test(text_clean_marks_what_the_font_cannot_show),
		cmocka_unit_test(text_clean_agrees_with_the_font),
		cmocka_unit_test(renders_a_full_packet),
		cmocka_unit_test(page_size_and_sections_follow_the_options),
		cmocka_unit_test(images_are_reencoded_when_asked),
		cmocka_unit_test(jpeg_libharu_would_refuse_is_reencoded),
		cmocka_unit_test(stacked_accents_are_drawn),
		cmocka_unit_test(sparse_packet_renders),
		cmocka_unit_test(bad_input_is_an_error_and_the_renderer_recovers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
