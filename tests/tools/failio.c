/* failio.so - LD_PRELOAD shim that makes the disk "full".
 *
 * FAILIO_AFTER=N: the first N write(), pwrite() and fsync() calls on
 * regular files succeed, every later one fails with ENOSPC (each process
 * counts its own calls).  Used to check that svcbill reports exit 74 and
 * loses nothing already archived, whichever write fails.
 *
 * FAILIO_EIO=TEXT: read() on a regular file whose path contains TEXT
 * fails with EIO (a failing disk under one file).
 * A mapping of such a file is made as asked, but reading it raises
 * SIGBUS, as the kernel reports a disk error under a mapping.
 * FAILIO_CUT=TEXT: the same for the mapping of a file whose path
 * contains TEXT (as if another program had cut the file short while it
 * was mapped); the file itself is left as it is.
 * FAILIO_KILL=TEXT: a process that opens a path containing TEXT with
 * openat() kills itself with SIGKILL (a worker dying mid-document).
 * FAILIO_PAUSE=TEXT|FILE: the first time a path containing TEXT is
 * opened with openat(), the process waits until FILE exists (at most a
 * minute): a run held at a known point, for another to meet it there.
 * FAILIO_EDIT=TEXT|FILE|OFFSET: when a path containing TEXT is first
 * opened with openat(), the digit at byte OFFSET of FILE is changed in
 * place (another program editing the ledger during a run).
 * FAILIO_PLANT=TARGET: just before openat() creates a file whose name
 * ends in ".tmp", a symbolic link to TARGET is put at that very name (a
 * local attacker who wins every race).
 * FAILIO_LOG=FILE: every fsync, fdatasync, syncfs, rename and link call is
 * appended to FILE as a line "PID CALL PATH [PATH2]" (paths absolute,
 * from /proc/self/fd), so a test can check the order in which the files
 * of a run were made durable and named; also "close PATH" when a file
 * whose name ends in ".tmp" is closed (its bytes are all written) and
 * "append PATH" for a write() to a file opened O_APPEND (a ledger row).  syncfs also counts (and fails)
 * as a write for FAILIO_AFTER. */
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long calls;
static void log_fd(const char *call, int fd);

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
	if (getenv("FAILIO_LOG") && (fcntl(fd, F_GETFL) & O_APPEND))
		log_fd("append", fd);
	return real(fd, buf, n);
}

/* An index rewritten in place (rewrite_tail): a write like the others. */
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))
			dlsym(RTLD_NEXT, "pwrite");
	if (failing(fd)) {
		errno = ENOSPC;
		return -1;
	}
	if (getenv("FAILIO_LOG"))
		log_fd("pwrite", fd);
	return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	return pwrite(fd, buf, n, off);
}

/* The path of an open fd ("?" when unknown). */
static void fd_path(int fd, char *path, size_t size)
{
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, size - 1);
	if (n < 0)
		n = snprintf(path, size, "?");
	path[n] = '\0';
}

/* The path of an open fd contains text. */
static int fd_path_has(int fd, const char *text)
{
	char path[PATH_MAX];
	fd_path(fd, path, sizeof path);
	return strstr(path, text) != NULL;
}

/* dirfd/name as an absolute path */
static void at_path(int dirfd, const char *name, char *path, size_t size)
{
	if (name[0] == '/' || dirfd == AT_FDCWD) {
		snprintf(path, size, "%s", name);
		return;
	}
	char dir[PATH_MAX];
	fd_path(dirfd, dir, sizeof dir);
	if (snprintf(path, size, "%s/%s", dir, name) < 0)
		path[0] = '\0';
}

/* One line in FAILIO_LOG, written with one write() in append mode, so the
 * lines of several processes do not mix. */
static void logline(const char *call, const char *a, const char *b)
{
	const char *file = getenv("FAILIO_LOG");
	if (!file)
		return;
	static ssize_t (*real_write)(int, const void *, size_t);
	if (!real_write)
		real_write = (ssize_t (*)(int, const void *, size_t))dlsym(
			RTLD_NEXT, "write");
	char line[5 * PATH_MAX];
	int n = snprintf(line, sizeof line, "%ld %s %s%s%s\n", (long)getpid(),
			 call, a, b ? " " : "", b ? b : "");
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	(void)!real_write(fd, line, (size_t)n);
	close(fd);
}

static void log_fd(const char *call, int fd)
{
	if (!getenv("FAILIO_LOG"))
		return;
	char path[PATH_MAX];
	fd_path(fd, path, sizeof path);
	logline(call, path, NULL);
}

int close(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (getenv("FAILIO_LOG")) {
		char path[PATH_MAX];
		fd_path(fd, path, sizeof path);
		size_t n = strlen(path);
		if (n > 4 && strcmp(path + n - 4, ".tmp") == 0)
			logline("close", path, NULL);
	}
	return real(fd);
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
	log_fd("fsync", fd);
	return real(fd);
}

int fdatasync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (failing(fd)) {
		errno = ENOSPC;
		return -1;
	}
	log_fd("fdatasync", fd);
	return real(fd);
}

int syncfs(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "syncfs");
	const char *after = getenv("FAILIO_AFTER");
	if (after && ++calls > atol(after)) {
		errno = ENOSPC;
		return -1;
	}
	log_fd("syncfs", fd);
	return real(fd);
}

int renameat(int olddir, const char *old, int newdir, const char *new)
{
	static int (*real)(int, const char *, int, const char *);
	if (!real)
		real = (int (*)(int, const char *, int, const char *))dlsym(
			RTLD_NEXT, "renameat");
	if (getenv("FAILIO_LOG")) {
		char a[2 * PATH_MAX], b[2 * PATH_MAX];
		at_path(olddir, old, a, sizeof a);
		at_path(newdir, new, b, sizeof b);
		logline("rename", a, b);
	}
	return real(olddir, old, newdir, new);
}

int rename(const char *old, const char *new)
{
	return renameat(AT_FDCWD, old, AT_FDCWD, new);
}

int linkat(int olddir, const char *old, int newdir, const char *new,
	   int flags)
{
	static int (*real)(int, const char *, int, const char *, int);
	if (!real)
		real = (int (*)(int, const char *, int, const char *, int))dlsym(
			RTLD_NEXT, "linkat");
	if (getenv("FAILIO_LOG")) {
		char a[2 * PATH_MAX], b[2 * PATH_MAX];
		at_path(olddir, old, a, sizeof a);
		at_path(newdir, new, b, sizeof b);
		logline("link", a, b);
	}
	return real(olddir, old, newdir, new, flags);
}

int link(const char *old, const char *new)
{
	return linkat(AT_FDCWD, old, AT_FDCWD, new, 0);
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

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	if (!real)
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(
			RTLD_NEXT, "mmap");
	const char *eio = getenv("FAILIO_EIO"), *cut = getenv("FAILIO_CUT");
	void *m = real(addr, len, prot, flags, fd, off);
	if (m != MAP_FAILED && fd >= 0 &&
	    ((eio && fd_path_has(fd, eio)) || (cut && fd_path_has(fd, cut)))) {
		/* the same range now shows an empty file: any access is
		 * past its end, SIGBUS, while the real file is untouched */
		int empty = memfd_create("failio-cut", MFD_CLOEXEC);
		if (empty < 0 || real(m, len, prot, MAP_FIXED | MAP_SHARED,
				      empty, 0) == MAP_FAILED)
			abort();
		close(empty);
	}
	return m;
}

/* The variable name as TEXT|REST, once: 1 the first time path holds
 * TEXT, with REST copied to rest (its own '|'s kept). */
static int first_open_of(const char *name, int *done, const char *path,
			 char rest[PATH_MAX + 64])
{
	const char *e = getenv(name);
	if (!e || *done)
		return 0;
	char spec[PATH_MAX + 64];
	snprintf(spec, sizeof spec, "%s", e);
	char *bar = strchr(spec, '|');
	if (!bar)
		return 0;
	*bar = '\0';
	if (!strstr(path, spec))
		return 0;
	*done = 1;
	snprintf(rest, PATH_MAX + 64, "%s", bar + 1);
	return 1;
}

/* FAILIO_EDIT=TEXT|FILE|OFFSET: the first time a path containing TEXT is
 * opened with openat(), the digit at OFFSET of FILE becomes another digit
 * (its size kept): another program editing the ledger while svcbill runs. */
static void edit_at(const char *path)
{
	static int done;
	char file[PATH_MAX + 64];
	if (!first_open_of("FAILIO_EDIT", &done, path, file))
		return;
	char *off = strchr(file, '|');
	if (!off)
		return;
	*off++ = '\0';
	int fd = open(file, O_RDWR);
	char c;
	if (fd >= 0 && pread(fd, &c, 1, atol(off)) == 1 && c >= '0' && c <= '9') {
		c ^= 1;
		(void)!pwrite(fd, &c, 1, atol(off));
	}
	if (fd >= 0)
		close(fd);
}

/* FAILIO_PAUSE=TEXT|FILE (see the top) */
static void pause_at(const char *path)
{
	static int done;
	char file[PATH_MAX + 64];
	if (!first_open_of("FAILIO_PAUSE", &done, path, file))
		return;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	for (int i = 0; i < 6000 && access(file, F_OK) != 0; i++)
		nanosleep(&tick, NULL);
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
	edit_at(path);
	pause_at(path);
	return real(dirfd, path, flags, mode);
}
