/* The growable array and the binary search of base/vec.h, against
 * answers worked out by hand. */
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
