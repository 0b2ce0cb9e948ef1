/* ledger.h - the archive's append-only register (register.csv, lines.csv,
 * SPEC §4): reading it back, the history the fee engine needs, invoice
 * numbers, content hashes, and the rows a run appends. */
#ifndef SVCBILL_LEDGER_H
#define SVCBILL_LEDGER_H

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "invoice.h"
#include "rules.h"

struct reg_row {
	long line;
	const char *invoice_no, *contract_id, *client_id, *currency,
		   *replaces, *content_sha256, *pdf, *pdf_sha256;
	int period;
	day_t issue_date, due_date;
	int64_t net, tax, gross;
	int status;
};

struct ledger_line {
	const char *invoice_no, *contract_id;
	int line_no;
	struct line l;
};

struct ledger {
	const char *root;
	struct reg_row *rows;       size_t nrows;    /* file order */
	struct ledger_line *lines;  size_t nlines;   /* file order */
	const struct reg_row **last; size_t nlast;   /* by number: state */
};

#define REGISTER_HEADER "invoice_no,period,contract_id,client_id," \
	"issue_date,due_date,currency,net,tax,gross,status,replaces," \
	"content_sha256,pdf,pdf_sha256"
#define LINES_HEADER "invoice_no,line_no,kind,contract_id,device_id," \
	"record_id,cycle_start,cycle_end,description_zh,description_en,qty," \
	"unit_price,amount,tax_pct"
#define SUMMARY_HEADER "invoice_no,contract_id,client_id,client_name,type," \
	"net,tax,gross,due_date,status"

/* Reads root/register.csv and root/lines.csv (absent: empty ledger).
 * With repair, first cuts a torn last row and lines rows of invoices the
 * register never recorded (a run killed between its two appends).
 * Returns 0; -1 on an unreadable or corrupt register (reported). */
int ledger_load(struct ledger *lg, const char *root, int repair,
		struct arena *a, struct diag *d);

/* The last row for an invoice number (its current state), or NULL. */
const struct reg_row *ledger_find(const struct ledger *lg, const char *no);
/* Its index in lg->last, or (size_t)-1. */
size_t ledger_last_index(const struct ledger *lg, const char *no);

/* Issued invoices and their lines, sorted by contract, for the engine. */
void ledger_history(const struct ledger *lg, struct arena *a,
		    struct history *h);

/* Highest NNNN used in period with prefix ("INV" or "CN"), 0 if none. */
int ledger_last_number(const struct ledger *lg, const char *prefix,
		       int period);
/* Latest period in the register, -1 if empty. */
int ledger_latest_period(const struct ledger *lg);

/* "{prefix}-{YYYYMM}-{NNNN}" */
void invoice_number(char out[40], const char *prefix, int period, int n);

/* SHA-256 of the canonical content (lines without descriptions, totals,
 * dates) into inv->content_sha256. */
void invoice_content_hash(struct invoice *inv);

/* The invoice's lines as stored lines (for credit notes and re-runs). */
void ledger_lines_of(const struct ledger *lg, const char *no,
		     struct arena *a, struct line **lines, size_t *n);

/* The ledger as it will be once the given invoices are appended (in
 * memory only; their pdf fields are left empty). */
void ledger_merge(const struct ledger *lg, struct invoice *const *inv,
		  size_t n, struct arena *a, struct ledger *out);

/* CSV output: UTF-8 BOM + header line, rows; RFC 4180 quoting, CRLF,
 * formula-injection guard. */
void csv_put(struct buf *b, const char *field, int first);
void csv_end_row(struct buf *b);
void csv_header(struct buf *b, const char *header);

void register_row(struct buf *b, const struct invoice *inv, const char *pdf,
		  const char *pdf_sha256);
void lines_rows(struct buf *b, const struct invoice *inv);

#endif
