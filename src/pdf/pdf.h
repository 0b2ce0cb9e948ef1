/* pdf.h - draw a laid-out document as PDF/A-2b with libharu.  The only
 * module that includes hpdf.h (and libdeflate.h). */
#ifndef SVCBILL_PDF_H
#define SVCBILL_PDF_H

#include <stddef.h>

#include "docs/layout.h"

/* Renders the document to PDF bytes (malloc'd).  Deterministic: the same
 * document gives the same bytes.  Returns 0; -1 with a message on an
 * internal failure; -2 when the system refused memory or a write (disk or
 * memory full). */
int pdf_render(const struct doc *d, unsigned char **out, size_t *len,
	       char *err, size_t errlen);

#endif
