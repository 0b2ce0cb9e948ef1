/* vec.c - see vec.h. */
#include "base/vec.h"

#include <stdlib.h>

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
