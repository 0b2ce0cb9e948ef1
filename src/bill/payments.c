/* payments.c - see payments.h */
#include "bill/payments.h"
#include "base/arena.h"
#include "base/vec.h"

#include <stdlib.h>
#include <string.h>

const struct payment_runs *payment_runs(const struct dataset *ds,
					struct payment_runs *own,
					struct arena *a)
{
	if (ds->pay_runs.sorted)
		return &ds->pay_runs;
	payment_runs_make(own, ds, a);
	return own;
}

static int number_vs_run(const void *key, const void *elem)
{
	return strcmp(key, ((const struct payment_run *)elem)->invoice_no);
}

size_t payment_runs_of(const struct payment_runs *r, const char *invoice_no,
		       size_t *first)
{
	/* (a search of the runs, in byte order of their numbers: a number
	 * looked up alone is rare, a row out of order or a data set made
	 * without a ledger; a hash table of every number ever paid cost
	 * 22 bytes a payment, held all the run) */
	size_t k = lower_bound(invoice_no, r->runs, r->nruns, sizeof *r->runs,
			       number_vs_run);
	if (k == r->nruns || strcmp(r->runs[k].invoice_no, invoice_no)) {
		*first = 0;
		return 0;
	}
	*first = r->runs[k].first;
	return r->runs[k].n;
}

void payment_runs_match(const struct payment_runs *r,
			const struct reg_row *const *rows, size_t n,
			struct payment_run *out)
{
	const char *prev = NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		const char *no = rows[i]->invoice_no;
		out[i] = (struct payment_run){ no, 0, 0 };
		if (prev && strcmp(prev, no) > 0) {
			out[i].n = payment_runs_of(r, no, &out[i].first);
			continue;
		}
		prev = no;
		int c = 1;
		while (j < r->nruns && (c = strcmp(r->runs[j].invoice_no,
						   no)) < 0)
			j++;
		if (j < r->nruns && c == 0) {
			out[i].first = r->runs[j].first;
			out[i].n = r->runs[j].n;
		}
	}
}

const struct payment_run *payments_of_ledger(const struct dataset *ds,
					     const struct ledger *lg,
					     struct arena *a,
					     const struct payment_runs **runs)
{
	struct payment_runs *own = arena_alloc(a, sizeof *own);
	*runs = payment_runs(ds, own, a);
	struct payment_run *of = arena_alloc_uninit(a, sizeof *of *
						    (lg->nlast + 1));
	payment_runs_match(*runs, lg->last, lg->nlast, of);
	return of;
}

void payments_named(const struct dataset *ds, const struct ledger *lg,
		    unsigned char *named)
{
	struct arena a = { 0 };
	const struct payment_runs *r;
	const struct payment_run *of = payments_of_ledger(ds, lg, &a, &r);
	memset(named, 0, ds->npayments);
	for (size_t i = 0; i < lg->nlast; i++)
		for (size_t k = of[i].first; k < of[i].first + of[i].n; k++)
			named[r->sorted[k] - ds->payments] = 1;
	/* a period whose invoices the read left out was settled with these
	 * very payments, each of which named one of its invoices */
	for (size_t i = 0; lg->nskipped && i < ds->npayments; i++)
		if (!named[i] &&
		    ledger_skipped_number(lg, ds->payments[i].invoice_no))
			named[i] = 1;
	arena_free(&a);
}

i128 paid_among(const struct payment *const *p, size_t n, day_t day)
{
	i128 paid = 0;
	for (size_t k = 0; k < n; k++)
		if (p[k]->paid_on <= day)
			paid += p[k]->amount;
	return paid;
}

void payments_drop_settled(struct dataset *ds, const struct ledger *lg)
{
	if (!lg->nskipped)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < ds->npayments; i++)
		kept += !ledger_skipped_number(lg, ds->payments[i].invoice_no);
	if (kept == ds->npayments)
		return;
	struct arena fresh = { 0 };
	struct payment *v = arena_alloc(&fresh, sizeof *v * (kept + 1));
	size_t k = 0;
	for (size_t i = 0; i < ds->npayments; i++) {
		const struct payment *p = &ds->payments[i];
		if (ledger_skipped_number(lg, p->invoice_no))
			continue;
		v[k] = *p;
		v[k].invoice_no = arena_strdup(&fresh, p->invoice_no);
		k++;
	}
	arena_free(&ds->pay_arena);
	ds->pay_arena = fresh;
	ds->payments = v;
	ds->npayments = kept;
	payment_runs_make(&ds->pay_runs, ds, &ds->pay_arena);
}
