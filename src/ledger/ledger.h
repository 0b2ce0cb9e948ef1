/* ledger.h - the archive's append-only ledger (register.csv, lines.csv,
 * rules.md §4) as rows: reading it back with the repair rule and the
 * integrity checks, lookups, the history the fee engine needs, invoice
 * numbers, and the rows a run appends.  The format of each file (header,
 * parse, write, hash, chain) is schema.h's; the ledger knows only its
 * rows, never an invoice of the fee engine.
 *
 * Invariants: every register row read back has a `chain` that verifies
 * against the row before it; every lines.csv row read back belongs to a
 * committed register row, in register order; nothing is ever repaired
 * but a torn tail left by an interrupted append (rules.md §4). */
#ifndef SVCBILL_LEDGER_H
#define SVCBILL_LEDGER_H

#include "base/arena.h"
#include "base/vec.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/fsio.h"
#include "ledger/schema.h"

struct reg_row {
	long line;
	const char *invoice_no, *contract_id, *client_id, *currency,
		   *replaces, *content_sha256, *pdf, *pdf_sha256, *chain;
	int period;
	day_t issue_date, due_date;
	int64_t net, tax, gross;
	int status;
	char **raw;                 /* the fields as written (read rows);
				     * NULL for a row the index sums up */
	size_t off;                 /* its byte offset (read rows) */
};

struct ledger_line {
	const char *invoice_no, *contract_id;
	int line_no;
	int period;                 /* of its invoice: a true-up line's
				     * (ledger.trueup_lines), else 0 */
	long fline;                 /* its line in lines.csv (read rows) */
	size_t off;                 /* its byte offset (read rows) */
	struct line l;
};

/* Where a period's rows begin in both files (the index's marks). */
struct ledger_mark {
	int period;
	size_t reg_off, lines_off;
	long reg_line, lines_line;
	char chain[65];             /* of the register row before reg_off */
};
/* A recurring cycle an issued invoice billed (consecutive lines of the
 * same contract and cycle counted once), and a record an issued invoice
 * billed: what the periods the index sums up leave to later checks. */
struct billed_cycle {
	int period;
	const char *contract_id, *invoice_no;
	day_t cycle_start;
};
struct billed_record {
	int period;
	const char *record_id, *invoice_no;
};
/* The cycles one contract was billed for in the periods an index sums
 * up (its K row): the first and last cycle start, and the gcd of the
 * months between any two starts (0: one month only); every start but
 * the first is the first day of its month.  A contract whose cycles
 * are as its row says is still billed consistently, by its start, end
 * and cycle_months as the data has them now, exactly when its first
 * and last cycles are still cycles of it and gcd is a multiple of
 * cycle_months (bill/billed.h): then its cycles need not be read. */
struct cycle_sum {
	const char *contract_id;
	day_t first, last;
	int gcd;
};

/* A frozen period whose invoices were all settled (the index's P row,
 * index.h): every invoice of it issued was paid in full on or before
 * settled_on, by the payments.csv rows whose numbers name the period
 * (invoice_number_period), of which digest is the SHA-256
 * (settle_payments, bill/settled.h); each of those named an invoice of
 * the period, and every number of the period names it.  A run whose
 * payments give the same digest need not read the period's invoices:
 * none can owe a late fee or be overdue again. */
struct settled_period {
	int period;
	day_t settled_on;
	char digest[65];
};

/* What a run's read may leave out (ledger_load_from): the invoices of a
 * period with a P row whose digest is digests[]'s for it, settled before
 * `before` (the first day of the activity month, or the day after the
 * issue date if that is earlier), and not among the `chart` latest
 * periods with rows up to run_period (the summary's chart: all of them
 * when there are no more) unless chart_class (below) sums them up. */
struct settle_want {
	int run_period, chart;
	day_t before;
	const struct settled_period *digests;   /* by period; settled_on 0 */
	size_t ndigests;
	/* (index_settled_hint: digests not known yet, any P row's taken) */
	int any_digest;
	/* With chart_class, a settled period among the chart's is left out
	 * too: its invoices issued are summed up by the class of their
	 * contract (chart_class(chart_ctx, contract_id): 0 to
	 * LEDGER_CHART_CLASSES - 1, or -1: the total only) into
	 * ledger.chart, which is all the summary's chart needs of them. */
	int (*chart_class)(const void *ctx, const char *contract_id);
	const void *chart_ctx;
	/* With record_ids (sorted, byte order: every record of the devices
	 * whose record sheets the run draws), the index's R rows of other
	 * records are not kept either: only the sheets look them up. */
	const char *const *record_ids;
	size_t nrecord_ids;
	/* With cycles_hold, true of every K row of the index (its contract
	 * still billed consistently by the data: struct cycle_sum), its C
	 * rows are not kept either. */
	int (*cycles_hold)(const void *ctx, const struct cycle_sum *s);
	const void *cycles_ctx;
	/* The true-ups' cycles (each contract's that ended the month before
	 * the run's period: sorted by contract id, at most one each), whose
	 * lines in periods from trueup_from on before the read's first are
	 * taken from lines.csv into ledger.trueup_lines: the true-ups reach
	 * back a cycle (a year), and the other lines of those periods are
	 * needed by no run (what is, the index sums up). */
	const struct cycle_key *cycles;
	size_t ncycles;
	int trueup_from;
};

/* The gross of the invoices issued of a period the read left out, by
 * the class of their contract (struct settle_want's chart_class;
 * [LEDGER_CHART_CLASSES] = all): the summary's chart of it. */
#define LEDGER_CHART_CLASSES 3
struct chart_sum {
	int period;
	int64_t gross[LEDGER_CHART_CLASSES + 1];
};

/* A contract's cycle, by its first day. */
struct cycle_key {
	const char *contract_id;
	day_t cycle_start;
};

/* The digest of the payments of a period named by none (of nothing). */
extern const char SETTLED_NO_PAYMENTS[65];
/* The digest v[0..n) (by period) has for period p, or
 * SETTLED_NO_PAYMENTS; *k is a cursor for periods asked in order (0 at
 * first), left at p's entry when there is one. */
const char *settled_digest(const struct settled_period *v, size_t n, int p,
			   size_t *k);
/* 1 when p is among the n periods of v (ascending). */
int period_among(const int *v, size_t n, int p);

struct ledger {
	const char *root;
	struct reg_row *rows;       size_t nrows;    /* file order */
	struct ledger_line *lines;  size_t nlines;   /* file order */
	/* how many rows and lines those arrays have room for (0: not
	 * known): a read that goes on from another appends in place */
	size_t rows_room, lines_room;
	const struct reg_row **last; size_t nlast;   /* by number: state */
	struct id_table last_ids;   /* lg->last by number (ledger_find) */
	/* every line, by invoice number then file order (ledger_lines_of) */
	const struct ledger_line **lines_by_no;
	char seal[65];              /* chain of the last row (64 zeros) */
	int reg_absent;             /* register.csv missing or 0 bytes */
	int pending_repair;         /* a torn tail a run would repair */
	int repaired;               /* this read repaired one */
	/* the files' ends as read: size and the next physical line */
	size_t reg_size, lines_size;
	long reg_lines, lines_lines;
	/* A bounded read (ledger_load_from) reads rows and lines of periods
	 * from `from` on; of the periods before, the index gives one compact
	 * row per invoice number (its final state, raw NULL, no lines), the
	 * marks, and the billed cycles and records.  A whole read: from
	 * INT_MIN, the three arrays empty. */
	int from;
	char from_chain[65];        /* of the row before the first read */
	/* A bounded read's lines of periods before `from` that the
	 * true-ups of want->cycles need (recurring and true-up lines of
	 * those cycles, in file order; descriptions and record ids left
	 * empty): read, not checked against their invoices' content_sha256
	 * by this read. They are as trusted as the index's rows of the same
	 * periods: both are taken only when lines.csv is the file the index
	 * was made from (index_stale), and `verify` checks the whole ledger.
	 * Not in `lines`: nothing else looks at them. */
	struct ledger_line *trueup_lines; size_t ntrueup_lines;
	/* the periods before `from` whose invoices were left out as settled
	 * (ascending; none but by a run's read: want), and the index's P
	 * rows as read, for the next index to keep those of them */
	const int *skipped;             size_t nskipped;
	/* of those, the chart's (settle_want.chart_class), by period */
	const struct chart_sum *chart;  size_t nchart;
	const struct settled_period *settled; size_t nsettled;
	/* 1 when the records billed before `from` are only those of
	 * want->record_ids, or the cycles billed only what the index's K
	 * rows sum up (cycle_sums, which held): no whole index is made
	 * from this read */
	int records_partial, cycles_partial;
	const struct cycle_sum *cycle_sums;     size_t ncycle_sums;
	struct ledger_mark *marks;      size_t nmarks;
	struct billed_cycle *cycles;    size_t ncycles;
	struct billed_record *records;  size_t nrecords;
	/* register.csv and lines.csv as this read found them (after its
	 * repair, if any; zero when absent), and whether a run found them
	 * changed by another program before it appended its rows */
	struct file_id reg_id, lines_id;
	int changed_under_run;
	/* the index a bounded read went by (index_used 0 for a whole
	 * read): the file, where its blocks end, the hash of its bytes to
	 * there, and its frozen period, so that the next index goes on
	 * from those blocks in place */
	int index_used, index_frozen;
	size_t index_tail;
	uint32_t index_head;          /* the CRC-32 of its bytes to there */
	struct file_id index_id;
};

#define SUMMARY_HEADER "invoice_no,contract_id,client_id,client_name,type," \
	"net,tax,gross,due_date,status"

/* How ledger_load treats a torn tail (rules.md §4, "What a later run may
 * repair"): LEDGER_READ reports it (verify) or ignores it (check);
 * LEDGER_REPAIR repairs it, but only when nothing else is damaged. */
enum { LEDGER_READ = 0, LEDGER_REPAIR = 1, LEDGER_VERIFY = 2 };

/* Reads root/register.csv and root/lines.csv (absent: empty ledger) and
 * checks them: the chain, the row format, every committed invoice's
 * lines against its content_sha256 and net.  Damage is reported through
 * d (FILE:LINE: what) and nothing is written.  Returns 0, EX_DATAERR
 * (damage), or EX_IOERR (a ledger file cannot be read; reported). */
int ledger_load(struct ledger *lg, const char *root, int mode,
		struct arena *a, struct diag *d);

/* A run's read: only the periods from `from` on (numbering and the
 * documents: the period itself; want's true-ups: their cycles' lines
 * before, into lg->trueup_lines) in full, the
 * older ones through the index file (index.h), checked from the index's
 * mark on, and of those not the invoices of the periods want lets it
 * leave out (NULL: none; lg->skipped lists them); the whole ledger when
 * the index is missing, stale, cut or edited, or when anything read
 * disagrees with it (then every message is the whole read's), or a row
 * read names a period left out.  Returns as ledger_load.
 * Read through the index, the lines of invoices of periods before
 * want->run_period keep no descriptions (""): nothing a run does needs
 * them (ledger.c keep_text). */
int ledger_load_from(struct ledger *lg, const char *root, int mode,
		     int from, const struct settle_want *want,
		     struct arena *a, struct diag *d);

/* Once a run has appended its rows: the index of the ledger as it now
 * is, for the next run (written only when it differs from the one
 * there, so a run that changed nothing changes no file).  The ledger is
 * the run's read `before` (ledger_load_from, not repaired) and what was
 * appended after its ends, read and checked; without before, or when
 * that is not what follows them, a bounded read as above (leaving
 * nothing out).  Its P rows: the n periods the run found settled
 * (settle_periods, bill/settled.h), and those before's read left out.
 * Derived data: a failure here is not the run's. */
void ledger_index_update(const char *root, int from,
			 const struct ledger *before,
			 const struct settled_period *settled, size_t n);

/* The last row for an invoice number (its current state), or NULL. */
const struct reg_row *ledger_find(const struct ledger *lg, const char *no);
/* Its index in lg->last, or (size_t)-1. */
size_t ledger_last_index(const struct ledger *lg, const char *no);

/* What the ledger knows of earlier runs, as the fee engine needs it. */
struct hist_invoice {
	const char *invoice_no, *contract_id;
	int period;
	day_t due_date;
	int64_t gross;
	int status;                 /* final state: INV_ISSUED, ... */
	size_t rank;                /* its place in history.by_number */
};

struct hist_line {
	const char *invoice_no, *contract_id, *device_id;
	int kind;
	int period;                 /* of its invoice */
	day_t cycle_start;
	int64_t amount;
};

/* Both arrays sorted by contract_id (byte order), then as they were
 * issued; only invoices whose final state is issued, and their lines. */
struct history {
	const struct hist_invoice *inv;   size_t ninv;
	const struct hist_line *lines;    size_t nlines;
	/* the final state of every number, by number (the ledger's last) */
	const struct reg_row *const *by_number; size_t nnumbers;
};

/* Issued invoices and their lines, sorted by contract, for the engine. */
void ledger_history(const struct ledger *lg, struct arena *a,
		    struct history *h);

/* Highest NNNN of the period's credit notes (credit_notes 1: "CN-...")
 * or of its invoices (0: every other prefix, for an issuer who changed
 * invoice_prefix goes on from the highest: SPEC §4), 0 if none. */
int ledger_last_number(const struct ledger *lg, int credit_notes,
		       int period);
/* Latest period in the register, -1 if empty. */
int ledger_latest_period(const struct ledger *lg);
/* The chain of the last row of a period up to P (the seal as it was
 * when P was last billed); 64 zeros when there is none. */
const char *ledger_seal_of(const struct ledger *lg, int period);
/* 1 when register.csv or lines.csv is no longer the file lg read, as it
 * was (size, time, inode): changed by another program since. */
int ledger_files_changed(const struct ledger *lg);

/* "{prefix}-{YYYYMM}-{NNNN}" */
void invoice_number(char out[40], const char *prefix, int period, int n);
/* The period such a number names (...-YYYYMM-NNNN, NNNN >= 1), or -1. */
int invoice_number_period(const char *no);
/* 1 when lg's read left out the invoices of the period no names. */
int ledger_skipped_number(const struct ledger *lg, const char *no);

/* The invoice's lines as stored lines (for credit notes and re-runs). */
void ledger_lines_of(const struct ledger *lg, const char *no,
		     struct arena *a, struct line **lines, size_t *n);

/* The ledger as it will be once the given rows are appended (in
 * memory only; the caller's rows and lines are copied by value, their
 * strings shared; pdf, pdf_sha256 and chain are filled by commit).
 * lines[] are the appended rows' lines, in row order.  out's arrays are
 * lg's when they have room for the new rows after lg's (lg's own rows
 * and lines are left as they are, still lg's view): one merge per read,
 * as a run makes. */
void ledger_merge(const struct ledger *lg, const struct reg_row *rows,
		  size_t nrows, const struct ledger_line *lines,
		  size_t nlines, struct arena *a, struct ledger *out);

/* One register row's fields as written (unguarded), by column id. */
struct reg_fields {
	char period[8], issued[11], due[11], net[32], tax[32], gross[32];
	const char *v[REG_NCOLS];
};
void ledger_reg_fields(const struct reg_row *g, struct reg_fields *f);
/* One lines.csv row's fields as written (unguarded), by column id. */
struct line_fields {
	char line_no[24], cs[11], ce[11], qty[DEC_LEN], price[DEC_LEN],
	     amount[32], tax[32];
	const char *v[LINES_NCOLS];
};
void ledger_line_fields(const struct ledger_line *ll, struct line_fields *f);

/* Appends the register row g (its chain from chain, which holds the
 * previous row's and receives this row's), or one lines.csv row. */
void ledger_register_row(struct buf *b, const struct reg_row *g,
			 char chain[65]);
void ledger_line_row(struct buf *b, const struct ledger_line *ll);

/* content_sha256 of a register row and its lines. */
void ledger_row_content(const struct reg_row *g,
			const struct ledger_line *lines, size_t n,
			char out[65]);

#endif
