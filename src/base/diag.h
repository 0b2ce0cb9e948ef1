/* diag.h - the one error channel.
 *
 * The rule (docs/errors.md says it for users):
 *
 *   What went wrong                 How it is reported               Exit
 *   ------------------------------  -------------------------------  ----
 *   a bad input value or row        diag_error(): FILE:LINE: column   65
 *                                   'NAME': what (value '...'),
 *                                   collected, printed in file and
 *                                   line order once a stage is done
 *   a missing input file            diag_missing()                    66
 *   a problem with no input line    diag_fail(): "svcbill: what",     65
 *   (a re-run refused, an archive   printed at once, counted as a
 *   file that is not as recorded)   data error
 *   a system error (I/O, a folder   diag_io() / diag_sys(): printed   73,
 *   that cannot be made, fork)      at once; they return the status   74,
 *                                   to hand up                        71..
 *   the command line is wrong       main.c prints the usage           64
 *   a bug, or memory exhausted      die_internal(),                   70
 *                                   die_out_of_memory(): the one
 *                                   fatal path, below
 *
 * Which layer returns what:
 *   - base/ returns 0, or -1 with errno set (fsio), and prints nothing;
 *   - read/, ledger/, bill/, plan/ report through the struct diag they
 *     are handed and return 0 or an exit status (65, 66, 74); bill/ and
 *     plan/ do no I/O at all;
 *   - docs/, pdf/, xlsx/ return 0 or nonzero with the reason in a buffer
 *     the caller gives them (pdf_render: -2 for an I/O error);
 *   - out/ and cmd/ turn every failure into one message through diag and
 *     return an exit status (sysexits.h) up to main;
 *   - main.c alone turns it into the process's exit status; nothing else
 *     calls exit() (render workers end with _exit(), as forked children
 *     must).  The fatal path ends the process through the hook main.c
 *     installs (diag_set_exit); without one (the unit tests) it aborts.
 * stdout carries only a command's result (the summary line, verify's
 * count of rows and problems); every message goes to stderr, verify's
 * problems included. */
#ifndef SVCBILL_DIAG_H
#define SVCBILL_DIAG_H

#include <stdio.h>

#define DIAG_MAX_PRINTED 1000   /* errors printed before "... and N more" */

struct pending;

struct diag {
	FILE *out;              /* where data problems go (stderr; tests: a tmpfile) */
	FILE *err;              /* where the rest goes ("svcbill: ..."): stderr */
	int verbose;            /* --verbose: diag_verbose() prints */
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

/* A problem not on a line of an input file (a re-run refused, a file of
 * the archive not as the register records it): printed at once, after
 * the waiting messages, as "svcbill: MESSAGE"; counted as a data error. */
void diag_fail(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Not a problem, but to be known ("svcbill: MESSAGE"), printed at once. */
void diag_note(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* With --verbose only: the line as given, printed at once. */
void diag_verbose(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A system error: "svcbill: MESSAGE" printed at once; returns status (the
 * exit status the caller hands up unchanged).  d may be NULL where no
 * command has started a diag yet (main.c, init): stderr then. */
int diag_sys(struct diag *d, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A failed file operation, from errno: "svcbill: WHAT PATH: strerror"
 * and 74 (EX_IOERR); or, when the archive holds what svcbill refuses to
 * follow (fsio_refusal), that reason and 65. */
int diag_io(struct diag *d, const char *what, const char *path);

/* The exit status for a folder or file that cannot be made: 73 when the
 * path cannot be one (ENOTDIR, ENOENT, ENAMETOOLONG, ELOOP), else 74 (a
 * place that cannot be written, full or read-only). */
int create_status(int err);

/* Prints the waiting messages, by file (in the order files were first
 * named) and line. */
void diag_flush(struct diag *d);
/* Flushes, then prints the "... and N more" line if messages were cut. */
void diag_finish(struct diag *d);
/* Flushes and frees. */
void diag_free(struct diag *d);

/* 0, 65 or 66 from the counts (66 wins over 65, rules.md §2). */
int diag_exit_status(const struct diag *d);

/* ---- the fatal path ---------------------------------------------------- */

/* How the process ends on a fatal error: main.c installs exit(). */
void diag_set_exit(void (*hook)(int status));

/* Ends the process with status through the hook (abort() without one). */
_Noreturn void die_with(int status);

/* A bug svcbill's own checks caught: "svcbill: internal error: MESSAGE"
 * on stderr, then status 70.  (Out of memory: die_out_of_memory(),
 * base/arena.h, the same path.) */
_Noreturn void die_internal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
