/* layout.h - documents as display lists: text runs, rules and boxes placed
 * on A4 pages, measured with the font's metrics.  Documents (invoice,
 * sheets, summary) are laid out here without libharu; pdf.c draws them.
 *
 * Coordinates are PDF points, origin bottom-left.  Layout is not money:
 * doubles are fine here. */
#ifndef SVCBILL_LAYOUT_H
#define SVCBILL_LAYOUT_H

#include <stddef.h>

#include "base/arena.h"
#include "base/date.h"
#include "pdf/fonts.h"

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 42.0
#define MARGIN_TOP 42.0
#define MARGIN_BOTTOM 54.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)

enum item_kind { IT_TEXT, IT_LINE, IT_RECT };
enum align { AL_LEFT, AL_RIGHT, AL_CENTER };

struct item {
	int kind;
	double x, y, w, h;          /* text: baseline start; line: to x+w,y+h */
	double size;                /* text size, or line width */
	double gray;                /* 0 black .. 1 white */
	unsigned rgb;               /* rectangles: 0xRRGGBB when has_rgb */
	int has_rgb;
	int bold;
	const char *text;
};

struct page {
	struct item *items;
	size_t n, cap;
};

struct doc;
typedef void (*page_fn)(struct doc *d, void *ctx);

struct doc {
	struct arena *a;
	struct font *font;
	struct page *pages;
	size_t npages, cap;
	size_t cur;                 /* page that drawing goes to */
	double y;                   /* cursor: top of the free space */
	page_fn on_new_page;        /* running header of continuation pages */
	void *on_new_page_ctx;
	const char *footer_left;    /* e.g. the invoice number */
	/* The characters of the run's shared font of this document kind
	 * (pdf.c): the text its kind prints whatever the month's data, a
	 * function of the program and the issuer only, so that a document
	 * drawn again in a later run is byte-identical.  NULL: one font of
	 * the document's own characters. */
	const char *run_text;
	/* metadata */
	const char *title, *author, *subject, *keywords;
	day_t created;
	struct outline { const char *title; size_t page; } *outlines;
	size_t noutlines, capoutlines;
};

void doc_init(struct doc *d, struct font *f, struct arena *a);
void doc_free(struct doc *d);
void doc_new_page(struct doc *d);
/* Starts a new page when less than h points remain above the footer. */
void doc_ensure(struct doc *d, double h);
void doc_outline(struct doc *d, const char *title);

/* What doc_clean does to a character (docs/undrawable.c tells the user
 * of each cell it changes): CHAR_DRAWN, CHAR_SPACE (a tab or line
 * break: white space), CHAR_LEFT_OUT (a control, zero-width or bidi
 * character) or CHAR_QUESTION_MARK (the font has no glyph for it). */
enum { CHAR_DRAWN, CHAR_SPACE, CHAR_LEFT_OUT, CHAR_QUESTION_MARK };
int doc_char_fate(struct font *f, unsigned cp);

/* The head of a record sheet or summary: the title (zh 18 pt, en 10 pt
 * under it) on the left; on the right the issuer's name (9 pt bold) and
 * a second line (8 pt, gray).  A name too wide for the room the title
 * leaves, or with line breaks, takes more lines, right-aligned, and the
 * head grows by them (a long name overlapped the title and ran off the
 * page).  Returns the y of the rule under the head. */
double doc_head(struct doc *d, const char *title_zh, const char *title_en,
		const char *issuer, const char *second);

/* Text made drawable: control and bidi characters dropped, characters the
 * font lacks replaced by '?'.  Result in the doc's arena. */
const char *doc_clean(struct doc *d, const char *s);
/* The same for wrapped text: a line break of the value (CRLF, CR or LF)
 * is kept as one '\n', which doc_wrap breaks the line at. */
const char *doc_clean_breaks(struct doc *d, const char *s);

/* Place one run.  x is the left edge (AL_LEFT), right edge (AL_RIGHT) or
 * centre (AL_CENTER).  Text must be clean. */
void doc_text(struct doc *d, double x, double y, double size, int bold,
	      double gray, int align, const char *text);
void doc_line(struct doc *d, double x1, double y1, double x2, double y2,
	      double width, double gray);
void doc_rect(struct doc *d, double x, double y, double w, double h,
	      double gray);
/* A filled rectangle in colour (charts). */
void doc_rect_rgb(struct doc *d, double x, double y, double w, double h,
		  unsigned rgb);
/* A stroked rectangle (boxes to sign in). */
void doc_box(struct doc *d, double x, double y, double w, double h,
	     double width, double gray);

/* Break clean text into lines no wider than width at size, at the
 * break opportunities of Unicode line breaking (UAX #14, libunibreak) with
 * the Chinese rules of 避头尾, never inside a run of ASCII graphic
 * characters (ids, serials, dates, amounts); a line feed is a forced break.
 * A run longer than the line is cut.  Returns the count; lines in the
 * arena. */
size_t doc_wrap(struct doc *d, const char *text, double width, double size,
		const char ***lines);

/* The same with any measure (char_w(ctx, cp) is a character's width);
 * *cut (may be NULL) is set when a run had to be cut. */
typedef double (*wrap_width_fn)(void *ctx, unsigned cp);
size_t wrap_text(const char *text, double width, wrap_width_fn char_w,
		 void *ctx, struct arena *a, const char ***lines, int *cut);
/* 避头尾: characters no line may start with / end with. */
int wrap_no_line_start(unsigned cp);
int wrap_no_line_end(unsigned cp);

/* A text block wrapped to width at the cursor; moves the cursor down. */
void doc_para(struct doc *d, double x, double width, double size, int bold,
	      double gray, const char *text);

/* Tables: a header row (Chinese over English) repeated on every page, rows
 * whose cells hold a main text and an optional smaller second text, both
 * wrapped to the column. */
struct col {
	const char *zh, *en;
	double width;
	int align;
};

struct cell {
	const char *main, *sub;     /* sub may be NULL */
	int bold;
	double shade;               /* row background, 0 = none */
};

typedef void (*cell_fn)(void *ctx, size_t row, int col, struct cell *out);

void doc_table(struct doc *d, const struct col *cols, int ncols,
	       size_t nrows, cell_fn cell, void *ctx, double size);

/* The run text of a document kind (struct doc's run_text), in the arena:
 * printable ASCII, the characters of amounts in words, common Chinese
 * punctuation, the page footer, the labels ls (both languages), the
 * column headings cols and the strings extra (the issuer's).  Only
 * program text and the issuer: never the month's data. */
struct issuer;
const char *doc_run_text(struct doc *d, const int *ls, size_t nl,
			 const struct col *cols, size_t ncols,
			 const char *const *extra, size_t ne);

/* "第 1 页 / 共 3 页  Page 1 of 3" on every page. */
void doc_finish(struct doc *d);

#ifdef TESTING
/* layout.c's helpers, reachable from the unit tests (base/testing.h). */
int is_dropped(unsigned cp);
const char *clean(struct doc *d, const char *s, int keep_breaks);
int ascii_graphic(unsigned cp);
size_t wrap_cell(struct doc *d, const char *text, double width, double *size,
		 const char ***lines);
void lb_stand_init(void);
void lb_breaks(const char *text, size_t tlen, const unsigned *cps,
	       const size_t *off, size_t n, char *brk);
#endif

#endif
