/* buf.h - growable byte buffer.
 *
 * Invariant: data is never NULL after buf_init and is always NUL-terminated
 * (the terminator is not counted in len), so it can be used as a C string. */
#ifndef SVCBILL_BUF_H
#define SVCBILL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The data, now the caller's to free; b must be buf_init'ed before reuse. */
char *buf_detach(struct buf *b);

#endif
