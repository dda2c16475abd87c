/*
 * load_store.c: the packet loaders on an open store, thin wrappers over the
 * connection-level ones in load.c. Kept in a file of their own so that code
 * working on a bare SQLite connection (tests, tools) links without the store.
 */
#include "cbpack/store.h"
#include "evidence_int.h"

int cb_evidence_load_id(struct cb_packet **out, struct cb_store *s, int64_t rowid,
			struct cb_error *err)
{
	return cb_evidence_load_db(out, cb_store_db(s), cb_store_files_dir(s), rowid, err);
}

int cb_evidence_load(struct cb_packet **out, struct cb_store *s, const char *ref,
		     struct cb_error *err)
{
	int64_t rowid;
	int ret;

	*out = NULL;
	if ((ret = cb_store_find_dispute(s, ref, &rowid, err)) < 0)
		return ret;
	return cb_evidence_load_id(out, s, rowid, err);
}
