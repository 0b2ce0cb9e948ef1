/* contracts.csv service_days / service_hours / pm_months and holidays.csv
 * through the production loader: every accepted spelling with the set it
 * means, every malformed one as a data error naming FILE:LINE and the
 * column. */
#include "harness.h"
#include "read/load.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		FAIL("cannot write %s", path);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void unput(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

/* Loads a data set whose contracts.csv has the rows given (after the
 * header line) and, when holidays is not NULL, that holidays.csv; the
 * messages go to msgs (with the folder replaced by "D").  Returns the
 * exit status the data gives. */
static int load(const char *contract_rows, const char *holidays,
		struct arena *a, struct dataset *ds, char *msgs, size_t cap)
{
	if (!dir[0]) {
		strcpy(dir, "/tmp/svcbill-unit.XXXXXX");
		if (!mkdtemp(dir)) {
			FAIL("mkdtemp");
			return -1;
		}
	}
	put("issuer.csv", "name_zh\nX\n");
	put("clients.csv", "client_id,name_zh\nC1,X\n");
	char buf[4096];
	snprintf(buf, sizeof buf,
		 "contract_id,client_id,type,start,end,monthly_fee,"
		 "service_days,service_hours,pm_months\n%s", contract_rows);
	put("contracts.csv", buf);
	put("rates.csv", "contract_id,class,monthly_fee\n");
	put("devices.csv", "device_id,contract_id,class\n");
	put("service_records.csv", "record_id,device_id,type,completed_at\n");
	if (holidays)
		put("holidays.csv", holidays);
	else
		unput("holidays.csv");
	FILE *out = tmpfile();
	struct diag d;
	diag_init(&d, out);
	load_dataset(dir, a, &d, ds);
	dataset_free(ds);           /* (the payments, unused here) */
	diag_flush(&d);
	int status = diag_exit_status(&d);
	diag_free(&d);
	rewind(out);
	size_t n = fread(msgs, 1, cap - 1, out);
	msgs[n] = 0;
	fclose(out);
	/* "DIR/contracts.csv:2: ..." -> "contracts.csv:2: ..." */
	size_t dl = strlen(dir);
	char *p;
	while ((p = strstr(msgs, dir)) != NULL)
		memmove(p, p + dl + 1, strlen(p + dl + 1) + 1);
	return status;
}

static void cleanup(void)
{
	static const char *const files[] = {
		"issuer.csv", "clients.csv", "contracts.csv", "rates.csv",
		"devices.csv", "service_records.csv", "holidays.csv" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		unput(files[i]);
	rmdir(dir);
	dir[0] = 0;
}

#define ROW(days, hours) "K1,C1,website,2026-01-01,2026-12-31,100," days \
	"," hours ",\n"

/* bit 0 = Monday ... bit 6 = Sunday */
TEST(service_days_spellings)
{
	static const struct { const char *text; int mask; } ok[] = {
		{ "1-5", 0x1f },
		{ "\"1,3,5\"", 1 | 4 | 16 },
		{ "6-7", 32 | 64 },
		{ "周一至周五", 0x1f },
		{ "周一、周三", 1 | 4 },
		{ "星期一至星期五", 0x1f },
		{ "星期一", 1 },
		{ "周日", 64 },
		{ "周天", 64 },
		{ "星期日", 64 },
		{ "星期天", 64 },
		{ "周六~周日", 32 | 64 },
		{ "1~5", 0x1f },
		{ "1至3", 7 },
		{ "1，3，5", 1 | 4 | 16 },
		{ "1、3、5", 1 | 4 | 16 },
		{ "\" 1 - 3 , 5 \"", 7 | 16 },
		{ "周一 至 周三、5", 7 | 16 },
		{ "\"1-3,周五\"", 7 | 16 },
		{ "1-7", 0x7f },
		{ "周二", 2 },
		{ "4", 8 },
	};
	struct buf_ { char t[8192]; } msgs;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct arena a = { 0 };
		struct dataset ds;
		char row[256];
		snprintf(row, sizeof row, ROW("%s", ""), ok[i].text);
		int st = load(row, NULL, &a, &ds, msgs.t, sizeof msgs.t);
		if (st != 0 || ds.ncontracts != 1) {
			FAIL("'%s' refused: %s", ok[i].text, msgs.t);
		} else {
			if (ds.contracts[0].service_days != ok[i].mask)
				FAIL("'%s': days %#x, want %#x", ok[i].text,
				     ds.contracts[0].service_days, ok[i].mask);
			/* given, so sla_hours count service hours; the
			 * hours default to the whole day */
			CHECK_INT(ds.contracts[0].has_window, 1);
			CHECK_INT(ds.contracts[0].service_hours.open, 0);
			CHECK_INT(ds.contracts[0].service_hours.close, 1440);
		}
		arena_free(&a);
	}
	cleanup();
}

TEST(service_days_malformed)
{
	static const char *const bad[] = {
		"8", "0", "5-1", "周五至周一", "\"1,,3\"", "\"1,\"", "\",1\"",
		"周八", "Mon", "1-", "-5", "1-3-5", "周一到周五", "周", "星期",
		"15", "1;3", "1 3", "一", "周一至", "7-1", "１-５",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct arena a = { 0 };
		struct dataset ds;
		char row[512], msgs[4096], want[512];
		/* two good rows first, so the bad one is on line 4 */
		snprintf(row, sizeof row, "%s%s"
			 "K2,C1,website,2026-01-01,2026-12-31,100,%s,,\n",
			 ROW("1-5", "09:00-17:00"),
			 "K0,C1,website,2026-01-01,2026-12-31,100,,,\n",
			 bad[i]);
		int st = load(row, NULL, &a, &ds, msgs, sizeof msgs);
		CHECK_INT(st, 65);
		/* the loader's value is the field as read, quotes gone */
		char v[64];
		const char *b = bad[i];
		size_t n = strlen(b);
		if (b[0] == '"') {
			b++;
			n -= 2;
		}
		snprintf(v, sizeof v, "%.*s", (int)n, b);
		snprintf(want, sizeof want,
			 "contracts.csv:4: column 'service_days': ");
		if (strncmp(msgs, want, strlen(want)) != 0 ||
		    !strstr(msgs, v) || strchr(msgs, '\n') !=
		    msgs + strlen(msgs) - 1)
			FAIL("'%s': got '%s'", bad[i], msgs);
		arena_free(&a);
	}
	cleanup();
}

TEST(service_hours_spellings)
{
	static const struct { const char *text; int open, close; } ok[] = {
		{ "09:00-17:00", 540, 1020 },
		{ "8:30-17:30", 510, 1050 },
		{ "00:00-24:00", 0, 1440 },
		{ "9:00~17:00", 540, 1020 },      /* as the seed writes it */
		{ "09:00 - 17:00", 540, 1020 },
		{ "9:00至17:00", 540, 1020 },
		{ "23:59-24:00", 1439, 1440 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct arena a = { 0 };
		struct dataset ds;
		char row[256], msgs[4096];
		snprintf(row, sizeof row, ROW("", "%s"), ok[i].text);
		int st = load(row, NULL, &a, &ds, msgs, sizeof msgs);
		if (st != 0 || ds.ncontracts != 1) {
			FAIL("'%s' refused: %s", ok[i].text, msgs);
		} else {
			CHECK_INT(ds.contracts[0].service_hours.open,
				  ok[i].open);
			CHECK_INT(ds.contracts[0].service_hours.close,
				  ok[i].close);
			CHECK_INT(ds.contracts[0].service_days, 0x7f);
			CHECK_INT(ds.contracts[0].has_window, 1);
		}
		arena_free(&a);
	}
	/* neither given: the wall clock */
	struct arena a = { 0 };
	struct dataset ds;
	char msgs[4096];
	CHECK_INT(load(ROW("", ""), NULL, &a, &ds, msgs, sizeof msgs), 0);
	CHECK_INT(ds.contracts[0].has_window, 0);
	arena_free(&a);
	cleanup();
}

TEST(service_hours_malformed)
{
	static const char *const bad[] = {
		"9-17", "17:00-09:00", "09:00-09:00", "24:00-24:00",
		"9:60-10:00", "09:00", "00:00-24:01", "0900-1700",
		"09:00-17:00-18:00", "9:0-17:00", "25:00-26:00", "09:00-",
		"-17:00", "9.00-17.00", "09:00-17:00x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct arena a = { 0 };
		struct dataset ds;
		char row[256], msgs[4096], want[128];
		snprintf(row, sizeof row, ROW("", "%s"), bad[i]);
		CHECK_INT(load(row, NULL, &a, &ds, msgs, sizeof msgs), 65);
		snprintf(want, sizeof want,
			 "contracts.csv:2: column 'service_hours': ");
		if (strncmp(msgs, want, strlen(want)) != 0 ||
		    !strstr(msgs, bad[i]))
			FAIL("'%s': got '%s'", bad[i], msgs);
		arena_free(&a);
	}
	cleanup();
}

TEST(pm_months_input)
{
	struct arena a = { 0 };
	struct dataset ds;
	char msgs[4096];
	CHECK_INT(load("K1,C1,website,2026-01-01,2026-12-31,100,,,3\n", NULL,
		       &a, &ds, msgs, sizeof msgs), 0);
	CHECK_INT(ds.contracts[0].pm_months, 3);
	arena_free(&a);
	a = (struct arena){ 0 };
	CHECK_INT(load("K1,C1,website,2026-01-01,2026-12-31,100,,,\n", NULL,
		       &a, &ds, msgs, sizeof msgs), 0);
	CHECK_INT(ds.contracts[0].pm_months, 0);
	arena_free(&a);
	static const char *const bad[] = { "-1", "x", "121", "1.5" };
	for (size_t i = 0; i < 4; i++) {
		a = (struct arena){ 0 };
		char row[256];
		snprintf(row, sizeof row,
			 "K1,C1,website,2026-01-01,2026-12-31,100,,,%s\n",
			 bad[i]);
		CHECK_INT(load(row, NULL, &a, &ds, msgs, sizeof msgs), 65);
		if (strncmp(msgs, "contracts.csv:2: column 'pm_months': ",
			    37) != 0)
			FAIL("'%s': got '%s'", bad[i], msgs);
		arena_free(&a);
	}
	cleanup();
}

TEST(holidays_file)
{
	struct arena a = { 0 };
	struct dataset ds;
	char msgs[4096];
	/* Chinese headers and kinds, any order of rows: sorted by date */
	CHECK_INT(load(ROW("1-5", "09:00-17:00"),
		       "日期,类型,名称\n2026-10-10,调休,国庆节\n"
		       "2026-10-01,休息,国庆节\n2026年1月1日,holiday,元旦\n",
		       &a, &ds, msgs, sizeof msgs), 0);
	CHECK_STR(msgs, "");
	CHECK_INT(ds.nholidays, 3);
	if (ds.nholidays == 3) {
		CHECK_INT(ds.holidays[0].kind, HK_HOLIDAY);
		CHECK_STR(ds.holidays[0].name, "元旦");
		CHECK_INT(ds.holidays[1].kind, HK_HOLIDAY);
		CHECK_INT(ds.holidays[2].kind, HK_WORKDAY);
		CHECK(ds.holidays[0].date < ds.holidays[1].date);
	}
	arena_free(&a);
	/* a date twice (in two spellings), an unknown kind, a missing date */
	a = (struct arena){ 0 };
	CHECK_INT(load(ROW("", ""),
		       "date,kind,name\n2026-10-01,holiday,x\n"
		       "2026-10-02,day off,x\n20261001,workday,y\n"
		       ",holiday,z\n",
		       &a, &ds, msgs, sizeof msgs), 65);
	CHECK_STR(msgs,
		  "holidays.csv:3: column 'kind': use holiday (休息) or "
		  "workday (调休) (value 'day off')\n"
		  "holidays.csv:4: column 'date': this date is already on "
		  "line 2 (value '2026-10-01')\n"
		  "holidays.csv:5: column 'date': value missing\n");
	arena_free(&a);
	/* the file is optional */
	a = (struct arena){ 0 };
	CHECK_INT(load(ROW("", ""), NULL, &a, &ds, msgs, sizeof msgs), 0);
	CHECK_INT(ds.nholidays, 0);
	arena_free(&a);
	cleanup();
}
