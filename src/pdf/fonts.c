/* fonts.c - see fonts.h */
#include "pdf/fonts.h"
#include "base/arena.h"
#include "base/fsio.h"
#include "base/textenc.h"

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

#define FONT_MAX_BYTES ((size_t)256 << 20)

static int open_one(struct font *f, const char *path, char *err,
		    size_t errlen)
{
	/* read through fsio, which refuses a named pipe, device or folder
	 * at once (harfbuzz would wait on a pipe for ever) */
	char *data;
	size_t len;
	if (read_file_max(path, FONT_MAX_BYTES, &data, &len) != 0) {
		snprintf(err, errlen, "%s: %s", path, errno == EISDIR ?
			 "a folder, not a font file" : errno == ENOTREG ?
			 "not a regular file (a named pipe, device or "
			 "socket)" : errno == EFBIG ?
			 "larger than 256 MiB, not a font file" :
			 "cannot read the font file");
		return -1;
	}
	hb_blob_t *blob = hb_blob_create_or_fail(data, (unsigned)len,
						 HB_MEMORY_MODE_READONLY, data,
						 free);
	if (!blob) {
		free(data);
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
	/* attach what the subsetter needs once, not per document */
	hb_face_t *pre = hb_subset_preprocess(face);
	if (pre) {
		hb_face_destroy(face);
		face = pre;
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

/* ---- writing a TrueType file with a new cmap ---------------------------- */

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < len; i += 4) {
		unsigned char w[4] = { 0, 0, 0, 0 };
		memcpy(w, p + i, len - i < 4 ? len - i : 4);
		sum += get32(w);
	}
	return sum;
}

/* A cmap with one format 4 subtable (Windows, Unicode BMP) mapping the
 * codes FONT_CODE_BASE .. FONT_CODE_BASE + n - 1 to gids[0 .. n-1]. */
static unsigned char *make_cmap(const uint16_t *gids, size_t n, size_t *len)
{
	size_t sub = 16 + 2 * 2 * 4 + 2 * n;     /* header, 2 segments, array */
	*len = 12 + sub;
	unsigned char *t = xcalloc(1, *len);
	put16(t + 0, 0);                        /* version */
	put16(t + 2, 1);                        /* one encoding record */
	put16(t + 4, 3);                        /* Windows */
	put16(t + 6, 1);                        /* Unicode BMP */
	put32(t + 8, 12);
	unsigned char *f = t + 12;
	put16(f + 0, 4);
	put16(f + 2, (unsigned)sub);
	put16(f + 4, 0);                        /* language */
	put16(f + 6, 4);                        /* segCountX2 */
	put16(f + 8, 4);                        /* searchRange */
	put16(f + 10, 1);                       /* entrySelector */
	put16(f + 12, 0);                       /* rangeShift */
	put16(f + 14, (unsigned)(FONT_CODE_BASE + n - 1));   /* endCode */
	put16(f + 16, 0xFFFF);
	put16(f + 18, 0);                       /* reservedPad */
	put16(f + 20, FONT_CODE_BASE);          /* startCode */
	put16(f + 22, 0xFFFF);
	put16(f + 24, 0);                       /* idDelta */
	put16(f + 26, 1);
	put16(f + 28, 4);                       /* idRangeOffset -> array */
	put16(f + 30, 0);
	for (size_t k = 0; k < n; k++)
		put16(f + 32 + 2 * k, gids[k]);
	return t;
}

struct table {
	char tag[4];
	const unsigned char *data;
	size_t len;
};

static int by_tag(const void *x, const void *y)
{
	return memcmp(((const struct table *)x)->tag,
		      ((const struct table *)y)->tag, 4);
}

/* Tables libharu 2.3 writes whatever the font has; it copies a missing
 * one as empty, and an empty table that starts on a 4096-byte boundary
 * of its output makes it fail (a seek to the end of a memory stream).
 * Hinting-free subsets lack them, so they get one harmless instruction
 * (SVTCA[y]) and one control value. */
static const unsigned char one_instruction[1] = { 0x00 };
static const unsigned char one_cvt[2] = { 0x00, 0x00 };

/* The subset font with its cmap replaced and the tables above added. */
static int rebuild_font(const unsigned char *in, size_t in_len,
			const unsigned char *cmap, size_t cmap_len,
			unsigned char **out, size_t *out_len)
{
	if (in_len < 12)
		return -1;
	unsigned nin = get16(in + 4);
	if (in_len < 12 + 16 * (size_t)nin)
		return -1;
	struct table *t = xmalloc(sizeof *t * (nin + 3));
	size_t n = 0;
	int has_cvt = 0, has_fpgm = 0, has_prep = 0;
	for (unsigned i = 0; i < nin; i++) {
		const unsigned char *r = in + 12 + 16 * i;
		memcpy(t[n].tag, r, 4);
		if (memcmp(r, "cmap", 4) == 0) {
			t[n].data = cmap;
			t[n].len = cmap_len;
		} else {
			size_t off = get32(r + 8), len = get32(r + 12);
			if (off > in_len || len > in_len - off) {
				free(t);
				return -1;
			}
			t[n].data = in + off;
			t[n].len = len;
		}
		has_cvt |= memcmp(r, "cvt ", 4) == 0;
		has_fpgm |= memcmp(r, "fpgm", 4) == 0;
		has_prep |= memcmp(r, "prep", 4) == 0;
		n++;
	}
	if (!has_cvt)
		t[n++] = (struct table){ "cvt ", one_cvt, sizeof one_cvt };
	if (!has_fpgm)
		t[n++] = (struct table){ "fpgm", one_instruction, 1 };
	if (!has_prep)
		t[n++] = (struct table){ "prep", one_instruction, 1 };
	qsort(t, n, sizeof *t, by_tag);
	size_t total = 12 + 16 * n;
	for (size_t i = 0; i < n; i++)
		total += (t[i].len + 3) & ~(size_t)3;
	unsigned char *o = xcalloc(1, total);
	unsigned log2n = 0;
	while ((2u << log2n) <= n)
		log2n++;
	put32(o, 0x00010000);
	put16(o + 4, (unsigned)n);
	put16(o + 6, 16u << log2n);                     /* searchRange */
	put16(o + 8, log2n);                            /* entrySelector */
	put16(o + 10, (unsigned)(16 * n - (16u << log2n)));
	size_t pos = 12 + 16 * n, head_at = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(o + pos, t[i].data, t[i].len);
		if (memcmp(t[i].tag, "head", 4) == 0 && t[i].len >= 12) {
			head_at = pos;
			put32(o + pos + 8, 0);      /* checkSumAdjustment */
		}
		unsigned char *w = o + 12 + 16 * i;
		memcpy(w, t[i].tag, 4);
		put32(w + 4, checksum(o + pos, t[i].len));
		put32(w + 8, (uint32_t)pos);
		put32(w + 12, (uint32_t)t[i].len);
		pos += (t[i].len + 3) & ~(size_t)3;
	}
	if (head_at)
		put32(o + head_at + 8, 0xB1B0AFBAu - checksum(o, total));
	free(t);
	*out = o;
	*out_len = total;
	return 0;
}

int font_subset(struct font *f, const uint32_t *cps, size_t n,
		unsigned char **out, size_t *len)
{
	if (n == 0 || n > FONT_MAX_CODES)
		return -1;
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
	/* the subset's own glyph ids, read back from its cmap */
	hb_face_t *sface = hb_face_create(blob, 0);
	hb_font_t *sf = hb_font_create(sface);
	uint16_t *gids = xmalloc(sizeof *gids * n);
	for (size_t k = 0; k < n; k++) {
		hb_codepoint_t g = 0;
		hb_font_get_nominal_glyph(sf, cps[k], &g);
		gids[k] = (uint16_t)g;
	}
	hb_font_destroy(sf);
	hb_face_destroy(sface);
	unsigned blen;
	const char *data = hb_blob_get_data(blob, &blen);
	/* one more code, to glyph 0: libharu 2.3 leaves the highest code of
	 * a font out of its widths and CIDToGIDMap (an off-by-one), so the
	 * highest is made one that is never drawn */
	gids = xrealloc(gids, sizeof *gids * (n + 1));
	gids[n] = 0;
	size_t cmap_len;
	unsigned char *cmap = make_cmap(gids, n + 1, &cmap_len);
	int rc = data && blen ? rebuild_font((const unsigned char *)data, blen,
					     cmap, cmap_len, out, len) : -1;
	free(cmap);
	free(gids);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	return rc;
}
