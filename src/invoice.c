/* invoice.c - see invoice.h */
#include "invoice.h"
#include "fields.h"
#include "money.h"

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

void invoice_total(struct invoice *inv)
{
	inv->net = 0;
	inv->ntaxes = 0;
	for (size_t i = 0; i < inv->nlines; i++) {
		const struct line *l = &inv->lines[i];
		inv->net += l->amount;
		int k = 0;
		while (k < inv->ntaxes && inv->taxes[k].pct4 < l->tax_pct)
			k++;
		if (k == inv->ntaxes || inv->taxes[k].pct4 != l->tax_pct) {
			if (inv->ntaxes == MAX_TAX_RATES) {
				/* a contract has two rates; never drop a line's
				 * tax silently if that ever changes */
				fputs("svcbill: internal error: too many tax "
				      "rates on one invoice\n", stderr);
				exit(70);
			}
			memmove(&inv->taxes[k + 1], &inv->taxes[k],
				sizeof inv->taxes[0] *
				(size_t)(inv->ntaxes - k));
			inv->taxes[k] = (struct tax_total){ l->tax_pct, 0, 0 };
			inv->ntaxes++;
		}
		inv->taxes[k].net += l->amount;
	}
	inv->tax = 0;
	for (int k = 0; k < inv->ntaxes; k++) {
		struct tax_total *t = &inv->taxes[k];
		t->tax = round_div((i128)t->net * t->pct4,
				   (i128)100 * PCT_SCALE);
		inv->tax += t->tax;
	}
	inv->gross = inv->net + inv->tax;
}
