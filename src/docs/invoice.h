/* doc_invoice.h - lay out an invoice or credit note (rules.md §5.1). */
#ifndef SVCBILL_DOC_INVOICE_H
#define SVCBILL_DOC_INVOICE_H

#include "bill/invoice.h"
#include "docs/layout.h"
#include "read/model.h"

/* client and contract may be NULL (a contract gone from the data whose
 * invoice is being cancelled); then ids from inv are shown. */
void layout_invoice(struct doc *d, const struct issuer *is,
		    const struct client *cl, const struct contract *c,
		    const struct invoice *inv);

#endif
