/* test_ledger.c - the ledger tables (SPEC §4): the chain and the content
 * hash against values computed independently (Python's hashlib over the
 * serialisation SPEC §4 defines), the formula guard written and read
 * back exactly, line breaks kept inside quotes, and the reader's view of
 * a row cut at every byte. */
#include "harness.h"
#include "read/fields.h"
#include "ledger/ledger.h"
#include "ledger/archive.h"
#include "bill/invoice.h"

#include <stdlib.h>
#include <unistd.h>

/* python3 -c "import hashlib; f=[...15 fields...]; print(hashlib.sha256(
 *   ('0'*64 + '\n' + ''.join(x + '\n' for x in f)).encode()).hexdigest())" */
#define CHAIN_1 "594ad3b5e063be4c5d2c0d11c310ebc50154d836f0f5f8b1d54ceed1be173633"
/* the content of one recurring line 1.00 x 100.00 at 6 %, totals
 * 100.00 / 6.00 / 106.00, issued 2026-12-01, due 2026-12-11 */
/* a well-formed SHA-256 for SHA256SUMS lines */
#define SHA_A "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
#define CONTENT_1 "7b3e6bec3eae198bb3013a86a724dbc929b3f6578e97f1c93c0864b5516a9933"

static const char *const fields_1[15] = {
	"INV-202612-0001", "2026-12", "K1", "C1", "2026-12-01",
	"2026-12-11", "CNY", "100.00", "6.00", "106.00", "issued", "",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"2026-12/invoices/INV-202612-0001.pdf",
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
};

TEST(ledger_chain_is_the_spec_hash)
{
	char out[65];
	ledger_chain(ZERO_CHAIN, fields_1, out);
	CHECK_STR(out, CHAIN_1);
}

static void invoice_1(struct invoice *inv, struct line *l)
{
	memset(inv, 0, sizeof *inv);
	memset(l, 0, sizeof *l);
	l->kind = LK_RECURRING;
	l->flags = LINE_HAS_CYCLE | LINE_HAS_QTY | LINE_HAS_PRICE;
	l->device_id = l->record_id = "";
	l->desc_zh = "网站维护";
	l->desc_en = "=Website\r\nmaintenance";
	parse_date("2026-12-01", &l->cycle_start);
	parse_date("2026-12-31", &l->cycle_end);
	l->qty = ratio_of(1, 1);
	l->unit_price = ratio_of(10000, 1);
	l->amount = 10000;
	l->qty_s = "1.00";
	l->price_s = "100.00";
	l->tax_pct = 60000;
	inv->lines = l;
	inv->nlines = 1;
	inv->contract_id = "K1";
	inv->client_id = "C1";
	inv->period = 2026 * 12 + 11;
	parse_date("2026-12-01", &inv->issue_date);
	parse_date("2026-12-11", &inv->due_date);
	inv->net = 10000;
	inv->tax = 600;
	inv->gross = 10600;
	inv->replaces = "";
	snprintf(inv->number, sizeof inv->number, "INV-202612-0001");
}

TEST(ledger_content_hash_is_the_spec_serialisation)
{
	struct invoice inv;
	struct line l;
	invoice_1(&inv, &l);
	invoice_content_hash(&inv);
	CHECK_STR(inv.content_sha256, CONTENT_1);
}

TEST(ledger_register_row_round_trip)
{
	struct invoice inv;
	struct line l;
	invoice_1(&inv, &l);
	snprintf(inv.content_sha256, sizeof inv.content_sha256, "%s",
		 fields_1[12]);
	struct buf b;
	buf_init(&b);
	ledger_header(&b, &REGISTER_TABLE);
	char chain[65] = ZERO_CHAIN;
	register_row(&b, &inv, fields_1[13], fields_1[14], chain);
	CHECK_STR(chain, CHAIN_1);
	struct arena a = { 0 };
	struct ledger_rec *recs;
	const char *why;
	long why_line;
	long n = ledger_parse(&REGISTER_TABLE, b.data, b.len, &a, &recs, &why,
			      &why_line);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_INT(recs[0].nfields, 16);
		CHECK(recs[0].terminated);
		for (int i = 0; i < 15; i++)
			CHECK_STR(recs[0].f[i], fields_1[i]);
		CHECK_STR(recs[0].f[15], CHAIN_1);
	}
	free(recs);
	buf_free(&b);
	arena_free(&a);
}

/* A lines.csv row: the descriptions written as SPEC §4 says (guard,
 * quotes, line breaks kept), read back exactly; cut at every byte, the
 * row is seen as torn, never as a complete row or an error. */
TEST(ledger_lines_row_exact_and_cut)
{
	struct invoice inv;
	struct line l;
	invoice_1(&inv, &l);
	struct buf b;
	buf_init(&b);
	ledger_header(&b, &LINES_TABLE);
	size_t head = b.len;
	lines_rows(&b, &inv);
	const char *want = "INV-202612-0001,1,recurring,K1,,,2026-12-01,"
		"2026-12-31,网站维护,\"'=Website\r\nmaintenance\",1.00,100.00,"
		"100.00,6\r\n";
	CHECK_STR(b.data + head, want);
	struct arena a = { 0 };
	for (size_t cut = head; cut <= b.len; cut++) {
		struct ledger_rec *recs;
		const char *why;
		long why_line;
		long n = ledger_parse(&LINES_TABLE, b.data, cut, &a, &recs,
				      &why, &why_line);
		if (n < 0) {
			FAIL("cut at %zu: %s", cut, why);
		} else if (cut == head) {
			CHECK_INT(n, 0);
		} else if (cut == b.len) {
			CHECK(n == 1 && recs[0].terminated &&
			      strcmp(ledger_unguard(recs[0].f[9]),
				     l.desc_en) == 0);
		} else if (n != 1 || recs[0].terminated) {
			FAIL("cut at %zu: not seen as torn", cut);
		}
		free(recs);
	}
	buf_free(&b);
	arena_free(&a);
}

TEST(ledger_guard_is_exact)
{
	static const char *const v[][2] = {
		{ "=x", "'=x" }, { "'=x", "''=x" }, { "''=x", "'''=x" },
		{ "'abc", "'abc" }, { "-12.50", "-12.50" }, { "-x", "'-x" },
		{ "@sum", "'@sum" }, { "+1", "'+1" }, { "plain", "plain" },
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		struct buf b;
		buf_init(&b);
		csv_put(&b, v[i][0], 1);
		CHECK_STR(b.data, v[i][1]);
		CHECK_STR(ledger_unguard(b.data), v[i][0]);
		buf_free(&b);
	}
}

TEST(ledger_parse_refuses_what_svcbill_never_writes)
{
	struct arena a = { 0 };
	struct ledger_rec *recs;
	const char *why;
	long why_line;
	static const char *const bad[] = {
		"invoice_no,line_no\r\n",                       /* no BOM */
		"\xEF\xBB\xBFinvoice_no,period,contract_id\r\n", /* header */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_INT(ledger_parse(&REGISTER_TABLE, bad[i], strlen(bad[i]),
				       &a, &recs, &why, &why_line), -1);
	struct buf b;
	buf_init(&b);
	ledger_header(&b, &LINES_TABLE);
	buf_adds(&b, "a,b\nc\r\n");                     /* bare LF */
	CHECK_INT(ledger_parse(&LINES_TABLE, b.data, b.len, &a, &recs, &why,
			       &why_line), -1);
	buf_free(&b);
	arena_free(&a);
}

/* A register and lines.csv of two invoices, as a run writes them, cut
 * at every byte offset of the last two rows of either file (what a
 * crash during an append leaves): ledger_load reads each as a torn tail
 * to repair, never as damage, and keeps every complete row. */
TEST(ledger_load_every_cut_is_a_repairable_tail)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	struct invoice inv[2];
	struct line l[2];
	struct buf reg, lines;
	buf_init(&reg);
	buf_init(&lines);
	ledger_header(&reg, &REGISTER_TABLE);
	ledger_header(&lines, &LINES_TABLE);
	size_t reg_from = reg.len, lines_from = lines.len;
	char chain[65] = ZERO_CHAIN;
	for (int i = 0; i < 2; i++) {
		invoice_1(&inv[i], &l[i]);
		snprintf(inv[i].number, sizeof inv[i].number,
			 "INV-202612-000%d", i + 1);
		invoice_content_hash(&inv[i]);
		lines_rows(&lines, &inv[i]);
		register_row(&reg, &inv[i], "", "", chain);
	}
	char rpath[64], lpath[64];
	snprintf(rpath, sizeof rpath, "%s/register.csv", dir);
	snprintf(lpath, sizeof lpath, "%s/lines.csv", dir);
	int bad = 0;
	for (int which = 0; which < 2; which++) {
		struct buf *cut = which ? &lines : &reg;
		size_t from = which ? lines_from : reg_from;
		for (size_t off = from; off < cut->len; off++) {
			/* a cut register: lines.csv complete (appended
			 * first); a cut lines.csv: no register row yet */
			FILE *f = fopen(rpath, "wb");
			fwrite(reg.data, 1, which ? reg_from : off, f);
			fclose(f);
			f = fopen(lpath, "wb");
			fwrite(lines.data, 1, which ? off : lines.len, f);
			fclose(f);
			struct arena a = { 0 };
			struct diag d;
			FILE *sink = tmpfile();
			diag_init(&d, sink);
			struct ledger lg;
			int rc = ledger_load(&lg, dir, LEDGER_READ, &a, &d);
			diag_free(&d);
			fclose(sink);
			/* the rows kept: those complete but for their
			 * final CRLF (both rows are as long) */
			size_t row = (reg.len - reg_from) / 2;
			size_t want = (off + 2 >= reg_from + row) +
				      (off + 2 >= reg.len);
			if (rc != 0 || (!which && lg.nrows != want) ||
			    ((!which || off > from) && !lg.pending_repair)) {
				if (bad++ < 5)
					FAIL("%s cut at %zu: rc %d, %zu rows",
					     which ? "lines" : "register", off, rc,
					     lg.nrows);
			}
			arena_free(&a);
		}
	}
	unlink(rpath);
	unlink(lpath);
	rmdir(dir);
	buf_free(&reg);
	buf_free(&lines);
}

/* A SHA256SUMS line for a name holding a line feed, carriage return or
 * backslash: escaped as GNU sha256sum writes it (the bytes below are
 * what `sha256sum` of coreutils 9.1 printed for such files), so that
 * `sha256sum -c` reads it, and read back to the same names. */
TEST(sums_line_escapes_as_sha256sum)
{
	static const char *const names[] = { "a\nb", "c\\d", "e\rf",
					     "plain" };
	static const char *const want =
		"\\" SHA_A "  a\\nb\n"
		"\\" SHA_A "  c\\\\d\n"
		"\\" SHA_A "  e\\rf\n"
		SHA_A "  plain\n";
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 4; i++)
		sums_line(&b, SHA_A, names[i]);
	CHECK_INT((long)b.len, (long)strlen(want));
	CHECK(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0);
	char path[] = "/tmp/svcbill-unit-sums.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0) {
		buf_free(&b);
		return;
	}
	CHECK((size_t)write(fd, b.data, b.len) == b.len);
	close(fd);
	struct sums s;
	CHECK(sums_read(path, &s) == 0);
	unlink(path);
	CHECK_INT((long)s.n, 4);
	CHECK_INT((long)s.nbad, 0);
	for (int i = 0; i < 4; i++)
		CHECK(sums_find(&s, names[i]) != NULL);
	sums_free(&s);
	buf_free(&b);
}
