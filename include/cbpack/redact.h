#ifndef CBPACK_REDACT_H
#define CBPACK_REDACT_H

/*
 * Masking card numbers and other sensitive numbers in free text, by the rules
 * of docs/redaction.md: a 13-19 digit run (single spaces or dashes allowed
 * between groups) not touching a letter or digit, with a known issuer prefix
 * and length, passing Luhn, becomes "[card ending 1111]". US SSNs become
 * "[SSN redacted]"; a 3-4 digit group right after "cvv", "cvc", "cvv2",
 * "security code" becomes "[CVV redacted]". Identifiers (order ids, tracking
 * numbers, hex digests, "c5823104476201.1") are left alone.
 * Identifier fields are never passed through here; only typed free text is.
 */

#include <stdbool.h>
#include <stddef.h>

struct cb_buf;

/** Append `in` to `out` with masks applied; returns how many were masked. */
size_t cb_redact_text(struct cb_buf *out, const char *in);

/** Luhn check over the digits of `s` (other characters are skipped). */
bool cb_luhn_ok(const char *digits, size_t n);

/**
 * Reduce a card field to its last 4 digits: "4242424242424242" -> "4242",
 * "4242" -> "4242", "**** 4242" -> "4242". Writes "" when there are fewer
 * than 4 digits. Used on every card-number field an importer sees.
 */
void cb_card_last4(char out[5], const char *card_field);

#endif
