/* summary.c - see summary.h.  The figures come from report.c; this file
 * only lays them out. */
#include "docs/summary.h"
#include "docs/report.h"
#include "bill/labels.h"
#include "docs/labelcol.h"
#include "base/money.h"
#include "bill/overdue.h"
#include "bill/pm.h"

#include <stdlib.h>
#include <string.h>

#define RIGHT (MARGIN_X + CONTENT_W)
#define NTYPES REPORT_TYPES

static const unsigned type_rgb[NTYPES] = { 0x4C72B0, 0xDD8452, 0x55A868 };

static const char *money(struct doc *d, int64_t fen)
{
	char s[40];
	money_grouped(fen, s);
	return arena_strdup(d->a, s);
}

static int type_of(const struct dataset *ds, const char *contract)
{
	const struct contract *c = find_contract(ds, contract);
	return c ? c->type : -1;
}

/* A section title, kept on one page with `need` points of what follows. */
static void heading(struct doc *d, const char *zh, const char *en,
		    double need)
{
	doc_ensure(d, 30 + need);
	d->y -= 10;
	doc_outline(d, arena_printf(d->a, "%s %s", zh, en));
	doc_text(d, MARGIN_X, d->y - 12, 12, 1, 0, AL_LEFT, zh);
	doc_text(d, MARGIN_X + font_width(d->font, zh, 12) + 6, d->y - 12, 9,
		 0, 0.4, AL_LEFT, en);
	d->y -= 20;
}

struct sum_ctx {
	struct doc *d;
	const struct dataset *ds;
	struct report_totals t;         /* the period's invoices and totals */
	struct report_chart chart;
	struct overdue overdue;         /* unpaid after the due date */
	day_t issued;
};

static const struct label_col type_cols[] = {
	{ L_CONTRACT_TYPE, 171.2, AL_LEFT },
	{ L_COL_INVOICES, 60, AL_RIGHT },
	{ L_NET, 95, AL_RIGHT },
	{ L_TAX, 90, AL_RIGHT },
	{ L_COL_GROSS, 95, AL_RIGHT },
};
#define N_TYPE_COLS ((int)(sizeof type_cols / sizeof *type_cols))

static void type_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct sum_ctx *s = ctx;
	struct doc *d = s->d;
	int t = (int)row;               /* NTYPES = the total row */
	switch (col) {
	case 0:
		if (t < NTYPES) {
			out->main = contract_type_label(t)->zh;
			out->sub = contract_type_label(t)->en;
		} else {
			out->main = arena_printf(d->a, "%s %s", label(L_TOTAL)->zh,
						 label(L_TOTAL)->en);
			out->bold = 1;
		}
		break;
	case 1: out->main = arena_printf(d->a, "%d", s->t.count[t]); break;
	case 2: out->main = money(d, s->t.net[t]); break;
	case 3: out->main = money(d, s->t.tax[t]); break;
	case 4: out->main = money(d, s->t.gross[t]); break;
	}
	if (t == NTYPES)
		out->bold = 1;
}


static const struct label_col kind_cols[] = {
	{ L_COL_LINE_KIND, 321.2, AL_LEFT },
	{ L_COL_LINES, 80, AL_RIGHT },
	{ L_AMOUNT, 110, AL_RIGHT },
};
#define N_KIND_COLS ((int)(sizeof kind_cols / sizeof *kind_cols))

static void kind_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct sum_ctx *s = ctx;
	int k = s->t.kinds[row];
	switch (col) {
	case 0:
		out->main = line_kind_label(k)->zh;
		out->sub = line_kind_label(k)->en;
		break;
	case 1: out->main = arena_printf(s->d->a, "%d", s->t.kind_lines[k]); break;
	case 2: out->main = money(s->d, s->t.kind_amount[k]); break;
	}
}

static const struct label_col inv_cols[] = {
	{ L_COL_INVOICE_NO, 74, AL_LEFT },
	{ L_COL_CONTRACT, 56, AL_LEFT },
	{ L_CLIENT, 98, AL_LEFT },
	{ L_COL_TYPE, 48, AL_LEFT },
	{ L_COL_NET, 56, AL_RIGHT },
	{ L_TAX, 44, AL_RIGHT },
	{ L_COL_GROSS, 58, AL_RIGHT },
	{ L_COL_DUE, 50, AL_LEFT },   /* a whole date: 2026-12-31 */
	{ L_COL_STATUS, 27.2, AL_LEFT },
};
#define N_INV_COLS ((int)(sizeof inv_cols / sizeof *inv_cols))

static const struct bilingual *status_label(int s)
{
	return label(s == INV_CANCELLED ? L_ST_CANCELLED :
		     s == INV_CREDIT ? L_ST_CREDIT : L_ST_ISSUED);
}

static void inv_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct sum_ctx *s = ctx;
	struct doc *d = s->d;
	const struct reg_row *g = s->t.rows[row];
	const struct client *cl = find_client(s->ds, g->client_id);
	int t = type_of(s->ds, g->contract_id);
	char due[11];
	switch (col) {
	case 0: out->main = g->invoice_no; break;
	case 1: out->main = g->contract_id; break;
	case 2:
		out->main = cl ? cl->name_zh : g->client_id;
		out->sub = cl ? cl->name_en : NULL;
		break;
	case 3:
		if (t >= 0) {
			out->main = contract_type_label(t)->zh;
			out->sub = contract_type_label(t)->en;
		}
		break;
	case 4: out->main = money(d, g->net); break;
	case 5: out->main = money(d, g->tax); break;
	case 6: out->main = money(d, g->gross); break;
	case 7:
		date_format(g->due_date, due);
		out->main = arena_strdup(d->a, due);
		break;
	case 8:
		out->main = status_label(g->status)->zh;
		out->sub = status_label(g->status)->en;
		break;
	}
	out->shade = row % 2 ? 0.965 : 0;
}

static const struct label_col overdue_cols[] = {
	{ L_COL_INVOICE_NO, 80, AL_LEFT },
	{ L_CLIENT, 139.2, AL_LEFT },
	{ L_COL_DUE, 60, AL_LEFT },
	{ L_COL_DAYS_OVERDUE, 50, AL_RIGHT },
	{ L_COL_GROSS, 62, AL_RIGHT },
	{ L_COL_PAID, 58, AL_RIGHT },
	{ L_COL_OUTSTANDING, 62, AL_RIGHT },
};
#define N_OVERDUE_COLS ((int)(sizeof overdue_cols / sizeof *overdue_cols))

static void overdue_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct sum_ctx *s = ctx;
	struct doc *d = s->d;
	const struct reg_row *g = s->overdue.row[row];
	const struct client *cl = find_client(s->ds, g->client_id);
	char due[11];
	switch (col) {
	case 0: out->main = g->invoice_no; break;
	case 1: out->main = cl ? cl->name_zh : g->client_id; break;
	case 2:
		date_format(g->due_date, due);
		out->main = arena_strdup(d->a, due);
		break;
	case 3:
		out->main = arena_printf(d->a, "%lld",
					 (long long)(s->issued - g->due_date));
		break;
	case 4: out->main = money(d, g->gross); break;
	case 5: out->main = money(d, s->overdue.paid[row]); break;
	case 6:
		out->main = money(d, g->gross - s->overdue.paid[row]);
		out->bold = 1;
		break;
	}
}

static const struct label_col chart_cols[] = {
	{ L_PERIOD, 71.2, AL_LEFT },
	{ L_COL_PER_DEVICE, 110, AL_RIGHT },
	{ L_COL_PCT_OF_PRICE, 110, AL_RIGHT },
	{ L_COL_WEBSITE, 110, AL_RIGHT },
	{ L_TOTAL, 110, AL_RIGHT },
};
#define N_CHART_COLS ((int)(sizeof chart_cols / sizeof *chart_cols))

static void chart_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct sum_ctx *s = ctx;
	if (col == 0) {
		char p[8];
		month_format(s->chart.periods[row], p);
		out->main = arena_strdup(s->d->a, p);
	} else {
		out->main = money(s->d, s->chart.gross[row][col - 1]);
	}
	out->bold = col == 4;
}

static void bar_chart(struct doc *d, struct sum_ctx *s)
{
	double h = 170, top, left = MARGIN_X + 52, w = RIGHT - left;
	doc_ensure(d, h + 70);
	doc_text(d, MARGIN_X, d->y - 8, 7, 0, 0.3, AL_LEFT,
		 arena_printf(d->a, "%s %s", label(L_CHART_AXIS)->zh,
			      label(L_CHART_AXIS)->en));
	top = d->y - 20;
	const struct report_chart *c = &s->chart;
	int64_t max = 0;
	for (int p = 0; p < c->nperiods; p++)
		for (int t = 0; t < NTYPES; t++)
			if (c->gross[p][t] > max)
				max = c->gross[p][t];
	int64_t ymax = report_axis_max(max > 0 ? max : 1);
	double base = top - h;
	for (int g = 0; g <= 4; g++) {
		double y = base + h * g / 4;
		doc_line(d, left, y, RIGHT, y, g ? 0.3 : 0.8, g ? 0.8 : 0.2);
		char v[40];
		money_grouped(ymax / 4 * g, v);
		v[strlen(v) - 3] = '\0';        /* whole yuan on the axis */
		doc_text(d, left - 4, y - 2.5, 7, 0, 0.3, AL_RIGHT,
			 arena_strdup(d->a, v));
	}
	double gw = w / (c->nperiods > 0 ? c->nperiods : 1);
	double bw = gw * 0.8 / NTYPES;
	for (int p = 0; p < c->nperiods; p++) {
		double gx = left + gw * p + gw * 0.1;
		for (int t = 0; t < NTYPES; t++) {
			int64_t v = c->gross[p][t] > 0 ? c->gross[p][t] : 0;
			double bh = h * (double)v / (double)ymax;
			if (bh > 0)
				doc_rect_rgb(d, gx + bw * t, base, bw * 0.92,
					     bh, type_rgb[t]);
		}
		char per[8];
		month_format(c->periods[p], per);
		doc_text(d, left + gw * p + gw / 2, base - 10, 7, 0, 0.2,
			 AL_CENTER, arena_strdup(d->a, per));
	}
	/* legend */
	double lx = left;
	for (int t = 0; t < NTYPES; t++) {
		const struct bilingual *b = contract_type_label(t);
		const char *text = arena_printf(d->a, "%s %s", b->zh, b->en);
		doc_rect_rgb(d, lx, base - 26, 8, 8, type_rgb[t]);
		doc_text(d, lx + 11, base - 25, 7.5, 0, 0, AL_LEFT, text);
		lx += 11 + font_width(d->font, text, 7.5) + 16;
	}
	d->y = base - 38;
}

static void figure(struct doc *d, double x, double w, const char *zh,
		   const char *en, const char *value)
{
	doc_rect(d, x, d->y - 46, w - 8, 46, 0.95);
	doc_text(d, x + 8, d->y - 13, 8.5, 1, 0.25, AL_LEFT, zh);
	doc_text(d, x + 8 + font_width(d->font, zh, 8.5) + 4, d->y - 13, 7, 0,
		 0.45, AL_LEFT, en);
	doc_text(d, x + w - 16, d->y - 36, 14, 1, 0, AL_RIGHT, value);
}

/* ---- preventive visits overdue at the end of A (rules.md §5.3) ----------- */

struct pm_ctx {
	struct doc *d;
	const struct device **v;
	day_t end;                  /* the last day of the activity month */
};

static const struct label_col pm_cols[] = {
	{ L_DEVICE_ID, 70, AL_LEFT },
	{ L_CLASS, 60, AL_LEFT },
	{ L_MODEL, 90, AL_LEFT },
	{ L_LOCATION, 111.2, AL_LEFT },
	{ L_COL_CONTRACT, 60, AL_LEFT },
	{ L_COL_LAST_VISIT, 60, AL_LEFT },
	{ L_COL_PM_DUE, 60, AL_LEFT },
};
#define N_PM_COLS ((int)(sizeof pm_cols / sizeof *pm_cols))

static void pm_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct pm_ctx *p = ctx;
	const struct device *v = p->v[row];
	struct pm_status st;
	char day[11];
	switch (col) {
	case 0: out->main = v->id; break;
	case 1: out->main = v->class; break;
	case 2: out->main = v->model; break;
	case 3: out->main = v->location; break;
	case 4: out->main = v->contract_id; break;
	case 5:
	case 6:
		if (!pm_status_at(v, p->end, &st))
			break;
		if (col == 5 && !st.has_last) {
			out->main = "—";
			out->sub = arena_printf(p->d->a, "%s %s",
						label(L_PM_NONE)->zh,
						label(L_PM_NONE)->en);
			break;
		}
		date_format(col == 5 ? st.last : st.due, day);
		out->main = arena_strdup(p->d->a, day);
		break;
	}
}

static void pm_section(struct doc *d, const struct dataset *ds, int period)
{
	struct pm_ctx p = { d, NULL, month_last_day(period - 1) };
	size_t n = 0;
	int any = 0;
	for (size_t i = 0; i < ds->ncontracts && !any; i++)
		any = ds->contracts[i].pm_months > 0;
	if (!any)
		return;             /* no contract has a preventive schedule */
	p.v = pm_overdue(ds, period - 1, d->a, &n);
	char end[11];
	date_format(p.end, end);
	const char *hzh, *hen;
	const char *const hargs[5] = { end, "", "", "", "" };
	label_fill(d->a, L_PM_OVERDUE_TITLE, hargs, &hzh, &hen);
	heading(d, hzh, hen, 40);
	struct col cols[N_PM_COLS];
	if (n)
		doc_table(d, label_cols(pm_cols, N_PM_COLS, cols), N_PM_COLS,
			  n, pm_cell, &p, 8);
	else
		doc_para(d, MARGIN_X, CONTENT_W, 9, 0, 0.3,
			 arena_printf(d->a, "%s %s", label(L_NONE)->zh,
				      label(L_NONE)->en));
}

static void continuation(struct doc *d, void *ctx)
{
	(void)ctx;
	doc_text(d, MARGIN_X, d->y - 10, 10, 1, 0, AL_LEFT,
		 arena_printf(d->a, "%s %s  %s", label(L_SUMMARY_TITLE)->zh,
			      label(L_SUMMARY_TITLE)->en, d->footer_left));
	d->y -= 16;
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 0.6, 0.3);
	d->y -= 8;
}

void layout_summary(struct doc *d, const struct dataset *ds,
		    const struct ledger *lg, int period, day_t issued)
{
	struct sum_ctx s;
	memset(&s, 0, sizeof s);
	s.d = d;
	s.ds = ds;
	s.issued = issued;
	report_totals(lg, ds, period, &s.t);
	overdue_on(lg, ds, issued, &s.overdue);    /* the rule of overdue.c */
	report_chart(lg, ds, period, &s.chart);
	char per[8];
	month_format(period, per);
	d->title = arena_printf(d->a, "%s %s %s", label(L_SUMMARY_TITLE)->zh,
				label(L_SUMMARY_TITLE)->en, per);
	d->author = ds->issuer.name_zh;
	d->subject = arena_printf(d->a, "%s %s %s", ds->issuer.name_zh,
				  label(L_PERIOD)->zh, per);
	d->keywords = arena_printf(d->a, "svcbill, summary, %s", per);
	d->created = issued;
	d->footer_left = arena_strdup(d->a, per);
	d->on_new_page = continuation;
	doc_new_page(d);
	doc_outline(d, arena_printf(d->a, "%s %s", label(L_SUMMARY_TITLE)->zh,
				    per));
	d->y = doc_head(d, label(L_SUMMARY_TITLE)->zh,
			arena_printf(d->a, "%s · %s", label(L_SUMMARY_TITLE)->en,
				     per),
			ds->issuer.name_zh,
			arena_printf(d->a, "%s %s %s", label(L_PERIOD)->zh,
				     label(L_PERIOD)->en, per));
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 1.2, 0);
	d->y -= 10;
	double fw = CONTENT_W / 4;
	figure(d, MARGIN_X, fw, label(L_COL_INVOICES)->zh,
	       label(L_COL_INVOICES)->en,
	       arena_printf(d->a, "%d", s.t.count[NTYPES]));
	figure(d, MARGIN_X + fw, fw, label(L_NET)->zh, label(L_NET)->en,
	       money(d, s.t.net[NTYPES]));
	figure(d, MARGIN_X + 2 * fw, fw, label(L_TAX)->zh, label(L_TAX)->en,
	       money(d, s.t.tax[NTYPES]));
	figure(d, MARGIN_X + 3 * fw, fw, label(L_COL_GROSS)->zh,
	       label(L_COL_GROSS)->en,
	       money(d, s.t.gross[NTYPES]));
	d->y -= 56;
	doc_para(d, MARGIN_X, CONTENT_W, 7.5, 0, 0.4,
		 arena_printf(d->a, "%s %s", label(L_TOTALS_NOTE)->zh,
			      label(L_TOTALS_NOTE)->en));
	heading(d, label(L_BY_TYPE)->zh, label(L_BY_TYPE)->en, 60);
	struct col cols[N_INV_COLS];        /* the widest of the tables */
	doc_table(d, label_cols(type_cols, N_TYPE_COLS, cols), N_TYPE_COLS,
		  NTYPES + 1, type_cell, &s, 8.5);
	heading(d, label(L_BY_KIND)->zh, label(L_BY_KIND)->en, 60);
	doc_table(d, label_cols(kind_cols, N_KIND_COLS, cols), N_KIND_COLS,
		  (size_t)s.t.nkinds, kind_cell, &s, 8.5);
	heading(d, label(L_CHART)->zh, label(L_CHART)->en, 250);
	bar_chart(d, &s);
	doc_table(d, label_cols(chart_cols, N_CHART_COLS, cols), N_CHART_COLS,
		  (size_t)s.chart.nperiods, chart_cell, &s, 8);
	heading(d, label(L_INVOICES)->zh, label(L_INVOICES)->en, 60);
	doc_table(d, label_cols(inv_cols, N_INV_COLS, cols), N_INV_COLS,
		  s.t.nrows, inv_cell, &s, 7.5);
	char asof[11];
	date_format(issued, asof);
	const char *ozh, *oen;
	const char *const oargs[5] = { asof, "", "", "", "" };
	label_fill(d->a, L_OVERDUE, oargs, &ozh, &oen);
	heading(d, ozh, oen, 40);
	if (s.overdue.n)
		doc_table(d, label_cols(overdue_cols, N_OVERDUE_COLS, cols),
			  N_OVERDUE_COLS, s.overdue.n, overdue_cell, &s, 8);
	else
		doc_para(d, MARGIN_X, CONTENT_W, 9, 0, 0.3,
			 arena_printf(d->a, "%s %s", label(L_NONE)->zh,
				      label(L_NONE)->en));
	pm_section(d, ds, period);
	/* the ledger seal as this period left it (rules.md §4): noted down, it
	 * proves later (verify --seal) that no row up to it changed */
	d->y -= 8;
	doc_para(d, MARGIN_X, CONTENT_W, 7.5, 0, 0.3, arena_printf(d->a,
		 "账本封印 Ledger seal (svcbill verify --seal): %s",
		 ledger_seal_of(lg, period)));
	doc_finish(d);
	report_totals_free(&s.t);
	free(s.overdue.row);
	free(s.overdue.paid);
}
