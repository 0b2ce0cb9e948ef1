/* invoice.h - the invoice model: lines and totals as they are billed,
 * recorded in the ledger and printed.  A line is the ledger's (a
 * lines.csv row's values, ledger/schema.h); this turns an invoice into
 * the ledger's rows. */
#ifndef SVCBILL_INVOICE_H
#define SVCBILL_INVOICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "read/model.h"
#include "base/money.h"
#include "ledger/ledger.h"

#define MAX_TAX_RATES 16

struct tax_total {
	int64_t pct4, net, tax;
};

struct invoice {
	const struct contract *contract;
	const char *contract_id, *client_id;
	int period;                 /* month number */
	day_t issue_date, due_date;
	struct line *lines;
	size_t nlines;
	int64_t net, tax, gross;
	struct tax_total taxes[MAX_TAX_RATES];   /* by ascending rate */
	int ntaxes;
	/* set by the ledger */
	char number[40];
	int status;
	const char *replaces;       /* "" unless a credit note or reissue */
	char content_sha256[65];
};

/* Writes qty_s and price_s (into a) from the exact qty, unit price and
 * amount (flags say which the line has). */
void line_write(struct line *l, struct arena *a);
/* The line of a credit note: qty and amount negated, unit price kept, so
 * that qty x unit price still gives the amount (rules.md §4); the
 * negated qty written into a. */
void line_negate(struct line *l, struct arena *a);

/* Net, tax per rate and gross from the lines (rules.md §3.6).  -1 when one
 * of them would reach AMOUNT_LIMIT (rules.md §2.3): the totals are then 0 and
 * the caller reports the contract. */
int invoice_total(struct invoice *inv);

/* The invoice's register row (pdf and pdf_sha256 "", chain NULL) and
 * its lines.csv rows (lines: nlines of them; none are kept for a
 * cancelled row, whose lines are those of the row it repeats). */
void invoice_reg_row(const struct invoice *inv, struct reg_row *g);
void invoice_ledger_lines(const struct invoice *inv,
			  struct ledger_line *lines);

/* SHA-256 of the canonical content (lines without descriptions, totals,
 * dates) into inv->content_sha256. */
void invoice_content_hash(struct invoice *inv);

/* Appends the register row of inv; chain holds the previous row's chain
 * and receives this row's. */
void register_row(struct buf *b, const struct invoice *inv, const char *pdf,
		  const char *pdf_sha256, char chain[65]);
void lines_rows(struct buf *b, const struct invoice *inv);

/* The ledger as it will be once the given invoices are appended (in
 * memory only; pdf, pdf_sha256 and chain are filled by commit). */
void invoices_merge(const struct ledger *lg, struct invoice *const *inv,
		    size_t n, struct arena *a, struct ledger *out);

#endif
