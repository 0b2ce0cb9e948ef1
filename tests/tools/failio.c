/* failio.so - LD_PRELOAD shim that makes the disk "full".
 *
 * FAILIO_AFTER=N: the first N write() and fsync() calls on regular files
 * succeed, every later one fails with ENOSPC (each process counts its
 * own calls).  Used to check that svcbill reports exit 74 and loses
 * nothing already archived, whichever write fails.
 *
 * FAILIO_EIO=TEXT: read() on a regular file whose path contains TEXT
 * fails with EIO (a failing disk under one file).
 * FAILIO_KILL=TEXT: a process that opens a path containing TEXT with
 * openat() kills itself with SIGKILL (a worker dying mid-document).
 * FAILIO_PLANT=TARGET: just before openat() creates a file whose name
 * ends in ".tmp", a symbolic link to TARGET is put at that very name (a
 * local attacker who wins every race). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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

/* The path of an open fd contains text. */
static int fd_path_has(int fd, const char *text)
{
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	return strstr(path, text) != NULL;
}

ssize_t read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT,
							       "read");
	const char *eio = getenv("FAILIO_EIO");
	struct stat st;
	if (eio && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    fd_path_has(fd, eio)) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, n);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	if (!real)
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT,
								   "openat");
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	const char *plant = getenv("FAILIO_PLANT");
	size_t n = strlen(path);
	if (plant && (flags & O_CREAT) && n > 4 &&
	    strcmp(path + n - 4, ".tmp") == 0)
		(void)!symlinkat(plant, dirfd, path);
	const char *kill_at = getenv("FAILIO_KILL");
	if (kill_at && strstr(path, kill_at))
		raise(SIGKILL);
	return real(dirfd, path, flags, mode);
}
