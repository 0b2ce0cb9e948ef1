/* plan.h - what a run issues, decided from values only.
 *
 * plan_period() takes the register as it was, the fee engine's drafts,
 * the data set and the SHA-256 of the period's documents already on disk
 * (read beforehand by out/), and returns a struct plan: the register rows
 * to append, in order, and the documents to write.  It reads no file and
 * writes none; its only output besides the plan is its messages, through
 * the diag it is handed.
 *
 * Ownership: the plan's arrays are the caller's to free (plan_free); the
 * invoices it points to live in the arena it was handed, or are the
 * caller's drafts' copies there: the drafts themselves are not changed. */
#ifndef SVCBILL_PLAN_H
#define SVCBILL_PLAN_H

#include "base/arena.h"
#include "base/diag.h"
#include "bill/invoice.h"
#include "ledger/ledger.h"
#include "read/model.h"

enum job_kind { JOB_INVOICE, JOB_SHEET, JOB_SUMMARY };

/* A document to write.  Where it goes is out/'s business (out/out.h). */
struct job {
	enum job_kind kind;
	const struct invoice *inv;  /* JOB_INVOICE */
	const struct device *dev;   /* JOB_SHEET */
	const char *expect_sha;     /* restoring an issued invoice: the
				     * SHA-256 it must come out with */
};

/* The SHA-256 of a file of the archive, by its path relative to the root
 * (as the register's pdf column names it). */
struct file_hash {
	const char *rel;
	char sha[65];
};

/* The files of the period that the register names and that were there
 * and readable before the run, sorted by rel (a file that is missing or
 * unreadable is simply not in it). */
struct disk_hashes {
	struct file_hash *v;
	size_t n;
};

/* The SHA-256 of rel as it was on disk, or NULL when it was not there. */
const char *disk_hash(const struct disk_hashes *h, const char *rel);

struct plan_opts {
	int period;                 /* the month billed */
	day_t issue_date;           /* of new invoices and credit notes */
	int reissue;                /* --reissue: cancel and replace */
	const char *root;           /* the archive, for messages only */
};

struct plan_count {
	int fresh;                  /* invoices for contracts not billed yet */
	int kept;                   /* unchanged: same number, no new row */
	int reissued;               /* cancelled (and replaced if billed now) */
	int restored;               /* kept, but its PDF is written again */
};

struct plan {
	struct invoice **append;    /* register rows to append, in order */
	size_t nappend, capappend;
	struct job *jobs;           /* documents to write, in order: the
				     * invoices, the sheets, the summary last */
	size_t njobs, capjobs;
	struct plan_count count;
};

/* Decides, per contract, what the run issues: the drafts (n of them, in
 * contract order) against the register's issued invoices of the period
 * (which include contracts gone from the data):
 *   - no invoice yet: a new one, numbered after the period's last;
 *   - same content hash: kept, its number reused; its PDF written again
 *     (expect_sha set) when on_disk does not hold it with its hash;
 *   - changed content: refused (a message, 65) unless o->reissue, then
 *     the old one cancelled (a cancelled row and a credit note) and,
 *     if there is something to bill now, a new invoice replacing it;
 * then, every time, a record sheet for each device with a record
 * completed in the activity month (the month before) and the summary.
 * A period earlier than the register's latest may only be re-run
 * unchanged.  Returns 0, or 65 with the reasons reported through d. */
int plan_period(const struct ledger *before, const struct invoice *drafts,
		size_t n, const struct dataset *ds,
		const struct disk_hashes *on_disk, const struct plan_opts *o,
		struct arena *a, struct diag *d, struct plan *out);

void plan_free(struct plan *p);

/* 1 when device v gets a record sheet in a run whose activity month is
 * `activity`: a record of it was completed in that month. */
int plan_sheet_due(const struct device *v, int activity);

/* The ids of every record of the devices that get a record sheet in a
 * run of `period`, in byte order, once each (*n of them): the records
 * whose invoices the run's documents show (a sheet lists its device's
 * whole history). */
const char **plan_sheet_record_ids(const struct dataset *ds, int period,
				   struct arena *a, size_t *n);

#endif
