/* rules.c - see rules.h.  Every amount is computed exactly over __int128
 * and rounded once where rules.md §3 says round. */
#include "bill/rules.h"
#include "bill/payments.h"
#include "base/diag.h"
#include "read/fields.h"
#include "bill/labels.h"
#include "base/money.h"
#include "bill/slaclock.h"
#include "base/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* lcm(28, 29, 30, 31): every month length divides it, so a sum of day
 * fractions d/D has this exact common denominator. */
#define MONTH_LCM 377580

int cycle_starting(const struct contract *c, int month, struct cycle *out)
{
	int sm = month_of(c->start), em = month_of(c->end);
	int cm = (int)c->cycle_months;
	if (month < sm || month > em || cm <= 0 || (month - sm) % cm)
		return 0;
	out->first_month = month;
	out->last_month = month + cm - 1 < em ? month + cm - 1 : em;
	out->start = month == sm ? c->start : month_first_day(month);
	out->end = out->last_month == em ? c->end :
		   month_last_day(out->last_month);
	return 1;
}

int cycle_ending(const struct contract *c, int month, struct cycle *out)
{
	int sm = month_of(c->start), em = month_of(c->end);
	int cm = (int)c->cycle_months;
	if (month < sm || month > em || cm <= 0)
		return 0;
	int k;
	if (month == em)
		k = (em - sm) / cm;
	else if ((month - sm + 1) % cm == 0)
		k = (month - sm + 1) / cm - 1;
	else
		return 0;
	return cycle_starting(c, sm + k * cm, out);
}

int trueup_reach(const struct cycle_key *cycles, size_t n, int period)
{
	int from = period;
	for (size_t i = 0; i < n; i++)
		if (month_of(cycles[i].cycle_start) < from)
			from = month_of(cycles[i].cycle_start);
	return from;
}

const struct cycle_key *trueup_cycles(const struct dataset *ds, int period,
				      struct arena *a, size_t *n)
{
	struct cycle_key *v = arena_alloc(a, sizeof *v *
					  (ds->ncontracts + 1));
	*n = 0;
	for (size_t i = 0; i < ds->ncontracts; i++) {
		struct cycle cy;
		if (cycle_ending(&ds->contracts[i], period - 1, &cy))
			v[(*n)++] = (struct cycle_key){ ds->contracts[i].id,
							cy.start };
	}
	return v;
}

int64_t unit_cycle_amount(struct rate_frac r, day_t cov_from, day_t cov_to,
			  const struct cycle *cy, struct ratio *qty)
{
	i128 num = 0, months = 0;
	for (int m = cy->first_month; m <= cy->last_month; m++) {
		day_t lo = month_first_day(m), hi = month_last_day(m);
		if (lo < cy->start) lo = cy->start;
		if (lo < cov_from) lo = cov_from;
		if (hi > cy->end) hi = cy->end;
		if (hi > cov_to) hi = cov_to;
		if (hi < lo)
			continue;
		i128 share = (i128)(hi - lo + 1) * (MONTH_LCM / month_days(m));
		months += share;
		num += r.num * share;
	}
	if (qty)
		*qty = ratio_of(months, MONTH_LCM);
	return round_div(num, r.den * MONTH_LCM);
}

int64_t part_use_pct(const struct contract *c, const struct record *r)
{
	return r->cause == CAUSE_COVERED ? c->parts_pct : 100 * PCT_SCALE;
}

i128 part_use_value(const struct contract *c, const struct record *r,
		    const struct part_use *u)
{
	return round_div_wide((i128)u->qty * u->list_price *
			      part_use_pct(c, r),
			      (i128)CENTI * 100 * PCT_SCALE);
}

int64_t sla_days_late(int64_t response_secs, int64_t limit_centi_hours)
{
	int64_t limit_secs = limit_centi_hours * 36;   /* 3600 / 100 */
	if (limit_centi_hours <= 0 || response_secs <= limit_secs)
		return 0;
	int64_t over = response_secs - limit_secs;
	return (over + 86399) / 86400;
}

/* ---- building lines ---------------------------------------------------- */

struct lines {
	struct line *v;
	size_t n, cap;
	/* for the limits of what is computed (rules.md §2.3) */
	const struct bill_input *in;
	const struct contract *c;
	struct arena *a;
};

/* A computed amount beyond the limit of rules.md §2.3: a data error naming the
 * contract and the input row the value comes from, found while billing,
 * before anything is written (also by --dry-run). */
static void over_limit(const struct lines *ls, const char *file, long line,
		       const char *column, const char *what)
{
	if (!ls->in->d) {
		/* only callers that bill without reporting (none in the
		 * product) get here: never a silent wrong amount */
		die_internal("a computed amount is beyond the limit");
	}
	diag_error(ls->in->d, arena_printf(ls->a, "%s/%s", ls->in->data_dir,
					   file), line, column, NULL,
		   "contract %s: %s would be 1,000,000,000,000.00 or more "
		   "(the limit)", ls->c->id, what);
}

/* The amount of a line, exact over __int128, narrowed only within the
 * limit; beyond it, reported and 0 (so no line is made). */
/* A due date after 9999-12-31 (issue date + payment_days), on the
 * contract's row. */
static void over_limit_date(const struct lines *ls)
{
	if (!ls->in->d) {
		die_internal("a due date is beyond 9999-12-31");
	}
	diag_error(ls->in->d, arena_printf(ls->a, "%s/contracts.csv",
					   ls->in->data_dir), ls->c->ri.line,
		   NULL, NULL, "contract %s: the due date (issue date + "
		   "payment_days) would be after 9999-12-31 (the limit)", ls->c->id);
}

static int64_t line_amount(const struct lines *ls, i128 fen,
			   const char *file, long line, const char *column,
			   const char *what)
{
	if (amount_in_limit(fen))
		return (int64_t)fen;
	over_limit(ls, file, line, column, what);
	return 0;
}

static struct line *add_line(struct lines *ls, int kind, int64_t tax_pct)
{
	VEC_GROW(ls->v, ls->n + 1, ls->cap);
	struct line *l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->tax_pct = tax_pct;
	l->device_id = "";
	l->record_id = "";
	return l;
}

static struct rate_frac unit_rate(const struct contract *c,
				  const struct device *v)
{
	switch (c->type) {
	case CT_DEVICE_MONTHLY:
		return (struct rate_frac){ v->rate, 1 };
	case CT_PRICE_PERCENT:
		/* price x pct / 100 / 12, pct stored x 10^4 */
		return (struct rate_frac){ (i128)v->purchase_price *
					   c->annual_pct,
					   (i128)100 * 12 * PCT_SCALE };
	default:
		return (struct rate_frac){ c->monthly_fee, 1 };
	}
}

/* The descriptions of a line, from a template of labels.c. */
static void describe(struct line *l, struct arena *a, enum label t,
		     const char *a1, const char *a2, const char *a3,
		     const char *a4, const char *a5)
{
	const char *const args[5] = { a1, a2, a3, a4, a5 };
	label_fill(a, t, args, &l->desc_zh, &l->desc_en);
}

/* A recurring line's description names the dates the unit is covered in
 * the cycle (rules.md §3.2): a device joining on the 10th shows the 10th. */
static void describe_recurring(struct line *l, const struct contract *c,
			       const struct device *v, day_t from, day_t to,
			       struct arena *a)
{
	char f[11], t[11];
	date_format(from, f);
	date_format(to, t);
	const char *fs = arena_printf(a, "%s", f), *ts = arena_printf(a, "%s", t);
	if (!v) {
		describe(l, a, L_DESC_WEBSITE, fs, ts, "", "", "");
	} else if (c->type == CT_DEVICE_MONTHLY) {
		describe(l, a, L_DESC_SOFTWARE, v->id, v->class, fs, ts, "");
	} else {
		char price[40], pct[32];
		money_grouped(v->purchase_price, price);
		pct_plain(c->annual_pct, pct);
		describe(l, a, L_DESC_HARDWARE, v->model[0] ?
			 arena_printf(a, "%s %s", v->id, v->model) : v->id,
			 arena_strdup(a, price), arena_strdup(a, pct), fs, ts);
	}
}

static void add_recurring(const struct contract *c, const struct cycle *cy,
			  struct lines *ls, struct arena *a)
{
	size_t nunits = c->type == CT_WEBSITE ? 1 : c->ndevices;
	for (size_t i = 0; i < nunits; i++) {
		const struct device *v = c->type == CT_WEBSITE ? NULL :
					 c->devices[i];
		struct rate_frac r = unit_rate(c, v);
		day_t from = v ? v->from : c->start, to = v ? v->to : c->end;
		struct ratio qty;
		int64_t amount = line_amount(ls, unit_cycle_amount(r, from, to,
								   cy, &qty),
					     v ? "devices.csv" : "contracts.csv",
					     v ? v->ri.line : c->ri.line, NULL,
					     "a recurring line's amount");
		if (amount == 0)
			continue;
		struct line *l = add_line(ls, LK_RECURRING, c->tax_pct);
		l->flags = LINE_HAS_CYCLE | LINE_HAS_QTY | LINE_HAS_PRICE;
		l->device_id = v ? v->id : "";
		l->cycle_start = cy->start;
		l->cycle_end = cy->end;
		l->qty = qty;
		l->unit_price = ratio_of(r.num, r.den);
		l->amount = amount;
		describe_recurring(l, c, v, from > cy->start ? from : cy->start,
				   to < cy->end ? to : cy->end, a);
	}
}

/* ---- true-ups (rules.md §3.4) -------------------------------------------- */

/* [lo, hi) of the history lines of one contract (sorted by contract_id). */
static void hist_lines_of(const struct history *h, const char *id,
			  size_t *lo, size_t *hi)
{
	size_t l = 0, r = h->nlines;
	while (l < r) {
		size_t m = l + (r - l) / 2;
		if (strcmp(h->lines[m].contract_id, id) < 0)
			l = m + 1;
		else
			r = m;
	}
	*lo = l;
	while (l < h->nlines && strcmp(h->lines[l].contract_id, id) == 0)
		l++;
	*hi = l;
}

struct unit_diff {
	const char *device_id;
	i128 billed, now;           /* sums of amounts: never wrapped */
};

static int by_unit(const void *x, const void *y)
{
	return strcmp(((const struct unit_diff *)x)->device_id,
		      ((const struct unit_diff *)y)->device_id);
}

static struct unit_diff *unit_slot(struct unit_diff **v, size_t *n,
				   size_t *cap, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].device_id, id) == 0)
			return &(*v)[i];
	VEC_GROW(*v, *n + 1, *cap);
	(*v)[*n] = (struct unit_diff){ id, 0, 0 };
	return &(*v)[(*n)++];
}

static void add_trueups(const struct bill_input *in, const struct contract *c,
			struct lines *ls, struct arena *a)
{
	const struct history *h = in->hist;
	struct cycle cy;
	if (!h || !cycle_ending(c, in->period - 1, &cy))
		return;
	size_t lo, hi;
	hist_lines_of(h, c->id, &lo, &hi);
	int billed = 0;
	for (size_t i = lo; i < hi; i++) {
		const struct hist_line *hl = &h->lines[i];
		if (hl->cycle_start != cy.start)
			continue;
		if (hl->kind == LK_TRUEUP && hl->period < in->period)
			return;             /* already trued up */
		if (hl->kind == LK_RECURRING)
			billed = 1;
	}
	if (!billed)
		return;
	struct unit_diff *u = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = lo; i < hi; i++) {
		const struct hist_line *hl = &h->lines[i];
		if (hl->kind == LK_RECURRING && hl->cycle_start == cy.start)
			unit_slot(&u, &n, &cap, hl->device_id)->billed +=
				hl->amount;
	}
	size_t nunits = c->type == CT_WEBSITE ? 1 : c->ndevices;
	for (size_t i = 0; i < nunits; i++) {
		const struct device *v = c->type == CT_WEBSITE ? NULL :
					 c->devices[i];
		day_t from = v ? v->from : c->start, to = v ? v->to : c->end;
		int64_t now = unit_cycle_amount(unit_rate(c, v), from, to, &cy,
						NULL);
		unit_slot(&u, &n, &cap, v ? v->id : "")->now += now;
	}
	if (n)
		qsort(u, n, sizeof *u, by_unit);
	char cs[11], ce[11];
	date_format(cy.start, cs);
	date_format(cy.end, ce);
	for (size_t i = 0; i < n; i++) {
		int64_t diff = line_amount(ls, u[i].now - u[i].billed,
					   "contracts.csv", c->ri.line, NULL,
					   "a true-up line's amount");
		if (diff == 0)
			continue;
		struct line *l = add_line(ls, LK_TRUEUP, c->tax_pct);
		l->flags = LINE_HAS_CYCLE;
		l->device_id = u[i].device_id;
		l->cycle_start = cy.start;
		l->cycle_end = cy.end;
		l->amount = diff;
		describe(l, a, L_DESC_TRUEUP, u[i].device_id[0] ?
			 arena_printf(a, "%s ", u[i].device_id) : "", cs, ce,
			 "", "");
	}
	free(u);
}

/* ---- activity in arrears (rules.md §3.3) --------------------------------- */

static int completed_in(const struct record *r, int month)
{
	return record_month(r) == month;
}

static void add_record(const struct dataset *ds, const struct contract *c,
		       const struct record *r, struct lines *ls,
		       struct arena *a)
{
	const char *dev = r->device->id;
	struct line *l;
	if (r->cause == CAUSE_EXCLUDED) {
		int64_t amount = line_amount(ls, round_div_wide(
			(i128)r->labour_hours * c->labour_rate, CENTI),
			"service_records.csv", r->ri.line, NULL,
			"the labour line (hours x labour_rate)");
		if (amount != 0) {
			char h[32];
			centi_plain(r->labour_hours, h);
			l = add_line(ls, LK_LABOUR, c->tax_pct);
			l->flags = LINE_HAS_QTY | LINE_HAS_PRICE;
			l->qty = ratio_of(r->labour_hours, CENTI);
			l->unit_price = ratio_of(c->labour_rate, 1);
			l->amount = amount;
			describe(l, a, L_DESC_LABOUR, r->id, dev, "", "", "");
			l->device_id = dev;
			l->record_id = r->id;
		}
	}
	for (size_t i = 0; i < r->nparts; i++) {
		const struct part_use *u = r->parts[i];
		int64_t pct = part_use_pct(c, r);
		int64_t amount = line_amount(ls, part_use_value(c, r, u),
			"parts_used.csv", u->ri.line, NULL,
			"the parts line (qty x list_price)");
		if (amount == 0)
			continue;
		const char *zh = u->part ? u->part->name_zh : "";
		const char *en = u->part && u->part->name_en[0] ?
				 u->part->name_en : "Part";
		char p[32], lp[40];
		pct_plain(pct, p);
		money_grouped(u->list_price, lp);
		l = add_line(ls, LK_PARTS, c->goods_tax_pct);
		l->flags = LINE_HAS_QTY | LINE_HAS_PRICE;
		/* the charged unit price, so that qty x price is the amount;
		 * the description names the list price and the share */
		l->qty = ratio_of(u->qty, CENTI);
		l->unit_price = ratio_of((i128)u->list_price * pct,
					 (i128)100 * PCT_SCALE);
		l->amount = amount;
		l->device_id = dev;
		l->record_id = r->id;
		describe(l, a, L_DESC_PARTS, u->part_no,
			 zh[0] ? arena_printf(a, " %s", zh) : "", r->id,
			 arena_printf(a, "%s × %s%%", lp, p), en);
	}
	if (r->level >= 3) {
		static const enum label what[3] = { L_DESC_OEM_QUOTE,
						    L_DESC_FREIGHT, L_DESC_DUTY };
		const int64_t v[3] = { r->oem_quote, r->freight, r->duty };
		for (int k = 0; k < 3; k++) {
			if (v[k] == 0)
				continue;
			l = add_line(ls, LK_OEM, c->goods_tax_pct);
			l->amount = v[k];
			l->device_id = dev;
			l->record_id = r->id;
			describe(l, a, what[k], r->id, dev,
				 arena_printf(a, "%lld", (long long)r->level),
				 "", "");
		}
	}
	int64_t limit = r->type == RT_EMERGENCY ? c->sla_emergency_hours :
			c->sla_hours;
	if (limit > 0 && row_has(&r->ri, RECORD_CALLED_AT)) {
		int64_t reached = row_has(&r->ri, RECORD_ARRIVED_AT) ?
				  r->arrived_at : r->completed_at;
		/* service hours for a contract with a window; emergencies
		 * and contracts without one keep the wall clock (§3.3) */
		int64_t days = c->has_window && r->type != RT_EMERGENCY ?
			sla_service_days_late(c, ds->holidays, ds->nholidays,
					      r->called_at, reached, limit) :
			sla_days_late(reached - r->called_at, limit);
		if (days > 0 && c->sla_penalty != 0) {
			l = add_line(ls, LK_SLA, c->tax_pct);
			l->flags = LINE_HAS_QTY | LINE_HAS_PRICE;
			l->qty = ratio_of(days, 1);
			l->unit_price = ratio_of(-c->sla_penalty, 1);
			l->amount = line_amount(ls, -(i128)days *
						c->sla_penalty,
						"service_records.csv",
						r->ri.line, NULL,
						"the SLA credit (days late x "
						"sla_penalty)");
			l->device_id = dev;
			l->record_id = r->id;
			describe(l, a, L_DESC_SLA, r->id, dev,
				 arena_printf(a, "%lld", (long long)days),
				 days == 1 ? "" : "s", "");
		}
	}
}

static void add_activity(const struct bill_input *in,
			 const struct contract *c, struct lines *ls,
			 struct arena *a)
{
	int A = in->period - 1;
	size_t n = 0;
	for (size_t i = 0; i < c->ndevices; i++)
		for (size_t k = 0; k < c->devices[i]->nrecords; k++)
			n += completed_in(c->devices[i]->records[k], A);
	if (n == 0)
		return;
	const struct record **recs = xmalloc(sizeof *recs * n);
	n = 0;
	for (size_t i = 0; i < c->ndevices; i++)
		for (size_t k = 0; k < c->devices[i]->nrecords; k++)
			if (completed_in(c->devices[i]->records[k], A))
				recs[n++] = c->devices[i]->records[k];
	qsort(recs, n, sizeof *recs, record_order);
	for (size_t i = 0; i < n; i++)
		add_record(in->ds, c, recs[i], ls, a);
	free(recs);
}

static int charge_order(const void *x, const void *y)
{
	const struct charge *a = *(const struct charge *const *)x;
	const struct charge *b = *(const struct charge *const *)y;
	int c = strcmp(a->contract_id, b->contract_id);
	if (c)
		return c;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a < b ? -1 : a > b;      /* file order */
}

void bill_prepare(struct bill_input *in, struct arena *a)
{
	const struct dataset *ds = in->ds;
	const struct charge **ch = arena_alloc(a, sizeof *ch *
					       (ds->ncharges + 1));
	for (size_t i = 0; i < ds->ncharges; i++)
		ch[i] = &ds->charges[i];
	qsort(ch, ds->ncharges, sizeof *ch, charge_order);
	in->pay_runs = *payment_runs(ds, &in->pay_runs, a);
	in->charges = ch;
	in->paid = NULL;
	if (in->hist && in->hist->by_number) {
		const struct history *h = in->hist;
		struct payment_run *paid = arena_alloc_uninit(a, sizeof *paid *
							      (h->nnumbers + 1));
		payment_runs_match(&in->pay_runs, h->by_number, h->nnumbers,
				   paid);
		in->paid = paid;
	}
}

/* lower_bound keys: a contract id against a charge (charges sorted by
 * contract) and against a register invoice (sorted by contract too). */
static int id_vs_charge(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct charge *const *)elem)->contract_id);
}

static int id_vs_hist_invoice(const void *key, const void *elem)
{
	return strcmp(key, ((const struct hist_invoice *)elem)->contract_id);
}

i128 charge_value(const struct charge *ch)
{
	return round_div_wide((i128)ch->qty * ch->unit_price, CENTI);
}

static void add_charges(const struct bill_input *in, const struct contract *c,
			struct lines *ls)
{
	const struct dataset *ds = in->ds;
	int A = in->period - 1;
	size_t first = lower_bound(c->id, in->charges, ds->ncharges,
				   sizeof *in->charges, id_vs_charge);
	for (size_t i = first; i < ds->ncharges; i++) {
		const struct charge *ch = in->charges[i];
		if (strcmp(ch->contract_id, c->id) != 0)
			break;
		if (month_of(ch->date) != A)
			continue;
		int64_t amount = line_amount(ls, charge_value(ch),
			"charges.csv", ch->ri.line, NULL,
			"the charge (qty x unit_price)");
		if (amount == 0)
			continue;
		struct line *l = add_line(ls, LK_CHARGE,
					  ch->category == CAT_GOODS ?
					  c->goods_tax_pct : c->tax_pct);
		l->flags = LINE_HAS_QTY | LINE_HAS_PRICE;
		l->qty = ratio_of(ch->qty, CENTI);
		l->unit_price = ratio_of(ch->unit_price, 1);
		l->amount = amount;
		l->desc_zh = ch->description_zh;
		l->desc_en = ch->description_en;
	}
}

/* ---- late fees (rules.md §3.5) ------------------------------------------- */

static int by_invoice_no(const void *x, const void *y)
{
	return strcmp((*(const struct hist_invoice *const *)x)->invoice_no,
		      (*(const struct hist_invoice *const *)y)->invoice_no);
}

static void add_late_fees(const struct bill_input *in,
			  const struct contract *c, struct lines *ls,
			  struct arena *a)
{
	const struct history *h = in->hist;
	if (!h || c->late_fee_pct == 0)
		return;
	/* the contract's invoices are a run of h->inv: room for those only
	 * (not for every invoice of the archive, once per contract) */
	size_t lo = lower_bound(c->id, h->inv, h->ninv, sizeof *h->inv,
				id_vs_hist_invoice), hi = lo;
	while (hi < h->ninv && strcmp(h->inv[hi].contract_id, c->id) == 0)
		hi++;
	const struct hist_invoice **mine = xmalloc(sizeof *mine *
						   (hi - lo + 1));
	size_t n = 0;
	for (size_t i = lo; i < hi; i++)
		if (h->inv[i].period < in->period &&
		    h->inv[i].status == INV_ISSUED)
			mine[n++] = &h->inv[i];
	sort_if_unsorted(mine, n, sizeof *mine, by_invoice_no);
	int A = in->period - 1;
	day_t first_day = month_first_day(A), last_day = month_last_day(A);
	for (size_t i = 0; i < n; i++) {
		const struct hist_invoice *iv = mine[i];
		i128 sum = 0;
		int64_t days = 0;
		/* its payments as bill_prepare matched them (searched for
		 * when the input was put together without it) */
		struct payment_run own = { iv->invoice_no, 0, 0 };
		if (in->paid)
			own = in->paid[iv->rank];
		else
			own.n = payment_runs_of(&in->pay_runs, iv->invoice_no,
						&own.first);
		size_t count = own.n;
		const struct payment *const *paid_by_it =
			in->pay_runs.sorted + own.first;
		/* the days of A after the due date */
		day_t from = iv->due_date < first_day ? first_day :
			     iv->due_date + 1;
		/* outstanding(t) changes only on a day a payment is dated:
		 * with none after `from` in A, it is the same every day
		 * (most invoices of ten years: paid long ago), else day by
		 * day as the rule says */
		int changes = 0;
		for (size_t k = 0; k < count && !changes; k++)
			changes = paid_by_it[k]->paid_on > from &&
				  paid_by_it[k]->paid_on <= last_day;
		if (from <= last_day && !changes) {
			i128 out = iv->gross - paid_among(paid_by_it, count,
							  from);
			if (out > 0) {
				days = last_day - from + 1;
				sum = out * days;
			}
		}
		for (day_t t = from; changes && t <= last_day; t++) {
			i128 paid = paid_among(paid_by_it, count, t);
			i128 out = iv->gross - paid;
			if (out <= 0)
				continue;
			sum += out;
			days++;
		}
		int64_t fee = line_amount(ls, round_div_wide(
			sum * c->late_fee_pct, (i128)100 * PCT_SCALE),
			"contracts.csv", c->ri.line, NULL,
			"the late fee");
		if (fee == 0)
			continue;
		struct line *l = add_line(ls, LK_LATE_FEE, c->tax_pct);
		l->flags = LINE_HAS_QTY;
		l->qty = ratio_of(days, 1);
		l->amount = fee;
		describe(l, a, L_DESC_LATE_FEE, iv->invoice_no,
			 arena_printf(a, "%lld", (long long)days),
			 days == 1 ? "" : "s", "", "");
	}
	free(mine);
}

/* ---- invoices ---------------------------------------------------------- */

void bill_contract(const struct bill_input *in, const struct contract *c,
		   struct arena *a, struct invoice *out)
{
	struct lines ls = { .in = in, .c = c, .a = a };
	struct cycle cy;
	if (cycle_starting(c, in->period, &cy))
		add_recurring(c, &cy, &ls, a);
	add_trueups(in, c, &ls, a);
	add_activity(in, c, &ls, a);
	add_charges(in, c, &ls);
	add_late_fees(in, c, &ls, a);
	memset(out, 0, sizeof *out);
	out->contract = c;
	out->contract_id = c->id;
	out->client_id = c->client_id;
	out->period = in->period;
	out->issue_date = in->issue_date;
	out->due_date = in->issue_date + c->payment_days;
	if (out->due_date > date_from_ymd(9999, 12, 31)) {
		over_limit_date(&ls);
		out->due_date = in->issue_date;
	}
	out->replaces = "";
	for (size_t i = 0; i < ls.n; i++)
		line_write(&ls.v[i], a);
	out->nlines = ls.n;
	if (ls.n) {
		out->lines = arena_alloc(a, sizeof *ls.v * ls.n);
		memcpy(out->lines, ls.v, sizeof *ls.v * ls.n);
	}
	free(ls.v);
	if (invoice_total(out) != 0)
		over_limit(&ls, "contracts.csv", c->ri.line, NULL,
			   "the invoice's net, tax or gross");
}

struct invoice *bill_period(struct bill_input *in, struct arena *a,
			    size_t *ninvoices)
{
	const struct dataset *ds = in->ds;
	bill_prepare(in, a);
	struct invoice *inv = arena_alloc(a, sizeof *inv *
					  (ds->ncontracts + 1));
	size_t n = 0;
	for (size_t i = 0; i < ds->ncontracts; i++) {
		bill_contract(in, &ds->contracts[i], a, &inv[n]);
		if (inv[n].nlines)
			n++;
	}
	*ninvoices = n;
	return inv;
}
