/* fields.c - see fields.h */
#include "read/fields.h"

#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads 1..max_digits digits; returns count read or 0. */
static int read_digits(const char **pp, int max_digits, int64_t *v)
{
	const char *p = *pp;
	int n = 0;
	int64_t x = 0;
	while (is_digit(*p) && n < max_digits) {
		x = x * 10 + (*p - '0');
		p++;
		n++;
	}
	*pp = p;
	*v = x;
	return n;
}

const char *parse_money(const char *s, int allow_negative, int64_t *fen)
{
	static const char form[] =
		"not an amount; write e.g. 1234.50, 1,234.5 or ¥1234";
	const char *p = s;
	int neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (strncmp(p, "¥", strlen("¥")) == 0)
		p += strlen("¥");
	else if (strncmp(p, "￥", strlen("￥")) == 0)
		p += strlen("￥");
	else if (*p == '?' && is_digit(p[1]))
		/* an export to an encoding without the sign writes '?' */
		return "not an amount: a '?' stands before the digits, where "
		       "the export lost a character it could not encode (¥ "
		       "saved as GBK?); remove it, or save as CSV UTF-8";
	if (!is_digit(*p))
		return form;
	int64_t yuan = 0;
	const char *start = p;
	while (is_digit(*p)) {
		if (yuan > MONEY_MAX / 100)
			return "amount too large";
		yuan = yuan * 10 + (*p++ - '0');
	}
	if (*p == ',') {
		/* grouped: first group 1-3 digits, then exactly 3 per group;
		 * a first group starting with 0 is no grouping ("0,123" reads
		 * as 0.123 in much of Europe: not taken for 123) */
		if (p - start > 3 || *start == '0')
			return form;
		while (*p == ',') {
			p++;
			for (int i = 0; i < 3; i++) {
				if (!is_digit(*p))
					return form;
				yuan = yuan * 10 + (*p++ - '0');
			}
			if (is_digit(*p))
				return form;
			if (yuan > MONEY_MAX / 100)
				return "amount too large";
		}
	}
	int64_t cents = 0;
	if (*p == '.') {
		p++;
		int64_t frac;
		int n = read_digits(&p, 2, &frac);
		if (n == 0)
			return form;
		cents = n == 1 ? frac * 10 : frac;
	}
	if (*p)
		return is_digit(*p) ? "more than 2 decimals" : form;
	int64_t v = yuan * 100 + cents;
	if (v > MONEY_MAX)
		return "amount too large";
	if (neg && v != 0 && !allow_negative)
		return "a negative amount is not allowed here";
	*fen = neg ? -v : v;
	return NULL;
}

/* digits[.frac] with up to max_frac decimals, scaled by 10^max_frac */
static const char *parse_scaled(const char **pp, int max_frac, int64_t limit,
				int64_t *out)
{
	const char *p = *pp;
	int64_t v = 0;
	if (!is_digit(*p))
		return "";
	while (is_digit(*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > limit)
			return "too large";
	}
	int64_t scale = 1;
	for (int i = 0; i < max_frac; i++)
		scale *= 10;
	v *= scale;
	if (*p == '.') {
		p++;
		int n = 0;
		int64_t frac = 0;
		while (is_digit(*p)) {
			if (++n > max_frac)
				return "too many decimals";
			frac = frac * 10 + (*p++ - '0');
		}
		if (n == 0)
			return "";
		for (int i = n; i < max_frac; i++)
			frac *= 10;
		v += frac;
	}
	*pp = p;
	*out = v;
	return NULL;
}

const char *parse_percent(const char *s, int64_t *pct4)
{
	const char *p = s;
	const char *e = parse_scaled(&p, 4, 1000000, pct4);
	if (e && *e)
		return strcmp(e, "too many decimals") == 0 ?
		       "a percentage has at most 4 decimals" :
		       "percentage too large";
	if (e)
		return "not a percentage; write e.g. 8, 8% or 0.05";
	if (*p == '%')
		p++;
	if (*p)
		return "not a percentage; write e.g. 8, 8% or 0.05";
	return NULL;
}

const char *parse_centi(const char *s, int64_t *centi)
{
	const char *p = s;
	const char *e = parse_scaled(&p, 2, 100000000, centi);
	if (e && *e)
		return strcmp(e, "too many decimals") == 0 ?
		       "at most 2 decimals" : "number too large";
	if (e || *p)
		return "not a number; write e.g. 2, 1.5 or 0.25";
	return NULL;
}

const char *parse_int(const char *s, int64_t *v)
{
	const char *p = s;
	int64_t x = 0;
	if (!is_digit(*p))
		return "not a whole number";
	while (is_digit(*p)) {
		x = x * 10 + (*p++ - '0');
		if (x > 1000000000)
			return "number too large";
	}
	if (*p)
		return "not a whole number";
	*v = x;
	return NULL;
}

static const char date_range[] =
	"a date must be from 1900-01-01 to 9999-12-31 (the limits)";

static const char date_forms[] =
	"not a date; write 2026-11-01, 2026/11/1, 2026.11.01, 20261101 or "
	"2026年11月1日";

/* Parses a date at *pp, leaving *pp after it. */
static const char *date_prefix(const char **pp, day_t *day)
{
	const char *p = *pp;
	int64_t y, m, d;
	/* YYYY-MM-DD, as svcbill writes dates and most files have them:
	 * the digits where they must be, read at once (the index and the
	 * ledger hold tens of thousands); what the general reading below
	 * gives for the same text */
	if (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
	    is_digit(p[3]) && p[4] == '-' && is_digit(p[5]) &&
	    is_digit(p[6]) && p[7] == '-' && is_digit(p[8]) &&
	    is_digit(p[9])) {
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
		    (p[2] - '0') * 10 + (p[3] - '0');
		m = (p[5] - '0') * 10 + (p[6] - '0');
		d = (p[8] - '0') * 10 + (p[9] - '0');
		p += 10;
	} else if (read_digits(&p, 8, &y) == 8) {
		/* YYYYMMDD */
		d = y % 100;
		m = y / 100 % 100;
		y /= 10000;
	} else {
		p = *pp;
		if (read_digits(&p, 4, &y) != 4)
			return date_forms;
		/* "-", "/" or "." twice, or 年 月 日 */
		int cjk = strncmp(p, "年", strlen("年")) == 0;
		char sep = *p;
		if (cjk)
			p += strlen("年");
		else if (sep == '-' || sep == '/' || sep == '.')
			p++;
		else
			return date_forms;
		if (read_digits(&p, 2, &m) == 0)
			return date_forms;
		if (cjk ? strncmp(p, "月", strlen("月")) != 0 : *p != sep)
			return date_forms;
		p += cjk ? strlen("月") : 1;
		if (read_digits(&p, 2, &d) == 0)
			return date_forms;
		if (cjk) {
			if (strncmp(p, "日", strlen("日")) != 0)
				return date_forms;
			p += strlen("日");
		}
	}
	if (is_digit(*p))
		return date_forms;
	if (y < INPUT_YEAR_MIN)     /* four digits: never after 9999 */
		return date_range;
	if (!date_valid((int)y, (int)m, (int)d))
		return "no such date";
	*day = date_from_ymd((int)y, (int)m, (int)d);
	*pp = p;
	return NULL;
}

const char *parse_date(const char *s, day_t *day)
{
	const char *p = s;
	const char *e = date_prefix(&p, day);
	if (e)
		return e;
	return *p ? date_forms : NULL;
}

const char *parse_datetime(const char *s, int64_t *secs)
{
	static const char forms[] =
		"not a date and time; write e.g. 2026-11-03 14:05 or "
		"2026/11/3 9:30:00";
	const char *p = s;
	day_t day;
	const char *e = date_prefix(&p, &day);
	if (e)
		return e == date_forms ? forms : e;
	if (*p != ' ' && *p != 'T')
		return forms;
	p++;
	int64_t h, mi, se = 0;
	if (read_digits(&p, 2, &h) == 0 || *p++ != ':')
		return forms;
	if (read_digits(&p, 2, &mi) != 2)
		return forms;
	if (*p == ':') {
		p++;
		if (read_digits(&p, 2, &se) != 2)
			return forms;
	}
	if (*p)
		return forms;
	if (h > 23 || mi > 59 || se > 59)
		return "no such time of day";
	*secs = day * 86400 + h * 3600 + mi * 60 + se;
	return NULL;
}

/* ---- service window (rules.md §2.4 service_days, service_hours) ---------- */

static const char *skip_blank(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if (strncmp(p, "\u3000", strlen("\u3000")) == 0)
			p += strlen("\u3000");
		else
			return p;
	}
}

/* Consumes the token tok at *pp if it is there. */
static int eat(const char **pp, const char *tok)
{
	size_t n = strlen(tok);
	if (strncmp(*pp, tok, n) != 0)
		return 0;
	*pp += n;
	return 1;
}

/* A day at *pp: 1-7, 周一..周日/周天, 星期一..星期日/星期天; 0 if none. */
static int read_weekday(const char **pp)
{
	static const char *const cn[8] = { "一", "二", "三", "四", "五", "六",
					   "日", "天" };
	const char *p = *pp;
	if (*p >= '1' && *p <= '7' && !is_digit(p[1])) {
		*pp = p + 1;
		return *p - '0';
	}
	if (!eat(&p, "星期") && !eat(&p, "周"))
		return 0;
	for (int k = 0; k < 8; k++)
		if (eat(&p, cn[k])) {
			*pp = p;
			return k < 7 ? k + 1 : 7;
		}
	return 0;
}

static int eat_range(const char **pp)
{
	return eat(pp, "-") || eat(pp, "~") || eat(pp, "至");
}

const char *parse_service_days(const char *s, int *days)
{
	static const char form[] =
		"not a list of service days; write e.g. 1-5, 1,3,5, 6-7, "
		"周一至周五 or 周一、周三 (1 = Monday ... 7 = Sunday)";
	const char *p = s;
	int mask = 0;
	for (;;) {
		p = skip_blank(p);
		int first = read_weekday(&p), last;
		if (!first)
			return form;
		p = skip_blank(p);
		if (eat_range(&p)) {
			p = skip_blank(p);
			last = read_weekday(&p);
			if (!last)
				return form;
			if (last < first)
				return "a range of days runs from the first to "
				       "the last, Monday to Sunday (no "
				       "wrapping: write 6-7,1 for 周六至周一)";
			p = skip_blank(p);
		} else {
			last = first;
		}
		for (int k = first; k <= last; k++)
			mask |= 1 << (k - 1);
		if (!*p)
			break;
		if (!eat(&p, ",") && !eat(&p, "，") && !eat(&p, "、"))
			return form;
	}
	*days = mask;
	return NULL;
}

/* H:MM or HH:MM at *pp as minutes after midnight; -1 if malformed. */
static int read_clock(const char **pp)
{
	const char *p = *pp;
	int64_t h, m;
	if (read_digits(&p, 2, &h) == 0 || *p++ != ':' ||
	    read_digits(&p, 2, &m) != 2 || is_digit(*p))
		return -1;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*pp = p;
	return (int)(h * 60 + m);
}

const char *parse_service_hours(const char *s, int *open, int *close)
{
	static const char form[] =
		"not service hours; write e.g. 09:00-17:00 or 8:30-17:30 "
		"(00:00-24:00 for the whole day)";
	const char *p = s;
	int a = read_clock(&p);
	if (a < 0)
		return form;
	p = skip_blank(p);
	if (!eat_range(&p))
		return form;
	p = skip_blank(p);
	int b = read_clock(&p);
	if (b < 0 || *p)
		return form;
	if (a >= b)
		return "the service hours must start before they end, within "
		       "one day";
	*open = a;
	*close = b;
	return NULL;
}

/* ---- input limits (rules.md §2.3) ---------------------------------------- */

const char *parse_input_money(const char *s, int allow_negative,
			      int64_t *fen)
{
	static const char over[] = "an amount must be below "
				   "10,000,000,000.00 (the limit)";
	int64_t v;
	const char *e = parse_money(s, allow_negative, &v);
	if (e)
		return strcmp(e, "amount too large") == 0 ? over : e;
	if (v >= INPUT_MONEY_LIMIT || v <= -INPUT_MONEY_LIMIT)
		return over;
	*fen = v;
	return NULL;
}

const char *parse_input_percent(const char *s, int64_t *pct4)
{
	static const char over[] = "a percentage is at most 1,000 (the limit)";
	int64_t v;
	const char *e = parse_percent(s, &v);
	if (e)
		return strcmp(e, "percentage too large") == 0 ? over : e;
	if (v > INPUT_PCT_MAX)
		return over;
	*pct4 = v;
	return NULL;
}

const char *parse_input_centi(const char *s, int64_t *centi)
{
	static const char over[] = "must be below 1,000,000 (the limit)";
	int64_t v;
	const char *e = parse_centi(s, &v);
	if (e)
		return strcmp(e, "number too large") == 0 ? over : e;
	if (v >= INPUT_CENTI_LIMIT)
		return over;
	*centi = v;
	return NULL;
}

/* parse_date already holds dates to 1900-01-01 .. 9999-12-31 (the
 * calendar of date.c covers no more): the same limit for input */
const char *parse_input_date(const char *s, day_t *day)
{
	return parse_date(s, day);
}

const char *parse_input_datetime(const char *s, int64_t *secs)
{
	return parse_datetime(s, secs);
}
