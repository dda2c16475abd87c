/*
 * ingest.c: the table of import formats, and the checks every file gets
 * before its importer sees it (readable, valid UTF-8, BOM removed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/hash.h"
#include "cbpack/text.h"
#include "formats.h"

static const struct cb_ingest_format formats[] = {
	{ "stripe", "Stripe API JSON: disputes, charges, refunds (list, array, NDJSON)", cb_ingest_stripe },
	{ "stripe-payments", "Stripe Dashboard payments export CSV (unified_payments.csv)", cb_ingest_stripe_payments_csv },
	{ "shopify-orders", "Shopify admin 'Export orders' CSV", cb_ingest_shopify_orders },
	{ "paypal-disputes", "PayPal Disputes API v1 JSON", cb_ingest_paypal_disputes },
	{ "easypost", "EasyPost Tracker JSON", cb_ingest_easypost },
	{ "aftership", "AfterShip tracking JSON", cb_ingest_aftership },
	{ "zendesk", "Zendesk tickets with comments and users JSON", cb_ingest_zendesk },
	{ "messages", "Chat/message log, generic CSV or NDJSON", cb_ingest_messages },
	{ "orders-csv", "Generic orders CSV (one row per line item)", cb_ingest_orders_csv },
	{ "payments-csv", "Generic payments CSV", cb_ingest_payments_csv },
	{ "disputes-csv", "Generic disputes CSV", cb_ingest_disputes_csv },
	{ "shipments-csv", "Generic shipments CSV", cb_ingest_shipments_csv },
	{ "tracking-csv", "Generic tracking events CSV", cb_ingest_tracking_csv },
	{ "policies-csv", "Refund/shipping/cancellation policies CSV", cb_ingest_policies_csv },
	{ NULL, NULL, NULL }
};

const struct cb_ingest_format *cb_ingest_formats(void)
{
	return formats;
}

const struct cb_ingest_format *cb_ingest_find(const char *name)
{
	const struct cb_ingest_format *f;

	for (f = formats; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

/* A file's bytes: mapped when it is a regular file, else read into `buf`. */
struct file_bytes {
	const char *p;
	size_t len;
	void *map;
	struct cb_buf buf;
};

/* Into one buffer sized by fstat; a pipe or a file that grows meanwhile still reads whole. */
static int read_whole(struct cb_buf *out, int fd, const char *path, const struct stat *sb,
		      struct cb_error *err)
{
	ssize_t n;

	if (S_ISREG(sb->st_mode) && sb->st_size > 0)
		cb_buf_grow(out, (size_t)sb->st_size + 1);   /* + 1: room to see the end */
	for (;;) {
		if (out->alloc - out->len < 2)
			cb_buf_grow(out, 65536);
		n = read(fd, out->ptr + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cb_error_set(err, CB_EIO, "cannot read '%s': %s", path, strerror(errno));
		if (!n)
			break;
		out->len += (size_t)n;
	}
	cb_buf_add(out, "", 0);
	return 0;
}

/*
 * A large export is mapped rather than read: reading copies every byte
 * into fresh memory, and on a virtual machine the page faults of that
 * memory cost more than the parse. The mapping is private and read-only.
 */
static int load_file(struct file_bytes *f, const char *path, struct cb_error *err)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0, flags = MAP_PRIVATE;

	memset(f, 0, sizeof(*f));
	if (fd < 0)
		return cb_error_set(err, CB_EIO, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		ret = cb_error_set(err, CB_EIO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	if (S_ISREG(sb.st_mode) && sb.st_size > 0 && (uintmax_t)sb.st_size <= SIZE_MAX) {
		f->map = mmap(NULL, (size_t)sb.st_size, PROT_READ, flags, fd, 0);
		if (f->map != MAP_FAILED) {
			f->p = f->map;
			f->len = (size_t)sb.st_size;
			goto out;
		}
		f->map = NULL;
	}
	ret = read_whole(&f->buf, fd, path, &sb, err);
	f->p = cb_buf_cstr(&f->buf);
	f->len = f->buf.len;
out:
	close(fd);
	return ret;
}

static void unload_file(struct file_bytes *f)
{
	if (f->map)
		munmap(f->map, f->len);
	cb_buf_release(&f->buf);
}

/* The file's digest, made on a thread of its own while the file is imported. */
struct digest {
	const char *p;
	size_t len;
	char hex[CB_SHA256_HEX];
	pthread_t thread;
	bool started;
};

static void *digest_run(void *arg)
{
	struct digest *d = arg;

	cb_sha256_buf(d->hex, d->p, d->len);
	return NULL;
}

static void digest_start(struct digest *d, const char *p, size_t len)
{
	d->p = p;
	d->len = len;
	d->started = pthread_create(&d->thread, NULL, digest_run, d) == 0;
	if (!d->started)
		digest_run(d);
}

static void digest_finish(struct digest *d, char out[CB_SHA256_HEX])
{
	if (!d->p)
		return;
	if (d->started)
		pthread_join(d->thread, NULL);
	memcpy(out, d->hex, CB_SHA256_HEX);
}

/* Where a byte offset is, as line and column (both 1-based), for messages. */
static void offset_to_line(const char *s, size_t off, long *line, long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int cb_ingest_file(const struct cb_ingest_format *fmt, const char *path,
		   const struct cb_sink *sink, struct cb_ingest_stats *st,
		   struct cb_error *err)
{
	struct file_bytes data;
	struct digest digest = { 0 };
	const char *p;
	size_t len, bad;
	long line, col;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = load_file(&data, path, err);
	if (ret)
		goto out;
	digest_start(&digest, data.p, data.len);
	p = data.p;
	len = data.len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		len -= 3;
	}
	if (memchr(p, '\0', len)) {
		offset_to_line(p, (size_t)((const char *)memchr(p, '\0', len) - p), &line, &col);
		ret = cb_error_at(err, CB_EPARSE, path, line, "column %ld: NUL byte (binary file?)", col);
		goto out;
	}
	if (!cb_utf8_valid(p, len, &bad)) {
		offset_to_line(p, bad, &line, &col);
		ret = cb_error_at(err, CB_EPARSE, path, line,
				  "column %ld: invalid UTF-8 (byte 0x%02X)", col,
				  (unsigned char)p[bad]);
		goto out;
	}
	ret = fmt->run(path, p, len, sink, st, err);
out:
	digest_finish(&digest, st->sha256);
	unload_file(&data);
	return ret;
}
