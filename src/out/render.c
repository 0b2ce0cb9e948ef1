/* render.c - the documents of a run: which to write (jobs), laying them
 * out and drawing them, in worker processes when asked.  Each document
 * depends only on its own data, so the bytes are the same whatever the
 * number of workers. */
#include "docs/invoice.h"
#include "docs/sheet.h"
#include "docs/summary.h"
#include "base/fsio.h"
#include "pdf/pdf.h"
#include "plan/runstate.h"

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

static struct job *new_job(struct run *r, int kind, const char *rel)
{
	if (r->njobs == r->capjobs) {
		r->capjobs = r->capjobs ? r->capjobs * 2 : 64;
		r->jobs = xrealloc(r->jobs, sizeof *r->jobs * r->capjobs);
	}
	struct job *j = &r->jobs[r->njobs++];
	memset(j, 0, sizeof *j);
	j->kind = kind;
	j->rel = rel;
	j->path = arena_printf(&r->a, "%s/%s", r->o->out, rel);
	return j;
}

void add_job(struct run *r, struct invoice *inv, const char *expect)
{
	struct job *j = new_job(r, JOB_INVOICE, arena_printf(&r->a,
				"%s/invoices/%s.pdf", r->period_s, inv->number));
	j->inv = inv;
	j->expect_sha = expect;
}

static int by_record(const void *x, const void *y)
{
	return strcmp(((const struct billed *)x)->record_id,
		      ((const struct billed *)y)->record_id);
}

static const char *invoice_of(void *ctx, const char *record_id)
{
	struct run *r = ctx;
	struct billed key = { record_id, NULL };
	const struct billed *b = r->nbilled ? bsearch(&key, r->billed,
				r->nbilled, sizeof key, by_record) : NULL;
	return b ? b->invoice_no : "";
}

/* The documents besides the invoices: a record sheet for every device
 * with a record completed in the activity month, and the summary. */
void add_reports(struct run *r, int with_summary)
{
	const struct ledger *lg = &r->post;
	r->billed = arena_alloc(&r->a, sizeof *r->billed * (lg->nlines + 1));
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		const struct reg_row *g = ledger_find(lg, ll->invoice_no);
		if (!ll->l.record_id[0] || !g || g->status != INV_ISSUED)
			continue;
		r->billed[r->nbilled++] = (struct billed){ ll->l.record_id,
							   ll->invoice_no };
	}
	qsort(r->billed, r->nbilled, sizeof *r->billed, by_record);
	int A = r->o->period - 1;
	for (size_t i = 0; i < r->ds.ndevices; i++) {
		const struct device *v = &r->ds.devices[i];
		int active = 0;
		for (size_t k = 0; k < v->nrecords && !active; k++)
			active = record_month(v->records[k]) == A;
		if (!active)
			continue;
		struct job *j = new_job(r, JOB_SHEET, arena_printf(&r->a,
				"%s/sheets/%s.pdf", r->period_s,
				safe_file_name(v->id, &r->a)));
		j->dev = v;
		with_summary = 1;
	}
	/* a month with nothing billed and nothing serviced gets no folder */
	if (with_summary)
		new_job(r, JOB_SUMMARY, arena_printf(&r->a, "%s/summary.pdf",
						     r->period_s));
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

/* ---- rendering --------------------------------------------------------- */

static void layout_job(struct run *r, const struct job *j, struct doc *d)
{
	if (j->kind == JOB_SHEET) {
		layout_sheet(d, &r->ds.issuer, j->dev, r->o->period - 1,
			     r->o->issue_date, invoice_of, r);
	} else if (j->kind == JOB_SUMMARY) {
		layout_summary(d, &r->ds, &r->post, r->o->period,
			       r->o->issue_date);
	} else {
		const struct invoice *inv = j->inv;
		layout_invoice(d, &r->ds.issuer,
			       find_client(&r->ds, inv->client_id),
			       find_contract(&r->ds, inv->contract_id), inv);
	}
}

static int render_one(struct run *r, const struct job *j, size_t index)
{
	struct arena scratch = { 0 };
	struct doc d;
	doc_init(&d, &r->font, &scratch);
	layout_job(r, j, &d);
	unsigned char *pdf;
	size_t len;
	char err[256];
	int rc = 0;
	int prc = pdf_render(&d, &pdf, &len, err, sizeof err);
	if (prc != 0) {
		fprintf(stderr, "svcbill: %s: %s\n", j->path, err);
		rc = prc == -2 ? EX_IOERR : EX_SOFTWARE;
	} else {
		char sha[65];
		sha256_hex(pdf, len, sha);
		if (j->expect_sha && strcmp(sha, j->expect_sha) != 0) {
			/* check_restores() has made sure this cannot be */
			fprintf(stderr, "svcbill: %s: cannot be restored "
				"byte-identically\n", j->path);
			rc = EX_DATAERR;
		} else if (j->kind != JOB_INVOICE &&
			   same_content(j->path, pdf, len)) {
			/* reports are rewritten only when they change */
			memcpy(r->job_sha[index], sha, 65);
		} else if (write_file_atomic_nodirsync(j->path, pdf, len) != 0) {
			rc = io_error("cannot write", j->path);
		} else {
			memcpy(r->job_sha[index], sha, 65);
		}
		free(pdf);
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

static int render_serial(struct run *r, size_t lo, size_t hi);
static int render_parallel(struct run *r, size_t lo, size_t hi,
			   int workers);

/* Issued PDFs to restore (missing or damaged) are laid out again in
 * memory first: one that would not come out byte-identical (the
 * client's or contract's details changed since) is damage, reported
 * before anything is written. */
int check_restores(struct run *r)
{
	int bad = 0;
	for (size_t i = 0; i < r->njobs; i++) {
		const struct job *j = &r->jobs[i];
		if (!j->expect_sha)
			continue;
		struct arena scratch = { 0 };
		struct doc d;
		doc_init(&d, &r->font, &scratch);
		layout_job(r, j, &d);
		unsigned char *pdf;
		size_t len;
		char err[256];
		int prc = pdf_render(&d, &pdf, &len, err, sizeof err);
		if (prc == 0) {
			char sha[65];
			sha256_hex(pdf, len, sha);
			free(pdf);
			if (strcmp(sha, j->expect_sha) != 0) {
				fprintf(stderr, "svcbill: %s: issued invoice "
					"missing or changed, and it cannot be "
					"restored byte-identically (the client's "
					"or contract's details changed since it "
					"was issued); restore it from a backup\n",
					j->path);
				bad++;
			}
		}
		doc_free(&d);
		arena_free(&scratch);
		if (prc != 0) {
			fprintf(stderr, "svcbill: %s: %s\n", j->path, err);
			return prc == -2 ? EX_IOERR : EX_SOFTWARE;
		}
	}
	/* the period's credit notes and cancelled invoices are not drawn
	 * again: theirs must be as recorded */
	for (size_t i = 0; i < r->lg.nlast; i++) {
		const struct reg_row *g = r->lg.last[i];
		char sha[65];
		if (g->period != r->o->period || g->status == INV_ISSUED ||
		    !g->pdf[0])
			continue;
		if (file_sha(r, g->pdf, sha) != 0 ||
		    strcmp(sha, g->pdf_sha256) != 0) {
			fprintf(stderr, "svcbill: %s/%s: missing or not the "
				"file the register recorded (%s %s); restore "
				"it from a backup\n", r->o->out, g->pdf,
				g->status == INV_CREDIT ? "credit note" :
				"cancelled invoice", g->invoice_no);
			bad++;
		}
	}
	return bad ? EX_DATAERR : 0;
}

/* Render jobs lo..hi-1, in worker processes when asked: the same bytes
 * whatever the number of workers, as each document depends only on its
 * own data. */
int render_range(struct run *r, size_t lo, size_t hi)
{
	size_t n = hi - lo;
	if (n == 0)
		return 0;
	int workers = r->o->jobs;
	if ((size_t)workers > n)
		workers = (int)n;
	/* the workers report each file's SHA-256 here */
	size_t slots = (sizeof *r->job_sha * r->njobs + 63) & ~(size_t)63;
	size_t shared = slots + 64;     /* then the count of documents done */
	r->job_sha = mmap(NULL, shared, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->job_sha == MAP_FAILED) {
		r->job_sha = NULL;
		perror("svcbill: mmap");
		return EX_OSERR;
	}
	docs_done = (_Atomic size_t *)(void *)((char *)r->job_sha + slots);
	/* a run renders in ranges (the documents, then the summary): the
	 * line counts the run's documents, from lo on */
	atomic_store(docs_done, lo);
	progress_on = !r->o->quiet && isatty(STDERR_FILENO);
	if (lo == 0)
		clock_gettime(CLOCK_MONOTONIC, &progress_t0);
	int result = workers <= 1 ? render_serial(r, lo, hi) :
		     render_parallel(r, lo, hi, workers);
	if (!result && hi == r->njobs)
		progress(atomic_load(docs_done), r->njobs, 1);
	progress_on = 0;
	for (size_t i = lo; i < hi && !result; i++)
		if (r->job_sha[i][0])
			known_add(r, r->jobs[i].rel, r->job_sha[i]);
	munmap(r->job_sha, shared);
	r->job_sha = NULL;
	return result;
}

static int render_serial(struct run *r, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++) {
		int rc = render_one(r, &r->jobs[i], i);
		if (rc)
			return rc;
		atomic_fetch_add(docs_done, 1);
		progress(i + 1, r->njobs, 0);
	}
	return 0;
}

static int render_parallel(struct run *r, size_t lo, size_t hi,
			   int workers)
{
	size_t n = r->njobs;            /* documents, for the progress line */
	fflush(NULL);
	pid_t parent = getpid();
	pid_t *pids = xcalloc((size_t)workers, sizeof *pids);
	for (int w = 0; w < workers; w++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("svcbill: fork");
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
				r->job_sha[i][64] = 1;
				int rc = render_one(r, &r->jobs[i], i);
				if (rc)
					_exit(rc);
				r->job_sha[i][64] = 0;
				atomic_fetch_add(docs_done, 1);
			}
			_exit(0);
		}
		pids[w] = pid;
	}
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
				if (r->job_sha[i][64] == 1)
					doc = r->jobs[i].path;
			fprintf(stderr, "svcbill: the worker drawing %s was "
				"killed by signal %d (%s)\n", doc,
				WTERMSIG(st), strsignal(WTERMSIG(st)));
		}
		if (rc && !result)
			result = rc;
	}
	free(pids);
	return result;
}
