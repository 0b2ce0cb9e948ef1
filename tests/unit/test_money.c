/* Money parsing, rounding, formatting and amounts in words. */
#include "harness.h"
#include "base/buf.h"
#include "read/fields.h"
#include "base/money.h"

#include <string.h>

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
	money_bad("0,123", 0);         /* 0.123 in much of Europe */
	money_bad("?1,234.50", 0);     /* ¥ lost by an export to GBK */
	{
		int64_t v;
		const char *e = parse_money("?1,234.50", 0, &v);
		CHECK(e && strstr(e, "'?'") && strstr(e, "UTF-8"));
	}
	money_bad("-0,500.00", 1);
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

/* The formats are made by hand: each is what snprintf made of the same
 * value before ("%s%llu.%02llu", "%llu" grouped, "%lld[.%0*lld]"), for
 * the values around every power of ten and the ends of int64_t. */
static void old_grouped(int64_t fen, char out[40])
{
	uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu",
			 (unsigned long long)(m / 100));
	char *p = out;
	if (fen < 0)
		*p++ = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*p++ = ',';
		*p++ = digits[i];
	}
	snprintf(p, 8, ".%02llu", (unsigned long long)(m % 100));
}

static void old_pct(int64_t pct4, char out[32])
{
	int64_t whole = pct4 / 10000, frac = pct4 % 10000;
	if (frac == 0) {
		snprintf(out, 32, "%lld", (long long)whole);
		return;
	}
	int digits = 4;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(out, 32, "%lld.%0*lld", (long long)whole, digits,
		 (long long)frac);
}

TEST(money_formats_as_snprintf)
{
	int64_t v[4096];
	size_t n = 0;
	v[n++] = INT64_MAX;
	v[n++] = INT64_MIN;
	v[n++] = INT64_MIN + 1;
	int64_t p = 1;                          /* 10^e */
	for (int e = 0; e <= 18; e++) {
		for (int64_t d = -12; d <= 12; d++) {
			v[n++] = p + d;
			v[n++] = -(p + d);
			v[n++] = p * 7 + d * 13;
		}
		if (e < 18)
			p *= 10;
	}
	for (int64_t k = -1000; k <= 1000; k += 3)
		v[n++] = k;
	int bad = 0;
	for (size_t i = 0; i < n && bad < 5; i++) {
		char a[40], b[40];
		uint64_t m = v[i] < 0 ? (uint64_t)0 - (uint64_t)v[i] :
					(uint64_t)v[i];
		snprintf(b, sizeof b, "%s%llu.%02llu", v[i] < 0 ? "-" : "",
			 (unsigned long long)(m / 100),
			 (unsigned long long)(m % 100));
		money_plain(v[i], a);
		bad += strcmp(a, b) != 0;
		centi_plain(v[i], a);
		bad += strcmp(a, b) != 0;
		money_grouped(v[i], a);
		old_grouped(v[i], b);
		bad += strcmp(a, b) != 0;
		pct_plain(v[i], a);
		old_pct(v[i], b);
		if (strcmp(a, b) != 0) {
			FAIL("pct_plain(%" PRId64 "): %s, want %s", v[i], a, b);
			bad++;
		}
	}
	CHECK_INT(bad, 0);
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

/* SPEC §4: unit prices with the fewest decimals 2..8 that give them
 * exactly, else 4 decimals rounded (trailing zeros down to 2 dropped). */
TEST(price_written_fewest_decimals)
{
	char s[DEC_LEN];
	price_written(ratio_of(8533, 1), s);            /* fen */
	CHECK_STR(s, "85.33");
	price_written(ratio_of(25600, 3), s);           /* 85.333... */
	CHECK_STR(s, "85.3333");
	price_written(ratio_of(1250, 1), s);
	CHECK_STR(s, "12.50");
	price_written(ratio_of(0, 1), s);
	CHECK_STR(s, "0.00");
	/* 8,960.00 x 12% / 12 = 89.60; x 5% / 12 = 37.333... */
	price_written(ratio_of((i128)896000 * 12, 12 * 100), s);
	CHECK_STR(s, "89.60");
	price_written(ratio_of((i128)896000 * 5, 12 * 100), s);
	CHECK_STR(s, "37.3333");
	/* 1,420.858 exactly: 3 decimals */
	price_written(ratio_of(1420858, 10), s);
	CHECK_STR(s, "1420.858");
	/* 1/7 fen rounds at 4 decimals: 0.0014 yuan */
	price_written(ratio_of(1, 7), s);
	CHECK_STR(s, "0.0014");
	/* exactly 8 decimals: 1/2^6 fen = 0.00015625 yuan */
	price_written(ratio_of(1, 64), s);
	CHECK_STR(s, "0.00015625");
	/* 1/2^7 fen needs 9: rounded to 4 -> 0.0001 */
	price_written(ratio_of(1, 128), s);
	CHECK_STR(s, "0.0001");
	price_written(ratio_of(-20000, 1), s);
	CHECK_STR(s, "-200.00");
	/* 1,680.00 at 80%: 1,344.00 */
	price_written(ratio_of((i128)168000 * 80, 100), s);
	CHECK_STR(s, "1344.00");
}

/* SPEC §4: the qty with the fewest decimals d that multiplies out. */
TEST(qty_written_multiplies_out)
{
	char s[DEC_LEN];
	/* SPEC's examples: 6 months at 85.333... = 512.00 */
	qty_written(ratio_of(6, 1), "85.3333", 51200, s);
	CHECK_STR(s, "6.00");       /* 6 x 85.3333 = 511.9998 -> 512.00 */
	/* 20/31 month at 30.00 = 19.35 (30 x 20 / 31 = 19.354...) */
	qty_written(ratio_of(20, 31), "30.00", 1935, s);
	CHECK_STR(s, "0.645");      /* 0.65 x 30 = 19.50; 0.645 x 30 = 19.35 */
	/* 22/31 at 30.00 = 21.29: 0.71 and 0.710 give 21.30 */
	qty_written(ratio_of(22, 31), "30.00", 2129, s);
	CHECK_STR(s, "0.7097");
	/* hours without a price: 2 decimals */
	qty_written(ratio_of(150, 100), NULL, 0, s);
	CHECK_STR(s, "1.50");
	/* negative price (SLA): 2 days x -100.00 = -200.00 */
	qty_written(ratio_of(2, 1), "-100.00", -20000, s);
	CHECK_STR(s, "2.00");
	/* no d up to 8 matches (an amount that is not the product):
	 * 8 decimals */
	qty_written(ratio_of(1, 3), "1.00", 5000, s);
	CHECK_STR(s, "0.33333333");
	/* rounding of q_d is half away from zero: 1/8 at 2 decimals = 0.13 */
	qty_written(ratio_of(1, 8), "100.00", 1300, s);
	CHECK_STR(s, "0.13");
	qty_written(ratio_of(-1, 8), "100.00", -1300, s);
	CHECK_STR(s, "-0.13");
}

TEST(decimal_parse_and_negate)
{
	struct ratio r;
	CHECK(decimal_parse("85.3333", &r) == NULL);
	CHECK(r.num == 853333 && r.den == 10000);
	CHECK(decimal_parse("-0.645", &r) == NULL);
	CHECK(r.num == -645 && r.den == 1000);
	CHECK(decimal_parse("1.5", &r) != NULL);        /* 2 decimals at least */
	CHECK(decimal_parse("1.123456789", &r) != NULL);
	CHECK(decimal_parse("1,000.00", &r) != NULL);
	CHECK(decimal_parse(".50", &r) != NULL);
	CHECK(decimal_parse("1.00x", &r) != NULL);
	CHECK(decimal_parse("", &r) != NULL);
	char s[DEC_LEN] = "6.00";
	decimal_negate(s);
	CHECK_STR(s, "-6.00");
	decimal_negate(s);
	CHECK_STR(s, "6.00");
	char z[DEC_LEN] = "0.00";
	decimal_negate(z);
	CHECK_STR(z, "0.00");
}
