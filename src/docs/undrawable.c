/* undrawable.c - see undrawable.h. */
#include "docs/undrawable.h"
#include "docs/layout.h"
#include "base/buf.h"
#include "base/textenc.h"
#include "read/load.h"
#include "read/tables.h"

#include <string.h>

/* The characters of s the documents do not draw as they are, each once,
 * said into b ("" when none): the first few by name, the count of the
 * others. */
static void say_lost(struct font *f, const char *s, struct buf *b)
{
	enum { NAMED = 8, TRACKED = 64 };
	unsigned seen[TRACKED];
	size_t nseen = 0, untracked = 0;
	for (const char *p = s; *p;) {
		unsigned cp = utf8_next(&p);
		if (cp >= 0x20 && cp < 0x7F && font_has(f, cp))
			continue;       /* most characters: no call */
		int fate = doc_char_fate(f, cp);
		if (fate == CHAR_DRAWN || fate == CHAR_SPACE)
			continue;
		size_t k = 0;
		while (k < nseen && seen[k] != cp)
			k++;
		if (k < nseen)
			continue;
		if (nseen < TRACKED)
			seen[nseen++] = cp;
		else
			untracked = 1;
	}
	if (!nseen)
		return;
	buf_adds(b, "the PDFs cannot show this cell as written: ");
	for (size_t k = 0; k < nseen && k < NAMED; k++) {
		buf_printf(b, "%sU+%04X", k ? ", " : "", seen[k]);
		if (doc_char_fate(f, seen[k]) == CHAR_QUESTION_MARK) {
			char u[5];
			u[utf8_put(u, seen[k])] = '\0';
			buf_printf(b, " '%s' prints as ? (the font has no "
				   "glyph for it)", u);
		} else {
			buf_adds(b, " is left out (an invisible or control "
				 "character)");
		}
	}
	if (nseen > NAMED)
		buf_printf(b, " and %zu%s other characters", nseen - NAMED,
			   untracked ? " or more" : "");
}

/* Cells no document draws: payments.csv, holidays.csv and
 * fapiao_items.csv whole, the fax of a client, a rate's class (the
 * devices' own class is drawn). */
static int never_drawn(int file, int col)
{
	return file == IN_PAYMENTS || file == IN_HOLIDAYS ||
	       file == IN_FAPIAO_ITEMS ||
	       (file == IN_CLIENTS && col == CLIENT_FAX) ||
	       (file == IN_RATES && col == RATE_CLASS);
}

size_t warn_undrawable(const struct dataset *ds, struct font *f,
		       const char *data_dir, struct arena *a, struct diag *d)
{
	size_t cells = 0;
	struct buf b;
	buf_init(&b);
	for (int fi = 0; fi < IN_COUNT; fi++) {
		const struct table *t = &input_tables[fi];
		size_t n;
		const char *rows = dataset_rows(ds, fi, &n);
		const char *file = NULL;
		for (size_t r = 0; rows && r < n; r++) {
			const char *row = rows + r * t->rowsize;
			const struct rowinfo *ri = (const struct rowinfo *)row;
			for (int c = 0; c < t->ncols; c++) {
				const struct colspec *cs = &t->cols[c];
				if ((cs->type != FT_TEXT && cs->type != FT_ID) ||
				    never_drawn(fi, cs->id))
					continue;
				const char *v;
				memcpy(&v, row + cs->off, sizeof v);
				if (!v || !row_has(ri, cs->id))
					continue;
				buf_reset(&b);
				say_lost(f, v, &b);
				if (!b.len)
					continue;
				if (!file)
					file = arena_printf(a, "%s/%s",
							    data_dir, t->file);
				buf_addc(&b, '\0');
				diag_warning(d, file, ri->line, cs->en, v,
					     "%s", b.data);
				cells++;
			}
		}
	}
	buf_free(&b);
	return cells;
}
