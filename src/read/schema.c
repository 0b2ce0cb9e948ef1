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

void *schema_read(const char *dir, const struct table *tb, struct arena *a,
		  struct diag *d, struct loaded *L, size_t *nrows)
{
	return schema_read_apart(dir, tb, a, a, d, L, nrows);
}

void *schema_read_apart(const char *dir, const struct table *tb,
			struct arena *a, struct arena *rows_a,
			struct diag *d, struct loaded *L, size_t *nrows)
{
	const struct colspec *spec = tb->cols;
	const char *name = tb->file;
	int ncols = tb->ncols, optional = tb->optional;
	memset(L, 0, sizeof *L);
	snprintf(L->file, sizeof L->file, "%s/%s", dir, name);
	L->t = tb;
	for (int i = 0; i < ncols; i++)
		L->colname[i] = spec[i].en;
	*nrows = 0;
	struct csv_table t;
	const char *file = arena_strdup(a, L->file);
	diag_note_file(d, file);
	int errors_before = d->errors;
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
	/* The file's records (each field a string, each record an array of
	 * them) live only while its rows are made: the rows keep their text
	 * values' copies, and the rest (dates, amounts, the arrays: two
	 * thirds of a payments.csv row, which grows by a row per invoice
	 * for the company's life) is freed for what the run reads next. */
	struct arena records = { 0 };
	int rc = csv_read_file(file, file, optional, &records, d, &t);
	L->tried = rc != 1;
	L->errors = d->errors - errors_before;
	char *rows = NULL;
	if (rc == 0 && t.has_header)
		rows = make_rows(tb, &t, file, a, rows_a, d, L, nrows);
	arena_free(&records);
	return rows;
}

/* The rows of tb from the records of t (its header matched against the
 * columns first; NULL when a required one is missing), text values
 * copied into a. */
static char *make_rows(const struct table *tb, const struct csv_table *t,
		       const char *file, struct arena *a,
		       struct arena *rows_a, struct diag *d,
		       struct loaded *L, size_t *nrows)
{
	const struct colspec *spec = tb->cols;
	int ncols = tb->ncols;
	size_t rowsize = tb->rowsize;
	L->present = 1;
	int field_of[SCHEMA_MAX_COLS];
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
	if (!ok) {
		/* no rows: the files that refer to this one are not checked
		 * against it (each of their rows would be "no such ...") */
		L->present = 0;
		return NULL;
	}
	char *rows = arena_alloc(rows_a, rowsize * (t->nrows ? t->nrows : 1));
	for (size_t r = 0; r < t->nrows; r++) {
		void *row = rows + rowsize * r;
		struct rowinfo *ri = row;
		ri->line = t->rows[r].line;
		for (int i = 0; i < ncols; i++)
			if (spec[i].type == FT_TEXT || spec[i].type == FT_ID ||
			    spec[i].type == FT_LATER)
				*(const char **)((char *)row + spec[i].off) =
					"";
		if (tb->init)
			tb->init(row);
		for (int i = 0; i < ncols; i++) {
			const char *v = field_of[i] >= 0 ?
					t->rows[r].fields[field_of[i]] : "";
			if (!v[0]) {
				if (spec[i].required)
					diag_error(d, file, ri->line,
						   L->colname[i], NULL,
						   "value missing");
				continue;
			}
			const char *e = schema_parse_value(&spec[i], v, row,
							   rows_a);
			if (e)
				diag_error(d, file, ri->line, L->colname[i], v,
					   "%s", e);
			else
				ri->has |= (uint64_t)1 << spec[i].id;
		}
	}
	*nrows = t->nrows;
	return rows;
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

