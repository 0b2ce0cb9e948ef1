/* rules.h - the fee engine (rules.md §3): pure functions from the data set,
 * the billing period and the ledger's history to invoice drafts.
 * No I/O, no globals, no clock. */
#ifndef SVCBILL_RULES_H
#define SVCBILL_RULES_H

#include "base/arena.h"
#include "base/diag.h"
#include "bill/invoice.h"
#include "bill/payments.h"
#include "ledger/ledger.h"
#include "read/model.h"
#include "base/money.h"

struct cycle {
	int first_month, last_month;   /* whole calendar months covered */
	day_t start, end;              /* clipped to the contract */
};

/* The cycle of c that starts in month m; 0 if none. */
int cycle_starting(const struct contract *c, int month, struct cycle *out);
/* The cycle of c whose clipped last day lies in month m; 0 if none. */
int cycle_ending(const struct contract *c, int month, struct cycle *out);
/* The cycles the true-ups of a run of `period` look at: each contract's
 * that ended the month before (struct cycle_key, ledger.h: by contract
 * id, as ds->contracts are), in a; *n of them. */
const struct cycle_key *trueup_cycles(const struct dataset *ds, int period,
				      struct arena *a, size_t *n);
/* The first period whose ledger lines those n cycles can need (a cycle's
 * lines are billed from its first month on); `period` when there are
 * none.  The lines of earlier periods are not read: what later rules
 * need of them is in the ledger's index. */
int trueup_reach(const struct cycle_key *cycles, size_t n, int period);

/* A billable unit's monthly rate as an exact fraction of fen; over
 * __int128, as a purchase price times a percentage passes 64 bits. */
struct rate_frac {
	i128 num, den;
};

/* Amount of one unit for a cycle (rules.md §3.2): round(sum R*d_m/D_m);
 * *qty gets the months covered, exactly. */
int64_t unit_cycle_amount(struct rate_frac r, day_t cov_from, day_t cov_to,
			  const struct cycle *cy, struct ratio *qty);

/* What a part used on record r of contract c is charged (rules.md
 * §3.3): qty x list_price x the share (part_use_pct: parts_pct when the
 * cause is covered, else all of it), rounded to the fen, before the
 * limits are checked; 0 makes no line.  The one formula, for the
 * invoice and for fapiao.xlsx, which finds a parts line's part by it. */
int64_t part_use_pct(const struct contract *c, const struct record *r);
i128 part_use_value(const struct contract *c, const struct record *r,
		    const struct part_use *u);
/* What a charge is (qty x unit_price, rounded), likewise. */
i128 charge_value(const struct charge *ch);

/* Days late for an SLA: ceil((response - limit) / 24 h), 0 if in time.
 * response_secs and limit_centi_hours as stored in the model. */
int64_t sla_days_late(int64_t response_secs, int64_t limit_centi_hours);

struct bill_input {
	const struct dataset *ds;
	int period;                 /* P, a month number */
	day_t issue_date;
	const struct history *hist; /* lines and invoices by contract_id */
	/* where amounts or dates beyond the limits of rules.md §2.3 are
	 * reported, naming data_dir's files */
	struct diag *d;
	const char *data_dir;
	/* indexes made by bill_prepare */
	const struct charge **charges;     /* by contract, date, file order */
	struct payment_runs pay_runs;      /* payments by invoice_no, file
					    * order; each number's at once */
	/* each number of the history's payments, by its rank there (NULL
	 * without a history) */
	const struct payment_run *paid;
};

/* Build the indexes the engine needs; call once before bill_contract. */
void bill_prepare(struct bill_input *in, struct arena *a);

/* One invoice draft per contract that has at least one line, in contract
 * id order, numbers not yet assigned. */
struct invoice *bill_period(struct bill_input *in, struct arena *a,
			    size_t *ninvoices);

/* The draft for one contract (nlines may be 0). */
void bill_contract(const struct bill_input *in, const struct contract *c,
		   struct arena *a, struct invoice *out);

#endif
