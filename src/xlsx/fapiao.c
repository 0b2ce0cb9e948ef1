/* xlsx_fapiao.c - fapiao.xlsx (rules.md §5.5): the period's issued invoices
 * (not credit notes) in the two sheets of the tax platform's batch
 * import (批量开具), linked by 发票流水号 = the invoice number.
 *
 * A fapiao has no negative rows: a negative line (an SLA credit, a
 * discount) becomes 折扣金额 of the preceding positive line of its tax
 * rate, spilling into the following ones (then the earlier ones) when it
 * is larger, so that per invoice and rate Σ 金额 − Σ 折扣金额 = the net.
 * An invoice whose net at some rate is negative cannot be a blue fapiao:
 * it is left out, with a warning. */
#include "base/vec.h"
#include "xlsx/xlsx.h"
#include "xlsx/util.h"
#include "bill/invoice.h"
#include "bill/rules.h"
#include "base/money.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The template: one row per column, in sheet order.  A changed template
 * is a change of this table only. */
enum { SH_INVOICE, SH_DETAIL, SH_COUNT };

enum field {
	F_NUMBER, F_TYPE, F_TAX_INCLUDED, F_BUYER, F_BUYER_TAX_ID,
	F_BUYER_ADDRESS, F_BUYER_PHONE, F_BUYER_BANK, F_BUYER_ACCOUNT, F_NOTE,
	F_ITEM_NAME, F_TAX_CODE, F_SPEC, F_UNIT, F_QTY, F_PRICE, F_AMOUNT,
	F_RATE, F_DISCOUNT,
};

static const struct tcol {
	int sheet;
	const char *header;
	int field;
	int type;
} template[] = {
	{ SH_INVOICE, "发票流水号", F_NUMBER, XT_TEXT },
	{ SH_INVOICE, "发票类型", F_TYPE, XT_TEXT },
	{ SH_INVOICE, "是否含税", F_TAX_INCLUDED, XT_TEXT },
	{ SH_INVOICE, "购买方名称", F_BUYER, XT_TEXT },
	{ SH_INVOICE, "购买方纳税人识别号", F_BUYER_TAX_ID, XT_TEXT },
	{ SH_INVOICE, "购买方地址", F_BUYER_ADDRESS, XT_TEXT },
	{ SH_INVOICE, "购买方电话", F_BUYER_PHONE, XT_TEXT },
	{ SH_INVOICE, "购买方开户银行", F_BUYER_BANK, XT_TEXT },
	{ SH_INVOICE, "购买方银行账号", F_BUYER_ACCOUNT, XT_TEXT },
	{ SH_INVOICE, "备注", F_NOTE, XT_TEXT },
	{ SH_DETAIL, "发票流水号", F_NUMBER, XT_TEXT },
	{ SH_DETAIL, "项目名称", F_ITEM_NAME, XT_TEXT },
	{ SH_DETAIL, "商品和服务税收编码", F_TAX_CODE, XT_TEXT },
	{ SH_DETAIL, "规格型号", F_SPEC, XT_TEXT },
	{ SH_DETAIL, "单位", F_UNIT, XT_TEXT },
	{ SH_DETAIL, "数量", F_QTY, XT_DEC8 },
	{ SH_DETAIL, "单价", F_PRICE, XT_DEC8 },
	{ SH_DETAIL, "金额", F_AMOUNT, XT_MONEY },
	{ SH_DETAIL, "税率", F_RATE, XT_FRACTION },
	{ SH_DETAIL, "折扣金额", F_DISCOUNT, XT_MONEY },
};

static const char *const sheet_names[SH_COUNT] = {
	"1-发票基本信息", "2-发票明细信息",
};

#define NTEMPLATE ((int)(sizeof template / sizeof *template))

/* The fapiao_items.csv kinds (rules.md §2.4): FK_* and LK_* but LK_CHARGE. */
static const char *fapiao_kind_name(int k)
{
	return word_en(&fapiao_kind_words, k);
}

static const struct fapiao_item *find_item(const struct dataset *ds, int k)
{
	const char *name = fapiao_kind_name(k);
	for (size_t i = 0; i < ds->nfapiao_items; i++)
		if (strcmp(ds->fapiao_items[i].kind, name) == 0)
			return &ds->fapiao_items[i];
	return NULL;
}

/* The data's charges by contract, activity month and description, in
 * file order within each: how a charge line finds its charge (a scan of
 * every charge per line was quadratic in a large month). */
struct charge_key {
	const char *contract_id, *desc_zh;
	int month;
};
struct charges_by_key {
	const struct charge **v;
	size_t n;
};

static int charge_cmp(const struct charge_key *k, const struct charge *c)
{
	int r = strcmp(k->contract_id, c->contract_id);
	if (r)
		return r;
	int m = month_of(c->date);
	if (k->month != m)
		return k->month < m ? -1 : 1;
	return strcmp(k->desc_zh, c->description_zh);
}

static int by_charge_key(const void *x, const void *y)
{
	const struct charge *a = *(const struct charge *const *)x;
	const struct charge *b = *(const struct charge *const *)y;
	struct charge_key k = { a->contract_id, a->description_zh,
				month_of(a->date) };
	int r = charge_cmp(&k, b);
	return r ? r : (a > b) - (a < b);      /* file order */
}

static int key_vs_charge(const void *key, const void *elem)
{
	return charge_cmp(key, *(const struct charge *const *)elem);
}

static void charges_index(const struct dataset *ds, struct charges_by_key *ix)
{
	ix->n = ds->ncharges;
	ix->v = xmalloc(sizeof *ix->v * (ix->n + 1));
	for (size_t i = 0; i < ix->n; i++)
		ix->v[i] = &ds->charges[i];
	qsort(ix->v, ix->n, sizeof *ix->v, by_charge_key);
}

/* 1 when line l is what add_charges makes of charge ch of contract c:
 * its descriptions, its amount, the tax rate of its category. */
static int charge_made(const struct contract *c, const struct charge *ch,
		       const struct line *l)
{
	int64_t pct = ch->category == CAT_GOODS ? c->goods_tax_pct :
			  c->tax_pct;
	return pct == l->tax_pct &&
	       strcmp(ch->description_en, l->desc_en) == 0 &&
	       charge_value(ch) == l->amount;
}

/* 1 when lines a and b are charge lines that read the same */
static int same_charge_line(const struct line *a, const struct line *b)
{
	return a->kind == LK_CHARGE && b->kind == LK_CHARGE &&
	       a->amount == b->amount && a->tax_pct == b->tax_pct &&
	       strcmp(a->desc_zh, b->desc_zh) == 0 &&
	       strcmp(a->desc_en, b->desc_en) == 0;
}

/* A line's fapiao kind.  lines.csv says only `charge`: the charge's own
 * category tells service from goods.  The charge is the one of the
 * contract and activity month that makes this line (charge_made), the
 * k-th such in the file for the line that is the k-th of the invoice
 * reading the same (lines[0, i): NULL when not known); where the data
 * no longer has it, the line's tax rate says. */
static int fapiao_kind(const struct dataset *ds,
		       const struct charges_by_key *ix,
		       const char *contract_id, int period,
		       const struct line *lines, size_t i,
		       const struct line *l)
{
	if (l->kind != LK_CHARGE)
		return l->kind;
	const struct contract *c = find_contract(ds, contract_id);
	if (!c)
		return FK_CHARGE_SERVICE;
	size_t k = 0;
	for (size_t j = 0; lines && j < i; j++)
		k += same_charge_line(&lines[j], l);
	struct charge_key key = { contract_id, l->desc_zh, period - 1 };
	for (size_t at = lower_bound(&key, ix->v, ix->n, sizeof *ix->v,
				     key_vs_charge);
	     at < ix->n && charge_cmp(&key, ix->v[at]) == 0; at++)
		if (charge_made(c, ix->v[at], l) && k-- == 0)
			return ix->v[at]->category == CAT_GOODS ?
			       FK_CHARGE_GOODS : FK_CHARGE_SERVICE;
	return l->tax_pct == c->goods_tax_pct &&
	       c->goods_tax_pct != c->tax_pct ? FK_CHARGE_GOODS :
	       FK_CHARGE_SERVICE;
}

/* ---- the rows ---------------------------------------------------------- */

struct detail {
	const char *number;
	const struct fapiao_item *item;
	const char *spec;
	int has_qp;                 /* 数量 and 单价 given */
	int64_t qty, price, amount, pct4, discount;
};

struct book {
	const struct dataset *ds;
	struct charges_by_key charges;
	const struct reg_row **inv;  size_t ninv;
	struct detail *det;          size_t ndet, capdet;
	const char **notes;
	struct arena a;
};

/* 规格型号: the part (its part_no) for a part line, else the device. */
static const char *spec_of(const struct dataset *ds, const struct line *l,
			   const struct line *lines, size_t i)
{
	if (l->kind == LK_PARTS && l->record_id[0]) {
		/* the k-th part line of a record is its k-th part used that
		 * was billed (one whose amount rounds to 0 makes no line) */
		size_t k = 0;
		for (size_t j = 0; j < i; j++)
			k += lines[j].kind == LK_PARTS &&
			     strcmp(lines[j].record_id, l->record_id) == 0;
		const struct record *r = find_record(ds, l->record_id);
		const struct contract *c = r && r->device ?
					   r->device->contract : NULL;
		for (size_t j = 0; c && j < r->nparts; j++) {
			if (part_use_value(c, r, r->parts[j]) == 0)
				continue;
			if (k-- == 0)
				return r->parts[j]->part_no;
		}
	}
	return l->device_id;
}

static struct detail *new_detail(struct book *b)
{
	if (b->ndet == b->capdet) {
		b->capdet = b->capdet ? b->capdet * 2 : 64;
		b->det = xrealloc(b->det, sizeof *b->det * b->capdet);
	}
	struct detail *d = &b->det[b->ndet++];
	memset(d, 0, sizeof *d);
	return d;
}

/* 1 when qty x price, as the cells show them, is the amount within 0.01
 * (what the platform checks); else the row gives the amount only. */
static int multiplies(int64_t qty_e8, int64_t price_e8, int64_t amount)
{
	/* qty and price x 10^8 each: the product in 10^-16 yuan */
	i128 prod = (i128)qty_e8 * price_e8;
	i128 diff = prod - (i128)amount * 100000000 * 1000000;
	i128 fen = (i128)100000000 * 1000000;        /* 0.01 yuan */
	return diff >= -fen && diff <= fen;
}

/* Adds the invoice's rows; 0, or -1 (nothing added) when its net at some
 * rate is negative.  Its lines are copied into `scratch`, which the
 * caller empties after each invoice: a row keeps only pointers into the
 * ledger and the data (a copy of every line of a 10,000-contract month
 * held until the end was 14 MB of the run's peak). */
static int add_invoice(struct book *b, const struct ledger *lg,
		       const struct reg_row *g, struct arena *scratch,
		       FILE *warn)
{
	struct line *lines;
	size_t n;
	ledger_lines_of(lg, g->invoice_no, scratch, &lines, &n);
	struct invoice inv = { .lines = lines, .nlines = n };
	invoice_total(&inv);
	for (int k = 0; k < inv.ntaxes; k++)
		if (inv.taxes[k].net < 0) {
			char net[32], pct[32];
			money_plain(inv.taxes[k].net, net);
			pct_plain(inv.taxes[k].pct4, pct);
			if (warn)
				fprintf(warn, "svcbill: warning: fapiao.xlsx: "
					"%s left out: its net at %s%% is %s, "
					"and a fapiao cannot be negative\n",
					g->invoice_no, pct, net);
			return -1;
		}
	size_t first = b->ndet;
	size_t *row_of = xcalloc(n + 1, sizeof *row_of);   /* line -> row+1 */
	size_t *cand = xcalloc(n + 1, sizeof *cand);
	for (size_t i = 0; i < n; i++) {
		const struct line *l = &lines[i];
		if (l->amount <= 0)
			continue;
		struct detail *d = new_detail(b);
		d->number = g->invoice_no;
		d->item = find_item(b->ds, fapiao_kind(b->ds, &b->charges,
						       g->contract_id,
						       g->period, lines, i,
						       l));
		d->spec = spec_of(b->ds, l, lines, i);
		d->has_qp = (l->flags & LINE_HAS_QTY) &&
			    (l->flags & LINE_HAS_PRICE) && l->qty.num > 0 &&
			    multiplies(decimal_e8(l->qty_s),
				       decimal_e8(l->price_s), l->amount);
		d->qty = decimal_e8(l->qty_s);        /* x 10^8 */
		d->price = decimal_e8(l->price_s);    /* yuan x 10^8 */
		d->amount = l->amount;
		d->pct4 = l->tax_pct;
		row_of[i] = b->ndet - first;    /* 1-based within invoice */
	}
	struct detail *rows = b->det + first;
	for (size_t i = 0; i < n; i++) {
		const struct line *l = &lines[i];
		if (l->amount >= 0)
			continue;
		int64_t left = -l->amount;
		/* where it goes: the nearest earlier positive line of the
		 * rate, then the later ones, then the earlier ones backwards */
		size_t ncand = 0, prev = n;
		for (size_t j = i; j-- > 0;)
			if (row_of[j] && lines[j].tax_pct == l->tax_pct) {
				prev = j;
				break;
			}
		if (prev < n)
			cand[ncand++] = prev;
		for (size_t j = i + 1; j < n; j++)
			if (row_of[j] && lines[j].tax_pct == l->tax_pct)
				cand[ncand++] = j;
		for (size_t j = prev < n ? prev : 0; j-- > 0;)
			if (row_of[j] && lines[j].tax_pct == l->tax_pct)
				cand[ncand++] = j;
		for (size_t k = 0; k < ncand && left > 0; k++) {
			struct detail *d = &rows[row_of[cand[k]] - 1];
			int64_t room = d->amount - d->discount;
			int64_t take = room < left ? room : left;
			d->discount += take;
			left -= take;
		}
	}
	free(cand);
	free(row_of);
	return 0;
}

/* ---- the sheets -------------------------------------------------------- */

struct sheet_ctx {
	struct book *b;
	int sheet;
	int field[XLSX_MAX_COLS];
};

static void fill(void *p, size_t row, struct xlsx_cell *c)
{
	const struct sheet_ctx *s = p;
	const struct book *b = s->b;
	const struct reg_row *g = s->sheet == SH_INVOICE ? b->inv[row] : NULL;
	const struct detail *d = s->sheet == SH_DETAIL ? &b->det[row] : NULL;
	const struct client *cl = g ? find_client(b->ds, g->client_id) : NULL;
	for (int k = 0; k < XLSX_MAX_COLS && s->field[k] >= 0; k++) {
		struct xlsx_cell *x = &c[k];
		const char *t = NULL;
		switch (s->field[k]) {
		case F_NUMBER: t = g ? g->invoice_no : d->number; break;
		case F_TYPE: t = "普通发票"; break;
		case F_TAX_INCLUDED: t = "否"; break;
		case F_BUYER: t = cl ? cl->name_zh : ""; break;
		case F_BUYER_TAX_ID: t = cl ? cl->tax_id : ""; break;
		case F_BUYER_ADDRESS: t = cl ? cl->address : ""; break;
		case F_BUYER_PHONE: t = cl ? cl->phone : ""; break;
		case F_BUYER_BANK: case F_BUYER_ACCOUNT: t = ""; break;
		case F_NOTE: t = b->notes[row]; break;
		case F_ITEM_NAME: t = d->item ? d->item->item_name : ""; break;
		case F_TAX_CODE: t = d->item ? d->item->tax_code : ""; break;
		case F_SPEC: t = d->spec; break;
		case F_UNIT: t = d->item ? d->item->unit : ""; break;
		case F_QTY:
			*x = (struct xlsx_cell){ .empty = !d->has_qp,
						 .v = d->qty };
			break;
		case F_PRICE:
			*x = (struct xlsx_cell){ .empty = !d->has_qp,
						 .v = d->price };
			break;
		case F_AMOUNT: *x = (struct xlsx_cell){ .v = d->amount }; break;
		case F_RATE: *x = (struct xlsx_cell){ .v = d->pct4 }; break;
		case F_DISCOUNT:
			*x = (struct xlsx_cell){ .empty = d->discount == 0,
						 .v = d->discount };
			break;
		}
		if (t)
			*x = (struct xlsx_cell){ .empty = !t[0], .s = t };
	}
}

static int by_number(const void *a, const void *b)
{
	return strcmp((*(const struct reg_row *const *)a)->invoice_no,
		      (*(const struct reg_row *const *)b)->invoice_no);
}

int xlsx_fapiao(const struct dataset *ds, const struct ledger *lg,
		int period, day_t issued, FILE *said, unsigned char **data,
		size_t *len)
{
	struct book b = { .ds = ds };
	charges_index(ds, &b.charges);
	const struct reg_row **all = xmalloc(sizeof *all * (lg->nlast + 1));
	size_t nall = 0;
	for (size_t i = 0; i < lg->nlast; i++)
		if (lg->last[i]->period == period &&
		    lg->last[i]->status == INV_ISSUED)
			all[nall++] = lg->last[i];
	qsort(all, nall, sizeof *all, by_number);
	b.inv = xmalloc(sizeof *b.inv * (nall + 1));
	b.notes = xmalloc(sizeof *b.notes * (nall + 1));
	char p[8];
	month_format(period, p);
	for (size_t i = 0; i < nall; i++) {
		struct arena scratch = { 0 };
		int left_out = add_invoice(&b, lg, all[i], &scratch, said);
		arena_free(&scratch);
		if (left_out)
			continue;
		b.notes[b.ninv] = arena_printf(&b.a, "合同编号 %s，账期 %s",
					       all[i]->contract_id, p);
		b.inv[b.ninv++] = all[i];
	}
	free(all);
	char title[64];
	snprintf(title, sizeof title, "发票批量开具 e-fapiao batch %s", p);
	struct xlsx_file f;
	int rc = -1;
	/* the platform's batch import reads it: the common form */
	if (xlsx_begin(&f, XLSX_SHARED, said, title, ds->issuer.name_zh, issued)) {
		rc = 0;
		for (int sh = 0; sh < SH_COUNT; sh++) {
			struct xlsx_col cols[XLSX_MAX_COLS];
			struct sheet_ctx s = { .b = &b, .sheet = sh };
			int nc = 0;
			for (int k = 0; k < NTEMPLATE; k++)
				if (template[k].sheet == sh) {
					cols[nc] = (struct xlsx_col){
						template[k].header, NULL,
						template[k].type };
					s.field[nc++] = template[k].field;
				}
			s.field[nc] = -1;
			rc |= xlsx_sheet(&f, sheet_names[sh], cols, nc,
					 sh == SH_INVOICE ? b.ninv : b.ndet,
					 fill, &s);
		}
		if (xlsx_end(&f, data, len) != 0)
			rc = -1;
	}
	free(b.inv);
	free(b.det);
	free(b.notes);
	free(b.charges.v);
	arena_free(&b.a);
	return rc;
}

/* ---- check ------------------------------------------------------------- */

void fapiao_check_items(const struct dataset *ds, const struct ledger *lg,
			const char *data_dir, struct arena *a,
			struct diag *d)
{
	int seen[FK_COUNT] = { 0 };
	/* what the data bills */
	seen[LK_RECURRING] = ds->ncontracts > 0;
	seen[LK_PARTS] = ds->npart_uses > 0;
	for (size_t i = 0; i < ds->ncontracts; i++) {
		const struct contract *c = &ds->contracts[i];
		seen[LK_SLA] |= c->sla_penalty > 0 &&
				(c->sla_hours > 0 || c->sla_emergency_hours > 0);
		seen[LK_LATE_FEE] |= c->late_fee_pct > 0;
	}
	for (size_t i = 0; i < ds->nrecords; i++) {
		const struct record *r = &ds->records[i];
		const struct contract *c = r->device ? r->device->contract :
					   NULL;
		seen[LK_LABOUR] |= r->cause == CAUSE_EXCLUDED &&
				   r->labour_hours > 0 && c &&
				   c->labour_rate > 0;
		seen[LK_OEM] |= r->level >= 3 &&
				(r->oem_quote > 0 || r->freight > 0 ||
				 r->duty > 0);
	}
	for (size_t i = 0; i < ds->ncharges; i++)
		seen[ds->charges[i].category == CAT_GOODS ? FK_CHARGE_GOODS :
		     FK_CHARGE_SERVICE] = 1;
	/* and what the register's issued invoices hold */
	struct charges_by_key ix;
	charges_index(ds, &ix);
	for (size_t i = 0; lg && i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		const struct reg_row *g = ledger_find(lg, ll->invoice_no);
		if (g && g->status == INV_ISSUED && ll->l.kind >= 0 &&
		    ll->l.kind < LK_COUNT)
			seen[fapiao_kind(ds, &ix, ll->contract_id, g->period,
					 NULL, 0, &ll->l)] = 1;
	}
	free(ix.v);
	const char *file = arena_printf(a, "%s/fapiao_items.csv", data_dir);
	int any = 0;
	for (int k = 0; k < FK_COUNT; k++)
		any |= seen[k];
	if (any && ds->nfapiao_items == 0) {
		/* one warning, not one per kind of line */
		diag_warning(d, file, 0, NULL, NULL, "%s: 商品和服务税收编码 and "
			     "项目名称 stay empty in fapiao.xlsx for every line "
			     "(one row per kind of line: see the README and "
			     "samples/basic/fapiao_items.csv)",
			     access(file, F_OK) == 0 ?
			     "no rows" : "no such file");
		return;
	}
	for (int k = 0; k < FK_COUNT; k++)
		if (seen[k] && !find_item(ds, k))
			diag_warning(d, file, 0, "kind", fapiao_kind_name(k),
				     "no row for this kind of line, which "
				     "appears on invoices: their 商品和服务税收"
				     "编码 and 项目名称 stay empty in "
				     "fapiao.xlsx");
}
