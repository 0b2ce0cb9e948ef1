/* failio.so - LD_PRELOAD shim that makes the disk "full".
 *
 * FAILIO_AFTER=N: the first N write() and fsync() calls on regular files
 * succeed, every later one fails with ENOSPC (each process counts its
 * own calls).  Used to check that svcbill reports exit 74 and loses
 * nothing already archived, whichever write fails. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static long calls;

static int failing(int fd)
{
	const char *after = getenv("FAILIO_AFTER");
	struct stat st;
	if (!after || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	return ++calls > atol(after);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
								     "write");
	if (failing(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, n);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (failing(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd);
}
