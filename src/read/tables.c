/* tables.c - see tables.h.
 *
 * Each table is a list of COL(id, ...) rows in id order: the id is what
 * code outside this file uses to name a column (row_has(), messages), so
 * the order of the rows only has to agree with the enums of model.h, and
 * tables_check() fails the program at start-up when it does not (the
 * count is checked by the compiler). */
#include "read/tables.h"
#include "read/fields.h"
#include "read/load.h"
#include "read/model.h"

#include <stdio.h>
#include <string.h>

static const struct colspec issuer_cols[] = {
	COL(ISSUER_NAME_ZH, struct issuer, name_zh, "name_zh",
	    "公司名称", FT_TEXT, 1),
	COL(ISSUER_NAME_EN, struct issuer, name_en, "name_en",
	    "英文名称", FT_TEXT, 0),
	COL(ISSUER_ADDRESS, struct issuer, address, "address",
	    "地址", FT_TEXT, 0),
	COL(ISSUER_POSTCODE, struct issuer, postcode, "postcode",
	    "邮编", FT_TEXT, 0),
	COL(ISSUER_PHONE, struct issuer, phone, "phone", "电话", FT_TEXT, 0),
	COL(ISSUER_FAX, struct issuer, fax, "fax", "传真", FT_TEXT, 0),
	COL(ISSUER_TAX_ID, struct issuer, tax_id, "tax_id",
	    "纳税人识别号", FT_TEXT, 0),
	COL(ISSUER_BANK_NAME, struct issuer, bank_name, "bank_name",
	    "开户行", FT_TEXT, 0),
	COL(ISSUER_BANK_ACCOUNT, struct issuer, bank_account, "bank_account",
	    "账号", FT_TEXT, 0),
	COL(ISSUER_INVOICE_PREFIX, struct issuer, invoice_prefix, "invoice_prefix",
	    "发票前缀", FT_TEXT, 0),
};

static const struct colspec client_cols[] = {
	COL(CLIENT_ID, struct client, id, "client_id", "客户编号", FT_ID, 1),
	COL(CLIENT_NAME_ZH, struct client, name_zh, "name_zh",
	    "客户名称", FT_TEXT, 1),
	COL(CLIENT_NAME_EN, struct client, name_en, "name_en",
	    "英文名称", FT_TEXT, 0),
	COL(CLIENT_ADDRESS, struct client, address, "address",
	    "地址", FT_TEXT, 0),
	COL(CLIENT_POSTCODE, struct client, postcode, "postcode",
	    "邮编", FT_TEXT, 0),
	COL(CLIENT_PHONE, struct client, phone, "phone", "电话", FT_TEXT, 0),
	COL(CLIENT_FAX, struct client, fax, "fax", "传真", FT_TEXT, 0),
	COL(CLIENT_CONTACT, struct client, contact, "contact",
	    "联系人", FT_TEXT, 0),
	COL(CLIENT_TAX_ID, struct client, tax_id, "tax_id",
	    "纳税人识别号", FT_TEXT, 0),
};

static const struct colspec contract_cols[] = {
	COL(CONTRACT_ID, struct contract, id, "contract_id", "合同编号", FT_ID, 1),
	COL(CONTRACT_CLIENT_ID, struct contract, client_id, "client_id",
	    "客户编号", FT_TEXT, 1),
	COL(CONTRACT_TYPE, struct contract, type, "type", "合同类型", FT_CTYPE, 1),
	COL(CONTRACT_START, struct contract, start, "start",
	    "起始日期", FT_DATE, 1),
	COL(CONTRACT_END, struct contract, end, "end", "终止日期", FT_DATE, 1),
	COL(CONTRACT_CYCLE_MONTHS, struct contract, cycle_months, "cycle_months",
	    "结算周期", FT_INT, 0),
	COL(CONTRACT_MONTHLY_FEE, struct contract, monthly_fee_text, "monthly_fee",
	    "月费", FT_LATER, 0),
	COL(CONTRACT_ANNUAL_PCT, struct contract, annual_pct_text, "annual_pct",
	    "年费率", FT_LATER, 0),
	COL(CONTRACT_PARTS_PCT, struct contract, parts_pct, "parts_pct",
	    "零件计价比例", FT_PERCENT, 0),
	COL(CONTRACT_LABOUR_RATE, struct contract, labour_rate, "labour_rate",
	    "工时费", FT_MONEY, 0),
	COL(CONTRACT_TAX_PCT, struct contract, tax_pct, "tax_pct",
	    "服务税率", FT_PERCENT, 0),
	COL(CONTRACT_GOODS_TAX_PCT, struct contract, goods_tax_pct, "goods_tax_pct",
	    "货物税率", FT_PERCENT, 0),
	COL(CONTRACT_PAYMENT_DAYS, struct contract, payment_days, "payment_days",
	    "付款天数", FT_PAYDAYS, 0),
	COL(CONTRACT_LATE_FEE_PCT, struct contract, late_fee_pct, "late_fee_pct",
	    "日违约金率", FT_PERCENT, 0),
	COL(CONTRACT_SLA_HOURS, struct contract, sla_hours, "sla_hours",
	    "响应时限", FT_HOURS, 0),
	COL(CONTRACT_SLA_EMERGENCY_HOURS, struct contract, sla_emergency_hours, "sla_emergency_hours",
	    "紧急响应时限", FT_HOURS, 0),
	COL(CONTRACT_SLA_PENALTY, struct contract, sla_penalty, "sla_penalty",
	    "每日违约金", FT_MONEY, 0),
	COL(CONTRACT_CURRENCY, struct contract, currency, "currency",
	    "币种", FT_TEXT, 0),
	/* the service window and preventive schedule (rules.md §2.4) */
	COL(CONTRACT_SERVICE_DAYS, struct contract, service_days, "service_days",
	    "服务日", FT_DAYS, 0),
	COL(CONTRACT_SERVICE_HOURS, struct contract, service_hours, "service_hours",
	    "服务时段", FT_SPAN, 0),
	COL(CONTRACT_PM_MONTHS, struct contract, pm_months, "pm_months",
	    "保养周期", FT_INT, 0),
};

static const struct colspec rate_cols[] = {
	COL(RATE_CONTRACT_ID, struct rate, contract_id, "contract_id",
	    "合同编号", FT_TEXT, 1),
	COL(RATE_CLASS, struct rate, class, "class", "设备类别", FT_TEXT, 1),
	COL(RATE_MONTHLY_FEE, struct rate, monthly_fee, "monthly_fee",
	    "月费", FT_MONEY, 1),
};

static const struct colspec device_cols[] = {
	COL(DEVICE_ID, struct device, id, "device_id", "产品编号", FT_ID, 1),
	COL(DEVICE_CONTRACT_ID, struct device, contract_id, "contract_id",
	    "合同编号", FT_TEXT, 1),
	COL(DEVICE_CLASS, struct device, class, "class", "设备类别", FT_TEXT, 1),
	COL(DEVICE_MODEL, struct device, model, "model", "型号", FT_TEXT, 0),
	COL(DEVICE_SERIAL, struct device, serial, "serial", "序列号", FT_TEXT, 0),
	COL(DEVICE_INSTALL_DATE, struct device, install_date, "install_date",
	    "装置日期", FT_DATE, 0),
	COL(DEVICE_PURCHASE_PRICE, struct device, purchase_price_text, "purchase_price",
	    "原购买价", FT_LATER, 0),
	COL(DEVICE_LOCATION, struct device, location, "location",
	    "地址", FT_TEXT, 0),
	COL(DEVICE_FROM, struct device, from, "from", "加入日期", FT_DATE, 0),
	COL(DEVICE_TO, struct device, to, "to", "退出日期", FT_DATE, 0),
	COL(DEVICE_CONTACT, struct device, contact, "contact",
	    "联系人", FT_TEXT, 0),
	COL(DEVICE_CONTACT_PHONE, struct device, contact_phone, "contact_phone",
	    "叫修电话", FT_TEXT, 0),
	COL(DEVICE_CPU, struct device, cpu, "cpu", NULL, FT_TEXT, 0),
	COL(DEVICE_MEMORY, struct device, memory, "memory", "内存", FT_TEXT, 0),
	COL(DEVICE_DISK, struct device, disk, "disk", "硬盘", FT_TEXT, 0),
	COL(DEVICE_MAINBOARD, struct device, mainboard, "mainboard",
	    "主板", FT_TEXT, 0),
	COL(DEVICE_MONITOR, struct device, monitor, "monitor",
	    "显示器", FT_TEXT, 0),
	COL(DEVICE_NOTE, struct device, note, "note", "备注", FT_TEXT, 0),
};

static const struct colspec record_cols[] = {
	COL(RECORD_ID, struct record, id, "record_id", "单号", FT_ID, 1),
	COL(RECORD_DEVICE_ID, struct record, device_id, "device_id",
	    "产品编号", FT_TEXT, 1),
	COL(RECORD_TYPE, struct record, type, "type", "类型", FT_RTYPE, 1),
	COL(RECORD_CALLED_AT, struct record, called_at, "called_at",
	    "叫修时间", FT_DATETIME, 0),
	COL(RECORD_ARRIVED_AT, struct record, arrived_at, "arrived_at",
	    "到场时间", FT_DATETIME, 0),
	COL(RECORD_COMPLETED_AT, struct record, completed_at, "completed_at",
	    "修复时间", FT_DATETIME, 1),
	COL(RECORD_FAULT, struct record, fault, "fault", "故障摘要", FT_TEXT, 0),
	COL(RECORD_CAUSE, struct record, cause, "cause", "原因", FT_CAUSE, 0),
	COL(RECORD_LEVEL, struct record, level, "level", "维修级别", FT_INT, 0),
	COL(RECORD_TECHNICIAN, struct record, technician, "technician",
	    "维修人员", FT_TEXT, 0),
	COL(RECORD_SIGNED_BY, struct record, signed_by, "signed_by",
	    "甲方签认", FT_TEXT, 0),
	COL(RECORD_LABOUR_HOURS, struct record, labour_hours, "labour_hours",
	    "工时", FT_HOURS, 0),
	COL(RECORD_OEM_QUOTE, struct record, oem_quote, "oem_quote",
	    "原厂报价", FT_MONEY, 0),
	COL(RECORD_FREIGHT, struct record, freight, "freight",
	    "运费", FT_MONEY, 0),
	COL(RECORD_DUTY, struct record, duty, "duty", "关税", FT_MONEY, 0),
};

static const struct colspec part_cols[] = {
	COL(PART_NO, struct part, part_no, "part_no", "零件编号", FT_ID, 1),
	COL(PART_NAME_ZH, struct part, name_zh, "name_zh", "名称", FT_TEXT, 1),
	COL(PART_NAME_EN, struct part, name_en, "name_en", "英文名称", FT_TEXT, 0),
	COL(PART_LIST_PRICE, struct part, list_price, "list_price",
	    "定价", FT_MONEY, 1),
};

static const struct colspec part_use_cols[] = {
	COL(PART_USE_RECORD_ID, struct part_use, record_id, "record_id",
	    "单号", FT_TEXT, 1),
	COL(PART_USE_PART_NO, struct part_use, part_no, "part_no",
	    "零件编号", FT_TEXT, 1),
	COL(PART_USE_QTY, struct part_use, qty, "qty", "数量", FT_QTY, 1),
	COL(PART_USE_LIST_PRICE, struct part_use, list_price, "list_price",
	    "定价", FT_MONEY, 0),
};

static const struct colspec charge_cols[] = {
	COL(CHARGE_CONTRACT_ID, struct charge, contract_id, "contract_id",
	    "合同编号", FT_TEXT, 1),
	COL(CHARGE_DATE, struct charge, date, "date", "日期", FT_DATE, 1),
	COL(CHARGE_DESCRIPTION_ZH, struct charge, description_zh, "description_zh",
	    "项目", FT_TEXT, 1),
	COL(CHARGE_DESCRIPTION_EN, struct charge, description_en, "description_en",
	    "英文项目", FT_TEXT, 0),
	COL(CHARGE_QTY, struct charge, qty, "qty", "数量", FT_QTY, 0),
	COL(CHARGE_UNIT_PRICE, struct charge, unit_price, "unit_price",
	    "单价", FT_MONEY_NEG, 1),
	COL(CHARGE_CATEGORY, struct charge, category, "category",
	    "类别", FT_CATEGORY, 0),
};

static const struct colspec payment_cols[] = {
	COL(PAYMENT_INVOICE_NO, struct payment, invoice_no, "invoice_no",
	    "发票号", FT_TEXT, 1),
	COL(PAYMENT_PAID_ON, struct payment, paid_on, "paid_on",
	    "付款日期", FT_DATE, 1),
	COL(PAYMENT_AMOUNT, struct payment, amount, "amount",
	    "金额", FT_MONEY, 1),
};

static const struct colspec holiday_cols[] = {
	COL(HOLIDAY_DATE, struct holiday, date, "date", "日期", FT_DATE, 1),
	COL(HOLIDAY_KIND, struct holiday, kind, "kind", "类型", FT_HKIND, 1),
	COL(HOLIDAY_NAME, struct holiday, name, "name", "名称", FT_TEXT, 0),
};

static const struct colspec fapiao_item_cols[] = {
	COL(FAPIAO_ITEM_KIND, struct fapiao_item, kind, "kind",
	    "项目类别", FT_TEXT, 1),
	COL(FAPIAO_ITEM_TAX_CODE, struct fapiao_item, tax_code, "tax_code",
	    "税收分类编码", FT_TEXT, 1),
	COL(FAPIAO_ITEM_ITEM_NAME, struct fapiao_item, item_name, "item_name",
	    "项目名称", FT_TEXT, 1),
	COL(FAPIAO_ITEM_UNIT, struct fapiao_item, unit, "unit",
	    "单位", FT_TEXT, 0),
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

_Static_assert(NCOLS(issuer_cols) == ISSUER_NCOLS, "issuer_cols");
_Static_assert(NCOLS(client_cols) == CLIENT_NCOLS, "client_cols");
_Static_assert(NCOLS(contract_cols) == CONTRACT_NCOLS, "contract_cols");
_Static_assert(NCOLS(rate_cols) == RATE_NCOLS, "rate_cols");
_Static_assert(NCOLS(device_cols) == DEVICE_NCOLS, "device_cols");
_Static_assert(NCOLS(record_cols) == RECORD_NCOLS, "record_cols");
_Static_assert(NCOLS(part_cols) == PART_NCOLS, "part_cols");
_Static_assert(NCOLS(part_use_cols) == PART_USE_NCOLS, "part_use_cols");
_Static_assert(NCOLS(charge_cols) == CHARGE_NCOLS, "charge_cols");
_Static_assert(NCOLS(payment_cols) == PAYMENT_NCOLS, "payment_cols");
_Static_assert(NCOLS(holiday_cols) == HOLIDAY_NCOLS, "holiday_cols");
_Static_assert(NCOLS(fapiao_item_cols) == FAPIAO_ITEM_NCOLS,
	       "fapiao_item_cols");
_Static_assert(CONTRACT_NCOLS <= SCHEMA_MAX_COLS &&
	       DEVICE_NCOLS <= SCHEMA_MAX_COLS, "columns fit rowinfo.has");

/* ---- defaults, set before a row's values are parsed ------------------- */

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

#define TABLE(f, opt, cols, st, init) \
	{ f, opt, cols, NCOLS(cols), sizeof(st), init }

/* in the order the files are read (and their messages print) */
const struct table input_tables[IN_COUNT] = {
	[IN_ISSUER] = TABLE("issuer.csv", 0, issuer_cols, struct issuer, NULL),
	[IN_CLIENTS] = TABLE("clients.csv", 0, client_cols, struct client,
			     NULL),
	[IN_CONTRACTS] = TABLE("contracts.csv", 0, contract_cols,
			       struct contract, contract_init),
	[IN_RATES] = TABLE("rates.csv", 0, rate_cols, struct rate, NULL),
	[IN_DEVICES] = TABLE("devices.csv", 0, device_cols, struct device,
			     NULL),
	[IN_RECORDS] = TABLE("service_records.csv", 0, record_cols,
			     struct record, record_init),
	[IN_PARTS] = TABLE("parts.csv", 1, part_cols, struct part, NULL),
	[IN_PART_USES] = TABLE("parts_used.csv", 1, part_use_cols,
			       struct part_use, NULL),
	[IN_CHARGES] = TABLE("charges.csv", 1, charge_cols, struct charge,
			     qty_one_init),
	[IN_PAYMENTS] = TABLE("payments.csv", 1, payment_cols,
			      struct payment, NULL),
	[IN_HOLIDAYS] = TABLE("holidays.csv", 1, holiday_cols,
			      struct holiday, NULL),
	[IN_FAPIAO_ITEMS] = TABLE("fapiao_items.csv", 1, fapiao_item_cols,
				  struct fapiao_item, NULL),
};

int tables_check(void)
{
	for (int f = 0; f < IN_COUNT; f++)
		if (!input_tables[f].file || schema_check(&input_tables[f]) >= 0)
			return f;
	return -1;
}

int load_template_header(const char *name, char *out, size_t outlen)
{
	for (int f = 0; f < IN_COUNT; f++) {
		const struct table *t = &input_tables[f];
		if (strcmp(t->file, name) != 0)
			continue;
		size_t len = 0;
		for (int k = 0; k < t->ncols; k++) {
			const struct colspec *c = &t->cols[k];
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
