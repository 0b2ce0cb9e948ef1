/* billed.h - the data against what the ledger says was already billed
 * (rules.md §2, the register rule): a billed cycle stays a cycle.  A fee
 * rule (it needs the cycles of bill/rules.h), so it lives here and not
 * in the ledger, which knows only its rows. */
#ifndef SVCBILL_BILLED_H
#define SVCBILL_BILLED_H

#include "base/arena.h"
#include "base/diag.h"
#include "ledger/ledger.h"
#include "read/model.h"

/* A contract whose start or cycle_months changed after one of its cycles
 * was billed (or whose end now falls before a billed cycle) is a data
 * error, reported on its contracts.csv line. */
void check_billed_cycles(const struct dataset *ds, const struct ledger *lg,
			 const char *data_dir, struct arena *a,
			 struct diag *d);

/* 1 when the cycles a K row of the ledger index sums up (struct
 * cycle_sum) would all pass that check against the data ds (a struct
 * dataset) has now: its first and last cycle are still cycles of the
 * contract, and the months between any two are a multiple of its
 * cycle_months (the other starts are first days of months, after the
 * start month); or the contract is no longer in the data (nothing to
 * check).  Then a run need not read the cycles themselves. */
int billed_cycles_hold(const void *ds, const struct cycle_sum *s);

#endif
