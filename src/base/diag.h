/* diag.h - collected diagnostics for bad input.
 *
 * Problems are reported in the GNU form
 *     FILE:LINE: column 'NAME': what is wrong (value '...')
 * and counted; the run decides the exit status from the counts once every
 * file has been read, so a user sees all problems of a data set at once. */
#ifndef SVCBILL_DIAG_H
#define SVCBILL_DIAG_H

#include <stdio.h>

#define DIAG_MAX_PRINTED 1000   /* errors printed before "... and N more" */

struct pending;

struct diag {
	FILE *out;              /* where messages go (stderr; tests: a tmpfile) */
	int errors;             /* data errors (exit 65) */
	int missing;            /* missing or unreadable input files (exit 66) */
	int warnings;
	/* messages wait here so that they print in file and line order */
	struct pending *pending;
	size_t npending, cappending;
	char **files;
	int nfiles;
};

void diag_init(struct diag *d, FILE *out);

/* A data error.  column and value may be NULL; line 0 omits the line. */
void diag_error(struct diag *d, const char *file, long line,
		const char *column, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

void diag_warning(struct diag *d, const char *file, long line,
		  const char *column, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Fixes the order in which a file's messages print (files noted first
 * print first). */
void diag_note_file(struct diag *d, const char *file);

/* A missing or unreadable input file (exit 66). */
void diag_missing(struct diag *d, const char *file, const char *why);

/* Prints the waiting messages, by file (in the order files were first
 * named) and line. */
void diag_flush(struct diag *d);
/* Flushes, then prints the "... and N more" line if messages were cut. */
void diag_finish(struct diag *d);
/* Flushes and frees. */
void diag_free(struct diag *d);

/* 0, 65 or 66 from the counts (66 wins over 65, SPEC §2). */
int diag_exit_status(const struct diag *d);

#endif
