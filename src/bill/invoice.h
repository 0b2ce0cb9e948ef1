/* invoice.h - the invoice model: lines and totals as they are billed,
 * recorded in the ledger and printed. */
#ifndef SVCBILL_INVOICE_H
#define SVCBILL_INVOICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "read/model.h"
#include "base/money.h"

enum line_kind {
	LK_RECURRING, LK_TRUEUP, LK_LABOUR, LK_PARTS, LK_OEM, LK_SLA,
	LK_CHARGE, LK_LATE_FEE, LK_COUNT
};

const char *line_kind_name(int kind);   /* "recurring", ... (lines.csv) */
int line_kind_parse(const char *s);     /* -1 if unknown */

/* Which optional columns a line fills (SPEC §4 table). */
#define LINE_HAS_CYCLE 1
#define LINE_HAS_QTY   2
#define LINE_HAS_PRICE 4

struct line {
	int kind;
	unsigned flags;             /* LINE_HAS_* */
	const char *device_id;      /* "" when none */
	const char *record_id;      /* "" when none */
	day_t cycle_start, cycle_end;
	const char *desc_zh, *desc_en;
	struct ratio qty;           /* exact: months covered, hours, days */
	struct ratio unit_price;    /* fen, exact (R, list x p / 100, ...) */
	int64_t amount;             /* fen */
	/* qty and unit price as lines.csv and the documents write them
	 * (SPEC §4: they multiply out to amount); "" when the line has none.
	 * Set by line_write() from the exact values, or read back as is. */
	char qty_s[DEC_LEN], price_s[DEC_LEN];
	int64_t tax_pct;            /* x 10^4 */
};

#define MAX_TAX_RATES 16

struct tax_total {
	int64_t pct4, net, tax;
};

enum invoice_status { INV_ISSUED, INV_CANCELLED, INV_CREDIT };

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

/* Writes qty_s and price_s from the exact qty, unit price and amount
 * (flags say which the line has). */
void line_write(struct line *l);
/* The line of a credit note: qty and amount negated, unit price kept, so
 * that qty x unit price still gives the amount (SPEC §4). */
void line_negate(struct line *l);

/* Net, tax per rate and gross from the lines (SPEC §3.6).  -1 when one
 * of them would reach AMOUNT_LIMIT (SPEC §2.3): the totals are then 0 and
 * the caller reports the contract. */
int invoice_total(struct invoice *inv);

#endif
