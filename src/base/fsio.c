/* fsio.c - see fsio.h */
#include "base/fsio.h"
#include "base/arena.h"
#include "base/vec.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* ---- the archive root: no path below it through a link ---------------- */

static int root_fd = -1;
static char *root_path;
static size_t root_len;
static char refused[4200];

int fsio_set_root(const char *root, struct stat *st)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (root_fd >= 0)
		close(root_fd);
	free(root_path);
	root_fd = fd;
	root_path = xstrdup(root);
	root_len = strlen(root_path);
	while (root_len > 1 && root_path[root_len - 1] == '/')
		root_path[--root_len] = '\0';
	return 0;
}

const char *fsio_refusal(int err)
{
	return err == ELOOP && refused[0] ? refused : NULL;
}

static const char *type_name(mode_t m)
{
	return S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a named pipe" :
	       S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISSOCK(m) ?
	       "a socket" : S_ISDIR(m) ? "a folder" : "a regular file";
}

/* Refuses path (its first n bytes) for being what st says: errno ELOOP. */
static int refuse(const char *path, size_t n, mode_t m, const char *want)
{
	snprintf(refused, sizeof refused, "%.*s: is %s, where the archive has "
		 "%s; svcbill does not open it (the archive is svcbill's "
		 "alone)", (int)n, path, type_name(m), want);
	errno = ELOOP;
	return -1;
}

/* The part of path below the archive root, or NULL. */
static const char *below_root(const char *path)
{
	if (root_fd < 0 || strncmp(path, root_path, root_len) != 0 ||
	    (path[root_len] != '/' && !(root_len == 1 && root_path[0] == '/')))
		return NULL;
	const char *rel = path + root_len;
	while (*rel == '/')
		rel++;
	return *rel ? rel : NULL;
}

/* The folder holding path's last component, opened without following
 * links below the root (a plain open elsewhere); *last receives the
 * component (malloc'd).  -1 with errno. */
static int open_parent(const char *path, char **last)
{
	const char *rel = below_root(path);
	if (!rel) {
		char *c1 = xstrdup(path), *c2 = xstrdup(path);
		int fd = open(dirname(c1), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		*last = xstrdup(basename(c2));
		free(c1);
		free(c2);
		if (fd < 0) {
			int e = errno;
			free(*last);
			errno = e;
		}
		return fd;
	}
	int fd = dup(root_fd);
	if (fd < 0)
		return -1;
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char *comp = xmalloc(n + 1);
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (n == 0 || strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			free(comp);
			close(fd);
			snprintf(refused, sizeof refused, "%s: not a plain path "
				 "below the archive", path);
			errno = ELOOP;
			return -1;
		}
		if (!slash) {
			*last = comp;
			return fd;
		}
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY |
				  O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;
			struct stat st;
			if ((e == ELOOP || e == ENOTDIR) &&
			    fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				free(comp);
				close(fd);
				return refuse(path, (size_t)(p + n - path),
					      st.st_mode, "a folder");
			}
			free(comp);
			close(fd);
			errno = e;
			return -1;
		}
		free(comp);
		close(fd);
		fd = next;
		p = slash + 1;
		while (*p == '/')
			p++;
	}
}

/* Opens a regular file: never a link, pipe, device or folder (refused
 * before it is opened, so a pipe cannot hang the run). */
static int open_file(const char *path, int flags, int *existed)
{
	char *last;
	int dfd = open_parent(path, &last);
	if (dfd < 0)
		return -1;
	struct stat st;
	int exists = fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (existed)
		*existed = exists;
	int fd = -1;
	if (exists && !S_ISREG(st.st_mode)) {
		refuse(path, strlen(path), st.st_mode, "a file");
	} else {
		fd = openat(dfd, last, flags | O_NOFOLLOW | O_NONBLOCK |
			    O_CLOEXEC, 0640);
		if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = refuse(path, strlen(path), st.st_mode, "a file");
		} else if (fd >= 0) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		} else if (errno == ELOOP) {
			fd = refuse(path, strlen(path), S_IFLNK, "a file");
		}
	}
	int e = errno;
	close(dfd);
	free(last);
	errno = e;
	return fd;
}

/* Opens a folder, every component without following links below the
 * root. */
static int open_dir(const char *path)
{
	char *last;
	int dfd = open_parent(path, &last);
	if (dfd < 0)
		return -1;
	int fd = openat(dfd, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	struct stat st;
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) &&
	    fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW) == 0)
		refuse(path, strlen(path), st.st_mode, "a folder");
	int e = errno;
	close(dfd);
	free(last);
	errno = e;
	return fd;
}

DIR *fsio_opendir(const char *path)
{
	int fd = open_dir(path);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* ---- writing ---------------------------------------------------------- */

static int mkdir_one(const char *p)
{
	if (!below_root(p))
		return mkdir(p, 0750) != 0 && errno != EEXIST ? -1 : 0;
	char *last;
	int dfd = open_parent(p, &last);
	if (dfd < 0)
		return -1;
	int rc = mkdirat(dfd, last, 0750);
	struct stat st;
	if (rc != 0 && errno == EEXIST) {
		rc = 0;
		if (fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW) != 0)
			rc = -1;
		else if (!S_ISDIR(st.st_mode))
			rc = refuse(p, strlen(p), st.st_mode, "a folder");
	}
	int e = errno;
	close(dfd);
	free(last);
	errno = e;
	return rc;
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		int rc = mkdir_one(p);
		*s = '/';
		if (rc != 0) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
	}
	int rc = mkdir_one(p);
	int e = errno;
	free(p);
	errno = e;
	return rc;
}
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

int fsync_dir(const char *dir)
{
	int fd = open_dir(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

#define TMP_RANDOM 16                  /* hex digits in a temporary name */

static int is_temp_name(const char *s);
static void remove_temporaries(const char *dir, int mine);

/* This run's mark: the first 8 hex digits of each of its temporaries'
 * names, chosen once (lock_archive() chooses it before the workers are
 * forked, which inherit it), so that commit_deferred() names only this
 * run's own: a second run beside it (its lock file removed under it)
 * must never name the other's documents as its own. */
static unsigned char run_mark[4];
static int run_mark_set;

static void random_bytes(unsigned char *r, size_t n)
{
	if (getrandom(r, n, 0) != (ssize_t)n) {
		/* no entropy source: still unique, if guessable */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		unsigned long v = (unsigned long)ts.tv_nsec ^
				  ((unsigned long)getpid() << 20);
		memcpy(r, &v, n < sizeof v ? n : sizeof v);
	}
}

static void choose_run_mark(void)
{
	if (!run_mark_set) {
		random_bytes(run_mark, sizeof run_mark);
		run_mark_set = 1;
	}
}

/* 1 when temporary name s (is_temp_name) is one of this run's */
static int of_this_run(const char *s)
{
	const char *h = s + strlen(s) - 4 - TMP_RANDOM;
	char mine[2 * sizeof run_mark + 1];
	for (size_t i = 0; i < sizeof run_mark; i++)
		snprintf(mine + 2 * i, 3, "%02x", run_mark[i]);
	return run_mark_set && strncmp(h, mine, 2 * sizeof run_mark) == 0;
}

/* A temporary name nobody can predict: ".NAME.<16 hex>.tmp" (hidden, so
 * never mistaken for an archived file), the run's mark, then 8 random
 * hex digits. */
static char *temp_name(const char *last)
{
	unsigned char r[TMP_RANDOM / 2];
	choose_run_mark();
	memcpy(r, run_mark, sizeof run_mark);
	random_bytes(r + sizeof run_mark, sizeof r - sizeof run_mark);
	size_t n = strlen(last) + TMP_RANDOM + 8;
	char *t = xmalloc(n);
	int k = snprintf(t, n, ".%s.", last);
	for (size_t i = 0; i < sizeof r; i++)
		k += snprintf(t + k, n - (size_t)k, "%02x", r[i]);
	snprintf(t + k, n - (size_t)k, ".tmp");
	return t;
}

/* Creates a fresh temporary for last in dfd (exclusive, never through a
 * link: a name taken, even by a planted link, means another name, eight
 * times at most).  The fd, its name in *tmp (malloc'd); -1 with errno. */
static int create_temp(int dfd, const char *last, char **tmp)
{
	int fd = -1;
	*tmp = NULL;
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		free(*tmp);
		*tmp = temp_name(last);
		fd = openat(dfd, *tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, 0640);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* Writes data to a new temporary beside path; *tmp names it.  With
 * sync, the bytes are durable when it returns.  On failure nothing is
 * left behind. */
static int write_temp(int dfd, const char *path, const char *last,
		      const void *head, size_t head_len, const void *data,
		      size_t len, int sync, char **tmp)
{
	struct stat st;
	/* a link or pipe where the file goes is damage, not replaced */
	if (fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode))
		return refuse(path, strlen(path), st.st_mode, "a file");
	int fd = create_temp(dfd, last, tmp);
	if (fd < 0)
		return -1;
	int bad = (head_len && write_all(fd, head, head_len) != 0) ||
		  write_all(fd, data, len) != 0 || (sync && fsync(fd) != 0);
	int e = errno;
	if (close(fd) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		unlinkat(dfd, *tmp, 0);
		free(*tmp);
		*tmp = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	return write_file_atomic2(path, NULL, 0, data, len);
}

int write_file_atomic2(const char *path, const void *head, size_t head_len,
		       const void *data, size_t len)
{
	char *last;
	int dfd = open_parent(path, &last);
	if (dfd < 0)
		return -1;
	char *tmp = NULL;
	int rc = -1;
	if (write_temp(dfd, path, last, head, head_len, data, len, 1,
		       &tmp) != 0)
		goto out;
	if (renameat(dfd, tmp, dfd, last) != 0) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		errno = e;
		goto out;
	}
	rc = fsync(dfd);
out:;
	int e = errno;
	free(tmp);
	free(last);
	close(dfd);
	errno = e;
	return rc;
}

/* ---- deferred writes: many files made durable at once ------------------- */

int write_file_deferred(const char *path, const void *data, size_t len)
{
	char *last, *tmp = NULL;
	int dfd = open_parent(path, &last);
	if (dfd < 0)
		return -1;
	int rc = write_temp(dfd, path, last, NULL, 0, data, len, 0, &tmp);
	int e = errno;
	free(tmp);
	free(last);
	close(dfd);
	errno = e;
	return rc;
}

/* A temporary of this run's, found in a folder: the folder's index (in
 * the caller's list) and the temporary's name. */
struct pending {
	size_t dir;
	char *name;
};

/* The temporaries this run left in dir: svcbill's names with its mark,
 * regular files of this user (as remove_stale_temporaries() takes them,
 * of any run). */
static int list_pending(DIR *d, size_t k, struct pending **v, size_t *n,
			size_t *cap)
{
	uid_t me = geteuid();
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (!is_temp_name(e->d_name) || !of_this_run(e->d_name) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != me)
			continue;
		VEC_GROW(*v, *n + 1, *cap);
		(*v)[(*n)++] = (struct pending){ k, xstrdup(e->d_name) };
		errno = 0;
	}
	return errno ? -1 : 0;
}

/* Whether syncfs() reports write-back errors: Linux 5.8 on.  Before, it
 * returned 0 whatever became of the bytes, which per-file fsync() does
 * not. */
static int syncfs_reports_errors(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;
	if (uname(&u) != 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 0;
	return major > 5 || (major == 5 && minor >= 8);
}

/* ".NAME.<16 hex>.tmp" -> "NAME" (malloc'd) */
static char *final_name(const char *tmp)
{
	size_t n = strlen(tmp) - 1 - 1 - TMP_RANDOM - 4;
	char *s = xmalloc(n + 1);
	memcpy(s, tmp + 1, n);
	s[n] = '\0';
	return s;
}

/* 1 when dirs are all on the root's file system (the same st_dev),
 * which one syncfs() of the root then covers. */
static int on_root_fs(const char *const *dirs, size_t ndirs)
{
	struct stat st;
	if (root_fd < 0 || fstat(root_fd, &st) != 0)
		return 0;
	dev_t dev = st.st_dev;
	for (size_t k = 0; k < ndirs; k++) {
		DIR *d = fsio_opendir(dirs[k]);
		int same = d && fstat(dirfd(d), &st) == 0 && st.st_dev == dev;
		if (d)
			closedir(d);
		if (!same)
			return 0;
	}
	return 1;
}

/* How the temporaries in dirs are made durable: one syncfs() when it
 * covers them and reports write-back errors, else each fsync'd.  The
 * commit and the early flush both ask here, so that they agree. */
static enum fsio_sync sync_way(const char *const *dirs, size_t ndirs)
{
	return on_root_fs(dirs, ndirs) && syncfs_reports_errors() ?
	       FSIO_SYNCFS : FSIO_FSYNC;
}

int commit_deferred(const char *const *dirs, size_t ndirs,
		    enum fsio_sync *how)
{
	int *fds = xcalloc(ndirs ? ndirs : 1, sizeof *fds);
	struct pending *v = NULL;
	size_t n = 0, cap = 0, opened = 0;
	int rc = -1;
	for (; opened < ndirs; opened++) {
		DIR *d = fsio_opendir(dirs[opened]);
		if (!d)
			goto out;
		int fd = dup(dirfd(d));
		if (fd < 0 || list_pending(d, opened, &v, &n, &cap) != 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			closedir(d);
			errno = e;
			goto out;
		}
		closedir(d);
		fds[opened] = fd;
	}
	enum fsio_sync way = sync_way(dirs, ndirs);
	if (how)
		*how = way;
	/* 1. every temporary's bytes durable: no name before its bytes */
	if (way == FSIO_SYNCFS) {
		if (n && syncfs(root_fd) != 0)
			goto out;
	} else {
		for (size_t i = 0; i < n; i++) {
			int fd = openat(fds[v[i].dir], v[i].name, O_RDONLY |
					O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 || fsync(fd) != 0) {
				int e = errno;
				if (fd >= 0)
					close(fd);
				errno = e;
				goto out;
			}
			close(fd);
		}
	}
	/* 2. the names */
	for (size_t i = 0; i < n; i++) {
		char *last = final_name(v[i].name);
		int r = renameat(fds[v[i].dir], v[i].name, fds[v[i].dir], last);
		int e = errno;
		free(last);
		if (r != 0) {
			errno = e;
			goto out;
		}
	}
	/* 3. the names durable */
	for (size_t k = 0; k < ndirs; k++)
		if (fsync(fds[k]) != 0)
			goto out;
	rc = 0;
out:;
	int e = errno;
	for (size_t k = 0; k < opened; k++)
		close(fds[k]);
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	free(fds);
	errno = e;
	return rc;
}

struct flush {
	pthread_t thread;
	int fd;
};

static void *flush_run(void *arg)
{
	struct flush *f = arg;
	(void)syncfs(f->fd);        /* the commit's own syncfs() reports */
	return NULL;
}

void *fsio_flush_start(const char *const *dirs, size_t ndirs)
{
	if (sync_way(dirs, ndirs) != FSIO_SYNCFS)
		return NULL;
	struct flush *f = xmalloc(sizeof *f);
	/* a descriptor of its own, not a dup: syncfs() reports a write-back
	 * error once per open file description */
	f->fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->fd < 0 || pthread_create(&f->thread, NULL, flush_run, f)) {
		if (f->fd >= 0)
			close(f->fd);
		free(f);
		return NULL;
	}
	return f;
}

void fsio_flush_wait(void *flush)
{
	struct flush *f = flush;
	if (!f)
		return;
	pthread_join(f->thread, NULL);
	close(f->fd);
	free(f);
}

void discard_deferred(const char *const *dirs, size_t ndirs)
{
	for (size_t k = 0; k < ndirs; k++)
		remove_temporaries(dirs[k], 1);
}

int append_durable(const char *path, const void *data, size_t len)
{
	int existed;
	int fd = open_file(path, O_WRONLY | O_APPEND | O_CREAT, &existed);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		int e = errno;
		/* leave no partial row behind */
		if (ftruncate(fd, st.st_size) == 0)
			fsync(fd);
		close(fd);
		errno = e;
		return -1;
	}
	if (close(fd) != 0)
		return -1;
	if (existed)
		return 0;
	char *copy = xstrdup(path);
	int rc = fsync_dir(dirname(copy));
	int e = errno;
	free(copy);
	errno = e;
	return rc;
}

int read_file(const char *path, char **data, size_t *len)
{
	return read_file_max(path, (size_t)-1 / 2, data, len);
}

static int read_from(const char *path, size_t off, size_t max, char **data,
		     size_t *len);

int read_file_max(const char *path, size_t max, char **data, size_t *len)
{
	return read_from(path, 0, max, data, len);
}

static int open_regular(const char *path, size_t max, struct stat *st);

int map_file_max(const char *path, size_t max, const void **data,
		 size_t *len)
{
	struct stat st;
	int fd = open_regular(path, max, &st);
	if (fd < 0)
		return -1;
	if (st.st_size == 0) {          /* nothing to map */
		close(fd);
		errno = EINVAL;
		return -1;
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
		       0);
	int e = errno;
	close(fd);
	if (m == MAP_FAILED) {
		errno = e;
		return -1;
	}
	*data = m;
	*len = (size_t)st.st_size;
	return 0;
}

void unmap_file(const void *data, size_t len)
{
	if (data)
		munmap((void *)data, len);
}

int read_file_from(const char *path, size_t off, char **data, size_t *len)
{
	return read_from(path, off, (size_t)-1 / 2, data, len);
}

/* A regular file opened for reading, its status in st, as read_from
 * reads it; -1 with read_file_max's errno (EFBIG past max). */
static int open_regular(const char *path, size_t max, struct stat *st)
{
	/* O_NONBLOCK: opening a named pipe must not wait for a writer; the
	 * fstat below then refuses it (no effect on a regular file).  Below
	 * the archive root, no link is followed either. */
	int fd = below_root(path) ? open_file(path, O_RDONLY, NULL) :
		 open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENXIO ? (errno = ENOTREG, -1) : -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    (size_t)st->st_size > max) {
		int e = fstat(fd, st) != 0 ? errno : S_ISDIR(st->st_mode) ?
			EISDIR : S_ISREG(st->st_mode) ? EFBIG : ENOTREG;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static struct file_id id_of(const struct stat *st)
{
	return (struct file_id){ st->st_dev, st->st_ino, st->st_size,
				 st->st_mtim };
}

int file_id_same(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

int file_length(const char *path, size_t *len)
{
	struct file_id id;
	if (file_stamp(path, &id) != 0)
		return -1;
	*len = (size_t)id.size;
	return 0;
}

int file_stamp(const char *path, struct file_id *id)
{
	struct stat st;
	int fd = open_regular(path, (size_t)-1 / 2, &st);
	if (fd < 0)
		return -1;
	close(fd);
	*id = id_of(&st);
	return 0;
}

static int read_fd(int fd, const struct stat *st, size_t off, size_t max,
		   char **data, size_t *len);

int file_pieces_open(const char *path, size_t max, struct file_pieces *f)
{
	struct stat st;
	f->fd = open_regular(path, max, &st);
	if (f->fd < 0)
		return -1;
	f->size = (size_t)st.st_size;
	f->id = id_of(&st);
	return 0;
}

int file_pieces_read(const struct file_pieces *f, size_t off, void *out,
		     size_t n)
{
	char *to = out;
	while (n) {
		ssize_t k = pread(f->fd, to, n, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		to += k;
		off += (size_t)k;
		n -= (size_t)k;
	}
	return 0;
}

void file_pieces_close(struct file_pieces *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static int read_from(const char *path, size_t off, size_t max, char **data,
		     size_t *len)
{
	struct stat st;
	int fd = open_regular(path, max, &st);
	if (fd < 0)
		return -1;
	return read_fd(fd, &st, off, max, data, len);
}

/* The bytes of fd (opened by open_regular, status st) from off to its
 * end; fd is closed. */
static int read_fd(int fd, const struct stat *st, size_t off, size_t max,
		   char **data, size_t *len)
{
	if (off > (size_t)st->st_size ||
	    (off && lseek(fd, (off_t)off, SEEK_SET) != (off_t)off)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	size_t cap = (size_t)st->st_size - off + 1, used = 0;
	char *b = xmalloc(cap + 1);
	for (;;) {
		if (used == cap) {
			cap *= 2;
			b = xrealloc(b, cap + 1);
		}
		ssize_t k = read(fd, b + used, cap - used);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(b);
			close(fd);
			errno = e;
			return -1;
		}
		if (k == 0)
			break;
		used += (size_t)k;
		if (used > max) {                       /* grew while read */
			free(b);
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	b[used] = '\0';
	*data = b;
	*len = used;
	return 0;
}

/* ---- mapped texts ------------------------------------------------------ */

/* The mappings a SIGBUS may come from, with their files' names: the
 * handler reads them only (async-signal-safe), set before it can run. */
#define GUARDED_MAX 16
static struct guarded {
	volatile sig_atomic_t used;
	int status;                 /* the exit status it ends the run with */
	uintptr_t lo, hi;
	char path[1024];
} guarded[GUARDED_MAX];

static void put_err(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	while (n) {
		ssize_t k = write(2, s, n);
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	uintptr_t at = (uintptr_t)si->si_addr;
	for (int i = 0; i < GUARDED_MAX; i++)
		if (guarded[i].used && at >= guarded[i].lo && at < guarded[i].hi) {
			put_err("svcbill: ");
			put_err(guarded[i].path);
			put_err(": cannot be read any more (cut short by "
				"another program while svcbill read it, or "
				"the disk failed under it); nothing more is "
				"written: run again once nothing else writes "
				"it\n");
			_exit(guarded[i].status);
		}
	/* not a file of ours: the default, a core as before */
	signal(sig, SIG_DFL);
	raise(sig);
}

static int guard(const char *path, const void *map, size_t len,
		 int status)
{
	static int installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, NULL) != 0)
			return -1;
		installed = 1;
	}
	size_t n = strlen(path);
	for (int i = 0; i < GUARDED_MAX; i++)
		if (!guarded[i].used && n < sizeof guarded[i].path) {
			memcpy(guarded[i].path, path, n + 1);
			guarded[i].lo = (uintptr_t)map;
			guarded[i].hi = (uintptr_t)map + len;
			guarded[i].status = status;
			guarded[i].used = 1;
			return i;
		}
	return -1;                  /* none free: the caller reads instead */
}

static int mapping = 1;

void fsio_map_files(int on)
{
	mapping = on;
}

/* file_text_read, its pages read in at once (populate) or as touched */
static int text_read(const char *path, size_t off, size_t max,
		     int cut_status, int populate, struct file_text *t)
{
	memset(t, 0, sizeof *t);
	t->slot = -1;
	struct stat st;
	int fd = open_regular(path, max, &st);
	if (fd < 0)
		return -1;
	size_t size = (size_t)st.st_size;
	if (off > size) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	t->id = id_of(&st);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t base = off & ~(page - 1);
	/* large enough to pay, and not ending exactly at a page's end (a
	 * parser looking one byte past the text must find mapped memory:
	 * the rest of the last page reads as zeros) */
	if (mapping && cut_status && size - off >= (64u << 10) &&
	    (size - base) % page != 0) {
		void *m = mmap(NULL, size - base, PROT_READ,
			       MAP_PRIVATE | (populate ? MAP_POPULATE : 0),
			       fd, (off_t)base);
		if (m != MAP_FAILED) {
			int slot = guard(path, m, size - base, cut_status);
			if (slot >= 0) {
				close(fd);
				t->map = m;
				t->map_len = size - base;
				t->slot = slot;
				t->data = (const char *)m + (off - base);
				t->len = size - off;
				return 0;
			}
			munmap(m, size - base);
		}
	}
	/* small (or mapping refused): read from the same opening */
	char *b;
	size_t n;
	if (read_fd(fd, &st, off, max, &b, &n) != 0)
		return -1;
	t->heap = b;
	t->data = b;
	t->len = n;
	return 0;
}

int file_text_read(const char *path, size_t off, size_t max,
		   int cut_status, struct file_text *t)
{
	return text_read(path, off, max, cut_status, 1, t);
}

int file_text_read_once(const char *path, size_t max, int cut_status,
			struct file_text *t)
{
	return text_read(path, 0, max, cut_status, 0, t);
}

void let_go_pages(const void *p, size_t len, size_t upto, size_t ahead)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + upto) & ~(page - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
#ifdef MADV_POPULATE_READ
	/* the next pages in one call, not a fault each (Linux 5.14) */
	uintptr_t end = (uintptr_t)p + (upto + ahead < len ? upto + ahead :
					len);
	end &= ~(page - 1);
	lo = hi > lo ? hi : lo;
	if (ahead && end > lo)
		madvise((void *)lo, end - lo, MADV_POPULATE_READ);
#else
	(void)len;
	(void)ahead;
#endif
}

void file_text_let_go(struct file_text *t, size_t upto, size_t ahead)
{
	if (t->map)
		let_go_pages(t->data, t->len, upto, ahead);
}

void file_text_release(struct file_text *t)
{
	if (t->map) {
		munmap(t->map, t->map_len);
		if (t->slot >= 0)
			guarded[t->slot].used = 0;
	}
	free(t->heap);
	memset(t, 0, sizeof *t);
	t->slot = -1;
}

/* Writes all of data at off (0, or -1 with errno). */
static int pwrite_all(int fd, const char *data, size_t len, off_t off)
{
	while (len) {
		ssize_t k = pwrite(fd, data, len, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k == 0 ? (errno = EIO, -1) : -1;
		data += k;
		len -= (size_t)k;
		off += k;
	}
	return 0;
}

int rewrite_tail(const char *path, const struct file_id *was, size_t at,
		 const void *data, size_t len)
{
	int fd = open_file(path, O_RDWR, NULL);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) != 0)
		goto out;
	/* another file there, a second name for it (writing would change
	 * that one too), or written since it was read */
	struct file_id now = id_of(&st);
	if (!file_id_same(&now, was) || st.st_nlink != 1 ||
	    at > (size_t)st.st_size) {
		errno = ESTALE;
		goto out;
	}
	if ((size_t)st.st_size - at == len) {   /* the same already? */
		char *old = xmalloc(len + 1);
		ssize_t k = pread(fd, old, len, (off_t)at);
		int same = k == (ssize_t)len && memcmp(old, data, len) == 0;
		free(old);
		if (same) {             /* written now all the same */
			rc = futimens(fd, NULL);
			goto out;
		}
	}
	if (pwrite_all(fd, data, len, (off_t)at) == 0 &&
	    ftruncate(fd, (off_t)(at + len)) == 0 && fdatasync(fd) == 0)
		rc = 0;
out:;
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int truncate_durable(const char *path, size_t len)
{
	int fd = open_file(path, O_WRONLY, NULL);
	if (fd < 0)
		return -1;
	int rc = ftruncate(fd, (off_t)len) == 0 && fsync(fd) == 0 ? 0 : -1;
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* ".NAME.<16 hex>.tmp" */
static int is_temp_name(const char *s)
{
	size_t n = strlen(s);
	if (s[0] != '.' || n < TMP_RANDOM + 7 || strcmp(s + n - 4, ".tmp"))
		return 0;
	const char *h = s + n - 4 - TMP_RANDOM;
	if (h[-1] != '.')
		return 0;
	for (int i = 0; i < TMP_RANDOM; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

/* svcbill's temporaries in dir, of this user: of any run, or (mine)
 * this run's only */
static void remove_temporaries(const char *dir, int mine)
{
	DIR *d = fsio_opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	uid_t me = geteuid();
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (is_temp_name(e->d_name) &&
		    (!mine || of_this_run(e->d_name)) &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_uid == me)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

int fsio_temp_name(const char *name)
{
	return is_temp_name(name);
}

void remove_stale_temporaries(const char *dir)
{
	remove_temporaries(dir, 0);
}

static int check_entries(const char *dir, int depth, char *bad, size_t badlen)
{
	DIR *d = fsio_opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		const char *why = fsio_refusal(errno);
		if (why) {
			snprintf(bad, badlen, "%s", why);
			return 1;
		}
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode) && depth == 0) {
			size_t n = strlen(dir) + strlen(e->d_name) + 2;
			char *sub = xmalloc(n);
			snprintf(sub, n, "%s/%s", dir, e->d_name);
			rc = check_entries(sub, depth + 1, bad, badlen);
			free(sub);
			continue;
		}
		snprintf(bad, badlen, "%s/%s: is %s, where the archive has "
			 "only files; svcbill does not open it (the archive is "
			 "svcbill's alone)", dir, e->d_name,
			 type_name(st.st_mode));
		rc = 1;
	}
	closedir(d);
	return rc;
}

int check_tree(const char *dir, char *bad, size_t badlen)
{
	return check_entries(dir, 0, bad, badlen);
}

static void hex_of(const uint8_t *digest, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

void sha256_end_hex(struct sha256_ctx *ctx, char out[65])
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_digest(ctx, sizeof digest, digest);
	hex_of(digest, out);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
	hex_of(digest, out);
}

int sha256_file(const char *path, char out[65])
{
	char *data;
	size_t len;
	if (read_file(path, &data, &len) != 0)
		return -1;
	sha256_hex(data, len, out);
	free(data);
	return 0;
}

int lock_still_ours(const char *root, int fd)
{
	size_t n = strlen(root) + 8;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/.lock", root);
	struct stat mine, now;
	int same = fstat(fd, &mine) == 0 && lstat(path, &now) == 0 &&
		   mine.st_dev == now.st_dev && mine.st_ino == now.st_ino;
	free(path);
	return same;
}

int lock_archive(const char *root, char *holder, size_t holder_len)
{
	size_t n = strlen(root) + 8;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/.lock", root);
	choose_run_mark();          /* before the workers are forked */
	int fd = open_file(path, O_RDWR | O_CREAT, NULL);
	/* (removed between the open and the lock: the file locked is no
	 * longer the archive's; the one there now is locked instead) */
	for (int tries = 0; fd >= 0 && tries < 8 &&
	     flock(fd, LOCK_EX | LOCK_NB) == 0 && !lock_still_ours(root, fd);
	     tries++) {
		close(fd);
		fd = open_file(path, O_RDWR | O_CREAT, NULL);
	}
	free(path);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		char buf[200];
		ssize_t k = pread(fd, buf, sizeof buf - 1, 0);
		buf[k > 0 ? k : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(holder, holder_len, "%s", buf[0] ? buf :
			 "another svcbill run");
		close(fd);
		errno = e == EWOULDBLOCK ? EWOULDBLOCK : e;
		return -1;
	}
	/* say who holds it, for the message a second run prints */
	char who[128];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char when[32];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	int k = snprintf(who, sizeof who, "pid %ld since %s\n",
			 (long)getpid(), when);
	if (ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, who, (size_t)k, 0);
	return fd;
}
