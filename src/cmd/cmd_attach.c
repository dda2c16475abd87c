/*
 * cmd_attach.c: `cbpack attach (order|dispute) REF FILE --kind KIND` copies
 * a proof file into the store against an order or a dispute.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cbpack/error.h"
#include "cbpack/ingest.h"
#include "cbpack/store.h"
#include "cmd.h"

static const char usage[] = "cbpack attach (order|dispute) REF FILE --kind KIND\n"
			    "   or: cbpack attach --list FILE.csv";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Copy FILE (PNG, JPEG or PDF, recognised by its content) into the store's file\n"
	       "area and attach it to an order (REF: order number, '#1001' or '1001') or a\n"
	       "dispute (REF: its gateway id, or GATEWAY:ID). Attaching a file twice changes\n"
	       "nothing.\n\n"
	       "With --list, attach every row of a CSV with the columns owner_kind,\n"
	       "owner_ref, file (relative to the CSV's folder) and kind, all or none.\n\n"
	       "  -k, --kind KIND   pod, signature, product_photo, receipt, policy or other\n"
	       "  -l, --list FILE   attach the files a CSV lists, in one transaction\n"
	       "  -h, --help        show this help\n", usage);
}

struct list_ctx {
	struct cb_store *store;
	const char *list;
};

static int attach_one(void *ctx, const char *owner_kind, const char *owner_ref, const char *file,
		      const char *kind, long line, struct cb_error *err)
{
	const struct list_ctx *c = ctx;
	int ret = cb_store_attach(c->store, owner_kind, owner_ref, file, kind, err);

	if (ret)
		cb_error_prefix(err, "%s:%ld", c->list, line);
	return ret;
}

/* Every row or none: one transaction around the whole list. */
static int attach_list(const char *list)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	struct list_ctx c;
	int ret;

	ret = cb_store_open(&s, cb_store_default_path(cb_global.db_path), 0, &err);
	if (!ret)
		ret = cb_store_begin(s, &err);
	c.store = s;
	c.list = list;
	if (!ret)
		ret = cb_ingest_attachment_list(list, attach_one, &c, &err);
	if (!ret)
		ret = cb_store_commit(s, &err);
	if (ret && s)
		cb_store_rollback(s);
	cb_store_free(s);
	if (ret)
		return cb_fail(&err);
	printf("attached the files listed in '%s'\n", list);
	return CB_EXIT_OK;
}

int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "list", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cb_error err = CB_ERROR_INIT;
	struct cb_store *s = NULL;
	const char *kind = NULL, *list = NULL, *owner, *ref, *file;
	int ch, ret;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":k:l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			kind = optarg;
			break;
		case 'l':
			list = optarg;
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
	if (list && argc == optind)
		return attach_list(list);
	if (argc - optind != 3)
		return cb_usage(usage, "expected (order|dispute) REF FILE");
	owner = argv[optind];
	ref = argv[optind + 1];
	file = argv[optind + 2];
	if (strcmp(owner, "order") && strcmp(owner, "dispute"))
		return cb_usage(usage, "attach to 'order' or 'dispute', not '%s'", owner);
	if (!kind)
		return cb_usage(usage, "--kind is required");

	if (cb_store_open(&s, cb_store_default_path(cb_global.db_path), 0, &err) < 0)
		return cb_fail(&err);
	ret = cb_store_attach(s, owner, ref, file, kind, &err);
	cb_store_free(s);
	if (ret == CB_EUSAGE)
		return cb_usage(usage, "%s", err.msg);
	if (ret < 0)
		return cb_fail(&err);
	printf("attached '%s' to %s '%s' as %s\n", file, owner, ref, kind);
	return CB_EXIT_OK;
}
