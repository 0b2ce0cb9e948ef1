/* Property: every value a spreadsheet writes is read back exactly.
 *
 * Random tables of random values (ASCII, CJK, 2- and 4-byte UTF-8,
 * spaces, tabs and U+3000 at every position, quotes, all three
 * delimiters, CR, LF and CRLF inside values) are written as Excel, WPS or
 * LibreOffice write them: a field is quoted when it holds the delimiter, a
 * quote or a line break (and sometimes anyway, as "quote all text cells"
 * does), quotes doubled; CRLF, LF or CR between records; sometimes empty
 * rows of the file's own or another width before the header and between
 * records.  Each table is written in every encoding SPEC §2.1 reads
 * (UTF-8 with and without BOM, UTF-16LE and BE with BOM, GB18030 through
 * iconv) and with every delimiter, to a file, and read by csv_read_file,
 * the function svcbill reads its input with.  Every value must come back
 * as the bytes written, trimmed of leading and trailing spaces, tabs and
 * U+3000, and nothing else changed. */
#include "harness.h"
#include "base/buf.h"
#include "read/csvread.h"
#include "base/textenc.h"

#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define TABLES 1000
#define MAXCOLS 5
#define MAXROWS 4

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64: fixed seed, the same cases on every run */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* One random character, as UTF-8, into b. */
static void add_char(struct buf *b)
{
	static const char *const special[] = {
		" ", "\t", "\xE3\x80\x80", "\"", ",", ";", "\n", "\r\n", "\r",
		"\"\"", "'", "=", "-",
	};
	char u[4];
	switch (pick(8)) {
	case 0: case 1:                         /* printable ASCII */
		buf_addc(b, (char)(0x20 + pick(95)));
		break;
	case 2:                                 /* CJK */
		buf_add(b, u, (size_t)utf8_put(u, 0x4E00 + pick(0x5000)));
		break;
	case 3: {                               /* 2-byte: Latin-1, ¥, € */
		static const unsigned two[] = { 0xA5, 0xE9, 0xB0, 0x3B1,
						0x42F };
		buf_add(b, u, (size_t)utf8_put(u, two[pick(5)]));
		break;
	}
	case 4: {                               /* 4-byte: emoji, CJK ext B */
		static const unsigned four[] = { 0x1F600, 0x20BB7, 0x2A6D6,
						 0x10348 };
		buf_add(b, u, (size_t)utf8_put(u, four[pick(4)]));
		break;
	}
	case 5: {                               /* 3-byte non-CJK */
		static const unsigned three[] = { 0x20AC, 0xFFE5, 0x3001,
						  0x201C, 0xFF0C };
		buf_add(b, u, (size_t)utf8_put(u, three[pick(5)]));
		break;
	}
	default:
		buf_adds(b, special[pick(sizeof special / sizeof special[0])]);
	}
}

/* SPEC's trimming, written independently of the reader's */
static void trimmed(const char *s, size_t n, struct buf *out)
{
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
	buf_add(out, s, n);
	buf_addc(out, '\0');
}

struct table {
	int ncols, nrows;
	char *v[MAXROWS][MAXCOLS];     /* as written (before trimming) */
	char *want[MAXROWS][MAXCOLS];  /* as SPEC reads them */
};

static char *value(void)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "");
	unsigned len = pick(10);
	for (unsigned i = 0; i < len; i++)
		add_char(&b);
	return buf_detach(&b);
}

static void make_table(struct table *t)
{
	t->ncols = 1 + (int)pick(MAXCOLS);
	t->nrows = 1 + (int)pick(MAXROWS);
	for (int r = 0; r < t->nrows; r++) {
		int nonempty = 0;
		for (int c = 0; c < t->ncols; c++) {
			t->v[r][c] = value();
			struct buf w;
			buf_init(&w);
			trimmed(t->v[r][c], strlen(t->v[r][c]), &w);
			t->want[r][c] = buf_detach(&w);
			nonempty |= t->want[r][c][0] != '\0';
		}
		if (!nonempty) {
			/* an all-empty row is skipped by SPEC: give it a
			 * value so that every row is there to compare */
			free(t->v[r][0]);
			free(t->want[r][0]);
			t->v[r][0] = strdup(" 值 ");
			t->want[r][0] = strdup("值");
		}
	}
}

static void free_table(struct table *t)
{
	for (int r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			free(t->v[r][c]);
			free(t->want[r][c]);
		}
}

static void write_field(struct buf *b, const char *v, char delim, int all)
{
	int quote = all || strchr(v, '"') || strchr(v, delim) ||
		    strchr(v, '\n') || strchr(v, '\r');
	/* a value starting or ending in a blank: a spreadsheet writes it as
	 * it is; SPEC trims it either way */
	if (!quote) {
		buf_adds(b, v);
		return;
	}
	buf_addc(b, '"');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

/* An empty row: before the header of any width and any delimiter (SPEC
 * splits it with its own); between records with the file's delimiter. */
static void empty_row(struct buf *b, int ncols, char delim, const char *eol,
		      int before_header)
{
	static const char *const blanks[] = { "", " ", "\t", "\xE3\x80\x80",
					      "\"\"", " \xE3\x80\x80 " };
	int width = pick(2) ? ncols : 1 + (int)pick(6);   /* any width */
	char d = pick(3) || !before_header ? delim : ",;\t"[pick(3)];
	for (int c = 0; c < width; c++) {
		if (c)
			buf_addc(b, d);
		/* a tab in a row of commas or semicolons would outnumber
		 * them and be its delimiter: ";" would then be a value */
		const char *bl = blanks[pick(6)];
		buf_adds(b, d != '\t' && bl[0] == '\t' ? " " : bl);
	}
	buf_adds(b, eol);
}

static void write_csv(const struct table *t, char delim, struct buf *b)
{
	static const char *const eols[] = { "\r\n", "\n", "\r" };
	const char *eol = eols[pick(3)];
	int all = pick(4) == 0;
	if (pick(3) == 0)
		empty_row(b, t->ncols, delim, eol, 1);
	for (int c = 0; c < t->ncols; c++) {   /* header: h0, h1, ... */
		if (c)
			buf_addc(b, delim);
		buf_printf(b, all ? "\"h%d\"" : "h%d", c);
	}
	buf_adds(b, eol);
	for (int r = 0; r < t->nrows; r++) {
		if (pick(6) == 0)
			empty_row(b, t->ncols, delim, eol, 0);
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				buf_addc(b, delim);
			write_field(b, t->v[r][c], delim, all);
		}
		if (r + 1 < t->nrows || pick(2))
			buf_adds(b, eol);
	}
}

/* UTF-8 text to another encoding (BOM added by the caller); 0 when the
 * encoding cannot hold it. */
static char *encode(const char *to, const char *s, size_t n, size_t *out)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 4 + 16;
	char *o = malloc(cap), *op = o, *ip = (char *)s;
	size_t il = n, ol = cap;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	iconv_close(cd);
	if (r == (size_t)-1) {
		free(o);
		return NULL;
	}
	*out = cap - ol;
	return o;
}

static int read_back(const char *bytes, size_t n, const struct table *t,
		     const char *how)
{
	char path[] = "/tmp/svcbill-prop.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, bytes, n) != (ssize_t)n) {
		FAIL("cannot write a temporary file");
		return 0;
	}
	close(fd);
	struct arena a = { 0 };
	struct diag d;
	char *msgs;
	size_t mlen;
	FILE *f = open_memstream(&msgs, &mlen);
	diag_init(&d, f);
	struct csv_table ct;
	csv_read_file(path, "p.csv", 0, &a, &d, &ct);
	diag_free(&d);
	fclose(f);
	unlink(path);
	int ok = d.errors == 0 && d.missing == 0 &&
		 (size_t)t->nrows == ct.nrows && ct.header.nfields == t->ncols;
	for (int r = 0; ok && r < t->nrows; r++)
		for (int c = 0; ok && c < t->ncols; c++)
			if (strcmp(ct.rows[r].fields[c], t->want[r][c]) != 0) {
				FAIL("%s: row %d col %d: got '%s', want '%s'",
				     how, r, c, ct.rows[r].fields[c],
				     t->want[r][c]);
				ok = 0;
			}
	if (!ok && test_failed_checks < 10) {
		FAIL("%s: %d errors, %zu rows of %d (want %d of %d): %s", how,
		     d.errors, ct.nrows, ct.header.nfields, t->nrows,
		     t->ncols, msgs);
		fputs("the file, bytes escaped: ", stderr);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, (unsigned char)bytes[i] < 0x20 ||
				(unsigned char)bytes[i] >= 0x7F ? "\\x%02X" :
				"%c", (unsigned char)bytes[i]);
		fputc('\n', stderr);
	}
	free(msgs);
	arena_free(&a);
	return ok;
}

TEST(csv_property_values_read_back_exactly)
{
	rng_state = 20261129;
	long files = 0, values = 0, ok = 0, gb_not_detectable = 0;
	for (int k = 0; k < TABLES && test_failed_checks < 10; k++) {
		struct table t;
		make_table(&t);
		for (int di = 0; di < 3; di++) {
			char delim = ",;\t"[di];
			if (t.ncols == 1 && delim != ',')
				continue;   /* no delimiter in a 1-column header:
					     * SPEC's "none → comma" */
			struct buf csv;
			buf_init(&csv);
			write_csv(&t, delim, &csv);
			struct variant {
				const char *name, *iconv_to, *bom;
				size_t bomlen;
			} vs[] = {
				{ "UTF-8", NULL, "", 0 },
				{ "UTF-8 BOM", NULL, "\xEF\xBB\xBF", 3 },
				{ "UTF-16LE", "UTF-16LE", "\xFF\xFE", 2 },
				{ "UTF-16BE", "UTF-16BE", "\xFE\xFF", 2 },
				{ "GB18030", "GB18030", "", 0 },
			};
			for (size_t e = 0; e < sizeof vs / sizeof vs[0]; e++) {
				size_t n = csv.len;
				char *enc = vs[e].iconv_to ?
					encode(vs[e].iconv_to, csv.data,
					       csv.len, &n) : NULL;
				if (vs[e].iconv_to && !enc) {
					FAIL("iconv to %s failed", vs[e].name);
					continue;
				}
				const char *body = enc ? enc : csv.data;
				if (e == 4 && (utf8_valid_prefix(
					(const unsigned char *)body, n) == n ||
					utf8_mostly_valid(
					(const unsigned char *)body, n))) {
					/* SPEC reads these bytes as UTF-8
					 * (they are valid, or 90 % valid):
					 * no spreadsheet's GB18030 file can
					 * be told from UTF-8 then */
					gb_not_detectable++;
					free(enc);
					continue;
				}
				struct buf file;
				buf_init(&file);
				buf_add(&file, vs[e].bom, vs[e].bomlen);
				buf_add(&file, body, n);
				char how[64];
				snprintf(how, sizeof how, "table %d, %s, '%s'",
					 k, vs[e].name, delim == '\t' ? "\\t" :
					 (char[]){ delim, 0 });
				files++;
				values += t.nrows * t.ncols;
				ok += read_back(file.data, file.len, &t, how);
				buf_free(&file);
				free(enc);
			}
			buf_free(&csv);
		}
		free_table(&t);
	}
	printf("csv property: %ld files (%ld values) written and read back, "
	       "%ld exact; %ld GB18030 variants not written (their bytes "
	       "are UTF-8 by SPEC's detection)\n", files, values, ok,
	       gb_not_detectable);
	CHECK_INT(ok, files);
	CHECK(files > 10000);
}
