/* phase.h - where a run's time goes, for the benchmark and for anyone
 * asking why a month is slow: with SVCBILL_TIMES=1 in the environment,
 * phase_mark() prints to stderr the wall and CPU time spent since the
 * previous mark (or the start), naming the step just finished.  Without
 * it, phase_mark() does nothing but one getenv the first time. */
#ifndef SVCBILL_PHASE_H
#define SVCBILL_PHASE_H

void phase_mark(const char *step_done);

/* Steps repeated per document, summed: phase_on() says whether times are
 * wanted at all (so that the clock is not read otherwise), phase_cpu() is
 * the calling thread's CPU seconds, phase_tally(k, what, s) adds s seconds
 * to tally k (0 .. PHASE_TALLIES-1, named what) and counts one, and
 * phase_tallies_print() prints and clears every tally used. */
#define PHASE_TALLIES 16
int phase_on(void);
double phase_cpu(void);
void phase_tally(int k, const char *what, double seconds);
void phase_tallies_print(void);

#endif
