/* bill/settled.c: the payments' digest per period and the periods found
 * settled, as the ledger index's P rows record them.  The expected
 * digests are Python hashlib's SHA-256 of the bytes written out below by
 * hand (settled.h's form: "LEN:NUMBER,DAY,FEN\n", by number, then day,
 * then amount); the settle days are worked out by hand. */
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

static const char D2701[] =
	"f4344eeb0edd690bb14fe5dca2e021034d82e87a73f90402a21a2aa7a150f5bb";
static const char D2702[] =
	"5bf66ee50f2f160ca21fedff3dd34aa9ae221eceab8b42e350550505c800af4b";

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
	/* the same payments in another file order: the same digests (a
	 * multiset); one of 2027-01's twice: another */
	struct payment rev[9];
	for (int i = 0; i < 8; i++)
		rev[i] = pay[7 - i];
	struct settle_payments sp2;
	ds.payments = rev;
	settle_payments(&ds, &a, &sp2);
	CHECK(sp2.n == 4 && strcmp(sp2.digests[0].digest, D2701) == 0 &&
	      strcmp(sp2.digests[1].digest, D2702) == 0);
	rev[8] = pay[4];
	ds.npayments = 9;
	settle_payments(&ds, &a, &sp2);
	CHECK(sp2.n == 4 && strcmp(sp2.digests[0].digest, D2701) != 0 &&
	      sp2.count[0] == 4);
	arena_free(&a);
}
