/*
 * redact.c: masking card numbers, SSNs and CVVs in free text without
 * destroying identifiers that merely pass Luhn (docs/redaction.md).
 *
 * A candidate is a run of digit groups joined by single spaces or dashes and
 * not touching a letter or digit. Within it, any span of whole groups with
 * 13-19 digits, a known issuer prefix and length, and a valid Luhn sum is a
 * card number: a customer may type "my card 4111 1111 1111 1111 2026".
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "cbpack/buf.h"
#include "cbpack/redact.h"

#define MAX_GROUPS 24

struct group {
	size_t start, end;   /* byte offsets in the text, end exclusive */
};

bool cb_luhn_ok(const char *s, size_t n)
{
	int sum = 0, dbl = 0, count = 0;
	size_t i;

	for (i = n; i-- > 0;) {
		int d;

		if (!isdigit((unsigned char)s[i]))
			continue;
		d = s[i] - '0';
		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
		count++;
	}
	return count > 0 && sum % 10 == 0;
}

static int prefix_num(const char *d, int len)
{
	int v = 0, i;

	for (i = 0; i < len; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

/* Known issuer prefixes and the lengths each brand uses. */
static bool issuer_ok(const char *d, int n)
{
	int p1 = prefix_num(d, 1), p2 = prefix_num(d, 2), p3 = prefix_num(d, 3);
	int p4 = prefix_num(d, 4);

	if (p1 == 4)
		return n == 13 || n == 16 || n == 19;
	if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
		return n == 16;
	if (p2 == 34 || p2 == 37)
		return n == 15;
	if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65)
		return n >= 16 && n <= 19;
	if (p4 >= 3528 && p4 <= 3589)
		return n >= 16 && n <= 19;
	if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305))
		return n >= 14 && n <= 19;
	if (p2 == 62)
		return n >= 16 && n <= 19;
	return false;
}

/* Digits of groups [a, b] into `out`; returns their count (0 if over 19). */
static int span_digits(const char *text, const struct group *g, int a, int b, char out[20])
{
	int n = 0, i;
	size_t k;

	for (i = a; i <= b; i++)
		for (k = g[i].start; k < g[i].end; k++) {
			if (n == 19)
				return 0;
			out[n++] = text[k];
		}
	return n;
}

static bool is_card(const char *d, int n)
{
	return n >= 13 && n <= 19 && issuer_ok(d, n) && cb_luhn_ok(d, (size_t)n);
}

static bool is_alnum_at(const char *s, size_t len, size_t i)
{
	return i < len && isalnum((unsigned char)s[i]);
}

/* Split the run starting at `i` into digit groups; returns the group count. */
static int scan_groups(const char *s, size_t len, size_t i, struct group *g)
{
	int n = 0;

	while (n < MAX_GROUPS) {
		g[n].start = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		g[n].end = i;
		n++;
		if (i + 1 < len && (s[i] == ' ' || s[i] == '-') && isdigit((unsigned char)s[i + 1]))
			i++;
		else
			break;
	}
	return n;
}

/* "###-##-####" at `i` with a valid area, group and serial. */
static bool is_ssn(const char *s, size_t len, size_t i)
{
	static const char shape[] = "ddd-dd-dddd";
	int area, group, serial;
	size_t k;

	if (i + 11 > len || is_alnum_at(s, len, i + 11) || (i && isalnum((unsigned char)s[i - 1])))
		return false;
	if (i + 12 <= len && s[i + 11] == '-' && is_alnum_at(s, len, i + 12))
		return false;
	for (k = 0; k < 11; k++) {
		if (shape[k] == 'd' ? !isdigit((unsigned char)s[i + k]) : s[i + k] != '-')
			return false;
	}
	area = prefix_num(s + i, 3);
	group = prefix_num(s + i + 4, 2);
	serial = prefix_num(s + i + 7, 4);
	return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

/* True when the words just before `i` are "cvv", "cvc", "security code", ... */
static bool after_cvv_word(const char *s, size_t i)
{
	static const char *const words[] = { "cvv2", "cvc2", "cvv", "cvc", "csc", "cid",
					      "security code", NULL };
	char back[24];
	size_t j = i, n = 0, w;

	while (j > 0 && strchr(" :#=-\t", s[j - 1]))
		j--;
	if (j >= 3 && !strncasecmp(s + j - 3, " is", 3)) {
		j -= 3;
		while (j > 0 && strchr(" :#=-\t", s[j - 1]))
			j--;
	}
	if (j == i)
		return false;
	while (j > 0 && n < sizeof(back) - 1 && (isalnum((unsigned char)s[j - 1]) || s[j - 1] == ' ')) {
		back[sizeof(back) - 2 - n] = (char)tolower((unsigned char)s[j - 1]);
		j--;
		n++;
	}
	back[sizeof(back) - 1] = '\0';
	for (w = 0; words[w]; w++) {
		size_t wl = strlen(words[w]);
		const char *tail = back + sizeof(back) - 1 - wl;

		if (n >= wl && !strcmp(tail, words[w]) &&
		    (n == wl || !isalnum((unsigned char)tail[-1])))
			return true;
	}
	return false;
}

/* Try the spans of a run of groups, longest first; emit and return bytes consumed. */
static size_t mask_cards(struct cb_buf *out, const char *s, const struct group *g, int ng,
			 size_t *count)
{
	char d[20];
	int a, b, n;

	for (a = 0; a < ng; a++)
		for (b = ng - 1; b >= a; b--) {
			n = span_digits(s, g, a, b, d);
			if (!is_card(d, n))
				continue;
			cb_buf_add(out, s + g[0].start, g[a].start - g[0].start);
			cb_buf_addf(out, "[card ending %.4s]", d + n - 4);
			(*count)++;
			return g[b].end - g[0].start;
		}
	return 0;
}

size_t cb_redact_text(struct cb_buf *out, const char *in)
{
	size_t len = strlen(in), i = 0, count = 0, used, plain;
	struct group g[MAX_GROUPS];
	int ng;

	cb_buf_add(out, "", 0);
	cb_buf_grow(out, len);   /* the masks are rarely longer than what they replace */
	while (i < len) {
		/* text up to the next digit that starts a run, copied as it is */
		for (plain = i; plain < len; plain++)
			if (isdigit((unsigned char)in[plain]) &&
			    !(plain && isalnum((unsigned char)in[plain - 1])))
				break;
		if (plain > i) {
			cb_buf_add(out, in + i, plain - i);
			i = plain;
			continue;
		}
		if (is_ssn(in, len, i)) {
			cb_buf_adds(out, "[SSN redacted]");
			count++;
			i += 11;
			continue;
		}
		ng = scan_groups(in, len, i, g);
		if (!is_alnum_at(in, len, g[ng - 1].end)) {
			used = mask_cards(out, in, g, ng, &count);
			if (used) {
				i += used;
				continue;
			}
			if (ng == 1 && g[0].end - g[0].start >= 3 && g[0].end - g[0].start <= 4 &&
			    after_cvv_word(in, i)) {
				cb_buf_adds(out, "[CVV redacted]");
				count++;
				i = g[0].end;
				continue;
			}
		}
		cb_buf_add(out, in + i, g[ng - 1].end - i);
		i = g[ng - 1].end;
	}
	return count;
}

void cb_card_last4(char out[5], const char *field)
{
	char d[5] = { 0 };
	int n = 0;
	size_t i;

	out[0] = '\0';
	if (!field)
		return;
	for (i = strlen(field); i-- > 0 && n < 4;)
		if (isdigit((unsigned char)field[i]))
			d[3 - n++] = field[i];
	if (n == 4)
		memcpy(out, d, 5);
}
