/* test_read_tables.c - the reader's tables: column ids, the start-up
 * assertion on a reordered table, the generic reader (header by either
 * name, which column was given, by id), the word tables both ways, and a
 * small data folder through load_dataset's rules.  Expected values are
 * worked out by hand from the inputs written here. */
#include "harness.h"

#include "base/arena.h"
#include "base/diag.h"
#include "read/fields.h"
#include "read/load.h"
#include "read/model.h"
#include "read/schema.h"
#include "read/tables.h"
#include "read/words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- helpers ---------------------------------------------------------- */

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void remove_dir(const char *dir)
{
	for (int f = 0; f < IN_COUNT; f++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, input_tables[f].file);
		unlink(path);
	}
	rmdir(dir);
}

/* What d printed, flushed (a static buffer, for CHECK). */
static const char *printed(struct diag *d, FILE *out)
{
	static char text[8192];
	diag_flush(d);
	fflush(out);
	rewind(out);
	size_t n = fread(text, 1, sizeof text - 1, out);
	text[n] = '\0';
	return text;
}

/* ---- the tables ------------------------------------------------------- */

/* The start-up assertion passes on the tables as built. */
TEST(read_tables_rows_follow_their_ids)
{
	CHECK_INT(tables_check(), -1);
	for (int f = 0; f < IN_COUNT; f++) {
		const struct table *t = &input_tables[f];
		CHECK_INT(schema_check(t), -1);
		for (int i = 0; i < t->ncols; i++)
			CHECK_INT(t->cols[i].id, i);
	}
	/* a few ids by hand: the rows rules.c and the sheet look up */
	const struct table *r = &input_tables[IN_RECORDS];
	CHECK_STR(r->cols[RECORD_CALLED_AT].en, "called_at");
	CHECK_STR(r->cols[RECORD_ARRIVED_AT].en, "arrived_at");
	CHECK_STR(input_tables[IN_DEVICES].cols[DEVICE_INSTALL_DATE].en,
		  "install_date");
	CHECK_STR(input_tables[IN_CONTRACTS].cols[CONTRACT_PM_MONTHS].zh,
		  "保养周期");
	CHECK_STR(input_tables[IN_RECORDS].file, "service_records.csv");
}

/* Moving one row of a table (the defect the ids guard against) is what
 * the start-up assertion reports: the first row out of place. */
TEST(read_tables_reordered_table_fails_the_check)
{
	const struct table *orig = &input_tables[IN_RECORDS];
	struct colspec cols[SCHEMA_MAX_COLS];
	memcpy(cols, orig->cols, sizeof *cols * (size_t)orig->ncols);
	struct colspec tmp = cols[RECORD_CALLED_AT];
	cols[RECORD_CALLED_AT] = cols[RECORD_ARRIVED_AT];
	cols[RECORD_ARRIVED_AT] = tmp;
	struct table t = *orig;
	t.cols = cols;
	CHECK_INT(schema_check(&t), RECORD_CALLED_AT);
	/* a row moved to the end: every row from its old place is off */
	memcpy(cols, orig->cols, sizeof *cols * (size_t)orig->ncols);
	tmp = cols[RECORD_FAULT];
	memmove(&cols[RECORD_FAULT], &cols[RECORD_FAULT + 1],
		sizeof *cols * (size_t)(orig->ncols - RECORD_FAULT - 1));
	cols[orig->ncols - 1] = tmp;
	CHECK_INT(schema_check(&t), RECORD_FAULT);
	/* a member outside the row */
	memcpy(cols, orig->cols, sizeof *cols * (size_t)orig->ncols);
	cols[RECORD_DUTY].off = orig->rowsize;
	CHECK_INT(schema_check(&t), RECORD_DUTY);
}

/* A header names a column by one of its names only: no two columns of a
 * file share a name (English in any case, or Chinese). */
TEST(read_tables_names_are_unique_per_file)
{
	for (int f = 0; f < IN_COUNT; f++) {
		const struct table *t = &input_tables[f];
		for (int i = 0; i < t->ncols; i++)
			for (int k = i + 1; k < t->ncols; k++) {
				const struct colspec *a = &t->cols[i],
						     *b = &t->cols[k];
				if (strcasecmp(a->en, b->en) == 0 ||
				    (a->zh && b->zh && !strcmp(a->zh, b->zh)))
					FAIL("%s: %s and %s share a name",
					     t->file, a->en, b->en);
			}
	}
}

/* svcbill init's template header comes from the same table. */
TEST(read_tables_template_header)
{
	char out[256];
	CHECK_INT(load_template_header("payments.csv", out, sizeof out), 0);
	CHECK_STR(out, "发票号,付款日期,金额");
	CHECK_INT(load_template_header("rates.csv", out, sizeof out), 0);
	CHECK_STR(out, "合同编号,设备类别,月费");
	CHECK_INT(load_template_header("nosuch.csv", out, sizeof out), -1);
	CHECK_INT(load_template_header("payments.csv", out, 8), -1);
}

/* ---- words ------------------------------------------------------------ */

TEST(read_words_both_ways)
{
	const struct words *all[] = {
		&contract_type_words, &record_type_words, &cause_words,
		&category_words, &holiday_kind_words, &line_kind_words,
		&fapiao_kind_words,
	};
	for (size_t t = 0; t < sizeof all / sizeof *all; t++)
		for (int v = 0; v < all[t]->n; v++) {
			const char *en = word_en(all[t], v), *zh;
			if (!en)
				continue;
			CHECK_INT(word_parse(all[t], en), v);
			CHECK_INT(word_parse_exact(all[t], en), v);
			if ((zh = word_zh(all[t], v)) != NULL)
				CHECK_INT(word_parse(all[t], zh), v);
		}
	CHECK_INT(word_parse(&contract_type_words, "按原价比例"),
		  CT_PRICE_PERCENT);
	CHECK_INT(word_parse(&contract_type_words, "Website"), CT_WEBSITE);
	CHECK_INT(word_parse(&record_type_words, "紧急"), RT_EMERGENCY);
	CHECK_INT(word_parse(&record_type_words, "urgent"), -1);
	CHECK_INT(word_parse_exact(&line_kind_words, "Labour"), -1);
	CHECK_INT(word_parse_exact(&line_kind_words, "late_fee"), LK_LATE_FEE);
	/* charge is a line kind, not a fapiao kind; its two halves are */
	CHECK_INT(word_parse_exact(&fapiao_kind_words, "charge"), -1);
	CHECK_INT(word_parse_exact(&fapiao_kind_words, "charge_goods"),
		  FK_CHARGE_GOODS);
	CHECK(word_en(&fapiao_kind_words, LK_CHARGE) == NULL);
	CHECK(word_en(&line_kind_words, LK_COUNT) == NULL);
	CHECK(word_en(&line_kind_words, -1) == NULL);
	CHECK_STR(contract_type_name(CT_DEVICE_MONTHLY), "device_monthly");
	struct arena a = { 0 };
	CHECK_STR(word_list(&cause_words, &a), "covered (保内) or excluded (除外)");
	CHECK_STR(word_list(&fapiao_kind_words, &a),
		  "recurring, trueup, labour, parts, oem, sla, late_fee, "
		  "charge_service or charge_goods");
	arena_free(&a);
}

/* ---- values ----------------------------------------------------------- */

TEST(read_schema_parse_value_by_type)
{
	struct arena a = { 0 };
	const struct table *t = &input_tables[IN_CONTRACTS];
	struct contract c;
	memset(&c, 0, sizeof c);
	CHECK(schema_parse_value(&t->cols[CONTRACT_TYPE], "网站维护", &c,
				 &a) == NULL);
	CHECK_INT(c.type, CT_WEBSITE);
	CHECK_STR(schema_parse_value(&t->cols[CONTRACT_TYPE], "monthly", &c,
				     &a),
		  "not a contract type; use device_monthly (按台月费), "
		  "price_percent (按原价比例) or website (网站维护)");
	CHECK_INT(c.type, -1);
	CHECK(schema_parse_value(&t->cols[CONTRACT_TAX_PCT], "6.5%", &c,
				 &a) == NULL);
	CHECK_INT(c.tax_pct, 65000);                /* 6.5 x 10^4 */
	CHECK(schema_parse_value(&t->cols[CONTRACT_SERVICE_DAYS], "周一至周五",
				 &c, &a) == NULL);
	CHECK_INT(c.service_days, 0x1f);            /* Monday..Friday */
	CHECK(schema_parse_value(&t->cols[CONTRACT_SERVICE_HOURS],
				 "8:30-17:30", &c, &a) == NULL);
	CHECK_INT(c.service_hours.open, 8 * 60 + 30);
	CHECK_INT(c.service_hours.close, 17 * 60 + 30);
	CHECK_STR(schema_parse_value(&t->cols[CONTRACT_PAYMENT_DAYS], "3651",
				     &c, &a), "at most 3,650 days (the limit)");
	struct charge ch;
	const struct table *tc = &input_tables[IN_CHARGES];
	CHECK(schema_parse_value(&tc->cols[CHARGE_UNIT_PRICE], "-12.50", &ch,
				 &a) == NULL);
	CHECK_INT(ch.unit_price, -1250);
	CHECK_STR(schema_parse_value(&tc->cols[CHARGE_QTY], "0", &ch, &a),
		  "a quantity must be more than 0");
	CHECK_STR(schema_parse_value(&tc->cols[CHARGE_CATEGORY], "labour", &ch,
				     &a), "use service (服务) or goods (货物)");
	char id[70];
	memset(id, 'x', 65);
	id[65] = '\0';
	struct client cl;
	CHECK_STR(schema_parse_value(&input_tables[IN_CLIENTS].cols[CLIENT_ID],
				     id, &cl, &a),
		  "an id has at most 64 characters");
	arena_free(&a);
}

/* ---- a file through the reader --------------------------------------- */

/* Columns in another order, by either name; which were given is looked
 * up by id, and messages name a column by the user's own header. */
TEST(read_schema_reads_by_header_name)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	write_file(dir, "service_records.csv",
		   "修复时间,单号,type,产品编号,到场时间,LEVEL,extra\n"
		   "2026-12-02 10:00,R1,repair,D1,2026-12-02 09:00,3,x\n"
		   "2026-12-03 10:00,R2,保养,D1,,,y\n"
		   "2026-12-04 10:00,R3,urgent,D1,,5,z\n");
	struct arena a = { 0 };
	struct diag d;
	FILE *out = tmpfile();
	diag_init(&d, out);
	struct loaded L;
	size_t n = 0;
	struct record *r = schema_read(dir, &input_tables[IN_RECORDS], &a, &d,
				       &L, &n);
	CHECK_INT(n, 3);
	CHECK(r != NULL);
	if (r && n == 3) {
		CHECK_STR(r[0].id, "R1");
		CHECK_INT(r[0].type, RT_REPAIR);
		CHECK_INT(r[0].level, 3);
		CHECK(row_has(&r[0].ri, RECORD_ARRIVED_AT));
		CHECK(row_has(&r[0].ri, RECORD_LEVEL));
		CHECK(!row_has(&r[0].ri, RECORD_CALLED_AT));
		CHECK_INT(r[0].ri.has, (1u << RECORD_ID) |
			  (1u << RECORD_DEVICE_ID) | (1u << RECORD_TYPE) |
			  (1u << RECORD_ARRIVED_AT) |
			  (1u << RECORD_COMPLETED_AT) | (1u << RECORD_LEVEL));
		/* 2026-12-02 09:00 as seconds since 1970 (20789 days) */
		CHECK_INT(r[0].arrived_at, INT64_C(20789) * 86400 + 9 * 3600);
		CHECK_INT(r[1].type, RT_PREVENTIVE);
		CHECK_INT(r[1].level, 1);           /* the default */
		CHECK(!row_has(&r[1].ri, RECORD_LEVEL));
		CHECK_STR(r[1].fault, "");
		CHECK_INT(r[1].ri.line, 3);
	}
	CHECK_STR(L.colname[RECORD_COMPLETED_AT], "修复时间");
	CHECK_STR(L.colname[RECORD_LEVEL], "LEVEL");
	CHECK_STR(L.colname[RECORD_CALLED_AT], "called_at");
	CHECK_INT(d.errors, 1);
	const char *text = printed(&d, out);
	CHECK(strstr(text, "unknown columns ignored: 'extra'") != NULL);
	CHECK(strstr(text, "service_records.csv:4: column 'type': ") != NULL);
	CHECK(strstr(text, "not a record type") != NULL);
	diag_free(&d);
	fclose(out);
	arena_free(&a);
	remove_dir(dir);
}

/* A required column missing: reported by its two names, no rows. */
TEST(read_schema_required_column_missing)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	write_file(dir, "payments.csv", "invoice_no,amount\nINV-1,10\n");
	struct arena a = { 0 };
	struct diag d;
	FILE *out = tmpfile();
	diag_init(&d, out);
	struct loaded L;
	size_t n = 9;
	CHECK(schema_read(dir, &input_tables[IN_PAYMENTS], &a, &d, &L, &n) ==
	      NULL);
	CHECK_INT(n, 0);
	CHECK(strstr(printed(&d, out), "column 'paid_on': required column "
		     "missing (header 'paid_on' or 付款日期)") != NULL);
	diag_free(&d);
	fclose(out);
	arena_free(&a);
	remove_dir(dir);
}

/* ---- a data folder through the rules ---------------------------------- */

/* Defaults from other rows (a device's dates from its contract, the
 * emergency limit from sla_hours, a part's price from the catalogue),
 * the children arrays, and one rule by column id. */
TEST(read_load_links_and_defaults)
{
	char dir[] = "/tmp/svcbill-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		FAIL("mkdtemp");
		return;
	}
	write_file(dir, "issuer.csv", "name_zh\n甲公司\n");
	write_file(dir, "clients.csv", "client_id,name_zh\nC1,乙\n");
	write_file(dir, "contracts.csv",
		   "contract_id,client_id,type,start,end,sla_hours,service_days\n"
		   "K1,C1,device_monthly,2026-01-01,2026-12-31,8,1-5\n"
		   "K2,C1,website,2026-01-01,2026-12-31,,\n");
	write_file(dir, "rates.csv", "contract_id,class,monthly_fee\n"
		   "K1,pc,30\n");
	write_file(dir, "devices.csv", "device_id,contract_id,class,from\n"
		   "D2,K1,pc,2026-03-01\nD1,K1,pc,\n");
	write_file(dir, "service_records.csv",
		   "record_id,device_id,type,completed_at\n"
		   "R2,D1,repair,2026-12-05 10:00\n"
		   "R1,D1,repair,2026-12-01 10:00\n");
	write_file(dir, "parts.csv", "part_no,name_zh,list_price\n"
		   "P1,内存,200\n");
	write_file(dir, "parts_used.csv", "record_id,part_no,qty,list_price\n"
		   "R1,P1,1,\nR1,P9,2,50\n");
	struct arena a = { 0 };
	struct diag d;
	FILE *out = tmpfile();
	diag_init(&d, out);
	struct dataset ds;
	load_dataset(dir, &a, &d, &ds);
	/* K2 is a website contract without a monthly fee: one error */
	CHECK_INT(d.errors, 1);
	CHECK(strstr(printed(&d, out), "contracts.csv:3: column "
		     "'monthly_fee': value missing (required for website "
		     "contracts)") != NULL);
	struct contract *k1 = find_contract(&ds, "K1");
	struct device *d1 = find_device(&ds, "D1"), *d2 = find_device(&ds, "D2");
	CHECK(k1 && d1 && d2);
	if (k1 && d1 && d2) {
		CHECK_INT(k1->sla_emergency_hours, 8 * CENTI);
		CHECK_INT(k1->has_window, 1);
		CHECK_INT(find_contract(&ds, "K2")->has_window, 0);
		CHECK_INT(d1->from, k1->start);
		CHECK_INT(d1->to, k1->end);
		CHECK_INT(d2->from, k1->start + 59);    /* Jan 31 + Feb 28 */
		CHECK_INT(d1->rate, 3000);
		CHECK_INT(k1->ndevices, 2);
		CHECK(k1->devices[0] == d1 && k1->devices[1] == d2);
		CHECK_INT(d1->nrecords, 2);
		CHECK_STR(d1->records[0]->id, "R1");
		CHECK_STR(d1->records[1]->id, "R2");
		struct record *r1 = find_record(&ds, "R1");
		CHECK_INT(r1->nparts, 2);
		CHECK_INT(r1->parts[0]->list_price, 20000);
		CHECK(r1->parts[1]->part == NULL);
		CHECK_INT(r1->parts[1]->list_price, 5000);
	}
	CHECK(find_client(&ds, "C2") == NULL);
	diag_free(&d);
	fclose(out);
	dataset_free(&ds);
	arena_free(&a);
	remove_dir(dir);
}
