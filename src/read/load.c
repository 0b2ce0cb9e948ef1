/* load.c - see load.h.
 *
 * Each input file is described by a table of columns (English name,
 * Chinese alias, type, required, where the value goes), so reading and
 * checking the ten files is one loop; the cross-file rules follow. */
#include "read/load.h"
#include "base/buf.h"
#include "read/csvread.h"
#include "read/fields.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum ftype {
	FT_TEXT,        /* free text (or a reference to an id) */
	FT_ID,          /* defining id: non-empty, at most 64 code points */
	FT_DATE, FT_DATETIME, FT_MONEY, FT_MONEY_NEG, FT_PERCENT,
	FT_HOURS, FT_QTY, FT_INT,
	FT_PAYDAYS,     /* int, at most INPUT_DAYS_MAX */
	FT_CTYPE, FT_RTYPE, FT_CAUSE, FT_CATEGORY,
	FT_DAYS, FT_SPAN, FT_HKIND,     /* service window, holidays.csv */
};

#define ID_MAX_CHARS 64
#define PM_MONTHS_MAX 120       /* a preventive visit at least every 10 years */
#define MAX_COLS 32

struct colspec {
	const char *en, *zh;
	enum ftype type;
	int required;
	size_t off;
};

#define COL(st, f, en, zh, type, req) { en, zh, type, req, offsetof(st, f) }

static const struct colspec issuer_cols[] = {
	COL(struct issuer, name_zh, "name_zh", "公司名称", FT_TEXT, 1),
	COL(struct issuer, name_en, "name_en", "英文名称", FT_TEXT, 0),
	COL(struct issuer, address, "address", "地址", FT_TEXT, 0),
	COL(struct issuer, postcode, "postcode", "邮编", FT_TEXT, 0),
	COL(struct issuer, phone, "phone", "电话", FT_TEXT, 0),
	COL(struct issuer, fax, "fax", "传真", FT_TEXT, 0),
	COL(struct issuer, tax_id, "tax_id", "纳税人识别号", FT_TEXT, 0),
	COL(struct issuer, bank_name, "bank_name", "开户行", FT_TEXT, 0),
	COL(struct issuer, bank_account, "bank_account", "账号", FT_TEXT, 0),
	COL(struct issuer, invoice_prefix, "invoice_prefix", "发票前缀",
	    FT_TEXT, 0),
};

static const struct colspec client_cols[] = {
	COL(struct client, id, "client_id", "客户编号", FT_ID, 1),
	COL(struct client, name_zh, "name_zh", "客户名称", FT_TEXT, 1),
	COL(struct client, name_en, "name_en", "英文名称", FT_TEXT, 0),
	COL(struct client, address, "address", "地址", FT_TEXT, 0),
	COL(struct client, postcode, "postcode", "邮编", FT_TEXT, 0),
	COL(struct client, phone, "phone", "电话", FT_TEXT, 0),
	COL(struct client, fax, "fax", "传真", FT_TEXT, 0),
	COL(struct client, contact, "contact", "联系人", FT_TEXT, 0),
	COL(struct client, tax_id, "tax_id", "纳税人识别号", FT_TEXT, 0),
};

enum { CC_SLA_HOURS = 14, CC_SLA_EMERGENCY = 15 };   /* bits in ri.has */
enum { CC_SERVICE_DAYS = 18, CC_SERVICE_HOURS = 19, CC_PM_MONTHS = 20 };
static const struct colspec contract_cols[] = {
	COL(struct contract, id, "contract_id", "合同编号", FT_ID, 1),
	COL(struct contract, client_id, "client_id", "客户编号", FT_TEXT, 1),
	COL(struct contract, type, "type", "合同类型", FT_CTYPE, 1),
	COL(struct contract, start, "start", "起始日期", FT_DATE, 1),
	COL(struct contract, end, "end", "终止日期", FT_DATE, 1),
	COL(struct contract, cycle_months, "cycle_months", "结算周期", FT_INT,
	    0),
	COL(struct contract, monthly_fee_text, "monthly_fee", "月费", FT_TEXT,
	    0),
	COL(struct contract, annual_pct_text, "annual_pct", "年费率", FT_TEXT,
	    0),
	COL(struct contract, parts_pct, "parts_pct", "零件计价比例",
	    FT_PERCENT, 0),
	COL(struct contract, labour_rate, "labour_rate", "工时费", FT_MONEY, 0),
	COL(struct contract, tax_pct, "tax_pct", "服务税率", FT_PERCENT, 0),
	COL(struct contract, goods_tax_pct, "goods_tax_pct", "货物税率",
	    FT_PERCENT, 0),
	COL(struct contract, payment_days, "payment_days", "付款天数",
	    FT_PAYDAYS, 0),
	COL(struct contract, late_fee_pct, "late_fee_pct", "日违约金率",
	    FT_PERCENT, 0),
	COL(struct contract, sla_hours, "sla_hours", "响应时限", FT_HOURS, 0),
	COL(struct contract, sla_emergency_hours, "sla_emergency_hours",
	    "紧急响应时限", FT_HOURS, 0),
	COL(struct contract, sla_penalty, "sla_penalty", "每日违约金",
	    FT_MONEY, 0),
	COL(struct contract, currency, "currency", "币种", FT_TEXT, 0),
	/* the service window and preventive schedule (rules.md §2.4) */
	COL(struct contract, service_days, "service_days", "服务日", FT_DAYS,
	    0),
	COL(struct contract, service_hours, "service_hours", "服务时段",
	    FT_SPAN, 0),
	COL(struct contract, pm_months, "pm_months", "保养周期", FT_INT, 0),
};

static const struct colspec rate_cols[] = {
	COL(struct rate, contract_id, "contract_id", "合同编号", FT_TEXT, 1),
	COL(struct rate, class, "class", "设备类别", FT_TEXT, 1),
	COL(struct rate, monthly_fee, "monthly_fee", "月费", FT_MONEY, 1),
};

enum { DC_FROM = 8, DC_TO = 9 };
static const struct colspec device_cols[] = {
	COL(struct device, id, "device_id", "产品编号", FT_ID, 1),
	COL(struct device, contract_id, "contract_id", "合同编号", FT_TEXT, 1),
	COL(struct device, class, "class", "设备类别", FT_TEXT, 1),
	COL(struct device, model, "model", "型号", FT_TEXT, 0),
	COL(struct device, serial, "serial", "序列号", FT_TEXT, 0),
	COL(struct device, install_date, "install_date", "装置日期", FT_DATE,
	    0),
	COL(struct device, purchase_price_text, "purchase_price", "原购买价",
	    FT_TEXT, 0),
	COL(struct device, location, "location", "地址", FT_TEXT, 0),
	COL(struct device, from, "from", "加入日期", FT_DATE, 0),
	COL(struct device, to, "to", "退出日期", FT_DATE, 0),
	COL(struct device, contact, "contact", "联系人", FT_TEXT, 0),
	COL(struct device, contact_phone, "contact_phone", "叫修电话", FT_TEXT,
	    0),
	COL(struct device, cpu, "cpu", NULL, FT_TEXT, 0),
	COL(struct device, memory, "memory", "内存", FT_TEXT, 0),
	COL(struct device, disk, "disk", "硬盘", FT_TEXT, 0),
	COL(struct device, mainboard, "mainboard", "主板", FT_TEXT, 0),
	COL(struct device, monitor, "monitor", "显示器", FT_TEXT, 0),
	COL(struct device, note, "note", "备注", FT_TEXT, 0),
};

enum { RC_CALLED = 3, RC_ARRIVED = 4, RC_COMPLETED = 5 };
static const struct colspec record_cols[] = {
	COL(struct record, id, "record_id", "单号", FT_ID, 1),
	COL(struct record, device_id, "device_id", "产品编号", FT_TEXT, 1),
	COL(struct record, type, "type", "类型", FT_RTYPE, 1),
	COL(struct record, called_at, "called_at", "叫修时间", FT_DATETIME, 0),
	COL(struct record, arrived_at, "arrived_at", "到场时间", FT_DATETIME,
	    0),
	COL(struct record, completed_at, "completed_at", "修复时间",
	    FT_DATETIME, 1),
	COL(struct record, fault, "fault", "故障摘要", FT_TEXT, 0),
	COL(struct record, cause, "cause", "原因", FT_CAUSE, 0),
	COL(struct record, level, "level", "维修级别", FT_INT, 0),
	COL(struct record, technician, "technician", "维修人员", FT_TEXT, 0),
	COL(struct record, signed_by, "signed_by", "甲方签认", FT_TEXT, 0),
	COL(struct record, labour_hours, "labour_hours", "工时", FT_HOURS, 0),
	COL(struct record, oem_quote, "oem_quote", "原厂报价", FT_MONEY, 0),
	COL(struct record, freight, "freight", "运费", FT_MONEY, 0),
	COL(struct record, duty, "duty", "关税", FT_MONEY, 0),
};

static const struct colspec part_cols[] = {
	COL(struct part, part_no, "part_no", "零件编号", FT_ID, 1),
	COL(struct part, name_zh, "name_zh", "名称", FT_TEXT, 1),
	COL(struct part, name_en, "name_en", "英文名称", FT_TEXT, 0),
	COL(struct part, list_price, "list_price", "定价", FT_MONEY, 1),
};

enum { PU_LIST_PRICE = 3 };
static const struct colspec part_use_cols[] = {
	COL(struct part_use, record_id, "record_id", "单号", FT_TEXT, 1),
	COL(struct part_use, part_no, "part_no", "零件编号", FT_TEXT, 1),
	COL(struct part_use, qty, "qty", "数量", FT_QTY, 1),
	COL(struct part_use, list_price, "list_price", "定价", FT_MONEY, 0),
};

static const struct colspec charge_cols[] = {
	COL(struct charge, contract_id, "contract_id", "合同编号", FT_TEXT, 1),
	COL(struct charge, date, "date", "日期", FT_DATE, 1),
	COL(struct charge, description_zh, "description_zh", "项目", FT_TEXT,
	    1),
	COL(struct charge, description_en, "description_en", "英文项目",
	    FT_TEXT, 0),
	COL(struct charge, qty, "qty", "数量", FT_QTY, 0),
	COL(struct charge, unit_price, "unit_price", "单价", FT_MONEY_NEG, 1),
	COL(struct charge, category, "category", "类别", FT_CATEGORY, 0),
};

static const struct colspec payment_cols[] = {
	COL(struct payment, invoice_no, "invoice_no", "发票号", FT_TEXT, 1),
	COL(struct payment, paid_on, "paid_on", "付款日期", FT_DATE, 1),
	COL(struct payment, amount, "amount", "金额", FT_MONEY, 1),
};

static const struct colspec holiday_cols[] = {
	COL(struct holiday, date, "date", "日期", FT_DATE, 1),
	COL(struct holiday, kind, "kind", "类型", FT_HKIND, 1),
	COL(struct holiday, name, "name", "名称", FT_TEXT, 0),
};

static const struct colspec fapiao_item_cols[] = {
	COL(struct fapiao_item, kind, "kind", "项目类别", FT_TEXT, 1),
	COL(struct fapiao_item, tax_code, "tax_code", "税收分类编码", FT_TEXT, 1),
	COL(struct fapiao_item, item_name, "item_name", "项目名称", FT_TEXT, 1),
	COL(struct fapiao_item, unit, "unit", "单位", FT_TEXT, 0),
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* One file as read: its rows and the header text of each known column,
 * which is how messages name a column (the user's own header). */
struct loaded {
	char file[4096];
	const struct colspec *spec;
	int ncols;
	const char *colname[MAX_COLS];
	int present;                /* 1 when the file was read with a header */
	int tried;                  /* 1 when the file exists */
	int errors;                 /* data errors reported while reading it */
};

static int match_word(const char *s, const char *const *words, int n)
{
	for (int i = 0; i < n; i++) {
		const char *en = words[2 * i], *zh = words[2 * i + 1];
		if (strcasecmp(s, en) == 0 || strcmp(s, zh) == 0)
			return i;
	}
	return -1;
}

static const char *const ctype_words[] = {
	"device_monthly", "按台月费", "price_percent", "按原价比例",
	"website", "网站维护",
};
static const char *const rtype_words[] = {
	"preventive", "保养", "repair", "叫修", "emergency", "紧急",
	"onsite", "上门", "update", "更新",
};
static const char *const cause_words[] = {
	"covered", "保内", "excluded", "除外",
};
static const char *const category_words[] = {
	"service", "服务", "goods", "货物",
};
static const char *const hkind_words[] = {
	"holiday", "休息", "workday", "调休",
};

int parse_contract_type(const char *s)
{
	return match_word(s, ctype_words, 3);
}

int parse_record_type(const char *s)
{
	return match_word(s, rtype_words, 5);
}

const char *contract_type_name(int type)
{
	return ctype_words[2 * type];
}

/* Parse one value into the row; returns an error message or NULL. */
static const char *parse_value(const struct colspec *c, const char *v,
			       void *row)
{
	char *p = (char *)row + c->off;
	int64_t *num = (int64_t *)p;
	int k;
	switch (c->type) {
	case FT_TEXT:
		*(const char **)p = v;
		return NULL;
	case FT_ID:
		if (utf8_len(v) > ID_MAX_CHARS)
			return "an id has at most 64 characters";
		*(const char **)p = v;
		return NULL;
	/* the limits of rules.md §2.3 are in the parse_input_* functions */
	case FT_DATE: return parse_input_date(v, num);
	case FT_DATETIME: return parse_input_datetime(v, num);
	case FT_MONEY: return parse_input_money(v, 0, num);
	case FT_MONEY_NEG: return parse_input_money(v, 1, num);
	case FT_PERCENT: return parse_input_percent(v, num);
	case FT_HOURS: return parse_input_centi(v, num);
	case FT_QTY: {
		const char *e = parse_input_centi(v, num);
		return e ? e : *num == 0 ? "a quantity must be more than 0" :
		       NULL;
	}
	case FT_INT: return parse_int(v, num);
	case FT_PAYDAYS: {
		const char *e = parse_int(v, num);
		return e ? e : *num > INPUT_DAYS_MAX ?
		       "at most 3,650 days (the limit)" : NULL;
	}
	case FT_CTYPE:
		k = match_word(v, ctype_words, 3);
		*(int *)p = k;
		return k < 0 ? "not a contract type; use device_monthly "
			       "(按台月费), price_percent (按原价比例) or "
			       "website (网站维护)" : NULL;
	case FT_RTYPE:
		k = match_word(v, rtype_words, 5);
		*(int *)p = k;
		return k < 0 ? "not a record type; use preventive (保养), "
			       "repair (叫修), emergency (紧急), onsite (上门) "
			       "or update (更新)" : NULL;
	case FT_CAUSE:
		k = match_word(v, cause_words, 2);
		*(int *)p = k;
		return k < 0 ? "use covered (保内) or excluded (除外)" : NULL;
	case FT_CATEGORY:
		k = match_word(v, category_words, 2);
		*(int *)p = k;
		return k < 0 ? "use service (服务) or goods (货物)" : NULL;
	case FT_DAYS: return parse_service_days(v, (int *)p);
	case FT_SPAN: {
		struct svc_hours *h = (struct svc_hours *)p;
		return parse_service_hours(v, &h->open, &h->close);
	}
	case FT_HKIND:
		k = match_word(v, hkind_words, 2);
		*(int *)p = k;
		return k < 0 ? "use holiday (休息) or workday (调休)" : NULL;
	}
	return NULL;
}

static int col_matches(const struct colspec *c, const char *h)
{
	return strcasecmp(h, c->en) == 0 || (c->zh && strcmp(h, c->zh) == 0);
}

/* A file beside a missing input file that is probably it, as exports and
 * downloads name them: another letter case (Clients.CSV), a copy's
 * " (1)" suffix, or .txt for .csv.  The smallest such name in byte order
 * (readdir's order is arbitrary), or 0 when there is none. */
static int near_miss(const char *dir, const char *name, char *out,
		     size_t outlen)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	size_t stem = strlen(name) - 4;         /* without ".csv" */
	int found = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		const char *n = e->d_name, *ext = NULL;
		size_t len = strlen(n);
		if (len < stem + 4 || strncasecmp(n, name, stem) != 0)
			continue;
		const char *p = n + stem;
		if (p[0] == ' ' && p[1] == '(') {   /* " (12)" */
			const char *q = p + 2;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q == p + 2 || *q != ')')
				continue;
			p = q + 1;
		}
		ext = p;
		if ((strcasecmp(ext, ".csv") != 0 &&
		     strcasecmp(ext, ".txt") != 0) || strcmp(n, name) == 0)
			continue;
		if (!found || strcmp(n, out) < 0) {
			snprintf(out, outlen, "%s", n);
			found = 1;
		}
	}
	closedir(dp);
	return found;
}

/* Read one file into an array of rows (each rowsize bytes, starting with a
 * struct rowinfo).  init() sets defaults before a row's values are parsed. */
static void *load_file(const char *dir, const char *name, int optional,
		       const struct colspec *spec, int ncols, size_t rowsize,
		       void (*init)(void *row), struct arena *a,
		       struct diag *d, struct loaded *L, size_t *nrows)
{
	memset(L, 0, sizeof *L);
	snprintf(L->file, sizeof L->file, "%s/%s", dir, name);
	L->spec = spec;
	L->ncols = ncols;
	for (int i = 0; i < ncols; i++)
		L->colname[i] = spec[i].en;
	*nrows = 0;
	struct csv_table t;
	const char *file = arena_strdup(a, L->file);
	diag_note_file(d, file);
	int errors_before = d->errors;
	/* a near namesake stops the run even for an optional file: billing
	 * without the charges someone saved as Charges.CSV is worse */
	char other[256];
	if (access(file, F_OK) != 0 && errno == ENOENT &&
	    near_miss(dir, name, other, sizeof other)) {
		diag_missing(d, file, arena_printf(a, "cannot open: no such "
			     "file, but there is '%s': rename it to %s", other,
			     name));
		L->tried = 1;
		return NULL;
	}
	int rc = csv_read_file(file, file, optional, a, d, &t);
	L->tried = rc != 1;
	L->errors = d->errors - errors_before;
	if (rc != 0 || !t.has_header)
		return NULL;
	L->present = 1;
	int field_of[MAX_COLS];
	for (int i = 0; i < ncols; i++)
		field_of[i] = -1;
	struct buf unknown;
	buf_init(&unknown);
	for (int f = 0; f < t.header.nfields; f++) {
		const char *h = t.header.fields[f];
		int found = -1;
		for (int i = 0; i < ncols && found < 0; i++)
			if (col_matches(&spec[i], h))
				found = i;
		if (found < 0) {
			buf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "",
				   h);
			continue;
		}
		if (field_of[found] >= 0) {
			diag_error(d, file, t.header.line, h, NULL,
				   "column given twice (also as '%s')",
				   t.header.fields[field_of[found]]);
			continue;
		}
		field_of[found] = f;
		L->colname[found] = h;
	}
	if (unknown.len)
		diag_warning(d, file, t.header.line, NULL, NULL,
			     "unknown columns ignored: %s", unknown.data);
	buf_free(&unknown);
	int ok = 1;
	for (int i = 0; i < ncols; i++) {
		if (spec[i].required && field_of[i] < 0) {
			diag_error(d, file, t.header.line, spec[i].en, NULL,
				   "required column missing (header '%s'%s%s)",
				   spec[i].en, spec[i].zh ? " or " : "",
				   spec[i].zh ? spec[i].zh : "");
			ok = 0;
		}
	}
	if (!ok)
		return NULL;
	char *rows = arena_alloc(a, rowsize * (t.nrows ? t.nrows : 1));
	for (size_t r = 0; r < t.nrows; r++) {
		void *row = rows + rowsize * r;
		struct rowinfo *ri = row;
		ri->line = t.rows[r].line;
		for (int i = 0; i < ncols; i++)
			if (spec[i].type == FT_TEXT || spec[i].type == FT_ID)
				*(const char **)((char *)row + spec[i].off) =
					"";
		if (init)
			init(row);
		for (int i = 0; i < ncols; i++) {
			const char *v = field_of[i] >= 0 ?
					t.rows[r].fields[field_of[i]] : "";
			if (!v[0]) {
				if (spec[i].required)
					diag_error(d, file, ri->line,
						   L->colname[i], NULL,
						   "value missing");
				continue;
			}
			const char *e = parse_value(&spec[i], v, row);
			if (e)
				diag_error(d, file, ri->line, L->colname[i], v,
					   "%s", e);
			else
				ri->has |= (uint64_t)1 << i;
		}
	}
	*nrows = t.nrows;
	return rows;
}

/* ---- defaults ---------------------------------------------------------- */

static void contract_init(void *p)
{
	struct contract *c = p;
	c->cycle_months = 1;
	c->parts_pct = 100 * PCT_SCALE;
	c->tax_pct = 6 * PCT_SCALE;
	c->goods_tax_pct = 13 * PCT_SCALE;
	c->payment_days = 10;
	c->currency = "CNY";
	c->type = -1;
	c->service_days = 0x7f;                 /* every day, */
	c->service_hours.close = 24 * 60;       /* all day */
}

static void record_init(void *p)
{
	struct record *r = p;
	r->level = 1;
	r->cause = CAUSE_COVERED;
	r->type = -1;
}

static void qty_one_init(void *p)
{
	((struct charge *)p)->qty = 1 * CENTI;
}

/* ---- lookup ------------------------------------------------------------ */

#define DEFINE_FIND(fn, type, arr, n, key)                                   \
	type *fn(const struct dataset *ds, const char *id)                   \
	{                                                                    \
		size_t lo = 0, hi = ds->n;                                   \
		while (lo < hi) {                                            \
			size_t mid = lo + (hi - lo) / 2;                     \
			int c = strcmp(ds->arr[mid].key, id);                \
			if (c == 0)                                          \
				return &ds->arr[mid];                        \
			if (c < 0)                                           \
				lo = mid + 1;                                \
			else                                                 \
				hi = mid;                                    \
		}                                                            \
		return NULL;                                                 \
	}

DEFINE_FIND(find_client, struct client, clients, nclients, id)
DEFINE_FIND(find_contract, struct contract, contracts, ncontracts, id)
DEFINE_FIND(find_device, struct device, devices, ndevices, id)
DEFINE_FIND(find_record, struct record, records, nrecords, id)
DEFINE_FIND(find_part, struct part, parts, nparts, part_no)

/* Sort rows by their id (at key_off, a char *), ties by line, and report
 * each later duplicate naming the line of the first. */
static int by_key_then_line(const void *x, const void *y, void *key_off)
{
	size_t off = *(const size_t *)key_off;
	const char *a = *(char *const *)((const char *)x + off);
	const char *b = *(char *const *)((const char *)y + off);
	int c = strcmp(a, b);
	if (c)
		return c;
	long la = ((const struct rowinfo *)x)->line;
	long lb = ((const struct rowinfo *)y)->line;
	return (la > lb) - (la < lb);
}

static void sort_unique(void *rows, size_t n, size_t size, size_t key_off,
			const struct loaded *L, int key_col, struct diag *d)
{
	if (!rows || n == 0)
		return;
	qsort_r(rows, n, size, by_key_then_line, &key_off);
	for (size_t i = 1; i < n; i++) {
		char *prev = (char *)rows + (i - 1) * size;
		char *cur = (char *)rows + i * size;
		const char *a = *(char **)(prev + key_off);
		const char *b = *(char **)(cur + key_off);
		if (a[0] && strcmp(a, b) == 0) {
			/* the first occurrence is the earliest of the run */
			long first = ((struct rowinfo *)prev)->line;
			for (size_t k = i - 1; k > 0; k--) {
				char *pk = (char *)rows + (k - 1) * size;
				if (strcmp(*(char **)(pk + key_off), a) != 0)
					break;
				first = ((struct rowinfo *)pk)->line;
			}
			diag_error(d, L->file, ((struct rowinfo *)cur)->line,
				   L->colname[key_col], b,
				   "duplicate id, first on line %ld", first);
		}
	}
}

/* ---- cross-file rules -------------------------------------------------- */

struct files {
	struct loaded issuer, clients, contracts, rates, devices, records,
		      parts, part_uses, charges, payments, holidays, fapiao_items;
};

static int has(const void *row, int col)
{
	return (((const struct rowinfo *)row)->has >> col) & 1;
}

static int valid_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 12)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static void check_issuer(struct dataset *ds, struct issuer *rows, size_t n,
			 struct loaded *L, struct diag *d)
{
	if (!L->present)
		return;
	if (n == 0) {
		diag_error(d, L->file, 1, NULL, NULL,
			   "the issuing company's row is missing");
		return;
	}
	if (n > 1)
		diag_error(d, L->file, rows[1].ri.line, NULL, NULL,
			   "issuer.csv must have exactly one row");
	ds->issuer = rows[0];
	struct issuer *is = &ds->issuer;
	if (!is->invoice_prefix[0])
		is->invoice_prefix = "INV";
	else if (!valid_prefix(is->invoice_prefix))
		diag_error(d, L->file, is->ri.line, L->colname[9],
			   is->invoice_prefix,
			   "an invoice prefix is 1 to 12 letters or digits");
	else if (strcasecmp(is->invoice_prefix, "CN") == 0)
		diag_error(d, L->file, is->ri.line, L->colname[9],
			   is->invoice_prefix,
			   "CN is reserved for credit notes");
}

/* Which files references are checked against.  A reference into a file
 * that could not be read, or whose rows were malformed, is not checked:
 * the file's own problems were reported, and every row naming a row that
 * was left out would only repeat them. */
struct refs {
	int clients, contracts, rates, devices, records, parts;
};

static void check_contracts(struct dataset *ds, const struct refs *ok,
			    struct loaded *L,
			    struct diag *d)
{
	for (size_t i = 0; i < ds->ncontracts; i++) {
		struct contract *c = &ds->contracts[i];
		long line = c->ri.line;
		if (c->client_id[0] && !(c->client = find_client(ds, c->client_id))
		    && ok->clients)
			diag_error(d, L->file, line, L->colname[1],
				   c->client_id, "no such client in clients.csv");
		if (has(c, 3) && has(c, 4) && c->end < c->start)
			diag_error(d, L->file, line, L->colname[4], NULL,
				   "the contract ends before it starts");
		if (has(c, 5) && c->cycle_months != 1 &&
		    c->cycle_months != 2 && c->cycle_months != 3 &&
		    c->cycle_months != 4 && c->cycle_months != 6 &&
		    c->cycle_months != 12) {
			char v[24];
			snprintf(v, sizeof v, "%lld",
				 (long long)c->cycle_months);
			diag_error(d, L->file, line, L->colname[5], v,
				   "a cycle is 1, 2, 3, 4, 6 or 12 months");
		}
		if (!has(c, CC_SLA_EMERGENCY))
			c->sla_emergency_hours = c->sla_hours;
		c->has_window = has(c, CC_SERVICE_DAYS) ||
				has(c, CC_SERVICE_HOURS);
		if (c->pm_months > PM_MONTHS_MAX) {
			char v[24];
			snprintf(v, sizeof v, "%lld", (long long)c->pm_months);
			diag_error(d, L->file, line, L->colname[CC_PM_MONTHS],
				   v, "a preventive cycle is at most %d months",
				   PM_MONTHS_MAX);
		}
		if (c->type == CT_WEBSITE) {
			const char *e = c->monthly_fee_text[0] ?
				parse_input_money(c->monthly_fee_text, 0,
						  &c->monthly_fee) :
				"value missing (required for website "
				"contracts)";
			if (e)
				diag_error(d, L->file, line, L->colname[6],
					   c->monthly_fee_text[0] ?
					   c->monthly_fee_text : NULL, "%s", e);
		}
		if (c->type == CT_PRICE_PERCENT) {
			const char *e = c->annual_pct_text[0] ?
				parse_input_percent(c->annual_pct_text,
						    &c->annual_pct) :
				"value missing (required for price_percent "
				"contracts)";
			if (e)
				diag_error(d, L->file, line, L->colname[7],
					   c->annual_pct_text[0] ?
					   c->annual_pct_text : NULL, "%s", e);
		}
	}
}

static int rate_cmp(const struct rate *r, const char *contract,
		    const char *class)
{
	int c = strcmp(r->contract_id, contract);
	return c ? c : strcmp(r->class, class);
}

static int by_rate_key(const void *x, const void *y)
{
	const struct rate *a = x, *b = y;
	int c = rate_cmp(a, b->contract_id, b->class);
	return c ? c : (a->ri.line > b->ri.line) - (a->ri.line < b->ri.line);
}

/* The first rate row for (contract, class); ds->rates is sorted. */
static const struct rate *find_rate(const struct dataset *ds,
				    const char *contract, const char *class)
{
	size_t lo = 0, hi = ds->nrates;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rate_cmp(&ds->rates[mid], contract, class) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ds->nrates && rate_cmp(&ds->rates[lo], contract, class) == 0)
		return &ds->rates[lo];
	return NULL;
}

static void check_rates(struct dataset *ds, const struct refs *ok,
			struct loaded *L, struct diag *d)
{
	if (ds->nrates)
		qsort(ds->rates, ds->nrates, sizeof *ds->rates, by_rate_key);
	for (size_t i = 0; i < ds->nrates; i++) {
		struct rate *r = &ds->rates[i];
		if (!r->contract_id[0] || !r->class[0])
			continue;
		if (!find_contract(ds, r->contract_id) && ok->contracts)
			diag_error(d, L->file, r->ri.line, L->colname[0],
				   r->contract_id,
				   "no such contract in contracts.csv");
		const struct rate *first = find_rate(ds, r->contract_id,
						     r->class);
		if (first != r)
			diag_error(d, L->file, r->ri.line, L->colname[1],
				   r->class, "a rate for this contract and "
				   "class is already on line %ld",
				   first->ri.line);
	}
}

/* Devices of each contract, in device_id order (ds->devices is sorted). */
static void attach_devices(struct dataset *ds, struct arena *a)
{
	for (size_t i = 0; i < ds->ndevices; i++)
		if (ds->devices[i].contract)
			ds->devices[i].contract->ndevices++;
	for (size_t i = 0; i < ds->ncontracts; i++) {
		struct contract *c = &ds->contracts[i];
		c->devices = arena_alloc(a, sizeof *c->devices *
					 (c->ndevices + 1));
		c->ndevices = 0;
	}
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct contract *c = ds->devices[i].contract;
		if (c)
			c->devices[c->ndevices++] = &ds->devices[i];
	}
}

static void check_devices(struct dataset *ds, const struct refs *ok,
			    struct loaded *L,
			  struct diag *d)
{
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct device *v = &ds->devices[i];
		long line = v->ri.line;
		if (!v->contract_id[0])
			continue;
		struct contract *c = find_contract(ds, v->contract_id);
		v->contract = c;
		if (!c) {
			if (ok->contracts)
				diag_error(d, L->file, line, L->colname[1],
					   v->contract_id,
					   "no such contract in contracts.csv");
			continue;
		}
		if (!has(v, DC_FROM))
			v->from = c->start;
		if (!has(v, DC_TO))
			v->to = c->end;
		if (v->to < v->from) {
			char from[11];
			date_format(v->from, from);
			diag_error(d, L->file, line, L->colname[DC_TO], NULL,
				   "the device leaves before it joins on %s%s",
				   from, has(v, DC_FROM) ? "" :
				   " (the contract's start)");
		}
		if (c->type == CT_DEVICE_MONTHLY && v->class[0]) {
			const struct rate *r = find_rate(ds, c->id, v->class);
			if (r)
				v->rate = r->monthly_fee;
			else if (ok->rates)
				diag_error(d, L->file, line, L->colname[2],
					   v->class, "no rate in rates.csv for "
					   "this class on contract %s", c->id);
		}
		if (c->type == CT_PRICE_PERCENT) {
			const char *e = v->purchase_price_text[0] ?
				parse_input_money(v->purchase_price_text, 0,
						  &v->purchase_price) :
				"value missing (required on price_percent "
				"contracts)";
			if (e)
				diag_error(d, L->file, line, L->colname[6],
					   v->purchase_price_text[0] ?
					   v->purchase_price_text : NULL, "%s", e);
		}
	}
}

int record_order(const void *x, const void *y)
{
	const struct record *a = *(struct record *const *)x;
	const struct record *b = *(struct record *const *)y;
	if (a->completed_at != b->completed_at)
		return a->completed_at < b->completed_at ? -1 : 1;
	return strcmp(a->id, b->id);
}

int record_month(const struct record *r)
{
	int64_t t = r->completed_at;
	return month_of(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

static void check_records(struct dataset *ds, const struct refs *ok,
			  struct loaded *L,
			  struct diag *d, struct arena *a)
{
	for (size_t i = 0; i < ds->nrecords; i++) {
		struct record *r = &ds->records[i];
		long line = r->ri.line;
		if (r->device_id[0] && !(r->device = find_device(ds, r->device_id))
		    && ok->devices)
			diag_error(d, L->file, line, L->colname[1],
				   r->device_id, "no such device in devices.csv");
		if (has(r, 8) && (r->level < 1 || r->level > 4)) {
			char v[24];
			snprintf(v, sizeof v, "%lld", (long long)r->level);
			diag_error(d, L->file, line, L->colname[8], v,
				   "a repair level is 1, 2, 3 or 4");
		}
		int called = has(r, RC_CALLED), arrived = has(r, RC_ARRIVED),
		    completed = has(r, RC_COMPLETED);
		if (called && arrived && r->arrived_at < r->called_at)
			diag_error(d, L->file, line, L->colname[RC_ARRIVED],
				   NULL, "arrival is before the call");
		if (arrived && completed && r->completed_at < r->arrived_at)
			diag_error(d, L->file, line, L->colname[RC_COMPLETED],
				   NULL, "completion is before arrival");
		if (called && !arrived && completed &&
		    r->completed_at < r->called_at)
			diag_error(d, L->file, line, L->colname[RC_COMPLETED],
				   NULL, "completion is before the call");
		if (r->level <= 2) {
			static const int cols[3] = { 12, 13, 14 };
			const int64_t vals[3] = { r->oem_quote, r->freight,
						  r->duty };
			for (int k = 0; k < 3; k++)
				if (vals[k] != 0)
					diag_error(d, L->file, line,
						   L->colname[cols[k]], NULL,
						   "manufacturer charges are "
						   "only for level 3 or 4 "
						   "repairs (level %lld)",
						   (long long)r->level);
		}
	}
	/* each device's history, in completion order */
	for (size_t i = 0; i < ds->nrecords; i++)
		if (ds->records[i].device)
			ds->records[i].device->nrecords++;
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct device *v = &ds->devices[i];
		v->records = arena_alloc(a, sizeof *v->records *
					 (v->nrecords + 1));
		v->nrecords = 0;
	}
	for (size_t i = 0; i < ds->nrecords; i++) {
		struct device *v = ds->records[i].device;
		if (v)
			v->records[v->nrecords++] = &ds->records[i];
	}
	for (size_t i = 0; i < ds->ndevices; i++)
		qsort(ds->devices[i].records, ds->devices[i].nrecords,
		      sizeof(struct record *), record_order);
}

static void check_part_uses(struct dataset *ds, const struct refs *ok,
			    struct loaded *L,
			    struct diag *d, struct arena *a)
{
	for (size_t i = 0; i < ds->npart_uses; i++) {
		struct part_use *u = &ds->part_uses[i];
		long line = u->ri.line;
		struct record *r = find_record(ds, u->record_id);
		if (u->record_id[0] && !r && ok->records)
			diag_error(d, L->file, line, L->colname[0],
				   u->record_id,
				   "no such record in service_records.csv");
		if (r)
			r->nparts++;
		if (!u->part_no[0])
			continue;
		u->part = find_part(ds, u->part_no);
		if (!has(u, PU_LIST_PRICE)) {
			if (u->part)
				u->list_price = u->part->list_price;
			else if (ok->parts)
				diag_error(d, L->file, line, L->colname[1],
					   u->part_no, "not in parts.csv, so "
					   "the row needs a list_price");
		}
	}
	for (size_t i = 0; i < ds->nrecords; i++) {
		struct record *r = &ds->records[i];
		r->parts = arena_alloc(a, sizeof *r->parts * (r->nparts + 1));
		r->nparts = 0;
	}
	for (size_t i = 0; i < ds->npart_uses; i++) {
		struct part_use *u = &ds->part_uses[i];
		struct record *r = find_record(ds, u->record_id);
		if (r)
			r->parts[r->nparts++] = u;
	}
}

static void check_charges(struct dataset *ds, const struct refs *ok,
			    struct loaded *L,
			  struct diag *d)
{
	for (size_t i = 0; i < ds->ncharges; i++) {
		struct charge *c = &ds->charges[i];
		if (c->contract_id[0] && !find_contract(ds, c->contract_id) &&
		    ok->contracts)
			diag_error(d, L->file, c->ri.line, L->colname[0],
				   c->contract_id,
				   "no such contract in contracts.csv");
	}
}

static void check_payments(struct dataset *ds, struct loaded *L,
			   struct diag *d)
{
	for (size_t i = 0; i < ds->npayments; i++) {
		struct payment *p = &ds->payments[i];
		if (has(p, 2) && p->amount == 0)
			diag_error(d, L->file, p->ri.line, L->colname[2], "0",
				   "a payment must be more than 0");
	}
}

static int by_date_then_line(const void *x, const void *y)
{
	const struct holiday *a = x, *b = y;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->ri.line > b->ri.line) - (a->ri.line < b->ri.line);
}

/* holidays.csv: sorted by date for the SLA clock; one row per date. */
static void check_holidays(struct dataset *ds, struct loaded *L,
			   struct diag *d)
{
	if (ds->nholidays)
		qsort(ds->holidays, ds->nholidays, sizeof *ds->holidays,
		      by_date_then_line);
	size_t first = 0;
	for (size_t i = 1; i < ds->nholidays; i++) {
		struct holiday *h = &ds->holidays[i];
		if (!has(h, 0) || h->date != ds->holidays[i - 1].date ||
		    !has(&ds->holidays[i - 1], 0)) {
			first = i;
			continue;
		}
		char v[11];
		date_format(h->date, v);
		diag_error(d, L->file, h->ri.line, L->colname[0], v,
			   "this date is already on line %ld",
			   ds->holidays[first].ri.line);
	}
}

/* fapiao_items.csv: a known kind, once; a tax code of 19 digits. */
static void check_fapiao_items(struct dataset *ds, struct loaded *L,
			       struct diag *d)
{
	static const char *const kinds[] = {
		"recurring", "trueup", "labour", "parts", "oem", "sla",
		"late_fee", "charge_service", "charge_goods",
	};
	for (size_t i = 0; i < ds->nfapiao_items; i++) {
		const struct fapiao_item *f = &ds->fapiao_items[i];
		int known = 0;
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
			known |= strcmp(f->kind, kinds[k]) == 0;
		if (f->kind[0] && !known)
			diag_error(d, L->file, f->ri.line, L->colname[0],
				   f->kind, "not a kind of line; use recurring, "
				   "trueup, labour, parts, oem, sla, late_fee, "
				   "charge_service or charge_goods");
		size_t n = strlen(f->tax_code);
		int digits = n == 19;
		for (size_t k = 0; k < n; k++)
			digits &= f->tax_code[k] >= '0' && f->tax_code[k] <= '9';
		if (n && !digits)
			diag_error(d, L->file, f->ri.line, L->colname[1],
				   f->tax_code, "a tax classification code has "
				   "19 digits");
	}
	sort_unique(ds->fapiao_items, ds->nfapiao_items,
		    sizeof(struct fapiao_item),
		    offsetof(struct fapiao_item, kind), L, 0, d);
}

#define LOAD(field, n, name, opt, cols, type, init, L)                       \
	ds->field = load_file(dir, name, opt, cols, NCOLS(cols),              \
			      sizeof(type), init, a, d, &(L), &ds->n)

void load_dataset(const char *dir, struct arena *a, struct diag *d,
		  struct dataset *ds)
{
	memset(ds, 0, sizeof *ds);
	struct files F;
	size_t nissuer;
	struct issuer *issuer = load_file(dir, "issuer.csv", 0, issuer_cols,
					  NCOLS(issuer_cols),
					  sizeof(struct issuer), NULL, a, d,
					  &F.issuer, &nissuer);
	LOAD(clients, nclients, "clients.csv", 0, client_cols, struct client,
	     NULL, F.clients);
	LOAD(contracts, ncontracts, "contracts.csv", 0, contract_cols,
	     struct contract, contract_init, F.contracts);
	LOAD(rates, nrates, "rates.csv", 0, rate_cols, struct rate, NULL,
	     F.rates);
	LOAD(devices, ndevices, "devices.csv", 0, device_cols, struct device,
	     NULL, F.devices);
	LOAD(records, nrecords, "service_records.csv", 0, record_cols,
	     struct record, record_init, F.records);
	LOAD(parts, nparts, "parts.csv", 1, part_cols, struct part, NULL,
	     F.parts);
	LOAD(part_uses, npart_uses, "parts_used.csv", 1, part_use_cols,
	     struct part_use, NULL, F.part_uses);
	LOAD(charges, ncharges, "charges.csv", 1, charge_cols, struct charge,
	     qty_one_init, F.charges);
	LOAD(payments, npayments, "payments.csv", 1, payment_cols,
	     struct payment, NULL, F.payments);
	LOAD(holidays, nholidays, "holidays.csv", 1, holiday_cols,
	     struct holiday, NULL, F.holidays);
	LOAD(fapiao_items, nfapiao_items, "fapiao_items.csv", 1,
	     fapiao_item_cols, struct fapiao_item, NULL, F.fapiao_items);

	struct refs ok = {
		.clients = F.clients.present && !F.clients.errors,
		.contracts = F.contracts.present && !F.contracts.errors,
		.rates = F.rates.present && !F.rates.errors,
		.devices = F.devices.present && !F.devices.errors,
		.records = F.records.present && !F.records.errors,
		/* parts.csv is optional: absent, it is an empty catalogue */
		.parts = (F.parts.present && !F.parts.errors) || !F.parts.tried,
	};
	check_issuer(ds, issuer, nissuer, &F.issuer, d);
	sort_unique(ds->clients, ds->nclients, sizeof(struct client),
		    offsetof(struct client, id), &F.clients, 0, d);
	sort_unique(ds->contracts, ds->ncontracts, sizeof(struct contract),
		    offsetof(struct contract, id), &F.contracts, 0, d);
	sort_unique(ds->devices, ds->ndevices, sizeof(struct device),
		    offsetof(struct device, id), &F.devices, 0, d);
	sort_unique(ds->records, ds->nrecords, sizeof(struct record),
		    offsetof(struct record, id), &F.records, 0, d);
	sort_unique(ds->parts, ds->nparts, sizeof(struct part),
		    offsetof(struct part, part_no), &F.parts, 0, d);
	check_contracts(ds, &ok, &F.contracts, d);
	check_rates(ds, &ok, &F.rates, d);
	check_devices(ds, &ok, &F.devices, d);
	attach_devices(ds, a);
	check_records(ds, &ok, &F.records, d, a);
	check_part_uses(ds, &ok, &F.part_uses, d, a);
	check_charges(ds, &ok, &F.charges, d);
	check_payments(ds, &F.payments, d);
	check_holidays(ds, &F.holidays, d);
	check_fapiao_items(ds, &F.fapiao_items, d);
	/* a new data folder (svcbill init): say what is still to fill in */
	if (F.clients.present && !F.clients.errors && !ds->nclients)
		diag_warning(d, F.clients.file, 1, NULL, NULL, "no clients "
			     "yet: add one row per client");
	if (F.contracts.present && !F.contracts.errors && !ds->ncontracts)
		diag_warning(d, F.contracts.file, 1, NULL, NULL, "no "
			     "contracts yet: nothing to bill");
}

int load_template_header(const char *name, char *out, size_t outlen)
{
	static const struct {
		const char *name;
		const struct colspec *cols;
		int n;
	} files[] = {
#define TPL(f, c) { f, c, NCOLS(c) }
		TPL("issuer.csv", issuer_cols), TPL("clients.csv", client_cols),
		TPL("contracts.csv", contract_cols), TPL("rates.csv", rate_cols),
		TPL("devices.csv", device_cols),
		TPL("service_records.csv", record_cols),
		TPL("parts.csv", part_cols), TPL("parts_used.csv", part_use_cols),
		TPL("charges.csv", charge_cols),
		TPL("payments.csv", payment_cols),
		TPL("holidays.csv", holiday_cols),
		TPL("fapiao_items.csv", fapiao_item_cols),
#undef TPL
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		if (strcmp(files[i].name, name) != 0)
			continue;
		size_t len = 0;
		for (int k = 0; k < files[i].n; k++) {
			const struct colspec *c = &files[i].cols[k];
			int w = snprintf(out + len, outlen - len, "%s%s",
					 k ? "," : "", c->zh ? c->zh : c->en);
			if (w < 0 || (size_t)w >= outlen - len)
				return -1;
			len += (size_t)w;
		}
		return 0;
	}
	return -1;
}
