/* export_hledger.c - see export_hledger.h.
 *
 * The register and its lines are read through ledger.c (the same reader
 * run and verify use); the tax per rate is recomputed from the lines with
 * invoice_total() (the same rule that billed them) and must agree with the
 * register's totals, so every transaction balances by construction and a
 * damaged ledger is refused rather than exported. */
#include "cmd/export_hledger.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/fsio.h"
#include "bill/invoice.h"
#include "ledger/ledger.h"
#include "read/load.h"
#include "base/money.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "svcbill: %s%s%s%s\n", msg, arg ? " '" : "",
		arg ? arg : "", arg ? "'" : "");
	fputs("usage: svcbill export hledger [--out DIR] [--data DIR]\n",
	      stderr);
	return EX_USAGE;
}

/* An account name segment: hledger reads ':' as a sub-account and two
 * spaces or a tab as the end of the name, so those and other control or
 * space characters become '_'. */
static void put_account(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		buf_printf(b, "%c", *p == ':' || *p <= ' ' || *p == 0x7f ?
			   '_' : *p);
}

/* A description: one line, no ';' (which starts a comment). */
static void put_text(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		buf_printf(b, "%c", *p < ' ' || *p == 0x7f ? ' ' :
			   *p == ';' ? ',' : *p);
}

/* "12.50 CNY"; a commodity other than letters is quoted. */
static void put_amount(struct buf *b, int64_t fen, const char *cur)
{
	char m[32];
	money_plain(fen, m);
	if (!cur || !cur[0])
		cur = "CNY";
	int letters = 1;
	for (const char *p = cur; *p; p++)
		letters &= (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
	buf_printf(b, "%s ", m);
	if (letters) {
		buf_printf(b, "%s", cur);
		return;
	}
	buf_printf(b, "\"");
	for (const char *p = cur; *p; p++)
		if (*p != '"' && (unsigned char)*p >= ' ')
			buf_printf(b, "%c", *p);
	buf_printf(b, "\"");
}

static void posting(struct buf *b, const char *acct, const char *sub,
		    int64_t fen, const char *cur)
{
	buf_printf(b, "    %s", acct);
	if (sub)
		put_account(b, sub);
	buf_printf(b, "  ");
	put_amount(b, fen, cur);
	buf_printf(b, "\n");
}

struct tx {
	day_t date;
	int kind;                   /* 0 invoice or credit note, 1 payment */
	size_t seq;                 /* file order within its kind */
	const struct reg_row *g;
	const struct payment *p;
};

static int tx_order(const void *x, const void *y)
{
	const struct tx *a = x, *b = y;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static const char *client_name(const struct dataset *ds, const char *id)
{
	const struct client *c = ds ? find_client(ds, id) : NULL;
	return c && c->name_zh[0] ? c->name_zh : id;
}

/* One invoice or credit note; -1 when its lines do not give its totals. */
static int put_invoice(struct buf *b, const struct ledger *lg,
		       const struct reg_row *g, const struct dataset *ds,
		       struct arena *a, struct diag *d)
{
	struct line *lines;
	size_t n;
	ledger_lines_of(lg, g->invoice_no, a, &lines, &n);
	struct invoice inv = { .lines = lines, .nlines = n };
	invoice_total(&inv);
	int64_t tax = 0;
	for (int k = 0; k < inv.ntaxes; k++)
		tax += inv.taxes[k].tax;
	if (inv.net != g->net || tax != g->tax || g->net + g->tax != g->gross) {
		diag_fail(d, "%s/register.csv:%ld: %s: its lines do not give "
			  "its net, tax and gross; run svcbill verify", lg->root,
			  g->line, g->invoice_no);
		return -1;
	}
	char date[11];
	date_format(g->issue_date, date);
	buf_printf(b, "%s %s ", date, g->invoice_no);
	put_text(b, client_name(ds, g->client_id));
	buf_printf(b, "\n");
	if (g->status == INV_CREDIT && g->replaces[0]) {
		buf_printf(b, "    ; 贷项通知单 credit note for ");
		put_text(b, g->replaces);
		buf_printf(b, "\n");
	}
	posting(b, "assets:receivable:", g->client_id, g->gross, g->currency);
	for (int k = 0; k < LK_COUNT; k++) {
		int64_t sum = 0;
		int any = 0;
		for (size_t i = 0; i < n; i++)
			if (lines[i].kind == k) {
				sum += lines[i].amount;
				any = 1;
			}
		if (any && sum != 0)
			posting(b, "revenue:", line_kind_name(k), -sum,
				g->currency);
	}
	for (int k = 0; k < inv.ntaxes; k++) {
		if (inv.taxes[k].tax == 0)
			continue;
		char pct[40];
		pct_plain(inv.taxes[k].pct4, pct);
		strcat(pct, "%");
		posting(b, "liabilities:vat:", pct, -inv.taxes[k].tax,
			g->currency);
	}
	buf_printf(b, "\n");
	return 0;
}

static void put_payment(struct buf *b, const struct ledger *lg,
			const struct payment *p, const struct dataset *ds)
{
	const struct reg_row *g = ledger_find(lg, p->invoice_no);
	char date[11];
	date_format(p->paid_on, date);
	buf_printf(b, "%s 收款 payment ", date);
	put_text(b, p->invoice_no);
	buf_printf(b, " ");
	put_text(b, client_name(ds, g->client_id));
	buf_printf(b, "\n");
	posting(b, "assets:bank", NULL, p->amount, g->currency);
	posting(b, "assets:receivable:", g->client_id, -p->amount,
		g->currency);
	buf_printf(b, "\n");
}

static int export_hledger(const char *out, const char *data)
{
	struct arena a = { 0 };
	struct diag d;
	diag_init(&d, stderr);
	struct dataset ds, *dsp = NULL;
	int rc = 0;
	if (data) {
		load_dataset(data, &a, &d, &ds);
		diag_finish(&d);
		rc = diag_exit_status(&d);
		dsp = &ds;
	}
	/* the archive is read as run and verify read it: below the root,
	 * never through a link (rules.md §4) */
	struct stat st;
	if (!rc && fsio_set_root(out, &st) != 0 && errno != ENOENT) {
		const char *unsafe = fsio_refusal(errno);
		if (unsafe)
			fprintf(stderr, "svcbill: %s\n", unsafe);
		else
			fprintf(stderr, "svcbill: cannot open %s: %s\n", out,
				strerror(errno));
		rc = unsafe ? EX_DATAERR : EX_IOERR;
	}
	struct ledger lg;
	if (!rc && ledger_load(&lg, out, 0, &a, &d) != 0)
		rc = d.missing ? EX_NOINPUT : EX_DATAERR;
	struct tx *tx = NULL;
	struct buf b;
	buf_init(&b);
	if (!rc) {
		size_t np = dsp ? ds.npayments : 0, n = 0;
		tx = xmalloc(sizeof *tx * (lg.nrows + np + 1));
		for (size_t i = 0; i < lg.nrows; i++) {
			const struct reg_row *g = &lg.rows[i];
			if (g->status == INV_ISSUED || g->status == INV_CREDIT)
				tx[n++] = (struct tx){ g->issue_date, 0, i, g,
						       NULL };
		}
		for (size_t i = 0; i < np; i++)
			if (ledger_find(&lg, ds.payments[i].invoice_no))
				tx[n++] = (struct tx){ ds.payments[i].paid_on,
						       1, i, NULL,
						       &ds.payments[i] };
		qsort(tx, n, sizeof *tx, tx_order);
		buf_printf(&b, "; svcbill: the archive %s as an hledger "
			   "journal\n\n", out);
		for (size_t i = 0; i < n && !rc; i++) {
			if (tx[i].kind == 1)
				put_payment(&b, &lg, tx[i].p, dsp);
			else if (put_invoice(&b, &lg, tx[i].g, dsp, &a, &d) != 0)
				rc = EX_DATAERR;
		}
	}
	if (!rc && (fwrite(b.data, 1, b.len, stdout) != b.len ||
		    fflush(stdout) != 0)) {
		rc = diag_sys(&d, EX_IOERR, "stdout: %s",
			      strerror(errno));
	}
	buf_free(&b);
	free(tx);
	if (dsp)
		dataset_free(dsp);
	diag_free(&d);
	arena_free(&a);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || strcmp(argv[1], "hledger") != 0)
		return usage("export needs a format: hledger",
			     argc >= 2 ? argv[1] : NULL);
	const char *out = "out", *data = NULL;
	int c;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'd': data = optarg; break;
		case 'h':
			fputs("usage: svcbill export hledger [--out DIR] "
			      "[--data DIR]\n\nPrints the archive (default "
			      "./out) as an hledger journal; with --data, "
			      "also the\npayments of payments.csv.\n", stdout);
			return 0;
		default:
			return usage("unknown or incomplete option",
				     argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage("unexpected argument", argv[optind]);
	return export_hledger(out, data);
}
