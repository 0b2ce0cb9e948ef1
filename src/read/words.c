/* words.c - see words.h */
#include "read/words.h"
#include "base/buf.h"
#include "read/model.h"

#include <string.h>
#include <strings.h>

#define WORDS(tab) { tab, (int)(sizeof tab / sizeof *tab) }

/* Each table is indexed by its enum, so a row can only be where its
 * value says (the designators), and the count is checked against it. */
static const struct word ctype[] = {
	[CT_DEVICE_MONTHLY] = { "device_monthly", "按台月费" },
	[CT_PRICE_PERCENT] = { "price_percent", "按原价比例" },
	[CT_WEBSITE] = { "website", "网站维护" },
};
static const struct word rtype[] = {
	[RT_PREVENTIVE] = { "preventive", "保养" },
	[RT_REPAIR] = { "repair", "叫修" },
	[RT_EMERGENCY] = { "emergency", "紧急" },
	[RT_ONSITE] = { "onsite", "上门" },
	[RT_UPDATE] = { "update", "更新" },
};
static const struct word cause[] = {
	[CAUSE_COVERED] = { "covered", "保内" },
	[CAUSE_EXCLUDED] = { "excluded", "除外" },
};
static const struct word category[] = {
	[CAT_SERVICE] = { "service", "服务" },
	[CAT_GOODS] = { "goods", "货物" },
};
static const struct word hkind[] = {
	[HK_HOLIDAY] = { "holiday", "休息" },
	[HK_WORKDAY] = { "workday", "调休" },
};
static const struct word lkind[] = {
	[LK_RECURRING] = { "recurring", NULL },
	[LK_TRUEUP] = { "trueup", NULL },
	[LK_LABOUR] = { "labour", NULL },
	[LK_PARTS] = { "parts", NULL },
	[LK_OEM] = { "oem", NULL },
	[LK_SLA] = { "sla", NULL },
	[LK_CHARGE] = { "charge", NULL },
	[LK_LATE_FEE] = { "late_fee", NULL },
};
/* in the order fapiao_items.csv's messages list them */
static const struct word fkind[] = {
	[LK_RECURRING] = { "recurring", NULL },
	[LK_TRUEUP] = { "trueup", NULL },
	[LK_LABOUR] = { "labour", NULL },
	[LK_PARTS] = { "parts", NULL },
	[LK_OEM] = { "oem", NULL },
	[LK_SLA] = { "sla", NULL },
	[LK_CHARGE] = { NULL, NULL },
	[LK_LATE_FEE] = { "late_fee", NULL },
	[FK_CHARGE_SERVICE] = { "charge_service", NULL },
	[FK_CHARGE_GOODS] = { "charge_goods", NULL },
};

_Static_assert(sizeof ctype / sizeof *ctype == CT_WEBSITE + 1, "ctype");
_Static_assert(sizeof rtype / sizeof *rtype == RT_UPDATE + 1, "rtype");
_Static_assert(sizeof cause / sizeof *cause == CAUSE_EXCLUDED + 1, "cause");
_Static_assert(sizeof category / sizeof *category == CAT_GOODS + 1, "cat");
_Static_assert(sizeof hkind / sizeof *hkind == HK_WORKDAY + 1, "hkind");
_Static_assert(sizeof lkind / sizeof *lkind == LK_COUNT, "line kinds");
_Static_assert(sizeof fkind / sizeof *fkind == FK_COUNT, "fapiao kinds");

const struct words contract_type_words = WORDS(ctype);
const struct words record_type_words = WORDS(rtype);
const struct words cause_words = WORDS(cause);
const struct words category_words = WORDS(category);
const struct words holiday_kind_words = WORDS(hkind);
const struct words line_kind_words = WORDS(lkind);
const struct words fapiao_kind_words = WORDS(fkind);

int word_parse(const struct words *ws, const char *s)
{
	for (int i = 0; i < ws->n; i++) {
		const struct word *w = &ws->w[i];
		if ((w->en && strcasecmp(s, w->en) == 0) ||
		    (w->zh && strcmp(s, w->zh) == 0))
			return i;
	}
	return -1;
}

int word_parse_exact(const struct words *ws, const char *s)
{
	for (int i = 0; i < ws->n; i++)
		if (ws->w[i].en && strcmp(s, ws->w[i].en) == 0)
			return i;
	return -1;
}

const char *word_en(const struct words *ws, int v)
{
	return v >= 0 && v < ws->n ? ws->w[v].en : NULL;
}

const char *word_zh(const struct words *ws, int v)
{
	return v >= 0 && v < ws->n ? ws->w[v].zh : NULL;
}

const char *word_list(const struct words *ws, struct arena *a)
{
	int n = 0;
	for (int i = 0; i < ws->n; i++)
		n += ws->w[i].en != NULL;
	struct buf b;
	buf_init(&b);
	for (int i = 0, k = 0; i < ws->n; i++) {
		const struct word *w = &ws->w[i];
		if (!w->en)
			continue;
		k++;
		buf_printf(&b, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
			   w->en);
		if (w->zh)
			buf_printf(&b, " (%s)", w->zh);
	}
	const char *s = arena_strdup(a, b.len ? b.data : "");
	buf_free(&b);
	return s;
}

const char *contract_type_name(int type)
{
	return word_en(&contract_type_words, type);
}
