/* xlsx_util.c - see xlsx_util.h. */
#include "xlsx/util.h"
#include "base/arena.h"
#include "base/fsio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void xlsx_make_formats(lxw_workbook *wb, struct xlsx_formats *f);

/* s without the control characters XML 1.0 cannot hold (all below
 * U+0020 but tab, LF and CR), malloc'd. */
static char *xml_chars_only(const char *s)
{
	char *out = xstrdup(s ? s : ""), *o = out;
	for (const char *q = out; *q; q++)
		if ((unsigned char)*q >= 0x20 || *q == '\t' || *q == '\n' ||
		    *q == '\r')
			*o++ = *q;
	*o = '\0';
	return out;
}

lxw_workbook *xlsx_begin(struct xlsx_file *f, int form, FILE *said,
			 const char *title, const char *author,
			 day_t created)
{
	memset(f, 0, sizeof *f);
	f->said = said;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0])
		tmp = "/tmp";
	if ((size_t)snprintf(f->dir, sizeof f->dir, "%s/svcbill-xlsx.XXXXXX",
			     tmp) >= sizeof f->dir) {
		fprintf(f->said, "svcbill: TMPDIR is too long: %s\n", tmp);
		f->dir[0] = '\0';
		return NULL;
	}
	/* a fresh folder only we can enter: the library opens its file
	 * with plain fopen, which must not meet a name planted by others */
	if (!mkdtemp(f->dir)) {
		fprintf(f->said, "svcbill: cannot create a temporary folder in "
			"%s: %s\n", tmp, strerror(errno));
		f->dir[0] = '\0';
		return NULL;
	}
	snprintf(f->path, sizeof f->path, "%s/book.xlsx", f->dir);
	lxw_workbook_options opt = { .constant_memory = form == XLSX_STREAMED, .tmpdir = f->dir,
				     .use_zip64 = 0 };
	f->wb = workbook_new_opt(f->path, &opt);
	if (!f->wb) {
		fprintf(f->said, "svcbill: cannot create %s\n", f->path);
		rmdir(f->dir);
		return NULL;
	}
	/* 0 would make the library take the clock */
	time_t t = (time_t)created * 86400;
	if (t == 0)
		t = 1;
	/* the issuer's name is the author: a control character of the cell
	 * (kept in the sheets' cells as _xHHHH_) has no place in docProps,
	 * whose XML cannot hold it (the library copies the strings) */
	char *who = xml_chars_only(author);
	lxw_doc_properties p = {
		.title = (char *)title, .author = who, .company = who,
		.created = t,
	};
	workbook_set_properties(f->wb, &p);
	free(who);
	xlsx_make_formats(f->wb, &f->fmt);
	return f->wb;
}

int xlsx_end(struct xlsx_file *f, unsigned char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	lxw_error e = workbook_close(f->wb);
	f->wb = NULL;
	int rc = 0;
	if (e != LXW_NO_ERROR) {
		fprintf(f->said, "svcbill: cannot write a workbook in %s: %s\n",
			f->dir, lxw_strerror(e));
		rc = -1;
	} else {
		char *buf;
		size_t n;
		if (read_file(f->path, &buf, &n) != 0) {
			fprintf(f->said, "svcbill: cannot read back %s: %s\n",
				f->path, strerror(errno));
			rc = -1;
		} else {
			*data = (unsigned char *)buf;
			*len = n;
		}
	}
	unlink(f->path);
	rmdir(f->dir);
	return rc;
}

double xlsx_fen(int64_t fen)
{
	return (double)fen / 100.0;
}

double xlsx_scaled(int64_t v, int64_t scale)
{
	return (double)v / (double)scale;
}

static int hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s,
	       lxw_format *fmt)
{
	if (!s || !s[0])
		return;
	/* Excel reads "_xHHHH_" in a text as the character HHHH; its own
	 * files escape the underscore of such a run as _x005F_.  A streamed
	 * workbook's inline strings are escaped so by the library itself. */
	const char *p = ws->optimize ? NULL : strstr(s, "_x");
	while (p && !(hex(p[2]) && hex(p[3]) && hex(p[4]) && hex(p[5]) &&
		      p[6] == '_'))
		p = strstr(p + 1, "_x");
	if (!p) {
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s,
				       fmt);
		return;
	}
	size_t n = strlen(s);
	char *e = xmalloc(n * 7 + 1), *o = e;
	for (const char *q = s; *q; q++) {
		if (q[0] == '_' && q[1] == 'x' && hex(q[2]) && hex(q[3]) &&
		    hex(q[4]) && hex(q[5]) && q[6] == '_') {
			memcpy(o, "_x005F_", 7);
			o += 7;
		} else {
			*o++ = *q;
		}
	}
	*o = '\0';
	worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, e, fmt);
	free(e);
}

void xlsx_date(lxw_worksheet *ws, int row, int col, day_t d,
	       lxw_format *fmt)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	lxw_datetime dt = { y, m, dd, 0, 0, 0 };
	worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
				 fmt);
}

void xlsx_width_init(struct xlsx_widths *w, int ncols)
{
	w->ncols = ncols;
	for (int i = 0; i < XLSX_MAX_COLS; i++)
		w->w[i] = 0;
}

/* Display width of the widest line of s: wide (CJK, full-width) code
 * points count two columns.  Counted in integers (the width is a whole
 * number of columns), ASCII a byte at a time: every text cell is
 * measured (20,000 in the bench's 200-invoice month). */
static double display_width(const char *s)
{
	unsigned best = 0, cur = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = *p;
		if (cp < 0x80) {
			p++;
			if (cp == '\n') {
				cur = 0;
				continue;
			}
			if (++cur > best)
				best = cur;
			continue;
		}
		int n = cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
		cp &= 0x3F >> (n - 1);
		for (int k = 1; k < n && p[k]; k++)
			cp = (cp << 6) | (p[k] & 0x3F);
		for (int k = 0; k < n && *p; k++)
			p++;
		if (cp == '\n') {      /* an overlong form, as before */
			cur = 0;
			continue;
		}
		cur += (cp >= 0x1100 && (cp <= 0x115F || cp >= 0x2E80) &&
			!(cp >= 0xFF61 && cp <= 0xFFDC)) ? 2 : 1;
		if (cur > best)
			best = cur;
	}
	return best;
}

void xlsx_width_see(struct xlsx_widths *w, int col, const char *s)
{
	if (col < 0 || col >= w->ncols || !s)
		return;
	double d = display_width(s);
	if (d > w->w[col])
		w->w[col] = d;
}

void xlsx_width_apply(const struct xlsx_widths *w, lxw_worksheet *ws)
{
	for (int c = 0; c < w->ncols; c++) {
		/* room for the filter button; long texts wrap at 60 */
		double width = w->w[c] + 3;
		if (width < 8)
			width = 8;
		if (width > 60)
			width = 60;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width,
				     NULL);
	}
}

/* ---- sheets ------------------------------------------------------------ */

static void xlsx_make_formats(lxw_workbook *wb, struct xlsx_formats *f)
{
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xE8EEF4);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	format_set_num_format(f->head, "@");
	f->text = workbook_add_format(wb);
	format_set_num_format(f->text, "@");
	f->money = workbook_add_format(wb);
	format_set_num_format(f->money, "#,##0.00");
	f->date = workbook_add_format(wb);
	format_set_num_format(f->date, "yyyy-mm-dd");
	f->integer = workbook_add_format(wb);
	format_set_num_format(f->integer, "0");
	f->decimals = workbook_add_format(wb);
	format_set_num_format(f->decimals, "#,##0.00######");
	f->plain = workbook_add_format(wb);
	format_set_num_format(f->plain, "General");
}

/* The length of "%lld" of v. */
static int dec_len(int64_t v)
{
	int n = v < 0 ? 2 : 1;
	while (v <= -10 || v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

int xlsx_sheet(struct xlsx_file *xf, const char *name,
	       const struct xlsx_col *cols, int ncols, size_t nrows,
	       xlsx_row_fn fill, void *ctx)
{
	if (ncols > XLSX_MAX_COLS)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(xf->wb, name);
	if (!ws)
		return -1;
	const struct xlsx_formats *f = &xf->fmt;
	struct xlsx_widths w;
	xlsx_width_init(&w, ncols);
	int heads = cols[0].en ? 2 : 1;
	/* row by row: a streamed workbook takes rows in order only */
	for (int c = 0; c < ncols; c++) {
		xlsx_text(ws, 0, c, cols[c].zh, f->head);
		xlsx_width_see(&w, c, cols[c].zh);
	}
	for (int c = 0; heads == 2 && c < ncols; c++) {
		xlsx_text(ws, 1, c, cols[c].en, f->head);
		xlsx_width_see(&w, c, cols[c].en);
	}
	struct xlsx_cell cells[XLSX_MAX_COLS];
	for (size_t r = 0; r < nrows; r++) {
		memset(cells, 0, sizeof cells);
		for (int c = 0; c < ncols; c++)
			cells[c].empty = 1;
		fill(ctx, r, cells);
		int row = (int)r + heads;
		for (int c = 0; c < ncols; c++) {
			const struct xlsx_cell *x = &cells[c];
			if (x->empty)
				continue;
			lxw_row_t R = (lxw_row_t)row;
			lxw_col_t C = (lxw_col_t)c;
			/* a number's column is as wide as a text shaped
			 * like the number (the format's separators and
			 * decimals): ASCII, so its length, counted rather
			 * than printed and measured (a snprintf a cell) */
			int len = 0;
			switch (cols[c].type) {
			case XT_TEXT:
				xlsx_text(ws, row, c, x->s, f->text);
				xlsx_width_see(&w, c, x->s);
				break;
			case XT_MONEY:
				worksheet_write_number(ws, R, C,
						       xlsx_fen(x->v), f->money);
				len = dec_len(x->v / 100) + 4;  /* "%lld,000" */
				break;
			case XT_DATE:
				xlsx_date(ws, row, c, x->d, f->date);
				len = 10;                       /* 2026-12-31 */
				break;
			case XT_INT:
				worksheet_write_number(ws, R, C, (double)x->v,
						       f->integer);
				len = dec_len(x->v);
				break;
			case XT_CENTI:
				worksheet_write_number(ws, R, C,
						       xlsx_scaled(x->v, 100),
						       f->decimals);
				len = dec_len(x->v / 100) + 3;  /* "%lld.00" */
				break;
			case XT_PRICE:
				worksheet_write_number(ws, R, C,
						       xlsx_fen(x->v), f->decimals);
				len = dec_len(x->v / 100) + 4;  /* "%lld,000" */
				break;
			case XT_DEC8:
				worksheet_write_number(ws, R, C,
						       xlsx_scaled(x->v, 100000000),
						       f->decimals);
				len = dec_len(x->v / 100000000) + 5;
				/* "%lld.0000" */
				break;
			case XT_PCT:
				worksheet_write_number(ws, R, C,
						       xlsx_scaled(x->v, 10000),
						       f->plain);
				len = dec_len(x->v / 10000) + 3;  /* "%lld.00" */
				break;
			case XT_FRACTION:
				worksheet_write_number(ws, R, C,
						       xlsx_scaled(x->v, 1000000),
						       f->plain);
				len = 6;                        /* 0.0000 */
				break;
			}
			if (len > w.w[c])
				w.w[c] = len;
		}
	}
	xlsx_width_apply(&w, ws);
	worksheet_freeze_panes(ws, (lxw_row_t)heads, 0);
	worksheet_autofilter(ws, (lxw_row_t)(heads - 1), 0,
			     (lxw_row_t)(nrows + (size_t)heads - 1),
			     (lxw_col_t)(ncols - 1));
	return 0;
}
