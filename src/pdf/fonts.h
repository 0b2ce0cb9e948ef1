/* fonts.h - the CJK TrueType font: finding it, its metrics for layout, and
 * subsets of it for embedding (HarfBuzz hb-subset).
 *
 * The PDFs embed subsets made here (hb-subset) as they are: libharu's own
 * TrueType loader is not used (pdf.c writes the font objects). */
#ifndef SVCBILL_FONTS_H
#define SVCBILL_FONTS_H

#include <stddef.h>
#include <stdint.h>

struct font {
	char *path;
	void *blob, *face, *hbfont;     /* HarfBuzz objects */
	void *glyph_face;               /* face's six tables a subset needs */
	unsigned upem;
	uint16_t *adv;                  /* BMP advance /1000 em, lazily */
	double ascent, descent;         /* per 1 pt of size (descent < 0) */
	/* for the PDF's FontDescriptor, in thousandths of an em */
	int bbox[4], cap_height;
	char psname[64];                /* PostScript name, [A-Za-z0-9-] */
};

#define FONT_ADV_UNKNOWN 0xFFFF
#define FONT_ADV_MISSING 0xFFFE

/* The default font paths tried, NULL-terminated. */
extern const char *const font_default_paths[];

/* Opens path, or the first default font that exists when path is NULL.
 * On failure returns -1 with a message in err naming what was tried. */
int font_open(struct font *f, const char *path, char *err, size_t errlen);
void font_close(struct font *f);

/* The advance of a BMP code point not looked up yet (adv[cp] is
 * FONT_ADV_UNKNOWN), now noted in adv: font_advance's slow path. */
unsigned font_advance_fill(struct font *f, unsigned cp);

/* The advance of code point cp in thousandths of an em, truncated as
 * layout measures it (and as the PDF's /W widths say), or FONT_ADV_MISSING.
 * These three are inline: layout asks them of every character it cleans,
 * measures and wraps (three million calls in a month of 200 invoices). */
static inline unsigned font_advance(struct font *f, unsigned cp)
{
	if (cp > 0xFFFF)
		return FONT_ADV_MISSING;
	unsigned a = f->adv[cp];
	return a != FONT_ADV_UNKNOWN ? a : font_advance_fill(f, cp);
}

/* 1 when the font draws code point cp (BMP only: CIDs and the ToUnicode
 * maps are written for the BMP). */
static inline int font_has(struct font *f, unsigned cp)
{
	return font_advance(f, cp) != FONT_ADV_MISSING;
}

static inline double font_char_width(struct font *f, unsigned cp,
				     double size)
{
	unsigned a = font_advance(f, cp);
	return a == FONT_ADV_MISSING ? size * 0.5 : a * size / 1000.0;
}

/* Width of UTF-8 text at size pt. */
double font_width(struct font *f, const char *text, double size);

/* A subset of the font for embedding as a CIDFontType2 whose CIDs are the
 * subset's glyph ids (/CIDToGIDMap /Identity): data is a TrueType font
 * program with only the tables such a font needs (glyf, loca, head, hhea,
 * hmtx, maxp); cid[k] is the glyph id of cps[k] in it.  cps must be sorted,
 * unique, and drawn by the font (font_has).  0, or -1 if HarfBuzz failed. */
struct subset {
	unsigned char *data;
	size_t len;
	uint16_t *cid;
};
int font_subset(struct font *f, const uint32_t *cps, size_t n,
		struct subset *out);
void subset_free(struct subset *s);

#endif
