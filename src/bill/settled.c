/* settled.c - see settled.h */
#include "bill/settled.h"
#include "bill/payments.h"
#include "base/fsio.h"
#include "base/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char SETTLE_EMPTY_DIGEST[65] =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* v's decimal digits (and sign) at the end of out[24]: where they begin */
static char *decimal(uint64_t v, int negative, char out[24])
{
	char *p = out + 24;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (negative)
		*--p = '-';
	return p;
}

/* (by hand, not printf: once per payment of the whole file, every run) */
void settle_payment_bytes(struct buf *b, const char *no, day_t day,
			  int64_t fen)
{
	char n[24], f[24], d[11];
	size_t len = strlen(no);
	char *pn = decimal(len, 0, n);
	char *pf = decimal(fen < 0 ? -(uint64_t)fen : (uint64_t)fen, fen < 0, f);
	date_format(day, d);
	buf_grow(b, 24 + len + 12 + 24 + 1);
	buf_add(b, pn, (size_t)(n + 24 - pn));
	buf_addc(b, ':');
	buf_add(b, no, len);
	buf_addc(b, ',');
	buf_add(b, d, 10);
	buf_addc(b, ',');
	buf_add(b, pf, (size_t)(f + 24 - pf));
	buf_addc(b, '\n');
}

/* a number's payments in the digest's order: by day, then amount (the
 * file's order of equal payments does not matter: a multiset) */
static int by_day_then_amount(const void *x, const void *y)
{
	const struct payment *a = *(const struct payment *const *)x;
	const struct payment *b = *(const struct payment *const *)y;
	if (a->paid_on != b->paid_on)
		return a->paid_on < b->paid_on ? -1 : 1;
	return (a->amount > b->amount) - (a->amount < b->amount);
}

struct run_of_period {
	int period;
	size_t run;                 /* in the runs, which are by number */
};

static int by_period_then_run(const void *x, const void *y)
{
	const struct run_of_period *a = x, *b = y;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	return (a->run > b->run) - (a->run < b->run);
}

void settle_payments(const struct dataset *ds, struct arena *a,
		     struct settle_payments *out)
{
	struct payment_runs own;
	const struct payment_runs *r = payment_runs(ds, &own, a);
	struct run_of_period *v = xmalloc(sizeof *v * (r->nruns + 1));
	size_t nv = 0;
	for (size_t i = 0; i < r->nruns; i++) {
		int p = invoice_number_period(r->runs[i].invoice_no);
		if (p >= 0)
			v[nv++] = (struct run_of_period){ p, i };
	}
	/* (one prefix: the numbers' order is already the periods') */
	sort_if_unsorted(v, nv, sizeof *v, by_period_then_run);
	size_t nperiods = 0;
	for (size_t i = 0; i < nv; i++)
		nperiods += i == 0 || v[i - 1].period != v[i].period;
	out->digests = arena_alloc(a, sizeof *out->digests * (nperiods + 1));
	out->count = arena_alloc(a, sizeof *out->count * (nperiods + 1));
	out->n = 0;
	struct buf b;
	buf_init(&b);
	const struct payment **one = NULL;
	size_t room = 0;
	for (size_t i = 0; i < nv;) {
		size_t count = 0;
		int p = v[i].period;
		buf_reset(&b);
		for (; i < nv && v[i].period == p; i++) {
			const struct payment_run *run = &r->runs[v[i].run];
			VEC_GROW(one, run->n + 1, room);
			memcpy(one, r->sorted + run->first,
			       sizeof *one * run->n);
			if (run->n > 1)
				qsort(one, run->n, sizeof *one,
				      by_day_then_amount);
			for (size_t k = 0; k < run->n; k++)
				settle_payment_bytes(&b, run->invoice_no,
						     one[k]->paid_on,
						     one[k]->amount);
			count += run->n;
		}
		struct settled_period *d = &out->digests[out->n];
		d->period = p;
		d->settled_on = 0;
		sha256_hex(b.data ? b.data : "", b.len, d->digest);
		out->count[out->n++] = count;
	}
	free(one);
	buf_free(&b);
	free(v);
}

/* Whether the payments p[0..n) (by day) cover gross for good at the
 * end, and *since, the day from which they do (no earlier than it was:
 * the invoice's issue date). */
static int covered(const struct payment *const *p, size_t n, int64_t gross,
		   day_t *since)
{
	i128 paid = 0;
	int now = paid >= gross;
	for (size_t k = 0; k < n;) {
		day_t day = p[k]->paid_on;
		for (; k < n && p[k]->paid_on == day; k++)
			paid += p[k]->amount;
		if (paid >= gross && !now && day > *since)
			*since = day;
		now = paid >= gross;
	}
	return now;
}

/* lg->last's places, by the period of their row, then place */
static const struct ledger *sort_lg;
static int by_period_then_place(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, k = *(const size_t *)y;
	int a = sort_lg->last[i]->period, b = sort_lg->last[k]->period;
	if (a != b)
		return a < b ? -1 : 1;
	return (i > k) - (i < k);
}

void settle_periods(const struct ledger *lg, const struct dataset *ds,
		    const struct settle_payments *sp, struct arena *a,
		    struct settled_period **out, size_t *n)
{
	struct arena tmp = { 0 };
	const struct payment_runs *runs;
	const struct payment_run *pay = payments_of_ledger(ds, lg, &tmp, &runs);
	int latest = ledger_latest_period(lg);
	/* lg->last (by number) taken by period */
	size_t *v = xmalloc(sizeof *v * (lg->nlast + 1));
	size_t nv = 0;
	for (size_t i = 0; i < lg->nlast; i++)
		if (lg->last[i]->period < latest)
			v[nv++] = i;
	sort_lg = lg;
	qsort(v, nv, sizeof *v, by_period_then_place);
	*out = arena_alloc(a, sizeof **out * (nv + 1));
	*n = 0;
	const struct payment **one = NULL;
	size_t room = 0, k = 0;
	for (size_t i = 0; i < nv;) {
		int p = lg->last[v[i]]->period;
		int settled = 1;
		size_t named = 0;
		day_t since = lg->last[v[i]]->issue_date;
		for (; i < nv && lg->last[v[i]]->period == p; i++) {
			const struct reg_row *g = lg->last[v[i]];
			const struct payment_run *r = &pay[v[i]];
			named += r->n;
			if (invoice_number_period(g->invoice_no) != p) {
				settled = 0;
				continue;
			}
			if (g->issue_date > since)
				since = g->issue_date;
			if (g->status != INV_ISSUED || !settled)
				continue;
			VEC_GROW(one, r->n + 1, room);
			memcpy(one, runs->sorted + r->first, sizeof *one * r->n);
			qsort(one, r->n, sizeof *one, by_day_then_amount);
			settled = covered(one, r->n, g->gross, &since);
		}
		/* every payment whose number names p named one of these */
		while (k < sp->n && sp->digests[k].period < p)
			k++;
		int has = k < sp->n && sp->digests[k].period == p;
		if (!settled || named != (has ? sp->count[k] : 0))
			continue;
		struct settled_period *s = &(*out)[(*n)++];
		s->period = p;
		s->settled_on = since;
		memcpy(s->digest, has ? sp->digests[k].digest :
		       SETTLE_EMPTY_DIGEST, 65);
	}
	free(one);
	free(v);
	arena_free(&tmp);
}
