/* link.c - see link.h.  Lookups by id go through the data set's id
 * tables (base/vec.h), made once load_dataset has sorted the arrays by
 * id; rates, by two keys, are found by lower_bound. */
#include "read/link.h"
#include "base/vec.h"

#include <stdlib.h>
#include <string.h>

/* bsearch order: key is an id, elem a row of that type */
#define ID_CMP(fn, type, key)                                                \
	static int fn(const void *k, const void *e)                          \
	{                                                                    \
		return strcmp(k, ((const type *)e)->key);                    \
	}

ID_CMP(client_cmp, struct client, id)
ID_CMP(contract_cmp, struct contract, id)
ID_CMP(device_cmp, struct device, id)
ID_CMP(record_cmp, struct record, id)
ID_CMP(part_cmp, struct part, part_no)

/* id_table's keys: row i's id */
#define ID_KEY(fn, type, key)                                                \
	static const char *fn(const void *base, size_t i)                    \
	{                                                                    \
		return ((const type *)base)[i].key;                          \
	}

ID_KEY(client_key, struct client, id)
ID_KEY(contract_key, struct contract, id)
ID_KEY(device_key, struct device, id)
ID_KEY(record_key, struct record, id)
ID_KEY(part_key, struct part, part_no)

void link_index_ids(struct dataset *ds, struct arena *a)
{
	id_table_make(&ds->client_ids, ds->clients, ds->nclients, client_key, a);
	id_table_make(&ds->contract_ids, ds->contracts, ds->ncontracts,
		      contract_key, a);
	id_table_make(&ds->device_ids, ds->devices, ds->ndevices, device_key, a);
	id_table_make(&ds->record_ids, ds->records, ds->nrecords, record_key, a);
	id_table_make(&ds->part_nos, ds->parts, ds->nparts, part_key, a);
}

/* the row of id through the table, or, for a data set without tables,
 * the sorted array's binary search */
#define FIND(type, rows, n, table, cmp)                                      \
	do {                                                                 \
		if (ds->table.slot) {                                        \
			size_t i = id_table_find(&ds->table, id);            \
			return i == (size_t)-1 ? NULL : &ds->rows[i];        \
		}                                                            \
		return vec_find(id, ds->rows, ds->n, sizeof(type), cmp);     \
	} while (0)

struct client *find_client(const struct dataset *ds, const char *id)
{
	FIND(struct client, clients, nclients, client_ids, client_cmp);
}

struct contract *find_contract(const struct dataset *ds, const char *id)
{
	FIND(struct contract, contracts, ncontracts, contract_ids, contract_cmp);
}

struct device *find_device(const struct dataset *ds, const char *id)
{
	FIND(struct device, devices, ndevices, device_ids, device_cmp);
}

struct record *find_record(const struct dataset *ds, const char *id)
{
	FIND(struct record, records, nrecords, record_ids, record_cmp);
}

struct part *find_part(const struct dataset *ds, const char *id)
{
	FIND(struct part, parts, nparts, part_nos, part_cmp);
}

static int by_invoice_then_file(const void *x, const void *y)
{
	const struct payment *a = *(const struct payment *const *)x;
	const struct payment *b = *(const struct payment *const *)y;
	int c = strcmp(a->invoice_no, b->invoice_no);
	return c ? c : (a < b ? -1 : a > b);
}

void payment_runs_make(struct payment_runs *r, const struct dataset *ds,
		       struct arena *a)
{
	size_t n = ds->npayments;
	const struct payment **sorted = arena_alloc_uninit(a, sizeof *sorted *
							   (n + 1));
	for (size_t i = 0; i < n; i++)
		sorted[i] = &ds->payments[i];
	sort_if_unsorted(sorted, n, sizeof *sorted, by_invoice_then_file);
	r->sorted = sorted;
	r->n = n;
	/* each number's run once, named by its first payment's own number
	 * (in file order, which a ledger's numbers mostly follow: a merge
	 * reads both nearly in order; a copy of every number side by side
	 * cost 24 bytes a payment more, held all the run) */
	size_t nruns = 0;
	for (size_t i = 0; i < n; i++)
		nruns += i == 0 || strcmp(sorted[i - 1]->invoice_no,
					  sorted[i]->invoice_no) != 0;
	struct payment_run *runs = arena_alloc_uninit(a, sizeof *runs *
						      (nruns + 1));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && strcmp(runs[k - 1].invoice_no,
				sorted[i]->invoice_no) == 0) {
			runs[k - 1].n++;
			continue;
		}
		runs[k++] = (struct payment_run){ sorted[i]->invoice_no, i, 1 };
	}
	r->runs = runs;
	r->nruns = nruns;
}

struct rate_key {
	const char *contract, *class;
};

static int rate_key_cmp(const void *k, const void *e)
{
	const struct rate_key *key = k;
	const struct rate *r = e;
	int c = strcmp(key->contract, r->contract_id);
	return c ? c : strcmp(key->class, r->class);
}

int rate_order(const void *x, const void *y)
{
	const struct rate *a = x, *b = y;
	struct rate_key k = { a->contract_id, a->class };
	int c = rate_key_cmp(&k, b);
	return c ? c : (a->ri.line > b->ri.line) - (a->ri.line < b->ri.line);
}

const struct rate *find_rate(const struct dataset *ds, const char *contract,
			     const char *class)
{
	struct rate_key k = { contract, class };
	/* lower_bound, not vec_find: the first of equal rows is the one
	 * that counts (the later ones are reported as repeats) */
	size_t i = lower_bound(&k, ds->rates, ds->nrates, sizeof *ds->rates,
			       rate_key_cmp);
	if (i < ds->nrates && rate_key_cmp(&k, &ds->rates[i]) == 0)
		return &ds->rates[i];
	return NULL;
}

void attach_devices(struct dataset *ds, struct arena *a)
{
	for (size_t i = 0; i < ds->ndevices; i++)
		if (ds->devices[i].contract)
			ds->devices[i].contract->ndevices++;
	for (size_t i = 0; i < ds->ncontracts; i++) {
		struct contract *c = &ds->contracts[i];
		c->devices = arena_alloc(a, sizeof *c->devices *
					 (c->ndevices + 1));
		c->ndevices = 0;
	}
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct contract *c = ds->devices[i].contract;
		if (c)
			c->devices[c->ndevices++] = &ds->devices[i];
	}
}

int record_order(const void *x, const void *y)
{
	const struct record *a = *(struct record *const *)x;
	const struct record *b = *(struct record *const *)y;
	if (a->completed_at != b->completed_at)
		return a->completed_at < b->completed_at ? -1 : 1;
	return strcmp(a->id, b->id);
}

int record_month(const struct record *r)
{
	int64_t t = r->completed_at;
	return month_of(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

void attach_records(struct dataset *ds, struct arena *a)
{
	for (size_t i = 0; i < ds->nrecords; i++)
		if (ds->records[i].device)
			ds->records[i].device->nrecords++;
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct device *v = &ds->devices[i];
		v->records = arena_alloc(a, sizeof *v->records *
					 (v->nrecords + 1));
		v->nrecords = 0;
	}
	for (size_t i = 0; i < ds->nrecords; i++) {
		struct device *v = ds->records[i].device;
		if (v)
			v->records[v->nrecords++] = &ds->records[i];
	}
	for (size_t i = 0; i < ds->ndevices; i++)
		qsort(ds->devices[i].records, ds->devices[i].nrecords,
		      sizeof(struct record *), record_order);
}

void attach_part_uses(struct dataset *ds, struct arena *a)
{
	for (size_t i = 0; i < ds->npart_uses; i++) {
		struct record *r = find_record(ds, ds->part_uses[i].record_id);
		if (r)
			r->nparts++;
	}
	for (size_t i = 0; i < ds->nrecords; i++) {
		struct record *r = &ds->records[i];
		r->parts = arena_alloc(a, sizeof *r->parts * (r->nparts + 1));
		r->nparts = 0;
	}
	for (size_t i = 0; i < ds->npart_uses; i++) {
		struct part_use *u = &ds->part_uses[i];
		struct record *r = find_record(ds, u->record_id);
		if (r)
			r->parts[r->nparts++] = u;
	}
}
