/* fonts.h - the CJK TrueType font: finding it, its metrics for layout, and
 * subsets of it for embedding (HarfBuzz hb-subset).
 *
 * Subsetting before libharu sees the font is what makes the PDFs right and
 * small: glyph ids of the subset are small (libharu 2.3 drops composite
 * glyph components above 32767), and only the used glyphs are embedded. */
#ifndef SVCBILL_FONTS_H
#define SVCBILL_FONTS_H

#include <stddef.h>
#include <stdint.h>

struct font {
	char *path;
	void *blob, *face, *hbfont;     /* HarfBuzz objects */
	unsigned upem;
	uint16_t *adv;                  /* BMP advance /1000 em, lazily */
	double ascent, descent;         /* per 1 pt of size (descent < 0) */
};

#define FONT_ADV_UNKNOWN 0xFFFF
#define FONT_ADV_MISSING 0xFFFE

/* The default font paths tried, NULL-terminated. */
extern const char *const font_default_paths[];

/* Opens path, or the first default font that exists when path is NULL.
 * On failure returns -1 with a message in err naming what was tried. */
int font_open(struct font *f, const char *path, char *err, size_t errlen);
void font_close(struct font *f);

/* 1 when the font draws code point cp (BMP only: libharu's UTF-8 encoder
 * handles the BMP). */
int font_has(struct font *f, unsigned cp);
/* Width of UTF-8 text at size pt. */
double font_width(struct font *f, const char *text, double size);
double font_char_width(struct font *f, unsigned cp, double size);

/* A TrueType subset holding the glyphs of the given code points, whose
 * cmap maps code point FONT_CODE_BASE + k to the glyph of cps[k] (not to
 * cps[k]): documents number their characters compactly (see pdf.c).
 * FONT_CODE_BASE + n maps to glyph 0, a sentinel (see fonts.c).
 * cps must be sorted and unique, n < FONT_MAX_CODES.  malloc'd bytes. */
#define FONT_CODE_BASE 0x20
#define FONT_MAX_CODES (0xD800 - FONT_CODE_BASE)
int font_subset(struct font *f, const uint32_t *cps, size_t n,
		unsigned char **out, size_t *len);

#endif
