/* load.h - read a data folder into the model and check every rule of
 * rules.md §2 that needs only the data (the register rule is the ledger's). */
#ifndef SVCBILL_LOAD_H
#define SVCBILL_LOAD_H

#include "base/arena.h"
#include "base/diag.h"
#include "read/model.h"

/* Reads DIR/<file>.csv for every input file.  Every problem goes to diag;
 * the data set is usable only when diag_exit_status(d) == 0. */
void load_dataset(const char *dir, struct arena *a, struct diag *d,
		  struct dataset *ds);
/* What a run keeps of payments.csv, which grows by a row per invoice for
 * the company's life: each row, in file order (checked, with or without
 * errors), is shown to keep(ctx, row), and ds->payments holds only those
 * it keeps (the file itself is never held whole: schema_read_each). */
struct payments_kept {
	int (*keep)(void *ctx, const struct payment *p);
	void *ctx;
};
/* load_dataset with pk NULL keeps every payment */
void load_dataset_keeping(const char *dir, const struct payments_kept *pk,
			  struct arena *a, struct diag *d,
			  struct dataset *ds);
/* payments.csv read again into ds (its payments before freed), keeping
 * those pk keeps: for a run that left out rows it turns out to need.
 * Nothing is said: 0, or -1 when the file now has errors or lacks a
 * column (it changed since the first read; whether its rows are the
 * same, the caller's keep can tell). */
int load_payments_again(const char *dir, const struct payments_kept *pk,
			struct dataset *ds);
/* What of ds is not in load_dataset's arena (its payments'). */
void dataset_free(struct dataset *ds);

/* The rows of input file f (enum input_file, read/tables.h) in ds and
 * how many (the issuer's one row too), each t->rowsize bytes and
 * starting with its struct rowinfo. */
const void *dataset_rows(const struct dataset *ds, int f, size_t *n);

/* The header line of a template of input file `name` (svcbill init): the
 * Chinese alias of every column the reader knows (the English name where
 * there is none), comma-separated, from the same tables.  0, or -1 when
 * this module does not read that file or out is too small. */
int load_template_header(const char *name, char *out, size_t outlen);

#endif
