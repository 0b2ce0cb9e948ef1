/* archive.h - the archive checked against itself (svcbill verify). */
#ifndef SVCBILL_ARCHIVE_H
#define SVCBILL_ARCHIVE_H

#include "base/diag.h"
#include "ledger/ledger.h"

/* Prints one line per problem of the archive's files (the ledger itself
 * is checked by ledger_load): each register row's PDF and hash, PDFs the
 * register does not name, each period's SHA256SUMS (every file listed,
 * with its hash), links and pipes; with seal, that the chain recomputed
 * from the first row reaches it.  Returns how many problems. */
int verify_archive(const char *root, const struct ledger *lg,
		   const char *seal, struct arena *a);

#endif
