/* Line breaking: UAX #14 through libunibreak, 避头尾, ids kept whole.
 * Widths are counted in characters (every character 1 wide), so each
 * expected split can be worked out by hand. */
#include "harness.h"
#include "base/arena.h"
#include "docs/layout.h"
#include "base/textenc.h"

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
			const char *p = l[i], *last = l[i];
			unsigned first = utf8_next(&p), cp = first;
			while (*p) {
				last = p;
				cp = utf8_next(&p);
			}
			(void)last;
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
