/* init.c - see init.h.  A template's header is the reader's own (load.c's
 * column tables: every column, Chinese alias first), so the two cannot
 * drift; the list below gives rules.md §2.4's columns for the files that
 * load.c does not read itself.  tests/e2e/test_cli.sh checks that `svcbill check`
 * reads every template without a warning about its columns. */
#include "cmd/init.h"
#include "base/fsio.h"
#include "read/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

const struct template_file init_templates[] = {
	{ "issuer.csv", NULL },
	{ "clients.csv", NULL },
	{ "contracts.csv", NULL },
	{ "rates.csv", NULL },
	{ "devices.csv", NULL },
	{ "service_records.csv", NULL },
	{ "parts.csv", NULL },
	{ "parts_used.csv", NULL },
	{ "charges.csv", NULL },
	{ "payments.csv", NULL },
	{ "holidays.csv", NULL },
	{ "fapiao_items.csv", NULL },
	{ NULL, NULL },
};

static char *path_of(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* O_EXCL: a file that appeared since the check is not overwritten either. */
static int write_new(const char *path, const char *header)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t hl = strlen(header);
	size_t n = 3 + hl + 2;
	char *b = malloc(n);
	if (!b) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	memcpy(b, "\xEF\xBB\xBF", 3);      /* Excel reads the BOM as UTF-8 */
	memcpy(b + 3, header, hl);
	memcpy(b + 3 + hl, "\r\n", 2);
	ssize_t w = write(fd, b, n);
	int err = errno;
	free(b);
	if (w != (ssize_t)n || fsync(fd) != 0) {
		if (w >= 0 && w != (ssize_t)n)
			err = EIO;
		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

int cmd_init_dir(const char *dir)
{
	int existing = 0;
	for (const struct template_file *t = init_templates; t->name; t++) {
		char *p = path_of(dir, t->name);
		struct stat st;
		if (lstat(p, &st) == 0) {
			diag_sys(NULL, 0, "%s exists; not overwritten", p);
			existing++;
		}
		free(p);
	}
	if (existing) {
		return diag_sys(NULL, EX_CANTCREAT, "nothing written (move %s "
				"away first)", existing == 1 ? "that file" :
				"those files");
	}
	if (mkdir_p(dir) != 0) {
		int err = errno;
		return diag_sys(NULL, err == ENOSPC || err == EROFS ||
				err == EIO ? EX_IOERR : EX_CANTCREAT,
				"cannot create %s: %s", dir, strerror(err));
	}
	for (const struct template_file *t = init_templates; t->name; t++) {
		char *p = path_of(dir, t->name), own[1024];
		const char *header = load_template_header(t->name, own,
					sizeof own) == 0 ? own : t->header;
		if (!header) {      /* a file listed here that load.c lost */
			diag_sys(NULL, 0, "no template for %s", t->name);
			free(p);
			return EX_SOFTWARE;
		}
		if (write_new(p, header) != 0) {
			int err = errno;
			int rc = diag_sys(NULL, err == EEXIST || err == EACCES ||
					  err == ENOENT ? EX_CANTCREAT :
					  EX_IOERR, "cannot write %s: %s", p,
					  strerror(err));
			free(p);
			return rc;
		}
		free(p);
	}
	if (fsync_dir(dir) != 0)
		return diag_sys(NULL, EX_IOERR, "cannot sync %s: %s", dir,
				strerror(errno));
	printf("%s: %d templates written; fill in issuer.csv, clients.csv, "
	       "contracts.csv and the others that apply, then run "
	       "'svcbill check --data %s'\n", dir,
	       (int)(sizeof init_templates / sizeof *init_templates) - 1, dir);
	return 0;
}
