/* run.c - the commands.  The pipeline of a run is one way:
 *   read + validate (load.c) -> compute (rules.c) -> reconcile with the
 *   register (ledger.c) -> render (layout, pdf) -> commit (fsio, ledger).
 * Nothing is written before the data has been found valid, and the
 * register rows are appended only after every PDF is in place. */
#include "run.h"
#include "arena.h"
#include "archive.h"
#include "buf.h"
#include "diag.h"
#include "doc_invoice.h"
#include "doc_sheet.h"
#include "doc_summary.h"
#include "fonts.h"
#include "fsio.h"
#include "ledger.h"
#include "load.h"
#include "money.h"
#include "pdf.h"
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

enum job_kind { JOB_INVOICE, JOB_SHEET, JOB_SUMMARY };

struct job {
	int kind;
	struct invoice *inv;        /* JOB_INVOICE */
	const struct device *dev;   /* JOB_SHEET */
	const char *path;           /* file to write */
	const char *rel;            /* path relative to the archive root */
	const char *expect_sha;     /* restoring: must match, else skip */
};

/* Which invoice billed a record: from the register as it will be. */
struct billed {
	const char *record_id, *invoice_no;
};

/* SHA-256 of files this run wrote or checked, by path relative to the
 * archive root, so that no file is hashed twice. */
struct known {
	const char *rel;
	size_t seq;                 /* a later entry for a path wins */
	char sha[65];
};

struct run {
	const struct options *o;
	struct arena a;
	struct diag d;
	struct dataset ds;
	struct font font;
	struct ledger lg;
	char period_s[8];
	const char *period_dir;     /* root/YYYY-MM */
	struct job *jobs;
	size_t njobs, capjobs;
	struct invoice **append;    /* rows to append, in order */
	size_t nappend, capappend;
	int nnew, nkept, nreissued, nrestored;
	struct known *known;
	size_t nknown, capknown;
	int known_sorted;
	char (*job_sha)[65];        /* per job, shared with the workers */
	struct ledger post;         /* the register once this run is in */
	struct billed *billed;      /* by record_id */
	size_t nbilled;
};

static void known_add(struct run *r, const char *rel, const char *sha)
{
	if (r->nknown == r->capknown) {
		r->capknown = r->capknown ? r->capknown * 2 : 64;
		r->known = xrealloc(r->known, sizeof *r->known * r->capknown);
	}
	r->known[r->nknown].rel = rel;
	r->known[r->nknown].seq = r->nknown;
	memcpy(r->known[r->nknown].sha, sha, 65);
	r->nknown++;
	r->known_sorted = 0;
}

static int by_rel(const void *x, const void *y)
{
	return strcmp(((const struct known *)x)->rel,
		      ((const struct known *)y)->rel);
}

static int by_rel_seq(const void *x, const void *y)
{
	const struct known *a = x, *b = y;
	int c = strcmp(a->rel, b->rel);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The SHA-256 of root/rel: from what this run knows, else read. */
static int file_sha(struct run *r, const char *rel, char out[65])
{
	if (!r->known_sorted && r->nknown) {
		qsort(r->known, r->nknown, sizeof *r->known, by_rel_seq);
		r->known_sorted = 1;
	}
	struct known key = { rel, 0, "" };
	const struct known *k = r->nknown ? bsearch(&key, r->known, r->nknown,
						    sizeof *r->known, by_rel) :
				NULL;
	while (k && k + 1 < r->known + r->nknown &&
	       strcmp(k[1].rel, rel) == 0)
		k++;
	if (k) {
		memcpy(out, k->sha, 65);
		return 0;
	}
	char *path = arena_printf(&r->a, "%s/%s", r->o->out, rel);
	if (sha256_file(path, out) != 0)
		return -1;
	known_add(r, arena_strdup(&r->a, rel), out);
	return 0;
}

static int io_error(const char *what, const char *path)
{
	fprintf(stderr, "svcbill: %s %s: %s\n", what, path, strerror(errno));
	return EX_IOERR;
}

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

static void add_job(struct run *r, struct invoice *inv, const char *expect)
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
static void add_reports(struct run *r, int with_summary)
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

static void add_append(struct run *r, struct invoice *inv)
{
	if (r->nappend == r->capappend) {
		r->capappend = r->capappend ? r->capappend * 2 : 64;
		r->append = xrealloc(r->append, sizeof *r->append *
				     r->capappend);
	}
	r->append[r->nappend++] = inv;
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
			fprintf(stderr, "svcbill: %s: cannot be restored "
				"byte-identically (the client's or contract's "
				"details changed since it was issued); "
				"left as it is\n", j->path);
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

static void progress(const struct run *r, size_t done, size_t total)
{
	if (r->o->quiet || !isatty(STDERR_FILENO) || total < 20)
		return;
	if (done % 10 != 0 && done != total)
		return;
	int width = 40, fill = (int)(done * (size_t)width / total);
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", fill,
		"########################################", width - fill, "",
		done, total);
	if (done == total)
		fputc('\n', stderr);
}

static int render_serial(struct run *r);
static int render_parallel(struct run *r, int workers);

/* Render every job, in worker processes when asked: the same bytes
 * whatever the number of workers, as each document depends only on its
 * own data. */
static int render_all(struct run *r)
{
	size_t n = r->njobs;
	if (n == 0)
		return 0;
	int workers = r->o->jobs;
	if ((size_t)workers > n)
		workers = (int)n;
	/* the workers report each file's SHA-256 here */
	size_t shared = sizeof *r->job_sha * n;
	r->job_sha = mmap(NULL, shared, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->job_sha == MAP_FAILED) {
		r->job_sha = NULL;
		perror("svcbill: mmap");
		return EX_OSERR;
	}
	int result = workers <= 1 ? render_serial(r) : render_parallel(r, workers);
	for (size_t i = 0; i < n && !result; i++)
		if (r->job_sha[i][0])
			known_add(r, r->jobs[i].rel, r->job_sha[i]);
	munmap(r->job_sha, shared);
	r->job_sha = NULL;
	return result;
}

static int render_serial(struct run *r)
{
	for (size_t i = 0; i < r->njobs; i++) {
		int rc = render_one(r, &r->jobs[i], i);
		if (rc)
			return rc;
		progress(r, i + 1, r->njobs);
	}
	return 0;
}

static int render_parallel(struct run *r, int workers)
{
	size_t n = r->njobs;
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
			for (size_t i = (size_t)w; i < n; i += (size_t)workers) {
				int rc = render_one(r, &r->jobs[i], i);
				if (rc)
					_exit(rc);
				if (w == 0)
					progress(r, i + 1, n);
			}
			_exit(0);
		}
		pids[w] = pid;
	}
	int result = workers == 0 ? EX_OSERR : 0;
	for (int w = 0; w < workers; w++) {
		int st;
		while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
			;
		int rc = WIFEXITED(st) ? WEXITSTATUS(st) : EX_SOFTWARE;
		if (rc && !result)
			result = rc;
	}
	free(pids);
	if (!result && !r->o->quiet && isatty(STDERR_FILENO) && n >= 20)
		fputc('\n', stderr);
	return result;
}

/* ---- reconciling with the register ------------------------------------- */

static int by_contract_row(const void *x, const void *y)
{
	return strcmp((*(const struct reg_row *const *)x)->contract_id,
		      (*(const struct reg_row *const *)y)->contract_id);
}

/* The register's invoices of period P that are issued now, by contract
 * (one per contract: the one issued last). */
static const struct reg_row **issued_in_period(const struct run *r,
					       size_t *n)
{
	const struct reg_row **v = xmalloc(sizeof *v * (r->lg.nlast + 1));
	*n = 0;
	for (size_t i = 0; i < r->lg.nlast; i++)
		if (r->lg.last[i]->period == r->o->period &&
		    r->lg.last[i]->status == INV_ISSUED)
			v[(*n)++] = r->lg.last[i];
	qsort(v, *n, sizeof *v, by_contract_row);
	return v;
}

static struct invoice *invoice_from_row(struct run *r,
					const struct reg_row *g)
{
	struct invoice *inv = arena_alloc(&r->a, sizeof *inv);
	inv->contract = find_contract(&r->ds, g->contract_id);
	inv->contract_id = g->contract_id;
	inv->client_id = g->client_id;
	inv->period = g->period;
	inv->issue_date = g->issue_date;
	inv->due_date = g->due_date;
	inv->net = g->net;
	inv->tax = g->tax;
	inv->gross = g->gross;
	inv->status = g->status;
	inv->replaces = g->replaces;
	snprintf(inv->number, sizeof inv->number, "%s", g->invoice_no);
	snprintf(inv->content_sha256, sizeof inv->content_sha256, "%s",
		 g->content_sha256);
	ledger_lines_of(&r->lg, g->invoice_no, &r->a, &inv->lines,
			&inv->nlines);
	return inv;
}

/* Cancel old (append a cancelled row and a credit note). */
static void cancel(struct run *r, const struct reg_row *old, int *next_cn)
{
	struct invoice *gone = invoice_from_row(r, old);
	gone->status = INV_CANCELLED;
	add_append(r, gone);
	struct invoice *cn = invoice_from_row(r, old);
	cn->status = INV_CREDIT;
	cn->replaces = old->invoice_no;
	cn->issue_date = r->o->issue_date;
	cn->due_date = r->o->issue_date;
	cn->net = -old->net;
	cn->tax = -old->tax;
	cn->gross = -old->gross;
	for (size_t i = 0; i < cn->nlines; i++)
		cn->lines[i].amount = -cn->lines[i].amount;
	invoice_number(cn->number, "CN", r->o->period, ++*next_cn);
	invoice_content_hash(cn);
	add_append(r, cn);
	add_job(r, cn, NULL);
}

static void changed_message(struct run *r, const char *contract,
			    const struct reg_row *old,
			    const struct invoice *now)
{
	char on[32], ot[32], og[32], nn[32], nt[32], ng[32];
	money_plain(old->net, on);
	money_plain(old->tax, ot);
	money_plain(old->gross, og);
	money_plain(now ? now->net : 0, nn);
	money_plain(now ? now->tax : 0, nt);
	money_plain(now ? now->gross : 0, ng);
	fprintf(stderr, "svcbill: contract %s: invoice %s of %s changed: net "
		"%s -> %s, tax %s -> %s, gross %s -> %s%s (run with --reissue "
		"to cancel it and issue a credit note and a new invoice)\n",
		contract, old->invoice_no, r->period_s, on, nn, ot, nt, og, ng,
		now ? "" : " (now nothing to bill)");
	r->d.errors++;
}

/* One contract: its invoice of P in the register (old, may be NULL) and
 * what it would be now (now, may be NULL). */
static void say(const struct run *r, const char *what, const char *number,
		const char *contract, int64_t gross)
{
	if (!r->o->verbose)
		return;
	char g[40];
	money_grouped(gross, g);
	fprintf(stderr, "%-10s %-18s %-16s %14s\n", what, number, contract, g);
}

static void reconcile_one(struct run *r, const char *id,
			  const struct reg_row *old, struct invoice *now,
			  int *next, int *next_cn)
{
	if (now)
		invoice_content_hash(now);
	if (old && now &&
	    strcmp(old->content_sha256, now->content_sha256) == 0) {
		/* unchanged: same number, the file restored if need be */
		snprintf(now->number, sizeof now->number, "%s",
			 old->invoice_no);
		now->replaces = old->replaces;
		r->nkept++;
		say(r, "unchanged", now->number, id, now->gross);
		char sha[65];
		if (file_sha(r, old->pdf, sha) != 0 ||
		    strcmp(sha, old->pdf_sha256) != 0) {
			fprintf(stderr, "svcbill: %s/%s is missing or damaged: "
				"writing it again\n", r->o->out, old->pdf);
			add_job(r, now, old->pdf_sha256);
			r->nrestored++;
		}
		return;
	}
	if (old && !r->o->reissue) {
		changed_message(r, id, old, now);
		return;
	}
	if (old) {
		cancel(r, old, next_cn);
		r->nreissued++;
		say(r, "cancelled", old->invoice_no, id, old->gross);
	}
	if (now) {
		invoice_number(now->number, r->ds.issuer.invoice_prefix,
			       r->o->period, ++*next);
		now->replaces = old ? old->invoice_no : "";
		add_append(r, now);
		add_job(r, now, NULL);
		if (!old)
			r->nnew++;
		say(r, old ? "reissued" : "new", now->number, id, now->gross);
	}
}

/* Decide, per contract, what this run issues: the drafts (in contract
 * order) against the period's issued invoices (the same order), which
 * include contracts gone from the data.  Returns 0 or an exit status. */
static int reconcile(struct run *r, struct invoice *inv, size_t ninv)
{
	const struct options *o = r->o;
	int next = ledger_last_number(&r->lg, r->ds.issuer.invoice_prefix,
				      o->period);
	int next_cn = ledger_last_number(&r->lg, "CN", o->period);
	size_t nold, i = 0, k = 0;
	const struct reg_row **old = issued_in_period(r, &nold);
	while (i < ninv || k < nold) {
		int c = i == ninv ? 1 : k == nold ? -1 :
			strcmp(inv[i].contract_id, old[k]->contract_id);
		if (c < 0) {
			reconcile_one(r, inv[i].contract_id, NULL, &inv[i],
				      &next, &next_cn);
			i++;
		} else if (c > 0) {
			reconcile_one(r, old[k]->contract_id, old[k], NULL,
				      &next, &next_cn);
			k++;
		} else {
			reconcile_one(r, inv[i].contract_id, old[k], &inv[i],
				      &next, &next_cn);
			i++;
			k++;
		}
	}
	free(old);
	if (r->d.errors)
		return EX_DATAERR;
	int latest = ledger_latest_period(&r->lg);
	if (latest > o->period && r->nappend > 0) {
		char l[8];
		month_format(latest, l);
		fprintf(stderr, "svcbill: %s is earlier than the latest period "
			"in the register (%s): it may only be re-run "
			"unchanged, and this run would issue %zu new "
			"register rows\n", r->period_s, l, r->nappend);
		return EX_DATAERR;
	}
	return 0;
}

/* ---- committing -------------------------------------------------------- */

static int append_rows(struct run *r)
{
	if (r->nappend == 0)
		return 0;
	struct buf lines, reg;
	buf_init(&lines);
	buf_init(&reg);
	char *lpath = arena_printf(&r->a, "%s/lines.csv", r->o->out);
	char *rpath = arena_printf(&r->a, "%s/register.csv", r->o->out);
	struct stat st;
	if (stat(lpath, &st) != 0 || st.st_size == 0)
		csv_header(&lines, LINES_HEADER);
	if (stat(rpath, &st) != 0 || st.st_size == 0)
		csv_header(&reg, REGISTER_HEADER);
	for (size_t i = 0; i < r->nappend; i++) {
		struct invoice *inv = r->append[i];
		const char *pdf = "", *sha = "";
		if (inv->status != INV_CANCELLED)
			lines_rows(&lines, inv);
		const struct reg_row *old = ledger_find(&r->lg, inv->number);
		if (inv->status == INV_CANCELLED && old) {
			pdf = old->pdf;
			sha = old->pdf_sha256;
		} else {
			char *rel = arena_printf(&r->a, "%s/invoices/%s.pdf",
						 r->period_s, inv->number);
			char *hex = arena_alloc(&r->a, 65);
			if (file_sha(r, rel, hex) != 0) {
				buf_free(&lines);
				buf_free(&reg);
				return io_error("cannot read back", rel);
			}
			pdf = rel;
			sha = hex;
		}
		register_row(&reg, inv, pdf, sha);
	}
	int rc = 0;
	/* lines first: the register row is what commits an invoice */
	if (lines.len && append_durable(lpath, lines.data, lines.len) != 0)
		rc = io_error("cannot append to", lpath);
	else if (append_durable(rpath, reg.data, reg.len) != 0)
		rc = io_error("cannot append to", rpath);
	buf_free(&lines);
	buf_free(&reg);
	return rc;
}

/* 1 when rows[i] (of rows) is the first with its invoice number. */
static int first_of_number(const struct reg_row **rows, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(rows[k]->invoice_no, rows[i]->invoice_no) == 0)
			return 0;
	return 1;
}

static int write_summary_csv(struct run *r)
{
	struct buf b;
	buf_init(&b);
	csv_header(&b, SUMMARY_HEADER);
	/* in the order invoices were first issued, each in its state now */
	const struct reg_row **mine = xmalloc(sizeof *mine * (r->lg.nrows + 1));
	size_t n = 0;
	for (size_t i = 0; i < r->lg.nrows; i++)
		if (r->lg.rows[i].period == r->o->period)
			mine[n++] = &r->lg.rows[i];
	for (size_t i = 0; i < n; i++) {
		if (!first_of_number(mine, i))
			continue;
		const struct reg_row *g = ledger_find(&r->lg, mine[i]->invoice_no);
		const struct contract *c = find_contract(&r->ds, g->contract_id);
		const struct client *cl = find_client(&r->ds, g->client_id);
		char net[32], tax[32], gross[32], due[11];
		money_plain(g->net, net);
		money_plain(g->tax, tax);
		money_plain(g->gross, gross);
		date_format(g->due_date, due);
		const char *f[10] = {
			g->invoice_no, g->contract_id, g->client_id,
			cl ? cl->name_zh : "", c ? contract_type_name(c->type) : "",
			net, tax, gross, due,
			g->status == INV_CANCELLED ? "cancelled" :
			g->status == INV_CREDIT ? "credit" : "issued",
		};
		for (int k = 0; k < 10; k++)
			csv_put(&b, f[k], k == 0);
		csv_end_row(&b);
	}
	free(mine);
	char *path = arena_printf(&r->a, "%s/summary.csv", r->period_dir);
	int rc = write_file_atomic(path, b.data, b.len) ? io_error(
		"cannot write", path) : 0;
	if (!rc) {
		char sha[65];
		sha256_hex(b.data, b.len, sha);
		known_add(r, arena_printf(&r->a, "%s/summary.csv",
					  r->period_s), sha);
	}
	buf_free(&b);
	return rc;
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every file below dir (relative names), skipping temporaries. */
static void list_files(const char *root, const char *rel, char ***v,
		       size_t *n, size_t *cap)
{
	char *path = rel[0] ? NULL : NULL;
	size_t len = strlen(root) + strlen(rel) + 2;
	path = xmalloc(len);
	snprintf(path, len, "%s%s%s", root, rel[0] ? "/" : "", rel);
	DIR *dir = opendir(path);
	free(path);
	if (!dir)
		return;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t k = strlen(rel) + strlen(e->d_name) + 2;
		char *name = xmalloc(k);
		snprintf(name, k, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
		if (e->d_type == DT_DIR) {
			list_files(root, name, v, n, cap);
			free(name);
			continue;
		}
		if (strcmp(name, "SHA256SUMS") == 0) {
			free(name);
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*v = xrealloc(*v, sizeof **v * *cap);
		}
		(*v)[(*n)++] = name;
	}
	closedir(dir);
}

static int write_sha256sums(struct run *r)
{
	char **files = NULL;
	size_t n = 0, cap = 0;
	list_files(r->period_dir, "", &files, &n, &cap);
	if (n)
		qsort(files, n, sizeof *files, by_string);
	struct buf b;
	buf_init(&b);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *rel = arena_printf(&r->a, "%s/%s", r->period_s,
					 files[i]);
		char sha[65];
		if (!rc && file_sha(r, rel, sha) != 0)
			rc = io_error("cannot read", rel);
		if (!rc)
			buf_printf(&b, "%s  %s\n", sha, files[i]);
		free(files[i]);
	}
	free(files);
	char *path = arena_printf(&r->a, "%s/SHA256SUMS", r->period_dir);
	if (!rc && write_file_atomic(path, b.data, b.len) != 0)
		rc = io_error("cannot write", path);
	buf_free(&b);
	return rc;
}

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
				 .issue_date = o->issue_date, .hist = &hist };
	size_t ninv;
	struct invoice *inv = bill_period(&in, &r->a, &ninv);
	if ((rc = reconcile(r, inv, ninv)) != 0)
		return rc;
	if (o->dry_run) {
		print_summary(r, inv, ninv);
		return 0;
	}
	ledger_merge(&r->lg, r->append, r->nappend, &r->a, &r->post);
	add_reports(r, ninv || r->nappend ||
		       access(r->period_dir, F_OK) == 0);
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
	if (ninv || r->nappend || access(r->period_dir, F_OK) == 0) {
		if (mkdir_p(r->period_dir) != 0)
			return io_error("cannot create", r->period_dir);
		if ((rc = write_summary_csv(r)) != 0 ||
		    (rc = write_sha256sums(r)) != 0)
			return rc;
	}
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
	if (o->out_given && diag_exit_status(&d) == 0) {
		struct ledger lg;
		if (ledger_load(&lg, o->out, 0, &a, &d) == 0)
			check_billed_cycles(&ds, &lg, o->data, &a, &d);
	}
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
