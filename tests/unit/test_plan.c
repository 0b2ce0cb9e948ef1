/* plan_period() on its own: hand-built registers, drafts and disk hashes,
 * the expected plan worked out by hand in each test (docs/errors.md and
 * plan/plan.h say what each case must do). */
#include "harness.h"
#include "base/arena.h"
#include "base/diag.h"
#include "ledger/ledger.h"
#include "plan/plan.h"

#include <stdlib.h>
#include <sysexits.h>

#define P_2026_12 (2026 * 12 + 11)
#define P_2027_01 (2027 * 12 + 0)

static const char SHA_A[] =
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char SHA_B[] =
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

/* What a test hands plan_period, and where its messages go. */
struct fixture {
	struct arena a;
	struct dataset ds;
	struct contract contracts[3];
	struct ledger before;
	struct disk_hashes disk;
	struct file_hash files[4];
	struct plan_opts o;
	struct diag d;
	char *msg;                  /* what plan_period said */
	size_t msglen;
	FILE *f;
	struct plan plan;
};

static void setup(struct fixture *x, int period)
{
	memset(x, 0, sizeof *x);
	const char *ids[3] = { "K1", "K2", "K3" };
	for (int i = 0; i < 3; i++) {
		x->contracts[i].id = (char *)ids[i];
		x->contracts[i].client_id = "C1";
		x->contracts[i].currency = "CNY";
	}
	x->ds.contracts = x->contracts;
	x->ds.ncontracts = 3;
	x->ds.issuer.invoice_prefix = "INV";
	x->o.period = period;
	x->o.issue_date = month_first_day(period);
	x->o.root = "out";
	x->disk.v = x->files;
	x->f = open_memstream(&x->msg, &x->msglen);
	diag_init(&x->d, x->f);
	x->d.err = x->f;
}

static void teardown(struct fixture *x)
{
	diag_free(&x->d);
	fclose(x->f);
	free(x->msg);
	plan_free(&x->plan);
	arena_free(&x->a);
}

/* A draft as the fee engine makes it: one recurring line of net fen at
 * 6 %, numbers not assigned. */
static struct invoice draft(struct fixture *x, const char *contract,
			    int period, int64_t net)
{
	struct invoice v;
	memset(&v, 0, sizeof v);
	v.contract_id = contract;
	v.client_id = "C1";
	v.period = period;
	v.issue_date = month_first_day(period);
	v.due_date = v.issue_date + 10;
	struct line *l = arena_alloc(&x->a, sizeof *l);
	l->kind = LK_RECURRING;
	l->device_id = "";
	l->record_id = "";
	l->desc_zh = "服务费";
	l->desc_en = "service fee";
	l->amount = net;
	l->tax_pct = 60000;
	v.lines = l;
	v.nlines = 1;
	v.net = net;
	v.tax = net * 6 / 100;
	v.gross = v.net + v.tax;
	v.replaces = "";
	return v;
}

/* The register before the run: these invoices issued, in this order,
 * each with its PDF recorded as pdf_sha. */
static void issued(struct fixture *x, struct invoice *v, size_t n,
		   const char *const *numbers, const char *pdf_sha)
{
	struct invoice **p = arena_alloc(&x->a, sizeof *p * n);
	for (size_t i = 0; i < n; i++) {
		snprintf(v[i].number, sizeof v[i].number, "%s", numbers[i]);
		invoice_content_hash(&v[i]);
		p[i] = &v[i];
	}
	struct ledger empty;
	memset(&empty, 0, sizeof empty);
	memcpy(empty.seal, ZERO_CHAIN, 65);
	invoices_merge(&empty, p, n, &x->a, &x->before);
	for (size_t i = 0; i < n; i++) {
		struct reg_row *g = &x->before.rows[i];
		char period[8];
		month_format(g->period, period);
		g->pdf = arena_printf(&x->a, "%s/invoices/%s.pdf", period,
				      g->invoice_no);
		g->pdf_sha256 = pdf_sha;
	}
}

/* The file rel was on disk with this hash before the run. */
static void on_disk(struct fixture *x, const char *rel, const char *sha)
{
	struct file_hash *f = &x->files[x->disk.n++];
	f->rel = rel;
	memcpy(f->sha, sha, 65);
}

static int plan(struct fixture *x, const struct invoice *drafts, size_t n)
{
	int rc = plan_period(&x->before, drafts, n, &x->ds, &x->disk, &x->o,
			     &x->a, &x->d, &x->plan);
	fflush(x->f);
	return rc;
}

static const char *said(struct fixture *x)
{
	fflush(x->f);
	return x->msg ? x->msg : "";
}

/* Two contracts never billed: two new invoices numbered from 0001 in
 * contract order, and the summary (no device had a record). */
TEST(plan_new_invoices)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct invoice d[2] = { draft(&x, "K1", P_2026_12, 10000),
				draft(&x, "K2", P_2026_12, 25000) };
	CHECK_INT(plan(&x, d, 2), 0);
	CHECK_INT(x.plan.nappend, 2);
	if (x.plan.nappend == 2) {
		CHECK_STR(x.plan.append[0]->number, "INV-202612-0001");
		CHECK_STR(x.plan.append[0]->contract_id, "K1");
		CHECK_STR(x.plan.append[1]->number, "INV-202612-0002");
		CHECK_STR(x.plan.append[1]->contract_id, "K2");
		CHECK_INT(x.plan.append[1]->status, INV_ISSUED);
		CHECK_STR(x.plan.append[1]->replaces, "");
		CHECK_INT(x.plan.append[1]->gross, 26500);
	}
	CHECK_INT(x.plan.njobs, 3);
	if (x.plan.njobs == 3) {
		CHECK_INT(x.plan.jobs[0].kind, JOB_INVOICE);
		CHECK(x.plan.jobs[0].inv == x.plan.append[0]);
		CHECK(x.plan.jobs[0].expect_sha == NULL);
		CHECK(x.plan.jobs[1].inv == x.plan.append[1]);
		CHECK_INT(x.plan.jobs[2].kind, JOB_SUMMARY);
	}
	CHECK_INT(x.plan.count.fresh, 2);
	CHECK_INT(x.plan.count.kept + x.plan.count.reissued +
		  x.plan.count.restored, 0);
	/* the drafts are inputs: left as they were */
	CHECK_STR(d[0].number, "");
	CHECK_STR(d[0].content_sha256, "");
	CHECK_STR(said(&x), "");
	teardown(&x);
}

/* The same content as the register's invoice, its PDF on disk as
 * recorded: nothing to append, no invoice to draw, only the summary. */
TEST(plan_kept)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct invoice old[1] = { draft(&x, "K1", P_2026_12, 10000) };
	issued(&x, old, 1, (const char *[]){ "INV-202612-0001" }, SHA_A);
	on_disk(&x, "2026-12/invoices/INV-202612-0001.pdf", SHA_A);
	struct invoice d[1] = { draft(&x, "K1", P_2026_12, 10000) };
	CHECK_INT(plan(&x, d, 1), 0);
	CHECK_INT(x.plan.nappend, 0);
	CHECK_INT(x.plan.njobs, 1);
	if (x.plan.njobs == 1)
		CHECK_INT(x.plan.jobs[0].kind, JOB_SUMMARY);
	CHECK_INT(x.plan.count.kept, 1);
	CHECK_INT(x.plan.count.fresh + x.plan.count.reissued +
		  x.plan.count.restored, 0);
	CHECK_STR(said(&x), "");
	teardown(&x);
}

/* Kept, but one PDF is missing and the other is not what the register
 * recorded: both drawn again under their own numbers, each required to
 * come out with the recorded hash; no register row. */
TEST(plan_restored)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct invoice old[2] = { draft(&x, "K1", P_2026_12, 10000),
				  draft(&x, "K2", P_2026_12, 5000) };
	issued(&x, old, 2, (const char *[]){ "INV-202612-0001",
					     "INV-202612-0002" }, SHA_A);
	on_disk(&x, "2026-12/invoices/INV-202612-0002.pdf", SHA_B);
	struct invoice d[2] = { draft(&x, "K1", P_2026_12, 10000),
				draft(&x, "K2", P_2026_12, 5000) };
	CHECK_INT(plan(&x, d, 2), 0);
	CHECK_INT(x.plan.nappend, 0);
	CHECK_INT(x.plan.njobs, 3);
	if (x.plan.njobs == 3) {
		CHECK_INT(x.plan.jobs[0].kind, JOB_INVOICE);
		CHECK_STR(x.plan.jobs[0].inv->number, "INV-202612-0001");
		CHECK_STR(x.plan.jobs[0].expect_sha, SHA_A);
		CHECK_STR(x.plan.jobs[1].inv->number, "INV-202612-0002");
		CHECK_STR(x.plan.jobs[1].expect_sha, SHA_A);
	}
	CHECK_INT(x.plan.count.kept, 2);
	CHECK_INT(x.plan.count.restored, 2);
	CHECK_INT(x.plan.count.fresh + x.plan.count.reissued, 0);
	CHECK_STR(said(&x),
		  "svcbill: out/2026-12/invoices/INV-202612-0001.pdf is "
		  "missing or damaged: writing it again\n"
		  "svcbill: out/2026-12/invoices/INV-202612-0002.pdf is "
		  "missing or damaged: writing it again\n");
	teardown(&x);
}

/* Changed content without --reissue: refused, naming the totals; with
 * it, the old one cancelled, a credit note negating it (numbered CN-
 * from 0001, dated the issue date), and a new invoice numbered after the
 * period's last, replacing it. */
TEST(plan_reissued)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct invoice old[1] = { draft(&x, "K1", P_2026_12, 10000) };
	issued(&x, old, 1, (const char *[]){ "INV-202612-0001" }, SHA_A);
	on_disk(&x, "2026-12/invoices/INV-202612-0001.pdf", SHA_A);
	struct invoice d[1] = { draft(&x, "K1", P_2026_12, 20000) };
	CHECK_INT(plan(&x, d, 1), EX_DATAERR);
	CHECK_INT(x.d.errors, 1);
	CHECK_STR(said(&x),
		  "svcbill: contract K1: invoice INV-202612-0001 of 2026-12 "
		  "changed: net 100.00 -> 200.00, tax 6.00 -> 12.00, gross "
		  "106.00 -> 212.00 (run with --reissue to cancel it and "
		  "issue a credit note and a new invoice)\n");
	teardown(&x);

	setup(&x, P_2026_12);
	x.o.reissue = 1;
	x.o.issue_date = month_first_day(P_2026_12) + 4;
	struct invoice old2[1] = { draft(&x, "K1", P_2026_12, 10000) };
	issued(&x, old2, 1, (const char *[]){ "INV-202612-0001" }, SHA_A);
	struct invoice d2[1] = { draft(&x, "K1", P_2026_12, 20000) };
	CHECK_INT(plan(&x, d2, 1), 0);
	CHECK_INT(x.plan.nappend, 3);
	if (x.plan.nappend == 3) {
		const struct invoice *gone = x.plan.append[0],
				     *cn = x.plan.append[1],
				     *now = x.plan.append[2];
		CHECK_STR(gone->number, "INV-202612-0001");
		CHECK_INT(gone->status, INV_CANCELLED);
		CHECK_INT(gone->net, 10000);
		CHECK_STR(cn->number, "CN-202612-0001");
		CHECK_INT(cn->status, INV_CREDIT);
		CHECK_STR(cn->replaces, "INV-202612-0001");
		CHECK_INT(cn->net, -10000);
		CHECK_INT(cn->tax, -600);
		CHECK_INT(cn->gross, -10600);
		CHECK_INT(cn->issue_date, month_first_day(P_2026_12) + 4);
		CHECK_INT(cn->due_date, month_first_day(P_2026_12) + 4);
		CHECK_INT(cn->nlines, 1);
		if (cn->nlines == 1)
			CHECK_INT(cn->lines[0].amount, -10000);
		CHECK_STR(now->number, "INV-202612-0002");
		CHECK_INT(now->status, INV_ISSUED);
		CHECK_STR(now->replaces, "INV-202612-0001");
		CHECK_INT(now->net, 20000);
	}
	CHECK_INT(x.plan.njobs, 3);
	if (x.plan.njobs == 3 && x.plan.nappend == 3) {
		CHECK(x.plan.jobs[0].inv == x.plan.append[1]);  /* the CN */
		CHECK(x.plan.jobs[1].inv == x.plan.append[2]);
		CHECK_INT(x.plan.jobs[2].kind, JOB_SUMMARY);
	}
	CHECK_INT(x.plan.count.reissued, 1);
	CHECK_INT(x.plan.count.fresh + x.plan.count.kept, 0);
	/* the register's own lines are not changed by the credit note */
	CHECK_INT(x.before.lines[0].l.amount, 10000);
	teardown(&x);
}

/* An invoice of the period whose contract has nothing to bill now:
 * refused without --reissue ("now nothing to bill"); with it, cancelled
 * and credited, and nothing issued in its place. */
TEST(plan_cancelled_without_replacement)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct invoice old[1] = { draft(&x, "K2", P_2026_12, 5000) };
	issued(&x, old, 1, (const char *[]){ "INV-202612-0001" }, SHA_A);
	CHECK_INT(plan(&x, NULL, 0), EX_DATAERR);
	CHECK_STR(said(&x),
		  "svcbill: contract K2: invoice INV-202612-0001 of 2026-12 "
		  "changed: net 50.00 -> 0.00, tax 3.00 -> 0.00, gross 53.00 "
		  "-> 0.00 (now nothing to bill) (run with --reissue to "
		  "cancel it and issue a credit note and a new invoice)\n");
	teardown(&x);

	setup(&x, P_2026_12);
	x.o.reissue = 1;
	struct invoice old2[1] = { draft(&x, "K2", P_2026_12, 5000) };
	issued(&x, old2, 1, (const char *[]){ "INV-202612-0001" }, SHA_A);
	CHECK_INT(plan(&x, NULL, 0), 0);
	CHECK_INT(x.plan.nappend, 2);
	if (x.plan.nappend == 2) {
		CHECK_STR(x.plan.append[0]->number, "INV-202612-0001");
		CHECK_INT(x.plan.append[0]->status, INV_CANCELLED);
		CHECK_STR(x.plan.append[1]->number, "CN-202612-0001");
		CHECK_INT(x.plan.append[1]->status, INV_CREDIT);
		CHECK_INT(x.plan.append[1]->gross, -5300);
	}
	CHECK_INT(x.plan.njobs, 2);     /* the credit note, the summary */
	CHECK_INT(x.plan.count.reissued, 1);
	CHECK_INT(x.plan.count.fresh, 0);
	teardown(&x);
}

/* 2027-01 is billed: 2026-12 may be re-run unchanged, but not so that it
 * would append rows. */
TEST(plan_earlier_period)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct invoice old[2] = { draft(&x, "K1", P_2026_12, 10000),
				  draft(&x, "K1", P_2027_01, 10000) };
	issued(&x, old, 2, (const char *[]){ "INV-202612-0001",
					     "INV-202701-0001" }, SHA_A);
	on_disk(&x, "2026-12/invoices/INV-202612-0001.pdf", SHA_A);
	struct invoice same[1] = { draft(&x, "K1", P_2026_12, 10000) };
	CHECK_INT(plan(&x, same, 1), 0);
	CHECK_INT(x.plan.nappend, 0);
	CHECK_INT(x.plan.count.kept, 1);
	teardown(&x);

	setup(&x, P_2026_12);
	struct invoice old2[1] = { draft(&x, "K1", P_2027_01, 10000) };
	issued(&x, old2, 1, (const char *[]){ "INV-202701-0001" }, SHA_A);
	struct invoice d[1] = { draft(&x, "K2", P_2026_12, 10000) };
	CHECK_INT(plan(&x, d, 1), EX_DATAERR);
	CHECK_STR(said(&x),
		  "svcbill: 2026-12 is earlier than the latest period in the "
		  "register (2027-01): it may only be re-run unchanged, and "
		  "this run would issue 1 new register rows\n");
	teardown(&x);
}

/* Which record sheets exist: a device with a record completed in the
 * activity month (the month before the period) has one, in device
 * order, after the invoices and before the summary. */
TEST(plan_sheets)
{
	struct fixture x;
	setup(&x, P_2026_12);
	struct record rec[2];
	struct record *r0[1] = { &rec[0] }, *r1[1] = { &rec[1] };
	memset(rec, 0, sizeof rec);
	/* 2026-11-30 23:00 and 2026-10-31 23:00, seconds since 1970 */
	rec[0].completed_at = ((int64_t)month_first_day(P_2026_12) - 1) *
			      86400 + 23 * 3600;
	rec[1].completed_at = ((int64_t)month_first_day(P_2026_12 - 1) - 1) *
			      86400 + 23 * 3600;
	struct device dev[2];
	memset(dev, 0, sizeof dev);
	dev[0].id = "D1";
	dev[0].records = r1;            /* October: no sheet */
	dev[0].nrecords = 1;
	dev[1].id = "D2";
	dev[1].records = r0;            /* November: a sheet */
	dev[1].nrecords = 1;
	x.ds.devices = dev;
	x.ds.ndevices = 2;
	struct invoice d[1] = { draft(&x, "K1", P_2026_12, 10000) };
	CHECK_INT(plan(&x, d, 1), 0);
	CHECK_INT(x.plan.njobs, 3);
	if (x.plan.njobs == 3) {
		CHECK_INT(x.plan.jobs[0].kind, JOB_INVOICE);
		CHECK_INT(x.plan.jobs[1].kind, JOB_SHEET);
		CHECK(x.plan.jobs[1].dev == &dev[1]);
		CHECK_INT(x.plan.jobs[2].kind, JOB_SUMMARY);
	}
	teardown(&x);
}
