/* xlsx_summary.c - summary.xlsx (rules.md §5.4): the period for accountants.
 *
 *   账单 Invoices  the rows of summary.csv (each invoice and credit note of
 *                 the period in its state now), by invoice number;
 *   明细 Lines     every lines.csv row of those invoices, by invoice number
 *                 and line number;
 *   逾期 Overdue   as summary.pdf: issued invoices past due on the issue
 *                 date with something still to pay, oldest first.
 *
 * Values are those of the CSV files (codes such as `issued` and
 * `device_monthly` included), so that a reader can compare cell by cell;
 * only the types differ: numbers, dates and text. */
#include "xlsx/xlsx.h"
#include "xlsx/util.h"
#include "bill/invoice.h"
#include "bill/overdue.h"

#include <stdlib.h>
#include <string.h>

/* ---- 账单 Invoices ------------------------------------------------------ */

static const struct xlsx_col invoice_cols[] = {
	{ "账单号", "Invoice no.", XT_TEXT },
	{ "合同编号", "Contract", XT_TEXT },
	{ "客户编号", "Client id", XT_TEXT },
	{ "客户名称", "Client name", XT_TEXT },
	{ "合同类型", "Contract type", XT_TEXT },
	{ "不含税金额", "Net", XT_MONEY },
	{ "税额", "Tax", XT_MONEY },
	{ "价税合计", "Gross", XT_MONEY },
	{ "到期日", "Due date", XT_DATE },
	{ "状态", "Status", XT_TEXT },
};

struct ctx {
	const struct dataset *ds;
	const struct ledger *lg;
	const struct reg_row **inv;         /* the period's, current state */
	size_t ninv;
	const struct ledger_line **lines;
	size_t nlines;
	const struct reg_row **due;         /* overdue */
	int64_t *paid;
	size_t ndue;
	day_t issued;
};

static void invoice_row(void *p, size_t i, struct xlsx_cell *c)
{
	const struct ctx *x = p;
	const struct reg_row *g = x->inv[i];
	const struct client *cl = find_client(x->ds, g->client_id);
	const struct contract *ct = find_contract(x->ds, g->contract_id);
	const char *text[] = { g->invoice_no, g->contract_id, g->client_id,
			       cl ? cl->name_zh : "",
			       ct ? contract_type_name(ct->type) : "" };
	for (int k = 0; k < 5; k++)
		c[k] = (struct xlsx_cell){ .empty = !text[k][0], .s = text[k] };
	c[5] = (struct xlsx_cell){ .v = g->net };
	c[6] = (struct xlsx_cell){ .v = g->tax };
	c[7] = (struct xlsx_cell){ .v = g->gross };
	c[8] = (struct xlsx_cell){ .d = g->due_date };
	c[9] = (struct xlsx_cell){ .s = status_name(g->status) };
}

/* ---- 明细 Lines --------------------------------------------------------- */

static const struct xlsx_col line_cols[] = {
	{ "账单号", "Invoice no.", XT_TEXT },
	{ "行号", "Line", XT_INT },
	{ "类别", "Kind", XT_TEXT },
	{ "合同编号", "Contract", XT_TEXT },
	{ "产品编号", "Device", XT_TEXT },
	{ "单号", "Service record", XT_TEXT },
	{ "周期开始", "Cycle start", XT_DATE },
	{ "周期结束", "Cycle end", XT_DATE },
	{ "项目", "Description", XT_TEXT },
	{ "英文项目", "Description (English)", XT_TEXT },
	{ "数量", "Qty", XT_DEC8 },
	{ "单价", "Unit price", XT_DEC8 },
	{ "金额", "Amount", XT_MONEY },
	{ "税率%", "Tax %", XT_PCT },
};

static void line_row(void *p, size_t i, struct xlsx_cell *c)
{
	const struct ctx *x = p;
	const struct ledger_line *ll = x->lines[i];
	const struct line *l = &ll->l;
	const char *kind = l->kind >= 0 && l->kind < LK_COUNT ?
			   line_kind_name(l->kind) : "";
	c[0] = (struct xlsx_cell){ .s = ll->invoice_no };
	c[1] = (struct xlsx_cell){ .v = ll->line_no };
	c[2] = (struct xlsx_cell){ .empty = !kind[0], .s = kind };
	c[3] = (struct xlsx_cell){ .empty = !ll->contract_id[0],
				   .s = ll->contract_id };
	c[4] = (struct xlsx_cell){ .empty = !l->device_id[0],
				   .s = l->device_id };
	c[5] = (struct xlsx_cell){ .empty = !l->record_id[0],
				   .s = l->record_id };
	int cyc = (l->flags & LINE_HAS_CYCLE) != 0;
	c[6] = (struct xlsx_cell){ .empty = !cyc, .d = l->cycle_start };
	c[7] = (struct xlsx_cell){ .empty = !cyc, .d = l->cycle_end };
	c[8] = (struct xlsx_cell){ .empty = !l->desc_zh[0], .s = l->desc_zh };
	c[9] = (struct xlsx_cell){ .empty = !l->desc_en[0], .s = l->desc_en };
	c[10] = (struct xlsx_cell){ .empty = !(l->flags & LINE_HAS_QTY),
				    .v = decimal_e8(l->qty_s) };
	c[11] = (struct xlsx_cell){ .empty = !(l->flags & LINE_HAS_PRICE),
				    .v = decimal_e8(l->price_s) };
	c[12] = (struct xlsx_cell){ .v = l->amount };
	c[13] = (struct xlsx_cell){ .v = l->tax_pct };
}

/* ---- 逾期 Overdue ------------------------------------------------------- */

static const struct xlsx_col overdue_cols[] = {
	{ "账单号", "Invoice no.", XT_TEXT },
	{ "客户编号", "Client id", XT_TEXT },
	{ "客户名称", "Client name", XT_TEXT },
	{ "到期日", "Due date", XT_DATE },
	{ "逾期天数", "Days overdue", XT_INT },
	{ "价税合计", "Gross", XT_MONEY },
	{ "已付", "Paid", XT_MONEY },
	{ "未付金额", "Outstanding", XT_MONEY },
};

static void overdue_row(void *p, size_t i, struct xlsx_cell *c)
{
	const struct ctx *x = p;
	const struct reg_row *g = x->due[i];
	const struct client *cl = find_client(x->ds, g->client_id);
	const char *name = cl ? cl->name_zh : "";
	c[0] = (struct xlsx_cell){ .s = g->invoice_no };
	c[1] = (struct xlsx_cell){ .s = g->client_id };
	c[2] = (struct xlsx_cell){ .empty = !name[0], .s = name };
	c[3] = (struct xlsx_cell){ .d = g->due_date };
	c[4] = (struct xlsx_cell){ .v = x->issued - g->due_date };
	c[5] = (struct xlsx_cell){ .v = g->gross };
	c[6] = (struct xlsx_cell){ .v = x->paid[i] };
	c[7] = (struct xlsx_cell){ .v = g->gross - x->paid[i] };
}

/* ---- gathering --------------------------------------------------------- */

static int by_number(const void *a, const void *b)
{
	return strcmp((*(const struct reg_row *const *)a)->invoice_no,
		      (*(const struct reg_row *const *)b)->invoice_no);
}

static int by_number_line(const void *a, const void *b)
{
	const struct ledger_line *x = *(const struct ledger_line *const *)a;
	const struct ledger_line *y = *(const struct ledger_line *const *)b;
	int c = strcmp(x->invoice_no, y->invoice_no);
	return c ? c : (x->line_no > y->line_no) - (x->line_no < y->line_no);
}

static void gather(struct ctx *x, int period)
{
	const struct ledger *lg = x->lg;
	/* lg->last holds each number once, in its state now */
	x->inv = xmalloc(sizeof *x->inv * (lg->nlast + 1));
	for (size_t i = 0; i < lg->nlast; i++)
		if (lg->last[i]->period == period)
			x->inv[x->ninv++] = lg->last[i];
	qsort(x->inv, x->ninv, sizeof *x->inv, by_number);
	x->lines = xmalloc(sizeof *x->lines * (lg->nlines + 1));
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct reg_row *g = ledger_find(lg, lg->lines[i].invoice_no);
		if (g && g->period == period)
			x->lines[x->nlines++] = &lg->lines[i];
	}
	qsort(x->lines, x->nlines, sizeof *x->lines, by_number_line);
	/* overdue on the issue date, as summary.pdf counts it: payments made
	 * up to that day (the one rule, overdue.c) */
	struct overdue o;
	overdue_on(lg, x->ds, x->issued, &o);
	x->due = o.row;
	x->paid = o.paid;
	x->ndue = o.n;
}

#define NC(a) ((int)(sizeof(a) / sizeof((a)[0])))

int xlsx_summary(const struct dataset *ds, const struct ledger *lg,
		 int period, day_t issued, FILE *said, unsigned char **data,
		 size_t *len)
{
	struct ctx x = { .ds = ds, .lg = lg, .issued = issued };
	gather(&x, period);
	char p[8], title[64];
	month_format(period, p);
	snprintf(title, sizeof title, "账单汇总 Summary %s", p);
	struct xlsx_file f;
	int rc = -1;
	/* a row per line of the month: streamed (10,000 invoices: 1.9 s of
	 * CPU with a shared string table, 1.0 s without) */
	if (xlsx_begin(&f, XLSX_STREAMED, said, title, ds->issuer.name_zh, issued)) {
		rc = 0;
		rc |= xlsx_sheet(&f, "账单 Invoices", invoice_cols,
				 NC(invoice_cols), x.ninv, invoice_row, &x);
		rc |= xlsx_sheet(&f, "明细 Lines", line_cols, NC(line_cols),
				 x.nlines, line_row, &x);
		rc |= xlsx_sheet(&f, "逾期 Overdue", overdue_cols,
				 NC(overdue_cols), x.ndue, overdue_row, &x);
		if (xlsx_end(&f, data, len) != 0)
			rc = -1;
	}
	free(x.inv);
	free(x.lines);
	free(x.due);
	free(x.paid);
	return rc;
}
