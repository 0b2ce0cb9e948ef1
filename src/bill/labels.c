/* labels.c - see labels.h */
#include "bill/labels.h"
#include "base/arena.h"
#include "read/model.h"
#include "read/words.h"

#include <string.h>

static const struct bilingual labels[L_COUNT] = {
	[L_INVOICE] = { "账单", "INVOICE" },
	[L_CREDIT_NOTE] = { "贷项通知单", "CREDIT NOTE" },
	[L_CLIENT] = { "客户", "Client" },
	[L_INVOICE_NO] = { "账单号", "Invoice No." },
	[L_PERIOD] = { "账期", "Period" },
	[L_ISSUE_DATE] = { "出账日期", "Issue date" },
	[L_DUE_DATE] = { "付款到期日", "Due date" },
	[L_CONTRACT] = { "合同编号", "Contract" },
	[L_CONTRACT_TYPE] = { "合同类型", "Contract type" },
	[L_TAX_ID] = { "纳税人识别号", "Tax ID" },
	[L_PHONE] = { "电话", "Phone" },
	[L_FAX] = { "传真", "Fax" },
	[L_CONTACT] = { "联系人", "Contact" },
	[L_POSTCODE] = { "邮编", "Postcode" },
	[L_NO] = { "序号", "No." },
	[L_DESCRIPTION] = { "项目", "Description" },
	[L_QTY] = { "数量", "Qty" },
	[L_UNIT_PRICE] = { "单价", "Unit price" },
	[L_AMOUNT] = { "金额", "Amount" },
	[L_TAX_RATE] = { "税率", "Tax" },
	[L_NET] = { "不含税金额", "Net" },
	[L_TAX] = { "税额", "Tax" },
	[L_GROSS] = { "价税合计", "Total" },
	[L_AMOUNT_IN_WORDS] = { "大写金额", "Amount in words" },
	[L_SAY] = { "", "Say" },
	[L_BANK] = { "开户行", "Bank" },
	[L_ACCOUNT] = { "账号", "Account" },
	[L_PAYMENT_TERMS] = { "付款条件", "Payment terms" },
	[L_DEVICE_LIST] = { "托管设备清单", "Device list" },
	[L_DEVICE_ID] = { "产品编号", "Device" },
	[L_CLASS] = { "类别", "Class" },
	[L_MODEL] = { "型号", "Model" },
	[L_SERIAL] = { "序列号", "Serial" },
	[L_CPU] = { "CPU", "" },
	[L_MEMORY] = { "内存", "Memory" },
	[L_DISK] = { "硬盘", "Disk" },
	[L_MAINBOARD] = { "主板", "Mainboard" },
	[L_MONITOR] = { "显示器", "Monitor" },
	[L_NOTE] = { "备注", "Note" },
	[L_REPLACES] = { "替代账单", "Replaces" },
	[L_CANCELS] = { "冲销账单", "Cancels invoice" },
	[L_CURRENCY] = { "币种", "Currency" },
	[L_INSTALL_DATE] = { "装置日期", "Installed" },
	[L_LOCATION] = { "地址", "Location" },
	[L_REPAIR_PHONE] = { "叫修电话", "Service phone" },
	[L_SIGN_TECHNICIAN] = { "到场维修人员签字", "On-site technician's signature" },
	[L_SIGN_CLIENT] = { "甲方签认", "Client's acknowledgement" },
	[L_CT_DEVICE_MONTHLY] = { "按台月费", "Per-device monthly" },
	[L_CT_PRICE_PERCENT] = { "按原价比例", "Percent of purchase price" },
	[L_CT_WEBSITE] = { "网站维护", "Website maintenance" },
	/* recurring lines end with the dates the unit is covered */
	[L_DESC_WEBSITE] = { "网站主机及网页维护费 %1$s 至 %2$s",
			     "Website hosting and maintenance %1$s to %2$s" },
	[L_DESC_SOFTWARE] = { "软件维护费 %1$s（%2$s）%3$s 至 %4$s",
			      "Software maintenance %1$s (%2$s) %3$s to %4$s" },
	[L_DESC_HARDWARE] = { "硬件维护费 %1$s（原价 ¥%2$s × 年费率 %3$s%%）"
			      "%4$s 至 %5$s",
			      "Hardware maintenance %1$s (%3$s%% a year of "
			      "CNY %2$s) %4$s to %5$s" },
	[L_DESC_TRUEUP] = { "多退少补 %1$s周期 %2$s 至 %3$s",
			    "True-up %1$scycle %2$s to %3$s" },
	[L_DESC_LABOUR] = { "维修工时费 %1$s（%2$s，除外责任）",
			    "Labour, record %1$s (%2$s, not covered)" },
	/* %2$s is the Chinese name, %5$s the English one ("%2$.0s" uses the
	 * argument without printing it: numbered arguments leave no gaps) */
	[L_DESC_PARTS] = { "零件 %1$s%2$s（%3$s，定价 ¥%4$s）",
			   "%2$.0s%5$s %1$s (record %3$s, list price CNY %4$s)" },
	[L_DESC_OEM_QUOTE] = { "原厂维修报价 %1$s（%2$s，%3$s 级）",
			       "Manufacturer repair quote, record %1$s (%2$s, "
			       "level %3$s)" },
	[L_DESC_FREIGHT] = { "来回运费 %1$s（%2$s，%3$s 级）",
			     "Freight, record %1$s (%2$s, level %3$s)" },
	[L_DESC_DUTY] = { "关税 %1$s（%2$s，%3$s 级）",
			  "Import duty, record %1$s (%2$s, level %3$s)" },
	[L_DESC_SLA] = { "响应超时扣减 %1$s（%2$s，超时 %3$s 天）",
			 "SLA credit, record %1$s (%2$s, %3$s day%4$s late)" },
	[L_DESC_LATE_FEE] = { "逾期违约金 %1$s（%2$s 天）",
			      "Late fee on %1$s (%2$s day%3$s)" },
	[L_TERMS_PAY] = { "请于 %1$s 前付款（出账后 %2$s 天内），汇款时请注明账单号 "
			  "%3$s。", "Please pay by %1$s (%2$s days from the "
			  "issue date), quoting invoice %3$s." },
	[L_TERMS_LATE] = { "逾期未付，按未付金额每日 %1$s%% 计收违约金。",
			   "Late payment: %1$s%% of the unpaid amount per day." },
	[L_TERMS_CREDIT] = { "本贷项通知单冲销账单 %1$s，金额将抵扣应付款。",
			     "This credit note cancels invoice %1$s; its amount "
			     "is deducted from what is owed." },
	[L_APPENDIX] = { "附件：托管设备清单",
			 "Appendix: devices under contract %1$s (%2$s)" },
	[L_SHEET_TITLE] = { "产品服务维护单", "Maintenance record sheet" },
	[L_HISTORY_TO] = { "截至 %2$s 年 %3$s 月底",
			    "history to the end of %1$s" },
	[L_THIS_MONTH] = { "本月", "this month" },
	[L_NOT_COVERED] = { "除外", "not covered" },
	[L_NO_CHARGE] = { "未计费", "no charge" },
	[L_DATE] = { "日期", "Date" },
	[L_SUMMARY_TITLE] = { "月度汇总报告", "Monthly summary report" },
	[L_TOTAL] = { "合计", "Total" },
	[L_TOTALS_NOTE] = { "合计只计现行有效的账单：作废的账单与冲销它的贷项通知单"
			    "相抵。", "Totals count invoices in force: a "
			    "cancelled invoice and the credit note that cancels "
			    "it offset each other." },
	[L_BY_TYPE] = { "按合同类型", "By contract type" },
	[L_BY_KIND] = { "按项目类别", "By line kind" },
	[L_CHART] = { "近 12 期价税合计", "Gross per contract type, last 12 "
		      "periods" },
	[L_CHART_AXIS] = { "价税合计（元）", "Gross (CNY)" },
	[L_INVOICES] = { "账单清单", "Invoices of the period" },
	[L_OVERDUE] = { "逾期未付", "Overdue invoices as of %1$s" },
	[L_NONE] = { "无逾期账单", "None" },
	[L_PAGE_OF] = { "第 %1$s 页 / 共 %2$s 页", "Page %1$s of %2$s" },
	[L_KIND_RECURRING] = { "维护费（预收）", "Maintenance fees in advance" },
	[L_KIND_TRUEUP] = { "多退少补", "True-ups" },
	[L_KIND_LABOUR] = { "工时费", "Labour" },
	[L_KIND_PARTS] = { "零件", "Parts" },
	[L_KIND_OEM] = { "原厂维修、运费、关税",
			 "Manufacturer repairs, freight, duty" },
	[L_KIND_SLA] = { "响应超时扣减", "SLA credits" },
	[L_KIND_CHARGE] = { "一次性费用", "One-off charges" },
	[L_KIND_LATE_FEE] = { "逾期违约金", "Late fees" },
	[L_ST_ISSUED] = { "已开", "issued" },
	[L_ST_CANCELLED] = { "作废", "cancelled" },
	[L_NOT_FAPIAO] = { "本账单不是增值税发票，发票另行开具。",
			   "This invoice is not a VAT fapiao; the fapiao is "
			   "issued separately." },
	[L_ST_CREDIT] = { "贷项", "credit" },
	[L_COL_RECORD] = { "单号", "Record" },
	[L_COL_CALLED] = { "叫修时间", "Called" },
	[L_COL_ARRIVED] = { "到场时间", "Arrived" },
	[L_COL_COMPLETED] = { "修复时间", "Completed" },
	[L_COL_TYPE] = { "类型", "Type" },
	[L_COL_FAULT] = { "故障摘要", "Fault" },
	[L_COL_LEVEL] = { "级别", "Level" },
	[L_COL_PARTS] = { "零件", "Parts" },
	[L_COL_TECHNICIAN] = { "维修人员", "Technician" },
	[L_COL_SIGNED] = { "甲方签认", "Signed" },
	[L_COL_INVOICE] = { "账单", "Invoice" },
	[L_COL_INVOICE_NO] = { "账单号", "Invoice" },
	[L_COL_INVOICES] = { "账单数", "Invoices" },
	[L_COL_CONTRACT] = { "合同", "Contract" },
	[L_COL_NET] = { "不含税", "Net" },
	[L_COL_GROSS] = { "价税合计", "Gross" },
	[L_COL_LINE_KIND] = { "项目类别", "Line kind" },
	[L_COL_LINES] = { "行数", "Lines" },
	[L_COL_DUE] = { "到期日", "Due" },
	[L_COL_STATUS] = { "状态", "Status" },
	[L_COL_DAYS_OVERDUE] = { "逾期天数", "Days overdue" },
	[L_COL_PAID] = { "已付", "Paid" },
	[L_COL_OUTSTANDING] = { "未付金额", "Outstanding" },
	[L_COL_PER_DEVICE] = { "按台月费", "Per device" },
	[L_COL_PCT_OF_PRICE] = { "按原价比例", "Percent of price" },
	[L_COL_WEBSITE] = { "网站维护", "Website" },
	[L_COL_LAST_VISIT] = { "上次保养", "Last visit" },
	[L_COL_PM_DUE] = { "应保养日", "Due" },
	[L_PM_LAST] = { "上次保养", "Last preventive visit" },
	[L_PM_NEXT] = { "下次保养", "Next due" },
	[L_PM_NONE_YET] = { "未保养", "none yet" },
	[L_PM_NONE] = { "未保养", "none" },
	[L_PM_OVERDUE] = { "已逾期", "overdue" },
	[L_PM_OVERDUE_TITLE] = { "逾期保养",
				 "Preventive visits overdue at %1$s" },
};

const struct bilingual *label(enum label l)
{
	return &labels[l];
}

const struct bilingual *contract_type_label(int type)
{
	switch (type) {
	case CT_PRICE_PERCENT: return &labels[L_CT_PRICE_PERCENT];
	case CT_WEBSITE: return &labels[L_CT_WEBSITE];
	default: return &labels[L_CT_DEVICE_MONTHLY];
	}
}

/* the kinds' labels follow enum line_kind, so a kind indexes them */
_Static_assert(L_KIND_LATE_FEE - L_KIND_RECURRING == LK_LATE_FEE &&
	       L_KIND_CHARGE - L_KIND_RECURRING == LK_CHARGE &&
	       LK_COUNT == 8, "line kind labels in enum line_kind order");

const struct bilingual *line_kind_label(int kind)
{
	return &labels[L_KIND_RECURRING + kind];
}

/* The templates' own numbered-argument subset: "%N$s" is args[N-1],
 * "%N$.0s" nothing, "%%" a '%'.  Each description of every line went
 * through vsnprintf's positional path twice (a sixth of billing a month);
 * this gives the same text.  NULL (then printf) for anything else. */
static const char *expand(struct arena *a, const char *t,
			  const char *const args[5])
{
	size_t len = 0;
	for (int pass = 0; pass < 2; pass++) {
		char *out = pass ? arena_alloc(a, len + 1) : NULL;
		size_t k = 0;
		for (const char *p = t; *p;) {
			const char *put = p;
			size_t n = 1;
			if (*p != '%') {
				p++;
			} else if (p[1] == '%') {
				p += 2;
			} else if (p[1] >= '1' && p[1] <= '5' && p[2] == '$') {
				const char *v = args[p[1] - '1'];
				if (!v)
					return NULL;
				if (p[3] == 's') {
					put = v;
					n = strlen(v);
					p += 4;
				} else if (strncmp(p + 3, ".0s", 3) == 0) {
					n = 0;
					p += 6;
				} else {
					return NULL;
				}
			} else {
				return NULL;
			}
			if (out)
				memcpy(out + k, put, n);
			k += n;
		}
		if (out) {
			out[k] = '\0';
			return out;
		}
		len = k;
	}
	return NULL;
}

void label_fill(struct arena *a, enum label l, const char *const args[5],
		const char **zh, const char **en)
{
	const struct bilingual *b = &labels[l];
	if ((*zh = expand(a, b->zh, args)) != NULL &&
	    (*en = expand(a, b->en, args)) != NULL)
		return;
	/* numbered arguments: each template picks what it needs */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	*zh = arena_printf(a, b->zh, args[0], args[1], args[2], args[3],
			   args[4]);
	*en = arena_printf(a, b->en, args[0], args[1], args[2], args[3],
			   args[4]);
#pragma GCC diagnostic pop
}
