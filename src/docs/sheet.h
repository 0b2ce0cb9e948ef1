/* doc_sheet.h - lay out a device's maintenance record sheet
 * (产品服务维护单, rules.md §5.2): the device, its whole service history
 * up to the end of the activity month, the invoice that billed each record,
 * and boxes for the signatures. */
#ifndef SVCBILL_DOC_SHEET_H
#define SVCBILL_DOC_SHEET_H

#include "docs/layout.h"
#include "read/model.h"

/* Which invoice billed a record ("" when none did). */
typedef const char *(*invoice_of_fn)(void *ctx, const char *record_id);

void layout_sheet(struct doc *d, const struct issuer *is,
		  const struct device *v, int activity_month, day_t issued,
		  invoice_of_fn invoice_of, void *ctx);

/* The device id as a file name: characters other than A-Za-z0-9._- (and
 * a leading dot) become '_', and when anything changed a short hash of
 * the id is appended, so that no two ids share a name (rules.md §2.3).
 * Result in the arena, without extension. */
const char *safe_file_name(const char *id, struct arena *a);

#endif
