/* slaclock.c - see slaclock.h. */
#include "bill/slaclock.h"
#include "base/vec.h"

#define DAY_SECS 86400

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int weekday_of(day_t d)
{
	/* 1970-01-01 was a Thursday (4) */
	int64_t k = floor_div(d + 3, 7);
	return (int)(d + 3 - k * 7) + 1;
}

static int service_weekday(const struct contract *c, day_t d)
{
	return c->service_days >> (weekday_of(d) - 1) & 1;
}

/* First index of cal whose date is >= d. */
static int day_vs_holiday(const void *key, const void *elem)
{
	day_t d = *(const day_t *)key, h = ((const struct holiday *)elem)->date;
	return (d > h) - (d < h);
}

static size_t cal_lower(const struct holiday *cal, size_t nh, day_t d)
{
	return lower_bound(&d, cal, nh, sizeof *cal, day_vs_holiday);
}

int sla_working_day(const struct contract *c, const struct holiday *cal,
		    size_t nh, day_t d)
{
	size_t i = cal_lower(cal, nh, d);
	if (i < nh && cal[i].date == d)
		return cal[i].kind == HK_WORKDAY;
	return service_weekday(c, d);
}

/* Seconds of day d's window that lie in [lo, hi), if d is a working day. */
static int64_t day_part(const struct contract *c, const struct holiday *cal,
			size_t nh, day_t d, int64_t lo, int64_t hi)
{
	if (!sla_working_day(c, cal, nh, d))
		return 0;
	int64_t open = d * DAY_SECS + (int64_t)c->service_hours.open * 60;
	int64_t close = d * DAY_SECS + (int64_t)c->service_hours.close * 60;
	if (lo > open)
		open = lo;
	if (hi < close)
		close = hi;
	return close > open ? close - open : 0;
}

/* Working days in [a, b]: the service weekdays, less the holidays that
 * fall on one, plus the make-up days that do not. */
static int64_t working_days(const struct contract *c,
			    const struct holiday *cal, size_t nh,
			    day_t a, day_t b)
{
	if (b < a)
		return 0;
	int64_t n = b - a + 1, weeks = n / 7, count = 0;
	for (int k = 0; k < 7; k++)
		count += c->service_days >> k & 1;
	count *= weeks;
	for (day_t d = a + weeks * 7; d <= b; d++)
		count += service_weekday(c, d);
	for (size_t i = cal_lower(cal, nh, a); i < nh && cal[i].date <= b;
	     i++) {
		int on = service_weekday(c, cal[i].date);
		if (cal[i].kind == HK_HOLIDAY && on)
			count--;
		else if (cal[i].kind == HK_WORKDAY && !on)
			count++;
	}
	return count;
}

int64_t sla_service_seconds(const struct contract *c,
			    const struct holiday *cal, size_t nh,
			    int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	day_t d0 = floor_div(from, DAY_SECS), d1 = floor_div(to, DAY_SECS);
	if (d0 == d1)
		return day_part(c, cal, nh, d0, from, to);
	int64_t window = (int64_t)(c->service_hours.close -
				   c->service_hours.open) * 60;
	return day_part(c, cal, nh, d0, from, to) +
	       working_days(c, cal, nh, d0 + 1, d1 - 1) * window +
	       day_part(c, cal, nh, d1, from, to);
}

int64_t sla_service_days_late(const struct contract *c,
			      const struct holiday *cal, size_t nh,
			      int64_t called, int64_t reached,
			      int64_t limit_centi_hours)
{
	if (limit_centi_hours <= 0)
		return 0;
	int64_t limit = limit_centi_hours * 36;        /* 3600 / 100 */
	int64_t response = sla_service_seconds(c, cal, nh, called, reached);
	if (response <= limit)
		return 0;
	int64_t window = (int64_t)(c->service_hours.close -
				   c->service_hours.open) * 60;
	return (response - limit + window - 1) / window;
}
