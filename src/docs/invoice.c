/* doc_invoice.c - see doc_invoice.h */
#include "docs/invoice.h"
#include "base/buf.h"
#include "bill/labels.h"
#include "docs/labelcol.h"
#include "base/money.h"

#include <stdlib.h>
#include <string.h>

#define RIGHT (MARGIN_X + CONTENT_W)

static const char *lbl(struct doc *d, enum label l)
{
	const struct bilingual *b = label(l);
	return arena_printf(d->a, "%s %s", b->zh, b->en);
}

static const char *money(struct doc *d, int64_t fen)
{
	char s[40];
	money_grouped(fen, s);
	return arena_strdup(d->a, s);
}

/* A "label: value" pair on the right-hand meta block. */
static void meta_row(struct doc *d, double x, enum label l, const char *v)
{
	const struct bilingual *b = label(l);
	double lw = font_width(d->font, b->zh, 8.5) + 4;
	doc_text(d, x, d->y - 9, 8.5, 1, 0.25, AL_LEFT, b->zh);
	doc_text(d, x + lw, d->y - 9, 7, 0, 0.45, AL_LEFT, b->en);
	lw += font_width(d->font, b->en, 7) + 8;
	/* a long value gets smaller type rather than running into its label */
	const char *text = doc_clean(d, v);
	double size = 9, room = RIGHT - x - lw;
	double w = font_width(d->font, text, size);
	if (w > room)
		size = size * room / w < 5.5 ? 5.5 : size * room / w;
	doc_text(d, RIGHT, d->y - 9, size, 0, 0, AL_RIGHT, text);
	d->y -= 14;
}

/* Small text lines of a party block, skipping empty values. */
static void party_line(struct doc *d, double x, double w, enum label l,
		       const char *v)
{
	if (!v || !v[0])
		return;
	const char *s = arena_printf(d->a, "%s %s: %s", label(l)->zh,
				     label(l)->en, v);
	doc_para(d, x, w, 8, 0, 0.2, s);
}

static void header(struct doc *d, const struct issuer *is,
		   const struct invoice *inv)
{
	int credit = inv->status == INV_CREDIT;
	const struct bilingual *title = label(credit ? L_CREDIT_NOTE :
					      L_INVOICE);
	double top = d->y;
	doc_text(d, RIGHT, top - 22, 22, 1, 0, AL_RIGHT, title->zh);
	doc_text(d, RIGHT, top - 36, 11, 0, 0.35, AL_RIGHT, title->en);
	doc_text(d, RIGHT, top - 50, 10, 1, 0, AL_RIGHT,
		 doc_clean(d, inv->number));
	double w = CONTENT_W - 170;
	doc_para(d, MARGIN_X, w, 15, 1, 0, is->name_zh);
	if (is->name_en[0])
		doc_para(d, MARGIN_X, w, 9, 0, 0.35, is->name_en);
	d->y -= 2;
	struct buf b;
	buf_init(&b);
	buf_adds(&b, is->address);
	if (is->postcode[0])
		buf_printf(&b, "%s%s %s", b.len ? "  " : "",
			   label(L_POSTCODE)->zh, is->postcode);
	if (b.len)
		doc_para(d, MARGIN_X, w, 8, 0, 0.2, b.data);
	buf_reset(&b);
	if (is->phone[0])
		buf_printf(&b, "%s %s %s", label(L_PHONE)->zh,
			   label(L_PHONE)->en, is->phone);
	if (is->fax[0])
		buf_printf(&b, "%s%s %s %s", b.len ? "   " : "",
			   label(L_FAX)->zh, label(L_FAX)->en, is->fax);
	if (b.len)
		doc_para(d, MARGIN_X, w, 8, 0, 0.2, b.data);
	buf_free(&b);
	party_line(d, MARGIN_X, w, L_TAX_ID, is->tax_id);
	if (d->y > top - 58)
		d->y = top - 58;
	d->y -= 6;
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 1.2, 0);
	d->y -= 12;
}

static void parties(struct doc *d, const struct client *cl,
		    const struct contract *c, const struct invoice *inv)
{
	double top = d->y, w = 270, mx = MARGIN_X + 300;
	doc_text(d, MARGIN_X, d->y - 8, 8, 1, 0.35, AL_LEFT,
		 lbl(d, L_CLIENT));
	d->y -= 12;
	if (cl) {
		doc_para(d, MARGIN_X, w, 11, 1, 0, cl->name_zh);
		if (cl->name_en[0])
			doc_para(d, MARGIN_X, w, 8.5, 0, 0.35, cl->name_en);
		d->y -= 2;
		if (cl->address[0] || cl->postcode[0])
			doc_para(d, MARGIN_X, w, 8, 0, 0.2,
				 arena_printf(d->a, "%s%s%s", cl->address,
					      cl->postcode[0] ? "  " : "",
					      cl->postcode));
		party_line(d, MARGIN_X, w, L_CONTACT, cl->contact);
		party_line(d, MARGIN_X, w, L_PHONE, cl->phone);
		party_line(d, MARGIN_X, w, L_TAX_ID, cl->tax_id);
	} else {
		doc_para(d, MARGIN_X, w, 11, 1, 0, inv->client_id);
	}
	double left_end = d->y;
	d->y = top;
	char period[8], issued[11], due[11];
	month_format(inv->period, period);
	date_format(inv->issue_date, issued);
	date_format(inv->due_date, due);
	meta_row(d, mx, L_INVOICE_NO, inv->number);
	meta_row(d, mx, L_PERIOD, period);
	meta_row(d, mx, L_ISSUE_DATE, issued);
	meta_row(d, mx, L_DUE_DATE, due);
	meta_row(d, mx, L_CONTRACT, inv->contract_id);
	if (c) {
		const struct bilingual *t = contract_type_label(c->type);
		meta_row(d, mx, L_CONTRACT_TYPE,
			 arena_printf(d->a, "%s %s", t->zh, t->en));
		meta_row(d, mx, L_CURRENCY, c->currency);
	}
	if (inv->replaces[0])
		meta_row(d, mx, inv->status == INV_CREDIT ? L_CANCELS :
			 L_REPLACES, inv->replaces);
	if (left_end < d->y)
		d->y = left_end;
	d->y -= 10;
}

static const struct label_col line_cols[] = {
	{ L_NO, 26, AL_CENTER },
	{ L_DESCRIPTION, 245.2, AL_LEFT },
	{ L_QTY, 44, AL_RIGHT },
	{ L_UNIT_PRICE, 72, AL_RIGHT },
	{ L_AMOUNT, 84, AL_RIGHT },
	{ L_TAX_RATE, 40, AL_RIGHT },
};
#define NLINECOLS ((int)(sizeof line_cols / sizeof *line_cols))

struct line_ctx {
	struct doc *d;
	const struct invoice *inv;
};

static void line_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct line_ctx *lc = ctx;
	struct doc *d = lc->d;
	const struct line *l = &lc->inv->lines[row];
	char s[40];
	switch (col) {
	case 0:
		out->main = arena_printf(d->a, "%zu", row + 1);
		break;
	case 1:
		/* recurring descriptions name the covered dates themselves */
		out->main = l->desc_zh;
		out->sub = l->desc_en;
		break;
	case 2:
		/* the strings of lines.csv: they multiply out (rules.md §4) */
		if (l->flags & LINE_HAS_QTY)
			out->main = l->qty_s;
		break;
	case 3:
		if (l->flags & LINE_HAS_PRICE)
			out->main = l->price_s;
		break;
	case 4:
		out->main = money(d, l->amount);
		break;
	case 5:
		pct_plain(l->tax_pct, s);
		out->main = arena_printf(d->a, "%s%%", s);
		break;
	}
	out->shade = row % 2 ? 0.965 : 0;
}

static void total_row(struct doc *d, const char *zh, const char *en,
		      int64_t fen, int strong)
{
	double x = MARGIN_X + 300, size = strong ? 11 : 9;
	doc_ensure(d, 18);
	doc_text(d, x, d->y - size, size * 0.95, strong, 0, AL_LEFT, zh);
	doc_text(d, x + font_width(d->font, zh, size * 0.95) + 4, d->y - size,
		 7.5, 0, 0.4, AL_LEFT, en);
	doc_text(d, RIGHT, d->y - size, size, strong, 0, AL_RIGHT,
		 money(d, fen));
	d->y -= size + 6;
}

static void totals(struct doc *d, const struct invoice *inv,
		   const char *currency)
{
	d->y -= 8;
	/* totals and the amount in words stay together on one page */
	doc_ensure(d, 15.0 * (inv->ntaxes + 1) + 30 + 60);
	total_row(d, label(L_NET)->zh, label(L_NET)->en, inv->net, 0);
	for (int k = 0; k < inv->ntaxes; k++) {
		char p[32];
		pct_plain(inv->taxes[k].pct4, p);
		total_row(d, arena_printf(d->a, "%s %s%%", label(L_TAX)->zh, p),
			  arena_printf(d->a, "%s %s%%", label(L_TAX)->en, p),
			  inv->taxes[k].tax, 0);
	}
	doc_ensure(d, 24);
	doc_line(d, MARGIN_X + 300, d->y, RIGHT, d->y, 0.8, 0);
	d->y -= 4;
	total_row(d, label(L_GROSS)->zh,
		  arena_printf(d->a, "%s (%s)", label(L_GROSS)->en,
			       doc_clean(d, currency)), inv->gross, 1);
	d->y -= 6;
	struct buf zh, en;
	buf_init(&zh);
	buf_init(&en);
	money_words_zh(inv->gross, &zh);
	buf_printf(&en, "%s: ", label(L_SAY)->en);
	money_words_en(inv->gross, &en);
	doc_ensure(d, 48);
	double top = d->y;
	doc_text(d, MARGIN_X + 6, d->y - 12, 9, 1, 0.25, AL_LEFT,
		 label(L_AMOUNT_IN_WORDS)->zh);
	doc_text(d, MARGIN_X + 6, d->y - 22, 7, 0, 0.45, AL_LEFT,
		 label(L_AMOUNT_IN_WORDS)->en);
	d->y -= 4;
	doc_para(d, MARGIN_X + 90, CONTENT_W - 96, 11, 1, 0,
		 arena_strdup(d->a, zh.data));
	doc_para(d, MARGIN_X + 90, CONTENT_W - 96, 8, 0, 0.3,
		 arena_strdup(d->a, en.data));
	if (d->y > top - 28)
		d->y = top - 28;
	d->y -= 4;
	doc_line(d, MARGIN_X, top, RIGHT, top, 0.5, 0.5);
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 0.5, 0.5);
	d->y -= 12;
	buf_free(&zh);
	buf_free(&en);
}

static void payment(struct doc *d, const struct issuer *is,
		    const struct contract *c, const struct invoice *inv)
{
	double w = CONTENT_W;
	doc_ensure(d, 50);
	doc_text(d, MARGIN_X, d->y - 9, 9, 1, 0, AL_LEFT,
		 lbl(d, L_PAYMENT_TERMS));
	d->y -= 14;
	party_line(d, MARGIN_X, w, L_BANK, is->bank_name);
	party_line(d, MARGIN_X, w, L_ACCOUNT, is->bank_account);
	char due[11];
	date_format(inv->due_date, due);
	const char *zh, *en;
	if (inv->status == INV_CREDIT) {
		const char *const args[5] = { inv->replaces, "", "", "", "" };
		label_fill(d->a, L_TERMS_CREDIT, args, &zh, &en);
		doc_para(d, MARGIN_X, w, 8, 0, 0.2,
			 arena_printf(d->a, "%s %s", zh, en));
		return;
	}
	const char *const args[5] = {
		arena_strdup(d->a, due),
		arena_printf(d->a, "%ld", c ? (long)c->payment_days : 0L),
		inv->number, "", "",
	};
	label_fill(d->a, L_TERMS_PAY, args, &zh, &en);
	doc_para(d, MARGIN_X, w, 8, 0, 0.2, arena_printf(d->a, "%s %s", zh, en));
	if (c && c->late_fee_pct) {
		char p[32];
		pct_plain(c->late_fee_pct, p);
		const char *const pa[5] = { p, "", "", "", "" };
		label_fill(d->a, L_TERMS_LATE, pa, &zh, &en);
		doc_para(d, MARGIN_X, w, 8, 0, 0.2,
			 arena_printf(d->a, "%s %s", zh, en));
	}
}

static const struct label_col device_cols[] = {
	{ L_DEVICE_ID, 62, AL_LEFT },
	{ L_CLASS, 44, AL_LEFT },
	{ L_MODEL, 56, AL_LEFT },
	{ L_SERIAL, 56, AL_LEFT },
	{ L_CPU, 50, AL_LEFT },
	{ L_MEMORY, 38, AL_LEFT },
	{ L_DISK, 42, AL_LEFT },
	{ L_MAINBOARD, 50, AL_LEFT },
	{ L_MONITOR, 50, AL_LEFT },
	{ L_NOTE, 63.2, AL_LEFT },
};

#define NDEVCOLS 10
_Static_assert(sizeof device_cols / sizeof *device_cols == NDEVCOLS,
	       "one value per device column");

struct device_ctx {
	const struct device **v;
	int keep[NDEVCOLS];         /* printed column -> device_cols index */
};

static const char *device_value(const struct device *v, int col)
{
	const char *const vals[NDEVCOLS] = {
		v->id, v->class, v->model, v->serial, v->cpu, v->memory,
		v->disk, v->mainboard, v->monitor, v->note,
	};
	return vals[col];
}

static void device_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct device_ctx *dc = ctx;
	out->main = device_value(dc->v[row], dc->keep[col]);
	out->shade = row % 2 ? 0.965 : 0;
}

/* The appendix's columns: those empty for every device of the invoice
 * left out (rules.md §5.1), the width they free shared out, the id and serial
 * columns first made wide enough for their longest value. */
static int device_columns(struct doc *d, const struct device **v, size_t n,
			  struct device_ctx *dc, struct col *cols)
{
	int nc = 0;
	double need[NDEVCOLS], sum = 0;
	for (int k = 0; k < NDEVCOLS; k++) {
		double wmax = 0;
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			const char *s = device_value(v[i], k);
			if (!s || !s[0])
				continue;
			any = 1;
			if (k == 0 || k == 3) {   /* id, serial: never broken */
				double w = font_width(d->font, doc_clean(d, s),
						      7) + 7;
				if (w > wmax)
					wmax = w;
			}
		}
		if (!any && k != 0)
			continue;
		dc->keep[nc] = k;
		label_cols(&device_cols[k], 1, &cols[nc]);
		need[nc] = wmax;
		sum += cols[nc].width;
		nc++;
	}
	/* scale to the page, then widen id and serial at the others' cost */
	double fixed = 0, rest = 0;
	for (int c = 0; c < nc; c++) {
		cols[c].width *= CONTENT_W / sum;
		if (need[c] > cols[c].width)
			cols[c].width = need[c] < CONTENT_W * 0.4 ? need[c] :
					CONTENT_W * 0.4;
		if (need[c] > 0)
			fixed += cols[c].width;
		else
			rest += cols[c].width;
	}
	if (rest > 0)
		for (int c = 0; c < nc; c++)
			if (need[c] <= 0)
				cols[c].width *= (CONTENT_W - fixed) / rest;
	return nc;
}

/* Devices under the contract during what this invoice bills: from the
 * activity month to the end of the cycle billed in advance. */
static void device_appendix(struct doc *d, const struct contract *c,
			    const struct invoice *inv)
{
	day_t from = month_first_day(inv->period - 1);
	day_t to = month_last_day(inv->period);
	for (size_t i = 0; i < inv->nlines; i++)
		if (inv->lines[i].kind == LK_RECURRING &&
		    inv->lines[i].cycle_end > to)
			to = inv->lines[i].cycle_end;
	const struct device **v = xmalloc(sizeof *v * (c->ndevices + 1));
	size_t n = 0;
	for (size_t i = 0; i < c->ndevices; i++)
		if (c->devices[i]->from <= to && c->devices[i]->to >= from)
			v[n++] = c->devices[i];
	if (n) {
		const char *zh, *en;
		const char *const args[5] = { doc_clean(d, c->id),
					      arena_printf(d->a, "%zu", n),
					      "", "", "" };
		label_fill(d->a, L_APPENDIX, args, &zh, &en);
		doc_new_page(d);
		doc_outline(d, arena_printf(d->a, "%s %s",
					    label(L_DEVICE_LIST)->zh,
					    label(L_DEVICE_LIST)->en));
		doc_text(d, MARGIN_X, d->y - 13, 13, 1, 0, AL_LEFT, zh);
		doc_text(d, MARGIN_X, d->y - 26, 9, 0, 0.35, AL_LEFT, en);
		d->y -= 36;
		struct device_ctx dc = { v, { 0 } };
		struct col cols[NDEVCOLS];
		int nc = device_columns(d, v, n, &dc, cols);
		doc_table(d, cols, nc, n, device_cell, &dc, 7);
	}
	free(v);
}

static void continuation_header(struct doc *d, void *ctx)
{
	const struct invoice *inv = ctx;
	const struct bilingual *t = label(inv->status == INV_CREDIT ?
					  L_CREDIT_NOTE : L_INVOICE);
	doc_text(d, MARGIN_X, d->y - 10, 10, 1, 0, AL_LEFT,
		 arena_printf(d->a, "%s %s  %s", t->zh, t->en,
			      doc_clean(d, inv->number)));
	d->y -= 16;
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 0.6, 0.3);
	d->y -= 8;
}

/* What an invoice prints whatever the month: the run font of invoices
 * (layout.h, run_text) holds these labels' characters, with the column
 * headings of the lines and of the device appendix's columns every
 * appendix has, and the issuer's details.  A label only some invoices
 * print (credit notes, contract types, line descriptions, the fax line)
 * goes to the document's own font: a glyph in the run font costs its
 * bytes in every invoice. */
static const int invoice_labels[] = {
	L_INVOICE, L_CLIENT, L_CONTACT, L_PHONE, L_TAX_ID, L_INVOICE_NO,
	L_PERIOD, L_ISSUE_DATE, L_DUE_DATE, L_CONTRACT, L_CONTRACT_TYPE,
	L_CURRENCY, L_NOT_FAPIAO, L_NET, L_TAX, L_GROSS, L_AMOUNT_IN_WORDS,
	L_PAYMENT_TERMS, L_BANK, L_ACCOUNT, L_TERMS_PAY, L_TERMS_LATE,
	L_APPENDIX, L_DEVICE_LIST,
};

static const char *invoice_run_text(struct doc *d, const struct issuer *is)
{
	const char *issuer[] = { is->name_zh, is->name_en, is->address,
				 is->postcode, is->phone, is->fax, is->tax_id,
				 is->bank_name, is->bank_account };
	/* the appendix's columns for every kind of device: device, class,
	 * model, serial, note (the others are left out when empty) */
	static const int always[] = { 0, 1, 2, 3, 9 };
	struct col cols[sizeof line_cols / sizeof line_cols[0] +
			sizeof always / sizeof always[0]];
	size_t n = 0;
	for (size_t i = 0; i < sizeof line_cols / sizeof line_cols[0]; i++)
		label_cols(&line_cols[i], 1, &cols[n++]);
	for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
		label_cols(&device_cols[always[i]], 1, &cols[n++]);
	return doc_run_text(d, invoice_labels, sizeof invoice_labels /
			    sizeof invoice_labels[0], cols, n, issuer,
			    sizeof issuer / sizeof issuer[0]);
}

void layout_invoice(struct doc *d, const struct issuer *is,
		    const struct client *cl, const struct contract *c,
		    const struct invoice *inv)
{
	d->run_text = invoice_run_text(d, is);
	int credit = inv->status == INV_CREDIT;
	const struct bilingual *t = label(credit ? L_CREDIT_NOTE : L_INVOICE);
	d->title = arena_printf(d->a, "%s %s %s", t->zh, t->en, inv->number);
	d->author = is->name_zh;
	d->subject = arena_printf(d->a, "%s %s", cl ? cl->name_zh :
				  inv->client_id, inv->contract_id);
	char period[8];
	month_format(inv->period, period);
	d->keywords = arena_printf(d->a, "svcbill, %s, %s, %s", t->en, period,
				   inv->contract_id);
	d->created = inv->issue_date;
	d->footer_left = doc_clean(d, inv->number);
	d->on_new_page = continuation_header;
	d->on_new_page_ctx = (void *)inv;
	doc_new_page(d);
	header(d, is, inv);
	parties(d, cl, c, inv);
	/* not a fapiao: the tax platform issues that (rules.md §5) */
	const struct bilingual *nf = label(L_NOT_FAPIAO);
	doc_para(d, MARGIN_X, CONTENT_W, 8.5, 1, 0,
		 arena_printf(d->a, "%s %s", nf->zh, nf->en));
	d->y -= 4;
	struct line_ctx lc = { d, inv };
	struct col cols[NLINECOLS];
	doc_table(d, label_cols(line_cols, NLINECOLS, cols), NLINECOLS,
		  inv->nlines, line_cell, &lc, 8.5);
	totals(d, inv, c ? c->currency : "CNY");
	payment(d, is, c, inv);
	if (!credit && c && c->type != CT_WEBSITE)
		device_appendix(d, c, inv);
	doc_finish(d);
}
