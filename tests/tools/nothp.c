/* nothp - runs a program with transparent huge pages off for it and its
 * children (prctl PR_SET_THP_DISABLE, inherited across fork and exec), so
 * that its peak memory counts 4 KB pages: with 2 MB pages, a growth of
 * a megabyte or two is all or nothing.  The bench measures the archive's
 * growth with it.
 *
 *   nothp PROGRAM [ARG...] */
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nothp PROGRAM [ARG...]\n");
		return 64;
	}
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0)
		perror("nothp: prctl");     /* still run: 2 MB pages then */
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
