/* reconcile.c - what a run issues, per contract: the drafts of the fee
 * engine against the register's invoices of the period (SPEC §4). */
#include "base/money.h"
#include "plan/runstate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

void add_append(struct run *r, struct invoice *inv)
{
	if (r->nappend == r->capappend) {
		r->capappend = r->capappend ? r->capappend * 2 : 64;
		r->append = xrealloc(r->append, sizeof *r->append *
				     r->capappend);
	}
	r->append[r->nappend++] = inv;
}

static int by_contract_row(const void *x, const void *y)
{
	return strcmp((*(const struct reg_row *const *)x)->contract_id,
		      (*(const struct reg_row *const *)y)->contract_id);
}

/* The register's invoices of period P that are issued now, by contract
 * (one per contract: the one issued last). */
static const struct reg_row **issued_in_period(const struct run *r,
					       size_t *n)
{
	const struct reg_row **v = xmalloc(sizeof *v * (r->lg.nlast + 1));
	*n = 0;
	for (size_t i = 0; i < r->lg.nlast; i++)
		if (r->lg.last[i]->period == r->o->period &&
		    r->lg.last[i]->status == INV_ISSUED)
			v[(*n)++] = r->lg.last[i];
	qsort(v, *n, sizeof *v, by_contract_row);
	return v;
}

static struct invoice *invoice_from_row(struct run *r,
					const struct reg_row *g)
{
	struct invoice *inv = arena_alloc(&r->a, sizeof *inv);
	inv->contract = find_contract(&r->ds, g->contract_id);
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
	ledger_lines_of(&r->lg, g->invoice_no, &r->a, &inv->lines,
			&inv->nlines);
	return inv;
}

/* Cancel old (append a cancelled row and a credit note). */
static void cancel(struct run *r, const struct reg_row *old, int *next_cn)
{
	struct invoice *gone = invoice_from_row(r, old);
	gone->status = INV_CANCELLED;
	add_append(r, gone);
	struct invoice *cn = invoice_from_row(r, old);
	cn->status = INV_CREDIT;
	cn->replaces = old->invoice_no;
	cn->issue_date = r->o->issue_date;
	cn->due_date = r->o->issue_date;
	cn->net = -old->net;
	cn->tax = -old->tax;
	cn->gross = -old->gross;
	for (size_t i = 0; i < cn->nlines; i++)
		line_negate(&cn->lines[i]);
	invoice_number(cn->number, "CN", r->o->period, ++*next_cn);
	invoice_content_hash(cn);
	add_append(r, cn);
	add_job(r, cn, NULL);
}

static void changed_message(struct run *r, const char *contract,
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
	fprintf(stderr, "svcbill: contract %s: invoice %s of %s changed: net "
		"%s -> %s, tax %s -> %s, gross %s -> %s%s (run with --reissue "
		"to cancel it and issue a credit note and a new invoice)\n",
		contract, old->invoice_no, r->period_s, on, nn, ot, nt, og, ng,
		now ? "" : " (now nothing to bill)");
	r->d.errors++;
}

/* One contract: its invoice of P in the register (old, may be NULL) and
 * what it would be now (now, may be NULL). */
static void say(const struct run *r, const char *what, const char *number,
		const char *contract, int64_t gross)
{
	if (!r->o->verbose)
		return;
	char g[40];
	money_grouped(gross, g);
	fprintf(stderr, "%-10s %-18s %-16s %14s\n", what, number, contract, g);
}

static void reconcile_one(struct run *r, const char *id,
			  const struct reg_row *old, struct invoice *now,
			  int *next, int *next_cn)
{
	if (now)
		invoice_content_hash(now);
	if (old && now &&
	    strcmp(old->content_sha256, now->content_sha256) == 0) {
		/* unchanged: same number, the file restored if need be */
		snprintf(now->number, sizeof now->number, "%s",
			 old->invoice_no);
		now->replaces = old->replaces;
		r->nkept++;
		say(r, "unchanged", now->number, id, now->gross);
		char sha[65];
		if (file_sha(r, old->pdf, sha) != 0 ||
		    strcmp(sha, old->pdf_sha256) != 0) {
			fprintf(stderr, "svcbill: %s/%s is missing or damaged: "
				"writing it again\n", r->o->out, old->pdf);
			add_job(r, now, old->pdf_sha256);
			r->nrestored++;
		}
		return;
	}
	if (old && !r->o->reissue) {
		changed_message(r, id, old, now);
		return;
	}
	if (old) {
		cancel(r, old, next_cn);
		r->nreissued++;
		say(r, "cancelled", old->invoice_no, id, old->gross);
	}
	if (now) {
		invoice_number(now->number, r->ds.issuer.invoice_prefix,
			       r->o->period, ++*next);
		now->replaces = old ? old->invoice_no : "";
		add_append(r, now);
		add_job(r, now, NULL);
		if (!old)
			r->nnew++;
		say(r, old ? "reissued" : "new", now->number, id, now->gross);
	}
}

/* Decide, per contract, what this run issues: the drafts (in contract
 * order) against the period's issued invoices (the same order), which
 * include contracts gone from the data.  Returns 0 or an exit status. */
int reconcile(struct run *r, struct invoice *inv, size_t ninv)
{
	const struct options *o = r->o;
	int next = ledger_last_number(&r->lg, r->ds.issuer.invoice_prefix,
				      o->period);
	int next_cn = ledger_last_number(&r->lg, "CN", o->period);
	size_t nold, i = 0, k = 0;
	const struct reg_row **old = issued_in_period(r, &nold);
	while (i < ninv || k < nold) {
		int c = i == ninv ? 1 : k == nold ? -1 :
			strcmp(inv[i].contract_id, old[k]->contract_id);
		if (c < 0) {
			reconcile_one(r, inv[i].contract_id, NULL, &inv[i],
				      &next, &next_cn);
			i++;
		} else if (c > 0) {
			reconcile_one(r, old[k]->contract_id, old[k], NULL,
				      &next, &next_cn);
			k++;
		} else {
			reconcile_one(r, inv[i].contract_id, old[k], &inv[i],
				      &next, &next_cn);
			i++;
			k++;
		}
	}
	free(old);
	if (r->d.errors)
		return EX_DATAERR;
	int latest = ledger_latest_period(&r->lg);
	if (latest > o->period && r->nappend > 0) {
		char l[8];
		month_format(latest, l);
		fprintf(stderr, "svcbill: %s is earlier than the latest period "
			"in the register (%s): it may only be re-run "
			"unchanged, and this run would issue %zu new "
			"register rows\n", r->period_s, l, r->nappend);
		return EX_DATAERR;
	}
	return 0;
}
