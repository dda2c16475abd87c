/*
 * zipout.c: the zip, and getting it onto disk safely.
 *
 * The archive is built in memory with libzip (a buffer source kept across
 * zip_close), so its final size is known before anything touches the output
 * directory, and libzip never leaves its own temp files there. Entries are
 * added in the caller's order with one fixed mtime and fixed attributes, so
 * the same inputs give the same bytes. PDFs and images are stored: they are
 * compressed already and deflating them again costs ~23 ms a packet for ~5%.
 *
 * The bytes are then written to ".tmp-XXXXXX" in the output directory,
 * flushed, and renamed over <id>.zip: a reader sees the old bundle or the
 * new one, never half of one. A batch stages many such files and flushes
 * them together (cb_bundle_sync: one syncfs) before renaming each.
 */
#define _GNU_SOURCE   /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "cbpack/buf.h"
#include "cbpack/bundle.h"
#include "cbpack/error.h"
#include "cbpack/records.h"
#include "cbpack/timeutil.h"
#include "bundle_int.h"

/* 1980-01-02: the DOS epoch plus a day, so no time zone turns it into 1979 */
#define DOS_EPOCH_SAFE 315619200

void cb_bentry_release(struct cb_bentry *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->answers);
	free(e->own);
	memset(e, 0, sizeof(*e));
}

int64_t cb_bundle_mtime(int64_t opened_at)
{
	int64_t v;

	if (cb_source_date_epoch(&v) && v >= DOS_EPOCH_SAFE)
		return v;
	if (opened_at != CB_NO_TIME && opened_at >= DOS_EPOCH_SAFE)
		return opened_at;
	return DOS_EPOCH_SAFE;
}

static int zip_fail(struct cb_error *err, const char *what, zip_error_t *ze)
{
	cb_error_set(err, CB_ERROR, "zip: %s: %s", what, zip_error_strerror(ze));
	return CB_ERROR;
}

static int add_entry(zip_t *za, const struct cb_bentry *e, int64_t mtime, struct cb_error *err)
{
	zip_source_t *src;
	zip_int64_t idx;

	src = zip_source_buffer(za, e->data, e->len, 0);
	if (!src)
		return zip_fail(err, e->name, zip_get_error(za));
	idx = zip_file_add(za, e->name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return zip_fail(err, e->name, zip_get_error(za));
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx,
				     e->compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
				     e->compress ? 9 : 0) < 0 ||
	    zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)mtime, 0) < 0 ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
					     (zip_uint32_t)0100644 << 16) < 0)
		return zip_fail(err, e->name, zip_get_error(za));
	return 0;
}

static int read_source(unsigned char **out, size_t *outlen, zip_source_t *src,
		       struct cb_error *err)
{
	zip_stat_t st;
	unsigned char *data;
	zip_int64_t got;

	zip_stat_init(&st);
	if (zip_source_open(src) < 0)
		return zip_fail(err, "reading the archive", zip_source_error(src));
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		zip_source_close(src);
		return zip_fail(err, "reading the archive", zip_source_error(src));
	}
	data = cb_xmalloc(st.size ? st.size : 1);
	got = zip_source_read(src, data, st.size);
	zip_source_close(src);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(data);
		return cb_error_set(err, CB_ERROR, "zip: short read of the archive");
	}
	*out = data;
	*outlen = (size_t)st.size;
	return 0;
}

int cb_bundle_zip(unsigned char **out, size_t *outlen, const struct cb_bentry *e, size_t n,
		  int64_t mtime, struct cb_error *err)
{
	zip_error_t ze;
	zip_source_t *buf;
	zip_t *za;
	size_t i;
	int rc;

	*out = NULL;
	*outlen = 0;
	zip_error_init(&ze);
	buf = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!buf) {
		rc = zip_fail(err, "creating the archive", &ze);
		zip_error_fini(&ze);
		return rc;
	}
	za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
	if (!za) {
		rc = zip_fail(err, "creating the archive", &ze);
		zip_source_free(buf);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	/* keep the buffer past zip_close, which would otherwise free it */
	zip_source_keep(buf);
	for (i = 0; i < n; i++) {
		rc = add_entry(za, &e[i], mtime, err);
		if (rc < 0) {
			zip_discard(za);
			zip_source_free(buf);
			return rc;
		}
	}
	/* the entries' buffers are read here, so they must still be alive */
	if (zip_close(za) < 0) {
		rc = zip_fail(err, "writing the archive", zip_get_error(za));
		zip_discard(za);
		zip_source_free(buf);
		return rc;
	}
	rc = read_source(out, outlen, buf, err);
	zip_source_free(buf);
	return rc;
}

/* mkdir -p with mode 0700 for what it creates */
static int make_dirs(const char *dir, struct cb_error *err)
{
	char *p = cb_xstrdup(dir), *s;
	struct stat st;
	int rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			rc = cb_error_set(err, CB_EIO, "cannot create directory '%s': %s", p,
					  strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!rc && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = cb_error_set(err, CB_EIO, "'%s' is not a directory", dir);
	free(p);
	return rc;
}

static int write_all(int fd, const unsigned char *data, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* `data` into a new ".tmp-XXXXXX" in `dir`, mode 0600, flushed if `flush`. */
static int write_temp(struct cb_buf *tmp, const char *dir, const void *data, size_t len,
		      bool flush, struct cb_error *err)
{
	int fd, rc = 0;

	rc = make_dirs(dir, err);
	if (rc < 0)
		return rc;
	cb_buf_addf(tmp, "%s/.tmp-XXXXXX", dir);
	fd = mkstemp(tmp->ptr);   /* mode 0600 */
	if (fd < 0)
		return cb_error_set(err, CB_EIO, "cannot create a file in '%s': %s", dir,
				    strerror(errno));
	if (fchmod(fd, 0600) < 0 || write_all(fd, data, len) < 0 || (flush && fsync(fd) < 0))
		rc = cb_error_set(err, CB_EIO, "cannot write '%s': %s", tmp->ptr, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = cb_error_set(err, CB_EIO, "cannot write '%s': %s", tmp->ptr, strerror(errno));
	if (rc < 0)
		unlink(tmp->ptr);
	return rc;
}

int cb_bundle_commit(const char *tmp, const char *final, struct cb_error *err)
{
	if (rename(tmp, final) < 0)
		return cb_error_set(err, CB_EIO, "cannot rename '%s' to '%s': %s", tmp, final,
				    strerror(errno));
	return 0;
}

int cb_bundle_publish(char **path_out, char **tmp_out, const char *dir, const char *file_name,
		      const void *data, size_t len, struct cb_error *err)
{
	struct cb_buf tmp = CB_BUF_INIT, final = CB_BUF_INIT;
	int rc;

	*path_out = NULL;
	if (tmp_out)
		*tmp_out = NULL;
	cb_buf_addf(&final, "%s/%s", dir, file_name);
	rc = write_temp(&tmp, dir, data, len, !tmp_out, err);
	if (rc == 0 && !tmp_out) {
		rc = cb_bundle_commit(tmp.ptr, final.ptr, err);
		if (rc < 0)
			unlink(tmp.ptr);
	}
	if (rc == 0) {
		*path_out = cb_buf_detach(&final);
		if (tmp_out)
			*tmp_out = cb_buf_detach(&tmp);
	}
	cb_buf_release(&tmp);
	cb_buf_release(&final);
	return rc;
}

int cb_bundle_sync(const char *dir, struct cb_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return cb_error_set(err, CB_EIO, "cannot open '%s': %s", dir, strerror(errno));
	if (syncfs(fd) < 0)
		rc = cb_error_set(err, CB_EIO, "cannot flush the files in '%s': %s", dir,
				  strerror(errno));
	close(fd);
	return rc;
}

/*
 * Counting pages without a PDF parser: each page object says "/Type /Page"
 * (not "/Pages"). Pages packed in compressed object streams cannot be seen;
 * then the largest "/Count" (the page tree root) is the next best answer.
 */
int cb_bundle_pdf_pages(const unsigned char *data, size_t len)
{
	static const char type[] = "/Type";
	size_t i, j;
	long pages = 0, count = -1, v;

	for (i = 0; i + 5 < len; i++) {
		if (data[i] != '/')
			continue;
		if (len - i > 5 && !memcmp(data + i, type, 5)) {
			j = i + 5;
			while (j < len && (data[j] == ' ' || data[j] == '\r' || data[j] == '\n'))
				j++;
			if (j + 5 <= len && !memcmp(data + j, "/Page", 5) &&
			    (j + 5 == len || data[j + 5] != 's'))
				pages++;
		} else if (len - i > 6 && !memcmp(data + i, "/Count", 6)) {
			j = i + 6;
			while (j < len && data[j] == ' ')
				j++;
			for (v = 0; j < len && data[j] >= '0' && data[j] <= '9' && v < 1000000; j++)
				v = v * 10 + (data[j] - '0');
			if (v > count)
				count = v;
		}
	}
	if (pages > 0)
		return pages > 1000000 ? 1000000 : (int)pages;
	return count > 0 ? (int)count : -1;
}
