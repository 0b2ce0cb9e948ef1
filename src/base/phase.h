/* phase.h - where a run's time goes, for the benchmark and for anyone
 * asking why a month is slow: with SVCBILL_TIMES=1 in the environment,
 * phase_mark() prints to stderr the wall and CPU time spent since the
 * previous mark (or the start), naming the step just finished.  Without
 * it, phase_mark() does nothing but one getenv the first time. */
#ifndef SVCBILL_PHASE_H
#define SVCBILL_PHASE_H

void phase_mark(const char *step_done);

#endif
