/* labels.h - every user-visible label of the documents, in one bilingual
 * table (Chinese first, as the documents print them). */
#ifndef SVCBILL_LABELS_H
#define SVCBILL_LABELS_H

enum label {
	L_INVOICE, L_CREDIT_NOTE, L_CLIENT, L_INVOICE_NO, L_PERIOD,
	L_ISSUE_DATE, L_DUE_DATE, L_CONTRACT, L_CONTRACT_TYPE, L_TAX_ID,
	L_PHONE, L_FAX, L_CONTACT, L_POSTCODE,
	L_NO, L_DESCRIPTION, L_QTY, L_UNIT_PRICE, L_AMOUNT, L_TAX_RATE,
	L_NET, L_TAX, L_GROSS, L_AMOUNT_IN_WORDS, L_SAY,
	L_BANK, L_ACCOUNT, L_PAYMENT_TERMS, L_DEVICE_LIST, L_DEVICE_ID,
	L_CLASS, L_MODEL, L_SERIAL, L_CPU, L_MEMORY, L_DISK, L_MAINBOARD,
	L_MONITOR, L_NOTE, L_REPLACES, L_CANCELS, L_CURRENCY,
	L_INSTALL_DATE, L_LOCATION, L_REPAIR_PHONE, L_SIGN_TECHNICIAN,
	L_SIGN_CLIENT,
	L_CT_DEVICE_MONTHLY, L_CT_PRICE_PERCENT, L_CT_WEBSITE,
	/* line descriptions: printf templates with numbered arguments, the
	 * same arguments for both languages */
	L_DESC_WEBSITE, L_DESC_SOFTWARE, L_DESC_HARDWARE, L_DESC_TRUEUP,
	L_DESC_LABOUR, L_DESC_PARTS, L_DESC_OEM_QUOTE, L_DESC_FREIGHT,
	L_DESC_DUTY, L_DESC_SLA, L_DESC_LATE_FEE,
	/* sentences and titles of the documents */
	L_TERMS_PAY, L_TERMS_LATE, L_TERMS_CREDIT, L_APPENDIX,
	L_SHEET_TITLE, L_HISTORY_TO, L_THIS_MONTH, L_NOT_COVERED, L_NO_CHARGE,
	L_DATE, L_SUMMARY_TITLE, L_TOTAL, L_TOTALS_NOTE, L_BY_TYPE, L_BY_KIND,
	L_CHART, L_CHART_AXIS, L_INVOICES, L_OVERDUE, L_NONE, L_PAGE_OF,
	/* line kinds (in enum line_kind order) and invoice states; a record
	 * type prints as its words (read/words.c) */
	L_KIND_RECURRING, L_KIND_TRUEUP, L_KIND_LABOUR, L_KIND_PARTS,
	L_KIND_OEM, L_KIND_SLA, L_KIND_CHARGE, L_KIND_LATE_FEE,
	L_ST_ISSUED, L_ST_CANCELLED, L_ST_CREDIT,
	L_NOT_FAPIAO,               /* rules.md §5: invoices, credit notes */
	/* the short headings of the documents' table columns */
	L_COL_RECORD, L_COL_CALLED, L_COL_ARRIVED, L_COL_COMPLETED, L_COL_TYPE,
	L_COL_FAULT, L_COL_LEVEL, L_COL_PARTS, L_COL_TECHNICIAN, L_COL_SIGNED,
	L_COL_INVOICE, L_COL_INVOICE_NO, L_COL_INVOICES, L_COL_CONTRACT,
	L_COL_NET, L_COL_GROSS, L_COL_LINE_KIND, L_COL_LINES, L_COL_DUE,
	L_COL_STATUS, L_COL_DAYS_OVERDUE, L_COL_PAID, L_COL_OUTSTANDING,
	L_COL_PER_DEVICE, L_COL_PCT_OF_PRICE, L_COL_WEBSITE, L_COL_LAST_VISIT,
	L_COL_PM_DUE,
	/* preventive maintenance: the record sheet's block, the summary's list */
	L_PM_LAST, L_PM_NEXT, L_PM_NONE_YET, L_PM_NONE, L_PM_OVERDUE,
	L_PM_OVERDUE_TITLE,
	L_COUNT
};

struct bilingual {
	const char *zh, *en;
};

const struct bilingual *label(enum label l);

/* Contract type label for CT_* values. */
const struct bilingual *contract_type_label(int type);
/* The summary's label of a kind of line (LK_*). */
const struct bilingual *line_kind_label(int kind);

/* A template filled in: zh and en with the same numbered arguments
 * (%1$s ...), strings only.  Results in the arena. */
struct arena;
void label_fill(struct arena *a, enum label l, const char *const args[5],
		const char **zh, const char **en);

#endif
