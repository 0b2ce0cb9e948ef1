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
	sort_stable(pay, ds->npayments, sizeof *pay, by_invoice_then_file);
}

static int number_vs_payment(const void *key, const void *elem)
{
	return strcmp((const char *)key,
		      (*(const struct payment *const *)elem)->invoice_no);
}

size_t payments_of(const struct payment *const *sorted, size_t n,
		   const char *invoice_no, size_t *first)
{
	size_t k = lower_bound(invoice_no, sorted, n, sizeof *sorted,
			       number_vs_payment);
	*first = k;
	while (k < n && strcmp(sorted[k]->invoice_no, invoice_no) == 0)
		k++;
	return k - *first;
}

i128 paid_among(const struct payment *const *p, size_t n, day_t day)
{
	i128 paid = 0;
	for (size_t k = 0; k < n; k++)
		if (p[k]->paid_on <= day)
			paid += p[k]->amount;
	return paid;
}
