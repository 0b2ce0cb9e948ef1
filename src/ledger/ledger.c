/* ledger.c - see ledger.h */
#include "ledger/ledger.h"
#include "base/phase.h"
#include "ledger/index.h"
#include "read/fields.h"
#include "base/fsio.h"
#include "base/money.h"
#include "base/vec.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define unguard ledger_unguard

/* ---- writing: rows from their values --------------------------------- */

void ledger_reg_fields(const struct reg_row *g, struct reg_fields *f)
{
	month_format(g->period, f->period);
	date_format(g->issue_date, f->issued);
	date_format(g->due_date, f->due);
	money_plain(g->net, f->net);
	money_plain(g->tax, f->tax);
	money_plain(g->gross, f->gross);
	memset(f->v, 0, sizeof f->v);
	f->v[RC_INVOICE_NO] = g->invoice_no;
	f->v[RC_PERIOD] = f->period;
	f->v[RC_CONTRACT_ID] = g->contract_id;
	f->v[RC_CLIENT_ID] = g->client_id;
	f->v[RC_ISSUE_DATE] = f->issued;
	f->v[RC_DUE_DATE] = f->due;
	f->v[RC_CURRENCY] = g->currency;
	f->v[RC_NET] = f->net;
	f->v[RC_TAX] = f->tax;
	f->v[RC_GROSS] = f->gross;
	f->v[RC_STATUS] = status_name(g->status);
	f->v[RC_REPLACES] = g->replaces;
	f->v[RC_CONTENT_SHA256] = g->content_sha256;
	f->v[RC_PDF] = g->pdf;
	f->v[RC_PDF_SHA256] = g->pdf_sha256;
	f->v[RC_CHAIN] = g->chain;
}

void ledger_register_row(struct buf *b, const struct reg_row *g,
			 char chain[65])
{
	struct reg_fields f;
	ledger_reg_fields(g, &f);
	ledger_put_row(b, &REGISTER_TABLE, f.v, chain);
}

/* src into dst of size bytes, cut as snprintf would cut it (a decimal
 * the ledger holds fits): snprintf's "%s" was a tenth of reading the
 * lines of the true-ups' reach */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void ledger_line_fields(const struct ledger_line *ll, struct line_fields *f)
{
	const struct line *l = &ll->l;
	snprintf(f->line_no, sizeof f->line_no, "%d", ll->line_no);
	f->cs[0] = f->ce[0] = f->qty[0] = f->price[0] = '\0';
	if (l->flags & LINE_HAS_CYCLE) {
		date_format(l->cycle_start, f->cs);
		date_format(l->cycle_end, f->ce);
	}
	if (l->flags & LINE_HAS_QTY)
		copy_text(f->qty, sizeof f->qty, l->qty_s);
	if (l->flags & LINE_HAS_PRICE)
		copy_text(f->price, sizeof f->price, l->price_s);
	money_plain(l->amount, f->amount);
	pct_plain(l->tax_pct, f->tax);
	f->v[LC_INVOICE_NO] = ll->invoice_no;
	f->v[LC_LINE_NO] = f->line_no;
	f->v[LC_KIND] = line_kind_name(l->kind);
	f->v[LC_CONTRACT_ID] = ll->contract_id;
	f->v[LC_DEVICE_ID] = l->device_id;
	f->v[LC_RECORD_ID] = l->record_id;
	f->v[LC_CYCLE_START] = f->cs;
	f->v[LC_CYCLE_END] = f->ce;
	f->v[LC_DESC_ZH] = l->desc_zh;
	f->v[LC_DESC_EN] = l->desc_en;
	f->v[LC_QTY] = f->qty;
	f->v[LC_UNIT_PRICE] = f->price;
	f->v[LC_AMOUNT] = f->amount;
	f->v[LC_TAX_PCT] = f->tax;
}

void ledger_line_row(struct buf *b, const struct ledger_line *ll)
{
	struct line_fields f;
	ledger_line_fields(ll, &f);
	ledger_put_row(b, &LINES_TABLE, f.v, NULL);
}

void ledger_row_content(const struct reg_row *g,
			const struct ledger_line *lines, size_t n,
			char out[65])
{
	struct line_fields *f = xmalloc(sizeof *f * (n + 1));
	const char *const **v = xmalloc(sizeof *v * (n + 1));
	for (size_t i = 0; i < n; i++) {
		ledger_line_fields(&lines[i], &f[i]);
		v[i] = f[i].v;
	}
	struct reg_fields r;
	ledger_reg_fields(g, &r);
	ledger_content_hash(v, n, r.v, out);
	free(v);
	free(f);
}

void invoice_number(char out[40], const char *prefix, int period, int n)
{
	snprintf(out, 40, "%.12s-%04d%02d-%04d", prefix, period / 12,
		 period % 12 + 1, n);
}

/* ---- reading: the register and its lines, checked -------------------- */

static int is_hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 64;
}

/* What reading found: the state of each file and the damage. */
struct reading {
	struct ledger *lg;
	struct arena *a;
	struct diag *d;
	const char *rpath, *lpath;
	int damage;
	/* a torn tail's repair (rules.md §4): cut, or add a line end */
	long reg_cut;   const char *reg_suffix;
	long lines_cut; const char *lines_suffix;
	long reg_cut_line, lines_cut_line;
	/* where the text read starts (a bounded read: the index's mark;
	 * else the start of the file, with its header) */
	size_t reg_base, lines_base;
	long reg_line0, lines_line0;
	int header;
	const char *prev_chain;     /* of the row before reg_base */
	size_t nkept;               /* rows before the text's: compact
				     * ones, or (read_on) a run's read */
	size_t nkept_lines;         /* lines before the text's (read_on) */
	/* A run's read from the index: the lines of invoices of periods
	 * before this one (the run's) keep no descriptions, and what they
	 * keep is copied out of the text read (keep_text; INT_MIN: every
	 * line whole) */
	int lean_before;
};

static void damage(struct reading *rd, const char *file, long line,
		   const char *column, const char *value, const char *what)
{
	diag_error(rd->d, file, line, column, value, "%s", what);
	rd->damage++;
}

/* Room for n rows (lines) in lg's array, those there kept: in place
 * when it has it (a bounded read appends to the index's rows, the index
 * update to the run's read), else a new array with room to spare for a
 * run's rows (only the pages written are ever touched). */
static size_t room_to_spare(size_t n)
{
	/* (three times: a run's rows are about a month's, and the read it
	 * appends them to holds a month of rows or more; a quarter more made
	 * the index update copy the whole array, 23 MB at 10,000 contracts,
	 * and twice did so for a month of service records after months of
	 * recurring lines only: 61,000 lines after 35,000, 40 MB in all, in
	 * the merge and again in the index update) */
	return 3 * n + 4096;
}

/* Room for n elements of size in *v (which has room for *room and
 * holds have of them, kept). */
static void room_for(void **v, size_t *room, size_t have, size_t n,
		     size_t size, struct arena *a)
{
	if (*v && *room >= n)
		return;
	size_t want = room_to_spare(n);
	void *w = arena_alloc_uninit(a, size * want);
	if (have)
		memcpy(w, *v, size * have);
	*v = w;
	*room = want;
}

static void rows_room_for(struct ledger *lg, size_t n, struct arena *a)
{
	void *v = lg->rows;
	room_for(&v, &lg->rows_room, lg->nrows, n, sizeof *lg->rows, a);
	lg->rows = v;
}

static void lines_room_for(struct ledger *lg, size_t n, struct arena *a)
{
	void *v = lg->lines;
	room_for(&v, &lg->lines_room, lg->nlines, n, sizeof *lg->lines, a);
	lg->lines = v;
}

/* Reads a ledger file from byte off: 0 (absent: t->data NULL), or -1
 * reported.  file_text_release(t) in either case. */
static int read_ledger_file(struct reading *rd, const char *path,
			    size_t off, struct file_text *t)
{
	if (file_text_read(path, off, (size_t)-1 / 2, EX_IOERR, t) == 0)
		return 0;
	if (errno == ENOENT)
		return 0;
	const char *unsafe = fsio_refusal(errno);
	if (unsafe) {
		damage(rd, path, 0, NULL, NULL, unsafe);
		return -1;
	}
	diag_missing(rd->d, path, strerror(errno));
	return -1;
}

/* Fills one register row from its fields; 0, or -1 (reported). */
static int register_values(struct reading *rd, const struct ledger_rec *rc,
			   struct reg_row *g)
{
	/* the fields are in the arena already: the values point there */
	char *const *f = rc->f;
	g->line = rc->line;
	g->invoice_no = unguard(f[RC_INVOICE_NO]);
	g->contract_id = unguard(f[RC_CONTRACT_ID]);
	g->client_id = unguard(f[RC_CLIENT_ID]);
	g->currency = unguard(f[RC_CURRENCY]);
	g->replaces = unguard(f[RC_REPLACES]);
	g->content_sha256 = f[RC_CONTENT_SHA256];
	g->pdf = unguard(f[RC_PDF]);
	g->pdf_sha256 = f[RC_PDF_SHA256];
	g->chain = f[RC_CHAIN];
	g->raw = rc->f;
	int col = -1;
	g->period = month_parse(f[RC_PERIOD]);
	if (g->period < 0)
		col = RC_PERIOD;
	else if (parse_date(f[RC_ISSUE_DATE], &g->issue_date))
		col = RC_ISSUE_DATE;
	else if (parse_date(f[RC_DUE_DATE], &g->due_date))
		col = RC_DUE_DATE;
	else if (parse_money(f[RC_NET], 1, &g->net))
		col = RC_NET;
	else if (parse_money(f[RC_TAX], 1, &g->tax))
		col = RC_TAX;
	else if (parse_money(f[RC_GROSS], 1, &g->gross))
		col = RC_GROSS;
	else if ((g->status = status_parse(f[RC_STATUS])) < 0)
		col = RC_STATUS;
	else if (!is_hex64(g->content_sha256))
		col = RC_CONTENT_SHA256;
	else if (!g->invoice_no[0])
		col = RC_INVOICE_NO;
	if (col >= 0) {
		damage(rd, rd->rpath, rc->line, REGISTER_TABLE.cols[col].name, f[col],
		       "not a value svcbill writes");
		return -1;
	}
	/* the row is kept, its values being values: its lines, PDF and
	 * number are still its own (dropped, each of them was reported as
	 * a row or file the register does not have) */
	if (g->gross != g->net + g->tax)
		damage(rd, rd->rpath, rc->line, "gross", f[RC_GROSS],
		       "gross is not net + tax");
	return 0;
}

/* The physical line after the last row parsed (first when none). */
static long next_line(const struct ledger_rec *recs, long n, long first)
{
	return n <= 0 ? first : recs[n - 1].end_line;
}

/* The register: every row's chain, then its values.  Fills lg->rows
 * with the committed rows. */
static void read_register(struct reading *rd, const char *text, size_t len)
{
	struct ledger *lg = rd->lg;
	memcpy(lg->seal, rd->prev_chain, 65);
	lg->reg_size = rd->reg_base + len;
	lg->reg_lines = rd->reg_line0 + rd->header;
	if (!text || len == 0) {
		lg->reg_absent = rd->nkept == 0 && rd->reg_base == 0;
		return;
	}
	struct ledger_rec *recs;
	const char *why;
	long why_line;
	long n = ledger_parse_from(&REGISTER_TABLE, text, len, rd->header,
				   rd->reg_line0, rd->a, rd->a, &recs,
				   &why, &why_line);
	lg->reg_size = rd->reg_base + len;
	lg->reg_lines = next_line(recs, n, rd->reg_line0 + rd->header);
	if (n < 0) {
		damage(rd, rd->rpath, why_line, NULL, NULL, why);
		return;
	}
	rows_room_for(lg, rd->nkept + (size_t)n + 1, rd->a);
	lg->nrows = rd->nkept;
	const char *prev = rd->prev_chain;
	memcpy(lg->seal, prev, 65);
	for (long i = 0; i < n; i++) {
		const struct ledger_rec *rc = &recs[i];
		char want[65];
		if (rc->nfields >= REG_NCOLS - 1 && rc->nfields <= REG_NCOLS)
			ledger_chain(prev, (const char *const *)rc->f, want);
		else
			want[0] = '\0';
		if (!rc->terminated) {
			/* the last row, without its CRLF: complete (its chain
			 * right), or torn by an interrupted append (a prefix
			 * of what it would have been), or damage */
			const char *c = rc->f[RC_CHAIN];
			size_t cl = strlen(c);
			if (rc->nfields > REG_NCOLS) {
				damage(rd, rd->rpath, rc->line, NULL, NULL,
				       "more fields than the register has");
			} else if (rc->nfields == REG_NCOLS &&
				   strcmp(c, want) == 0) {
				rd->reg_suffix = rc->cr_only ? "\n" : "\r\n";
				rd->reg_cut_line = rc->line;
			} else if (rc->nfields < REG_NCOLS ||
				   (!rc->cr_only && cl < 64 &&
				    strncmp(c, want, cl) == 0)) {
				rd->reg_cut = (long)(rd->reg_base + rc->start);
				rd->reg_cut_line = rc->line;
				break;
			} else {
				damage(rd, rd->rpath, rc->line, "chain", c,
				       "the chain does not verify: this row or "
				       "the one before it was changed, or rows "
				       "were removed or inserted here");
			}
		} else if (rc->nfields != REG_NCOLS) {
			char msg[96];
			snprintf(msg, sizeof msg, "%d fields, the register "
				 "has %d", rc->nfields, REG_NCOLS);
			damage(rd, rd->rpath, rc->line, NULL, NULL, msg);
			continue;
		} else if (strcmp(rc->f[RC_CHAIN], want) != 0) {
			damage(rd, rd->rpath, rc->line, "chain",
			       rc->f[RC_CHAIN],
			       "the chain does not verify: this row or the "
			       "one before it was changed, or rows were "
			       "removed or inserted here");
		}
		prev = rc->f[RC_CHAIN];
		struct reg_row *g = &lg->rows[lg->nrows];
		memset(g, 0, sizeof *g);
		g->off = rd->reg_base + rc->start;
		if (register_values(rd, rc, g) == 0) {
			lg->nrows++;
			memcpy(lg->seal, g->chain, 65);
		}
	}
	free(recs);
}

static int by_number_then_position(const void *x, const void *y)
{
	const struct reg_row *a = *(const struct reg_row *const *)x;
	const struct reg_row *b = *(const struct reg_row *const *)y;
	int c = strcmp(a->invoice_no, b->invoice_no);
	return c ? c : (a > b) - (a < b);
}

/* A register row read against the row of the same number before it
 * (NULL: none).  The history of each number: first issued or credit,
 * then at most one row repeating it as cancelled. */
static void check_number(struct reading *rd, const struct reg_row *g,
			 const struct reg_row *prev)
{
	const char *bad = NULL;
	if (!g->raw)
		return;             /* summed up by the index */
	if (prev && !prev->raw)
		bad = "repeats an invoice number of a period the index sums "
		      "up";
	else if (!prev && g->status == INV_CANCELLED)
		bad = "cancels an invoice the register has not issued";
	else if (prev && (g->status != INV_CANCELLED ||
			  prev->status == INV_CANCELLED))
		bad = "repeats an invoice number";
	else if (prev && (prev->period != g->period ||
			  strcmp(prev->content_sha256, g->content_sha256) ||
			  prev->gross != g->gross ||
			  strcmp(prev->pdf_sha256, g->pdf_sha256)))
		bad = "a cancelled row that does not repeat the invoice's "
		      "fields";
	if (bad)
		damage(rd, rd->rpath, g->line, "invoice_no", g->invoice_no,
		       bad);
}

/* Every row read against the one of its number before it. */
static void check_numbers(struct reading *rd)
{
	struct ledger *lg = rd->lg;
	const struct reg_row **v = xmalloc(sizeof *v * (lg->nrows + 1));
	for (size_t i = 0; i < lg->nrows; i++)
		v[i] = &lg->rows[i];
	sort_if_unsorted(v, lg->nrows, sizeof *v, by_number_then_position);
	for (size_t i = 0; i < lg->nrows; i++) {
		const struct reg_row *g = v[i];
		int first = i == 0 || strcmp(v[i - 1]->invoice_no,
					     g->invoice_no) != 0;
		check_number(rd, g, first ? NULL : v[i - 1]);
	}
	free(v);
}

/* 1 for a credit note's number */
static int is_credit_note(const char *no)
{
	return strncmp(no, "CN-", 3) == 0;
}

/* "PREFIX-YYYYMM-NNNN": the period and NNNN, or -1. */
static int number_parts(const char *no, int *period, int64_t *nnnn,
			size_t *head)
{
	const char *dash = strrchr(no, '-');
	if (!dash || dash - no < 8 || dash[-7] != '-')
		return -1;
	char ym[8];
	memcpy(ym, dash - 6, 4);
	ym[4] = '-';
	memcpy(ym + 5, dash - 2, 2);
	ym[7] = '\0';
	*period = month_parse(ym);
	*head = (size_t)(dash - no) + 1;
	if (*period < 0 || parse_int(dash + 1, nnnn) || *nnnn < 1)
		return -1;
	return 0;
}

int invoice_number_period(const char *no)
{
	int period;
	int64_t nnnn;
	size_t head;
	return number_parts(no, &period, &nnnn, &head) ? -1 : period;
}

const char SETTLED_NO_PAYMENTS[65] =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const char *settled_digest(const struct settled_period *v, size_t n, int p,
			   size_t *k)
{
	while (*k < n && v[*k].period < p)
		(*k)++;
	return *k < n && v[*k].period == p ? v[*k].digest :
	       SETTLED_NO_PAYMENTS;
}

int period_among(const int *v, size_t n, int p)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == p;
}

int ledger_skipped_number(const struct ledger *lg, const char *no)
{
	return lg->nskipped && period_among(lg->skipped, lg->nskipped,
					    invoice_number_period(no));
}

/* 1 when a row of lg from its row `from` on names a period whose
 * invoices the read left out: the whole read judges it (a number
 * repeated is damage) */
static int names_skipped(const struct ledger *lg, size_t from)
{
	for (size_t i = from; lg->nskipped && i < lg->nrows; i++)
		if (ledger_skipped_number(lg, lg->rows[i].invoice_no))
			return 1;
	return 0;
}

/* 1 when P/SHA256SUMS, written once a run of P has committed, lists the
 * invoice's PDF: then its register row was committed, and has gone. */
static int listed_as_done(struct reading *rd, int period, const char *no)
{
	char p[8];
	month_format(period, p);
	char *path = arena_printf(rd->a, "%s/%s/SHA256SUMS", rd->lg->root, p);
	char *text;
	size_t len;
	if (read_file(path, &text, &len) != 0)
		return 0;
	char *want = arena_printf(rd->a, "  invoices/%s.pdf\n", no);
	int found = strstr(text, want) != NULL;
	free(text);
	return found;
}

/* Rows at the end of lines.csv whose invoice has no committed register
 * row: the tail of a run that died between its two appends, which may
 * be cut - unless they are not what such a run leaves. */
static void check_orphans(struct reading *rd, const struct ledger_rec *recs,
			  long from, long n)
{
	struct ledger *lg = rd->lg;
	int latest = ledger_latest_period(lg), run_period = -1;
	for (long i = from; i < n; i++) {
		const struct ledger_rec *rc = &recs[i];
		if (rc->nfields <= 1 && !rc->terminated)
			break;              /* its number itself is cut */
		const char *no = unguard(rc->f[LC_INVOICE_NO]);
		int period;
		int64_t nnnn;
		size_t head;
		const char *bad = NULL;
		if (lg->reg_absent)
			bad = "the register is missing or empty: restore "
			      "register.csv from a backup";
		else if (number_parts(no, &period, &nnnn, &head) != 0)
			bad = "not an invoice number svcbill writes";
		else if ((run_period >= 0 && period != run_period) ||
			 period < latest)
			bad = "an invoice the register does not have, and not "
			      "the end of an interrupted run of one period";
		else if (nnnn <= ledger_last_number(lg, is_credit_note(no),
						    period))
			bad = "an invoice the register does not have: its "
			      "number is below the register's last one";
		else if ((i == from || strcmp(no, unguard(recs[i - 1].f[0])))
			 && listed_as_done(rd, period, no))
			bad = "an invoice the register does not have, yet its "
			      "period's SHA256SUMS lists it: register rows "
			      "were removed";
		if (bad) {
			damage(rd, rd->lpath, rc->line, "invoice_no", no, bad);
			return;
		}
		run_period = period;
	}
}

static int by_key(const void *x, const void *y)
{
	const long *a = x, *b = y;
	return a[0] != b[0] ? (a[0] > b[0]) - (a[0] < b[0]) :
	       (a[1] > b[1]) - (a[1] < b[1]);
}

/* s in a ("" not copied) */
static const char *kept_text(struct arena *a, const char *s)
{
	return s[0] ? arena_strdup(a, s) : "";
}

/* What a line read with rd->lean_before keeps, copied into the read's
 * arena out of the text read (freed after it): its ids, qty and unit
 * price, and its descriptions unless its invoice is of a period before
 * lean_before.
 * A run needs no more of those lines: the true-ups, the cycles and
 * records billed and the index take kinds, cycles, amounts and ids;
 * the documents and workbooks are of the run's period, whose lines are
 * whole.  (`check`, which tells a charge's kind by its description,
 * reads the whole ledger.)  Every line is checked against its
 * invoice's content_sha256 before the text is let go. */
static void keep_text(struct reading *rd, struct ledger_line *ll,
		      int period)
{
	struct ledger *lg = rd->lg;
	struct line *l = &ll->l;
	/* an invoice's lines are consecutive: its contract's id once */
	const struct ledger_line *prev = lg->nlines > rd->nkept_lines ?
					 ll - 1 : NULL;
	ll->contract_id = prev && strcmp(prev->contract_id,
					 ll->contract_id) == 0 ?
			  prev->contract_id : kept_text(rd->a, ll->contract_id);
	l->device_id = kept_text(rd->a, l->device_id);
	l->record_id = kept_text(rd->a, l->record_id);
	int whole = period >= rd->lean_before;
	l->desc_zh = whole ? kept_text(rd->a, l->desc_zh) : "";
	l->desc_en = whole ? kept_text(rd->a, l->desc_en) : "";
	l->qty_s = kept_text(rd->a, l->qty_s);
	l->price_s = kept_text(rd->a, l->price_s);
}

/* The committed lines: their values, their order (the register's order,
 * line_no 1..n per invoice), and each invoice's content_sha256 and net. */
static void read_lines(struct reading *rd, struct file_text *t)
{
	const char *text = t->data;
	size_t len = t->len;
	struct ledger *lg = rd->lg;
	lg->lines_size = rd->lines_base + len;
	lg->lines_lines = rd->lines_line0 + rd->header;
	if (!text || len == 0)
		return;
	struct ledger_rec *recs;
	const char *why;
	long why_line;
	/* the rows' arrays of field pointers are not kept (a line keeps
	 * its fields themselves): 150 bytes a line; nor, for lean lines,
	 * the fields' bytes (keep_text): they are made in the text itself
	 * when it is a copy of the file's (as every read after the commit
	 * is: fsio_map_files), else in an arena freed after the read */
	struct arena fields = { 0 }, bytes = { 0 };
	int lean = rd->lean_before != INT_MIN;
	struct arena *made = !lean ? rd->a : t->heap ? NULL : &bytes;
	long n = ledger_parse_from(&LINES_TABLE, text, len, rd->header,
				   rd->lines_line0, made, &fields, &recs,
				   &why, &why_line);
	lg->lines_size = rd->lines_base + len;
	lg->lines_lines = next_line(recs, n, rd->lines_line0 + rd->header);
	if (n < 0) {
		damage(rd, rd->lpath, why_line, NULL, NULL, why);
		arena_free(&fields);
		arena_free(&bytes);
		return;
	}
	long from = n;
	while (from > 0) {
		const struct ledger_rec *rc = &recs[from - 1];
		if (!(rc->nfields <= 1 && !rc->terminated) &&
		    ledger_find(lg, unguard(rc->f[LC_INVOICE_NO])))
			break;
		from--;
	}
	if (from < n) {
		check_orphans(rd, recs, from, n);
		rd->lines_cut = (long)(rd->lines_base + recs[from].start);
		rd->lines_cut_line = recs[from].line;
	}
	/* which register row each committed line belongs to: its invoice's
	 * first row (issued or credit) */
	size_t kept = rd->nkept_lines, all = kept + (size_t)from;
	lines_room_for(lg, all + 1, rd->a);
	lg->nlines = kept;
	const char ***raw = xmalloc(sizeof *raw * (all + 1));
	long (*key)[2] = xmalloc(sizeof *key * ((size_t)from + 1));
	size_t nkey = 0;
	/* each number's first row (what was issued) and its position */
	size_t *first_pos = xcalloc(lg->nlast + 1, sizeof *first_pos);
	const struct reg_row **first_row = xcalloc(lg->nlast + 1,
						   sizeof *first_row);
	/* lg->rows come nearly in number order (periods in order, the
	 * numbers rising in each), lg->last in number order: each row's
	 * place in last is found by walking both, side by side (a row out
	 * of that order, a credit note's "CN-" after an "INV-", is searched
	 * for): the rows of ten years are not each a search */
	const char *prev = NULL;
	for (size_t i = 0, k = 0, j = 0; i < lg->nrows; i++) {
		const char *no = lg->rows[i].invoice_no;
		int c = 1;
		if (!prev || strcmp(prev, no) <= 0) {
			prev = no;
			while (j < lg->nlast &&
			       (c = strcmp(lg->last[j]->invoice_no, no)) < 0)
				j++;
		}
		size_t x = c == 0 && j < lg->nlast ? j :
			   ledger_last_index(lg, no);
		if (!first_pos[x]) {
			first_pos[x] = ++k;
			first_row[x] = &lg->rows[i];
		}
	}
	long expect_first = 0;      /* order check: register position */
	int order_ok = 1;
	const char *cur_no = "";
	int cur_line_no = 0;
	/* an invoice's lines are consecutive: its number searched once */
	const char *looked_no = NULL;
	size_t looked_x = (size_t)-1;
	for (long i = 0; i < from; i++) {
		const struct ledger_rec *rc = &recs[i];
		const char *no = unguard(rc->f[LC_INVOICE_NO]);
		size_t x = looked_no && strcmp(no, looked_no) == 0 ? looked_x :
			   ledger_last_index(lg, no);
		looked_no = no;
		looked_x = x;
		if (x != (size_t)-1 && (!first_row[x]->raw ||
					first_row[x]->off < rd->reg_base))
			x = (size_t)-1;     /* a row the index summed up, or
					     * one read before (read_on) */
		if (x == (size_t)-1) {
			damage(rd, rd->lpath, rc->line, "invoice_no", no,
			       "a row of an invoice the register does not "
			       "have");
			continue;
		}
		if (!rc->terminated) {
			if (rc->nfields != LINES_NCOLS || rc->last_field_open) {
				damage(rd, rd->lpath, rc->line, NULL, NULL,
				       "a row of a committed invoice, cut");
				continue;
			}
			rd->lines_suffix = rc->cr_only ? "\n" : "\r\n";
			rd->lines_cut_line = rc->line;
		} else if (rc->nfields != LINES_NCOLS) {
			char msg[96];
			snprintf(msg, sizeof msg, "%d fields, lines.csv has %d",
				 rc->nfields, LINES_NCOLS);
			damage(rd, rd->lpath, rc->line, NULL, NULL, msg);
			continue;
		}
		int64_t v;
		int line_no = parse_int(rc->f[LC_LINE_NO], &v) || v < 1 ||
			      v > 1000000 ? 0 : (int)v;
		if (strcmp(no, cur_no) != 0) {
			long pos = (long)first_pos[x];
			if (order_ok && (pos <= expect_first || line_no != 1)) {
				damage(rd, rd->lpath, rc->line, "invoice_no", no,
				       "lines.csv rows out of the register's "
				       "order: a row was moved, removed or "
				       "inserted");
				order_ok = 0;
			}
			expect_first = pos;
			cur_no = no;
		} else if (order_ok && line_no != cur_line_no + 1) {
			damage(rd, rd->lpath, rc->line, "line_no",
			       rc->f[LC_LINE_NO], "line numbers not 1, 2, ... "
			       "in order: a row was moved, removed or "
			       "inserted");
			order_ok = 0;
		}
		cur_line_no = line_no;
		struct ledger_line *ll = &lg->lines[lg->nlines];
		struct line *l = &ll->l;
		memset(ll, 0, sizeof *ll);
		char *const *f = rc->f;
		ll->invoice_no = lg->last[x]->invoice_no;
		ll->line_no = line_no;
		ll->fline = rc->line;
		ll->off = rd->lines_base + rc->start;
		ll->contract_id = unguard(f[LC_CONTRACT_ID]);
		l->kind = line_kind_parse(f[LC_KIND]);
		l->device_id = unguard(f[LC_DEVICE_ID]);
		l->record_id = unguard(f[LC_RECORD_ID]);
		l->desc_zh = unguard(f[LC_DESC_ZH]);
		l->desc_en = unguard(f[LC_DESC_EN]);
		l->qty_s = l->price_s = "";
		int col = l->kind < 0 ? LC_KIND : line_no == 0 ? LC_LINE_NO : -1;
		if (col < 0 && f[LC_CYCLE_START][0]) {
			l->flags |= LINE_HAS_CYCLE;
			if (parse_date(f[LC_CYCLE_START], &l->cycle_start))
				col = LC_CYCLE_START;
			else if (parse_date(f[LC_CYCLE_END], &l->cycle_end))
				col = LC_CYCLE_END;
		}
		if (col < 0 && f[LC_QTY][0]) {
			l->flags |= LINE_HAS_QTY;
			if (decimal_parse(f[LC_QTY], &l->qty))
				col = LC_QTY;
			l->qty_s = f[LC_QTY];
		}
		if (col < 0 && f[LC_UNIT_PRICE][0]) {
			l->flags |= LINE_HAS_PRICE;
			if (decimal_parse(f[LC_UNIT_PRICE], &l->unit_price))
				col = LC_UNIT_PRICE;
			else    /* written in yuan, kept in fen */
				l->unit_price.den /= 100;
			l->price_s = f[LC_UNIT_PRICE];
		}
		if (col < 0 && parse_money(f[LC_AMOUNT], 1, &l->amount))
			col = LC_AMOUNT;
		if (col < 0 && parse_percent(f[LC_TAX_PCT], &l->tax_pct))
			col = LC_TAX_PCT;
		if (col >= 0) {
			damage(rd, rd->lpath, rc->line, LINES_TABLE.cols[col].name,
			       f[col], "not a value svcbill writes");
			continue;
		}
		if (lean)
			keep_text(rd, ll, lg->last[x]->period);
		/* for the content hash, in the row's own array (which
		 * nothing reads after this) */
		for (int k = 0; k < LINES_NCOLS; k++)
			rc->f[k] = (char *)unguard(f[k]);
		raw[lg->nlines] = (const char **)rc->f;
		key[nkey][0] = (long)x;
		key[nkey][1] = (long)lg->nlines;
		nkey++;
		lg->nlines++;
	}
	/* each committed invoice against its lines: content_sha256, net */
	sort_if_unsorted(key, nkey, sizeof *key, by_key);
	const char *const **mine = xmalloc(sizeof *mine * (nkey + 1));
	for (size_t x = 0, k = 0; x < lg->nlast; x++) {
		const struct reg_row *g = first_row[x];
		size_t m = 0;
		int64_t sum = 0;
		long at = 0;
		for (; k < nkey && (size_t)key[k][0] == x; k++) {
			mine[m++] = raw[key[k][1]];
			sum += lg->lines[key[k][1]].l.amount;
			if (!at)
				at = lg->lines[key[k][1]].fline;
		}
		if (g->status == INV_CANCELLED || !g->raw ||
		    g->off < rd->reg_base)
			continue;           /* reported by check_numbers, or
					     * summed up by the index, or
					     * checked before (read_on) */
		char want[65];
		char *const *f = g->raw;
		const char *reg[REG_NCOLS];
		for (int c = 0; c < REG_NCOLS; c++)
			reg[c] = unguard(f[c]);
		ledger_content_hash(mine, m, reg, want);
		if (strcmp(want, g->content_sha256) != 0) {
			char msg[200];
			snprintf(msg, sizeof msg, "its %zu rows in lines.csv "
				 "(from line %ld) do not give the register's "
				 "content_sha256: this row or a line was "
				 "changed, or a line removed, cut or added", m,
				 at);
			damage(rd, rd->rpath, g->line, "invoice_no",
			       g->invoice_no, msg);
		} else if (sum != g->net) {
			damage(rd, rd->rpath, g->line, "net", f[RC_NET],
			       "the invoice's lines do not add up to its net");
		}
	}
	free(mine);
	free(first_row);
	free(first_pos);
	free(key);
	free(raw);
	free(recs);
	arena_free(&fields);
	arena_free(&bytes);
}

static void index_rows(struct ledger *lg, struct arena *a);
static void index_rows_on(struct ledger *lg, const struct ledger *before,
			  struct reading *rd, struct arena *a);
static void index_lines(struct ledger *lg, struct arena *a);

/* 1 when the archive root holds a period folder (YYYY-MM). */
static int has_period_folders(const char *root)
{
	DIR *dir = opendir(root);
	if (!dir)
		return 0;
	struct dirent *e;
	int found = 0;
	while (!found && (e = readdir(dir)) != NULL)
		found = strlen(e->d_name) == 7 && month_parse(e->d_name) >= 0;
	closedir(dir);
	return found;
}

/* Applies the repairs found; 0, or EX_IOERR (reported). */
static int repair(struct reading *rd)
{
	struct { const char *path; long cut, line; const char *suffix; } f[2] = {
		{ rd->rpath, rd->reg_cut, rd->reg_cut_line, rd->reg_suffix },
		{ rd->lpath, rd->lines_cut, rd->lines_cut_line,
		  rd->lines_suffix },
	};
	for (int i = 0; i < 2; i++) {
		if (f[i].cut >= 0) {
			if (truncate_durable(f[i].path, (size_t)f[i].cut) != 0)
				goto fail;
			fprintf(stderr, "svcbill: %s:%ld: removed an incomplete "
				"last row left by an interrupted run\n",
				f[i].path, f[i].line);
		} else if (f[i].suffix) {
			if (append_durable(f[i].path, f[i].suffix,
					   strlen(f[i].suffix)) != 0)
				goto fail;
			fprintf(stderr, "svcbill: %s:%ld: added the line end "
				"the last row lacked\n", f[i].path, f[i].line);
		}
		continue;
fail:
		fprintf(stderr, "svcbill: cannot repair %s: %s\n", f[i].path,
			strerror(errno));
		return fsio_refusal(errno) ? EX_DATAERR : EX_IOERR;
	}
	return 0;
}

/* Reads and checks the ledger: all of it (ix NULL), or the periods from
 * ix's mark m on, the rows before it the index's compact ones; lines of
 * periods before lean_before lean (keep_text; INT_MIN: none). */
static int load(struct ledger *lg, const char *root, int mode,
		struct ledger_index *ix, size_t m, int lean_before,
		struct arena *a, struct diag *d)
{
	memset(lg, 0, sizeof *lg);
	lg->root = root;
	lg->from = INT_MIN;
	memcpy(lg->from_chain, ZERO_CHAIN, 65);
	struct reading rd = {
		.lg = lg, .a = a, .d = d,
		.rpath = arena_printf(a, "%s/register.csv", root),
		.lpath = arena_printf(a, "%s/lines.csv", root),
		.reg_cut = -1, .lines_cut = -1,
		.reg_line0 = 1, .lines_line0 = 1, .header = 1,
		.prev_chain = ZERO_CHAIN, .lean_before = lean_before,
	};
	if (ix) {
		const struct ledger_mark *k = &ix->marks[m];
		rd.reg_base = k->reg_off;
		rd.lines_base = k->lines_off;
		rd.reg_line0 = k->reg_line;
		rd.lines_line0 = k->lines_line;
		rd.header = 0;
		rd.prev_chain = k->chain;
		lg->from = k->period;
		memcpy(lg->from_chain, k->chain, 65);
		index_before(ix, m, lg);
		rd.nkept = lg->nrows;
	}
	struct file_text rt, lt;
	memset(&lt, 0, sizeof lt);
	lt.slot = -1;
	int rc = 0;
	if (read_ledger_file(&rd, rd.rpath, rd.reg_base, &rt) != 0 ||
	    read_ledger_file(&rd, rd.lpath, rd.lines_base, &lt) != 0) {
		rc = rd.damage ? EX_DATAERR : EX_IOERR;
		memcpy(lg->seal, ZERO_CHAIN, 65);
		goto out;
	}
	/* not the files it indexed, or changed since it was written (a
	 * hand edit of a row it sums up: the whole read says which) */
	if (ix && (!rt.data || !lt.data || index_stale(ix, &rt.id, &lt.id))) {
		rc = -1;
		goto out;
	}
	read_register(&rd, rt.data, rt.len);
	if (ix && names_skipped(lg, rd.nkept)) {
		rc = -1;
		goto out;
	}
	index_rows(lg, a);
	check_numbers(&rd);
	if (lg->reg_absent && has_period_folders(root))
		damage(&rd, rd.rpath, 0, NULL, NULL, "missing or empty, yet "
		       "the archive holds period folders: restore "
		       "register.csv from a backup");
	read_lines(&rd, &lt);
	lg->pending_repair = rd.reg_cut >= 0 || rd.reg_suffix ||
			     rd.lines_cut >= 0 || rd.lines_suffix;
	if (ix && (rd.damage || index_disagrees(ix, m, lg))) {
		rc = -1;                    /* read it all to say what */
		goto out;
	}
	if (rd.damage) {
		rc = EX_DATAERR;
	} else if (lg->pending_repair && mode == LEDGER_REPAIR) {
		rc = repair(&rd);
		lg->pending_repair = 0;
		lg->repaired = 1;
	} else if (lg->pending_repair && mode == LEDGER_VERIFY) {
		long line = rd.reg_cut >= 0 || rd.reg_suffix ?
			    rd.reg_cut_line : rd.lines_cut_line;
		damage(&rd, rd.reg_cut >= 0 || rd.reg_suffix ? rd.rpath :
		       rd.lpath, line, NULL, NULL, "the end of a run that "
		       "was interrupted; the next run repairs it");
		rc = EX_DATAERR;
	}
out:
	index_lines(lg, a);
	lg->reg_id = rt.id;
	lg->lines_id = lt.id;
	if (lg->repaired) {             /* as the repair left them */
		if (file_stamp(rd.rpath, &lg->reg_id) != 0)
			memset(&lg->reg_id, 0, sizeof lg->reg_id);
		if (file_stamp(rd.lpath, &lg->lines_id) != 0)
			memset(&lg->lines_id, 0, sizeof lg->lines_id);
	}
	file_text_release(&rt);
	file_text_release(&lt);
	return ix && rc ? -1 : rc;
}

int ledger_load(struct ledger *lg, const char *root, int mode,
		struct arena *a, struct diag *d)
{
	return load(lg, root, mode, NULL, 0, INT_MIN, a, d);
}

/* ---- the true-ups' lines before a bounded read ------------------------- */

/* The end of the last whole row of text[0, len) that starts at a row's
 * start: after the last line feed outside quotes (a description may
 * hold a line break, quoted); 0 when there is none. */
static size_t whole_rows(const char *text, size_t len)
{
	size_t end = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (text[i] == '\n' && !quoted)
			end = i + 1;
	}
	return end;
}

/* Each row of table t among path's bytes [from, to) (whole rows: the
 * index's marks; physical lines from `line`), parsed in place a megabyte
 * at a time, to each(ctx, row, its offset), which returns 0 to go on.
 * 0, or -1 when the file is no longer the one id says (the run's read),
 * a row is not one of the table's, or each said -1. */
static int each_row(const char *path, const struct file_id *id,
		    const struct ledger_table *t, size_t from, size_t to,
		    long line, int (*each)(void *, const struct ledger_rec *,
					   size_t), void *ctx)
{
	struct file_pieces fp;
	if (file_pieces_open(path, (size_t)-1 / 2, &fp) != 0)
		return -1;
	int rc = file_id_same(&fp.id, id) && to <= fp.size ? 0 : -1;
	size_t cap = (size_t)1 << 20, have = 0;
	char *buf = xmalloc(cap + 1);
	char *f[LEDGER_MAX_COLS + 1];
	while (rc == 0 && from < to) {
		size_t want = cap - have < to - from - have ? cap - have :
			      to - from - have;
		if (want && file_pieces_read(&fp, from + have, buf + have,
					     want) != 0) {
			rc = -1;
			break;
		}
		have += want;
		size_t whole = whole_rows(buf, have);
		if (!whole) {
			if (have < to - from)      /* a row longer than cap */
				buf = xrealloc(buf, (cap *= 2) + 1);
			else
				rc = -1;            /* cut inside a row */
			continue;
		}
		struct ledger_cursor c;
		struct ledger_rec r;
		const char *why;
		long why_line;
		int got = ledger_cursor_open(&c, t, buf, whole, 0, line, NULL,
					     &why);
		while (got == 0 && (got = ledger_cursor_next(&c, &r, f, &why,
							     &why_line)) == 1)
			got = r.terminated && r.nfields == t->ncols ?
			      each(ctx, &r, from + r.start) : -1;
		if (got < 0)
			rc = -1;
		line = c.line;
		memmove(buf, buf + whole, have - whole);
		have -= whole;
		from += whole;
	}
	file_pieces_close(&fp);
	free(buf);
	return rc;
}

static int by_contract_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cycle_key *)elem)->contract_id);
}

static int by_cycle_key(const void *key, const void *elem)
{
	const struct cycle_key *a = key, *b = elem;
	int c = strcmp(a->contract_id, b->contract_id);
	return c ? c : (a->cycle_start > b->cycle_start) -
		       (a->cycle_start < b->cycle_start);
}

/* An invoice among the periods read for the true-ups: its first register
 * row (what was issued: its fields, unguarded), its final state (the
 * last row of its number: a number's rows are all in its period's
 * block), whether its lines may be a true-up's, and its number and
 * contract as the kept lines name them (made once, when one is kept). */
struct tu_invoice {
	const char **reg;
	int status;                      /* its final state */
	int period;
	int keep;                        /* of a true-up's contract, from
					  * its cycle's first month on */
	size_t at;                       /* its first row's place */
	const char *kept_no, *kept_contract;
};

struct tu_reading {
	struct ledger *lg;
	const struct settle_want *w;
	struct arena *a;                /* the lines kept */
	struct arena scratch;           /* the invoices' register fields */
	struct tu_invoice *inv;
	size_t ninv, room;
	int period;                     /* of the block being read */
	/* the invoice the lines are at (ninv: none yet), its lines' hash
	 * so far, how many and their sum */
	size_t cur;
	struct content_hash h;
	long nlines;
	int64_t sum;
	struct ledger_line *kept;
	size_t nkept, kept_room;
	char chain[65];                 /* of the register row before */
};

static const char *field_copy(struct arena *a, const char *f)
{
	return kept_text(a, unguard(f));
}

static const char **fields_copy(struct arena *a, char *const *f, int n)
{
	const char **v = arena_alloc(a, sizeof *v * (size_t)n);
	for (int i = 0; i < n; i++)
		v[i] = field_copy(a, f[i]);
	return v;
}

/* A register row of the periods before the read: its chain checked, and
 * each row kept (a number's later rows are folded into its first once
 * the block is read: tu_fold). */
static int tu_register_row(void *ctx, const struct ledger_rec *r, size_t off)
{
	struct tu_reading *t = ctx;
	(void)off;
	/* the chain, from the mark's on: a row edited (its status, net,
	 * content_sha256, ...) is damage, as a whole read finds it */
	char want[65];
	ledger_chain(t->chain, (const char *const *)r->f, want);
	if (strcmp(want, r->f[RC_CHAIN]) != 0)
		return -1;
	memcpy(t->chain, want, 65);
	const char **reg = fields_copy(&t->scratch, r->f, REG_NCOLS);
	int period = month_parse(reg[RC_PERIOD]);
	int status = status_parse(reg[RC_STATUS]);
	/* a block holds its own period's rows, all before the read */
	if (period != t->period || period >= t->lg->from || status < 0)
		return -1;
	const struct cycle_key *ck = bsearch(reg[RC_CONTRACT_ID],
					     t->w->cycles, t->w->ncycles,
					     sizeof *t->w->cycles,
					     by_contract_id);
	VEC_GROW(t->inv, t->ninv + 1, t->room);
	t->inv[t->ninv] = (struct tu_invoice){ reg, status, period,
		ck && period >= month_of(ck->cycle_start), t->ninv, NULL,
		NULL };
	t->ninv++;
	return 0;
}

static int tu_by_number_then_place(const void *x, const void *y)
{
	const struct tu_invoice *a = x, *b = y;
	int c = strcmp(a->reg[RC_INVOICE_NO], b->reg[RC_INVOICE_NO]);
	return c ? c : (a->at > b->at) - (a->at < b->at);
}

static int tu_by_place(const void *x, const void *y)
{
	const struct tu_invoice *a = x, *b = y;
	return (a->at > b->at) - (a->at < b->at);
}

/* The block's rows, one per number: its first row's fields with its last
 * row's state (what the index's I row holds), in the register's order
 * of first rows. */
static void tu_fold(struct tu_reading *t)
{
	if (t->ninv < 2)
		return;
	qsort(t->inv, t->ninv, sizeof *t->inv, tu_by_number_then_place);
	size_t n = 0;
	for (size_t i = 0; i < t->ninv; i++) {
		if (n && strcmp(t->inv[n - 1].reg[RC_INVOICE_NO],
				t->inv[i].reg[RC_INVOICE_NO]) == 0) {
			t->inv[n - 1].status = t->inv[i].status;
			continue;
		}
		t->inv[n++] = t->inv[i];
	}
	t->ninv = n;
	qsort(t->inv, t->ninv, sizeof *t->inv, tu_by_place);
}

/* The invoice the lines are at against its register row, as read_lines
 * checks it (content_sha256 and net): 0, or -1. */
static int tu_check(struct tu_reading *t)
{
	const struct tu_invoice *v = &t->inv[t->cur];
	if (t->nlines == 0)
		content_hash_begin(&t->h);
	char want[65];
	content_hash_end(&t->h, v->reg, want);
	int64_t net;
	int ok = strcmp(v->reg[RC_STATUS], "cancelled") == 0 ||
		 (strcmp(want, v->reg[RC_CONTENT_SHA256]) == 0 &&
		  !parse_money(v->reg[RC_NET], 1, &net) && net == t->sum);
	t->nlines = 0;
	t->sum = 0;
	return ok ? 0 : -1;
}

/* A lines.csv row of the periods before the read: checked with its
 * invoice's, and kept when it is a recurring or true-up line of a
 * true-up's cycle, of an invoice issued (its final state). */
static int tu_line_row(void *ctx, const struct ledger_rec *r, size_t off)
{
	struct tu_reading *t = ctx;
	char *const *f = r->f;
	const char *no = unguard(f[LC_INVOICE_NO]);
	/* its invoice: the one the lines are at, or one after it (those
	 * passed over have no lines) */
	if (t->cur == t->ninv ||
	    strcmp(t->inv[t->cur].reg[RC_INVOICE_NO], no) != 0) {
		if (t->cur < t->ninv && tu_check(t) != 0)
			return -1;
		for (t->cur = t->cur == t->ninv ? 0 : t->cur + 1;
		     t->cur < t->ninv &&
		     strcmp(t->inv[t->cur].reg[RC_INVOICE_NO], no) != 0;
		     t->cur++)
			if (tu_check(t) != 0)
				return -1;
		if (t->cur == t->ninv)
			return -1;          /* not in the register's order */
	}
	struct tu_invoice *v = &t->inv[t->cur];
	int64_t amount, line_no;
	day_t start = 0;
	int kind = line_kind_parse(f[LC_KIND]);
	if (kind < 0 || parse_money(f[LC_AMOUNT], 1, &amount) ||
	    parse_int(f[LC_LINE_NO], &line_no) || line_no != t->nlines + 1 ||
	    (f[LC_CYCLE_START][0] && parse_date(f[LC_CYCLE_START], &start)))
		return -1;
	const char *u[LINES_NCOLS];
	for (int k = 0; k < LINES_NCOLS; k++)
		u[k] = unguard(f[k]);
	if (t->nlines++ == 0)
		content_hash_begin(&t->h);
	content_hash_line(&t->h, u);
	t->sum += amount;
	struct cycle_key k = { v->reg[RC_CONTRACT_ID], start };
	if (!v->keep || v->status != INV_ISSUED ||
	    (kind != LK_RECURRING && kind != LK_TRUEUP) ||
	    !bsearch(&k, t->w->cycles, t->w->ncycles, sizeof *t->w->cycles,
		     by_cycle_key))
		return 0;
	if (!v->kept_no) {
		v->kept_no = arena_strdup(t->a, v->reg[RC_INVOICE_NO]);
		v->kept_contract = arena_strdup(t->a, v->reg[RC_CONTRACT_ID]);
	}
	VEC_GROW(t->kept, t->nkept + 1, t->kept_room);
	struct ledger_line *ll = &t->kept[t->nkept++];
	memset(ll, 0, sizeof *ll);
	ll->invoice_no = v->kept_no;
	ll->contract_id = v->kept_contract;
	ll->line_no = (int)line_no;
	ll->period = v->period;
	ll->fline = r->line;
	ll->off = off;
	ll->l.kind = kind;
	ll->l.flags = LINE_HAS_CYCLE;
	ll->l.cycle_start = start;
	ll->l.amount = amount;
	ll->l.device_id = field_copy(t->a, f[LC_DEVICE_ID]);
	ll->l.record_id = ll->l.desc_zh = ll->l.desc_en = "";
	ll->l.qty_s = ll->l.price_s = "";
	return 0;
}

/* lg->trueup_lines: the lines of want's cycles among the periods of index
 * marks k to m (before m: lg's read), the rest of their rows passed
 * over; every invoice of those periods checked against its register row
 * (content_sha256 and net) as a whole read checks it, a line at a time
 * (a run stops at a line of the last year changed, as when it read those
 * months whole), and the register's chain from mark to mark.  A period
 * at a time: its register rows, then its lines (a run appends both for
 * the invoices it issues, so a period's lines lie between its marks),
 * so that only one month's register rows are held.  0, or -1 when
 * anything is not as it should be: the caller then reads the whole
 * ledger, which says what. */
static int read_trueup_lines(struct ledger *lg, const struct settle_want *w,
			     const struct ledger_mark *marks, size_t k,
			     size_t m, struct arena *a)
{
	struct tu_reading t = { .lg = lg, .w = w, .a = a };
	memcpy(t.chain, marks[k].chain, 65);
	const char *reg = arena_printf(a, "%s/register.csv", lg->root);
	const char *lines = arena_printf(a, "%s/lines.csv", lg->root);
	int rc = 0;
	for (size_t j = k; rc == 0 && j < m; j++) {
		const struct ledger_mark *from = &marks[j], *to = &marks[j + 1];
		t.ninv = 0;
		t.period = from->period;
		rc = each_row(reg, &lg->reg_id, &REGISTER_TABLE, from->reg_off,
			      to->reg_off, from->reg_line, tu_register_row,
			      &t);
		if (rc == 0 && strcmp(t.chain, to->chain) != 0)
			rc = -1;                /* not the rows the marks say */
		tu_fold(&t);
		t.cur = t.ninv;
		if (rc == 0)
			rc = each_row(lines, &lg->lines_id, &LINES_TABLE,
				      from->lines_off, to->lines_off,
				      from->lines_line, tu_line_row, &t);
		/* the one the lines ended at, and those after it (no
		 * lines) */
		for (t.cur = t.cur == t.ninv ? 0 : t.cur;
		     rc == 0 && t.cur < t.ninv; t.cur++)
			rc = tu_check(&t);
		arena_free(&t.scratch);
	}
	if (rc == 0 && t.nkept) {
		/* (the array itself, not a copy: its room to spare was
		 * never touched) */
		arena_keep(a, t.kept);
		lg->trueup_lines = t.kept;
		lg->ntrueup_lines = t.nkept;
		t.kept = NULL;
	}
	free(t.inv);
	free(t.kept);
	return rc;
}

int ledger_load_from(struct ledger *lg, const char *root, int mode,
		     int from, const struct settle_want *want,
		     struct arena *a, struct diag *d)
{
	struct ledger_index ix;
	const char *why;
	size_t m;
	int rc = -1;
	int got = index_read(root, a, &ix, want, &why);
	phase_mark("index read");
	if (got == 0 && (m = index_mark_for(&ix, from)) != (size_t)-1) {
		/* quietly: what it finds is said by the whole read */
		char *text = NULL;
		size_t len = 0;
		FILE *sink = open_memstream(&text, &len);
		if (sink) {
			struct diag quiet;
			diag_init(&quiet, sink);
			rc = load(lg, root, mode, &ix, m,
				  want ? want->run_period : INT_MIN, a,
				  &quiet);
			/* the true-ups' lines of the periods before it */
			size_t k = want && want->ncycles ?
				   index_mark_for(&ix, want->trueup_from) : m;
			if (rc == 0 && k < m &&
			    read_trueup_lines(lg, want, ix.marks, k, m, a) != 0)
				rc = -1;
			if (rc == 0) {
				lg->index_used = 1;
				lg->index_frozen = ix.frozen;
				lg->index_tail = ix.tail;
				lg->index_head = ix.head;
				lg->index_id = ix.id;
			}
			diag_free(&quiet);
			fclose(sink);
			free(text);
		}
	}
	if (rc < 0)
		rc = load(lg, root, mode, NULL, 0, INT_MIN, a, d);
	return rc;
}

/* The ledger as it is once a run has appended its rows, read on from
 * the ends of the run's own read `before` (the files are append-only
 * and the run holds the archive's lock): what a read from before's mark
 * would give, its new rows and lines checked as a read checks them, the
 * new lines lean (keep_text: no descriptions; the index the read is for
 * has none).  0, or -1 when before was repaired or what follows its ends
 * is anything but complete rows (then the caller reads again). */
static int read_on(struct ledger *lg, const struct ledger *before,
		   struct arena *a, struct diag *d)
{
	if (before->pending_repair || before->repaired ||
	    before->reg_absent || !before->reg_size || !before->lines_size)
		return -1;
	*lg = *before;
	lg->last = NULL;
	lg->last_ids = (struct id_table){ 0 };
	lg->nlast = 0;
	lg->lines_by_no = NULL;
	struct reading rd = {
		.lg = lg, .a = a, .d = d,
		.rpath = arena_printf(a, "%s/register.csv", before->root),
		.lpath = arena_printf(a, "%s/lines.csv", before->root),
		.reg_cut = -1, .lines_cut = -1,
		.reg_base = before->reg_size, .lines_base = before->lines_size,
		.reg_line0 = before->reg_lines,
		.lines_line0 = before->lines_lines,
		.header = 0, .prev_chain = before->seal,
		.nkept = before->nrows, .nkept_lines = before->nlines,
		/* (for the index, which has no descriptions) */
		.lean_before = INT_MAX,
	};
	struct file_text rt, lt;
	memset(&lt, 0, sizeof lt);
	lt.slot = -1;
	int rc = -1;
	if (read_ledger_file(&rd, rd.rpath, rd.reg_base, &rt) ||
	    read_ledger_file(&rd, rd.lpath, rd.lines_base, &lt) ||
	    !rt.data || !lt.data)
		goto out;
	read_register(&rd, rt.data, rt.len);
	if (names_skipped(lg, before->nrows))
		goto out;                   /* as load() would: read again */
	index_rows_on(lg, before, &rd, a);
	read_lines(&rd, &lt);
	index_lines(lg, a);
	if (!rd.damage && rd.reg_cut < 0 && !rd.reg_suffix &&
	    rd.lines_cut < 0 && !rd.lines_suffix)
		rc = 0;
out:
	file_text_release(&rt);
	file_text_release(&lt);
	return rc;
}

void ledger_index_update(const char *root, int from,
			 const struct ledger *before,
			 const struct settled_period *settled, size_t n)
{
	struct arena a = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&text, &len);
	if (!sink)
		return;
	struct diag quiet;
	diag_init(&quiet, sink);
	struct ledger lg;
	/* (a read of its own leaves nothing out: the next index may be
	 * written whole from it; so is one after the run's read when the
	 * index cannot be updated in place, which is rare: another name
	 * for it, another program's change) */
	int on = before && read_on(&lg, before, &a, &quiet) == 0;
	phase_mark("ledger read on");
	int again = on ? index_write(root, &lg, settled, n) : 1;
	if (again && ledger_load_from(&lg, root, LEDGER_READ, from, NULL, &a,
				      &quiet) == 0 &&
	    !lg.reg_absent && !lg.pending_repair)
		index_write(root, &lg, settled, n);
	diag_free(&quiet);
	fclose(sink);
	free(text);
	arena_free(&a);
}

static int line_by_number_then_position(const void *x, const void *y)
{
	const struct ledger_line *a = *(const struct ledger_line *const *)x;
	const struct ledger_line *b = *(const struct ledger_line *const *)y;
	int c = strcmp(a->invoice_no, b->invoice_no);
	return c ? c : (a > b) - (a < b);
}

/* Index of the lines by number, for ledger_lines_of (a month of 10,000
 * invoices looked their lines up by a scan of every line: 5 s of CPU in
 * fapiao.xlsx alone). */
static void index_lines(struct ledger *lg, struct arena *a)
{
	const struct ledger_line **l = arena_alloc(a, sizeof *l *
						   (lg->nlines + 1));
	for (size_t i = 0; i < lg->nlines; i++)
		l[i] = &lg->lines[i];
	sort_if_unsorted(l, lg->nlines, sizeof *l, line_by_number_then_position);
	lg->lines_by_no = l;
}

/* id_table's key: the number of lg->last[i] */
static const char *last_number(const void *base, size_t i)
{
	return ((const struct reg_row *const *)base)[i]->invoice_no;
}

/* lg's rows are before's (its first before->nrows, the same rows,
 * maybe moved) and rows after them (read on, or made by this run): the
 * index of each number's last row goes on from before's (its array and
 * table copied, each new row's number looked up there) instead of being
 * made again from every row, ten years of them.  With rd, each new row is
 * checked against the row of its number before it, as check_numbers()
 * checks every row (before's were, when it was read).  A new number must
 * come after every number before it (a period's numbers follow the last
 * period's); when one does not, or before has no index, index_rows()
 * and check_numbers() do it all. */
static void index_rows_on(struct ledger *lg, const struct ledger *before,
			  struct reading *rd, struct arena *a)
{
	size_t kept = before->nrows, n = before->nlast;
	const struct reg_row **v = NULL;
	if (!before->last_ids.slot || lg->nrows < kept)
		goto anew;
	v = arena_alloc_uninit(a, sizeof *v * (n + lg->nrows - kept + 1));
	for (size_t i = 0; i < n; i++)
		v[i] = lg->rows + (before->last[i] - before->rows);
	/* the new numbers, in the order met: those already before are
	 * found in before's table, the others only among the new */
	size_t first_new = n;
	for (size_t i = kept; i < lg->nrows; i++) {
		const struct reg_row *g = &lg->rows[i];
		size_t x = id_table_find(&before->last_ids, g->invoice_no);
		if (x == (size_t)-1 && n > first_new &&
		    strcmp(v[n - 1]->invoice_no, g->invoice_no) == 0)
			x = n - 1;          /* a new number's second row */
		if (x == (size_t)-1) {
			if (n && strcmp(v[n - 1]->invoice_no,
					g->invoice_no) >= 0)
				goto anew;  /* not in number order */
			if (rd)
				check_number(rd, g, NULL);
			v[n++] = g;
			continue;
		}
		if (rd)
			check_number(rd, g, v[x]);
		v[x] = g;
	}
	lg->last = v;
	lg->nlast = n;
	id_table_grow(&lg->last_ids, &before->last_ids, v, first_new, n, a);
	return;
anew:
	index_rows(lg, a);
	if (rd)
		check_numbers(rd);
}

/* Index of the last row of each invoice number, for ledger_find. */
static void index_rows(struct ledger *lg, struct arena *a)
{
	const struct reg_row **v = arena_alloc(a, sizeof *v *
					       (lg->nrows + 1));
	for (size_t i = 0; i < lg->nrows; i++)
		v[i] = &lg->rows[i];
	sort_if_unsorted(v, lg->nrows, sizeof *v, by_number_then_position);
	size_t n = 0;
	for (size_t i = 0; i < lg->nrows; i++) {
		if (n && strcmp(v[n - 1]->invoice_no, v[i]->invoice_no) == 0)
			n--;            /* a later row replaces the state */
		v[n++] = v[i];
	}
	lg->last = v;
	lg->nlast = n;
	/* every read looks numbers up by the thousand (payments, lines,
	 * history): a hash table, not a binary search of string compares */
	id_table_make(&lg->last_ids, v, n, last_number, a);
}
size_t ledger_last_index(const struct ledger *lg, const char *no)
{
	if (lg->last_ids.slot)
		return id_table_find(&lg->last_ids, no);
	/* a ledger put together by hand (a test's): its last rows searched */
	for (size_t i = 0; i < lg->nlast; i++)
		if (strcmp(lg->last[i]->invoice_no, no) == 0)
			return i;
	return (size_t)-1;
}

const struct reg_row *ledger_find(const struct ledger *lg, const char *no)
{
	size_t i = ledger_last_index(lg, no);
	return i == (size_t)-1 ? NULL : lg->last[i];
}

static int hline_order(const void *x, const void *y)
{
	const struct hist_line *a = x, *b = y;
	int c = strcmp(a->contract_id, b->contract_id);
	return c ? c : strcmp(a->invoice_no, b->invoice_no);
}

/* id_table's key: the contract of lg->last[i] */
static const char *last_contract(const void *base, size_t i)
{
	return ((const struct reg_row *const *)base)[i]->contract_id;
}

/* qsort_r order of groups (each the index in lg->last of its contract's
 * first invoice) by contract id */
static int group_order(const void *x, const void *y, void *last)
{
	return strcmp(last_contract(last, *(const size_t *)x),
		      last_contract(last, *(const size_t *)y));
}

/* The issued invoices' final rows into inv, by contract, then number:
 * what a sort of them by (contract, number) gives (numbers are unique),
 * without one.  lg->last is in number order already, so each contract's
 * invoices are put in its group in the order met; only the groups (one
 * per contract, named by its first invoice in lg->last) are sorted.
 * Returns how many. */
static size_t by_contract(const struct ledger *lg, struct hist_invoice *inv)
{
	struct arena a = { 0 };
	size_t nl = lg->nlast;
	struct id_table t;
	id_table_start(&t, lg->last, nl, last_contract, &a);
	size_t *group = arena_alloc_uninit(&a, sizeof *group * (nl + 1));
	size_t *at = arena_alloc(&a, sizeof *at * (nl + 1));   /* counts */
	size_t *order = arena_alloc_uninit(&a, sizeof *order * (nl + 1));
	size_t ngroups = 0, n = 0;
	for (size_t i = 0; i < nl; i++) {
		group[i] = (size_t)-1;
		if (lg->last[i]->status != INV_ISSUED)
			continue;
		size_t g = id_table_put(&t, i);
		if (at[g]++ == 0)
			order[ngroups++] = g;
		group[i] = g;
		n++;
	}
	/* the groups by contract id, each given its place */
	qsort_r(order, ngroups, sizeof *order, group_order, (void *)lg->last);
	for (size_t k = 0, place = 0; k < ngroups; k++) {
		size_t count = at[order[k]];
		at[order[k]] = place;
		place += count;
	}
	for (size_t i = 0; i < nl; i++) {
		const struct reg_row *r = lg->last[i];
		if (group[i] == (size_t)-1)
			continue;
		inv[at[group[i]]++] = (struct hist_invoice){ r->invoice_no,
			r->contract_id, r->period, r->due_date, r->gross,
			INV_ISSUED, i };
	}
	arena_free(&a);
	return n;
}

void ledger_history(const struct ledger *lg, struct arena *a,
		    struct history *h)
{
	struct hist_invoice *inv = arena_alloc(a, sizeof *inv *
					       (lg->nlast + 1));
	size_t n = by_contract(lg, inv);
	size_t all = lg->ntrueup_lines + lg->nlines;
	struct hist_line *hl = arena_alloc(a, sizeof *hl * (all + 1));
	size_t m = 0;
	for (size_t i = 0; i < all; i++) {
		const struct ledger_line *ll = i < lg->ntrueup_lines ?
			&lg->trueup_lines[i] :
			&lg->lines[i - lg->ntrueup_lines];
		/* (a true-up line is of an invoice issued, as its period's
		 * register rows say: that period's invoices may be among
		 * those the read left out) */
		int period = ll->period;
		if (i >= lg->ntrueup_lines) {
			const struct reg_row *r = ledger_find(lg,
							      ll->invoice_no);
			if (!r || r->status != INV_ISSUED)
				continue;
			period = r->period;
		}
		hl[m++] = (struct hist_line){ ll->invoice_no, ll->contract_id,
			ll->l.device_id, ll->l.kind, period,
			ll->l.cycle_start, ll->l.amount };
	}
	sort_if_unsorted(hl, m, sizeof *hl, hline_order);
	h->inv = inv;
	h->ninv = n;
	h->lines = hl;
	h->nlines = m;
	h->by_number = lg->last;
	h->nnumbers = lg->nlast;
}

int ledger_last_number(const struct ledger *lg, int credit_notes, int period)
{
	int best = 0;
	for (size_t i = 0; i < lg->nrows; i++) {
		const char *no = lg->rows[i].invoice_no;
		int p;
		int64_t v;
		size_t head;
		if (is_credit_note(no) == credit_notes &&
		    number_parts(no, &p, &v, &head) == 0 && p == period &&
		    v > best)
			best = v > INT_MAX ? INT_MAX : (int)v;
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

/* lower_bound's comparison: a number against a line of lg->lines_by_no. */
static int number_vs_line(const void *key, const void *elem)
{
	return strcmp((const char *)key,
		      (*(const struct ledger_line *const *)elem)->invoice_no);
}

void ledger_lines_of(const struct ledger *lg, const char *no,
		     struct arena *a, struct line **lines, size_t *n)
{
	size_t first = lg->nlines ? lower_bound(no, lg->lines_by_no,
			lg->nlines, sizeof *lg->lines_by_no,
			number_vs_line) : 0;
	size_t end = first;
	while (end < lg->nlines &&
	       strcmp(lg->lines_by_no[end]->invoice_no, no) == 0)
		end++;
	*lines = arena_alloc(a, sizeof **lines * (end - first + 1));
	*n = end - first;
	for (size_t i = first; i < end; i++)
		(*lines)[i - first] = lg->lines_by_no[i]->l;
}

void ledger_merge(const struct ledger *lg, const struct reg_row *rows,
		  size_t nrows, const struct ledger_line *lines,
		  size_t nlines, struct arena *a, struct ledger *out)
{
	*out = *lg;                 /* the files' ends, what the index gave */
	out->last = NULL;
	out->last_ids = (struct id_table){ 0 };
	out->nlast = 0;
	out->pending_repair = 0;
	/* lg's arrays with the new rows after them, in lg's room when it
	 * has it (its own rows stay as they are: lg is still the run's read
	 * of the ledger as it was) */
	rows_room_for(out, lg->nrows + nrows + 1, a);
	if (nrows)
		memcpy(out->rows + lg->nrows, rows, sizeof *rows * nrows);
	out->nrows = lg->nrows + nrows;
	lines_room_for(out, lg->nlines + nlines + 1, a);
	if (nlines)
		memcpy(out->lines + lg->nlines, lines, sizeof *lines * nlines);
	out->nlines = lg->nlines + nlines;
	index_rows_on(out, lg, NULL, a);
	index_lines(out, a);
}

/* path (below lg->root) not the file id describes, as it was */
static int stamp_differs(const struct ledger *lg, const char *name,
			 const struct file_id *id)
{
	if (!id->ino)                   /* absent when read: made since */
		return 0;
	size_t n = strlen(lg->root) + strlen(name) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", lg->root, name);
	struct file_id now;
	int got = file_stamp(path, &now) == 0;
	free(path);
	return !got || !file_id_same(&now, id);
}

int ledger_files_changed(const struct ledger *lg)
{
	return stamp_differs(lg, "register.csv", &lg->reg_id) ||
	       stamp_differs(lg, "lines.csv", &lg->lines_id);
}

const char *ledger_seal_of(const struct ledger *lg, int period)
{
	for (size_t i = lg->nrows; i-- > 0;)
		if (lg->rows[i].period <= period && lg->rows[i].chain)
			return lg->rows[i].chain;
	/* every row up to period is one the index sums up (no chain of its
	 * own; the register is in period order): the chain where the next
	 * period begins, as its mark has it, or where the rows read begin */
	for (size_t m = 0; m < lg->nmarks; m++)
		if (lg->marks[m].period > period)
			return lg->marks[m].chain;
	if (lg->from != INT_MIN && lg->from > period)
		return lg->from_chain;
	return ZERO_CHAIN;
}
