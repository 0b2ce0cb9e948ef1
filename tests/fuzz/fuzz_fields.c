/* Fuzz target: the field parsers.  The first byte picks the parser, the
 * rest is the value.  What parses must print back and parse to the same
 * value (money, percent, quantities, dates, the service window). */
#include "base/buf.h"
#include "base/date.h"
#include "read/fields.h"
#include "base/money.h"

#include <stdint.h>
#include <stdio.h>
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
	int days, open, close;
	switch (data[0] % 8) {
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
	case 6:
		/* a set of weekdays, never empty: "1,3,5" gives it back */
		if (!parse_service_days(s, &days)) {
			if (days <= 0 || days > 0x7f)
				abort();
			size_t len = 0;
			for (int i = 0; i < 7; i++)
				if (days >> i & 1)
					len += (size_t)snprintf(out + len,
						sizeof out - len, "%s%d",
						len ? "," : "", i + 1);
			int again;
			if (parse_service_days(out, &again) || again != days)
				abort();
		}
		break;
	case 7:
		/* within one day, opening before closing; H:MM-H:MM back */
		if (!parse_service_hours(s, &open, &close)) {
			if (open < 0 || open >= close || close > 24 * 60)
				abort();
			int o2, c2;
			snprintf(out, sizeof out, "%d:%02d-%d:%02d", open / 60,
				 open % 60, close / 60, close % 60);
			if (parse_service_hours(out, &o2, &c2) || o2 != open ||
			    c2 != close)
				abort();
		}
		break;
	}
	return 0;
}
