/* run.h - the three commands: run, check, verify (rules.md §1). */
#ifndef SVCBILL_RUN_H
#define SVCBILL_RUN_H

#include "base/date.h"

struct options {
	const char *data, *out, *font;
	int out_given;              /* --out was on the command line */
	int period;                 /* month number */
	day_t issue_date;
	int has_issue_date;
	int jobs;
	int reissue, dry_run, quiet, verbose;
	const char *seal;           /* verify --seal HEX, or NULL */
};

/* Each returns the process exit status (sysexits.h values). */
int cmd_run(const struct options *o);
int cmd_check(const struct options *o);
int cmd_verify(const struct options *o);

#endif
