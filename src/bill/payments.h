/* payments.h - what a client paid on an invoice by a given day: the one
 * rule behind late fees (rules.md §3.5, outstanding(t)) and the overdue list
 * of the summaries (rules.md §5.3).  Pure: payments.csv rows only.
 *
 * A payment counts for the invoice it names (never for a replacement of
 * a cancelled one) from the day it was paid, inclusive. */
#ifndef SVCBILL_PAYMENTS_H
#define SVCBILL_PAYMENTS_H

#include <stddef.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/money.h"
#include "read/model.h"

/* Fills pay (room for ds->npayments) with the data set's payments by
 * invoice number, then file order. */
void payments_by_invoice(const struct dataset *ds, const struct payment **pay);

/* The payments naming an invoice number in an array sorted as
 * payments_by_invoice() sorts it: how many, from *first on
 * (payment_runs_of), found in one step through a table of where each
 * number's payments begin (late fees look up each of ten years of
 * invoices), made once (payment_runs_make) and only read after. */
struct payment_runs {
	const struct payment *const *sorted;
	size_t n;
	size_t *slot;               /* a run's first index + 1; 0: free */
	size_t mask;                /* slots - 1, a power of two */
};
void payment_runs_make(struct payment_runs *r,
		       const struct payment *const *sorted, size_t n,
		       struct arena *a);
size_t payment_runs_of(const struct payment_runs *r, const char *invoice_no,
		       size_t *first);

/* The sum of those of the n payments from p on with paid_on <= day. */
i128 paid_among(const struct payment *const *p, size_t n, day_t day);

#endif
