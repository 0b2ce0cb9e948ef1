/* pdf.c - see pdf.h.
 *
 * libharu 2.3 is the PDF writer: objects, cross-reference table, trailer,
 * Info and outlines.  What it does slowly or wrongly is done here and
 * handed to it through its object API (hpdf_objects.h, the one file that
 * uses libharu's internals): the fonts and the page contents.
 *
 * Fonts.  Each font is a HarfBuzz subset embedded as it is (FontFile2) in
 * a CIDFontType2 whose CIDs are the subset's glyph ids (/CIDToGIDMap
 * /Identity), with sparse /W widths and a ToUnicode CMap, under a Type0
 * font with /Encoding /Identity-H.  A document has up to two fonts:
 *   - the run font of its kind (F1): the characters of the document's
 *     run_text (layout.h), a function of the program and the issuer only,
 *     so that it is subset and compressed once per process and a document
 *     drawn again in a later run comes out byte-identical;
 *   - its own font (F2): the characters it draws that the run font lacks.
 * Page text is written as hex CIDs (Identity-H: two bytes a glyph).
 *
 * Streams are compressed here with libdeflate (zlib format, /Filter
 * /FlateDecode written with them): level 1 for what each document owns,
 * a higher level for what is compressed once per process (run fonts, the
 * ICC profile). */
#include "pdf/pdf.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/textenc.h"
#include "base/vec.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hpdf_version.h>
#include <libdeflate.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The internals used below (HPDF_Dict_Rec's stream, filter, attr and
 * write_fn; HPDF_Doc_Rec's mmgr, xref, catalog, info, trailer and
 * pdf_version) are those of 2.3.0; the Makefile checks the version too. */
#if HPDF_VERSION_ID != 20300
#error "pdf.c uses libharu 2.3.0's internals (hpdf_objects.h)"
#endif

/* libharu 2.3.0 moves every byte of a document (each stream into its
 * memory stream, the memory stream into the output, the output back to
 * us: four times for the embedded fonts) through HPDF_MemCpy, a loop of
 * one byte at a time (hpdf_utils.c), which it calls through its PLT.  The
 * program's own definition, exported by the Makefile's link flags,
 * replaces it for the library: the same contract (copies n bytes, returns
 * out + n, as its disassembly in 2.3.0 does) with the C library's copy.
 * 4 % of a month's CPU before; the PDFs are byte-identical. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (n)
		memmove(out, in, n);
	return out + n;
}

#define LEVEL_DOC 1     /* streams compressed for every document */
#define LEVEL_RUN 12    /* streams compressed once per process */

struct render {
	HPDF_STATUS error, detail;
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *ctx)
{
	struct render *r = ctx;
	if (!r->error) {
		r->error = error;
		r->detail = detail;
	}
}

/* v rounded half away from zero (no libm) */
static long long iround(double v)
{
	return (long long)(v < 0 ? v - 0.5 : v + 0.5);
}

/* ---- compression ------------------------------------------------------- */

/* data in zlib format (what /FlateDecode reads), malloc'd; NULL when
 * memory is out */
static unsigned char *flate(const void *data, size_t n, int level,
			    size_t *out_len)
{
	static struct libdeflate_compressor *c[13];
	if (level < 0 || level > 12)
		level = 1;
	if (!c[level] && !(c[level] = libdeflate_alloc_compressor(level)))
		return NULL;
	size_t bound = libdeflate_zlib_compress_bound(c[level], n);
	unsigned char *out = xmalloc(bound ? bound : 1);
	*out_len = libdeflate_zlib_compress(c[level], data, n, out, bound);
	/* the slowest level's compressor holds some 9 MB for what is
	 * compressed a few times a process (a kind's font, the colour
	 * profile): freed for what the run holds next, not kept to its end
	 * (the parent's index update came on top of it) */
	if (level == LEVEL_RUN) {
		libdeflate_free_compressor(c[level]);
		c[level] = NULL;
	}
	return out;
}

/* ---- raw dictionary entries -------------------------------------------- *
 * libharu writes a dictionary's entries, then calls its write_fn before
 * the closing ">>".  Entries written that way need no libharu objects
 * (the /W array of a font would be hundreds of them), and /Filter can be
 * said of data compressed here: libharu itself drops /Filter from a
 * stream whose filter it does not apply. */
struct raw {
	const char *text;
	size_t len;
};

static HPDF_STATUS write_raw(HPDF_Dict dict, HPDF_Stream stream)
{
	const struct raw *r = dict->attr;
	return HPDF_Stream_Write(stream, (const HPDF_BYTE *)r->text,
				 (HPDF_UINT)r->len);
}

/* text must live until the document is saved (the render's arena) */
static void add_raw(HPDF_Dict dict, struct arena *a, const char *text,
		    size_t len)
{
	struct raw *r = arena_alloc(a, sizeof *r);
	r->text = text;
	r->len = len;
	dict->attr = r;
	dict->write_fn = write_raw;
}

/* A stream of bytes already in their final form (compressed here when
 * raw says /Filter). */
static HPDF_Dict add_stream(HPDF_Doc pdf, const void *data, size_t len)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!s)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_NONE;
	if (HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) != HPDF_OK)
		return NULL;
	return s;
}

static const char flate_filter[] = "/Filter /FlateDecode\n";

/* ---- embedded fonts ---------------------------------------------------- */

/* A font ready to be added to any number of documents: what depends only
 * on its characters is computed (and compressed) once. */
struct emb {
	struct font *font;
	char name[80];                  /* "ABCDEF+PostScriptName" */
	unsigned char *file;            /* FontFile2, compressed */
	size_t file_len, file_raw;
	unsigned char *tounicode;       /* ToUnicode CMap, compressed */
	size_t tu_len;
	char *desc, *cidfont;           /* raw entries (see add_font) */
	size_t desc_len, cidfont_len;
	uint32_t *cps;                  /* its characters, sorted */
	uint16_t *cid;                  /* cid[k]: glyph id of cps[k] */
	size_t n;
};

static void emb_free(struct emb *e)
{
	free(e->file);
	free(e->tounicode);
	free(e->desc);
	free(e->cidfont);
	free(e->cps);
	free(e->cid);
	memset(e, 0, sizeof *e);
}

struct glyph {
	uint16_t cid, width;
	uint32_t cp;
};

static int by_cid(const void *x, const void *y)
{
	const struct glyph *a = x, *b = y;
	return (a->cid > b->cid) - (a->cid < b->cid);
}

static const char hexd[] = "0123456789ABCDEF";

/* "<HHHH>" as printf's "%04X" writes it, after a space when sp: the
 * CMap's codes and characters (a few dozen in each document's own font,
 * each a printf before) */
static void put_hex4(struct buf *b, int sp, unsigned v)
{
	if (v > 0xFFFF) {       /* not drawn (text_chars), but as before */
		buf_printf(b, sp ? " <%04X>" : "<%04X>", v);
		return;
	}
	char h[7] = { ' ', '<', hexd[v >> 12], hexd[(v >> 8) & 15],
		      hexd[(v >> 4) & 15], hexd[v & 15], '>' };
	buf_add(b, sp ? h : h + 1, sp ? 7 : 6);
}

/* The ToUnicode CMap: CID -> character, runs of consecutive CIDs of
 * consecutive characters as ranges (digits, letters).  A range stays
 * within one last byte of CID and of character, as CMaps require. */
static void tounicode_text(const struct glyph *g, size_t n, struct buf *b)
{
	buf_adds(b, "/CIDInit /ProcSet findresource begin\n"
		    "12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		    "/Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\n"
		    "endcodespacerange\n");
	size_t *run = xmalloc(sizeof *run * (n + 1)), nr = 0, nranges = 0;
	for (size_t i = 0; i < n; ) {
		size_t j = i + 1;
		while (j < n && g[j].cid == g[j - 1].cid + 1 &&
		       g[j].cp == g[j - 1].cp + 1 &&
		       (g[j].cid >> 8) == (g[i].cid >> 8) &&
		       (g[j].cp >> 8) == (g[i].cp >> 8))
			j++;
		run[nr++] = i;
		if (j - i > 1)
			nranges++;
		i = j;
	}
	run[nr] = n;
	for (int pass = 0; pass < 2; pass++) {   /* ranges, then singles */
		size_t left = pass ? nr - nranges : nranges;
		for (size_t r = 0; r < nr && left; ) {
			size_t k = left < 100 ? left : 100, done = 0;
			buf_printf(b, "%zu %s\n", k, pass ? "beginbfchar" :
				   "beginbfrange");
			for (; r < nr && done < k; r++) {
				size_t i = run[r], len = run[r + 1] - i;
				if ((len > 1) == pass)
					continue;
				if (pass) {
					put_hex4(b, 0, g[i].cid);
					put_hex4(b, 1, g[i].cp);
				} else {
					put_hex4(b, 0, g[i].cid);
					put_hex4(b, 1,
						 g[i].cid + (unsigned)len - 1);
					put_hex4(b, 1, g[i].cp);
				}
				buf_addc(b, '\n');
				done++;
			}
			buf_adds(b, pass ? "endbfchar\n" : "endbfrange\n");
			left -= done;
		}
	}
	free(run);
	buf_adds(b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
		    "end\nend\n");
}

/* The /W entries: the widths that differ from /DW 1000, as
 * "c [w1 w2 ...]" for runs of consecutive CIDs; the widths are the ones
 * layout measured with (font_advance). */
static void widths_text(const struct glyph *g, size_t n, struct buf *b)
{
	buf_adds(b, "/DW 1000\n/W [");
	for (size_t i = 0; i < n; ) {
		if (g[i].width == 1000) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && g[j].cid == g[j - 1].cid + 1 &&
		       g[j].width != 1000)
			j++;
		buf_printf(b, " %u [", g[i].cid);
		for (size_t k = i; k < j; k++)
			buf_printf(b, k > i ? " %u" : "%u", g[k].width);
		buf_addc(b, ']');
		i = j;
	}
	buf_adds(b, " ]\n");
}

/* The subset tag of a font's name: six capitals from a hash of its
 * characters (PDF 32000-1 9.6.4), so that two subsets differ. */
static void subset_tag(const uint32_t *cps, size_t n, unsigned salt,
		       char tag[7])
{
	uint64_t h = 1469598103934665603u ^ salt;
	for (size_t i = 0; i < n; i++)
		h = (h ^ cps[i]) * 1099511628211u;
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

/* Builds e for the characters cps[0..n-1] (sorted, unique, drawn by the
 * font).  0, or -1 when HarfBuzz failed, -2 when memory is out. */
static int emb_build(struct emb *e, struct font *f, const uint32_t *cps,
		     size_t n, int level, unsigned salt)
{
	memset(e, 0, sizeof *e);
	struct subset s;
	if (font_subset(f, cps, n, &s) != 0)
		return -1;
	e->font = f;
	e->n = n;
	e->cps = xmalloc(sizeof *e->cps * (n ? n : 1));
	memcpy(e->cps, cps, sizeof *cps * n);
	e->cid = s.cid;
	s.cid = NULL;
	char tag[7];
	subset_tag(cps, n, salt, tag);
	snprintf(e->name, sizeof e->name, "%s+%s", tag, f->psname);
	e->file_raw = s.len;
	e->file = flate(s.data, s.len, level, &e->file_len);
	subset_free(&s);
	struct glyph *g = xmalloc(sizeof *g * (n ? n : 1));
	for (size_t k = 0; k < n; k++) {
		unsigned w = font_advance(f, cps[k]);
		g[k] = (struct glyph){ e->cid[k], (uint16_t)w, cps[k] };
	}
	qsort(g, n, sizeof *g, by_cid);
	struct buf b;
	buf_init(&b);
	tounicode_text(g, n, &b);
	e->tounicode = flate(b.data, b.len, level, &e->tu_len);
	buf_reset(&b);
	buf_adds(&b, "/CIDSystemInfo << /Registry (Adobe) /Ordering "
		     "(Identity) /Supplement 0 >>\n/CIDToGIDMap /Identity\n");
	widths_text(g, n, &b);
	e->cidfont_len = b.len;
	e->cidfont = buf_detach(&b);
	buf_init(&b);
	/* Symbolic (4): the font has characters outside the standard Latin
	 * set; CapHeight and StemV are required, StemV is not known */
	buf_printf(&b, "/Flags 4\n/FontBBox [%d %d %d %d]\n/ItalicAngle 0\n"
		   "/Ascent %d\n/Descent %d\n/CapHeight %d\n/StemV 80\n",
		   f->bbox[0], f->bbox[1], f->bbox[2], f->bbox[3],
		   (int)iround(f->ascent * 1000), (int)iround(f->descent * 1000),
		   f->cap_height);
	e->desc_len = b.len;
	e->desc = buf_detach(&b);
	free(g);
	if (!e->file || !e->tounicode) {
		emb_free(e);
		return -2;
	}
	return 0;
}

/* Adds e's objects to the document; returns its Type0 font. */
static HPDF_Dict add_font(HPDF_Doc pdf, const struct emb *e,
			  struct arena *a)
{
	HPDF_MMgr m = pdf->mmgr;
	HPDF_Dict file = add_stream(pdf, e->file, e->file_len);
	HPDF_Dict tu = add_stream(pdf, e->tounicode, e->tu_len);
	HPDF_Dict desc = HPDF_Dict_New(m), cid = HPDF_Dict_New(m),
		  type0 = HPDF_Dict_New(m);
	HPDF_Array desc_fonts = HPDF_Array_New(m);
	if (!file || !tu || !desc || !cid || !type0 || !desc_fonts ||
	    HPDF_Xref_Add(pdf->xref, desc) != HPDF_OK ||
	    HPDF_Xref_Add(pdf->xref, cid) != HPDF_OK ||
	    HPDF_Xref_Add(pdf->xref, type0) != HPDF_OK)
		return NULL;
	char *file_raw = arena_printf(a, "%s/Length1 %zu\n", flate_filter,
				      e->file_raw);
	add_raw(file, a, file_raw, strlen(file_raw));
	add_raw(tu, a, flate_filter, sizeof flate_filter - 1);
	HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	HPDF_Dict_AddName(desc, "FontName", e->name);
	HPDF_Dict_Add(desc, "FontFile2", file);
	add_raw(desc, a, e->desc, e->desc_len);
	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", e->name);
	HPDF_Dict_Add(cid, "FontDescriptor", desc);
	add_raw(cid, a, e->cidfont, e->cidfont_len);
	HPDF_Dict_AddName(type0, "Type", "Font");
	HPDF_Dict_AddName(type0, "Subtype", "Type0");
	HPDF_Dict_AddName(type0, "BaseFont", e->name);
	HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
	HPDF_Array_Add(desc_fonts, cid);
	HPDF_Dict_Add(type0, "DescendantFonts", desc_fonts);
	HPDF_Dict_Add(type0, "ToUnicode", tu);
	return type0;
}

/* ---- the run fonts ------------------------------------------------------ *
 * One per distinct run_text (a document kind and issuer) and font, kept
 * for the life of the process: workers are forked processes, each builds
 * the run fonts it needs once. */
struct runfont {
	struct emb e;
	char *text;
	uint16_t *cid_of;               /* [65536]: CID of a character, 0 */
};

#define MAX_RUNFONTS 8
static struct runfont runfonts[MAX_RUNFONTS];
static size_t next_evict;

static int by_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

/* The characters of text that the font draws, sorted and unique. */
static uint32_t *text_chars(struct font *f, const char *text, size_t *n)
{
	uint32_t *cps = NULL;
	size_t k = 0, cap = 0;
	while (*text) {
		unsigned cp = utf8_next(&text);
		if (cp < 0x20 || cp > 0xFFFF || !font_has(f, cp))
			continue;
		VEC_GROW(cps, k + 1, cap);
		cps[k++] = cp;
	}
	if (k)
		qsort(cps, k, sizeof *cps, by_u32);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || cps[u - 1] != cps[i])
			cps[u++] = cps[i];
	*n = u;
	return cps;
}

static const struct runfont *run_font(struct font *f, const char *text,
				      int *err)
{
	*err = 0;
	if (!text || !text[0])
		return NULL;
	for (size_t i = 0; i < MAX_RUNFONTS; i++)
		if (runfonts[i].text && runfonts[i].e.font == f &&
		    strcmp(runfonts[i].text, text) == 0)
			return &runfonts[i];
	struct runfont *r = &runfonts[next_evict];
	next_evict = (next_evict + 1) % MAX_RUNFONTS;
	if (r->text) {
		emb_free(&r->e);
		free(r->text);
		free(r->cid_of);
		r->text = NULL;
	}
	size_t n;
	uint32_t *cps = text_chars(f, text, &n);
	int rc = emb_build(&r->e, f, cps, n, LEVEL_RUN, 1);
	free(cps);
	if (rc) {
		*err = rc;
		return NULL;
	}
	r->cid_of = xcalloc(65536, sizeof *r->cid_of);
	for (size_t k = 0; k < r->e.n; k++)
		r->cid_of[r->e.cps[k]] = r->e.cid[k];
	r->text = xstrdup(text);
	return r;
}

/* ---- the document's own font -------------------------------------------- */

/* The characters the document draws that the run font lacks, sorted.
 * seen is a bitmap of the BMP left all clear again. */
static uint32_t *doc_chars(const struct doc *d, const struct runfont *run,
			   size_t *n)
{
	static uint8_t seen[65536 / 8];
	uint32_t *cps = NULL;
	size_t k = 0, cap = 0;
	for (size_t p = 0; p < d->npages; p++) {
		const struct page *pg = &d->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			if (pg->items[i].kind != IT_TEXT)
				continue;
			const char *s = pg->items[i].text;
			while (*s) {
				unsigned cp = utf8_next(&s);
				if (cp > 0xFFFF || (run && run->cid_of[cp]) ||
				    (seen[cp >> 3] & (1u << (cp & 7))) ||
				    !font_has(d->font, cp))
					continue;
				seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
				VEC_GROW(cps, k + 1, cap);
				cps[k++] = cp;
			}
		}
	}
	/* a document drawing nothing still has a font (PDF/A wants the
	 * fonts it names embedded; it names one when it has no run font) */
	if (k == 0 && !run) {
		VEC_GROW(cps, 1, cap);
		cps[k++] = ' ';
	}
	for (size_t i = 0; i < k; i++)
		seen[cps[i] >> 3] = 0;
	if (k)
		qsort(cps, k, sizeof *cps, by_u32);
	*n = k;
	return cps;
}

/* ---- page contents ------------------------------------------------------ */

/* A number as content streams write it: at most three decimals, no
 * trailing zeros, no exponent (locale-independent), and a space; one
 * buf_add (a quarter of a million numbers in a month of 200 invoices). */
static void put_num(struct buf *b, double v)
{
	long long m = iround(v * 1000);
	char s[32], *p = s + sizeof s;
	*--p = ' ';
	int neg = m < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)m :
				     (unsigned long long)m;
	unsigned frac = (unsigned)(u % 1000);
	u /= 1000;
	if (frac) {
		int digits = 3;
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		for (int i = 0; i < digits; i++) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	buf_add(b, p, (size_t)(s + sizeof s - p));
}

struct pen {
	struct buf *b;
	int in_text, font;
	double size, tx, ty;            /* font size, text line start */
	int fill_kind;                  /* 0 unset, 1 gray, 2 rgb */
	double fill_gray, stroke_gray, line_width;
	unsigned fill_rgb;
	int stroke_set, width_set;
};

static void fill_gray(struct pen *p, double g)
{
	if (p->fill_kind == 1 && p->fill_gray == g)
		return;
	p->fill_kind = 1;
	p->fill_gray = g;
	put_num(p->b, g);
	buf_adds(p->b, "g\n");
}

static void stroke_gray(struct pen *p, double g)
{
	if (p->stroke_set && p->stroke_gray == g)
		return;
	p->stroke_set = 1;
	p->stroke_gray = g;
	put_num(p->b, g);
	buf_adds(p->b, "G\n");
}

static void line_width(struct pen *p, double w)
{
	if (p->width_set && p->line_width == w)
		return;
	p->width_set = 1;
	p->line_width = w;
	put_num(p->b, w);
	buf_adds(p->b, "w\n");
}

static void end_text(struct pen *p)
{
	if (p->in_text) {
		buf_adds(p->b, "ET\n");
		p->in_text = 0;
	}
}

/* One text item: runs of characters of one font, each "<cids> Tj". */
static void draw_text(struct pen *p, const struct item *it,
		      const struct runfont *run, const uint16_t *doc_cid)
{
	if (!p->in_text) {
		buf_adds(p->b, "BT\n");
		p->in_text = 1;
		p->font = 0;
		p->tx = p->ty = 0;
	}
	fill_gray(p, it->gray);
	if (it->bold) {
		/* emphasis by stroking the outline too: one font face */
		buf_adds(p->b, "2 Tr\n");
		stroke_gray(p, it->gray);
		line_width(p, it->size * 0.04);
	}
	put_num(p->b, it->x - p->tx);
	put_num(p->b, it->y - p->ty);
	buf_adds(p->b, "Td\n");
	p->tx = it->x;
	p->ty = it->y;
	const char *s = it->text;
	int open = 0;
	/* the hex digits of a run gather here and go to the buffer in one
	 * piece, not four bytes at a time */
	char hx[256];
	size_t nh = 0;
	while (*s) {
		unsigned cp = utf8_next(&s);
		if (cp > 0xFFFF)
			continue;
		int font = run && run->cid_of[cp] ? 1 : 2;
		unsigned cid = font == 1 ? run->cid_of[cp] : doc_cid[cp];
		if (!cid)
			continue;       /* not drawable: doc_clean made '?' */
		if (font != p->font || it->size != p->size) {
			buf_add(p->b, hx, nh);
			nh = 0;
			if (open)
				buf_adds(p->b, "> Tj\n");
			open = 0;
			buf_adds(p->b, font == 1 ? "/F1 " : "/F2 ");
			put_num(p->b, it->size);
			buf_adds(p->b, "Tf\n");
			p->font = font;
			p->size = it->size;
		}
		if (nh + 5 > sizeof hx) {
			buf_add(p->b, hx, nh);
			nh = 0;
		}
		if (!open)
			hx[nh++] = '<';
		open = 1;
		hx[nh++] = hexd[cid >> 12];
		hx[nh++] = hexd[(cid >> 8) & 15];
		hx[nh++] = hexd[(cid >> 4) & 15];
		hx[nh++] = hexd[cid & 15];
	}
	buf_add(p->b, hx, nh);
	if (open)
		buf_adds(p->b, "> Tj\n");
	if (it->bold)
		buf_adds(p->b, "0 Tr\n");
}

static void draw_page(struct buf *b, const struct page *pg,
		      const struct runfont *run, const uint16_t *doc_cid)
{
	struct pen p = { .b = b };
	for (size_t i = 0; i < pg->n; i++) {
		const struct item *it = &pg->items[i];
		if (it->kind != IT_TEXT)
			end_text(&p);
		switch (it->kind) {
		case IT_RECT:
			if (it->has_rgb) {
				if (p.fill_kind != 2 || p.fill_rgb != it->rgb) {
					put_num(b, ((it->rgb >> 16) & 0xFF) / 255.0);
					put_num(b, ((it->rgb >> 8) & 0xFF) / 255.0);
					put_num(b, (it->rgb & 0xFF) / 255.0);
					buf_adds(b, "rg\n");
					p.fill_kind = 2;
					p.fill_rgb = it->rgb;
				}
			} else {
				fill_gray(&p, it->gray);
			}
			put_num(b, it->x);
			put_num(b, it->y);
			put_num(b, it->w);
			put_num(b, it->h);
			buf_adds(b, "re\nf\n");
			break;
		case IT_LINE:
			stroke_gray(&p, it->gray);
			line_width(&p, it->size);
			put_num(b, it->x);
			put_num(b, it->y);
			buf_adds(b, "m\n");
			put_num(b, it->x + it->w);
			put_num(b, it->y + it->h);
			buf_adds(b, "l\nS\n");
			break;
		case IT_TEXT:
			draw_text(&p, it, run, doc_cid);
			break;
		}
	}
	end_text(&p);
}

/* ---- metadata ----------------------------------------------------------- */

/* A PDF text string: UTF-16BE with a byte order mark. */
static HPDF_Binary text_string(HPDF_Doc pdf, const char *s)
{
	size_t n = strlen(s);
	unsigned char *u = xmalloc(2 + n * 4);
	size_t k = 0;
	u[k++] = 0xFE;
	u[k++] = 0xFF;
	while (*s) {
		unsigned cp = utf8_next(&s);
		if (cp > 0xFFFF) {
			cp -= 0x10000;
			unsigned hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
			u[k++] = (unsigned char)(hi >> 8);
			u[k++] = (unsigned char)hi;
			u[k++] = (unsigned char)(lo >> 8);
			u[k++] = (unsigned char)lo;
		} else {
			u[k++] = (unsigned char)(cp >> 8);
			u[k++] = (unsigned char)cp;
		}
	}
	HPDF_Binary b = HPDF_Binary_New(pdf->mmgr, u, (HPDF_UINT)k);
	free(u);
	return b;
}

static void set_metadata(HPDF_Doc pdf, const struct doc *d)
{
	HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "svcbill");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "svcbill");
	int y, m, dd;
	date_to_ymd(d->created, &y, &m, &dd);
	HPDF_Date date = { y, m, dd, 0, 0, 0, 'Z', 0, 0 };
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
	const char *keys[4] = { "Title", "Author", "Subject", "Keywords" };
	const char *vals[4] = { d->title, d->author, d->subject, d->keywords };
	for (int i = 0; i < 4; i++)
		if (vals[i] && vals[i][0] && pdf->info)
			HPDF_Dict_Add(pdf->info, keys[i],
				      text_string(pdf, vals[i]));
}

/* ---- PDF/A-2b -------------------------------------------------------------
 * What libharu 2.3 leaves out is added through its object API: the
 * version (1.7), XMP metadata that repeats the Info dictionary, an sRGB
 * output intent with its ICC profile, and a trailer /ID.  libharu's own
 * PDF/A support (HPDF_PDFA_SetPDFAConformance) is not used: it puts time()
 * into /ID and writes XMP without Title, Author or Subject. */

/* The ICC profile of the output intent: sRGB (IEC 61966-2-1) as a
 * compact ICC v4 display profile (548 bytes) built here from the
 * standard's numbers, instead of a 7 KB file (2.5 KB compressed in every
 * PDF).  Matrix/TRC form: the D50-adapted colorants, the D65 -> D50
 * Bradford adaptation (chad), and sRGB's tone curve exactly as an ICC
 * parametric curve of type 3: Y = (aX + b)^g for X >= d, Y = cX below.
 * Numbers are s15Fixed16 (value * 65536).  tests/tools/icc_check.py
 * compares it with Little CMS's own sRGB. */
static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t s15(double v)
{
	return (uint32_t)(int32_t)iround(v * 65536);
}

/* an mluc tag of one en-US ASCII string */
static size_t mluc(unsigned char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, "mluc", 4);
	be32(p + 8, 1);
	be32(p + 12, 12);
	memcpy(p + 16, "enUS", 4);
	be32(p + 20, (uint32_t)(2 * n));
	be32(p + 24, 28);
	for (size_t i = 0; i < n; i++) {
		p[28 + 2 * i] = 0;
		p[29 + 2 * i] = (unsigned char)s[i];
	}
	return (28 + 2 * n + 3) & ~(size_t)3;
}

static size_t xyz(unsigned char *p, const char *type, const double *v,
		  int n)
{
	memcpy(p, type, 4);
	for (int i = 0; i < n; i++)
		be32(p + 8 + 4 * i, s15(v[i]));
	return 8 + 4 * (size_t)n;
}

static size_t srgb_icc(unsigned char *out)   /* out: 1024 bytes, zeroed */
{
	static const double d50[3] = { 0.9642, 1.0, 0.8249 };
	static const double chad[9] = { 1.047882, 0.022918, -0.050217,
					0.029586, 0.990478, -0.017075,
					-0.009247, 0.015059, 0.751740 };
	static const double rgb[3][3] = {
		{ 0.436066, 0.222488, 0.013916 },
		{ 0.385147, 0.716873, 0.097076 },
		{ 0.143066, 0.060608, 0.714096 },
	};
	static const char *const tags[9] = { "desc", "cprt", "wtpt", "chad",
					     "rXYZ", "gXYZ", "bXYZ", "rTRC",
					     "gTRC" };
	unsigned char *h = out;
	be32(h + 8, 0x04300000);                        /* version 4.3 */
	memcpy(h + 12, "mntrRGB XYZ ", 12);
	be32(h + 24, (2026u << 16) | 1);                /* 2026-01-01 */
	be32(h + 28, 1u << 16);
	memcpy(h + 36, "acsp", 4);
	for (int i = 0; i < 3; i++)
		be32(h + 68 + 4 * i, s15(d50[i]));      /* PCS illuminant */
	size_t ntags = 10, pos = 128 + 4 + 12 * ntags;
	be32(out + 128, (uint32_t)ntags);
	size_t off[9], len[9];
	for (int t = 0; t < 9; t++) {
		off[t] = pos;
		unsigned char *p = out + pos;
		if (t == 0)
			len[t] = mluc(p, "sRGB IEC61966-2.1");
		else if (t == 1)
			len[t] = mluc(p, "No copyright, use freely");
		else if (t == 2)
			len[t] = xyz(p, "XYZ ", d50, 3);
		else if (t == 3)
			len[t] = xyz(p, "sf32", chad, 9);
		else if (t <= 6)
			len[t] = xyz(p, "XYZ ", rgb[t - 4], 3);
		else if (t == 7) {
			static const double curve[5] = { 2.4, 1 / 1.055,
							 0.055 / 1.055,
							 1 / 12.92, 0.04045 };
			memcpy(p, "para", 4);
			p[9] = 3;                       /* function type 3 */
			for (int i = 0; i < 5; i++)
				be32(p + 12 + 4 * i, s15(curve[i]));
			len[t] = 32;
		} else {                                /* gTRC, bTRC: rTRC's */
			off[t] = off[7];
			len[t] = len[7];
			continue;
		}
		pos += len[t];
	}
	for (size_t t = 0; t < ntags; t++) {
		unsigned char *e = out + 132 + 12 * t;
		size_t k = t < 9 ? t : 8;               /* bTRC: rTRC's too */
		memcpy(e, t < 9 ? tags[t] : "bTRC", 4);
		be32(e + 4, (uint32_t)off[k]);
		be32(e + 8, (uint32_t)len[k]);
	}
	be32(out, (uint32_t)pos);
	return pos;
}

/* The profile, built and compressed once per process (NULL if memory
 * is out). */
static const unsigned char *srgb_profile(size_t *len)
{
	static unsigned char *data;
	static size_t n;
	if (!data) {
		unsigned char icc[1024] = { 0 };
		size_t raw = srgb_icc(icc);
		data = flate(icc, raw, LEVEL_RUN, &n);
	}
	*len = n;
	return data;
}

/* Text made safe inside XML. */
static void xml_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '&': buf_adds(b, "&amp;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default: buf_add(b, s, 1);
		}
	}
}

/* XMP metadata with the same values as the Info dictionary (PDF/A-2
 * 6.6.2.3), and the PDF/A identification: part 2, conformance B.
 * Compressed: PDF/A-1 wanted the catalog's metadata stream unfiltered,
 * PDF/A-2 does not (veraPDF's PDF/A-2 rules have no such test). */
static int write_xmp(HPDF_Doc pdf, const struct doc *d, struct arena *a)
{
	int y, m, dd;
	date_to_ymd(d->created, &y, &m, &dd);
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
		     "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		     "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
		     "22-rdf-syntax-ns#\">\n"
		     "<rdf:Description rdf:about=\"\"\n"
		     " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		     " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		     " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
		     " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n");
	if (d->title && d->title[0]) {
		buf_adds(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		xml_text(&b, d->title);
		buf_adds(&b, "</rdf:li></rdf:Alt></dc:title>\n");
	}
	if (d->author && d->author[0]) {
		buf_adds(&b, "<dc:creator><rdf:Seq><rdf:li>");
		xml_text(&b, d->author);
		buf_adds(&b, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (d->subject && d->subject[0]) {
		buf_adds(&b, "<dc:description><rdf:Alt><rdf:li "
			     "xml:lang=\"x-default\">");
		xml_text(&b, d->subject);
		buf_adds(&b, "</rdf:li></rdf:Alt></dc:description>\n");
	}
	if (d->keywords && d->keywords[0]) {
		buf_adds(&b, "<pdf:Keywords>");
		xml_text(&b, d->keywords);
		buf_adds(&b, "</pdf:Keywords>\n");
	}
	buf_printf(&b, "<pdf:Producer>svcbill</pdf:Producer>\n"
		   "<xmp:CreatorTool>svcbill</xmp:CreatorTool>\n"
		   "<xmp:CreateDate>%04d-%02d-%02dT00:00:00Z</xmp:CreateDate>\n"
		   "<pdfaid:part>2</pdfaid:part>\n"
		   "<pdfaid:conformance>B</pdfaid:conformance>\n"
		   "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
		   "<?xpacket end=\"r\"?>", y, m, dd);
	size_t zlen;
	unsigned char *z = flate(b.data, b.len, LEVEL_DOC, &zlen);
	buf_free(&b);
	HPDF_Dict md = z ? add_stream(pdf, z, zlen) : NULL;
	free(z);
	if (!md)
		return -1;
	HPDF_Dict_AddName(md, "Type", "Metadata");
	HPDF_Dict_AddName(md, "Subtype", "XML");
	add_raw(md, a, flate_filter, sizeof flate_filter - 1);
	HPDF_Dict_Add(pdf->catalog, "Metadata", md);
	return 0;
}

/* The sRGB output intent: what the DeviceRGB and DeviceGray colours of
 * the pages mean (PDF/A-2 6.2.3).  Returns -1 without the profile. */
static int write_output_intent(HPDF_Doc pdf, struct arena *a)
{
	size_t n;
	const unsigned char *icc = srgb_profile(&n);
	if (!icc)
		return -1;
	HPDF_Dict prof = add_stream(pdf, icc, n);
	HPDF_Dict oi = HPDF_Dict_New(pdf->mmgr);
	HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
	if (!prof || !oi || !arr)
		return -1;
	HPDF_Dict_AddNumber(prof, "N", 3);
	add_raw(prof, a, flate_filter, sizeof flate_filter - 1);
	HPDF_Dict_AddName(oi, "Type", "OutputIntent");
	HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
	HPDF_Dict_Add(oi, "OutputConditionIdentifier",
		      HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(oi, "Info", HPDF_String_New(pdf->mmgr,
						  "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(oi, "DestOutputProfile", prof);
	HPDF_Array_Add(arr, oi);
	HPDF_Dict_Add(pdf->catalog, "OutputIntents", arr);
	return 0;
}

/* The trailer /ID: the first 16 bytes of a SHA-256 of what the document
 * shows and says (its display list and metadata), so that the same
 * document always gets the same bytes and a different one another ID. */
static void write_id(HPDF_Doc pdf, const struct doc *d)
{
	struct sha256_ctx h;
	sha256_init(&h);
	const char *meta[4] = { d->title, d->author, d->subject, d->keywords };
	for (int i = 0; i < 4; i++)
		sha256_update(&h, meta[i] ? strlen(meta[i]) + 1 : 1,
			      (const uint8_t *)(meta[i] ? meta[i] : ""));
	/* numbers as 64-bit integers (hundredths of a point), not printf:
	 * formatting floats was a sixth of the CPU time of a document */
	int64_t v[9];
	v[0] = (int64_t)d->created;
	v[1] = (int64_t)d->npages;
	sha256_update(&h, 2 * sizeof v[0], (const uint8_t *)v);
	for (size_t p = 0; p < d->npages; p++) {
		const struct page *pg = &d->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			const struct item *it = &pg->items[i];
			v[0] = it->kind;
			v[1] = iround(it->x * 100);
			v[2] = iround(it->y * 100);
			v[3] = iround(it->w * 100);
			v[4] = iround(it->h * 100);
			v[5] = iround(it->size * 100);
			v[6] = iround(it->gray * 1000);
			v[7] = it->rgb;
			v[8] = it->bold;
			sha256_update(&h, sizeof v, (const uint8_t *)v);
			if (it->text)
				sha256_update(&h, strlen(it->text) + 1,
					      (const uint8_t *)it->text);
		}
	}
	uint8_t dig[SHA256_DIGEST_SIZE];
	sha256_digest(&h, sizeof dig, dig);
	HPDF_Array id = HPDF_Array_New(pdf->mmgr);
	if (!id)
		return;
	/* both parts the same: the file is never updated in place */
	HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, dig, 16));
	HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, dig, 16));
	HPDF_Dict_Add(pdf->trailer, "ID", id);
}

static void add_outlines(HPDF_Doc pdf, const struct doc *d, HPDF_Page *pages)
{
	if (d->noutlines == 0)
		return;
	HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	for (size_t i = 0; i < d->noutlines; i++) {
		HPDF_Outline o = HPDF_CreateOutline(pdf, NULL, "-", NULL);
		if (!o)
			return;
		HPDF_Dict_Add(o, "Title", text_string(pdf, d->outlines[i].title));
		HPDF_Destination dst =
			HPDF_Page_CreateDestination(pages[d->outlines[i].page]);
		HPDF_Outline_SetDestination(o, dst);
	}
}

/* The page's content stream (compressed here) and its font resources. */
static int add_page(HPDF_Page page, const struct buf *ops,
		    HPDF_Dict fonts, struct arena *a)
{
	HPDF_Dict contents = HPDF_Dict_GetItem(page, "Contents",
					       HPDF_OCLASS_DICT);
	HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	if (!contents || !contents->stream || !res)
		return -1;
	size_t zlen;
	unsigned char *z = flate(ops->data, ops->len, LEVEL_DOC, &zlen);
	if (!z)
		return -2;
	contents->filter = HPDF_STREAM_FILTER_NONE;
	HPDF_STATUS st = HPDF_Stream_Write(contents->stream, z,
					   (HPDF_UINT)zlen);
	free(z);
	if (st != HPDF_OK)
		return -1;
	add_raw(contents, a, flate_filter, sizeof flate_filter - 1);
	return HPDF_Dict_Add(res, "Font", fonts) == HPDF_OK ? 0 : -1;
}

/* libharu's memory: its hundreds of small objects a document come from
 * the render's arena, freed with it once the document is saved and
 * libharu freed, instead of a malloc and a free each.  (Its own memory
 * pool would do the same, but hands out blocks at any byte offset: the
 * objects in them misaligned.)  The arena is the render's; libharu's
 * allocator takes no context, so it is named here for the render. */
static struct arena *haru_mem;

static void *HPDF_STDCALL haru_alloc(HPDF_UINT size)
{
	return arena_alloc_uninit(haru_mem, size);
}

static void HPDF_STDCALL haru_free(void *p)
{
	(void)p;                /* freed with the arena */
}

int pdf_render(const struct doc *d, unsigned char **out, size_t *len,
	       char *err, size_t errlen)
{
	struct render r = { 0, 0 };
	struct arena mem = { 0 };
	int rc = -1, frc;
	HPDF_Doc pdf = NULL;
	HPDF_Page *pages = NULL;
	struct buf ops;
	buf_init(&ops);
	const struct runfont *run = run_font(d->font, d->run_text, &frc);
	struct emb own = { 0 };
	size_t nown = 0;
	uint32_t *own_cps = NULL;
	static uint16_t *doc_cid;       /* [65536], all zero between docs */
	if (!doc_cid)
		doc_cid = xcalloc(65536, sizeof *doc_cid);
	if (frc == 0) {
		own_cps = doc_chars(d, run, &nown);
		if (nown)
			frc = emb_build(&own, d->font, own_cps, nown, LEVEL_DOC,
					2);
	}
	if (frc) {
		snprintf(err, errlen, frc == -2 ? "out of memory compressing "
			 "the font" : "cannot subset the font %s",
			 d->font->path);
		rc = frc == -2 ? -2 : -1;
		goto done;
	}
	for (size_t k = 0; k < own.n; k++)
		doc_cid[own.cps[k]] = own.cid[k];
	haru_mem = &mem;
	pdf = HPDF_NewEx(on_error, haru_alloc, haru_free, 0, &r);
	if (!pdf) {
		snprintf(err, errlen, "libharu could not start");
		goto done;
	}
	HPDF_Dict fonts = HPDF_Dict_New(pdf->mmgr);
	HPDF_Dict f1 = run ? add_font(pdf, &run->e, &mem) : NULL;
	HPDF_Dict f2 = own.n ? add_font(pdf, &own, &mem) : NULL;
	/* one font dictionary that every page names */
	if (!fonts || HPDF_Xref_Add(pdf->xref, fonts) != HPDF_OK ||
	    (run && !f1) || (own.n && !f2)) {
		snprintf(err, errlen, "libharu cannot add the fonts (error "
			 "0x%04X)", (unsigned)r.error);
		goto done;
	}
	if (f1)
		HPDF_Dict_Add(fonts, "F1", f1);
	if (f2)
		HPDF_Dict_Add(fonts, "F2", f2);
	pages = xmalloc(sizeof *pages * (d->npages + 1));
	for (size_t p = 0; p < d->npages; p++) {
		HPDF_Page page = HPDF_AddPage(pdf);
		pages[p] = page;
		if (!page)
			break;
		HPDF_Page_SetWidth(page, (HPDF_REAL)PAGE_W);
		HPDF_Page_SetHeight(page, (HPDF_REAL)PAGE_H);
		buf_reset(&ops);
		draw_page(&ops, &d->pages[p], run, doc_cid);
		/* every page names the same font dictionary */
		int prc = add_page(page, &ops, fonts, &mem);
		if (prc) {
			rc = prc;
			snprintf(err, errlen, "cannot write a page (libharu "
				 "error 0x%04X)", (unsigned)r.error);
			goto done;
		}
	}
	add_outlines(pdf, d, pages);
	set_metadata(pdf, d);
	pdf->pdf_version = HPDF_VER_17;
	if (write_xmp(pdf, d, &mem) != 0) {
		snprintf(err, errlen, "cannot write the XMP metadata");
		goto done;
	}
	if (write_output_intent(pdf, &mem) != 0) {
		snprintf(err, errlen, "out of memory writing the sRGB "
			 "profile");
		goto done;
	}
	write_id(pdf, d);
	if (r.error || HPDF_SaveToStream(pdf) != HPDF_OK) {
		snprintf(err, errlen, "libharu error 0x%04X (detail %u)",
			 (unsigned)r.error, (unsigned)r.detail);
		goto done;
	}
	HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
	*out = xmalloc(size ? size : 1);
	HPDF_UINT32 got = size;
	HPDF_STATUS st = HPDF_ReadFromStream(pdf, *out, &got);
	if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
		free(*out);
		snprintf(err, errlen, "cannot read the PDF back from libharu");
		goto done;
	}
	*len = size;
	rc = 0;
done:
	for (size_t k = 0; k < own.n; k++)
		doc_cid[own.cps[k]] = 0;
	if (pdf)
		HPDF_Free(pdf);
	haru_mem = NULL;
	free(pages);
	buf_free(&ops);
	emb_free(&own);
	free(own_cps);
	arena_free(&mem);
	return rc;
}
