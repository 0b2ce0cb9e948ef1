/* invoice.c - see invoice.h */
#include "bill/invoice.h"
#include "read/fields.h"
#include "base/diag.h"
#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[LK_COUNT] = {
	"recurring", "trueup", "labour", "parts", "oem", "sla", "charge",
	"late_fee",
};

const char *line_kind_name(int kind)
{
	return kind_names[kind];
}

int line_kind_parse(const char *s)
{
	for (int k = 0; k < LK_COUNT; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return k;
	return -1;
}

void line_write(struct line *l)
{
	l->qty_s[0] = l->price_s[0] = '\0';
	if (l->flags & LINE_HAS_PRICE)
		price_written(l->unit_price, l->price_s);
	if (l->flags & LINE_HAS_QTY)
		qty_written(l->qty, l->flags & LINE_HAS_PRICE ? l->price_s :
			    NULL, l->amount, l->qty_s);
}

void line_negate(struct line *l)
{
	l->amount = -l->amount;
	l->qty.num = -l->qty.num;
	decimal_negate(l->qty_s);
}

int invoice_total(struct invoice *inv)
{
	/* sums over __int128: no line count or amount can wrap them; each
	 * total is checked against the limit before it is narrowed */
	i128 net = 0, rate_net[MAX_TAX_RATES];
	inv->ntaxes = 0;
	for (size_t i = 0; i < inv->nlines; i++) {
		const struct line *l = &inv->lines[i];
		net += l->amount;
		int k = 0;
		while (k < inv->ntaxes && inv->taxes[k].pct4 < l->tax_pct)
			k++;
		if (k == inv->ntaxes || inv->taxes[k].pct4 != l->tax_pct) {
			if (inv->ntaxes == MAX_TAX_RATES) {
				/* a contract has two rates; never drop a line's
				 * tax silently if that ever changes */
				die_internal("too many tax rates on one "
					     "invoice");
			}
			memmove(&inv->taxes[k + 1], &inv->taxes[k],
				sizeof inv->taxes[0] *
				(size_t)(inv->ntaxes - k));
			memmove(&rate_net[k + 1], &rate_net[k],
				sizeof rate_net[0] * (size_t)(inv->ntaxes - k));
			inv->taxes[k] = (struct tax_total){ l->tax_pct, 0, 0 };
			rate_net[k] = 0;
			inv->ntaxes++;
		}
		rate_net[k] += l->amount;
	}
	i128 tax = 0;
	int ok = amount_in_limit(net);
	for (int k = 0; k < inv->ntaxes; k++) {
		struct tax_total *t = &inv->taxes[k];
		i128 rt = round_div_wide(rate_net[k] * t->pct4,
					 (i128)100 * PCT_SCALE);
		ok = ok && amount_in_limit(rate_net[k]) && amount_in_limit(rt);
		tax += rt;
		t->net = ok ? (int64_t)rate_net[k] : 0;
		t->tax = ok ? (int64_t)rt : 0;
	}
	ok = ok && amount_in_limit(tax) && amount_in_limit(net + tax);
	/* over the limit: zeros, never a wrapped value; the caller reports */
	inv->net = ok ? (int64_t)net : 0;
	inv->tax = ok ? (int64_t)tax : 0;
	inv->gross = ok ? (int64_t)(net + tax) : 0;
	return ok ? 0 : -1;
}
