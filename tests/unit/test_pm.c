/* The preventive schedule (SPEC §5.2, §5.3): devices on time, overdue,
 * never visited, joining late and leaving; each date worked out by hand. */
#include "harness.h"
#include "read/fields.h"
#include "bill/pm.h"

static day_t D(const char *s)
{
	day_t d = 0;
	if (parse_date(s, &d))
		FAIL("bad test date %s", s);
	return d;
}

TEST(pm_add_months)
{
	CHECK_INT(add_months_clamped(D("2026-11-04"), 3), D("2027-02-04"));
	CHECK_INT(add_months_clamped(D("2026-11-30"), 3), D("2027-02-28"));
	CHECK_INT(add_months_clamped(D("2027-11-30"), 3), D("2028-02-29"));
	CHECK_INT(add_months_clamped(D("2026-08-31"), 1), D("2026-09-30"));
	CHECK_INT(add_months_clamped(D("2026-06-01"), 12), D("2027-06-01"));
	CHECK_INT(add_months_clamped(D("2026-12-15"), 1), D("2027-01-15"));
}

/* Contract 2026-06-01 .. 2027-05-31, a visit every 3 months; the state at
 * the end of November 2026 (E = 2026-11-30). */
TEST(pm_overdue_list)
{
	struct contract c;
	memset(&c, 0, sizeof c);
	c.id = "K1";
	c.start = D("2026-06-01");
	c.end = D("2027-05-31");
	c.pm_months = 3;
	static const struct {
		const char *id, *from, *to, *visit;   /* visit: completed */
	} spec[] = {
		/* visited 2026-09-10: due 2026-12-10, on time */
		{ "A-ontime", "2026-06-01", "2027-05-31", "2026-09-10 11:00" },
		/* visited 2026-08-30: due 2026-11-30 = E: overdue */
		{ "B-due-on-E", "2026-06-01", "2027-05-31", "2026-08-30 10:00" },
		/* visited 2026-08-29: due 2026-11-29, overdue */
		{ "C-overdue", "2026-06-01", "2027-05-31", "2026-08-29 10:00" },
		/* never visited, from 2026-06-01: due 2026-09-01, overdue */
		{ "D-never", "2026-06-01", "2027-05-31", NULL },
		/* never visited, joined 2026-09-15: due 2026-12-15, on time */
		{ "E-joined-late", "2026-09-15", "2027-05-31", NULL },
		/* joins 2026-12-16, after E: not listed */
		{ "F-joins-after", "2026-12-16", "2027-05-31", NULL },
		/* left 2026-11-15, before E: not listed though never visited */
		{ "G-left", "2026-06-01", "2026-11-15", NULL },
		/* visited 2026-12-02, after E: that visit does not count yet;
		 * never visited by E, due 2026-09-01: overdue */
		{ "H-visit-after-E", "2026-06-01", "2027-05-31",
		  "2026-12-02 09:00" },
		/* a repair is not a preventive visit: overdue */
		{ "I-repair-only", "2026-06-01", "2027-05-31", "R" },
	};
	enum { N = sizeof spec / sizeof *spec };
	struct device v[N];
	struct record r[N], *rp[N];
	struct dataset ds;
	memset(&ds, 0, sizeof ds);
	memset(v, 0, sizeof v);
	memset(r, 0, sizeof r);
	for (int i = 0; i < N; i++) {
		v[i].id = (char *)spec[i].id;
		v[i].contract = &c;
		v[i].from = D(spec[i].from);
		v[i].to = D(spec[i].to);
		if (!spec[i].visit)
			continue;
		r[i].id = "R";
		r[i].device = &v[i];
		if (spec[i].visit[0] == 'R') {
			r[i].type = RT_REPAIR;
			parse_datetime("2026-10-01 10:00", &r[i].completed_at);
		} else {
			r[i].type = RT_PREVENTIVE;
			parse_datetime(spec[i].visit, &r[i].completed_at);
		}
		rp[i] = &r[i];
		v[i].records = &rp[i];
		v[i].nrecords = 1;
	}
	ds.devices = v;
	ds.ndevices = N;
	struct arena a = { 0 };
	size_t n = 0;
	const struct device **od = pm_overdue(&ds, month_of(D("2026-11-01")),
					      &a, &n);
	/* B, C, D, H and I, in id order */
	CHECK_INT(n, 5);
	if (n == 5) {
		CHECK_STR(od[0]->id, "B-due-on-E");
		CHECK_STR(od[1]->id, "C-overdue");
		CHECK_STR(od[2]->id, "D-never");
		CHECK_STR(od[3]->id, "H-visit-after-E");
		CHECK_STR(od[4]->id, "I-repair-only");
	}
	struct pm_status s;
	CHECK(pm_status_at(&v[8], D("2026-11-30"), &s));
	CHECK_INT(s.has_last, 0);
	CHECK_INT(s.due, D("2026-09-01"));
	CHECK_INT(s.overdue, 1);
	CHECK(pm_status_at(&v[0], D("2026-11-30"), &s));
	CHECK_INT(s.has_last, 1);
	CHECK_INT(s.last, D("2026-09-10"));
	CHECK_INT(s.due, D("2026-12-10"));
	CHECK_INT(s.overdue, 0);
	CHECK(pm_status_at(&v[4], D("2026-11-30"), &s));
	CHECK_INT(s.due, D("2026-12-15"));
	CHECK_INT(s.overdue, 0);
	/* at the end of December H's visit of 12-02 counts: due 2027-03-02 */
	CHECK(pm_status_at(&v[7], D("2026-12-31"), &s));
	CHECK_INT(s.last, D("2026-12-02"));
	CHECK_INT(s.due, D("2027-03-02"));
	/* no pm_months: no schedule */
	c.pm_months = 0;
	CHECK(!pm_status_at(&v[0], D("2026-11-30"), &s));
	od = pm_overdue(&ds, month_of(D("2026-11-01")), &a, &n);
	CHECK_INT(n, 0);
	arena_free(&a);
}
