/* testing.h - STATIC: `static` in the program, external in the unit tests.
 *
 * A module's helpers stay static (private to their file) in the program.
 * The unit tests link against objects compiled with -DTESTING (the
 * Makefile's build/testing/), where STATIC is empty, so a test can call a
 * helper directly; the helper's prototype is then declared in the module's
 * header under #ifdef TESTING.  The same idiom as libxlsxwriter's.
 *
 *     STATIC int is_dropped(unsigned cp) { ... }     (layout.c)
 *     #ifdef TESTING
 *     int is_dropped(unsigned cp);                   (layout.h)
 *     #endif
 *
 * Only functions take STATIC: a static variable must stay static (its
 * storage would become a definition in every test object otherwise). */
#ifndef SVCBILL_TESTING_H
#define SVCBILL_TESTING_H

#ifdef TESTING
#define STATIC
#else
#define STATIC static
#endif

#endif
