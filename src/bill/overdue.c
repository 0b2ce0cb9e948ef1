/* overdue.c - see overdue.h. */
#include "bill/overdue.h"
#include "bill/payments.h"
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

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
	out->row = xmalloc(sizeof *out->row * (lg->nlast + 1));
	out->paid = xmalloc(sizeof *out->paid * (lg->nlast + 1));
	out->n = 0;
	/* each invoice's payments at once, as late fees find them, the
	 * invoices (in number order) matched against the payments' numbers
	 * in one pass (a search for each of ten years of invoices was most
	 * of the summary's time) */
	struct arena a = { 0 };
	const struct payment_runs *runs;
	const struct payment_run *pay = payments_of_ledger(ds, lg, &a, &runs);
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (g->status != INV_ISSUED || g->due_date >= day)
			continue;
		int64_t paid = (int64_t)paid_among(runs->sorted + pay[i].first,
						   pay[i].n, day);
		if (g->gross - paid <= 0)
			continue;
		out->paid[out->n] = paid;
		out->row[out->n++] = g;
	}
	arena_free(&a);
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

