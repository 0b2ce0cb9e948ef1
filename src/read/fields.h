/* fields.h - strict parsers for the field types of rules.md §2.3.
 *
 * Each returns NULL on success or a short message saying what is wrong and
 * what is accepted.  Input is a trimmed, non-empty UTF-8 string; the whole
 * string must be consumed.  No locale, no strtod, no floating point. */
#ifndef SVCBILL_FIELDS_H
#define SVCBILL_FIELDS_H

#include <stdint.h>

#include "base/date.h"

#define MONEY_MAX  INT64_C(100000000000000)   /* 1e12 yuan, in fen */
#define PCT_SCALE  10000                      /* percent stored x 10^4 */
#define CENTI      100                        /* hours and qty x 100 */

/* Money: [-][¥|￥]digits[,ddd...][.d|.dd] to fen. */
const char *parse_money(const char *s, int allow_negative, int64_t *fen);
/* Percent: digits[.1-4 digits][%] to percent x 10^4. */
const char *parse_percent(const char *s, int64_t *pct4);
/* Hours or quantity: digits[.1-2 digits] to hundredths. */
const char *parse_centi(const char *s, int64_t *centi);
/* Non-negative integer, digits only. */
const char *parse_int(const char *s, int64_t *v);
/* Date: YYYY-M-D, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日. */
const char *parse_date(const char *s, day_t *day);
/* Datetime: a date, one space or T, H:MM or H:MM:SS: seconds since
 * 1970-01-01 00:00 local wall-clock time. */
const char *parse_datetime(const char *s, int64_t *secs);

/* service_days: a list of days or ranges of days (1-7, 周一..周日, 周天,
 * 星期一..星期日, 星期天; ranges with - ~ 至; separators , ， 、) to a
 * set of weekdays, bit 0 = Monday ... bit 6 = Sunday. */
const char *parse_service_days(const char *s, int *days);
/* service_hours: H:MM-H:MM (or with ~ or 至) within one day, start before
 * end, 24:00 allowed as the end: minutes after midnight. */
const char *parse_service_hours(const char *s, int *open, int *close);

/* The limits of rules.md §2.3 for input files.  The parsers above accept
 * more, as the register holds computed values up to MONEY_MAX; the
 * parse_input_* functions add the limits, each with a message that names
 * it. */
#define INPUT_MONEY_LIMIT INT64_C(1000000000000)  /* fen; |amount| below */
#define INPUT_CENTI_LIMIT INT64_C(100000000)      /* x 100; below 1,000,000 */
#define INPUT_PCT_MAX     (INT64_C(1000) * PCT_SCALE)
#define INPUT_DAYS_MAX    3650                    /* payment_days */
#define INPUT_YEAR_MIN    1900                    /* dates from 1900-01-01 */

const char *parse_input_money(const char *s, int allow_negative,
			      int64_t *fen);
const char *parse_input_percent(const char *s, int64_t *pct4);
const char *parse_input_centi(const char *s, int64_t *centi);
const char *parse_input_date(const char *s, day_t *day);
const char *parse_input_datetime(const char *s, int64_t *secs);

#endif
