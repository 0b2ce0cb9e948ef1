/* export_hledger.h - `svcbill export hledger [--out DIR] [--data DIR]`
 * (rules.md §1, §4 "Exports"): the archive as an hledger journal on stdout.
 *
 * One transaction per issued invoice (also one later cancelled) and per
 * credit note, dated its issue date: the gross on
 * assets:receivable:CLIENT_ID, the net by line kind on revenue:KIND, the
 * tax by rate on liabilities:vat:RATE%.  With --data, every payment of
 * payments.csv naming an invoice of the register moves its amount from
 * the receivable to assets:bank.  So a client's receivable is what it
 * still owes: issued gross, less credit notes, less payments. */
#ifndef SVCBILL_EXPORT_HLEDGER_H
#define SVCBILL_EXPORT_HLEDGER_H

/* argv[0] is "export"; returns the exit status (sysexits.h). */
int cmd_export(int argc, char **argv);

#endif
