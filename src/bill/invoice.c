/* invoice.c - see invoice.h */
#include "bill/invoice.h"
#include "read/fields.h"
#include "base/diag.h"
#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void invoice_reg_row(const struct invoice *inv, struct reg_row *g)
{
	memset(g, 0, sizeof *g);
	g->invoice_no = inv->number;
	g->contract_id = inv->contract_id;
	g->client_id = inv->client_id;
	g->currency = inv->contract ? inv->contract->currency : "CNY";
	g->replaces = inv->replaces;
	g->content_sha256 = inv->content_sha256;
	g->pdf = "";
	g->pdf_sha256 = "";
	g->period = inv->period;
	g->issue_date = inv->issue_date;
	g->due_date = inv->due_date;
	g->net = inv->net;
	g->tax = inv->tax;
	g->gross = inv->gross;
	g->status = inv->status;
}

void invoice_ledger_lines(const struct invoice *inv,
			  struct ledger_line *lines)
{
	for (size_t k = 0; k < inv->nlines; k++)
		lines[k] = (struct ledger_line){
			.invoice_no = inv->number,
			.contract_id = inv->contract_id,
			.line_no = (int)k + 1,
			.l = inv->lines[k],
		};
}

void invoice_content_hash(struct invoice *inv)
{
	struct reg_row g;
	invoice_reg_row(inv, &g);
	struct ledger_line *lines = xmalloc(sizeof *lines * (inv->nlines + 1));
	invoice_ledger_lines(inv, lines);
	ledger_row_content(&g, lines, inv->nlines, inv->content_sha256);
	free(lines);
}

void register_row(struct buf *b, const struct invoice *inv, const char *pdf,
		  const char *pdf_sha256, char chain[65])
{
	struct reg_row g;
	invoice_reg_row(inv, &g);
	g.pdf = pdf;
	g.pdf_sha256 = pdf_sha256;
	ledger_register_row(b, &g, chain);
}

void lines_rows(struct buf *b, const struct invoice *inv)
{
	struct ledger_line *lines = xmalloc(sizeof *lines * (inv->nlines + 1));
	invoice_ledger_lines(inv, lines);
	for (size_t k = 0; k < inv->nlines; k++)
		ledger_line_row(b, &lines[k]);
	free(lines);
}

void invoices_merge(const struct ledger *lg, struct invoice *const *inv,
		    size_t n, struct arena *a, struct ledger *out)
{
	size_t nlines = 0;
	for (size_t i = 0; i < n; i++)
		if (inv[i]->status != INV_CANCELLED)
			nlines += inv[i]->nlines;
	/* made here and copied by ledger_merge into out's arrays: freed,
	 * not kept in the arena, so that what the run makes next (the
	 * workbooks, the register rows) takes their memory (17 MB of lines
	 * in a 10,000-contract month) */
	struct reg_row *rows = xcalloc(n + 1, sizeof *rows);
	struct ledger_line *lines = xcalloc(nlines + 1, sizeof *lines);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		invoice_reg_row(inv[i], &rows[i]);
		if (inv[i]->status == INV_CANCELLED)
			continue;
		invoice_ledger_lines(inv[i], lines + m);
		m += inv[i]->nlines;
	}
	ledger_merge(lg, rows, n, lines, m, a, out);
	free(rows);
	free(lines);
}

void line_write(struct line *l, struct arena *a)
{
	char s[DEC_LEN];
	l->qty_s = l->price_s = "";
	if (l->flags & LINE_HAS_PRICE) {
		price_written(l->unit_price, s);
		l->price_s = arena_strdup(a, s);
	}
	if (l->flags & LINE_HAS_QTY) {
		qty_written(l->qty, l->flags & LINE_HAS_PRICE ? l->price_s :
			    NULL, l->amount, s);
		l->qty_s = arena_strdup(a, s);
	}
}

void line_negate(struct line *l, struct arena *a)
{
	char s[DEC_LEN];
	l->amount = -l->amount;
	l->qty.num = -l->qty.num;
	snprintf(s, sizeof s, "%s", l->qty_s);
	decimal_negate(s);
	l->qty_s = arena_strdup(a, s);
}

int invoice_total(struct invoice *inv)
{
	/* sums over __int128: no line count or amount can wrap them; each
	 * total is checked against the limit before it is narrowed */
	i128 net = 0, rate_net[MAX_TAX_RATES];
	inv->ntaxes = 0;
	for (size_t i = 0; i < inv->nlines; i++) {
		const struct line *l = &inv->lines[i];
		net += l->amount;
		int k = 0;
		while (k < inv->ntaxes && inv->taxes[k].pct4 < l->tax_pct)
			k++;
		if (k == inv->ntaxes || inv->taxes[k].pct4 != l->tax_pct) {
			if (inv->ntaxes == MAX_TAX_RATES) {
				/* a contract has two rates; never drop a line's
				 * tax silently if that ever changes */
				die_internal("too many tax rates on one "
					     "invoice");
			}
			memmove(&inv->taxes[k + 1], &inv->taxes[k],
				sizeof inv->taxes[0] *
				(size_t)(inv->ntaxes - k));
			memmove(&rate_net[k + 1], &rate_net[k],
				sizeof rate_net[0] * (size_t)(inv->ntaxes - k));
			inv->taxes[k] = (struct tax_total){ l->tax_pct, 0, 0 };
			rate_net[k] = 0;
			inv->ntaxes++;
		}
		rate_net[k] += l->amount;
	}
	i128 tax = 0;
	int ok = amount_in_limit(net);
	for (int k = 0; k < inv->ntaxes; k++) {
		struct tax_total *t = &inv->taxes[k];
		i128 rt = round_div_wide(rate_net[k] * t->pct4,
					 (i128)100 * PCT_SCALE);
		ok = ok && amount_in_limit(rate_net[k]) && amount_in_limit(rt);
		tax += rt;
		t->net = ok ? (int64_t)rate_net[k] : 0;
		t->tax = ok ? (int64_t)rt : 0;
	}
	ok = ok && amount_in_limit(tax) && amount_in_limit(net + tax);
	/* over the limit: zeros, never a wrapped value; the caller reports */
	inv->net = ok ? (int64_t)net : 0;
	inv->tax = ok ? (int64_t)tax : 0;
	inv->gross = ok ? (int64_t)(net + tax) : 0;
	return ok ? 0 : -1;
}
