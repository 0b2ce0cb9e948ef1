/* fsio.h - durable file operations for the archive: atomic writes
 * (temporary name in the same folder, fsync, rename, fsync the folder),
 * durable appends, the archive lock, and SHA-256. */
#ifndef SVCBILL_FSIO_H
#define SVCBILL_FSIO_H

#include <errno.h>
#include <stddef.h>

/* 0, or -1 with errno set. */
int mkdir_p(const char *path);
int write_file_atomic(const char *path, const void *data, size_t len);
/* The same without the fsync of the folder: for many files into one
 * folder, followed by one fsync_dir() before anything depends on them. */
int write_file_atomic_nodirsync(const char *path, const void *data,
				size_t len);
int fsync_dir(const char *dir);
/* Appends data in one write and fsyncs; creates the file if needed. */
int append_durable(const char *path, const void *data, size_t len);
/* Reads a whole regular file (malloc'd, NUL-terminated); -1 with errno
 * (EFBIG when it is larger than max bytes; EISDIR for a folder, ENOTREG
 * for a named pipe, device or socket, refused at once, never waited on). */
#define ENOTREG ENODEV
int read_file(const char *path, char **data, size_t *len);
int read_file_max(const char *path, size_t max, char **data, size_t *len);
/* Truncates a file to len bytes and fsyncs it. */
int truncate_durable(const char *path, size_t len);

/* SHA-256 as 64 lowercase hex digits. */
void sha256_hex(const void *data, size_t len, char out[65]);
/* Of a file's content; -1 with errno if it cannot be read. */
int sha256_file(const char *path, char out[65]);

/* Takes the archive lock root/.lock (flock, so a killed holder releases
 * it).  Returns the fd, or -1: errno EWOULDBLOCK when another run holds
 * it, and *holder then describes that run ("pid 123 since ..."). */
int lock_archive(const char *root, char *holder, size_t holder_len);

#endif
