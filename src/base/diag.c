/* diag.c - see diag.h */
#include "base/diag.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/fsio.h"
#include "base/vec.h"

#include <errno.h>
#include <sysexits.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_SHOWN_MAX 80   /* bytes of a bad value quoted in a message */

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	d->err = stderr;
}

/* Text from a file put in a one-line message: control characters
 * escaped (a line break would split the message), cut after max bytes at
 * a UTF-8 character boundary with an ellipsis. */
static void add_shown(struct buf *b, const char *v, size_t max)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++, n++) {
		if (n >= max && (*p & 0xC0) != 0x80) {
			buf_adds(b, "…");
			break;
		}
		if (*p < 0x20 || *p == 0x7F)
			buf_printf(b, "\\x%02X", *p);
		else
			buf_addc(b, (char)*p);
	}
}

/* A bad value: shown cut to VALUE_SHOWN_MAX bytes. */
static void quote_value(struct buf *b, const char *v)
{
	buf_adds(b, " (value '");
	add_shown(b, v, VALUE_SHOWN_MAX);
	buf_adds(b, "')");
}

struct pending {
	int rank;                   /* order in which its file was first seen */
	long line;
	size_t seq;
	char *text;
};

static int file_rank(struct diag *d, const char *file)
{
	for (int i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i], file) == 0)
			return i;
	d->files = xrealloc(d->files, sizeof *d->files * (size_t)(d->nfiles + 1));
	d->files[d->nfiles] = xstrdup(file);
	return d->nfiles++;
}

void diag_note_file(struct diag *d, const char *file)
{
	file_rank(d, file);
}

static void emit(struct diag *d, const char *kind, const char *file, long line,
		 const char *column, const char *value, const char *fmt,
		 va_list ap)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, file);
	if (line > 0)
		buf_printf(&b, ":%ld", line);
	buf_adds(&b, ": ");
	buf_adds(&b, kind);
	if (column) {             /* a header as the file writes it: whole */
		buf_adds(&b, "column '");
		add_shown(&b, column, (size_t)-1);
		buf_adds(&b, "': ");
	}
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		char tmp[n + 1];
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		buf_adds(&b, tmp);
	}
	if (value)
		quote_value(&b, value);
	VEC_GROW(d->pending, d->npending + 1, d->cappending);
	struct pending *p = &d->pending[d->npending];
	p->rank = file_rank(d, file);
	p->line = line;
	p->seq = d->npending++;
	p->text = buf_detach(&b);
	buf_free(&b);
}

static int by_place(const void *x, const void *y)
{
	const struct pending *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

void diag_flush(struct diag *d)
{
	if (d->npending)
		qsort(d->pending, d->npending, sizeof *d->pending, by_place);
	for (size_t i = 0; i < d->npending; i++) {
		fprintf(d->out, "%s\n", d->pending[i].text);
		free(d->pending[i].text);
	}
	d->npending = 0;
	fflush(d->out);
}

void diag_error(struct diag *d, const char *file, long line,
		const char *column, const char *value, const char *fmt, ...)
{
	d->errors++;
	if (d->errors > DIAG_MAX_PRINTED)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit(d, "", file, line, column, value, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, const char *file, long line,
		  const char *column, const char *value, const char *fmt, ...)
{
	d->warnings++;
	va_list ap;
	va_start(ap, fmt);
	emit(d, "warning: ", file, line, column, value, fmt, ap);
	va_end(ap);
}

void diag_missing(struct diag *d, const char *file, const char *why)
{
	d->missing++;
	fprintf(d->out, "%s: %s\n", file, why);
}

void diag_free(struct diag *d)
{
	diag_flush(d);
	free(d->pending);
	for (int i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->files);
	d->pending = NULL;
	d->files = NULL;
	d->nfiles = 0;
	d->cappending = 0;
}

void diag_finish(struct diag *d)
{
	diag_flush(d);
	if (d->errors > DIAG_MAX_PRINTED)
		fprintf(d->out, "svcbill: ... and %d more errors\n",
			d->errors - DIAG_MAX_PRINTED);
	fflush(d->out);
}

int diag_exit_status(const struct diag *d)
{
	if (d->missing)
		return 66;
	if (d->errors)
		return 65;
	return 0;
}

/* "svcbill: " and the message, at once, after the waiting messages. */
static void say_now(struct diag *d, const char *prefix, const char *fmt,
		    va_list ap)
{
	FILE *f = d ? d->err : stderr;
	if (d)
		diag_flush(d);
	fputs(prefix, f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void diag_fail(struct diag *d, const char *fmt, ...)
{
	d->errors++;
	va_list ap;
	va_start(ap, fmt);
	say_now(d, "svcbill: ", fmt, ap);
	va_end(ap);
}

void diag_note(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say_now(d, "svcbill: ", fmt, ap);
	va_end(ap);
}

void diag_verbose(struct diag *d, const char *fmt, ...)
{
	if (!d->verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	say_now(d, "", fmt, ap);
	va_end(ap);
}

int diag_sys(struct diag *d, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say_now(d, "svcbill: ", fmt, ap);
	va_end(ap);
	return status;
}

int diag_io(struct diag *d, const char *what, const char *path)
{
	int err = errno;            /* before anything can change it */
	const char *unsafe = fsio_refusal(err);
	if (unsafe)
		return diag_sys(d, EX_DATAERR, "%s", unsafe);
	return diag_sys(d, EX_IOERR, "%s %s: %s", what, path, strerror(err));
}

int create_status(int err)
{
	return err == ENOTDIR || err == ENOENT || err == ENAMETOOLONG ||
	       err == ELOOP ? EX_CANTCREAT : EX_IOERR;
}

/* ---- the fatal path ------------------------------------------------------ */

static void (*exit_hook)(int status);

void diag_set_exit(void (*hook)(int status))
{
	exit_hook = hook;
}

void die_with(int status)
{
	fflush(stderr);
	if (exit_hook)
		exit_hook(status);
	abort();
}

void die_internal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("svcbill: internal error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	die_with(EX_SOFTWARE);
}
