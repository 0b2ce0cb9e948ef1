/* money.c - see money.h */
#include "base/money.h"
#include "base/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

i128 round_div_wide(i128 num, i128 den)
{
	int neg = num < 0;
	if (neg)
		num = -num;
	i128 q = num / den, r = num % den;
	if (r >= den - r)           /* r * 2 >= den, without overflow */
		q++;
	return neg ? -q : q;
}

int64_t round_div(i128 num, i128 den)
{
	i128 q = round_div_wide(num, den);
	if (q > INT64_MAX || q < INT64_MIN) {
		/* callers bound their inputs (rules.md §2.3 limits) or use
		 * round_div_wide and a limit: reaching this is a bug */
		die_internal("an amount does not fit in 64 bits");
	}
	return (int64_t)q;
}

int amount_in_limit(i128 fen)
{
	return fen < AMOUNT_LIMIT && fen > -AMOUNT_LIMIT;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* The decimal digits of v at p; returns the end.  The formatting below
 * writes what snprintf's "%llu" and "%02llu" would, by hand: amounts are
 * formatted for every line of every document and workbook (30,000 calls
 * in the bench's 200-invoice month, each a snprintf before). */
static char *put_digits(char *p, uint64_t v)
{
	char d[20];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = d[--n];
	return p;
}

/* [-]units.hh of a magnitude m in hundredths, and the terminator */
static void put_hundredths(char *p, int neg, uint64_t m)
{
	if (neg)
		*p++ = '-';
	p = put_digits(p, m / 100);
	*p++ = '.';
	*p++ = (char)('0' + m % 100 / 10);
	*p++ = (char)('0' + m % 10);
	*p = '\0';
}

void money_plain(int64_t fen, char out[32])
{
	put_hundredths(out, fen < 0, magnitude(fen));
}

void money_grouped(int64_t fen, char out[40])
{
	uint64_t m = magnitude(fen);
	char digits[24];
	int n = (int)(put_digits(digits, m / 100) - digits);
	char *p = out;
	if (fen < 0)
		*p++ = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*p++ = ',';
		*p++ = digits[i];
	}
	*p++ = '.';
	*p++ = (char)('0' + m % 100 / 10);
	*p++ = (char)('0' + m % 10);
	*p = '\0';
}

void pct_plain(int64_t pct4, char out[32])
{
	int64_t whole = pct4 / 10000, frac = pct4 % 10000;
	if (pct4 < 0) {         /* as snprintf wrote it before */
		if (frac == 0) {
			snprintf(out, 32, "%lld", (long long)whole);
			return;
		}
		int digits = 4;
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		snprintf(out, 32, "%lld.%0*lld", (long long)whole, digits,
			 (long long)frac);
		return;
	}
	char *p = put_digits(out, (uint64_t)whole);
	if (frac) {
		/* the four decimals less their trailing zeros */
		char d[4] = { (char)('0' + frac / 1000),
			      (char)('0' + frac / 100 % 10),
			      (char)('0' + frac / 10 % 10),
			      (char)('0' + frac % 10) };
		int digits = 4;
		while (d[digits - 1] == '0')
			digits--;
		*p++ = '.';
		for (int i = 0; i < digits; i++)
			*p++ = d[i];
	}
	*p = '\0';
}

void centi_plain(int64_t centi, char out[32])
{
	put_hundredths(out, centi < 0, magnitude(centi));
}

static const char *const zh_digit[10] = {
	"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"
};
static const char *const zh_pos[4] = { "", "拾", "佰", "仟" };
static const char *const zh_group[5] = { "", "万", "亿", "万亿", "亿亿" };

void money_words_zh(int64_t fen, struct buf *out)
{
	uint64_t m = magnitude(fen);
	if (fen < 0)
		buf_adds(out, "负");
	uint64_t yuan = m / 100;
	int jiao = (int)(m / 10 % 10), fen_digit = (int)(m % 10);
	if (m == 0) {
		buf_adds(out, "零元整");
		return;
	}
	/* 4-digit groups: units, 万, 亿, 万亿 and 亿亿 reach past what a
	 * uint64_t of fen holds, so no digit is ever dropped */
	int groups[5], ngroups = 0;
	for (uint64_t y = yuan; y > 0; y /= 10000)
		groups[ngroups++] = (int)(y % 10000);
	int started = 0, zero_pending = 0;
	for (int g = ngroups - 1; g >= 0; g--) {
		int v = groups[g];
		if (v == 0) {
			zero_pending |= started;
			continue;
		}
		int digit[4];
		for (int k = 0; k < 4; k++)
			digit[k] = v / (k == 0 ? 1 : k == 1 ? 10 : k == 2 ?
					100 : 1000) % 10;
		for (int k = 3; k >= 0; k--) {
			if (digit[k] == 0) {
				/* zeros before a later non-zero digit of this
				 * group; trailing zeros are never written */
				zero_pending |= started;
				continue;
			}
			if (zero_pending)
				buf_adds(out, "零");
			zero_pending = 0;
			buf_adds(out, zh_digit[digit[k]]);
			buf_adds(out, zh_pos[k]);
			started = 1;
		}
		zero_pending = 0;       /* trailing zeros of the group */
		buf_adds(out, zh_group[g]);
	}
	if (yuan > 0) {
		buf_adds(out, "元");
		if ((yuan % 10 == 0 && jiao != 0) ||
		    (jiao == 0 && fen_digit != 0))
			buf_adds(out, "零");
	}
	if (jiao != 0) {
		buf_adds(out, zh_digit[jiao]);
		buf_adds(out, "角");
	}
	if (fen_digit != 0) {
		buf_adds(out, zh_digit[fen_digit]);
		buf_adds(out, "分");
	} else {
		buf_adds(out, "整");
	}
}

static const char *const en_small[20] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven",
	"eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
	"fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
};
static const char *const en_tens[10] = {
	"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
	"eighty", "ninety"
};

static void sep(struct buf *out)
{
	if (out->len && out->data[out->len - 1] != ' ')
		buf_addc(out, ' ');
}

static void en_below_1000(int v, struct buf *out)
{
	if (v >= 100) {
		sep(out);
		buf_adds(out, en_small[v / 100]);
		buf_adds(out, " hundred");
		v %= 100;
	}
	if (v == 0)
		return;
	sep(out);
	if (v < 20) {
		buf_adds(out, en_small[v]);
	} else {
		buf_adds(out, en_tens[v / 10]);
		if (v % 10) {
			buf_addc(out, '-');
			buf_adds(out, en_small[v % 10]);
		}
	}
}

static void en_number(uint64_t v, struct buf *out)
{
	/* every power of 1000 a uint64_t can reach (the limits of rules.md
	 * §2.3 keep amounts below a trillion yuan; this never indexes past
	 * the table, whatever it is given) */
	static const char *const scale[7] = {
		"", " thousand", " million", " billion", " trillion",
		" quadrillion", " quintillion"
	};
	if (v == 0) {
		sep(out);
		buf_adds(out, "zero");
		return;
	}
	int parts[7], n = 0;
	for (; v > 0; v /= 1000)
		parts[n++] = (int)(v % 1000);
	for (int i = n - 1; i >= 0; i--) {
		if (parts[i] == 0)
			continue;
		en_below_1000(parts[i], out);
		buf_adds(out, scale[i]);
	}
}

void money_words_en(int64_t fen, struct buf *out)
{
	uint64_t m = magnitude(fen);
	if (fen < 0)
		buf_adds(out, "minus ");
	uint64_t yuan = m / 100;
	int cents = (int)(m % 100);
	if (yuan > 0 || cents == 0) {
		en_number(yuan, out);
		buf_adds(out, " yuan");
	}
	if (cents > 0) {
		if (yuan > 0)
			buf_adds(out, " and");
		en_below_1000(cents, out);
		buf_adds(out, " fen");
	}
	buf_adds(out, " only");
}

/* ---- quantities and unit prices as written (rules.md §4) ----------------- */

static i128 pow10_i128(int d)
{
	i128 p = 1;
	while (d-- > 0)
		p *= 10;
	return p;
}

/* round(num / den) over __int128, halves away from zero; den > 0. */
static i128 round_div128(i128 num, i128 den)
{
	int neg = num < 0;
	if (neg)
		num = -num;
	i128 q = num / den, r = num % den;
	if (r >= den - r)
		q++;
	return neg ? -q : q;
}

/* v / 10^d written with exactly d decimals. */
static void dec_format(i128 v, int d, char out[DEC_LEN])
{
	char digits[DEC_LEN];
	int n = 0, neg = v < 0;
	if (neg)
		v = -v;
	do {
		digits[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v > 0 || n <= d);
	char *p = out;
	if (neg)
		*p++ = '-';
	for (int i = n - 1; i >= 0; i--) {
		*p++ = digits[i];
		if (i == d && d > 0)
			*p++ = '.';
	}
	*p = '\0';
}

void price_written(struct ratio p, char out[DEC_LEN])
{
	i128 den = p.den * 100;                 /* fen -> yuan */
	for (int d = 2; d <= 8; d++) {
		i128 num = p.num * pow10_i128(d);
		if (num % den == 0) {
			dec_format(num / den, d, out);
			return;
		}
	}
	/* a repeating fraction: 4 decimals, trailing zeros down to 2 dropped */
	i128 v = round_div128(p.num * 10000, den);
	int d = 4;
	while (d > 2 && v % 10 == 0) {
		v /= 10;
		d--;
	}
	dec_format(v, d, out);
}

void qty_written(struct ratio q, const char *price, int64_t amount,
		 char out[DEC_LEN])
{
	struct ratio u;
	if (!price || decimal_parse(price, &u) != NULL) {
		dec_format(round_div128(q.num * 100, q.den), 2, out);
		return;
	}
	for (int d = 2; d <= 8; d++) {
		i128 qd = round_div128(q.num * pow10_i128(d), q.den);
		/* qd / 10^d x u.num / u.den yuan, in fen */
		i128 prod;
		if (__builtin_mul_overflow(qd, u.num, &prod) ||
		    __builtin_mul_overflow(prod, (i128)100, &prod))
			break;
		if (round_div128(prod, pow10_i128(d) * u.den) == amount || d == 8) {
			dec_format(qd, d, out);
			return;
		}
	}
	dec_format(round_div128(q.num * pow10_i128(8), q.den), 8, out);
}

const char *decimal_parse(const char *s, struct ratio *out)
{
	const char *p = s;
	int neg = *p == '-';
	if (neg)
		p++;
	i128 v = 0;
	int whole = 0, frac = 0;
	for (; *p >= '0' && *p <= '9'; p++, whole++) {
		if (whole >= 20)
			return "too many digits";
		v = v * 10 + (*p - '0');
	}
	if (whole == 0 || *p != '.')
		return "expected digits, a point and 2 to 8 decimals";
	for (p++; *p >= '0' && *p <= '9'; p++, frac++) {
		if (frac >= 8)
			return "more than 8 decimals";
		v = v * 10 + (*p - '0');
	}
	if (*p || frac < 2)
		return "expected digits, a point and 2 to 8 decimals";
	out->num = neg ? -v : v;
	out->den = pow10_i128(frac);
	return NULL;
}

void decimal_negate(char s[DEC_LEN])
{
	if (s[0] == '-') {
		memmove(s, s + 1, strlen(s));
		return;
	}
	if (!s[0] || strspn(s, "0.") == strlen(s))
		return;                         /* empty or zero */
	size_t n = strlen(s);
	if (n + 2 > DEC_LEN)
		return;
	memmove(s + 1, s, n + 1);
	s[0] = '-';
}

int64_t decimal_e8(const char *s)
{
	struct ratio r;
	if (!s || decimal_parse(s, &r) != NULL)
		return 0;
	i128 v = r.num * pow10_i128(8) / r.den;     /* exact: den | 10^8 */
	if (v > INT64_MAX)
		return INT64_MAX;
	if (v < INT64_MIN)
		return INT64_MIN;
	return (int64_t)v;
}
