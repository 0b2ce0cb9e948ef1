/* commit.c - what a run writes once its documents are in place: the
 * ledger rows (lines first, then the register, which commits),
 * summary.csv, the workbooks and SHA256SUMS; and the SHA-256 of every
 * file the run wrote or read, so that none is hashed twice. */
#include "base/phase.h"
#include "base/fsio.h"
#include "base/money.h"
#include "base/vec.h"
#include "docs/sheet.h"
#include "ledger/archive.h"
#include "out/out.h"
#include "xlsx/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sysexits.h>

/* ---- the SHA-256 of files ---------------------------------------------- */

static int by_file_rel(const void *x, const void *y)
{
	return strcmp(((const struct file_hash *)x)->rel,
		      ((const struct file_hash *)y)->rel);
}

void disk_hashes_read(const struct ledger *before,
		      const struct period_out *w, struct arena *a,
		      struct disk_hashes *out)
{
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < before->nlast; i++) {
		const struct reg_row *g = before->last[i];
		if (g->period != w->period || !g->pdf[0])
			continue;
		char sha[65];
		const char *path = arena_printf(a, "%s/%s", w->root, g->pdf);
		if (sha256_file(path, sha) != 0)
			continue;           /* missing or unreadable */
		VEC_GROW(out->v, out->n + 1, cap);
		out->v[out->n].rel = g->pdf;
		memcpy(out->v[out->n].sha, sha, 65);
		out->n++;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, by_file_rel);
}

void disk_hashes_free(struct disk_hashes *h)
{
	free(h->v);
	memset(h, 0, sizeof *h);
}

struct known {
	const char *rel;
	size_t seq;                 /* a later entry for a path wins */
	char sha[65];
};

void file_hashes_init(struct file_hashes *h, const char *root,
		      const struct disk_hashes *seed, struct arena *a)
{
	memset(h, 0, sizeof *h);
	h->root = root;
	h->a = a;
	for (size_t i = 0; seed && i < seed->n; i++)
		file_hashes_add(h, seed->v[i].rel, seed->v[i].sha);
}

void file_hashes_add(struct file_hashes *h, const char *rel,
		     const char sha[65])
{
	VEC_GROW(h->v, h->n + 1, h->cap);
	h->v[h->n].rel = rel;
	h->v[h->n].seq = h->n;
	memcpy(h->v[h->n].sha, sha, 65);
	h->n++;
	h->sorted = 0;
}

static int by_rel_seq(const void *x, const void *y)
{
	const struct known *a = x, *b = y;
	int c = strcmp(a->rel, b->rel);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* bsearch-style: key is a rel, elem a struct known */
static int rel_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct known *)elem)->rel);
}

/* The SHA-256 of rel as the run knows it (it wrote or read it), without
 * reading it: 0, or -1 when unknown. */
static int file_hashes_known(struct file_hashes *h, const char *rel,
			     char out[65])
{
	if (!h->sorted && h->n) {
		qsort(h->v, h->n, sizeof *h->v, by_rel_seq);
		h->sorted = 1;
	}
	/* the last entry for rel: the first one after it, minus one */
	size_t i = lower_bound(rel, h->v, h->n, sizeof *h->v, rel_key);
	if (i < h->n && strcmp(h->v[i].rel, rel) == 0) {
		while (i + 1 < h->n && strcmp(h->v[i + 1].rel, rel) == 0)
			i++;
		memcpy(out, h->v[i].sha, 65);
		return 0;
	}
	return -1;
}

int file_hashes_get(struct file_hashes *h, const char *rel, char out[65])
{
	if (file_hashes_known(h, rel, out) == 0)
		return 0;
	char *path = arena_printf(h->a, "%s/%s", h->root, rel);
	if (sha256_file(path, out) != 0)
		return -1;
	file_hashes_add(h, arena_strdup(h->a, rel), out);
	return 0;
}

void file_hashes_free(struct file_hashes *h)
{
	free(h->v);
	memset(h, 0, sizeof *h);
}

/* ---- committing -------------------------------------------------------- */

int commit_rows(const struct plan *p, const struct ledger *before,
		struct ledger *after, const struct period_out *w,
		struct file_hashes *h, struct arena *a, struct diag *d,
		struct ledger_rows *out)
{
	char chain[65];
	memcpy(chain, before->seal, 65);
	buf_init(&out->lines);
	buf_init(&out->reg);
	for (size_t i = 0; i < p->nappend; i++) {
		const struct invoice *inv = p->append[i];
		const char *pdf = "", *sha = "";
		if (inv->status != INV_CANCELLED)
			lines_rows(&out->lines, inv);
		const struct reg_row *old = ledger_find(before, inv->number);
		if (inv->status == INV_CANCELLED && old) {
			pdf = old->pdf;
			sha = old->pdf_sha256;
		} else {
			char *rel = arena_printf(a, "%s/invoices/%s.pdf",
						 w->name, inv->number);
			char *hex = arena_alloc(a, 65);
			if (file_hashes_get(h, rel, hex) != 0)
				return diag_io(d, "cannot read back", rel);
			pdf = rel;
			sha = hex;
		}
		register_row(&out->reg, inv, pdf, sha, chain);
		struct reg_row *g = &after->rows[before->nrows + i];
		g->pdf = pdf;
		g->pdf_sha256 = sha;
		g->chain = arena_strdup(a, chain);
	}
	memcpy(after->seal, chain, 65);
	return 0;
}

void ledger_rows_free(struct ledger_rows *rows)
{
	buf_free(&rows->reg);
	buf_free(&rows->lines);
}

/* A ledger file that does not exist yet gets its header line first, in
 * a write of its own, so that no append can leave it torn. */
static int ensure_header(const char *root, const struct ledger_table *t,
			 struct arena *a, struct diag *d)
{
	char *path = arena_printf(a, "%s/%s", root, t->file);
	size_t len;
	/* its length only: reading it whole cost 16 MB a run after ten
	 * years of 100 contracts */
	if (file_length(path, &len) == 0) {
		if (len > 0)
			return 0;
	} else if (errno != ENOENT) {
		return diag_io(d, "cannot read", path);
	}
	struct buf b;
	buf_init(&b);
	ledger_header(&b, t);
	int rc = write_file_atomic(path, b.data, b.len) ?
		 diag_io(d, "cannot write", path) : 0;
	buf_free(&b);
	return rc;
}

int ensure_ledger_files(const char *root, struct arena *a, struct diag *d)
{
	int rc = ensure_header(root, &REGISTER_TABLE, a, d);
	return rc ? rc : ensure_header(root, &LINES_TABLE, a, d);
}

int append_rows(const struct ledger_rows *rows, size_t nrows,
		const char *root, struct arena *a, struct diag *d)
{
	if (nrows == 0)
		return 0;
	char *lpath = arena_printf(a, "%s/lines.csv", root);
	char *rpath = arena_printf(a, "%s/register.csv", root);
	int rc = ensure_ledger_files(root, a, d);
	if (rc)
		return rc;
	/* lines first: the register row is what commits an invoice */
	if (rows->lines.len && append_durable(lpath, rows->lines.data,
					      rows->lines.len) != 0)
		return diag_io(d, "cannot append to", lpath);
	if (append_durable(rpath, rows->reg.data, rows->reg.len) != 0)
		return diag_io(d, "cannot append to", rpath);
	return 0;
}

static int by_number_then_place(const void *x, const void *y)
{
	const struct reg_row *a = *(const struct reg_row *const *)x;
	const struct reg_row *b = *(const struct reg_row *const *)y;
	int c = strcmp(a->invoice_no, b->invoice_no);
	return c ? c : (a > b) - (a < b);
}

/* Keeps of rows[0..n-1] one row per invoice number (any: the caller
 * looks each number's state up), in byte order of the numbers (SPEC §4:
 * summary.csv's order, the workbook's too); returns how many. */
static size_t one_of_each_number(const struct reg_row **rows, size_t n)
{
	qsort(rows, n, sizeof *rows, by_number_then_place);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(rows[k - 1]->invoice_no,
				     rows[i]->invoice_no) != 0)
			rows[k++] = rows[i];
	return k;
}

/* One file into the period folder, and its hash known. */
static int put_file(const char *name, const void *data, size_t len,
		    const struct period_out *w, struct file_hashes *h,
		    struct arena *a, struct diag *d)
{
	char *path = arena_printf(a, "%s/%s", w->dir, name);
	if (write_file_atomic(path, data, len) != 0)
		return diag_io(d, "cannot write", path);
	char sha[65];
	sha256_hex(data, len, sha);
	file_hashes_add(h, arena_printf(a, "%s/%s", w->name, name), sha);
	return 0;
}

void workbooks_init(struct workbooks *wb, const struct ledger *after,
		    const struct dataset *ds, const struct period_out *w)
{
	memset(wb, 0, sizeof *wb);
	wb->after = after;
	wb->ds = ds;
	wb->w = w;
}

void workbooks_make(void *ctx)
{
	struct workbooks *wb = ctx;
	if (wb->made)
		return;
	wb->made = 1;
	const struct period_out *w = wb->w;
	FILE *said = open_memstream(&wb->said, &wb->said_len);
	if (!said) {
		wb->failed = 1;
		return;
	}
	wb->failed = xlsx_summary(wb->ds, wb->after, w->period,
				  w->issue_date, said, &wb->summary,
				  &wb->summary_len) != 0 ||
		     xlsx_fapiao(wb->ds, wb->after, w->period, w->issue_date,
				 said, &wb->fapiao, &wb->fapiao_len) != 0;
	fclose(said);
}

void workbooks_free(struct workbooks *wb)
{
	free(wb->summary);
	free(wb->fapiao);
	free(wb->said);
	memset(wb, 0, sizeof *wb);
}

/* summary.xlsx and fapiao.xlsx (docs: the workbooks), from the register
 * as it stands once this run is in, like summary.csv: made now unless
 * made while the documents were drawn. */
static int write_workbooks(struct workbooks *wb, struct file_hashes *h,
			   struct arena *a, struct diag *d)
{
	workbooks_make(wb);
	if (wb->said_len)
		fputs(wb->said, d->err);
	if (wb->failed)
		return EX_IOERR;
	int rc = put_file("summary.xlsx", wb->summary, wb->summary_len,
			  wb->w, h, a, d);
	phase_mark("summary.xlsx");
	if (!rc)
		rc = put_file("fapiao.xlsx", wb->fapiao, wb->fapiao_len,
			      wb->w, h, a, d);
	phase_mark("fapiao.xlsx");
	return rc;
}

int write_summary_files(const struct ledger *after,
			const struct dataset *ds, const struct period_out *w,
			struct workbooks *wb, struct file_hashes *h,
			struct arena *a, struct diag *d)
{
	struct buf b;
	buf_init(&b);
	csv_header(&b, SUMMARY_HEADER);
	/* in byte order of invoice_no, each in its state now */
	const struct reg_row **mine = xmalloc(sizeof *mine *
					      (after->nrows + 1));
	size_t n = 0;
	for (size_t i = 0; i < after->nrows; i++)
		if (after->rows[i].period == w->period)
			mine[n++] = &after->rows[i];
	n = one_of_each_number(mine, n);
	for (size_t i = 0; i < n; i++) {
		const struct reg_row *g = ledger_find(after,
						      mine[i]->invoice_no);
		const struct contract *c = find_contract(ds, g->contract_id);
		const struct client *cl = find_client(ds, g->client_id);
		char net[32], tax[32], gross[32], due[11];
		money_plain(g->net, net);
		money_plain(g->tax, tax);
		money_plain(g->gross, gross);
		date_format(g->due_date, due);
		const char *f[10] = {
			g->invoice_no, g->contract_id, g->client_id,
			cl ? cl->name_zh : "", c ? contract_type_name(c->type) : "",
			net, tax, gross, due,
			status_name(g->status),
		};
		for (int k = 0; k < 10; k++)
			csv_put(&b, f[k], k == 0);
		csv_end_row(&b);
	}
	free(mine);
	int rc = put_file("summary.csv", b.data, b.len, w, h, a, d);
	buf_free(&b);
	phase_mark("summary.csv");
	if (!rc)
		rc = write_workbooks(wb, h, a, d);
	return rc;
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* bsearch-style: key is a name, elem a char * */
static int string_key(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/* Every entry below dir (relative names), at any depth and hidden ones
 * too, for a period folder holds nothing but what svcbill wrote there: a
 * folder other than invoices/ and sheets/ is listed with a '/' after
 * its name (and what is in it too).  -1 (errno) when a folder cannot be
 * read. */
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
		/* (a temporary: this run's or a second run's beside it, its
		 * lock removed under it, named or removed by that run) */
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fsio_temp_name(e->d_name))
			continue;
		/* the entry's type as the folder says it (28,000 fstatat
		 * saved in a large month), else asked */
		int is_dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(dir), e->d_name, &st,
				    AT_SYMLINK_NOFOLLOW))
				continue;
			is_dir = S_ISDIR(st.st_mode);
		}
		size_t k = strlen(rel) + strlen(e->d_name) + 3;
		char *name = xmalloc(k);
		snprintf(name, k, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
		if (is_dir) {
			if (rel[0] || (strcmp(name, "invoices") != 0 &&
				       strcmp(name, "sheets") != 0)) {
				char *folder = xmalloc(k);
				snprintf(folder, k, "%s/", name);
				VEC_GROW(*v, *n + 1, *cap);
				(*v)[(*n)++] = folder;
			}
			rc = list_files(root, name, v, n, cap);
			free(name);
			continue;
		}
		if (strcmp(name, "SHA256SUMS") == 0) {
			free(name);
			continue;
		}
		VEC_GROW(*v, *n + 1, *cap);
		(*v)[(*n)++] = name;
	}
	closedir(dir);
	return rc;
}

/* The period's SHA256SUMS as it is before this run replaces it (none:
 * empty).  -1 (errno) when it is there but cannot be read. */
static int read_old_sums(const struct period_out *w, struct arena *a,
			 struct sums *s)
{
	if (sums_read(arena_printf(a, "%s/SHA256SUMS", w->dir), s) == 0)
		return 0;
	memset(s, 0, sizeof *s);
	return errno == ENOENT ? 0 : -1;
}

/* What is taken for an earlier run's record sheet when the period has no
 * SHA256SUMS to say so (lost, or a run killed before it wrote it): the
 * sheet of a device of the data set, in a period an earlier run went
 * through (the register has its rows, read from the file, or its folder
 * the summary every run leaves: a month may bill nothing and have
 * sheets).  A stray named otherwise, or before a period's first run, is
 * not. */
struct earlier {
	const struct dataset *ds;
	int committed;
	/* every device's sheet name, sorted: made at the first one asked
	 * about (NULL before), so that a folder of many is not each a pass
	 * over the devices */
	char **names;
	size_t nnames;
};

static int earlier_sheet(const char *rel, struct earlier *e, struct arena *a)
{
	if (!e->committed || strncmp(rel, "sheets/", 7) != 0)
		return 0;
	if (!e->names) {
		e->names = arena_alloc(a, sizeof *e->names *
				       (e->ds->ndevices + 1));
		for (size_t i = 0; i < e->ds->ndevices; i++)
			e->names[i] = arena_printf(a, "sheets/%s.pdf",
				safe_file_name(e->ds->devices[i].id, a));
		e->nnames = e->ds->ndevices;
		qsort(e->names, e->nnames, sizeof *e->names, by_string);
	}
	return vec_find(rel, e->names, e->nnames, sizeof *e->names,
			string_key) != NULL;
}

static struct earlier earlier_of(const struct dataset *ds,
				 const struct ledger *after,
				 const struct period_out *w, struct arena *a)
{
	struct earlier e = { ds, 0, NULL, 0 };
	for (size_t i = 0; i < after->nrows && !e.committed; i++)
		e.committed = after->rows[i].period == w->period &&
			      after->rows[i].raw != NULL;
	size_t len;
	if (!e.committed)
		e.committed = file_length(arena_printf(a, "%s/summary.csv",
						       w->dir), &len) == 0;
	return e;
}

/* Whether rel, found in the period folder, is a file svcbill wrote: it
 * has the name of one (archive_period_name) and is a summary file (this
 * run writes each), one that written says this run writes or the
 * register names, or a record sheet an earlier run listed (its device
 * may have no record this month: the sheet stays, and stays listed), or
 * with no SHA256SUMS, one earlier_sheet() takes for one. */
static int svcbill_wrote(const char *rel, const struct period_out *w,
			 int (*written)(const char *full, void *ctx),
			 void *ctx, const struct sums *old,
			 struct earlier *e, struct arena *a)
{
	if (!archive_period_name(rel))
		return 0;
	if (!strchr(rel, '/') ||
	    written(arena_printf(a, "%s/%s", w->name, rel), ctx))
		return 1;
	return strncmp(rel, "sheets/", 7) == 0 &&
	       (sums_find(old, rel) ||
		(!old->text && earlier_sheet(rel, e, a)));
}

/* What the register names of the period and the plan writes, before the
 * run (root-relative, sorted). */
struct names {
	char **v;
	size_t n;
};

static int in_names(const char *full, void *ctx)
{
	const struct names *k = ctx;
	return vec_find(full, k->v, k->n, sizeof *k->v, string_key) != NULL;
}

/* The period's SHA256SUMS as it was (read_old_sums) and every entry of
 * its folder (list_files), in byte order, each malloc'd: 0, or an exit
 * status (reported). */
static int period_listing(const struct period_out *w, struct arena *a,
			  struct diag *d, struct sums *old, char ***files,
			  size_t *n)
{
	size_t cap = 0;
	*files = NULL;
	*n = 0;
	int rc = 0;
	if (read_old_sums(w, a, old) != 0)
		rc = diag_io(d, "cannot read", arena_printf(a, "%s/SHA256SUMS",
							     w->dir));
	else if (list_files(w->dir, "", files, n, &cap) != 0)
		rc = diag_io(d, "cannot list", w->dir);
	if (*n)
		qsort(*files, *n, sizeof **files, by_string);
	return rc;
}

int check_period_files(const struct plan *p, const struct ledger *after,
		       const struct dataset *ds, const struct period_out *w,
		       struct arena *a, struct diag *d)
{
	struct earlier e = earlier_of(ds, after, w, a);
	struct names k = { 0 };
	size_t cap = 0;
	for (size_t i = 0; i < after->nrows; i++) {
		const struct reg_row *g = &after->rows[i];
		if (g->period != w->period || !g->pdf || !g->pdf[0])
			continue;
		VEC_GROW(k.v, k.n + 1, cap);
		k.v[k.n++] = (char *)g->pdf;
	}
	/* this run's documents: a killed run's, under their final names
	 * and not yet in the register, are written again */
	for (size_t i = 0; i < p->njobs; i++) {
		VEC_GROW(k.v, k.n + 1, cap);
		k.v[k.n++] = (char *)job_rel(&p->jobs[i], w, a);
	}
	if (k.n)
		qsort(k.v, k.n, sizeof *k.v, by_string);
	struct sums old;
	char **files;
	size_t n;
	int rc = period_listing(w, a, d, &old, &files, &n);
	int stray = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(files[i]);
		if (!rc && files[i][len - 1] == '/') {
			files[i][len - 1] = '\0';
			diag_fail(d, "%s/%s: a folder svcbill does not write (a "
				  "period folder holds only invoices/ and "
				  "sheets/); the archive is svcbill's alone: move "
				  "it out of the archive", w->dir,
				  sums_shown(files[i], a));
			stray++;
		} else if (!rc && !svcbill_wrote(files[i], w, in_names, &k,
						 &old, &e, a)) {
			diag_fail(d, "%s/%s: a file svcbill did not write (no "
				  "invoice the register names, nor a document of "
				  "this run); the archive is svcbill's alone: move "
				  "it out of the archive", w->dir,
				  sums_shown(files[i], a));
			stray++;
		}
		free(files[i]);
	}
	free(files);
	free(k.v);
	sums_free(&old);
	return rc ? rc : stray ? EX_DATAERR : 0;
}

/* The files this run wrote or read: their hashes are known. */
static int known_hash(const char *full, void *ctx)
{
	char sha[65];
	return file_hashes_known(ctx, full, sha) == 0;
}

int write_sha256sums(const struct ledger *after, const struct dataset *ds,
		     const struct period_out *w, struct file_hashes *h,
		     struct arena *a, struct diag *d)
{
	struct earlier e = earlier_of(ds, after, w, a);
	struct sums old;
	char **files;
	size_t n;
	int rc = period_listing(w, a, d, &old, &files, &n);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		char *rel = arena_printf(a, "%s/%s", w->name, files[i]);
		char sha[65];
		if (rc) {
			/* nothing more to write */
		} else if (!svcbill_wrote(files[i], w, known_hash, h, &old, &e,
					  a)) {
			/* check_period_files() found none before the run
			 * wrote: this one came while it ran, from another
			 * program; never listed as if svcbill vouched for it */
			size_t len = strlen(files[i]);
			if (files[i][len - 1] == '/')
				files[i][len - 1] = '\0';
			diag_note(d, "warning: %s/%s: not listed in SHA256SUMS: "
				  "svcbill did not write it (it appeared while "
				  "this run wrote); verify reports it", w->dir,
				  sums_shown(files[i], a));
		} else if (file_hashes_get(h, rel, sha) != 0) {
			rc = diag_io(d, "cannot read", rel);
		} else {
			sums_line(&b, sha, files[i]);
		}
		free(files[i]);
	}
	free(files);
	sums_free(&old);
	/* never a line that disagrees with the register: every PDF it
	 * names for this period is there, with its recorded hash */
	for (size_t i = 0; !rc && i < after->nrows; i++) {
		const struct reg_row *g = &after->rows[i];
		char sha[65];
		if (g->period != w->period || !g->pdf[0])
			continue;
		if (file_hashes_get(h, g->pdf, sha) != 0 ||
		    strcmp(sha, g->pdf_sha256) != 0) {
			diag_fail(d, "%s/%s: missing or not the file the "
				  "register recorded (invoice %s); SHA256SUMS "
				  "not written", w->root, g->pdf,
				  g->invoice_no);
			rc = EX_DATAERR;
		}
	}
	char *path = arena_printf(a, "%s/SHA256SUMS", w->dir);
	if (!rc && write_file_atomic(path, b.data, b.len) != 0)
		rc = diag_io(d, "cannot write", path);
	buf_free(&b);
	return rc;
}
