/* Diagnostics (base/diag.c): messages print by file, in the order the
 * files were first named, then by line, then in the order reported; the
 * first DIAG_MAX_PRINTED errors are kept and one line says how many more
 * there were.  Every expected text is written out by hand. */
#include "harness.h"
#include "base/diag.h"

#include <stdlib.h>

struct sink {
	FILE *f;
	char *text;
	size_t len;
};

static void sink_open(struct sink *s, struct diag *d)
{
	s->text = NULL;
	s->f = open_memstream(&s->text, &s->len);
	diag_init(d, s->f);
}

/* Everything printed, after diag_finish and diag_free. */
static const char *sink_close(struct sink *s, struct diag *d)
{
	diag_finish(d);
	diag_free(d);
	fclose(s->f);
	return s->text;
}

TEST(diag_orders_by_file_first_named_then_line)
{
	struct diag d;
	struct sink s;
	sink_open(&s, &d);
	/* contracts.csv is named before devices.csv, although devices.csv
	 * reports first */
	diag_note_file(&d, "contracts.csv");
	diag_error(&d, "devices.csv", 9, "class", "pc", "unknown class");
	diag_error(&d, "contracts.csv", 7, NULL, NULL, "second");
	diag_error(&d, "devices.csv", 3, NULL, NULL, "earlier line");
	diag_error(&d, "contracts.csv", 2, "end", "2026-13-01", "not a date");
	/* same place: in the order reported */
	diag_error(&d, "contracts.csv", 7, NULL, NULL, "third");
	/* line 0: the file as a whole, before its lines */
	diag_error(&d, "devices.csv", 0, NULL, NULL, "no rows");
	diag_warning(&d, "contracts.csv", 4, "note", NULL, "ignored");
	CHECK_STR(sink_close(&s, &d),
		  "contracts.csv:2: column 'end': not a date (value '2026-13-01')\n"
		  "contracts.csv:4: warning: column 'note': ignored\n"
		  "contracts.csv:7: second\n"
		  "contracts.csv:7: third\n"
		  "devices.csv: no rows\n"
		  "devices.csv:3: earlier line\n"
		  "devices.csv:9: column 'class': unknown class (value 'pc')\n");
	CHECK_INT(d.errors, 6);
	CHECK_INT(d.warnings, 1);
	CHECK_INT(diag_exit_status(&d), 65);
	free(s.text);
}

/* Without diag_note_file, a file ranks where it first reported; a rank
 * once given stays, across flushes. */
TEST(diag_file_rank_is_first_report)
{
	struct diag d;
	struct sink s;
	sink_open(&s, &d);
	diag_error(&d, "b.csv", 5, NULL, NULL, "x");
	diag_error(&d, "a.csv", 1, NULL, NULL, "y");
	diag_flush(&d);
	diag_error(&d, "a.csv", 2, NULL, NULL, "z");
	diag_error(&d, "b.csv", 9, NULL, NULL, "w");
	diag_note_file(&d, "a.csv");        /* already ranked: no change */
	diag_error(&d, "b.csv", 1, NULL, NULL, "v");
	CHECK_STR(sink_close(&s, &d),
		  "b.csv:5: x\n"
		  "a.csv:1: y\n"
		  "b.csv:1: v\n"
		  "b.csv:9: w\n"
		  "a.csv:2: z\n");
	free(s.text);
}

/* A value is quoted on one line: control characters escaped, cut after
 * 80 bytes at a character boundary with an ellipsis. */
TEST(diag_quotes_values)
{
	struct diag d;
	struct sink s;
	char long_value[200];
	/* 79 'x' then 甲 (3 bytes: 79..81): byte 80 is inside 甲, so the cut
	 * comes after the whole character */
	memset(long_value, 'x', 79);
	strcpy(long_value + 79, "甲乙");
	sink_open(&s, &d);
	diag_error(&d, "f.csv", 1, "a", "tab\there\r\x7f", "bad");
	diag_error(&d, "f.csv", 2, "b", long_value, "long");
	diag_error(&d, "f.csv", 3, "c", "", "empty");
	char want[400];
	snprintf(want, sizeof want,
		 "f.csv:1: column 'a': bad (value 'tab\\x09here\\x0D\\x7F')\n"
		 "f.csv:2: column 'b': long (value '%.79s甲…')\n"
		 "f.csv:3: column 'c': empty (value '')\n", long_value);
	CHECK_STR(sink_close(&s, &d), want);
	free(s.text);
}

/* The first DIAG_MAX_PRINTED errors reported are printed (sorted); the
 * rest are counted, and one line says how many were left out. */
TEST(diag_cut_off_after_max_printed)
{
	struct diag d;
	struct sink s;
	sink_open(&s, &d);
	/* reported from the last line up: line 1 is the 1,002nd report
	 * and line 2 the 1,001st, so both are left out */
	for (long line = DIAG_MAX_PRINTED + 2; line >= 1; line--)
		diag_error(&d, "big.csv", line, NULL, NULL, "e");
	diag_warning(&d, "big.csv", 1, NULL, NULL, "a warning still prints");
	const char *out = sink_close(&s, &d);
	CHECK_INT(d.errors, DIAG_MAX_PRINTED + 2);
	CHECK(strncmp(out, "big.csv:1: warning: a warning still prints\n"
		      "big.csv:3: e\n", 56) == 0);
	const char *tail = "big.csv:1002: e\n"
			   "svcbill: ... and 2 more errors\n";
	size_t n = strlen(out), t = strlen(tail);
	CHECK(n > t && strcmp(out + n - t, tail) == 0);
	size_t lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	CHECK_INT(lines, 1 + DIAG_MAX_PRINTED + 1);
	free(s.text);
}

/* Exactly DIAG_MAX_PRINTED errors: all printed, no cut-off line. */
TEST(diag_no_cut_off_line_at_the_limit)
{
	struct diag d;
	struct sink s;
	sink_open(&s, &d);
	for (long line = 1; line <= DIAG_MAX_PRINTED; line++)
		diag_error(&d, "f.csv", line, NULL, NULL, "e");
	const char *out = sink_close(&s, &d);
	CHECK(strstr(out, "more errors") == NULL);
	CHECK(strstr(out, "f.csv:1000: e\n") != NULL);
	free(s.text);
}

/* A missing file prints at once (it is not a line of a file) and wins
 * the exit status: 66 over 65. */
TEST(diag_missing_file_exit_status)
{
	struct diag d;
	struct sink s;
	sink_open(&s, &d);
	CHECK_INT(diag_exit_status(&d), 0);
	diag_warning(&d, "a.csv", 1, NULL, NULL, "only a warning");
	CHECK_INT(diag_exit_status(&d), 0);
	diag_error(&d, "a.csv", 2, NULL, NULL, "bad");
	diag_missing(&d, "data/devices.csv", "No such file or directory");
	CHECK_INT(diag_exit_status(&d), 66);
	CHECK_STR(sink_close(&s, &d),
		  "data/devices.csv: No such file or directory\n"
		  "a.csv:1: warning: only a warning\n"
		  "a.csv:2: bad\n");
	free(s.text);
}
