/* ledger.c - see ledger.h */
#include "ledger.h"
#include "csvread.h"
#include "fields.h"
#include "fsio.h"
#include "money.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ----------------------------------------------------------- */

static int is_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static int formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

void csv_put(struct buf *b, const char *field, int first)
{
	if (!first)
		buf_addc(b, ',');
	if (!field)
		field = "";
	int guard = formula_start(field[0]) && !is_number(field);
	int quote = 0;
	for (const char *p = field; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n')
			quote = 1;
	if (quote)
		buf_addc(b, '"');
	if (guard)
		buf_addc(b, '\'');
	for (const char *p = field; *p; p++) {
		char c = *p;
		/* one row per physical line, so a torn append is detectable */
		if (c == '\r' || c == '\n')
			c = ' ';
		if (c == '"')
			buf_addc(b, '"');
		buf_addc(b, c);
	}
	if (quote)
		buf_addc(b, '"');
}

void csv_end_row(struct buf *b)
{
	buf_adds(b, "\r\n");
}

void csv_header(struct buf *b, const char *header)
{
	buf_adds(b, "\xEF\xBB\xBF");
	buf_adds(b, header);
	csv_end_row(b);
}

static const char *status_name(int s)
{
	return s == INV_CANCELLED ? "cancelled" : s == INV_CREDIT ? "credit" :
	       "issued";
}

void register_row(struct buf *b, const struct invoice *inv, const char *pdf,
		  const char *pdf_sha256)
{
	char period[8], issued[11], due[11], net[32], tax[32], gross[32];
	month_format(inv->period, period);
	date_format(inv->issue_date, issued);
	date_format(inv->due_date, due);
	money_plain(inv->net, net);
	money_plain(inv->tax, tax);
	money_plain(inv->gross, gross);
	const char *currency = inv->contract ? inv->contract->currency : "CNY";
	const char *f[15] = {
		inv->number, period, inv->contract_id, inv->client_id, issued,
		due, currency, net, tax, gross, status_name(inv->status),
		inv->replaces, inv->content_sha256, pdf, pdf_sha256,
	};
	for (int i = 0; i < 15; i++)
		csv_put(b, f[i], i == 0);
	csv_end_row(b);
}

/* The lines.csv fields of one line, as strings (bufs of 32 bytes each). */
struct line_fields {
	char line_no[24], cs[11], ce[11], qty[DEC_LEN], price[DEC_LEN], amount[32],
	     tax[32];
};

static void format_line(const struct line *l, size_t no,
			struct line_fields *f)
{
	snprintf(f->line_no, sizeof f->line_no, "%zu", no);
	f->cs[0] = f->ce[0] = f->qty[0] = f->price[0] = '\0';
	if (l->flags & LINE_HAS_CYCLE) {
		date_format(l->cycle_start, f->cs);
		date_format(l->cycle_end, f->ce);
	}
	if (l->flags & LINE_HAS_QTY)
		snprintf(f->qty, sizeof f->qty, "%s", l->qty_s);
	if (l->flags & LINE_HAS_PRICE)
		snprintf(f->price, sizeof f->price, "%s", l->price_s);
	money_plain(l->amount, f->amount);
	pct_plain(l->tax_pct, f->tax);
}

void lines_rows(struct buf *b, const struct invoice *inv)
{
	for (size_t i = 0; i < inv->nlines; i++) {
		const struct line *l = &inv->lines[i];
		struct line_fields f;
		format_line(l, i + 1, &f);
		const char *v[14] = {
			inv->number, f.line_no, line_kind_name(l->kind),
			inv->contract_id, l->device_id, l->record_id, f.cs,
			f.ce, l->desc_zh, l->desc_en, f.qty, f.price,
			f.amount, f.tax,
		};
		for (int k = 0; k < 14; k++)
			csv_put(b, v[k], k == 0);
		csv_end_row(b);
	}
}

void invoice_content_hash(struct invoice *inv)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < inv->nlines; i++) {
		const struct line *l = &inv->lines[i];
		struct line_fields f;
		format_line(l, i + 1, &f);
		buf_printf(&b, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s"
			   "\x1f%s\x1f%s\x1f%s\n", f.line_no,
			   line_kind_name(l->kind), inv->contract_id,
			   l->device_id, l->record_id, f.cs, f.ce, f.qty,
			   f.price, f.amount, f.tax);
	}
	char net[32], tax[32], gross[32], issued[11], due[11];
	money_plain(inv->net, net);
	money_plain(inv->tax, tax);
	money_plain(inv->gross, gross);
	date_format(inv->issue_date, issued);
	date_format(inv->due_date, due);
	buf_printf(&b, "totals\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\n", net, tax,
		   gross, issued, due);
	sha256_hex(b.data, b.len, inv->content_sha256);
	buf_free(&b);
}

void invoice_number(char out[40], const char *prefix, int period, int n)
{
	snprintf(out, 40, "%.12s-%04d%02d-%04d", prefix, period / 12,
		 period % 12 + 1, n);
}

/* ---- reading ----------------------------------------------------------- */

/* Undo the formula guard: a ' that csv_put added. */
static const char *unguard(const char *s)
{
	if (s[0] == '\'' && formula_start(s[1]) && !is_number(s + 1))
		return s + 1;
	return s;
}

/* Byte offset where physical line `line` (1-based) starts. */
static size_t offset_of_line(const char *text, size_t len, long line)
{
	size_t i = 0;
	for (long l = 1; l < line && i < len; i++)
		if (text[i] == '\n')
			l++;
	return i;
}

/* Cut a torn last row (no CRLF at the end). */
static int repair_tail(const char *path, char *text, size_t *len)
{
	if (*len == 0 || (*len >= 2 && text[*len - 2] == '\r' &&
			  text[*len - 1] == '\n'))
		return 0;
	size_t keep = *len;
	while (keep > 0 && text[keep - 1] != '\n')
		keep--;
	if (truncate_durable(path, keep) != 0)
		return -1;
	fprintf(stderr, "svcbill: %s: removed an incomplete last row left by "
		"an interrupted run\n", path);
	*len = keep;
	text[keep] = '\0';
	return 0;
}

static int col_index(const struct csv_table *t, const char *name)
{
	for (int i = 0; i < t->header.nfields; i++)
		if (strcmp(t->header.fields[i], name) == 0)
			return i;
	return -1;
}

static int read_table(const char *path, int repair, struct arena *a,
		      struct diag *d, struct csv_table *t, char **text,
		      size_t *len)
{
	memset(t, 0, sizeof *t);
	if (read_file(path, text, len) != 0) {
		if (errno == ENOENT) {
			*text = NULL;
			*len = 0;
			return 0;
		}
		diag_missing(d, path, strerror(errno));
		return -1;
	}
	if (repair && repair_tail(path, *text, len) != 0) {
		diag_missing(d, path, strerror(errno));
		return -1;
	}
	struct decoded dec;
	if (text_decode((unsigned char *)*text, *len, &dec) != 0) {
		diag_error(d, path, dec.bad_line, NULL, NULL, "%s", dec.why);
		return -1;
	}
	int errs = csv_parse_text(dec.text, dec.len, arena_strdup(a, path), a,
				  d, t);
	free(dec.text);
	return errs ? -1 : 0;
}

static const char *field(struct arena *a, const struct csv_row *r, int i)
{
	if (i < 0 || i >= r->nfields)
		return "";
	return arena_strdup(a, unguard(r->fields[i]));
}

static int parse_status(const char *s)
{
	return strcmp(s, "cancelled") == 0 ? INV_CANCELLED :
	       strcmp(s, "credit") == 0 ? INV_CREDIT :
	       strcmp(s, "issued") == 0 ? INV_ISSUED : -1;
}

static void index_rows(struct ledger *lg, struct arena *a);

static int load_register(struct ledger *lg, const char *path, int repair,
			 struct arena *a, struct diag *d)
{
	struct csv_table t;
	char *text;
	size_t len;
	if (read_table(path, repair, a, d, &t, &text, &len) != 0) {
		free(text);
		return -1;
	}
	free(text);
	if (!t.has_header)
		return 0;
	static const char *const names[15] = {
		"invoice_no", "period", "contract_id", "client_id",
		"issue_date", "due_date", "currency", "net", "tax", "gross",
		"status", "replaces", "content_sha256", "pdf", "pdf_sha256",
	};
	int c[15];
	for (int i = 0; i < 15; i++)
		if ((c[i] = col_index(&t, names[i])) < 0) {
			diag_error(d, path, t.header.line, names[i], NULL,
				   "register column missing");
			return -1;
		}
	lg->rows = arena_alloc(a, sizeof *lg->rows * (t.nrows + 1));
	for (size_t i = 0; i < t.nrows; i++) {
		const struct csv_row *r = &t.rows[i];
		struct reg_row *g = &lg->rows[i];
		g->line = r->line;
		g->invoice_no = field(a, r, c[0]);
		g->period = month_parse(r->fields[c[1]]);
		g->contract_id = field(a, r, c[2]);
		g->client_id = field(a, r, c[3]);
		const char *e1 = parse_date(r->fields[c[4]], &g->issue_date);
		const char *e2 = parse_date(r->fields[c[5]], &g->due_date);
		g->currency = field(a, r, c[6]);
		const char *e3 = parse_money(r->fields[c[7]], 1, &g->net);
		const char *e4 = parse_money(r->fields[c[8]], 1, &g->tax);
		const char *e5 = parse_money(r->fields[c[9]], 1, &g->gross);
		g->status = parse_status(r->fields[c[10]]);
		g->replaces = field(a, r, c[11]);
		g->content_sha256 = field(a, r, c[12]);
		g->pdf = field(a, r, c[13]);
		g->pdf_sha256 = field(a, r, c[14]);
		if (g->period < 0 || e1 || e2 || e3 || e4 || e5 ||
		    g->status < 0) {
			diag_error(d, path, r->line, NULL, NULL,
				   "corrupt register row");
			return -1;
		}
	}
	lg->nrows = t.nrows;
	return 0;
}

static int load_lines(struct ledger *lg, const char *path, int repair,
		      struct arena *a, struct diag *d)
{
	struct csv_table t;
	char *text;
	size_t len;
	if (read_table(path, repair, a, d, &t, &text, &len) != 0) {
		free(text);
		return -1;
	}
	if (!t.has_header) {
		free(text);
		return 0;
	}
	static const char *const names[14] = {
		"invoice_no", "line_no", "kind", "contract_id", "device_id",
		"record_id", "cycle_start", "cycle_end", "description_zh",
		"description_en", "qty", "unit_price", "amount", "tax_pct",
	};
	int c[14];
	for (int i = 0; i < 14; i++)
		if ((c[i] = col_index(&t, names[i])) < 0) {
			diag_error(d, path, t.header.line, names[i], NULL,
				   "lines column missing");
			free(text);
			return -1;
		}
	/* rows of invoices the register does not know are the tail of a run
	 * that died between the two appends: cut them */
	size_t n = t.nrows;
	while (n > 0 && !ledger_find(lg, unguard(t.rows[n - 1].fields[c[0]])))
		n--;
	if (n < t.nrows && repair) {
		size_t off = offset_of_line(text, len, t.rows[n].line);
		if (truncate_durable(path, off) != 0) {
			diag_missing(d, path, strerror(errno));
			free(text);
			return -1;
		}
		fprintf(stderr, "svcbill: %s: removed %zu rows of an "
			"interrupted run\n", path, t.nrows - n);
	}
	free(text);
	lg->lines = arena_alloc(a, sizeof *lg->lines * (n + 1));
	for (size_t i = 0; i < n; i++) {
		const struct csv_row *r = &t.rows[i];
		struct ledger_line *ll = &lg->lines[i];
		struct line *l = &ll->l;
		int64_t v;
		ll->invoice_no = field(a, r, c[0]);
		ll->line_no = parse_int(r->fields[c[1]], &v) ? 0 : (int)v;
		ll->contract_id = field(a, r, c[3]);
		l->kind = line_kind_parse(r->fields[c[2]]);
		l->device_id = field(a, r, c[4]);
		l->record_id = field(a, r, c[5]);
		l->desc_zh = field(a, r, c[8]);
		l->desc_en = field(a, r, c[9]);
		const char *e = NULL;
		if (r->fields[c[6]][0]) {
			l->flags |= LINE_HAS_CYCLE;
			if (!e) e = parse_date(r->fields[c[6]], &l->cycle_start);
			if (!e) e = parse_date(r->fields[c[7]], &l->cycle_end);
		}
		if (r->fields[c[10]][0]) {
			l->flags |= LINE_HAS_QTY;
			if (!e) e = decimal_parse(r->fields[c[10]], &l->qty);
			snprintf(l->qty_s, sizeof l->qty_s, "%s",
				 r->fields[c[10]]);
		}
		if (r->fields[c[11]][0]) {
			l->flags |= LINE_HAS_PRICE;
			if (!e) e = decimal_parse(r->fields[c[11]],
						  &l->unit_price);
			/* written in yuan, kept in fen */
			l->unit_price.den /= 100;   /* 2 decimals at least */
			snprintf(l->price_s, sizeof l->price_s, "%s",
				 r->fields[c[11]]);
		}
		if (!e) e = parse_money(r->fields[c[12]], 1, &l->amount);
		if (!e) e = parse_percent(r->fields[c[13]], &l->tax_pct);
		if (e || l->kind < 0) {
			diag_error(d, path, r->line, NULL, NULL,
				   "corrupt lines row");
			return -1;
		}
	}
	lg->nlines = n;
	return 0;
}

int ledger_load(struct ledger *lg, const char *root, int repair,
		struct arena *a, struct diag *d)
{
	memset(lg, 0, sizeof *lg);
	lg->root = root;
	char *reg = arena_printf(a, "%s/register.csv", root);
	char *lines = arena_printf(a, "%s/lines.csv", root);
	if (load_register(lg, reg, repair, a, d) != 0)
		return -1;
	index_rows(lg, a);
	return load_lines(lg, lines, repair, a, d);
}

static int by_number_then_position(const void *x, const void *y)
{
	const struct reg_row *a = *(const struct reg_row *const *)x;
	const struct reg_row *b = *(const struct reg_row *const *)y;
	int c = strcmp(a->invoice_no, b->invoice_no);
	return c ? c : (a > b) - (a < b);
}

/* Index of the last row of each invoice number, for ledger_find. */
static void index_rows(struct ledger *lg, struct arena *a)
{
	const struct reg_row **v = arena_alloc(a, sizeof *v *
					       (lg->nrows + 1));
	for (size_t i = 0; i < lg->nrows; i++)
		v[i] = &lg->rows[i];
	qsort(v, lg->nrows, sizeof *v, by_number_then_position);
	size_t n = 0;
	for (size_t i = 0; i < lg->nrows; i++) {
		if (n && strcmp(v[n - 1]->invoice_no, v[i]->invoice_no) == 0)
			n--;            /* a later row replaces the state */
		v[n++] = v[i];
	}
	lg->last = v;
	lg->nlast = n;
}

size_t ledger_last_index(const struct ledger *lg, const char *no)
{
	size_t lo = 0, hi = lg->nlast;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lg->last[mid]->invoice_no, no);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

const struct reg_row *ledger_find(const struct ledger *lg, const char *no)
{
	size_t lo = 0, hi = lg->nlast;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lg->last[mid]->invoice_no, no);
		if (c == 0)
			return lg->last[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int hinv_order(const void *x, const void *y)
{
	const struct hist_invoice *a = x, *b = y;
	int c = strcmp(a->contract_id, b->contract_id);
	return c ? c : strcmp(a->invoice_no, b->invoice_no);
}

static int hline_order(const void *x, const void *y)
{
	const struct hist_line *a = x, *b = y;
	int c = strcmp(a->contract_id, b->contract_id);
	return c ? c : strcmp(a->invoice_no, b->invoice_no);
}

void ledger_history(const struct ledger *lg, struct arena *a,
		    struct history *h)
{
	struct hist_invoice *inv = arena_alloc(a, sizeof *inv *
					       (lg->nrows + 1));
	size_t n = 0;
	for (size_t i = 0; i < lg->nrows; i++) {
		const struct reg_row *r = &lg->rows[i];
		if (r->status != INV_ISSUED || ledger_find(lg, r->invoice_no) != r)
			continue;
		inv[n++] = (struct hist_invoice){ r->invoice_no, r->contract_id,
			r->period, r->due_date, r->gross, INV_ISSUED };
	}
	qsort(inv, n, sizeof *inv, hinv_order);
	struct hist_line *hl = arena_alloc(a, sizeof *hl * (lg->nlines + 1));
	size_t m = 0;
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		const struct reg_row *r = ledger_find(lg, ll->invoice_no);
		if (!r || r->status != INV_ISSUED)
			continue;
		hl[m++] = (struct hist_line){ ll->invoice_no, ll->contract_id,
			ll->l.device_id, ll->l.kind, r->period,
			ll->l.cycle_start, ll->l.amount };
	}
	qsort(hl, m, sizeof *hl, hline_order);
	h->inv = inv;
	h->ninv = n;
	h->lines = hl;
	h->nlines = m;
}

int ledger_last_number(const struct ledger *lg, const char *prefix,
		       int period)
{
	char head[40];
	snprintf(head, sizeof head, "%.12s-%04d%02d-", prefix, period / 12,
		 period % 12 + 1);
	size_t hl = strlen(head);
	int best = 0;
	for (size_t i = 0; i < lg->nrows; i++) {
		const char *no = lg->rows[i].invoice_no;
		int64_t v;
		if (strncmp(no, head, hl) == 0 && !parse_int(no + hl, &v) &&
		    v > best)
			best = (int)v;
	}
	return best;
}

int ledger_latest_period(const struct ledger *lg)
{
	int p = -1;
	for (size_t i = 0; i < lg->nrows; i++)
		if (lg->rows[i].period > p)
			p = lg->rows[i].period;
	return p;
}

void ledger_lines_of(const struct ledger *lg, const char *no,
		     struct arena *a, struct line **lines, size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < lg->nlines; i++)
		k += strcmp(lg->lines[i].invoice_no, no) == 0;
	*lines = arena_alloc(a, sizeof **lines * (k + 1));
	*n = 0;
	for (size_t i = 0; i < lg->nlines; i++)
		if (strcmp(lg->lines[i].invoice_no, no) == 0)
			(*lines)[(*n)++] = lg->lines[i].l;
}

void ledger_merge(const struct ledger *lg, struct invoice *const *inv,
		  size_t n, struct arena *a, struct ledger *out)
{
	size_t nlines = lg->nlines;
	for (size_t i = 0; i < n; i++)
		if (inv[i]->status != INV_CANCELLED)
			nlines += inv[i]->nlines;
	memset(out, 0, sizeof *out);
	out->root = lg->root;
	out->rows = arena_alloc(a, sizeof *out->rows * (lg->nrows + n + 1));
	if (lg->nrows)
		memcpy(out->rows, lg->rows, sizeof *out->rows * lg->nrows);
	out->lines = arena_alloc(a, sizeof *out->lines * (nlines + 1));
	if (lg->nlines)
		memcpy(out->lines, lg->lines, sizeof *out->lines * lg->nlines);
	out->nrows = lg->nrows;
	out->nlines = lg->nlines;
	for (size_t i = 0; i < n; i++) {
		const struct invoice *v = inv[i];
		struct reg_row *g = &out->rows[out->nrows++];
		memset(g, 0, sizeof *g);
		g->invoice_no = v->number;
		g->contract_id = v->contract_id;
		g->client_id = v->client_id;
		g->currency = v->contract ? v->contract->currency : "CNY";
		g->replaces = v->replaces;
		g->content_sha256 = v->content_sha256;
		g->pdf = "";
		g->pdf_sha256 = "";
		g->period = v->period;
		g->issue_date = v->issue_date;
		g->due_date = v->due_date;
		g->net = v->net;
		g->tax = v->tax;
		g->gross = v->gross;
		g->status = v->status;
		if (v->status == INV_CANCELLED)
			continue;
		for (size_t k = 0; k < v->nlines; k++) {
			struct ledger_line *ll = &out->lines[out->nlines++];
			ll->invoice_no = v->number;
			ll->contract_id = v->contract_id;
			ll->line_no = (int)k + 1;
			ll->l = v->lines[k];
		}
	}
	index_rows(out, a);
}
