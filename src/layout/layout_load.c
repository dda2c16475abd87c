/*
 * layout_load.c: reading a layout file with libxml2 without trusting it.
 *
 * A layout comes from disk and may have been written by anyone, so:
 *  - no network (XML_PARSE_NONET), no entity substitution, no DTD loading;
 *    a DOCTYPE stops the parser where it stands (nothing after it is read);
 *  - XInclude, for the shared pieces in layouts/common/, is allowed only
 *    with a plain relative href and only for .xml files whose real path is
 *    inside the layout's own directory. Every file libxml2 asks for while
 *    a layout is being loaded goes through guarded_loader, which enforces
 *    that and hashes the exact bytes it hands over (cb_layout_digest);
 *  - the merged document is validated against layout.rng, then turned into
 *    a struct cb_layout by layout_build.c, and the tree is freed.
 * libxml2's errors are caught into the cb_error with the file and line of
 * the element at fault (included pieces keep their own file name through
 * the xml:base XInclude sets); nothing is printed.
 *
 * The external entity loader is process-wide in libxml2, so it is set once;
 * which load it serves is per thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xinclude.h>
#include <libxml/xmlerror.h>

#include "cbpack/buf.h"
#include "cbpack/error.h"
#include "cbpack/hash.h"
#include "cbpack/layout.h"
#include "layout_int.h"

#define LAYOUT_MAX_BYTES (1 << 20)   /* a layout or piece is a few KB */
#define MAX_INCLUDES 16
#define XI_NS "http://www.w3.org/2001/XInclude"
#define XI_OLD_NS "http://www.w3.org/2003/XInclude"
#define SCHEMA_NAME "layout.rng"

/* The first error libxml2 reported, with where it was. */
struct xml_fault {
	bool set;
	char *file;
	long line;
	char element[64];
	char msg[512];
};

/* One load in progress on this thread. */
struct load {
	const char *path;          /* as the caller gave it */
	char root[PATH_MAX];       /* real path of the layout's directory */
	struct cb_sha256 sha;
	int includes;
	char refused[600];         /* why guarded_loader refused a file */
	bool doctype;
	long doctype_line;
	struct xml_fault fault;
};

static _Thread_local struct load *cur_load;
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static xmlExternalEntityLoader default_loader;

static xmlParserInputPtr guarded_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt);

static void xml_init(void)
{
	xmlInitParser();
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(guarded_loader);
}

static int read_file(struct cb_buf *out, const char *path, struct cb_error *err)
{
	char chunk[8192];
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return cb_error_set(err, errno == ENOENT ? CB_ENOTFOUND : CB_EIO,
				    "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = cb_error_set(err, CB_EIO, "'%s' is not a regular file", path);
		goto out;
	}
	if (st.st_size > LAYOUT_MAX_BYTES) {
		rc = cb_error_set(err, CB_EPARSE, "'%s' is too large for a layout (%lld bytes)",
				  path, (long long)st.st_size);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = cb_error_set(err, CB_EIO, "cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (out->len + (size_t)n > LAYOUT_MAX_BYTES) {
			rc = cb_error_set(err, CB_EPARSE, "'%s' is too large for a layout", path);
			goto out;
		}
		cb_buf_add(out, chunk, (size_t)n);
	}
	if (out->len == 0)
		rc = cb_error_set(err, CB_EPARSE, "'%s' is empty", path);
out:
	close(fd);
	return rc;
}

/* Each piece goes in with its length, so that moving bytes between files changes the digest. */
static void hash_piece(struct cb_sha256 *h, const struct cb_buf *b)
{
	unsigned char len[8];
	uint64_t n = b->len;
	int i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	cb_sha256_update(h, len, sizeof(len));
	cb_sha256_update(h, b->ptr, b->len);
}

static bool has_scheme(const char *url)
{
	const char *p = url;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

static bool inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(real, root, n) == 0 && real[n] == '/';
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

static void refuse(struct load *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keep the first reason a file was refused; XInclude's own message is vaguer. */
static void refuse(struct load *ld, const char *fmt, ...)
{
	va_list ap;

	if (ld->refused[0])
		return;
	va_start(ap, fmt);
	vsnprintf(ld->refused, sizeof(ld->refused), fmt, ap);
	va_end(ap);
}

/* A copy of s with %XX decoded, in our allocator. */
static char *unescape(const char *s)
{
	char *x, *copy;

	if (!strchr(s, '%'))
		return cb_xstrdup(s);
	if (!(x = xmlURIUnescapeString(s, 0, NULL)))
		return NULL;
	copy = cb_xstrdup(x);
	xmlFree(x);
	return copy;
}

static long line_at(const char *text, const char *at)
{
	long line = 1;

	for (; text < at; text++)
		line += *text == '\n';
	return line;
}

/*
 * Pieces follow the layout's own rules, seen in their bytes before libxml2
 * parses them: no DOCTYPE (so no entities, no DTD to fetch), and no
 * includes of their own (so every message can name the file it is about).
 * The namespace could be spelt with character references; check_merged
 * catches that case, only with a vaguer message.
 */
static bool piece_acceptable(struct load *ld, const char *url, const struct cb_buf *data)
{
	const char *hit;

	if ((hit = strstr(data->ptr, "<!DOCTYPE"))) {
		refuse(ld, "%s:%ld: a DOCTYPE is not allowed in a layout (no DTDs, no entities)",
		       url, line_at(data->ptr, hit));
		return false;
	}
	if ((hit = strstr(data->ptr, "/XInclude"))) {
		refuse(ld, "%s:%ld: an included piece cannot include another (one level only)",
		       url, line_at(data->ptr, hit));
		return false;
	}
	return true;
}

/*
 * Every file libxml2 opens goes through here. Outside a layout load it is
 * libxml2's own loader; during one, only .xml files inside the layout's
 * directory, read by us and hashed.
 */
static xmlParserInputPtr guarded_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	struct load *ld = cur_load;
	struct cb_buf data = CB_BUF_INIT;
	struct cb_error rerr = CB_ERROR_INIT;
	xmlParserInputBufferPtr ibuf;
	xmlParserInputPtr in = NULL;
	char real[PATH_MAX], *path = NULL;

	if (!ld)
		return default_loader(url, id, ctxt);
	if (!url || !ctxt) {
		refuse(ld, "only local files can be included");
		return NULL;
	}
	if (has_scheme(url)) {
		refuse(ld, "'%s' is not a local file", url);
		return NULL;
	}
	path = unescape(url);
	if (!path || !realpath(path, real)) {
		refuse(ld, "cannot include '%s': %s", url, strerror(errno));
		goto out;
	}
	if (!inside(ld->root, real)) {
		refuse(ld, "'%s' is outside the layout directory '%s'", url, ld->root);
		goto out;
	}
	if (!ends_with(real, ".xml")) {
		refuse(ld, "'%s' is not an .xml file", url);
		goto out;
	}
	if (++ld->includes > MAX_INCLUDES) {
		refuse(ld, "too many included files (at '%s')", url);
		goto out;
	}
	if (read_file(&data, real, &rerr) < 0) {
		refuse(ld, "%s", rerr.msg);
		goto out;
	}
	if (!piece_acceptable(ld, url, &data))
		goto out;
	hash_piece(&ld->sha, &data);
	ibuf = xmlParserInputBufferCreateMem(data.ptr, (int)data.len, XML_CHAR_ENCODING_NONE);
	if (!ibuf)
		goto out;
	in = xmlNewIOInputStream(ctxt, ibuf, XML_CHAR_ENCODING_NONE);
	if (!in) {
		xmlFreeParserInputBuffer(ibuf);
		goto out;
	}
	/* the name as XInclude resolved it, so that xml:base stays relative */
	in->filename = (const char *)xmlStrdup((const xmlChar *)url);
out:
	free(path);
	cb_buf_release(&data);
	return in;
}

/* ---- catching libxml2's errors ---- */

static void fault_reset(struct xml_fault *f)
{
	free(f->file);
	memset(f, 0, sizeof(*f));
}

/*
 * Where an include marker's href points, resolved as XInclude resolved it.
 * (The marker is no longer an element, so xmlGetProp will not read it.)
 */
static char *include_target(xmlNodePtr start)
{
	xmlChar *href = NULL, *base, *uri = NULL;
	xmlAttrPtr a;
	char *s = NULL;

	for (a = start->properties; a && !href; a = a->next)
		if (!a->ns && !xmlStrcmp(a->name, BAD_CAST "href"))
			href = xmlNodeListGetString(start->doc, a->children, 1);
	base = xmlNodeGetBase(start->doc, start);
	if (href)
		uri = xmlBuildURI(href, base);
	if (uri)
		s = unescape((const char *)uri);
	xmlFree(uri);
	xmlFree(base);
	xmlFree(href);
	return s;
}

/*
 * The file a node was read from: the layout, or the piece it was included
 * from. XInclude leaves a start and an end marker around what it brought
 * in; the innermost open start marker among the node's and its ancestors'
 * earlier siblings names the piece. (xml:base is no help: libxml2 leaves it
 * out for a piece in the including file's own directory.) Caller frees;
 * NULL means the layout itself.
 */
char *layout_node_file(xmlNodePtr n)
{
	xmlNodePtr a, s;
	int depth;

	for (a = n; a && a->type != XML_DOCUMENT_NODE; a = a->parent) {
		for (s = a->prev, depth = 0; s; s = s->prev) {
			if (s->type == XML_XINCLUDE_END)
				depth++;
			else if (s->type == XML_XINCLUDE_START && depth-- == 0)
				return include_target(s);
		}
	}
	return NULL;
}

static void element_name(char *out, size_t size, xmlNodePtr n)
{
	if (n->ns && n->ns->prefix)
		snprintf(out, size, "%s:%s", n->ns->prefix, n->name);
	else
		snprintf(out, size, "%s", n->name);
}

/* Append the element's attributes, which is what "failed to validate attributes" is about. */
static void add_attrs(char *msg, size_t size, xmlNodePtr n)
{
	size_t len = strlen(msg);
	xmlAttrPtr a;
	xmlChar *v;
	const char *sep = " (";

	for (a = n->properties; a && len + 8 < size; a = a->next) {
		v = xmlNodeListGetString(n->doc, a->children, 1);
		snprintf(msg + len, size - len, "%s%s='%s'", sep, a->name, v ? (char *)v : "");
		xmlFree(v);
		len = strlen(msg);
		sep = " ";
	}
	if (n->properties && len + 1 < size)
		snprintf(msg + len, size - len, ")");
}

/* libxml2 says "Element x failed to ..."; the message already names x. */
static void drop_element_prefix(char *msg, const char *element)
{
	size_t n = strlen(element);

	if (!strncmp(msg, "element ", 8) && !strncmp(msg + 8, element, n) && msg[8 + n] == ' ')
		memmove(msg, msg + 9 + n, strlen(msg + 9 + n) + 1);
}

/*
 * Append a text-only element's content: "error validating list" says
 * little until it shows the list. Skipped when the message already does.
 */
static void add_text(char *msg, size_t size, xmlNodePtr n)
{
	xmlChar *v;
	char *a, *z;
	size_t len = strlen(msg);

	if (xmlFirstElementChild(n) || !(v = xmlNodeGetContent(n)))
		return;
	for (a = (char *)v; *a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'; a++)
		;
	for (z = a + strlen(a); z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\n' ||
					  z[-1] == '\r'); z--)
		;
	*z = '\0';
	if (*a && z - a <= 80 && !strstr(msg, a) && !strchr(msg, ':') && !strchr(a, '\n'))
		snprintf(msg + len, size - len, ": '%s'", a);
	xmlFree(v);
}

static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct xml_fault *f = data;
	xmlNodePtr n = e ? e->node : NULL;
	size_t len;

	if (!e || f->set || e->level == XML_ERR_WARNING)
		return;
	f->set = true;
	snprintf(f->msg, sizeof(f->msg), "%s", e->message ? e->message : "error");
	len = strlen(f->msg);
	while (len && (f->msg[len - 1] == '\n' || f->msg[len - 1] == ' ' || f->msg[len - 1] == '.'))
		f->msg[--len] = '\0';
	if (f->msg[0] >= 'A' && f->msg[0] <= 'Z' && !(f->msg[1] >= 'A' && f->msg[1] <= 'Z'))
		f->msg[0] = (char)(f->msg[0] - 'A' + 'a');
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->parent;
	if (n) {
		f->file = layout_node_file(n);
		f->line = xmlGetLineNo(n);
		element_name(f->element, sizeof(f->element), n);
		drop_element_prefix(f->msg, f->element);
		if (strstr(f->msg, "attributes"))
			add_attrs(f->msg, sizeof(f->msg), n);
		else
			add_text(f->msg, sizeof(f->msg), n);
	} else {
		f->file = e->file ? cb_xstrdup(e->file) : NULL;
		f->line = e->line;
	}
}

static void ignore_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

struct saved_handlers {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc gerror;
	void *gctx;
};

static void handlers_push(struct saved_handlers *h, struct xml_fault *f)
{
	h->serror = xmlStructuredError;
	h->sctx = xmlStructuredErrorContext;
	h->gerror = xmlGenericError;
	h->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(f, on_xml_error);
	xmlSetGenericErrorFunc(NULL, ignore_generic);
}

static void handlers_pop(const struct saved_handlers *h)
{
	xmlSetStructuredErrorFunc(h->sctx, h->serror);
	xmlSetGenericErrorFunc(h->gctx, h->gerror);
}

/*
 * Report the caught fault as "file:line: element 'x': message"; `what`
 * replaces libxml2's message when we know better (a refused include).
 */
static int fault_error(const struct load *ld, const char *what, struct cb_error *err)
{
	const struct xml_fault *f = &ld->fault;
	const char *file = f->file ? f->file : ld->path;
	const char *msg = what ? what : f->set ? f->msg : "not a valid layout";

	if (f->element[0])
		return cb_error_at(err, CB_EPARSE, file, f->line, "element '%s': %s", f->element,
				   msg);
	return cb_error_at(err, CB_EPARSE, file, f->line, "%s", msg);
}

/* ---- parsing ---- */

/* A DOCTYPE is where entities live: stop reading the layout right there. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
		       const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	if (cur_load && !cur_load->doctype) {
		cur_load->doctype = true;
		cur_load->doctype_line = ctxt->input ? ctxt->input->line : 0;
	}
	xmlStopParser(ctxt);
}

static int parse_layout(xmlDocPtr *out, struct load *ld, const struct cb_buf *data,
			struct cb_error *err)
{
	xmlParserCtxtPtr ctxt;

	*out = NULL;
	if (data->len > INT_MAX || !(ctxt = xmlNewParserCtxt()))
		return cb_error_set(err, CB_ERROR, "cannot parse '%s'", ld->path);
	ctxt->sax->internalSubset = on_doctype;
	fault_reset(&ld->fault);
	*out = xmlCtxtReadMemory(ctxt, data->ptr, (int)data->len, ld->path, NULL,
				 XML_PARSE_NONET | XML_PARSE_NOCDATA);
	xmlFreeParserCtxt(ctxt);
	if (ld->doctype) {
		xmlFreeDoc(*out);
		*out = NULL;
		return cb_error_at(err, CB_EPARSE, ld->path, ld->doctype_line,
				   "a DOCTYPE is not allowed in a layout (no DTDs, no entities)");
	}
	if (!*out)
		return fault_error(ld, NULL, err);
	return 0;
}

static bool is_xi(xmlNodePtr n)
{
	return n->ns && n->ns->href && (!xmlStrcmp(n->ns->href, BAD_CAST XI_NS) ||
					 !xmlStrcmp(n->ns->href, BAD_CAST XI_OLD_NS));
}

static int node_error(const struct load *ld, xmlNodePtr n, struct cb_error *err,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int node_error(const struct load *ld, xmlNodePtr n, struct cb_error *err,
		      const char *fmt, ...)
{
	char name[64], msg[512], *file = layout_node_file(n);
	va_list ap;
	int rc;

	element_name(name, sizeof(name), n);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rc = cb_error_at(err, CB_EPARSE, file ? file : ld->path, xmlGetLineNo(n),
			 "element '%s': %s", name, msg);
	free(file);
	return rc;
}

/* An href we follow: a relative path down from the layout's directory. */
static bool plain_href(const char *h)
{
	return *h && *h != '/' && !strstr(h, "..") && !strpbrk(h, ":\\%?#") && ends_with(h, ".xml");
}

/*
 * Before XInclude runs: every xi:include is <xi:include href="plain.xml"/>,
 * optionally parse="xml", nothing else (no fallback, no xpointer, no text
 * includes); no xml:base anywhere to bend where an href points.
 */
static int check_includes(const struct load *ld, xmlNodePtr n, struct cb_error *err)
{
	xmlAttrPtr a;
	xmlChar *v;
	int rc;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (a = n->properties; a; a = a->next)
			if (a->ns && !xmlStrcmp(a->name, BAD_CAST "base") &&
			    !xmlStrcmp(a->ns->href, XML_XML_NAMESPACE))
				return node_error(ld, n, err, "attribute 'xml:base' is not allowed");
		if (is_xi(n)) {
			if (xmlStrcmp(n->name, BAD_CAST "include"))
				return node_error(ld, n, err, "only xi:include is allowed");
			if (xmlFirstElementChild(n))
				return node_error(ld, n, err, "xi:include takes no children (no fallback)");
			for (a = n->properties; a; a = a->next) {
				v = xmlNodeListGetString(n->doc, a->children, 1);
				if (!xmlStrcmp(a->name, BAD_CAST "href") && !a->ns) {
					rc = plain_href(v ? (char *)v : "") ? 0
						: node_error(ld, n, err,
							     "href '%s' must be a relative path to an .xml file "
							     "inside the layout directory (no '..', no URL)",
							     v ? (char *)v : "");
				} else if (!xmlStrcmp(a->name, BAD_CAST "parse") && !a->ns) {
					rc = v && !xmlStrcmp(v, BAD_CAST "xml") ? 0
						: node_error(ld, n, err, "only parse='xml' includes are allowed");
				} else {
					rc = node_error(ld, n, err, "attribute '%s' is not allowed",
							(const char *)a->name);
				}
				xmlFree(v);
				if (rc < 0)
					return rc;
			}
			if (!xmlHasProp(n, BAD_CAST "href"))
				return node_error(ld, n, err, "xi:include needs an href");
			continue;
		}
		if ((rc = check_includes(ld, n->children, err)) < 0)
			return rc;
	}
	return 0;
}

static int include_pieces(struct load *ld, xmlDocPtr doc, struct cb_error *err)
{
	int rc;

	if ((rc = check_includes(ld, xmlDocGetRootElement(doc), err)) < 0)
		return rc;
	fault_reset(&ld->fault);
	if (xmlXIncludeProcessFlags(doc, XML_PARSE_NONET) < 0)
		return fault_error(ld, ld->refused[0] ? ld->refused : NULL, err);
	/* a piece's DTD that was refused does not stop libxml2, but it stops us */
	if (ld->refused[0])
		return cb_error_at(err, CB_EPARSE, ld->path, 0, "%s", ld->refused);
	return 0;
}

/* The href of an include marker, if it still has one. */
static bool marker_has_href(xmlNodePtr n)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next)
		if (!a->ns && !xmlStrcmp(a->name, BAD_CAST "href"))
			return true;
	return false;
}

/*
 * After XInclude: an included piece may not smuggle in entity references,
 * nor include further pieces. (A nested include's marker reaches the merged
 * tree without its href, so the file its content came from could not be
 * named in messages; one level keeps every message exact.)
 */
static int check_merged(const struct load *ld, xmlNodePtr n, struct cb_error *err)
{
	int rc;

	for (; n; n = n->next) {
		if (n->type == XML_XINCLUDE_START && !marker_has_href(n)) {
			char *file = layout_node_file(n);

			rc = cb_error_at(err, CB_EPARSE, file ? file : ld->path, (long)n->line,
					 "element 'xi:include': an included piece cannot include "
					 "another (one level only)");
			free(file);
			return rc;
		}
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE) {
			xmlNodePtr at = n->parent ? n->parent : n;
			char *file = layout_node_file(at);

			rc = cb_error_at(err, CB_EPARSE, file ? file : ld->path, xmlGetLineNo(at),
					 "entity reference '&%s;' is not allowed in a layout",
					 (const char *)n->name);
			free(file);
			return rc;
		}
		if (n->type == XML_ELEMENT_NODE && is_xi(n))
			return node_error(ld, n, err, "unprocessed include");
		if (n->type == XML_ELEMENT_NODE && (rc = check_merged(ld, n->children, err)) < 0)
			return rc;
	}
	return 0;
}

/* ---- the schema ---- */

static void dir_of(struct cb_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		cb_buf_adds(out, ".");
	else if (slash == path)
		cb_buf_adds(out, "/");
	else
		cb_buf_add(out, path, (size_t)(slash - path));
}

/* layout.rng next to the layout, else in the layout directory. */
static int find_schema(struct cb_buf *out, const char *path, struct cb_error *err)
{
	dir_of(out, path);
	cb_buf_adds(out, "/" SCHEMA_NAME);
	if (access(out->ptr, R_OK) == 0)
		return 0;
	cb_buf_reset(out);
	cb_buf_addf(out, "%s/%s", cb_layout_dir(), SCHEMA_NAME);
	if (access(out->ptr, R_OK) == 0)
		return 0;
	return cb_error_set(err, CB_ENOTFOUND, "no layout schema '%s' next to '%s' or in '%s'",
			    SCHEMA_NAME, path, cb_layout_dir());
}

static int load_schema(xmlRelaxNGPtr *out, struct load *ld, struct cb_error *err)
{
	struct cb_buf path = CB_BUF_INIT, data = CB_BUF_INIT;
	xmlRelaxNGParserCtxtPtr pctxt = NULL;
	int rc;

	*out = NULL;
	if ((rc = find_schema(&path, ld->path, err)) < 0 || (rc = read_file(&data, path.ptr, err)) < 0)
		goto out;
	fault_reset(&ld->fault);
	pctxt = xmlRelaxNGNewMemParserCtxt(data.ptr, (int)data.len);
	if (pctxt) {
		xmlRelaxNGSetParserStructuredErrors(pctxt, on_xml_error, &ld->fault);
		*out = xmlRelaxNGParse(pctxt);
	}
	if (!*out)
		rc = cb_error_at(err, CB_ERROR, path.ptr, ld->fault.line, "bad layout schema: %s",
				 ld->fault.set ? ld->fault.msg : "cannot be parsed");
out:
	xmlRelaxNGFreeParserCtxt(pctxt);
	cb_buf_release(&path);
	cb_buf_release(&data);
	return rc;
}

static int validate(struct load *ld, xmlRelaxNGPtr schema, xmlDocPtr doc, struct cb_error *err)
{
	xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
	int rc;

	if (!vctxt)
		return cb_error_set(err, CB_ERROR, "cannot validate '%s'", ld->path);
	fault_reset(&ld->fault);
	xmlRelaxNGSetValidStructuredErrors(vctxt, on_xml_error, &ld->fault);
	rc = xmlRelaxNGValidateDoc(vctxt, doc) == 0 ? 0 : fault_error(ld, NULL, err);
	xmlRelaxNGFreeValidCtxt(vctxt);
	return rc;
}

static int layout_root(struct load *ld, const char *path, struct cb_error *err)
{
	struct cb_buf dir = CB_BUF_INIT;
	int rc = 0;

	dir_of(&dir, path);
	if (!realpath(dir.ptr, ld->root))
		rc = cb_error_set(err, CB_EIO, "cannot resolve '%s': %s", dir.ptr, strerror(errno));
	cb_buf_release(&dir);
	return rc;
}

int cb_layout_load(struct cb_layout **out, const char *path, struct cb_error *err)
{
	struct saved_handlers saved;
	struct load ld;
	struct cb_buf data = CB_BUF_INIT;
	struct cb_layout *l = NULL;
	xmlRelaxNGPtr schema = NULL;
	xmlDocPtr doc = NULL;
	int rc;

	*out = NULL;
	pthread_once(&xml_once, xml_init);
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	handlers_push(&saved, &ld.fault);
	if ((rc = read_file(&data, path, err)) < 0 || (rc = layout_root(&ld, path, err)) < 0 ||
	    (rc = load_schema(&schema, &ld, err)) < 0)
		goto out;
	cb_sha256_init(&ld.sha);
	hash_piece(&ld.sha, &data);

	cur_load = &ld;
	rc = parse_layout(&doc, &ld, &data, err);
	if (rc == 0)
		rc = include_pieces(&ld, doc, err);
	cur_load = NULL;
	if (rc < 0 || (rc = check_merged(&ld, doc->children, err)) < 0 ||
	    (rc = validate(&ld, schema, doc, err)) < 0)
		goto out;

	l = cb_xcalloc(1, sizeof(*l));
	if ((rc = layout_build(l, doc, path, err)) < 0)
		goto out;
	cb_sha256_hex(&ld.sha, l->digest);
	*out = l;
	l = NULL;
out:
	cur_load = NULL;
	handlers_pop(&saved);
	cb_layout_free(l);
	xmlFreeDoc(doc);
	xmlRelaxNGFree(schema);
	fault_reset(&ld.fault);
	cb_buf_release(&data);
	return rc;
}
