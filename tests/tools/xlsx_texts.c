/* xlsx_texts.c - writes each argument as a text cell through the
 * workbook code the run uses (xlsx_sheet), so that tests can put texts
 * in a workbook that input files cannot carry (the CSV reader trims a
 * leading tab).   build/xlsx_texts OUT.xlsx TEXT... */
#include "base/fsio.h"
#include "xlsx/util.h"

#include <stdio.h>
#include <stdlib.h>

static char **texts;

static void fill(void *ctx, size_t row, struct xlsx_cell *c)
{
	(void)ctx;
	c[0] = (struct xlsx_cell){ .s = texts[row] };
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 64;
	texts = argv + 2;
	static const struct xlsx_col cols[] = { { "文本", "Text", XT_TEXT } };
	struct xlsx_file f;
	unsigned char *data;
	size_t len;
	if (!xlsx_begin(&f, XLSX_SHARED, stderr, "texts", "svcbill tests", 20000) ||
	    xlsx_sheet(&f, "texts", cols, 1, (size_t)(argc - 2), fill, NULL) ||
	    xlsx_end(&f, &data, &len))
		return 74;
	int rc = write_file_atomic(argv[1], data, len) ? 74 : 0;
	free(data);
	return rc;
}
