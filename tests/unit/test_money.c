/* Money parsing, rounding, formatting and amounts in words. */
#include "harness.h"
#include "buf.h"
#include "fields.h"
#include "money.h"

static void money_ok(const char *s, int neg, int64_t want)
{
	int64_t v = -999;
	const char *e = parse_money(s, neg, &v);
	if (e)
		FAIL("parse_money('%s'): %s", s, e);
	else if (v != want)
		FAIL("parse_money('%s') = %" PRId64 ", want %" PRId64, s, v,
		     want);
}

static void money_bad(const char *s, int neg)
{
	int64_t v;
	if (!parse_money(s, neg, &v))
		FAIL("parse_money('%s') accepted, = %" PRId64, s, v);
}

TEST(money_forms)
{
	money_ok("0", 0, 0);
	money_ok("1234.5", 0, 123450);
	money_ok("¥1,234.5", 0, 123450);
	money_ok("￥1,234,567.89", 0, 123456789);
	money_ok("1,234,567", 0, 123456700);
	money_ok("12.05", 0, 1205);
	money_ok("007", 0, 700);
	money_ok("-¥5", 1, -500);
	money_ok("-5.50", 1, -550);
	money_ok("-0", 0, 0);
	money_bad(".5", 0);
	money_bad("+5", 0);
	money_bad("¥-5", 1);
	money_bad("1,23", 0);
	money_bad("1234,567", 0);
	money_bad("1.234", 0);
	money_bad("1.", 0);
	money_bad("-5", 0);
	money_bad("5 元", 0);
	money_bad("1e3", 0);
	money_bad("", 0);
	money_bad("99999999999999999999", 0);
}

TEST(round_halves_away_from_zero)
{
	CHECK_INT(round_div(5, 10), 1);          /* 0.5 fen -> 1 */
	CHECK_INT(round_div(-5, 10), -1);
	CHECK_INT(round_div(4999, 10000), 0);
	CHECK_INT(round_div(15, 10), 2);
	CHECK_INT(round_div(-15, 10), -2);
	CHECK_INT(round_div(14, 10), 1);
	CHECK_INT(round_div(0, 7), 0);
	CHECK_INT(round_div((i128)INT64_C(1) << 62, 3),
		  (INT64_C(1) << 62) / 3 + 0);
}

TEST(money_formats)
{
	char s[40];
	money_grouped(123456789, s);
	CHECK_STR(s, "1,234,567.89");
	money_grouped(-1250, s);
	CHECK_STR(s, "-12.50");
	money_grouped(5, s);
	CHECK_STR(s, "0.05");
	money_grouped(100000, s);
	CHECK_STR(s, "1,000.00");
	money_plain(-1250, s);
	CHECK_STR(s, "-12.50");
	money_plain(123456789, s);
	CHECK_STR(s, "1234567.89");
	pct_plain(60000, s);
	CHECK_STR(s, "6");
	pct_plain(500, s);
	CHECK_STR(s, "0.05");
	pct_plain(125000, s);
	CHECK_STR(s, "12.5");
	pct_plain(1, s);
	CHECK_STR(s, "0.0001");
	centi_plain(552, s);
	CHECK_STR(s, "5.52");
}

TEST(percent_forms)
{
	int64_t v;
	CHECK(!parse_percent("8", &v) && v == 80000);
	CHECK(!parse_percent("8%", &v) && v == 80000);
	CHECK(!parse_percent("0.05", &v) && v == 500);
	CHECK(!parse_percent("12.3456%", &v) && v == 123456);
	CHECK(parse_percent("-1", &v) != NULL);
	CHECK(parse_percent("1.23456", &v) != NULL);
	CHECK(parse_percent("%", &v) != NULL);
	CHECK(parse_percent("8 %", &v) != NULL);
	CHECK(parse_percent(".5", &v) != NULL);
}

TEST(centi_and_int_forms)
{
	int64_t v;
	CHECK(!parse_centi("2", &v) && v == 200);
	CHECK(!parse_centi("1.5", &v) && v == 150);
	CHECK(!parse_centi("0.25", &v) && v == 25);
	CHECK(parse_centi("0.255", &v) != NULL);
	CHECK(parse_centi("-1", &v) != NULL);
	CHECK(!parse_int("12", &v) && v == 12);
	CHECK(parse_int("1.0", &v) != NULL);
	CHECK(parse_int("", &v) != NULL);
}

/* SPEC §3.7, every row of the table */
static const struct {
	int64_t fen;
	const char *words;
} zh_table[] = {
	{ 0, "零元整" },
	{ 5, "伍分" },
	{ 50, "伍角整" },
	{ 100, "壹元整" },
	{ 1000, "壹拾元整" },
	{ 1005, "壹拾元零伍分" },
	{ 1050, "壹拾元零伍角整" },
	{ 10500, "壹佰零伍元整" },
	{ 168032, "壹仟陆佰捌拾元零叁角贰分" },
	{ 10700053, "壹拾万柒仟元零伍角叁分" },
	{ 10000500, "壹拾万零伍元整" },
	{ 100100000, "壹佰万壹仟元整" },
	{ 10000000100, "壹亿零壹元整" },
	{ 600714, "陆仟零柒元壹角肆分" },
	{ 1640902, "壹万陆仟肆佰零玖元零贰分" },
	{ 140950, "壹仟肆佰零玖元伍角整" },
	{ 10000000000, "壹亿元整" },
	{ 12345678901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分" },
	{ -1000, "负壹拾元整" },
	/* and a few more worked out from the rules */
	{ 32504, "叁佰贰拾伍元零肆分" },
	{ 55, "伍角伍分" },
	{ 1421940, "壹万肆仟贰佰壹拾玖元肆角整" },
	{ 100000100, "壹佰万零壹元整" },
};

TEST(amount_in_chinese_words)
{
	for (size_t i = 0; i < sizeof zh_table / sizeof zh_table[0]; i++) {
		struct buf b;
		buf_init(&b);
		money_words_zh(zh_table[i].fen, &b);
		if (strcmp(b.data, zh_table[i].words) != 0)
			FAIL("%" PRId64 " fen: got %s, want %s", zh_table[i].fen,
			     b.data, zh_table[i].words);
		buf_free(&b);
	}
}

TEST(amount_in_english_words)
{
	static const struct {
		int64_t fen;
		const char *words;
	} t[] = {
		{ 168032, "one thousand six hundred eighty yuan and thirty-two "
			  "fen only" },
		{ 0, "zero yuan only" },
		{ 50, "fifty fen only" },
		{ 10500, "one hundred five yuan only" },
		{ 12345678901, "one hundred twenty-three million four hundred "
			       "fifty-six thousand seven hundred eighty-nine "
			       "yuan and one fen only" },
		{ -1000, "minus ten yuan only" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct buf b;
		buf_init(&b);
		money_words_en(t[i].fen, &b);
		CHECK_STR(b.data, t[i].words);
		buf_free(&b);
	}
}
