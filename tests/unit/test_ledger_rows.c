/* test_ledger_rows.c - the ledger's schema tables, its parser on text
 * worked out by hand, and merging rows into a ledger: expected values
 * come from SPEC §4's text and from counting, never from svcbill. */
#include "harness.h"
#include "read/fields.h"
#include "ledger/ledger.h"
#include "ledger/index.h"
#include "base/fsio.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

TEST(ledger_schema_tables_are_spec_order)
{
	CHECK_INT(ledger_schema_check(), 0);
	struct buf b;
	buf_init(&b);
	ledger_header(&b, &REGISTER_TABLE);
	/* SPEC §4, register.csv, as listed there */
	CHECK_STR(b.data, "\xEF\xBB\xBFinvoice_no,period,contract_id,"
		  "client_id,issue_date,due_date,currency,net,tax,gross,status,"
		  "replaces,content_sha256,pdf,pdf_sha256,chain\r\n");
	buf_reset(&b);
	ledger_header(&b, &LINES_TABLE);
	CHECK_STR(b.data, "\xEF\xBB\xBFinvoice_no,line_no,kind,contract_id,"
		  "device_id,record_id,cycle_start,cycle_end,description_zh,"
		  "description_en,qty,unit_price,amount,tax_pct\r\n");
	buf_free(&b);
	/* every column of lines.csv but invoice_no and the descriptions is
	 * content, and the register's totals and dates (SPEC §4) */
	int n = 0;
	for (int i = 0; i < LINES_NCOLS; i++)
		n += LINES_TABLE.cols[i].content > 0;
	CHECK_INT(n, 11);
	CHECK_INT(LINES_TABLE.cols[LC_DESC_EN].content, 0);
	n = 0;
	for (int i = 0; i < REG_NCOLS; i++)
		n += REGISTER_TABLE.cols[i].content > 0;
	CHECK_INT(n, 5);
}

TEST(ledger_words_both_ways)
{
	static const struct { int v; const char *w; } st[] = {
		{ INV_ISSUED, "issued" }, { INV_CANCELLED, "cancelled" },
		{ INV_CREDIT, "credit" },
	};
	for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
		CHECK_STR(status_name(st[i].v), st[i].w);
		CHECK_INT(status_parse(st[i].w), st[i].v);
	}
	CHECK_INT(status_parse("Issued"), -1);
	CHECK_INT(status_parse(""), -1);
	static const struct { int v; const char *w; } kd[] = {
		{ LK_RECURRING, "recurring" }, { LK_TRUEUP, "trueup" },
		{ LK_LABOUR, "labour" }, { LK_PARTS, "parts" },
		{ LK_OEM, "oem" }, { LK_SLA, "sla" }, { LK_CHARGE, "charge" },
		{ LK_LATE_FEE, "late_fee" },
	};
	for (size_t i = 0; i < sizeof kd / sizeof *kd; i++) {
		CHECK_STR(line_kind_name(kd[i].v), kd[i].w);
		CHECK_INT(line_kind_parse(kd[i].w), kd[i].v);
	}
	CHECK_INT(line_kind_parse("late fee"), -1);
}

/* Two lines.csv rows; the first has a quoted comma, doubled quotes and a
 * CRLF inside quotes, so the second starts on physical line 4. */
#define ROW1 "A,1,recurring,K1,,,,,\"x, \"\"y\"\"\",\"l1\r\nl2\",,,1.00,6\r\n"
#define ROW2 "B,2,charge,K1,,,,,z,w,1.00,2.00,2.00,6\r\n"

TEST(ledger_parse_by_hand)
{
	struct buf b;
	buf_init(&b);
	ledger_header(&b, &LINES_TABLE);
	size_t head = b.len;
	buf_adds(&b, ROW1 ROW2);
	struct arena a = { 0 };
	struct ledger_rec *r;
	const char *why;
	long why_line;
	long n = ledger_parse(&LINES_TABLE, b.data, b.len, &a, &r, &why,
			      &why_line);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(r[0].line, 2);
		CHECK_INT(r[0].nfields, 14);
		CHECK_STR(r[0].f[LC_DESC_ZH], "x, \"y\"");
		CHECK_STR(r[0].f[LC_DESC_EN], "l1\r\nl2");
		CHECK_INT(r[0].start, head);
		CHECK_INT(r[0].end, head + strlen(ROW1));
		CHECK_INT(r[1].line, 4);
		CHECK_STR(r[1].f[LC_UNIT_PRICE], "2.00");
		CHECK_STR(r[1].f[LC_TAX_PCT], "6");
		CHECK(r[1].terminated);
		CHECK_INT(r[1].end, b.len);
	}
	free(r);
	/* the same rows read from the second one's offset: no header, its
	 * line given by the caller */
	n = ledger_parse_from(&LINES_TABLE, b.data + head + strlen(ROW1),
			      strlen(ROW2), 0, 4, &a, &a, &r, &why,
			      &why_line);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_INT(r[0].line, 4);
		CHECK_INT(r[0].start, 0);
		CHECK_STR(r[0].f[LC_INVOICE_NO], "B");
	}
	free(r);
	/* a quote inside an unquoted field is not svcbill's: line 3 */
	buf_reset(&b);
	ledger_header(&b, &LINES_TABLE);
	buf_adds(&b, ROW2 "B,3,charge,K1,,,,,z\"z,w,1.00,2.00,2.00,6\r\n");
	CHECK_INT(ledger_parse(&LINES_TABLE, b.data, b.len, &a, &r, &why,
			       &why_line), -1);
	CHECK_INT(why_line, 3);
	CHECK_STR(why, "a quote inside an unquoted field");
	/* nor a line feed without its CR, in the middle of a field */
	buf_reset(&b);
	ledger_header(&b, &LINES_TABLE);
	buf_adds(&b, ROW2 ROW2 "B,3,charge,K1,,,,,zz\nw,w,1.00,2.00,2.00,6\r\n");
	CHECK_INT(ledger_parse(&LINES_TABLE, b.data, b.len, &a, &r, &why,
			       &why_line), -1);
	CHECK_INT(why_line, 4);
	CHECK_STR(why, "a line break outside quotes");
	buf_free(&b);
	arena_free(&a);
}

/* ---- merging ------------------------------------------------------------ */

#define P1226 (2026 * 12 + 11)

static struct reg_row row(const char *no, int status, int64_t net)
{
	struct reg_row g = { 0 };
	g.invoice_no = no;
	g.contract_id = "K1";
	g.client_id = "C1";
	g.currency = "CNY";
	g.replaces = "";
	g.content_sha256 = "";
	g.pdf = g.pdf_sha256 = "";
	g.period = P1226;
	parse_date("2026-12-01", &g.issue_date);
	parse_date("2026-12-11", &g.due_date);
	g.net = net;
	g.gross = net;
	g.status = status;
	return g;
}

static struct ledger_line line(const char *no, int line_no, int64_t amount)
{
	struct ledger_line ll = { 0 };
	ll.invoice_no = no;
	ll.contract_id = "K1";
	ll.line_no = line_no;
	ll.l.kind = LK_CHARGE;
	ll.l.device_id = ll.l.record_id = "";
	ll.l.desc_zh = ll.l.desc_en = "d";
	ll.l.amount = amount;
	return ll;
}

TEST(ledger_merge_reissue)
{
	struct arena a = { 0 };
	struct ledger empty = { 0 }, one, two;
	memcpy(empty.seal, ZERO_CHAIN, 65);
	struct reg_row r1[2] = { row("INV-202612-0001", INV_ISSUED, 300),
				 row("INV-202612-0002", INV_ISSUED, 50) };
	struct ledger_line l1[3] = { line("INV-202612-0001", 1, 100),
				     line("INV-202612-0001", 2, 200),
				     line("INV-202612-0002", 1, 50) };
	ledger_merge(&empty, r1, 2, l1, 3, &a, &one);
	CHECK_INT(one.nrows, 2);
	CHECK_INT(one.nlines, 3);
	CHECK_INT(one.nlast, 2);
	/* the reissue of 0001: its cancelled row, a credit note, 0003 */
	struct reg_row r2[3] = { row("INV-202612-0001", INV_CANCELLED, 300),
				 row("CN-202612-0001", INV_CREDIT, -300),
				 row("INV-202612-0003", INV_ISSUED, 320) };
	struct ledger_line l2[4] = { line("CN-202612-0001", 1, -100),
				     line("CN-202612-0001", 2, -200),
				     line("INV-202612-0003", 1, 100),
				     line("INV-202612-0003", 2, 220) };
	ledger_merge(&one, r2, 3, l2, 4, &a, &two);
	CHECK_INT(one.nrows, 2);            /* the ledger before is kept */
	CHECK_INT(two.nrows, 5);
	CHECK_INT(two.nlines, 7);
	CHECK_INT(two.nlast, 4);            /* CN-0001, INV-0001..0003 */
	const struct reg_row *g = ledger_find(&two, "INV-202612-0001");
	CHECK(g == &two.rows[2] && g->status == INV_CANCELLED);
	g = ledger_find(&one, "INV-202612-0001");
	CHECK(g && g->status == INV_ISSUED);
	CHECK(ledger_find(&two, "INV-202612-0004") == NULL);
	CHECK_INT(ledger_last_index(&two, "CN-202612-0001"), 0);
	CHECK_INT(ledger_last_number(&two, 0, P1226), 3);
	CHECK_INT(ledger_last_number(&two, 1, P1226), 1);
	CHECK_INT(ledger_last_number(&two, 0, P1226 + 1), 0);
	CHECK_INT(ledger_latest_period(&two), P1226);
	struct line *ls;
	size_t nl;
	ledger_lines_of(&two, "INV-202612-0003", &a, &ls, &nl);
	CHECK(nl == 2 && ls[0].amount == 100 && ls[1].amount == 220);
	/* the history: issued and not cancelled, 0002 and 0003, with their
	 * 1 + 2 lines */
	struct history h;
	ledger_history(&two, &a, &h);
	CHECK_INT(h.ninv, 2);
	CHECK_INT(h.nlines, 3);
	CHECK_INT(two.lines[6].l.amount, 220);
	if (h.ninv == 2) {
		CHECK_STR(h.inv[0].invoice_no, "INV-202612-0002");
		CHECK_STR(h.inv[1].invoice_no, "INV-202612-0003");
	}
	arena_free(&a);
}

/* ledger_merge goes on from the index of the ledger before (its rows'
 * last states and their table) when the new rows' new numbers come after
 * every number before it, else makes it anew: both give each number's
 * last row, the numbers in order (worked out by hand). */
TEST(ledger_merge_index_goes_on)
{
	struct arena a = { 0 };
	struct ledger empty = { 0 }, one, two, three, four;
	memcpy(empty.seal, ZERO_CHAIN, 65);
	struct reg_row r1[3] = { row("INV-202612-0001", INV_ISSUED, 10),
				 row("INV-202612-0002", INV_ISSUED, 20),
				 row("INV-202612-0003", INV_ISSUED, 30) };
	ledger_merge(&empty, r1, 3, NULL, 0, &a, &one);
	/* an old number's new state, two new numbers in order, the second
	 * new number's second row */
	struct reg_row r2[4] = { row("INV-202612-0002", INV_CANCELLED, 20),
				 row("INV-202612-0004", INV_ISSUED, 40),
				 row("INV-202612-0005", INV_ISSUED, 50),
				 row("INV-202612-0005", INV_CANCELLED, 50) };
	ledger_merge(&one, r2, 4, NULL, 0, &a, &two);
	CHECK_INT(two.nlast, 5);
	const char *want[] = { "INV-202612-0001", "INV-202612-0002",
			       "INV-202612-0003", "INV-202612-0004",
			       "INV-202612-0005" };
	const int want_row[] = { 0, 3, 2, 4, 6 };
	for (size_t i = 0; i < 5 && i < two.nlast; i++) {
		CHECK_STR(two.last[i]->invoice_no, want[i]);
		CHECK(ledger_find(&two, want[i]) == &two.rows[want_row[i]]);
	}
	CHECK(ledger_find(&two, "INV-202612-0002")->status == INV_CANCELLED);
	CHECK(ledger_find(&two, "INV-202612-0005")->status == INV_CANCELLED);
	CHECK(ledger_find(&two, "INV-202612-0006") == NULL);
	/* the ledger before is as it was */
	CHECK_INT(one.nlast, 3);
	CHECK(ledger_find(&one, "INV-202612-0002")->status == INV_ISSUED);
	CHECK(ledger_find(&one, "INV-202612-0004") == NULL);
	/* a new number before the last one (made anew): in order still */
	struct reg_row r3[2] = { row("INV-202612-0006", INV_ISSUED, 60),
				 row("CN-202612-0001", INV_CREDIT, -20) };
	ledger_merge(&two, r3, 2, NULL, 0, &a, &three);
	CHECK_INT(three.nlast, 7);
	if (three.nlast == 7) {
		CHECK_STR(three.last[0]->invoice_no, "CN-202612-0001");
		CHECK_STR(three.last[6]->invoice_no, "INV-202612-0006");
	}
	CHECK(ledger_find(&three, "CN-202612-0001") == &three.rows[8]);
	CHECK(ledger_find(&three, "INV-202612-0002") == &three.rows[3]);
	/* an earlier new number met again after a later one: made anew */
	struct reg_row r4[3] = { row("INV-202612-0007", INV_ISSUED, 70),
				 row("INV-202612-0008", INV_ISSUED, 80),
				 row("INV-202612-0007", INV_CANCELLED, 70) };
	ledger_merge(&three, r4, 3, NULL, 0, &a, &four);
	CHECK_INT(four.nlast, 9);
	CHECK(ledger_find(&four, "INV-202612-0007") == &four.rows[11]);
	CHECK(ledger_find(&four, "INV-202612-0008") == &four.rows[10]);
	arena_free(&a);
}

/* The history by contract, then number, when the contracts' first
 * invoices are not in contract order (K2 billed before K1), one invoice
 * cancelled: worked out by hand. */
TEST(ledger_history_by_contract)
{
	struct arena a = { 0 };
	struct ledger empty = { 0 }, lg;
	memcpy(empty.seal, ZERO_CHAIN, 65);
	struct reg_row r[6] = { row("INV-202612-0001", INV_ISSUED, 10),
				row("INV-202612-0002", INV_ISSUED, 20),
				row("INV-202612-0003", INV_ISSUED, 30),
				row("INV-202612-0004", INV_ISSUED, 40),
				row("INV-202612-0005", INV_ISSUED, 50),
				row("INV-202612-0003", INV_CANCELLED, 30) };
	const char *k[6] = { "K2", "K1", "K3", "K1", "K2", "K3" };
	for (int i = 0; i < 6; i++)
		r[i].contract_id = k[i];
	ledger_merge(&empty, r, 6, NULL, 0, &a, &lg);
	struct history h;
	ledger_history(&lg, &a, &h);
	const char *want_k[] = { "K1", "K1", "K2", "K2" };
	const char *want_no[] = { "INV-202612-0002", "INV-202612-0004",
				  "INV-202612-0001", "INV-202612-0005" };
	CHECK_INT(h.ninv, 4);
	for (size_t i = 0; i < 4 && i < h.ninv; i++) {
		CHECK_STR(h.inv[i].contract_id, want_k[i]);
		CHECK_STR(h.inv[i].invoice_no, want_no[i]);
	}
	arena_free(&a);
}

/* The merged rows written out and read back: the same rows, their chain
 * reaching the seal; then rows 2 and 3 of lines.csv swapped: 0001's
 * second line, now on line 4, comes after 0002 began. */
TEST(ledger_rows_written_and_loaded)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	struct reg_row r[2] = { row("INV-202612-0001", INV_ISSUED, 300),
				row("INV-202612-0002", INV_ISSUED, 50) };
	struct ledger_line l[3] = { line("INV-202612-0001", 1, 100),
				    line("INV-202612-0001", 2, 200),
				    line("INV-202612-0002", 1, 50) };
	char sha[2][65];
	ledger_row_content(&r[0], l, 2, sha[0]);
	ledger_row_content(&r[1], l + 2, 1, sha[1]);
	r[0].content_sha256 = sha[0];
	r[1].content_sha256 = sha[1];
	struct buf reg, lines;
	buf_init(&reg);
	buf_init(&lines);
	ledger_header(&reg, &REGISTER_TABLE);
	ledger_header(&lines, &LINES_TABLE);
	char chain[65] = ZERO_CHAIN;
	for (int i = 0; i < 2; i++)
		ledger_register_row(&reg, &r[i], chain);
	for (int i = 0; i < 3; i++)
		ledger_line_row(&lines, &l[i]);
	char rpath[64], lpath[64];
	snprintf(rpath, sizeof rpath, "%s/register.csv", dir);
	snprintf(lpath, sizeof lpath, "%s/lines.csv", dir);
	for (int pass = 0; pass < 2; pass++) {
		FILE *f = fopen(rpath, "wb");
		fwrite(reg.data, 1, reg.len, f);
		fclose(f);
		f = fopen(lpath, "wb");
		if (pass == 0) {
			fwrite(lines.data, 1, lines.len, f);
		} else {
			/* rows 2 and 3 (lines 3 and 4) swapped */
			const char *r2 = strstr(lines.data, "\r\n") + 2;
			r2 = strstr(r2, "\r\n") + 2;
			const char *r3 = strstr(r2, "\r\n") + 2;
			fwrite(lines.data, 1, (size_t)(r2 - lines.data), f);
			fwrite(r3, 1, lines.len - (size_t)(r3 - lines.data), f);
			fwrite(r2, 1, (size_t)(r3 - r2), f);
		}
		fclose(f);
		struct arena a = { 0 };
		char *text = NULL;
		size_t len = 0;
		FILE *sink = open_memstream(&text, &len);
		struct diag d;
		diag_init(&d, sink);
		struct ledger lg;
		int rc = ledger_load(&lg, dir, LEDGER_READ, &a, &d);
		diag_flush(&d);
		diag_free(&d);
		fclose(sink);
		if (pass == 0) {
			CHECK_INT(rc, 0);
			CHECK_INT(lg.nrows, 2);
			CHECK_INT(lg.nlines, 3);
			CHECK_STR(lg.seal, chain);
			CHECK_INT(lg.lines[2].fline, 4);
			CHECK_INT(lg.rows[1].net, 50);
		} else {
			CHECK_INT(rc, EX_DATAERR);
			CHECK(text && strstr(text, "lines.csv:4: ") &&
			      strstr(text, "out of the register's order"));
		}
		free(text);
		arena_free(&a);
	}
	unlink(rpath);
	unlink(lpath);
	rmdir(dir);
	buf_free(&reg);
	buf_free(&lines);
}

/* ---- the index ------------------------------------------------------------ */

/* The index tests' ledger: 2026-12's one invoice (two lines) and
 * 2027-01's two (a line each), as the bytes of register.csv and lines.csv;
 * reg_at[i] and lines_at[k] are where row i and line k begin, chain_at[i]
 * the chain before row i, seal the last. */
struct three_invoices {
	struct buf reg, lines;
	size_t reg_at[3], lines_at[4];
	char chain_at[3][65], seal[65];
};

static void three_invoices(struct three_invoices *t)
{
	struct reg_row r[3] = { row("INV-202612-0001", INV_ISSUED, 300),
				row("INV-202701-0001", INV_ISSUED, 50),
				row("INV-202701-0002", INV_ISSUED, 70) };
	r[1].period = r[2].period = P1226 + 1;
	struct ledger_line l[4] = { line("INV-202612-0001", 1, 100),
				    line("INV-202612-0001", 2, 200),
				    line("INV-202701-0001", 1, 50),
				    line("INV-202701-0002", 1, 70) };
	char sha[3][65];
	ledger_row_content(&r[0], l, 2, sha[0]);
	ledger_row_content(&r[1], l + 2, 1, sha[1]);
	ledger_row_content(&r[2], l + 3, 1, sha[2]);
	buf_init(&t->reg);
	buf_init(&t->lines);
	ledger_header(&t->reg, &REGISTER_TABLE);
	ledger_header(&t->lines, &LINES_TABLE);
	char chain[65] = ZERO_CHAIN;
	for (int i = 0; i < 3; i++) {
		r[i].content_sha256 = sha[i];
		t->reg_at[i] = t->reg.len;
		memcpy(t->chain_at[i], chain, 65);
		ledger_register_row(&t->reg, &r[i], chain);
	}
	memcpy(t->seal, chain, 65);
	for (int i = 0; i < 4; i++) {
		t->lines_at[i] = t->lines.len;
		ledger_line_row(&t->lines, &l[i]);
	}
}

/* Three invoices in two periods written out; the index of the ledger
 * read back marks where 2027-01 begins in both files (counted here from
 * the rows' lengths) with the chain of the row before, and reading from
 * that mark gives the later rows in full and the earlier one compact. */
TEST(ledger_index_marks_by_hand)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	struct three_invoices t;
	three_invoices(&t);
	struct buf reg = t.reg, lines = t.lines;
	const char *chain = t.seal, *chain1 = t.chain_at[1];
	size_t reg_mark = t.reg_at[1], lines_mark = t.lines_at[2];
	char path[64];
	snprintf(path, sizeof path, "%s/register.csv", dir);
	FILE *f = fopen(path, "wb");
	fwrite(reg.data, 1, reg.len, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/lines.csv", dir);
	f = fopen(path, "wb");
	fwrite(lines.data, 1, lines.len, f);
	fclose(f);
	struct arena a = { 0 };
	struct diag d;
	FILE *sink = tmpfile();
	diag_init(&d, sink);
	struct ledger lg;
	CHECK_INT(ledger_load_from(&lg, dir, LEDGER_REPAIR, P1226 + 1, NULL, &a, &d),
		  0);
	ledger_index_update(dir, P1226 + 1, &lg, NULL, 0);   /* nothing appended */
	struct ledger_index ix;
	const char *why;
	CHECK_INT(index_read(dir, &a, &ix, NULL, &why), 0);
	CHECK_INT(ix.nmarks, 2);
	CHECK_INT(ix.frozen, P1226 + 1);    /* the latest period */
	CHECK_INT(ix.nrows, 1);             /* 2026-12's one invoice */
	CHECK_INT(ix.reg_size, reg.len);
	CHECK_STR(ix.seal, chain);
	if (ix.nmarks == 2) {
		CHECK_INT(ix.marks[1].reg_off, reg_mark);
		CHECK_INT(ix.marks[1].reg_line, 3);
		CHECK_INT(ix.marks[1].lines_off, lines_mark);
		CHECK_INT(ix.marks[1].lines_line, 4);
		CHECK_STR(ix.marks[1].chain, chain1);
	}
	/* read from the mark: 2026-12 compact, 2027-01 in full */
	struct ledger lb;
	CHECK_INT(ledger_load_from(&lb, dir, LEDGER_READ, P1226 + 1, NULL, &a, &d), 0);
	CHECK_INT(lb.from, P1226 + 1);
	CHECK_INT(lb.nrows, 3);
	CHECK_INT(lb.nlines, 2);
	CHECK(lb.rows[0].raw == NULL && lb.rows[1].raw != NULL);
	CHECK_STR(lb.seal, chain);
	/* a row whose kind is quoted (svcbill never writes one; it would
	 * not be counted where room is made) with the checksum made again:
	 * not taken either */
	snprintf(path, sizeof path, "%s/ledger-index.csv", dir);
	char *it;
	size_t il;
	if (read_file(path, &it, &il) == 0) {
		char *brow = strstr(it, "\r\nB,");
		char *srow = NULL;
		for (char *q = it; (q = strstr(q, "\r\nS,")); q += 2)
			srow = q + 2;
		CHECK(brow && srow && brow < srow);
		if (brow && srow && brow < srow) {
			struct buf e;
			buf_init(&e);
			buf_add(&e, it, (size_t)(brow + 2 - it));
			buf_adds(&e, "\"B\"");
			buf_add(&e, brow + 3, (size_t)(srow - (brow + 3)));
			char sum[9];
			snprintf(sum, sizeof sum, "%08lx", (unsigned long)
				 libdeflate_crc32(0, e.data, e.len));
			const char *tail = strchr(srow + 2, ',');
			buf_adds(&e, "S,");
			buf_adds(&e, sum);
			buf_adds(&e, tail);
			f = fopen(path, "wb");
			fwrite(e.data, 1, e.len, f);
			fclose(f);
			CHECK_INT(index_read(dir, &a, &ix, NULL, &why), -1);
			f = fopen(path, "wb");
			fwrite(it, 1, il, f);
			fclose(f);
			CHECK_INT(index_read(dir, &a, &ix, NULL, &why), 0);
			buf_free(&e);
		}
		free(it);
	}
	/* one byte of the index changed: not used, the whole ledger read */
	char *text;
	size_t len;
	if (read_file(path, &text, &len) == 0) {
		text[len / 2] ^= 1;
		f = fopen(path, "wb");
		fwrite(text, 1, len, f);
		fclose(f);
		free(text);
	}
	CHECK_INT(index_read(dir, &a, &ix, NULL, &why), -1);
	CHECK_INT(ledger_load_from(&lb, dir, LEDGER_READ, P1226 + 1, NULL, &a, &d), 0);
	CHECK_INT(lb.nlines, 4);
	diag_free(&d);
	fclose(sink);
	unlink(path);
	snprintf(path, sizeof path, "%s/register.csv", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/lines.csv", dir);
	unlink(path);
	rmdir(dir);
	buf_free(&reg);
	buf_free(&lines);
	arena_free(&a);
}

static void write_to(const char *dir, const char *name, const char *data,
		     size_t len, const char *mode)
{
	char path[64];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, mode);
	fwrite(data, 1, len, f);
	fclose(f);
}

static char *index_of(const char *dir, size_t *len)
{
	char path[64], *text = NULL;
	snprintf(path, sizeof path, "%s/ledger-index.csv", dir);
	if (read_file(path, &text, len) != 0)
		*len = 0;
	return text;
}

/* Gives dir's index the modification time t (an edit that keeps it). */
static void index_mtime(const char *dir, struct timespec when)
{
	char path[80];
	snprintf(path, sizeof path, "%s/ledger-index.csv", dir);
	struct timespec ts[2] = { when, when };
	CHECK_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* The index update reads on from the run's read: after rows appended
 * (2027-01's second invoice, then a torn row), the index it writes is
 * byte for byte the one a new read of the ledger gives, whether it went
 * on from the index there in place or (that index changed since read)
 * made it anew; an index changed so that the change cannot be seen
 * (same size and time) becomes one no read takes, never a wrong one. */
TEST(ledger_index_update_reads_on)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	struct three_invoices t;
	three_invoices(&t);
	struct buf reg = t.reg, lines = t.lines;
	size_t reg_two = t.reg_at[2], lines_two = t.lines_at[3];
	/* two invoices, and their index */
	write_to(dir, "register.csv", reg.data, reg_two, "wb");
	write_to(dir, "lines.csv", lines.data, lines_two, "wb");
	ledger_index_update(dir, P1226 + 1, NULL, NULL, 0);
	size_t n0, n1, n2;
	char *i0 = index_of(dir, &n0);
	CHECK(i0 != NULL);
	struct arena a = { 0 };
	struct diag d;
	FILE *sink = tmpfile();
	diag_init(&d, sink);
	/* the kept block changed in place, its size and time as read: the
	 * update goes on in place from the hash of what was read, so the
	 * index it leaves fails its checksum (the next read reads the whole
	 * ledger); the two files are then put back as they were */
	struct ledger lc;
	CHECK_INT(ledger_load_from(&lc, dir, LEDGER_READ, P1226 + 1, NULL, &a, &d),
		  0);
	CHECK(lc.index_used);
	size_t n3, n4, e3 = 0;
	char *i3 = index_of(dir, &n3);
	while (i3 && e3 < n3 && i3[e3] != '\n')
		e3++;
	if (i3 && lc.index_used && e3 + 4 < n3 && i3[e3 + 1] == 'I') {
		i3[e3 + 4] ^= 1;
		write_to(dir, "ledger-index.csv", i3, n3, "r+b");
		index_mtime(dir, lc.index_id.mtime);
		write_to(dir, "register.csv", reg.data + reg_two,
			 reg.len - reg_two, "ab");
		write_to(dir, "lines.csv", lines.data + lines_two,
			 lines.len - lines_two, "ab");
		ledger_index_update(dir, P1226 + 1, &lc, NULL, 0);
		char *i4 = index_of(dir, &n4);
		/* written in place: the E row on (the files' new ends) is
		 * new, the edited byte is still there */
		CHECK(i4 && lc.index_tail < n3 && lc.index_tail < n4 &&
		      (n4 != n3 || memcmp(i4, i3, n3) != 0) &&
		      memcmp(i4, i3, lc.index_tail) == 0);
		free(i4);
		struct ledger_index ix;
		const char *why;
		CHECK_INT(index_read(dir, &a, &ix, NULL, &why), -1);
		CHECK(why != NULL);
		write_to(dir, "register.csv", reg.data, reg_two, "wb");
		write_to(dir, "lines.csv", lines.data, lines_two, "wb");
		write_to(dir, "ledger-index.csv", i0, n0, "wb");
	} else {
		FAIL("no I row to edit in the index");
	}
	free(i3);
	for (int torn = 0; torn < 2 && i0; torn++) {
		struct ledger lb;
		CHECK_INT(ledger_load_from(&lb, dir, LEDGER_REPAIR, P1226 + 1, NULL,
					   &a, &d), 0);
		/* the read went by the index: the update keeps its frozen
		 * block (2026-12) as it is and must give the same bytes */
		CHECK(lb.index_used && (size_t)lb.index_id.size == n0 &&
		      lb.index_frozen == P1226 + 1 && lb.index_tail > 0 &&
		      lb.index_tail < n0 && i0[lb.index_tail] == 'E');
		if (!torn) {     /* the third invoice appended */
			write_to(dir, "register.csv", reg.data + reg_two,
				 reg.len - reg_two, "ab");
			write_to(dir, "lines.csv", lines.data + lines_two,
				 lines.len - lines_two, "ab");
			/* and the index's kept block changed on disk since it
			 * was read (same length, same checksum row): it is
			 * made anew, not carried on */
			size_t at = 0;                      /* an I row */
			while (i0 && at < n0 && i0[at] != '\n')
				at++;
			at++;
			char *ed = i0 && at + 4 < n0 ? malloc(n0) : NULL;
			if (ed) {
				memcpy(ed, i0, n0);
				CHECK(ed[at] == 'I' && ed[at + 1] == ',');
				ed[at + 3] ^= 1;                     /* its period */
				write_to(dir, "ledger-index.csv", ed, n0, "wb");
				free(ed);
				/* a second later than read (an editor's save) */
				struct timespec later = lb.index_id.mtime;
				later.tv_sec++;
				index_mtime(dir, later);
			}
		} else {         /* a row cut short: not read on */
			write_to(dir, "lines.csv", "INV-2027", 8, "ab");
		}
		ledger_index_update(dir, P1226 + 1, &lb, NULL, 0);
		char *i1 = index_of(dir, &n1);
		write_to(dir, "ledger-index.csv", i0, n0, "wb");
		ledger_index_update(dir, P1226 + 1, NULL, NULL, 0);
		char *i2 = index_of(dir, &n2);
		CHECK(i1 && i2 && n1 == n2 && memcmp(i1, i2, n1) == 0);
		CHECK(torn || !i1 || n1 != n0 ||   /* it has the new row */
		      memcmp(i1, i0, n0) != 0);
		free(i1);
		free(i2);
		/* back to two invoices and their index, the index written
		 * last (an index older than the files is not gone by) */
		write_to(dir, "register.csv", reg.data, reg_two, "wb");
		write_to(dir, "lines.csv", lines.data, lines_two, "wb");
		write_to(dir, "ledger-index.csv", i0, n0, "wb");
	}
	free(i0);
	diag_free(&d);
	fclose(sink);
	char path[64];
	const char *names[] = { "register.csv", "lines.csv",
				"ledger-index.csv" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	buf_free(&reg);
	buf_free(&lines);
	arena_free(&a);
}

/* The cursor in place (the ledger index's reader) gives what the cursor
 * with an arena gives, for rows of every shape: quoted fields first,
 * between and last, doubled quotes, empty fields, a comma last, a row
 * cut without its CRLF, and rows the reader refuses. */
TEST(ledger_cursor_in_place_same_fields)
{
	static const char *rows[] = {
		"B,\"2024-01\",x\r\n",
		"I,2026-12,INV-1,K1,\"C0,0000\",CNY\r\n",
		"\"R\",2026-12,\"a\"\"b\",c\r\n",
		"C,,,\r\n",
		"S,abc,\r\nI,1,2\r\n",
		"I,2026-12,\"cut",
		"I,2026-12,x,",
		"I,\"a\"b,c\r\n",
		"I,a\"b,c\r\n",
		"I,a\rb\r\n",
		"\r\n",
	};
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		size_t len = strlen(rows[k]);
		char *mine = xmalloc(len + 2);
		memcpy(mine, rows[k], len + 1);
		struct arena a = { 0 };
		struct ledger_cursor c1, c2;
		const char *why1, *why2;
		CHECK(ledger_cursor_open(&c1, &INDEX_TABLE, rows[k], len, 0, 1,
					 &a, &why1) == 0);
		CHECK(ledger_cursor_open(&c2, &INDEX_TABLE, mine, len, 0, 1,
					 NULL, &why2) == 0);
		for (;;) {
			struct ledger_rec r1, r2;
			char *f1[INDEX_NCOLS + 1], *f2[INDEX_NCOLS + 1];
			long l1, l2;
			int g1 = ledger_cursor_next(&c1, &r1, f1, &why1, &l1);
			int g2 = ledger_cursor_next(&c2, &r2, f2, &why2, &l2);
			CHECK_INT(g1, g2);
			if (g1 != 1 || g2 != 1)
				break;
			CHECK_INT(r1.nfields, r2.nfields);
			CHECK(r1.end == r2.end && r1.terminated == r2.terminated &&
			      r1.last_field_open == r2.last_field_open);
			for (int i = 0; i < INDEX_NCOLS; i++)
				CHECK_STR(f1[i], f2[i]);
		}
		free(mine);
		arena_free(&a);
	}
}
