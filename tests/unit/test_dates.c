/* Calendar arithmetic and the accepted date and datetime forms. */
#include "harness.h"
#include "base/date.h"
#include "read/fields.h"

static void date_is(const char *s, const char *want)
{
	day_t d;
	const char *e = parse_date(s, &d);
	if (e) {
		FAIL("parse_date('%s'): %s", s, e);
		return;
	}
	char out[11];
	date_format(d, out);
	if (strcmp(out, want) != 0)
		FAIL("parse_date('%s') = %s, want %s", s, out, want);
}

TEST(date_forms)
{
	date_is("2026-11-01", "2026-11-01");
	date_is("2026/11/1", "2026-11-01");
	date_is("2026.11.01", "2026-11-01");
	date_is("20261101", "2026-11-01");
	date_is("2026年11月1日", "2026-11-01");
	date_is("2026-1-5", "2026-01-05");
	date_is("2024-02-29", "2024-02-29");
	date_is("2000-02-29", "2000-02-29");
}

TEST(date_rejects)
{
	static const char *const bad[] = {
		"2026-02-29", "1900-02-29", "2026-13-01", "2026-04-31",
		"11/01/2026", "46327", "2026-11", "2026-11-01x", "2026/11-01",
		"2026年11月1", "2026-011-01", "202611010", "20261301", "",
		" 2026-11-01", "2026.11/01",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		day_t d;
		if (!parse_date(bad[i], &d))
			FAIL("parse_date accepted '%s'", bad[i]);
	}
	day_t d;
	const char *e = parse_date("11/01/2026", &d);
	CHECK(e && strstr(e, "2026年11月1日"));   /* shows the forms */
}

TEST(datetime_forms)
{
	int64_t s;
	day_t day = date_from_ymd(2026, 11, 3);
	CHECK(!parse_datetime("2026-11-03 14:05", &s) &&
	      s == day * 86400 + 14 * 3600 + 5 * 60);
	CHECK(!parse_datetime("2026/11/3T9:30:15", &s) &&
	      s == day * 86400 + 9 * 3600 + 30 * 60 + 15);
	CHECK(!parse_datetime("2026年11月3日 0:00", &s) && s == day * 86400);
	CHECK(parse_datetime("2026-11-03", &s) != NULL);
	CHECK(parse_datetime("2026-11-03 24:00", &s) != NULL);
	CHECK(parse_datetime("2026-11-03 9:5", &s) != NULL);
	CHECK(parse_datetime("2026-11-03  9:05", &s) != NULL);
	CHECK(parse_datetime("2026-11-03 09:60", &s) != NULL);
	CHECK(parse_datetime("2026-11-03 09:05:5", &s) != NULL);
}

TEST(calendar)
{
	CHECK_INT(date_from_ymd(1970, 1, 1), 0);
	CHECK_INT(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2);
	CHECK_INT(date_from_ymd(2100, 3, 1) - date_from_ymd(2100, 2, 28), 1);
	CHECK_INT(days_in_month(2024, 2), 29);
	CHECK_INT(days_in_month(2026, 2), 28);
	int m = month_parse("2026-12");
	CHECK_INT(m, 2026 * 12 + 11);
	CHECK_INT(month_days(m), 31);
	CHECK_INT(month_first_day(m + 1), date_from_ymd(2027, 1, 1));
	CHECK_INT(month_last_day(m - 10), date_from_ymd(2026, 2, 28));
	CHECK_INT(month_parse("2026-13"), -1);
	CHECK_INT(month_parse("26-12"), -1);
	for (day_t d = -800000; d < 800000; d += 997) {
		int y, mo, dd;
		date_to_ymd(d, &y, &mo, &dd);
		if (date_from_ymd(y, mo, dd) != d)
			FAIL("round trip of day %lld", (long long)d);
	}
}
