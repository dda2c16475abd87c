/*
 * store.c: opening the SQLite store. Picks the database path, creates the
 * file (mode 0600: it holds customers' names and addresses) and its file
 * area, sets the connection up (WAL so `list` can read while `import`
 * writes, foreign keys, a busy timeout instead of instant "database is
 * locked"), brings the schema up to date, and wraps transactions. Every
 * SQLite failure becomes a message that names the store.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbpack/error.h"
#include "cbpack/text.h"
#include "store_int.h"

#define BUSY_TIMEOUT_MS 5000

static int memstatus_set;

const char *cb_store_default_path(const char *from_option)
{
	const char *env;

	if (!cb_empty(from_option))
		return from_option;
	env = getenv("CBPACK_DB");
	if (!cb_empty(env))
		return env;
	return "./cbpack.db";
}

int store_db_error(struct cb_store *s, struct cb_error *err, const char *fmt, ...)
{
	char what[512];
	int rc = s->db ? sqlite3_errcode(s->db) : SQLITE_ERROR;
	int code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? CB_ELOCKED : CB_EDB;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return cb_error_set(err, code, "store '%s': %s: %s", s->path, what,
			    s->db ? sqlite3_errmsg(s->db) : "out of memory");
}

int store_exec(struct cb_store *s, const char *sql, const char *what, struct cb_error *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "%s", what);
	return 0;
}

int store_query_int(struct cb_store *s, const char *sql, const char *what, int64_t *out,
		    struct cb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	*out = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "%s", what);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		ret = store_db_error(s, err, "%s", what);
	sqlite3_finalize(st);
	return ret;
}

void store_order_key(struct cb_buf *out, const char *order_ref)
{
	const char *p = order_ref, *end;

	cb_buf_reset(out);
	cb_buf_adds(out, "");
	if (!p)
		return;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	while (*p == '#')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	cb_buf_add(out, p, (size_t)(end - p));
}

void store_forget_parents(struct cb_store *s)
{
	free(s->last_order_key);
	free(s->last_ship_key);
	s->last_order_key = s->last_ship_key = NULL;
	s->last_order_id = s->last_ship_id = 0;
}

void store_finalize(struct cb_store *s)
{
	size_t i;

	for (i = 0; i < ST__COUNT; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
}

/* Create an empty file with mode 0600; SQLite gives -wal and -shm the same mode. */
static int create_file(const char *path, struct cb_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno != EEXIST)
		return cb_error_set(err, CB_EIO, "cannot create store '%s': %s", path,
				    strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int make_files_dir(struct cb_store *s, struct cb_error *err)
{
	if (mkdir(s->files_dir, 0700) != 0 && errno != EEXIST)
		return cb_error_set(err, CB_EIO, "cannot create file area '%s': %s",
				    s->files_dir, strerror(errno));
	return 0;
}

static int configure(struct cb_store *s, int readonly, int small_cache, struct cb_error *err)
{
	int ret;

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (!readonly && (ret = store_exec(s, "PRAGMA journal_mode=WAL", "setting WAL mode",
					   err)) < 0)
		return ret;
	if ((ret = store_exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
			      " PRAGMA temp_store=MEMORY",
			      "setting up the connection", err)) < 0)
		return ret;
	/*
	 * temp_store: the link pass materialises its candidate lists in temp
	 * tables. A writer gets a 64 MiB page cache (SQLite's default is 2 MiB): an
	 * import inserts into six indexes of orders at random places, and a
	 * small cache spills dirty pages to the WAL and reads them back for
	 * every row. A batch worker reads a few rows per packet: a large cache
	 * would only grow its RSS with the number of disputes.
	 */
	if (readonly)
		return 0;
	return store_exec(s, small_cache ? "PRAGMA cache_size=-2048" : "PRAGMA cache_size=-65536",
			  "setting the page cache", err);
}

/* Drop a database file this call created and could not set up. */
static void remove_created(const char *path)
{
	struct cb_buf b = CB_BUF_INIT;

	unlink(path);
	cb_buf_addf(&b, "%s-wal", path);
	unlink(cb_buf_cstr(&b));
	cb_buf_reset(&b);
	cb_buf_addf(&b, "%s-shm", path);
	unlink(cb_buf_cstr(&b));
	cb_buf_release(&b);
}

int cb_store_open(struct cb_store **out, const char *path, int flags, struct cb_error *err)
{
	struct cb_store *s = NULL;
	struct stat st;
	int readonly = !!(flags & CB_STORE_READONLY);
	const struct store_step *table;
	int created = 0, ret = 0;
	size_t n_steps;

	*out = NULL;
	if (cb_empty(path))
		return cb_error_set(err, CB_EUSAGE, "no store path given");
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return cb_error_set(err, CB_EIO, "cannot open store '%s': %s", path,
					    strerror(errno));
		if (!(flags & CB_STORE_CREATE) || readonly)
			return cb_error_set(err, CB_ENOTFOUND,
					    "no store at '%s' (run 'cbpack init')", path);
		if ((ret = create_file(path, err)) < 0)
			return ret;
		created = 1;
	} else if (S_ISDIR(st.st_mode)) {
		return cb_error_set(err, CB_EUSAGE, "store '%s' is a directory", path);
	}

	/*
	 * A connection is used by one thread at a time (batch workers are
	 * processes; an import lends its connection to the orders writer
	 * thread and takes it back after the join), so it needs no mutex; SQLite's serialized
	 * default takes one in every bind and step, and its memory statistics
	 * another in every allocation: ~7% of an import's instructions. The
	 * statistics can only be turned off before SQLite starts; if it has
	 * already started, the call is refused and nothing changes.
	 */
	if (!memstatus_set) {
		memstatus_set = 1;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	s = cb_xcalloc(1, sizeof(*s));
	s->path = cb_xstrdup(path);
	s->files_dir = cb_xmalloc(strlen(path) + sizeof(".files"));
	snprintf(s->files_dir, strlen(path) + sizeof(".files"), "%s.files", path);

	if (sqlite3_open_v2(path, &s->db, (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		ret = store_db_error(s, err, "cannot open");
		goto out;
	}
	if ((ret = configure(s, readonly, !!(flags & CB_STORE_SMALL_CACHE), err)) < 0)
		goto out;
	table = store_steps(&n_steps);
	if ((ret = store_migrate(s, table, n_steps, readonly, err)) < 0)
		goto out;
	if ((flags & CB_STORE_CREATE) && (ret = make_files_dir(s, err)) < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	cb_store_free(s);
	if (ret < 0 && created)
		remove_created(path);
	return ret;
}

void cb_store_free(struct cb_store *s)
{
	size_t i;

	if (!s)
		return;
	store_finalize(s);
	store_forget_parents(s);
	sqlite3_close(s->db);
	for (i = 0; i < sizeof(s->redacted) / sizeof(s->redacted[0]); i++)
		cb_buf_release(&s->redacted[i]);
	cb_buf_release(&s->key);
	store_customers_forget(s);
	cb_buf_release(&s->email);
	cb_buf_release(&s->deferred);
	free(s->path);
	free(s->files_dir);
	free(s);
}

int cb_store_version(struct cb_store *s)
{
	return s->version;
}

const char *cb_store_path(const struct cb_store *s)
{
	return s->path;
}

const char *cb_store_files_dir(const struct cb_store *s)
{
	return s->files_dir;
}

sqlite3 *cb_store_db(struct cb_store *s)
{
	return s->db;
}

/* IMMEDIATE: an import writes, so take the write lock now, not at the first insert. */
int cb_store_begin(struct cb_store *s, struct cb_error *err)
{
	store_forget_parents(s);
	store_bulk_forget(s);
	store_customers_forget(s);
	return store_exec(s, "BEGIN IMMEDIATE", "cannot start a transaction", err);
}

int cb_store_commit(struct cb_store *s, struct cb_error *err)
{
	int ret;

	store_forget_parents(s);
	if ((ret = store_bulk_restore(s, err)) < 0)
		return ret;
	store_bulk_forget(s);
	store_customers_forget(s);
	return store_exec(s, "COMMIT", "cannot commit", err);
}

void cb_store_rollback(struct cb_store *s)
{
	if (!s)
		return;
	store_forget_parents(s);
	store_bulk_forget(s);
	store_customers_forget(s);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int cb_store_log_import(struct cb_store *s, const struct cb_import_log *log, struct cb_error *err)
{
	static const char sql[] =
		"INSERT INTO imports (file, format, sha256, rows_accepted, rows_rejected, "
		"started_at, finished_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = NULL;
	int ret = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "logging import of '%s'", log->file);
	sqlite3_bind_text(st, 1, log->file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, log->format, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, log->sha256 ? log->sha256 : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, log->rows_accepted);
	sqlite3_bind_int64(st, 5, log->rows_rejected);
	sqlite3_bind_int64(st, 6, log->started_at);
	sqlite3_bind_int64(st, 7, log->finished_at);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = store_db_error(s, err, "logging import of '%s'", log->file);
	sqlite3_finalize(st);
	return ret;
}
