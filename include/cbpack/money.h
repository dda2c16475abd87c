#ifndef CBPACK_MONEY_H
#define CBPACK_MONEY_H

/*
 * Money as integer minor units of an ISO 4217 currency. Never floating point.
 */

#include <stddef.h>
#include <stdint.h>

struct cb_error;

/**
 * Minor-unit exponent of an ISO 4217 code, case-insensitive ("usd" -> 2,
 * "JPY" -> 0, "KWD" -> 3); -1 when the code is not an active ISO 4217 code.
 */
int cb_currency_exponent(const char *code);

/** Upper-case a valid code into `out` (4 bytes). Returns 0 or CB_EPARSE. */
int cb_currency_normalise(char out[4], const char *code, struct cb_error *err);

/**
 * Parse a decimal major-unit amount ("96.00", "-1,234.5", "0.50", "40") in
 * `currency` into minor units. A leading currency symbol ($ € £) and
 * thousands commas are accepted; more fraction digits than the currency has
 * (unless they are zeros), exponents, NaN and garbage are CB_EPARSE with a
 * message naming the value (the caller prefixes file, line and field).
 */
int cb_money_parse(int64_t *out, const char *text, const char *currency, struct cb_error *err);

/** Format minor units as "1,234.50 USD" into `out`; returns `out`. */
char *cb_money_format(char *out, size_t outlen, int64_t minor, const char *currency);

#endif
