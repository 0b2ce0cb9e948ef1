/* load.c - see load.h.
 *
 * The steps of reading a data folder: each input file through its column
 * table (read/tables.c, read/schema.c), the id-keyed files sorted with
 * their duplicates reported, then the rules across rows and files
 * (read/rowrules.c) and each parent's array of children (read/link.c). */
#include "read/load.h"
#include "base/diag.h"
#include "read/link.h"
#include "read/rowrules.h"
#include "read/tables.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The start-up assertion of the column tables: a table whose rows do not
 * follow its ids would put values under the wrong names, which no data
 * can show, so it stops the program before anything is read. */
static void assert_tables(void)
{
	static int checked;
	if (checked)
		return;
	int f = tables_check();
	if (f >= 0) {
		const struct table *t = &input_tables[f];
		die_internal("the column table of %s has row %d out of its "
			     "id order", t->file ? t->file : "?",
			     schema_check(t));
	}
	checked = 1;
}

const void *dataset_rows(const struct dataset *ds, int f, size_t *n)
{
	switch (f) {
	case IN_ISSUER: *n = 1; return &ds->issuer;
	case IN_CLIENTS: *n = ds->nclients; return ds->clients;
	case IN_CONTRACTS: *n = ds->ncontracts; return ds->contracts;
	case IN_RATES: *n = ds->nrates; return ds->rates;
	case IN_DEVICES: *n = ds->ndevices; return ds->devices;
	case IN_RECORDS: *n = ds->nrecords; return ds->records;
	case IN_PARTS: *n = ds->nparts; return ds->parts;
	case IN_PART_USES: *n = ds->npart_uses; return ds->part_uses;
	case IN_CHARGES: *n = ds->ncharges; return ds->charges;
	case IN_PAYMENTS: *n = ds->npayments; return ds->payments;
	case IN_HOLIDAYS: *n = ds->nholidays; return ds->holidays;
	case IN_FAPIAO_ITEMS: *n = ds->nfapiao_items; return ds->fapiao_items;
	default: *n = 0; return NULL;
	}
}

void dataset_free(struct dataset *ds)
{
	arena_free(&ds->pay_arena);
	ds->payments = NULL;
	ds->npayments = 0;
	memset(&ds->pay_runs, 0, sizeof ds->pay_runs);
}

/* A payments.csv row as it is read: checked, then kept or not */
struct seen {
	const struct payments_kept *pk;
	const struct loaded *L;
	struct diag *d;
};

static int see_payment(void *ctx, const void *row)
{
	struct seen *s = ctx;
	check_payment(row, s->L, s->d);
	return !s->pk || s->pk->keep(s->pk->ctx, row);
}

int load_payments_again(const char *dir, const struct payments_kept *pk,
			struct dataset *ds)
{
	arena_free(&ds->pay_arena);
	memset(&ds->pay_runs, 0, sizeof ds->pay_runs);
	/* what the first read said is not said again: a message now means
	 * the file is another */
	FILE *null = fopen("/dev/null", "w");
	struct diag quiet;
	diag_init(&quiet, null ? null : stderr);
	struct arena a = { 0 };
	struct loaded L;
	struct seen seen = { pk, &L, &quiet };
	ds->payments = schema_read_each(dir, &input_tables[IN_PAYMENTS], &a,
					&ds->pay_arena, see_payment, &seen,
					&quiet, &L, &ds->npayments);
	/* (absent, as the optional file may be: no rows, which the
	 * caller compares with the first read's) */
	int bad = quiet.errors || quiet.missing || (L.tried && !L.present);
	diag_free(&quiet);
	if (null)
		fclose(null);
	arena_free(&a);
	payment_runs_make(&ds->pay_runs, ds, &ds->pay_arena);
	return bad ? -1 : 0;
}

void load_dataset(const char *dir, struct arena *a, struct diag *d,
		  struct dataset *ds)
{
	load_dataset_keeping(dir, NULL, a, d, ds);
}

void load_dataset_keeping(const char *dir, const struct payments_kept *pk,
			  struct arena *a, struct diag *d,
			  struct dataset *ds)
{
	assert_tables();
	memset(ds, 0, sizeof *ds);
	struct loaded F[IN_COUNT];
	size_t n[IN_COUNT];
	void *rows[IN_COUNT];
	struct seen seen = { pk, &F[IN_PAYMENTS], d };
	for (int f = 0; f < IN_COUNT; f++)
		rows[f] = f == IN_PAYMENTS ?
			  schema_read_each(dir, &input_tables[f], a,
					   &ds->pay_arena, see_payment, &seen,
					   d, &F[f], &n[f]) :
			  schema_read(dir, &input_tables[f], a, d, &F[f],
				      &n[f]);
#define TAKE(field, count, f) (ds->field = rows[f], ds->count = n[f])
	TAKE(clients, nclients, IN_CLIENTS);
	TAKE(contracts, ncontracts, IN_CONTRACTS);
	TAKE(rates, nrates, IN_RATES);
	TAKE(devices, ndevices, IN_DEVICES);
	TAKE(records, nrecords, IN_RECORDS);
	TAKE(parts, nparts, IN_PARTS);
	TAKE(part_uses, npart_uses, IN_PART_USES);
	TAKE(charges, ncharges, IN_CHARGES);
	TAKE(payments, npayments, IN_PAYMENTS);
	TAKE(holidays, nholidays, IN_HOLIDAYS);
	TAKE(fapiao_items, nfapiao_items, IN_FAPIAO_ITEMS);
#undef TAKE

#define CLEAN(f) (F[f].present && !F[f].errors)
	struct refs ok = {
		.clients = CLEAN(IN_CLIENTS),
		.contracts = CLEAN(IN_CONTRACTS),
		.rates = CLEAN(IN_RATES),
		.devices = CLEAN(IN_DEVICES),
		.records = CLEAN(IN_RECORDS),
		/* parts.csv is optional: absent, it is an empty catalogue */
		.parts = CLEAN(IN_PARTS) || !F[IN_PARTS].tried,
	};
	check_issuer(ds, rows[IN_ISSUER], n[IN_ISSUER], &F[IN_ISSUER], d);
	schema_sort_unique(ds->clients, ds->nclients, sizeof(struct client),
			   offsetof(struct client, id), &F[IN_CLIENTS],
			   CLIENT_ID, d);
	schema_sort_unique(ds->contracts, ds->ncontracts,
			   sizeof(struct contract),
			   offsetof(struct contract, id), &F[IN_CONTRACTS],
			   CONTRACT_ID, d);
	schema_sort_unique(ds->devices, ds->ndevices, sizeof(struct device),
			   offsetof(struct device, id), &F[IN_DEVICES],
			   DEVICE_ID, d);
	schema_sort_unique(ds->records, ds->nrecords, sizeof(struct record),
			   offsetof(struct record, id), &F[IN_RECORDS],
			   RECORD_ID, d);
	schema_sort_unique(ds->parts, ds->nparts, sizeof(struct part),
			   offsetof(struct part, part_no), &F[IN_PARTS],
			   PART_NO, d);
	link_index_ids(ds, a);
	check_contracts(ds, &ok, &F[IN_CONTRACTS], d);
	check_rates(ds, &ok, &F[IN_RATES], d);
	check_devices(ds, &ok, &F[IN_DEVICES], d);
	attach_devices(ds, a);
	check_records(ds, &ok, &F[IN_RECORDS], d);
	attach_records(ds, a);
	check_part_uses(ds, &ok, &F[IN_PART_USES], d);
	attach_part_uses(ds, a);
	check_charges(ds, &ok, &F[IN_CHARGES], d);
	payment_runs_make(&ds->pay_runs, ds, &ds->pay_arena);
	check_holidays(ds, &F[IN_HOLIDAYS], d);
	check_fapiao_items(ds, &F[IN_FAPIAO_ITEMS], d, a);
	/* a new data folder (svcbill init): say what is still to fill in */
	if (CLEAN(IN_CLIENTS) && !ds->nclients)
		diag_warning(d, F[IN_CLIENTS].file, 1, NULL, NULL, "no clients "
			     "yet: add one row per client");
	if (CLEAN(IN_CONTRACTS) && !ds->ncontracts)
		diag_warning(d, F[IN_CONTRACTS].file, 1, NULL, NULL, "no "
			     "contracts yet: nothing to bill");
#undef CLEAN
}
