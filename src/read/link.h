/* link.h - the rows of a data set joined up: lookups by id (the sorted
 * arrays of struct dataset) and each parent's array of its children.
 * Internal to read/ (load.c, rowrules.c) and its unit tests. */
#ifndef SVCBILL_LINK_H
#define SVCBILL_LINK_H

#include "base/arena.h"
#include "read/model.h"

/* The first rate row for (contract, class), or NULL; ds->rates sorted by
 * rate_order. */
const struct rate *find_rate(const struct dataset *ds, const char *contract,
			     const char *class);
/* qsort order of rates: contract, class, then line. */
int rate_order(const void *x, const void *y);

/* The data set's id tables (find_client() ... find_part() in one step),
 * once its arrays are sorted by id; the arrays must not move after. */
void link_index_ids(struct dataset *ds, struct arena *a);

/* Each contract's devices in device_id order (devices must be linked to
 * their contracts); each device's records in completion order; each
 * record's parts in file order.  Arrays in the arena. */
void attach_devices(struct dataset *ds, struct arena *a);
void attach_records(struct dataset *ds, struct arena *a);
void attach_part_uses(struct dataset *ds, struct arena *a);

#endif
