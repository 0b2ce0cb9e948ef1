/* overdue.h - the invoices still owed after their due date on a given day
 * (rules.md §5.3), the one rule summary.pdf and summary.xlsx both show.
 *
 * Pure: reads the register's current rows and payments.csv, no I/O.  An
 * invoice is overdue on day D when its current status is issued, its due
 * date is before D, and the payments naming it made up to D leave part of
 * its gross unpaid.  Rows come oldest period first, then by number. */
#ifndef SVCBILL_OVERDUE_H
#define SVCBILL_OVERDUE_H

#include "ledger/ledger.h"
#include "read/model.h"

struct overdue {
	const struct reg_row **row;  /* n rows, owned (free()) */
	int64_t *paid;               /* paid[i]: payments of row[i] up to D, owned */
	size_t n;
};

void overdue_on(const struct ledger *lg, const struct dataset *ds, day_t day,
		struct overdue *out);

#endif
