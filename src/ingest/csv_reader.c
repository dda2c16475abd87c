/*
 * csv_reader.c: whole CSV files read through libcsv in strict mode, kept as
 * rows of fields with the physical line each row starts on.
 *
 * libcsv reports fields and row ends but not where they were in the input,
 * so the data is fed one physical line at a time: a row starts on the first
 * line that has something other than white space after the previous row
 * ended, which stays right for quoted fields that span lines.
 *
 * A large file is read in two parts, split at a row boundary, on two
 * threads, each part with its own parser (see csv_split_point for why the
 * result is that of one parser).
 */
#include <ctype.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include <csv.h>

#include "cbpack/error.h"
#include "cbpack/hash.h"
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

/*
 * One part of the input, read by its own libcsv parser into `doc`. Line
 * numbers count from the part's first line; the caller adds the lines
 * before it.
 */
struct reader {
	struct csv_doc *doc;
	const char *data;
	size_t len;
	long line;          /* line being fed */
	long row_line;      /* line the open row started on */
	bool row_open;
	bool row_filled;    /* the open row has a non-empty field */
	bool too_long;      /* a row's text passed UINT32_MAX bytes */
	size_t row_first, row_base;
	enum { PART_OK, PART_NO_PARSER, PART_BROKEN, PART_UNTERMINATED } fail;
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
	/* reserve_text made room for the whole file: no growth per field. */
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

/*
 * A field's text (unquoted, trimmed) is never longer than its bytes in the
 * file, and its NUL takes the place of the comma or line end after it: the
 * text of `len` bytes fits in len + 1 bytes, reserved once (the last field
 * may have no line end after it).
 */
static void reserve_text(struct csv_doc *d, size_t len)
{
	cb_buf_grow(&d->text, len + 1);
	advise_huge(d->text.ptr, d->text.alloc);
}

/*
 * One field per 8 bytes and one row per KiB are first guesses, which grow
 * if they are short; large enough, they take huge pages from the start.
 * Offsets are 32-bit, from their row's start: half the memory, and fresh
 * memory is what a large file costs most (page faults).
 */
static void start_part(struct reader *r, struct csv_doc *d, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->doc = d;
	r->data = data;
	r->len = len;
	r->line = r->row_line = 1;
	r->row_first = d->noffs;
	d->offs = grow_big(d->offs, sizeof(*d->offs), d->noffs + len / 8 + 16, &d->offs_alloc);
	d->rows = grow_big(d->rows, sizeof(*d->rows), d->nrows + len / 1024 + 16, &d->rows_alloc);
}

/* Feed the part to libcsv line by line and finish it; r->fail says how it went. */
static void read_part(struct reader *r)
{
	struct csv_parser p;
	size_t pos = 0, end;
	const char *nl;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		r->fail = PART_NO_PARSER;
		return;
	}
	csv_set_realloc_func(&p, xrealloc_csv);
	csv_set_free_func(&p, free);
	while (pos < r->len) {
		nl = memchr(r->data + pos, '\n', r->len - pos);
		end = nl ? (size_t)(nl - r->data) + 1 : r->len;
		if (!r->row_open && has_content(r->data + pos, end - pos)) {
			r->row_open = true;
			r->row_line = r->line;
		}
		if (csv_parse(&p, r->data + pos, end - pos, on_field, on_row, r) != end - pos) {
			r->fail = PART_BROKEN;
			goto out;
		}
		r->line++;
		pos = end;
	}
	if (csv_fini(&p, on_field, on_row, r))
		r->fail = PART_UNTERMINATED;
out:
	csv_free(&p);
}

static void *read_part_thread(void *arg)
{
	read_part(arg);
	return NULL;
}

/* The message for a part that failed, `before` lines into the file. */
static int part_error(const struct reader *r, const char *path, long before,
		      struct cb_error *err)
{
	long line = r->line + before, row_line = r->row_line + before;

	switch (r->fail) {
	case PART_OK:
		break;
	case PART_NO_PARSER:
		return cb_error_at(err, CB_ERROR, path, 0, "cannot start the CSV parser");
	case PART_BROKEN:
		if (row_line != line)
			return cb_error_at(err, CB_EPARSE, path, line,
					   "broken quoting (a '\"' inside an unquoted field, or text after a closing quote) in the row starting on line %ld",
					   row_line);
		return cb_error_at(err, CB_EPARSE, path, line,
				   "broken quoting (a '\"' inside an unquoted field, or text after a closing quote)");
	case PART_UNTERMINATED:
		return cb_error_at(err, CB_EPARSE, path, row_line,
				   "unterminated quoted field (a '\"' opened here is never closed)");
	}
	return 0;
}

/* What is wrong with a whole document read without a parse error. */
static int doc_error(const struct csv_doc *d, bool too_long, struct cb_error *err)
{
	if (too_long)
		return cb_error_at(err, CB_EPARSE, d->path, 0, "a row longer than 4 GiB");
	if (!d->nrows)
		return cb_error_at(err, CB_EPARSE, d->path, 0, "empty file (no header row)");
	return 0;
}

static int parse_whole(struct csv_doc *out, const char *data, size_t len, struct cb_error *err)
{
	struct reader r;

	reserve_text(out, len);
	start_part(&r, out, data, len);
	read_part(&r);
	if (r.fail)
		return part_error(&r, out->path, 0, err);
	return doc_error(out, r.too_long, err);
}

/* Bytes '"' in p[0, n). */
static size_t count_quotes(const char *p, size_t n)
{
	const char *end = p + n;
	size_t q = 0;

	while (p < end && (p = memchr(p, '"', (size_t)(end - p)))) {
		q++;
		p++;
	}
	return q;
}

/*
 * Where to split: just after the first '\n' at or after `hint` with an even
 * number of '"' before it, 0 for nowhere. In strict mode every '"' that
 * libcsv accepts opens a quoted field, ends one, or is the second of a ""
 * escape, so each one takes the parser in or out of a quoted field: if the
 * text before the '\n' has no error and an even number of quotes, the '\n'
 * is outside quotes and ends a row (or a blank line). libcsv is then in the
 * same state as a new parser, and our reader state is that of a new reader
 * but for the line count, so parsing the rest with a new parser gives the
 * same rows and the same first error. If the text before has an error, the
 * first part finds it: it is the first error in the file.
 */
size_t csv_split_point(const char *data, size_t len, size_t hint)
{
	size_t quotes, pos = hint < len ? hint : len, at;
	const char *nl;

	quotes = count_quotes(data, pos);
	while (pos < len && (nl = memchr(data + pos, '\n', len - pos))) {
		at = (size_t)(nl - data) + 1;
		quotes += count_quotes(data + pos, at - pos);
		if (quotes % 2 == 0)
			return at;
		pos = at;
	}
	return 0;
}

/*
 * Part 2's rows after part 1's, which `out` holds. Its text is in place
 * already (row bases are offsets into the whole text), and its offsets stay
 * where they are, as offs2: copying them would touch as much fresh memory
 * again.
 */
static void join_parts(struct csv_doc *out, struct csv_doc *d2, long lines)
{
	struct csv_row *row;
	size_t i;

	out->rows = grow_big(out->rows, sizeof(*out->rows), out->nrows + d2->nrows,
			     &out->rows_alloc);
	for (i = 0; i < d2->nrows; i++) {
		row = &out->rows[out->nrows + i];
		*row = d2->rows[i];
		row->line += lines;
		row->first += out->noffs;
	}
	out->nrows += d2->nrows;
	out->offs2 = d2->offs;
	d2->offs = NULL;
	out->text.len = d2->text.len;
}

/*
 * Both parts write into out->text: part 1's text fits in its `at` bytes
 * (each of its fields ends with a comma or line end inside it), so part 2
 * writes from `at`, and its text fits in the len - at + 1 bytes after that.
 * Neither grows the buffer under the other.
 */
static int parse_split(struct csv_doc *out, const char *data, size_t len, size_t at,
		       struct cb_error *err)
{
	struct csv_doc d2 = CSV_DOC_INIT;
	struct reader r1, r2;
	pthread_t t;
	bool threaded;
	int ret;

	reserve_text(out, len);
	d2.text = out->text;
	d2.text.len = at;
	start_part(&r1, out, data, at);
	start_part(&r2, &d2, data + at, len - at);
	threaded = !pthread_create(&t, NULL, read_part_thread, &r2);
	read_part(&r1);
	if (threaded)
		pthread_join(t, NULL);
	else
		read_part(&r2);
	if (r1.fail == PART_UNTERMINATED) {
		/* Cannot happen in strict mode (see csv_split_point): the slow path, to be safe. */
		d2.text = (struct cb_buf)CB_BUF_INIT;
		csv_doc_release(&d2);
		csv_doc_release(out);
		return parse_whole(out, data, len, err);
	}
	if (r1.fail)
		ret = part_error(&r1, out->path, 0, err);
	else if (r2.fail)
		ret = part_error(&r2, out->path, r1.line - 1, err);
	else {
		join_parts(out, &d2, r1.line - 1);
		ret = doc_error(out, r1.too_long || r2.too_long, err);
	}
	d2.text = (struct cb_buf)CB_BUF_INIT;   /* borrowed from out */
	csv_doc_release(&d2);
	return ret;
}

int csv_doc_parse_split(struct csv_doc *out, const char *path, const char *data, size_t len,
			size_t split_hint, struct cb_error *err)
{
	size_t at = csv_split_point(data, len, split_hint);

	out->path = path;
	if (!at)
		return parse_whole(out, data, len, err);
	return parse_split(out, data, len, at, err);
}

int csv_doc_parse(struct csv_doc *out, const char *path, const char *data, size_t len,
		  struct cb_error *err)
{
	if (len < CSV_SPLIT_MIN) {
		out->path = path;
		return parse_whole(out, data, len, err);
	}
	return csv_doc_parse_split(out, path, data, len, len / 2, err);
}

void csv_doc_release(struct csv_doc *d)
{
	if (!d)
		return;
	cb_buf_release(&d->text);
	free(d->offs);
	free(d->offs2);
	free(d->rows);
	d->offs = d->offs2 = NULL;
	d->rows = NULL;
	d->noffs = d->offs_alloc = d->nrows = d->rows_alloc = 0;
}

/* The row's field starts, in offs or, after a split parse, in offs2. */
static const uint32_t *row_offs(const struct csv_doc *d, const struct csv_row *r)
{
	return r->first < d->noffs ? d->offs + r->first : d->offs2 + (r->first - d->noffs);
}

const char *csv_cell(const struct csv_doc *d, size_t row, int col)
{
	const struct csv_row *r;

	if (col < 0 || row >= d->nrows)
		return "";
	r = &d->rows[row];
	if ((size_t)col >= r->n)
		return "";
	return d->text.ptr + r->base + row_offs(d, r)[col];
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
		const char *cell = d->text.ptr + h->base + row_offs(d, h)[i];

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
		for (h = cb_str_hash(key) & mask; slot[h]; h = (h + 1) & mask)
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
