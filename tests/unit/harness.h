/* harness.h - a tiny unit test harness.
 *
 * TEST(name) { ... } defines a test that registers itself; CHECK*() record
 * failures with file and line and go on.  main() (test_main.c) runs them
 * all and prints "unit: N passed, M failed". */
#ifndef SVCBILL_HARNESS_H
#define SVCBILL_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
extern int test_failed_checks;

#define TEST(name)                                                           \
	static void name(void);                                              \
	__attribute__((constructor)) static void register_##name(void)       \
	{                                                                    \
		test_register(#name, name);                                  \
	}                                                                    \
	static void name(void)

#define FAIL(...)                                                            \
	do {                                                                 \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);              \
		fprintf(stderr, __VA_ARGS__);                                \
		fputc('\n', stderr);                                         \
		test_failed_checks++;                                        \
	} while (0)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond))                                                 \
			FAIL("check failed: %s", #cond);                     \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		if (g_ != w_)                                                \
			FAIL("%s: got %lld, want %lld", #got, g_, w_);       \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (!g_ || strcmp(g_, w_) != 0)                              \
			FAIL("%s: got '%s', want '%s'", #got,                \
			     g_ ? g_ : "(null)", w_);                        \
	} while (0)

#endif
