/* out.h - the only stage that writes the archive: the documents of a
 * plan (render.c, in worker processes when asked) and what follows them
 * (commit.c: the ledger rows, summary.csv and the workbooks, SHA256SUMS).
 *
 * Every function takes what it needs as arguments and returns 0 or an exit
 * status (sysexits.h) with its message already reported through the diag
 * it was handed (base/diag.h: the rule).  The plan is never changed here;
 * the only value out/ fills for its caller is the register as it is after
 * the run (commit_rows: each new row's pdf, pdf_sha256 and chain). */
#ifndef SVCBILL_OUT_H
#define SVCBILL_OUT_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "ledger/ledger.h"
#include "pdf/fonts.h"
#include "plan/plan.h"
#include "read/model.h"

/* Where and when a run writes: the archive and the period. */
struct period_out {
	const char *root;           /* the archive */
	const char *dir;            /* root/YYYY-MM */
	char name[8];               /* "YYYY-MM" */
	int period;
	day_t issue_date;
	int lock;                   /* the archive's lock (lock_archive), or
				     * -1: held until the process ends */
};
void period_out_init(struct period_out *w, const char *root, int period,
		     day_t issue_date, struct arena *a);

/* A job's file, relative to the archive root. */
const char *job_rel(const struct job *j, const struct period_out *w,
		    struct arena *a);

/* ---- the SHA-256 of files (commit.c) ---------------------------------- */

/* The files of the period that before names (its rows' pdf), hashed as
 * they are on disk now, before anything is written: the plan's input. */
void disk_hashes_read(const struct ledger *before,
		      const struct period_out *w, struct arena *a,
		      struct disk_hashes *out);
void disk_hashes_free(struct disk_hashes *h);

/* The SHA-256 of every file the run wrote or read, by path relative to
 * the root, so that none is hashed twice: seeded with the disk hashes,
 * added to by rendering and writing; a later entry for a path wins. */
struct known;
struct file_hashes {
	const char *root;
	struct known *v;
	size_t n, cap;
	int sorted;
	struct arena *a;            /* the names it keeps */
};
void file_hashes_init(struct file_hashes *h, const char *root,
		      const struct disk_hashes *seed, struct arena *a);
void file_hashes_add(struct file_hashes *h, const char *rel,
		     const char sha[65]);
/* The SHA-256 of root/rel: known, else read (and then known).  -1 when
 * the file cannot be read (errno). */
int file_hashes_get(struct file_hashes *h, const char *rel, char out[65]);
void file_hashes_free(struct file_hashes *h);

/* ---- the documents (render.c) ----------------------------------------- */

/* What the documents are drawn from besides the plan. */
struct render_input {
	const struct dataset *ds;
	const struct ledger *after; /* the register with this run in it */
	struct font *font;          /* layout caches advances in it */
	int workers;                /* --jobs */
	int progress;               /* draw the count on a terminal */
	/* work of the run's own for the parent while workers draw (a
	 * third process on the cores then, but less left for after the
	 * documents); not called without workers */
	void (*meanwhile)(void *ctx);
	void *meanwhile_ctx;
};

/* Issued documents to restore (jobs with expect_sha: invoices, credit
 * notes, cancelled invoices) are laid out again in memory; one that
 * would not come out byte-identical is damage, found before anything is
 * written: 0 or an exit status. */
int check_restores(const struct plan *p, const struct render_input *in,
		   const struct period_out *w, struct diag *d);

/* The period's folders the plan's documents go into. */
int make_period_dirs(const struct plan *p, const struct period_out *w,
		     struct diag *d);

/* Renders jobs lo..hi-1 into their files (the same bytes whatever the
 * number of workers) and adds their SHA-256 to h. */
int render_range(const struct plan *p, const struct render_input *in,
		 const struct period_out *w, size_t lo, size_t hi,
		 struct file_hashes *h, struct diag *d);

/* The documents render_range() left in temporaries made durable at once
 * (one syncfs, or each fsync'd when a folder is on another file system),
 * named, and their folders synced: commit_deferred() in base/fsio.h. */
int sync_period_dirs(const struct plan *p, const struct period_out *w,
		     struct diag *d);
/* fsio_flush_start() for the period's folders: the disk writes the
 * documents while the run makes its rows; fsio_flush_wait() before
 * sync_period_dirs(). */
void *period_flush_start(const struct plan *p, const struct period_out *w);
/* After a failure: the documents' temporaries removed. */
void discard_period_docs(const struct plan *p, const struct period_out *w);

/* ---- the ledger and derived files (commit.c) ------------------------- */

/* The rows a run appends, as the bytes to write. */
struct ledger_rows {
	struct buf reg, lines;
};

/* The rows of p->append chained to before's last row; fills in after
 * (ledger_merge of before and the plan) each new row's pdf, pdf_sha256
 * and chain, and its seal.  Once the invoices are rendered: their hashes
 * are in the rows. */
int commit_rows(const struct plan *p, const struct ledger *before,
		struct ledger *after, const struct period_out *w,
		struct file_hashes *h, struct arena *a, struct diag *d,
		struct ledger_rows *out);
void ledger_rows_free(struct ledger_rows *rows);

/* register.csv and lines.csv with their header, if not there yet. */
int ensure_ledger_files(const char *root, struct arena *a, struct diag *d);

/* Appends the rows durably: lines first, the register row commits. */
int append_rows(const struct ledger_rows *rows, size_t nrows,
		const char *root, struct arena *a, struct diag *d);

/* The two workbooks' bytes, made from the register after (they show
 * nothing commit_rows() adds: no file hash, no chain), and what their
 * making had to say, kept to be said when they are written. */
struct workbooks {
	int made, failed;
	unsigned char *summary, *fapiao;
	size_t summary_len, fapiao_len;
	char *said;                 /* warnings for stderr, NUL-terminated */
	size_t said_len;
	const struct ledger *after;
	const struct dataset *ds;
	const struct period_out *w;
};
void workbooks_init(struct workbooks *wb, const struct ledger *after,
		    const struct dataset *ds, const struct period_out *w);
/* Makes them now (a struct workbooks * as ctx: a render_input's
 * meanwhile); write_summary_files() makes them itself if not made. */
void workbooks_make(void *wb);
void workbooks_free(struct workbooks *wb);

/* summary.csv, summary.xlsx and fapiao.xlsx from the register after. */
int write_summary_files(const struct ledger *after,
			const struct dataset *ds, const struct period_out *w,
			struct workbooks *wb, struct file_hashes *h,
			struct arena *a,
			struct diag *d);

/* The period folder holds only what svcbill wrote there (SPEC §4: an
 * extra archived file is damage, found before anything is written): each
 * file one the register names, one of the plan's documents, a summary
 * file, or a record sheet an earlier run listed in SHA256SUMS (with none,
 * one of a device of ds in a period billed before); and no folder but
 * invoices/ and sheets/.  Each other one named: 65. */
int check_period_files(const struct plan *p, const struct ledger *after,
		       const struct dataset *ds, const struct period_out *w,
		       struct arena *a, struct diag *d);

/* SHA256SUMS of the period folder, never disagreeing with the register
 * and never listing a file svcbill did not write (one that came while
 * the run wrote is left out, with a warning). */
int write_sha256sums(const struct ledger *after, const struct dataset *ds,
		     const struct period_out *w, struct file_hashes *h,
		     struct arena *a, struct diag *d);

#endif
