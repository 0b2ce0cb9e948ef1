/* payments.h - what a client paid on an invoice by a given day: the one
 * rule behind late fees (rules.md §3.5, outstanding(t)) and the overdue list
 * of the summaries (rules.md §5.3).  Pure: payments.csv rows only.
 *
 * A payment counts for the invoice it names (never for a replacement of
 * a cancelled one) from the day it was paid, inclusive. */
#ifndef SVCBILL_PAYMENTS_H
#define SVCBILL_PAYMENTS_H

#include <stddef.h>

#include "base/date.h"
#include "base/money.h"
#include "read/model.h"

/* Fills pay (room for ds->npayments) with the data set's payments by
 * invoice number, then file order. */
void payments_by_invoice(const struct dataset *ds, const struct payment **pay);

/* The payments naming invoice_no in an array sorted as
 * payments_by_invoice() sorts it: how many, from *first on (found once,
 * then summed for each day asked: late fees ask for every day of a
 * month). */
size_t payments_of(const struct payment *const *sorted, size_t n,
		   const char *invoice_no, size_t *first);

/* The sum of those of the n payments from p on with paid_on <= day. */
i128 paid_among(const struct payment *const *p, size_t n, day_t day);

#endif
