/* bill/settled.c: the payments' digest per period and the periods found
 * settled, as the ledger index's P rows record them.  The expected
 * digests are Python hashlib's SHA-256 of the bytes written out below by
 * hand (settled.h's form: "LEN:NUMBER,DAY,FEN\n", in file order); the
 * settle days are worked out by hand. */
#include "harness.h"
#include "bill/settled.h"
#include "base/date.h"

#include <string.h>

static day_t day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int period(int y, int m)
{
	return y * 12 + m - 1;
}

/* 2027-01: two invoices paid, the second in two halves (settled on the
 * day of the second half, 2027-02-03), and a cancelled one (owes
 * nothing).  2027-02: paid, but a payment names a number of the period
 * the register does not have (X-...: any prefix names its period): not
 * settled.  2027-03: half paid.  2027-04: a credit (gross < 0), no
 * payment: settled from its issue date.  2027-05: the latest period,
 * which a later run may still change: never. */
static struct payment pay_in_file_order[] = {
	{ .invoice_no = "INV-202701-0002", .amount = 5000 },
	{ .invoice_no = "junk", .amount = 7 },
	{ .invoice_no = "X-202702-0009", .amount = 100 },
	{ .invoice_no = "INV-202703-0001", .amount = 1000 },
	{ .invoice_no = "INV-202701-0001", .amount = 10000 },
	{ .invoice_no = "INV-202702-0001", .amount = 100 },
	{ .invoice_no = "INV-202701-0002", .amount = 5000 },
	{ .invoice_no = "INV-202705-0001", .amount = 100 },
};

static void set_days(struct payment *p)
{
	day_t d[] = { day(2027, 2, 3), day(2027, 1, 1), day(2027, 1, 2),
		      day(2027, 3, 2), day(2027, 1, 5), day(2027, 2, 1),
		      day(2027, 1, 20), day(2027, 5, 1) };
	for (int i = 0; i < 8; i++)
		p[i].paid_on = d[i];
}

/* hashlib.sha256(b"15:INV-202701-0002,2027-02-03,5000\n"
 *                b"15:INV-202701-0001,2027-01-05,10000\n"
 *                b"15:INV-202701-0002,2027-01-20,5000\n") */
static const char D2701[] =
	"a81bff76f3149d8f4642e439bc6b37a6017bdac8a73d3bcf449c9a81af525f25";
/* hashlib.sha256(b"13:X-202702-0009,2027-01-02,100\n"
 *                b"15:INV-202702-0001,2027-02-01,100\n") */
static const char D2702[] =
	"5e9110bef51faaec0d0f5ed3e0fbfce099e0e72f186053087615e821b47c87f8";
/* 2027-01's payments sorted by number, then day (the digest of earlier
 * svcbills): the same rows in that file order */
static const char D2701_SORTED[] =
	"f4344eeb0edd690bb14fe5dca2e021034d82e87a73f90402a21a2aa7a150f5bb";

TEST(settled_periods_and_their_payments_digest)
{
	struct payment pay[8];
	memcpy(pay, pay_in_file_order, sizeof pay);
	set_days(pay);
	struct dataset ds = { .payments = pay, .npayments = 8 };
	struct arena a = { 0 };
	struct settle_payments sp;
	settle_payments(&ds, &a, &sp);
	CHECK_INT(sp.n, 4);           /* 2027-01, -02, -03, -05 */
	if (sp.n == 4) {
		CHECK_INT(sp.digests[0].period, period(2027, 1));
		CHECK_STR(sp.digests[0].digest, D2701);
		CHECK_INT(sp.count[0], 3);
		CHECK_INT(sp.digests[1].period, period(2027, 2));
		CHECK_STR(sp.digests[1].digest, D2702);
		CHECK_INT(sp.count[1], 2);
		CHECK_INT(sp.digests[3].period, period(2027, 5));
	}
	struct reg_row rows[] = {
		{ .invoice_no = "INV-202701-0001", .period = period(2027, 1),
		  .issue_date = day(2027, 1, 1), .gross = 10000,
		  .status = INV_ISSUED },
		{ .invoice_no = "INV-202701-0002", .period = period(2027, 1),
		  .issue_date = day(2027, 1, 1), .gross = 10000,
		  .status = INV_ISSUED },
		{ .invoice_no = "INV-202701-0003", .period = period(2027, 1),
		  .issue_date = day(2027, 1, 1), .gross = 500,
		  .status = INV_CANCELLED },
		{ .invoice_no = "INV-202702-0001", .period = period(2027, 2),
		  .issue_date = day(2027, 2, 1), .gross = 100,
		  .status = INV_ISSUED },
		{ .invoice_no = "INV-202703-0001", .period = period(2027, 3),
		  .issue_date = day(2027, 3, 1), .gross = 2000,
		  .status = INV_ISSUED },
		{ .invoice_no = "INV-202704-0001", .period = period(2027, 4),
		  .issue_date = day(2027, 4, 1), .gross = -500,
		  .status = INV_ISSUED },
		{ .invoice_no = "INV-202705-0001", .period = period(2027, 5),
		  .issue_date = day(2027, 5, 1), .gross = 100,
		  .status = INV_ISSUED },
	};
	const struct reg_row *last[7];
	for (int i = 0; i < 7; i++)
		last[i] = &rows[i];
	struct ledger lg = { 0 };
	lg.rows = rows;
	lg.nrows = 7;
	lg.last = last;
	lg.nlast = 7;
	struct settled_period *out;
	size_t n;
	settle_periods(&lg, &ds, &sp, &a, &out, &n);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(out[0].period, period(2027, 1));
		CHECK_INT(out[0].settled_on, day(2027, 2, 3));
		CHECK_STR(out[0].digest, D2701);
		CHECK_INT(out[1].period, period(2027, 4));
		CHECK_INT(out[1].settled_on, day(2027, 4, 1));
		/* hashlib.sha256(b"").hexdigest() */
		CHECK_STR(out[1].digest, "e3b0c44298fc1c149afbf4c8996fb924"
			  "27ae41e4649b934ca495991b7852b855");
	}
	/* the same payments in another file order: other digests (the
	 * next run reads those periods again), those of the order given;
	 * one of 2027-01's twice: another again */
	struct payment rev[9] = { pay[4], pay[6], pay[0], pay[1], pay[2],
				  pay[3], pay[5], pay[7] };
	struct settle_payments sp2;
	ds.payments = rev;
	settle_payments(&ds, &a, &sp2);
	CHECK(sp2.n == 4);
	if (sp2.n == 4) {
		CHECK_STR(sp2.digests[0].digest, D2701_SORTED);
		CHECK_STR(sp2.digests[1].digest, D2702);
	}
	/* read as payments.csv is (settle_reader_keep): 2027-01's rows
	 * summed up, not kept; the digests are those above */
	struct settle_reader sr;
	int pass[] = { period(2027, 1) };
	settle_reader_init(&sr, pass, 1);
	int kept[8];
	for (int i = 0; i < 8; i++)
		kept[i] = settle_reader_keep(&sr, &pay[i]);
	CHECK_INT(sr.passed, 3);
	CHECK(!kept[0] && kept[1] && kept[2] && kept[3] && !kept[4] &&
	      kept[5] && !kept[6] && kept[7]);
	struct settle_payments sp3;
	settle_reader_end(&sr, &a, &sp3);
	CHECK(settle_payments_same(&sp, &sp3));
	CHECK(!settle_payments_same(&sp2, &sp3));
	rev[8] = pay[4];
	ds.npayments = 9;
	settle_payments(&ds, &a, &sp2);
	CHECK(sp2.n == 4 && strcmp(sp2.digests[0].digest, D2701_SORTED) &&
	      strcmp(sp2.digests[0].digest, D2701) && sp2.count[0] == 4);
	arena_free(&a);
}
