/* payments.c - see payments.h */
#include "bill/payments.h"
#include "base/arena.h"
#include "base/vec.h"

#include <stdlib.h>
#include <string.h>

static int by_invoice_then_file(const void *x, const void *y)
{
	const struct payment *a = *(const struct payment *const *)x;
	const struct payment *b = *(const struct payment *const *)y;
	int c = strcmp(a->invoice_no, b->invoice_no);
	return c ? c : (a < b ? -1 : a > b);
}

void payments_by_invoice(const struct dataset *ds, const struct payment **pay)
{
	for (size_t i = 0; i < ds->npayments; i++)
		pay[i] = &ds->payments[i];
	sort_if_unsorted(pay, ds->npayments, sizeof *pay, by_invoice_then_file);
}

void payment_runs_make(struct payment_runs *r,
		       const struct payment *const *sorted, size_t n,
		       struct arena *a)
{
	size_t slots = 16;
	while (slots < 2 * n)
		slots *= 2;
	r->sorted = sorted;
	r->n = n;
	r->mask = slots - 1;
	r->slot = arena_alloc(a, sizeof *r->slot * slots);   /* zeroed */
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(sorted[i - 1]->invoice_no,
				sorted[i]->invoice_no) == 0)
			continue;               /* not a run's first */
		size_t h = str_hash(sorted[i]->invoice_no) & r->mask;
		while (r->slot[h])
			h = (h + 1) & r->mask;
		r->slot[h] = i + 1;
	}
}

size_t payment_runs_of(const struct payment_runs *r, const char *invoice_no,
		       size_t *first)
{
	for (size_t h = str_hash(invoice_no) & r->mask; r->slot[h];
	     h = (h + 1) & r->mask) {
		size_t k = r->slot[h] - 1;
		if (strcmp(r->sorted[k]->invoice_no, invoice_no) != 0)
			continue;
		*first = k;
		while (k < r->n &&
		       strcmp(r->sorted[k]->invoice_no, invoice_no) == 0)
			k++;
		return k - *first;
	}
	*first = 0;
	return 0;
}

i128 paid_among(const struct payment *const *p, size_t n, day_t day)
{
	i128 paid = 0;
	for (size_t k = 0; k < n; k++)
		if (p[k]->paid_on <= day)
			paid += p[k]->amount;
	return paid;
}
