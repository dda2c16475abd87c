#ifndef CBPACK_TIMEUTIL_H
#define CBPACK_TIMEUTIL_H

/*
 * Timestamps in the formats real exports use, as Unix seconds UTC.
 */

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct cb_error;

/**
 * Parse RFC 3339 ("2019-04-11T04:18:00.000Z", "2018-07-23T01:21:39-05:00"),
 * Shopify ("2025-12-07 19:08:25 +0000"), Stripe CSV ("2024-09-20 17:04:30",
 * UTC), a bare date ("2026-06-08", midnight UTC), or all digits (Unix
 * seconds). `offset_min` (may be NULL) receives the offset written in the
 * text, 0 for UTC. Out-of-range fields (month 13, Feb 30) are CB_EPARSE.
 */
int cb_time_parse(int64_t *out, int *offset_min, const char *text, struct cb_error *err);

/** "2026-11-23 16:05 UTC" (offset 0) or "2026-11-23 11:05 UTC-05:00". */
char *cb_time_format(char *out, size_t outlen, int64_t t, int offset_min);

/** "2026-11-23" in UTC. */
char *cb_date_format(char *out, size_t outlen, int64_t t);

/** RFC 3339 in UTC: "2026-11-23T16:05:00Z". */
char *cb_time_iso(char *out, size_t outlen, int64_t t);

/**
 * Time left until `due` as people say it: "in 3 days", "in 5 hours",
 * "overdue by 2 days", "no deadline" for CB_NO_TIME.
 */
char *cb_time_left(char *out, size_t outlen, int64_t due, int64_t now);

/**
 * The current time for anything that ends up in an output: SOURCE_DATE_EPOCH
 * when set, else the wall clock. Packets never contain the wall clock unless
 * the caller asked for it this way.
 */
int64_t cb_now(void);
/** SOURCE_DATE_EPOCH as a number into *t; false when unset or not a whole number. */
bool cb_source_date_epoch(int64_t *t);

#endif
