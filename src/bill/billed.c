/* billed.c - see billed.h */
#include "bill/billed.h"
#include "bill/rules.h"
#include "base/date.h"

#include <string.h>

/* 1 when start is still the start of a cycle of c */
static int still_a_cycle(const struct contract *c, day_t start)
{
	struct cycle cy;
	return cycle_starting(c, month_of(start), &cy) && cy.start == start;
}

/* One billed (contract, cycle start) against the contract as the data
 * has it now. */
static void check_cycle(const struct dataset *ds, const char *file,
			const char *contract_id, day_t start,
			const char *invoice_no, struct diag *d)
{
	const struct contract *c = find_contract(ds, contract_id);
	if (!c || still_a_cycle(c, start))
		return;
	char when[11];
	date_format(start, when);
	const char *column =
		c->end < start ? "end" :
		(month_of(start) - month_of(c->start)) %
		(c->cycle_months > 0 ? c->cycle_months : 1) ?
		"cycle_months" : "start";
	diag_error(d, file, c->ri.line, column, NULL,
		   "contract %s was billed for the cycle starting %s "
		   "(invoice %s), which is no longer a cycle of the "
		   "contract; end the contract and start a new one "
		   "instead", c->id, when, invoice_no);
}

int billed_cycles_hold(const void *ds, const struct cycle_sum *s)
{
	const struct contract *c = find_contract(ds, s->contract_id);
	if (!c)
		return 1;
	return still_a_cycle(c, s->first) && still_a_cycle(c, s->last) &&
	       c->cycle_months > 0 && s->gcd % c->cycle_months == 0;
}

void check_billed_cycles(const struct dataset *ds, const struct ledger *lg,
			 const char *data_dir, struct arena *a,
			 struct diag *d)
{
	const char *file = arena_printf(a, "%s/contracts.csv", data_dir);
	const char *last_contract = "";
	day_t last_start = -1;
	/* the cycles of the periods a bounded read left to the index, as
	 * the lines below would give them */
	for (size_t i = 0; i < lg->ncycles; i++) {
		const struct billed_cycle *b = &lg->cycles[i];
		last_contract = b->contract_id;
		last_start = b->cycle_start;
		check_cycle(ds, file, b->contract_id, b->cycle_start,
			    b->invoice_no, d);
	}
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
		check_cycle(ds, file, ll->contract_id, ll->l.cycle_start,
			    ll->invoice_no, d);
	}
}
