/* commit.c - what a run writes once its PDFs are in place: the ledger
 * rows (lines first, then the register, which commits), summary.csv and
 * SHA256SUMS; and the SHA-256 of every file the run wrote or checked, so
 * that none is hashed twice. */
#include "base/fsio.h"
#include "base/money.h"
#include "plan/runstate.h"
#include "xlsx/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sysexits.h>

void known_add(struct run *r, const char *rel, const char *sha)
{
	if (r->nknown == r->capknown) {
		r->capknown = r->capknown ? r->capknown * 2 : 64;
		r->known = xrealloc(r->known, sizeof *r->known * r->capknown);
	}
	r->known[r->nknown].rel = rel;
	r->known[r->nknown].seq = r->nknown;
	memcpy(r->known[r->nknown].sha, sha, 65);
	r->nknown++;
	r->known_sorted = 0;
}

static int by_rel(const void *x, const void *y)
{
	return strcmp(((const struct known *)x)->rel,
		      ((const struct known *)y)->rel);
}

static int by_rel_seq(const void *x, const void *y)
{
	const struct known *a = x, *b = y;
	int c = strcmp(a->rel, b->rel);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The SHA-256 of root/rel: from what this run knows, else read. */
int file_sha(struct run *r, const char *rel, char out[65])
{
	if (!r->known_sorted && r->nknown) {
		qsort(r->known, r->nknown, sizeof *r->known, by_rel_seq);
		r->known_sorted = 1;
	}
	struct known key = { rel, 0, "" };
	const struct known *k = r->nknown ? bsearch(&key, r->known, r->nknown,
						    sizeof *r->known, by_rel) :
				NULL;
	while (k && k + 1 < r->known + r->nknown &&
	       strcmp(k[1].rel, rel) == 0)
		k++;
	if (k) {
		memcpy(out, k->sha, 65);
		return 0;
	}
	char *path = arena_printf(&r->a, "%s/%s", r->o->out, rel);
	if (sha256_file(path, out) != 0)
		return -1;
	known_add(r, arena_strdup(&r->a, rel), out);
	return 0;
}

/* An I/O failure (74), or a refusal of what is in the archive (65). */
int io_error(const char *what, const char *path)
{
	const char *unsafe = fsio_refusal(errno);
	if (unsafe) {
		fprintf(stderr, "svcbill: %s\n", unsafe);
		return EX_DATAERR;
	}
	fprintf(stderr, "svcbill: %s %s: %s\n", what, path, strerror(errno));
	return EX_IOERR;
}

/* ---- committing -------------------------------------------------------- */

/* The rows this run appends, chained to the register's last row; also
 * fills the in-memory register as it will be (r->post) with each row's
 * pdf, pdf_sha256 and chain, so the summary can show the seal.  Called
 * once the invoices are rendered (their hashes are in the rows). */
int prepare_rows(struct run *r)
{
	char chain[65];
	memcpy(chain, r->lg.seal, 65);
	buf_init(&r->lines_out);
	buf_init(&r->reg_out);
	r->rows_ready = 1;
	for (size_t i = 0; i < r->nappend; i++) {
		struct invoice *inv = r->append[i];
		const char *pdf = "", *sha = "";
		if (inv->status != INV_CANCELLED)
			lines_rows(&r->lines_out, inv);
		const struct reg_row *old = ledger_find(&r->lg, inv->number);
		if (inv->status == INV_CANCELLED && old) {
			pdf = old->pdf;
			sha = old->pdf_sha256;
		} else {
			char *rel = arena_printf(&r->a, "%s/invoices/%s.pdf",
						 r->period_s, inv->number);
			char *hex = arena_alloc(&r->a, 65);
			if (file_sha(r, rel, hex) != 0)
				return io_error("cannot read back", rel);
			pdf = rel;
			sha = hex;
		}
		register_row(&r->reg_out, inv, pdf, sha, chain);
		struct reg_row *g = &r->post.rows[r->lg.nrows + i];
		g->pdf = pdf;
		g->pdf_sha256 = sha;
		g->chain = arena_strdup(&r->a, chain);
	}
	memcpy(r->post.seal, chain, 65);
	return 0;
}

/* A ledger file that does not exist yet gets its header line first, in
 * a write of its own, so that no append can leave it torn. */
static int ensure_header(struct run *r, const struct ledger_table *t)
{
	char *path = arena_printf(&r->a, "%s/%s", r->o->out, t->file);
	char *text;
	size_t len;
	if (read_file(path, &text, &len) == 0) {
		free(text);
		if (len > 0)
			return 0;
	} else if (errno != ENOENT) {
		return io_error("cannot read", path);
	}
	struct buf b;
	buf_init(&b);
	ledger_header(&b, t);
	int rc = write_file_atomic(path, b.data, b.len) ? io_error(
		"cannot write", path) : 0;
	buf_free(&b);
	return rc;
}

int ensure_ledger_files(struct run *r)
{
	int rc = ensure_header(r, &REGISTER_TABLE);
	return rc ? rc : ensure_header(r, &LINES_TABLE);
}

int append_rows(struct run *r)
{
	if (r->nappend == 0)
		return 0;
	char *lpath = arena_printf(&r->a, "%s/lines.csv", r->o->out);
	char *rpath = arena_printf(&r->a, "%s/register.csv", r->o->out);
	int rc = ensure_ledger_files(r);
	if (rc)
		return rc;
	/* lines first: the register row is what commits an invoice */
	if (r->lines_out.len && append_durable(lpath, r->lines_out.data,
					       r->lines_out.len) != 0)
		return io_error("cannot append to", lpath);
	if (append_durable(rpath, r->reg_out.data, r->reg_out.len) != 0)
		return io_error("cannot append to", rpath);
	return 0;
}

/* 1 when rows[i] (of rows) is the first with its invoice number. */
static int first_of_number(const struct reg_row **rows, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(rows[k]->invoice_no, rows[i]->invoice_no) == 0)
			return 0;
	return 1;
}

/* One workbook into the period folder (data is freed). */
static int put_workbook(struct run *r, const char *name, unsigned char *data,
			size_t len)
{
	char *path = arena_printf(&r->a, "%s/%s", r->period_dir, name);
	int rc = write_file_atomic(path, data, len) ? io_error(
		"cannot write", path) : 0;
	if (!rc) {
		char sha[65];
		sha256_hex(data, len, sha);
		known_add(r, arena_printf(&r->a, "%s/%s", r->period_s, name),
			  sha);
	}
	free(data);
	return rc;
}

/* summary.xlsx and fapiao.xlsx (SPEC §5.4, §5.5), from the register as
 * it stands once this run is in, like summary.csv. */
static int write_workbooks(struct run *r)
{
	unsigned char *data;
	size_t len;
	int rc;
	if (xlsx_summary(&r->ds, &r->lg, r->o->period, r->o->issue_date,
			 &data, &len) != 0)
		return EX_IOERR;
	if ((rc = put_workbook(r, "summary.xlsx", data, len)) != 0)
		return rc;
	if (xlsx_fapiao(&r->ds, &r->lg, r->o->period, r->o->issue_date,
			stderr, &data, &len) != 0)
		return EX_IOERR;
	return put_workbook(r, "fapiao.xlsx", data, len);
}

int write_summary_csv(struct run *r)
{
	struct buf b;
	buf_init(&b);
	csv_header(&b, SUMMARY_HEADER);
	/* in the order invoices were first issued, each in its state now */
	const struct reg_row **mine = xmalloc(sizeof *mine * (r->lg.nrows + 1));
	size_t n = 0;
	for (size_t i = 0; i < r->lg.nrows; i++)
		if (r->lg.rows[i].period == r->o->period)
			mine[n++] = &r->lg.rows[i];
	for (size_t i = 0; i < n; i++) {
		if (!first_of_number(mine, i))
			continue;
		const struct reg_row *g = ledger_find(&r->lg, mine[i]->invoice_no);
		const struct contract *c = find_contract(&r->ds, g->contract_id);
		const struct client *cl = find_client(&r->ds, g->client_id);
		char net[32], tax[32], gross[32], due[11];
		money_plain(g->net, net);
		money_plain(g->tax, tax);
		money_plain(g->gross, gross);
		date_format(g->due_date, due);
		const char *f[10] = {
			g->invoice_no, g->contract_id, g->client_id,
			cl ? cl->name_zh : "", c ? contract_type_name(c->type) : "",
			net, tax, gross, due,
			g->status == INV_CANCELLED ? "cancelled" :
			g->status == INV_CREDIT ? "credit" : "issued",
		};
		for (int k = 0; k < 10; k++)
			csv_put(&b, f[k], k == 0);
		csv_end_row(&b);
	}
	free(mine);
	char *path = arena_printf(&r->a, "%s/summary.csv", r->period_dir);
	int rc = write_file_atomic(path, b.data, b.len) ? io_error(
		"cannot write", path) : 0;
	if (!rc) {
		char sha[65];
		sha256_hex(b.data, b.len, sha);
		known_add(r, arena_printf(&r->a, "%s/summary.csv",
					  r->period_s), sha);
	}
	buf_free(&b);
	if (!rc)
		rc = write_workbooks(r);
	return rc;
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every file below dir (relative names), skipping hidden ones
 * (temporaries).  -1 (errno) when a folder cannot be read or holds
 * what is not a file or folder. */
static int list_files(const char *root, const char *rel, char ***v,
		      size_t *n, size_t *cap)
{
	size_t len = strlen(root) + strlen(rel) + 2;
	char *path = xmalloc(len);
	snprintf(path, len, "%s%s%s", root, rel[0] ? "/" : "", rel);
	DIR *dir = fsio_opendir(path);
	free(path);
	if (!dir)
		return errno == ENOENT ? 0 : -1;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		struct stat st;
		if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		size_t k = strlen(rel) + strlen(e->d_name) + 2;
		char *name = xmalloc(k);
		snprintf(name, k, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
		if (S_ISDIR(st.st_mode)) {
			rc = list_files(root, name, v, n, cap);
			free(name);
			continue;
		}
		if (strcmp(name, "SHA256SUMS") == 0) {
			free(name);
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*v = xrealloc(*v, sizeof **v * *cap);
		}
		(*v)[(*n)++] = name;
	}
	closedir(dir);
	return rc;
}

int write_sha256sums(struct run *r)
{
	char **files = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (list_files(r->period_dir, "", &files, &n, &cap) != 0)
		rc = io_error("cannot list", r->period_dir);
	if (n)
		qsort(files, n, sizeof *files, by_string);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		char *rel = arena_printf(&r->a, "%s/%s", r->period_s,
					 files[i]);
		char sha[65];
		if (!rc && file_sha(r, rel, sha) != 0)
			rc = io_error("cannot read", rel);
		if (!rc)
			buf_printf(&b, "%s  %s\n", sha, files[i]);
		free(files[i]);
	}
	free(files);
	/* never a line that disagrees with the register: every PDF it
	 * names for this period is there, with its recorded hash */
	for (size_t i = 0; !rc && i < r->lg.nrows; i++) {
		const struct reg_row *g = &r->lg.rows[i];
		char sha[65];
		if (g->period != r->o->period || !g->pdf[0])
			continue;
		if (file_sha(r, g->pdf, sha) != 0 ||
		    strcmp(sha, g->pdf_sha256) != 0) {
			fprintf(stderr, "svcbill: %s/%s: missing or not the "
				"file the register recorded (invoice %s); "
				"SHA256SUMS not written\n", r->o->out, g->pdf,
				g->invoice_no);
			rc = EX_DATAERR;
		}
	}
	char *path = arena_printf(&r->a, "%s/SHA256SUMS", r->period_dir);
	if (!rc && write_file_atomic(path, b.data, b.len) != 0)
		rc = io_error("cannot write", path);
	buf_free(&b);
	return rc;
}
