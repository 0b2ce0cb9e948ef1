/* vec.h - the one growable array and the one binary search.
 *
 * Growth (after git's ALLOC_GROW): an array is three things the caller
 * owns, a pointer, a count and a capacity; VEC_GROW makes room for at
 * least `need` elements, doubling, and dies like xrealloc (exit 70 through
 * the one fatal path) if the size would overflow or memory is out:
 *
 *     struct row *rows = NULL; size_t nrows = 0, caprows = 0;
 *     VEC_GROW(rows, nrows + 1, caprows);
 *     rows[nrows++] = r;
 *     ...
 *     free(rows);
 *
 * Search: lower_bound() returns the index of the first element of a sorted
 * array that is not less than key (n when none is): every "find the first
 * row of ..." and every exact lookup is this one function.
 *
 * Sorting: sort_if_unsorted() is qsort() for an array that is often in
 * order already (the register's rows by number, lines by invoice,
 * payments by invoice: each file mostly is): one pass when it is. */
#ifndef SVCBILL_VEC_H
#define SVCBILL_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

/* Room for `need` elements in `v` (capacity in `cap`); elements past the
 * old capacity are uninitialised. */
#define VEC_GROW(v, need, cap)                                                 \
	do {                                                                   \
		if ((size_t)(need) > (cap)) {                                  \
			(cap) = vec_next_cap((cap), (size_t)(need), sizeof *(v)); \
			(v) = xrealloc((v), sizeof *(v) * (cap));              \
		}                                                              \
	} while (0)

/* The capacity to grow to: double (at least 16) until `need` fits. */
size_t vec_next_cap(size_t cap, size_t need, size_t elem);

/* qsort(base, n, size, cmp), except that an array already in cmp's order
 * is left as it is after n - 1 comparisons.  Equal elements are then in
 * their order as given, which qsort does not promise: the comparators
 * svcbill sorts with break ties by position, or their callers take only
 * sums over equal elements. */
void sort_if_unsorted(void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *));

/* FNV-1a of a string, mixed: for the hash tables of ids and numbers. */
size_t str_hash(const char *s);

/* An array's rows by a string key, found in one step: the one hash table
 * of ids (a data set's clients, contracts, devices, records and parts,
 * the register's invoice numbers, the runs of payments naming each).
 * The array is not copied: the table holds row indexes, and is good
 * while the array is neither moved nor changed.  Where keys repeat, the
 * first row of a key is the one found (as lower_bound on a sorted array
 * finds it).  key(base, i) is row i's key. */
struct id_table {
	const void *base;
	const char *(*key)(const void *base, size_t i);
	/* a slot: the key's hash's high 32 bits, then its row's index + 1
	 * (0: free), so that a probe reads the row only when the hashes
	 * agree (the rows and their keys are far apart in memory: each
	 * read of one was a cache miss) */
	uint64_t *slot;
	size_t mask;                /* slots - 1, a power of two */
};

/* A table of rows [0, n), n < 2^32, in the arena (slots for twice n, at
 * least 16); the slots hold the key's hash's high 32 bits (0 where size_t
 * has 32: every probe then reads its row, as correct, only slower). */
void id_table_make(struct id_table *t, const void *base, size_t n,
		   const char *(*key)(const void *base, size_t i),
		   struct arena *a);

/* The same built a row at a time: an empty table with room for `room`
 * rows (no more: twice as many slots), then id_table_put(t, i) for each
 * row i wanted, which adds it unless a row of its key is there, and
 * returns the row that holds the key (i, or the one put before). */
void id_table_start(struct id_table *t, const void *base, size_t room,
		    const char *(*key)(const void *base, size_t i),
		    struct arena *a);
size_t id_table_put(struct id_table *t, size_t i);

/* t: the table of base's rows [0, n), whose rows [0, kept) have the
 * keys old's rows [0, kept) have (an array that grew at its end, or a
 * copy of one with rows changed for others of the same key): old's slots
 * copied when they have room (for twice n), and rows [kept, n) added;
 * else made anew.  old is left as it was. */
void id_table_grow(struct id_table *t, const struct id_table *old,
		   const void *base, size_t kept, size_t n, struct arena *a);

/* The first row whose key is `key`, or (size_t)-1; a table never made
 * (all zero) finds nothing. */
size_t id_table_find(const struct id_table *t, const char *key);

/* First index i in [0, n) with cmp(key, base + i * size) <= 0; n if none.
 * cmp is bsearch's: negative when key sorts before the element. */
size_t lower_bound(const void *key, const void *base, size_t n, size_t size,
		   int (*cmp)(const void *key, const void *elem));

/* The element equal to key, or NULL (lower_bound, then one comparison). */
void *vec_find(const void *key, const void *base, size_t n, size_t size,
	       int (*cmp)(const void *key, const void *elem));

#endif
