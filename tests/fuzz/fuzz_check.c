/* Fuzz target: the whole `svcbill check` pipeline, then the fee engine,
 * on a data set of ten files.  The input is split into the files at each
 * "\n%%\n"; they are written to a temporary folder and read back. */
#include "base/diag.h"
#include "read/load.h"
#include "bill/rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"issuer.csv", "clients.csv", "contracts.csv", "rates.csv",
	"devices.csv", "service_records.csv", "parts.csv", "parts_used.csv",
	"charges.csv", "payments.csv",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64];
	static FILE *sink;
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/svcbill-fuzz.%ld", (long)getpid());
		if (mkdir(dir, 0700) != 0 && access(dir, W_OK) != 0)
			abort();
		sink = fopen("/dev/null", "w");
	}
	const uint8_t *p = data, *end = data + size;
	for (int i = 0; i < 10; i++) {
		const uint8_t *sep = NULL;
		for (const uint8_t *q = p; q + 4 <= end; q++)
			if (!memcmp(q, "\n%%\n", 4)) {
				sep = q;
				break;
			}
		const uint8_t *stop = sep ? sep : end;
		char path[128];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "wb");
		if (!f)
			abort();
		fwrite(p, 1, (size_t)(stop - p), f);
		fclose(f);
		p = sep ? sep + 4 : end;
	}
	struct arena a = { 0 };
	struct diag d;
	diag_init(&d, sink);
	struct dataset ds;
	load_dataset(dir, &a, &d, &ds);
	diag_free(&d);
	if (diag_exit_status(&d) == 0) {
		struct bill_input in = { .ds = &ds,
					 .period = 2026 * 12 + 11,
					 .issue_date = month_first_day(2026 * 12 + 11) };
		size_t n;
		struct invoice *inv = bill_period(&in, &a, &n);
		for (size_t i = 0; i < n; i++) {
			int64_t sum = 0;
			for (size_t k = 0; k < inv[i].nlines; k++)
				sum += inv[i].lines[k].amount;
			if (sum != inv[i].net || inv[i].net + inv[i].tax !=
			    inv[i].gross)
				abort();
		}
	}
	dataset_free(&ds);
	arena_free(&a);
	return 0;
}
