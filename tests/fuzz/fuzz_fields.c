/* Fuzz target: the field parsers.  The first byte picks the parser, the
 * rest is the value.  What parses must print back and parse to the same
 * value (money, percent, quantities, dates). */
#include "base/buf.h"
#include "base/date.h"
#include "read/fields.h"
#include "base/money.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256)
		return 0;
	char s[257];
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	int64_t v, w;
	char out[40];
	switch (data[0] % 6) {
	case 0:
		if (!parse_money(s, 1, &v)) {
			money_plain(v, out);
			if (parse_money(out, 1, &w) || w != v)
				abort();
			struct buf b;
			buf_init(&b);
			money_words_zh(v, &b);
			money_words_en(v, &b);
			buf_free(&b);
		}
		break;
	case 1:
		if (!parse_percent(s, &v)) {
			pct_plain(v, out);
			if (parse_percent(out, &w) || w != v)
				abort();
		}
		break;
	case 2:
		if (!parse_centi(s, &v)) {
			centi_plain(v, out);
			if (parse_centi(out, &w) || w != v)
				abort();
		}
		break;
	case 3:
		(void)parse_int(s, &v);
		break;
	case 4:
		if (!parse_date(s, &v)) {
			date_format(v, out);
			if (parse_date(out, &w) || w != v)
				abort();
		}
		break;
	case 5:
		(void)parse_datetime(s, &v);
		break;
	}
	return 0;
}
