/* The service-hour SLA clock (SPEC §3.3): every figure below is worked out
 * by hand in the comment beside it, from the calendar and the window; a
 * naive day-by-day reference checks the fast counting of whole days. */
#include "harness.h"
#include "read/fields.h"
#include "bill/rules.h"
#include "bill/slaclock.h"

#include <stdlib.h>

#define H 3600
#define MIN 60

static int64_t T(const char *s)
{
	int64_t t = 0;
	if (parse_datetime(s, &t))
		FAIL("bad test datetime %s", s);
	return t;
}

static day_t D(const char *s)
{
	day_t d = 0;
	if (parse_date(s, &d))
		FAIL("bad test date %s", s);
	return d;
}

/* A contract with a window of the given weekdays (bit 0 = Monday) and
 * hours (minutes after midnight). */
static struct contract window(int days, int open, int close)
{
	struct contract c;
	memset(&c, 0, sizeof c);
	c.service_days = days;
	c.service_hours.open = open;
	c.service_hours.close = close;
	c.has_window = 1;
	return c;
}

#define MON_FRI 0x1f
#define NINE_TO_FIVE 9 * 60, 17 * 60

/* China's 2026 public holidays and make-up days (国务院办公厅, 2025-11-04),
 * and 2025-12-31's neighbours; sorted by date as the loader leaves them. */
static struct holiday cal2026[40];
static size_t ncal2026;

static void add(const char *from, const char *to, int kind)
{
	for (day_t d = D(from); d <= D(to); d++) {
		cal2026[ncal2026].date = d;
		cal2026[ncal2026].kind = kind;
		cal2026[ncal2026].name = "";
		ncal2026++;
	}
}

static void make_cal2026(void)
{
	if (ncal2026)
		return;
	add("2026-01-01", "2026-01-03", HK_HOLIDAY);   /* 元旦 */
	add("2026-01-04", "2026-01-04", HK_WORKDAY);   /* Sunday */
	add("2026-02-14", "2026-02-14", HK_WORKDAY);   /* Saturday */
	add("2026-02-15", "2026-02-23", HK_HOLIDAY);   /* 春节 */
	add("2026-02-28", "2026-02-28", HK_WORKDAY);   /* Saturday */
	add("2026-04-04", "2026-04-06", HK_HOLIDAY);   /* 清明 */
	add("2026-05-01", "2026-05-05", HK_HOLIDAY);   /* 劳动节 */
	add("2026-05-09", "2026-05-09", HK_WORKDAY);   /* Saturday */
	add("2026-06-19", "2026-06-21", HK_HOLIDAY);   /* 端午 */
	add("2026-09-20", "2026-09-20", HK_WORKDAY);   /* Sunday */
	add("2026-09-25", "2026-09-27", HK_HOLIDAY);   /* 中秋 */
	add("2026-10-01", "2026-10-07", HK_HOLIDAY);   /* 国庆 */
	add("2026-10-10", "2026-10-10", HK_WORKDAY);   /* Saturday */
}

/* Days late for a 16-hour limit (the seed's 十六工作小时). */
static int64_t late16(const struct contract *c, const char *called,
		      const char *reached)
{
	make_cal2026();
	return sla_service_days_late(c, cal2026, ncal2026, T(called),
				     T(reached), 1600);
}

static int64_t svc(const struct contract *c, const char *from,
		   const char *to)
{
	make_cal2026();
	return sla_service_seconds(c, cal2026, ncal2026, T(from), T(to));
}

TEST(slaclock_weekday)
{
	CHECK_INT(weekday_of(D("1970-01-01")), 4);     /* a Thursday */
	CHECK_INT(weekday_of(D("1969-12-29")), 1);     /* Monday, before 0 */
	CHECK_INT(weekday_of(D("2026-11-04")), 3);     /* Wednesday */
	CHECK_INT(weekday_of(D("2026-11-08")), 7);     /* Sunday */
	CHECK_INT(weekday_of(D("2028-02-29")), 2);     /* Tuesday */
}

/* SPEC §3.3's example: Mon-Fri 09:00-17:00, 16 h; called Wednesday 10:00,
 * arrived the next Monday 11:00: 7 + 8 + 8 + 2 = 25 h, 9 h over, a day is
 * 8 h: ceil(9/8) = 2 days.  2026-11-04 is a Wednesday, no holiday near. */
TEST(slaclock_spec_example)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	CHECK_INT(svc(&c, "2026-11-04 10:00", "2026-11-09 11:00"), 25 * H);
	CHECK_INT(late16(&c, "2026-11-04 10:00", "2026-11-09 11:00"), 2);
	/* called Saturday 10:00: the clock starts Monday 09:00; reached
	 * Monday 10:30 = 1.5 h */
	CHECK_INT(svc(&c, "2026-11-07 10:00", "2026-11-09 10:30"),
		  H + 30 * MIN);
	/* ... reached Wednesday 10:00: Mon 8 + Tue 8 + Wed 1 = 17 h, 1 h
	 * over: 1 day */
	CHECK_INT(late16(&c, "2026-11-07 10:00", "2026-11-11 10:00"), 1);
}

/* Calls before, during and after the window, Tuesday 2026-11-10. */
TEST(slaclock_call_times)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	/* before opening, reached 08:30 the same day: no service time */
	CHECK_INT(svc(&c, "2026-11-10 07:00", "2026-11-10 08:30"), 0);
	/* before opening, reached Wed 15:00: Tue 8 + Wed 6 = 14 h, in time
	 * (the wall clock says 32 h: 1 day late) */
	CHECK_INT(svc(&c, "2026-11-10 07:00", "2026-11-11 15:00"), 14 * H);
	CHECK_INT(late16(&c, "2026-11-10 07:00", "2026-11-11 15:00"), 0);
	/* during: 13:00 to Thu 14:30: Tue 4 + Wed 8 + Thu 5.5 = 17.5 h,
	 * 1.5 h over: 1 day */
	CHECK_INT(svc(&c, "2026-11-10 13:00", "2026-11-12 14:30"),
		  17 * H + 30 * MIN);
	CHECK_INT(late16(&c, "2026-11-10 13:00", "2026-11-12 14:30"), 1);
	/* after closing, 18:00 to Thu 16:00: Tue 0 + Wed 8 + Thu 7 = 15 h */
	CHECK_INT(late16(&c, "2026-11-10 18:00", "2026-11-12 16:00"), 0);
	/* ... to Fri 09:30: Wed 8 + Thu 8 + Fri 0.5 = 16.5 h: 1 day */
	CHECK_INT(late16(&c, "2026-11-10 18:00", "2026-11-13 09:30"), 1);
	/* over by 8 h exactly is 1 day, by 8 h 1 min 2 days: called Tue
	 * 09:00; Tue 8 + Wed 8 + Thu 8 = 24 h at Thu 17:00 (8 h over), Fri
	 * 09:01 is 24 h 1 min */
	CHECK_INT(late16(&c, "2026-11-10 09:00", "2026-11-12 17:00"), 1);
	CHECK_INT(late16(&c, "2026-11-10 09:00", "2026-11-13 09:01"), 2);
	/* seconds count: 16 h and 1 s is late */
	CHECK_INT(sla_service_days_late(&c, NULL, 0, T("2026-11-10 09:00"),
					T("2026-11-11 17:00:01"), 1600), 0);
	CHECK_INT(sla_service_days_late(&c, NULL, 0, T("2026-11-10 09:00"),
					T("2026-11-12 09:00:01"), 1600), 1);
}

/* The issue's case: called Friday 16:00 with 16 h: the technician has
 * until Tuesday.  2026-11-13 is a Friday: Fri 1 + Mon 8 + Tue 7 = 16 h at
 * Tue 16:00.  A limit ending exactly at the close: called Fri 09:00, Fri 8
 * + Mon 8 = 16 h at Mon 17:00: in time.  After the close no service time
 * passes, so Mon 17:01 and 23:59 are still in time; one service minute
 * more (Tue 09:01) is one day late. */
TEST(slaclock_weekend_and_close)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	CHECK_INT(svc(&c, "2026-11-13 16:00", "2026-11-17 16:00"), 16 * H);
	CHECK_INT(late16(&c, "2026-11-13 16:00", "2026-11-17 16:00"), 0);
	CHECK_INT(late16(&c, "2026-11-13 16:00", "2026-11-17 16:01"), 1);
	CHECK_INT(svc(&c, "2026-11-13 09:00", "2026-11-16 17:00"), 16 * H);
	CHECK_INT(late16(&c, "2026-11-13 09:00", "2026-11-16 17:00"), 0);
	CHECK_INT(late16(&c, "2026-11-13 09:00", "2026-11-16 17:01"), 0);
	CHECK_INT(late16(&c, "2026-11-13 09:00", "2026-11-16 23:59"), 0);
	CHECK_INT(late16(&c, "2026-11-13 09:00", "2026-11-17 09:01"), 1);
	/* Saturday morning, where the wall clock (18 h) says late: 1 h */
	CHECK_INT(svc(&c, "2026-11-13 16:00", "2026-11-14 10:00"), H);
	/* a call on Sunday reached on Sunday: nothing counts */
	CHECK_INT(svc(&c, "2026-11-15 08:00", "2026-11-15 20:00"), 0);
}

/* Holidays of 2026: 中秋 Fri 09-25 .. Sun 09-27, 国庆 Thu 10-01 .. Wed
 * 10-07, make-up Saturday 10-10. */
TEST(slaclock_holidays)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	/* called on the holiday Friday 09-25 10:00: the clock starts Mon
	 * 09-28 09:00; Tue 09-29 17:00 = 16 h in time, Wed 09-30 09:00 (the
	 * opening) still 16 h, 10:00 17 h: 1 day */
	CHECK_INT(svc(&c, "2026-09-25 10:00", "2026-09-29 17:00"), 16 * H);
	CHECK_INT(late16(&c, "2026-09-25 10:00", "2026-09-30 09:00"), 0);
	CHECK_INT(late16(&c, "2026-09-25 10:00", "2026-09-30 10:00"), 1);
	/* the same call without the calendar counts Friday 7 h: Fri 7 +
	 * Mon 8 + Tue 1 = 16 h at Tue 10:00 */
	CHECK_INT(sla_service_seconds(&c, NULL, 0, T("2026-09-25 10:00"),
				      T("2026-09-29 10:00")), 16 * H);
	/* the day before the National Day block: Wed 09-30 10:00, then
	 * 10-01..10-07 off, Thu 10-08 8 h, Fri 10-09 10:00 1 h:
	 * 7 + 8 + 1 = 16 h in time (9 days on the wall clock) */
	CHECK_INT(svc(&c, "2026-09-30 10:00", "2026-10-09 10:00"), 16 * H);
	CHECK_INT(late16(&c, "2026-09-30 10:00", "2026-10-09 10:00"), 0);
	CHECK_INT(late16(&c, "2026-09-30 10:00", "2026-10-09 10:01"), 1);
	/* ... reached on the make-up Saturday 10-10 09:30: 7 + 8 + 8 + 0.5
	 * = 23.5 h, 7.5 h over: 1 day */
	CHECK_INT(svc(&c, "2026-09-30 10:00", "2026-10-10 09:30"),
		  23 * H + 30 * MIN);
	CHECK_INT(late16(&c, "2026-09-30 10:00", "2026-10-10 09:30"), 1);
	/* a call on a holiday reached on a holiday: nothing counts */
	CHECK_INT(svc(&c, "2026-10-02 09:00", "2026-10-05 17:00"), 0);
}

/* 调休: a Saturday that is a working day. */
TEST(slaclock_makeup_saturday)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	make_cal2026();
	CHECK(sla_working_day(&c, cal2026, ncal2026, D("2026-10-10")));
	CHECK(!sla_working_day(&c, cal2026, ncal2026, D("2026-10-11")));
	CHECK(!sla_working_day(&c, cal2026, ncal2026, D("2026-10-01")));
	/* called Sat 10-10 10:00, reached Mon 10-12 11:00: Sat 7 + Sun 0 +
	 * Mon 2 = 9 h (without the calendar: Mon 2 h) */
	CHECK_INT(svc(&c, "2026-10-10 10:00", "2026-10-12 11:00"), 9 * H);
	CHECK_INT(sla_service_seconds(&c, NULL, 0, T("2026-10-10 10:00"),
				      T("2026-10-12 11:00")), 2 * H);
	/* Spring Festival: called Fri 02-13 15:00; Sat 02-14 is a working
	 * day, 02-15..02-23 off; reached Tue 02-24 11:00: Fri 2 + Sat 8 +
	 * Tue 2 = 12 h; reached Wed 02-25 11:00: + Tue's other 6 h + Wed 2 =
	 * 20 h, 4 h over: 1 day */
	CHECK_INT(svc(&c, "2026-02-13 15:00", "2026-02-24 11:00"), 12 * H);
	CHECK_INT(late16(&c, "2026-02-13 15:00", "2026-02-25 11:00"), 1);
	/* a make-up day on a day that is a service day anyway changes
	 * nothing: Sunday 09-20 is a workday for Mon-Fri; for a 1-7 window it
	 * already was one */
	struct contract all = window(0x7f, NINE_TO_FIVE);
	CHECK_INT(svc(&all, "2026-09-19 09:00", "2026-09-21 09:00"), 16 * H);
}

/* Across a year's end: Wed 2025-12-31 15:00; 2026-01-01..03 off, Sunday
 * 01-04 a make-up day.  Reached Mon 01-05 10:00: 2 + 8 + 1 = 11 h; at
 * 17:00: 2 + 8 + 8 = 18 h, 2 h over: 1 day.  And a leap day: Mon
 * 2028-02-28 10:00 to Wed 2028-03-01 12:00: 7 + 8 (Tue 02-29) + 3 = 18 h,
 * 1 day; the wall clock gives 50 h there (26 h 2028 has 29 Feb). */
TEST(slaclock_year_end_and_leap_day)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	CHECK_INT(svc(&c, "2025-12-31 15:00", "2026-01-05 10:00"), 11 * H);
	CHECK_INT(late16(&c, "2025-12-31 15:00", "2026-01-05 10:00"), 0);
	CHECK_INT(late16(&c, "2025-12-31 15:00", "2026-01-05 17:00"), 1);
	CHECK_INT(svc(&c, "2028-02-28 10:00", "2028-03-01 12:00"), 18 * H);
	CHECK_INT(late16(&c, "2028-02-28 10:00", "2028-03-01 12:00"), 1);
	CHECK_INT(T("2028-03-01 12:00") - T("2028-02-28 10:00"), 50 * H);
}

/* Windows of another length and other days. */
TEST(slaclock_other_windows)
{
	/* 08:30-17:30, 9 h a day; called Mon 2026-11-02 08:00, reached Wed
	 * 09:30: 9 + 9 + 1 = 19 h, 3 h over: ceil(3/9) = 1 day; reached Thu
	 * 08:30 (the opening): 27 h, 11 h over: ceil(11/9) = 2 days */
	struct contract c = window(MON_FRI, 8 * 60 + 30, 17 * 60 + 30);
	CHECK_INT(svc(&c, "2026-11-02 08:00", "2026-11-04 09:30"), 19 * H);
	CHECK_INT(late16(&c, "2026-11-02 08:00", "2026-11-04 09:30"), 1);
	CHECK_INT(late16(&c, "2026-11-02 08:00", "2026-11-05 08:30"), 2);
	/* 1,3,5 (Mon, Wed, Fri) 09:00-17:00: called Tue 11-03 10:00 (not a
	 * service day), reached Mon 11-09 12:00: Wed 8 + Fri 8 + Mon 3 =
	 * 19 h, 3 h over: 1 day */
	struct contract m = window(1 | 4 | 16, NINE_TO_FIVE);
	CHECK_INT(svc(&m, "2026-11-03 10:00", "2026-11-09 12:00"), 19 * H);
	CHECK_INT(late16(&m, "2026-11-03 10:00", "2026-11-09 12:00"), 1);
	/* 6-7 with the calendar: Sat 10-10 is a make-up working day, and a
	 * weekend window still works on it; 10-03/10-04 are holidays: none */
	struct contract w = window(32 | 64, NINE_TO_FIVE);
	CHECK_INT(svc(&w, "2026-10-03 00:00", "2026-10-11 23:00"), 16 * H);
	/* 00:00-24:00 every day equals the wall clock, and a day is 24 h */
	struct contract all = window(0x7f, 0, 24 * 60);
	CHECK_INT(sla_service_seconds(&all, NULL, 0, T("2026-11-10 10:00"),
				      T("2026-11-12 11:30")),
		  49 * H + 30 * MIN);
	CHECK_INT(sla_service_days_late(&all, NULL, 0, T("2026-11-10 10:00"),
					T("2026-11-12 11:30"), 1600), 2);
	CHECK_INT(sla_days_late(49 * H + 30 * MIN, 1600), 2);
	/* no limit, no lateness */
	CHECK_INT(sla_service_days_late(&c, NULL, 0, T("2026-11-02 08:00"),
					T("2026-12-02 08:00"), 0), 0);
}

/* Reference: day by day, each working day's overlap with [from, to). */
static int64_t naive(const struct contract *c, const struct holiday *cal,
		     size_t n, int64_t from, int64_t to)
{
	int64_t sum = 0;
	for (day_t d = from / 86400 - 1; d <= to / 86400 + 1; d++) {
		int work = c->service_days >> (weekday_of(d) - 1) & 1;
		for (size_t i = 0; i < n; i++)
			if (cal[i].date == d)
				work = cal[i].kind == HK_WORKDAY;
		if (!work)
			continue;
		int64_t lo = d * 86400 + c->service_hours.open * 60;
		int64_t hi = d * 86400 + c->service_hours.close * 60;
		if (lo < from)
			lo = from;
		if (hi > to)
			hi = to;
		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

/* The whole-day counting agrees with the reference on spans of up to a
 * year and a half across 2026's calendar, for several windows. */
TEST(slaclock_matches_day_by_day)
{
	make_cal2026();
	static const int days[] = { 0x1f, 0x7f, 1 | 4 | 16, 32 | 64, 2 };
	unsigned seed = 14;
	int bad = 0;
	for (int k = 0; k < 2000 && !bad; k++) {
		seed = seed * 1103515245u + 12345u;
		struct contract c = window(days[k % 5], 8 * 60 + 30,
					   17 * 60 + 30);
		int64_t base = T("2025-11-01 00:00");
		int64_t from = base + (int64_t)(seed >> 8) % (400 * 86400);
		seed = seed * 1103515245u + 12345u;
		int64_t to = from + (int64_t)(seed >> 8) % (160 * 86400);
		int64_t got = sla_service_seconds(&c, cal2026, ncal2026, from,
						  to);
		int64_t want = naive(&c, cal2026, ncal2026, from, to);
		if (got != want) {
			FAIL("span %lld..%lld: got %lld, want %lld",
			     (long long)from, (long long)to, (long long)got,
			     (long long)want);
			bad = 1;
		}
	}
}

/* Through the fee engine: a Mon-Fri 09:00-17:00 contract, 16 h for
 * repairs and 4 h for emergencies, 200.00 a day late. */
TEST(slaclock_in_bill_contract)
{
	struct contract c = window(MON_FRI, NINE_TO_FIVE);
	c.id = "K1";
	c.client_id = "C1";
	c.type = CT_WEBSITE;
	c.start = D("2027-01-01");            /* no recurring line in 2026-12 */
	c.end = D("2027-12-31");
	c.cycle_months = 1;
	c.tax_pct = 6 * PCT_SCALE;
	c.goods_tax_pct = 13 * PCT_SCALE;
	c.currency = "CNY";
	c.sla_hours = 1600;
	c.sla_emergency_hours = 400;
	c.sla_penalty = 20000;
	struct device v;
	memset(&v, 0, sizeof v);
	v.id = "D1";
	v.contract = &c;
	struct record r[3];
	memset(r, 0, sizeof r);
	for (int i = 0; i < 3; i++) {
		r[i].device = &v;
		r[i].type = RT_REPAIR;
		r[i].ri.has = (1u << RECORD_CALLED_AT) |
			    (1u << RECORD_ARRIVED_AT);
	}
	/* R1 repair, Fri 11-13 16:00 to Sat 10:00: 1 service hour, in time
	 * (18 h on the wall clock would be 1 day late) */
	r[0].id = "R1";
	r[0].called_at = T("2026-11-13 16:00");
	r[0].arrived_at = T("2026-11-14 10:00");
	/* R2 emergency, Sat 11-14 10:00 to 15:00: wall clock 5 h against
	 * 4 h, 1 day (a 24 h day) late, though no service hour passed */
	r[1].id = "R2";
	r[1].type = RT_EMERGENCY;
	r[1].called_at = T("2026-11-14 10:00");
	r[1].arrived_at = T("2026-11-14 15:00");
	/* R3 repair, the §3.3 example: Wed 11-04 10:00 to Mon 11-09 11:00:
	 * 25 service hours, 2 days late */
	r[2].id = "R3";
	r[2].called_at = T("2026-11-04 10:00");
	r[2].arrived_at = T("2026-11-09 11:00");
	for (int i = 0; i < 3; i++)
		r[i].completed_at = T("2026-11-20 12:00") + i * 60;
	struct record *recs[3] = { &r[0], &r[1], &r[2] };
	v.records = recs;
	v.nrecords = 3;
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
	CHECK_INT(inv.nlines, 2);
	if (inv.nlines == 2) {
		CHECK_STR(inv.lines[0].record_id, "R2");
		CHECK_INT(inv.lines[0].amount, -20000);
		CHECK_STR(inv.lines[1].record_id, "R3");
		CHECK_STR(inv.lines[1].qty_s, "2.00");   /* days late */
		CHECK_INT(inv.lines[1].amount, -40000);
	}
	/* without a window the same contract counts the wall clock: R1 18 h
	 * (1 day), R2 1 day, R3 121 h, 105 h over: ceil(105/24) = 5 days */
	c.has_window = 0;
	bill_contract(&in, &c, &a, &inv);
	CHECK_INT(inv.nlines, 3);
	if (inv.nlines == 3) {
		CHECK_INT(inv.lines[0].amount, -20000);
		CHECK_STR(inv.lines[2].qty_s, "5.00");
	}
	arena_free(&a);
}
