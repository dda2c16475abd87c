/*
 * Unit tests: the parts of the bundle module that stand alone. Names that
 * cannot escape, the zip and its temp-and-rename, limits arithmetic and its
 * messages, the shrink ladder, text field truncation, the manifest.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <zip.h>

#include "cbpack/buf.h"
#include "cbpack/bundle.h"
#include "cbpack/error.h"
#include "cbpack/hash.h"
#include "cbpack/records.h"
#include "cbpack/text.h"
#include "cbpack/version.h"
#include "../../src/bundle/bundle_int.h"

/* ---- names ---- */

static void zip_name_keeps_only_safe_characters(void **state)
{
	char b[64];

	(void)state;
	cb_bundle_file_name(b, sizeof(b), "dp_1QaZ-9.x");
	assert_string_equal(b, "dp_1QaZ-9.x.zip");
	cb_bundle_file_name(b, sizeof(b), "../../etc/passwd");
	assert_null(strchr(b, '/'));
	assert_true(b[0] != '.');
	assert_string_equal(b, "_._.._etc_passwd.zip");
	cb_bundle_file_name(b, sizeof(b), "a/b");
	assert_string_equal(b, "a_b.zip");
	cb_bundle_file_name(b, sizeof(b), "PP-D-12 34é");
	assert_string_equal(b, "PP-D-12_34__.zip");
	cb_bundle_file_name(b, sizeof(b), "");
	assert_string_equal(b, "_.zip");
	cb_bundle_file_name(b, sizeof(b), NULL);
	assert_string_equal(b, "_.zip");
	cb_bundle_file_name(b, 12, "abcdefghijklmnop");
	assert_string_equal(b, "abcdefg.zip");
}

static void entry_name_never_escapes(void **state)
{
	char b[64];

	(void)state;
	cb_bundle_entry_name(b, sizeof(b), "../../etc/passwd");
	assert_null(strchr(b, '/'));
	assert_null(strstr(b, ".."));
	assert_true(b[0] != '.');
	assert_string_equal(b, "_._etc_passwd");
	cb_bundle_entry_name(b, sizeof(b), "a/b");
	assert_string_equal(b, "a_b");
	cb_bundle_entry_name(b, sizeof(b), ".hidden");
	assert_string_equal(b, "hidden");
	cb_bundle_entry_name(b, sizeof(b), "/abs/pod.pdf");
	assert_string_equal(b, "_abs_pod.pdf");
	cb_bundle_entry_name(b, sizeof(b), "C:\\Users\\x\\POD scan.PDF");
	assert_string_equal(b, "C__Users_x_POD_scan.PDF");
	cb_bundle_entry_name(b, sizeof(b), "caf\xc3\xa9.jpg");
	assert_string_equal(b, "caf__.jpg");
	cb_bundle_entry_name(b, sizeof(b), "...");
	assert_string_equal(b, "file");
	cb_bundle_entry_name(b, sizeof(b), "");
	assert_string_equal(b, "file");
	cb_bundle_entry_name(b, sizeof(b), "x..");
	assert_string_equal(b, "x");
	cb_bundle_entry_name(b, 16, "a-very-long-file-name-indeed.pdf");
	assert_int_equal(strlen(b), 15);
	assert_string_equal(b + strlen(b) - 4, ".pdf");
}

static void entry_names_are_made_unique(void **state)
{
	struct cb_strv used = CB_STRV_INIT;
	char b[64];

	(void)state;
	snprintf(b, sizeof(b), "pod.pdf");
	cb_bundle_name_unique(b, sizeof(b), &used);
	assert_string_equal(b, "pod.pdf");
	cb_bundle_name_unique(b, sizeof(b), &used);
	assert_string_equal(b, "pod-2.pdf");
	snprintf(b, sizeof(b), "pod.pdf");
	cb_bundle_name_unique(b, sizeof(b), &used);
	assert_string_equal(b, "pod-3.pdf");
	snprintf(b, sizeof(b), "proof/scan");
	cb_bundle_name_unique(b, sizeof(b), &used);
	cb_bundle_name_unique(b, sizeof(b), &used);
	assert_string_equal(b, "proof/scan-2");
	assert_int_equal(used.n, 5);
	cb_strv_release(&used);
}

static void counts_are_grouped(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(cb_bundle_fmt_int(b, sizeof(b), 0), "0");
	assert_string_equal(cb_bundle_fmt_int(b, sizeof(b), 999), "999");
	assert_string_equal(cb_bundle_fmt_int(b, sizeof(b), 1000), "1,000");
	assert_string_equal(cb_bundle_fmt_int(b, sizeof(b), 6210445), "6,210,445");
	assert_string_equal(cb_bundle_fmt_int(b, sizeof(b), -1234567), "-1,234,567");
	assert_string_equal(cb_bundle_fmt_int(b, sizeof(b), INT64_MAX), "9,223,372,036,854,775,807");
}

/* ---- zip ---- */

static void entries3(struct cb_bentry *e)
{
	static const char pdf[] = "%PDF-1.3\n/Type /Page\n%%EOF\n";
	static const char json[] = "{\"a\":\"b\",\"a2\":\"b\",\"a3\":\"b\",\"a4\":\"b\",\"a5\":\"b\"}";

	memset(e, 0, 3 * sizeof(*e));
	e[0].name = "letter.pdf";
	e[0].data = (const unsigned char *)pdf;
	e[0].len = sizeof(pdf) - 1;
	e[1].name = "proof/pod.pdf";
	e[1].data = (const unsigned char *)pdf;
	e[1].len = sizeof(pdf) - 1;
	e[2].name = "fields.json";
	e[2].data = (const unsigned char *)json;
	e[2].len = sizeof(json) - 1;
	e[2].compress = true;
}

static void zip_is_deterministic_and_stores_pdfs(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_bentry e[3];
	unsigned char *z1, *z2;
	size_t l1, l2;
	zip_source_t *src;
	zip_error_t ze;
	zip_t *za;
	zip_stat_t st;
	char buf[256];
	zip_file_t *zf;
	zip_int64_t got;

	(void)state;
	entries3(e);
	assert_int_equal(cb_bundle_zip(&z1, &l1, e, 3, 1795392000, &err), 0);
	assert_int_equal(cb_bundle_zip(&z2, &l2, e, 3, 1795392000, &err), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(z1, z2, l1);
	free(z2);
	assert_int_equal(cb_bundle_zip(&z2, &l2, e, 3, 1795392000 + 86400, &err), 0);
	assert_true(l1 != l2 || memcmp(z1, z2, l1) != 0);
	free(z2);

	zip_error_init(&ze);
	src = zip_source_buffer_create(z1, l1, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 3);
	assert_string_equal(zip_get_name(za, 0, 0), "letter.pdf");
	assert_string_equal(zip_get_name(za, 1, 0), "proof/pod.pdf");
	assert_string_equal(zip_get_name(za, 2, 0), "fields.json");
	assert_int_equal(zip_stat_index(za, 0, 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_STORE);
	assert_int_equal(st.mtime, 1795392000);
	assert_int_equal(zip_stat_index(za, 2, 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
	zf = zip_fopen_index(za, 2, 0);
	assert_non_null(zf);
	got = zip_fread(zf, buf, sizeof(buf));
	zip_fclose(zf);
	assert_int_equal(got, e[2].len);
	assert_memory_equal(buf, e[2].data, e[2].len);
	zip_close(za);
	zip_error_fini(&ze);
	free(z1);
}

static void zip_refuses_duplicate_names(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_bentry e[3];
	unsigned char *z;
	size_t l;

	(void)state;
	entries3(e);
	e[2].name = "letter.pdf";
	assert_int_equal(cb_bundle_zip(&z, &l, e, 3, 1795392000, &err), CB_ERROR);
	assert_null(z);
	assert_non_null(strstr(err.msg, "letter.pdf"));
}

static void mtime_comes_from_source_date_epoch_or_dispute(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1795392000", 1);
	assert_int_equal(cb_bundle_mtime(1700000000), 1795392000);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(cb_bundle_mtime(1700000000), 1700000000);
	assert_int_equal(cb_bundle_mtime(CB_NO_TIME), 315619200);
	setenv("SOURCE_DATE_EPOCH", "garbage", 1);
	assert_int_equal(cb_bundle_mtime(1700000000), 1700000000);
	unsetenv("SOURCE_DATE_EPOCH");
}

static int count_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, ".tmp-", 5))
			n++;
	closedir(d);
	return n;
}

static void publish_writes_0600_through_a_temp_file(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	char root[] = "/tmp/cbpack-test-XXXXXX", dir[128], blocker[160], *path = NULL;
	struct stat st;
	FILE *fp;
	char got[16];

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/out/deep", root);
	assert_int_equal(cb_bundle_publish(&path, NULL, dir, "dp_1.zip", "hello", 5, &err), 0);
	assert_non_null(path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 5);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(got, 1, sizeof(got), fp), 5);
	fclose(fp);
	assert_memory_equal(got, "hello", 5);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(count_tmp(dir), 0);
	/* replacing is atomic: a second publish overwrites */
	free(path);
	assert_int_equal(cb_bundle_publish(&path, NULL, dir, "dp_1.zip", "bye", 3, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	unlink(path);
	free(path);
	path = NULL;

	/* a failing rename (the name is taken by a non-empty directory) cleans up */
	snprintf(blocker, sizeof(blocker), "%s/dp_2.zip", dir);
	assert_int_equal(mkdir(blocker, 0700), 0);
	snprintf(blocker, sizeof(blocker), "%s/dp_2.zip/x", dir);
	fp = fopen(blocker, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(cb_bundle_publish(&path, NULL, dir, "dp_2.zip", "hello", 5, &err), CB_EIO);
	assert_null(path);
	assert_non_null(strstr(err.msg, "cannot rename"));
	assert_int_equal(count_tmp(dir), 0);
	unlink(blocker);
	snprintf(blocker, sizeof(blocker), "%s/dp_2.zip", dir);
	rmdir(blocker);

	/* an output "directory" that is a file */
	snprintf(blocker, sizeof(blocker), "%s/file", root);
	fp = fopen(blocker, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(cb_bundle_publish(&path, NULL, blocker, "dp_3.zip", "x", 1, &err), CB_EIO);
	assert_null(path);
	unlink(blocker);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/out", root);
	rmdir(dir);
	assert_int_equal(rmdir(root), 0);
}

/* A staged zip waits unflushed at its temp name, unseen, until committed;
 * released uncommitted, it is removed. */
static void staged_files_reach_their_place_only_when_committed(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	char root[] = "/tmp/cbpack-test-XXXXXX";
	struct cb_bundle_result a, b;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(root));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_int_equal(cb_bundle_publish(&a.path, &a.tmp_path, root, "dp_a.zip", "aaa", 3, &err), 0);
	assert_int_equal(cb_bundle_publish(&b.path, &b.tmp_path, root, "dp_b.zip", "bb", 2, &err), 0);
	assert_non_null(a.tmp_path);
	assert_int_equal(count_tmp(root), 2);
	assert_int_not_equal(stat(a.path, &st), 0);
	assert_int_equal(stat(a.tmp_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(cb_bundle_sync(root, &err), 0);
	assert_int_equal(cb_bundle_commit(a.tmp_path, a.path, &err), 0);
	free(a.tmp_path);
	a.tmp_path = NULL;   /* taken: release must not remove anything */
	assert_int_equal(stat(a.path, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(cb_bundle_commit(b.tmp_path, "/nonexistent-cbpack-dir/x.zip", &err), CB_EIO);
	assert_non_null(strstr(err.msg, "cannot rename"));
	assert_int_equal(count_tmp(root), 1);
	unlink(a.path);
	cb_bundle_result_release(&a);
	cb_bundle_result_release(&b);   /* never committed: its temp file goes */
	assert_int_equal(count_tmp(root), 0);
	assert_int_equal(cb_bundle_sync("/nonexistent-cbpack-dir", &err), CB_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent-cbpack-dir"));
	assert_int_equal(rmdir(root), 0);
}

static void pdf_pages_are_counted(void **state)
{
	static const char three[] = "1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R 4 0 R] /Count 3>>"
		"2 0 obj <</Type /Page>> 3 0 obj <</Type/Page /Parent 1 0 R>>"
		"4 0 obj <</Type\n/Page>>";
	static const char packed[] = "<</Type /Catalog>> <</Type /Pages /Count 12>> <</Count 2>>";

	(void)state;
	assert_int_equal(cb_bundle_pdf_pages((const unsigned char *)three, sizeof(three) - 1), 3);
	assert_int_equal(cb_bundle_pdf_pages((const unsigned char *)packed, sizeof(packed) - 1), 12);
	assert_int_equal(cb_bundle_pdf_pages((const unsigned char *)"%PDF-1.5", 8), -1);
}

/* ---- limits ---- */

static void set_entry(struct cb_bentry *e, const char *name, size_t len, int pages,
		      enum cb_bentry_kind kind)
{
	memset(e, 0, sizeof(*e));
	e->name = (char *)name;
	e->len = len;
	e->pages = pages;
	e->kind = kind;
	e->gateway = kind == CB_BENTRY_PDF || kind == CB_BENTRY_PROOF;
}

static void limits_name_file_and_overage(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_limit_check c[CB_LIM_COUNT];
	struct cb_limits lim = { .file_bytes = 5000000, .total_bytes = 9000000, .file_pages = 49,
				 .total_pages = 50 };
	struct cb_bentry e[3];
	bool shrink;

	(void)state;
	set_entry(&e[0], "cover_letter.pdf", 300000, 3, CB_BENTRY_PDF);
	set_entry(&e[1], "shipping_documentation.pdf", 6210445, 7, CB_BENTRY_PDF);
	set_entry(&e[2], "fields.json", 99999999, 0, CB_BENTRY_FIELDS);
	assert_int_equal(cb_bundle_check_limits(c, &lim, "stripe", e, 3, &shrink, &err), CB_ELIMIT);
	assert_string_equal(err.msg, "shipping_documentation.pdf is 6,210,445 bytes, 1,210,445 "
			    "over the 5,000,000-byte limit of layout 'stripe'");
	assert_true(shrink);
	assert_false(c[CB_LIM_FILE_BYTES].ok);
	assert_int_equal(c[CB_LIM_TOTAL_BYTES].actual, 6510445);   /* fields.json not sent as a file */
	assert_true(c[CB_LIM_TOTAL_BYTES].ok);
	assert_int_equal(c[CB_LIM_TOTAL_PAGES].actual, 10);

	/* total over, each file under */
	e[1].len = 4900000;
	lim.total_bytes = 5000000;
	assert_int_equal(cb_bundle_check_limits(c, &lim, "stripe", e, 3, &shrink, &err), CB_ELIMIT);
	assert_string_equal(err.msg, "the bundle's files are 5,200,000 bytes together, 200,000 over "
			    "the 5,000,000-byte total limit of layout 'stripe' (largest: "
			    "shipping_documentation.pdf)");
	assert_true(shrink);

	/* pages come first and cannot be shrunk */
	lim.file_pages = 19;
	e[0].pages = 23;
	e[0].name = "conversation.pdf";
	assert_int_equal(cb_bundle_check_limits(c, &lim, "generic", e, 3, &shrink, &err), CB_ELIMIT);
	assert_string_equal(err.msg, "conversation.pdf has 23 pages, 4 over the 19-page limit of "
			    "layout 'generic'");
	assert_false(shrink);
	e[0].pages = 19;
	lim.total_pages = 20;
	assert_int_equal(cb_bundle_check_limits(c, &lim, "generic", e, 3, &shrink, &err), CB_ELIMIT);
	assert_non_null(strstr(err.msg, "26 pages together, 6 over the 20-page total limit"));

	/* everything fits; 0 means no limit */
	memset(&lim, 0, sizeof(lim));
	lim.total_bytes = 5200000;
	assert_int_equal(cb_bundle_check_limits(c, &lim, "x", e, 3, &shrink, &err), 0);
	assert_true(c[CB_LIM_TOTAL_BYTES].ok);
	assert_int_equal(c[CB_LIM_TOTAL_BYTES].max, 5200000);
	assert_int_equal(c[CB_LIM_FILE_BYTES].actual, 4900000);
	assert_string_equal(c[CB_LIM_FILE_BYTES].file, "shipping_documentation.pdf");
	assert_string_equal(c[CB_LIM_FILE_PAGES].limit, "file_pages");
}

struct fake {
	int calls;
	int fits_at_px;        /* fits when 0 < max_px <= this */
	int give_up_after;     /* calls */
	int fail_with;
};

static int fake_attempt(void *ctx, const struct cb_shrink_step *s, bool *give_up,
			struct cb_error *err)
{
	struct fake *f = ctx;

	f->calls++;
	if (f->fail_with)
		return cb_error_set(err, f->fail_with, "render failed");
	if (s->image_max_px > 0 && s->image_max_px <= f->fits_at_px)
		return 0;
	if (f->give_up_after && f->calls >= f->give_up_after)
		*give_up = true;
	return cb_error_set(err, CB_ELIMIT, "a.pdf is 2 bytes, 1 over the 1-byte limit of layout 'x'");
}

static void shrink_ladder_takes_first_fitting_step(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct fake f = { 0, 1200, 0, 0 };
	size_t step = 99;

	(void)state;
	assert_int_equal(cb_shrink_ladder_len, 8);
	assert_int_equal(cb_shrink_ladder[0].image_max_px, 0);
	assert_int_equal(cb_shrink_ladder[7].image_max_px, 480);
	assert_int_equal(cb_shrink_ladder[7].jpeg_quality, 30);
	assert_int_equal(cb_bundle_shrink(&step, fake_attempt, &f, &err), 0);
	assert_int_equal(step, 3);
	assert_int_equal(f.calls, 4);
	assert_int_equal(cb_shrink_ladder[step].jpeg_quality, 60);

	f = (struct fake){ 0, 100000, 0, 0 };
	assert_int_equal(cb_bundle_shrink(&step, fake_attempt, &f, &err), 0);
	assert_int_equal(step, 1);

	f = (struct fake){ 0, 0, 0, 0 };
	assert_int_equal(cb_bundle_shrink(&step, fake_attempt, &f, &err), CB_ELIMIT);
	assert_int_equal(f.calls, 8);
	assert_string_equal(err.msg, "a.pdf is 2 bytes, 1 over the 1-byte limit of layout 'x', "
			    "even with images at 480 px, JPEG quality 30");

	f = (struct fake){ 0, 0, 1, 0 };
	assert_int_equal(cb_bundle_shrink(&step, fake_attempt, &f, &err), CB_ELIMIT);
	assert_int_equal(f.calls, 1);
	assert_null(strstr(err.msg, "even with"));

	f = (struct fake){ 0, 0, 0, CB_EIO };
	assert_int_equal(cb_bundle_shrink(&step, fake_attempt, &f, &err), CB_EIO);
	assert_int_equal(f.calls, 1);
}

/* ---- text fields ---- */

static char *repeat(const char *unit, size_t n)
{
	struct cb_buf b = CB_BUF_INIT;

	while (n--)
		cb_buf_adds(&b, unit);
	return cb_buf_detach(&b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !memcmp(s + a - b, suffix, b);
}

static void field_over_its_limit_is_cut_with_marker(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_strv warn = CB_STRV_INIT;
	struct cb_field_val f[2] = { { "product_description", repeat("\xc3\xa9", 30000), 0, 0 },
				     { "customer_name", cb_xstrdup("Nguy\xe1\xbb\x85n"), 0, 0 } };
	size_t bad;

	(void)state;
	assert_int_equal(cb_bundle_fields_fit(f, 2, 20000, 150000, "stripe", &warn, &err), 0);
	assert_int_equal(cb_utf8_len(f[0].value), 20000);
	assert_int_equal(f[0].chars, 20000);
	assert_int_equal(f[0].orig_chars, 30000);
	assert_true(cb_utf8_valid(f[0].value, strlen(f[0].value), &bad));
	assert_true(ends_with(f[0].value, "\xc3\xa9 " CB_TRUNC_MARKER));
	assert_string_equal(f[1].value, "Nguy\xe1\xbb\x85n");
	assert_int_equal(warn.n, 1);
	assert_string_equal(warn.v[0], "text field 'product_description' shortened from 30,000 to "
			    "20,000 characters (the 20,000-character field limit of layout 'stripe')");
	free(f[0].value);
	free(f[1].value);
	cb_strv_release(&warn);
}

static void total_over_limit_cuts_the_longest_fields(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_strv warn = CB_STRV_INIT;
	struct cb_field_val f[3] = { { "a", repeat("x", 80), 0, 0 },
				     { "b", repeat("\xe2\x82\xac", 50), 0, 0 },
				     { "c", repeat("y", 10), 0, 0 } };
	size_t i;

	(void)state;
	assert_int_equal(cb_bundle_fields_fit(f, 3, 0, 100, "t", &warn, &err), 0);
	assert_int_equal(cb_utf8_len(f[0].value), 45);
	assert_int_equal(cb_utf8_len(f[1].value), 45);
	assert_int_equal(cb_utf8_len(f[2].value), 10);
	assert_true(ends_with(f[0].value, CB_TRUNC_MARKER));
	assert_true(ends_with(f[1].value, "\xe2\x82\xac " CB_TRUNC_MARKER));
	assert_int_equal(warn.n, 2);
	for (i = 0; i < 3; i++)
		free(f[i].value);
	cb_strv_release(&warn);
}

static void fields_that_cannot_fit_fail(void **state)
{
	struct cb_error err = CB_ERROR_INIT;
	struct cb_strv warn = CB_STRV_INIT;
	struct cb_field_val f[5];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		f[i] = (struct cb_field_val){ "f", repeat("z", 100), 0, 0 };
	assert_int_equal(cb_bundle_fields_fit(f, 5, 0, 50, "tiny", &warn, &err), CB_ELIMIT);
	assert_non_null(strstr(err.msg, "500 characters together, 450 over the 50-character total "
			       "limit of layout 'tiny'"));
	for (i = 0; i < 5; i++)
		free(f[i].value);
	cb_strv_release(&warn);
}

static void truncate_to_tiny_lengths(void **state)
{
	char *s = cb_xstrdup("hello world");

	(void)state;
	cb_bundle_truncate(&s, 5);
	assert_int_equal(cb_utf8_len(s), 5);
	free(s);
}

static void fields_json_is_sorted_and_compact(void **state)
{
	struct cb_field_val f[2] = { { "shipping_carrier", (char *)"UPS", 0, 0 },
				     { "customer_name", (char *)"Zo\xc3\xab \"Z\"", 0, 0 } };
	char *s;

	(void)state;
	s = cb_bundle_fields_json(f, 2);
	assert_string_equal(s, "{\"customer_name\":\"Zo\xc3\xab \\\"Z\\\"\",\"shipping_carrier\":\"UPS\"}");
	free(s);
}

static void fields_json_follows_paths(void **state)
{
	struct cb_field_val f[4] = {
		{ "evidences[].evidence_type", (char *)"PROOF_OF_FULFILLMENT", 0, 0 },
		{ "evidences[].evidence_info.tracking_info[].carrier_name", (char *)"UPS", 0, 0 },
		{ "evidences[].evidence_info.tracking_info[].tracking_number", (char *)"1Z9", 0, 0 },
		{ "evidences[].notes", (char *)"n", 0, 0 } };
	char *s;

	(void)state;
	s = cb_bundle_fields_json(f, 4);
	assert_string_equal(s, "{\"evidences\":[{\"evidence_info\":{\"tracking_info\":[{"
			    "\"carrier_name\":\"UPS\",\"tracking_number\":\"1Z9\"}]},"
			    "\"evidence_type\":\"PROOF_OF_FULFILLMENT\",\"notes\":\"n\"}]}");
	free(s);
}

static void text_is_tidied_line_by_line(void **state)
{
	char s[] = "\n   Order 1001 placed.\n        \n   Delivered.  \r\n\t\n";
	char e[] = "   \n ";

	(void)state;
	cb_bundle_tidy_text(s);
	assert_string_equal(s, "Order 1001 placed.\nDelivered.");
	cb_bundle_tidy_text(e);
	assert_string_equal(e, "");
}

/* ---- manifest ---- */

static char *manifest_once(void)
{
	static const char pdf[] = "%PDF";
	struct cb_bentry e[1];
	struct cb_strv skipped = CB_STRV_INIT, missing = CB_STRV_INIT, warn = CB_STRV_INIT;
	struct cb_limit_check c[CB_LIM_COUNT];
	struct cb_limits lim = { .file_bytes = 100, .total_bytes = 200 };
	struct cb_manifest m;
	struct cb_error err = CB_ERROR_INIT;
	bool shrink;
	char *s;

	set_entry(&e[0], "letter.pdf", 4, 2, CB_BENTRY_PDF);
	e[0].data = (const unsigned char *)pdf;
	e[0].answers = (char *)"uncategorized_file";
	cb_sha256_buf(e[0].sha256, pdf, 4);
	assert_int_equal(cb_bundle_check_limits(c, &lim, "stripe", e, 1, &shrink, &err), 0);
	cb_strv_add(&skipped, "proof\tno attachment of the kinds it takes");
	cb_strv_add(&missing, "signature");
	cb_strv_add(&warn, "w1");
	memset(&m, 0, sizeof(m));
	m.dispute_id = "dp_1";
	m.gateway = "stripe";
	m.reason = "fraud";
	m.amount = 9600;
	m.currency = "usd";
	m.opened_at = 1795392000;
	m.due_by = CB_NO_TIME;
	m.layout_name = "stripe";
	m.layout_digest = "abc";
	m.entries = e;
	m.n_entries = 1;
	m.skipped = &skipped;
	m.checks = c;
	m.missing = &missing;
	m.warnings = &warn;
	m.redactions = 2;
	m.shrink = &cb_shrink_ladder[0];
	s = cb_bundle_manifest_json(&m);
	cb_strv_release(&skipped);
	cb_strv_release(&missing);
	cb_strv_release(&warn);
	return s;
}

static void manifest_is_deterministic_and_complete(void **state)
{
	char *a = manifest_once(), *b = manifest_once();
	json_error_t je;
	json_t *root, *f;
	char sha[CB_SHA256_HEX];

	(void)state;
	assert_string_equal(a, b);
	root = json_loads(a, 0, &je);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "dispute"), "id")),
			    "dp_1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "dispute"),
							      "opened_at")), "2026-11-23T00:00:00Z");
	assert_true(json_is_null(json_object_get(json_object_get(root, "dispute"), "due_by")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "layout"), "name")),
			    "stripe");
	assert_string_equal(json_string_value(json_object_get(root, "cbpack_version")), CB_VERSION);
	f = json_array_get(json_object_get(root, "files"), 0);
	cb_sha256_buf(sha, "%PDF", 4);
	assert_string_equal(json_string_value(json_object_get(f, "sha256")), sha);
	assert_int_equal(json_integer_value(json_object_get(f, "bytes")), 4);
	assert_int_equal(json_integer_value(json_object_get(f, "pages")), 2);
	assert_string_equal(json_string_value(json_object_get(f, "answers")), "uncategorized_file");
	f = json_object_get(json_object_get(root, "limits"), "total_bytes");
	assert_int_equal(json_integer_value(json_object_get(f, "max")), 200);
	assert_int_equal(json_integer_value(json_object_get(f, "actual")), 4);
	assert_true(json_is_true(json_object_get(f, "ok")));
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(root, "limits"),
								  "file_pages"), "max")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(root, "missing_evidence"),
							     0)), "signature");
	f = json_array_get(json_object_get(root, "skipped"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "name")), "proof");
	assert_string_equal(json_string_value(json_object_get(f, "why")),
			    "no attachment of the kinds it takes");
	assert_int_equal(json_integer_value(json_object_get(root, "redactions")), 2);
	/* sorted keys: "cbpack_version" before "dispute" before "files" */
	assert_true(strstr(a, "\"cbpack_version\"") < strstr(a, "\"dispute\""));
	assert_true(strstr(a, "\"dispute\"") < strstr(a, "\"files\""));
	json_decref(root);
	free(a);
	free(b);
}

static void result_release_is_null_safe(void **state)
{
	struct cb_bundle_result r;

	(void)state;
	cb_bundle_result_release(NULL);
	memset(&r, 0, sizeof(r));
	cb_bundle_result_release(&r);
	assert_null(r.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zip_name_keeps_only_safe_characters),
		cmocka_unit_test(entry_name_never_escapes),
		cmocka_unit_test(entry_names_are_made_unique),
		cmocka_unit_test(counts_are_grouped),
		cmocka_unit_test(zip_is_deterministic_and_stores_pdfs),
		cmocka_unit_test(zip_refuses_duplicate_names),
		cmocka_unit_test(mtime_comes_from_source_date_epoch_or_dispute),
		cmocka_unit_test(publish_writes_0600_through_a_temp_file),
		cmocka_unit_test(staged_files_reach_their_place_only_when_committed),
		cmocka_unit_test(pdf_pages_are_counted),
		cmocka_unit_test(limits_name_file_and_overage),
		cmocka_unit_test(shrink_ladder_takes_first_fitting_step),
		cmocka_unit_test(field_over_its_limit_is_cut_with_marker),
		cmocka_unit_test(total_over_limit_cuts_the_longest_fields),
		cmocka_unit_test(fields_that_cannot_fit_fail),
		cmocka_unit_test(truncate_to_tiny_lengths),
		cmocka_unit_test(fields_json_is_sorted_and_compact),
		cmocka_unit_test(fields_json_follows_paths),
		cmocka_unit_test(text_is_tidied_line_by_line),
		cmocka_unit_test(manifest_is_deterministic_and_complete),
		cmocka_unit_test(result_release_is_null_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
