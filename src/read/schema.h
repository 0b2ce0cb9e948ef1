/* schema.h - the generic column-table reader.
 *
 * An input file is described by a struct table: its name and one struct
 * colspec per column, row i of the column array being the column whose id
 * (an enum of read/model.h) is i.  schema_read() reads such a file into an
 * array of rows (each starting with a struct rowinfo), parses and checks
 * every value by its column's type and records which columns were given;
 * the rules that look across rows and files are read/rowrules.c's.
 *
 * Invariant (schema_check): cols[i].id == i for every row, so the column
 * ids, the bits of rowinfo.has and the table's rows cannot drift apart. */
#ifndef SVCBILL_SCHEMA_H
#define SVCBILL_SCHEMA_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"

enum ftype {
	FT_TEXT,        /* free text (or a reference to an id) */
	FT_ID,          /* defining id: non-empty, at most 64 code points */
	FT_LATER,       /* text read later by what the row is (monthly_fee,
			 * annual_pct, purchase_price: numbers where they
			 * apply, ignored elsewhere, SPEC §2.2) */
	FT_DATE, FT_DATETIME, FT_MONEY, FT_MONEY_NEG, FT_PERCENT,
	FT_HOURS, FT_QTY, FT_INT,
	FT_PAYDAYS,     /* int, at most INPUT_DAYS_MAX */
	FT_CTYPE, FT_RTYPE, FT_CAUSE, FT_CATEGORY,
	FT_DAYS, FT_SPAN, FT_HKIND,     /* service window, holidays.csv */
	FT_COUNT
};

#define ID_MAX_CHARS 64
#define SCHEMA_MAX_COLS 32      /* also bounded by the 64 bits of has */

struct colspec {
	int id;                     /* the column's id: its row in the table */
	const char *en, *zh;        /* header names; zh NULL when none */
	enum ftype type;
	int required;
	size_t off;                 /* where the value goes in the row */
};

/* Row `id` of a column table: the id names the column, `f` is the member
 * of `st` the value is parsed into. */
#define COL(id, st, f, en, zh, type, req) \
	{ id, en, zh, type, req, offsetof(st, f) }

struct table {
	const char *file;           /* "contracts.csv" */
	int optional;               /* a missing file is an empty one */
	const struct colspec *cols;
	int ncols;
	size_t rowsize;             /* each row starts with a struct rowinfo */
	void (*init)(void *row);    /* defaults, before the values; or NULL */
};

/* One file as read: the header text of each known column (which is how
 * messages name a column: the user's own header), and what happened. */
struct loaded {
	char file[4096];
	const struct table *t;
	const char *colname[SCHEMA_MAX_COLS];   /* by column id */
	int present;                /* 1 when the file was read with a header
				     * holding every required column */
	int tried;                  /* 1 when the file exists */
	int errors;                 /* data errors reported while reading it */
};

/* -1 when every row i of t has id i, a name and a member inside the row,
 * and t has at most SCHEMA_MAX_COLS rows; else the first bad row. */
int schema_check(const struct table *t);

/* Reads DIR/t->file: every problem goes to d, naming file, line and
 * column.  Returns the rows (*nrows of them, in file order, in the arena)
 * or NULL when the file is missing, empty or lacks a required column. */
void *schema_read(const char *dir, const struct table *t, struct arena *a,
		  struct diag *d, struct loaded *L, size_t *nrows);
/* The same for a file that grows for the company's life, of which a run
 * needs only some rows (payments.csv): the rows made one at a time as the
 * file is read (csv_read_file_each: neither the file nor its records are
 * held whole), each shown to keep(ctx, row) in file order (every row,
 * with or without errors in its values); only those it keeps are held,
 * with their text values, in rows_a (what the messages keep: in a).
 * keep NULL keeps all. */
typedef int schema_keep_fn(void *ctx, const void *row);
void *schema_read_each(const char *dir, const struct table *t,
		       struct arena *a, struct arena *rows_a,
		       schema_keep_fn *keep, void *ctx, struct diag *d,
		       struct loaded *L, size_t *nrows);

/* Parses value v of column c into row; returns a message or NULL. */
const char *schema_parse_value(const struct colspec *c, const char *v,
			       void *row, struct arena *a);

/* Sorts rows by the id at key_off (a char *), ties by line, and reports
 * each later duplicate naming the line of the first. */
void schema_sort_unique(void *rows, size_t n, size_t size, size_t key_off,
			const struct loaded *L, int key_col, struct diag *d);

#endif
