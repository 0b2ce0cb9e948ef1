/* The limits of SPEC §2.3: each field limit at its boundary, and every
 * computed value that could pass them (a line amount, an invoice total,
 * a due date) reported as a data error on the row it comes from instead
 * of wrapping.  Boundaries are worked out by hand from SPEC's numbers. */
#include "harness.h"
#include "read/fields.h"
#include "base/money.h"
#include "bill/rules.h"

#include <stdlib.h>

TEST(field_limits_at_their_boundaries)
{
	int64_t v = 0;
	/* money: below 10,000,000,000.00 in absolute value */
	CHECK(parse_input_money("9,999,999,999.99", 0, &v) == NULL);
	CHECK_INT(v, INT64_C(999999999999));
	CHECK(parse_input_money("-9999999999.99", 1, &v) == NULL);
	CHECK(parse_input_money("10000000000", 0, &v) != NULL);
	CHECK(parse_input_money("-10,000,000,000.00", 1, &v) != NULL);
	CHECK(parse_input_money("99999999999999999999", 0, &v) != NULL);
	CHECK(strstr(parse_input_money("10000000000", 0, &v),
		     "below 10,000,000,000.00") != NULL);
	/* qty and hours: below 1,000,000 */
	CHECK(parse_input_centi("999999.99", &v) == NULL);
	CHECK_INT(v, 99999999);
	CHECK(parse_input_centi("1000000", &v) != NULL);
	CHECK(parse_input_centi("123456789012345", &v) != NULL);
	/* percent: at most 1,000 */
	CHECK(parse_input_percent("1000", &v) == NULL);
	CHECK(parse_input_percent("1000%", &v) == NULL);
	CHECK(parse_input_percent("1000.0001", &v) != NULL);
	/* dates: 1900-01-01 to 9999-12-31 */
	CHECK(parse_input_date("1900-01-01", &v) == NULL);
	CHECK(parse_input_date("9999-12-31", &v) == NULL);
	CHECK(strstr(parse_input_date("1899-12-31", &v), "1900-01-01") !=
	      NULL);
	CHECK(parse_input_date("10000-01-01", &v) != NULL);
	CHECK(parse_input_datetime("1899-12-31 23:59", &v) != NULL);
}

TEST(round_div_wide_and_checked_narrowing)
{
	/* 2^63 / 1 does not fit 64 bits: round_div_wide keeps it */
	i128 big = (i128)INT64_MAX + 1;
	CHECK(round_div_wide(big, 1) == big);
	CHECK(round_div_wide(-big * 3 - 1, 2) == -(big * 3 + 1) / 2 - 1);
	CHECK_INT(round_div(5, 2), 3);
	CHECK_INT(round_div(-5, 2), -3);
	CHECK(amount_in_limit(AMOUNT_LIMIT - 1));
	CHECK(!amount_in_limit(AMOUNT_LIMIT));
	CHECK(!amount_in_limit(-(i128)AMOUNT_LIMIT));
}

TEST(words_of_huge_amounts)
{
	/* once an out-of-bounds read past "trillion" */
	struct buf b;
	buf_init(&b);
	money_words_en(INT64_C(100000000000000000), &b);  /* 1e15 yuan */
	CHECK_STR(b.data, "one quadrillion yuan only");
	buf_free(&b);
	buf_init(&b);
	money_words_en(INT64_MAX, &b);
	CHECK(strstr(b.data, "ninety-two quadrillion two hundred "
		     "thirty-three trillion seven hundred twenty billion") ==
	      b.data);
	buf_free(&b);
	buf_init(&b);
	money_words_en(INT64_MIN, &b);
	CHECK(strstr(b.data, "minus ninety-two quadrillion") == b.data);
	buf_free(&b);
	/* 1e16 yuan: five groups of four digits, none dropped */
	buf_init(&b);
	money_words_zh(INT64_C(1000000000000000000), &b);
	CHECK_STR(b.data, "壹亿亿元整");
	buf_free(&b);
	buf_init(&b);
	money_words_zh(AMOUNT_LIMIT - 1, &b);  /* 999,999,999,999.99 */
	CHECK_STR(b.data, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元"
			  "玖角玖分");
	buf_free(&b);
}

TEST(invoice_totals_checked)
{
	/* two lines just under the limit: their net is over it */
	struct line l[2];
	memset(l, 0, sizeof l);
	l[0].amount = AMOUNT_LIMIT - 1;
	l[0].tax_pct = 0;
	l[1].amount = AMOUNT_LIMIT - 1;
	l[1].tax_pct = 0;
	struct invoice inv;
	memset(&inv, 0, sizeof inv);
	inv.lines = l;
	inv.nlines = 2;
	CHECK_INT(invoice_total(&inv), -1);
	CHECK_INT(inv.net, 0);
	CHECK_INT(inv.gross, 0);
	/* one line under it, but 6 % tax takes the gross over it */
	inv.nlines = 1;
	l[0].amount = AMOUNT_LIMIT / 100 * 99;         /* 990e9 yuan */
	l[0].tax_pct = 6 * PCT_SCALE;
	CHECK_INT(invoice_total(&inv), -1);
	/* within: 9e11 yuan + 6 % = 9.54e11 yuan */
	l[0].amount = AMOUNT_LIMIT / 100 * 90;
	CHECK_INT(invoice_total(&inv), 0);
	CHECK_INT(inv.gross, AMOUNT_LIMIT / 100 * 90 / 100 * 106);
}

static day_t D(const char *s)
{
	day_t d = 0;
	parse_date(s, &d);
	return d;
}

/* A website contract (contracts.csv line 2) with one-off charges of
 * November 2026 (charges.csv lines 2...), billed for December. */
struct fixture {
	struct contract c;
	struct charge ch[2];
	struct dataset ds;
	struct arena a;
	struct diag d;
	FILE *f;
	char *msgs;
	size_t len;
	struct bill_input in;
	struct invoice inv;
};

static void setup(struct fixture *x, int64_t qty, int64_t price, int n)
{
	memset(x, 0, sizeof *x);
	x->c.ri.line = 2;
	x->c.id = "K1";
	x->c.client_id = "C1";
	x->c.type = CT_WEBSITE;
	x->c.start = D("2026-01-01");
	x->c.end = D("2026-12-31");
	x->c.cycle_months = 1;
	x->c.monthly_fee = 0;
	x->c.tax_pct = 6 * PCT_SCALE;
	x->c.goods_tax_pct = 13 * PCT_SCALE;
	x->c.payment_days = 10;
	for (int i = 0; i < n; i++) {
		x->ch[i].ri.line = 2 + i;
		x->ch[i].contract_id = "K1";
		x->ch[i].date = D("2026-11-05");
		x->ch[i].description_zh = "设计费";
		x->ch[i].description_en = "";
		x->ch[i].qty = qty;
		x->ch[i].unit_price = price;
	}
	x->ds.contracts = &x->c;
	x->ds.ncontracts = 1;
	x->ds.charges = x->ch;
	x->ds.ncharges = (size_t)n;
	x->f = open_memstream(&x->msgs, &x->len);
	diag_init(&x->d, x->f);
	x->in = (struct bill_input){ .ds = &x->ds,
				     .period = month_of(D("2026-12-01")),
				     .issue_date = D("2026-12-01"),
				     .d = &x->d, .data_dir = "data" };
	bill_prepare(&x->in, &x->a);
}

static void bill(struct fixture *x)
{
	bill_contract(&x->in, &x->c, &x->a, &x->inv);
	diag_flush(&x->d);
	fflush(x->f);
}

static void teardown(struct fixture *x)
{
	diag_free(&x->d);
	fclose(x->f);
	free(x->msgs);
	arena_free(&x->a);
}

TEST(computed_limits_are_data_errors_on_their_rows)
{
	struct fixture x;
	/* qty 999,999.99 x 9,999,999,999.99: ~1e16 yuan, each field in
	 * its limit (once wrapped to a wrong amount) */
	setup(&x, 99999999, INT64_C(999999999999), 1);
	bill(&x);
	CHECK_INT(x.d.errors, 1);
	CHECK(strstr(x.msgs, "data/charges.csv:2: contract K1: the charge "
		      "(qty x unit_price) would be 1,000,000,000,000.00 or "
		      "more") != NULL);
	teardown(&x);
	/* 99 x 9,999,999,999.99 = 989,999,999,999.01: the line is in the
	 * limit, its gross with 6 % tax is not (a register row that could
	 * not be read back) */
	setup(&x, 9900, INT64_C(999999999999), 1);
	bill(&x);
	CHECK_INT(x.d.errors, 1);
	CHECK(strstr(x.msgs, "data/contracts.csv:2: contract K1: the "
		      "invoice's net, tax or gross") != NULL);
	teardown(&x);
	/* 90 x 9,999,999,999.99 = 899,999,999,999.10 + 6 %: in the limit */
	setup(&x, 9000, INT64_C(999999999999), 1);
	bill(&x);
	CHECK_INT(x.d.errors, 0);
	CHECK_INT(x.inv.net, INT64_C(89999999999910));
	CHECK_INT(x.inv.tax, INT64_C(5399999999995));   /* 5.39999999999946 */
	teardown(&x);
	/* due date: issued 9999-12-31 with 1 payment day */
	setup(&x, 100, 100, 1);
	x.in.issue_date = D("9999-12-31");
	x.c.payment_days = 1;
	bill(&x);
	CHECK_INT(x.d.errors, 1);
	CHECK(strstr(x.msgs, "data/contracts.csv:2: contract K1: the due "
		      "date (issue date + payment_days) would be after "
		      "9999-12-31") != NULL);
	teardown(&x);
	setup(&x, 100, 100, 1);
	x.in.issue_date = D("9999-12-21");
	x.c.payment_days = 10;                       /* 9999-12-31: fine */
	bill(&x);
	CHECK_INT(x.d.errors, 0);
	CHECK_INT(x.inv.due_date, D("9999-12-31"));
	teardown(&x);
}

TEST(price_percent_rate_beyond_64_bits)
{
	/* 9,999,999,999.99 x 1,000 % a year: the product of price and
	 * percent (x 10^4) is ~1e19, past int64_t; a year at R = price x
	 * 10 / 12 is exactly 10 x the price: 99,999,999,999.90 */
	struct contract c;
	memset(&c, 0, sizeof c);
	c.id = "K1";
	c.type = CT_PRICE_PERCENT;
	c.start = D("2026-01-01");
	c.end = D("2026-12-31");
	c.cycle_months = 12;
	c.annual_pct = INPUT_PCT_MAX;
	c.tax_pct = 6 * PCT_SCALE;
	struct device v;
	memset(&v, 0, sizeof v);
	v.id = "D1";
	v.model = "";
	v.purchase_price = INPUT_MONEY_LIMIT - 1;
	v.from = c.start;
	v.to = c.end;
	struct device *devs[1] = { &v };
	c.devices = devs;
	c.ndevices = 1;
	struct dataset ds;
	memset(&ds, 0, sizeof ds);
	ds.contracts = &c;
	ds.ncontracts = 1;
	struct arena a = { 0 };
	struct bill_input in = { .ds = &ds, .period = month_of(c.start),
				 .issue_date = c.start };
	bill_prepare(&in, &a);
	struct invoice inv;
	bill_contract(&in, &c, &a, &inv);
	CHECK_INT(inv.nlines, 1);
	if (inv.nlines == 1) {
		CHECK_INT(inv.lines[0].amount, INT64_C(9999999999990));
		/* R = 833,333,333,332.5 fen, exactly: written with the 3
		 * decimals that give it (SPEC §4), kept exact */
		CHECK_STR(inv.lines[0].price_s, "8333333333.325");
		CHECK(inv.lines[0].unit_price.num * 2 ==
		      (i128)1666666666665 * inv.lines[0].unit_price.den);
	}
	arena_free(&a);
}
