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
#include "ledger/ledger.h"
#include "read/model.h"

/* The payments of a data set by the number they name (struct
 * payment_runs, read/model.h): ds->pay_runs, made once by load_dataset,
 * or, for a data set put together otherwise (a test's), made into own
 * (in the arena). */
const struct payment_runs *payment_runs(const struct dataset *ds,
					struct payment_runs *own,
					struct arena *a);

/* How many payments name invoice_no, from r->sorted[*first] on. */
size_t payment_runs_of(const struct payment_runs *r, const char *invoice_no,
		       size_t *first);

/* For n register rows in byte order of their numbers (a ledger's
 * last[]), the run of payments each names (out[i].n == 0: none), as
 * payment_runs_of gives it: by reading the rows and r->runs through once,
 * side by side, not by a search each (late fees and the overdue list look
 * at every invoice ever issued, and a search was a cache miss or three
 * each).  A row out of that order is searched for. */
void payment_runs_match(const struct payment_runs *r,
			const struct reg_row *const *rows, size_t n,
			struct payment_run *out);

/* Each of lg->last's payments in ds (payment_runs_match's out, in a),
 * and *runs, the runs they are of (ds's own, or made in a). */
const struct payment_run *payments_of_ledger(const struct dataset *ds,
					     const struct ledger *lg,
					     struct arena *a,
					     const struct payment_runs **runs);

/* Which payments of ds name an invoice lg has: named[i] for
 * ds->payments[i], 1 or 0 (the payments' numbers and the register's
 * matched in one pass, as payment_runs_match does); a payment naming a
 * period whose invoices lg's read left out named one of them (the
 * index's P row says so of these very payments: bill/settled.h). */
void payments_named(const struct dataset *ds, const struct ledger *lg,
		    unsigned char *named);

/* Drops the payments of ds that name a period whose invoices lg's read
 * left out as settled (bill/settled.h: the index's P row stands for
 * exactly these payments, and nothing the run bills or shows looks at
 * those invoices), and makes ds->pay_runs again: what is left in a new
 * ds->pay_arena, the old one freed for what the run makes next. */
void payments_drop_settled(struct dataset *ds, const struct ledger *lg);

/* The sum of those of the n payments from p on with paid_on <= day. */
i128 paid_among(const struct payment *const *p, size_t n, day_t day);

#endif
