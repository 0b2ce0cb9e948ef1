/* fsio.h - durable file operations for the archive: atomic writes
 * (exclusive temporary in the same folder, fsync, rename, fsync the
 * folder), the same for many files at once (one syncfs), durable appends,
 * the archive lock, and SHA-256.
 *
 * The archive is svcbill's alone (rules.md §4): once fsio_set_root() has
 * named the archive root, every path below it is opened from the root's
 * directory descriptor one component at a time with O_NOFOLLOW, and a
 * symbolic link, named pipe, device, socket or folder where a file is
 * expected (or a non-folder where a folder is expected) is refused with
 * errno ELOOP without being opened; fsio_refusal() then says what was
 * found.  Files are created 0640 and folders 0750, less the umask. */
#ifndef SVCBILL_FSIO_H
#define SVCBILL_FSIO_H

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

/* Names the archive root (it may itself be reached through links) and
 * keeps a descriptor of it; st receives its status.  0, or -1 with
 * errno. */
int fsio_set_root(const char *root, struct stat *st);
/* For an errno from an fsio call: "PATH: is a symbolic link, ..." when
 * the call was refused for what it found, else NULL. */
const char *fsio_refusal(int err);

/* 0, or -1 with errno set. */
int mkdir_p(const char *path);
int write_file_atomic(const char *path, const void *data, size_t len);
/* The same for the bytes of head followed by those of data. */
int write_file_atomic2(const char *path, const void *head, size_t head_len,
		       const void *data, size_t len);
int fsync_dir(const char *dir);

/* Many files made durable at once, with the guarantee of
 * write_file_atomic() (no name before its bytes are durable):
 * write_file_deferred() writes a file's bytes to a fresh temporary beside
 * it and syncs nothing (any process may call it); commit_deferred(), in
 * one process once they all are written, makes every temporary in dirs
 * durable, renames each to its name, then fsyncs the folders: one
 * syncfs() of the archive root's file system when every folder is on it
 * (st_dev) and the kernel reports write-back errors through syncfs
 * (Linux 5.8 on), else an fsync() of each temporary (*how, unless NULL,
 * says which).
 * It takes this run's temporaries in dirs, known by the mark in their
 * names (a second run beside it, its lock file removed under it, has
 * its own).  discard_deferred() removes them instead, after a
 * failure.  0, or -1 with errno (then nothing is renamed or some are:
 * each name renamed is durable in its bytes either way). */
enum fsio_sync { FSIO_SYNCFS, FSIO_FSYNC };
int write_file_deferred(const char *path, const void *data, size_t len);
int commit_deferred(const char *const *dirs, size_t ndirs,
		    enum fsio_sync *how);
void discard_deferred(const char *const *dirs, size_t ndirs);
/* When commit_deferred(dirs) would use one syncfs() (the folders all on
 * the root's file system), starts flushing it in the background (a thread
 * calling syncfs() on a descriptor of its own), so that the syncfs() of
 * commit_deferred() finds the bytes written already while the run does
 * other work.  Only an early start: its result is not used, and write-back
 * errors are still reported to commit_deferred(), whose descriptor keeps
 * its own place in the file system's error sequence.  fsio_flush_wait()
 * waits for it (call it before commit_deferred() and before any fork).
 * NULL when it could not start (nothing is lost: the flush is then the
 * commit's alone). */
void *fsio_flush_start(const char *const *dirs, size_t ndirs);
void fsio_flush_wait(void *flush);
/* Appends data in one write and fsyncs; creates the file if needed. */
int append_durable(const char *path, const void *data, size_t len);
/* Reads a whole regular file (malloc'd, NUL-terminated); -1 with errno
 * (EFBIG when it is larger than max bytes; EISDIR for a folder, ENOTREG
 * for a named pipe, device or socket, refused at once, never waited on). */
#define ENOTREG ENODEV
int read_file(const char *path, char **data, size_t *len);
int read_file_max(const char *path, size_t max, char **data, size_t *len);
/* The same, mapped read-only instead of copied (a font of megabytes of
 * which a run reads a few pages); the refusals and errno are
 * read_file_max's.  unmap_file(data, len) releases it.  A file cut short
 * by another process while mapped would end the process (SIGBUS): only
 * for files svcbill reads and nobody rewrites in place. */
int map_file_max(const char *path, size_t max, const void **data,
		 size_t *len);
void unmap_file(const void *data, size_t len);
/* Which file a path was, and its size and modification time then: what
 * tells that a file was changed or replaced since it was read (by
 * svcbill's own writes too). */
struct file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};
/* 1 when a and b are the same file, size and time. */
int file_id_same(const struct file_id *a, const struct file_id *b);
/* A file's bytes from off to its end, for reading only: mapped when it
 * is large (this machine's kind of virtual machine pays ~17 us for each
 * page of fresh memory a copy touches; a mapping of the page cache is
 * populated at once for a fraction of that), read into memory when
 * small.  Not NUL-terminated.  The refusals and errno are
 * read_file_max's (EINVAL when off is past the end).  A file another
 * program cuts short while it is mapped (or a disk error under it)
 * would end the process with SIGBUS: fsio catches it, names the file
 * and exits with cut_status (EX_NOINPUT for an input file, EX_IOERR for
 * the archive's; nothing is committed while either is read). */
struct file_text {
	const char *data;
	size_t len;
	void *map;                  /* the mapping (NULL: heap) */
	size_t map_len;
	char *heap;                 /* the copy (NULL: mapped) */
	int slot;                   /* its place among the guarded maps */
	struct file_id id;          /* the file as opened */
};
int file_text_read(const char *path, size_t off, size_t max,
		   int cut_status, struct file_text *t);
/* cut_status 0: never mapped (a file whose loss must not end the run,
 * as the derived ledger index).  fsio_map_files(0): from then on no file
 * is mapped (after the commit, a fault must not end a run whose bills
 * are issued). */
void fsio_map_files(int on);
void file_text_release(struct file_text *t);
/* The same for a reader that goes through the bytes once, front to back
 * (payments.csv, which grows by a row per invoice for the company's
 * life): mapped without its pages read in at once, so that
 * file_text_let_go can give back those behind the reader, and the file
 * is never resident whole. */
int file_text_read_once(const char *path, size_t max, int cut_status,
			struct file_text *t);
/* The pages of t's mapping wholly before t->data + upto given back (a
 * byte there touched again is read from the file as it is then: only for
 * bytes the caller is done with), and those of the next `ahead` bytes
 * read in at once.  Nothing for a file read into memory. */
void file_text_let_go(struct file_text *t, size_t upto, size_t ahead);
/* The same for memory of the caller's own, p[0..len): the pages wholly
 * inside p[0..upto) given back (they read as zeros after), for a buffer
 * from malloc read once front to back (malloc's own bytes lie outside
 * p[0..len), so a page shared with them is never wholly inside). */
void let_go_pages(const void *p, size_t len, size_t upto, size_t ahead);
/* A regular file opened to be read in pieces, as read_file opens it (the
 * same refusals: no link below the archive root, no pipe or device), for
 * a reader that keeps only some of its bytes: size and id are the file's
 * as opened, and every piece is read from that opening. */
struct file_pieces {
	int fd;
	size_t size;
	struct file_id id;
};
int file_pieces_open(const char *path, size_t max, struct file_pieces *f);
/* The n bytes from off (off + n <= f->size) into out: 0, or -1 with errno
 * (EIO when the file ends before them: cut since it was opened). */
int file_pieces_read(const struct file_pieces *f, size_t off, void *out,
		     size_t n);
void file_pieces_close(struct file_pieces *f);
/* The length of a regular file, opened as read_file opens it (the same
 * refusals), without reading it. */
int file_length(const char *path, size_t *len);
/* Which file path is now, with its size and modification time (opened
 * as read_file opens it: the same refusals). */
int file_stamp(const char *path, struct file_id *id);
/* The same from byte off to the end (EINVAL when off is past it). */
int read_file_from(const char *path, size_t off, char **data, size_t *len);
/* Replaces the bytes of path from `at` to its end with data, in place,
 * and makes them durable: for a derived file that grows at its end and
 * whose reader checks a checksum of all of it, so that a write cut short
 * (a kill, a full disk) leaves a file no reader takes, never a wrong one.
 * Only while path is still the file `was` (the same file, size and
 * modification time, one link, regular, opened as open_file opens:
 * no link followed): else -1 with nothing written (errno ESTALE when it
 * is another file or changed).  When the bytes there already are data,
 * nothing is written but the file's modification time (now, as a write
 * would).  0, or -1 with errno (then the file may be cut anywhere after
 * `at`). */
int rewrite_tail(const char *path, const struct file_id *was, size_t at,
		 const void *data, size_t len);
/* Truncates a file to len bytes and fsyncs it. */
int truncate_durable(const char *path, size_t len);
/* A folder, opened without following links below the root. */
DIR *fsio_opendir(const char *path);

/* Removes svcbill's own temporaries left in dir by a killed run: names
 * ".NAME.<16 hex>.tmp", regular files owned by this user; nothing else. */
void remove_stale_temporaries(const char *dir);
/* 1 when a file's name is one of svcbill's temporaries (".NAME.<16
 * hex>.tmp"): a run's, which it names or removes, or a killed run's,
 * which the next run removes; never an archived file. */
int fsio_temp_name(const char *name);
/* Checks that every entry below dir is a regular file or a folder
 * (folders only one level down): 0; 1 with *bad describing the first
 * that is not; -1 with errno. */
int check_tree(const char *dir, char *bad, size_t badlen);

/* SHA-256 as 64 lowercase hex digits. */
void sha256_hex(const void *data, size_t len, char out[65]);
/* The same of what was fed to ctx (nettle's, <nettle/sha2.h>), which
 * starts again. */
struct sha256_ctx;
void sha256_end_hex(struct sha256_ctx *ctx, char out[65]);
/* Of a file's content; -1 with errno if it cannot be read. */
int sha256_file(const char *path, char out[65]);

/* Takes the archive lock root/.lock (flock, so a killed holder releases
 * it).  Returns the fd, or -1: errno EWOULDBLOCK when another run holds
 * it, and *holder then describes that run ("pid 123 since ..."). */
int lock_archive(const char *root, char *holder, size_t holder_len);
/* 1 when root/.lock is still the file locked as fd: not removed or
 * replaced since (by someone clearing what looked like a stale lock),
 * when a second run would lock another file and go ahead beside this
 * one. */
int lock_still_ours(const char *root, int fd);

#endif
