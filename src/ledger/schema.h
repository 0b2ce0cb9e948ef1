/* schema.h - the format of the ledger's two files, register.csv and
 * lines.csv (rules.md §4), one table per file, and the words the ledger
 * writes (invoice statuses, line kinds), one table each.
 *
 * Each table row names one column: its id, its name in the header line,
 * and its place in content_sha256.  The header, the row writer (formula
 * guard, RFC 4180 quoting, CRLF), the exact parser, the chain and the
 * content hash all walk these tables; nothing else spells a column or
 * knows its position.  The enums give the file order; the tables are
 * filled by id, and ledger_schema_check() (run by the unit tests and at
 * the first ledger_header()) proves that row i has id i and a name.
 *
 * This header knows nothing of invoices or fee rules: a line here is a
 * lines.csv row's values, which the fee engine also builds. */
#ifndef SVCBILL_LEDGER_SCHEMA_H
#define SVCBILL_LEDGER_SCHEMA_H

#include <nettle/sha2.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/money.h"
#include "read/words.h"            /* enum line_kind, line_kind_words */

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
#define LEDGER_MAX_COLS REG_NCOLS

/* One column of a ledger file. */
struct ledger_col {
	int id;                     /* == its row in the table */
	const char *name;           /* in the header line */
	int content;                /* 1.. its place in content_sha256; 0 none */
};

/* One ledger file's format. */
struct ledger_table {
	const char *file;           /* name below the archive root */
	const struct ledger_col *cols;   /* ncols rows, by id = file order */
	int ncols;
	int chained;                /* the last column is the hash chain */
};
extern const struct ledger_table REGISTER_TABLE, LINES_TABLE;
/* ledger-index.csv (index.h): derived, rebuilt from the two above; each
 * row a kind letter and up to 12 values, which index.c names. */
enum { INDEX_NCOLS = 13 };
extern const struct ledger_table INDEX_TABLE;

/* 0 when every row of both tables has its own id and a name; else the
 * table is broken and this prints which row (a programming error). */
int ledger_schema_check(void);

#define ZERO_CHAIN "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- the ledger's words ------------------------------------------------ */

/* register.csv `status`: a later row repeating an invoice's number as
 * cancelled marks it cancelled; a credit note is its own row. */
enum invoice_status { INV_ISSUED, INV_CANCELLED, INV_CREDIT, INV_NSTATUS };
const char *status_name(int status);    /* "issued", ... */
int status_parse(const char *s);        /* -1 if unknown */

/* lines.csv `kind`: the words of line_kind_words (read/words.c, which
 * fapiao_items.csv's kinds share), exactly as written. */
const char *line_kind_name(int kind);   /* "recurring", ... */
int line_kind_parse(const char *s);     /* -1 if unknown */

/* ---- one line's values --------------------------------------------------- */

/* Which optional columns a line fills (rules.md §4 table). */
#define LINE_HAS_CYCLE 1
#define LINE_HAS_QTY   2
#define LINE_HAS_PRICE 4

struct line {
	int kind;
	unsigned flags;             /* LINE_HAS_* */
	const char *device_id;      /* "" when none */
	const char *record_id;      /* "" when none */
	day_t cycle_start, cycle_end;
	const char *desc_zh, *desc_en;
	struct ratio qty;           /* exact: months covered, hours, days */
	struct ratio unit_price;    /* fen, exact (R, list x p / 100, ...) */
	int64_t amount;             /* fen */
	/* qty and unit price as lines.csv and the documents write them
	 * (rules.md §4: they multiply out to amount); "" when the line has
	 * none, never NULL once the line is made.  Set by line_write() from
	 * the exact values, or read back as is.  (Pointers, not the DEC_LEN
	 * arrays they were: 80 bytes less for each of the month's lines
	 * held, about 100,000 of them at 10,000 contracts.) */
	const char *qty_s, *price_s;
	int64_t tax_pct;            /* x 10^4 */
};

/* ---- writing ------------------------------------------------------------- */

/* The header line of a ledger table: UTF-8 BOM, names, CRLF. */
void ledger_header(struct buf *b, const struct ledger_table *t);
/* One row of table t from its values (unguarded, indexed by column id);
 * for a chained table the chain is computed over the other fields as
 * written, stored into chain (which holds the previous row's) and
 * written as the last field. */
void ledger_put_row(struct buf *b, const struct ledger_table *t,
		    const char *const *values, char chain[65]);

/* CSV output for the files beside the ledger (summary.csv): UTF-8 BOM +
 * header line, rows; RFC 4180 quoting (a line break inside a value is
 * kept, inside quotes), CRLF, formula guard. */
void csv_put(struct buf *b, const char *field, int first);
void csv_end_row(struct buf *b);
void csv_header(struct buf *b, const char *header);

/* A field as read back: the formula guard svcbill added taken off. */
const char *ledger_unguard(const char *field);

/* ---- hashing ------------------------------------------------------------- */

/* The chain value of a register row: SHA-256 of prev, LF, then each of
 * the other fields as written (formula guard included), each followed
 * by LF; fields indexed by column id. */
void ledger_chain(const char prev[65], const char *const *fields,
		  char out[65]);

/* content_sha256 (rules.md §4) from an invoice's lines.csv rows and its
 * register row, all as strings indexed by column id, unguarded: the
 * columns with a content place, lines first, then the register's.  The
 * one definition, used when an invoice is made and when it is read. */
void ledger_content_hash(const char *const *const *lines, size_t n,
			 const char *const *reg, char out[65]);
/* The same a line at a time, for a reader that keeps no invoice's lines:
 * begin, each line's fields in order, then the register row's. */
struct content_hash {
	struct sha256_ctx ctx;
};
void content_hash_begin(struct content_hash *h);
void content_hash_line(struct content_hash *h, const char *const *line);
void content_hash_end(struct content_hash *h, const char *const *reg,
		      char out[65]);

/* ---- reading ------------------------------------------------------------- */

/* One row as parsed: its fields as written (guard kept). */
struct ledger_rec {
	long line;                  /* physical line the row starts on */
	long end_line;              /* ... and the one after it */
	size_t start, end;          /* byte offsets: the row, CRLF included */
	int nfields;
	char **f;                   /* ncols fields ("" past nfields) */
	int terminated;             /* ends with CRLF */
	int cr_only;                /* ends with CR at the end of the file */
	int last_field_open;        /* the file ends inside a field */
};

/* Parses a ledger file's text as svcbill writes it (BOM, the header,
 * rows of RFC 4180 fields each ending in CRLF); with header 0, text is
 * rows only, starting at physical line first_line (a file read from an
 * offset).  Returns the number of rows (*recs malloc'd, the fields'
 * bytes in a, the rows' arrays of pointers to them (ledger_rec.f) in
 * fa: a caller that keeps the fields but not the rows frees fa), or -1
 * with *why and *why_line for a file that is not the table's (wrong
 * header, malformed quoting). */
long ledger_parse_from(const struct ledger_table *t, const char *text,
		       size_t len, int header, long first_line,
		       struct arena *a, struct arena *fa,
		       struct ledger_rec **recs, const char **why,
		       long *why_line);
/* The same a row at a time, for a reader that keeps no array of rows:
 * open (0; -1 with *why for a wrong header), then next: 1 a row into r,
 * its fields in f (room for ncols + 1 pointers, caller's; the fields'
 * bytes in a, or, with a NULL, in text itself: writable, a byte to spare
 * after len, and its rows not needed as they were), 0 at the end, -1
 * with *why and *why_line. */
struct ledger_cursor {
	const struct ledger_table *t;
	const char *text;
	size_t len, pos;
	long line;
	char *out;                  /* where the next field's bytes go */
	int in_place;               /* fields made in text itself */
};
int ledger_cursor_open(struct ledger_cursor *c, const struct ledger_table *t,
		       const char *text, size_t len, int header,
		       long first_line, struct arena *a, const char **why);
int ledger_cursor_next(struct ledger_cursor *c, struct ledger_rec *r,
		       char **f, const char **why, long *why_line);
long ledger_parse(const struct ledger_table *t, const char *text,
		  size_t len, struct arena *a, struct ledger_rec **recs,
		  const char **why, long *why_line);

#endif
