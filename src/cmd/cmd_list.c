/*
 * cmd_list.c: `cbpack list` shows disputes soonest deadline first, each
 * deadline both as a UTC time and as time left relative to cb_now(), so a
 * reader sees at once what is urgent; under two days it counts hours. A
 * dispute that needs no response says "closed" instead. --json gives the
 * same rows to scripts.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/money.h"
#include "cbpack/store.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "cmd.h"

static const char usage[] =
	"cbpack list [--open] [--due-within DAYS] [--gateway NAME] [--json]";

enum { COL_ID, COL_GATEWAY, COL_REASON, COL_AMOUNT, COL_STATUS, COL_ORDER, COL_DUE, COL_LEFT,
       N_COLS };

static const char *const headings[N_COLS] = {
	"DISPUTE", "GATEWAY", "REASON", "AMOUNT", "STATUS", "ORDER", "DUE", "LEFT"
};

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "List disputes, soonest deadline first (disputes without one last).\n\n"
	       "  --open              only disputes that need a response and whose deadline\n"
	       "                      has not passed\n"
	       "  --due-within DAYS   only disputes due within DAYS days from now\n"
	       "  --gateway NAME      only disputes from gateway NAME (stripe, paypal, csv...)\n"
	       "  --json              print a JSON array instead of a table\n"
	       "  -h, --help          show this help\n", usage);
}

static void row_cells(char *cells[N_COLS], const struct cb_dispute_row *r, int64_t now)
{
	char buf[128];

	cells[COL_ID] = cb_xstrdup(r->gateway_id);
	cells[COL_GATEWAY] = cb_xstrdup(r->gateway);
	cells[COL_REASON] = cb_xstrdup(r->reason ? r->reason : "-");
	cells[COL_AMOUNT] = cb_xstrdup(cb_money_format(buf, sizeof(buf), r->amount, r->currency));
	cells[COL_STATUS] = cb_xstrdup(r->status ? r->status : "-");
	cells[COL_ORDER] = cb_xstrdup(r->order_ref ? r->order_ref : "-");
	if (r->due_by == CB_NO_TIME)
		cells[COL_DUE] = cb_xstrdup("-");
	else
		cells[COL_DUE] = cb_xstrdup(cb_time_format(buf, sizeof(buf), r->due_by, 0));
	if (r->is_open)
		cb_time_left(buf, sizeof(buf), r->due_by, now);
	else
		snprintf(buf, sizeof(buf), "closed");
	cells[COL_LEFT] = cb_xstrdup(buf);
}

static void print_cells(char *const cells[N_COLS], const size_t width[N_COLS])
{
	int c;

	for (c = 0; c < N_COLS; c++) {
		if (c == N_COLS - 1) {
			printf("%s\n", cells[c]);
			break;
		}
		printf("%s%*s", cells[c], (int)(width[c] - cb_utf8_len(cells[c]) + 2), "");
	}
}

static void print_table(const struct cb_dispute_list *l, int64_t now)
{
	char *(*cells)[N_COLS] = cb_xcalloc(l->n, sizeof(*cells));
	size_t width[N_COLS], i;
	int c;

	for (c = 0; c < N_COLS; c++)
		width[c] = strlen(headings[c]);
	for (i = 0; i < l->n; i++) {
		row_cells(cells[i], &l->rows[i], now);
		for (c = 0; c < N_COLS; c++)
			if (cb_utf8_len(cells[i][c]) > width[c])
				width[c] = cb_utf8_len(cells[i][c]);
	}
	print_cells((char *const *)headings, width);
	for (i = 0; i < l->n; i++) {
		print_cells(cells[i], width);
		for (c = 0; c < N_COLS; c++)
			free(cells[i][c]);
	}
	free(cells);
}

static json_t *json_time(int64_t t)
{
	char buf[64];

	return t == CB_NO_TIME ? json_null() : json_string(cb_time_iso(buf, sizeof(buf), t));
}

static json_t *json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int print_json(const struct cb_dispute_list *l, int64_t now)
{
	json_t *arr = json_array();
	char buf[128];
	size_t i;
	int ret;

	for (i = 0; i < l->n; i++) {
		const struct cb_dispute_row *r = &l->rows[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:I, s:o, s:s, s:o, s:b,"
						     " s:o, s:o, s:o}",
			"id", json_str(r->gateway_id), "gateway", json_str(r->gateway),
			"reason", json_str(r->reason), "status", json_str(r->status),
			"amount", (json_int_t)r->amount, "currency", json_str(r->currency),
			"amount_text", cb_money_format(buf, sizeof(buf), r->amount, r->currency),
			"order", json_str(r->order_ref), "is_open", r->is_open,
			"opened_at", json_time(r->opened_at), "due_by", json_time(r->due_by),
			"due_in_seconds", r->due_by == CB_NO_TIME ? json_null()
				: json_integer((json_int_t)(r->due_by - now))));
	}
	ret = json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(arr);
	return ret;
}

static int parse_days(int *out, const char *text)
{
	char *end;
	long v;

	v = strtol(text, &end, 10);
	if (end == text || *end || v < 1 || v > 36500)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "due-within", required_argument, NULL, 'w' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_list_opts o = { false, 0, NULL, 0 };
	struct cb_dispute_list l = { NULL, 0, 0 };
	struct cb_store *s = NULL;
	int ch, json = 0, ret;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			o.open_only = true;
			break;
		case 'w':
			if (parse_days(&o.due_within_days, optarg) < 0)
				return cb_usage(usage, "--due-within: '%s' is not a number of days "
						"(1-36500)", optarg);
			break;
		case 'g':
			o.gateway = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			print_help();
			return CB_EXIT_OK;
		case ':':
			return cb_usage(usage, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cb_usage(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cb_usage(usage, "unexpected argument '%s'", argv[optind]);

	o.now = cb_now();
	if (cb_store_open(&s, cb_store_default_path(cb_global.db_path), 0, &err) < 0)
		return cb_fail(&err);
	ret = cb_store_list_disputes(s, &o, &l, &err);
	cb_store_free(s);
	if (ret < 0)
		return cb_fail(&err);
	if (json) {
		if (print_json(&l, o.now) < 0)
			cb_warn("cannot write the JSON output");
	} else if (l.n == 0) {
		printf("no disputes\n");
	} else {
		print_table(&l, o.now);
	}
	cb_dispute_list_release(&l);
	return CB_EXIT_OK;
}
