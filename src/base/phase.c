/* phase.c - see phase.h */
#include "base/phase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double seconds(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int phase_on(void)
{
	static int enabled = -1;
	if (enabled < 0) {
		const char *e = getenv("SVCBILL_TIMES");
		enabled = e && e[0] && e[0] != '0';
	}
	return enabled;
}

double phase_cpu(void)
{
	return seconds(CLOCK_THREAD_CPUTIME_ID);
}

static struct {
	const char *what;
	double seconds;
	unsigned long n;
} tally[PHASE_TALLIES];

void phase_tally(int k, const char *what, double s)
{
	if (k < 0 || k >= PHASE_TALLIES)
		return;
	tally[k].what = what;
	tally[k].seconds += s;
	tally[k].n++;
}

void phase_tallies_print(void)
{
	for (int k = 0; k < PHASE_TALLIES; k++) {
		if (!tally[k].n)
			continue;
		fprintf(stderr, "svcbill: time:   %-26s %8.1f ms CPU in %lu, "
			"%.3f ms each\n", tally[k].what, tally[k].seconds * 1e3,
			tally[k].n, tally[k].seconds * 1e3 / (double)tally[k].n);
		tally[k].n = 0;
		tally[k].seconds = 0;
	}
}

void phase_mark(const char *step_done)
{
	static double wall0, cpu0;
	static long faults0;
	if (!phase_on())
		return;
	/* first touches of memory: on a virtual machine each costs more
	 * than most of the computing done on the page (docs/performance.md) */
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		memset(&ru, 0, sizeof ru);
	long faults = ru.ru_minflt;
	/* the process's own CPU: workers report their own share on exit */
	double wall = seconds(CLOCK_MONOTONIC);
	double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
	if (wall0 == 0) {       /* the first mark: from the process's start */
		wall0 = wall - cpu;
		cpu0 = 0;
	}
	/* and the process's peak so far: which phase sets the run's */
	fprintf(stderr, "svcbill: time: %-28s %8.1f ms wall %8.1f ms CPU "
		"%6ld page faults, peak %5.1f MB\n", step_done,
		(wall - wall0) * 1e3, (cpu - cpu0) * 1e3, faults - faults0,
		ru.ru_maxrss / 1024.0);
	wall0 = wall;
	cpu0 = cpu;
	faults0 = faults;
	phase_tallies_print();
}
