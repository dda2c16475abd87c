/*
 * hash.c: SHA-256 (nettle) as hex, for attachments, manifests and digests;
 * FNV-1a for the in-memory tables of the CSV reader and the store.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <nettle/sha2.h>

#include "cbpack/error.h"
#include "cbpack/hash.h"

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((struct cb_sha256 *)0)->state),
	       "cb_sha256 too small for nettle's context");

static struct sha256_ctx *ctx_of(struct cb_sha256 *h)
{
	return (struct sha256_ctx *)(void *)h->state;
}

void cb_sha256_init(struct cb_sha256 *h)
{
	sha256_init(ctx_of(h));
}

void cb_sha256_update(struct cb_sha256 *h, const void *data, size_t len)
{
	sha256_update(ctx_of(h), len, data);
}

void cb_sha256_hex(struct cb_sha256 *h, char out[CB_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_digest(ctx_of(h), sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void cb_sha256_buf(char out[CB_SHA256_HEX], const void *data, size_t len)
{
	struct cb_sha256 h;

	cb_sha256_init(&h);
	cb_sha256_update(&h, data, len);
	cb_sha256_hex(&h, out);
}

int cb_sha256_file(char out[CB_SHA256_HEX], const char *path, struct cb_error *err)
{
	unsigned char chunk[65536];
	struct cb_sha256 h;
	FILE *f = fopen(path, "rb");
	size_t n;
	int ret = 0;

	if (!f)
		return cb_error_set(err, CB_EIO, "cannot open '%s': %s", path, strerror(errno));
	cb_sha256_init(&h);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cb_sha256_update(&h, chunk, n);
	if (ferror(f))
		ret = cb_error_set(err, CB_EIO, "cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	cb_sha256_hex(&h, out);
	return ret;
}

size_t cb_str_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}
