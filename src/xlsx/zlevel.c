/* zlevel.c - the workbooks' deflate level.
 *
 * libxlsxwriter 1.1 zips a workbook through minizip at zlib's default
 * level (6) and offers no way to choose it.  Its XML compresses well at
 * level 1 too: for a month of 10,000 invoices, summary.xlsx takes 0.3 s
 * less CPU and is 25 % larger (6.0 MB instead of 4.8).  minizip is the
 * process's only caller of deflateInit2_ (libharu calls deflateInit_ and
 * is given data compressed already; the PDFs use libdeflate), so the
 * program's own deflateInit2_, exported by the Makefile's link flags,
 * replaces zlib's for it: the same call, with level 1 where the default
 * was asked for.  Declared without zlib.h: the stream is only passed on.
 */
#include <dlfcn.h>
#include <stddef.h>

#define ZLIB_DEFAULT_LEVEL (-1)         /* Z_DEFAULT_COMPRESSION */
#define WORKBOOK_LEVEL 1

typedef int (*deflate_init2_fn)(void *strm, int level, int method,
				int window_bits, int mem_level, int strategy,
				const char *version, int stream_size);

int deflateInit2_(void *strm, int level, int method, int window_bits,
		  int mem_level, int strategy, const char *version,
		  int stream_size);

int deflateInit2_(void *strm, int level, int method, int window_bits,
		  int mem_level, int strategy, const char *version,
		  int stream_size)
{
	static deflate_init2_fn zlib_own;
	if (!zlib_own) {
		/* POSIX: a function pointer through an object pointer */
		void *f = dlsym(RTLD_NEXT, "deflateInit2_");
		if (!f)
			return -6;              /* Z_VERSION_ERROR */
		*(void **)&zlib_own = f;
	}
	if (level == ZLIB_DEFAULT_LEVEL)
		level = WORKBOOK_LEVEL;
	return zlib_own(strm, level, method, window_bits, mem_level,
			strategy, version, stream_size);
}
