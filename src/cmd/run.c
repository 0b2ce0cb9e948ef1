/* run.c - the commands.  The pipeline of a run is one way:
 *   read + validate (load.c) -> compute (rules.c) -> reconcile with the
 *   register (reconcile.c) -> render (render.c) -> commit (commit.c).
 * Nothing is written before the data has been found valid, and the
 * register rows are appended only after every PDF is in place. */
#include "plan/runstate.h"
#include "ledger/archive.h"
#include "base/fsio.h"
#include "read/load.h"
#include "base/money.h"
#include "bill/rules.h"
#include "xlsx/xlsx.h"

#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static void print_summary(struct run *r, const struct invoice *inv,
			  size_t ninv)
{
	int64_t net = 0, tax = 0, gross = 0;
	for (size_t i = 0; i < ninv; i++) {
		net += inv[i].net;
		tax += inv[i].tax;
		gross += inv[i].gross;
	}
	char n[40], t[40], g[40];
	money_grouped(net, n);
	money_grouped(tax, t);
	money_grouped(gross, g);
	printf("%s: %zu invoices, net %s, tax %s, gross %s (%d new, %d "
	       "unchanged, %d reissued), ledger seal %s%s\n", r->period_s,
	       ninv, n, t, g, r->nnew, r->nkept, r->nreissued,
	       r->o->dry_run ? r->lg.seal : r->post.seal,
	       r->o->dry_run ? " [dry run: nothing written]" : "");
}

static int open_font(struct run *r)
{
	char err[1024];
	if (font_open(&r->font, r->o->font, err, sizeof err) != 0) {
		fprintf(stderr, "svcbill: %s\n", err);
		return EX_NOINPUT;
	}
	return 0;
}

static void warn_unknown_payments(struct run *r)
{
	for (size_t i = 0; i < r->ds.npayments; i++) {
		const struct payment *p = &r->ds.payments[i];
		if (!ledger_find(&r->lg, p->invoice_no))
			diag_warning(&r->d, arena_printf(&r->a,
				     "%s/payments.csv", r->o->data),
				     p->ri.line, "invoice_no", p->invoice_no,
				     "no such invoice in the register; "
				     "payment not used");
	}
}

/* A folder that cannot be made: a path that cannot be one (73), or a
 * place that cannot be written, full or read-only (74). */
static int create_status(int err)
{
	return err == ENOTDIR || err == ENOENT || err == ENAMETOOLONG ||
	       err == ELOOP ? EX_CANTCREAT : EX_IOERR;
}

static int has_sheets(const struct run *r)
{
	for (size_t i = 0; i < r->njobs; i++)
		if (r->jobs[i].kind == JOB_SHEET)
			return 1;
	return 0;
}

/* The archive root: made if need be, and svcbill's alone (SPEC §4):
 * owned by this user and writable by nobody else.  0 or an exit status. */
static int open_root(const char *root, int create)
{
	if (create && mkdir_p(root) != 0) {
		fprintf(stderr, "svcbill: cannot create %s: %s\n", root,
			strerror(errno));
		return create_status(errno);
	}
	struct stat st;
	if (fsio_set_root(root, &st) != 0)
		return -1;
	if (!create)
		return 0;
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		fprintf(stderr, "svcbill: %s: the archive %s; svcbill keeps "
			"its archive in a folder of its own user that nobody "
			"else may write\n", root, st.st_uid != geteuid() ?
			"belongs to another user" :
			"may be written by group or others");
		return EX_CANTCREAT;
	}
	return 0;
}

/* A link, pipe or device in the period's folders: damage, found before
 * anything is written. */
static int check_period_tree(struct run *r)
{
	char bad[4300];
	int rc = check_tree(r->period_dir, bad, sizeof bad);
	if (rc == 1) {
		fprintf(stderr, "svcbill: %s\n", bad);
		return EX_DATAERR;
	}
	if (rc < 0)
		return io_error("cannot read", r->period_dir);
	return 0;
}

static int run_body(struct run *r)
{
	const struct options *o = r->o;
	load_dataset(o->data, &r->a, &r->d, &r->ds);
	diag_finish(&r->d);
	int rc = diag_exit_status(&r->d);
	if (rc)
		return rc;
	if (!o->dry_run && (rc = open_font(r)) != 0)
		return rc;
	month_format(o->period, r->period_s);
	r->period_dir = arena_printf(&r->a, "%s/%s", o->out, r->period_s);
	int lock = -1;
	if (o->dry_run) {
		if (open_root(o->out, 0) != 0 && errno != ENOENT)
			return io_error("cannot open", o->out);
	} else {
		if ((rc = open_root(o->out, 1)) != 0)
			return rc < 0 ? io_error("cannot open", o->out) : rc;
		char holder[256];
		lock = lock_archive(o->out, holder, sizeof holder);
		if (lock < 0 && errno == EWOULDBLOCK) {
			fprintf(stderr, "svcbill: the archive %s is in use by "
				"another run (%s)\n", o->out, holder);
			return EX_TEMPFAIL;
		}
		if (lock < 0 && fsio_refusal(errno))
			return io_error("cannot lock", o->out);
		if (lock < 0) {
			fprintf(stderr, "svcbill: cannot lock %s: %s\n",
				o->out, strerror(errno));
			return create_status(errno);
		}
		remove_stale_temporaries(o->out);
		remove_stale_temporaries(r->period_dir);
		remove_stale_temporaries(arena_printf(&r->a, "%s/invoices",
						      r->period_dir));
		remove_stale_temporaries(arena_printf(&r->a, "%s/sheets",
						      r->period_dir));
		if ((rc = check_period_tree(r)) != 0)
			return rc;
	}
	rc = ledger_load(&r->lg, o->out, o->dry_run ? LEDGER_READ :
			 LEDGER_REPAIR, &r->a, &r->d);
	diag_flush(&r->d);
	if (rc)
		return rc;
	warn_unknown_payments(r);
	check_billed_cycles(&r->ds, &r->lg, o->data, &r->a, &r->d);
	diag_flush(&r->d);
	if (r->d.errors)
		return EX_DATAERR;
	struct history hist;
	ledger_history(&r->lg, &r->a, &hist);
	struct bill_input in = { .ds = &r->ds, .period = o->period,
				 .issue_date = o->issue_date, .hist = &hist,
				 .d = &r->d, .data_dir = o->data };
	size_t ninv;
	struct invoice *inv = bill_period(&in, &r->a, &ninv);
	diag_flush(&r->d);
	if (r->d.errors)
		return EX_DATAERR;      /* amounts beyond the limits */
	if ((rc = reconcile(r, inv, ninv)) != 0)
		return rc;
	if (o->dry_run) {
		print_summary(r, inv, ninv);
		return 0;
	}
	/* an issued PDF that cannot be restored byte-identically is damage:
	 * found before anything is written */
	if ((rc = check_restores(r)) != 0)
		return rc;
	/* the register exists before any document does, so that a first
	 * run killed halfway is told from a register that was lost */
	if ((rc = ensure_ledger_files(r)) != 0)
		return rc;
	ledger_merge(&r->lg, r->append, r->nappend, &r->a, &r->post);
	/* every run leaves the month's summary files (SPEC §4) */
	add_reports(r, 1);
	const char *dirs[3] = {
		arena_printf(&r->a, "%s/invoices", r->period_dir),
		arena_printf(&r->a, "%s/sheets", r->period_dir),
		r->period_dir,
	};
	for (int i = 0; i < 3 && r->njobs; i++) {
		if (i == 1 && !has_sheets(r))
			continue;
		if (mkdir_p(dirs[i]) != 0) {
			if (fsio_refusal(errno))
				return io_error("cannot create", dirs[i]);
			fprintf(stderr, "svcbill: cannot create %s: %s\n",
				dirs[i], strerror(errno));
			return create_status(errno);
		}
	}
	/* the invoices and sheets, then the rows (they hold the invoices'
	 * hashes), then the summary (it shows the seal) */
	size_t docs = r->njobs && r->jobs[r->njobs - 1].kind == JOB_SUMMARY ?
		      r->njobs - 1 : r->njobs;
	if ((rc = render_range(r, 0, docs)) != 0 ||
	    (rc = prepare_rows(r)) != 0 ||
	    (rc = render_range(r, docs, r->njobs)) != 0)
		return rc;
	/* the renames of all the PDFs made durable at once */
	for (int i = 0; i < 3 && r->njobs; i++)
		if ((i != 1 || has_sheets(r)) && fsync_dir(dirs[i]) != 0)
			return io_error("cannot sync", dirs[i]);
	if ((rc = append_rows(r)) != 0)
		return rc;
	/* the register now holds this run: derived files from it */
	r->lg = r->post;
	if (mkdir_p(r->period_dir) != 0)
		return io_error("cannot create", r->period_dir);
	if ((rc = write_summary_csv(r)) != 0 ||
	    (rc = write_sha256sums(r)) != 0)
		return rc;
	print_summary(r, inv, ninv);
	(void)lock;                 /* released at exit */
	return 0;
}

int cmd_run(const struct options *o)
{
	struct run r;
	memset(&r, 0, sizeof r);
	r.o = o;
	diag_init(&r.d, stderr);
	int rc = run_body(&r);
	diag_free(&r.d);
	free(r.jobs);
	free(r.append);
	free(r.known);
	if (r.rows_ready) {
		buf_free(&r.reg_out);
		buf_free(&r.lines_out);
	}
	font_close(&r.font);
	arena_free(&r.a);
	return rc;
}

int cmd_check(const struct options *o)
{
	struct arena a = { 0 };
	struct diag d;
	struct dataset ds;
	diag_init(&d, stderr);
	load_dataset(o->data, &a, &d, &ds);
	struct ledger lg, *have_lg = NULL;
	int lrc = 0;
	if (o->out_given && diag_exit_status(&d) == 0 &&
	    open_root(o->out, 0) == 0) {
		lrc = ledger_load(&lg, o->out, LEDGER_READ, &a, &d);
		if (lrc == 0) {
			check_billed_cycles(&ds, &lg, o->data, &a, &d);
			have_lg = &lg;
		}
	}
	if (diag_exit_status(&d) == 0)
		fapiao_check_items(&ds, have_lg, o->data, &a, &d);
	diag_finish(&d);
	int rc = diag_exit_status(&d);
	if (lrc == EX_IOERR)
		rc = lrc;
	if (rc == 0)
		printf("%s: %zu clients, %zu contracts, %zu devices, %zu "
		       "service records: no problems found\n", o->data,
		       ds.nclients, ds.ncontracts, ds.ndevices, ds.nrecords);
	diag_free(&d);
	arena_free(&a);
	return rc;
}

int cmd_verify(const struct options *o)
{
	struct arena a = { 0 };
	struct diag d;
	diag_init(&d, stdout);
	struct ledger lg;
	int rc = 0;
	if (open_root(o->out, 0) != 0) {
		fprintf(stderr, "svcbill: %s: no archive here: %s\n", o->out,
			strerror(errno));
		rc = EX_NOINPUT;
	} else if ((rc = ledger_load(&lg, o->out, LEDGER_VERIFY, &a, &d)) ==
		   EX_IOERR) {
		diag_flush(&d);
	} else if (lg.reg_absent) {
		diag_flush(&d);
		fprintf(stderr, "svcbill: %s/register.csv: no register here "
			"(missing or empty)\n", o->out);
		rc = EX_NOINPUT;
	} else {
		diag_flush(&d);
		int problems = d.errors + verify_archive(o->out, &lg, o->seal,
							 &a);
		printf("%s: %zu register rows checked, %d problem%s\n", o->out,
		       lg.nrows, problems, problems == 1 ? "" : "s");
		rc = problems ? EX_DATAERR : 0;
	}
	diag_free(&d);
	arena_free(&a);
	return rc;
}
