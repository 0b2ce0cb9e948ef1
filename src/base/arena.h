/* arena.h - per-run bump allocator.
 *
 * Every string and record parsed from the input lives in one arena and is
 * freed at once when the run ends, so no stage has to track ownership of
 * the data model.  Allocation failure is fatal (exit 70): a billing run
 * that cannot allocate a few megabytes cannot do anything useful. */
#ifndef SVCBILL_ARENA_H
#define SVCBILL_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena_kept;
struct arena {
	struct arena_chunk *head;   /* newest chunk first */
	struct arena_kept *kept;    /* malloc'd blocks it frees too */
};

void *arena_alloc(struct arena *a, size_t n);          /* zeroed, 16-aligned */
/* The same, not cleared: for what the caller fills at once (a copy, a
 * parse); clearing a large block costs a page fault per page first. */
void *arena_alloc_uninit(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* p (from malloc) becomes the arena's, freed with it: text read into
 * a buffer of its own whose strings the run keeps (the ledger index's,
 * parsed where it lies). */
void arena_keep(struct arena *a, void *p);
void arena_free(struct arena *a);

/* Plain heap helpers that die on failure (exit 70). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* The one way out when memory (or a size computation) runs out. */
_Noreturn void die_out_of_memory(void);

#endif
