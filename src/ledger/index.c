/* index.c - see index.h */
#include "ledger/index.h"
#include "base/fsio.h"
#include "base/vec.h"
#include "read/fields.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INDEX_FILE "ledger-index.csv"

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

/* The period of a line's invoice. */
static int line_period(const struct ledger *lg, const struct ledger_line *ll)
{
	const struct reg_row *g = ledger_find(lg, ll->invoice_no);
	return g ? g->period : INT_MAX;
}

/* 1 when a line's invoice is, in the end, issued (not cancelled). */
static int issued(const struct ledger *lg, const struct ledger_line *ll)
{
	const struct reg_row *g = ledger_find(lg, ll->invoice_no);
	return g && g->status == INV_ISSUED;
}

int index_text(const struct ledger *lg, size_t reg_end, size_t lines_end,
	       int frozen, struct buf *b)
{
	struct arena a = { 0 };
	ledger_header(b, &INDEX_TABLE);
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
	const char *e[] = { "E", num(&a, (long long)reg_end),
		num(&a, reg_line), num(&a, (long long)lines_end),
		num(&a, lines_line), seal, month(&a, frozen) };
	put(b, e, 7);
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
			       line_period(lg, &lg->lines[k]) < g->period)
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
	/* each frozen number's final row */
	for (size_t i = 0; i < lg->nrows; i++) {
		const struct reg_row *g = &lg->rows[i];
		if ((g->raw && i >= nreg) || g->period >= frozen ||
		    ledger_find(lg, g->invoice_no) != g)
			continue;
		const char *v[] = { "I", month(&a, g->period), g->invoice_no,
			g->contract_id, g->client_id, g->currency,
			day(&a, g->issue_date), day(&a, g->due_date),
			yuan(&a, g->net), yuan(&a, g->tax), yuan(&a, g->gross),
			status_name(g->status), g->replaces };
		put(b, v, 13);
	}
	/* the frozen cycles and records billed, as check_billed_cycles and
	 * the record sheets take them from the lines */
	const char *lc = "", *li = "";
	day_t ls = -1;
	for (size_t i = 0; i < lg->ncycles; i++) {
		const struct billed_cycle *c = &lg->cycles[i];
		const char *v[] = { "C", month(&a, c->period), c->contract_id,
			day(&a, c->cycle_start), c->invoice_no };
		put(b, v, 5);
		lc = c->contract_id;
		ls = c->cycle_start;
	}
	for (size_t i = 0; i < nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		int p = line_period(lg, ll);
		if (ll->l.kind != LK_RECURRING || !issued(lg, ll) ||
		    p >= frozen)
			continue;
		if (strcmp(lc, ll->contract_id) == 0 &&
		    ls == ll->l.cycle_start)
			continue;
		lc = ll->contract_id;
		ls = ll->l.cycle_start;
		const char *v[] = { "C", month(&a, p), ll->contract_id,
			day(&a, ll->l.cycle_start), ll->invoice_no };
		put(b, v, 5);
	}
	lc = li = "";
	for (size_t i = 0; i < lg->nrecords; i++) {
		const struct billed_record *r = &lg->records[i];
		const char *v[] = { "R", month(&a, r->period), r->record_id,
			r->invoice_no };
		put(b, v, 4);
		lc = r->record_id;
		li = r->invoice_no;
	}
	for (size_t i = 0; i < nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		int p = line_period(lg, ll);
		if (!ll->l.record_id[0] || !issued(lg, ll) || p >= frozen)
			continue;
		if (strcmp(lc, ll->l.record_id) == 0 &&
		    strcmp(li, ll->invoice_no) == 0)
			continue;
		lc = ll->l.record_id;
		li = ll->invoice_no;
		const char *v[] = { "R", month(&a, p), ll->l.record_id,
			ll->invoice_no };
		put(b, v, 4);
	}
	char sha[65];
	sha256_hex(b->data, b->len, sha);
	const char *s[] = { "S", sha };
	put(b, s, 2);
	arena_free(&a);
	return 0;
}

void index_write(const char *root, const struct ledger *lg)
{
	char *path = xmalloc(strlen(root) + sizeof "/" INDEX_FILE);
	sprintf(path, "%s/%s", root, INDEX_FILE);
	char *old = NULL;
	size_t len = 0;
	int got = read_file(path, &old, &len) == 0;
	int refused = !got && fsio_refusal(errno);   /* a link, ...: left */
	struct buf b;
	buf_init(&b);
	if (got) {
		/* room for about what the index there holds: a text of
		 * megabytes grown by doubling was copied as often */
		size_t cap = len + len / 4 + 1;
		if (cap > b.cap) {
			b.data = xrealloc(b.data, cap);
			b.cap = cap;
		}
	}
	int latest = ledger_latest_period(lg);
	if (index_text(lg, lg->reg_size, lg->lines_size, latest, &b) != 0) {
		/* an index with no marks: every run reads the whole ledger */
		buf_reset(&b);
		struct ledger none = *lg;
		none.nrows = none.nlines = none.nmarks = 0;
		none.ncycles = none.nrecords = 0;
		index_text(&none, 0, 0, INT_MIN, &b);
	}
	/* derived data: if it cannot be written (disk full, ...), the next
	 * run reads the whole ledger, and what it bills is the same */
	int same = got && len == b.len && memcmp(old, b.data, len) == 0;
	if (got)
		free(old);
	if (!same && !refused)
		(void)write_file_atomic(path, b.data, b.len);
	free(path);
	buf_free(&b);
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

/* One row of the index into ix; 0, or -1 when it is not one svcbill
 * writes there. */
static int take(struct ledger_index *ix, char **f, int nf, int *stage)
{
	char k = f[0][0] && !f[0][1] ? f[0][0] : '?';
	static const char order[] = "EBICR";
	const char *at = strchr(order, k);
	if (!at || at - order < *stage || (k == 'E') != (*stage == 0))
		return -1;
	*stage = (int)(at - order) + (k == 'E');
	static const int width[] = { 7, 7, 13, 5, 4 };
	if (nf != INDEX_NCOLS)
		return -1;
	nf = width[at - order];
	for (int i = nf; i < INDEX_NCOLS; i++)
		if (f[i][0])
			return -1;
	int p = month_parse(f[1]);
	switch (k) {
	case 'E':
		if (nf != 7 || get_size(f[1], &ix->reg_size) ||
		    get_line(f[2], &ix->reg_lines) ||
		    get_size(f[3], &ix->lines_size) ||
		    get_line(f[4], &ix->lines_lines) ||
		    get_hex(f[5], ix->seal))
			return -1;
		ix->frozen = strcmp(f[6], "0000-00") == 0 ? INT_MIN :
			     month_parse(f[6]);
		return ix->frozen == -1 ? -1 : 0;
	case 'B': {
		struct ledger_mark m = { .period = p };
		if (nf != 7 || p < 0 || get_size(f[2], &m.reg_off) ||
		    get_line(f[3], &m.reg_line) ||
		    get_size(f[4], &m.lines_off) ||
		    get_line(f[5], &m.lines_line) || get_hex(f[6], m.chain) ||
		    (ix->nmarks && ix->marks[ix->nmarks - 1].period >= p) ||
		    m.reg_off > ix->reg_size || m.lines_off > ix->lines_size)
			return -1;
		ix->marks[ix->nmarks++] = m;
		return 0;
	}
	case 'I': {
		struct reg_row g = { 0 };
		g.period = p;
		g.invoice_no = f[2];
		g.contract_id = f[3];
		g.client_id = f[4];
		g.currency = f[5];
		g.replaces = f[12];
		g.content_sha256 = g.pdf = g.pdf_sha256 = "";
		if (nf != 13 || p < 0 || p >= ix->frozen || !f[2][0] ||
		    parse_date(f[6], &g.issue_date) ||
		    parse_date(f[7], &g.due_date) ||
		    parse_money(f[8], 1, &g.net) ||
		    parse_money(f[9], 1, &g.tax) ||
		    parse_money(f[10], 1, &g.gross) ||
		    (g.status = status_parse(f[11])) < 0)
			return -1;
		ix->rows[ix->nrows++] = g;
		return 0;
	}
	case 'C': {
		struct billed_cycle c = { p, f[2], f[4], 0 };
		if (nf != 5 || p < 0 || p >= ix->frozen ||
		    parse_date(f[3], &c.cycle_start))
			return -1;
		ix->cycles[ix->ncycles++] = c;
		return 0;
	}
	case 'R': {
		struct billed_record r = { p, f[2], f[3] };
		if (nf != 4 || p < 0 || p >= ix->frozen)
			return -1;
		ix->records[ix->nrecords++] = r;
		return 0;
	}
	}
	return -1;
}

int index_read(const char *root, struct arena *a, struct ledger_index *ix,
	       const char **why)
{
	memset(ix, 0, sizeof *ix);
	*why = NULL;
	const char *path = arena_printf(a, "%s/%s", root, INDEX_FILE);
	char *text;
	size_t len;
	if (read_file(path, &text, &len) != 0) {
		*why = errno == ENOENT ? NULL : fsio_refusal(errno) ?
		       fsio_refusal(errno) : strerror(errno);
		return -1;
	}
	/* each row is one of these: room for as many as the file has line
	 * ends, in the arena, not cleared (only what is filled is touched) */
	size_t most = 1;
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text)));
	     p++)
		most++;
	ix->marks = arena_alloc_uninit(a, sizeof *ix->marks * most);
	ix->rows = arena_alloc_uninit(a, sizeof *ix->rows * most);
	ix->cycles = arena_alloc_uninit(a, sizeof *ix->cycles * most);
	ix->records = arena_alloc_uninit(a, sizeof *ix->records * most);
	/* a row at a time; the last one read is the checksum, so each row
	 * is taken once the next one has been read */
	struct ledger_cursor c;
	struct ledger_rec r[2];
	char *f[2][INDEX_NCOLS + 1];
	const char *perr;
	long pline;
	int stage = 0, got = 0, bad = ledger_cursor_open(&c, &INDEX_TABLE, text,
							 len, 1, 1, a, &perr);
	long n = 0;
	while (!bad && (got = ledger_cursor_next(&c, &r[n & 1], f[n & 1],
						 &perr, &pline)) == 1) {
		const struct ledger_rec *prev = &r[(n + 1) & 1];
		bad = n > 0 && (!prev->terminated ||
				take(ix, prev->f, prev->nfields, &stage));
		n++;
	}
	if (!bad && got == 0 && n >= 1) {
		const struct ledger_rec *s = &r[(n - 1) & 1];
		char sha[65];
		sha256_hex(text, s->start, sha);
		bad = !s->terminated || s->end != len ||
		      strcmp(s->f[0], "S") || strcmp(s->f[1], sha);
	} else {
		bad = 1;
	}
	bad = bad || stage == 0;
	free(text);
	if (bad) {
		*why = "not the index svcbill writes (cut or edited)";
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

int index_verify(const char *root, const struct ledger *lg, struct arena *a)
{
	const char *path = arena_printf(a, "%s/%s", root, INDEX_FILE);
	struct ledger_index ix;
	const char *why;
	if (index_read(root, a, &ix, &why) != 0) {
		if (!why) {
			fprintf(stderr, "%s: missing; the next run writes it\n", path);
			return 0;
		}
		fprintf(stderr, "%s: %s; the next run writes it anew\n", path, why);
		return 1;
	}
	char *text;
	size_t len;
	if (read_file(path, &text, &len) != 0)
		return 0;               /* reported by index_read */
	struct buf b;
	buf_init(&b);
	int bad = ix.reg_size > lg->reg_size || ix.lines_size > lg->lines_size ||
		  index_text(lg, ix.reg_size, ix.lines_size, ix.frozen, &b) ||
		  b.len != len || memcmp(b.data, text, len) != 0;
	if (bad)
		fprintf(stderr, "%s: does not match the ledger it was made from (edited "
		       "or made by another program); the next run writes it "
		       "anew\n", path);
	buf_free(&b);
	free(text);
	return bad;
}
