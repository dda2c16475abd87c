/*
 * hpdf_fast.c: three of libharu 2.3.0's own functions, done faster, and its
 * font file read from memory.
 *
 * libharu copies and clears memory with byte loops (HPDF_MemCpy and
 * HPDF_MemSet; every content-stream operator first clears a 512-byte buffer
 * that way), and deflates every stream with a zlib set up afresh for it, in
 * 4 KB copies. libharu calls all three through its PLT, so the definitions
 * below, in the cbpack executable, take the place of the library's (ELF
 * symbol preemption); each keeps libharu's meaning, return values included.
 * Measured on the bench packets: docs/design.md, "Packet speed".
 */
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <libdeflate.h>

#include "cbpack/buf.h"
#include "render_internal.h"

/*
 * Streams are deflated whole with libdeflate: one compressor for the process
 * (zlib sets up and clears some 256 KB of tables for every stream, a dozen
 * times a document) and a faster match finder. At level 6 the streams come
 * out a little smaller than zlib's level 6, in a fraction of the time.
 */
#define PDF_DEFLATE_LEVEL 6
#define CRYPT_CHUNK 4096
#define FONT_BLOCK 65536

static struct libdeflate_compressor *deflater;
static struct cb_buf gather, packed;

/* Not in libharu's installed headers; its definition in hpdf_streams.c. */
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst,
						 HPDF_Encrypt e);

/* libharu's loops accept n == 0 with NULL pointers; libc's calls must not see them. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (n)
		memmove(out, in, n);
	return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	if (n)
		memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}

/* The stream's bytes in one piece: a memory stream's only block, or a copy. */
static HPDF_STATUS stream_bytes(HPDF_Stream src, const HPDF_BYTE **out, size_t *len)
{
	HPDF_STATUS ret;

	cb_buf_reset(&gather);
	if (src->type == HPDF_STREAM_MEMORY) {
		HPDF_UINT i, count = HPDF_MemStream_GetBufCount(src);

		for (i = 0; i < count; i++) {
			HPDF_UINT n;
			HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(src, i, &n);

			if (!p)
				return HPDF_Error_GetCode(src->error);
			if (count == 1) {
				*out = p;
				*len = n;
				return HPDF_OK;
			}
			cb_buf_add(&gather, p, n);
		}
	} else {
		if ((ret = HPDF_Stream_Seek(src, 0, HPDF_SEEK_SET)) != HPDF_OK)
			return ret;
		for (;;) {
			HPDF_UINT n = 65536;

			cb_buf_grow(&gather, n);
			ret = HPDF_Stream_Read(src, (HPDF_BYTE *)gather.ptr + gather.len, &n);
			gather.len += n;
			if (ret == HPDF_STREAM_EOF)
				break;
			if (ret != HPDF_OK)
				return ret;
		}
	}
	*out = (const HPDF_BYTE *)gather.ptr;
	*len = gather.len;
	return HPDF_OK;
}

static HPDF_STATUS write_out(HPDF_Stream dst, HPDF_Encrypt e, const HPDF_BYTE *p, size_t n)
{
	HPDF_BYTE ebuf[CRYPT_CHUNK];
	HPDF_STATUS ret = HPDF_OK;

	if (!e)
		return HPDF_Stream_Write(dst, p, (HPDF_UINT)n);
	while (n > 0 && ret == HPDF_OK) {
		HPDF_UINT k = n < CRYPT_CHUNK ? (HPDF_UINT)n : CRYPT_CHUNK;

		HPDF_Encrypt_CryptBuf(e, p, ebuf, k);
		ret = HPDF_Stream_Write(dst, ebuf, k);
		p += k;
		n -= k;
	}
	return ret;
}

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst,
						 HPDF_Encrypt e)
{
	const HPDF_BYTE *in = NULL;
	size_t len = 0, bound, n;
	HPDF_STATUS ret;

	if (!deflater && !(deflater = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL)))
		return HPDF_SetError(src->error, HPDF_ZLIB_ERROR, 0);
	if ((ret = stream_bytes(src, &in, &len)) != HPDF_OK)
		return ret;
	bound = libdeflate_zlib_compress_bound(deflater, len);
	cb_buf_reset(&packed);
	cb_buf_grow(&packed, bound);
	n = libdeflate_zlib_compress(deflater, in, len, packed.ptr, bound);
	if (n == 0)
		return HPDF_SetError(src->error, HPDF_ZLIB_ERROR, 0);
	return write_out(dst, e, (const HPDF_BYTE *)packed.ptr, n);
}

void render_deflate_release(void)
{
	libdeflate_free_compressor(deflater);
	deflater = NULL;
	cb_buf_release(&gather);
	cb_buf_release(&packed);
}

/*
 * libharu keeps an embedded TrueType font's file open and, at every save,
 * seeks and reads each table and glyph from it again: some 230 lseek and 60
 * read calls a document. The same bytes in a memory stream serve the same
 * seeks and reads from memory.
 */
int render_font_from_memory(HPDF_Doc doc, const char *font_name, const unsigned char *bytes,
			    size_t len)
{
	HPDF_FontDef def = HPDF_GetFontDef(doc, font_name);
	HPDF_TTFontDefAttr attr;
	HPDF_Stream mem;

	if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr || len > 0x7fffffff)
		return -1;
	attr = (HPDF_TTFontDefAttr)def->attr;
	if (!attr->stream || attr->stream->type != HPDF_STREAM_FILE)
		return -1;
	mem = HPDF_MemStream_New(doc->mmgr, FONT_BLOCK);
	if (!mem)
		return -1;
	if (HPDF_Stream_Write(mem, bytes, (HPDF_UINT)len) != HPDF_OK ||
	    HPDF_Stream_Size(mem) != HPDF_Stream_Size(attr->stream)) {
		HPDF_Stream_Free(mem);
		return -1;
	}
	HPDF_Stream_Free(attr->stream);
	attr->stream = mem;
	return 0;
}
