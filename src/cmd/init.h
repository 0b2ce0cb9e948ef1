/* init.h - `svcbill init DIR`: blank input files to fill in (rules.md §1). */
#ifndef SVCBILL_INIT_H
#define SVCBILL_INIT_H

/* Writes into dir (made if missing) one template per input file of rules.md
 * §2: a UTF-8 byte order mark and the Chinese header line, no rows.
 * Writes nothing if any of the files exists already (exit 73, each one
 * named).  Returns the exit status. */
int cmd_init_dir(const char *dir);

/* The input files, in rules.md §2's order, with the header line (without BOM
 * and line end) of those whose columns load.c does not know, else NULL;
 * ends with { NULL, NULL }. */
struct template_file {
	const char *name;
	const char *header;
};
extern const struct template_file init_templates[];

#endif
