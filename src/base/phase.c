/* phase.c - see phase.h */
#include "base/phase.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void phase_mark(const char *step_done)
{
	static int enabled = -1;
	static double wall0, cpu0;
	if (enabled < 0) {
		const char *e = getenv("SVCBILL_TIMES");
		enabled = e && e[0] && e[0] != '0';
	}
	if (!enabled)
		return;
	/* the process's own CPU: workers report their own share on exit */
	double wall = seconds(CLOCK_MONOTONIC);
	double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
	if (wall0 == 0) {       /* the first mark: from the process's start */
		wall0 = wall - cpu;
		cpu0 = 0;
	}
	fprintf(stderr, "svcbill: time: %-28s %8.1f ms wall %8.1f ms CPU\n",
		step_done, (wall - wall0) * 1e3, (cpu - cpu0) * 1e3);
	wall0 = wall;
	cpu0 = cpu;
}
