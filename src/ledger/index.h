/* index.h - ledger-index.csv, a file derived from register.csv and
 * lines.csv that lets a run read only the periods it needs (SPEC §4:
 * the ledger is append-only; rows of a period before the latest can no
 * longer change, since a run of an earlier period may issue nothing).
 *
 * It holds, for the register as it was when written: where each period's
 * rows begin in both files, with the chain value just before them, so a
 * run can seek there and still check the chain from a known point; the
 * files' ends and the seal; and for the periods before the latest one
 * ("frozen"), what later runs need of them without their lines: each
 * invoice number's final register row (late fees, overdue invoices,
 * payments naming old invoices, the summary's chart), the recurring
 * cycles billed (the register rule of SPEC §2) and the records billed
 * (record sheets); and which of those periods were settled for good
 * when it was written (P rows: bill/settled.h), so that a run whose
 * payments still say so passes over their invoices (an O(age) part of
 * every run otherwise).  Its last row is the CRC-32 of all bytes before it:
 * a check against damage (a cut, an edit), as the file is only ever
 * compared with the ledger it sums up, never taken as evidence (`verify`
 * rebuilds it; the ledger's own chain is SHA-256).
 *
 * Nothing billed depends on it being there: a run without a usable index
 * (missing, cut, edited, a link, not covering the files, or disagreeing
 * with what the run reads from the mark on) reads the whole ledger as
 * before and writes a new index; `verify` rebuilds it from the whole
 * ledger and reports any difference.  Written only by a run holding the
 * archive lock, atomically, after the ledger read without damage. */
#ifndef SVCBILL_LEDGER_INDEX_H
#define SVCBILL_LEDGER_INDEX_H

#include "base/arena.h"
#include "base/buf.h"
#include "ledger/ledger.h"

#include <stdint.h>

struct ledger_index {
	struct ledger_mark *marks;      size_t nmarks;  /* by period */
	size_t marks_room, cycles_room, records_room;   /* as counted */
	int frozen;                     /* rows before it are summed up */
	size_t reg_size, lines_size;    /* the files it covers */
	long reg_lines, lines_lines;    /* the next physical lines */
	char seal[65];                  /* chain of the last row covered */
	struct reg_row *rows;           size_t nrows;   /* final states */
	size_t rows_room;               /* rows' room (a read appends) */
	struct billed_cycle *cycles;    size_t ncycles;
	struct billed_record *records;  size_t nrecords;
	/* its P rows (the periods settled when it was written) and, of
	 * them, the periods whose I rows a run's read left out (want) */
	struct settled_period *settled; size_t nsettled;
	int *skipped;                   size_t nskipped;
	unsigned char *skipped_seen;    /* an I row of skipped[i] found */
	/* of those, the chart's (from chart_from on): their invoices
	 * summed up (want->chart_class); chart_bad, an I row of one whose
	 * gross or state is not as index_text writes it */
	int chart_from;
	struct chart_sum *chart;        size_t nchart;
	int chart_bad;
	int records_partial;            /* R rows of want->record_ids only */
	/* its K rows (by contract id), and whether its C rows were left
	 * out: every K row held (want->cycles_hold) */
	struct cycle_sum *cycle_sums;   size_t ncycle_sums;
	int cycles_partial;
	size_t tail;                    /* where its E row begins */
	uint32_t head;                  /* the CRC-32 of its bytes to tail */
	struct file_id id;              /* the file read */
};

/* An index there that a new one goes on from: its header and the blocks
 * of the periods before `frozen` stay as they are (a frozen period never
 * changes), and the new index's checksum goes on from the CRC of those
 * bytes, as its reader found it (so they are neither read nor summed
 * again). */
struct index_kept {
	int frozen;
	uint32_t head;
};

/* index_read's *why for an index whose checksum is an earlier svcbill's
 * SHA-256: not damage; the next run writes it anew. */
extern const char INDEX_EARLIER[];

/* root/ledger-index.csv read and its checksum checked: 0, or -1 (none
 * usable; *why says why when it exists).  With want, the I rows of the
 * periods it allows to be left out (ledger.h, struct settle_want) are
 * passed over, not kept: ix->skipped lists those periods. */
int index_read(const char *root, struct arena *a, struct ledger_index *ix,
	       const struct settle_want *want, const char **why);

/* The mark a run of periods from `from` on starts reading at: the first
 * period at or after min(from, frozen); (size_t)-1 if none. */
size_t index_mark_for(const struct ledger_index *ix, int from);

/* Fills lg with what the index keeps of the periods before mark m (ix's
 * rows become lg's: ix keeps those only), the periods left out before
 * it, and the index's P rows. */
void index_before(struct ledger_index *ix, size_t m, struct ledger *lg);

/* 1 when the ledger files read (reg, lines: as opened) may have changed
 * since the index was written: another size than it covers, or modified
 * after it (a run writes its index after its last row, so that an index
 * at least as recent as both files and covering them whole was written
 * for them as they are; a hand edit of a row it sums up makes the run
 * read the whole ledger, whose chain says which row).  An edit that
 * keeps a file's size and sets its time back is found by `verify`. */
int index_stale(const struct ledger_index *ix, const struct file_id *reg,
		const struct file_id *lines);

/* 1 when what was read from mark m on is not the ledger the index was
 * made from (its first period, its chain at the files' old end). */
int index_disagrees(const struct ledger_index *ix, size_t m,
		    const struct ledger *lg);

/* The index text of lg as it was when it ended at reg_end / lines_end
 * bytes, frozen before period `frozen`: the header, a block per frozen
 * period (its I, C and R rows), the E row, a P row for each of the n
 * settled periods before `frozen` (by period), with sums the K rows (the
 * cycles billed per contract), the B marks, the S checksum.
 * With kept, the bytes of an index there stand for the header and the
 * blocks before kept->frozen (they are what lg would give: a frozen
 * period never changes): b receives only what follows them, the later
 * blocks to the checksum, which covers kept's bytes and b's.  -1 when lg
 * cannot be indexed (periods out of order). */
int index_text(const struct ledger *lg, size_t reg_end, size_t lines_end,
	       int frozen, const struct index_kept *kept,
	       const struct settled_period *settled, size_t n, int sums,
	       struct buf *b);

/* Writes the index of lg (as read) for the next run: when lg was read by
 * the index still there, as it was, only the periods frozen since are
 * written, in place of its end (the bytes before are neither read nor
 * hashed again: a run's cost does not grow with the archive's age); else
 * a whole new index, atomically, but never from a read that left rows
 * out (a period's invoices, the records billed that no sheet showed:
 * they would be lost): then it returns 1, and the caller reads the
 * ledger again, leaving nothing out, for a whole index.  Its P rows: the n settled
 * periods the run found (periods whose invoices it read), and those of
 * lg's index it left out (still settled: their payments are as the
 * index said).  A failure is not the run's: the next run reads the
 * whole ledger (an index cut while written in place fails its
 * checksum). */
int index_write(const char *root, const struct ledger *lg,
		 const struct settled_period *settled, size_t n);

/* The P rows of root/ledger-index.csv (by period): 0, or -1 when there
 * is no index a run would take. */
int index_settled_rows(const char *root, struct arena *a,
		       const struct settled_period **rows, size_t *n);

/* Before payments.csv is read: the periods whose invoices a run with
 * want (its digests not known yet) would leave out if the payments are
 * still those of their P rows (index_read's choice, the digests taken as
 * they are), from the index's tail only (a few kilobytes): *periods (in
 * a, ascending), *n.  A hint, never trusted: the run reads its payments
 * of other periods, then the index, which judges.  -1 (none) when there
 * is no index or its tail is not one. */
int index_settled_hint(const char *root, const struct settle_want *want,
		       struct arena *a, const int **periods, size_t *n);

/* fsio_refusal's words ("PATH: is a named pipe, where ...") when
 * root/ledger-index.csv is a link, named pipe, device, socket or
 * folder, else NULL.  Damage (SPEC §4): a run stops (exit 65) until it
 * is removed, as it neither follows nor replaces it. */
const char *index_refused(const char *root);

/* verify: prints one line per problem of the index against lg (read
 * whole); returns how many.  A P row's truth needs payments.csv, which
 * verify does not read: its form, and that its period's numbers all
 * name it, are checked. */
int index_verify(const char *root, const struct ledger *lg,
		 struct arena *a);

#endif
