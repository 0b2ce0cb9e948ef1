/* plan.c - what a run issues, per contract: the drafts of the fee engine
 * against the register's invoices of the period (README.md, "Re-running
 * a month").  Pure: no file is read or written here; the hashes of the
 * files already on disk come in as a value. */
#include "plan/plan.h"
#include "base/money.h"
#include "base/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int by_rel(const void *key, const void *elem)
{
	return strcmp(key, ((const struct file_hash *)elem)->rel);
}

const char *disk_hash(const struct disk_hashes *h, const char *rel)
{
	const struct file_hash *f = vec_find(rel, h->v, h->n, sizeof *h->v,
					     by_rel);
	return f ? f->sha : NULL;
}

/* The state of one decision: the inputs, and the plan being built. */
struct planner {
	const struct ledger *before;
	const struct dataset *ds;
	const struct disk_hashes *on_disk;
	const struct plan_opts *o;
	struct arena *a;
	struct diag *d;
	struct plan *p;
	char period_s[8];
	int next, next_cn;          /* last numbers used in the period */
	int refused;                /* changed invoices not reissued */
};

static void append_row(struct planner *pl, struct invoice *inv)
{
	struct plan *p = pl->p;
	VEC_GROW(p->append, p->nappend + 1, p->capappend);
	p->append[p->nappend++] = inv;
}

static void add_job(struct planner *pl, enum job_kind kind,
		    const struct invoice *inv, const struct device *dev,
		    const char *expect_sha)
{
	struct plan *p = pl->p;
	VEC_GROW(p->jobs, p->njobs + 1, p->capjobs);
	p->jobs[p->njobs++] = (struct job){ kind, inv, dev, expect_sha };
}

static int by_contract_row(const void *x, const void *y)
{
	return strcmp((*(const struct reg_row *const *)x)->contract_id,
		      (*(const struct reg_row *const *)y)->contract_id);
}

/* The register's invoices of the period that are issued now, by contract
 * (one per contract: the one issued last). */
static const struct reg_row **issued_in_period(const struct ledger *lg,
					       int period, size_t *n)
{
	const struct reg_row **v = xmalloc(sizeof *v * (lg->nlast + 1));
	*n = 0;
	for (size_t i = 0; i < lg->nlast; i++)
		if (lg->last[i]->period == period &&
		    lg->last[i]->status == INV_ISSUED)
			v[(*n)++] = lg->last[i];
	qsort(v, *n, sizeof *v, by_contract_row);
	return v;
}

static struct invoice *invoice_from_row(struct planner *pl,
					const struct reg_row *g)
{
	struct invoice *inv = arena_alloc(pl->a, sizeof *inv);
	inv->contract = find_contract(pl->ds, g->contract_id);
	inv->contract_id = g->contract_id;
	inv->client_id = g->client_id;
	inv->period = g->period;
	inv->issue_date = g->issue_date;
	inv->due_date = g->due_date;
	inv->net = g->net;
	inv->tax = g->tax;
	inv->gross = g->gross;
	inv->status = g->status;
	inv->replaces = g->replaces;
	snprintf(inv->number, sizeof inv->number, "%s", g->invoice_no);
	snprintf(inv->content_sha256, sizeof inv->content_sha256, "%s",
		 g->content_sha256);
	ledger_lines_of(pl->before, g->invoice_no, pl->a, &inv->lines,
			&inv->nlines);
	return inv;
}

/* A credit note's tax per rate (the document's totals, rules.md §5.1):
 * the cancelled invoice's, from its lines as they were billed, negated,
 * so that the rows add up to -old->tax whatever the rounding of a
 * negative amount would be. */
static void credit_note_taxes(struct invoice *cn, const struct line *lines,
			      size_t n)
{
	struct invoice was = { .lines = (struct line *)lines, .nlines = n };
	invoice_total(&was);
	cn->ntaxes = was.ntaxes;
	for (int k = 0; k < was.ntaxes; k++)
		cn->taxes[k] = (struct tax_total){ .pct4 = was.taxes[k].pct4,
						   .net = -was.taxes[k].net,
						   .tax = -was.taxes[k].tax };
}

/* Cancel old: a cancelled row and a credit note that negates it. */
static void cancel(struct planner *pl, const struct reg_row *old)
{
	struct invoice *gone = invoice_from_row(pl, old);
	gone->status = INV_CANCELLED;
	append_row(pl, gone);
	struct invoice *cn = invoice_from_row(pl, old);
	cn->status = INV_CREDIT;
	cn->replaces = old->invoice_no;
	cn->issue_date = pl->o->issue_date;
	cn->due_date = pl->o->issue_date;
	cn->net = -old->net;
	cn->tax = -old->tax;
	cn->gross = -old->gross;
	for (size_t i = 0; i < cn->nlines; i++)
		line_negate(&cn->lines[i], pl->a);
	credit_note_taxes(cn, gone->lines, gone->nlines);
	invoice_number(cn->number, "CN", pl->o->period, ++pl->next_cn);
	invoice_content_hash(cn);
	append_row(pl, cn);
	add_job(pl, JOB_INVOICE, cn, NULL, NULL);
}

static void refuse_changed(struct planner *pl, const char *contract,
			   const struct reg_row *old,
			   const struct invoice *now)
{
	char on[32], ot[32], og[32], nn[32], nt[32], ng[32];
	money_plain(old->net, on);
	money_plain(old->tax, ot);
	money_plain(old->gross, og);
	money_plain(now ? now->net : 0, nn);
	money_plain(now ? now->tax : 0, nt);
	money_plain(now ? now->gross : 0, ng);
	diag_fail(pl->d, "contract %s: invoice %s of %s changed: net %s -> "
		  "%s, tax %s -> %s, gross %s -> %s%s (run with --reissue to "
		  "cancel it and issue a credit note and a new invoice)",
		  contract, old->invoice_no, pl->period_s, on, nn, ot, nt, og,
		  ng, now ? "" : " (now nothing to bill)");
	pl->refused++;
}

/* --verbose: one line per decision. */
static void say(struct planner *pl, const char *what, const char *number,
		const char *contract, int64_t gross)
{
	char g[40];
	money_grouped(gross, g);
	diag_verbose(pl->d, "%-10s %-18s %-16s %14s", what, number, contract,
		     g);
}

/* One contract: its invoice of the period in the register (old, may be
 * NULL) and what it would be now (draft, may be NULL). */
static void decide(struct planner *pl, const char *id,
		   const struct reg_row *old, const struct invoice *draft)
{
	struct invoice *now = NULL;
	if (draft) {
		now = arena_alloc(pl->a, sizeof *now);
		*now = *draft;
		invoice_content_hash(now);
	}
	if (old && now &&
	    strcmp(old->content_sha256, now->content_sha256) == 0) {
		/* unchanged: same number, the file restored if need be */
		snprintf(now->number, sizeof now->number, "%s",
			 old->invoice_no);
		now->replaces = old->replaces;
		pl->p->count.kept++;
		say(pl, "unchanged", now->number, id, now->gross);
		const char *sha = disk_hash(pl->on_disk, old->pdf);
		if (!sha || strcmp(sha, old->pdf_sha256) != 0) {
			diag_note(pl->d, "%s/%s is missing or damaged: "
				  "writing it again", pl->o->root, old->pdf);
			add_job(pl, JOB_INVOICE, now, NULL, old->pdf_sha256);
			pl->p->count.restored++;
		}
		return;
	}
	if (old && !pl->o->reissue) {
		refuse_changed(pl, id, old, now);
		return;
	}
	if (old) {
		cancel(pl, old);
		pl->p->count.reissued++;
		say(pl, "cancelled", old->invoice_no, id, old->gross);
	}
	if (now) {
		invoice_number(now->number, pl->ds->issuer.invoice_prefix,
			       pl->o->period, ++pl->next);
		now->replaces = old ? old->invoice_no : "";
		append_row(pl, now);
		add_job(pl, JOB_INVOICE, now, NULL, NULL);
		if (!old)
			pl->p->count.fresh++;
		say(pl, old ? "reissued" : "new", now->number, id, now->gross);
	}
}

/* The period's credit notes and cancelled invoices whose PDFs are
 * missing or not the recorded ones: drawn again from the ledger as they
 * were issued (a credit note with the taxes of the invoice it cancels),
 * and named only if their bytes are the recorded ones (check_restores),
 * as an unchanged invoice's are. */
static void restore_others(struct planner *pl)
{
	const struct ledger *lg = pl->before;
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (g->period != pl->o->period || g->status == INV_ISSUED ||
		    !g->pdf[0])
			continue;
		const char *sha = disk_hash(pl->on_disk, g->pdf);
		if (sha && strcmp(sha, g->pdf_sha256) == 0)
			continue;
		struct invoice *inv = invoice_from_row(pl, g);
		if (g->status == INV_CREDIT) {
			struct line *was;
			size_t n;
			ledger_lines_of(lg, g->replaces, pl->a, &was, &n);
			credit_note_taxes(inv, was, n);
		} else {
			inv->status = INV_ISSUED;   /* as it was issued */
			invoice_total(inv);         /* its tax per rate */
		}
		diag_note(pl->d, "%s/%s is missing or damaged: writing it "
			  "again", pl->o->root, g->pdf);
		add_job(pl, JOB_INVOICE, inv, NULL, g->pdf_sha256);
		pl->p->count.restored++;
	}
}

/* The documents besides the invoices: a record sheet for every device
 * with a record completed in the activity month, and the summary (every
 * run leaves the month's summary files). */
int plan_sheet_due(const struct device *v, int activity)
{
	for (size_t k = 0; k < v->nrecords; k++)
		if (record_month(v->records[k]) == activity)
			return 1;
	return 0;
}

static int by_bytes(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char **plan_sheet_record_ids(const struct dataset *ds, int period,
				   struct arena *a, size_t *n)
{
	size_t count = 0;
	for (size_t i = 0; i < ds->ndevices; i++)
		if (plan_sheet_due(&ds->devices[i], period - 1))
			count += ds->devices[i].nrecords;
	const char **ids = arena_alloc(a, sizeof *ids * (count + 1));
	*n = 0;
	for (size_t i = 0; i < ds->ndevices; i++) {
		const struct device *v = &ds->devices[i];
		if (plan_sheet_due(v, period - 1))
			for (size_t k = 0; k < v->nrecords; k++)
				ids[(*n)++] = v->records[k]->id;
	}
	qsort(ids, *n, sizeof *ids, by_bytes);
	size_t u = 0;
	for (size_t i = 0; i < *n; i++)
		if (!u || strcmp(ids[u - 1], ids[i]) != 0)
			ids[u++] = ids[i];
	*n = u;
	return ids;
}

static void add_reports(struct planner *pl)
{
	int activity = pl->o->period - 1;
	for (size_t i = 0; i < pl->ds->ndevices; i++) {
		const struct device *v = &pl->ds->devices[i];
		if (plan_sheet_due(v, activity))
			add_job(pl, JOB_SHEET, NULL, v, NULL);
	}
	add_job(pl, JOB_SUMMARY, NULL, NULL, NULL);
}

int plan_period(const struct ledger *before, const struct invoice *drafts,
		size_t n, const struct dataset *ds,
		const struct disk_hashes *on_disk, const struct plan_opts *o,
		struct arena *a, struct diag *d, struct plan *out)
{
	memset(out, 0, sizeof *out);
	struct planner pl = {
		.before = before, .ds = ds, .on_disk = on_disk, .o = o,
		.a = a, .d = d, .p = out,
		.next = ledger_last_number(before, 0, o->period),
		.next_cn = ledger_last_number(before, 1, o->period),
	};
	month_format(o->period, pl.period_s);
	/* the drafts and the period's invoices, both in contract order,
	 * merged: a contract may be in either or both */
	size_t nold, i = 0, k = 0;
	const struct reg_row **old = issued_in_period(before, o->period,
						      &nold);
	while (i < n || k < nold) {
		int c = i == n ? 1 : k == nold ? -1 :
			strcmp(drafts[i].contract_id, old[k]->contract_id);
		if (c < 0) {
			decide(&pl, drafts[i].contract_id, NULL, &drafts[i]);
			i++;
		} else if (c > 0) {
			decide(&pl, old[k]->contract_id, old[k], NULL);
			k++;
		} else {
			decide(&pl, drafts[i].contract_id, old[k], &drafts[i]);
			i++;
			k++;
		}
	}
	free(old);
	if (pl.refused)
		return EX_DATAERR;
	int latest = ledger_latest_period(before);
	if (latest > o->period && out->nappend > 0) {
		char l[8];
		month_format(latest, l);
		diag_fail(d, "%s is earlier than the latest period in the "
			  "register (%s): it may only be re-run unchanged, and "
			  "this run would issue %zu new register rows",
			  pl.period_s, l, out->nappend);
		return EX_DATAERR;
	}
	restore_others(&pl);
	add_reports(&pl);
	return 0;
}

void plan_free(struct plan *p)
{
	free(p->append);
	free(p->jobs);
	memset(p, 0, sizeof *p);
}
