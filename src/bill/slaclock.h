/* slaclock.h - the SLA response clock of rules.md §3.3 in service hours.
 *
 * A contract with a service window (service_days and/or service_hours)
 * counts its response limit in service time: only the part of each
 * working day inside the window counts, a working day being a day whose
 * weekday is a service day and that the holiday calendar does not mark
 * holiday, or a day it marks workday (调休).  A "day" of lateness is then
 * the window's length.  Emergencies and contracts without a window keep
 * the wall clock (rules.c, sla_days_late).
 *
 * Pure functions: no I/O, no globals, no clock.  Times are seconds since
 * 1970-01-01 00:00 local wall-clock time (as the model stores datetimes),
 * so a response given to the second is measured to the second; all
 * arithmetic is integer and exact. */
#ifndef SVCBILL_SLACLOCK_H
#define SVCBILL_SLACLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "read/model.h"

/* Day of the week of a day number: 1 = Monday ... 7 = Sunday. */
int weekday_of(day_t d);

/* 1 when d is a working day of contract c under the calendar cal (nh rows
 * sorted by date, dates unique). */
int sla_working_day(const struct contract *c, const struct holiday *cal,
		    size_t nh, day_t d);

/* Service seconds of c's window between from and to (0 when to <= from).
 * Cost: O(log nh + holidays between) whatever the span. */
int64_t sla_service_seconds(const struct contract *c,
			    const struct holiday *cal, size_t nh,
			    int64_t from, int64_t to);

/* Days late in service time: ceil((response - limit) / window length),
 * 0 when in time or when the limit (hours x 100) is 0. */
int64_t sla_service_days_late(const struct contract *c,
			      const struct holiday *cal, size_t nh,
			      int64_t called, int64_t reached,
			      int64_t limit_centi_hours);

#endif
