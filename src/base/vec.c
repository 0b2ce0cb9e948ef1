/* vec.c - see vec.h. */
#include "base/vec.h"
#include "base/diag.h"

#include <stdlib.h>
#include <string.h>

size_t vec_next_cap(size_t cap, size_t need, size_t elem)
{
	size_t c = cap ? cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			c = need;
		else
			c *= 2;
	}
	if (elem && c > SIZE_MAX / elem)
		die_out_of_memory();
	return c;
}

size_t lower_bound(const void *key, const void *base, size_t n, size_t size,
		   int (*cmp)(const void *key, const void *elem))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(key, (const char *)base + mid * size) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *vec_find(const void *key, const void *base, size_t n, size_t size,
	       int (*cmp)(const void *key, const void *elem))
{
	size_t i = lower_bound(key, base, n, size, cmp);
	if (i < n && cmp(key, (const char *)base + i * size) == 0)
		return (char *)base + i * size;
	return NULL;
}

void sort_if_unsorted(void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	const char *p = base;
	size_t i = 1;
	while (i < n && cmp(p + (i - 1) * size, p + i * size) <= 0)
		i++;
	if (i < n)
		qsort(base, n, size, cmp);
}

size_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}

void id_table_start(struct id_table *t, const void *base, size_t room,
		    const char *(*key)(const void *base, size_t i),
		    struct arena *a)
{
	if (room >= UINT32_MAX)
		die_internal("a table of %zu rows", room);
	size_t slots = 16;
	while (slots < 2 * room)
		slots *= 2;
	t->base = base;
	t->key = key;
	t->mask = slots - 1;
	t->slot = arena_alloc(a, sizeof *t->slot * slots);  /* zeroed */
}

size_t id_table_put(struct id_table *t, size_t i)
{
	const char *k = t->key(t->base, i);
	uint64_t hk = str_hash(k), tag = hk >> 32 << 32;
	size_t h = (size_t)hk & t->mask;
	for (; t->slot[h]; h = (h + 1) & t->mask) {
		size_t at = (size_t)(uint32_t)t->slot[h] - 1;
		if ((t->slot[h] >> 32 << 32) == tag &&
		    strcmp(t->key(t->base, at), k) == 0)
			return at;          /* a repeat keeps the first */
	}
	t->slot[h] = tag | (i + 1);
	return i;
}

void id_table_make(struct id_table *t, const void *base, size_t n,
		   const char *(*key)(const void *base, size_t i),
		   struct arena *a)
{
	id_table_start(t, base, n, key, a);
	for (size_t i = 0; i < n; i++)
		id_table_put(t, i);
}

void id_table_grow(struct id_table *t, const struct id_table *old,
		   const void *base, size_t kept, size_t n, struct arena *a)
{
	if (!old->slot || n >= UINT32_MAX || 2 * n > old->mask + 1) {
		id_table_make(t, base, n, old->key, a);
		return;
	}
	*t = *old;
	t->base = base;
	t->slot = arena_alloc_uninit(a, sizeof *t->slot * (old->mask + 1));
	memcpy(t->slot, old->slot, sizeof *t->slot * (old->mask + 1));
	for (size_t i = kept; i < n; i++)
		id_table_put(t, i);
}

size_t id_table_find(const struct id_table *t, const char *key)
{
	if (!t->slot)
		return (size_t)-1;
	uint64_t hk = str_hash(key), tag = hk >> 32 << 32;
	for (size_t h = (size_t)hk & t->mask; t->slot[h];
	     h = (h + 1) & t->mask) {
		if ((t->slot[h] >> 32 << 32) != tag)
			continue;
		size_t i = (size_t)(uint32_t)t->slot[h] - 1;
		if (strcmp(t->key(t->base, i), key) == 0)
			return i;
	}
	return (size_t)-1;
}
