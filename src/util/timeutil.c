/*
 * timeutil.c: the timestamp shapes real exports use, to and from Unix time.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cbpack/error.h"
#include "cbpack/timeutil.h"

/* Read exactly n digits. */
static int digits(const char **pp, int n, int *out)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "Z", "+HH:MM", "+HHMM", "-HH", with optional leading space. */
static int parse_offset(const char **pp, int *offset_min)
{
	const char *p = *pp;
	int sign, hh, mm = 0;

	if (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		*offset_min = 0;
		*pp = p + 1;
		return 0;
	}
	if (!strncmp(p, "UTC", 3)) {
		*offset_min = 0;
		*pp = p + 3;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &hh))
		return -1;
	if (*p == ':')
		p++;
	if (isdigit((unsigned char)*p) && digits(&p, 2, &mm))
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*offset_min = sign * (hh * 60 + mm);
	*pp = p;
	return 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int cb_time_parse(int64_t *out, int *offset_min, const char *text, struct cb_error *err)
{
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, off = 0;

	if (!text || !*text)
		return cb_error_set(err, CB_EPARSE, "missing date");
	if (all_digits(text) && strlen(text) >= 9 && strlen(text) <= 11) {
		*out = strtoll(text, NULL, 10);
		if (offset_min)
			*offset_min = 0;
		return 0;
	}
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		goto bad;
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &s))
				goto bad;
			if (*p == '.' || *p == ',')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		if (h > 23 || mi > 59 || s > 60)
			goto bad;
		if (*p && parse_offset(&p, &off))
			goto bad;
	}
	if (*p)
		goto bad;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - (int64_t)off * 60;
	if (offset_min)
		*offset_min = off;
	return 0;
bad:
	return cb_error_set(err, CB_EPARSE, "'%s' is not a date", text);
}

static void to_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	gmtime_r(&tt, tm);
}

char *cb_time_format(char *out, size_t outlen, int64_t t, int offset_min)
{
	struct tm tm;
	int a = offset_min < 0 ? -offset_min : offset_min;

	to_tm(t + (int64_t)offset_min * 60, &tm);
	if (!offset_min)
		snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d UTC%c%02d:%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 offset_min < 0 ? '-' : '+', a / 60, a % 60);
	return out;
}

char *cb_date_format(char *out, size_t outlen, int64_t t)
{
	struct tm tm;

	to_tm(t, &tm);
	snprintf(out, outlen, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return out;
}

char *cb_time_iso(char *out, size_t outlen, int64_t t)
{
	struct tm tm;

	to_tm(t, &tm);
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return out;
}

char *cb_time_left(char *out, size_t outlen, int64_t due, int64_t now)
{
	int64_t d, a, v;
	const char *unit;

	if (due == INT64_MIN) {
		snprintf(out, outlen, "no deadline");
		return out;
	}
	d = due - now;
	a = d < 0 ? -d : d;
	if (a >= 2 * 86400) {
		v = a / 86400;
		unit = "day";
	} else if (a >= 3600) {
		v = a / 3600;
		unit = "hour";
	} else {
		v = a / 60;
		unit = "minute";
	}
	snprintf(out, outlen, "%s%" PRId64 " %s%s", d >= 0 ? "in " : "overdue by ", v, unit,
		 v == 1 ? "" : "s");
	return out;
}

bool cb_source_date_epoch(int64_t *t)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!sde || !*sde)
		return false;
	errno = 0;
	v = strtoll(sde, &end, 10);
	if (errno || *end)
		return false;
	*t = v;
	return true;
}

int64_t cb_now(void)
{
	int64_t t;

	return cb_source_date_epoch(&t) ? t : (int64_t)time(NULL);
}
