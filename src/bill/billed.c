/* billed.c - see billed.h */
#include "bill/billed.h"
#include "bill/rules.h"
#include "base/date.h"

#include <string.h>

void check_billed_cycles(const struct dataset *ds, const struct ledger *lg,
			 const char *data_dir, struct arena *a,
			 struct diag *d)
{
	const char *file = arena_printf(a, "%s/contracts.csv", data_dir);
	const char *last_contract = "";
	day_t last_start = -1;
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		if (ll->l.kind != LK_RECURRING)
			continue;
		const struct reg_row *g = ledger_find(lg, ll->invoice_no);
		if (!g || g->status != INV_ISSUED)
			continue;
		/* one message per contract and cycle */
		if (strcmp(last_contract, ll->contract_id) == 0 &&
		    last_start == ll->l.cycle_start)
			continue;
		last_contract = ll->contract_id;
		last_start = ll->l.cycle_start;
		const struct contract *c = find_contract(ds, ll->contract_id);
		if (!c)
			continue;
		struct cycle cy;
		if (cycle_starting(c, month_of(ll->l.cycle_start), &cy) &&
		    cy.start == ll->l.cycle_start)
			continue;
		char when[11];
		date_format(ll->l.cycle_start, when);
		const char *column =
			c->end < ll->l.cycle_start ? "end" :
			(month_of(ll->l.cycle_start) - month_of(c->start)) %
			(c->cycle_months > 0 ? c->cycle_months : 1) ?
			"cycle_months" : "start";
		diag_error(d, file, c->ri.line, column, NULL,
			   "contract %s was billed for the cycle starting %s "
			   "(invoice %s), which is no longer a cycle of the "
			   "contract; end the contract and start a new one "
			   "instead", c->id, when, ll->invoice_no);
	}
}
