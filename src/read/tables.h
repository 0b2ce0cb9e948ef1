/* tables.h - the input files of a data folder, one column table each.
 *
 * input_tables[f] describes input file f: its columns, row i of each
 * being the column whose id (read/model.h) is i.  The reader, svcbill
 * init's templates and the input reference's check all read these
 * tables; nothing else lists the columns. */
#ifndef SVCBILL_TABLES_H
#define SVCBILL_TABLES_H

#include <stddef.h>

#include "read/schema.h"

enum input_file {
	IN_ISSUER, IN_CLIENTS, IN_CONTRACTS, IN_RATES, IN_DEVICES,
	IN_RECORDS, IN_PARTS, IN_PART_USES, IN_CHARGES, IN_PAYMENTS,
	IN_HOLIDAYS, IN_FAPIAO_ITEMS, IN_COUNT
};

extern const struct table input_tables[IN_COUNT];

/* The start-up assertion: -1 when every table passes schema_check() and
 * table f is for file f; else the first bad file. */
int tables_check(void);

#endif
