/* undrawable.h - the cells whose text the PDFs cannot show as written.
 *
 * The documents draw a value through doc_clean (layout.h): a character
 * the font has no glyph for prints as '?', and control, zero-width and
 * bidi characters are left out.  The ledger's CSV files and the workbooks
 * keep the text they carry exactly, so the bill would then differ from
 * the spreadsheet without a word: this says so, per cell (file, line,
 * column), as a warning of `run` (a dry run too) and of `check`.
 *
 * Pure but for the messages: reads the data set and the font's cmap. */
#ifndef SVCBILL_UNDRAWABLE_H
#define SVCBILL_UNDRAWABLE_H

#include "base/arena.h"
#include "base/diag.h"
#include "read/model.h"

struct font;                   /* pdf/fonts.h */

/* One warning per text or id cell that a document may draw (not those
 * of payments.csv, holidays.csv or fapiao_items.csv, a client's fax, a
 * rate's class, or a column read as a number where it applies) holding a
 * character doc_char_fate() says is not drawn as it is (tabs and line
 * breaks aside), naming each such character once.  Returns how many
 * cells. */
size_t warn_undrawable(const struct dataset *ds, struct font *f,
		       const char *data_dir, struct arena *a, struct diag *d);

#endif
