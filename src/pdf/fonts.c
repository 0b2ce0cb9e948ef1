/* fonts.c - see fonts.h */
#include "pdf/fonts.h"
#include "base/arena.h"
#include "base/fsio.h"
#include "base/textenc.h"

#include <hb.h>
#include <hb-ot.h>
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

#define FONT_MAX_BYTES ((size_t)256 << 20)

/* The tables a CIDFontType2 font program needs (PDF 32000-1 9.9: glyf,
 * loca, head, hhea, hmtx, maxp; cvt, fpgm and prep only with hinting,
 * which is dropped). */
static const hb_tag_t kept_tables[] = {
	HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
	HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
	HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
};

/* The face subsets are made from: the font's own face seen through these
 * six tables only (no copy).  The subsetter then has nothing else to
 * carry over or drop (no cmap, GSUB, GPOS or name to close over), which
 * makes one subset about 0.05 ms from the first one on, without
 * hb_subset_preprocess (180-250 ms of CPU per run for WenQuanYi Micro
 * Hei, paid by every run however few documents it writes).  The subsets
 * are byte-identical to those of the whole face with the other tables
 * dropped (the way it was done before). */
static hb_blob_t *kept_table(hb_face_t *view, hb_tag_t tag, void *whole)
{
	(void)view;
	for (size_t k = 0; k < sizeof kept_tables / sizeof kept_tables[0]; k++)
		if (tag == kept_tables[k])
			return hb_face_reference_table(whole, tag);
	return NULL;
}

static void *glyph_tables_view(hb_face_t *whole)
{
	hb_face_t *view = hb_face_create_for_tables(kept_table,
			hb_face_reference(whole),
			(hb_destroy_func_t)hb_face_destroy);
	hb_face_set_upem(view, hb_face_get_upem(whole));
	hb_face_set_glyph_count(view, hb_face_get_glyph_count(whole));
	return view;
}

static int16_t s16(const char *p)
{
	return (int16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

/* What the PDF's FontDescriptor says of the font: its bounding box (head),
 * cap height (OS/2, else the ascent) and PostScript name (name 6, else
 * the file name), in thousandths of an em. */
static void descriptor_metrics(struct font *f)
{
	hb_face_t *face = f->face;
	hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a',
								'd'));
	unsigned len;
	const char *h = hb_blob_get_data(head, &len);
	int upem = (int)f->upem;
	if (h && len >= 54 && upem > 0)
		for (int i = 0; i < 4; i++)
			f->bbox[i] = s16(h + 36 + 2 * i) * 1000 / upem;
	hb_blob_destroy(head);
	hb_position_t cap;
	f->cap_height = hb_ot_metrics_get_position(f->hbfont,
			HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && upem > 0 ?
			(int)(cap * 1000 / upem) : (int)(f->ascent * 1000);
	char name[64];
	unsigned n = sizeof name;
	if (!hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
				 HB_LANGUAGE_INVALID, &n, name))
		snprintf(name, sizeof name, "%s", f->path);
	/* a PDF name without escapes: letters, digits and '-' only */
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < sizeof f->psname; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-')
			f->psname[k++] = *p;
	if (k == 0)
		memcpy(f->psname, "Font", 5);
	else
		f->psname[k] = '\0';
}

struct mapping {
	const void *data;
	size_t len;
};

static void unmap(void *p)
{
	struct mapping *m = p;
	unmap_file(m->data, m->len);
	free(m);
}

static int open_one(struct font *f, const char *path, char *err,
		    size_t errlen)
{
	/* through fsio, which refuses a named pipe, device or folder at
	 * once (harfbuzz would wait on a pipe for ever); mapped, not read:
	 * a run needs a few pages of a font of megabytes */
	const void *data;
	size_t len;
	if (map_file_max(path, FONT_MAX_BYTES, &data, &len) != 0) {
		snprintf(err, errlen, "%s: %s", path, errno == EISDIR ?
			 "a folder, not a font file" : errno == ENOTREG ?
			 "not a regular file (a named pipe, device or "
			 "socket)" : errno == EFBIG ?
			 "larger than 256 MiB, not a font file" :
			 errno == EINVAL ? "empty, not a font file" :
			 "cannot read the font file");
		return -1;
	}
	struct mapping *m = xmalloc(sizeof *m);
	*m = (struct mapping){ data, len };
	hb_blob_t *blob = hb_blob_create_or_fail(data, (unsigned)len,
						 HB_MEMORY_MODE_READONLY, m,
						 unmap);
	if (!blob) {
		unmap(m);
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
	f->glyph_face = glyph_tables_view(face);
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
	descriptor_metrics(f);
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
	hb_face_destroy(f->glyph_face);
	free(f->adv);
	free(f->path);
	memset(f, 0, sizeof *f);
}

unsigned font_advance_fill(struct font *f, unsigned cp)
{
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

double font_width(struct font *f, const char *text, double size)
{
	unsigned total = 0;
	const char *p = text;
	while (*p) {
		unsigned a = font_advance(f, utf8_next(&p));
		total += a == FONT_ADV_MISSING ? 500 : a;
	}
	return total * size / 1000.0;
}

/* ---- subsets ------------------------------------------------------------ */

int font_subset(struct font *f, const uint32_t *cps, size_t n,
		struct subset *out)
{
	memset(out, 0, sizeof *out);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in)
		return -1;
	/* no hinting: viewers rarely use TrueType instructions, and they
	 * are a sixth of the glyph data */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	/* glyphs, not characters: the subset needs no cmap, as the PDF
	 * names glyphs by CID = glyph id */
	hb_set_t *gs = hb_subset_input_glyph_set(in);
	hb_codepoint_t *gid = xmalloc(sizeof *gid * (n ? n : 1));
	for (size_t k = 0; k < n; k++) {
		gid[k] = 0;
		hb_font_get_nominal_glyph(f->hbfont, cps[k], &gid[k]);
		hb_set_add(gs, gid[k]);
	}
	hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(f->glyph_face, in);
	hb_subset_input_destroy(in);
	hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	int rc = -1;
	if (sub) {
		const hb_map_t *map =
			hb_subset_plan_old_to_new_glyph_mapping(plan);
		out->cid = xmalloc(sizeof *out->cid * (n ? n : 1));
		for (size_t k = 0; k < n; k++) {
			hb_codepoint_t g = hb_map_get(map, gid[k]);
			out->cid[k] = g == HB_MAP_VALUE_INVALID ? 0 :
				      (uint16_t)g;
		}
		hb_blob_t *blob = hb_face_reference_blob(sub);
		unsigned blen;
		const char *data = hb_blob_get_data(blob, &blen);
		if (data && blen) {
			out->data = xmalloc(blen);
			memcpy(out->data, data, blen);
			out->len = blen;
			rc = 0;
		}
		hb_blob_destroy(blob);
		hb_face_destroy(sub);
	}
	if (plan)
		hb_subset_plan_destroy(plan);
	free(gid);
	if (rc)
		subset_free(out);
	return rc;
}

void subset_free(struct subset *s)
{
	free(s->data);
	free(s->cid);
	memset(s, 0, sizeof *s);
}
