/* doc_sheet.c - see doc_sheet.h */
#include "docs/sheet.h"
#include "base/fsio.h"
#include "base/buf.h"
#include "bill/labels.h"
#include "docs/labelcol.h"
#include "read/words.h"
#include "base/money.h"
#include "bill/pm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RIGHT (MARGIN_X + CONTENT_W)

const char *safe_file_name(const char *id, struct arena *a)
{
	size_t n = strlen(id);
	char *s = arena_alloc(a, n + 10);
	size_t k = 0;
	int changed = n == 0;
	for (const char *p = id; *p;) {
		char c = *p;
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			 (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			 (c == '.' && p != id);
		s[k++] = ok ? c : '_';
		changed |= !ok;
		/* one '_' per character, not per byte */
		p++;
		while (!ok && (*p & 0xC0) == 0x80)
			p++;
	}
	s[k] = '\0';
	if (changed) {
		char sha[65];
		sha256_hex(id, n, sha);
		snprintf(s + k, 10, "_%.8s", sha);
	}
	return s;
}


static const char *when(struct doc *d, int64_t secs, int given)
{
	if (!given)
		return "";
	day_t day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t s = secs - day * 86400;
	char date[11];
	date_format(day, date);
	return arena_printf(d->a, "%s %02d:%02d", date, (int)(s / 3600),
			    (int)(s / 60 % 60));
}

/* "中文 English" of a label. */
static const char *lbl2(struct doc *d, enum label l)
{
	return arena_printf(d->a, "%s %s", label(l)->zh, label(l)->en);
}

struct sheet_ctx {
	struct doc *d;
	const struct device *v;
	size_t n;                   /* records up to the end of the month */
	int month;
	invoice_of_fn invoice_of;
	void *ctx;
};

static const struct label_col sheet_cols[] = {
	{ L_COL_RECORD, 50, AL_LEFT },
	{ L_COL_CALLED, 42, AL_LEFT },
	{ L_COL_ARRIVED, 42, AL_LEFT },
	{ L_COL_COMPLETED, 42, AL_LEFT },
	{ L_COL_TYPE, 40, AL_LEFT },
	{ L_COL_FAULT, 77, AL_LEFT },
	{ L_COL_LEVEL, 24, AL_CENTER },
	{ L_COL_PARTS, 58, AL_LEFT },
	{ L_COL_TECHNICIAN, 36, AL_LEFT },
	{ L_COL_SIGNED, 36, AL_LEFT },
	{ L_COL_INVOICE, 64.2, AL_LEFT },
};
#define NSHEETCOLS ((int)(sizeof sheet_cols / sizeof *sheet_cols))

static void sheet_cell(void *ctx, size_t row, int col, struct cell *out)
{
	struct sheet_ctx *sc = ctx;
	struct doc *d = sc->d;
	const struct record *r = sc->v->records[row];
	int this_month = record_month(r) == sc->month;
	switch (col) {
	case 0:
		out->main = r->id;
		out->bold = this_month;
		if (this_month)
			out->sub = lbl2(d, L_THIS_MONTH);
		break;
	case 1:
		out->main = when(d, r->called_at,
				 row_has(&r->ri, RECORD_CALLED_AT));
		break;
	case 2:
		out->main = when(d, r->arrived_at,
				 row_has(&r->ri, RECORD_ARRIVED_AT));
		break;
	case 3: out->main = when(d, r->completed_at, 1); break;
	case 4:
		/* the words of the input file (保养 preventive ...) */
		out->main = word_zh(&record_type_words, r->type);
		out->sub = word_en(&record_type_words, r->type);
		break;
	case 5:
		out->main = r->fault;
		out->sub = r->cause == CAUSE_EXCLUDED ? lbl2(d, L_NOT_COVERED) :
			   NULL;
		break;
	case 6: out->main = arena_printf(d->a, "%lld", (long long)r->level); break;
	case 7: {
		struct buf b;
		buf_init(&b);
		for (size_t i = 0; i < r->nparts; i++) {
			char q[32];
			centi_plain(r->parts[i]->qty, q);
			/* "1.00" -> "1" for whole quantities */
			size_t ql = strlen(q);
			if (ql > 3 && strcmp(q + ql - 3, ".00") == 0)
				q[ql - 3] = '\0';
			buf_printf(&b, "%s%s ×%s", i ? "; " : "",
				   r->parts[i]->part_no, q);
		}
		out->main = arena_strdup(d->a, b.data);
		buf_free(&b);
		break;
	}
	case 8: out->main = r->technician; break;
	case 9: out->main = r->signed_by; break;
	case 10: {
		const char *no = sc->invoice_of(sc->ctx, r->id);
		out->main = no[0] ? no : "—";
		out->sub = no[0] ? NULL : lbl2(d, L_NO_CHARGE);
		break;
	}
	}
	out->shade = this_month ? 0.93 : 0;
}

static void kv(struct doc *d, double x, double w, enum label l,
	       const char *value)
{
	const struct bilingual *b = label(l);
	doc_text(d, x, d->y - 9, 8, 1, 0.25, AL_LEFT, b->zh);
	doc_text(d, x, d->y - 17, 6.5, 0, 0.45, AL_LEFT, b->en);
	double save = d->y;
	doc_para(d, x + 62, w - 62, 9, 0, 0, value && value[0] ? value : "—");
	if (d->y > save - 20)
		d->y = save - 20;
}

/* The preventive schedule under the header (rules.md §5.2), when the contract
 * has pm_months: the last preventive visit by the end of the activity
 * month and the day the next one is due. */
static void pm_block(struct doc *d, const struct device *v, int month)
{
	struct pm_status s;
	if (!pm_status_at(v, month_last_day(month), &s))
		return;
	char last[11] = "", due[11];
	if (s.has_last)
		date_format(s.last, last);
	date_format(s.due, due);
	double half = CONTENT_W / 2, y0 = d->y;
	const struct bilingual *pm_labels[2] = { label(L_PM_LAST),
						 label(L_PM_NEXT) };
	const struct bilingual *none = label(L_PM_NONE_YET),
			       *late = label(L_PM_OVERDUE);
	const char *val[2] = {
		s.has_last ? arena_strdup(d->a, last) :
			     arena_printf(d->a, "— %s %s", none->zh, none->en),
		s.overdue ? arena_printf(d->a, "%s  %s %s", due, late->zh,
					 late->en) :
			    arena_strdup(d->a, due),
	};
	double end = y0;
	for (int i = 0; i < 2; i++) {
		double x = MARGIN_X + i * half;
		d->y = y0;
		doc_text(d, x, d->y - 9, 8, 1, 0.25, AL_LEFT, pm_labels[i]->zh);
		doc_text(d, x, d->y - 17, 6.5, 0, 0.45, AL_LEFT,
			 pm_labels[i]->en);
		doc_para(d, x + 62, half - 70, 9, i == 1 && s.overdue, 0,
			 val[i]);
		if (d->y > y0 - 20)
			d->y = y0 - 20;
		if (d->y < end)
			end = d->y;
	}
	d->y = end;
}

static void continuation(struct doc *d, void *ctx)
{
	const struct device *v = ctx;
	doc_text(d, MARGIN_X, d->y - 10, 10, 1, 0, AL_LEFT,
		 arena_printf(d->a, "%s  %s", lbl2(d, L_SHEET_TITLE),
			      doc_clean(d, v->id)));
	d->y -= 16;
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 0.6, 0.3);
	d->y -= 8;
}

/* What a record sheet prints whatever the month: the run font of sheets
 * (layout.h, run_text) holds these labels' characters. */
static const int sheet_labels[] = {
	L_SHEET_TITLE, L_HISTORY_TO, L_DEVICE_ID, L_CLASS, L_MODEL, L_SERIAL,
	L_INSTALL_DATE, L_CLIENT, L_CONTRACT, L_LOCATION, L_CONTACT,
	L_REPAIR_PHONE, L_SIGN_TECHNICIAN, L_SIGN_CLIENT, L_DATE,
	L_THIS_MONTH,
};

void layout_sheet(struct doc *d, const struct issuer *is,
		  const struct device *v, int activity_month, day_t issued,
		  invoice_of_fn invoice_of, void *ctx)
{
	/* and the words of the two commonest record types */
	const char *extra[] = {
		is->name_zh,
		word_zh(&record_type_words, RT_PREVENTIVE),
		word_en(&record_type_words, RT_PREVENTIVE),
		word_zh(&record_type_words, RT_REPAIR),
		word_en(&record_type_words, RT_REPAIR),
	};
	struct col cols[NSHEETCOLS];
	d->run_text = doc_run_text(d, sheet_labels, sizeof sheet_labels /
				   sizeof sheet_labels[0],
				   label_cols(sheet_cols, NSHEETCOLS, cols),
				   NSHEETCOLS, extra,
				   sizeof extra / sizeof extra[0]);
	const struct contract *c = v->contract;
	const struct client *cl = c ? c->client : NULL;
	char month[8];
	month_format(activity_month, month);
	d->title = arena_printf(d->a, "%s %s", lbl2(d, L_SHEET_TITLE), v->id);
	d->author = is->name_zh;
	d->subject = arena_printf(d->a, "%s %s", cl ? cl->name_zh : "",
				  v->id);
	d->keywords = arena_printf(d->a, "svcbill, maintenance record, %s, %s",
				   month, v->id);
	d->created = issued;
	d->footer_left = doc_clean(d, v->id);
	d->on_new_page = continuation;
	d->on_new_page_ctx = (void *)v;
	doc_new_page(d);
	const char *hzh, *hen;
	/* Chinese reads the month as 2026 年 11 月 (rules.md §5) */
	const char *const hargs[5] = {
		month, arena_strndup(d->a, month, 4),
		arena_printf(d->a, "%d", atoi(month + 5)), "", "" };
	label_fill(d->a, L_HISTORY_TO, hargs, &hzh, &hen);
	d->y = doc_head(d, label(L_SHEET_TITLE)->zh, label(L_SHEET_TITLE)->en,
			is->name_zh, arena_printf(d->a, "%s · %s", hzh, hen));
	doc_line(d, MARGIN_X, d->y, RIGHT, d->y, 1.2, 0);
	d->y -= 8;
	double half = CONTENT_W / 2, y0 = d->y;
	kv(d, MARGIN_X, half - 8, L_DEVICE_ID, v->id);
	kv(d, MARGIN_X, half - 8, L_CLASS, v->class);
	kv(d, MARGIN_X, half - 8, L_MODEL, v->model);
	kv(d, MARGIN_X, half - 8, L_SERIAL, v->serial);
	char inst[11] = "";
	if (row_has(&v->ri, DEVICE_INSTALL_DATE))
		date_format(v->install_date, inst);
	kv(d, MARGIN_X, half - 8, L_INSTALL_DATE, inst);
	double left_end = d->y;
	d->y = y0;
	double x2 = MARGIN_X + half;
	kv(d, x2, half, L_CLIENT, cl ? cl->name_zh : "");
	kv(d, x2, half, L_CONTRACT, v->contract_id);
	kv(d, x2, half, L_LOCATION, v->location);
	kv(d, x2, half, L_CONTACT, v->contact);
	kv(d, x2, half, L_REPAIR_PHONE, v->contact_phone);
	if (left_end < d->y)
		d->y = left_end;
	pm_block(d, v, activity_month);
	d->y -= 8;
	struct sheet_ctx sc = { d, v, 0, activity_month, invoice_of, ctx };
	day_t limit = month_last_day(activity_month) + 1;
	while (sc.n < v->nrecords &&
	       v->records[sc.n]->completed_at < limit * 86400)
		sc.n++;
	doc_table(d, cols, NSHEETCOLS,
		  sc.n, sheet_cell, &sc, 7);
	/* the signatures the seed contract asks for */
	doc_ensure(d, 90);
	d->y -= 16;
	double bw = CONTENT_W / 2 - 10, bh = 56;
	const struct bilingual *who[2] = { label(L_SIGN_TECHNICIAN),
					   label(L_SIGN_CLIENT) };
	for (int i = 0; i < 2; i++) {
		double x = MARGIN_X + i * (bw + 20);
		doc_box(d, x, d->y - bh, bw, bh, 0.6, 0.3);
		doc_text(d, x + 6, d->y - 12, 9, 1, 0, AL_LEFT, who[i]->zh);
		doc_text(d, x + 6, d->y - 22, 7, 0, 0.4, AL_LEFT, who[i]->en);
		doc_text(d, x + 6, d->y - bh + 8, 7.5, 0, 0.4, AL_LEFT,
			 arena_printf(d->a, "%s: ______________",
				      lbl2(d, L_DATE)));
	}
	d->y -= bh + 8;
	doc_finish(d);
}
