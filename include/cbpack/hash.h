#ifndef CBPACK_HASH_H
#define CBPACK_HASH_H

/*
 * SHA-256 through nettle, as lower-case hex; and a quick hash of a string
 * for in-memory tables.
 */

#include <stddef.h>

#define CB_SHA256_HEX 65

struct cb_error;

struct cb_sha256 {
	unsigned char state[128];  /* opaque; large enough for nettle's sha256_ctx */
};

void cb_sha256_init(struct cb_sha256 *h);
void cb_sha256_update(struct cb_sha256 *h, const void *data, size_t len);
void cb_sha256_hex(struct cb_sha256 *h, char out[CB_SHA256_HEX]);

void cb_sha256_buf(char out[CB_SHA256_HEX], const void *data, size_t len);
int cb_sha256_file(char out[CB_SHA256_HEX], const char *path, struct cb_error *err);

/** FNV-1a of `s`, its high bits folded into the low ones (for tables indexed by the low bits). */
size_t cb_str_hash(const char *s);

#endif
