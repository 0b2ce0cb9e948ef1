/* labels.h - every user-visible label of the documents, in one bilingual
 * table (Chinese first, as the documents print them). */
#ifndef SVCBILL_LABELS_H
#define SVCBILL_LABELS_H

enum label {
	L_INVOICE, L_CREDIT_NOTE, L_ISSUER, L_CLIENT, L_INVOICE_NO, L_PERIOD,
	L_ISSUE_DATE, L_DUE_DATE, L_CONTRACT, L_CONTRACT_TYPE, L_TAX_ID,
	L_ADDRESS, L_PHONE, L_FAX, L_CONTACT, L_POSTCODE,
	L_NO, L_DESCRIPTION, L_QTY, L_UNIT_PRICE, L_AMOUNT, L_TAX_RATE,
	L_NET, L_TAX, L_GROSS, L_AMOUNT_IN_WORDS, L_SAY,
	L_BANK, L_ACCOUNT, L_PAYMENT_TERMS, L_DEVICE_LIST, L_DEVICE_ID,
	L_CLASS, L_MODEL, L_SERIAL, L_CPU, L_MEMORY, L_DISK, L_MAINBOARD,
	L_MONITOR, L_NOTE, L_PAGE, L_REPLACES, L_CANCELS, L_CURRENCY,
	L_INSTALL_DATE, L_LOCATION, L_REPAIR_PHONE, L_SIGN_TECHNICIAN,
	L_SIGN_CLIENT,
	L_CT_DEVICE_MONTHLY, L_CT_PRICE_PERCENT, L_CT_WEBSITE,
	L_COUNT
};

struct bilingual {
	const char *zh, *en;
};

const struct bilingual *label(enum label l);

/* Contract type label for CT_* values. */
const struct bilingual *contract_type_label(int type);

#endif
