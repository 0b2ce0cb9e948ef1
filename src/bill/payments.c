/* payments.c - see payments.h */
#include "bill/payments.h"
#include "base/arena.h"
#include "base/vec.h"

#include <stdlib.h>
#include <string.h>

const struct payment_runs *payment_runs(const struct dataset *ds,
					struct payment_runs *own,
					struct arena *a)
{
	if (ds->pay_runs.sorted)
		return &ds->pay_runs;
	payment_runs_make(own, ds, a);
	return own;
}

size_t payment_runs_of(const struct payment_runs *r, const char *invoice_no,
		       size_t *first)
{
	size_t k = id_table_find(&r->first, invoice_no);
	if (k == (size_t)-1) {
		*first = 0;
		return 0;
	}
	*first = k;
	return r->end[k] - k;
}

i128 paid_among(const struct payment *const *p, size_t n, day_t day)
{
	i128 paid = 0;
	for (size_t k = 0; k < n; k++)
		if (p[k]->paid_on <= day)
			paid += p[k]->amount;
	return paid;
}
