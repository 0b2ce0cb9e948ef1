/* overdue.c - see overdue.h. */
#include "bill/overdue.h"
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

static int payment_by_invoice(const void *x, const void *y)
{
	return strcmp((*(const struct payment *const *)x)->invoice_no,
		      (*(const struct payment *const *)y)->invoice_no);
}

static int by_period_then_number(const struct reg_row *a,
				 const struct reg_row *b)
{
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	return strcmp(a->invoice_no, b->invoice_no);
}

void overdue_on(const struct ledger *lg, const struct dataset *ds, day_t day,
		struct overdue *out)
{
	/* payments by invoice number, to find each invoice's at once */
	size_t np = ds->npayments;
	const struct payment **pay = xmalloc(sizeof *pay * (np + 1));
	for (size_t k = 0; k < np; k++)
		pay[k] = &ds->payments[k];
	qsort(pay, np, sizeof *pay, payment_by_invoice);
	out->row = xmalloc(sizeof *out->row * (lg->nlast + 1));
	out->paid = xmalloc(sizeof *out->paid * (lg->nlast + 1));
	out->n = 0;
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (g->status != INV_ISSUED || g->due_date >= day)
			continue;
		size_t lo = 0, hi = np;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(pay[mid]->invoice_no, g->invoice_no) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		int64_t paid = 0;
		for (size_t k = lo; k < np &&
		     strcmp(pay[k]->invoice_no, g->invoice_no) == 0; k++)
			if (pay[k]->paid_on <= day)
				paid += pay[k]->amount;
		if (g->gross - paid <= 0)
			continue;
		out->paid[out->n] = paid;
		out->row[out->n++] = g;
	}
	free(pay);
	/* oldest first; paid[] moves with its row (insertion sort, stable) */
	for (size_t i = 1; i < out->n; i++)
		for (size_t k = i; k > 0 &&
		     by_period_then_number(out->row[k - 1], out->row[k]) > 0; k--) {
			const struct reg_row *t = out->row[k];
			out->row[k] = out->row[k - 1];
			out->row[k - 1] = t;
			int64_t pt = out->paid[k];
			out->paid[k] = out->paid[k - 1];
			out->paid[k - 1] = pt;
		}
}

