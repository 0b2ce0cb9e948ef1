/* pm.h - the preventive-maintenance schedule (rules.md §2.4 pm_months, §5.2,
 * §5.3): when a device's preventive visit (type preventive, 保养) was last
 * done and when the next is due.
 *
 * Pure functions of the data set: no I/O, no clock.  A visit counts on the
 * day it was completed.  The next visit is due N months after the last one
 * (the same day of the month, or the month's last day when it has fewer
 * days), or N months after the device's `from` date when it never had one.
 * A device is overdue at the end of a day E when it is under contract on E
 * and its next visit was due on or before E: no visit was completed in the
 * N months before. */
#ifndef SVCBILL_PM_H
#define SVCBILL_PM_H

#include "base/arena.h"
#include "read/model.h"

struct pm_status {
	int has_last;       /* 1 when a preventive visit was completed by E */
	day_t last;         /* its day */
	day_t due;          /* the next visit's due day */
	int overdue;        /* due <= E and the device is under contract on E */
};

/* d plus n months, the day clamped to the month's length. */
day_t add_months_clamped(day_t d, int64_t n);

/* The schedule of device v at the end of day E; 0 (and *out untouched)
 * when v's contract has no pm_months. */
int pm_status_at(const struct device *v, day_t E, struct pm_status *out);

/* The devices overdue at the end of month `month` (its last day), in
 * device id order; *n gets their count.  The array is in arena a. */
const struct device **pm_overdue(const struct dataset *ds, int month,
				 struct arena *a, size_t *n);

#endif
