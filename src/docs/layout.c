/* layout.c - see layout.h */
#include "docs/layout.h"
#include "bill/labels.h"
#include "base/buf.h"
#include "base/testing.h"
#include "base/textenc.h"
#include "base/vec.h"

#include <linebreak.h>
#include <linebreakdef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void doc_init(struct doc *d, struct font *f, struct arena *a)
{
	memset(d, 0, sizeof *d);
	d->a = a;
	d->font = f;
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->npages; i++)
		free(d->pages[i].items);
	free(d->pages);
	free(d->outlines);
	d->pages = NULL;
	d->outlines = NULL;
	d->npages = d->cap = d->noutlines = d->capoutlines = 0;
}

void doc_new_page(struct doc *d)
{
	VEC_GROW(d->pages, d->npages + 1, d->cap);
	memset(&d->pages[d->npages++], 0, sizeof(struct page));
	d->cur = d->npages - 1;
	d->y = PAGE_H - MARGIN_TOP;
	if (d->on_new_page && d->npages > 1)
		d->on_new_page(d, d->on_new_page_ctx);
}

void doc_ensure(struct doc *d, double h)
{
	if (d->npages == 0 || d->y - h < MARGIN_BOTTOM)
		doc_new_page(d);
}

void doc_outline(struct doc *d, const char *title)
{
	VEC_GROW(d->outlines, d->noutlines + 1, d->capoutlines);
	d->outlines[d->noutlines].title = doc_clean(d, title);
	d->outlines[d->noutlines].page = d->npages ? d->npages - 1 : 0;
	d->noutlines++;
}

static struct item *add_item(struct doc *d, int kind)
{
	if (d->npages == 0)
		doc_new_page(d);
	struct page *p = &d->pages[d->cur];
	VEC_GROW(p->items, p->n + 1, p->cap);
	struct item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

STATIC int is_dropped(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
	       (cp >= 0x200B && cp <= 0x200F) ||   /* zero width, LRM, RLM */
	       (cp >= 0x202A && cp <= 0x202E) ||   /* bidi embeddings */
	       (cp >= 0x2066 && cp <= 0x2069) ||   /* bidi isolates */
	       cp == 0xFEFF;
}

int doc_char_fate(struct font *f, unsigned cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return CHAR_SPACE;
	if (is_dropped(cp))
		return CHAR_LEFT_OUT;
	return font_has(f, cp) ? CHAR_DRAWN : CHAR_QUESTION_MARK;
}

/* keep_breaks: CRLF, CR and LF become one '\n' (a forced line break for
 * doc_wrap) instead of a space. */
STATIC const char *clean(struct doc *d, const char *s, int keep_breaks)
{
	if (!s)
		return "";
	/* Most texts need no change: find the first character that does
	 * before copying anything into the arena (a copy of every text of
	 * every cell before, most of them thrown away unchanged). */
	const char *p = s;
	while (*p) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c < 0x7F) {    /* never dropped */
			if (!font_has(d->font, c))
				break;
			p++;
			continue;
		}
		const char *start = p;
		unsigned cp = utf8_next(&p);
		if (is_dropped(cp) || !font_has(d->font, cp)) {
			p = start;
			break;
		}
	}
	if (!*p)
		return s;
	size_t n = strlen(s);
	char *out = arena_alloc(d->a, n + 1), *o = out;
	memcpy(out, s, (size_t)(p - s));
	o += p - s;
	int changed = 0;
	while (*p) {
		const char *start = p;
		unsigned cp = utf8_next(&p);
		int fate = doc_char_fate(d->font, cp);
		if (fate == CHAR_SPACE || fate == CHAR_LEFT_OUT) {
			if (keep_breaks && (cp == '\n' || cp == '\r')) {
				*o++ = '\n';
				if (cp == '\r' && *p == '\n')
					p++;
			} else if (cp == '\t' || cp == '\n' || cp == '\r') {
				*o++ = ' ';
			}
			changed = 1;
			continue;
		}
		if (fate == CHAR_QUESTION_MARK) {
			*o++ = '?';
			changed = 1;
			continue;
		}
		memcpy(o, start, (size_t)(p - start));
		o += p - start;
	}
	*o = '\0';
	return changed ? out : s;
}

const char *doc_clean(struct doc *d, const char *s)
{
	return clean(d, s, 0);
}

const char *doc_clean_breaks(struct doc *d, const char *s)
{
	return clean(d, s, 1);
}

void doc_text(struct doc *d, double x, double y, double size, int bold,
	      double gray, int align, const char *text)
{
	if (!text || !text[0])
		return;
	double w = font_width(d->font, text, size);
	struct item *it = add_item(d, IT_TEXT);
	it->x = align == AL_RIGHT ? x - w : align == AL_CENTER ? x - w / 2 : x;
	it->y = y;
	it->w = w;
	it->size = size;
	it->bold = bold;
	it->gray = gray;
	it->text = arena_strdup(d->a, text);   /* callers pass stack buffers */
}

void doc_line(struct doc *d, double x1, double y1, double x2, double y2,
	      double width, double gray)
{
	struct item *it = add_item(d, IT_LINE);
	it->x = x1;
	it->y = y1;
	it->w = x2 - x1;
	it->h = y2 - y1;
	it->size = width;
	it->gray = gray;
}

void doc_rect(struct doc *d, double x, double y, double w, double h,
	      double gray)
{
	struct item *it = add_item(d, IT_RECT);
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	it->gray = gray;
}

void doc_rect_rgb(struct doc *d, double x, double y, double w, double h,
		  unsigned rgb)
{
	doc_rect(d, x, y, w, h, 0);
	struct item *it = &d->pages[d->cur].items[d->pages[d->cur].n - 1];
	it->rgb = rgb;
	it->has_rgb = 1;
}

void doc_box(struct doc *d, double x, double y, double w, double h,
	     double width, double gray)
{
	doc_line(d, x, y, x + w, y, width, gray);
	doc_line(d, x + w, y, x + w, y + h, width, gray);
	doc_line(d, x + w, y + h, x, y + h, width, gray);
	doc_line(d, x, y + h, x, y, width, gray);
}

/* ---- line breaking ------------------------------------------------------
 * Break opportunities are UAX #14's, from libunibreak (with its Chinese
 * tailoring: “ ” ‘ ’ open and close), then tightened:
 *  - 避头尾: no line starts with closing or pausing punctuation and none
 *    ends with an opening mark, whatever the class tables say;
 *  - between two ASCII graphic characters there is no break, so that ids,
 *    serials, dates and amounts (DF-PC-01, INV-202612-0001, 2026-12-31,
 *    1,344.00) stay whole: ASCII text breaks at spaces only.
 * A run wider than the line is cut only as a last resort (the caller is
 * told, and tables shrink the type instead). */

/* The two sets below as bits of the BMP, made on first use: wrap_text
 * asks of every character at a break opportunity, and a search of the
 * lists was a third of its own time. */
static uint8_t no_start_bits[65536 / 8], no_end_bits[65536 / 8];

static int in_set(unsigned cp, uint8_t *bits, const unsigned *set, size_t n)
{
	if (!bits[0]) {         /* bit 0 (U+0000, in no set) marks it made */
		for (size_t i = 0; i < n; i++)
			bits[set[i] >> 3] |= (uint8_t)(1u << (set[i] & 7));
		bits[0] |= 1;
	}
	return cp > 0 && cp <= 0xFFFF && (bits[cp >> 3] >> (cp & 7) & 1);
}

int wrap_no_line_start(unsigned cp)
{
	static const unsigned set[] = {
		0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, /* ，。、；：？！ */
		0x300D, 0x300F, 0x3011, 0xFF09, 0x201D, 0x2019,  /* 」』】）”’ */
		0x300B, 0x3009, 0x3015, 0x3017, 0x3019, 0x301B,  /* 》〉〕〗〙〛 */
		0xFF3D, 0xFF5D, 0xFF0E, 0x2026, 0x2025, 0x30FB,  /* ］｝．…‥・ */
		0x3005, 0x30FC, 0xFF05, 0x2030, 0x2103, 0x00B0,  /* 々ー％‰℃° */
		',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
	};
	return in_set(cp, no_start_bits, set, sizeof set / sizeof set[0]);
}

int wrap_no_line_end(unsigned cp)
{
	static const unsigned set[] = {
		0xFF08, 0x300C, 0x300E, 0x3010, 0x201C, 0x2018,  /* （「『【“‘ */
		0x300A, 0x3008, 0x3014, 0x3016, 0x3018, 0x301A,  /* 《〈〔〖〘〚 */
		0xFF3B, 0xFF5B, 0x00A5, 0xFFE5,                  /* ［｛¥￥ */
		'(', '[', '{',
	};
	return in_set(cp, no_end_bits, set, sizeof set / sizeof set[0]);
}

STATIC int ascii_graphic(unsigned cp)
{
	return cp > 0x20 && cp < 0x7F;
}

/* ---- break opportunities, quickly ---------------------------------------
 * libunibreak 1.1 finds a character's line breaking class by a linear
 * search of its table (lb_prop_default, ~1,950 ranges, indexed by 40
 * buckets searched linearly too): some 200 instructions for a Chinese
 * character, most of the time of breaking an invoice's lines.  Its rules
 * read nothing of a character but its class (and U+FFFF, its end of
 * text), so each BMP character is handed to it as a stand-in of the same
 * class that its search finds at once.  The classes come from the tables
 * it exports, searched as it searches them (its "zh" tailoring first,
 * then the default ranges); the stand-ins are where its index buckets
 * start (init_linebreak: 40 of len / 40 ranges), which only makes them
 * cheap: any member of the class would give the same breaks. */

#define LB_INDEX_SIZE 40        /* libunibreak 1.1's LINEBREAK_INDEX_SIZE */

/* the class of each BMP character, and the stand-in of each class (the
 * character itself for a class without one: lb_cls[cp] == 255) */
static uint8_t lb_cls[65536];
static utf32_t lb_rep[256];
static int lb_ready;

/* The tailoring of lang as set_linebreaks picks it, or NULL. */
static const struct LineBreakProperties *lb_lang(const char *lang)
{
	for (const struct LineBreakPropertiesLang *l = lb_prop_lang_map;
	     l->lang; l++)
		if (strncmp(lang, l->lang, l->namelen) == 0)
			return l->lbp;
	return NULL;
}

/* cls[cp] = the class of each BMP character as libunibreak finds it:
 * the first range holding it, LBP_XX in none; the tailoring's first,
 * unless it says LBP_XX. */
static void lb_fill(uint8_t *cls, const struct LineBreakProperties *t,
		    int keep_xx)
{
	size_t n = 0;
	while (t[n].prop != LBP_Undefined)
		n++;
	for (size_t j = n; j-- > 0;) {         /* the first range wins */
		if (t[j].start > 0xFFFF || (!keep_xx && t[j].prop == LBP_XX))
			continue;
		utf32_t end = t[j].end > 0xFFFF ? 0xFFFF : t[j].end;
		for (utf32_t cp = t[j].start; cp <= end; cp++)
			cls[cp] = (uint8_t)t[j].prop;
	}
}

STATIC void lb_stand_init(void)
{
	if (lb_ready)
		return;
	uint8_t *cls = lb_cls;
	memset(cls, LBP_XX, 65536);
	lb_fill(cls, lb_prop_default, 1);
	const struct LineBreakProperties *zh = lb_lang("zh");
	size_t nzh = 0;
	if (zh) {
		lb_fill(cls, zh, 0);
		while (zh[nzh].prop != LBP_Undefined)
			nzh++;
	}
	/* the cheapest range start of each class: the search walks the
	 * tailoring's ranges up to the character, the buckets up to its
	 * bucket, then the bucket's ranges up to its range */
	size_t len = 0;
	while (lb_prop_default[len].prop != LBP_Undefined)
		len++;
	size_t step = len / LB_INDEX_SIZE ? len / LB_INDEX_SIZE : 1;
	uint32_t cost[256];
	for (int c = 0; c < 256; c++) {
		lb_rep[c] = UINT32_MAX;
		cost[c] = UINT32_MAX;
	}
	for (size_t j = 0; j < len; j++) {
		utf32_t cp = lb_prop_default[j].start;
		if (cp >= 0xFFFF || cls[cp] != lb_prop_default[j].prop)
			continue;
		size_t k = j / step < LB_INDEX_SIZE ? j / step :
			   LB_INDEX_SIZE - 1;
		size_t z = 0;
		while (z < nzh && zh[z].start <= cp)
			z++;
		uint32_t c = (uint32_t)(z + k + (j - k * step));
		if (c < cost[cls[cp]]) {
			cost[cls[cp]] = c;
			lb_rep[cls[cp]] = cp;
		}
	}
	for (size_t z = 0; z < nzh; z++) {     /* classes only tailored */
		utf32_t cp = zh[z].start;
		if (cp < 0xFFFF && cls[cp] == zh[z].prop &&
		    lb_rep[cls[cp]] == UINT32_MAX)
			lb_rep[cls[cp]] = cp;
	}
	/* a class without a stand-in (none in 1.1's tables) and U+FFFF,
	 * its end of text, go as they are */
	for (uint32_t cp = 0; cp < 65536; cp++)
		if (lb_rep[cls[cp]] == UINT32_MAX)
			cls[cp] = 255;
	cls[0xFFFF] = 255;
	lb_rep[255] = UINT32_MAX;
	lb_ready = 1;
}

/* The break after each of the n characters of text (cps[i], at byte
 * off[i]; off[n] is tlen), as set_linebreaks_utf8 gives it for the last
 * byte of the character, into brk[0..n-1]: through the stand-ins when
 * text is UTF-8 both decoders read alike, else from the text itself. */
STATIC void lb_breaks(const char *text, size_t tlen, const unsigned *cps,
		      const size_t *off, size_t n, char *brk)
{
	int plain = 1;
	for (size_t i = 0; i < n && plain; i++) {
		unsigned char c = (unsigned char)text[off[i]];
		size_t want = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 :
			      c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
		plain = want == off[i + 1] - off[i] && cps[i] != 0xFFFF;
	}
	if (!plain) {
		char *ub = xmalloc(tlen + 1);
		set_linebreaks_utf8((const utf8_t *)text, tlen, "zh", ub);
		for (size_t i = 0; i < n; i++)
			brk[i] = ub[off[i + 1] - 1];
		free(ub);
		return;
	}
	lb_stand_init();
	utf32_t *u = xmalloc(sizeof *u * (n + 1));
	for (size_t i = 0; i < n; i++)
		u[i] = cps[i] <= 0xFFFF && lb_cls[cps[i]] != 255 ?
		       lb_rep[lb_cls[cps[i]]] : cps[i];
	set_linebreaks_utf32(u, n, "zh", brk);
	free(u);
}

struct wctx {
	struct font *f;
	double size;
};

static double wctx_width(void *ctx, unsigned cp)
{
	struct wctx *c = ctx;
	return font_char_width(c->f, cp, c->size);
}

/* char_w(ctx, cp), the font's own widths inline rather than called
 * through the pointer (wrap_text measures every character of every
 * cell): the same function, the same value */
static inline double char_width(wrap_width_fn char_w, void *ctx, unsigned cp)
{
	if (char_w == wctx_width) {
		const struct wctx *c = ctx;
		return font_char_width(c->f, cp, c->size);
	}
	return char_w(ctx, cp);
}

size_t wrap_text(const char *text, double width, wrap_width_fn char_w,
		 void *ctx, struct arena *a, const char ***lines_out, int *cut)
{
	static int ready;
	if (!ready) {
		init_linebreak();
		ready = 1;
	}
	size_t len = strlen(text);
	if (cut)
		*cut = 0;
	/* A text that fits and has no forced break is its own one line,
	 * less its trailing spaces: what the search below finds too, since
	 * widths are never negative (most table cells; the line break
	 * analysis was a third of laying out an invoice). */
	double total = 0;
	int forced = 0;
	for (const char *p = text; *p && !forced;) {
		unsigned cp = utf8_next(&p);
		forced = cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C ||
			 cp == 0x85 || cp == 0x2028 || cp == 0x2029;
		total += char_width(char_w, ctx, cp);
	}
	if (!forced && total <= width) {
		size_t end = len;
		while (end > 0 && text[end - 1] == ' ')
			end--;
		const char **out = arena_alloc(a, sizeof *out);
		out[0] = end ? arena_strndup(a, text, end) : "";
		*lines_out = out;
		return 1;
	}
	/* code points, their widths, byte offsets and the break after each
	 * (one block; each width measured once, however often the search
	 * below passes the character) */
	double *cw = xmalloc((sizeof *cw + sizeof(size_t) + sizeof(unsigned) +
			      2) * (len + 1));
	size_t *off = (size_t *)(cw + len + 1);
	unsigned *cps = (unsigned *)(off + len + 1);
	char *brk = (char *)(cps + len + 1), *ub = brk + len + 1;
	size_t n = 0;
	for (const char *p = text; *p; n++) {
		off[n] = (size_t)(p - text);
		cps[n] = utf8_next(&p);
		cw[n] = char_width(char_w, ctx, cps[n]);
	}
	off[n] = len;
	lb_breaks(text, len, cps, off, n, ub);
	for (size_t i = 0; i < n; i++) {
		char b = ub[i];
		if (b == LINEBREAK_ALLOWBREAK && i + 1 < n &&
		    (wrap_no_line_start(cps[i + 1]) || wrap_no_line_end(cps[i]) ||
		     (ascii_graphic(cps[i]) && ascii_graphic(cps[i + 1]))))
			b = LINEBREAK_NOBREAK;
		/* the end of the text is not a forced break */
		brk[i] = i + 1 == n && b == LINEBREAK_MUSTBREAK &&
			 cps[i] != '\n' ? LINEBREAK_ALLOWBREAK : b;
	}
	size_t cap = 0, nl = 0;
	const char **lines = NULL;
	size_t i = 0;
	while (i < n) {
		size_t start = i, end = n, next = n;   /* [start, end) */
		size_t last = SIZE_MAX;                /* break after last */
		double w = 0;
		for (; i < n; i++) {
			if (cps[i] != '\n' && cps[i] != '\r')
				w += cw[i];
			if (w > width && i > start && !(cps[i] == ' ')) {
				if (last != SIZE_MAX) {
					end = next = last + 1;
				} else {
					/* cut a run, still not before a
					 * closing or after an opening mark
					 * where that can be helped */
					size_t j = i;
					while (j > start + 1 &&
					       (wrap_no_line_start(cps[j]) ||
						wrap_no_line_end(cps[j - 1])))
						j--;
					end = next = j > start + 1 ||
						     !(wrap_no_line_start(cps[j]) ||
						       wrap_no_line_end(cps[j - 1])) ?
						     j : i;
					if (cut)
						*cut = 1;
				}
				break;
			}
			if (brk[i] == LINEBREAK_MUSTBREAK) {
				end = i;
				next = i + 1;
				break;
			}
			if (brk[i] == LINEBREAK_ALLOWBREAK)
				last = i;
		}
		/* spaces and line feeds at the end of a line are not drawn */
		while (end > start && (cps[end - 1] == ' ' || cps[end - 1] == '\n' ||
				       cps[end - 1] == '\r'))
			end--;
		while (next < n && cps[next] == ' ')
			next++;
		VEC_GROW(lines, nl + 1, cap);
		lines[nl++] = arena_strndup(a, text + off[start],
					    off[end] - off[start]);
		i = next;
	}
	if (nl == 0) {
		VEC_GROW(lines, 1, cap);
		lines[nl++] = "";
	}
	const char **out = arena_alloc(a, sizeof *out * nl);
	memcpy(out, lines, sizeof *out * nl);
	free(lines);
	free(cw);
	*lines_out = out;
	return nl;
}

size_t doc_wrap(struct doc *d, const char *text, double width, double size,
		const char ***lines_out)
{
	struct wctx c = { d->font, size };
	return wrap_text(text, width, wctx_width, &c, d->a, lines_out, NULL);
}

void doc_para(struct doc *d, double x, double width, double size, int bold,
	      double gray, const char *text)
{
	const char **lines;
	size_t n = doc_wrap(d, doc_clean_breaks(d, text), width, size,
			    &lines);
	double lh = size * 1.35;
	for (size_t i = 0; i < n; i++) {
		doc_ensure(d, lh);
		doc_text(d, x, d->y - size, size, bold, gray, AL_LEFT,
			 lines[i]);
		d->y -= lh;
	}
}

/* ---- tables ------------------------------------------------------------ */

#define CELL_PAD 3.0
#define SUB_RATIO 0.86
struct wrapped {
	const char **main, **sub;
	size_t nmain, nsub;
	double msize, ssize;        /* type sizes, smaller for a long run */
	int bold;
};

/* Text wrapped to a cell: a run too long for the column (a long serial)
 * is set in smaller type, down to half, rather than broken inside; only
 * beyond that is it cut. */
STATIC size_t wrap_cell(struct doc *d, const char *text, double width,
			double *size, const char ***lines)
{
	double s0 = *size;
	for (;;) {
		struct wctx c = { d->font, *size };
		int cut;
		size_t n = wrap_text(text, width, wctx_width, &c, d->a, lines,
				     &cut);
		if (!cut || *size * 0.94 < s0 * 0.5)
			return n;
		*size *= 0.94;
	}
}

static double table_header(struct doc *d, const struct col *cols, int ncols,
			   double size)
{
	double hs = size * 0.92;
	double h = hs * 1.3 * 2 + CELL_PAD * 2;
	double x = MARGIN_X, top = d->y;
	doc_rect(d, MARGIN_X, top - h, CONTENT_W, h, 0.90);
	for (int c = 0; c < ncols; c++) {
		const struct col *k = &cols[c];
		double tx = k->align == AL_RIGHT ? x + k->width - CELL_PAD :
			    k->align == AL_CENTER ? x + k->width / 2 :
			    x + CELL_PAD;
		doc_text(d, tx, top - CELL_PAD - hs, hs, 1, 0, k->align, k->zh);
		doc_text(d, tx, top - CELL_PAD - hs * 2.3, hs * SUB_RATIO, 0,
			 0.35, k->align, k->en);
		x += k->width;
	}
	doc_line(d, MARGIN_X, top - h, MARGIN_X + CONTENT_W, top - h, 0.8, 0);
	d->y -= h;
	return h;
}

/* The lines of a wrapped cell from line `from` on (its main lines, then
 * its sub lines) that fit in `room` points; their height into *used. */
static size_t lines_fitting(const struct wrapped *w, size_t from,
			    double room, double *used)
{
	size_t n = w->nmain + w->nsub, k = from;
	double h = 0;
	while (k < n) {
		double lh = (k < w->nmain ? w->msize : w->ssize) * 1.3;
		if (h + lh > room + 0.01)
			break;
		h += lh;
		k++;
	}
	*used = h;
	return k;
}

/* Lines [from[c], to[c]) of each column, from the top of a part of a row
 * h points high. */
static void draw_row_part(struct doc *d, const struct col *cols, int ncols,
			  const struct wrapped *w, const size_t *from,
			  const size_t *to, double h, double shade)
{
	double top = d->y, x = MARGIN_X;
	if (shade > 0)
		doc_rect(d, MARGIN_X, top - h, CONTENT_W, h, shade);
	for (int c = 0; c < ncols; c++) {
		const struct col *k = &cols[c];
		double tx = k->align == AL_RIGHT ? x + k->width - CELL_PAD :
			    k->align == AL_CENTER ? x + k->width / 2 :
			    x + CELL_PAD;
		double y = top - CELL_PAD;
		for (size_t i = from[c]; i < to[c]; i++) {
			int sub = i >= w[c].nmain;
			double s = sub ? w[c].ssize : w[c].msize;
			doc_text(d, tx, y - s, s, sub ? 0 : w[c].bold, sub ? 0.35 : 0,
				 k->align, sub ? w[c].sub[i - w[c].nmain] :
				 w[c].main[i]);
			y -= s * 1.3;
		}
		x += k->width;
	}
	doc_line(d, MARGIN_X, top - h, MARGIN_X + CONTENT_W, top - h, 0.3, 0.7);
	d->y -= h;
}

/* A row taller than a page: as many of its lines as fit on each page,
 * the header repeated above the rest (before, the lines below a page's
 * height were not drawn, and a cell was cut at 60 lines with a '…':
 * text of the spreadsheet missing from the bill without a word). */
static void tall_row(struct doc *d, const struct col *cols, int ncols,
		     const struct wrapped *w, size_t *from, size_t *to,
		     double shade, double size)
{
	memset(from, 0, sizeof *from * (size_t)ncols);
	double lh = size * 1.3;
	for (;;) {
		double room = d->y - MARGIN_BOTTOM - CELL_PAD * 2;
		if (room < lh * 2) {      /* as doc_table reserved */
			doc_new_page(d);
			table_header(d, cols, ncols, size);
			continue;
		}
		double h = 0;
		int more = 0;
		for (int c = 0; c < ncols; c++) {
			double used;
			to[c] = lines_fitting(&w[c], from[c], room, &used);
			if (used > h)
				h = used;
			more |= to[c] < w[c].nmain + w[c].nsub;
		}
		draw_row_part(d, cols, ncols, w, from, to, h + CELL_PAD * 2,
			      shade);
		if (!more)
			break;
		memcpy(from, to, sizeof *from * (size_t)ncols);
		doc_new_page(d);
		table_header(d, cols, ncols, size);
	}
}

void doc_table(struct doc *d, const struct col *cols, int ncols,
	       size_t nrows, cell_fn cell, void *ctx, double size)
{
	double lh = size * 1.3;
	double header_h = size * 0.92 * 1.3 * 2 + CELL_PAD * 2;
	doc_ensure(d, header_h + lh * 2 + CELL_PAD * 2);
	table_header(d, cols, ncols, size);
	struct wrapped *w = xmalloc(sizeof *w * (size_t)ncols);
	size_t *from = xmalloc(sizeof *from * (size_t)ncols * 2);
	size_t *to = from + ncols;
	/* the tallest row that fits on a page under the header */
	double max_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - header_h - 80;
	for (size_t r = 0; r < nrows; r++) {
		double h = 0, shade = 0;
		for (int c = 0; c < ncols; c++) {
			struct cell cl = { 0 };
			cell(ctx, r, c, &cl);
			double inner = cols[c].width - 2 * CELL_PAD;
			w[c].bold = cl.bold;
			if (cl.shade > 0)
				shade = cl.shade;
			w[c].msize = size;
			w[c].ssize = size * SUB_RATIO;
			w[c].nmain = wrap_cell(d, doc_clean_breaks(d, cl.main), inner,
					       &w[c].msize, &w[c].main);
			w[c].nsub = cl.sub && cl.sub[0] ?
				wrap_cell(d, doc_clean_breaks(d, cl.sub), inner,
					  &w[c].ssize, &w[c].sub) : 0;
			double ch = w[c].nmain * w[c].msize * 1.3 +
				    w[c].nsub * w[c].ssize * 1.3;
			if (ch > h)
				h = ch;
		}
		h += CELL_PAD * 2;
		if (h > max_h) {
			tall_row(d, cols, ncols, w, from, to, shade, size);
			continue;
		}
		if (d->y - h < MARGIN_BOTTOM) {
			doc_new_page(d);
			table_header(d, cols, ncols, size);
		}
		for (int c = 0; c < ncols; c++) {
			from[c] = 0;
			to[c] = w[c].nmain + w[c].nsub;
		}
		draw_row_part(d, cols, ncols, w, from, to, h, shade);
	}
	free(from);
	free(w);
}

double doc_head(struct doc *d, const char *title_zh, const char *title_en,
		const char *issuer, const char *second)
{
	double right = MARGIN_X + CONTENT_W, top = d->y;
	doc_text(d, MARGIN_X, top - 18, 18, 1, 0, AL_LEFT, title_zh);
	doc_text(d, MARGIN_X, top - 31, 10, 0, 0.35, AL_LEFT, title_en);
	double tw = font_width(d->font, title_zh, 18);
	double ew = font_width(d->font, title_en, 10);
	double room = right - MARGIN_X - (tw > ew ? tw : ew) - 24;
	/* at most HEAD_LINES lines, in smaller type down to 6 pt first: the
	 * page's body must stay on the page (a name of hundreds of
	 * characters, or lines, ends in '…' here; the invoice's issuer
	 * block shows it whole) */
	enum { HEAD_LINES = 4 };
	const char *name = doc_clean_breaks(d, issuer), **lines;
	double size = 9;
	size_t n = doc_wrap(d, name, room, size, &lines);
	while (n > HEAD_LINES && size > 6) {
		size -= 0.5;
		n = doc_wrap(d, name, room, size, &lines);
	}
	if (n > HEAD_LINES) {
		n = HEAD_LINES;
		lines[n - 1] = arena_printf(d->a, "%s…", lines[n - 1]);
		while (font_width(d->font, lines[n - 1], size) > room) {
			/* the last line's last character off, before the '…' */
			char *l = (char *)lines[n - 1];
			size_t k = strlen(l) - strlen("…"), j = k;
			if (j == 0)
				break;
			do          /* back to the character's first byte */
				j--;
			while (j > 0 && ((unsigned char)l[j] & 0xC0) == 0x80);
			memmove(l + j, l + k, strlen(l + k) + 1);
		}
	}
	double lh = size * 11 / 9;
	for (size_t i = 0; i < n; i++)
		doc_text(d, right, top - 12 - lh * (double)i, size, 1, 0,
			 AL_RIGHT, lines[i]);
	double more = lh * (double)(n - 1);
	doc_text(d, right, top - 24 - more, 8, 0, 0.35, AL_RIGHT, second);
	return top - 40 - more;
}

void doc_finish(struct doc *d)
{
	size_t n = d->npages;
	for (size_t i = 0; i < n; i++) {
		d->cur = i;
		const char *zh, *en;
		const char *const args[5] = { arena_printf(d->a, "%zu", i + 1),
					      arena_printf(d->a, "%zu", n),
					      "", "", "" };
		label_fill(d->a, L_PAGE_OF, args, &zh, &en);
		char *s = arena_printf(d->a, "%s  %s", zh, en);
		doc_line(d, MARGIN_X, MARGIN_BOTTOM - 14,
			 MARGIN_X + CONTENT_W, MARGIN_BOTTOM - 14, 0.4, 0.6);
		doc_text(d, PAGE_W / 2, MARGIN_BOTTOM - 28, 8, 0, 0.3,
			 AL_CENTER, s);
		if (d->footer_left) {
			/* a long id gets smaller type, not the page number's
			 * place */
			double room = PAGE_W / 2 - font_width(d->font, s, 8) / 2 -
				      MARGIN_X - 8;
			double w = font_width(d->font, d->footer_left, 8);
			doc_text(d, MARGIN_X, MARGIN_BOTTOM - 28,
				 w > room ? 8 * room / w : 8, 0, 0.3, AL_LEFT,
				 d->footer_left);
		}
	}
	d->cur = n ? n - 1 : 0;
}

/* Characters nearly every document prints whatever its data: ASCII
 * letters, digits and the common punctuation.  Each character here costs
 * its glyph in every document, so the rarer ones (other ASCII signs, the
 * figures of amounts in words) are left to the documents' own fonts. */
static const char run_alphabet[] =
	" %'(),-./0123456789:;ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	"abcdefghijklmnopqrstuvwxyz，。：（）元";

/* A label's text without its printf arguments ("%1$s"; "%%" is '%'). */
static void run_add(struct buf *b, const char *s)
{
	while (*s) {
		if (s[0] == '%' && s[1] >= '1' && s[1] <= '9' && s[2] == '$' &&
		    s[3] == 's') {
			s += 4;
			continue;
		}
		if (s[0] == '%' && s[1] == '%')
			s++;
		buf_addc(b, *s++);
	}
}

const char *doc_run_text(struct doc *d, const int *ls, size_t nl,
			 const struct col *cols, size_t ncols,
			 const char *const *extra, size_t ne)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, run_alphabet);
	const struct bilingual *page = label(L_PAGE_OF);
	run_add(&b, page->zh);
	run_add(&b, page->en);
	for (size_t i = 0; i < nl; i++) {
		run_add(&b, label((enum label)ls[i])->zh);
		run_add(&b, label((enum label)ls[i])->en);
	}
	for (size_t i = 0; i < ncols; i++) {
		buf_adds(&b, cols[i].zh);
		buf_adds(&b, cols[i].en);
	}
	for (size_t i = 0; i < ne; i++)
		if (extra[i])
			buf_adds(&b, extra[i]);
	const char *s = arena_strndup(d->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}
