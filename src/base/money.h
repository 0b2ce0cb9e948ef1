/* money.h - exact money arithmetic and the ways amounts are written.
 *
 * Money is int64_t fen (1/100 yuan).  Products and proportions are exact
 * rationals over __int128 and rounded once, to the nearest fen with halves
 * away from zero (rules.md §3.6).  Percentages are int64_t x 10^4 (PCT_SCALE),
 * hours and quantities int64_t x 100. */
#ifndef SVCBILL_MONEY_H
#define SVCBILL_MONEY_H

#include <stdint.h>

#include "base/buf.h"

typedef __int128 i128;

/* Anything svcbill computes (a line amount, an invoice's net, tax or
 * gross) must be below 1,000,000,000,000.00 yuan in absolute value
 * (rules.md §2.3); MONEY_MAX in fields.h, which reads the register, is the
 * same bound. */
#define AMOUNT_LIMIT ((int64_t)100000000000000)

/* round(num / den), halves away from zero; den > 0. */
i128 round_div_wide(i128 num, i128 den);
/* The same narrowed to 64 bits, with the range checked: a result that
 * does not fit is an internal error (exit 70), never a wrapped value. */
int64_t round_div(i128 num, i128 den);
/* |fen| < AMOUNT_LIMIT */
int amount_in_limit(i128 fen);

/* "1234.50", "-12.50": the register's form (no separators). */
void money_plain(int64_t fen, char out[32]);
/* "1,234.50", "-12.50": documents' form. */
void money_grouped(int64_t fen, char out[40]);
/* Percent x 10^4 as the plain number without trailing zeros: "6", "0.05". */
void pct_plain(int64_t pct4, char out[32]);
/* Hundredths with exactly 2 decimals: "1.50". */
void centi_plain(int64_t centi, char out[32]);

/* An exact rational number: num / den, den > 0.  Quantities and unit
 * prices are kept this way in the invoice model and written once, by the
 * two functions below, in the form rules.md §4 gives them. */
struct ratio {
	i128 num, den;
};

static inline struct ratio ratio_of(i128 num, i128 den)
{
	return (struct ratio){ num, den };
}

#define DEC_LEN 48      /* room for any written qty or unit price */

/* A unit price of p fen, in yuan, with the fewest decimals from 2 to 8
 * that give it exactly; else rounded to 4 decimals and written with the
 * fewest from 2 to 4 that give the rounded value ("85.3333", "12.50"). */
void price_written(struct ratio p, char out[DEC_LEN]);
/* A quantity q of a line whose unit price is written as price (NULL:
 * none) and whose amount is amount fen: the fewest decimals d from 2 to 8
 * such that round(q_d x price) = amount (q_d = q rounded half away from
 * zero to d decimals); 8 when none does.  Without a price, 2 decimals. */
void qty_written(struct ratio q, const char *price, int64_t amount,
		 char out[DEC_LEN]);
/* A written qty or price ("-?digits.digits", 2 to 8 decimals) back to its
 * exact value.  NULL on success, else what is wrong. */
const char *decimal_parse(const char *s, struct ratio *out);
/* A written qty or price as an integer x 10^8 (what a workbook cell
 * shows); saturates beyond int64 (prices over 92 billion yuan). */
int64_t decimal_e8(const char *s);
/* The written value negated in place ("6.00" <-> "-6.00"; zero stays). */
void decimal_negate(char s[DEC_LEN]);

/* 大写金额 per the People's Bank of China rules (rules.md §3.7). */
void money_words_zh(int64_t fen, struct buf *out);
/* "one thousand six hundred eighty yuan and thirty-two fen only". */
void money_words_en(int64_t fen, struct buf *out);

#endif
