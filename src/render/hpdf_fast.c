/*
 * hpdf_fast.c: three of libharu 2.3.0's own functions, done faster, and its
 * font file read from memory.
 *
 * libharu copies and clears memory with byte loops (HPDF_MemCpy and
 * HPDF_MemSet; every content-stream operator first clears a 512-byte buffer
 * that way), and deflates every stream at zlib's default level through
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
#include <zlib.h>

#include "render_internal.h"

/*
 * Level 1 instead of zlib's default 6: content streams and the font come out
 * about 3% larger, in a fraction of the time. Stream for stream, the same
 * deflate format, so readers see no difference.
 */
#define PDF_DEFLATE_LEVEL 1
#define OUT_CHUNK 16384
#define IN_CHUNK 16384
#define FONT_BLOCK 65536

/* Not in libharu's installed headers; its definition in hpdf_streams.c. */
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst,
						 HPDF_Encrypt e);

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	memmove(out, in, n);
	return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}

static HPDF_STATUS write_out(HPDF_Stream dst, HPDF_Encrypt e, HPDF_BYTE *out, HPDF_UINT n,
			     HPDF_BYTE *ebuf)
{
	if (!e)
		return HPDF_Stream_Write(dst, out, n);
	HPDF_Encrypt_CryptBuf(e, out, ebuf, n);
	return HPDF_Stream_Write(dst, ebuf, n);
}

/* Feed n bytes to deflate, writing out every full output chunk. */
static HPDF_STATUS deflate_some(z_stream *z, HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e,
				const HPDF_BYTE *in, HPDF_UINT n, int flush, HPDF_BYTE *out,
				HPDF_BYTE *ebuf)
{
	int zr;

	z->next_in = (Bytef *)in;
	z->avail_in = n;
	do {
		HPDF_STATUS ret;

		zr = deflate(z, flush);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			return HPDF_SetError(src->error, HPDF_ZLIB_ERROR, zr);
		if (z->avail_out < OUT_CHUNK &&
		    (z->avail_out == 0 || flush == Z_FINISH)) {
			ret = write_out(dst, e, out, OUT_CHUNK - z->avail_out, ebuf);
			if (ret != HPDF_OK)
				return ret;
			z->next_out = out;
			z->avail_out = OUT_CHUNK;
		}
	} while (z->avail_in > 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return HPDF_OK;
}

/* A memory stream's blocks are handed to zlib as they are; others are read. */
static HPDF_STATUS deflate_all(z_stream *z, HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e,
			       HPDF_BYTE *out, HPDF_BYTE *ebuf)
{
	HPDF_BYTE in[IN_CHUNK];
	HPDF_STATUS ret = HPDF_OK;

	if (src->type == HPDF_STREAM_MEMORY) {
		HPDF_UINT i, count = HPDF_MemStream_GetBufCount(src);

		for (i = 0; i < count && ret == HPDF_OK; i++) {
			HPDF_UINT len;
			HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(src, i, &len);

			if (!p)
				return HPDF_Error_GetCode(src->error);
			ret = deflate_some(z, src, dst, e, p, len, Z_NO_FLUSH, out, ebuf);
		}
	} else {
		if ((ret = HPDF_Stream_Seek(src, 0, HPDF_SEEK_SET)) != HPDF_OK)
			return ret;
		for (;;) {
			HPDF_UINT len = sizeof(in);
			HPDF_STATUS rr = HPDF_Stream_Read(src, in, &len);

			if (rr != HPDF_OK && rr != HPDF_STREAM_EOF)
				return rr;
			if ((ret = deflate_some(z, src, dst, e, in, len, Z_NO_FLUSH, out, ebuf)) != HPDF_OK)
				return ret;
			if (rr == HPDF_STREAM_EOF)
				break;
		}
	}
	if (ret != HPDF_OK)
		return ret;
	return deflate_some(z, src, dst, e, NULL, 0, Z_FINISH, out, ebuf);
}

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst,
						 HPDF_Encrypt e)
{
	HPDF_BYTE out[OUT_CHUNK], ebuf[OUT_CHUNK];
	HPDF_STATUS ret;
	z_stream z;
	int zr;

	memset(&z, 0, sizeof(z));
	zr = deflateInit(&z, PDF_DEFLATE_LEVEL);
	if (zr != Z_OK)
		return HPDF_SetError(src->error, HPDF_ZLIB_ERROR, zr);
	z.next_out = out;
	z.avail_out = OUT_CHUNK;
	ret = deflate_all(&z, src, dst, e, out, ebuf);
	deflateEnd(&z);
	return ret;
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
