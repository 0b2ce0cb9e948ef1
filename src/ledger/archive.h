/* archive.h - the archive checked against itself (svcbill verify). */
#ifndef SVCBILL_ARCHIVE_H
#define SVCBILL_ARCHIVE_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "ledger/ledger.h"

/* Prints one line per problem of the archive's files (the ledger itself
 * is checked by ledger_load): each register row's PDF and hash, PDFs the
 * register does not name, each period's SHA256SUMS (every file listed,
 * with its hash), any other file or folder in a period folder (at any
 * depth, hidden ones too), links and pipes; with seal, that the chain
 * recomputed from the first row reaches it.  Returns how many problems. */
int verify_archive(const char *root, const struct ledger *lg,
		   const char *seal, struct arena *a);

/* ---- a period's SHA256SUMS: run writes it (out/commit.c), verify and
 * the next run read it ---- */

/* 1 when rel (relative to a period folder) has the name of a file svcbill
 * writes there: summary.pdf, summary.csv, summary.xlsx, fapiao.xlsx,
 * invoices/NAME.pdf or sheets/NAME.pdf, NAME not hidden (invoice numbers
 * and ids made safe never start with '.').  Which invoices and sheets a
 * period has is for the register, the run and SHA256SUMS to say. */
int archive_period_name(const char *rel);

/* One line of SHA256SUMS, as sha256sum writes it: a name with a line
 * feed, carriage return or backslash escaped and the line then starting
 * with '\', so that no name can break a line or be read as another. */
void sums_line(struct buf *b, const char *sha, const char *name);

/* name with those characters escaped as in SHA256SUMS: a message that
 * names a file stays one line. */
const char *sums_shown(const char *name, struct arena *a);

/* A period's SHA256SUMS as read: its names (unescaped) with their hashes,
 * in byte order of the names, and the lines that are not such a line. */
struct sums_entry {
	const char *name;
	const char *sha;
};
struct sums {
	char *text;
	struct sums_entry *v;
	size_t n;
	long *bad;                  /* line numbers of malformed lines */
	size_t nbad;
};
/* 0, or -1 with errno when the file cannot be read. */
int sums_read(const char *path, struct sums *s);
const struct sums_entry *sums_find(const struct sums *s, const char *name);
void sums_free(struct sums *s);

#endif
