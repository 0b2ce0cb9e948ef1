/* settled.c - see settled.h */
#include "bill/settled.h"
#include "bill/payments.h"
#include "base/fsio.h"
#include "base/vec.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* The n payments from r->sorted[first] on into *one (grown as need
 * be), in the digest's order. */
static void by_day(const struct payment_runs *r, size_t first, size_t n,
		   const struct payment ***one, size_t *room)
{
	VEC_GROW(*one, n + 1, *room);
	memcpy(*one, r->sorted + first, sizeof **one * n);
	if (n > 1)
		qsort(*one, n, sizeof **one, by_day_then_amount);
}

/* Something (a run of payments, a register row) by the period it is
 * of, then its place. */
struct at_period {
	int period;
	size_t i;
};

static int by_period_then_place(const void *x, const void *y)
{
	const struct at_period *a = x, *b = y;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* One period's payments as summed so far */
struct period_sum {
	int period;
	size_t count;
	struct sha256_ctx h;
};

void settle_reader_init(struct settle_reader *r, const int *pass,
			size_t npass)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->line);
	r->pass = pass;
	r->npass = npass;
}

/* The slot of period p in r's table of sums (a slot free or p's) */
static size_t slot_of(const struct settle_reader *r, int p)
{
	size_t h = ((size_t)(unsigned)p * 0x9E3779B1u) & r->mask;
	while (r->slot[h] && r->sums[r->slot[h] - 1].period != p)
		h = (h + 1) & r->mask;
	return h;
}

/* r's sum of period p, made when it has none (payments name a few
 * hundred periods; consecutive rows mostly the same one).  Found by a
 * table, not kept sorted: a file naming many periods out of order would
 * move the sums at every new one. */
static struct period_sum *sum_of(struct settle_reader *r, int p)
{
	if (r->last < r->n && r->sums[r->last].period == p)
		return &r->sums[r->last];
	if (!r->slot || (r->n + 1) * 2 > r->mask + 1) {
		size_t slots = r->slot ? (r->mask + 1) * 2 : 64;
		free(r->slot);
		r->slot = xcalloc(slots, sizeof *r->slot);
		r->mask = slots - 1;
		for (size_t i = 0; i < r->n; i++)
			r->slot[slot_of(r, r->sums[i].period)] = i + 1;
	}
	size_t h = slot_of(r, p);
	if (!r->slot[h]) {
		VEC_GROW(r->sums, r->n + 1, r->room);
		r->sums[r->n].period = p;
		r->sums[r->n].count = 0;
		sha256_init(&r->sums[r->n].h);
		r->slot[h] = ++r->n;
	}
	r->last = r->slot[h] - 1;
	return &r->sums[r->last];
}

static int sum_by_period(const void *x, const void *y)
{
	const struct period_sum *a = x, *b = y;
	return (a->period > b->period) - (a->period < b->period);
}

int settle_reader_keep(void *ctx, const struct payment *p)
{
	struct settle_reader *r = ctx;
	r->rows++;
	int period = invoice_number_period(p->invoice_no);
	if (period < 0)
		return 1;
	struct period_sum *s = sum_of(r, period);
	buf_reset(&r->line);
	settle_payment_bytes(&r->line, p->invoice_no, p->paid_on, p->amount);
	sha256_update(&s->h, r->line.len, (const uint8_t *)r->line.data);
	s->count++;
	if (r->npass && period_among(r->pass, r->npass, period)) {
		r->passed++;
		return 0;
	}
	return 1;
}

void settle_reader_end(struct settle_reader *r, struct arena *a,
		       struct settle_payments *out)
{
	if (r->n > 1)
		qsort(r->sums, r->n, sizeof *r->sums, sum_by_period);
	out->digests = arena_alloc(a, sizeof *out->digests * (r->n + 1));
	out->count = arena_alloc(a, sizeof *out->count * (r->n + 1));
	out->n = r->n;
	out->rows = r->rows;
	for (size_t i = 0; i < r->n; i++) {
		struct settled_period *d = &out->digests[i];
		d->period = r->sums[i].period;
		d->settled_on = 0;
		sha256_end_hex(&r->sums[i].h, d->digest);
		out->count[i] = r->sums[i].count;
	}
	free(r->sums);
	free(r->slot);
	buf_free(&r->line);
	memset(r, 0, sizeof *r);
}

int settle_payments_same(const struct settle_payments *a,
			 const struct settle_payments *b)
{
	if (a->n != b->n || a->rows != b->rows)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->digests[i].period != b->digests[i].period ||
		    a->count[i] != b->count[i] ||
		    strcmp(a->digests[i].digest, b->digests[i].digest))
			return 0;
	return 1;
}

void settle_payments(const struct dataset *ds, struct arena *a,
		     struct settle_payments *out)
{
	struct settle_reader r;
	settle_reader_init(&r, NULL, 0);
	for (size_t i = 0; i < ds->npayments; i++)
		settle_reader_keep(&r, &ds->payments[i]);
	settle_reader_end(&r, a, out);
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

void settle_periods(const struct ledger *lg, const struct dataset *ds,
		    const struct settle_payments *sp, struct arena *a,
		    struct settled_period **out, size_t *n)
{
	struct arena tmp = { 0 };
	const struct payment_runs *runs;
	const struct payment_run *pay = payments_of_ledger(ds, lg, &tmp, &runs);
	int latest = ledger_latest_period(lg);
	/* lg->last (by number) taken by period */
	struct at_period *v = xmalloc(sizeof *v * (lg->nlast + 1));
	size_t nv = 0;
	for (size_t i = 0; i < lg->nlast; i++)
		if (lg->last[i]->period < latest)
			v[nv++] = (struct at_period){ lg->last[i]->period, i };
	qsort(v, nv, sizeof *v, by_period_then_place);
	*out = arena_alloc(a, sizeof **out * (nv + 1));
	*n = 0;
	const struct payment **one = NULL;
	size_t room = 0, k = 0;
	for (size_t i = 0; i < nv;) {
		int p = v[i].period;
		int settled = 1;
		size_t named = 0;
		day_t since = lg->last[v[i].i]->issue_date;
		for (; i < nv && v[i].period == p; i++) {
			const struct reg_row *g = lg->last[v[i].i];
			const struct payment_run *r = &pay[v[i].i];
			named += r->n;
			if (invoice_number_period(g->invoice_no) != p) {
				settled = 0;
				continue;
			}
			if (g->issue_date > since)
				since = g->issue_date;
			if (g->status != INV_ISSUED || !settled)
				continue;
			by_day(runs, r->first, r->n, &one, &room);
			settled = covered(one, r->n, g->gross, &since);
		}
		/* every payment whose number names p named one of these */
		const char *digest = settled_digest(sp->digests, sp->n, p, &k);
		int has = digest != SETTLED_NO_PAYMENTS;
		if (!settled || named != (has ? sp->count[k] : 0))
			continue;
		struct settled_period *s = &(*out)[(*n)++];
		s->period = p;
		s->settled_on = since;
		memcpy(s->digest, digest, 65);
	}
	free(one);
	free(v);
	arena_free(&tmp);
}
