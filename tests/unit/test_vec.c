/* The growable array and the binary search of base/vec.h, against
 * answers worked out by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "base/vec.h"

static int cmp_int(const void *k, const void *e)
{
	int a = *(const int *)k, b = *(const int *)e;
	return (a > b) - (a < b);
}

TEST(vec_grow_keeps_elements)
{
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		VEC_GROW(v, n + 1, cap);
		v[n++] = i * 3;
	}
	CHECK(cap >= 1000);
	CHECK(v[0] == 0 && v[999] == 2997);
	free(v);
	CHECK(vec_next_cap(0, 1, 4) == 16);
	CHECK(vec_next_cap(16, 17, 4) == 32);
	CHECK(vec_next_cap(16, 100, 4) == 128);
}

TEST(lower_bound_by_hand)
{
	/* sorted with a run of equal keys */
	int a[] = {2, 4, 4, 4, 9};
	int k;
	k = 1; CHECK(lower_bound(&k, a, 5, sizeof *a, cmp_int) == 0);
	k = 2; CHECK(lower_bound(&k, a, 5, sizeof *a, cmp_int) == 0);
	k = 3; CHECK(lower_bound(&k, a, 5, sizeof *a, cmp_int) == 1);
	k = 4; CHECK(lower_bound(&k, a, 5, sizeof *a, cmp_int) == 1);
	k = 5; CHECK(lower_bound(&k, a, 5, sizeof *a, cmp_int) == 4);
	k = 10; CHECK(lower_bound(&k, a, 5, sizeof *a, cmp_int) == 5);
	CHECK(lower_bound(&k, a, 0, sizeof *a, cmp_int) == 0);
	k = 9; CHECK(vec_find(&k, a, 5, sizeof *a, cmp_int) == &a[4]);
	k = 5; CHECK(vec_find(&k, a, 5, sizeof *a, cmp_int) == NULL);
}

/* pairs ordered by key only: the tag shows whether equal keys kept
 * their order */
struct tagged { int key, tag; };
static int by_key_only(const void *x, const void *y)
{
	const struct tagged *a = x, *b = y;
	return (a->key > b->key) - (a->key < b->key);
}

TEST(sort_if_unsorted_by_hand)
{
	/* in order already, with equal keys: left exactly as it is */
	struct tagged s[] = { {1, 0}, {2, 2}, {2, 1}, {5, 3} };
	sort_if_unsorted(s, 4, sizeof *s, by_key_only);
	CHECK(s[1].tag == 2 && s[2].tag == 1 && s[3].key == 5);
	/* out of order in its last pair only: sorted, equal keys in the
	 * order given (worked out by hand) */
	struct tagged u[] = { {3, 0}, {4, 1}, {4, 2}, {9, 3}, {1, 4} };
	sort_if_unsorted(u, 5, sizeof *u, by_key_only);
	int want_key[] = {1, 3, 4, 4, 9}, want_tag[] = {4, 0, 1, 2, 3};
	for (int i = 0; i < 5; i++)
		CHECK(u[i].key == want_key[i] && u[i].tag == want_tag[i]);
	/* nothing and one element */
	sort_if_unsorted(u, 0, sizeof *u, by_key_only);
	sort_if_unsorted(u, 1, sizeof *u, by_key_only);
	CHECK(u[0].key == 1);
}

/* ---- id_table ---------------------------------------------------------- */

struct named_row { const char *id; int tag; };

static const char *row_id(const void *base, size_t i)
{
	return ((const struct named_row *)base)[i].id;
}

TEST(id_table_by_hand)
{
	/* a repeated key finds its first row, as lower_bound on the sorted
	 * array finds it (rows 1 and 3: "B" twice) */
	struct named_row r[] = { {"A", 0}, {"B", 1}, {"C", 2}, {"B", 3},
				 {"", 4} };
	struct arena a = { 0 };
	struct id_table t;
	id_table_make(&t, r, 5, row_id, &a);
	CHECK(id_table_find(&t, "A") == 0);
	CHECK(id_table_find(&t, "B") == 1);
	CHECK(id_table_find(&t, "C") == 2);
	CHECK(id_table_find(&t, "") == 4);
	CHECK(id_table_find(&t, "D") == (size_t)-1);
	CHECK(id_table_find(&t, "AB") == (size_t)-1);
	/* no rows, and a table never made: nothing is found */
	struct id_table e, z = { 0 };
	id_table_make(&e, r, 0, row_id, &a);
	CHECK(id_table_find(&e, "A") == (size_t)-1);
	CHECK(id_table_find(&z, "A") == (size_t)-1);
	arena_free(&a);
}

/* Against a linear search: 3,000 keys in a table of 8,192 slots, many of
 * them probing past others (the table is at most half full), each key
 * twice so that the first of each pair must be the one found. */
TEST(id_table_against_linear_search)
{
	enum { N = 3000 };
	static struct named_row r[2 * N];
	static char ids[N][32];
	unsigned s = 12345;
	for (int i = 0; i < N; i++) {
		s = s * 1103515245u + 12345u;
		snprintf(ids[i], sizeof ids[i], "INV-%u-%d", s % 997u, i);
		r[i] = (struct named_row){ ids[i], i };
		r[N + i] = (struct named_row){ ids[i], N + i };
	}
	struct arena a = { 0 };
	struct id_table t;
	id_table_make(&t, r, 2 * N, row_id, &a);
	int bad = 0;
	for (int i = 0; i < N; i++) {
		size_t want = (size_t)-1;
		for (size_t k = 0; k < 2 * N && want == (size_t)-1; k++)
			if (strcmp(r[k].id, ids[i]) == 0)
				want = k;
		bad += id_table_find(&t, ids[i]) != want || want != (size_t)i;
	}
	CHECK(bad == 0);
	CHECK(id_table_find(&t, "INV-0-3000") == (size_t)-1);
	arena_free(&a);
}
