/* buf.h - growable byte buffer.
 *
 * Invariant: data is never NULL after buf_init and is always NUL-terminated
 * (the terminator is not counted in len), so it can be used as a C string. */
#ifndef SVCBILL_BUF_H
#define SVCBILL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len, cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
/* Makes room for extra more bytes and the terminator. */
void buf_grow(struct buf *b, size_t extra);

/* Inline: the PDF writer and the ledger's rows add two million pieces of
 * a few bytes in a month of 200 invoices; a call each was most of it. */
static inline void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The data, now the caller's to free; b must be buf_init'ed before reuse. */
char *buf_detach(struct buf *b);

#endif
