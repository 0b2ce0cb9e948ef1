/* pdf.c - see pdf.h.
 *
 * Around three libharu 2.3 defects: the font is subset with HarfBuzz
 * first (small glyph ids, small files; libharu drops composite glyph
 * components above id 32767 and embeds full loca/hmtx/cmap tables), the
 * ToUnicode CMap libharu writes for its UTF-8 encoder is replaced by a
 * valid one, and text metadata is written as UTF-16BE strings.
 *
 * Characters are numbered compactly per document: the k-th distinct
 * character used is drawn as code FONT_CODE_BASE + k (the subset's cmap
 * maps that code to the character's glyph, the ToUnicode CMap maps it back
 * to the character).  libharu sizes a font's width table and CIDToGIDMap
 * by the highest code used; with Unicode codes that is U+FF0C for a
 * Chinese comma, and writing and compressing those 64K entries per
 * document cost more than everything else. */
#include "pdf/pdf.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/textenc.h"

#include <nettle/sha2.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* Code points used by the document, as a sorted list. */
static uint32_t *used_code_points(const struct doc *d, size_t *n)
{
	uint8_t *seen = xcalloc(65536 / 8, 1);
	size_t count = 0;
	for (size_t p = 0; p < d->npages; p++) {
		const struct page *pg = &d->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			if (pg->items[i].kind != IT_TEXT)
				continue;
			const char *s = pg->items[i].text;
			while (*s) {
				unsigned cp = utf8_next(&s);
				if (cp > 0xFFFF)
					continue;
				if (!(seen[cp >> 3] & (1u << (cp & 7)))) {
					seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
					count++;
				}
			}
		}
	}
	/* always present, so that a document without text still has a font */
	if (!(seen[' ' >> 3] & (1u << (' ' & 7)))) {
		seen[' ' >> 3] |= (uint8_t)(1u << (' ' & 7));
		count++;
	}
	uint32_t *cps = xmalloc(sizeof *cps * count);
	size_t k = 0;
	for (uint32_t cp = 0; cp < 65536; cp++)
		if (seen[cp >> 3] & (1u << (cp & 7)))
			cps[k++] = cp;
	free(seen);
	*n = k;
	return cps;
}

/* The compact code of a character: FONT_CODE_BASE + its index in cps. */
static unsigned code_of(const uint32_t *cps, size_t n, unsigned cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cps[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return FONT_CODE_BASE + (unsigned)(lo < n ? lo : 0);
}

/* Text as the sequence of compact codes, UTF-8 encoded for libharu. */
static void to_codes(const char *text, const uint32_t *cps, size_t n,
		     struct buf *out)
{
	buf_reset(out);
	while (*text) {
		char u[4];
		int k = utf8_put(u, code_of(cps, n, utf8_next(&text)));
		buf_add(out, u, (size_t)k);
	}
}

/* libharu's UTF-8 encoder makes the CID the code (Identity-H), so the
 * ToUnicode map takes each compact code back to its character. */
static void write_tounicode(HPDF_Font font, const uint32_t *cps, size_t n)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (!tu || !tu->stream)
		return;
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "/CIDInit /ProcSet findresource begin\n"
		     "12 dict begin\nbegincmap\n"
		     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		     "/Supplement 0 >> def\n"
		     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		     "1 begincodespacerange\n<0000> <FFFF>\n"
		     "endcodespacerange\n");
	/* runs of consecutive characters (digits, letters) as ranges: codes
	 * are consecutive by construction; a range stays within one last
	 * byte of code and of character, as CMaps require */
	size_t *run = xmalloc(sizeof *run * (n + 1)), nr = 0, nc = 0;
	for (size_t i = 0; i < n; ) {
		size_t j = i + 1;
		while (j < n && cps[j] == cps[j - 1] + 1 &&
		       ((FONT_CODE_BASE + j) >> 8) == ((FONT_CODE_BASE + i) >> 8) &&
		       (cps[j] >> 8) == (cps[i] >> 8))
			j++;
		run[nr++] = i;
		if (j - i > 1)
			nc++;
		i = j;
	}
	run[nr] = n;
	for (int pass = 0; pass < 2; pass++) {   /* ranges, then singles */
		size_t left = pass ? nr - nc : nc;
		for (size_t r = 0; r < nr; ) {
			size_t k = left < 100 ? left : 100, done = 0;
			if (k == 0)
				break;
			buf_printf(&b, "%zu %s\n", k, pass ? "beginbfchar" :
				   "beginbfrange");
			for (; r < nr && done < k; r++) {
				size_t i = run[r], len = run[r + 1] - i;
				if ((len > 1) == pass)
					continue;
				if (pass)
					buf_printf(&b, "<%04X> <%04X>\n",
						   (unsigned)(FONT_CODE_BASE + i),
						   (unsigned)cps[i]);
				else
					buf_printf(&b, "<%04X> <%04X> <%04X>\n",
						   (unsigned)(FONT_CODE_BASE + i),
						   (unsigned)(FONT_CODE_BASE + i +
							      len - 1),
						   (unsigned)cps[i]);
				done++;
			}
			buf_adds(&b, pass ? "endbfchar\n" : "endbfrange\n");
			left -= done;
		}
	}
	free(run);
	buf_adds(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
		     "end\nend\n");
	HPDF_MemStream_FreeData(tu->stream);
	HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data,
			  (HPDF_UINT)b.len);
	buf_free(&b);
}

/* libharu 2.3 builds a font's widths and CIDToGIDMap, for its UTF-8
 * encoder, by looking up the glyph of each of the 65,536 BMP code points:
 * half of a run's CPU time.  For any other CMap encoder it looks up only
 * the codes the encoder's cid_map lists.  So while the font is created the
 * encoder is made to look like a plain CMap encoder listing the code
 * points this document uses (CID = Unicode, as libharu's UTF-8 encoder
 * has it), and is given back its UTF-8 decoder right after.  Row 0 of
 * cid_map doubles as the UTF-8 decoder's state, which it re-initialises
 * at the start of every text, so clearing it is harmless. */
struct encoder_patch {
	HPDF_Encoder enc;
	HPDF_Encoder_ToUnicode_Func saved;
};

static void narrow_encoder(HPDF_Doc pdf, const uint32_t *cps, size_t n,
			   struct encoder_patch *p)
{
	p->enc = HPDF_GetEncoder(pdf, "UTF-8");
	if (!p->enc || !p->enc->attr)
		return;
	HPDF_CMapEncoderAttr attr = p->enc->attr;
	(void)cps;
	memset(attr->cid_map, 0, sizeof attr->cid_map);
	for (size_t i = 0; i <= n; i++) {      /* and the sentinel */
		unsigned code = FONT_CODE_BASE + (unsigned)i;
		attr->cid_map[code >> 8][code & 0xFF] = (HPDF_UINT16)code;
		attr->unicode_map[code >> 8][code & 0xFF] = (HPDF_UNICODE)code;
	}
	p->saved = p->enc->to_unicode_fn;
	p->enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
}

static void restore_encoder(struct encoder_patch *p)
{
	if (p->enc && p->saved)
		p->enc->to_unicode_fn = p->saved;
}

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

/* The ICC profile of the output intent: icc-profiles-free's sRGB (v2). */
#define SRGB_ICC "/usr/share/color/icc/sRGB.icc"

/* The profile, read once per process (NULL if it cannot be read). */
static const unsigned char *srgb_profile(size_t *len)
{
	static unsigned char *data;
	static size_t n;
	static int tried;
	if (!tried) {
		tried = 1;
		FILE *f = fopen(SRGB_ICC, "rb");
		if (f) {
			unsigned char buf[65536];
			n = fread(buf, 1, sizeof buf, f);
			if (n >= 128 && n < sizeof buf && !ferror(f) &&
			    memcmp(buf + 36, "acsp", 4) == 0) {
				data = xmalloc(n);
				memcpy(data, buf, n);
			}
			fclose(f);
		}
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
 * 6.6.2.3), and the PDF/A identification: part 2, conformance B. */
static void write_xmp(HPDF_Doc pdf, const struct doc *d)
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
	HPDF_Dict md = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (md) {
		md->filter = HPDF_STREAM_FILTER_NONE;   /* readable as is */
		HPDF_Dict_AddName(md, "Type", "Metadata");
		HPDF_Dict_AddName(md, "Subtype", "XML");
		HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)b.data,
				  (HPDF_UINT)b.len);
		HPDF_Dict_Add(pdf->catalog, "Metadata", md);
	}
	buf_free(&b);
}

/* The sRGB output intent: what the DeviceRGB and DeviceGray colours of
 * the pages mean (PDF/A-2 6.2.3).  Returns -1 without the profile. */
static int write_output_intent(HPDF_Doc pdf)
{
	size_t n;
	const unsigned char *icc = srgb_profile(&n);
	if (!icc)
		return -1;
	HPDF_Dict prof = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	HPDF_Dict oi = HPDF_Dict_New(pdf->mmgr);
	HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
	if (!prof || !oi || !arr)
		return -1;
	prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Dict_AddNumber(prof, "N", 3);
	HPDF_Stream_Write(prof->stream, icc, (HPDF_UINT)n);
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
	char line[160];
	int k = snprintf(line, sizeof line, "%ld %zu\n", (long)d->created,
			 d->npages);
	sha256_update(&h, (size_t)k, (const uint8_t *)line);
	for (size_t p = 0; p < d->npages; p++) {
		const struct page *pg = &d->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			const struct item *it = &pg->items[i];
			k = snprintf(line, sizeof line,
				     "%d %.2f %.2f %.2f %.2f %.2f %.3f %06x %d\n",
				     it->kind, it->x, it->y, it->w, it->h,
				     it->size, it->gray, it->rgb, it->bold);
			sha256_update(&h, (size_t)k, (const uint8_t *)line);
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

/* The embedded font is three quarters of a PDF's bytes: it alone is
 * compressed harder (zlevel.c), which pays for the output intent's
 * profile and the XMP packet.  libharu creates the FontFile2 stream in the
 * CIDFont's before_write_fn and writes it as a later object, right after
 * calling the stream's own before_write_fn: hooks on both ask for the
 * higher level for that one stream.  One document at a time per process
 * (workers are processes), so the saved function can be static. */
static HPDF_Dict_BeforeWriteFunc cid_before_write;

static HPDF_STATUS font_file_hook(HPDF_Dict dict)
{
	(void)dict;
	svcbill_deflate_next = SVCBILL_DEFLATE_FONT_LEVEL;
	return HPDF_OK;
}

static HPDF_STATUS cid_font_hook(HPDF_Dict cid)
{
	HPDF_STATUS st = cid_before_write ? cid_before_write(cid) : HPDF_OK;
	HPDF_Dict fd = HPDF_Dict_GetItem(cid, "FontDescriptor",
					 HPDF_OCLASS_DICT);
	HPDF_Dict ff = fd ? HPDF_Dict_GetItem(fd, "FontFile2",
					      HPDF_OCLASS_DICT) : NULL;
	if (ff && ff->stream && !ff->before_write_fn)
		ff->before_write_fn = font_file_hook;
	return st;
}

static void compress_font_harder(HPDF_Font font)
{
	HPDF_Array desc = HPDF_Dict_GetItem(font, "DescendantFonts",
					    HPDF_OCLASS_ARRAY);
	HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) :
			NULL;
	if (!cid)
		return;
	cid_before_write = cid->before_write_fn;
	cid->before_write_fn = cid_font_hook;
}

static void draw_page(HPDF_Page page, HPDF_Font font, const struct page *pg,
		      const uint32_t *cps, size_t ncps, struct buf *codes)
{
	int in_text = 0;
	for (size_t i = 0; i < pg->n; i++) {
		const struct item *it = &pg->items[i];
		if (it->kind != IT_TEXT && in_text) {
			HPDF_Page_EndText(page);
			in_text = 0;
		}
		switch (it->kind) {
		case IT_RECT:
			if (it->has_rgb)
				HPDF_Page_SetRGBFill(page,
					(HPDF_REAL)((it->rgb >> 16) & 0xFF) / 255,
					(HPDF_REAL)((it->rgb >> 8) & 0xFF) / 255,
					(HPDF_REAL)(it->rgb & 0xFF) / 255);
			else
				HPDF_Page_SetGrayFill(page, (HPDF_REAL)it->gray);
			HPDF_Page_Rectangle(page, (HPDF_REAL)it->x,
					    (HPDF_REAL)it->y, (HPDF_REAL)it->w,
					    (HPDF_REAL)it->h);
			HPDF_Page_Fill(page);
			break;
		case IT_LINE:
			HPDF_Page_SetGrayStroke(page, (HPDF_REAL)it->gray);
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->size);
			HPDF_Page_MoveTo(page, (HPDF_REAL)it->x,
					 (HPDF_REAL)it->y);
			HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->w),
					 (HPDF_REAL)(it->y + it->h));
			HPDF_Page_Stroke(page);
			break;
		case IT_TEXT:
			if (!in_text) {
				HPDF_Page_BeginText(page);
				in_text = 1;
			}
			HPDF_Page_SetFontAndSize(page, font,
						 (HPDF_REAL)it->size);
			HPDF_Page_SetGrayFill(page, (HPDF_REAL)it->gray);
			if (it->bold) {
				/* emphasis by stroking the outline too: one
				 * font face, no second font to embed */
				HPDF_Page_SetTextRenderingMode(page,
							       HPDF_FILL_THEN_STROKE);
				HPDF_Page_SetGrayStroke(page,
							(HPDF_REAL)it->gray);
				HPDF_Page_SetLineWidth(page,
						       (HPDF_REAL)(it->size * 0.04));
			}
			to_codes(it->text, cps, ncps, codes);
			HPDF_Page_TextOut(page, (HPDF_REAL)it->x,
					  (HPDF_REAL)it->y, codes->data);
			if (it->bold)
				HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
			break;
		}
	}
	if (in_text)
		HPDF_Page_EndText(page);
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

int pdf_render(const struct doc *d, unsigned char **out, size_t *len,
	       char *err, size_t errlen)
{
	struct render r = { 0, 0 };
	size_t ncps;
	uint32_t *cps = used_code_points(d, &ncps);
	unsigned char *ttf;
	size_t ttf_len;
	if (font_subset(d->font, cps, ncps, &ttf, &ttf_len) != 0) {
		free(cps);
		snprintf(err, errlen, "cannot subset the font %s",
			 d->font->path);
		return -1;
	}
	/* libharu 2.3 loads fonts only from a file name: hand it the subset
	 * through an anonymous in-memory file */
	int fd = memfd_create("svcbill-font", MFD_CLOEXEC);
	int rc = -1;
	HPDF_Doc pdf = NULL;
	if (fd < 0 || write(fd, ttf, ttf_len) != (ssize_t)ttf_len) {
		snprintf(err, errlen, "cannot stage the font subset in memory: "
			 "%s", strerror(errno));
		rc = -2;
		goto done;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	pdf = HPDF_New(on_error, &r);
	if (!pdf) {
		snprintf(err, errlen, "libharu could not start");
		goto done;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	struct encoder_patch patch = { NULL, NULL };
	narrow_encoder(pdf, cps, ncps, &patch);
	const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
	HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	restore_encoder(&patch);
	if (!font) {
		snprintf(err, errlen, "libharu cannot load the font subset "
			 "(error 0x%04X)", (unsigned)r.error);
		goto done;
	}
	write_tounicode(font, cps, ncps);
	compress_font_harder(font);
	HPDF_Page *pages = xmalloc(sizeof *pages * (d->npages + 1));
	struct buf codes;
	buf_init(&codes);
	for (size_t p = 0; p < d->npages; p++) {
		HPDF_Page page = HPDF_AddPage(pdf);
		pages[p] = page;
		HPDF_Page_SetWidth(page, (HPDF_REAL)PAGE_W);
		HPDF_Page_SetHeight(page, (HPDF_REAL)PAGE_H);
		draw_page(page, font, &d->pages[p], cps, ncps, &codes);
	}
	buf_free(&codes);
	add_outlines(pdf, d, pages);
	free(pages);
	set_metadata(pdf, d);
	pdf->pdf_version = HPDF_VER_17;
	write_xmp(pdf, d);
	if (write_output_intent(pdf) != 0) {
		snprintf(err, errlen, "cannot read the sRGB profile %s "
			 "(Debian package icc-profiles-free)", SRGB_ICC);
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
	svcbill_deflate_next = 0;
	if (pdf)
		HPDF_Free(pdf);
	if (fd >= 0)
		close(fd);
	free(ttf);
	free(cps);
	return rc;
}
