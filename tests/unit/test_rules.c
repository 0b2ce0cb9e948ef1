/* The fee engine: cycles, proration, SLA days, and a hand-built contract
 * billed line by line. */
#include "harness.h"
#include "read/fields.h"
#include "base/money.h"
#include "bill/rules.h"
#include "bill/payments.h"

static struct contract contract(int type, const char *start, const char *end,
				int cycle)
{
	struct contract c;
	memset(&c, 0, sizeof c);
	c.id = "K1";
	c.client_id = "C1";
	c.type = type;
	parse_date(start, &c.start);
	parse_date(end, &c.end);
	c.cycle_months = cycle;
	c.tax_pct = 6 * PCT_SCALE;
	c.goods_tax_pct = 13 * PCT_SCALE;
	c.parts_pct = 100 * PCT_SCALE;
	c.currency = "CNY";
	return c;
}

static day_t D(const char *s)
{
	day_t d = 0;
	parse_date(s, &d);
	return d;
}

TEST(cycles)
{
	struct contract c = contract(CT_WEBSITE, "2026-03-15", "2027-02-10", 3);
	struct cycle cy;
	CHECK(cycle_starting(&c, month_of(D("2026-03-01")), &cy));
	CHECK_INT(cy.start, D("2026-03-15"));
	CHECK_INT(cy.end, D("2026-05-31"));
	CHECK(!cycle_starting(&c, month_of(D("2026-04-01")), &cy));
	CHECK(cycle_starting(&c, month_of(D("2026-12-01")), &cy));
	CHECK_INT(cy.end, D("2027-02-10"));          /* clipped to the end */
	CHECK(!cycle_starting(&c, month_of(D("2027-03-01")), &cy));
	CHECK(cycle_ending(&c, month_of(D("2026-05-01")), &cy));
	CHECK_INT(cy.start, D("2026-03-15"));
	CHECK(cycle_ending(&c, month_of(D("2027-02-01")), &cy));
	CHECK_INT(cy.start, D("2026-12-01"));
	CHECK(!cycle_ending(&c, month_of(D("2026-04-01")), &cy));
	/* a cycle cut short by the contract's end ends in that month */
	struct contract s = contract(CT_WEBSITE, "2026-01-01", "2026-08-20", 6);
	CHECK(cycle_ending(&s, month_of(D("2026-08-01")), &cy));
	CHECK_INT(cy.start, D("2026-07-01"));
}

TEST(proration_is_exact)
{
	struct contract c = contract(CT_DEVICE_MONTHLY, "2024-01-01",
				     "2024-12-31", 3);
	struct cycle cy;
	cycle_starting(&c, month_of(D("2024-01-01")), &cy);
	struct rate_frac r30 = { 3000, 1 };
	struct ratio q;
	/* whole quarter */
	CHECK_INT(unit_cycle_amount(r30, c.start, c.end, &cy, &q), 9000);
	CHECK(q.num == 3 * q.den);
	/* joins 2024-02-15 in a leap February: 15/29 of Feb + March */
	int64_t a = unit_cycle_amount(r30, D("2024-02-15"), c.end, &cy, &q);
	/* 3000*15/29 + 3000 = 4551.72 fen -> 4552 */
	CHECK_INT(a, 4552);
	CHECK(q.num * 29 == 44 * q.den);   /* 15/29 + 1 months, exactly */
	/* leaves 2024-01-10: 10/31 of 3000 = 967.74 -> 968 */
	CHECK_INT(unit_cycle_amount(r30, c.start, D("2024-01-10"), &cy, &q),
		  968);
	/* one rounding over the sum, not per month: one day in each month
	 * of the quarter at 1.00 a month is 100/31 + 100/29 + 100/31 =
	 * 9.8999 fen -> 10; rounding each month would give 3 + 3 + 3 */
	struct rate_frac r1 = { 100, 1 };
	int64_t sum = 0;
	for (int m = 0; m < 3; m++) {
		struct cycle c1;
		c1.first_month = c1.last_month = cy.first_month + m;
		c1.start = month_first_day(c1.first_month);
		c1.end = month_last_day(c1.first_month);
		sum += unit_cycle_amount(r1, c1.start, c1.start, &c1, NULL);
	}
	CHECK_INT(sum, 9);
	/* the same three single days as one cycle: rounded once */
	i128 num = 0;
	for (int m = 0; m < 3; m++)
		num += (i128)100 * 377580 / month_days(cy.first_month + m);
	CHECK_INT(round_div(num, 377580), 10);
}

TEST(half_fen_ties_round_up)
{
	/* price 1.00 yuan x 6% / 12 = 0.5 fen a month: one month -> 1 fen */
	struct contract c = contract(CT_PRICE_PERCENT, "2026-01-01",
				     "2026-12-31", 1);
	struct cycle cy;
	cycle_starting(&c, month_of(D("2026-01-01")), &cy);
	struct rate_frac r = { 100 * 60000, 100 * 12 * PCT_SCALE };
	CHECK_INT(unit_cycle_amount(r, c.start, c.end, &cy, NULL), 1);
	/* 8% of 12,800.00 over a year: 85.3333 a month, 6 months = 512.00 */
	struct contract h = contract(CT_PRICE_PERCENT, "2026-06-01",
				     "2027-05-31", 6);
	cycle_starting(&h, month_of(D("2026-06-01")), &cy);
	struct rate_frac p = { INT64_C(1280000) * 80000, 100 * 12 * PCT_SCALE };
	CHECK_INT(unit_cycle_amount(p, h.start, h.end, &cy, NULL), 51200);
}

TEST(sla_days)
{
	CHECK_INT(sla_days_late(3600 * 2, 200), 0);         /* exactly 2 h */
	CHECK_INT(sla_days_late(3600 * 2 + 1, 200), 1);     /* 1 s late */
	CHECK_INT(sla_days_late(3600 * 26, 200), 1);        /* 24 h late */
	CHECK_INT(sla_days_late(3600 * 26 + 60, 200), 2);
	CHECK_INT(sla_days_late(3600 * 100, 0), 0);         /* no limit */
	CHECK_INT(sla_days_late(3600 * 3, 250), 1);         /* 2.5 h */
}

/* One contract with a device and a month of activity, billed by hand. */
TEST(bill_contract_by_hand)
{
	struct contract c = contract(CT_DEVICE_MONTHLY, "2026-07-15",
				     "2027-07-14", 1);
	c.labour_rate = 12000;
	c.parts_pct = 80 * PCT_SCALE;
	c.sla_hours = 800;                 /* 8 h */
	c.sla_emergency_hours = 200;       /* 2 h */
	c.sla_penalty = 10000;
	c.payment_days = 10;
	struct device v;
	memset(&v, 0, sizeof v);
	v.id = "D1";
	v.class = "desktop";
	v.model = "";
	v.rate = 3000;
	v.from = D("2026-12-10");
	v.to = c.end;
	v.contract = &c;
	struct part pt = { .part_no = "P1", .name_zh = "电池", .name_en = "",
			   .list_price = 39000 };
	struct part_use pu = { .record_id = "R1", .part_no = "P1", .qty = 200,
			       .list_price = 39000, .part = &pt };
	struct part_use *pus[1] = { &pu };
	struct record r;
	memset(&r, 0, sizeof r);
	r.id = "R1";
	r.device = &v;
	r.type = RT_EMERGENCY;
	r.cause = CAUSE_EXCLUDED;
	r.level = 2;
	r.labour_hours = 150;
	r.ri.has = (1u << RECORD_CALLED_AT) | (1u << RECORD_ARRIVED_AT);
	r.called_at = D("2026-11-12") * 86400 + 22 * 3600;
	r.arrived_at = D("2026-11-14") * 86400 + 1 * 3600;   /* 27 h */
	r.completed_at = r.arrived_at + 3600;
	r.parts = pus;
	r.nparts = 1;
	struct record *recs[1] = { &r };
	v.records = recs;
	v.nrecords = 1;
	struct device *devs[1] = { &v };
	c.devices = devs;
	c.ndevices = 1;
	struct dataset ds;
	memset(&ds, 0, sizeof ds);
	ds.contracts = &c;
	ds.ncontracts = 1;
	struct arena a = { 0 };
	struct bill_input in = { .ds = &ds, .period = month_of(D("2026-12-01")),
				 .issue_date = D("2026-12-01") };
	bill_prepare(&in, &a);
	struct invoice inv;
	bill_contract(&in, &c, &a, &inv);
	CHECK_INT(inv.nlines, 4);
	if (inv.nlines == 4) {
		/* 22/31 of 30.00 = 21.29 */
		CHECK_INT(inv.lines[0].kind, LK_RECURRING);
		CHECK_INT(inv.lines[0].amount, 2129);
		/* 0.71 x 30.00 = 21.30 and 0.710 too: the fewest decimals
		 * that multiply out are 4, 0.7097 x 30.00 = 21.291 */
		CHECK_STR(inv.lines[0].qty_s, "0.7097");
		CHECK_STR(inv.lines[0].price_s, "30.00");
		CHECK_STR(inv.lines[0].desc_zh,
			  "软件维护费 D1（desktop）2026-12-10 至 2026-12-31");
		/* excluded: labour 1.5 h x 120.00 = 180.00 */
		CHECK_INT(inv.lines[1].kind, LK_LABOUR);
		CHECK_INT(inv.lines[1].amount, 18000);
		/* excluded: parts at 100%: 2 x 390.00 */
		CHECK_INT(inv.lines[2].kind, LK_PARTS);
		CHECK_INT(inv.lines[2].amount, 78000);
		CHECK_INT(inv.lines[2].tax_pct, 13 * PCT_SCALE);
		/* emergency: 27 h against 2 h: 25 h late = 2 days x 100.00 */
		CHECK_INT(inv.lines[3].kind, LK_SLA);
		CHECK_INT(inv.lines[3].amount, -20000);
		/* days late x a negative unit price */
		CHECK_STR(inv.lines[3].qty_s, "2.00");
		CHECK_STR(inv.lines[3].price_s, "-100.00");
	}
	/* net 21.29 + 180 + 780 - 200 = 781.29; tax 6% of 1.29 = 0.08,
	 * 13% of 780 = 101.40 */
	CHECK_INT(inv.net, 78129);
	CHECK_INT(inv.tax, 8 + 10140);
	CHECK_INT(inv.gross, 78129 + 10148);
	CHECK_INT(inv.due_date, D("2026-12-11"));
	/* covered: parts at 80%, no labour */
	r.cause = CAUSE_COVERED;
	bill_contract(&in, &c, &a, &inv);
	CHECK_INT(inv.nlines, 3);
	if (inv.nlines == 3) {
		CHECK_INT(inv.lines[1].amount, 62400);
		/* the charged unit price, 80% of 390.00, not the list price */
		CHECK_STR(inv.lines[1].qty_s, "2.00");
		CHECK_STR(inv.lines[1].price_s, "312.00");
	}
	arena_free(&a);
}

TEST(tax_per_rate_rounds_once_per_rate)
{
	struct line l[3];
	memset(l, 0, sizeof l);
	l[0].amount = 1;   l[0].tax_pct = 6 * PCT_SCALE;    /* 0.06 fen */
	l[1].amount = 9;   l[1].tax_pct = 6 * PCT_SCALE;    /* 0.54 fen */
	l[2].amount = -5;  l[2].tax_pct = 13 * PCT_SCALE;   /* -0.65 fen */
	struct invoice inv;
	memset(&inv, 0, sizeof inv);
	inv.lines = l;
	inv.nlines = 3;
	invoice_total(&inv);
	CHECK_INT(inv.ntaxes, 2);
	CHECK_INT(inv.taxes[0].tax, 1);    /* 10 x 6% = 0.6 -> 1 */
	CHECK_INT(inv.taxes[1].tax, -1);   /* -0.65 -> -1 */
	CHECK_INT(inv.net, 5);
	CHECK_INT(inv.gross, 5);
}

/* payment_runs_match and payments_named (bill/payments.c), the pass that
 * gives late fees and the overdue list each invoice's payments: numbers
 * with several payments, none, one, a row out of number order (searched
 * for), a number twice.  The runs are worked out by hand from the file
 * order below: sorted by number, then file order. */
TEST(payments_matched_to_rows_in_one_pass)
{
	struct payment pay[] = {
		{ .invoice_no = "INV-3", .amount = 300 },   /* 0 */
		{ .invoice_no = "INV-1", .amount = 100 },   /* 1 */
		{ .invoice_no = "CN-9",  .amount = 900 },   /* 2 */
		{ .invoice_no = "INV-3", .amount = 301 },   /* 3 */
		{ .invoice_no = "INV-7", .amount = 700 },   /* 4: no row */
		{ .invoice_no = "INV-1", .amount = 101 },   /* 5 */
	};
	struct dataset ds = { .payments = pay, .npayments = 6 };
	struct arena a = { 0 };
	struct payment_runs own;
	const struct payment_runs *r = payment_runs(&ds, &own, &a);
	/* sorted: CN-9 (2); INV-1 (1, 5); INV-3 (0, 3); INV-7 (4) */
	CHECK_INT(r->nruns, 4);
	struct reg_row g[] = {
		{ .invoice_no = "CN-9" }, { .invoice_no = "INV-1" },
		{ .invoice_no = "INV-2" }, { .invoice_no = "INV-3" },
		{ .invoice_no = "INV-1" },    /* out of order: searched for */
		{ .invoice_no = "INV-3" },    /* in order again, the same run */
	};
	const struct reg_row *rows[] = { &g[0], &g[1], &g[2], &g[3], &g[4],
					 &g[5] };
	struct payment_run out[6];
	payment_runs_match(r, rows, 6, out);
	static const size_t first[] = { 0, 1, 0, 3, 1, 3 },
			    n[] = { 1, 2, 0, 2, 2, 2 };
	for (int i = 0; i < 6; i++) {
		CHECK_INT(out[i].n, n[i]);
		if (n[i])
			CHECK_INT(out[i].first, first[i]);
	}
	CHECK_INT(r->sorted[out[3].first]->amount, 300);
	CHECK_INT(r->sorted[out[3].first + 1]->amount, 301);
	CHECK_INT(r->sorted[out[4].first + 1]->amount, 101);
	/* which payments name a number of the register */
	struct ledger lg = { 0 };
	lg.last = rows;
	lg.nlast = 4;
	unsigned char named[6];
	payments_named(&ds, &lg, named);
	static const unsigned char want[] = { 1, 1, 1, 1, 0, 1 };
	for (int i = 0; i < 6; i++)
		CHECK_INT(named[i], want[i]);
	arena_free(&a);
}
