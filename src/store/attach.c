/*
 * attach.c: proof files (delivery photos, signatures, receipts) copied into
 * the store's file area under content-addressed names,
 *     <db>.files/<first two hex digits>/<sha256>.<ext>
 * so the same file attached twice is stored once and a name can never
 * escape the area. The type comes from the file's first bytes, not its
 * name: gateways accept PNG, JPEG and PDF only, and refuse the whole
 * packet over one bad file. The copy is written to a temporary file,
 * hashed, and renamed into place, mode 0600.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbpack/error.h"
#include "cbpack/hash.h"
#include "cbpack/text.h"
#include "cbpack/timeutil.h"
#include "store_int.h"

static const char *const kinds[] = {
	"pod", "signature", "product_photo", "receipt", "policy", "other", NULL
};

struct media {
	const char *type, *ext;
};

static const struct media *sniff(const unsigned char *b, size_t n)
{
	static const struct media png = { "image/png", "png" };
	static const struct media jpeg = { "image/jpeg", "jpg" };
	static const struct media pdf = { "application/pdf", "pdf" };

	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return &png;
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return &jpeg;
	if (n >= 5 && !memcmp(b, "%PDF-", 5))
		return &pdf;
	return NULL;
}

static bool known_kind(const char *kind)
{
	const char *const *k;

	for (k = kinds; *k; k++)
		if (!strcmp(*k, kind))
			return true;
	return false;
}

/* The owner's rowid, and the key it is recorded under (order_key, gateway:id). */
static int find_owner(struct cb_store *s, const char *owner_kind, const char *owner_ref,
		      int64_t *rowid, struct cb_buf *key, struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	if (!strcmp(owner_kind, "dispute")) {
		if ((ret = cb_store_find_dispute(s, owner_ref, rowid, err)) < 0)
			return ret;
		if (sqlite3_prepare_v2(s->db, "SELECT gateway || ':' || gateway_id FROM disputes"
				       " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
			return store_db_error(s, err, "finding dispute '%s'", owner_ref);
		sqlite3_bind_int64(st, 1, *rowid);
	} else {
		store_order_key(key, owner_ref);
		if (sqlite3_prepare_v2(s->db, "SELECT id, order_key FROM orders WHERE order_key = ?1",
				       -1, &st, NULL) != SQLITE_OK)
			return store_db_error(s, err, "finding order '%s'", owner_ref);
		sqlite3_bind_text(st, 1, cb_buf_cstr(key), -1, SQLITE_TRANSIENT);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (!strcmp(owner_kind, "order"))
			*rowid = sqlite3_column_int64(st, 0);
		cb_buf_reset(key);
		cb_buf_adds(key, (const char *)sqlite3_column_text(st, strcmp(owner_kind, "order") ? 0 : 1));
	} else if (rc == SQLITE_DONE) {
		ret = cb_error_set(err, CB_ENOTFOUND, "no %s '%s' in store '%s'", owner_kind,
				   owner_ref, s->path);
	} else {
		ret = store_db_error(s, err, "finding %s '%s'", owner_kind, owner_ref);
	}
	sqlite3_finalize(st);
	return ret;
}

static int make_dir(const char *dir, struct cb_error *err)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return cb_error_set(err, CB_EIO, "cannot create '%s': %s", dir, strerror(errno));
	return 0;
}

/*
 * Copy `file` into a new temporary file in the file area, refusing it
 * unless its first bytes say PNG, JPEG or PDF. `tmp` receives the name.
 */
static int copy_in(struct cb_store *s, const char *file, struct cb_buf *tmp,
		   const struct media **media, int64_t *size, struct cb_error *err)
{
	unsigned char chunk[65536];
	FILE *in = NULL, *out = NULL;
	struct stat st;
	size_t n;
	int fd, ret = 0;

	*size = 0;
	if (!(in = fopen(file, "rb")))
		return cb_error_set(err, CB_EIO, "cannot open '%s': %s", file, strerror(errno));
	if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
		ret = cb_error_set(err, CB_EUSAGE, "'%s' is not a regular file", file);
		goto out;
	}
	n = fread(chunk, 1, sizeof(chunk), in);
	if (ferror(in)) {
		ret = cb_error_set(err, CB_EIO, "cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if (!(*media = sniff(chunk, n))) {
		ret = cb_error_set(err, CB_EPARSE, "'%s' is not a PNG, JPEG or PDF file", file);
		goto out;
	}
	if ((ret = make_dir(s->files_dir, err)) < 0)
		goto out;
	cb_buf_reset(tmp);
	cb_buf_addf(tmp, "%s/.attach-XXXXXX", s->files_dir);
	if ((fd = mkstemp(tmp->ptr)) < 0 || !(out = fdopen(fd, "wb"))) {
		ret = cb_error_set(err, CB_EIO, "cannot create a file in '%s': %s", s->files_dir,
				   strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	do {
		if (fwrite(chunk, 1, n, out) != n) {
			ret = cb_error_set(err, CB_EIO, "cannot write '%s': %s", tmp->ptr,
					   strerror(errno));
			goto fail;
		}
		*size += (int64_t)n;
	} while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0);
	if (ferror(in)) {
		ret = cb_error_set(err, CB_EIO, "cannot read '%s': %s", file, strerror(errno));
		goto fail;
	}
	if (fflush(out) != 0 || fchmod(fileno(out), 0600) != 0 || fsync(fileno(out)) != 0) {
		ret = cb_error_set(err, CB_EIO, "cannot write '%s': %s", tmp->ptr, strerror(errno));
		goto fail;
	}
	if (fclose(out) != 0) {
		out = NULL;
		ret = cb_error_set(err, CB_EIO, "cannot write '%s': %s", tmp->ptr, strerror(errno));
		goto fail;
	}
	out = NULL;
	goto out;
fail:
	if (out)
		fclose(out);
	if (tmp->len)
		unlink(tmp->ptr);
	cb_buf_reset(tmp);
out:
	fclose(in);
	return ret;
}

/* Move the temporary copy to its content-addressed name; `rel` is relative to the area. */
static int file_away(struct cb_store *s, const char *tmp, const char *sha, const char *ext,
		     struct cb_buf *rel, struct cb_error *err)
{
	struct cb_buf dir = CB_BUF_INIT, dest = CB_BUF_INIT;
	struct stat st;
	int ret;

	cb_buf_addf(rel, "%.2s/%s.%s", sha, sha, ext);
	cb_buf_addf(&dir, "%s/%.2s", s->files_dir, sha);
	cb_buf_addf(&dest, "%s/%s", s->files_dir, cb_buf_cstr(rel));
	if ((ret = make_dir(cb_buf_cstr(&dir), err)) < 0)
		goto out;
	if (lstat(cb_buf_cstr(&dest), &st) == 0 && S_ISREG(st.st_mode)) {
		unlink(tmp);   /* the same content is already there */
	} else if (rename(tmp, cb_buf_cstr(&dest)) != 0) {
		ret = cb_error_set(err, CB_EIO, "cannot move a file to '%s': %s",
				   cb_buf_cstr(&dest), strerror(errno));
		unlink(tmp);
	}
out:
	cb_buf_release(&dir);
	cb_buf_release(&dest);
	return ret;
}

static int record(struct cb_store *s, const char *owner_kind, const char *owner_key,
		  int64_t owner_id, const char *kind, const char *rel, const char *sha,
		  const struct media *media, int64_t size, const char *file, struct cb_error *err)
{
	static const char sql[] =
		"INSERT INTO attachments (owner_kind, owner_ref, order_id, dispute_id, kind, path,"
		" sha256, media_type, size, original_name, added_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
		" ON CONFLICT (owner_kind, owner_ref, sha256) DO NOTHING";
	const char *base = strrchr(file, '/');
	sqlite3_stmt *st = NULL;
	int is_order = !strcmp(owner_kind, "order"), ret = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "recording '%s'", file);
	sqlite3_bind_text(st, 1, owner_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner_key, -1, SQLITE_STATIC);
	if (is_order)
		sqlite3_bind_int64(st, 3, owner_id);
	else
		sqlite3_bind_int64(st, 4, owner_id);
	sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, media->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, size);
	sqlite3_bind_text(st, 10, base ? base + 1 : file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, cb_now());
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = store_db_error(s, err, "recording '%s'", file);
	sqlite3_finalize(st);
	return ret;
}

int cb_store_attach(struct cb_store *s, const char *owner_kind, const char *owner_ref,
		    const char *file, const char *kind, struct cb_error *err)
{
	struct cb_buf key = CB_BUF_INIT, tmp = CB_BUF_INIT, rel = CB_BUF_INIT;
	const struct media *media = NULL;
	char sha[CB_SHA256_HEX];
	int64_t owner_id = 0, size = 0;
	int ret;

	if (!owner_kind || (strcmp(owner_kind, "order") && strcmp(owner_kind, "dispute")))
		return cb_error_set(err, CB_EUSAGE, "cannot attach to '%s': not 'order' or 'dispute'",
				    owner_kind ? owner_kind : "");
	if (cb_empty(kind) || !known_kind(kind))
		return cb_error_set(err, CB_EUSAGE, "unknown attachment kind '%s' (one of pod, "
				    "signature, product_photo, receipt, policy, other)",
				    kind ? kind : "");
	if (cb_empty(owner_ref))
		return cb_error_set(err, CB_EUSAGE, "no %s named to attach to", owner_kind);
	if ((ret = find_owner(s, owner_kind, owner_ref, &owner_id, &key, err)) < 0)
		goto out;
	if ((ret = copy_in(s, file, &tmp, &media, &size, err)) < 0)
		goto out;
	if ((ret = cb_sha256_file(sha, cb_buf_cstr(&tmp), err)) < 0) {
		unlink(cb_buf_cstr(&tmp));
		goto out;
	}
	if ((ret = file_away(s, cb_buf_cstr(&tmp), sha, media->ext, &rel, err)) < 0)
		goto out;
	ret = record(s, owner_kind, cb_buf_cstr(&key), owner_id, kind, cb_buf_cstr(&rel), sha,
		     media, size, file, err);
out:
	cb_buf_release(&key);
	cb_buf_release(&tmp);
	cb_buf_release(&rel);
	return ret;
}
