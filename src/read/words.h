/* words.h - the words of the input side: each enumeration that a file
 * spells as a word has one table here, value i being row i, looked up
 * both ways (word_parse: word -> value; word_en / word_zh: value -> word).
 *
 * The English word is what the files, the register and the exports
 * write; the Chinese one is accepted as input.  The documents' labels for
 * these values are bill/labels.c's (they are display text, not words). */
#ifndef SVCBILL_WORDS_H
#define SVCBILL_WORDS_H

#include "base/arena.h"

/* The kinds of invoice line, as lines.csv names them. */
enum line_kind {
	LK_RECURRING, LK_TRUEUP, LK_LABOUR, LK_PARTS, LK_OEM, LK_SLA,
	LK_CHARGE, LK_LATE_FEE, LK_COUNT
};
/* The kinds fapiao_items.csv names: the line kinds, but a charge is split
 * by its category (LK_CHARGE itself has no word there). */
enum { FK_CHARGE_SERVICE = LK_COUNT, FK_CHARGE_GOODS, FK_COUNT };

struct word {
	const char *en, *zh;        /* zh NULL when the value has none */
};

struct words {
	const struct word *w;       /* w[v]: the words of value v */
	int n;
};

extern const struct words contract_type_words;  /* enum contract_type */
extern const struct words record_type_words;    /* enum record_type */
extern const struct words cause_words;          /* enum cause */
extern const struct words category_words;       /* enum category */
extern const struct words holiday_kind_words;   /* enum holiday_kind */
extern const struct words line_kind_words;      /* enum line_kind */
extern const struct words fapiao_kind_words;    /* LK_* but LK_CHARGE, FK_* */

/* The value whose English word is s (any letter case) or whose Chinese
 * word is s; -1 when none. */
int word_parse(const struct words *ws, const char *s);
/* The value whose English word is exactly s (the register's spelling);
 * -1 when none. */
int word_parse_exact(const struct words *ws, const char *s);
/* The words of value v; NULL when v is out of range or has none. */
const char *word_en(const struct words *ws, int v);
const char *word_zh(const struct words *ws, int v);
/* "a (甲), b (乙) or c (丙)": the accepted words, for messages. */
const char *word_list(const struct words *ws, struct arena *a);

#endif
