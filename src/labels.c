/* labels.c - see labels.h */
#include "labels.h"
#include "model.h"

static const struct bilingual labels[L_COUNT] = {
	[L_INVOICE] = { "发票", "INVOICE" },
	[L_CREDIT_NOTE] = { "红字发票", "CREDIT NOTE" },
	[L_ISSUER] = { "开票方", "Issuer" },
	[L_CLIENT] = { "客户", "Client" },
	[L_INVOICE_NO] = { "发票号", "Invoice No." },
	[L_PERIOD] = { "账期", "Period" },
	[L_ISSUE_DATE] = { "开票日期", "Issue date" },
	[L_DUE_DATE] = { "付款到期日", "Due date" },
	[L_CONTRACT] = { "合同编号", "Contract" },
	[L_CONTRACT_TYPE] = { "合同类型", "Contract type" },
	[L_TAX_ID] = { "纳税人识别号", "Tax ID" },
	[L_ADDRESS] = { "地址", "Address" },
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
	[L_PAGE] = { "页", "Page" },
	[L_REPLACES] = { "替代发票", "Replaces" },
	[L_CANCELS] = { "冲销发票", "Cancels invoice" },
	[L_CURRENCY] = { "币种", "Currency" },
	[L_INSTALL_DATE] = { "装置日期", "Installed" },
	[L_LOCATION] = { "地址", "Location" },
	[L_REPAIR_PHONE] = { "叫修电话", "Service phone" },
	[L_SIGN_TECHNICIAN] = { "到场维修人员签字", "On-site technician's signature" },
	[L_SIGN_CLIENT] = { "甲方签认", "Client's acknowledgement" },
	[L_CT_DEVICE_MONTHLY] = { "按台月费", "Per-device monthly" },
	[L_CT_PRICE_PERCENT] = { "按原价比例", "Percent of purchase price" },
	[L_CT_WEBSITE] = { "网站维护", "Website maintenance" },
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
