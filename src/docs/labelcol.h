/* labelcol.h - table columns headed by labels.
 *
 * A document's table lists its columns as label ids (bill/labels.c, the
 * one bilingual table) with a width and an alignment; label_cols() turns
 * them into the struct col rows doc_table() takes when the document is
 * laid out, so a heading's words are written once. */
#ifndef SVCBILL_LABELCOL_H
#define SVCBILL_LABELCOL_H

#include "bill/labels.h"
#include "docs/layout.h"

struct label_col {
	enum label l;
	double width;
	int align;
};

/* out[0..n) from lc[0..n); returns out. */
static inline struct col *label_cols(const struct label_col *lc, int n,
				     struct col *out)
{
	for (int i = 0; i < n; i++) {
		out[i].zh = label(lc[i].l)->zh;
		out[i].en = label(lc[i].l)->en;
		out[i].width = lc[i].width;
		out[i].align = lc[i].align;
	}
	return out;
}

#endif
