/* Nothing lost on the way in: values kept to the byte, empty rows before
 * the header, blanks after a closing quote, errors on a record's first
 * line, damaged UTF-8, files that are not regular files.  Expected values
 * are written out by hand from SPEC §2.1. */
#include "harness.h"
#include "read/csvread.h"
#include "base/textenc.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct rd {
	struct arena a;
	struct diag d;
	struct csv_table t;
	FILE *msgs;
	char *text;
	size_t len;
};

static void rd_text(struct rd *p, const char *text)
{
	memset(p, 0, sizeof *p);
	p->msgs = open_memstream(&p->text, &p->len);
	diag_init(&p->d, p->msgs);
	csv_parse_text(text, strlen(text), "t.csv", &p->a, &p->d, &p->t);
	diag_flush(&p->d);
	fflush(p->msgs);
}

/* Through csv_read_file, from a file holding bytes[0..n). */
static void rd_file(struct rd *p, const char *bytes, size_t n)
{
	memset(p, 0, sizeof *p);
	char path[] = "/tmp/svcbill-exact.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, bytes, n) != (ssize_t)n)
		FAIL("cannot write a temporary file");
	close(fd);
	p->msgs = open_memstream(&p->text, &p->len);
	diag_init(&p->d, p->msgs);
	csv_read_file(path, "f.csv", 0, &p->a, &p->d, &p->t);
	diag_flush(&p->d);
	fflush(p->msgs);
	unlink(path);
}

static void rd_done(struct rd *p)
{
	diag_free(&p->d);
	fclose(p->msgs);
	free(p->text);
	arena_free(&p->a);
}

TEST(csv_inner_spaces_kept)
{
	/* the third-to-last byte a space: once taken for U+3000's first */
	struct rd p;
	rd_text(&p, "memory,id,room,maker\n"
		    "8 GB,PC 01,Room 12,Siemens AG\n"
		    "\"ha \"\"ha\"\" ha\",\"上海市浦东新区世纪大道100号\n"
		    "环球金融中心 8F\",a b\xE3\x80\x80\xE3\x80\x80,"
		    "\xE3\x80\x80 x \t\n");
	CHECK_INT(p.d.errors, 0);
	CHECK_INT(p.t.nrows, 2);
	if (p.t.nrows == 2) {
		CHECK_STR(p.t.rows[0].fields[0], "8 GB");
		CHECK_STR(p.t.rows[0].fields[1], "PC 01");
		CHECK_STR(p.t.rows[0].fields[2], "Room 12");
		CHECK_STR(p.t.rows[0].fields[3], "Siemens AG");
		CHECK_STR(p.t.rows[1].fields[0], "ha \"ha\" ha");
		CHECK_STR(p.t.rows[1].fields[1],
			  "上海市浦东新区世纪大道100号\n环球金融中心 8F");
		CHECK_STR(p.t.rows[1].fields[2], "a b");
		CHECK_STR(p.t.rows[1].fields[3], "x");
	}
	rd_done(&p);
	/* csv_trim itself, at every length around the 3-byte window */
	char b1[] = "a b", b2[] = "ab c", b3[] = "\xE3\x80\x80 a\xE3\x80\x80",
	     b4[] = " ", b5[] = "\xE3\x80\x80";
	CHECK_STR(csv_trim(b1), "a b");
	CHECK_STR(csv_trim(b2), "ab c");
	CHECK_STR(csv_trim(b3), "a");
	CHECK_STR(csv_trim(b4), "");
	CHECK_STR(csv_trim(b5), "");
}

TEST(csv_empty_rows_before_header)
{
	/* blank, U+3000 only, spaces and tabs, ",,,," of another width,
	 * ";;" and "\"\",\"\"", then a semicolon header */
	struct rd p;
	rd_text(&p, "\n\xE3\x80\x80\xE3\x80\x80\r\n \t \n,,,,\n;;\n\"\",\"\"\n"
		    "\t\t\t\na;b\n1;2\n");
	CHECK_INT(p.d.errors, 0);
	CHECK_INT(p.t.delim, ';');
	CHECK_INT(p.t.header.line, 8);
	CHECK_INT(p.t.header.nfields, 2);
	CHECK_INT(p.t.nrows, 1);
	if (p.t.nrows == 1) {
		CHECK_INT(p.t.rows[0].line, 9);
		CHECK_STR(p.t.rows[0].fields[1], "2");
	}
	rd_done(&p);
	/* a first line with text is the header, even among delimiters */
	rd_text(&p, ";x;\n1;2;3\n");
	CHECK_INT(p.t.header.line, 1);
	CHECK_INT(p.t.nrows, 1);
	rd_done(&p);
	/* a doubled quote is a value (") and not an empty row */
	rd_text(&p, "\"\"\"\"\nq\n");
	CHECK_INT(p.t.header.line, 1);
	CHECK_STR(p.t.header.fields[0], "\"");
	rd_done(&p);
}

TEST(csv_utf16_tab_file_with_empty_first_row)
{
	/* Excel "Unicode text": UTF-16LE, BOM, tabs; an empty first row
	 * "\t\t\t" and a row of U+3000 before the header */
	static const char u16[] =
		"\xFF\xFE"
		"\t\0\t\0\t\0\r\0\n\0"
		"\x00\x30\r\0\n\0"
		"a\0\t\0b\0\t\0c\0\t\0d\0\r\0\n\0"
		"8\0 \0G\0B\0\t\0\t\0x\0\t\0\x08\x54\r\0\n\0";
	struct rd p;
	rd_file(&p, u16, sizeof u16 - 1);
	CHECK_INT(p.d.errors, 0);
	CHECK_INT(p.t.enc, ENC_UTF16LE);
	CHECK_INT(p.t.delim, '\t');
	CHECK_INT(p.t.header.line, 3);
	CHECK_INT(p.t.nrows, 1);
	if (p.t.nrows == 1) {
		CHECK_STR(p.t.rows[0].fields[0], "8 GB");
		CHECK_STR(p.t.rows[0].fields[1], "");
		CHECK_STR(p.t.rows[0].fields[3], "合");
	}
	rd_done(&p);
}

TEST(csv_after_closing_quote)
{
	struct rd p;
	/* blanks after a closing quote are trimmed, in a comma, a
	 * semicolon and a tab file */
	rd_text(&p, "a,b\n\"x\" \t\xE3\x80\x80,\"y\"\xE3\x80\x80\n");
	CHECK_INT(p.d.errors, 0);
	if (p.t.nrows == 1) {
		CHECK_STR(p.t.rows[0].fields[0], "x");
		CHECK_STR(p.t.rows[0].fields[1], "y");
	}
	rd_done(&p);
	rd_text(&p, "a\tb\tc\n\"x\" \t\t\"z\"\n");
	CHECK_INT(p.d.errors, 0);
	CHECK_INT(p.t.nrows, 1);
	if (p.t.nrows == 1) {
		CHECK_STR(p.t.rows[0].fields[0], "x");
		CHECK_STR(p.t.rows[0].fields[1], "");   /* the tab: a field */
		CHECK_STR(p.t.rows[0].fields[2], "z");
	}
	rd_done(&p);
	/* text after the closing quote of a record over three lines: the
	 * record's first line (3), not the line of the quote (5) */
	rd_text(&p, "a,b\n1,2\n\"x\ny\nz\"w,3\n4,5\n");
	CHECK_INT(p.d.errors, 1);
	CHECK(strstr(p.text, "t.csv:3: column 'a': text after a closing "
		     "quote (a quote inside a quoted field must be doubled) "
		     "(value '\"x\\x0Ay\\x0Az\"w')\n") != NULL);
	CHECK_INT(p.t.nrows, 2);
	if (p.t.nrows == 2)
		CHECK_INT(p.t.rows[1].line, 6);
	rd_done(&p);
	/* "x" "y": text after the closing quote too */
	rd_text(&p, "a\n\"x\" \"y\"\n");
	CHECK_INT(p.d.errors, 1);
	rd_done(&p);
}

TEST(csv_damaged_utf8)
{
	/* UTF-8 without BOM, one damaged byte (0xE8 cut from 联) on line
	 * 3: an error naming line 3, never a re-reading as GB18030 */
	static const char bad[] = "名称,地址\n苏州精密,上海\n\x81\x94想,北京\n"
				  "杭州,南京\n";
	struct rd p;
	rd_file(&p, bad, sizeof bad - 1);
	CHECK_INT(p.d.errors, 1);
	CHECK(strstr(p.text, "f.csv:3: invalid UTF-8") != NULL);
	CHECK_INT(p.t.has_header, 0);
	rd_done(&p);
	/* the rule itself: 90 % of the bytes >= 0x80 in valid sequences */
	static const char ninety[] = "联想联想联\xFF";     /* 15 of 16 */
	CHECK(utf8_mostly_valid((const unsigned char *)ninety,
				sizeof ninety - 1));
	static const char gbk[] = "\xC1\xAA\xCF\xEB,\xCD\xAC";  /* 联想,同 */
	CHECK(!utf8_mostly_valid((const unsigned char *)gbk, sizeof gbk - 1));
	/* 9 of 10 valid is enough, 8 of 10 is not */
	static const char nine[] = "联联联\xFF";
	CHECK(utf8_mostly_valid((const unsigned char *)nine, sizeof nine - 1));
	static const char eight[] = "\xC2\xA5\xC2\xA5\xC2\xA5\xC2\xA5\xFF\xFF";
	CHECK(!utf8_mostly_valid((const unsigned char *)eight,
				 sizeof eight - 1));
	/* a GBK file is still GB18030 */
	rd_file(&p, gbk, sizeof gbk - 1);
	CHECK_INT(p.d.errors, 0);
	CHECK_INT(p.t.enc, ENC_GB18030);
	CHECK_STR(p.t.header.fields[0], "联想");
	rd_done(&p);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "reading a named pipe blocked\n";
	ssize_t w = write(2, m, sizeof m - 1);
	(void)w;
	_exit(1);
}

static void refused(const char *path, const char *why)
{
	struct arena a = { 0 };
	struct diag d;
	char *msgs;
	size_t n;
	FILE *f = open_memstream(&msgs, &n);
	diag_init(&d, f);
	struct csv_table t;
	int rc = csv_read_file(path, path, 1, &a, &d, &t);
	diag_free(&d);
	fclose(f);
	CHECK_INT(rc, -1);
	CHECK_INT(d.missing, 1);
	if (!strstr(msgs, path) || !strstr(msgs, why))
		FAIL("%s: message '%s'", path, msgs);
	free(msgs);
	arena_free(&a);
}

TEST(csv_only_regular_files)
{
	char dir[] = "/tmp/svcbill-fifo.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	char fifo[64];
	snprintf(fifo, sizeof fifo, "%s/rates.csv", dir);
	CHECK(mkfifo(fifo, 0600) == 0);
	/* a pipe nobody writes to: blocking on it would hang for ever */
	signal(SIGALRM, on_alarm);
	alarm(10);
	refused(fifo, "not a regular file");
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	refused(dir, "a folder");
	refused("/dev/null", "not a regular file");
	unlink(fifo);
	rmdir(dir);
}
