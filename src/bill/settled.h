/* settled.h - which frozen periods of the register are settled for good
 * (their invoices all paid in full, no payment naming one of their
 * numbers left unmatched), and the digest of the payments that say so:
 * what the ledger index's P rows record (ledger/index.h), so that a later
 * run whose payments.csv gives the same digest need not read those
 * periods' invoices again.
 *
 * Pure: payments.csv's rows and the register's final states, no I/O.
 *
 * Why a settled invoice can be left out: outstanding(t) (rules.md §3.5)
 * depends only on the invoice's gross and the payments naming it.  Once
 * the payments dated up to a day S cover the gross and no later one
 * takes it below again (payments.csv refuses amounts <= 0, but the rule
 * does not lean on it), the
 * invoice owes nothing on any day from S on: no late fee for an activity
 * month beginning after S, and never overdue on a day from S on.  The
 * digest pins the payments: any row added, removed or changed among
 * those naming the period (by the number's YYYYMM, whatever its prefix,
 * whether or not the register has it) changes it, and the run reads the
 * period again. */
#ifndef SVCBILL_SETTLED_H
#define SVCBILL_SETTLED_H

#include "base/arena.h"
#include "base/buf.h"
#include "ledger/ledger.h"
#include "read/model.h"

/* Per period named by a payment's number (invoice_number_period): the
 * SHA-256 of those payments (each its number's bytes, its day and its
 * amount in fen, in payments.csv's order) and how many there are.
 *
 * In file order, not sorted, so that it is made as the file is read,
 * holding nothing of a payment once it is summed up: a payments.csv of
 * ten years need never be held whole.  The same rows in another order
 * (the file sorted by hand) give other digests: the next run reads those
 * periods' invoices again and writes P rows with the new ones. */
struct settle_payments {
	struct settled_period *digests;    /* by period; settled_on 0 */
	size_t *count;
	size_t n;
	size_t rows;                       /* every row, of a period or not */
};
void settle_payments(const struct dataset *ds, struct arena *a,
		     struct settle_payments *out);

/* The same, made while payments.csv is read (load_dataset_keeping's
 * keep: settle_reader_keep): each row summed into its period's digest,
 * and kept unless its period is one of pass[0..npass) (ascending: those
 * the run expects to leave out as settled, whose payments nothing it
 * bills or shows looks at).  A payment whose number names no period is
 * always kept. */
struct period_sum;
struct settle_reader {
	const int *pass;
	size_t npass;
	struct period_sum *sums;    /* in the order first named */
	size_t n, room;
	size_t *slot;               /* sums by period: index + 1, 0 free */
	size_t mask;                /* slots - 1 */
	size_t last;                /* the sum of the row before */
	size_t rows;                /* every row seen */
	size_t passed;              /* rows not kept */
	struct buf line;            /* the row's bytes in the digest */
};
void settle_reader_init(struct settle_reader *r, const int *pass,
			size_t npass);
int settle_reader_keep(void *ctx, const struct payment *p);
/* The digests (in a); r is then empty. */
void settle_reader_end(struct settle_reader *r, struct arena *a,
		       struct settle_payments *out);
/* 1 when a and b are the same digests and counts, of as many rows */
int settle_payments_same(const struct settle_payments *a,
			 const struct settle_payments *b);

/* The canonical bytes of one payment in a period's digest: "LEN:NUMBER,
 * DAY,FEN\n" (LEN the number's length in bytes, DAY as YYYY-MM-DD, FEN
 * an integer), appended to b. */
void settle_payment_bytes(struct buf *b, const char *no, day_t day,
			  int64_t fen);

/* The periods before lg's latest (a later run can no longer change them)
 * whose invoices, as lg has them (its read's final states), are all
 * settled, each with the day S from which all are and the payments'
 * digest: into *out (in a), by period. */
void settle_periods(const struct ledger *lg, const struct dataset *ds,
		    const struct settle_payments *sp, struct arena *a,
		    struct settled_period **out, size_t *n);

#endif
