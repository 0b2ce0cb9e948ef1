/* fonts.c - see fonts.h */
#include "fonts.h"
#include "arena.h"
#include "textenc.h"

#include <hb.h>
#include <hb-subset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const font_default_paths[] = {
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	NULL,
};

static int open_one(struct font *f, const char *path, char *err,
		    size_t errlen)
{
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s: cannot read the font file", path);
		return -1;
	}
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	if (!blob) {
		snprintf(err, errlen, "%s: cannot read the font file", path);
		return -1;
	}
	hb_face_t *face = hb_face_create(blob, 0);
	hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y',
								'f'));
	unsigned glyf_len = hb_blob_get_length(glyf);
	hb_blob_destroy(glyf);
	if (glyf_len == 0) {
		snprintf(err, errlen, "%s: not a TrueType-outline font (libharu "
			 "cannot embed CFF fonts such as Noto Sans CJK; use "
			 "WenQuanYi Micro Hei, AR PL UMing or Droid Sans "
			 "Fallback)", path);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
		return -1;
	}
	hb_font_t *font = hb_font_create(face);
	/* the labels need Chinese: a Latin-only font would print '?' */
	static const unsigned probe[] = { 0x53D1, 0x7968, 0x91D1, 0x989D,
					  0x58F9, 0x8D30 };   /* 发票金额壹贰 */
	for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
		hb_codepoint_t gid;
		if (!hb_font_get_nominal_glyph(font, probe[i], &gid)) {
			snprintf(err, errlen, "%s: the font has no Chinese "
				 "characters (it needs 发票金额壹贰 at least)",
				 path);
			hb_font_destroy(font);
			hb_face_destroy(face);
			hb_blob_destroy(blob);
			return -1;
		}
	}
	f->path = xstrdup(path);
	f->blob = blob;
	f->face = face;
	f->hbfont = font;
	f->upem = hb_face_get_upem(face);
	hb_font_set_scale(font, (int)f->upem, (int)f->upem);
	f->adv = xmalloc(sizeof *f->adv * 65536);
	for (size_t i = 0; i < 65536; i++)
		f->adv[i] = FONT_ADV_UNKNOWN;
	hb_font_extents_t ext;
	if (hb_font_get_h_extents(font, &ext)) {
		f->ascent = (double)ext.ascender / f->upem;
		f->descent = (double)ext.descender / f->upem;
	} else {
		f->ascent = 0.88;
		f->descent = -0.12;
	}
	return 0;
}

int font_open(struct font *f, const char *path, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	if (path)
		return open_one(f, path, err, errlen);
	for (int i = 0; font_default_paths[i]; i++)
		if (access(font_default_paths[i], R_OK) == 0)
			return open_one(f, font_default_paths[i], err, errlen);
	size_t n = (size_t)snprintf(err, errlen, "no CJK TrueType font found; "
				    "tried");
	for (int i = 0; font_default_paths[i] && n < errlen; i++)
		n += (size_t)snprintf(err + n, errlen - n, " %s",
				      font_default_paths[i]);
	if (n < errlen)
		snprintf(err + n, errlen - n, " (install fonts-wqy-microhei, "
			 "or give --font FILE)");
	return -1;
}

void font_close(struct font *f)
{
	if (!f->face)
		return;
	hb_font_destroy(f->hbfont);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f->adv);
	free(f->path);
	memset(f, 0, sizeof *f);
}

static unsigned advance(struct font *f, unsigned cp)
{
	if (cp > 0xFFFF)
		return FONT_ADV_MISSING;
	if (f->adv[cp] != FONT_ADV_UNKNOWN)
		return f->adv[cp];
	hb_codepoint_t gid;
	unsigned a = FONT_ADV_MISSING;
	if (hb_font_get_nominal_glyph(f->hbfont, cp, &gid))
		a = (unsigned)(hb_font_get_glyph_h_advance(f->hbfont, gid) *
			       1000 / (int)f->upem);
	if (a >= FONT_ADV_MISSING)
		a = FONT_ADV_MISSING;
	f->adv[cp] = (uint16_t)a;
	return a;
}

int font_has(struct font *f, unsigned cp)
{
	return advance(f, cp) != FONT_ADV_MISSING;
}

double font_char_width(struct font *f, unsigned cp, double size)
{
	unsigned a = advance(f, cp);
	return a == FONT_ADV_MISSING ? size * 0.5 : a * size / 1000.0;
}

double font_width(struct font *f, const char *text, double size)
{
	unsigned total = 0;
	const char *p = text;
	while (*p) {
		unsigned a = advance(f, utf8_next(&p));
		total += a == FONT_ADV_MISSING ? 500 : a;
	}
	return total * size / 1000.0;
}

int font_subset(struct font *f, const uint32_t *cps, size_t n,
		unsigned char **out, size_t *len)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in)
		return -1;
	/* no hinting: viewers rarely use TrueType instructions, and they
	 * are a sixth of the glyph data */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	hb_set_t *set = hb_subset_input_unicode_set(in);
	for (size_t i = 0; i < n; i++)
		hb_set_add(set, cps[i]);
	hb_face_t *sub = hb_subset_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	if (!sub)
		return -1;
	hb_blob_t *blob = hb_face_reference_blob(sub);
	unsigned blen;
	const char *data = hb_blob_get_data(blob, &blen);
	int rc = -1;
	if (data && blen) {
		*out = xmalloc(blen);
		memcpy(*out, data, blen);
		*len = blen;
		rc = 0;
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	return rc;
}
