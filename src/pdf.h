/* pdf.h - draw a laid-out document with libharu.  The only module that
 * includes hpdf.h. */
#ifndef SVCBILL_PDF_H
#define SVCBILL_PDF_H

#include <stddef.h>

#include "layout.h"

/* Renders the document to PDF bytes (malloc'd).  Deterministic: the same
 * document gives the same bytes.  Returns 0, or -1 with a message. */
int pdf_render(const struct doc *d, unsigned char **out, size_t *len,
	       char *err, size_t errlen);

#endif
