/* rowrules.c - see rowrules.h.
 *
 * Each check_<file>() walks the rows of one file after every file was
 * read and sorted: it resolves the row's references (reporting the ones
 * that name nothing), fills the defaults that come from other rows, and
 * checks the rules that need more than one value.  Messages name columns
 * by id (L->colname[ID] is the user's own header of that column). */
#include "read/rowrules.h"
#include "read/fields.h"
#include "read/link.h"
#include "read/words.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PM_MONTHS_MAX 120       /* a preventive visit at least every 10 years */

/* row_has() for any row type (each starts with its struct rowinfo) */
static int has(const void *row, int col)
{
	return row_has(row, col);
}

static int valid_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 12)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

void check_issuer(struct dataset *ds, struct issuer *rows, size_t n,
			 const struct loaded *L, struct diag *d)
{
	if (!L->present)
		return;
	if (n == 0) {
		diag_error(d, L->file, 1, NULL, NULL,
			   "the issuing company's row is missing");
		return;
	}
	if (n > 1)
		diag_error(d, L->file, rows[1].ri.line, NULL, NULL,
			   "issuer.csv must have exactly one row");
	ds->issuer = rows[0];
	struct issuer *is = &ds->issuer;
	if (!is->invoice_prefix[0])
		is->invoice_prefix = "INV";
	else if (!valid_prefix(is->invoice_prefix))
		diag_error(d, L->file, is->ri.line, L->colname[ISSUER_INVOICE_PREFIX],
			   is->invoice_prefix,
			   "an invoice prefix is 1 to 12 letters or digits");
	else if (strcasecmp(is->invoice_prefix, "CN") == 0)
		diag_error(d, L->file, is->ri.line, L->colname[ISSUER_INVOICE_PREFIX],
			   is->invoice_prefix,
			   "CN is reserved for credit notes");
}

void check_contracts(struct dataset *ds, const struct refs *ok,
			    const struct loaded *L,
			    struct diag *d)
{
	for (size_t i = 0; i < ds->ncontracts; i++) {
		struct contract *c = &ds->contracts[i];
		long line = c->ri.line;
		if (c->client_id[0] && !(c->client = find_client(ds, c->client_id))
		    && ok->clients)
			diag_error(d, L->file, line, L->colname[CONTRACT_CLIENT_ID],
				   c->client_id, "no such client in clients.csv");
		if (has(c, CONTRACT_START) && has(c, CONTRACT_END) &&
		    c->end < c->start)
			diag_error(d, L->file, line, L->colname[CONTRACT_END], NULL,
				   "the contract ends before it starts");
		if (has(c, CONTRACT_CYCLE_MONTHS) && c->cycle_months != 1 &&
		    c->cycle_months != 2 && c->cycle_months != 3 &&
		    c->cycle_months != 4 && c->cycle_months != 6 &&
		    c->cycle_months != 12) {
			char v[24];
			snprintf(v, sizeof v, "%lld",
				 (long long)c->cycle_months);
			diag_error(d, L->file, line,
				   L->colname[CONTRACT_CYCLE_MONTHS], v,
				   "a cycle is 1, 2, 3, 4, 6 or 12 months");
		}
		if (!has(c, CONTRACT_SLA_EMERGENCY_HOURS))
			c->sla_emergency_hours = c->sla_hours;
		c->has_window = has(c, CONTRACT_SERVICE_DAYS) ||
				has(c, CONTRACT_SERVICE_HOURS);
		if (c->pm_months > PM_MONTHS_MAX) {
			char v[24];
			snprintf(v, sizeof v, "%lld", (long long)c->pm_months);
			diag_error(d, L->file, line, L->colname[CONTRACT_PM_MONTHS],
				   v, "a preventive cycle is at most %d months",
				   PM_MONTHS_MAX);
		}
		if (c->type == CT_WEBSITE) {
			const char *e = c->monthly_fee_text[0] ?
				parse_input_money(c->monthly_fee_text, 0,
						  &c->monthly_fee) :
				"value missing (required for website "
				"contracts)";
			if (e)
				diag_error(d, L->file, line,
					   L->colname[CONTRACT_MONTHLY_FEE],
					   c->monthly_fee_text[0] ?
					   c->monthly_fee_text : NULL, "%s", e);
		}
		if (c->type == CT_PRICE_PERCENT) {
			const char *e = c->annual_pct_text[0] ?
				parse_input_percent(c->annual_pct_text,
						    &c->annual_pct) :
				"value missing (required for price_percent "
				"contracts)";
			if (e)
				diag_error(d, L->file, line,
					   L->colname[CONTRACT_ANNUAL_PCT],
					   c->annual_pct_text[0] ?
					   c->annual_pct_text : NULL, "%s", e);
		}
	}
}

void check_rates(struct dataset *ds, const struct refs *ok,
			const struct loaded *L, struct diag *d)
{
	if (ds->nrates)
		qsort(ds->rates, ds->nrates, sizeof *ds->rates, rate_order);
	for (size_t i = 0; i < ds->nrates; i++) {
		struct rate *r = &ds->rates[i];
		if (!r->contract_id[0] || !r->class[0])
			continue;
		if (!find_contract(ds, r->contract_id) && ok->contracts)
			diag_error(d, L->file, r->ri.line,
				   L->colname[RATE_CONTRACT_ID], r->contract_id,
				   "no such contract in contracts.csv");
		const struct rate *first = find_rate(ds, r->contract_id,
						     r->class);
		if (first != r)
			diag_error(d, L->file, r->ri.line, L->colname[RATE_CLASS],
				   r->class, "a rate for this contract and "
				   "class is already on line %ld",
				   first->ri.line);
	}
}

void check_devices(struct dataset *ds, const struct refs *ok,
			    const struct loaded *L,
			  struct diag *d)
{
	for (size_t i = 0; i < ds->ndevices; i++) {
		struct device *v = &ds->devices[i];
		long line = v->ri.line;
		if (!v->contract_id[0])
			continue;
		struct contract *c = find_contract(ds, v->contract_id);
		v->contract = c;
		if (!c) {
			if (ok->contracts)
				diag_error(d, L->file, line,
					   L->colname[DEVICE_CONTRACT_ID],
					   v->contract_id,
					   "no such contract in contracts.csv");
			continue;
		}
		if (!has(v, DEVICE_FROM))
			v->from = c->start;
		if (!has(v, DEVICE_TO))
			v->to = c->end;
		if (v->to < v->from) {
			char from[11];
			date_format(v->from, from);
			diag_error(d, L->file, line, L->colname[DEVICE_TO], NULL,
				   "the device leaves before it joins on %s%s",
				   from, has(v, DEVICE_FROM) ? "" :
				   " (the contract's start)");
		}
		if (c->type == CT_DEVICE_MONTHLY && v->class[0]) {
			const struct rate *r = find_rate(ds, c->id, v->class);
			if (r)
				v->rate = r->monthly_fee;
			else if (ok->rates)
				diag_error(d, L->file, line,
					   L->colname[DEVICE_CLASS], v->class, "no rate in rates.csv for "
					   "this class on contract %s", c->id);
		}
		if (c->type == CT_PRICE_PERCENT) {
			const char *e = v->purchase_price_text[0] ?
				parse_input_money(v->purchase_price_text, 0,
						  &v->purchase_price) :
				"value missing (required on price_percent "
				"contracts)";
			if (e)
				diag_error(d, L->file, line,
					   L->colname[DEVICE_PURCHASE_PRICE],
					   v->purchase_price_text[0] ?
					   v->purchase_price_text : NULL, "%s", e);
		}
	}
}

void check_records(struct dataset *ds, const struct refs *ok,
		   const struct loaded *L, struct diag *d)
{
	for (size_t i = 0; i < ds->nrecords; i++) {
		struct record *r = &ds->records[i];
		long line = r->ri.line;
		if (r->device_id[0] &&
		    !(r->device = find_device(ds, r->device_id)) && ok->devices)
			diag_error(d, L->file, line,
				   L->colname[RECORD_DEVICE_ID], r->device_id,
				   "no such device in devices.csv");
		if (has(r, RECORD_LEVEL) && (r->level < 1 || r->level > 4)) {
			char v[24];
			snprintf(v, sizeof v, "%lld", (long long)r->level);
			diag_error(d, L->file, line, L->colname[RECORD_LEVEL], v,
				   "a repair level is 1, 2, 3 or 4");
		}
		int called = has(r, RECORD_CALLED_AT),
		    arrived = has(r, RECORD_ARRIVED_AT),
		    completed = has(r, RECORD_COMPLETED_AT);
		const char *at_arrival = L->colname[RECORD_ARRIVED_AT],
			   *at_completion = L->colname[RECORD_COMPLETED_AT];
		if (called && arrived && r->arrived_at < r->called_at)
			diag_error(d, L->file, line, at_arrival, NULL,
				   "arrival is before the call");
		if (arrived && completed && r->completed_at < r->arrived_at)
			diag_error(d, L->file, line, at_completion, NULL,
				   "completion is before arrival");
		if (called && !arrived && completed &&
		    r->completed_at < r->called_at)
			diag_error(d, L->file, line, at_completion, NULL,
				   "completion is before the call");
		if (r->level <= 2) {
			static const int cols[3] = {
				RECORD_OEM_QUOTE, RECORD_FREIGHT, RECORD_DUTY
			};
			const int64_t vals[3] = { r->oem_quote, r->freight,
						  r->duty };
			for (int k = 0; k < 3; k++)
				if (vals[k] != 0)
					diag_error(d, L->file, line,
						   L->colname[cols[k]], NULL,
						   "manufacturer charges are "
						   "only for level 3 or 4 "
						   "repairs (level %lld)",
						   (long long)r->level);
		}
	}
}

void check_part_uses(struct dataset *ds, const struct refs *ok,
		     const struct loaded *L, struct diag *d)
{
	for (size_t i = 0; i < ds->npart_uses; i++) {
		struct part_use *u = &ds->part_uses[i];
		long line = u->ri.line;
		struct record *r = find_record(ds, u->record_id);
		if (u->record_id[0] && !r && ok->records)
			diag_error(d, L->file, line,
				   L->colname[PART_USE_RECORD_ID], u->record_id,
				   "no such record in service_records.csv");
		if (!u->part_no[0])
			continue;
		u->part = find_part(ds, u->part_no);
		if (!has(u, PART_USE_LIST_PRICE)) {
			if (u->part)
				u->list_price = u->part->list_price;
			else if (ok->parts)
				diag_error(d, L->file, line,
					   L->colname[PART_USE_PART_NO],
					   u->part_no, "not in parts.csv, so "
					   "the row needs a list_price");
		}
	}
}

void check_charges(struct dataset *ds, const struct refs *ok,
		   const struct loaded *L, struct diag *d)
{
	for (size_t i = 0; i < ds->ncharges; i++) {
		struct charge *c = &ds->charges[i];
		if (c->contract_id[0] && !find_contract(ds, c->contract_id) &&
		    ok->contracts)
			diag_error(d, L->file, c->ri.line,
				   L->colname[CHARGE_CONTRACT_ID], c->contract_id,
				   "no such contract in contracts.csv");
	}
}

void check_payment(const struct payment *p, const struct loaded *L,
		   struct diag *d)
{
	if (has(p, PAYMENT_AMOUNT) && p->amount == 0)
		diag_error(d, L->file, p->ri.line,
			   L->colname[PAYMENT_AMOUNT], "0",
			   "a payment must be more than 0");
}

static int by_date_then_line(const void *x, const void *y)
{
	const struct holiday *a = x, *b = y;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->ri.line > b->ri.line) - (a->ri.line < b->ri.line);
}

/* holidays.csv: sorted by date for the SLA clock; one row per date. */
void check_holidays(struct dataset *ds, const struct loaded *L,
			   struct diag *d)
{
	if (ds->nholidays)
		qsort(ds->holidays, ds->nholidays, sizeof *ds->holidays,
		      by_date_then_line);
	size_t first = 0;
	for (size_t i = 1; i < ds->nholidays; i++) {
		struct holiday *h = &ds->holidays[i];
		if (!has(h, HOLIDAY_DATE) ||
		    h->date != ds->holidays[i - 1].date ||
		    !has(&ds->holidays[i - 1], HOLIDAY_DATE)) {
			first = i;
			continue;
		}
		char v[11];
		date_format(h->date, v);
		diag_error(d, L->file, h->ri.line, L->colname[HOLIDAY_DATE],
			   v,
			   "this date is already on line %ld",
			   ds->holidays[first].ri.line);
	}
}

/* fapiao_items.csv: a known kind (in any case, as every enumerated
 * value: SPEC §2.2; kept as its own name, which the workbook looks up),
 * once; a tax code of 19 digits. */
void check_fapiao_items(struct dataset *ds, const struct loaded *L,
			struct diag *d, struct arena *a)
{
	for (size_t i = 0; i < ds->nfapiao_items; i++) {
		struct fapiao_item *f = &ds->fapiao_items[i];
		int kind = f->kind[0] ?
			   word_parse(&fapiao_kind_words, f->kind) : -1;
		if (kind >= 0)
			f->kind = arena_strdup(a, word_en(&fapiao_kind_words,
							  kind));
		else if (f->kind[0])
			diag_error(d, L->file, f->ri.line,
				   L->colname[FAPIAO_ITEM_KIND], f->kind,
				   "not a kind of line; use %s",
				   word_list(&fapiao_kind_words, a));
		size_t n = strlen(f->tax_code);
		int digits = n == 19;
		for (size_t k = 0; k < n; k++)
			digits &= f->tax_code[k] >= '0' && f->tax_code[k] <= '9';
		if (n && !digits)
			diag_error(d, L->file, f->ri.line,
				   L->colname[FAPIAO_ITEM_TAX_CODE], f->tax_code, "a tax classification code has "
				   "19 digits");
	}
	schema_sort_unique(ds->fapiao_items, ds->nfapiao_items,
			   sizeof(struct fapiao_item),
			   offsetof(struct fapiao_item, kind), L,
			   FAPIAO_ITEM_KIND, d);
}

