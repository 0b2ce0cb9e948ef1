/* date.c - see date.h.  The day-number conversions are the usual
 * era-based civil calendar algorithms (400-year cycles of 146097 days). */
#include "base/date.h"


static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int date_valid(int y, int m, int d)
{
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

day_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (day_t)era * 146097 + doe - 719468;
}

void date_to_ymd(day_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (int)((z >= 0 ? z : z - 146096) / 146097);
	int doe = (int)(z - (day_t)era * 146097);
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int month_of(day_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y * 12 + m - 1;
}

day_t month_first_day(int month)
{
	return date_from_ymd(month / 12, month % 12 + 1, 1);
}

int month_days(int month)
{
	return days_in_month(month / 12, month % 12 + 1);
}

day_t month_last_day(int month)
{
	return month_first_day(month) + month_days(month) - 1;
}

static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

void date_format(day_t day, char out[11])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

void month_format(int month, char out[8])
{
	put_digits(out, month / 12, 4);
	out[4] = '-';
	put_digits(out + 5, month % 12 + 1, 2);
	out[7] = '\0';
}

int month_parse(const char *s)
{
	for (int i = 0; i < 7; i++) {
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	}
	if (s[7])
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (!date_valid(y, m, 1))
		return -1;
	return y * 12 + m - 1;
}
