/* archive.c - see archive.h */
#include "ledger/archive.h"
#include "ledger/index.h"
#include "base/arena.h"
#include "read/csvread.h"
#include "read/fields.h"
#include "base/fsio.h"
#include "base/money.h"
#include "base/vec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* vec_find's comparison: a name against an element of a sorted array of
 * names. */
static int name_vs(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* Checks one period's SHA256SUMS: every listed file has its checksum,
 * and every file of the period is listed. */
static int verify_sums(const char *root, const char *period,
		       struct arena *a)
{
	char *path = arena_printf(a, "%s/%s/SHA256SUMS", root, period);
	char *text;
	size_t len;
	if (read_file(path, &text, &len) != 0) {
		const char *why = fsio_refusal(errno);
		if (why)
			fprintf(stderr, "%s\n", why);
		else
			fprintf(stderr, "%s: missing\n", path);
		return 1;
	}
	int problems = 0;
	size_t nlisted = 0;
	char **listed = xmalloc(sizeof *listed * (len / 66 + 1));
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (strlen(line) > 66 && line[64] == ' ' && line[65] == ' ') {
			line[64] = '\0';
			listed[nlisted++] = line + 66;
			char *file = arena_printf(a, "%s/%s/%s", root, period,
						  line + 66);
			char sha[65];
			if (sha256_file(file, sha) != 0) {
				const char *why = fsio_refusal(errno);
				if (why)
					fprintf(stderr, "%s\n", why);
				else
					fprintf(stderr, "%s: listed in SHA256SUMS but "
					       "missing\n", file);
				problems++;
			} else if (strcmp(sha, line) != 0) {
				fprintf(stderr, "%s: SHA-256 differs from "
				       "SHA256SUMS\n", file);
				problems++;
			}
		} else if (line[0]) {
			fprintf(stderr, "%s: malformed line\n", path);
			problems++;
		}
		if (!end)
			break;
		line = end + 1;
	}
	/* every file of the period is listed */
	qsort(listed, nlisted, sizeof *listed, by_name);
	static const char *const sub[] = { "", "invoices/", "sheets/" };
	for (int k = 0; k < 3; k++) {
		char *dir = arena_printf(a, "%s/%s%s%.*s", root, period,
					 k ? "/" : "", k ? (int)strlen(sub[k]) - 1 : 0,
					 sub[k]);
		DIR *d = fsio_opendir(dir);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			struct stat st;
			if (e->d_name[0] == '.' ||
			    fstatat(dirfd(d), e->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) != 0 ||
			    !S_ISREG(st.st_mode) ||
			    (k == 0 && strcmp(e->d_name, "SHA256SUMS") == 0))
				continue;
			char *rel = arena_printf(a, "%s%s", sub[k], e->d_name);
			if (!vec_find(rel, listed, nlisted, sizeof *listed,
				      name_vs)) {
				fprintf(stderr, "%s/%s: not listed in SHA256SUMS\n", dir,
				       e->d_name);
				problems++;
			}
		}
		closedir(d);
	}
	free(listed);
	free(text);
	return problems;
}

static int by_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* Every PDF under P/invoices/ is one the register names. */
static int verify_no_stray(const char *root, const char *period,
			   const struct ledger *lg, const char **named,
			   size_t nnamed, struct arena *a)
{
	(void)lg;
	char *dir = arena_printf(a, "%s/%s/invoices", root, period);
	DIR *d = fsio_opendir(dir);
	if (!d)
		return 0;
	int problems = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		const char *rel = arena_printf(a, "%s/invoices/%s", period,
					       e->d_name);
		if (!vec_find(rel, named, nnamed, sizeof *named, name_vs)) {
			fprintf(stderr, "%s/%s: an invoice the register does not "
			       "name\n", root, rel);
			problems++;
		}
	}
	closedir(d);
	return problems;
}

int verify_archive(const char *root, const struct ledger *lg,
		   const char *seal, struct arena *a)
{
	int problems = 0;
	struct stat lst;
	char *lock = arena_printf(a, "%s/.lock", root);
	if (lstat(lock, &lst) == 0 && !S_ISREG(lst.st_mode)) {
		fprintf(stderr, "%s: is not a regular file (a link, pipe, device or "
		       "folder where the archive has its lock file)\n", lock);
		problems++;
	}
	if (seal) {
		/* the chain recomputed from the first row: it reaches the
		 * seal only if no row up to it changed */
		char c[65];
		memcpy(c, ZERO_CHAIN, 65);
		size_t i = 0;
		for (; i < lg->nrows; i++) {
			char next[65];
			ledger_chain(c, (const char *const *)lg->rows[i].raw,
				     next);
			memcpy(c, next, 65);
			if (strcmp(c, seal) == 0)
				break;
		}
		if (i == lg->nrows) {
			fprintf(stderr, "%s/register.csv: the seal %s is not in the "
			       "chain: a row up to the sealed one was changed, "
			       "removed or inserted\n", root, seal);
			problems++;
		} else {
			fprintf(stderr, "%s/register.csv:%ld: the seal %s: rows 1 to "
			       "%zu unchanged\n", root, lg->rows[i].line, seal,
			       i + 1);
		}
	}
	const char **named = xmalloc(sizeof *named * (lg->nlast + 1));
	size_t nnamed = 0;
	for (size_t i = 0; i < lg->nlast; i++) {
		const struct reg_row *g = lg->last[i];
		if (!g->pdf[0])
			continue;
		named[nnamed++] = g->pdf;
		char *path = arena_printf(a, "%s/%s", root, g->pdf);
		char sha[65];
		if (sha256_file(path, sha) != 0) {
			const char *why = fsio_refusal(errno);
			if (why)
				fprintf(stderr, "%s\n", why);
			else
				fprintf(stderr, "%s: missing (invoice %s)\n", path,
				       g->invoice_no);
			problems++;
		} else if (strcmp(sha, g->pdf_sha256) != 0) {
			fprintf(stderr, "%s: SHA-256 differs from the register "
			       "(invoice %s)\n", path, g->invoice_no);
			problems++;
		}
	}
	qsort(named, nnamed, sizeof *named, by_name);
	/* every period: the register's and those on disk */
	int *periods = NULL;
	size_t np = 0, cap = 0;
	VEC_GROW(periods, lg->nrows + 1, cap);
	for (size_t i = 0; i < lg->nrows; i++)
		periods[np++] = lg->rows[i].period;
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		int p = strlen(e->d_name) == 7 ? month_parse(e->d_name) : -1;
		if (p < 0)
			continue;
		VEC_GROW(periods, np + 1, cap);
		periods[np++] = p;
	}
	if (d)
		closedir(d);
	qsort(periods, np, sizeof *periods, by_int);
	for (size_t i = 0; i < np; i++) {
		if (i > 0 && periods[i] == periods[i - 1])
			continue;
		char period[8];
		month_format(periods[i], period);
		char bad[4300];
		char *dir = arena_printf(a, "%s/%s", root, period);
		if (check_tree(dir, bad, sizeof bad) == 1) {
			fprintf(stderr, "%s\n", bad);
			problems++;
			continue;
		}
		problems += verify_no_stray(root, period, lg, named, nnamed, a);
		problems += verify_sums(root, period, a);
	}
	free(periods);
	free(named);
	return problems + index_verify(root, lg, a);
}
