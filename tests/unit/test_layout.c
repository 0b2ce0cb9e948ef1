/* Line breaking: UAX #14 through libunibreak, 避头尾, ids kept whole.
 * Widths are counted in characters (every character 1 wide), so each
 * expected split can be worked out by hand. */
#include "harness.h"
#include "base/arena.h"
#include "docs/layout.h"
#include "base/textenc.h"

#include <linebreak.h>
#include <linebreakdef.h>

static double one(void *ctx, unsigned cp)
{
	(void)ctx;
	(void)cp;
	return 1;
}

/* The lines of text wrapped at width, joined with '|'. */
static const char *wrap(struct arena *a, const char *text, double width,
			int *cut)
{
	const char **l;
	size_t n = wrap_text(text, width, one, NULL, a, &l, cut);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(l[i]) + 1;
	char *s = arena_alloc(a, len + 1), *p = s;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "|" : "", l[i]);
	*p = '\0';
	return s;
}

TEST(wrap_closing_marks_never_start_a_line)
{
	struct arena a = { 0 };
	/* naive: 甲乙丙|，丁戊 -- the comma goes with 丙 */
	CHECK_STR(wrap(&a, "甲乙丙，丁戊", 3, NULL), "甲乙|丙，丁|戊");
	CHECK_STR(wrap(&a, "甲乙丙。丁戊", 3, NULL), "甲乙|丙。丁|戊");
	CHECK_STR(wrap(&a, "甲乙丙、丁戊", 3, NULL), "甲乙|丙、丁|戊");
	CHECK_STR(wrap(&a, "甲乙丙：丁戊", 3, NULL), "甲乙|丙：丁|戊");
	CHECK_STR(wrap(&a, "甲乙丙；丁戊", 3, NULL), "甲乙|丙；丁|戊");
	CHECK_STR(wrap(&a, "甲乙丙？丁戊", 3, NULL), "甲乙|丙？丁|戊");
	CHECK_STR(wrap(&a, "甲乙丙！丁戊", 3, NULL), "甲乙|丙！丁|戊");
	CHECK_STR(wrap(&a, "「甲乙」丙", 3, NULL), "「甲|乙」丙");
	CHECK_STR(wrap(&a, "『甲乙』丙", 3, NULL), "『甲|乙』丙");
	CHECK_STR(wrap(&a, "【甲乙】丙", 3, NULL), "【甲|乙】丙");
	CHECK_STR(wrap(&a, "（甲乙）丙", 3, NULL), "（甲|乙）丙");
	/* quotation marks: Chinese tailoring, ” closes */
	CHECK_STR(wrap(&a, "说“甲乙”丙", 4, NULL), "说“甲|乙”丙");
	arena_free(&a);
}

TEST(wrap_opening_marks_never_end_a_line)
{
	struct arena a = { 0 };
	/* naive: 甲乙（|丙丁） */
	CHECK_STR(wrap(&a, "甲乙（丙丁）", 3, NULL), "甲乙|（丙|丁）");
	CHECK_STR(wrap(&a, "甲乙「丙丁」", 3, NULL), "甲乙|「丙|丁」");
	CHECK_STR(wrap(&a, "甲乙『丙丁』", 3, NULL), "甲乙|『丙|丁』");
	CHECK_STR(wrap(&a, "甲乙【丙丁】", 3, NULL), "甲乙|【丙|丁】");
	CHECK_STR(wrap(&a, "甲乙“丙丁”", 3, NULL), "甲乙|“丙|丁”");
	arena_free(&a);
}

/* Every width from 2 to 30 over a sentence full of marks: no line starts
 * with a closing mark or ends with an opening one, unless a run wider
 * than the line had to be cut (「完」， is 4 wide: at 3 it cannot stay
 * whole). */
TEST(wrap_punctuation_at_every_width)
{
	static const char *const text =
		"客户（甲方）说：“本账单不是发票。”【附件】『备注』「完」，"
		"再见！请于 2026-12-31 前付款（开票后 30 天内），谢谢；好？";
	struct arena a = { 0 };
	for (int w = 2; w <= 30; w++) {
		const char **l;
		int cut;
		size_t n = wrap_text(text, w, one, NULL, &a, &l, &cut);
		for (size_t i = 0; i < n; i++) {
			const char *p = l[i];
			unsigned first = utf8_next(&p), cp = first;
			while (*p)
				cp = utf8_next(&p);
			if (cut)
				continue;
			if (i > 0 && wrap_no_line_start(first))
				FAIL("width %d: line '%s' starts with a closing "
				     "mark", w, l[i]);
			if (i + 1 < n && wrap_no_line_end(cp))
				FAIL("width %d: line '%s' ends with an opening "
				     "mark", w, l[i]);
		}
		if (w >= 10 && cut)
			FAIL("width %d: cut a run", w);
	}
	arena_free(&a);
}

TEST(wrap_keeps_ids_dates_amounts_whole)
{
	struct arena a = { 0 };
	int cut;
	/* UAX #14 alone breaks after a hyphen before a letter: DF-|PC-01 */
	CHECK_STR(wrap(&a, "设备 DF-PC-01 故障", 9, &cut), "设备|DF-PC-01|故障");
	CHECK_INT(cut, 0);
	CHECK_STR(wrap(&a, "到期 2026-12-31", 10, &cut), "到期|2026-12-31");
	CHECK_STR(wrap(&a, "金额 1,344.00 元", 8, &cut), "金额|1,344.00|元");
	CHECK_STR(wrap(&a, "a/b c-d", 4, &cut), "a/b|c-d");
	CHECK_INT(cut, 0);
	/* too long for any line: cut, and the caller is told */
	CHECK_STR(wrap(&a, "SN000000000007", 8, &cut), "SN000000|000007");
	CHECK_INT(cut, 1);
	/* English breaks at spaces */
	CHECK_STR(wrap(&a, "Please pay by the date", 10, &cut),
		  "Please pay|by the|date");
	CHECK_INT(cut, 0);
	arena_free(&a);
}

TEST(wrap_line_feed_is_a_forced_break)
{
	struct arena a = { 0 };
	CHECK_STR(wrap(&a, "第一行\n第二行", 40, NULL), "第一行|第二行");
	CHECK_STR(wrap(&a, "a\r\nb", 40, NULL), "a|b");
	CHECK_STR(wrap(&a, "", 40, NULL), "");
	arena_free(&a);
}

/* An id inside Chinese text breaks before and after it, never inside. */
TEST(wrap_id_inside_chinese)
{
	struct arena a = { 0 };
	int cut;
	/* 合同 (2) + H-2026-06 (9) + 到期 (2): at 9 the id fills a line */
	CHECK_STR(wrap(&a, "合同H-2026-06到期", 9, &cut), "合同|H-2026-06|到期");
	CHECK_INT(cut, 0);
	/* the invoice number and its amount stay whole, the 号 after it is
	 * not a closing mark and may start a line */
	CHECK_STR(wrap(&a, "账单INV-202612-0001号", 15, &cut),
		  "账单|INV-202612-0001|号");
	CHECK_INT(cut, 0);
	/* the amount stays whole; 元 (not a closing mark) may start a line */
	CHECK_STR(wrap(&a, "合计¥1,344.00元", 10, &cut), "合计|¥1,344.00元");
	CHECK_INT(cut, 0);
	arena_free(&a);
}

/* A run cut as a last resort still keeps a closing mark off the start of
 * a line and an opening mark off its end, where it can. */
TEST(wrap_cut_respects_marks)
{
	struct arena a = { 0 };
	int cut;
	/* ABCDEF, at 3: ABC, then DEF, would be 4: the comma takes F along */
	CHECK_STR(wrap(&a, "ABCDEF,", 3, &cut), "ABC|DE|F,");
	CHECK_INT(cut, 1);
	/* A(BC at 2: A( would end with an opening mark */
	CHECK_STR(wrap(&a, "A(BC", 2, &cut), "A|(B|C");
	CHECK_INT(cut, 1);
	/* a line of nothing but marks cannot be helped: cut where it is */
	CHECK_STR(wrap(&a, "，，，", 2, &cut), "，，|，");
	arena_free(&a);
}

/* Spaces at a break are not drawn, at the end of a line or the start of
 * the next. */
TEST(wrap_spaces_at_breaks_dropped)
{
	struct arena a = { 0 };
	CHECK_STR(wrap(&a, "ab   cd", 3, NULL), "ab|cd");
	CHECK_STR(wrap(&a, "ab \n cd", 40, NULL), "ab|cd");
	arena_free(&a);
}

/* ---- the layout's helpers (TESTING build, base/testing.h) ------------ */

/* The breaks wrap_text takes from libunibreak through stand-ins of each
 * character's class (lb_breaks) are the ones libunibreak gives the text
 * itself: texts of characters from the start and end of every range of
 * its table (every class, and the tailored quotation marks), with spaces,
 * line ends, CJK and ASCII around them, in random order; and a few with
 * bytes that are not UTF-8 (the fallback, as is U+FFFF, libunibreak's
 * end of text, left out here: it leaves the rest of its answer unset). */
TEST(layout_breaks_through_stand_ins)
{
	init_linebreak();
	unsigned pool[8192];
	size_t np = 0;
	for (const struct LineBreakProperties *t = lb_prop_default;
	     t->prop != LBP_Undefined && np + 2 <= 8000; t++) {
		if (t->start >= 0xFFFF || t->start == 0)
			continue;
		pool[np++] = t->start;
		pool[np++] = t->end < 0xFFFF ? t->end : 0xFFFD;
	}
	const unsigned extra[] = { ' ', ' ', '\n', '\r', '\t', 0x4E2D, 0x6587,
				   'a', 'Z', '1', '-', ',', '.', 0xFF0C, 0x3002,
				   0x2018, 0x2019, 0x201C, 0x201D, 0x10000,
				   0x1F600 };
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		pool[np++] = extra[i];
	CHECK(np > 1000);
	uint64_t x = 88172645463325252u;        /* xorshift64 */
	char text[200], ub[200], brk[200];
	unsigned cps[60];
	size_t off[61];
	int bad = 0, cases = 0;
	for (int k = 0; k < 40000 && bad < 5; k++) {
		size_t len = 0, n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t want = 1 + x % 40;
		while (n < want) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			len += (size_t)utf8_put(text + len, pool[x % np]);
			n++;
		}
		if (k % 1000 == 999)    /* not UTF-8: a lone continuation */
			text[len++] = (char)0x80;
		text[len] = '\0';
		n = 0;
		for (const char *p = text; *p; n++) {
			off[n] = (size_t)(p - text);
			cps[n] = utf8_next(&p);
		}
		off[n] = len;
		set_linebreaks_utf8((const utf8_t *)text, len, "zh", ub);
		lb_breaks(text, len, cps, off, n, brk);
		cases++;
		for (size_t i = 0; i < n; i++)
			if (brk[i] != ub[off[i + 1] - 1]) {
				FAIL("break after character %zu of case %d "
				     "(U+%04X): %d, libunibreak %d", i, k,
				     cps[i], brk[i], ub[off[i + 1] - 1]);
				bad++;
				break;
			}
	}
	CHECK_INT(cases, 40000);
}

TEST(layout_dropped_characters)
{
	static const struct { unsigned cp; int dropped; } c[] = {
		{ 0x00, 1 }, { '\t', 1 }, { '\n', 1 }, { 0x1F, 1 },
		{ ' ', 0 }, { '~', 0 }, { 0x7F, 1 }, { 0x85, 1 }, { 0x9F, 1 },
		{ 0xA0, 0 }, { 0x200A, 0 }, { 0x200B, 1 }, { 0x200F, 1 },
		{ 0x2010, 0 }, { 0x2029, 0 }, { 0x202A, 1 }, { 0x202E, 1 },
		{ 0x202F, 0 }, { 0x2065, 0 }, { 0x2066, 1 }, { 0x2069, 1 },
		{ 0x206A, 0 }, { 0xFEFF, 1 }, { 0x4E00, 0 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		if (is_dropped(c[i].cp) != c[i].dropped)
			FAIL("U+%04X: dropped %d, want %d", c[i].cp,
			     is_dropped(c[i].cp), c[i].dropped);
	CHECK(!ascii_graphic(' ') && ascii_graphic('!') &&
	      ascii_graphic('~') && !ascii_graphic(0x7F) &&
	      !ascii_graphic(0xFF0C));
}

static int open_font(struct font *f)
{
	char err[256];
	if (font_open(f, NULL, err, sizeof err) == 0)
		return 1;
	FAIL("no font: %s", err);
	return 0;
}

TEST(layout_clean_text)
{
	struct font f;
	if (!open_font(&f))
		return;
	struct arena a = { 0 };
	struct doc d;
	doc_init(&d, &f, &a);
	const char *same = "账单 INV-1";
	CHECK(clean(&d, same, 0) == same);      /* nothing to change: as is */
	CHECK_STR(clean(&d, NULL, 0), "");
	CHECK_STR(clean(&d, "a\tb", 0), "a b");
	/* a line break is a space, or one '\n' when breaks are kept */
	CHECK_STR(clean(&d, "a\r\nb\rc\nd", 0), "a  b c d");
	CHECK_STR(clean(&d, "a\r\nb\rc\n\nd", 1), "a\nb\nc\n\nd");
	/* bidi overrides, zero-width characters, BOM, C1 controls: gone */
	CHECK_STR(clean(&d, "\xEF\xBB\xBFpay\xE2\x80\xAEusd\xE2\x80\x8B"
			    "\xC2\x85!", 0), "payusd!");
	/* outside the BMP the font draws nothing: '?' */
	CHECK_STR(clean(&d, "ok \xF0\x9F\x98\x80", 0), "ok ?");
	doc_free(&d);
	arena_free(&a);
	font_close(&f);
}

/* A run too wide for its cell is set smaller, by 6 % a step, down to half
 * size; only beyond that is it cut. */
TEST(layout_cell_shrinks_before_cutting)
{
	struct font f;
	if (!open_font(&f))
		return;
	struct arena a = { 0 };
	struct doc d;
	doc_init(&d, &f, &a);
	const char *sn = "SN0000000000000007";
	double k = 0;                   /* the run's width at 1 pt */
	for (const char *p = sn; *p; p++)
		k += font_char_width(&f, (unsigned char)*p, 1);
	const char **l;
	double size = 10;
	/* 89 % of the width at 10 pt: 0.94 is too wide, 0.94² = 0.8836 fits */
	size_t n = wrap_cell(&d, sn, k * 10 * 0.89, &size, &l);
	CHECK_INT(n, 1);
	CHECK(size > 10 * 0.94 * 0.94 - 1e-9 && size < 10 * 0.94 * 0.94 + 1e-9);
	CHECK_STR(l[0], sn);
	/* 30 %: shrinks while 0.94 more stays at or above half, so to
	 * 0.94^11 = 0.5063 (0.94^12 = 0.4759 < 0.5), then cut into 2 lines */
	size = 10;
	n = wrap_cell(&d, sn, k * 10 * 0.30, &size, &l);
	double want = 10;
	for (int i = 0; i < 11; i++)
		want *= 0.94;
	CHECK(size > want - 1e-9 && size < want + 1e-9);
	CHECK_INT(n, 2);
	/* wide enough: untouched */
	size = 10;
	n = wrap_cell(&d, sn, k * 10 + 1, &size, &l);
	CHECK_INT(n, 1);
	CHECK(size == 10);
	doc_free(&d);
	arena_free(&a);
	font_close(&f);
}
