/* xlsx.h - the period's two workbooks (rules.md §5.4, §5.5):
 *
 *   summary.xlsx  the period for accountants: 账单 Invoices, 明细 Lines,
 *                 逾期 Overdue;
 *   fapiao.xlsx   the e-fapiao batch-issue workbook of the tax platform.
 *
 * The xlsx_*.c files are the only ones that include xlsxwriter.h.  Each
 * workbook is built from plain values (the data set and the register as
 * it stands once the run is in) and handed back as bytes; the caller
 * writes them like any other archive file.
 *
 * Invariants: the same inputs give the same bytes (the zip entries carry
 * libxlsxwriter's fixed 1980-01-01 time; the document's created time is
 * the issue date at 00:00 UTC; nothing else holds a clock value); every
 * text goes in as a text cell, never a formula; money is integer fen up
 * to the one conversion to the cell's number (xlsx_fen). */
#ifndef SVCBILL_XLSX_H
#define SVCBILL_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/diag.h"
#include "ledger/ledger.h"
#include "read/model.h"

/* Each returns 0 and a malloc'd buffer (*data, *len: the caller frees
 * it), or -1 with a message written to `said` (the temporary place the
 * library writes to cannot be made or read: an I/O error).  The caller
 * says what `said` holds when it writes the workbook (stderr, or a
 * memory stream kept until then). */
int xlsx_summary(const struct dataset *ds, const struct ledger *lg,
		 int period, day_t issued, FILE *said, unsigned char **data,
		 size_t *len);

/* `said` also gets one warning per invoice left out of the workbook (a
 * negative total at some tax rate cannot be a blue fapiao). */
int xlsx_fapiao(const struct dataset *ds, const struct ledger *lg,
		int period, day_t issued, FILE *said, unsigned char **data,
		size_t *len);

/* `check`: one warning per kind of line that has no row in
 * fapiao_items.csv but appears on an invoice: a line of an issued
 * invoice in the register (lg, may be NULL), or a line the data will
 * bill (a contract bills recurring fees, a parts_used row a part, ...). */
void fapiao_check_items(const struct dataset *ds, const struct ledger *lg,
			const char *data_dir, struct arena *a,
			struct diag *d);

#endif
