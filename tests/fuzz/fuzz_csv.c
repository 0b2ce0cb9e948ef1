/* Fuzz target: raw bytes of one CSV file -> encoding detection and
 * conversion -> the CSV reader. */
#include "read/csvread.h"
#include "base/textenc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	struct decoded dec;
	if (text_decode(data, size, &dec) != 0)
		return 0;
	struct arena a = { 0 };
	struct diag d;
	diag_init(&d, sink);
	struct csv_table t;
	csv_parse_text(dec.text, dec.len, "fuzz.csv", &a, &d, &t);
	/* every row has the header's width */
	for (size_t i = 0; i < t.nrows; i++)
		if (t.rows[i].nfields != t.header.nfields)
			abort();
	diag_free(&d);
	arena_free(&a);
	if (!dec.borrowed)
		free(dec.text);
	return 0;
}
