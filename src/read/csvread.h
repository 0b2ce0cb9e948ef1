/* csvread.h - read one CSV export into rows of trimmed UTF-8 fields.
 *
 * The only module that uses libcsv.  It knows the physical line each record
 * starts on (libcsv reports no positions, so lines are fed one at a time),
 * detects the delimiter from the header, skips blank and all-empty rows
 * (also before the header), keeps every value's bytes but the trimmed
 * blanks, and reports malformed quoting (on the record's first line, with
 * the column's header and the field as written) and ragged rows through
 * diag. */
#ifndef SVCBILL_CSVREAD_H
#define SVCBILL_CSVREAD_H

#include <stddef.h>
#include <sys/types.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/textenc.h"

/* Limits (documented in the README): a bigger file, a longer field or a
 * wider row is a data error, never a crash or a silent cut. */
#define CSV_MAX_FILE_BYTES ((size_t)512 << 20)
#define CSV_MAX_FIELD_BYTES ((size_t)1 << 20)
#define CSV_MAX_FIELDS 1000

struct csv_row {
	long line;                  /* physical line the record starts on */
	int nfields;
	char **fields;              /* trimmed, NUL-terminated, in the arena */
};

struct csv_table {
	const char *file;           /* name used in messages */
	enum text_encoding enc;
	char delim;
	int has_header;             /* 0 for an empty file */
	struct csv_row header;
	struct csv_row *rows;       /* data rows, in the arena */
	size_t nrows;
};

/* Parse decoded UTF-8 text.  Bad records are reported and left out; returns
 * the number of errors reported. */
int csv_parse_text(const char *text, size_t len, const char *file,
		   struct arena *a, struct diag *d, struct csv_table *t);

/* The same, feeding libcsv at most chunk bytes at a time (0: no limit):
 * for tests that every split of the input parses alike. */
int csv_parse_text_chunked(const char *text, size_t len, size_t chunk,
			   const char *file, struct arena *a, struct diag *d,
			   struct csv_table *t);

/* Read, decode and parse a file.  Returns 0 when read (even with data
 * errors, which go to diag), -1 when the file is missing or unreadable
 * (reported with diag_missing unless optional and absent: then 1). */
int csv_read_file(const char *path, const char *display, int optional,
		  struct arena *a, struct diag *d, struct csv_table *t);

/* The same for a file that may be large and is wanted a row at a time
 * (payments.csv, which grows by a row per invoice for the company's
 * life): each data row is given to each() as soon as it is parsed, its
 * fields living only until a few thousand rows later (copy what is
 * kept); t->rows stays NULL and t->nrows counts them; the header is in
 * a.  The file's bytes are let go behind the parse (file_text_read_once),
 * so that neither the file nor its records are ever held whole (but for
 * a file in another encoding than UTF-8, whose UTF-8 copy is made
 * whole first). */
typedef void csv_each_fn(void *ctx, const struct csv_table *t,
			 const struct csv_row *row);
int csv_read_file_each(const char *path, const char *display, int optional,
		       struct arena *a, struct diag *d, struct csv_table *t,
		       csv_each_fn *each, void *ctx);

/* Detect the delimiter of the header, the first line that is not an
 * empty row (each line before it split with its own delimiter): the most
 * frequent of comma, tab and semicolon outside quotes; ties prefer comma,
 * then tab. */
char csv_detect_delim(const char *text, size_t len);

/* Trim spaces, tabs and U+3000 from both ends, in place; nothing else of
 * the value changes (a space is never taken for part of a U+3000). */
char *csv_trim(char *s);

#endif
