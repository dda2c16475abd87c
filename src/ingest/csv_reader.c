/*
 * csv_reader.c: whole CSV files read through libcsv in strict mode, kept as
 * rows of fields with the physical line each row starts on.
 *
 * libcsv reports fields and row ends but not where they were in the input,
 * so the data is fed one physical line at a time: a row starts on the first
 * line that has something other than white space after the previous row
 * ended, which stays right for quoted fields that span lines.
 */
#include <ctype.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include <csv.h>

#include "cbpack/error.h"
#include "cbpack/text.h"
#include "csv_reader.h"

/*
 * The document's arrays are as large as the file, and fresh memory is what
 * a large file costs most: on a virtual machine each 4 KiB page fault costs
 * about 18 us, more than parsing the bytes in it. Blocks this large come
 * from mmap (glibc hands them out as their own mappings, and grows them with
 * mremap), so asking for transparent huge pages takes one fault per 2 MiB
 * instead of 512. The advice covers the whole mapping, glibc's header page
 * included: advice on part of it splits the mapping in two, which mremap
 * cannot grow, and glibc then copies the block to a new one instead. Where
 * the kernel does not offer huge pages, the advice is ignored.
 */
static void advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)p & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + malloc_usable_size(p) + page - 1) & ~(page - 1);

	if (n >= ((size_t)4 << 20))
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

/* cb_xgrow, with huge-page advice whenever a large block moves or grows. */
static void *grow_big(void *p, size_t size, size_t need, size_t *alloc)
{
	size_t before = *alloc;

	p = cb_xgrow(p, size, need, alloc);
	if (*alloc != before)
		advise_huge(p, *alloc * size);
	return p;
}

static void *calloc_big(size_t n, size_t size)
{
	void *p = cb_xcalloc(n ? n : 1, size);

	advise_huge(p, (n ? n : 1) * size);
	return p;
}

struct reader {
	struct csv_doc *doc;
	long line;          /* line being fed */
	long row_line;      /* line the open row started on */
	bool row_open;
	bool row_filled;    /* the open row has a non-empty field */
	bool too_long;      /* a row's text passed UINT32_MAX bytes */
	size_t row_first, row_base;
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	struct csv_doc *d = r->doc;
	const char *p = s ? s : "";

	if (!r->row_open) {
		r->row_open = true;
		r->row_line = r->line;
	}
	while (len && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (d->noffs == r->row_first)
		r->row_base = d->text.len;
	if (d->text.len - r->row_base > UINT32_MAX)
		r->too_long = true;
	if (d->noffs == d->offs_alloc)
		d->offs = grow_big(d->offs, sizeof(*d->offs), d->noffs + 1, &d->offs_alloc);
	d->offs[d->noffs++] = (uint32_t)(d->text.len - r->row_base);
	/* csv_doc_parse reserved room for the whole file: no growth per field. */
	if (d->text.alloc - d->text.len < len + 2)
		cb_buf_grow(&d->text, len + 1);
	memcpy(d->text.ptr + d->text.len, p, len);
	d->text.ptr[d->text.len + len] = '\0';
	d->text.len += len + 1;
	r->row_filled |= len > 0;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	struct csv_doc *d = r->doc;

	(void)c;
	if (d->nrows == d->rows_alloc)
		d->rows = grow_big(d->rows, sizeof(*d->rows), d->nrows + 1, &d->rows_alloc);
	d->rows[d->nrows].line = r->row_open ? r->row_line : r->line;
	d->rows[d->nrows].base = d->noffs > r->row_first ? r->row_base : d->text.len;
	d->rows[d->nrows].first = r->row_first;
	d->rows[d->nrows].n = d->noffs - r->row_first;
	d->rows[d->nrows].blank = !r->row_filled;
	d->nrows++;
	r->row_first = d->noffs;
	r->row_open = false;
	r->row_filled = false;
}

static bool has_content(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i]))
			return true;
	return false;
}

static void *xrealloc_csv(void *p, size_t n)
{
	return cb_xrealloc(p, n);
}

int csv_doc_parse(struct csv_doc *out, const char *path, const char *data, size_t len,
		  struct cb_error *err)
{
	struct csv_parser p;
	struct reader r = { out, 1, 1, false, false, false, 0, 0 };
	size_t pos = 0, end;
	const char *nl;
	int ret = 0;

	out->path = path;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		return cb_error_at(err, CB_ERROR, path, 0, "cannot start the CSV parser");
	csv_set_realloc_func(&p, xrealloc_csv);
	csv_set_free_func(&p, free);
	/*
	 * A field's text (unquoted, trimmed) is never longer than its bytes in
	 * the file, and its NUL takes the place of the comma or line end after
	 * it: the text fits in len + 1 bytes, reserved once. One field per 8
	 * bytes is a first guess at the offsets, which grow if it is short.
	 * Offsets are 32-bit, from their row's start: half the memory, and
	 * fresh memory is what a large file costs most (page faults).
	 */
	cb_buf_grow(&out->text, len + 1);
	advise_huge(out->text.ptr, out->text.alloc);
	out->offs = grow_big(out->offs, sizeof(*out->offs), len / 8 + 16, &out->offs_alloc);
	while (pos < len) {
		nl = memchr(data + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - data) + 1 : len;
		if (!r.row_open && has_content(data + pos, end - pos)) {
			r.row_open = true;
			r.row_line = r.line;
		}
		if (csv_parse(&p, data + pos, end - pos, on_field, on_row, &r) != end - pos) {
			if (r.row_line != r.line)
				ret = cb_error_at(err, CB_EPARSE, path, r.line,
						  "broken quoting (a '\"' inside an unquoted field, or text after a closing quote) in the row starting on line %ld",
						  r.row_line);
			else
				ret = cb_error_at(err, CB_EPARSE, path, r.line,
						  "broken quoting (a '\"' inside an unquoted field, or text after a closing quote)");
			goto out;
		}
		r.line++;
		pos = end;
	}
	if (csv_fini(&p, on_field, on_row, &r)) {
		ret = cb_error_at(err, CB_EPARSE, path, r.row_line,
				  "unterminated quoted field (a '\"' opened here is never closed)");
		goto out;
	}
	if (r.too_long)
		ret = cb_error_at(err, CB_EPARSE, path, 0, "a row longer than 4 GiB");
	else if (!out->nrows)
		ret = cb_error_at(err, CB_EPARSE, path, 0, "empty file (no header row)");
out:
	csv_free(&p);
	return ret;
}

void csv_doc_release(struct csv_doc *d)
{
	if (!d)
		return;
	cb_buf_release(&d->text);
	free(d->offs);
	free(d->rows);
	d->offs = NULL;
	d->rows = NULL;
	d->noffs = d->offs_alloc = d->nrows = d->rows_alloc = 0;
}

const char *csv_cell(const struct csv_doc *d, size_t row, int col)
{
	const struct csv_row *r;

	if (col < 0 || row >= d->nrows)
		return "";
	r = &d->rows[row];
	if ((size_t)col >= r->n)
		return "";
	return d->text.ptr + r->base + d->offs[r->first + (size_t)col];
}

bool csv_row_blank(const struct csv_doc *d, size_t row)
{
	return d->rows[row].blank;
}

static int find_one(const struct csv_doc *d, const char *name, size_t len)
{
	const struct csv_row *h = &d->rows[0];
	size_t i;

	for (i = 0; i < h->n; i++) {
		const char *cell = d->text.ptr + h->base + d->offs[h->first + i];

		if (strlen(cell) == len && !strncasecmp(cell, name, len))
			return (int)i;
	}
	return -1;
}

int csv_find_column(const struct csv_doc *d, const char *names)
{
	const char *p = names, *bar;
	int col;

	if (!d->nrows)
		return -1;
	for (;;) {
		bar = strchr(p, '|');
		col = find_one(d, p, bar ? (size_t)(bar - p) : strlen(p));
		if (col >= 0 || !bar)
			return col;
		p = bar + 1;
	}
}

int csv_require_column(int *col, const struct csv_doc *d, const char *names,
		       struct cb_error *err)
{
	const char *bar = strchr(names, '|');
	int len = bar ? (int)(bar - names) : (int)strlen(names);

	*col = csv_find_column(d, names);
	if (*col < 0)
		return cb_error_at(err, CB_EPARSE, d->path, 0, "missing required column '%.*s'",
				   len, names);
	return 0;
}

static size_t key_hash(const char *s)
{
	size_t h = 14695981039346656037u & SIZE_MAX;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (sizeof(size_t) > 4 ? 1099511628211u : 16777619u);
	return h;
}

/*
 * One pass with a hash table of keys: a group is made when its key is first
 * seen, so groups come out in order of their first row, and each row is
 * chained after the last one of its group, so rows stay in file order. Row
 * 0 is the header, never in a group, so 0 ends a chain.
 */
void csv_group_rows(struct csv_groups *out, const struct csv_doc *d, int col)
{
	size_t cap = 16, mask, i, j, h, r, ng = 0, n = 0, at = 0;
	size_t *slot, *first, *last, *next;

	while (cap < 2 * d->nrows)
		cap *= 2;
	mask = cap - 1;
	slot = calloc_big(cap, sizeof(*slot));        /* group index + 1; 0: free */
	first = calloc_big(d->nrows, sizeof(*first)); /* per group: first and last row */
	last = calloc_big(d->nrows, sizeof(*last));
	next = calloc_big(d->nrows, sizeof(*next));   /* per row: the next of its group */
	out->g = calloc_big(d->nrows, sizeof(*out->g));
	for (i = 1; i < d->nrows; i++) {
		const char *key = csv_cell(d, i, col);

		if (csv_row_blank(d, i) || !*key)
			continue;
		n++;
		for (h = key_hash(key) & mask; slot[h]; h = (h + 1) & mask)
			if (!strcmp(out->g[slot[h] - 1].key, key))
				break;
		if (!slot[h]) {
			slot[h] = ++ng;
			out->g[ng - 1].key = key;
			first[ng - 1] = i;
		} else {
			next[last[slot[h] - 1]] = i;
		}
		last[slot[h] - 1] = i;
		out->g[slot[h] - 1].n++;
	}
	out->all = calloc_big(n, sizeof(*out->all));
	for (j = 0; j < ng; j++) {
		out->g[j].rows = &out->all[at];
		for (r = first[j]; r; r = next[r])
			out->all[at++] = r;
	}
	out->n = ng;
	free(slot);
	free(first);
	free(last);
	free(next);
}

void csv_groups_release(struct csv_groups *g)
{
	if (!g)
		return;
	free(g->g);
	free(g->all);
	g->g = NULL;
	g->all = NULL;
	g->n = 0;
}
