/* The one fatal path (base/diag.h): die_internal() and
 * die_out_of_memory() end through the hook main.c installs, with 70. */
#include "harness.h"
#include "base/arena.h"
#include "base/diag.h"

#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>

static jmp_buf back;
static int got_status = -1;

/* Stands in for main.c's exit(): records the status and comes back. */
static void catch_exit(int status)
{
	got_status = status;
	longjmp(back, 1);
}

/* Runs fn with stderr caught in *text; the status it ended with. */
static int ends_with(void (*fn)(void), char *text, size_t len)
{
	FILE *tmp = tmpfile();
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	got_status = -1;
	diag_set_exit(catch_exit);
	if (setjmp(back) == 0)
		fn();
	diag_set_exit(NULL);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t n = fread(text, 1, len - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	return got_status;
}

static void internal(void)
{
	die_internal("a bug: %d", 42);
}

static void oom(void)
{
	die_out_of_memory();
}

TEST(fatal_path_through_the_hook)
{
	char text[256];
	CHECK_INT(ends_with(internal, text, sizeof text), 70);
	CHECK_STR(text, "svcbill: internal error: a bug: 42\n");
	CHECK_INT(ends_with(oom, text, sizeof text), 70);
	CHECK_STR(text, "svcbill: out of memory\n");
}
