/* xlsx_bench.c - the time the two workbooks add to a run: loads a data
 * folder and a billed archive, then builds summary.xlsx and fapiao.xlsx
 * with the production functions, as the run does after its ledger rows.
 *   build/xlsx_bench DATA ARCHIVE PERIOD(YYYY-MM) */
#include "ledger/ledger.h"
#include "read/load.h"
#include "xlsx/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 64;
	struct arena a = { 0 };
	struct diag d;
	diag_init(&d, stderr);
	struct dataset ds;
	struct ledger lg;
	load_dataset(argv[1], &a, &d, &ds);
	if (diag_exit_status(&d) || ledger_load(&lg, argv[2], 0, &a, &d))
		return 65;
	int period = month_parse(argv[3]);
	day_t issued = month_first_day(period);
	unsigned char *data;
	size_t len;
	double t0 = now();
	if (xlsx_summary(&ds, &lg, period, issued, stderr, &data, &len))
		return 74;
	double t1 = now();
	size_t slen = len;
	free(data);
	FILE *devnull = fopen("/dev/null", "w");
	if (xlsx_fapiao(&ds, &lg, period, issued, devnull, &data, &len))
		return 74;
	double t2 = now();
	free(data);
	fclose(devnull);
	printf("workbooks: summary.xlsx %.3f s (%zu KB), fapiao.xlsx %.3f s "
	       "(%zu KB), %zu lines in the register\n", t1 - t0, slen / 1024,
	       t2 - t1, len / 1024, lg.nlines);
	diag_free(&d);
	dataset_free(&ds);
	arena_free(&a);
	return 0;
}
