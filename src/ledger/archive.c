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

/* ---- SHA256SUMS ----------------------------------------------------------- */

int archive_period_name(const char *rel)
{
	static const char *const top[] = { "summary.pdf", "summary.csv",
					   "summary.xlsx", "fapiao.xlsx" };
	for (size_t k = 0; k < sizeof top / sizeof *top; k++)
		if (strcmp(rel, top[k]) == 0)
			return 1;
	const char *name;
	if (strncmp(rel, "invoices/", 9) == 0)
		name = rel + 9;
	else if (strncmp(rel, "sheets/", 7) == 0)
		name = rel + 7;
	else
		return 0;
	size_t n = strlen(name);
	return n > 4 && name[0] != '.' && !strchr(name, '/') &&
	       strcmp(name + n - 4, ".pdf") == 0;
}

/* The escape sha256sum uses for c, or 0 when c stands as it is. */
static char escape_of(char c)
{
	return c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : 0;
}

static void add_escaped(struct buf *b, const char *name)
{
	for (const char *p = name; *p; p++) {
		char e = escape_of(*p);
		if (e) {
			buf_addc(b, '\\');
			buf_addc(b, e);
		} else {
			buf_addc(b, *p);
		}
	}
}

static int needs_escape(const char *name)
{
	return strpbrk(name, "\\\n\r") != NULL;
}

void sums_line(struct buf *b, const char *sha, const char *name)
{
	if (needs_escape(name))
		buf_addc(b, '\\');
	buf_adds(b, sha);
	buf_adds(b, "  ");
	add_escaped(b, name);
	buf_addc(b, '\n');
}

const char *sums_shown(const char *name, struct arena *a)
{
	if (!needs_escape(name))
		return name;
	struct buf b;
	buf_init(&b);
	add_escaped(&b, name);
	buf_addc(&b, '\0');
	char *s = arena_strdup(a, b.data);
	buf_free(&b);
	return s;
}

/* Undoes add_escaped() in place; -1 for a backslash sha256sum would not
 * have written. */
static int unescape(char *s)
{
	char *out = s;
	for (char *p = s; *p; p++) {
		if (*p != '\\') {
			*out++ = *p;
			continue;
		}
		p++;
		if (*p == '\\')
			*out++ = '\\';
		else if (*p == 'n')
			*out++ = '\n';
		else if (*p == 'r')
			*out++ = '\r';
		else
			return -1;
	}
	*out = '\0';
	return 0;
}

static int is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int by_entry_name(const void *x, const void *y)
{
	return strcmp(((const struct sums_entry *)x)->name,
		      ((const struct sums_entry *)y)->name);
}

static int name_vs_entry(const void *key, const void *elem)
{
	return strcmp((const char *)key,
		      ((const struct sums_entry *)elem)->name);
}

int sums_read(const char *path, struct sums *s)
{
	size_t len;
	memset(s, 0, sizeof *s);
	if (read_file(path, &s->text, &len) != 0)
		return -1;
	size_t cap = 0, capbad = 0;
	long no = 0;
	for (char *line = s->text; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		no++;
		/* a line with an escaped name starts with '\' */
		int escaped = line[0] == '\\';
		char *sha = line + escaped;
		if (strlen(sha) > 66 && is_hex64(sha) && sha[64] == ' ' &&
		    sha[65] == ' ' && (!escaped || unescape(sha + 66) == 0)) {
			sha[64] = '\0';
			VEC_GROW(s->v, s->n + 1, cap);
			s->v[s->n++] = (struct sums_entry){ sha + 66, sha };
		} else if (line[0]) {
			VEC_GROW(s->bad, s->nbad + 1, capbad);
			s->bad[s->nbad++] = no;
		}
		if (!end)
			break;
		line = end + 1;
	}
	if (s->n)
		qsort(s->v, s->n, sizeof *s->v, by_entry_name);
	return 0;
}

const struct sums_entry *sums_find(const struct sums *s, const char *name)
{
	return vec_find(name, s->v, s->n, sizeof *s->v, name_vs_entry);
}

void sums_free(struct sums *s)
{
	free(s->text);
	free(s->v);
	free(s->bad);
	memset(s, 0, sizeof *s);
}

/* Every entry below dir/rel, at any depth and hidden ones too: a file
 * must be one svcbill writes and, when there is a SHA256SUMS (listed
 * non-NULL), listed in it; a folder other than invoices/ and sheets/ is
 * none of svcbill's.  Links, pipes and devices are check_tree()'s to
 * report.  Returns how many problems. */
static int verify_entries(const char *dir, const char *rel,
			  const struct sums *listed, struct arena *a)
{
	char *path = rel[0] ? arena_printf(a, "%s/%s", dir, rel) :
			      (char *)dir;
	DIR *d = fsio_opendir(path);
	if (!d)
		return 0;
	int problems = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		char *name = rel[0] ? arena_printf(a, "%s/%s", rel, e->d_name) :
				      arena_strdup(a, e->d_name);
		const char *shown = sums_shown(name, a);
		if (S_ISDIR(st.st_mode)) {
			if (!rel[0] && (strcmp(name, "invoices") == 0 ||
					strcmp(name, "sheets") == 0)) {
				problems += verify_entries(dir, name, listed, a);
				continue;
			}
			fprintf(stderr, "%s/%s: a folder svcbill does not write (a "
				"period folder holds only invoices/ and sheets/)\n",
				dir, shown);
			problems++;
			/* and each file in it named, to be moved out */
			problems += verify_entries(dir, name, listed, a);
			continue;
		}
		/* (a killed run's temporary: the next run removes it) */
		if (!S_ISREG(st.st_mode) || strcmp(name, "SHA256SUMS") == 0 ||
		    fsio_temp_name(e->d_name))
			continue;
		int mine = archive_period_name(name);
		int in_sums = listed && sums_find(listed, name);
		if (!mine && in_sums) {
			/* what an earlier run listed of a file it found */
			fprintf(stderr, "%s/%s: listed in SHA256SUMS, but not a "
				"file svcbill writes\n", dir, shown);
			problems++;
		} else if (!mine) {
			fprintf(stderr, "%s/%s: not listed in SHA256SUMS (not a "
				"file svcbill writes)\n", dir, shown);
			problems++;
		} else if (listed && !in_sums) {
			fprintf(stderr, "%s/%s: not listed in SHA256SUMS\n", dir,
				shown);
			problems++;
		}
	}
	closedir(d);
	return problems;
}

/* Checks one period's SHA256SUMS: every listed file has its checksum,
 * and every file of the period is listed and one svcbill writes. */
static int verify_sums(const char *root, const char *period,
		       struct arena *a)
{
	char *dir = arena_printf(a, "%s/%s", root, period);
	char *path = arena_printf(a, "%s/SHA256SUMS", dir);
	struct sums s;
	int problems = 0;
	if (sums_read(path, &s) != 0) {
		const char *why = fsio_refusal(errno);
		if (why)
			fprintf(stderr, "%s\n", why);
		else
			fprintf(stderr, "%s: missing\n", path);
		/* without it, every file would be one not listed: only
		 * those that are none of svcbill's are told */
		return 1 + verify_entries(dir, "", NULL, a);
	}
	for (size_t i = 0; i < s.nbad; i++) {
		fprintf(stderr, "%s:%ld: malformed line\n", path, s.bad[i]);
		problems++;
	}
	for (size_t i = 0; i < s.n; i++) {
		const char *file = arena_printf(a, "%s/%s", dir, s.v[i].name);
		char sha[65];
		if (sha256_file(file, sha) != 0) {
			const char *why = fsio_refusal(errno);
			if (why)
				fprintf(stderr, "%s\n", why);
			else
				fprintf(stderr, "%s/%s: listed in SHA256SUMS but "
					"missing\n", dir, sums_shown(s.v[i].name, a));
			problems++;
		} else if (strcmp(sha, s.v[i].sha) != 0) {
			fprintf(stderr, "%s/%s: SHA-256 differs from SHA256SUMS\n",
				dir, sums_shown(s.v[i].name, a));
			problems++;
		}
	}
	problems += verify_entries(dir, "", &s, a);
	sums_free(&s);
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
			       "name\n", root, sums_shown(rel, a));
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
