/* zlevel.c - the deflate level of the PDFs.
 *
 * libharu 2.3 compresses every stream with zlib's default level (6) and
 * offers no setting for it.  Embedded font subsets, the bulk of each PDF,
 * barely compress better at level 6 than at level 1 (about 4 %), while
 * level 6 took a third of a run's CPU time.  This definition of zlib's
 * deflateInit_ takes precedence over zlib's own for libharu's calls (the
 * executable's symbols come first), and asks for level 1.  Only libharu
 * calls deflate in svcbill.  pdf.c asks for a higher level for the font
 * program alone (svcbill_deflate_next). */
#include <zlib.h>

#include "pdf/pdf.h"

#define SVCBILL_DEFLATE_LEVEL 1

int svcbill_deflate_next;

int deflateInit_(z_streamp strm, int level, const char *version,
		 int stream_size)
{
	(void)level;
	level = svcbill_deflate_next ? svcbill_deflate_next :
		SVCBILL_DEFLATE_LEVEL;
	svcbill_deflate_next = 0;
	return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS,
			     8, Z_DEFAULT_STRATEGY, version, stream_size);
}
