/*
 * load_attachments.c: proof files (delivery photos, signatures, receipts)
 * attached to the disputed order or to the dispute itself. Their paths are
 * made absolute against the store's file area so render and bundle can open
 * them from any working directory; a stored path that would leave the file
 * area is refused rather than followed.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/text.h"
#include "evidence_int.h"

static bool path_stays_inside(const char *rel)
{
	const char *s = rel;

	if (rel[0] == '/')
		return false;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		while (*s == '/')
			s++;
	}
	return true;
}

static char *absolute_path(const char *files_dir, const char *rel)
{
	struct cb_buf b = CB_BUF_INIT;
	char cwd[PATH_MAX];

	if (files_dir && files_dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
		cb_buf_addf(&b, "%s/", cwd);
	if (files_dir)
		cb_buf_addf(&b, "%s/", files_dir);
	cb_buf_adds(&b, rel);
	return cb_buf_detach(&b);
}

int ev_load_attachments(struct ev_ctx *c, struct cb_error *err)
{
	static const char sql[] =
		"SELECT kind, media_type, sha256, original_name, path, size, owner_kind, owner_ref"
		" FROM attachments a WHERE a.id IN ("
		"  SELECT id FROM attachments WHERE order_id = ?1"
		"  UNION SELECT id FROM attachments WHERE dispute_id = ?2)"
		" ORDER BY a.owner_kind DESC, a.id";
	struct cb_packet *p = c->p;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int ret, rc;

	if ((ret = ev_prepare(c, &st, sql, err)) < 0)
		return ret;
	sqlite3_bind_int64(st, 1, c->order_rowid);
	sqlite3_bind_int64(st, 2, p->dispute_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(st, 4);
		struct cb_pk_attachment *a;

		if (cb_empty(rel) || !path_stays_inside(rel)) {
			ret = cb_error_set(err, CB_EPARSE,
					   "attachment of %s '%s': path '%s' is outside the file area",
					   sqlite3_column_text(st, 6), sqlite3_column_text(st, 7),
					   rel ? rel : "");
			break;
		}
		p->attachments = cb_xgrow(p->attachments, sizeof(*p->attachments),
					  p->n_attachments + 1, &alloc);
		a = &p->attachments[p->n_attachments++];
		a->kind = ev_ident(st, 0);
		a->media_type = ev_ident(st, 1);
		a->sha256 = ev_ident(st, 2);
		a->original_name = ev_text(p, st, 3);
		a->path = absolute_path(c->files_dir, rel);
		a->size = ev_int(st, 5, 0);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = ev_db_error(c->db, err, "attachments");
	ev_done(c, st);
	return ret;
}
