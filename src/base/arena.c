/* arena.c - see arena.h */
#include "base/arena.h"
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void die_out_of_memory(void)
{
	fputs("svcbill: out of memory\n", stderr);
	die_with(70);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

/* n bytes, not cleared (what a copy overwrites at once), at a multiple
 * of align (16, or 1 for text) */
static void *arena_take(struct arena *a, size_t n, size_t align)
{
	if (n > (size_t)-1 / 2)
		die_out_of_memory();
	struct arena_chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < n) {
		int own = n > CHUNK_MIN / 4;
		size_t size = own ? (n + 15) & ~(size_t)15 : CHUNK_MIN;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		if (own && a->head) {
			/* a large block has a chunk of its own, behind the
			 * newest one, whose room is still used */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		at = 0;
	}
	c->used = at + n;
	return c->data + at;
}

void *arena_alloc_uninit(struct arena *a, size_t n)
{
	return arena_take(a, n, 16);
}

void *arena_alloc(struct arena *a, size_t n)
{
	return memset(arena_take(a, n, 16), 0, n);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die_out_of_memory();
	char *p = arena_take(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct arena_kept {
	struct arena_kept *next;
	void *p;
};

void arena_keep(struct arena *a, void *p)
{
	struct arena_kept *k = arena_take(a, sizeof *k, 16);
	k->p = p;
	k->next = a->kept;
	a->kept = k;
}

void arena_free(struct arena *a)
{
	/* the kept blocks' records are in the chunks: first */
	for (struct arena_kept *k = a->kept; k; k = k->next)
		free(k->p);
	a->kept = NULL;
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}
