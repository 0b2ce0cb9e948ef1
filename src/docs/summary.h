/* doc_summary.h - lay out the monthly summary report (rules.md §5.3). */
#ifndef SVCBILL_DOC_SUMMARY_H
#define SVCBILL_DOC_SUMMARY_H

#include "docs/layout.h"
#include "ledger/ledger.h"
#include "read/model.h"

/* lg: the register as it stands after this run.  Totals count invoices
 * whose current state is issued (a cancelled invoice and its credit note
 * cancel out). */
void layout_summary(struct doc *d, const struct dataset *ds,
		    const struct ledger *lg, int period, day_t issued);

#endif
