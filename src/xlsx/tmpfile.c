/* tmpfile.c - libxlsxwriter's temporary files in memory, and the numbers
 * of its cells in their shortest form.
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
 * memfd_create fails (an old kernel), the library's own, under the same
 * stream as below.
 *
 * The library writes a number cell's value with "%.16G": 532.94 yuan
 * (53294 fen / 100.0) becomes <v>532.9400000000001</v>, the rate 7 %
 * <v>0.07000000000000001</v>; 9 % of the amounts of 1.00 to 999.99 come
 * out so.  A spreadsheet shows 532.94, but the tax platform's import reads
 * the text.  The library has no option for it, so the stream it gets
 * (fopencookie) rewrites, on its way to the file, each <v>...</v> that is
 * wholly a number into the shortest of "%.15G", "%.16G", "%.17G" that
 * reads back as the same double: for an amount in fen below 10^15 its two
 * decimals, trailing zeros left out.  Integers (shared-string indexes,
 * counts, dates) and every other byte pass as they are.  The library
 * writes in fprintf's pieces, which the stream's buffer hands over in
 * chunks cut anywhere, so a <v> and its number may be split: the state
 * below carries them from one chunk to the next.  It reads the file back
 * after fflush and rewind (packager.c's _add_file_to_zip, a streamed
 * sheet's rows, worksheet.c) and once takes its size with ftell, after
 * fflush too (a rich string): reads and seeks go to the file, after what
 * is held here is written. */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xlsxwriter.h>

#if LXW_VERSION_ID != 114
#error "tmpfile.c replaces libxlsxwriter 1.1.4's lxw_tmpfile"
#endif

typedef FILE *(*tmpfile_fn)(char *tmpdir);

/* "-1.234567890123457E-308" is 23: anything longer is not the library's
 * number and passes as it is */
#define VALUE_MAX 32
/* written to the file in pieces this large: a write(2) for each number
 * rewritten would cost more than the rewriting */
#define OUT_SIZE 65536

struct vfile {
	int fd;              /* the memfd, or the library's own file's */
	FILE *own;           /* the library's own file, closed with it */
	int tag;             /* bytes of "<v>" just passed, 0 to 2 */
	int in_value;        /* after "<v>": its bytes are held in value */
	size_t nvalue;
	char value[VALUE_MAX];
	size_t nout;
	char out[OUT_SIZE];
};

static int drain(struct vfile *v)
{
	size_t done = 0;
	while (done < v->nout) {
		ssize_t n = write(v->fd, v->out + done, v->nout - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	v->nout = 0;
	return 0;
}

static int put(struct vfile *v, const char *s, size_t n)
{
	while (n) {
		size_t k = OUT_SIZE - v->nout;
		if (k > n)
			k = n;
		memcpy(v->out + v->nout, s, k);
		v->nout += k;
		s += k;
		n -= k;
		if (v->nout == OUT_SIZE && drain(v) != 0)
			return -1;
	}
	return 0;
}

/* The shortest form of the number s[0..n) into out (VALUE_MAX bytes) and
 * its length, or 0 when s stays: not wholly a number, an integer, or no
 * longer than the form. */
static size_t shortest(const char *s, size_t n, char *out)
{
	/* only what "%G" writes: strtod would also take "inf", "0x1p3" and
	 * leading blanks */
	int point = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == 'E' || s[i] == 'e')
			point = 1;
		else if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '+' &&
			 s[i] != '-')
			return 0;
	}
	if (!point || n == 0 || n >= VALUE_MAX)
		return 0;
	char in[VALUE_MAX], *end;
	memcpy(in, s, n);
	in[n] = '\0';
	errno = 0;
	double d = strtod(in, &end);
	if (end != in + n || errno || !isfinite(d))
		return 0;
	for (int prec = 15; prec <= 17; prec++) {
		int len = snprintf(out, VALUE_MAX, "%.*G", prec, d);
		if (len <= 0 || len >= VALUE_MAX)
			return 0;
		if (strtod(out, NULL) == d)
			return (size_t)len < n ? (size_t)len : 0;
	}
	return 0;
}

/* The value held since "<v>" ends here: written in its shortest form. */
static int put_value(struct vfile *v)
{
	char best[VALUE_MAX];
	size_t n = shortest(v->value, v->nvalue, best);
	v->in_value = 0;
	if (n)
		return put(v, best, n);
	return put(v, v->value, v->nvalue);
}

static ssize_t vf_write(void *cookie, const char *buf, size_t size)
{
	struct vfile *v = cookie;
	const char *p = buf, *end = buf + size;
	while (p < end) {
		if (v->in_value) {
			const char *lt = memchr(p, '<', (size_t)(end - p));
			size_t n = (size_t)((lt ? lt : end) - p);
			if (v->nvalue + n > VALUE_MAX) {
				/* not a number: as it is, and the bytes from
				 * p on are text again */
				v->in_value = 0;
				if (put(v, v->value, v->nvalue) != 0)
					return -1;
				continue;
			}
			memcpy(v->value + v->nvalue, p, n);
			v->nvalue += n;
			p += n;
			if (lt && put_value(v) != 0)
				return -1;
			continue;
		}
		if (v->tag == 0) {
			/* up to and with the next "<v>", as it is: one
			 * search, not one for each tag's '<' */
			const char *t = memmem(p, (size_t)(end - p), "<v>", 3);
			const char *stop = t ? t + 3 : end;
			if (put(v, p, (size_t)(stop - p)) != 0)
				return -1;
			if (t) {
				v->in_value = 1;
				v->nvalue = 0;
			} else if (end - p >= 2 && end[-2] == '<' &&
				   end[-1] == 'v') {
				v->tag = 2;     /* the chunk ends in "<v" */
			} else {
				v->tag = end[-1] == '<';
			}
			p = stop;
			continue;
		}
		if (*p != "<v>"[v->tag]) {
			v->tag = 0;     /* *p is looked at again as text */
			continue;
		}
		if (put(v, p++, 1) != 0)
			return -1;
		if (++v->tag == 3) {
			v->tag = 0;
			v->in_value = 1;
			v->nvalue = 0;
		}
	}
	return (ssize_t)size;
}

/* Before a read or a seek: what is held goes to the file as it is (the
 * library ends every <v> before it reads; the state starts afresh). */
static int settle(struct vfile *v)
{
	if (v->in_value) {
		v->in_value = 0;
		if (put(v, v->value, v->nvalue) != 0)
			return -1;
	}
	v->tag = 0;
	return drain(v);
}

static ssize_t vf_read(void *cookie, char *buf, size_t size)
{
	struct vfile *v = cookie;
	if (settle(v) != 0)
		return -1;
	ssize_t n;
	do
		n = read(v->fd, buf, size);
	while (n < 0 && errno == EINTR);
	return n;
}

static int vf_seek(void *cookie, off64_t *offset, int whence)
{
	struct vfile *v = cookie;
	if (settle(v) != 0)
		return -1;
	off64_t at = lseek(v->fd, *offset, whence);
	if (at < 0)
		return -1;
	*offset = at;
	return 0;
}

static int vf_close(void *cookie)
{
	struct vfile *v = cookie;
	int rc = settle(v);
	if (v->own ? fclose(v->own) != 0 : close(v->fd) != 0)
		rc = -1;
	free(v);
	return rc;
}

static FILE *library_tmpfile(char *tmpdir)
{
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

FILE *lxw_tmpfile(char *tmpdir)
{
	FILE *own = NULL;
	int fd = memfd_create("svcbill-xlsx", MFD_CLOEXEC);
	if (fd < 0) {
		own = library_tmpfile(tmpdir);
		if (!own)
			return NULL;
		/* only its descriptor is used: its own buffer stays empty */
		fd = fileno(own);
	}
	struct vfile *v = calloc(1, sizeof *v);
	FILE *f = NULL;
	if (v) {
		v->fd = fd;
		v->own = own;
		cookie_io_functions_t io = {
			.read = vf_read, .write = vf_write,
			.seek = vf_seek, .close = vf_close,
		};
		f = fopencookie(v, "w+", io);
	}
	if (!f) {
		/* no file rather than one with the numbers as they were */
		free(v);
		if (own)
			fclose(own);
		else
			close(fd);
	}
	return f;
}
