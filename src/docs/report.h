/* report.h - the monthly summary's figures, computed from the register:
 * totals by contract type and by kind of line, the period's invoices in
 * their state now, and the chart's series.  Pure: values in, values out,
 * no layout, no I/O (summary.c lays them out).
 *
 * Invariants: only invoices whose current state is `issued` count (a
 * cancelled invoice and its credit note cancel out, so neither counts);
 * the last slot of each per-type array ([REPORT_TYPES]) is the total of
 * all types, including an invoice whose contract is not in the data. */
#ifndef SVCBILL_REPORT_H
#define SVCBILL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bill/invoice.h"
#include "ledger/ledger.h"
#include "read/model.h"

#define REPORT_TYPES 3              /* the contract types, CT_* */
#define REPORT_CHART_PERIODS 12

struct report_totals {
	/* the period's invoices, each once, in its state now, in the order
	 * the register first names them; malloc'd, report_totals_free */
	const struct reg_row **rows;
	size_t nrows;
	/* by contract type, [REPORT_TYPES] = all */
	int count[REPORT_TYPES + 1];
	int64_t net[REPORT_TYPES + 1], tax[REPORT_TYPES + 1],
		gross[REPORT_TYPES + 1];
	/* by kind of line (LK_*): lines and amount; kinds[] lists the kinds
	 * with at least one line, in LK_* order */
	int kind_lines[LK_COUNT];
	int64_t kind_amount[LK_COUNT];
	int kinds[LK_COUNT], nkinds;
};

/* The totals of period in lg (the register after the run); ds gives each
 * contract's type. */
void report_totals(const struct ledger *lg, const struct dataset *ds,
		   int period, struct report_totals *out);
void report_totals_free(struct report_totals *t);

/* The last REPORT_CHART_PERIODS periods of the register up to period
 * (ascending) and, for each, the gross of its issued invoices by
 * contract type ([REPORT_TYPES] = all). */
struct report_chart {
	int periods[REPORT_CHART_PERIODS];
	int nperiods;
	int64_t gross[REPORT_CHART_PERIODS][REPORT_TYPES + 1];
};
void report_chart(const struct ledger *lg, const struct dataset *ds,
		  int period, struct report_chart *out);
/* The chart's class of a contract (its type; -1: not in the data ds,
 * a struct dataset): what a read that leaves a settled period of the
 * chart out sums its invoices by (struct settle_want's chart_class). */
int report_chart_class(const void *ds, const char *contract_id);

/* A round top for the chart's axis: the least of 1, 2 or 5 times a power
 * of ten yuan (at least 1.00) that is >= v fen. */
int64_t report_axis_max(int64_t v);

#endif
