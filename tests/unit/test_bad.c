/*
 * Unit tests: every file in tests/bad/ is refused by its importer with the
 * message tests/bad/cases.tsv expects (file<TAB>format<TAB>fragment). One
 * test per row, so a new bad file is a new line in the table, nothing more.
 * Run from the top of the source tree (make test does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/records.h"

#define CASES "tests/bad/cases.tsv"
#define MAX_CASES 256

struct bad_case {
	char line[1024];        /* the table row, split in place */
	const char *name, *format, *expect;
	char file[1100];        /* tests/bad/<name> */
};

/* A sink that takes everything: a bad file must fail on its own. */
static int take_order(void *c, const struct cb_order *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_line(void *c, const struct cb_order_line *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_charge(void *c, const struct cb_charge *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_refund(void *c, const struct cb_refund *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_dispute(void *c, const struct cb_dispute *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_ticket(void *c, const struct cb_ticket *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_message(void *c, const struct cb_message *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_shipment(void *c, const struct cb_shipment *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_event(void *c, const struct cb_tracking_event *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }
static int take_policy(void *c, const struct cb_policy *r, struct cb_error *e)
{ (void)c; (void)r; (void)e; return 0; }

static const struct cb_sink take_all = {
	NULL, take_order, take_line, take_charge, take_refund, take_dispute, take_ticket,
	take_message, take_shipment, take_event, take_policy, NULL
};

static void refused_with_message(void **state)
{
	const struct bad_case *c = *state;
	const struct cb_ingest_format *fmt = cb_ingest_find(c->format);
	struct cb_error err = CB_ERROR_INIT;
	struct cb_ingest_stats st;
	int ret;

	if (!fmt)
		fail_msg("%s: unknown format '%s'", c->file, c->format);
	ret = cb_ingest_file(fmt, c->file, &take_all, &st, &err);
	if (ret == 0)
		fail_msg("%s: accepted as %s", c->file, c->format);
	if (!strstr(err.msg, c->expect))
		fail_msg("%s: message '%s' lacks '%s'", c->file, err.msg, c->expect);
}

/* Split "a\tb\tc\n" in place; returns 0 when the line has three fields. */
static int split3(char *line, char **a, char **b, char **c)
{
	char *nl = strchr(line, '\n');

	if (nl)
		*nl = '\0';
	*a = line;
	*b = strchr(*a, '\t');
	if (!*b)
		return -1;
	*(*b)++ = '\0';
	*c = strchr(*b, '\t');
	if (!*c)
		return -1;
	*(*c)++ = '\0';
	return 0;
}

static size_t load_cases(struct bad_case *cases, size_t max)
{
	FILE *f = fopen(CASES, "r");
	char *file, *format, *expect;
	size_t n = 0;
	long lineno = 0;

	if (!f) {
		fprintf(stderr, "cannot open %s (run from the top of the tree)\n", CASES);
		return 0;
	}
	while (n < max && fgets(cases[n].line, sizeof(cases[n].line), f)) {
		char *line = cases[n].line;

		lineno++;
		if (lineno == 1 || line[0] == '#' || line[0] == '\n')
			continue;
		if (split3(line, &file, &format, &expect)) {
			fprintf(stderr, "%s:%ld: expected file<TAB>format<TAB>expect\n", CASES, lineno);
			n = 0;
			break;
		}
		cases[n].name = file;
		cases[n].format = format;
		cases[n].expect = expect;
		snprintf(cases[n].file, sizeof(cases[n].file), "tests/bad/%s", file);
		n++;
	}
	fclose(f);
	return n;
}

int main(void)
{
	static struct bad_case cases[MAX_CASES];
	static struct CMUnitTest tests[MAX_CASES];
	size_t n = load_cases(cases, MAX_CASES), i;

	if (!n)
		return 1;
	for (i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = refused_with_message;
		tests[i].setup_func = NULL;
		tests[i].teardown_func = NULL;
		tests[i].initial_state = &cases[i];
	}
	return _cmocka_run_group_tests("bad_inputs", tests, n, NULL, NULL);
}
