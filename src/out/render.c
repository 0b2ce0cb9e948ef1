/* render.c - the documents of a plan: laying them out and drawing them,
 * in worker processes when asked.  Each document depends only on its own
 * data, so the bytes are the same whatever the number of workers. */
#include "docs/invoice.h"
#include "docs/sheet.h"
#include "docs/summary.h"
#include "base/fsio.h"
#include "base/phase.h"
#include "base/vec.h"
#include "out/out.h"
#include "pdf/pdf.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

void period_out_init(struct period_out *w, const char *root, int period,
		     day_t issue_date, struct arena *a)
{
	w->root = root;
	month_format(period, w->name);
	w->dir = arena_printf(a, "%s/%s", root, w->name);
	w->period = period;
	w->issue_date = issue_date;
	w->lock = -1;
}

const char *job_rel(const struct job *j, const struct period_out *w,
		    struct arena *a)
{
	switch (j->kind) {
	case JOB_INVOICE:
		return arena_printf(a, "%s/invoices/%s.pdf", w->name,
				    j->inv->number);
	case JOB_SHEET:
		return arena_printf(a, "%s/sheets/%s.pdf", w->name,
				    safe_file_name(j->dev->id, a));
	case JOB_SUMMARY:
		break;
	}
	return arena_printf(a, "%s/summary.pdf", w->name);
}

/* Which invoice billed a record, from the register after the run: what
 * a record sheet shows. */
struct billed {
	const char *record_id, *invoice_no;
};
struct billed_index {
	struct billed *v;
	size_t n, cap;
};

static int by_record(const void *x, const void *y)
{
	return strcmp(((const struct billed *)x)->record_id,
		      ((const struct billed *)y)->record_id);
}

static int record_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct billed *)elem)->record_id);
}

static void billed_index(const struct ledger *lg, struct billed_index *b)
{
	memset(b, 0, sizeof *b);
	for (size_t i = 0; i < lg->nrecords; i++) {  /* periods not read */
		VEC_GROW(b->v, b->n + 1, b->cap);
		b->v[b->n++] = (struct billed){ lg->records[i].record_id,
						lg->records[i].invoice_no };
	}
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		const struct reg_row *g = ledger_find(lg, ll->invoice_no);
		if (!ll->l.record_id[0] || !g || g->status != INV_ISSUED)
			continue;
		VEC_GROW(b->v, b->n + 1, b->cap);
		b->v[b->n++] = (struct billed){ ll->l.record_id,
						ll->invoice_no };
	}
	if (b->n)
		qsort(b->v, b->n, sizeof *b->v, by_record);
}

static const char *invoice_of(void *ctx, const char *record_id)
{
	const struct billed_index *b = ctx;
	const struct billed *hit = vec_find(record_id, b->v, b->n,
					    sizeof *b->v, record_key);
	return hit ? hit->invoice_no : "";
}

/* 1 when path holds exactly these bytes already. */
static int same_content(const char *path, const unsigned char *data,
			size_t len)
{
	char *old;
	size_t n;
	if (read_file(path, &old, &n) != 0)
		return 0;
	int same = n == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

/* ---- which reports exist already ---------------------------------------- */

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int name_vs(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/* present[i] for the reports among jobs [lo, hi): whether their folder
 * held an entry of their name before the run (of any kind: a link or
 * pipe is then refused by the writing).  Reading each folder once costs
 * less than trying to open every record sheet of a new month (20 us a
 * sheet).  A folder that cannot be listed marks all its reports present
 * (then each is compared as before). */
static void reports_present(const struct plan *p, const char **path,
			    size_t lo, size_t hi, char *present)
{
	char *dir = NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int listed = 0;
	for (size_t i = lo; i < hi; i++) {
		if (p->jobs[i].kind == JOB_INVOICE)
			continue;
		const char *slash = strrchr(path[i], '/');
		size_t dlen = slash ? (size_t)(slash - path[i]) : 0;
		if (!dir || strlen(dir) != dlen ||
		    strncmp(dir, path[i], dlen) != 0) {
			for (size_t k = 0; k < n; k++)
				free(names[k]);
			n = 0;
			free(dir);
			dir = strndup(path[i], dlen);
			if (!dir)
				die_out_of_memory();
			DIR *d = fsio_opendir(dir);
			listed = d != NULL;
			struct dirent *e;
			while (d && (e = readdir(d)) != NULL) {
				VEC_GROW(names, n + 1, cap);
				names[n++] = xstrdup(e->d_name);
			}
			if (d)
				closedir(d);
			qsort(names, n, sizeof *names, by_name);
		}
		present[i] = !listed || vec_find(slash ? slash + 1 : path[i],
						 names, n, sizeof *names,
						 name_vs) != NULL;
	}
	for (size_t k = 0; k < n; k++)
		free(names[k]);
	free(names);
	free(dir);
}

/* ---- rendering --------------------------------------------------------- */

/* One range of jobs being drawn: what the workers share. */
struct drawing {
	const struct plan *p;
	const struct render_input *in;
	const struct period_out *w;
	const struct billed_index *billed;
	const char **path;          /* per job: the file to write */
	const char *present;        /* per job: 1 when a file of its name
				     * was in its folder before the run */
	char (*sha)[65];            /* per job, shared with the workers;
				     * [64] is 1 while a worker draws it */
	struct diag *d;
};

static void layout_job(const struct render_input *in,
		       const struct period_out *w,
		       const struct billed_index *billed, const struct job *j,
		       struct doc *d)
{
	if (j->kind == JOB_SHEET) {
		layout_sheet(d, &in->ds->issuer, j->dev, w->period - 1,
			     w->issue_date, invoice_of, (void *)billed);
	} else if (j->kind == JOB_SUMMARY) {
		layout_summary(d, in->ds, in->after, w->period, w->issue_date);
	} else {
		const struct invoice *inv = j->inv;
		layout_invoice(d, &in->ds->issuer,
			       find_client(in->ds, inv->client_id),
			       find_contract(in->ds, inv->contract_id), inv);
	}
}

/* SVCBILL_TIMES: the steps of each kind of document, summed (in each
 * process that draws them: with workers, each prints its own share) */
static const char *const step_names[3][4] = {
	{ "invoices: layout", "invoices: PDF", "invoices: SHA-256",
	  "invoices: writing" },
	{ "sheets: layout", "sheets: PDF", "sheets: SHA-256",
	  "sheets: writing" },
	{ "summary: layout", "summary: PDF", "summary: SHA-256",
	  "summary: writing" },
};

static void step_done(const struct job *j, int step, double *t)
{
	if (!phase_on())
		return;
	double now = phase_cpu();
	int kind = j->kind == JOB_INVOICE ? 0 : j->kind == JOB_SHEET ? 1 : 2;
	if (*t > 0)
		phase_tally(kind * 4 + step, step_names[kind][step], now - *t);
	*t = now;
}

static int render_one(const struct drawing *g, size_t index)
{
	const struct job *j = &g->p->jobs[index];
	const char *path = g->path[index];
	double t = 0;
	step_done(j, 0, &t);
	struct arena scratch = { 0 };
	struct doc d;
	doc_init(&d, g->in->font, &scratch);
	layout_job(g->in, g->w, g->billed, j, &d);
	step_done(j, 0, &t);
	unsigned char *pdf;
	size_t len;
	char err[256];
	int rc = 0;
	int prc = pdf_render(&d, &pdf, &len, err, sizeof err);
	step_done(j, 1, &t);
	if (prc != 0) {
		rc = diag_sys(g->d, prc == -2 ? EX_IOERR : EX_SOFTWARE,
			      "%s: %s", path, err);
	} else {
		char sha[65];
		sha256_hex(pdf, len, sha);
		step_done(j, 2, &t);
		if (j->expect_sha && strcmp(sha, j->expect_sha) != 0) {
			/* check_restores() has made sure this cannot be */
			diag_fail(g->d, "%s: cannot be restored "
				  "byte-identically", path);
			rc = EX_DATAERR;
		} else if (j->kind != JOB_INVOICE && g->present[index] &&
			   same_content(path, pdf, len)) {
			/* reports are rewritten only when they change */
			memcpy(g->sha[index], sha, 65);
		} else if (write_file_deferred(path, pdf, len) != 0) {
			rc = diag_io(g->d, "cannot write", path);
		} else {
			/* in a temporary: made durable and named with all
			 * the others at once, by sync_period_dirs() */
			memcpy(g->sha[index], sha, 65);
		}
		free(pdf);
		step_done(j, 3, &t);
	}
	doc_free(&d);
	arena_free(&scratch);
	return rc;
}

/* ---- progress on a terminal ------------------------------------------- */

/* Documents done, counted by every worker in memory shared with the
 * parent, which alone draws the line: with any --jobs the count is of
 * documents, not of workers.  Nothing is drawn unless stderr is a
 * terminal, so logs and pipes never get it. */
static _Atomic size_t *docs_done;
static struct timespec progress_t0;
static int progress_on;

static int64_t elapsed_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - progress_t0.tv_sec) * 1000 +
	       (t.tv_nsec - progress_t0.tv_nsec) / 1000000;
}

/* "\r 120/2000 documents, 45.2/s, 0:41 left" (integers only: tenths of a
 * document per second) */
static void progress(size_t done, size_t total, int last)
{
	static int64_t drawn_ms = -1000;
	if (!progress_on)
		return;
	int64_t ms = elapsed_ms();
	if (!last && ms - drawn_ms < 100)
		return;             /* at most 10 lines a second */
	drawn_ms = ms;
	int64_t tenths = ms > 0 ? (int64_t)done * 10000 / ms : 0;
	char tail[48];
	if (last) {
		snprintf(tail, sizeof tail, "done in %lld:%02lld",
			 (long long)(ms / 60000), (long long)(ms / 1000 % 60));
	} else if (done == 0 || tenths == 0) {
		snprintf(tail, sizeof tail, "time left unknown");
	} else {
		int64_t left = (int64_t)(total - done) * 10 / tenths;
		snprintf(tail, sizeof tail, "%lld:%02lld left",
			 (long long)(left / 60), (long long)(left % 60));
	}
	fprintf(stderr, "\r%zu/%zu documents, %lld.%lld/s, %s\033[K%s", done,
		total, (long long)(tenths / 10), (long long)(tenths % 10), tail,
		last ? "\n" : "");
	fflush(stderr);
}

static int render_serial(const struct drawing *g, size_t lo, size_t hi);
static int render_parallel(const struct drawing *g, size_t lo, size_t hi,
			   int workers);

int check_restores(const struct plan *p, const struct render_input *in,
		   const struct period_out *w, struct diag *d)
{
	int bad = 0;
	for (size_t i = 0; i < p->njobs; i++) {
		const struct job *j = &p->jobs[i];
		if (!j->expect_sha)
			continue;
		struct arena scratch = { 0 };
		struct doc doc;
		doc_init(&doc, in->font, &scratch);
		/* only invoices are restored: no sheet index needed */
		layout_job(in, w, NULL, j, &doc);
		unsigned char *pdf;
		size_t len;
		char err[256];
		int prc = pdf_render(&doc, &pdf, &len, err, sizeof err);
		const char *path = arena_printf(&scratch, "%s/%s", w->root,
						job_rel(j, w, &scratch));
		if (prc == 0) {
			char sha[65];
			sha256_hex(pdf, len, sha);
			free(pdf);
			if (strcmp(sha, j->expect_sha) != 0) {
				diag_fail(d, "%s: issued %s missing or "
					  "changed, and it cannot be restored "
					  "byte-identically (the client's or "
					  "contract's details changed since it "
					  "was issued); restore it from a "
					  "backup", path,
					  j->inv->status == INV_CREDIT ?
					  "credit note" : "invoice");
				bad++;
			}
		} else {
			prc = diag_sys(d, prc == -2 ? EX_IOERR : EX_SOFTWARE,
				       "%s: %s", path, err);
		}
		doc_free(&doc);
		arena_free(&scratch);
		if (prc != 0)
			return prc;
	}
	return bad ? EX_DATAERR : 0;
}

static int has_sheets(const struct plan *p)
{
	for (size_t i = 0; i < p->njobs; i++)
		if (p->jobs[i].kind == JOB_SHEET)
			return 1;
	return 0;
}

/* The folders the documents go into: invoices/, sheets/ (when there are
 * any), the period's own; n of them (0 when there is nothing to write). */
static size_t period_dirs(const struct plan *p, const struct period_out *w,
			  const char *dirs[3], struct arena *a)
{
	size_t n = 0;
	if (!p->njobs)
		return 0;
	dirs[n++] = arena_printf(a, "%s/invoices", w->dir);
	if (has_sheets(p))
		dirs[n++] = arena_printf(a, "%s/sheets", w->dir);
	dirs[n++] = w->dir;
	return n;
}

int make_period_dirs(const struct plan *p, const struct period_out *w,
		     struct diag *d)
{
	struct arena a = { 0 };
	const char *dirs[3];
	size_t n = period_dirs(p, w, dirs, &a);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if (mkdir_p(dirs[i]) == 0)
			continue;
		if (fsio_refusal(errno))
			rc = diag_io(d, "cannot create", dirs[i]);
		else
			rc = diag_sys(d, create_status(errno),
				      "cannot create %s: %s", dirs[i],
				      strerror(errno));
	}
	arena_free(&a);
	return rc;
}

void *period_flush_start(const struct plan *p, const struct period_out *w)
{
	struct arena a = { 0 };
	const char *dirs[3];
	size_t n = period_dirs(p, w, dirs, &a);
	void *flush = fsio_flush_start(dirs, n);
	arena_free(&a);
	return flush;
}

int sync_period_dirs(const struct plan *p, const struct period_out *w,
		     struct diag *d)
{
	struct arena a = { 0 };
	const char *dirs[3];
	size_t n = period_dirs(p, w, dirs, &a);
	int rc = 0;
	if (commit_deferred(dirs, n, NULL) != 0)
		rc = diag_io(d, "cannot sync", w->dir);
	arena_free(&a);
	return rc;
}

void discard_period_docs(const struct plan *p, const struct period_out *w)
{
	struct arena a = { 0 };
	const char *dirs[3];
	size_t n = period_dirs(p, w, dirs, &a);
	discard_deferred(dirs, n);
	arena_free(&a);
}

int render_range(const struct plan *p, const struct render_input *in,
		 const struct period_out *w, size_t lo, size_t hi,
		 struct file_hashes *h, struct diag *d)
{
	size_t n = hi - lo;
	if (n == 0)
		return 0;
	int workers = in->workers;
	if ((size_t)workers > n)
		workers = (int)n;
	struct arena a = { 0 };
	struct billed_index billed = { 0 };
	for (size_t i = lo; i < hi && !billed.v; i++)
		if (p->jobs[i].kind == JOB_SHEET)
			billed_index(in->after, &billed);
	const char **rel = arena_alloc(&a, sizeof *rel * p->njobs);
	const char **path = arena_alloc(&a, sizeof *path * p->njobs);
	for (size_t i = lo; i < hi; i++) {
		rel[i] = job_rel(&p->jobs[i], w, h->a);
		path[i] = arena_printf(&a, "%s/%s", w->root, rel[i]);
	}
	char *present = arena_alloc(&a, p->njobs);
	reports_present(p, path, lo, hi, present);
	struct drawing g = { p, in, w, &billed, path, present, NULL, d };
	/* the workers report each file's SHA-256 here */
	size_t slots = (sizeof *g.sha * p->njobs + 63) & ~(size_t)63;
	size_t shared = slots + 64;     /* then the count of documents done */
	g.sha = mmap(NULL, shared, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g.sha == MAP_FAILED) {
		free(billed.v);
		arena_free(&a);
		return diag_sys(d, EX_OSERR, "mmap: %s", strerror(errno));
	}
	docs_done = (_Atomic size_t *)(void *)((char *)g.sha + slots);
	/* a run renders in ranges (the documents, then the summary): the
	 * line counts the run's documents, from lo on */
	atomic_store(docs_done, lo);
	progress_on = in->progress && isatty(STDERR_FILENO);
	if (lo == 0)
		clock_gettime(CLOCK_MONOTONIC, &progress_t0);
	int result = workers <= 1 ? render_serial(&g, lo, hi) :
		     render_parallel(&g, lo, hi, workers);
	if (!result && hi == p->njobs)
		progress(atomic_load(docs_done), p->njobs, 1);
	progress_on = 0;
	for (size_t i = lo; i < hi && !result; i++)
		if (g.sha[i][0])
			file_hashes_add(h, rel[i], g.sha[i]);
	munmap(g.sha, shared);
	free(billed.v);
	arena_free(&a);
	return result;
}

static int render_serial(const struct drawing *g, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++) {
		int rc = render_one(g, i);
		if (rc)
			return rc;
		atomic_fetch_add(docs_done, 1);
		progress(i + 1, g->p->njobs, 0);
	}
	return 0;
}

static int render_parallel(const struct drawing *g, size_t lo, size_t hi,
			   int workers)
{
	size_t n = g->p->njobs;         /* documents, for the progress line */
	fflush(NULL);
	pid_t parent = getpid();
	pid_t *pids = xcalloc((size_t)workers, sizeof *pids);
	for (int w = 0; w < workers; w++) {
		pid_t pid = fork();
		if (pid < 0) {
			diag_sys(g->d, EX_OSERR, "fork: %s", strerror(errno));
			workers = w;
			break;
		}
		if (pid == 0) {
			/* a worker does not outlive a killed run */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(EX_SOFTWARE);
			for (size_t i = lo + (size_t)w; i < hi;
			     i += (size_t)workers) {
				/* which document, should this worker die */
				g->sha[i][64] = 1;
				int rc = render_one(g, i);
				if (rc)
					_exit(rc);
				g->sha[i][64] = 0;
				atomic_fetch_add(docs_done, 1);
			}
			if (phase_on()) {       /* this worker's share */
				fprintf(stderr, "svcbill: time: worker %d:\n",
					w + 1);
				phase_tallies_print();
			}
			_exit(0);
		}
		pids[w] = pid;
	}
	if (workers > 0 && g->in->meanwhile)
		g->in->meanwhile(g->in->meanwhile_ctx);
	int result = workers == 0 ? EX_OSERR : 0;
	for (int w = 0; w < workers; w++) {
		int st;
		pid_t got;
		/* on a terminal, wake up 10 times a second to draw the count */
		while ((got = waitpid(pids[w], &st, progress_on ? WNOHANG : 0))
		       == 0 || (got < 0 && errno == EINTR)) {
			if (got == 0) {
				progress(atomic_load(docs_done), n, 0);
				nanosleep(&(struct timespec){ 0, 100000000 },
					  NULL);
			}
		}
		int rc = got > 0 && WIFEXITED(st) ? WEXITSTATUS(st)
						   : EX_SOFTWARE;
		if (got > 0 && WIFSIGNALED(st)) {
			/* name the document it was drawing */
			const char *doc = "(between documents)";
			for (size_t i = lo + (size_t)w; i < hi;
			     i += (size_t)workers)
				if (g->sha[i][64] == 1)
					doc = g->path[i];
			diag_sys(g->d, EX_SOFTWARE, "the worker drawing %s was "
				 "killed by signal %d (%s)", doc, WTERMSIG(st),
				 strsignal(WTERMSIG(st)));
		}
		if (rc && !result)
			result = rc;
	}
	free(pids);
	return result;
}
