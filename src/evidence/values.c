/*
 * values.c: template values by key, for layouts' text fields and rebuttal
 * letters. The keys live in per-family tables (values_*.c); this file looks
 * a key up in them and lists them all for load-time layout checks.
 */
#include <pthread.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "evidence_int.h"

#define KEYS_MAX 96

static const struct ev_value *const families[] = {
	ev_values_dispute, ev_values_payment, ev_values_shipping, ev_values_history
};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

static const struct ev_value *value_find(const char *key)
{
	const struct ev_value *v;
	size_t i;

	for (i = 0; i < N_FAMILIES; i++)
		for (v = families[i]; v->key; v++)
			if (!strcmp(v->key, key))
				return v;
	return NULL;
}

int cb_packet_value(const struct cb_packet *p, const char *key, struct cb_buf *out)
{
	const struct ev_value *v = key ? value_find(key) : NULL;
	struct cb_buf val = CB_BUF_INIT;

	if (!v)
		return CB_ENOTFOUND;
	/* A value of its own, so list separators never depend on what `out` holds. */
	v->fn(p, &val);
	if (val.len)
		cb_buf_add(out, val.ptr, val.len);
	cb_buf_release(&val);
	return 0;
}

static const char *key_list[KEYS_MAX + 1];
static pthread_once_t key_list_once = PTHREAD_ONCE_INIT;

static void key_list_fill(void)
{
	const struct ev_value *v;
	size_t i, n = 0;

	for (i = 0; i < N_FAMILIES; i++)
		for (v = families[i]; v->key && n < KEYS_MAX; v++)
			key_list[n++] = v->key;
	key_list[n] = NULL;
}

const char *const *cb_packet_keys(void)
{
	pthread_once(&key_list_once, key_list_fill);
	return key_list;
}
