/* Public CSV test suites, through the production reader.
 *
 * The data (tests/data: csv-spectrum, the RFC 4180 examples, CPython's
 * test_csv.py reader cases, each with its licence) is read as the suites
 * give it; each case's expected rows are the suite's, passed through
 * SPEC §2.1: every field trimmed of spaces, tabs and U+3000, rows with
 * only empty fields dropped, the first row left is the header, a row of
 * another width is a data error, no header at all is an empty file (a
 * data error).  Each case is read by csv_read_file (the function svcbill
 * reads its input with) and, decoded as it decodes, parsed at every chunk
 * size: all must give the expected rows and error count.
 *
 * A case that needs a dialect SPEC does not have (escape characters,
 * other quote characters, strict mode, ...) is a SKIP, printed and
 * counted, never a pass.  Where SPEC decides otherwise than the suite's
 * reader, the case runs against SPEC's outcome, listed in `spec_says`
 * with the rule. */
#include "harness.h"
#include "base/buf.h"
#include "read/csvread.h"
#include "base/textenc.h"

/* test-only JSON reader, one translation unit (no Makefile rule needed) */
#include "json_mini.c"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define US "\x1f"   /* between fields */
#define RS "\x1e"   /* after each row */

/* Cases whose outcome SPEC fixes differently from the suite's reader. */
static const struct {
	const char *name;
	const char *rows;           /* header and rows, US/RS separated */
	int errors;
	const char *why;
} spec_says[] = {
	{ "TestDialectExcel.test_quotes_and_more", "", 2,
	  "text after a closing quote is a data error (and then no header)" },
	{ "TestDialectExcel.test_quote_and_quote", "", 2,
	  "text after a closing quote is a data error (and then no header)" },
	{ "TestDialectExcel.test_space_and_quote", "a" RS, 0,
	  "SPEC is silent on blanks before an opening quote: they are "
	  "trimmed and the field is quoted, as blanks after a closing quote "
	  "are" },
	{ "test_read_eof/open quote after comma", "", 2,
	  "a quoted field not closed at the end of the file is a data error" },
	{ "test_read_eof/open quote", "", 2,
	  "a quoted field not closed at the end of the file is a data error" },
	{ "test_read_nul/alone", "", 1, "a NUL byte is not text: data error" },
	{ "test_read_nul/leading", "", 1, "a NUL byte is not text: data error" },
	{ "test_read_nul/trailing", "", 1, "a NUL byte is not text: data error" },
	{ "test_read_nul/quoted", "", 1, "a NUL byte is not text: data error" },
};

static int spec_case(const char *name)
{
	for (size_t i = 0; i < sizeof spec_says / sizeof spec_says[0]; i++)
		if (strcmp(spec_says[i].name, name) == 0)
			return (int)i;
	return -1;
}

static struct {
	int run, pass, skip, spec;
} count;

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b);
	char tmp[65536];
	size_t k;
	while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, k);
	fclose(f);
	*n = b.len;
	return buf_detach(&b);
}

static void add_trimmed(struct buf *b, const char *s, size_t n)
{
	/* SPEC's trimming, written out here independently of csv_trim */
	for (;;) {
		if (n && (*s == ' ' || *s == '\t')) { s++; n--; }
		else if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) { s += 3; n -= 3; }
		else break;
	}
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
		else if (n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3)) n -= 3;
		else break;
	}
	buf_add(b, s, n);
}

/* The suite's rows through SPEC's rules; *errors: data errors SPEC makes
 * of them (ragged rows, an empty file). */
static char *expected_rows(const struct jval *rows, int *errors)
{
	struct buf b;
	buf_init(&b);
	*errors = 0;
	size_t width = 0;
	int have_header = 0;
	for (size_t r = 0; r < rows->n; r++) {
		const struct jval *row = &rows->items[r];
		struct buf one;
		buf_init(&one);
		int empty = 1;
		for (size_t f = 0; f < row->n; f++) {
			if (f)
				buf_adds(&one, US);
			size_t before = one.len;
			add_trimmed(&one, row->items[f].str ? row->items[f].str :
				    "", row->items[f].len);
			if (one.len > before)
				empty = 0;
		}
		if (!empty) {
			if (!have_header) {
				have_header = 1;
				width = row->n;
			}
			if (row->n == width) {
				buf_add(&b, one.data ? one.data : "", one.len);
				buf_adds(&b, RS);
			} else {
				++*errors;
			}
		}
		buf_free(&one);
	}
	if (!have_header)
		++*errors;
	if (!b.data)
		buf_adds(&b, "");
	return buf_detach(&b);
}

static char *rows_of(const struct csv_table *t)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "");
	for (size_t r = 0; t->has_header && r <= t->nrows; r++) {
		const struct csv_row *row = r == 0 ? &t->header : &t->rows[r - 1];
		for (int f = 0; f < row->nfields; f++) {
			if (f)
				buf_adds(&b, US);
			buf_adds(&b, row->fields[f]);
		}
		buf_adds(&b, RS);
	}
	return buf_detach(&b);
}

static FILE *sink(void)
{
	return fopen("/dev/null", "w");
}

/* Reads input as svcbill reads a file, then at every chunk size. */
static int run_case(const char *name, const char *input, size_t len,
		    const char *want, int want_errors)
{
	int ok = 1;
	char path[] = "/tmp/svcbill-suite.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, input, len) != (ssize_t)len) {
		FAIL("%s: cannot write a temporary file", name);
		return 0;
	}
	close(fd);
	struct arena a = { 0 };
	struct diag d;
	FILE *out = sink();
	diag_init(&d, out);
	struct csv_table t;
	csv_read_file(path, name, 0, &a, &d, &t);
	diag_flush(&d);
	unlink(path);
	char *got = rows_of(&t);
	if (strcmp(got, want) != 0 || d.errors != want_errors) {
		FAIL("%s (csv_read_file): %d errors (want %d), rows '%s' "
		     "(want '%s')", name, d.errors, want_errors, got, want);
		ok = 0;
	}
	free(got);
	diag_free(&d);
	fclose(out);
	arena_free(&a);

	struct decoded dec;
	if (text_decode((const unsigned char *)input, len, &dec) != 0)
		return ok;              /* the decoder's error, checked above */
	/* the empty-file error is csv_read_file's; the parser's are these */
	int parse_errors = want_errors - (want[0] == '\0');
	for (size_t chunk = 1; chunk <= dec.len && ok; chunk++) {
		if (dec.len > 2048 && chunk > 64 && (chunk & (chunk - 1)) &&
		    chunk != dec.len)
			continue;       /* long inputs: 1-64, powers of 2, all */
		struct arena a2 = { 0 };
		struct diag d2;
		FILE *o2 = sink();
		diag_init(&d2, o2);
		struct csv_table t2;
		csv_parse_text_chunked(dec.text, dec.len, chunk, name, &a2,
				       &d2, &t2);
		diag_flush(&d2);
		char *g2 = rows_of(&t2);
		if (strcmp(g2, want) != 0 || d2.errors != parse_errors) {
			FAIL("%s, chunk %zu: %d errors (want %d), rows '%s'",
			     name, chunk, d2.errors, parse_errors, g2);
			ok = 0;
		}
		free(g2);
		diag_free(&d2);
		fclose(o2);
		arena_free(&a2);
	}
	if (!dec.borrowed)
		free(dec.text);
	return ok;
}

static void one(const char *suite, const char *name, const char *input,
		size_t len, const struct jval *expect, const char *dialect)
{
	char full[512];
	snprintf(full, sizeof full, "%s %s", suite, name);
	if (dialect) {
		printf("SKIP csv suite case %s: needs %s, a dialect SPEC does "
		       "not have\n", full, dialect);
		count.skip++;
		return;
	}
	int k = spec_case(name), errors;
	char *want;
	if (k >= 0) {
		want = strdup(spec_says[k].rows);
		errors = spec_says[k].errors;
		count.spec++;
	} else if (expect && expect->type == J_ARR) {
		want = expected_rows(expect, &errors);
	} else {
		FAIL("%s: no expected rows and no SPEC outcome", full);
		return;
	}
	count.run++;
	count.pass += run_case(full, input, len, want, errors);
	free(want);
}

static struct jval *load_json(const char *path)
{
	size_t n;
	char *text = slurp(path, &n);
	if (!text) {
		FAIL("cannot read %s", path);
		return NULL;
	}
	struct jval *v = json_parse(text, n);
	free(text);
	if (!v)
		FAIL("%s: not JSON", path);
	return v;
}

/* csv-spectrum: csvs/NAME.csv and json/NAME.json (objects keyed by the
 * header, in header order). */
static void spectrum(void)
{
	static const char *const names[] = {
		"comma_in_quotes", "empty", "empty_crlf", "escaped_quotes",
		"json", "location_coordinates", "newlines", "newlines_crlf",
		"quotes_and_newlines", "simple", "simple_crlf", "utf8",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char p[256];
		size_t n;
		snprintf(p, sizeof p, "tests/data/csv-spectrum/csvs/%s.csv",
			 names[i]);
		char *csv = slurp(p, &n);
		snprintf(p, sizeof p, "tests/data/csv-spectrum/json/%s.json",
			 names[i]);
		struct jval *js = load_json(p);
		if (js && js->type == J_OBJ) {
			/* location_coordinates.json is one object whose
			 * phone number (1234567890) is not its CSV's
			 * (2095257564): the suite has no expected rows */
			printf("SKIP csv suite case csv-spectrum %s: its JSON "
			       "does not describe its CSV\n", names[i]);
			count.skip++;
			free(csv);
			json_free(js);
			continue;
		}
		if (!csv || !js || js->type != J_ARR || js->n == 0) {
			FAIL("csv-spectrum %s: data missing", names[i]);
			free(csv);
			json_free(js);
			continue;
		}
		/* rows as arrays: the keys of the first object, then values */
		struct jval rows = { .type = J_ARR, .n = js->n + 1 };
		rows.items = calloc(rows.n, sizeof *rows.items);
		const struct jval *first = &js->items[0];
		rows.items[0].type = J_ARR;
		rows.items[0].n = first->n;
		rows.items[0].items = calloc(first->n, sizeof(struct jval));
		for (size_t f = 0; f < first->n; f++) {
			rows.items[0].items[f].str = first->keys[f];
			rows.items[0].items[f].len = strlen(first->keys[f]);
		}
		for (size_t r = 0; r < js->n; r++)
			rows.items[r + 1] = js->items[r];
		one("csv-spectrum", names[i], csv, n, &rows, NULL);
		free(rows.items[0].items);
		free(rows.items);
		free(csv);
		json_free(js);
	}
}

/* [{"name", "input", "expect", "dialect"?}, ...] */
static void case_list(const char *suite, const char *path)
{
	struct jval *js = load_json(path);
	if (!js)
		return;
	for (size_t i = 0; i < js->n; i++) {
		const struct jval *c = &js->items[i];
		const struct jval *name = json_get(c, "name");
		const struct jval *in = json_get(c, "input");
		const struct jval *ex = json_get(c, "expect");
		const struct jval *dia = json_get(c, "dialect");
		if (!name || !in) {
			FAIL("%s: case %zu malformed", path, i);
			continue;
		}
		one(suite, name->str, in->str, in->len, ex,
		    dia && dia->type == J_STR ? dia->str : NULL);
	}
	json_free(js);
}

TEST(csv_public_suites)
{
	memset(&count, 0, sizeof count);
	spectrum();
	case_list("RFC 4180", "tests/data/rfc4180/cases.json");
	case_list("CPython test_csv", "tests/data/cpython-csv/reader_cases.json");
	printf("csv suites: %d cases run, %d passed, %d skipped (%d of the "
	       "run held to SPEC's own outcome)\n", count.run, count.pass,
	       count.skip, count.spec);
	CHECK(count.run >= 50);
	CHECK_INT(count.pass, count.run);
}
