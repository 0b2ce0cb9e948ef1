/* The CSV reader: quoting, lines, blank rows, trimming, delimiters, and
 * encodings. */
#include "harness.h"
#include "read/csvread.h"
#include "base/buf.h"
#include "base/textenc.h"

#include <stdlib.h>

struct parsed {
	struct arena a;
	struct diag d;
	struct csv_table t;
	FILE *msgs;
	char *text;
	size_t len;
};

static void parse(struct parsed *p, const char *text)
{
	memset(p, 0, sizeof *p);
	p->msgs = open_memstream(&p->text, &p->len);
	diag_init(&p->d, p->msgs);
	csv_parse_text(text, strlen(text), "t.csv", &p->a, &p->d, &p->t);
	diag_flush(&p->d);
}

static void done(struct parsed *p)
{
	diag_free(&p->d);
	fclose(p->msgs);
	free(p->text);
	arena_free(&p->a);
}

TEST(csv_quoting)
{
	struct parsed p;
	parse(&p, "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
		  "plain,a\"b,\"\"\r\n");
	CHECK_INT(p.t.nrows, 2);
	CHECK_INT(p.d.errors, 0);
	if (p.t.nrows == 2) {
		CHECK_STR(p.t.rows[0].fields[0], "x,1");
		CHECK_STR(p.t.rows[0].fields[1], "say \"hi\"");
		CHECK_STR(p.t.rows[0].fields[2], "two\nlines");
		CHECK_INT(p.t.rows[0].line, 2);
		CHECK_INT(p.t.rows[1].line, 4);      /* after the quoted LF */
		CHECK_STR(p.t.rows[1].fields[1], "a\"b");   /* Excel keeps it */
		CHECK_STR(p.t.rows[1].fields[2], "");
	}
	done(&p);
}

TEST(csv_text_after_closing_quote)
{
	struct parsed p;
	parse(&p, "a,b\n1,2\n\"abc\"def,3\n4,5\n");
	CHECK_INT(p.d.errors, 1);
	/* the cell named by its header, and shown as the file has it */
	CHECK(strstr(p.text, "t.csv:3: column 'a': text after a closing quote "
		     "(a quote inside a quoted field must be doubled) (value "
		     "'\"abc\"def')\n") != NULL);
	CHECK_INT(p.t.nrows, 2);                 /* the bad row left out */
	done(&p);
}

TEST(csv_syntax_error_columns)
{
	struct parsed p;
	/* one message per record: a field over the limit, then a quote
	 * error later in the same record, is reported once */
	struct buf in;
	buf_init(&in);
	buf_adds(&in, "a,b\n");
	for (int i = 0; i < (1 << 20) + 1; i++)
		buf_addc(&in, 'x');
	buf_adds(&in, ",\"z\"w\n");
	parse(&p, in.data);
	CHECK_INT(p.d.errors, 1);
	CHECK(strstr(p.text, "t.csv:2: column 'a': a field is longer than "
		     "1 MiB") != NULL);
	CHECK(strstr(p.text, "column 'b'") == NULL);
	done(&p);
	buf_reset(&in);
	/* each input's message and error count, worked out by hand */
	static const struct { const char *in, *want; int errors; } cases[] = {
		/* the second cell, a doubled quote inside it and a blank
		 * before the stray text: all of it shown, to the next comma */
		{ "名称,地址\n1,\"x\"\"y\" z,3\n",
		  "t.csv:2: column '地址': text after a closing quote (a quote "
		  "inside a quoted field must be doubled) (value "
		  "'\"x\"\"y\" z')\n", 1 },
		/* in the header: no column name to give */
		{ "\"a\"b,c\n1,2\n",
		  "t.csv:1: text after a closing quote (a quote inside a "
		  "quoted field must be doubled) (value '\"a\"b')\n", 1 },
		/* a field beyond the header's, and a header field left
		 * empty: no column to name */
		{ "a\n1,\"x\"y\n",
		  "t.csv:2: text after a closing quote (a quote inside a "
		  "quoted field must be doubled) (value '\"x\"y')\n", 1 },
		{ "a,\n1,\"x\"y\n", "t.csv:2: text after a closing quote", 1 },
		/* a malformed header line is dropped and the next row taken
		 * for the header: its values are no column names */
		{ "\"a\"x,b\n1,2\n3,\"y\"z\n",
		  "t.csv:3: text after a closing quote (a quote inside a "
		  "quoted field must be doubled) (value '\"y\"z')\n", 2 },
		/* a header with a line break in it: escaped, one message a
		 * line */
		{ "a,\"b\nc\"\n1,\"x\"y\n",
		  "t.csv:3: column 'b\\x0Ac': text after", 1 },
		/* blanks after the stray text are not shown (nor are those
		 * before the opening quote) */
		{ "a,b\n1, \"x\"y \t,2\n", "(value '\"x\"y')\n", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		parse(&p, cases[i].in);
		if (!strstr(p.text, cases[i].want))
			fprintf(stderr, "case %zu: %s", i, p.text);
		CHECK(strstr(p.text, cases[i].want) != NULL);
		CHECK_INT(p.d.errors, cases[i].errors);
		done(&p);
	}
	/* a long stray text is cut in the message */
	buf_adds(&in, "a,b\n1,\"x\"");
	for (int i = 0; i < 100000; i++)
		buf_addc(&in, 'z');
	buf_adds(&in, ",2\n");
	parse(&p, in.data);
	/* 80 bytes shown: the quoted x, then 77 of the z's */
	char want[160];
	snprintf(want, sizeof want, "(value '\"x\"%.77s…')\n",
		 in.data + 11);
	CHECK(strstr(p.text, want) != NULL);
	done(&p);
	buf_free(&in);
}

TEST(csv_blank_and_empty_rows)
{
	struct parsed p;
	parse(&p, "\n\r\n  \na;b;c\n\n1;2;3\n;;\n  ; \t;\n4;5;6");
	CHECK_INT(p.t.delim, ';');
	CHECK_INT(p.t.header.line, 4);
	CHECK_INT(p.t.nrows, 2);
	CHECK_INT(p.d.errors, 0);
	if (p.t.nrows == 2) {
		CHECK_INT(p.t.rows[0].line, 6);
		CHECK_INT(p.t.rows[1].line, 9);
		CHECK_STR(p.t.rows[1].fields[2], "6");   /* no final newline */
	}
	done(&p);
}

TEST(csv_ragged_rows_and_lone_cr)
{
	struct parsed p;
	parse(&p, "a,b\r1,2\r3\r4,5,6\r7,8\r");
	CHECK_INT(p.t.nrows, 2);
	CHECK_INT(p.d.errors, 2);
	CHECK(strstr(p.text, "t.csv:3: row has 1 fields, the header has 2"));
	CHECK(strstr(p.text, "t.csv:4: row has 3 fields"));
	done(&p);
}

TEST(csv_trimming)
{
	struct parsed p;
	parse(&p, "a\t b \n \xE3\x80\x80值\xE3\x80\x80 \t x\n");
	CHECK_INT(p.t.delim, '\t');
	CHECK_STR(p.t.header.fields[1], "b");
	if (p.t.nrows == 1) {
		CHECK_STR(p.t.rows[0].fields[0], "值");
		CHECK_STR(p.t.rows[0].fields[1], "x");
	}
	done(&p);
}

TEST(csv_unclosed_quote)
{
	struct parsed p;
	parse(&p, "a,b\n1,\"open\n2,3\n");
	CHECK_INT(p.d.errors, 1);
	/* the cell that opened the quote, and what it swallowed */
	CHECK(strstr(p.text, "t.csv:2: column 'b': a quoted field is not "
		     "closed before the end of the file (value "
		     "'\"open\\x0A2,3\\x0A')\n"));
	done(&p);
}

TEST(csv_delimiter_detection)
{
	CHECK_INT(csv_detect_delim("a,b;c", 5), ',');      /* tie: comma */
	CHECK_INT(csv_detect_delim("a\tb;c", 5), '\t');    /* tie: tab */
	CHECK_INT(csv_detect_delim("a;b;c,d", 7), ';');
	CHECK_INT(csv_detect_delim("\"a;b;c\",d", 9), ',');  /* quotes */
	CHECK_INT(csv_detect_delim("abc", 3), ',');
}

static void decodes_to(const char *raw, size_t n, const char *want,
		       enum text_encoding enc)
{
	struct decoded d;
	if (text_decode((const unsigned char *)raw, n, &d) != 0) {
		FAIL("decode failed: %s", d.why);
		return;
	}
	/* by length: a borrowed text is the input's bytes, unterminated */
	CHECK(d.len == strlen(want) && memcmp(d.text, want, d.len) == 0);
	CHECK_INT(d.enc, enc);
	if (!d.borrowed)
		free(d.text);
}

TEST(encodings)
{
	decodes_to("\xEF\xBB\xBF合同,1", 11, "合同,1", ENC_UTF8_BOM);
	decodes_to("合同,1", 8, "合同,1", ENC_UTF8);
	/* GBK 合同 = BA CF CD AC */
	decodes_to("\xBA\xCF\xCD\xAC,1", 6, "合同,1", ENC_GB18030);
	/* code page 936's euro: the lone byte 0x80 */
	decodes_to("\x80\x35,\xBA\xCF", 5, "€5,合", ENC_GB18030);
	/* GB18030 four-byte form of U+00A5 ¥: 81 30 84 36 */
	decodes_to("\x81\x30\x84\x36" "1", 5, "¥1", ENC_GB18030);
	decodes_to("\xFF\xFE\x08T\x0CT\t\0" "1\0", 10, "合同\t1",
		   ENC_UTF16LE);
	decodes_to("\xFE\xFFT\x08T\x0C\0\t\0" "1", 10, "合同\t1",
		   ENC_UTF16BE);
}

TEST(encoding_errors_name_the_line)
{
	struct decoded d;
	/* invalid in UTF-8 and in GB18030: 0xFF */
	const char gb[] = "a,b\r\nc,d\r\n\xFF\xFF,e\r\n";
	CHECK(text_decode((const unsigned char *)gb, sizeof gb - 1, &d) != 0);
	CHECK_INT(d.bad_line, 3);
	/* a BOM fixes UTF-8: a bad byte is an error, not GB18030 */
	const char u8[] = "\xEF\xBB\xBFx\ny\n\xBA\xCF\n";
	CHECK(text_decode((const unsigned char *)u8, sizeof u8 - 1, &d) != 0);
	CHECK_INT(d.bad_line, 3);
	const char nul[] = "a\nb\0c\n";
	CHECK(text_decode((const unsigned char *)nul, sizeof nul - 1, &d) != 0);
	CHECK_INT(d.bad_line, 2);
	/* unpaired surrogate in UTF-16LE on line 2 */
	const char u16[] = "\xFF\xFE" "a\0\n\0\x00\xD8" "b\0";
	CHECK(text_decode((const unsigned char *)u16, sizeof u16 - 1, &d) != 0);
	CHECK_INT(d.bad_line, 2);
}
