/* run.c - the commands.  The pipeline of a run is one way:
 *   read + validate (load.c) -> compute (rules.c) -> reconcile with the
 *   register (reconcile.c) -> render (render.c) -> commit (commit.c).
 * Nothing is written before the data has been found valid, and the
 * register rows are appended only after every PDF is in place. */
#include "runstate.h"
#include "archive.h"
#include "fsio.h"
#include "load.h"
#include "money.h"
#include "rules.h"
#include "xlsx.h"

#include <dirent.h>
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
	       "unchanged, %d reissued)%s\n", r->period_s, ninv, n, t, g,
	       r->nnew, r->nkept, r->nreissued,
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

/* Temporary files of a run that was killed: ours only (".NAME.PID.tmp"),
 * and safe to remove as this run holds the archive lock. */
static void remove_stale_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' && n > 5 &&
		    strcmp(e->d_name + n - 4, ".tmp") == 0) {
			size_t k = strlen(dir) + n + 2;
			char *p = xmalloc(k);
			snprintf(p, k, "%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	closedir(d);
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
	if (!o->dry_run) {
		if (mkdir_p(o->out) != 0) {
			fprintf(stderr, "svcbill: cannot create %s: %s\n",
				o->out, strerror(errno));
			return create_status(errno);
		}
		char holder[256];
		lock = lock_archive(o->out, holder, sizeof holder);
		if (lock < 0 && errno == EWOULDBLOCK) {
			fprintf(stderr, "svcbill: the archive %s is in use by "
				"another run (%s)\n", o->out, holder);
			return EX_TEMPFAIL;
		}
		if (lock < 0) {
			fprintf(stderr, "svcbill: cannot lock %s: %s\n",
				o->out, strerror(errno));
			return create_status(errno);
		}
	}
	if (!o->dry_run) {
		remove_stale_temporaries(o->out);
		remove_stale_temporaries(r->period_dir);
		remove_stale_temporaries(arena_printf(&r->a, "%s/invoices",
						      r->period_dir));
		remove_stale_temporaries(arena_printf(&r->a, "%s/sheets",
						      r->period_dir));
	}
	if (ledger_load(&r->lg, o->out, !o->dry_run, &r->a, &r->d) != 0)
		return r->d.missing ? EX_IOERR : EX_DATAERR;
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
			fprintf(stderr, "svcbill: cannot create %s: %s\n",
				dirs[i], strerror(errno));
			return create_status(errno);
		}
	}
	if ((rc = render_all(r)) != 0)
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
	if (o->out_given && diag_exit_status(&d) == 0) {
		if (ledger_load(&lg, o->out, 0, &a, &d) == 0) {
			check_billed_cycles(&ds, &lg, o->data, &a, &d);
			have_lg = &lg;
		}
	}
	if (diag_exit_status(&d) == 0)
		fapiao_check_items(&ds, have_lg, o->data, &a, &d);
	diag_finish(&d);
	int rc = diag_exit_status(&d);
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
	if (ledger_load(&lg, o->out, 0, &a, &d) != 0) {
		rc = d.missing ? EX_IOERR : EX_DATAERR;
	} else {
		int problems = verify_archive(o->out, &lg, &a);
		printf("%s: %zu register rows checked, %d problem%s\n", o->out,
		       lg.nrows, problems, problems == 1 ? "" : "s");
		rc = problems ? EX_DATAERR : 0;
	}
	diag_free(&d);
	arena_free(&a);
	return rc;
}
