/* CSV conformance: RFC 4180 and the cases public CSV test suites cover,
 * each fed to libcsv at every chunk size from 1 byte to its length
 * (libcsv's own test technique); the rows must come out exactly alike. */
#include "harness.h"
#include "base/buf.h"
#include "read/csvread.h"

#include <stdlib.h>

static const struct {
	const char *name, *input, *rows;   /* rows: fields joined by '|' */
	int errors;
} cases[] = {
	{ "plain CRLF", "a,b\r\n1,2\r\n", "a|b\n1|2\n", 0 },
	{ "quoted delimiter", "a,b\n\"1,5\",2\n", "a|b\n1,5|2\n", 0 },
	{ "doubled quotes", "a\n\"say \"\"hi\"\"\"\n", "a\nsay \"hi\"\n", 0 },
	{ "only quotes", "a\n\"\"\"\"\n", "a\n\"\n", 0 },
	{ "embedded LF, CR, CRLF",
	  "a,b\n\"x\ny\",1\n\"p\rq\",2\n\"m\r\nn\",3\n",
	  "a|b\nx\ny|1\np\rq|2\nm\r\nn|3\n", 0 },
	{ "empty and empty quoted", "a,b,c\n,\"\",x\n", "a|b|c\n||x\n", 0 },
	{ "trailing delimiter", "a,b,\n1,2,\n", "a|b|\n1|2|\n", 0 },
	{ "no final newline", "a,b\n1,2", "a|b\n1|2\n", 0 },
	{ "blank and empty rows", "\n\na,b\n\n,,\n  ,\t\n1,2\n\n", "a|b\n1|2\n",
	  0 },
	{ "quote inside unquoted", "a\nab\"c\n", "a\nab\"c\n", 0 },
	{ "spaces trimmed", " a , b \n 1 ,\" 2 \"\n", "a|b\n1|2\n", 0 },
	{ "semicolons", "a;b\n1;\"2;3\"\n", "a|b\n1|2;3\n", 0 },
	{ "tabs", "a\tb\n1\t\"2\t3\"\n", "a|b\n1|2\t3\n", 0 },
	{ "lone CR lines", "a,b\r1,2\r3,4", "a|b\n1|2\n3|4\n", 0 },
	/* curly quotes are text, not CSV quotes, so the comma in ¥1,234
	 * makes three fields under a two-column header: the row is refused
	 * (one error) and only the header remains */
	{ "Chinese", "名称,金额\n“引号”,¥1,234\n", "名称|金额\n", 1 },
	{ "Chinese quoted", "名称,金额\n\"上海, 浦东\",\"¥1,234\"\n",
	  "名称|金额\n上海, 浦东|¥1,234\n", 0 },
	{ "text after closing quote", "a,b\n\"x\"y,1\n2,3\n", "a|b\n2|3\n", 1 },
	{ "unclosed quote", "a,b\n1,\"open\n", "a|b\n", 1 },
	{ "ragged row", "a,b\n1\n2,3\n", "a|b\n2|3\n", 1 },
	{ "space after closing quote", "a,b\n\"x\" ,1\n", "a|b\nx|1\n", 0 },
};

static char *rows_of(const struct csv_table *t)
{
	struct buf b;
	buf_init(&b);
	for (size_t r = 0; t->has_header && r <= t->nrows; r++) {
		const struct csv_row *row = r == 0 ? &t->header : &t->rows[r - 1];
		for (int f = 0; f < row->nfields; f++) {
			if (f)
				buf_addc(&b, '|');
			buf_adds(&b, row->fields[f]);
		}
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

TEST(csv_conformance_every_chunk_size)
{
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t len = strlen(cases[c].input);
		for (size_t chunk = 1; chunk <= len; chunk++) {
			struct arena a = { 0 };
			struct diag d;
			FILE *sink = fopen("/dev/null", "w");
			diag_init(&d, sink);
			struct csv_table t;
			csv_parse_text_chunked(cases[c].input, len, chunk, "t.csv",
					       &a, &d, &t);
			char *got = rows_of(&t);
			if (strcmp(got, cases[c].rows) != 0)
				FAIL("%s, chunk %zu: got '%s'", cases[c].name,
				     chunk, got);
			if (d.errors != cases[c].errors)
				FAIL("%s, chunk %zu: %d errors, want %d",
				     cases[c].name, chunk, d.errors,
				     cases[c].errors);
			free(got);
			diag_free(&d);
			fclose(sink);
			arena_free(&a);
			if (test_failed_checks > 20)
				return;
		}
	}
}

TEST(csv_limits)
{
	/* a 2 MiB field is refused on its row's line; the rest is read */
	size_t n = (2u << 20) + 64;
	char *big = malloc(n);
	strcpy(big, "a,b\n1,2\n3,");
	size_t k = strlen(big);
	memset(big + k, 'x', (2u << 20));
	strcpy(big + k + (2u << 20), "\n5,6\n");
	struct arena a = { 0 };
	struct diag d;
	char *msgs;
	size_t mlen;
	FILE *f = open_memstream(&msgs, &mlen);
	diag_init(&d, f);
	struct csv_table t;
	csv_parse_text(big, strlen(big), "t.csv", &a, &d, &t);
	diag_free(&d);
	fclose(f);
	CHECK_INT(t.nrows, 2);
	/* the cell named by its header */
	CHECK(strstr(msgs, "t.csv:3: column 'b': a field is longer than 1 MiB "
		     "(the limit)\n") != NULL);
	free(msgs);
	arena_free(&a);
	/* 100,000 columns */
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 100000; i++)
		buf_adds(&b, i ? ",c" : "c");
	buf_adds(&b, "\n");
	f = open_memstream(&msgs, &mlen);
	diag_init(&d, f);
	csv_parse_text(b.data, b.len, "w.csv", &a, &d, &t);
	diag_free(&d);
	fclose(f);
	CHECK(strstr(msgs, "w.csv:1: a row has more than 1000 fields") != NULL);
	CHECK_INT(t.has_header, 0);
	free(msgs);
	buf_free(&b);
	arena_free(&a);
	free(big);
}
