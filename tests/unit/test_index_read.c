/* ledger/index.c's reader, on an index written out by hand: it reads the
 * file a piece at a time and keeps only the lines it parses, leaving out
 * the I rows of the periods its P rows let a run pass over.  What it
 * keeps must be what a whole read of the same bytes gives:
 *   - a line inside a quoted field that looks like such an I row is part
 *     of its field, not a row (the quotes are counted across lines);
 *   - lines cross the pieces (the file is larger than a piece), and one
 *     line is longer than a piece;
 *   - the tail (E, P, B rows and S) is longer than the first piece read
 *     from the end;
 *   - the E row's offset and the CRC of the bytes before it are the
 *     file's, whatever was left out;
 *   - the C rows are left out when the K rows hold (the hold function
 *     is given each K row as written).
 * The checksum is the CRC-32 of zlib and PNG, computed here bit by bit
 * (not with the library the product uses); the expected counts, ids and
 * offsets are worked out from the text built below. */
#include "harness.h"
#include "base/buf.h"
#include "ledger/index.h"
#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t crc32_by_hand(const char *s, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)s[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return c ^ 0xffffffffu;
}

#define DIGEST "ae8bd5a0d5e07eb37e031ca3297778d780517a9b9aff67707a21d6e4d61b0727"
#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"
#define SKIPPED_ROWS 30000      /* ~3 MB of I rows of 2027-01 */
#define LONG_ID 1500000         /* longer than a piece (1 MiB) */

/* The index: 2027-01 (settled: its P row's digest is the one the run
 * has), 2027-02, frozen from 2027-03; B marks for every month from
 * 2020-01 (a tail of ~9 KB).  *e_at: where its E row begins. */
static void build(struct buf *b, size_t *e_at, char **long_id)
{
	buf_adds(b, "\xef\xbb\xbfkind,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10,v11,v12\r\n");
	for (int i = 1; i <= SKIPPED_ROWS; i++)
		buf_printf(b, "I,2027-01,INV-202701-%05d,K1,C1,CNY,2027-01-01,"
			   "2027-01-11,100.00,6.00,106.00,issued,\r\n", i);
	/* a quoted id: not passed over unparsed, but by take() */
	buf_adds(b, "I,2027-01,INV-202701-99999,\"K,1\",C1,CNY,2027-01-01,"
		 "2027-01-11,100.00,6.00,106.00,issued,\r\n");
	buf_adds(b, "C,2027-01,K1,2027-01-01,INV-202701-00001,,,,,,,,\r\n");
	/* a record id over three lines, the second like an I row of
	 * 2027-01 */
	buf_adds(b, "R,2027-01,\"REC\r\nI,2027-01,x\r\nEND\",INV-202701-00001,"
		 ",,,,,,,,\r\n");
	for (int i = 1; i <= 3; i++)
		buf_printf(b, "I,2027-02,INV-202702-%05d,K1,C1,CNY,2027-02-01,"
			   "2027-02-11,100.00,6.00,106.00,issued,\r\n", i);
	buf_adds(b, "C,2027-02,K1,2027-02-01,INV-202702-00001,,,,,,,,\r\n");
	*long_id = malloc(LONG_ID + 1);
	memset(*long_id, 'x', LONG_ID);
	(*long_id)[LONG_ID] = '\0';
	buf_printf(b, "R,2027-02,\"%s\",INV-202702-00001,,,,,,,,,\r\n",
		   *long_id);
	/* a record id a spreadsheet would take for a formula: written
	 * with the guard ' before it, read without */
	buf_adds(b, "R,2027-02,'=R1,INV-202702-00001,,,,,,,,,\r\n");
	*e_at = b->len;
	buf_adds(b, "E,1000,10,1000,10," ZEROS ",2027-03,,,,,,\r\n");
	buf_adds(b, "P,2027-01," DIGEST ",2027-01-20,,,,,,,,,\r\n");
	buf_adds(b, "K,K1,2027-01-01,2027-02-01,1,,,,,,,,\r\n");
	for (int y = 2020; y <= 2027; y++)
		for (int m = 1; m <= 12 && (y < 2027 || m <= 2); m++)
			buf_printf(b, "B,%04d-%02d,%d,%d,%d,%d," ZEROS
				   ",,,,,,\r\n", y, m, (y - 2020) * 12 + m,
				   2, (y - 2020) * 12 + m, 2);
	char sum[9];
	snprintf(sum, sizeof sum, "%08x", crc32_by_hand(b->data, b->len));
	buf_printf(b, "S,%s,,,,,,,,,,,\r\n", sum);
}

static struct cycle_sum held;

static int hold(const void *ctx, const struct cycle_sum *s)
{
	held = *s;
	held.contract_id = strcmp(s->contract_id, "K1") == 0 ? "K1" : "?";
	return ctx == &held;
}

TEST(index_read_in_pieces_keeps_what_a_whole_read_gives)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	struct buf b;
	buf_init(&b);
	size_t e_at;
	char *long_id;
	build(&b, &e_at, &long_id);
	CHECK(b.len > (size_t)3 << 20);
	char path[64];
	snprintf(path, sizeof path, "%s/ledger-index.csv", dir);
	FILE *f = fopen(path, "wb");
	fwrite(b.data, 1, b.len, f);
	fclose(f);

	int p01 = month_parse("2027-01"), p02 = month_parse("2027-02");
	struct settled_period now = { .period = p01, .digest = DIGEST };
	struct settle_want want = { .run_period = month_parse("2027-03"),
		.chart = 1, .before = date_from_ymd(2027, 3, 1),
		.digests = &now, .ndigests = 1, .cycles_hold = hold,
		.cycles_ctx = &held };
	for (int with = 0; with < 2; with++) {
		struct arena a = { 0 };
		struct ledger_index ix;
		const char *why;
		CHECK_INT(index_read(dir, &a, &ix, with ? &want : NULL, &why), 0);
		/* 2027-01's 30,001 I rows passed over (one by take()) or
		 * not; 2027-02's 3 kept */
		CHECK_INT(ix.nskipped, with);
		if (with && ix.nskipped)
			CHECK_INT(ix.skipped[0], p01);
		CHECK_INT(ix.nrows, with ? 3 : SKIPPED_ROWS + 1 + 3);
		if (ix.nrows)
			CHECK_INT(ix.rows[ix.nrows - 1].period, p02);
		/* the two C rows summed up by K1's K row, which held */
		CHECK_INT(ix.ncycle_sums, 1);
		CHECK_INT(ix.cycles_partial, with);
		CHECK_INT(ix.ncycles, with ? 0 : 2);
		CHECK_INT(ix.nrecords, 3);
		if (ix.nrecords == 3) {
			CHECK_STR(ix.records[2].record_id, "=R1");
			CHECK_STR(ix.records[0].record_id,
				  "REC\r\nI,2027-01,x\r\nEND");
			CHECK_STR(ix.records[1].record_id, long_id);
		}
		CHECK_INT(ix.nmarks, 12 * 7 + 2);
		CHECK_INT(ix.nsettled, 1);
		CHECK_INT(ix.tail, e_at);
		CHECK_INT(ix.head, crc32_by_hand(b.data, e_at));
		arena_free(&a);
	}
	CHECK_STR(held.contract_id, "K1");
	CHECK_INT(held.first, date_from_ymd(2027, 1, 1));
	CHECK_INT(held.last, date_from_ymd(2027, 2, 1));
	CHECK_INT(held.gcd, 1);
	/* a K row that does not hold: the C rows kept */
	{
		struct arena a = { 0 };
		struct ledger_index ix;
		const char *why;
		want.cycles_ctx = NULL;
		CHECK_INT(index_read(dir, &a, &ix, &want, &why), 0);
		CHECK_INT(ix.cycles_partial, 0);
		CHECK_INT(ix.ncycles, 2);
		arena_free(&a);
	}
	/* one byte of a row passed over changed: the checksum says so */
	b.data[1000] ^= 1;
	f = fopen(path, "wb");
	fwrite(b.data, 1, b.len, f);
	fclose(f);
	struct arena a = { 0 };
	struct ledger_index ix;
	const char *why;
	CHECK_INT(index_read(dir, &a, &ix, &want, &why), -1);
	arena_free(&a);
	unlink(path);
	rmdir(dir);
	free(long_id);
	buf_free(&b);
}
