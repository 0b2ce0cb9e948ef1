/* index.c - see index.h */
#include "ledger/index.h"
#include "base/fsio.h"
#include "base/vec.h"
#include "read/fields.h"

#include <errno.h>
#include <libdeflate.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define INDEX_FILE "ledger-index.csv"

const char INDEX_EARLIER[] = "written by an earlier svcbill (its checksum "
			    "is a SHA-256)";

/* The checksum row's value: the CRC-32 (libdeflate's, the zlib and PNG
 * one) as 8 lowercase hex digits. */
static void crc_hex(uint32_t crc, char out[9])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 8; i++)
		out[i] = hex[crc >> (28 - 4 * i) & 15];
	out[8] = '\0';
}

/* 1 when the file at path is, to its byte s_start, what its checksum
 * value says an earlier svcbill wrote: the SHA-256 of those bytes.  Read
 * again (the parse has made its fields in the text read): only ever for
 * an index whose CRC is not right, once after an upgrade. */
static int earlier_checksum(const char *path, size_t s_start,
			    const char *value)
{
	char *text, sha[65];
	size_t len;
	if (strlen(value) != 64 || read_file(path, &text, &len) != 0)
		return 0;
	int same = 0;
	if (len >= s_start) {
		sha256_hex(text, s_start, sha);
		same = strcmp(sha, value) == 0;
	}
	free(text);
	return same;
}

/* ---- writing ----------------------------------------------------------- */

static void put(struct buf *b, const char *const *v, int n)
{
	const char *f[INDEX_NCOLS];
	for (int i = 0; i < INDEX_NCOLS; i++)
		f[i] = i < n ? v[i] : "";
	ledger_put_row(b, &INDEX_TABLE, f, NULL);
}

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *month(struct arena *a, int p)
{
	if (p == INT_MIN)
		return "0000-00";
	char s[8];
	month_format(p, s);
	return arena_strdup(a, s);
}

static const char *day(struct arena *a, day_t d)
{
	char s[11];
	date_format(d, s);
	return arena_strdup(a, s);
}

static const char *yuan(struct arena *a, int64_t v)
{
	char s[32];
	money_plain(v, s);
	return arena_strdup(a, s);
}

/* The frozen rows of each kind come as three streams, each in period
 * order; the blocks interleave them period by period.  A stream's next()
 * moves to its next row and returns that row's period (INT_MAX at the
 * end); the row is then at ->at. */
struct stream {
	const struct ledger *lg;
	int frozen;
	size_t nreg, nlines;
	int from;                   /* rows of periods before it not wanted */
	size_t i;                   /* next candidate */
	const void *at;             /* the row found */
	int period;
	/* the cycles: lg->cycles, then recurring lines; the records:
	 * lg->records, then lines with a record; consecutive repeats of
	 * the same (contract, cycle) or (record, invoice) once, as the
	 * whole read's checks take them */
	const char *last_a, *last_b;
	day_t last_day;
	/* the register row of the line last looked up: an invoice's lines
	 * are consecutive, so most lines need no search */
	const char *no;
	const struct reg_row *row;
};

/* The final register row of a line's invoice (NULL if none). */
static const struct reg_row *row_of(struct stream *s,
				    const struct ledger_line *ll)
{
	if (!s->no || strcmp(s->no, ll->invoice_no) != 0) {
		s->no = ll->invoice_no;
		s->row = ledger_find(s->lg, ll->invoice_no);
	}
	return s->row;
}

static int next_invoice(struct stream *s)
{
	const struct ledger *lg = s->lg;
	while (s->i < lg->nrows) {
		const struct reg_row *g = &lg->rows[s->i++];
		if ((g->raw && s->i > s->nreg) || g->period >= s->frozen ||
		    g->period < s->from ||
		    ledger_find(lg, g->invoice_no) != g)
			continue;
		s->at = g;
		return s->period = g->period;
	}
	return s->period = INT_MAX;
}

static int next_cycle(struct stream *s, struct billed_cycle *c)
{
	const struct ledger *lg = s->lg;
	while (s->i < lg->ncycles + s->nlines) {
		size_t i = s->i++;
		if (i < lg->ncycles) {
			*c = lg->cycles[i];
			if (c->period < s->from) {  /* not wanted, but seen */
				s->last_a = c->contract_id;
				s->last_day = c->cycle_start;
				continue;
			}
		} else {
			const struct ledger_line *ll = &lg->lines[i - lg->ncycles];
			const struct reg_row *g = row_of(s, ll);
			int p = g ? g->period : INT_MAX;
			if (ll->l.kind != LK_RECURRING || !g ||
			    g->status != INV_ISSUED ||
			    p >= s->frozen ||
			    (strcmp(s->last_a, ll->contract_id) == 0 &&
			     s->last_day == ll->l.cycle_start))
				continue;
			*c = (struct billed_cycle){ p, ll->contract_id,
				ll->invoice_no, ll->l.cycle_start };
		}
		s->last_a = c->contract_id;
		s->last_day = c->cycle_start;
		return s->period = c->period;
	}
	return s->period = INT_MAX;
}

static int next_record(struct stream *s, struct billed_record *r)
{
	const struct ledger *lg = s->lg;
	while (s->i < lg->nrecords + s->nlines) {
		size_t i = s->i++;
		if (i < lg->nrecords) {
			*r = lg->records[i];
			if (r->period < s->from) {  /* not wanted, but seen */
				s->last_a = r->record_id;
				s->last_b = r->invoice_no;
				continue;
			}
		} else {
			const struct ledger_line *ll = &lg->lines[i - lg->nrecords];
			const struct reg_row *g = row_of(s, ll);
			int p = g ? g->period : INT_MAX;
			if (!ll->l.record_id[0] || !g ||
			    g->status != INV_ISSUED ||
			    p >= s->frozen ||
			    (strcmp(s->last_a, ll->l.record_id) == 0 &&
			     strcmp(s->last_b, ll->invoice_no) == 0))
				continue;
			*r = (struct billed_record){ p, ll->l.record_id,
						     ll->invoice_no };
		}
		s->last_a = r->record_id;
		s->last_b = r->invoice_no;
		return s->period = r->period;
	}
	return s->period = INT_MAX;
}

static int by_contract_then_first(const void *x, const void *y)
{
	const struct cycle_sum *a = x, *b = y;
	int c = strcmp(a->contract_id, b->contract_id);
	return c ? c : (a->first > b->first) - (a->first < b->first);
}

static int gcd(int a, int b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b) {
		int t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* The K rows of the index made of lg: one per contract with cycles
 * billed in the blocks (periods before frozen), as struct cycle_sum
 * says: of the cycles the stream gives (lg's C rows, then its lines)
 * and of lg's own index's K rows when its C rows were left out (they
 * sum those up), by contract id.  None at all when a contract's cycles are
 * not so (a start after the first that is not a month's first day), or
 * a contract id holds a line break:
 * its C rows are then read by every run, as before K rows. */
static void put_cycle_sums(const struct ledger *lg, size_t nreg,
			   size_t nlines, int frozen, struct arena *a,
			   struct buf *b)
{
	/* (lg's index's K rows only when its C rows were left out: they
	 * sum up frozen periods, which no later run changes) */
	size_t n = lg->cycles_partial ? lg->ncycle_sums : 0, room = n + 64;
	struct cycle_sum *v = xmalloc(sizeof *v * room);
	if (n)
		memcpy(v, lg->cycle_sums, sizeof *v * n);
	struct stream s = { lg, frozen, nreg, nlines, INT_MIN, 0, NULL, 0,
			    "", "", -1, NULL, NULL };
	struct billed_cycle c;
	while (next_cycle(&s, &c) != INT_MAX) {
		if (n == room)
			v = xrealloc(v, sizeof *v * (room *= 2));
		v[n++] = (struct cycle_sum){ c.contract_id, c.cycle_start,
					     c.cycle_start, 0 };
	}
	qsort(v, n, sizeof *v, by_contract_then_first);
	size_t k = 0;                       /* the sums, in place */
	/* (an id with a line break would be a K row the reader cannot
	 * find its way back over from the end: none then either) */
	int regular = 1;
	for (size_t i = 0; i < n && regular; i++)
		regular = !strpbrk(v[i].contract_id, "\r\n");
	for (size_t i = 0; i < n && regular;) {
		struct cycle_sum sum = v[i];    /* the earliest first */
		int m0 = month_of(sum.first);
		for (i++; i < n && strcmp(v[i].contract_id, sum.contract_id) == 0;
		     i++) {
			int y, mo, d;
			date_to_ymd(v[i].first, &y, &mo, &d);
			if (v[i].first != sum.first && d != 1)
				regular = 0;
			if (v[i].last > sum.last)
				sum.last = v[i].last;
			sum.gcd = gcd(gcd(sum.gcd, v[i].gcd),
				      month_of(v[i].first) - m0);
		}
		v[k++] = sum;
	}
	for (size_t i = 0; i < k && regular; i++) {
		char g[16];
		snprintf(g, sizeof g, "%d", v[i].gcd);
		const char *row[] = { "K", v[i].contract_id,
			day(a, v[i].first), day(a, v[i].last), g };
		put(b, row, 5);
	}
	free(v);
}

int index_text(const struct ledger *lg, size_t reg_end, size_t lines_end,
	       int frozen, const struct index_kept *kept,
	       const struct settled_period *settled, size_t n, int sums,
	       struct buf *b)
{
	struct arena a = { 0 };
	/* the files' ends: the next physical line and the seal there */
	long reg_line = lg->reg_lines, lines_line = lg->lines_lines;
	const char *seal = lg->from_chain;
	size_t nreg = 0, nlines = 0;      /* rows and lines read, covered */
	for (size_t i = 0; i < lg->nrows; i++) {
		const struct reg_row *g = &lg->rows[i];
		if (!g->raw)
			continue;
		if (g->off >= reg_end) {
			reg_line = g->line;
			break;
		}
		seal = g->chain;
		nreg = i + 1;
	}
	for (size_t i = 0; i < lg->nlines; i++) {
		if (lg->lines[i].off >= lines_end) {
			lines_line = lg->lines[i].fline;
			break;
		}
		nlines = i + 1;
	}
	/* the frozen periods' blocks: each period's final register rows,
	 * cycles and records billed; those before kept->frozen are the
	 * bytes kept from the index there (the same rows: a frozen period
	 * no longer changes), only the newer ones are written out */
	int emit_from = INT_MIN;
	if (kept)
		emit_from = kept->frozen;
	else
		ledger_header(b, &INDEX_TABLE);
	/* (the kept periods' rows are passed over without a search) */
	struct stream si = { lg, frozen, nreg, nlines, emit_from, 0, NULL, 0,
			     "", "", -1, NULL, NULL };
	struct stream sc = si, sr = si;
	struct billed_cycle c;
	struct billed_record r;
	next_invoice(&si);
	next_cycle(&sc, &c);
	next_record(&sr, &r);
	for (;;) {
		int p = si.period < sc.period ? si.period : sc.period;
		if (sr.period < p)
			p = sr.period;
		if (p == INT_MAX)
			break;
		int out = p >= emit_from;
		for (; si.period == p; next_invoice(&si)) {
			const struct reg_row *g = si.at;
			if (!out)
				continue;
			const char *v[] = { "I", month(&a, g->period),
				g->invoice_no, g->contract_id, g->client_id,
				g->currency, day(&a, g->issue_date),
				day(&a, g->due_date), yuan(&a, g->net),
				yuan(&a, g->tax), yuan(&a, g->gross),
				status_name(g->status), g->replaces };
			put(b, v, 13);
		}
		for (; sc.period == p; next_cycle(&sc, &c)) {
			if (!out)
				continue;
			const char *v[] = { "C", month(&a, c.period),
				c.contract_id, day(&a, c.cycle_start),
				c.invoice_no };
			put(b, v, 5);
		}
		for (; sr.period == p; next_record(&sr, &r)) {
			if (!out)
				continue;
			const char *v[] = { "R", month(&a, r.period),
				r.record_id, r.invoice_no };
			put(b, v, 4);
		}
	}
	const char *e[] = { "E", num(&a, (long long)reg_end),
		num(&a, reg_line), num(&a, (long long)lines_end),
		num(&a, lines_line), seal, month(&a, frozen) };
	put(b, e, 7);
	for (size_t i = 0; i < n && settled[i].period < frozen; i++) {
		const char *v[] = { "P", month(&a, settled[i].period),
			settled[i].digest, day(&a, settled[i].settled_on) };
		put(b, v, 4);
	}
	if (sums)
		put_cycle_sums(lg, nreg, nlines, frozen, &a, b);
	/* the marks: the index's own before lg->from, then each period's
	 * first row read */
	int last = INT_MIN;
	for (size_t i = 0; i < lg->nmarks; i++) {
		const struct ledger_mark *k = &lg->marks[i];
		const char *v[] = { "B", month(&a, k->period),
			num(&a, (long long)k->reg_off), num(&a, k->reg_line),
			num(&a, (long long)k->lines_off), num(&a, k->lines_line),
			k->chain };
		put(b, v, 7);
		last = k->period;
	}
	const char *prev = lg->from_chain;
	size_t k = 0;                     /* the first line of the period */
	struct stream sl = { .lg = lg };
	for (size_t i = 0; i < nreg; i++) {
		const struct reg_row *g = &lg->rows[i];
		if (!g->raw)
			continue;
		if (g->period < last) {
			arena_free(&a);
			return -1;
		}
		if (g->period > last) {
			while (k < nlines &&
			       (row_of(&sl, &lg->lines[k]) ?
				sl.row->period : INT_MAX) < g->period)
				k++;
			size_t loff = k < nlines ? lg->lines[k].off : lines_end;
			long lline = k < nlines ? lg->lines[k].fline : lines_line;
			const char *v[] = { "B", month(&a, g->period),
				num(&a, (long long)g->off), num(&a, g->line),
				num(&a, (long long)loff), num(&a, lline), prev };
			put(b, v, 7);
			last = g->period;
		}
		prev = g->chain;
	}
	char sum[9];
	crc_hex(libdeflate_crc32(kept ? kept->head : 0, b->data, b->len), sum);
	const char *s[] = { "S", sum };
	put(b, s, 2);
	arena_free(&a);
	return 0;
}

/* The P rows of the next index: the run's settled periods, and lg's
 * index's P rows of the periods whose invoices the read left out, by
 * period (the run's own where both have one). */
static struct settled_period *next_settled(const struct ledger *lg,
					   const struct settled_period *run,
					   size_t nrun, size_t *n)
{
	struct settled_period *v = xmalloc(sizeof *v * (nrun + lg->nsettled + 1));
	size_t i = 0, k = 0;
	*n = 0;
	while (i < nrun || k < lg->nsettled) {
		const struct settled_period *kept = NULL;
		while (k < lg->nsettled &&
		       !period_among(lg->skipped, lg->nskipped,
				   lg->settled[k].period))
			k++;
		if (k < lg->nsettled)
			kept = &lg->settled[k];
		if (i < nrun && (!kept || run[i].period <= kept->period)) {
			if (kept && kept->period == run[i].period)
				k++;
			v[(*n)++] = run[i++];
		} else if (kept) {
			v[(*n)++] = *kept;
			k++;
		}
	}
	return v;
}

int index_write(const char *root, const struct ledger *lg,
		 const struct settled_period *run, size_t nrun)
{
	char *path = xmalloc(strlen(root) + sizeof "/" INDEX_FILE);
	sprintf(path, "%s/%s", root, INDEX_FILE);
	int latest = ledger_latest_period(lg);
	size_t nsettled;
	struct settled_period *settled = next_settled(lg, run, nrun,
						      &nsettled);
	struct buf b;
	buf_init(&b);
	int partial = 0;
	/* the index the run went by: only the periods frozen since it was
	 * written are made, in place of its E, B and S rows (rewrite_tail
	 * writes only to that very file, unchanged since read) */
	if (lg->index_used) {
		struct index_kept kept = { lg->index_frozen, lg->index_head };
		if (index_text(lg, lg->reg_size, lg->lines_size, latest,
			       &kept, settled, nsettled, 1, &b) == 0 &&
		    rewrite_tail(path, &lg->index_id, lg->index_tail, b.data,
				 b.len) == 0)
			goto out;
		buf_reset(&b);
	}
	if (lg->nskipped || lg->records_partial || lg->cycles_partial) {
		partial = 1;      /* its rows are not all in lg */
		goto out;
	}
	/* a whole new index; a link, a pipe, ... there is left as it is */
	size_t old_len;
	int refused = file_length(path, &old_len) != 0 &&
		      fsio_refusal(errno);
	if (index_text(lg, lg->reg_size, lg->lines_size, latest, NULL,
		       settled, nsettled, 1, &b) != 0) {
		/* an index with no marks: every run reads the whole ledger */
		buf_reset(&b);
		struct ledger none = *lg;
		none.last_ids = (struct id_table){ 0 };  /* lg's, not none's */
		none.nlast = 0;
		none.nrows = none.nlines = none.nmarks = 0;
		none.ncycles = none.nrecords = 0;
		index_text(&none, 0, 0, INT_MIN, NULL, NULL, 0, 0, &b);
	}
	/* derived data: if it cannot be written (disk full, ...), the next
	 * run reads the whole ledger, and what it bills is the same.
	 * Written even when the same, so that it is at least as recent as
	 * the ledger files (index_stale) */
	if (!refused)
		(void)write_file_atomic(path, b.data, b.len);
out:
	free(settled);
	free(path);
	buf_free(&b);
	return partial;
}

/* ---- reading ----------------------------------------------------------- */

static int get_size(const char *s, size_t *out)
{
	int64_t v;
	if (parse_int(s, &v) || v < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int get_line(const char *s, long *out)
{
	int64_t v;
	if (parse_int(s, &v) || v < 1 || v > LONG_MAX)
		return -1;
	*out = (long)v;
	return 0;
}

static int get_hex(const char *s, char out[65])
{
	if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
		return -1;
	memcpy(out, s, 65);
	return 0;
}

/* An invoice of period p, left out, among the chart's: its gross added
 * to p's sums when its state (status) is issued; contract_id unguarded. */
static void chart_add(struct ledger_index *ix, const struct settle_want *want,
		      int p, const char *contract_id, const char *gross,
		      const char *status)
{
	int64_t g;
	int st = status_parse(status);
	if (st < 0 || parse_money(gross, 1, &g)) {
		ix->chart_bad = 1;
		return;
	}
	/* (a dozen periods at most, by period: the quoted rows come after
	 * the others, through take()) */
	size_t i = ix->nchart;
	while (i > 0 && ix->chart[i - 1].period > p)
		i--;
	if (i == 0 || ix->chart[i - 1].period != p) {
		memmove(&ix->chart[i + 1], &ix->chart[i],
			sizeof *ix->chart * (ix->nchart - i));
		memset(&ix->chart[i], 0, sizeof *ix->chart);
		ix->chart[i].period = p;
		ix->nchart++;
		i++;
	}
	if (st != INV_ISSUED)
		return;
	struct chart_sum *c = &ix->chart[i - 1];
	int k = want->chart_class(want->chart_ctx, contract_id);
	if (k >= 0 && k < LEDGER_CHART_CLASSES)
		c->gross[k] += g;
	c->gross[LEDGER_CHART_CLASSES] += g;
}

/* chart_add for the plain I row s[0..len) (index_text's form, no quote:
 * plain_row) */
static void chart_add_row(struct ledger_index *ix,
			  const struct settle_want *want, int p,
			  const char *s, size_t len)
{
	/* I,period,invoice_no,contract_id,client_id,currency,issue,due,
	 * net,tax,gross,status,replaces */
	const char *f[INDEX_NCOLS + 1];
	size_t flen[INDEX_NCOLS + 1];
	int nf = 0;
	const char *end = s + len - 2;          /* before its CRLF */
	for (const char *q = s; nf <= INDEX_NCOLS;) {
		const char *c = memchr(q, ',', (size_t)(end - q));
		f[nf] = q;
		flen[nf++] = (size_t)((c ? c : end) - q);
		if (!c)
			break;
		q = c + 1;
	}
	char id[256], gross[32], status[16];
	if (nf != INDEX_NCOLS || flen[3] >= sizeof id ||
	    flen[10] >= sizeof gross || flen[11] >= sizeof status) {
		ix->chart_bad = 1;
		return;
	}
	memcpy(id, f[3], flen[3]);
	id[flen[3]] = '\0';
	memcpy(gross, f[10], flen[10]);
	gross[flen[10]] = '\0';
	memcpy(status, f[11], flen[11]);
	status[flen[11]] = '\0';
	chart_add(ix, want, p, ledger_unguard(id), gross, status);
}

/* An I row of p, a period ix->skipped has, passed over: noted (blocks
 * come by period, so *at, where the last one was, only moves on). */
static void passed_over(struct ledger_index *ix, int p, size_t *at)
{
	while (ix->skipped[*at] < p)
		(*at)++;
	ix->skipped_seen[*at] = 1;
}

/* A day as the index writes it (YYYY-MM-DD), or -1. */
static int get_day(const char *s, day_t *out)
{
	char again[11];
	if (strlen(s) != 10 || parse_date(s, out))
		return -1;
	date_format(*out, again);
	return strcmp(again, s) ? -1 : 0;
}

/* A K row's gcd as the index writes it (digits only, at most 6), or -1. */
static int get_months(const char *s, int *out)
{
	size_t n = strlen(s);
	int64_t v;
	if (!n || n > 6 || strspn(s, "0123456789") != n || parse_int(s, &v))
		return -1;
	*out = (int)v;
	return 0;
}

/* 1 when the line s[0..len) holds an odd number of quotes: a quoted
 * field opened in it goes on past its end. */
static int flips_quoting(const char *s, size_t len)
{
	int odd = 0;
	for (const char *q = s; (q = memchr(q, '"', len - (size_t)(q - s)));
	     q++)
		odd = !odd;
	return odd;
}

/* One row of the index into ix; 0, or -1 when it is not one svcbill
 * writes there: the frozen blocks (I, C, R rows; periods in order, and
 * in a period I before C before R), then E, then the P rows (periods in
 * order, each before the frozen one, each the one prescan() found), then
 * the K rows (contract ids in byte order, each the one prescan() found
 * or, quoted, taken here), then the B marks. */
static int take(struct ledger_index *ix, const struct settle_want *want,
		char **f, int nf, int *stage, int *last, size_t *nsettled,
		size_t *nsums, size_t *nskipped_at)
{
	char k = f[0][0] && !f[0][1] ? f[0][0] : '?';
	static const char order[] = "ICREPKB";
	const char *at = strchr(order, k);
	if (!at || nf != INDEX_NCOLS)
		return -1;
	int rank = (int)(at - order);
	/* stage: 0..2 in the blocks (the kind last seen), 3 the E row and
	 * any P rows read, 4 a K row read, 5 a B row read */
	if (rank <= 3 ? *stage >= 3 : rank == 4 ? *stage != 3 :
	    rank == 5 ? *stage != 3 && *stage != 4 : *stage < 3)
		return -1;
	static const int width[] = { 13, 5, 4, 7, 4, 5, 7 };
	nf = width[rank];
	for (int i = nf; i < INDEX_NCOLS; i++)
		if (f[i][0])
			return -1;
	int p = month_parse(f[1]);
	if (rank < 3) {
		if (p < 0 || p < *last || (p == *last && rank < *stage))
			return -1;
		*last = p;
		*stage = rank;
	}
	switch (k) {
	case 'E': {
		if (get_size(f[1], &ix->reg_size) ||
		    get_line(f[2], &ix->reg_lines) ||
		    get_size(f[3], &ix->lines_size) ||
		    get_line(f[4], &ix->lines_lines) ||
		    get_hex(f[5], ix->seal))
			return -1;
		ix->frozen = strcmp(f[6], "0000-00") == 0 ? INT_MIN :
			     month_parse(f[6]);
		*stage = 3;
		/* every frozen row is of a period before the frozen one */
		int ok = ix->frozen != -1 &&
			 (*last == INT_MIN || *last < ix->frozen);
		*last = INT_MIN;          /* the P rows' periods from here */
		return ok ? 0 : -1;
	}
	case 'P': {
		/* as prescan() took it, so that what was left out is what the
		 * checked text says */
		struct settled_period sp = { .period = p };
		if (p < 0 || p <= *last || p >= ix->frozen ||
		    get_hex(f[2], sp.digest) || get_day(f[3], &sp.settled_on) ||
		    *nsettled >= ix->nsettled)
			return -1;
		const struct settled_period *was = &ix->settled[(*nsettled)++];
		*last = p;
		return was->period == p && was->settled_on == sp.settled_on &&
		       strcmp(was->digest, sp.digest) == 0 ? 0 : -1;
	}
	case 'K': {
		*stage = 4;
		struct cycle_sum cs = { .contract_id = ledger_unguard(f[1]) };
		if (!f[1][0] || get_day(f[2], &cs.first) ||
		    get_day(f[3], &cs.last) || cs.last < cs.first ||
		    get_months(f[4], &cs.gcd) || *nsums >= ix->ncycle_sums ||
		    (*nsums && strcmp(ix->cycle_sums[*nsums - 1].contract_id,
				      cs.contract_id) >= 0))
			return -1;
		struct cycle_sum *was = &ix->cycle_sums[(*nsums)++];
		if (!was->contract_id) {        /* quoted: taken as parsed */
			*was = cs;
			return 0;
		}
		return strcmp(was->contract_id, cs.contract_id) == 0 &&
		       was->first == cs.first && was->last == cs.last &&
		       was->gcd == cs.gcd ? 0 : -1;
	}
	case 'B': {
		*stage = 5;
		struct ledger_mark m = { .period = p };
		if (p < 0 || get_size(f[2], &m.reg_off) ||
		    get_line(f[3], &m.reg_line) ||
		    get_size(f[4], &m.lines_off) ||
		    get_line(f[5], &m.lines_line) || get_hex(f[6], m.chain) ||
		    (ix->nmarks && ix->marks[ix->nmarks - 1].period >= p) ||
		    m.reg_off > ix->reg_size || m.lines_off > ix->lines_size)
			return -1;
		if (ix->nmarks == ix->marks_room)
			return -1;
		ix->marks[ix->nmarks++] = m;
		return 0;
	}
	case 'I': {
		if (period_among(ix->skipped, ix->nskipped, p)) {
			passed_over(ix, p, nskipped_at);
			if (p >= ix->chart_from && ix->chart)
				chart_add(ix, want, p, ledger_unguard(f[3]),
					  f[10], f[11]);
			return 0;         /* settled, not wanted */
		}
		struct reg_row g = { 0 };
		g.period = p;
		/* (text values as index_text wrote them: the formula guard
		 * taken off, as the ledger's reader does) */
		g.invoice_no = ledger_unguard(f[2]);
		g.contract_id = ledger_unguard(f[3]);
		g.client_id = ledger_unguard(f[4]);
		g.currency = ledger_unguard(f[5]);
		g.replaces = ledger_unguard(f[12]);
		g.content_sha256 = g.pdf = g.pdf_sha256 = "";
		if (!f[2][0] || parse_date(f[6], &g.issue_date) ||
		    parse_date(f[7], &g.due_date) ||
		    parse_money(f[8], 1, &g.net) ||
		    parse_money(f[9], 1, &g.tax) ||
		    parse_money(f[10], 1, &g.gross) ||
		    (g.status = status_parse(f[11])) < 0)
			return -1;
		if (ix->nrows == ix->rows_room)
			return -1;
		ix->rows[ix->nrows++] = g;
		return 0;
	}
	case 'C': {
		struct billed_cycle c = { p, ledger_unguard(f[2]),
					  ledger_unguard(f[4]), 0 };
		if (parse_date(f[3], &c.cycle_start))
			return -1;
		if (ix->ncycles == ix->cycles_room)
			return -1;
		ix->cycles[ix->ncycles++] = c;
		return 0;
	}
	case 'R': {
		struct billed_record r = { p, ledger_unguard(f[2]),
					   ledger_unguard(f[3]) };
		if (ix->nrecords == ix->records_room)
			return -1;
		ix->records[ix->nrecords++] = r;
		return 0;
	}
	}
	return -1;
}

/* Where an index's last row (S) and its E row begin, found from its
 * end: its rows end CRLF, the last one is preceded by P, K and B rows
 * only, and those by the E row (a K row whose quoted id holds a line
 * break is not found so: that index is not used).  0 when the text does not end so. */
static int index_tail(const char *text, size_t len, size_t *s_start,
		      size_t *tail)
{
	if (len < 2 || text[len - 1] != '\n' || text[len - 2] != '\r')
		return 0;
	const char *lf = memrchr(text, '\n', len - 1);
	if (!lf)
		return 0;
	*s_start = (size_t)(lf + 1 - text);
	size_t end = (size_t)(lf - text);      /* the LF ending a row */
	for (;;) {
		const char *p = memrchr(text, '\n', end);
		if (!p)
			return 0;
		size_t row = (size_t)(p + 1 - text);
		if (text[row] == 'E' && text[row + 1] == ',') {
			*tail = row;
			return 1;
		}
		if ((text[row] != 'B' && text[row] != 'P' &&
		     text[row] != 'K') || text[row + 1] != ',')
			return 0;
		end = (size_t)(p - text);
	}
}

/* A K row as index_text writes it, "K,ID,YYYY-MM-DD,YYYY-MM-DD,GCD,",
 * into *s (the id copied into a): 1, or 0 when it is quoted (take()
 * parses it) or not so (take() refuses it), with s's id NULL. */
static int prescan_sum(const char *row, size_t len, struct arena *a,
		       struct cycle_sum *s)
{
	s->contract_id = NULL;
	const char *id = row + 2, *end = row + len;
	const char *c1 = memchr(id, ',', len - 2);
	if (memchr(row, '"', len) || !c1 || c1 == id || end - c1 < 25 ||
	    c1[11] != ',' || c1[22] != ',')
		return 0;
	char f[16];
	day_t first, last;
	memcpy(f, c1 + 1, 10);
	f[10] = '\0';
	if (get_day(f, &first))
		return 0;
	memcpy(f, c1 + 12, 10);
	if (get_day(f, &last))
		return 0;
	const char *g = c1 + 23, *c4 = memchr(g, ',', (size_t)(end - g));
	if (!c4 || c4 - g > 6)
		return 0;
	memcpy(f, g, (size_t)(c4 - g));
	f[c4 - g] = '\0';
	if (get_months(f, &s->gcd))
		return 0;
	s->first = first;
	s->last = last;
	s->contract_id = ledger_unguard(arena_strndup(a, id,
						      (size_t)(c1 - id)));
	return 1;
}

/* The P rows of the tail [tail, end) (one per row beginning "P,"; a
 * row not as index_text writes it is left for take() to refuse), into
 * ix->settled, and with want, the periods whose I rows may be passed
 * over into ix->skipped (struct settle_want): the B marks say which
 * periods the register has (the summary's chart takes the 12 latest up
 * to the run's); and its K rows into ix->cycle_sums, with
 * ix->cycles_partial when want->cycles_hold holds for every one.  A line
 * that begins inside a quoted field is not a row. */
static void prescan(const char *text, size_t tail, size_t end,
		    const struct settle_want *want, struct arena *a,
		    struct ledger_index *ix)
{
	size_t np = 0, nb = 0, nk = 0;
	for (size_t at = tail; at < end; at++)
		if ((at == tail || text[at - 1] == '\n') && text[at + 1] == ',')
			text[at] == 'P' ? np++ : text[at] == 'B' ? nb++ :
			text[at] == 'K' ? nk++ : 0;
	ix->cycle_sums = arena_alloc(a, sizeof *ix->cycle_sums * (nk + 1));
	int sums_read = 1;          /* every K row read here */
	ix->settled = arena_alloc_uninit(a, sizeof *ix->settled * (np + 1));
	ix->skipped = arena_alloc_uninit(a, sizeof *ix->skipped * (np + 1));
	ix->skipped_seen = arena_alloc(a, np + 1);
	int *marks = xmalloc(sizeof *marks * (nb + 1));
	size_t nm = 0;
	int quoted = 0;             /* a line inside a quoted K row's id */
	for (size_t at = tail; at < end;) {
		const char *row = text + at;
		const char *lf = memchr(row, '\n', end - at);
		size_t len = lf ? (size_t)(lf - row) + 1 : end - at;
		at += len;
		int a_row = !quoted;
		quoted ^= flips_quoting(row, len);
		if (!a_row)
			continue;
		char f[80];
		if (len > 2 && row[0] == 'K' && row[1] == ',') {
			if (!prescan_sum(row, len, a, &ix->cycle_sums[ix->ncycle_sums]))
				sums_read = 0;
			ix->ncycle_sums++;
			continue;
		}
		if (len > 10 && row[0] == 'B' && row[1] == ',' && row[9] == ',') {
			memcpy(f, row + 2, 7);
			f[7] = '\0';
			marks[nm++] = month_parse(f);
		}
		/* P,YYYY-MM,<64 hex>,YYYY-MM-DD, */
		if (len < 86 || row[0] != 'P' || row[1] != ',' ||
		    row[9] != ',' || row[74] != ',' || row[85] != ',')
			continue;
		struct settled_period sp;
		memcpy(f, row + 2, 7);
		f[7] = '\0';
		sp.period = month_parse(f);
		memcpy(sp.digest, row + 10, 64);
		sp.digest[64] = '\0';
		memcpy(f, row + 75, 10);
		f[10] = '\0';
		if (sp.period < 0 || get_day(f, &sp.settled_on))
			continue;
		ix->settled[ix->nsettled++] = sp;
	}
	/* the chart's periods: the latest with rows up to the run's (all of
	 * them when there are no more) */
	int guard = INT_MIN;
	if (want) {
		size_t seen = 0;
		for (size_t i = nm; i-- > 0;)
			if (marks[i] <= want->run_period &&
			    ++seen == (size_t)want->chart) {
				guard = marks[i];
				break;
			}
	}
	free(marks);
	/* the C rows are left out when every K row is still true of the
	 * data (an index with none, from before them, sums up nothing) */
	ix->cycles_partial = want && want->cycles_hold && sums_read &&
			     ix->ncycle_sums > 0;
	for (size_t i = 0; ix->cycles_partial && i < ix->ncycle_sums; i++)
		ix->cycles_partial = want->cycles_hold(want->cycles_ctx,
						       &ix->cycle_sums[i]);
	/* with chart_class, the chart's periods too, their invoices summed
	 * up as their I rows are passed over */
	ix->chart_from = guard;
	if (want && want->chart_class) {
		guard = INT_MAX;
		ix->chart = arena_alloc(a, sizeof *ix->chart * (np + 1));
	}
	for (size_t i = 0, k = 0; want && i < ix->nsettled; i++) {
		const struct settled_period *sp = &ix->settled[i];
		const char *now = settled_digest(want->digests, want->ndigests,
						 sp->period, &k);
		if (sp->period < guard && sp->settled_on < want->before &&
		    (want->any_digest || strcmp(now, sp->digest) == 0) &&
		    (!ix->nskipped || ix->skipped[ix->nskipped - 1] < sp->period))
			ix->skipped[ix->nskipped++] = sp->period;
	}
}

/* Whether the index line s[0..len) (its CRLF included) is a row of the
 * kind k written as index_text writes one: "k,YYYY-MM," up to its CRLF,
 * no quote. */
static int plain_row(const char *s, size_t len, char k)
{
	return len >= 12 && s[0] == k && s[1] == ',' && s[9] == ',' &&
	       s[len - 2] == '\r' && !memchr(s, '"', len);
}

/* Whether the index line s[0..len) (its CRLF included) is an I row of a
 * period ix->skipped has, written as index_text writes one that need not
 * be parsed to be passed over: "I,YYYY-MM," up to its CRLF, no quote (a
 * quoted field may hold a line break: such a row is left to the cursor
 * and take(), which pass over it too).  was caches the last period. */
static int passes_over(const struct ledger_index *ix, const char *s,
		       size_t len, char was[7], int *p)
{
	if (!plain_row(s, len, 'I'))
		return 0;
	if (memcmp(s + 2, was, 7) != 0) {
		char m[8];
		memcpy(m, s + 2, 7);
		m[7] = '\0';
		*p = month_parse(m);
		memcpy(was, s + 2, 7);
	}
	return *p >= 0 && period_among(ix->skipped, ix->nskipped, *p);
}

/* Whether the index line s[0..len) (its CRLF included) is an R row of a
 * record that no document of the run shows (want->record_ids has not
 * its id), written as index_text writes one: "R,YYYY-MM,ID,", up to its
 * CRLF, no quote (a quoted one is kept). */
static int record_not_shown(const struct settle_want *want, const char *s,
			    size_t len)
{
	if (!plain_row(s, len, 'R'))
		return 0;
	const char *id = s + 10, *comma = memchr(id, ',', len - 10);
	if (!comma || id[0] == '\'')
		return 0;               /* (a guarded id: take() reads it) */
	size_t n = (size_t)(comma - id);
	size_t lo = 0, hi = want->nrecord_ids;
	while (lo < hi) {               /* byte order, as the ids are sorted */
		size_t mid = lo + (hi - lo) / 2;
		const char *k = want->record_ids[mid];
		int c = strncmp(k, id, n);
		if (c == 0 && k[n])
			c = 1;
		if (c == 0)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

/* The bytes of the file kept for the parse: runs of whole lines. */
struct kept_run {
	size_t from, to;
};

#define INDEX_PIECE ((size_t)1 << 20)

/* The index's blocks [0, end) read a piece at a time: their CRC-32 into
 * *crc, the I rows passes_over() takes noted as passed over, the R rows
 * of records no sheet of the run shows left out (with want's record
 * ids), and the other lines' bytes listed in *runs (malloc'd), *kept
 * bytes in all.  A
 * line's quotes are counted so that a line inside a quoted field is
 * never taken for a row (the cursor would read it so too).  0, or -1
 * when the file cannot be read. */
static int scan_blocks(const struct file_pieces *f, size_t end,
		       const struct settle_want *want,
		       struct ledger_index *ix, uint32_t *crc,
		       struct kept_run **runs, size_t *nruns, size_t *kept)
{
	size_t cap = INDEX_PIECE, have = 0, off = 0, read_to = 0;
	size_t room = 64, at = 0;
	char *buf = xmalloc(cap), was[7] = "";
	int p = -1, quoted = 0, rc = 0;
	*runs = xmalloc(sizeof **runs * room);
	*nruns = 0;
	*kept = 0;
	while (off < end) {
		if (read_to < end && have < cap) {
			size_t n = cap - have < end - read_to ? cap - have :
				   end - read_to;
			if (file_pieces_read(f, read_to, buf + have, n) != 0) {
				rc = -1;
				break;
			}
			*crc = libdeflate_crc32(*crc, buf + have, n);
			have += n;
			read_to += n;
		}
		size_t i = 0;
		for (;;) {
			const char *lf = memchr(buf + i, '\n', have - i);
			size_t len = lf ? (size_t)(lf - buf) + 1 - i :
				     read_to == end ? have - i : 0;
			if (!len)
				break;
			const char *s = buf + i;
			if (!quoted && passes_over(ix, s, len, was, &p)) {
				passed_over(ix, p, &at);
				if (p >= ix->chart_from && ix->chart)
					chart_add_row(ix, want, p, s, len);
			} else if (!quoted && ix->records_partial &&
				   record_not_shown(want, s, len)) {
				;               /* not looked up by this run */
			} else if (!quoted && ix->cycles_partial &&
				   plain_row(s, len, 'C')) {
				;               /* summed up by the K rows */
			} else {
				size_t o = off + i;
				if (*nruns && (*runs)[*nruns - 1].to == o) {
					(*runs)[*nruns - 1].to = o + len;
				} else {
					if (*nruns == room)
						*runs = xrealloc(*runs, sizeof **runs *
								 (room *= 2));
					(*runs)[(*nruns)++] =
						(struct kept_run){ o, o + len };
				}
				*kept += len;
				quoted ^= flips_quoting(s, len);
			}
			i += len;
		}
		if (i == 0 && have == cap) {    /* a line longer than a piece */
			buf = xrealloc(buf, cap *= 2);
			continue;
		}
		memmove(buf, buf + i, have - i);
		off += i;
		have -= i;
	}
	free(buf);
	return rc;
}

/* The index's tail read from its end: a piece of growing size until the
 * E row is in it.  *text (malloc'd) is then the bytes [*base, size), and
 * *s_start and *tail are where the S and E rows begin in the file.  0
 * when the file does not end so (or cannot be read). */
static int read_tail(const struct file_pieces *f, char **text, size_t *base,
		     size_t *s_start, size_t *tail)
{
	size_t n = f->size < 4096 ? f->size : 4096;
	*text = NULL;
	for (;;) {
		*base = f->size - n;
		*text = xrealloc(*text, n + 1);
		if (file_pieces_read(f, *base, *text, n) != 0)
			return 0;
		(*text)[n] = '\0';
		if (n < 2 || (*text)[n - 1] != '\n' || (*text)[n - 2] != '\r')
			return 0;
		if (index_tail(*text, n, s_start, tail)) {
			*s_start += *base;
			*tail += *base;
			return 1;
		}
		if (n == f->size)
			return 0;
		n = n > f->size / 2 ? f->size : n * 2;
	}
}

/* What index_read parses: the lines scan_blocks() kept, then the tail,
 * in one malloc'd text (NUL after it); removed = the bytes passed over,
 * all before the tail.  0, or -1 (not found as an index ends, or not
 * readable). */
static int read_kept(const struct file_pieces *f, const struct settle_want *want,
		     struct arena *a, struct ledger_index *ix, char **text,
		     size_t *len, size_t *removed, size_t *s_start,
		     size_t *tail, char sum[9])
{
	char *end_text;
	size_t base;
	if (!read_tail(f, &end_text, &base, s_start, tail)) {
		free(end_text);
		return -1;
	}
	prescan(end_text, *tail - base, *s_start - base, want, a, ix);
	uint32_t crc = 0;
	struct kept_run *runs;
	size_t nruns, kept;
	ix->records_partial = want && want->record_ids;
	int rc = scan_blocks(f, *tail, want, ix, &crc, &runs, &nruns, &kept);
	if (rc == 0) {
		ix->head = crc;
		crc_hex(libdeflate_crc32(crc, end_text + (*tail - base),
					 *s_start - *tail), sum);
		size_t end_len = f->size - *tail;
		*len = kept + end_len;
		*removed = *tail - kept;
		*text = xmalloc(*len + 1);
		size_t at = 0;
		for (size_t i = 0; rc == 0 && i < nruns; i++) {
			rc = file_pieces_read(f, runs[i].from, *text + at,
					      runs[i].to - runs[i].from);
			at += runs[i].to - runs[i].from;
		}
		memcpy(*text + at, end_text + (*tail - base), end_len);
		(*text)[*len] = '\0';
		if (rc != 0) {
			free(*text);
			*text = NULL;
		}
	}
	free(runs);
	free(end_text);
	return rc;
}

int index_read(const char *root, struct arena *a, struct ledger_index *ix,
	       const struct settle_want *want, const char **why)
{
	memset(ix, 0, sizeof *ix);
	*why = NULL;
	const char *path = arena_printf(a, "%s/%s", root, INDEX_FILE);
	struct file_pieces f;
	/* read, not mapped: a cut index must only mean a whole read */
	if (file_pieces_open(path, (size_t)-1 / 2, &f) != 0) {
		*why = errno == ENOENT ? NULL : fsio_refusal(errno) ?
		       fsio_refusal(errno) : strerror(errno);
		return -1;
	}
	/* Its checksum first: it covers every byte before the last row (S);
	 * the CRC at the E row is kept for an update to go on from.  Both
	 * rows are found from the end (an index ends E, its P and B rows,
	 * S), and the parse below must find them there.  The tail is read
	 * first: its P rows say which periods' I rows a run may pass over,
	 * and those are then summed up but not kept (the bytes of an old
	 * index are mostly theirs).  The rows are parsed where they lie in
	 * the bytes kept (no copy of them, whose strings the run keeps). */
	char *text = NULL, sum[9] = "";
	size_t len = 0, removed = 0, s_start = 0, tail = 0;
	int found = read_kept(&f, want, a, ix, &text, &len, &removed,
			      &s_start, &tail, sum) == 0;
	ix->id = f.id;
	file_pieces_close(&f);
	if (!found) {
		text = xmalloc(1);
		text[0] = '\0';
		len = 0;
	}
	/* room for the rows of each kind, counted by the letter that begins
	 * each line (a row written otherwise overflows its count and the
	 * index is not taken); in the arena, not cleared.  The register rows
	 * have room to spare for those a bounded read appends. */
	size_t count[5] = { 0 };              /* I, C, R, B, other */
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text)));
	     p++) {
		char k = p + 1 < text + len ? p[1] : 0;
		count[k == 'I' ? 0 : k == 'C' ? 1 : k == 'R' ? 2 : k == 'B' ? 3 :
		      4]++;
	}
	ix->marks_room = count[3];
	ix->marks = arena_alloc_uninit(a, sizeof *ix->marks * (count[3] + 1));
	ix->rows_room = count[0] + count[0] / 4 + 4096;
	ix->rows = arena_alloc_uninit(a, sizeof *ix->rows * ix->rows_room);
	ix->cycles_room = count[1];
	ix->cycles = arena_alloc_uninit(a, sizeof *ix->cycles *
					(count[1] + 1));
	ix->records_room = count[2];
	ix->records = arena_alloc_uninit(a, sizeof *ix->records *
					 (count[2] + 1));
	/* a row at a time; the last one read is the checksum, so each row
	 * is taken once the next one has been read */
	struct ledger_cursor c;
	struct ledger_rec r[2];
	char *fv[2][INDEX_NCOLS + 1];
	const char *perr;
	long pline;
	int stage = 0, last = INT_MIN, got = 0, earlier = 0;
	size_t nsettled = 0, nsums = 0, nskipped_at = 0;
	int bad = !found ||
		  ledger_cursor_open(&c, &INDEX_TABLE, text, len, 1, 1, NULL,
				     &perr);
	long n = 0;
	while (!bad && (got = ledger_cursor_next(&c, &r[n & 1], fv[n & 1],
						 &perr, &pline)) == 1) {
		const struct ledger_rec *prev = &r[(n + 1) & 1];
		if (n > 0 && prev->f[0][0] == 'E' && stage != 3)
			ix->tail = prev->start + removed;  /* the blocks' end */
		bad = n > 0 && (!prev->terminated ||
				take(ix, want, prev->f, prev->nfields, &stage,
				     &last, &nsettled, &nsums, &nskipped_at));
		n++;
	}
	if (!bad && got == 0 && n >= 1) {
		const struct ledger_rec *s = &r[(n - 1) & 1];
		int shape = s->terminated && s->end == len &&
			    s->start + removed == s_start && ix->tail == tail &&
			    strcmp(s->f[0], "S") == 0;
		bad = !shape || strcmp(s->f[1], sum);
		earlier = bad && shape && stage >= 3 &&
			  earlier_checksum(path, s_start, s->f[1]);
	} else {
		bad = 1;
	}
	bad = bad || stage < 3 || nsettled != ix->nsettled ||
	      nsums != ix->ncycle_sums || ix->chart_bad;
	/* a P row passes over a period's invoices, so it must have some (a
	 * P row of a period the register never had would take payments
	 * naming it for payments of its invoices) */
	for (size_t i = 0; !bad && i < ix->nskipped; i++)
		bad = !ix->skipped_seen[i];
	if (!bad)
		arena_keep(a, text);        /* the rows' strings are in it */
	else
		free(text);
	if (bad) {
		*why = earlier ? INDEX_EARLIER :
		       "not the index svcbill writes (cut or edited)";
		memset(ix, 0, sizeof *ix);
		return -1;
	}
	return 0;
}

size_t index_mark_for(const struct ledger_index *ix, int from)
{
	int q = from < ix->frozen ? from : ix->frozen;
	for (size_t m = 0; m < ix->nmarks; m++)
		if (ix->marks[m].period >= q)
			return m;
	return (size_t)-1;
}

void index_before(struct ledger_index *ix, size_t m, struct ledger *lg)
{
	int p = ix->marks[m].period;
	lg->marks = ix->marks;
	lg->nmarks = m;
	/* ix's rows, those before the mark kept in place */
	lg->rows = ix->rows;
	lg->rows_room = ix->rows_room;
	lg->nrows = 0;
	for (size_t i = 0; i < ix->nrows; i++)
		if (ix->rows[i].period < p)
			lg->rows[lg->nrows++] = ix->rows[i];
	ix->nrows = lg->nrows;
	lg->cycles = ix->cycles;
	lg->ncycles = 0;
	while (lg->ncycles < ix->ncycles && ix->cycles[lg->ncycles].period < p)
		lg->ncycles++;
	lg->records = ix->records;
	lg->nrecords = 0;
	while (lg->nrecords < ix->nrecords &&
	       ix->records[lg->nrecords].period < p)
		lg->nrecords++;
	lg->skipped = ix->skipped;
	lg->nskipped = 0;
	while (lg->nskipped < ix->nskipped && ix->skipped[lg->nskipped] < p)
		lg->nskipped++;
	lg->chart = ix->chart;
	lg->nchart = 0;
	while (lg->nchart < ix->nchart && ix->chart[lg->nchart].period < p)
		lg->nchart++;
	lg->settled = ix->settled;
	lg->nsettled = ix->nsettled;
	lg->records_partial = ix->records_partial;
	lg->cycle_sums = ix->cycle_sums;
	lg->ncycle_sums = ix->ncycle_sums;
	lg->cycles_partial = ix->cycles_partial;
}

/* a before b (modification times) */
static int earlier(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec ||
	       (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

int index_stale(const struct ledger_index *ix, const struct file_id *reg,
		const struct file_id *lines)
{
	return (size_t)reg->size != ix->reg_size ||
	       (size_t)lines->size != ix->lines_size ||
	       earlier(ix->id.mtime, reg->mtime) ||
	       earlier(ix->id.mtime, lines->mtime);
}

int index_disagrees(const struct ledger_index *ix, size_t m,
		    const struct ledger *lg)
{
	if (lg->reg_size < ix->reg_size || lg->lines_size < ix->lines_size)
		return 1;
	/* the first row read opens the mark's period */
	size_t first = 0;
	while (first < lg->nrows && !lg->rows[first].raw)
		first++;
	if (first == lg->nrows || lg->rows[first].period != ix->marks[m].period ||
	    lg->rows[first].off != ix->marks[m].reg_off)
		return 1;
	/* the chain where the index ended is the index's seal */
	const char *at = lg->from_chain;
	for (size_t i = first; i < lg->nrows; i++) {
		if (lg->rows[i].off >= ix->reg_size)
			return lg->rows[i].off != ix->reg_size ||
			       strcmp(at, ix->seal) != 0;
		at = lg->rows[i].chain;
	}
	return strcmp(at, ix->seal) != 0 || lg->reg_size < ix->reg_size;
}

/* ---- verify ------------------------------------------------------------ */

int index_settled_rows(const char *root, struct arena *a,
		       const struct settled_period **rows, size_t *n)
{
	struct ledger_index ix;
	const char *why;
	if (index_read(root, a, &ix, NULL, &why) != 0)
		return -1;
	*rows = ix.settled;
	*n = ix.nsettled;
	return 0;
}

int index_settled_hint(const char *root, const struct settle_want *want,
		       struct arena *a, const int **periods, size_t *n)
{
	*periods = NULL;
	*n = 0;
	struct file_pieces f;
	char *path = arena_printf(a, "%s/%s", root, INDEX_FILE);
	if (file_pieces_open(path, (size_t)-1 / 2, &f) != 0)
		return -1;
	struct settle_want w = *want;
	w.any_digest = 1;
	w.cycles_hold = NULL;
	char *text;
	size_t base, s_start, tail;
	int rc = -1;
	if (read_tail(&f, &text, &base, &s_start, &tail)) {
		/* (its K rows read too: in an arena of their own) */
		struct arena tmp = { 0 };
		struct ledger_index ix;
		memset(&ix, 0, sizeof ix);
		prescan(text, tail - base, s_start - base, &w, &tmp, &ix);
		int *v = arena_alloc(a, sizeof *v * (ix.nskipped + 1));
		memcpy(v, ix.skipped, sizeof *v * ix.nskipped);
		*periods = v;
		*n = ix.nskipped;
		arena_free(&tmp);
		rc = 0;
	}
	free(text);
	file_pieces_close(&f);
	return rc;
}

/* Why the ledger lg (read whole) says period p cannot be settled, or
 * NULL: it has no invoice of p, or a number of p's names another. */
static const char *settled_not(const struct ledger *lg, int p)
{
	size_t n = 0;
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (g->period != p)
			continue;
		if (invoice_number_period(g->invoice_no) != p)
			return "an invoice of the period has a number of "
			       "another";
		n++;
	}
	return n ? NULL : "the register has no invoice of the period";
}

const char *index_refused(const char *root)
{
	char *path = xmalloc(strlen(root) + sizeof "/" INDEX_FILE);
	sprintf(path, "%s/%s", root, INDEX_FILE);
	size_t len;
	const char *why = file_length(path, &len) != 0 ?
			  fsio_refusal(errno) : NULL;
	free(path);
	return why;
}

int index_verify(const char *root, const struct ledger *lg, struct arena *a)
{
	const char *path = arena_printf(a, "%s/%s", root, INDEX_FILE);
	struct ledger_index ix;
	const char *why;
	if (index_read(root, a, &ix, NULL, &why) != 0) {
		if (!why || why == INDEX_EARLIER) {
			fprintf(stderr, "%s: %s; the next run writes it%s\n",
				path, why ? why : "missing", why ? " anew" : "");
			return 0;
		}
		const char *refused = index_refused(root);
		if (refused)
			fprintf(stderr, "%s: remove it; the next run writes the "
				"index anew\n", refused);
		else
			fprintf(stderr, "%s: %s; the next run writes it "
				"anew\n", path, why);
		return 1;
	}
	char *text;
	size_t len;
	if (read_file(path, &text, &len) != 0)
		return 0;               /* reported by index_read */
	struct buf b;
	buf_init(&b);
	/* its P rows are taken as they are (their truth is payments.csv's),
	 * and what the ledger says of their periods checked; its K rows
	 * made again from the ledger, unless it has none (an index from
	 * before them, or of cycles K rows cannot sum up: the next run
	 * reads its C rows) */
	int bad = ix.reg_size > lg->reg_size || ix.lines_size > lg->lines_size ||
		  index_text(lg, ix.reg_size, ix.lines_size, ix.frozen, NULL,
			     ix.settled, ix.nsettled, ix.ncycle_sums > 0, &b) ||
		  b.len != len || memcmp(b.data, text, len) != 0;
	if (bad)
		fprintf(stderr, "%s: does not match the ledger it was made from (edited "
		       "or made by another program); the next run writes it "
		       "anew\n", path);
	for (size_t i = 0; !bad && i < ix.nsettled; i++) {
		const char *why_not = settled_not(lg, ix.settled[i].period);
		if (why_not) {
			char p[8];
			month_format(ix.settled[i].period, p);
			fprintf(stderr, "%s: P row of %s: %s; the next run "
				"writes it anew\n", path, p, why_not);
			bad = 1;
		}
	}
	buf_free(&b);
	free(text);
	return bad;
}
