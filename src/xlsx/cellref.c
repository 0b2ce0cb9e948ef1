/* cellref.c - the workbooks' cell names ("B7") made without snprintf.
 *
 * libxlsxwriter 1.1.4 names every cell it writes (<c r="B7" ...>) with
 * lxw_rowcol_to_cell: the column's letters (lxw_col_to_name), then
 * snprintf "%d" of the 1-based row; it calls it through its PLT.  The
 * program's own definition, exported by the Makefile's link flags (as
 * HPDF_MemCpy in pdf.c and deflateInit2_ in zlevel.c), replaces it for
 * the library: the same characters, the digits made here.  50,000 cells
 * in the bench's 200-invoice month, 1.8 % of the run's instructions
 * before; the workbooks are byte-identical. */
#include <stdint.h>
#include <stdio.h>
#include <xlsxwriter.h>

#if LXW_VERSION_ID != 114
#error "cellref.c replaces libxlsxwriter 1.1.4's lxw_rowcol_to_cell"
#endif

void lxw_rowcol_to_cell(char *cell_name, lxw_row_t row, lxw_col_t col)
{
	/* the column: letters of base 26 without a zero digit, A = 1,
	 * counted in lxw_col_t as the library counts (col + 1 wraps) */
	char rev[8];
	size_t n = 0, pos = 0;
	for (unsigned c = (lxw_col_t)(col + 1); c; c = (c - 1) / 26) {
		unsigned r = c % 26 ? c % 26 : 26;
		rev[n++] = (char)('A' + r - 1);
	}
	while (n)
		cell_name[pos++] = rev[--n];
	/* the row, 1-based in lxw_row_t; beyond 8 digits (never a row
	 * Excel has) the library's own snprintf, its bound and "%d" */
	lxw_row_t r = row + 1;
	if (r > 99999999u) {
		snprintf(cell_name + pos, LXW_MAX_ROW_NAME_LENGTH, "%d",
			 (int)r);
		return;
	}
	char d[8];
	size_t k = 0;
	do {
		d[k++] = (char)('0' + r % 10);
		r /= 10;
	} while (r);
	while (k)
		cell_name[pos++] = d[--k];
	cell_name[pos] = '\0';
}
