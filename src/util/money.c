/*
 * money.c: ISO 4217 currencies and decimal amounts as integer minor units.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbpack/error.h"
#include "cbpack/money.h"

struct currency {
	const char code[4];
	int exponent;
};

/* Active ISO 4217 codes (list one, 2024), with their minor-unit exponents. */
static const struct currency currencies[] = {
	{"AED",2},{"AFN",2},{"ALL",2},{"AMD",2},{"ANG",2},{"AOA",2},{"ARS",2},{"AUD",2},
	{"AWG",2},{"AZN",2},{"BAM",2},{"BBD",2},{"BDT",2},{"BGN",2},{"BHD",3},{"BIF",0},
	{"BMD",2},{"BND",2},{"BOB",2},{"BRL",2},{"BSD",2},{"BTN",2},{"BWP",2},{"BYN",2},
	{"BZD",2},{"CAD",2},{"CDF",2},{"CHF",2},{"CLP",0},{"CNY",2},{"COP",2},{"CRC",2},
	{"CUP",2},{"CVE",2},{"CZK",2},{"DJF",0},{"DKK",2},{"DOP",2},{"DZD",2},{"EGP",2},
	{"ERN",2},{"ETB",2},{"EUR",2},{"FJD",2},{"FKP",2},{"GBP",2},{"GEL",2},{"GHS",2},
	{"GIP",2},{"GMD",2},{"GNF",0},{"GTQ",2},{"GYD",2},{"HKD",2},{"HNL",2},{"HTG",2},
	{"HUF",2},{"IDR",2},{"ILS",2},{"INR",2},{"IQD",3},{"IRR",2},{"ISK",0},{"JMD",2},
	{"JOD",3},{"JPY",0},{"KES",2},{"KGS",2},{"KHR",2},{"KMF",0},{"KPW",2},{"KRW",0},
	{"KWD",3},{"KYD",2},{"KZT",2},{"LAK",2},{"LBP",2},{"LKR",2},{"LRD",2},{"LSL",2},
	{"LYD",3},{"MAD",2},{"MDL",2},{"MGA",2},{"MKD",2},{"MMK",2},{"MNT",2},{"MOP",2},
	{"MRU",2},{"MUR",2},{"MVR",2},{"MWK",2},{"MXN",2},{"MYR",2},{"MZN",2},{"NAD",2},
	{"NGN",2},{"NIO",2},{"NOK",2},{"NPR",2},{"NZD",2},{"OMR",3},{"PAB",2},{"PEN",2},
	{"PGK",2},{"PHP",2},{"PKR",2},{"PLN",2},{"PYG",0},{"QAR",2},{"RON",2},{"RSD",2},
	{"RUB",2},{"RWF",0},{"SAR",2},{"SBD",2},{"SCR",2},{"SDG",2},{"SEK",2},{"SGD",2},
	{"SHP",2},{"SLE",2},{"SOS",2},{"SRD",2},{"SSP",2},{"STN",2},{"SVC",2},{"SYP",2},
	{"SZL",2},{"THB",2},{"TJS",2},{"TMT",2},{"TND",3},{"TOP",2},{"TRY",2},{"TTD",2},
	{"TWD",2},{"TZS",2},{"UAH",2},{"UGX",0},{"USD",2},{"UYU",2},{"UZS",2},{"VES",2},
	{"VND",0},{"VUV",0},{"WST",2},{"XAF",0},{"XCD",2},{"XOF",0},{"XPF",0},{"YER",2},
	{"ZAR",2},{"ZMW",2},{"ZWL",2},
};

static int currency_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct currency *)elem)->code);
}

/* The table is sorted by code: importers ask once per money field. */
int cb_currency_exponent(const char *code)
{
	const struct currency *c;
	char up[4];
	int i;

	if (!code || strlen(code) != 3)
		return -1;
	for (i = 0; i < 3; i++)
		up[i] = (char)toupper((unsigned char)code[i]);
	up[3] = '\0';
	c = bsearch(up, currencies, sizeof(currencies) / sizeof(currencies[0]),
		    sizeof(currencies[0]), currency_cmp);
	return c ? c->exponent : -1;
}

int cb_currency_normalise(char out[4], const char *code, struct cb_error *err)
{
	int i;

	if (cb_currency_exponent(code) < 0)
		return cb_error_set(err, CB_EPARSE, "unknown currency '%s'", code ? code : "");
	for (i = 0; i < 3; i++)
		out[i] = (char)toupper((unsigned char)code[i]);
	out[3] = '\0';
	return 0;
}

/* Skip a leading currency symbol: "$", "US$", "€", "£". */
static const char *skip_symbol(const char *p)
{
	static const char *const symbols[] = { "US$", "$", "\xE2\x82\xAC", "\xC2\xA3", NULL };
	size_t i;

	for (i = 0; symbols[i]; i++)
		if (!strncmp(p, symbols[i], strlen(symbols[i])))
			return p + strlen(symbols[i]);
	return p;
}

int cb_money_parse(int64_t *out, const char *text, const char *currency, struct cb_error *err)
{
	const char *p = text;
	int exp = cb_currency_exponent(currency);
	int neg = 0, frac_digits = 0, int_digits = 0;
	int64_t v = 0;

	if (exp < 0)
		return cb_error_set(err, CB_EPARSE, "unknown currency '%s'", currency ? currency : "");
	if (!text)
		return cb_error_set(err, CB_EPARSE, "missing amount");
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	p = skip_symbol(p);
	if (*p == '-' && !neg) {
		neg = 1;
		p++;
	}
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (v > (INT64_MAX - 9) / 10)
				goto bad;
			v = v * 10 + (*p - '0');
			int_digits++;
		} else if (*p == ',' && int_digits > 0) {
			continue;
		} else {
			break;
		}
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (frac_digits >= exp) {
				if (*p != '0')
					return cb_error_set(err, CB_EPARSE,
							    "'%s' has more decimals than %s allows",
							    text, currency);
				continue;
			}
			if (v > (INT64_MAX - 9) / 10)
				goto bad;
			v = v * 10 + (*p - '0');
			frac_digits++;
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || int_digits + frac_digits == 0)
		goto bad;
	for (; frac_digits < exp; frac_digits++) {
		if (v > INT64_MAX / 10)
			goto bad;
		v *= 10;
	}
	*out = neg ? -v : v;
	return 0;
bad:
	return cb_error_set(err, CB_EPARSE, "'%s' is not an amount", text);
}

char *cb_money_format(char *out, size_t outlen, int64_t minor, const char *currency)
{
	int exp = cb_currency_exponent(currency);
	uint64_t a = minor < 0 ? (uint64_t)(-(minor + 1)) + 1 : (uint64_t)minor;
	uint64_t div = 1, whole, frac;
	char digits[32], grouped[48], fracs[8];
	size_t n, i, g = 0;
	int e;

	if (exp < 0 || exp > 4)
		exp = 2;
	for (e = 0; e < exp; e++)
		div *= 10;
	whole = a / div;
	frac = a % div;
	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, whole);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	for (e = exp; e > 0; e--) {
		fracs[e - 1] = (char)('0' + frac % 10);
		frac /= 10;
	}
	fracs[exp] = '\0';
	snprintf(out, outlen, "%s%s%s%s %s", minor < 0 ? "-" : "", grouped, exp ? "." : "",
		 fracs, currency ? currency : "");
	return out;
}
