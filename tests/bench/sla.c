/* Cost of the service-hour SLA clock: a month of 5,000 records against a
 * 10-year holiday calendar.  Not a test: the numbers go in the notes.
 *   make svcbill && cc -std=c17 -D_GNU_SOURCE -O2 -Isrc -o build/bench_sla \
 *       tests/bench/sla.c build/slaclock.o build/date.o && build/bench_sla */
#include "bill/slaclock.h"

#include <stdio.h>
#include <time.h>

#define NREC 5000
#define ROUNDS 200

int main(void)
{
	/* 10 years, 2020-2029: 33 rows a year as China's calendar has
	 * (about 27 holidays and 6 make-up days), spread over the year */
	static struct holiday cal[330];
	size_t nh = 0;
	for (int y = 2020; y < 2030; y++)
		for (int k = 0; k < 33; k++) {
			cal[nh].date = date_from_ymd(y, 1 + k / 3, 1 + (k % 3) * 9);
			cal[nh].kind = k % 6 == 5 ? HK_WORKDAY : HK_HOLIDAY;
			cal[nh].name = "";
			nh++;
		}
	struct contract c = { 0 };
	c.service_days = 0x1f;
	c.service_hours.open = 9 * 60;
	c.service_hours.close = 17 * 60;
	c.has_window = 1;
	static int64_t called[NREC], reached[NREC];
	unsigned s = 14;
	int64_t nov = date_from_ymd(2026, 11, 1) * 86400;
	for (int i = 0; i < NREC; i++) {
		s = s * 1103515245u + 12345u;
		called[i] = nov + (int64_t)(s >> 8) % (30 * 86400);
		s = s * 1103515245u + 12345u;
		/* most within a few days, one in 50 takes months */
		int64_t span = i % 50 ? (int64_t)(s >> 8) % (6 * 86400) :
			       (int64_t)(s >> 8) % (200 * 86400);
		reached[i] = called[i] + span;
	}
	struct timespec t0, t1;
	int64_t sum = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < NREC; i++)
			sum += sla_service_days_late(&c, cal, nh, called[i],
						     reached[i], 1600);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
		     (double)(t1.tv_nsec - t0.tv_nsec)) / ROUNDS;
	printf("%d records, %zu calendar rows: %.3f ms per month "
	       "(%.0f ns per record); days late in all %lld\n", NREC, nh,
	       ns / 1e6, ns / NREC, (long long)(sum / ROUNDS));
	return 0;
}
