/* The summary report's figures (docs/report.c), on a register written out
 * here row by row; every expected number is added up by hand in the
 * comments. */
#include "harness.h"
#include "docs/report.h"

#include <stdlib.h>

/* contracts sorted by id, as the reader leaves them */
static struct contract contracts[] = {
	{ .id = "H-1", .type = CT_PRICE_PERCENT },
	{ .id = "S-1", .type = CT_DEVICE_MONTHLY },
	{ .id = "W-1", .type = CT_WEBSITE },
};

static struct reg_row R(const char *no, const char *period,
			const char *contract, int status, int64_t net,
			int64_t tax)
{
	struct reg_row g = { 0 };
	g.invoice_no = no;
	g.period = month_parse(period);
	g.contract_id = contract;
	g.status = status;
	g.net = net;
	g.tax = tax;
	g.gross = net + tax;
	return g;
}

/* lg->last: each number's last row, sorted by number (ledger.h) */
static int by_number(const void *x, const void *y)
{
	const struct reg_row *const *a = x, *const *b = y;
	return strcmp((*a)->invoice_no, (*b)->invoice_no);
}

static void index_last(struct ledger *lg)
{
	lg->last = malloc(sizeof *lg->last * lg->nrows);
	lg->nlast = 0;
	for (size_t i = lg->nrows; i-- > 0;) {
		size_t k = 0;
		while (k < lg->nlast &&
		       strcmp(lg->last[k]->invoice_no, lg->rows[i].invoice_no))
			k++;
		if (k == lg->nlast)
			lg->last[lg->nlast++] = &lg->rows[i];
	}
	qsort(lg->last, lg->nlast, sizeof *lg->last, by_number);
}

/* A month of three contract types, a reissue and an unknown contract:
 *  1 INV-202611-0001 W-1 issued  1,000.00 + 60.00 (November)
 *  2 INV-202612-0001 H-1 issued  6,951.50 + 759.04
 *  3 INV-202612-0002 S-1 issued    200.00 + 12.00
 *  4 INV-202612-0003 X-9 issued     10.00 + 0.60  (no such contract)
 *  5 INV-202612-0002 S-1 cancelled
 *  6 CN-202612-0001  S-1 credit   -200.00 - 12.00
 *  7 INV-202612-0004 S-1 issued    250.00 + 15.00 (the replacement)
 *  8 INV-202701-0001 W-1 issued    500.00 + 30.00 (after December) */
static struct reg_row rows[8];
static struct ledger_line lines[14];

static void month(struct ledger *lg, struct dataset *ds)
{
	rows[0] = R("INV-202611-0001", "2026-11", "W-1", INV_ISSUED, 100000, 6000);
	rows[1] = R("INV-202612-0001", "2026-12", "H-1", INV_ISSUED, 695150, 75904);
	rows[2] = R("INV-202612-0002", "2026-12", "S-1", INV_ISSUED, 20000, 1200);
	rows[3] = R("INV-202612-0003", "2026-12", "X-9", INV_ISSUED, 1000, 60);
	rows[4] = R("INV-202612-0002", "2026-12", "S-1", INV_CANCELLED, 20000, 1200);
	rows[5] = R("CN-202612-0001", "2026-12", "S-1", INV_CREDIT, -20000, -1200);
	rows[6] = R("INV-202612-0004", "2026-12", "S-1", INV_ISSUED, 25000, 1500);
	rows[7] = R("INV-202701-0001", "2027-01", "W-1", INV_ISSUED, 50000, 3000);
	static const struct { const char *no; int kind; int64_t amount; } l[] = {
		{ "INV-202611-0001", LK_RECURRING, 100000 },
		{ "INV-202612-0001", LK_RECURRING, 51200 },
		{ "INV-202612-0001", LK_PARTS, 134400 },
		{ "INV-202612-0001", LK_OEM, 255500 },
		{ "INV-202612-0001", LK_LABOUR, 37500 },
		{ "INV-202612-0001", LK_CHARGE, 216550 },
		{ "INV-202612-0001", -1, 999 },      /* an unknown kind */
		{ "INV-202612-0002", LK_RECURRING, 20000 },
		{ "INV-202612-0003", LK_CHARGE, 1000 },
		{ "CN-202612-0001", LK_RECURRING, -20000 },
		{ "INV-202612-0004", LK_RECURRING, 45000 },
		{ "INV-202612-0004", LK_SLA, -20000 },
		{ "INV-202701-0001", LK_RECURRING, 50000 },
		{ "INV-209912-0001", LK_RECURRING, 7 },  /* no register row */
	};
	for (size_t i = 0; i < sizeof l / sizeof l[0]; i++) {
		memset(&lines[i], 0, sizeof lines[i]);
		lines[i].invoice_no = l[i].no;
		lines[i].l.kind = l[i].kind;
		lines[i].l.amount = l[i].amount;
	}
	memset(lg, 0, sizeof *lg);
	lg->rows = rows;
	lg->nrows = 8;
	lg->lines = lines;
	lg->nlines = sizeof l / sizeof l[0];
	index_last(lg);
	memset(ds, 0, sizeof *ds);
	ds->contracts = contracts;
	ds->ncontracts = 3;
}

TEST(report_totals_of_a_month)
{
	struct ledger lg;
	struct dataset ds;
	month(&lg, &ds);
	struct report_totals t;
	report_totals(&lg, &ds, month_parse("2026-12"), &t);
	/* December's numbers, each once, in the order first named, in
	 * their state now: 0002 is the cancelled row 5 */
	CHECK_INT(t.nrows, 5);
	if (t.nrows == 5) {
		CHECK(t.rows[0] == &rows[1]);
		CHECK(t.rows[1] == &rows[4]);
		CHECK(t.rows[2] == &rows[3]);
		CHECK(t.rows[3] == &rows[5]);
		CHECK(t.rows[4] == &rows[6]);
	}
	/* issued now: 0001 (percent), 0003 (no contract: total only), 0004
	 * (per device); the cancelled 0002 and its credit note count not */
	CHECK_INT(t.count[CT_DEVICE_MONTHLY], 1);
	CHECK_INT(t.count[CT_PRICE_PERCENT], 1);
	CHECK_INT(t.count[CT_WEBSITE], 0);
	CHECK_INT(t.count[REPORT_TYPES], 3);
	CHECK_INT(t.net[CT_DEVICE_MONTHLY], 25000);
	CHECK_INT(t.net[CT_PRICE_PERCENT], 695150);
	CHECK_INT(t.net[CT_WEBSITE], 0);
	CHECK_INT(t.net[REPORT_TYPES], 721150);        /* 6951.50+10+250 */
	CHECK_INT(t.tax[REPORT_TYPES], 77464);         /* 759.04+0.60+15 */
	CHECK_INT(t.gross[CT_PRICE_PERCENT], 771054);
	CHECK_INT(t.gross[REPORT_TYPES], 798614);      /* 7710.54+10.60+265 */
	/* lines of December's issued invoices, by kind */
	CHECK_INT(t.kind_lines[LK_RECURRING], 2);      /* 0001, 0004 */
	CHECK_INT(t.kind_amount[LK_RECURRING], 96200); /* 512 + 450 */
	CHECK_INT(t.kind_lines[LK_CHARGE], 2);         /* 0001, 0003 */
	CHECK_INT(t.kind_amount[LK_CHARGE], 217550);   /* 2165.50 + 10 */
	CHECK_INT(t.kind_amount[LK_SLA], -20000);
	CHECK_INT(t.kind_lines[LK_TRUEUP], 0);
	CHECK_INT(t.kind_lines[LK_LATE_FEE], 0);
	static const int kinds[] = { LK_RECURRING, LK_LABOUR, LK_PARTS,
				     LK_OEM, LK_SLA, LK_CHARGE };
	CHECK_INT(t.nkinds, 6);
	for (int k = 0; k < t.nkinds && k < 6; k++)
		CHECK_INT(t.kinds[k], kinds[k]);
	/* the by-kind amounts add up to the net of the issued invoices */
	int64_t sum = 0;
	for (int k = 0; k < LK_COUNT; k++)
		sum += t.kind_amount[k];
	CHECK_INT(sum, t.net[REPORT_TYPES]);
	report_totals_free(&t);
	/* a month with nothing */
	report_totals(&lg, &ds, month_parse("2026-10"), &t);
	CHECK_INT(t.nrows, 0);
	CHECK_INT(t.count[REPORT_TYPES], 0);
	CHECK_INT(t.nkinds, 0);
	report_totals_free(&t);
	free(lg.last);
}

TEST(report_chart_of_a_month)
{
	struct ledger lg;
	struct dataset ds;
	month(&lg, &ds);
	struct report_chart c;
	report_chart(&lg, &ds, month_parse("2026-12"), &c);
	/* November and December; January is after the period */
	CHECK_INT(c.nperiods, 2);
	CHECK_INT(c.periods[0], month_parse("2026-11"));
	CHECK_INT(c.periods[1], month_parse("2026-12"));
	CHECK_INT(c.gross[0][CT_WEBSITE], 106000);
	CHECK_INT(c.gross[0][REPORT_TYPES], 106000);
	CHECK_INT(c.gross[1][CT_DEVICE_MONTHLY], 26500);   /* 0004 only */
	CHECK_INT(c.gross[1][CT_PRICE_PERCENT], 771054);
	CHECK_INT(c.gross[1][CT_WEBSITE], 0);
	CHECK_INT(c.gross[1][REPORT_TYPES], 798614);       /* with X-9's */
	free(lg.last);
}

/* Fourteen months, one website invoice each, gross 100.00 x its place
 * (2025-11: 100.00 ... 2026-12: 1,400.00), and a month (2026-06) whose
 * only invoice is cancelled: the chart shows the last twelve periods the
 * register has, 2026-01 to 2026-12, 2026-06 with 0. */
TEST(report_chart_last_twelve_periods)
{
	static struct reg_row r[14];
	static char no[14][24], per[14][16];
	for (int i = 0; i < 14; i++) {
		int y = 2025 + (10 + i) / 12, m = (10 + i) % 12 + 1;
		snprintf(per[i], sizeof per[i], "%04d-%02d", y, m);
		snprintf(no[i], sizeof no[i], "INV-%04d%02d-0001", y, m);
		r[i] = R(no[i], per[i], "W-1", i == 7 ? INV_CANCELLED :
			 INV_ISSUED, 100 * 100 * (i + 1), 0);
	}
	CHECK_STR(per[7], "2026-06");
	struct ledger lg = { 0 };
	struct dataset ds = { 0 };
	lg.rows = r;
	lg.nrows = 14;
	index_last(&lg);
	ds.contracts = contracts;
	ds.ncontracts = 3;
	struct report_chart c;
	report_chart(&lg, &ds, month_parse("2026-12"), &c);
	CHECK_INT(c.nperiods, 12);
	for (int p = 0; p < 12 && p < c.nperiods; p++) {
		char want[24];
		snprintf(want, sizeof want, "2026-%02d", p + 1);
		CHECK_INT(c.periods[p], month_parse(want));
		/* 2026-01 is the third month: 300.00 */
		int64_t g = p + 1 == 6 ? 0 : 100 * 100 * (p + 3);
		CHECK_INT(c.gross[p][CT_WEBSITE], g);
		CHECK_INT(c.gross[p][REPORT_TYPES], g);
	}
	/* up to 2026-03: 2025-11 to 2026-03, five periods */
	report_chart(&lg, &ds, month_parse("2026-03"), &c);
	CHECK_INT(c.nperiods, 5);
	CHECK_INT(c.periods[0], month_parse("2025-11"));
	CHECK_INT(c.gross[4][REPORT_TYPES], 50000);
	free(lg.last);
}

TEST(report_axis_max_is_round)
{
	/* fen in, fen out: 1, 2 or 5 times a power of ten yuan */
	CHECK_INT(report_axis_max(0), 100);
	CHECK_INT(report_axis_max(1), 100);
	CHECK_INT(report_axis_max(100), 100);
	CHECK_INT(report_axis_max(101), 200);
	CHECK_INT(report_axis_max(200), 200);
	CHECK_INT(report_axis_max(201), 500);
	CHECK_INT(report_axis_max(500), 500);
	CHECK_INT(report_axis_max(501), 1000);
	CHECK_INT(report_axis_max(798614), 1000000);    /* 7,986.14 -> 10,000 */
	CHECK_INT(report_axis_max(1000001), 2000000);
	CHECK_INT(report_axis_max(2334633), 5000000);   /* 23,346.33 -> 50,000 */
}
