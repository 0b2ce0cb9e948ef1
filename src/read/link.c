/* link.c - see link.h.  Lookups are vec_find / lower_bound (base/vec.h)
 * over the arrays load_dataset sorted by id. */
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

struct client *find_client(const struct dataset *ds, const char *id)
{
	return vec_find(id, ds->clients, ds->nclients, sizeof *ds->clients,
			client_cmp);
}

struct contract *find_contract(const struct dataset *ds, const char *id)
{
	return vec_find(id, ds->contracts, ds->ncontracts,
			sizeof *ds->contracts, contract_cmp);
}

struct device *find_device(const struct dataset *ds, const char *id)
{
	return vec_find(id, ds->devices, ds->ndevices, sizeof *ds->devices,
			device_cmp);
}

struct record *find_record(const struct dataset *ds, const char *id)
{
	return vec_find(id, ds->records, ds->nrecords, sizeof *ds->records,
			record_cmp);
}

struct part *find_part(const struct dataset *ds, const char *no)
{
	return vec_find(no, ds->parts, ds->nparts, sizeof *ds->parts,
			part_cmp);
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
