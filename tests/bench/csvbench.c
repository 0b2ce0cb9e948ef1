/* csvbench.c - throughput of the production reader (csv_read_file: read,
 * decode, parse, trim) on one file.  Not a test: the number goes in the
 * notes.   usage: csvbench FILE [REPEATS] */
#include "read/csvread.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 64;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	struct stat st;
	if (stat(argv[1], &st) != 0)
		return 66;
	double best = 0;
	size_t rows = 0;
	for (int i = 0; i < reps; i++) {
		struct arena a = { 0 };
		struct diag d;
		FILE *sink = fopen("/dev/null", "w");
		diag_init(&d, sink);
		struct csv_table t;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		csv_read_file(argv[1], argv[1], 0, &a, &d, &t);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) +
			   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		double mbs = (double)st.st_size / 1e6 / s;
		if (mbs > best)
			best = mbs;
		rows = t.nrows;
		if (d.errors)
			fprintf(stderr, "%d errors\n", d.errors);
		diag_free(&d);
		fclose(sink);
		arena_free(&a);
	}
	printf("%.1f MB in %zu rows: best of %d %.1f MB/s\n",
	       (double)st.st_size / 1e6, rows, reps, best);
	return 0;
}
