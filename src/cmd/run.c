/* run.c - the commands run, check and verify.
 *
 * A run is one way, each step handing plain values to the next:
 *   read the data (read/) -> open the archive and its register as it was
 *   (ledger/) -> bill the period (bill/) -> decide what to issue (plan/)
 *   -> write the documents, then the register rows, then the files
 *   derived from the register as it is after (out/).
 * Nothing is written before the data has been found valid and the plan
 * accepted, and the register rows are appended only after every PDF is
 * in place. */
#include "ledger/archive.h"
#include "ledger/index.h"
#include "bill/billed.h"
#include "bill/payments.h"
#include "bill/settled.h"
#include "base/fsio.h"
#include "base/phase.h"
#include "read/load.h"
#include "base/money.h"
#include "bill/rules.h"
#include "cmd/run.h"
#include "docs/undrawable.h"
#include "docs/report.h"
#include "out/out.h"
#include "plan/plan.h"
#include "xlsx/xlsx.h"

#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

/* The run's one line on stdout. */
static void print_summary(const char *period, const struct invoice *drafts,
			  size_t n, const struct plan_count *c,
			  const char *seal, int dry_run)
{
	int64_t net = 0, tax = 0, gross = 0;
	for (size_t i = 0; i < n; i++) {
		net += drafts[i].net;
		tax += drafts[i].tax;
		gross += drafts[i].gross;
	}
	char nt[40], tx[40], gr[40];
	money_grouped(net, nt);
	money_grouped(tax, tx);
	money_grouped(gross, gr);
	printf("%s: %zu invoices, net %s, tax %s, gross %s (%d new, %d "
	       "unchanged, %d reissued), ledger seal %s%s\n", period, n, nt,
	       tx, gr, c->fresh, c->kept, c->reissued, seal,
	       /* (the register's seal as it stands: the run's own comes
		* with the rows it appends) */
	       dry_run ? " as it stands [dry run: nothing written]" : "");
}

static int open_font(const char *path, struct font *f, struct diag *d)
{
	char err[1024];
	if (font_open(f, path, err, sizeof err) != 0)
		return diag_sys(d, EX_NOINPUT, "%s", err);
	return 0;
}

/* The archive root: made if need be, and svcbill's alone (rules.md §4):
 * owned by this user and writable by nobody else.  0, an exit status, or
 * -1 (errno) when it cannot be opened. */
static int open_root(const char *root, int create, struct diag *d)
{
	if (create && mkdir_p(root) != 0)
		return diag_sys(d, create_status(errno), "cannot create %s: %s",
				root, strerror(errno));
	struct stat st;
	if (fsio_set_root(root, &st) != 0)
		return -1;
	if (!create)
		return 0;
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return diag_sys(d, EX_CANTCREAT, "%s: the archive %s; svcbill "
				"keeps its archive in a folder of its own user "
				"that nobody else may write", root,
				st.st_uid != geteuid() ?
				"belongs to another user" :
				"may be written by group or others");
	return 0;
}

/* A link, pipe, device or folder where the ledger's index is kept is
 * damage (SPEC §4): the run stops, as it never follows or replaces it
 * (which left every later verify failing). */
static int refused_index(const struct options *o, struct diag *d)
{
	const char *why = index_refused(o->out);
	if (!why)
		return 0;
	diag_fail(d, "%s: remove it; the next run writes the index anew",
		  why);
	return EX_DATAERR;
}

/* The archive ready to be written: the root, its lock (held until the
 * process ends), no temporaries left by a killed run, and no link, pipe
 * or device in the period's folders (damage, found before anything is
 * written).  A dry run only opens the root, if there is one. */
static int open_archive(const struct options *o, struct period_out *w,
			struct arena *a, struct diag *d)
{
	int rc;
	if (o->dry_run) {
		if (open_root(o->out, 0, d) != 0 && errno != ENOENT)
			return diag_io(d, "cannot open", o->out);
		return refused_index(o, d);
	}
	if ((rc = open_root(o->out, 1, d)) != 0)
		return rc < 0 ? diag_io(d, "cannot open", o->out) : rc;
	char holder[256];
	int lock = lock_archive(o->out, holder, sizeof holder);
	if (lock < 0 && errno == EWOULDBLOCK)
		return diag_sys(d, EX_TEMPFAIL, "the archive %s is in use by "
				"another run (%s)", o->out, holder);
	if (lock < 0 && fsio_refusal(errno))
		return diag_io(d, "cannot lock", o->out);
	if (lock < 0)
		return diag_sys(d, create_status(errno), "cannot lock %s: %s",
				o->out, strerror(errno));
	w->lock = lock;
	remove_stale_temporaries(o->out);
	remove_stale_temporaries(w->dir);
	remove_stale_temporaries(arena_printf(a, "%s/invoices", w->dir));
	remove_stale_temporaries(arena_printf(a, "%s/sheets", w->dir));
	char bad[4300];
	rc = check_tree(w->dir, bad, sizeof bad);
	if (rc == 1) {
		diag_fail(d, "%s", bad);
		return EX_DATAERR;
	}
	if (rc < 0)
		return diag_io(d, "cannot read", w->dir);
	return refused_index(o, d);
}

/* A payment naming no invoice of the register is a warning (SPEC §2.4):
 * run and check --out alike. */
static void warn_unmatched_payments(const struct dataset *ds,
				    const struct ledger *lg,
				    const char *data_dir, struct arena *a,
				    struct diag *d)
{
	unsigned char *named = xmalloc(ds->npayments + 1);
	payments_named(ds, lg, named);
	for (size_t i = 0; i < ds->npayments; i++) {
		const struct payment *p = &ds->payments[i];
		if (!named[i])
			diag_warning(d, arena_printf(a, "%s/payments.csv",
				     data_dir), p->ri.line, "invoice_no",
				     p->invoice_no, "no such invoice in the "
				     "register; payment not used");
	}
	free(named);
}

/* What a run of o may leave out of the ledger as settled (struct
 * settle_want): the periods settled before the activity month and the
 * day after the issue date (those of the summary's chart summed up by
 * contract type) */
static struct settle_want settle_want_of(const struct options *o,
					 const struct dataset *ds)
{
	/* (a settled period of the summary's chart too: the chart needs
	 * only its invoices' sums by type, which the index's read makes) */
	struct settle_want want = { .run_period = o->period,
		.chart = REPORT_CHART_PERIODS,
		.before = month_first_day(o->period - 1),
		.chart_class = report_chart_class, .chart_ctx = ds };
	if (o->issue_date + 1 < want.before)
		want.before = o->issue_date + 1;
	return want;
}

/* The data read, and of payments.csv's rows only those the run may need:
 * not those of the periods the ledger index says are settled (which the
 * run will leave out if their payments are still those its P rows
 * summed up), each summed into its period's digest as it is read (*sp);
 * the file is never held whole (a row per invoice of the company's
 * life). */
static void read_data(const struct options *o, struct arena *a,
		      struct diag *d, struct dataset *ds,
		      struct settle_payments *sp, const int **pass,
		      size_t *npass)
{
	/* (an index the run will refuse, a link, is not read for it) */
	*pass = NULL;
	*npass = 0;
	struct settle_want want = settle_want_of(o, NULL);
	if (index_refused(o->out) ||
	    index_settled_hint(o->out, &want, a, pass, npass) != 0)
		*npass = 0;
	struct settle_reader sr;
	settle_reader_init(&sr, *pass, *npass);
	struct payments_kept pk = { settle_reader_keep, &sr };
	load_dataset_keeping(o->data, &pk, a, d, ds);
	if (sr.passed)
		diag_verbose(d, "payments.csv: %zu payment%s of settled "
			     "periods summed up, not kept", sr.passed,
			     sr.passed == 1 ? "" : "s");
	settle_reader_end(&sr, a, sp);
}

/* When the ledger's read did not leave out every period read_data left
 * the payments of (the payments of one changed, the index not taken):
 * payments.csv read again for them.  Its rows must sum up as before. */
static int keep_needed_payments(const struct options *o,
				const struct ledger *lg,
				const struct settle_payments *sp,
				struct arena *a, struct diag *d,
				struct dataset *ds, const int *pass,
				size_t npass)
{
	size_t i = 0;
	while (i < npass && period_among(lg->skipped, lg->nskipped, pass[i]))
		i++;
	if (i == npass)
		return 0;
	char m[8];
	month_format(pass[i], m);
	diag_verbose(d, "payments.csv: read again (the ledger's read needs "
		     "the payments of %s)", m);
	struct settle_reader sr;
	settle_reader_init(&sr, lg->skipped, lg->nskipped);
	struct payments_kept pk = { settle_reader_keep, &sr };
	int rc = load_payments_again(o->data, &pk, ds);
	struct settle_payments again;
	settle_reader_end(&sr, a, &again);
	if (rc != 0 || !settle_payments_same(sp, &again))
		return diag_sys(d, EX_TEMPFAIL, "%s/payments.csv changed "
				"while this run read it: nothing was "
				"written; run again once it is saved",
				o->data);
	return 0;
}

/* The register as it was (the one recovery point: a torn tail repaired,
 * and said), and the data checked against it. */
static int open_register(const struct options *o, struct dataset *ds,
			 const struct settle_payments *sp, const int *pass,
			 size_t npass, struct ledger *lg, struct arena *a,
			 struct diag *d)
{
	/* the period itself and later ones in full (and of the periods the
	 * true-ups of this run reach, the contracts' cycles that ended last
	 * month, those cycles' lines); older ones through the ledger's
	 * index, but not the invoices of a period
	 * settled for good, before the activity month and the issue date,
	 * with the payments it still has (bill/settled.h): they can owe
	 * nothing this run bills or shows */
	struct settle_want want = settle_want_of(o, ds);
	want.digests = sp->digests;
	want.ndigests = sp->n;
	/* and of the records billed before, those the record sheets show */
	want.record_ids = plan_sheet_record_ids(ds, o->period, a,
						&want.nrecord_ids);
	/* and the cycles billed, when the contracts bill them as before */
	want.cycles_hold = billed_cycles_hold;
	want.cycles_ctx = ds;
	want.cycles = trueup_cycles(ds, o->period, a, &want.ncycles);
	want.trueup_from = trueup_reach(want.cycles, want.ncycles, o->period);
	int rc = ledger_load_from(lg, o->out, o->dry_run ? LEDGER_READ :
				  LEDGER_REPAIR, o->period, &want, a, d);
	diag_flush(d);
	if (rc)
		return rc;
	if (lg->nskipped)
		diag_verbose(d, "ledger-index.csv: the invoices of %zu settled "
			     "period%s not read (their payments unchanged)",
			     lg->nskipped, lg->nskipped == 1 ? "" : "s");
	if (lg->cycles_partial)
		diag_verbose(d, "ledger-index.csv: the cycles billed to %zu "
			     "contract%s summed up, not read (the contracts "
			     "bill them as before)", lg->ncycle_sums,
			     lg->ncycle_sums == 1 ? "" : "s");
	phase_mark("ledger read");
	if ((rc = keep_needed_payments(o, lg, sp, a, d, ds, pass, npass)))
		return rc;
	warn_unmatched_payments(ds, lg, o->data, a, d);
	phase_mark("payments matched");
	check_billed_cycles(ds, lg, o->data, a, d);
	diag_flush(d);
	return d->errors ? EX_DATAERR : 0;
}

/* The fee engine's drafts, one per contract with something to bill. */
static int bill(const struct options *o, const struct dataset *ds,
		const struct ledger *lg, struct arena *a, struct diag *d,
		struct invoice **drafts, size_t *n)
{
	struct history hist;
	ledger_history(lg, a, &hist);
	struct bill_input in = { .ds = ds, .period = o->period,
				 .issue_date = o->issue_date, .hist = &hist,
				 .d = d, .data_dir = o->data };
	*drafts = bill_period(&in, a, n);
	diag_flush(d);
	return d->errors ? EX_DATAERR : 0;   /* amounts beyond the limits */
}

/* The documents, then the rows (they hold the invoices' hashes), then the
 * summary (it shows the seal), all into temporaries; then all made durable
 * and named at once; then the rows appended: the commit. */
static int write_period(const struct plan *p, const struct render_input *in,
			struct ledger *before, struct ledger *after,
			const struct period_out *w, struct file_hashes *h,
			struct arena *a, struct diag *d)
{
	size_t njobs = p->njobs;
	size_t docs = njobs && p->jobs[njobs - 1].kind == JOB_SUMMARY ?
		      njobs - 1 : njobs;
	struct ledger_rows rows;
	int rc = make_period_dirs(p, w, d);
	if (rc)
		return rc;
	if ((rc = render_range(p, in, w, 0, docs, h, d)) != 0) {
		discard_period_docs(p, w);
		return rc;
	}
	phase_mark("documents drawn");
	/* the disk writes the documents while the rows and the summary are
	 * made (the summary is drawn here, by this process: no fork) */
	void *flush = period_flush_start(p, w);
	rc = commit_rows(p, before, after, w, h, a, d, &rows);
	phase_mark("register rows made");
	if (!rc)
		rc = render_range(p, in, w, docs, njobs, h, d);
	phase_mark("summary drawn");
	fsio_flush_wait(flush);
	/* the lock file removed or replaced while this run held it (by
	 * someone clearing what looked like a stale lock): a second run may
	 * have locked another and written the same period's numbers, or be
	 * writing them now; nothing of this run is named or appended */
	if (!rc && w->lock >= 0 && !lock_still_ours(w->root, w->lock)) {
		rc = diag_sys(d, EX_TEMPFAIL, "%s/.lock was removed or "
			      "replaced while this run held it, so another "
			      "run may have gone ahead beside it: nothing of "
			      "this run was written; run it again once no "
			      "other run is going (never remove .lock: a "
			      "killed run's lock is released by itself)",
			      w->root);
	}
	if (!rc)
		rc = sync_period_dirs(p, w, d);
	phase_mark("documents durable, named");
	/* the ledger changed by another program since it was read (an
	 * edit of an old row while this run drew): the rows are appended
	 * all the same (their chain is the one read), but no index is
	 * written for the next run, which therefore reads the whole ledger
	 * and stops at the edit */
	before->changed_under_run = !rc && ledger_files_changed(before);
	if (!rc)
		rc = append_rows(&rows, p->nappend, w->root, a, d);
	else
		discard_period_docs(p, w);  /* no temporary outlives the run */
	phase_mark("register rows appended");
	ledger_rows_free(&rows);
	return rc;
}

/* What the index update after a run needs of it: its read of the
 * register, and the periods it found settled (bill/settled.h). */
struct run_read {
	struct dataset ds;          /* (dataset_free: its payments) */
	struct ledger lg;
	struct settled_period *settled;
	size_t nsettled;
};

static int run_period(const struct options *o, struct arena *a,
		      struct diag *d, struct font *font, struct plan *plan,
		      struct disk_hashes *on_disk, struct file_hashes *h,
		      struct workbooks *wb, struct run_read *read)
{
	struct dataset *ds = &read->ds;
	struct settle_payments sp;
	const int *pass;
	size_t npass;
	read_data(o, a, d, ds, &sp, &pass, &npass);
	diag_finish(d);
	phase_mark("data read and checked");
	int rc = diag_exit_status(d);
	if (rc || (!o->dry_run && (rc = open_font(o->font, font, d)) != 0))
		return rc;
	/* a dry run draws nothing, so a font it cannot open is no error;
	 * but with one it says what the documents would show */
	if (o->dry_run) {
		char err[1024];
		if (font_open(font, o->font, err, sizeof err) != 0)
			font_close(font);
	}
	if (font->face) {
		warn_undrawable(ds, font, o->data, a, d);
		diag_flush(d);
	}
	phase_mark("font opened");
	struct period_out w;
	period_out_init(&w, o->out, o->period, o->issue_date, a);
	struct ledger before;
	struct invoice *drafts;
	size_t ndrafts;
	if ((rc = open_archive(o, &w, a, d)) != 0 ||
	    (rc = open_register(o, ds, &sp, pass, npass, &before, a, d)) != 0)
		return rc;
	payments_drop_settled(ds, &before);
	phase_mark("register read");
	if ((rc = bill(o, ds, &before, a, d, &drafts, &ndrafts)) != 0)
		return rc;
	phase_mark("period billed");
	/* the only files the decision needs, read before it */
	disk_hashes_read(&before, &w, a, on_disk);
	struct plan_opts po = { .period = o->period,
				.issue_date = o->issue_date,
				.reissue = o->reissue, .root = o->out };
	if ((rc = plan_period(&before, drafts, ndrafts, ds, on_disk, &po, a,
			      d, plan)) != 0)
		return rc;
	phase_mark("planned");
	if (o->dry_run) {
		print_summary(w.name, drafts, ndrafts, &plan->count,
			      before.seal, 1);
		return 0;
	}
	struct ledger after;
	invoices_merge(&before, plan->append, plan->nappend, a, &after);
	/* the workbooks are made while the workers draw, when there are
	 * workers: they need only the register after */
	workbooks_init(wb, &after, ds, &w);
	struct render_input in = { .ds = ds, .after = &after, .font = font,
				   .workers = o->jobs,
				   .progress = !o->quiet,
				   .meanwhile = workbooks_make,
				   .meanwhile_ctx = wb };
	file_hashes_init(h, o->out, on_disk, a);
	/* a file in the period folder that svcbill did not write, or an
	 * issued PDF that cannot be restored byte-identically, is damage,
	 * found before anything is written; the register exists before any
	 * document does, so that a first run killed halfway is told from a
	 * register that was lost */
	if ((rc = check_period_files(plan, &after, ds, &w, a, d)) != 0 ||
	    (rc = check_restores(plan, &in, &w, d)) != 0 ||
	    (rc = ensure_ledger_files(o->out, a, d)) != 0 ||
	    (rc = write_period(plan, &in, &before, &after, &w, h, a, d)) != 0)
		return rc;
	/* the register now holds this run: the files derived from it */
	if (mkdir_p(w.dir) != 0)
		return diag_io(d, "cannot create", w.dir);
	if ((rc = write_summary_files(&after, ds, &w, wb, h, a, d)) != 0 ||
	    (rc = write_sha256sums(&after, ds, &w, h, a, d)) != 0)
		return rc;
	phase_mark("summary files, SHA256SUMS");
	print_summary(w.name, drafts, ndrafts, &plan->count, after.seal, 0);
	read->lg = before;          /* the index update reads on from it */
	settle_periods(&before, ds, &sp, a, &read->settled, &read->nsettled);
	return 0;
}

int cmd_run(const struct options *o)
{
	struct arena a = { 0 };
	struct diag d;
	struct font font = { 0 };
	struct plan plan = { 0 };
	struct disk_hashes on_disk = { 0 };
	struct file_hashes h = { 0 };
	struct workbooks wb = { 0 };
	struct run_read read = { 0 };
	diag_init(&d, stderr);
	d.verbose = o->verbose;
	int rc = run_period(o, &a, &d, &font, &plan, &on_disk, &h, &wb,
			    &read);
	workbooks_free(&wb);
	dataset_free(&read.ds);
	diag_free(&d);
	file_hashes_free(&h);
	disk_hashes_free(&on_disk);
	plan_free(&plan);
	font_close(&font);
	/* the index for the next run, from the run's read of the register
	 * and the rows appended since; still under the archive's lock,
	 * held until the process ends */
	if (rc == 0 && !o->dry_run) {
		/* the run's bills are issued: its line is out before anything
		 * else, and nothing read from here on is mapped (a fault under
		 * a mapping would end the process) */
		fflush(stdout);
		fsio_map_files(0);
		if (read.lg.root && read.lg.changed_under_run)
			fprintf(stderr, "svcbill: warning: %s: register.csv "
				"or lines.csv was changed by another program "
				"while this run read them; the next run reads "
				"and checks the whole ledger\n", o->out);
		else
			ledger_index_update(o->out, o->period - 12,
					    read.lg.root ? &read.lg : NULL,
					    read.settled, read.nsettled);
		phase_mark("ledger index updated");
	}
	arena_free(&a);
	return rc;
}

/* check --out: each P row of the ledger's index that a run would go by
 * (its digest that of these payments) against what these payments and
 * the whole register say of its period.  verify cannot tell a P row
 * edited by hand (it has no payments.csv); a run would then leave out
 * invoices that still owe. */
static void check_settled(const struct dataset *ds, const struct ledger *lg,
			  const char *out, struct arena *a, struct diag *d)
{
	const struct settled_period *rows;
	size_t n;
	if (index_settled_rows(out, a, &rows, &n) != 0 || n == 0)
		return;
	struct settle_payments sp;
	settle_payments(ds, a, &sp);
	struct settled_period *now;
	size_t nnow;
	settle_periods(lg, ds, &sp, a, &now, &nnow);
	for (size_t i = 0, k = 0, j = 0; i < n; i++) {
		const struct settled_period *r = &rows[i];
		if (strcmp(settled_digest(sp.digests, sp.n, r->period, &k),
			   r->digest) != 0)
			continue;   /* not these payments: no run goes by it */
		while (j < nnow && now[j].period < r->period)
			j++;
		if (j < nnow && now[j].period == r->period &&
		    now[j].settled_on == r->settled_on)
			continue;
		char p[8], day[11], was[11] = "";
		month_format(r->period, p);
		date_format(r->settled_on, day);
		if (j < nnow && now[j].period == r->period)
			date_format(now[j].settled_on, was);
		diag_fail(d, "%s/ledger-index.csv: its row P,%s says every "
			  "invoice of %s was paid in full by %s; payments.csv "
			  "and the register say %s%s: not the index svcbill "
			  "wrote (edited); remove it, the next run writes it "
			  "anew", out, p, p, day, was[0] ? "by " : "not",
			  was);
	}
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
	    open_root(o->out, 0, &d) == 0) {
		lrc = ledger_load(&lg, o->out, LEDGER_READ, &a, &d);
		if (lrc == 0) {
			warn_unmatched_payments(&ds, &lg, o->data, &a, &d);
			check_billed_cycles(&ds, &lg, o->data, &a, &d);
			check_settled(&ds, &lg, o->out, &a, &d);
			have_lg = &lg;
		}
	}
	if (diag_exit_status(&d) == 0) {
		fapiao_check_items(&ds, have_lg, o->data, &a, &d);
		/* what the PDFs would show, with the font run would use (none
		 * found: run says so itself) */
		struct font font;
		char err[1024];
		if (font_open(&font, NULL, err, sizeof err) == 0)
			warn_undrawable(&ds, &font, o->data, &a, &d);
		font_close(&font);
	}
	diag_finish(&d);
	int rc = diag_exit_status(&d);
	if (lrc == EX_IOERR)
		rc = lrc;
	if (rc == 0)
		printf("%s: %zu clients, %zu contracts, %zu devices, %zu "
		       "service records: no problems found\n", o->data,
		       ds.nclients, ds.ncontracts, ds.ndevices, ds.nrecords);
	dataset_free(&ds);
	diag_free(&d);
	arena_free(&a);
	return rc;
}

int cmd_verify(const struct options *o)
{
	struct arena a = { 0 };
	struct diag d;
	/* problems are messages (stderr, as every command's); the one
	 * result line below goes to stdout */
	diag_init(&d, stderr);
	struct ledger lg;
	int rc = 0;
	if (open_root(o->out, 0, &d) != 0) {
		rc = diag_sys(&d, EX_NOINPUT, "%s: no archive here: %s",
			      o->out, strerror(errno));
	} else if ((rc = ledger_load(&lg, o->out, LEDGER_VERIFY, &a, &d)) ==
		   EX_IOERR) {
		diag_flush(&d);
	} else if (lg.reg_absent) {
		rc = diag_sys(&d, EX_NOINPUT, "%s/register.csv: no register "
			      "here (missing or empty)", o->out);
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
