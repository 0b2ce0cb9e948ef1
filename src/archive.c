/* archive.c - see archive.h */
#include "archive.h"
#include "arena.h"
#include "csvread.h"
#include "fields.h"
#include "fsio.h"
#include "money.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void check_billed_cycles(const struct dataset *ds, const struct ledger *lg,
			 const char *data_dir, struct arena *a,
			 struct diag *d)
{
	const char *file = arena_printf(a, "%s/contracts.csv", data_dir);
	const char *last_contract = "";
	day_t last_start = -1;
	for (size_t i = 0; i < lg->nlines; i++) {
		const struct ledger_line *ll = &lg->lines[i];
		if (ll->l.kind != LK_RECURRING)
			continue;
		const struct reg_row *g = ledger_find(lg, ll->invoice_no);
		if (!g || g->status != INV_ISSUED)
			continue;
		/* one message per contract and cycle */
		if (strcmp(last_contract, ll->contract_id) == 0 &&
		    last_start == ll->l.cycle_start)
			continue;
		last_contract = ll->contract_id;
		last_start = ll->l.cycle_start;
		const struct contract *c = find_contract(ds, ll->contract_id);
		if (!c)
			continue;
		struct cycle cy;
		if (cycle_starting(c, month_of(ll->l.cycle_start), &cy) &&
		    cy.start == ll->l.cycle_start)
			continue;
		char when[11];
		date_format(ll->l.cycle_start, when);
		const char *column =
			c->end < ll->l.cycle_start ? "end" :
			(month_of(ll->l.cycle_start) - month_of(c->start)) %
			(c->cycle_months > 0 ? c->cycle_months : 1) ?
			"cycle_months" : "start";
		diag_error(d, file, c->ri.line, column, NULL,
			   "contract %s was billed for the cycle starting %s "
			   "(invoice %s), which is no longer a cycle of the "
			   "contract; end the contract and start a new one "
			   "instead", c->id, when, ll->invoice_no);
	}
}

/* Checks one period's SHA256SUMS: every listed file has its checksum. */
static int verify_sums(const char *root, const char *period,
		       struct arena *a)
{
	char *path = arena_printf(a, "%s/%s/SHA256SUMS", root, period);
	char *text;
	size_t len;
	if (read_file(path, &text, &len) != 0) {
		printf("%s: missing\n", path);
		return 1;
	}
	int problems = 0;
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (strlen(line) > 66 && line[64] == ' ' && line[65] == ' ') {
			line[64] = '\0';
			char *file = arena_printf(a, "%s/%s/%s", root, period,
						  line + 66);
			char sha[65];
			if (sha256_file(file, sha) != 0) {
				printf("%s: listed in SHA256SUMS but "
				       "missing\n", file);
				problems++;
			} else if (strcmp(sha, line) != 0) {
				printf("%s: SHA-256 differs from "
				       "SHA256SUMS\n", file);
				problems++;
			}
		} else if (line[0]) {
			printf("%s: malformed line\n", path);
			problems++;
		}
		if (!end)
			break;
		line = end + 1;
	}
	free(text);
	return problems;
}

static int by_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

int verify_archive(const char *root, const struct ledger *lg,
		   struct arena *a)
{
	int problems = 0;
	for (size_t i = 0; i < lg->nrows; i++) {
		const struct reg_row *g = &lg->rows[i];
		if (!g->pdf[0])
			continue;
		char *path = arena_printf(a, "%s/%s", root, g->pdf);
		char sha[65];
		if (sha256_file(path, sha) != 0) {
			printf("%s: missing (invoice %s)\n", path,
			       g->invoice_no);
			problems++;
		} else if (strcmp(sha, g->pdf_sha256) != 0) {
			printf("%s: SHA-256 differs from the register "
			       "(invoice %s)\n", path, g->invoice_no);
			problems++;
		}
	}
	/* each invoice's lines add up to its net: one pass over the lines */
	int64_t *sum = xcalloc(lg->nlast + 1, sizeof *sum);
	size_t *count = xcalloc(lg->nlast + 1, sizeof *count);
	for (size_t k = 0; k < lg->nlines; k++) {
		const struct reg_row *g = ledger_find(lg, lg->lines[k].invoice_no);
		if (!g)
			continue;
		size_t i = ledger_last_index(lg, g->invoice_no);
		sum[i] += lg->lines[k].l.amount;
		count[i]++;
	}
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (sum[i] != g->net) {
			char s1[32], s2[32];
			money_plain(sum[i], s1);
			money_plain(g->net, s2);
			printf("%s/lines.csv: the %zu lines of %s add up to %s, "
			       "the register says net %s\n", root, count[i],
			       g->invoice_no, s1, s2);
			problems++;
		}
	}
	free(sum);
	free(count);
	/* every period's SHA256SUMS */
	int *periods = xmalloc(sizeof *periods * (lg->nrows + 1));
	size_t np = 0;
	for (size_t i = 0; i < lg->nrows; i++)
		periods[np++] = lg->rows[i].period;
	qsort(periods, np, sizeof *periods, by_int);
	for (size_t i = 0; i < np; i++) {
		if (i > 0 && periods[i] == periods[i - 1])
			continue;
		char period[8];
		month_format(periods[i], period);
		problems += verify_sums(root, period, a);
	}
	free(periods);
	return problems;
}
