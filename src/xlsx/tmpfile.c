/* tmpfile.c - libxlsxwriter's temporary files in memory.
 *
 * libxlsxwriter 1.1.4 writes each part of a workbook (every sheet's XML,
 * the styles, the shared strings, a streamed sheet's rows) to a
 * temporary file from lxw_tmpfile(tmpdir): a file it creates in the
 * workbook's private folder and unlinks at once, reads back into the zip
 * and closes.  It calls lxw_tmpfile through its PLT: the program's own
 * definition, exported by the Makefile's link flags (as
 * lxw_rowcol_to_cell in cellref.c), replaces it for the library with a
 * file in memory (memfd_create: no name, no inode of TMPDIR's file
 * system, gone when closed).  Creating a file was the costliest part of
 * writing one on this machine's ext4, whose search for a free inode
 * passes over those deleted recently: some 25 files a run.  Where
 * memfd_create fails (an old kernel), the library's own. */
#include <dlfcn.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xlsxwriter.h>

#if LXW_VERSION_ID != 114
#error "tmpfile.c replaces libxlsxwriter 1.1.4's lxw_tmpfile"
#endif

typedef FILE *(*tmpfile_fn)(char *tmpdir);

FILE *lxw_tmpfile(char *tmpdir)
{
	int fd = memfd_create("svcbill-xlsx", MFD_CLOEXEC);
	if (fd >= 0) {
		FILE *f = fdopen(fd, "w+b");
		if (f)
			return f;
		close(fd);
	}
	static tmpfile_fn own;
	if (!own) {
		/* POSIX: a function pointer through an object pointer */
		void *p = dlsym(RTLD_NEXT, "lxw_tmpfile");
		if (!p)
			return NULL;
		*(void **)&own = p;
	}
	return own(tmpdir);
}
