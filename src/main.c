/* main.c - svcbill's command line (rules.md §1).
 *
 * The options and the commands are two tables: usage lines, per-command
 * help and the checks (an option of another command, given twice, a
 * missing value) all come from them, so a new option is one line in
 * `opts` plus its name in its commands' lists, and a new command one line
 * in `commands`.  What the commands share is done here once: the data
 * folder must exist (one message, not one per file), and --quiet turns
 * the command's standard output into one time-stamped line for logs. */
#include "base/date.h"
#include "base/diag.h"
#include "cmd/export_hledger.h"
#include "read/fields.h"
#include "cmd/init.h"
#include "cmd/run.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define VERSION "1.0.0"

enum kind {
	K_FLAG,         /* sets an int field to 1 */
	K_TEXT,         /* stores its value in a const char * field */
	K_JOBS,         /* a number from 1 to 256 in an int field */
	K_HELP, K_VERSION,
};

#define F(field) offsetof(struct options, field)
#define NOFIELD ((size_t)-1)    /* kept in val[] only, read by main */

struct optdef {
	const char *name;           /* --name */
	char short_name;            /* -x, or 0 */
	enum kind kind;
	const char *arg;            /* its value as usage shows it */
	size_t field;               /* where in struct options, or NOFIELD */
	const char *help;
};

static const struct optdef opts[] = {
	{ "data", 0, K_TEXT, "DIR", F(data), "the folder of the input CSV files" },
	{ "period", 0, K_TEXT, "YYYY-MM", NOFIELD,
	  "the month to bill (default: this month)" },
	{ "out", 0, K_TEXT, "DIR", F(out), "the archive (default: ./out)" },
	{ "issue-date", 0, K_TEXT, "YYYY-MM-DD", NOFIELD,
	  "the invoices' date (default: the first day of the month)" },
	{ "jobs", 0, K_JOBS, "N", F(jobs),
	  "render with N processes (default: the number of CPUs)" },
	{ "reissue", 0, K_FLAG, NULL, F(reissue),
	  "cancel and replace invoices whose content changed" },
	{ "dry-run", 'n', K_FLAG, NULL, F(dry_run),
	  "compute and print the summary, write nothing" },
	{ "font", 0, K_TEXT, "FILE", F(font),
	  "a TrueType font with Chinese (default: WenQuanYi Micro Hei)" },
	{ "quiet", 'q', K_FLAG, NULL, F(quiet),
	  "one time-stamped line on stdout (for logs), no progress" },
	{ "verbose", 'v', K_FLAG, NULL, F(verbose), "say more" },
	{ "seal", 0, K_TEXT, "HEX", F(seal),
	  "also check the register up to the row of this ledger seal" },
	{ "help", 'h', K_HELP, NULL, NOFIELD, "show this help" },
	{ "version", 'V', K_VERSION, NULL, NOFIELD, "show the version" },
};
#define NOPTS (sizeof opts / sizeof *opts)

static int do_run(struct options *o, char **args);
static int do_check(struct options *o, char **args);
static int do_verify(struct options *o, char **args);
static int do_init(struct options *o, char **args);
static int do_export(struct options *o, char **args);

struct command {
	const char *name;
	const char *args;           /* positional arguments, "" for none */
	int nargs;
	const char *options;        /* the options it takes, usage order */
	const char *required;       /* those of them it cannot do without */
	int (*fn)(struct options *o, char **args);
	const char *what;
};

static const struct command commands[] = {
	{ "run", "", 0, "data period out issue-date jobs reissue dry-run font "
	  "quiet verbose", "data", do_run,
	  "bill the month --period from the files in --data into --out" },
	{ "check", "", 0, "data out quiet verbose", "data", do_check,
	  "check the data, print every problem, write nothing" },
	{ "verify", "", 0, "out seal quiet verbose", "", do_verify,
	  "check the archive's files against the register" },
	{ "init", "DIR", 1, "", "", do_init,
	  "write blank templates of the input files into DIR" },
	{ "export", "hledger", 1, "out data", "", do_export,
	  "print the archive as an hledger journal (with --data, payments)" },
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

/* 1 when the space-separated list holds name. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* The usage of one command, wrapped as the manual's SYNOPSIS is. */
static void usage_of(FILE *f, const struct command *c, const char *lead)
{
	char line[256];
	int indent = (int)strlen(lead) + (int)strlen(c->name) + 9;
	int len = snprintf(line, sizeof line, "%ssvcbill %s%s%s", lead,
			   c->name, *c->args ? " " : "", c->args);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct optdef *d = &opts[i];
		if (!in_list(c->options, d->name) || d->kind >= K_HELP)
			continue;
		int req = in_list(c->required, d->name);
		char item[64];
		snprintf(item, sizeof item, "%s--%s%s%s%s", req ? "" : "[",
			 d->name, d->arg ? " " : "", d->arg ? d->arg : "",
			 req ? "" : "]");
		if (len + 1 + (int)strlen(item) > 78) {
			fprintf(f, "%s\n", line);
			len = snprintf(line, sizeof line, "%*s%s", indent, "",
				       item);
		} else {
			len += snprintf(line + len, sizeof line - (size_t)len,
					" %s", item);
		}
	}
	fprintf(f, "%s\n", line);
}

static void usage(FILE *f)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		usage_of(f, &commands[i], i ? "       " : "usage: ");
	fputs("       svcbill [COMMAND] --help | --version\n", f);
}

static const char *const status_text[] = {
	[0] = "ok", [EX_USAGE] = "usage error", [EX_DATAERR] = "data error",
	[EX_NOINPUT] = "input missing", [EX_SOFTWARE] = "internal error",
	[EX_OSERR] = "system error", [EX_CANTCREAT] = "cannot create output",
	[EX_IOERR] = "I/O error", [EX_TEMPFAIL] = "archive locked",
};

static const char *status_meaning(int rc)
{
	const char *s = rc >= 0 && rc < (int)(sizeof status_text /
				sizeof *status_text) ? status_text[rc] : NULL;
	return s ? s : "failed";
}

static void help(const struct command *c)
{
	if (!c) {
		usage(stdout);
		fputs("\nBills maintenance contracts from CSV exports: "
		      "bilingual PDF invoices and an\nappend-only ledger in "
		      "the archive (--out, default ./out).\n\n", stdout);
		for (size_t i = 0; i < NCOMMANDS; i++)
			printf("  %-8s %s\n", commands[i].name,
			       commands[i].what);
		fputs("\n'svcbill COMMAND --help' lists a command's options; "
		      "'man svcbill' says more.\n", stdout);
	} else {
		usage_of(stdout, c, "usage: ");
		printf("\n%s.\n\n", c->what);
		for (size_t i = 0; i < NOPTS; i++) {
			const struct optdef *d = &opts[i];
			if (!in_list(c->options, d->name) && d->kind < K_HELP)
				continue;
			char name[48];
			snprintf(name, sizeof name, "%s%c%s--%s%s%s",
				 d->short_name ? "-" : "",
				 d->short_name ? d->short_name : ' ',
				 d->short_name ? ", " : "  ", d->name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
			printf("  %-26s %s\n", d->short_name ? name : name + 1,
			       d->help);
		}
	}
	fputs("\nExit status: 0 ok, 64 usage, 65 data error, 66 input "
	      "missing, 73 cannot create\noutput, 74 I/O error, 75 archive "
	      "locked, 70 internal error.\n", stdout);
}

static int bad_usage(const struct command *c, const char *fmt,
		     const char *arg)
{
	fprintf(stderr, "svcbill%s%s: ", c ? " " : "", c ? c->name : "");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	if (c)
		usage_of(stderr, c, "usage: ");
	else
		usage(stderr);
	fprintf(stderr, "Try 'svcbill%s%s --help'.\n", c ? " " : "",
		c ? c->name : "");
	return EX_USAGE;
}

static const struct optdef *find_long(const char *name, size_t n)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(opts[i].name) == n &&
		    strncmp(opts[i].name, name, n) == 0)
			return &opts[i];
	return NULL;
}

static const struct optdef *find_short(char ch)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].short_name == ch)
			return &opts[i];
	return NULL;
}

/* An unknown --name that is the start of exactly one of c's options. */
static const char *suggest(const struct command *c, const char *name)
{
	const char *hit = NULL;
	size_t n = strcspn(name, "=");
	for (size_t i = 0; i < NOPTS; i++)
		if ((in_list(c->options, opts[i].name) ||
		     opts[i].kind >= K_HELP) && n > 0 &&
		    strncmp(opts[i].name, name, n) == 0) {
			if (hit)
				return NULL;
			hit = opts[i].name;
		}
	return hit;
}

struct parsed {
	const char *val[NOPTS];     /* the value (or "" for a flag) given */
	int help, version;
	char *args[4];
	int nargs;
};

/* Stores one option d with value v (NULL for a flag). */
static int take(const struct command *c, const struct optdef *d,
		const char *v, struct options *o, struct parsed *p)
{
	size_t i = (size_t)(d - opts);
	if (d->kind == K_HELP) {
		p->help = 1;
		return 0;
	}
	if (d->kind == K_VERSION) {
		p->version = 1;
		return 0;
	}
	if (!in_list(c->options, d->name)) {
		char msg[96];
		snprintf(msg, sizeof msg, "--%s is not an option of '%s'",
			 d->name, c->name);
		return bad_usage(c, "%s", msg);
	}
	if (p->val[i])
		return bad_usage(c, "--%s is given more than once", d->name);
	p->val[i] = v ? v : "";
	if (d->kind == K_JOBS) {
		int64_t j;
		if (parse_int(v, &j) || j < 1 || j > 256)
			return bad_usage(c, "--jobs takes a number from 1 to "
					 "256, not '%s'", v);
		*(int *)(void *)((char *)o + d->field) = (int)j;
	} else if (d->field != NOFIELD && d->kind == K_TEXT) {
		*(const char **)(void *)((char *)o + d->field) = v;
	} else if (d->field != NOFIELD) {
		*(int *)(void *)((char *)o + d->field) = 1;
	}
	return 0;
}

static int parse(const struct command *c, int argc, char **argv,
		 struct options *o, struct parsed *p)
{
	int rc, only_args = 0;
	for (int k = 2; k < argc; k++) {
		char *a = argv[k];
		if (only_args || a[0] != '-' || a[1] == '\0') {
			if (p->nargs == c->nargs)
				return bad_usage(c, "unexpected argument '%s'",
						 a);
			p->args[p->nargs++] = a;
		} else if (strcmp(a, "--") == 0) {
			only_args = 1;
		} else if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			const struct optdef *d = find_long(name, n);
			if (!d) {
				const char *s = suggest(c, name);
				char msg[160];
				snprintf(msg, sizeof msg, "unknown option "
					 "'%.*s'%s%s%s", (int)(n + 2), a,
					 s ? " (did you mean --" : "",
					 s ? s : "", s ? "?)" : "");
				return bad_usage(c, "%s", msg);
			}
			const char *v = NULL;
			if (d->arg) {
				v = eq ? eq + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v || (!eq && strncmp(v, "--", 2) == 0) ||
				    !*v)
					return bad_usage(c, "--%s needs a value",
							 d->name);
			} else if (eq) {
				return bad_usage(c, "--%s takes no value",
						 d->name);
			}
			if ((rc = take(c, d, v, o, p)) != 0)
				return rc;
		} else {
			/* -qn: short flags, bundled or not */
			for (const char *s = a + 1; *s; s++) {
				const struct optdef *d = find_short(*s);
				if (!d) {
					char opt[3] = { '-', *s, 0 };
					return bad_usage(c, "unknown option "
							 "'%s'", opt);
				}
				if ((rc = take(c, d, NULL, o, p)) != 0)
					return rc;
			}
		}
	}
	return 0;
}

static const char *value(const struct parsed *p, const char *name)
{
	const struct optdef *d = find_long(name, strlen(name));
	return d ? p->val[d - opts] : NULL;
}

/* ---- the commands ------------------------------------------------------ */

static int do_run(struct options *o, char **args)
{
	(void)args;
	return cmd_run(o);
}

static int do_check(struct options *o, char **args)
{
	(void)args;
	return cmd_check(o);
}

static int do_verify(struct options *o, char **args)
{
	(void)args;
	return cmd_verify(o);
}

static int do_init(struct options *o, char **args)
{
	(void)o;
	return cmd_init_dir(args[0]);
}

/* export_hledger.c parses its own arguments: they are handed on as
 * checked here (args[0] is the format, which it checks). */
static int do_export(struct options *o, char **args)
{
	char *argv[7] = { "export", args[0], "--out", (char *)o->out };
	int argc = 4;
	if (o->data) {
		argv[argc++] = "--data";
		argv[argc++] = (char *)o->data;
	}
	return cmd_export(argc, argv);
}

/* Checks shared by the commands that read --data: a missing folder is one
 * message, not one "cannot open" per input file.  0 or 66. */
static int data_folder_status(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return diag_sys(NULL, EX_NOINPUT, "%s: cannot open the data "
				"folder: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return diag_sys(NULL, EX_NOINPUT, "%s: the data folder is "
				"not a folder", dir);
	return 0;
}

static int dispatch(const struct command *c, struct options *o, char **args)
{
	int rc = o->data ? data_folder_status(o->data) : 0;
	return rc ? rc : c->fn(o, args);
}

/* "2026-12-01T06:00:03+08:00": local time, ISO 8601 with its offset. */
static void iso_now(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	long off = tm.tm_gmtoff / 60;
	snprintf(out + n, 32 - n, "%c%02ld:%02ld", off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
}

/* --quiet: the command's standard output is caught; its last line (the
 * summary) becomes the one line printed, after the time, or the failure
 * and its exit status when it fails.  Earlier lines (verify's problems)
 * go to stderr, so nothing is lost and stdout keeps one line per run. */
static int run_logged(const struct command *c, struct options *o,
		      char **args)
{
	char *buf = NULL;
	size_t len = 0;
	fflush(stdout);
	FILE *real = stdout, *mem = open_memstream(&buf, &len);
	if (!mem)
		return diag_sys(NULL, EX_OSERR, "open_memstream: %s",
				strerror(errno));
	stdout = mem;               /* glibc: stdout is assignable */
	int rc = dispatch(c, o, args);
	fflush(mem);
	stdout = real;
	if (ferror(mem) && !rc)
		rc = EX_OSERR;
	fclose(mem);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	char *last = strrchr(buf, '\n');
	if (last) {
		fprintf(stderr, "%.*s\n", (int)(last - buf), buf);
		last++;
	} else {
		last = buf;
	}
	char when[32];
	iso_now(when);
	if (rc == 0 && *last)
		printf("%s %s\n", when, last);
	else if (rc == 0)
		printf("%s svcbill %s: done\n", when, c->name);
	else
		printf("%s svcbill %s%s%s: failed, exit status %d (%s)%s%s\n",
		       when, c->name, o->data ? " --data " : "",
		       o->data ? o->data : "", rc, status_meaning(rc),
		       *last ? ": " : "", last);
	free(buf);
	return rc;
}

/* The one place the process ends: the fatal path (base/diag.h) comes
 * here too. */
static void fatal_exit(int status)
{
	exit(status);
}

/* Memory: the bench's 200-invoice month touches some 12 MB of heap, and
 * in this virtual machine each 4 KB page costs some 13 us the first time
 * it is touched (a page fault; 2,900 of them, 15 % of the run's CPU).
 *  - Freed memory stays with malloc for the next document instead of
 *    going back to the kernel to be faulted in again: no block is mapped
 *    apart (M_MMAP_MAX 0: they come from the heap and go back to it), and
 *    the heap's top is not trimmed below the reservation.
 *  - The heap is grown at once by up to 512 MB (a quarter of the
 *    machine's memory at most), marked for transparent huge pages
 *    (MADV_HUGEPAGE; the system's setting is "madvise"), then handed back
 *    to malloc, whose later blocks come from there: a 2 MB page a fault.
 *    The 200-invoice month: 2,900 faults down to 550-980, 14 % less CPU,
 *    peak RSS 21 -> 27 MB.  The reservation was 30 MB until month 120 of
 *    ten years of 1,000 contracts was measured: it touches some 100 MB,
 *    and its 24,000 faults of 4 KB beyond the first 30 MB were most of
 *    its dry run's CPU.
 *    Only address space is taken here: nothing is touched, pages come as
 *    they are used, and where the kernel has no huge page to give, or no
 *    THP at all, they are 4 KB as before.  Not where the system counts
 *    address space strictly (vm.overcommit_memory 2): there each forked
 *    worker would be charged the reservation again, and 30 MB it is. */
static int strict_overcommit(void)
{
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
	int mode = 0;
	if (f) {
		if (fscanf(f, "%d", &mode) != 1)
			mode = 0;
		fclose(f);
	}
	return mode == 2;
}

static void heap_setup(void)
{
#ifdef __SANITIZE_ADDRESS__
	/* the sanitizers' allocator is not glibc's (mallopt means nothing to
	 * it) and would write the shadow of the whole reservation */
	return;
#endif
	const size_t mb = (size_t)1 << 20, huge = 2 * mb, least = 30 * mb;
	size_t reserve = least;
	if (!strict_overcommit()) {
		long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
		size_t quarter = pages > 0 && size > 0 ?
				 (size_t)pages / 4 * (size_t)size : 0;
		reserve = quarter < 512 * mb ? quarter : 512 * mb;
		if (reserve < least)
			reserve = least;
	}
	/* the thresholds first: the reservation itself comes from the heap
	 * (glibc would map a block this large apart) and stays there */
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, (int)(reserve + 64 * mb));
	char *p = malloc(reserve);
	if (!p && reserve > least)
		p = malloc(reserve = least);
	if (!p)
		return;
	uintptr_t from = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
	uintptr_t to = ((uintptr_t)p + reserve) & ~(uintptr_t)(huge - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
	free(p);
}

int main(int argc, char **argv)
{
	heap_setup();
	diag_set_exit(fatal_exit);
	const char *a1 = argc >= 2 ? argv[1] : "";
	if (strcmp(a1, "--help") == 0 || strcmp(a1, "-h") == 0) {
		help(NULL);
		return 0;
	}
	if (strcmp(a1, "--version") == 0 || strcmp(a1, "-V") == 0) {
		printf("svcbill %s\n", VERSION);
		return 0;
	}
	if (argc < 2)
		return bad_usage(NULL, "a command is required%s", "");
	if (a1[0] == '-')
		return bad_usage(NULL, "unknown option '%s' (a command comes "
				 "first)", a1);
	const struct command *c = NULL;
	for (size_t i = 0; i < NCOMMANDS && !c; i++)
		if (strcmp(commands[i].name, a1) == 0)
			c = &commands[i];
	if (!c)
		return bad_usage(NULL, "unknown command '%s'", a1);

	struct options o = { .out = "out", .period = -1 };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = cpus > 0 ? (int)cpus : 1;
	struct parsed p = { 0 };
	int rc = parse(c, argc, argv, &o, &p);
	if (rc)
		return rc;
	if (p.help) {
		help(c);
		return 0;
	}
	if (p.version) {
		printf("svcbill %s\n", VERSION);
		return 0;
	}
	for (size_t i = 0; i < NOPTS; i++)
		if (in_list(c->required, opts[i].name) && !p.val[i])
			return bad_usage(c, "--%s is required", opts[i].name);
	if (p.nargs < c->nargs)
		return bad_usage(c, "%s is required", c->args);
	o.out_given = value(&p, "out") != NULL;
	const char *period = value(&p, "period");
	const char *issue = value(&p, "issue-date");
	if (o.seal && (strlen(o.seal) != 64 ||
		       strspn(o.seal, "0123456789abcdef") != 64))
		return bad_usage(c, "--seal takes the 64 lowercase hex digits "
				 "'run' printed, not '%s'", o.seal);
	if (period) {
		o.period = month_parse(period);
		if (o.period < 0)
			return bad_usage(c, "--period must be YYYY-MM, not "
					 "'%s'", period);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		o.period = (tm.tm_year + 1900) * 12 + tm.tm_mon;
	}
	if (issue) {
		if (parse_date(issue, &o.issue_date))
			return bad_usage(c, "--issue-date must be a date such "
					 "as 2026-12-01, not '%s'", issue);
		o.has_issue_date = 1;
	} else {
		o.issue_date = month_first_day(o.period);
	}
	rc = o.quiet ? run_logged(c, &o, p.args) : dispatch(c, &o, p.args);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_sys(NULL, 0, "stdout: %s", strerror(errno));
		return rc ? rc : EX_IOERR;
	}
	return rc;
}
