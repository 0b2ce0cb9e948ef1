/* rowrules.h - the rules of rules.md §2 that look across rows and files,
 * run by load_dataset() once every file is read and the id-keyed arrays
 * are sorted.  Internal to read/ and its unit tests. */
#ifndef SVCBILL_ROWRULES_H
#define SVCBILL_ROWRULES_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "read/model.h"
#include "read/schema.h"

/* Which files references are checked against.  A reference into a file
 * that could not be read, or whose rows were malformed, is not checked:
 * the file's own problems were reported, and every row naming a row that
 * was left out would only repeat them. */
struct refs {
	int clients, contracts, rates, devices, records, parts;
};

/* issuer.csv: exactly one row, copied to ds->issuer; the invoice prefix */
void check_issuer(struct dataset *ds, struct issuer *rows, size_t n,
		  const struct loaded *L, struct diag *d);
/* the client; dates; the cycle; the preventive cycle; the fee the type
 * needs; sla_emergency_hours and has_window defaults */
void check_contracts(struct dataset *ds, const struct refs *ok,
		     const struct loaded *L, struct diag *d);
/* sorts ds->rates; the contract; one rate per contract and class */
void check_rates(struct dataset *ds, const struct refs *ok,
		 const struct loaded *L, struct diag *d);
/* the contract; from/to (defaults: the contract's dates); the rate or
 * the purchase price the contract's type needs */
void check_devices(struct dataset *ds, const struct refs *ok,
		   const struct loaded *L, struct diag *d);
/* the device; the level; the order of the times; manufacturer charges */
void check_records(struct dataset *ds, const struct refs *ok,
		   const struct loaded *L, struct diag *d);
/* the record; the part or a list price */
void check_part_uses(struct dataset *ds, const struct refs *ok,
		     const struct loaded *L, struct diag *d);
void check_charges(struct dataset *ds, const struct refs *ok,
		   const struct loaded *L, struct diag *d);
/* a payments.csv row's amount more than 0 (each row as it is read:
 * load.c keeps only some) */
void check_payment(const struct payment *p, const struct loaded *L,
		   struct diag *d);
/* sorts ds->holidays by date; one row per date */
void check_holidays(struct dataset *ds, const struct loaded *L,
		    struct diag *d);
/* a known kind, once (sorts by kind); a 19-digit tax code */
void check_fapiao_items(struct dataset *ds, const struct loaded *L,
			struct diag *d, struct arena *a);

#endif
