/* schema.c - see schema.h.
 *
 * One loop reads every input file: the header is matched against the
 * table's columns (English name in any case, or the Chinese alias), then
 * each value is parsed by its column's type into the row. */
#include "read/schema.h"
#include "base/buf.h"
#include "read/csvread.h"
#include "read/fields.h"
#include "read/model.h"
#include "read/words.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int schema_check(const struct table *t)
{
	if (t->ncols > SCHEMA_MAX_COLS)
		return SCHEMA_MAX_COLS;
	for (int i = 0; i < t->ncols; i++) {
		const struct colspec *c = &t->cols[i];
		if (c->id != i || !c->en ||
		    c->off + sizeof(int) > t->rowsize ||
		    c->off < sizeof(struct rowinfo) ||
		    (unsigned)c->type >= FT_COUNT)
			return i;
	}
	return -1;
}

/* U+FFFE and U+FFFF (UTF-8 EF BF BE, EF BF BF): not characters at all
 * (Unicode's noncharacters, left out of XML), so no workbook can hold
 * them: an Excel file with one is one Excel refuses to open.  Every other
 * character of a cell reaches the CSV files and workbooks exactly. */
#define NONCHARACTER "U+FFFE or U+FFFF, which are not characters (no " \
	"workbook can hold them); retype the cell"
static int has_noncharacter(const char *v)
{
	for (const char *p = strstr(v, "\xEF\xBF"); p;
	     p = strstr(p + 1, "\xEF\xBF"))
		if ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF)
			return 1;
	return 0;
}

/* A word of ws into *k; the message lists the words when s is none. */
static const char *parse_word(const struct words *ws, const char *what,
			      const char *s, int *k, struct arena *a)
{
	*k = word_parse(ws, s);
	if (*k >= 0)
		return NULL;
	return arena_printf(a, "%suse %s", what, word_list(ws, a));
}

const char *schema_parse_value(const struct colspec *c, const char *v,
			       void *row, struct arena *a)
{
	char *p = (char *)row + c->off;
	int64_t *num = (int64_t *)p;
	switch (c->type) {
	/* text is copied: v is the reader's, freed once the file is read */
	case FT_TEXT:
		if (has_noncharacter(v))
			return NONCHARACTER;
		*(const char **)p = arena_strdup(a, v);
		return NULL;
	case FT_LATER:
		*(const char **)p = arena_strdup(a, v);
		return NULL;
	case FT_ID:
		if (utf8_len(v) > ID_MAX_CHARS)
			return "an id has at most 64 characters";
		if (has_noncharacter(v))
			return NONCHARACTER;
		*(const char **)p = arena_strdup(a, v);
		return NULL;
	/* the limits of rules.md §2.3 are in the parse_input_* functions */
	case FT_DATE: return parse_input_date(v, num);
	case FT_DATETIME: return parse_input_datetime(v, num);
	case FT_MONEY: return parse_input_money(v, 0, num);
	case FT_MONEY_NEG: return parse_input_money(v, 1, num);
	case FT_PERCENT: return parse_input_percent(v, num);
	case FT_HOURS: return parse_input_centi(v, num);
	case FT_QTY: {
		const char *e = parse_input_centi(v, num);
		return e ? e : *num == 0 ? "a quantity must be more than 0" :
		       NULL;
	}
	case FT_INT: return parse_int(v, num);
	case FT_PAYDAYS: {
		const char *e = parse_int(v, num);
		return e ? e : *num > INPUT_DAYS_MAX ?
		       "at most 3,650 days (the limit)" : NULL;
	}
	case FT_CTYPE:
		return parse_word(&contract_type_words,
				  "not a contract type; ", v, (int *)p, a);
	case FT_RTYPE:
		return parse_word(&record_type_words, "not a record type; ", v,
				  (int *)p, a);
	case FT_CAUSE:
		return parse_word(&cause_words, "", v, (int *)p, a);
	case FT_CATEGORY:
		return parse_word(&category_words, "", v, (int *)p, a);
	case FT_DAYS: return parse_service_days(v, (int *)p);
	case FT_SPAN: {
		struct svc_hours *h = (struct svc_hours *)p;
		return parse_service_hours(v, &h->open, &h->close);
	}
	case FT_HKIND:
		return parse_word(&holiday_kind_words, "", v, (int *)p, a);
	case FT_COUNT:
		break;
	}
	return NULL;
}

static int col_matches(const struct colspec *c, const char *h)
{
	return strcasecmp(h, c->en) == 0 || (c->zh && strcmp(h, c->zh) == 0);
}

/* A file beside a missing input file that is probably it, as exports and
 * downloads name them: another letter case (Clients.CSV), a copy's
 * " (1)" suffix, or .txt for .csv.  The smallest such name in byte order
 * (readdir's order is arbitrary), or 0 when there is none. */
static int near_miss(const char *dir, const char *name, char *out,
		     size_t outlen)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	size_t stem = strlen(name) - 4;         /* without ".csv" */
	int found = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		const char *n = e->d_name, *ext = NULL;
		size_t len = strlen(n);
		if (len < stem + 4 || strncasecmp(n, name, stem) != 0)
			continue;
		const char *p = n + stem;
		if (p[0] == ' ' && p[1] == '(') {   /* " (12)" */
			const char *q = p + 2;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q == p + 2 || *q != ')')
				continue;
			p = q + 1;
		}
		ext = p;
		if ((strcasecmp(ext, ".csv") != 0 &&
		     strcasecmp(ext, ".txt") != 0) || strcmp(n, name) == 0)
			continue;
		if (!found || strcmp(n, out) < 0) {
			snprintf(out, outlen, "%s", n);
			found = 1;
		}
	}
	closedir(dp);
	return found;
}

static char *make_rows(const struct table *tb, const struct csv_table *t,
		       const char *file, struct arena *a,
		       struct arena *rows_a, struct diag *d,
		       struct loaded *L, size_t *nrows);

/* What reading DIR/tb->file begins with: L set up, and the file's path
 * (in a), or NULL when a near namesake is there instead (said). */
static const char *open_table(const char *dir, const struct table *tb,
			      struct arena *a, struct diag *d,
			      struct loaded *L, size_t *nrows)
{
	const struct colspec *spec = tb->cols;
	const char *name = tb->file;
	memset(L, 0, sizeof *L);
	snprintf(L->file, sizeof L->file, "%s/%s", dir, name);
	L->t = tb;
	for (int i = 0; i < tb->ncols; i++)
		L->colname[i] = spec[i].en;
	*nrows = 0;
	const char *file = arena_strdup(a, L->file);
	diag_note_file(d, file);
	/* a near namesake stops the run even for an optional file: billing
	 * without the charges someone saved as Charges.CSV is worse */
	char other[256];
	if (access(file, F_OK) != 0 && errno == ENOENT &&
	    near_miss(dir, name, other, sizeof other)) {
		diag_missing(d, file, arena_printf(a, "cannot open: no such "
			     "file, but there is '%s': rename it to %s", other,
			     name));
		L->tried = 1;
		return NULL;
	}
	return file;
}

void *schema_read(const char *dir, const struct table *tb, struct arena *a,
		  struct diag *d, struct loaded *L, size_t *nrows)
{
	const char *file = open_table(dir, tb, a, d, L, nrows);
	if (!file)
		return NULL;
	int errors_before = d->errors;
	/* The file's records (each field a string, each record an array of
	 * them) live only while its rows are made: the rows keep their text
	 * values' copies, and the rest (dates, amounts, the arrays) is freed
	 * for what the run reads next. */
	struct csv_table t;
	struct arena records = { 0 };
	int rc = csv_read_file(file, file, tb->optional, &records, d, &t);
	L->tried = rc != 1;
	L->errors = d->errors - errors_before;
	char *rows = NULL;
	if (rc == 0 && t.has_header)
		rows = make_rows(tb, &t, file, a, a, d, L, nrows);
	arena_free(&records);
	return rows;
}

/* The header of t matched against tb's columns: field_of[i], the field
 * of column i (-1: none), and the header's names in L for messages.  0
 * when a required column is missing (then L->present is 0: no rows; the
 * files that refer to this one are not checked against it, each of
 * their rows would be "no such ..."). */
static int map_header(const struct table *tb, const struct csv_table *t,
		      const char *file, struct arena *a, struct diag *d,
		      struct loaded *L, int *field_of)
{
	const struct colspec *spec = tb->cols;
	int ncols = tb->ncols;
	L->present = 1;
	for (int i = 0; i < ncols; i++)
		field_of[i] = -1;
	struct buf unknown;
	buf_init(&unknown);
	for (int f = 0; f < t->header.nfields; f++) {
		const char *h = t->header.fields[f];
		int found = -1;
		for (int i = 0; i < ncols && found < 0; i++)
			if (col_matches(&spec[i], h))
				found = i;
		if (found < 0) {
			buf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "",
				   h);
			continue;
		}
		if (field_of[found] >= 0) {
			diag_error(d, file, t->header.line, h, NULL,
				   "column given twice (also as '%s')",
				   t->header.fields[field_of[found]]);
			continue;
		}
		field_of[found] = f;
		L->colname[found] = arena_strdup(a, h);  /* for messages */
	}
	if (unknown.len)
		diag_warning(d, file, t->header.line, NULL, NULL,
			     "unknown columns ignored: %s", unknown.data);
	buf_free(&unknown);
	int ok = 1;
	for (int i = 0; i < ncols; i++) {
		if (spec[i].required && field_of[i] < 0) {
			diag_error(d, file, t->header.line, spec[i].en, NULL,
				   "required column missing (header '%s'%s%s)",
				   spec[i].en, spec[i].zh ? " or " : "",
				   spec[i].zh ? spec[i].zh : "");
			ok = 0;
		}
	}
	if (!ok)
		L->present = 0;
	return ok;
}

/* Whether column c's value is text, which a row points to (in the arena
 * its text values are copied into) */
static int holds_text(const struct colspec *c)
{
	return c->type == FT_TEXT || c->type == FT_ID || c->type == FT_LATER;
}

/* One row of tb (zeroed) from the fields of the record on line `line`,
 * its text values copied into rows_a. */
static void make_row(const struct table *tb, const struct loaded *L,
		     const int *field_of, char *const *fields, long line,
		     void *row, const char *file, struct arena *rows_a,
		     struct diag *d)
{
	const struct colspec *spec = tb->cols;
	int ncols = tb->ncols;
	struct rowinfo *ri = row;
	ri->line = line;
	for (int i = 0; i < ncols; i++)
		if (holds_text(&spec[i]))
			*(const char **)((char *)row + spec[i].off) = "";
	if (tb->init)
		tb->init(row);
	for (int i = 0; i < ncols; i++) {
		const char *v = field_of[i] >= 0 ? fields[field_of[i]] : "";
		if (!v[0]) {
			if (spec[i].required)
				diag_error(d, file, ri->line, L->colname[i],
					   NULL, "value missing");
			continue;
		}
		const char *e = schema_parse_value(&spec[i], v, row, rows_a);
		if (e)
			diag_error(d, file, ri->line, L->colname[i], v, "%s",
				   e);
		else
			ri->has |= (uint64_t)1 << spec[i].id;
	}
}

/* The rows of tb from the records of t (its header matched against the
 * columns first; NULL when a required one is missing), text values
 * copied into rows_a. */
static char *make_rows(const struct table *tb, const struct csv_table *t,
		       const char *file, struct arena *a,
		       struct arena *rows_a, struct diag *d,
		       struct loaded *L, size_t *nrows)
{
	int field_of[SCHEMA_MAX_COLS];
	if (!map_header(tb, t, file, a, d, L, field_of))
		return NULL;
	size_t rowsize = tb->rowsize;
	char *rows = arena_alloc(rows_a, rowsize * (t->nrows ? t->nrows : 1));
	for (size_t r = 0; r < t->nrows; r++)
		make_row(tb, L, field_of, t->rows[r].fields, t->rows[r].line,
			 rows + rowsize * r, file, rows_a, d);
	*nrows = t->nrows;
	return rows;
}

/* schema_read_each's state while the file is read: the rows' text values
 * made in scratch, freed every SCRATCH_ROWS rows */
#define SCRATCH_ROWS 4096
struct each_rows {
	const struct table *tb;
	const char *file;
	struct arena *a, *rows_a;
	struct diag *d;
	struct loaded *L;
	schema_keep_fn *keep;
	void *ctx;
	int mapped, ok;
	int field_of[SCHEMA_MAX_COLS];
	int value_errors;           /* reported by make_row */
	struct arena scratch;       /* the row being made's text values */
	size_t in_scratch;
	char *one;                  /* the row being made */
	char *rows;                 /* those kept (malloc'd) */
	size_t n, room;
};

static void each_row(void *ctx, const struct csv_table *t,
		     const struct csv_row *rec)
{
	struct each_rows *e = ctx;
	const struct table *tb = e->tb;
	if (!e->mapped) {
		e->mapped = 1;
		e->ok = map_header(tb, t, e->file, e->a, e->d, e->L,
				   e->field_of);
	}
	if (!e->ok)
		return;
	size_t size = tb->rowsize;
	memset(e->one, 0, size);
	int before = e->d->errors;
	make_row(tb, e->L, e->field_of, rec->fields, rec->line, e->one,
		 e->file, &e->scratch, e->d);
	e->value_errors += e->d->errors - before;
	if (!e->keep || e->keep(e->ctx, e->one)) {
		/* its text values copied out of the scratch arena */
		for (int i = 0; i < tb->ncols; i++) {
			const struct colspec *c = &tb->cols[i];
			char **v = (char **)(e->one + c->off);
			if (holds_text(c) && (*v)[0])
				*v = arena_strdup(e->rows_a, *v);
		}
		if (e->n == e->room) {
			e->room = e->room ? e->room * 2 : 256;
			e->rows = xrealloc(e->rows, size * e->room);
		}
		memcpy(e->rows + size * e->n++, e->one, size);
	}
	if (++e->in_scratch == SCRATCH_ROWS) {
		arena_free(&e->scratch);
		e->in_scratch = 0;
	}
}

void *schema_read_each(const char *dir, const struct table *tb,
		       struct arena *a, struct arena *rows_a,
		       schema_keep_fn *keep, void *ctx, struct diag *d,
		       struct loaded *L, size_t *nrows)
{
	const char *file = open_table(dir, tb, a, d, L, nrows);
	if (!file)
		return NULL;
	int errors_before = d->errors;
	struct each_rows e = { .tb = tb, .file = file, .a = a,
			       .rows_a = rows_a, .d = d, .L = L,
			       .keep = keep, .ctx = ctx };
	e.one = xmalloc(tb->rowsize);
	struct csv_table t;
	int rc = csv_read_file_each(file, file, tb->optional, a, d, &t,
				    each_row, &e);
	L->tried = rc != 1;
	L->errors = d->errors - errors_before - e.value_errors;
	/* a header and no row: its columns checked all the same */
	if (rc == 0 && t.has_header && !e.mapped)
		e.ok = map_header(tb, &t, file, a, d, L, e.field_of);
	arena_free(&e.scratch);
	free(e.one);
	if (rc != 0 || !t.has_header || !e.ok) {
		free(e.rows);
		return NULL;
	}
	if (!e.rows)
		e.rows = xmalloc(tb->rowsize);
	arena_keep(rows_a, e.rows);
	*nrows = e.n;
	return e.rows;
}

static int by_key_then_line(const void *x, const void *y, void *key_off)
{
	size_t off = *(const size_t *)key_off;
	const char *a = *(char *const *)((const char *)x + off);
	const char *b = *(char *const *)((const char *)y + off);
	int c = strcmp(a, b);
	if (c)
		return c;
	long la = ((const struct rowinfo *)x)->line;
	long lb = ((const struct rowinfo *)y)->line;
	return (la > lb) - (la < lb);
}

void schema_sort_unique(void *rows, size_t n, size_t size, size_t key_off,
			const struct loaded *L, int key_col, struct diag *d)
{
	if (!rows || n == 0)
		return;
	qsort_r(rows, n, size, by_key_then_line, &key_off);
	for (size_t i = 1; i < n; i++) {
		char *prev = (char *)rows + (i - 1) * size;
		char *cur = (char *)rows + i * size;
		const char *a = *(char **)(prev + key_off);
		const char *b = *(char **)(cur + key_off);
		if (a[0] && strcmp(a, b) == 0) {
			/* the first occurrence is the earliest of the run */
			long first = ((struct rowinfo *)prev)->line;
			for (size_t k = i - 1; k > 0; k--) {
				char *pk = (char *)rows + (k - 1) * size;
				if (strcmp(*(char **)(pk + key_off), a) != 0)
					break;
				first = ((struct rowinfo *)pk)->line;
			}
			diag_error(d, L->file, ((struct rowinfo *)cur)->line,
				   L->colname[key_col], b,
				   "duplicate id, first on line %ld", first);
		}
	}
}

