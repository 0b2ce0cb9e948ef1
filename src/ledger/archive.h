/* archive.h - checks that need the archive: the data against what was
 * already billed (SPEC §2, the register rule), and the archive against
 * itself (svcbill verify). */
#ifndef SVCBILL_ARCHIVE_H
#define SVCBILL_ARCHIVE_H

#include "base/diag.h"
#include "ledger/ledger.h"
#include "read/model.h"

/* A contract whose start or cycle_months changed after one of its cycles
 * was billed (or whose end now falls before a billed cycle) is a data
 * error, reported on its contracts.csv line. */
void check_billed_cycles(const struct dataset *ds, const struct ledger *lg,
			 const char *data_dir, struct arena *a,
			 struct diag *d);

/* Prints one line per problem of the archive's files (the ledger itself
 * is checked by ledger_load): each register row's PDF and hash, PDFs the
 * register does not name, each period's SHA256SUMS (every file listed,
 * with its hash), links and pipes; with seal, that the chain recomputed
 * from the first row reaches it.  Returns how many problems. */
int verify_archive(const char *root, const struct ledger *lg,
		   const char *seal, struct arena *a);

#endif
