/* ledger_read.c - what a run's read of the ledger keeps of each line:
 * reads ARCHIVE as the run of PERIOD does (ledger_load_from, the index
 * taken when it can be) and prints, after a first line saying whether
 * the index was used ("index 1"), one line per line read:
 *   invoice_no TAB line_no TAB contract_id TAB device_id TAB record_id
 *   TAB description_zh TAB description_en TAB qty TAB unit_price
 * (the line's fields as it keeps them: qty and unit price as written)
 * (values with a tab or a line break are printed as they are; the tests
 * use none).   build/ledger_read ARCHIVE PERIOD(YYYY-MM) */
#include "base/date.h"
#include "base/diag.h"
#include "ledger/ledger.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 64;
	int period = month_parse(argv[2]);
	if (period < 0)
		return 64;
	struct arena a = { 0 };
	struct diag d;
	diag_init(&d, stderr);
	struct ledger lg;
	struct settle_want want = { .run_period = period };
	int rc = ledger_load_from(&lg, argv[1], LEDGER_READ, period, &want,
				  &a, &d);
	if (rc == 0) {
		printf("index %d\n", lg.index_used);
		for (size_t i = 0; i < lg.nlines; i++) {
			const struct ledger_line *ll = &lg.lines[i];
			printf("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			       ll->invoice_no, ll->line_no, ll->contract_id,
			       ll->l.device_id, ll->l.record_id, ll->l.desc_zh,
			       ll->l.desc_en, ll->l.qty_s, ll->l.price_s);
		}
	}
	diag_free(&d);
	arena_free(&a);
	return rc;
}
