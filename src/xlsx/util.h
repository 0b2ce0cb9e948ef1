/* xlsx_util.h - what the two workbooks share (private to xlsx_*.c):
 * a workbook written to a private temporary folder and read back as
 * bytes, the deterministic document properties, the one conversion of
 * fen to a cell number, date cells, text cells that stay text, and
 * column widths from the widest value. */
#ifndef SVCBILL_XLSX_UTIL_H
#define SVCBILL_XLSX_UTIL_H

#include <limits.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "base/date.h"

#define XLSX_MAX_COLS 32

/* The formats every sheet uses, made once per workbook. */
struct xlsx_formats {
	lxw_format *head, *text, *money, *date, *integer, *decimals, *plain;
};

struct xlsx_file {
	char dir[PATH_MAX - 32];    /* private folder (mkdtemp, mode 0700) */
	char path[PATH_MAX];        /* dir/book.xlsx */
	lxw_workbook *wb;
	struct xlsx_formats fmt;
	FILE *said;                 /* where its I/O errors are said */
};

/* Opens a workbook whose docProps say title, author (= company) and
 * created = the day at 00:00:00 UTC.  NULL with a message on `said`
 * (where xlsx_end says its errors too).
 * XLSX_STREAMED writes each row as it is made and its texts in the cell
 * (inline strings) instead of one shared table: half the CPU for a large
 * workbook, read alike by Excel, LibreOffice and openpyxl; rows must then
 * be written in order (xlsx_sheet does).  XLSX_SHARED keeps the shared
 * string table, the form most importers expect. */
enum { XLSX_SHARED = 0, XLSX_STREAMED = 1 };
lxw_workbook *xlsx_begin(struct xlsx_file *f, int form, FILE *said,
			 const char *title, const char *author,
			 day_t created);
/* Closes the workbook, reads its bytes (malloc'd) and removes the
 * temporaries; 0, or -1 with a message on the workbook's `said`. */
int xlsx_end(struct xlsx_file *f, unsigned char **data, size_t *len);

/* The cell value of an amount: the double nearest to fen / 100 (an exact
 * integer divided once, so the nearest to the decimal; libxlsxwriter
 * writes it with 17 significant digits, which reads back the same). */
double xlsx_fen(int64_t fen);
/* The same for values kept x 100 (hours, quantities) and x 10^4. */
double xlsx_scaled(int64_t v, int64_t scale);

/* A text cell holding s exactly: never a formula, and a run that Excel
 * would read as an escaped character (_x0041_) kept as typed. */
void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s,
	       lxw_format *fmt);
void xlsx_date(lxw_worksheet *ws, int row, int col, day_t d,
	       lxw_format *fmt);

/* Column widths: the widest value seen (CJK counts two), clamped. */
struct xlsx_widths {
	int ncols;
	double w[XLSX_MAX_COLS];
};
void xlsx_width_init(struct xlsx_widths *w, int ncols);
void xlsx_width_see(struct xlsx_widths *w, int col, const char *s);
void xlsx_width_apply(const struct xlsx_widths *w, lxw_worksheet *ws);

/* ---- a sheet as a table of typed columns ---------------------------- */

enum xlsx_type {
	XT_TEXT,        /* s */
	XT_MONEY,       /* v fen: #,##0.00 */
	XT_DATE,        /* d */
	XT_INT,         /* v */
	XT_CENTI,       /* v x 100 (quantities, hours) */
	XT_PRICE,       /* v fen, up to 8 decimals shown */
	XT_PCT,         /* v percent x 10^4, shown as the plain number: 6 */
	XT_FRACTION,    /* v percent x 10^4, shown as a fraction: 0.06 */
	XT_DEC8,        /* v x 10^8: a qty or unit price as lines.csv has it */
};

struct xlsx_col {
	const char *zh, *en;        /* en NULL: a one-row Chinese header */
	int type;
};

struct xlsx_cell {
	int empty;                  /* 1: nothing written */
	const char *s;
	int64_t v;
	day_t d;
};

/* Fills cells[0..ncols) of row (0-based, below the header). */
typedef void (*xlsx_row_fn)(void *ctx, size_t row, struct xlsx_cell *cells);

/* One worksheet: the header (Chinese above English when the columns have
 * English names), frozen, with an autofilter over header and rows; then
 * the rows; widths from the widest value. */
int xlsx_sheet(struct xlsx_file *f, const char *name,
	       const struct xlsx_col *cols, int ncols, size_t nrows,
	       xlsx_row_fn fill, void *ctx);

#endif
