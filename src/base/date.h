/* date.h - civil calendar arithmetic on day numbers.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian), so
 * intervals are plain integer ranges.  A month is counted as
 * year * 12 + (month - 1).  No time zones, no locale, no time_t. */
#ifndef SVCBILL_DATE_H
#define SVCBILL_DATE_H

#include <stdint.h>

typedef int64_t day_t;

day_t date_from_ymd(int y, int m, int d);
void date_to_ymd(day_t day, int *y, int *m, int *d);
int date_valid(int y, int m, int d);
int days_in_month(int y, int m);

/* Month numbers: y * 12 + m - 1. */
int month_of(day_t day);
day_t month_first_day(int month);
day_t month_last_day(int month);
int month_days(int month);

/* "2026-11-01" into out (11 bytes). */
void date_format(day_t day, char out[11]);
/* "2026-11" into out (8 bytes). */
void month_format(int month, char out[8]);
/* Parse "YYYY-MM" exactly; -1 on error. */
int month_parse(const char *s);

#endif
