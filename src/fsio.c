/* fsio.c - see fsio.h */
#include "fsio.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0777);
	int e = errno;
	free(p);
	if (rc != 0 && e != EEXIST) {
		errno = e;
		return -1;
	}
	return 0;
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
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* The folder a file is in, made durable (after a create or rename). */
static int fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int rc = fsync_dir(dirname(copy));
	int e = errno;
	free(copy);
	errno = e;
	return rc;
}

static int write_atomic(const char *path, const void *data, size_t len,
			int sync_dir);

int write_file_atomic(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 1);
}

int write_file_atomic_nodirsync(const char *path, const void *data,
				size_t len)
{
	return write_atomic(path, data, len, 0);
}

static int write_atomic(const char *path, const void *data, size_t len,
			int sync_dir)
{
	size_t n = strlen(path) + 32;
	char *tmp = xmalloc(n);
	/* same folder, so rename is atomic; hidden, so never mistaken for
	 * an archived file */
	char *copy = xstrdup(path);
	char *base = strrchr(copy, '/');
	if (base) {
		*base = '\0';
		snprintf(tmp, n, "%s/.%s.%ld.tmp", copy, base + 1,
			 (long)getpid());
	} else {
		snprintf(tmp, n, ".%s.%ld.tmp", copy, (long)getpid());
	}
	free(copy);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return sync_dir ? fsync_dir_of(path) : 0;
}

int append_durable(const char *path, const void *data, size_t len)
{
	struct stat st;
	int existed = stat(path, &st) == 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		int e = errno;
		/* leave no partial row behind */
		if (existed && ftruncate(fd, st.st_size) == 0)
			fsync(fd);
		close(fd);
		if (!existed)
			unlink(path);
		errno = e;
		return -1;
	}
	if (close(fd) != 0)
		return -1;
	return existed ? 0 : fsync_dir_of(path);
}

int read_file(const char *path, char **data, size_t *len)
{
	return read_file_max(path, (size_t)-1 / 2, data, len);
}

int read_file_max(const char *path, size_t max, char **data, size_t *len)
{
	/* O_NONBLOCK: opening a named pipe must not wait for a writer; the
	 * fstat below then refuses it (no effect on a regular file) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENXIO ? (errno = ENOTREG, -1) : -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		int e = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ?
			EISDIR : S_ISREG(st.st_mode) ? EFBIG : ENOTREG;
		close(fd);
		errno = e;
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, used = 0;
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

int truncate_durable(const char *path, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = ftruncate(fd, (off_t)len) == 0 && fsync(fd) == 0 ? 0 : -1;
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
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

int lock_archive(const char *root, char *holder, size_t holder_len)
{
	size_t n = strlen(root) + 8;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/.lock", root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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
