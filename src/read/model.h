/* model.h - the billing data model: one struct per input file row.
 *
 * Rows are filled by load.c from the CSV exports, checked there, and then
 * read (never written) by the fee engine and the documents.  All strings
 * and arrays live in the run's arena.  Money is fen, percentages x 10^4,
 * hours and quantities x 100, dates day numbers, datetimes seconds. */
#ifndef SVCBILL_MODEL_H
#define SVCBILL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/vec.h"

enum contract_type { CT_DEVICE_MONTHLY, CT_PRICE_PERCENT, CT_WEBSITE };
enum record_type { RT_PREVENTIVE, RT_REPAIR, RT_EMERGENCY, RT_ONSITE,
		   RT_UPDATE };
enum cause { CAUSE_COVERED, CAUSE_EXCLUDED };
enum category { CAT_SERVICE, CAT_GOODS };

const char *contract_type_name(int type);      /* "device_monthly" */

/* Where a row came from and which of its columns had a value.  Columns
 * are named by the ids below, one enum per input file; read/tables.c
 * describes each file with one row per id, in id order (checked when the
 * reader starts: a reordered table fails schema_check()). */
struct rowinfo {
	long line;
	uint64_t has;               /* bit id: that column was given */
};

/* 1 when the row's column `col` (an id of its file's enum) had a value. */
static inline int row_has(const struct rowinfo *ri, int col)
{
	return (int)((ri->has >> col) & 1);
}

/* The columns of each input file, in the order of its table.  A column's
 * id says which bit of rowinfo.has is its own and names it in messages. */
enum issuer_col {
	ISSUER_NAME_ZH, ISSUER_NAME_EN, ISSUER_ADDRESS, ISSUER_POSTCODE,
	ISSUER_PHONE, ISSUER_FAX, ISSUER_TAX_ID, ISSUER_BANK_NAME,
	ISSUER_BANK_ACCOUNT, ISSUER_INVOICE_PREFIX, ISSUER_NCOLS
};
enum client_col {
	CLIENT_ID, CLIENT_NAME_ZH, CLIENT_NAME_EN, CLIENT_ADDRESS,
	CLIENT_POSTCODE, CLIENT_PHONE, CLIENT_FAX, CLIENT_CONTACT,
	CLIENT_TAX_ID, CLIENT_NCOLS
};
enum contract_col {
	CONTRACT_ID, CONTRACT_CLIENT_ID, CONTRACT_TYPE, CONTRACT_START,
	CONTRACT_END, CONTRACT_CYCLE_MONTHS, CONTRACT_MONTHLY_FEE,
	CONTRACT_ANNUAL_PCT, CONTRACT_PARTS_PCT, CONTRACT_LABOUR_RATE,
	CONTRACT_TAX_PCT, CONTRACT_GOODS_TAX_PCT, CONTRACT_PAYMENT_DAYS,
	CONTRACT_LATE_FEE_PCT, CONTRACT_SLA_HOURS, CONTRACT_SLA_EMERGENCY_HOURS,
	CONTRACT_SLA_PENALTY, CONTRACT_CURRENCY, CONTRACT_SERVICE_DAYS,
	CONTRACT_SERVICE_HOURS, CONTRACT_PM_MONTHS, CONTRACT_NCOLS
};
enum rate_col { RATE_CONTRACT_ID, RATE_CLASS, RATE_MONTHLY_FEE, RATE_NCOLS };
enum device_col {
	DEVICE_ID, DEVICE_CONTRACT_ID, DEVICE_CLASS, DEVICE_MODEL,
	DEVICE_SERIAL, DEVICE_INSTALL_DATE, DEVICE_PURCHASE_PRICE,
	DEVICE_LOCATION, DEVICE_FROM, DEVICE_TO, DEVICE_CONTACT,
	DEVICE_CONTACT_PHONE, DEVICE_CPU, DEVICE_MEMORY, DEVICE_DISK,
	DEVICE_MAINBOARD, DEVICE_MONITOR, DEVICE_NOTE, DEVICE_NCOLS
};
enum record_col {
	RECORD_ID, RECORD_DEVICE_ID, RECORD_TYPE, RECORD_CALLED_AT,
	RECORD_ARRIVED_AT, RECORD_COMPLETED_AT, RECORD_FAULT, RECORD_CAUSE,
	RECORD_LEVEL, RECORD_TECHNICIAN, RECORD_SIGNED_BY,
	RECORD_LABOUR_HOURS, RECORD_OEM_QUOTE, RECORD_FREIGHT, RECORD_DUTY,
	RECORD_NCOLS
};
enum part_col { PART_NO, PART_NAME_ZH, PART_NAME_EN, PART_LIST_PRICE,
		PART_NCOLS };
enum part_use_col { PART_USE_RECORD_ID, PART_USE_PART_NO, PART_USE_QTY,
		    PART_USE_LIST_PRICE, PART_USE_NCOLS };
enum charge_col {
	CHARGE_CONTRACT_ID, CHARGE_DATE, CHARGE_DESCRIPTION_ZH,
	CHARGE_DESCRIPTION_EN, CHARGE_QTY, CHARGE_UNIT_PRICE, CHARGE_CATEGORY,
	CHARGE_NCOLS
};
enum payment_col { PAYMENT_INVOICE_NO, PAYMENT_PAID_ON, PAYMENT_AMOUNT,
		   PAYMENT_NCOLS };
enum holiday_col { HOLIDAY_DATE, HOLIDAY_KIND, HOLIDAY_NAME, HOLIDAY_NCOLS };
enum fapiao_item_col { FAPIAO_ITEM_KIND, FAPIAO_ITEM_TAX_CODE,
		       FAPIAO_ITEM_ITEM_NAME, FAPIAO_ITEM_UNIT,
		       FAPIAO_ITEM_NCOLS };

struct issuer {
	struct rowinfo ri;
	char *name_zh, *name_en, *address, *postcode, *phone, *fax, *tax_id,
	     *bank_name, *bank_account, *invoice_prefix;
};

struct client {
	struct rowinfo ri;
	char *id, *name_zh, *name_en, *address, *postcode, *phone, *fax,
	     *contact, *tax_id;
};

struct device;

struct contract {
	struct rowinfo ri;
	char *id, *client_id;
	int type;
	day_t start, end;
	int64_t cycle_months;
	char *monthly_fee_text, *annual_pct_text;   /* checked by type */
	int64_t monthly_fee, annual_pct;
	int64_t parts_pct, labour_rate, tax_pct, goods_tax_pct, payment_days,
		late_fee_pct, sla_hours, sla_emergency_hours, sla_penalty;
	char *currency;
	/* resolved */
	struct client *client;
	struct device **devices;    /* by device_id, byte order */
	size_t ndevices;
	/* service window (rules.md §2.4): weekdays as bits (bit 0 = Monday ...
	 * bit 6 = Sunday), hours as minutes after midnight, open < close;
	 * has_window is 1 when service_days or service_hours was given, and
	 * only then does sla_hours count service hours (§3.3) */
	int service_days;
	struct svc_hours { int open, close; } service_hours;
	int has_window;
	int64_t pm_months;          /* preventive visit every N months, 0 none */
};

struct rate {
	struct rowinfo ri;
	char *contract_id, *class;
	int64_t monthly_fee;
};

struct device {
	struct rowinfo ri;
	char *id, *contract_id, *class, *model, *serial;
	day_t install_date;
	char *purchase_price_text;                 /* checked by type */
	int64_t purchase_price;
	day_t from, to;
	char *location, *contact, *contact_phone, *cpu, *memory, *disk,
	     *mainboard, *monitor, *note;
	/* resolved */
	struct contract *contract;
	int64_t rate;               /* device_monthly: the class's monthly fee */
	struct record **records;    /* by completed_at, then record_id */
	size_t nrecords;
};

struct part_use;

struct record {
	struct rowinfo ri;
	char *id, *device_id;
	int type;
	int64_t called_at, arrived_at, completed_at;
	char *fault;
	int cause;
	int64_t level;
	char *technician, *signed_by;
	int64_t labour_hours, oem_quote, freight, duty;
	/* resolved */
	struct device *device;
	struct part_use **parts;    /* in parts_used.csv file order */
	size_t nparts;
};

struct part {
	struct rowinfo ri;
	char *part_no, *name_zh, *name_en;
	int64_t list_price;
};

struct part_use {
	struct rowinfo ri;
	char *record_id, *part_no;
	int64_t qty, list_price;
	struct part *part;          /* NULL when not in the catalogue */
};

struct charge {
	struct rowinfo ri;
	char *contract_id;
	day_t date;
	char *description_zh, *description_en;
	int64_t qty, unit_price;
	int category;
};

struct payment {
	struct rowinfo ri;
	char *invoice_no;
	day_t paid_on;
	int64_t amount;
};

enum holiday_kind { HK_HOLIDAY, HK_WORKDAY };

/* A row of holidays.csv: a day off (休息) or a make-up working day (调休). */
struct holiday {
	struct rowinfo ri;
	day_t date;
	int kind;
	char *name;
};

/* fapiao_items.csv (rules.md §2.4, §5.5): how the e-fapiao export names one
 * kind of line.  kind is one of the nine kinds of rules.md §2.4 (checked by
 * load.c). */
struct fapiao_item {
	struct rowinfo ri;
	char *kind, *tax_code, *item_name, *unit;
};

/* One number's run of payments in payment_runs.sorted. */
struct payment_run {
	const char *invoice_no;
	size_t first, n;
};

/* The payments by the invoice number they name, then file order, and
 * where each number's run of them begins and ends: late fees and the
 * overdue list find an invoice's payments in one step (link.c). */
struct payment_runs {
	const struct payment *const *sorted;
	size_t n;
	/* each number's run once, in byte order of the numbers, which are
	 * copied side by side: a list of numbers in that order is matched
	 * against it by reading both through once (payments.h) */
	const struct payment_run *runs;
	size_t nruns;
};

/* A whole data set.  Arrays of clients, contracts, devices, records and
 * parts are sorted by id (byte order) for lookup; the others keep file
 * order. */
struct dataset {
	struct issuer issuer;
	struct client *clients;       size_t nclients;
	struct contract *contracts;   size_t ncontracts;
	struct rate *rates;           size_t nrates;
	struct device *devices;       size_t ndevices;
	struct record *records;       size_t nrecords;
	struct part *parts;           size_t nparts;
	struct part_use *part_uses;   size_t npart_uses;
	struct charge *charges;       size_t ncharges;
	struct payment *payments;     size_t npayments;
	struct holiday *holidays;     size_t nholidays;   /* by date, unique */
	struct fapiao_item *fapiao_items; size_t nfapiao_items; /* by kind */
	/* the rows above by id (find_client() ...), made by load_dataset
	 * once they are sorted; a data set made otherwise (all zero) is
	 * searched by id instead */
	struct id_table client_ids, contract_ids, device_ids, record_ids,
			part_nos;
	struct payment_runs pay_runs;   /* made by load_dataset too */
	/* payments.csv's rows, their numbers and pay_runs, apart from the
	 * rest (load_dataset; dataset_free frees it): the one input that
	 * grows with the archive's age, a month's payments each month, of
	 * which a run drops those of the periods it found settled
	 * (payments_drop_settled, bill/payments.h) */
	struct arena pay_arena;
};

/* qsort order of record pointers: by completion time, then record id. */
int record_order(const void *x, const void *y);
/* The month (y * 12 + m - 1) a record was completed in. */
int record_month(const struct record *r);

struct client *find_client(const struct dataset *ds, const char *id);
struct contract *find_contract(const struct dataset *ds, const char *id);
struct device *find_device(const struct dataset *ds, const char *id);
struct record *find_record(const struct dataset *ds, const char *id);
struct part *find_part(const struct dataset *ds, const char *no);
/* r: ds's payments by the number they name (what load_dataset makes into
 * ds->pay_runs), in the arena */
void payment_runs_make(struct payment_runs *r, const struct dataset *ds,
		       struct arena *a);

#endif
