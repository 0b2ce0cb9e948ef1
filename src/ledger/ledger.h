/* ledger.h - the archive's append-only ledger (register.csv, lines.csv,
 * SPEC §4): the format of each file (one table per file: header, parse,
 * write, hash, chain), reading it back with the repair rule and the
 * integrity checks, the history the fee engine needs, invoice numbers,
 * content hashes, and the rows a run appends.
 *
 * Invariants: every register row read back has a `chain` that verifies
 * against the row before it; every lines.csv row read back belongs to a
 * committed register row, in register order; nothing is ever repaired
 * but a torn tail left by an interrupted append (SPEC §4). */
#ifndef SVCBILL_LEDGER_H
#define SVCBILL_LEDGER_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "bill/invoice.h"
#include "bill/rules.h"

/* The columns of register.csv, in file order. */
enum reg_col {
	RC_INVOICE_NO, RC_PERIOD, RC_CONTRACT_ID, RC_CLIENT_ID,
	RC_ISSUE_DATE, RC_DUE_DATE, RC_CURRENCY, RC_NET, RC_TAX, RC_GROSS,
	RC_STATUS, RC_REPLACES, RC_CONTENT_SHA256, RC_PDF, RC_PDF_SHA256,
	RC_CHAIN, REG_NCOLS
};
/* The columns of lines.csv, in file order. */
enum lines_col {
	LC_INVOICE_NO, LC_LINE_NO, LC_KIND, LC_CONTRACT_ID, LC_DEVICE_ID,
	LC_RECORD_ID, LC_CYCLE_START, LC_CYCLE_END, LC_DESC_ZH, LC_DESC_EN,
	LC_QTY, LC_UNIT_PRICE, LC_AMOUNT, LC_TAX_PCT, LINES_NCOLS
};

/* One ledger file's format. */
struct ledger_table {
	const char *file;           /* name below the archive root */
	const char *const *columns; /* ncols names, in file order */
	int ncols;
	int chained;                /* the last column is the hash chain */
};
extern const struct ledger_table REGISTER_TABLE, LINES_TABLE;

struct reg_row {
	long line;
	const char *invoice_no, *contract_id, *client_id, *currency,
		   *replaces, *content_sha256, *pdf, *pdf_sha256, *chain;
	int period;
	day_t issue_date, due_date;
	int64_t net, tax, gross;
	int status;
	char **raw;                 /* the fields as written (read rows) */
};

struct ledger_line {
	const char *invoice_no, *contract_id;
	int line_no;
	long fline;                 /* its line in lines.csv (read rows) */
	struct line l;
};

struct ledger {
	const char *root;
	struct reg_row *rows;       size_t nrows;    /* file order */
	struct ledger_line *lines;  size_t nlines;   /* file order */
	const struct reg_row **last; size_t nlast;   /* by number: state */
	char seal[65];              /* chain of the last row (64 zeros) */
	int reg_absent;             /* register.csv missing or 0 bytes */
	int pending_repair;         /* a torn tail a run would repair */
};

#define ZERO_CHAIN "0000000000000000000000000000000000000000000000000000000000000000"
#define SUMMARY_HEADER "invoice_no,contract_id,client_id,client_name,type," \
	"net,tax,gross,due_date,status"

/* How ledger_load treats a torn tail (SPEC §4, "What a later run may
 * repair"): LEDGER_READ reports it (verify) or ignores it (check);
 * LEDGER_REPAIR repairs it, but only when nothing else is damaged. */
enum { LEDGER_READ = 0, LEDGER_REPAIR = 1, LEDGER_VERIFY = 2 };

/* Reads root/register.csv and root/lines.csv (absent: empty ledger) and
 * checks them: the chain, the row format, every committed invoice's
 * lines against its content_sha256 and net.  Damage is reported through
 * d (FILE:LINE: what) and nothing is written.  Returns 0, EX_DATAERR
 * (damage), or EX_IOERR (a ledger file cannot be read; reported). */
int ledger_load(struct ledger *lg, const char *root, int mode,
		struct arena *a, struct diag *d);

/* The chain value of a row: SHA-256 of prev, LF, then each of the 15
 * fields as written (formula guard included), each followed by LF. */
void ledger_chain(const char prev[65], const char *const *fields,
		  char out[65]);

/* Parses a ledger file's text (BOM, header, rows).  Exposed for the
 * tests; the rows' fields are as written (guard kept).  Returns the
 * number of rows, or -1 with *why set for a file that is not the table's
 * (wrong header, malformed quoting); *torn is 1 when the last row has
 * no final CRLF. */
struct ledger_rec {
	long line;                  /* physical line the row starts on */
	size_t start, end;          /* byte offsets: the row, CRLF included */
	int nfields;
	char **f;
	int terminated;             /* ends with CRLF */
	int cr_only;                /* ends with CR at the end of the file */
	int last_field_open;        /* the file ends inside a field */
};
long ledger_parse(const struct ledger_table *t, const char *text,
		  size_t len, struct arena *a, struct ledger_rec **recs,
		  const char **why, long *why_line);

/* A field as read back: the formula guard svcbill added taken off. */
const char *ledger_unguard(const char *field);

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
/* The chain of the last row of a period up to P (the seal as it was
 * when P was last billed); 64 zeros when there is none. */
const char *ledger_seal_of(const struct ledger *lg, int period);

/* "{prefix}-{YYYYMM}-{NNNN}" */
void invoice_number(char out[40], const char *prefix, int period, int n);

/* SHA-256 of the canonical content (lines without descriptions, totals,
 * dates) into inv->content_sha256. */
void invoice_content_hash(struct invoice *inv);

/* The invoice's lines as stored lines (for credit notes and re-runs). */
void ledger_lines_of(const struct ledger *lg, const char *no,
		     struct arena *a, struct line **lines, size_t *n);

/* The ledger as it will be once the given invoices are appended (in
 * memory only; pdf, pdf_sha256 and chain are filled by commit). */
void ledger_merge(const struct ledger *lg, struct invoice *const *inv,
		  size_t n, struct arena *a, struct ledger *out);

/* CSV output: UTF-8 BOM + header line, rows; RFC 4180 quoting (a line
 * break inside a value is kept, inside quotes), CRLF, formula guard. */
void csv_put(struct buf *b, const char *field, int first);
void csv_end_row(struct buf *b);
void csv_header(struct buf *b, const char *header);
/* The header line of a ledger table. */
void ledger_header(struct buf *b, const struct ledger_table *t);

/* Appends the register row of inv; chain holds the previous row's chain
 * and receives this row's. */
void register_row(struct buf *b, const struct invoice *inv, const char *pdf,
		  const char *pdf_sha256, char chain[65]);
void lines_rows(struct buf *b, const struct invoice *inv);

#endif
