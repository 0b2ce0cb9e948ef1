/* runstate.h - the state of one `svcbill run`, shared by the modules
 * that carry it out: reconcile.c (what to issue), render.c (the PDFs, in
 * worker processes), commit.c (the ledger rows and the derived files) and
 * run.c (the order of it all). */
#ifndef SVCBILL_RUNSTATE_H
#define SVCBILL_RUNSTATE_H

#include "base/arena.h"
#include "base/diag.h"
#include "pdf/fonts.h"
#include "bill/invoice.h"
#include "ledger/ledger.h"
#include "read/model.h"
#include "cmd/run.h"

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
	struct buf reg_out, lines_out; /* the rows to append, chained */
	int rows_ready;
};

/* commit.c: files this run wrote or checked, and the ledger rows */
void known_add(struct run *r, const char *rel, const char *sha);
int file_sha(struct run *r, const char *rel, char out[65]);
int io_error(const char *what, const char *path);
int prepare_rows(struct run *r);
int ensure_ledger_files(struct run *r);
int append_rows(struct run *r);
int write_summary_csv(struct run *r);
int write_sha256sums(struct run *r);

/* reconcile.c */
void add_append(struct run *r, struct invoice *inv);
int reconcile(struct run *r, struct invoice *inv, size_t ninv);

/* render.c */
void add_job(struct run *r, struct invoice *inv, const char *expect);
void add_reports(struct run *r, int with_summary);
int check_restores(struct run *r);
int render_range(struct run *r, size_t lo, size_t hi);

#endif
