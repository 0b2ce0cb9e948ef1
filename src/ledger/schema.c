/* schema.c - see schema.h */
#include "ledger/schema.h"
#include "base/fsio.h"
#include "base/vec.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the two tables ---------------------------------------------------- */

/* Filled by id, so a row moved in this list changes nothing; the file
 * order is the enum's.  content: the place in content_sha256, lines.csv
 * columns first (every field but invoice_no and the descriptions), then
 * the register's totals and dates (rules.md §4). */
static const struct ledger_col reg_cols[REG_NCOLS] = {
	[RC_INVOICE_NO]     = { RC_INVOICE_NO, "invoice_no", 0 },
	[RC_PERIOD]         = { RC_PERIOD, "period", 0 },
	[RC_CONTRACT_ID]    = { RC_CONTRACT_ID, "contract_id", 0 },
	[RC_CLIENT_ID]      = { RC_CLIENT_ID, "client_id", 0 },
	[RC_ISSUE_DATE]     = { RC_ISSUE_DATE, "issue_date", 15 },
	[RC_DUE_DATE]       = { RC_DUE_DATE, "due_date", 16 },
	[RC_CURRENCY]       = { RC_CURRENCY, "currency", 0 },
	[RC_NET]            = { RC_NET, "net", 12 },
	[RC_TAX]            = { RC_TAX, "tax", 13 },
	[RC_GROSS]          = { RC_GROSS, "gross", 14 },
	[RC_STATUS]         = { RC_STATUS, "status", 0 },
	[RC_REPLACES]       = { RC_REPLACES, "replaces", 0 },
	[RC_CONTENT_SHA256] = { RC_CONTENT_SHA256, "content_sha256", 0 },
	[RC_PDF]            = { RC_PDF, "pdf", 0 },
	[RC_PDF_SHA256]     = { RC_PDF_SHA256, "pdf_sha256", 0 },
	[RC_CHAIN]          = { RC_CHAIN, "chain", 0 },
};
static const struct ledger_col lines_cols[LINES_NCOLS] = {
	[LC_INVOICE_NO]  = { LC_INVOICE_NO, "invoice_no", 0 },
	[LC_LINE_NO]     = { LC_LINE_NO, "line_no", 1 },
	[LC_KIND]        = { LC_KIND, "kind", 2 },
	[LC_CONTRACT_ID] = { LC_CONTRACT_ID, "contract_id", 3 },
	[LC_DEVICE_ID]   = { LC_DEVICE_ID, "device_id", 4 },
	[LC_RECORD_ID]   = { LC_RECORD_ID, "record_id", 5 },
	[LC_CYCLE_START] = { LC_CYCLE_START, "cycle_start", 6 },
	[LC_CYCLE_END]   = { LC_CYCLE_END, "cycle_end", 7 },
	[LC_DESC_ZH]     = { LC_DESC_ZH, "description_zh", 0 },
	[LC_DESC_EN]     = { LC_DESC_EN, "description_en", 0 },
	[LC_QTY]         = { LC_QTY, "qty", 8 },
	[LC_UNIT_PRICE]  = { LC_UNIT_PRICE, "unit_price", 9 },
	[LC_AMOUNT]      = { LC_AMOUNT, "amount", 10 },
	[LC_TAX_PCT]     = { LC_TAX_PCT, "tax_pct", 11 },
};
/* The chain is over the other fields, so it must be the last column. */
_Static_assert(RC_CHAIN == REG_NCOLS - 1, "the chain is the last column");
_Static_assert((int)LINES_NCOLS <= (int)LEDGER_MAX_COLS, "room for a lines.csv row");

static const struct ledger_col index_cols[INDEX_NCOLS] = {
	{ 0, "kind", 0 }, { 1, "v1", 0 }, { 2, "v2", 0 }, { 3, "v3", 0 },
	{ 4, "v4", 0 }, { 5, "v5", 0 }, { 6, "v6", 0 }, { 7, "v7", 0 },
	{ 8, "v8", 0 }, { 9, "v9", 0 }, { 10, "v10", 0 }, { 11, "v11", 0 },
	{ 12, "v12", 0 },
};
const struct ledger_table INDEX_TABLE = { "ledger-index.csv", index_cols,
					   INDEX_NCOLS, 0 };

const struct ledger_table REGISTER_TABLE = { "register.csv", reg_cols,
					      REG_NCOLS, 1 };
const struct ledger_table LINES_TABLE = { "lines.csv", lines_cols,
					   LINES_NCOLS, 0 };

static int table_ok(const struct ledger_table *t)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].id != i || !t->cols[i].name) {
			fprintf(stderr, "svcbill: internal error: %s column "
				"table row %d holds id %d\n", t->file, i,
				t->cols[i].id);
			return -1;
		}
	return 0;
}

int ledger_schema_check(void)
{
	return table_ok(&REGISTER_TABLE) | table_ok(&LINES_TABLE) |
	       table_ok(&INDEX_TABLE);
}

/* ---- the ledger's words ------------------------------------------------ */

/* One table per word list, indexed by value; looked up both ways. */
static const char *const status_names[INV_NSTATUS] = {
	[INV_ISSUED] = "issued", [INV_CANCELLED] = "cancelled",
	[INV_CREDIT] = "credit",
};
static int name_parse(const char *const *names, int n, const char *s)
{
	for (int k = 0; k < n; k++)
		if (strcmp(s, names[k]) == 0)
			return k;
	return -1;
}

const char *status_name(int s)
{
	return s >= 0 && s < INV_NSTATUS ? status_names[s] : "";
}

int status_parse(const char *s)
{
	return name_parse(status_names, INV_NSTATUS, s);
}

const char *line_kind_name(int kind)
{
	const char *w = word_en(&line_kind_words, kind);
	return w ? w : "";
}

int line_kind_parse(const char *s)
{
	return word_parse_exact(&line_kind_words, s);
}

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

/* The formula guard ' is added to a value a spreadsheet would take for
 * a formula, and also to one that starts with ' before such a value, so
 * that reading the guard back off is exact (''=x is the value '=x). */
static int needs_guard(const char *v)
{
	for (;; v++) {
		if (formula_start(v[0]) && !is_number(v))
			return 1;
		if (v[0] != '\'')
			return 0;
	}
}

/* The value as written: the guard added when needed (tmp zeroed, or a
 * buf; buf_free it after). */
static const char *guarded(struct buf *tmp, const char *v)
{
	if (!v)
		v = "";
	if (!needs_guard(v))
		return v;
	if (!tmp->data)
		buf_init(tmp);
	buf_reset(tmp);
	buf_addc(tmp, '\'');
	buf_adds(tmp, v);
	return tmp->data;
}

const char *ledger_unguard(const char *s)
{
	return s[0] == '\'' && needs_guard(s + 1) ? s + 1 : s;
}

/* One field, already guarded, with RFC 4180 quoting. */
static void put_quoted(struct buf *b, const char *field, int first)
{
	if (!first)
		buf_addc(b, ',');
	size_t plain = strcspn(field, ",\"\r\n");
	if (!field[plain]) {
		buf_add(b, field, plain);       /* the common case: as is */
		return;
	}
	buf_addc(b, '"');
	for (const char *p = field; *p; p++) {
		const char *q = strchr(p, '"');
		size_t run = q ? (size_t)(q - p) : strlen(p);
		buf_add(b, p, run);
		p += run;
		if (!*p)
			break;
		buf_add(b, "\"\"", 2);         /* a quote doubled */
	}
	buf_addc(b, '"');
}

void csv_put(struct buf *b, const char *field, int first)
{
	struct buf tmp = { 0 };
	put_quoted(b, guarded(&tmp, field), first);
	buf_free(&tmp);
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

void ledger_header(struct buf *b, const struct ledger_table *t)
{
	static int checked;
	if (!checked++ && ledger_schema_check() != 0)
		abort();
	buf_adds(b, "\xEF\xBB\xBF");
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, t->cols[i].name);
	}
	csv_end_row(b);
}

void ledger_put_row(struct buf *b, const struct ledger_table *t,
		    const char *const *values, char chain[65])
{
	int n = t->chained ? t->ncols - 1 : t->ncols;
	struct buf tmp[LEDGER_MAX_COLS];
	const char *as_written[LEDGER_MAX_COLS];
	for (int i = 0; i < n; i++) {
		tmp[i].data = NULL;         /* guarded() makes it when needed */
		as_written[i] = guarded(&tmp[i], values[i]);
		put_quoted(b, as_written[i], i == 0);
	}
	if (t->chained) {
		char next[65];
		ledger_chain(chain, as_written, next);
		memcpy(chain, next, 65);
		put_quoted(b, chain, 0);
	}
	for (int i = 0; i < n; i++)
		buf_free(&tmp[i]);
	csv_end_row(b);
}

/* ---- hashing ----------------------------------------------------------- */

void ledger_chain(const char prev[65], const char *const *fields,
		  char out[65])
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, 64, (const uint8_t *)prev);
	sha256_update(&ctx, 1, (const uint8_t *)"\n");
	for (int i = 0; i < REG_NCOLS; i++) {
		if (i == RC_CHAIN)
			continue;
		sha256_update(&ctx, strlen(fields[i]),
			      (const uint8_t *)fields[i]);
		sha256_update(&ctx, 1, (const uint8_t *)"\n");
	}
	sha256_end_hex(&ctx, out);
}

/* The ids of t's columns that enter content_sha256, in their order. */
static int content_cols(const struct ledger_table *t, int *ids)
{
	int n = 0;
	for (int place = 1;; place++) {
		int found = 0;
		for (int i = 0; i < t->ncols; i++)
			if (t->cols[i].content == place) {
				ids[n++] = i;
				found = 1;
			}
		if (!found && place > REG_NCOLS + LINES_NCOLS)
			return n;
	}
}

/* Each line: its content fields separated by US, ended by LF; then
 * "totals" and the register's content fields each after a US, LF. */
void content_hash_begin(struct content_hash *h)
{
	sha256_init(&h->ctx);
}

void content_hash_line(struct content_hash *h, const char *const *line)
{
	/* (the same every time: found once) */
	static int lc[LINES_NCOLS], nlc = -1;
	if (nlc < 0)
		nlc = content_cols(&LINES_TABLE, lc);
	for (int k = 0; k < nlc; k++) {
		const char *v = line[lc[k]];
		sha256_update(&h->ctx, strlen(v), (const uint8_t *)v);
		sha256_update(&h->ctx, 1, (const uint8_t *)
			      (k + 1 < nlc ? "\x1f" : "\n"));
	}
}

void content_hash_end(struct content_hash *h, const char *const *reg,
		      char out[65])
{
	int rc[REG_NCOLS];
	int nrc = content_cols(&REGISTER_TABLE, rc);
	sha256_update(&h->ctx, 6, (const uint8_t *)"totals");
	for (int k = 0; k < nrc; k++) {
		const char *v = reg[rc[k]];
		sha256_update(&h->ctx, 1, (const uint8_t *)"\x1f");
		sha256_update(&h->ctx, strlen(v), (const uint8_t *)v);
	}
	sha256_update(&h->ctx, 1, (const uint8_t *)"\n");
	sha256_end_hex(&h->ctx, out);
}

void ledger_content_hash(const char *const *const *lines, size_t n,
			 const char *const *reg, char out[65])
{
	struct content_hash h;
	content_hash_begin(&h);
	for (size_t i = 0; i < n; i++)
		content_hash_line(&h, lines[i]);
	content_hash_end(&h, reg, out);
}

/* ---- reading: the exact format --------------------------------------- */

/* The file's text as svcbill writes it: BOM, the header, CRLF, then rows
 * of exactly ncols fields with RFC 4180 quoting, each ending in CRLF.
 * Parsed here rather than by the input reader, which trims and forgives:
 * the chain is over the bytes as written. */
static char empty_field[1];

int ledger_cursor_open(struct ledger_cursor *c, const struct ledger_table *t,
		       const char *text, size_t len, int header,
		       long first_line, struct arena *a, const char **why)
{
	struct buf head;
	buf_init(&head);
	if (header)
		ledger_header(&head, t);
	memset(c, 0, sizeof *c);
	*why = NULL;
	if (len < head.len || memcmp(text, head.data, head.len) != 0) {
		/* a prefix of the header: a file that was being created */
		int prefix = len < head.len && memcmp(text, head.data, len) == 0;
		buf_free(&head);
		if (prefix && len == 0)
			return 0;
		*why = prefix ? "incomplete header line" :
		       "not the header line svcbill writes";
		return -1;
	}
	c->t = t;
	c->text = text;
	c->len = len;
	c->pos = head.len;
	c->line = header ? first_line + 1 : first_line;
	buf_free(&head);
	/* every field's bytes, unquoted and each ended by NUL, in one block:
	 * a field takes no more than its text and the comma or CRLF after it
	 * (one more for a field begun after a comma at the end) */
	if (!a) {
		/* in place: text is the caller's, writable, with a byte to
		 * spare after len; each row's fields are made where they lie
		 * (unquoting only ever shortens a field) */
		c->in_place = 1;
		c->out = (char *)text + c->pos;
	} else if (c->pos < len) {
		c->out = arena_alloc_uninit(a, len - c->pos + 2);
	}
	return 0;
}

/* The bytes an unquoted field stops at: its end (a comma, a CR) or an
 * error (a quote, a line feed). */
static const unsigned char ends_field[256] = {
	[','] = 1, ['\r'] = 1, ['"'] = 1, ['\n'] = 1,
};

/* A row with no quote and no CR but the one of its CRLF (most rows: the
 * ledger quotes only fields that need it, and its index nothing) is read
 * at once: found by its LF, copied whole, its commas made the ends of its
 * fields, what the byte loop below gives for it, in the same room.  1
 * when it was such a row; 0 leaves everything else (a quoted field, a
 * stray CR or LF, a cut) to the byte loop, which says what is wrong. */
static int quote_free_row(struct ledger_cursor *c, struct ledger_rec *r,
			  char **f)
{
	const char *row = c->text + c->pos;
	const char *lf = memchr(row, '\n', c->len - c->pos);
	if (!lf || lf == row || lf[-1] != '\r')
		return 0;
	size_t body = (size_t)(lf - 1 - row);
	if (memchr(row, '"', body) || memchr(row, '\r', body))
		return 0;
	char *p = c->out, *end = c->out + body;
	if (p != row)
		memcpy(p, row, body);
	*end = '\0';
	int ncols = c->t->ncols, nf = 0;
	for (;;) {
		char *comma = memchr(p, ',', (size_t)(end - p));
		if (nf < ncols)
			f[nf] = p;
		nf++;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	for (int i = nf; i < ncols; i++)
		f[i] = empty_field;
	f[ncols] = NULL;
	r->nfields = nf;
	r->terminated = 1;
	r->end = (size_t)(lf + 1 - c->text);
	c->pos = r->end;
	r->end_line = ++c->line;
	c->out = end + 1;
	return 1;
}

int ledger_cursor_next(struct ledger_cursor *c, struct ledger_rec *r,
		       char **f, const char **why, long *why_line)
{
	*why = NULL;
	*why_line = c->line;
	if (c->pos >= c->len)
		return 0;
	if (c->in_place)
		c->out = (char *)c->text + c->pos;
	const char *text = c->text;
	size_t len = c->len, pos = c->pos;
	long line = c->line;
	char *out = c->out;
	int ncols = c->t->ncols;
	memset(r, 0, sizeof *r);
	r->line = line;
	r->start = pos;
	r->f = f;
	if (quote_free_row(c, r, f))
		return 1;
	int nf = 0, done = 0;
	while (!done) {
		char *field = out;
		int open = 0;
		if (pos < len && text[pos] == '"') {
			pos++;
			open = 1;
			while (pos < len) {
				const char *q = memchr(text + pos, '"', len - pos);
				size_t run = (q ? (size_t)(q - text) : len) - pos;
				for (size_t i = 0; i < run; i++)
					line += text[pos + i] == '\n';
				memmove(out, text + pos, run);
				out += run;
				pos += run;
				if (pos == len)
					break;
				if (pos + 1 < len && text[pos + 1] == '"') {
					*out++ = '"';
					pos += 2;
					continue;
				}
				pos++;
				open = 0;
				break;
			}
		} else {
			size_t s = pos;
			/* most bytes end nothing: one table look-up each
			 * (reading the ledger is mostly this loop) */
			while (pos < len &&
			       !ends_field[(unsigned char)text[pos]])
				pos++;
			if (pos < len && (text[pos] == '"' || text[pos] == '\n')) {
				*why = text[pos] == '"' ?
				       "a quote inside an unquoted field" :
				       "a line break outside quotes";
				*why_line = line;
				return -1;
			}
			memmove(out, text + s, pos - s);
			out += pos - s;
		}
		/* what ends the field, read before its NUL is written: in
		 * place, an unquoted field's NUL goes on that very byte */
		char at = pos < len ? text[pos] : '\0';
		*out++ = '\0';
		if (nf < ncols)
			f[nf] = field;
		nf++;
		if (open || pos == len) {
			r->last_field_open = open;
			done = 1;
		} else if (at == ',') {
			pos++;
			if (pos == len) {
				/* a cut right after a comma: the next field
				 * has begun, empty so far */
				if (nf < ncols)
					f[nf] = empty_field;
				nf++;
				r->last_field_open = 1;
				done = 1;
			}
		} else if (at == '\r') {
			if (pos + 1 < len && text[pos + 1] == '\n') {
				pos += 2;
				line++;
				r->terminated = 1;
			} else if (pos + 1 == len) {
				pos++;
				r->cr_only = 1;
			} else {
				*why = "a CR without LF";
				*why_line = line;
				return -1;
			}
			done = 1;
		} else {
			*why = "text after a closing quote";
			*why_line = line;
			return -1;
		}
	}
	for (int i = nf; i < ncols; i++)
		f[i] = empty_field;
	f[ncols] = NULL;
	r->end = pos;
	r->end_line = line;
	r->nfields = nf;
	c->pos = pos;
	c->line = line;
	c->out = out;
	if (!r->terminated && pos < len) {
		*why = "row not ended by CRLF";
		*why_line = r->line;
		return -1;
	}
	return 1;
}

long ledger_parse_from(const struct ledger_table *t, const char *text,
		       size_t len, int header, long first_line,
		       struct arena *a, struct arena *fa,
		       struct ledger_rec **recs, const char **why,
		       long *why_line)
{
	struct ledger_cursor c;
	*recs = NULL;
	*why_line = first_line;
	if (ledger_cursor_open(&c, t, text, len, header, first_line, a,
			       why) != 0)
		return -1;
	/* as many rows as line ends, and one: the array is not grown (and
	 * copied) as it fills, and only what is filled is touched */
	size_t cap = 1, n = 0;
	if (c.pos < len)
		for (const char *p = text + c.pos;
		     (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
			cap++;
	struct ledger_rec *v = xmalloc(sizeof *v * cap);
	char **f = NULL;
	size_t nf = 0;                    /* field pointers left in f */
	const size_t need = (size_t)t->ncols + 1;
	for (;;) {
		if (nf < need) {
			/* the rows' field pointers, a block at a time */
			nf = need * 256;
			f = arena_alloc_uninit(fa, sizeof *f * nf);
		}
		VEC_GROW(v, n + 1, cap);
		long line;
		int got = ledger_cursor_next(&c, &v[n], f, why, &line);
		if (got < 0) {
			*why_line = line;
			free(v);
			return -1;
		}
		if (got == 0)
			break;
		f += need;
		nf -= need;
		n++;
	}
	*recs = v;
	return (long)n;
}

long ledger_parse(const struct ledger_table *t, const char *text,
		  size_t len, struct arena *a, struct ledger_rec **recs,
		  const char **why, long *why_line)
{
	return ledger_parse_from(t, text, len, 1, 1, a, a, recs, why,
				 why_line);
}
