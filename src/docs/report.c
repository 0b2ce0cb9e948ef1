/* report.c - see report.h */
#include "docs/report.h"
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

static int type_of(const struct dataset *ds, const char *contract)
{
	const struct contract *c = find_contract(ds, contract);
	return c ? (int)c->type : -1;
}

_Static_assert(REPORT_TYPES == LEDGER_CHART_CLASSES,
	       "the chart's sums of the periods a read left out are by type");

int report_chart_class(const void *ds, const char *contract_id)
{
	return type_of(ds, contract_id);
}

void report_totals(const struct ledger *lg, const struct dataset *ds,
		   int period, struct report_totals *s)
{
	memset(s, 0, sizeof *s);
	/* the period's invoices in their state now, in issue order: a
	 * number's later rows (its cancellation) name the same invoice */
	s->rows = xmalloc(sizeof *s->rows * (lg->nrows + 1));
	char *seen = xmalloc(lg->nlast + 1);
	memset(seen, 0, lg->nlast + 1);
	for (size_t i = 0; i < lg->nrows; i++) {
		const struct reg_row *g = &lg->rows[i];
		if (g->period != period)
			continue;
		size_t k = ledger_last_index(lg, g->invoice_no);
		if (k == (size_t)-1 || seen[k])
			continue;
		seen[k] = 1;
		s->rows[s->nrows++] = lg->last[k];
	}
	free(seen);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct reg_row *g = s->rows[i];
		if (g->status != INV_ISSUED)
			continue;
		int t = type_of(ds, g->contract_id);
		for (int k = 0; k < 2; k++) {
			int slot = k ? REPORT_TYPES : t;
			if (slot < 0)
				continue;
			s->count[slot]++;
			s->net[slot] += g->net;
			s->tax[slot] += g->tax;
			s->gross[slot] += g->gross;
		}
	}
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		const struct reg_row *g = ledger_find(lg, ll->invoice_no);
		if (!g || g->period != period || g->status != INV_ISSUED ||
		    ll->l.kind < 0)
			continue;
		s->kind_lines[ll->l.kind]++;
		s->kind_amount[ll->l.kind] += ll->l.amount;
	}
	for (int k = 0; k < LK_COUNT; k++)
		if (s->kind_lines[k])
			s->kinds[s->nkinds++] = k;
}

void report_totals_free(struct report_totals *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

void report_chart(const struct ledger *lg, const struct dataset *ds,
		  int period, struct report_chart *s)
{
	/* the last REPORT_CHART_PERIODS distinct periods up to this one,
	 * kept descending while they are collected */
	int all[REPORT_CHART_PERIODS + 1];
	int n = 0;
	memset(s, 0, sizeof *s);
	/* the periods of lg's invoices, and of those its read left out
	 * and summed up (lg->chart) */
	for (size_t i = 0; i < lg->nlast + lg->nchart; i++) {
		int p = i < lg->nlast ? lg->last[i]->period :
			lg->chart[i - lg->nlast].period, k = 0;
		if (p > period)
			continue;
		while (k < n && all[k] > p)
			k++;
		if (k < n && all[k] == p)
			continue;
		if (k == REPORT_CHART_PERIODS)
			continue;
		memmove(&all[k + 1], &all[k], sizeof *all *
			(size_t)(n - k - (n == REPORT_CHART_PERIODS)));
		all[k] = p;
		if (n < REPORT_CHART_PERIODS)
			n++;
	}
	s->nperiods = n;
	for (int i = 0; i < n; i++)
		s->periods[i] = all[n - 1 - i];
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (g->status != INV_ISSUED)
			continue;
		for (int p = 0; p < n; p++) {
			if (s->periods[p] != g->period)
				continue;
			int t = type_of(ds, g->contract_id);
			if (t >= 0)
				s->gross[p][t] += g->gross;
			s->gross[p][REPORT_TYPES] += g->gross;
		}
	}
	for (size_t i = 0; i < lg->nchart; i++)
		for (int p = 0; p < n; p++)
			if (s->periods[p] == lg->chart[i].period)
				for (int t = 0; t <= REPORT_TYPES; t++)
					s->gross[p][t] += lg->chart[i].gross[t];
}

int64_t report_axis_max(int64_t v)
{
	int64_t step = 100;
	for (;;) {
		if (v <= step)
			return step;
		if (v <= 2 * step)
			return 2 * step;
		if (v <= 5 * step)
			return 5 * step;
		step *= 10;
	}
}
