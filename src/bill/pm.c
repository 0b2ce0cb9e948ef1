/* pm.c - see pm.h. */
#include "bill/pm.h"

day_t add_months_clamped(day_t d, int64_t n)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int64_t mon = (int64_t)y * 12 + (m - 1) + n;
	int ny = (int)(mon / 12), nm = (int)(mon % 12) + 1;
	int dim = days_in_month(ny, nm);
	return date_from_ymd(ny, nm, dd < dim ? dd : dim);
}

int pm_status_at(const struct device *v, day_t E, struct pm_status *out)
{
	const struct contract *c = v->contract;
	if (!c || c->pm_months <= 0)
		return 0;
	struct pm_status s = { 0, 0, 0, 0 };
	/* records are in completion order: the last preventive one by E */
	for (size_t i = 0; i < v->nrecords; i++) {
		const struct record *r = v->records[i];
		day_t day = r->completed_at >= 0 ? r->completed_at / 86400 :
			    (r->completed_at - 86399) / 86400;
		if (day > E)
			break;
		if (r->type == RT_PREVENTIVE) {
			s.has_last = 1;
			s.last = day;
		}
	}
	s.due = add_months_clamped(s.has_last ? s.last : v->from,
				   c->pm_months);
	day_t to = v->to < c->end ? v->to : c->end;
	day_t from = v->from > c->start ? v->from : c->start;
	s.overdue = from <= E && E <= to && s.due <= E;
	*out = s;
	return 1;
}

const struct device **pm_overdue(const struct dataset *ds, int month,
				 struct arena *a, size_t *n)
{
	day_t E = month_last_day(month);
	const struct device **out = arena_alloc(a, sizeof *out *
						(ds->ndevices + 1));
	*n = 0;
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct pm_status s;
		if (pm_status_at(&ds->devices[i], E, &s) && s.overdue)
			out[(*n)++] = &ds->devices[i];
	}
	return out;
}
