/* main.c - svcbill's command line (SPEC §1). */
#include "date.h"
#include "export_hledger.h"
#include "fields.h"
#include "run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define VERSION "1.0.0"

static void usage(FILE *f)
{
	fputs("usage: svcbill run    --data DIR [--period YYYY-MM] [--out DIR] "
	      "[--issue-date YYYY-MM-DD]\n"
	      "                      [--jobs N] [--reissue] [--dry-run] "
	      "[--font FILE] [--quiet] [--verbose]\n"
	      "       svcbill check  --data DIR [--out DIR]\n"
	      "       svcbill verify [--out DIR] [--seal HEX]\n"
	      "       svcbill export hledger [--out DIR] [--data DIR]\n"
	      "       svcbill --help | --version\n", f);
}

static void help(void)
{
	usage(stdout);
	fputs("\n"
	      "Bills maintenance contracts from CSV exports: bilingual PDF "
	      "invoices and an\nappend-only ledger in the archive (--out, "
	      "default ./out).\n\n"
	      "  run      bill the month --period (default: this month)\n"
	      "  check    check the data, print every problem, write nothing\n"
	      "  verify   check the archive's files against the register\n\n"
	      "  --issue-date  default: the first day of the period\n"
	      "  --jobs N      render with N processes (default: CPUs)\n"
	      "  --reissue     cancel and replace invoices whose content "
	      "changed\n"
	      "  --dry-run     compute and print the summary, write nothing\n"
	      "  --font FILE   a TrueType CJK font (default: WenQuanYi Micro "
	      "Hei)\n\n"
	      "Exit status: 0 ok, 64 usage, 65 data error, 66 input missing, "
	      "73 cannot create\noutput, 74 I/O error, 75 archive locked, 70 "
	      "internal error.\n", stdout);
}

static int bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "svcbill: %s%s%s%s\n", msg, arg ? " '" : "",
		arg ? arg : "", arg ? "'" : "");
	usage(stderr);
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "period", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "issue-date", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "reissue", no_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "font", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "seal", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		help();
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("svcbill %s\n", VERSION);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		return bad_usage("a command is required: run, check or verify",
				 NULL);
	const char *cmd = argv[1];
	if (strcmp(cmd, "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	if (strcmp(cmd, "run") && strcmp(cmd, "check") && strcmp(cmd, "verify"))
		return bad_usage("unknown command", cmd);

	struct options o = { .out = "out", .period = -1 };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = cpus > 0 ? (int)cpus : 1;
	const char *period = NULL, *issue = NULL;
	int c;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.data = optarg; break;
		case 'p': period = optarg; break;
		case 'o': o.out = optarg; o.out_given = 1; break;
		case 'i': issue = optarg; break;
		case 'j': {
			int64_t j;
			if (parse_int(optarg, &j) || j < 1 || j > 256)
				return bad_usage("--jobs takes a number from "
						 "1 to 256, not", optarg);
			o.jobs = (int)j;
			break;
		}
		case 'r': o.reissue = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'f': o.font = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'v': o.verbose = 1; break;
		case 'h': help(); return 0;
		case 'V': printf("svcbill %s\n", VERSION); return 0;
		case 'S': o.seal = optarg; break;
		default:
			return bad_usage("unknown or incomplete option",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument", argv[optind]);
	int is_run = strcmp(cmd, "run") == 0;
	if (!is_run && (period || issue || o.reissue || o.dry_run || o.font))
		return bad_usage("that option is only for 'svcbill run'", NULL);
	if (strcmp(cmd, "verify") != 0 && !o.data)
		return bad_usage("--data DIR is required", NULL);
	if (o.seal && strcmp(cmd, "verify") != 0)
		return bad_usage("--seal is only for 'svcbill verify'", NULL);
	if (o.seal && (strlen(o.seal) != 64 ||
		       strspn(o.seal, "0123456789abcdef") != 64))
		return bad_usage("--seal takes the 64 lowercase hex digits "
				 "'run' printed, not", o.seal);
	if (strcmp(cmd, "verify") == 0 && o.data)
		return bad_usage("verify takes no --data", NULL);
	if (period) {
		o.period = month_parse(period);
		if (o.period < 0)
			return bad_usage("--period must be YYYY-MM, not",
					 period);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		o.period = (tm.tm_year + 1900) * 12 + tm.tm_mon;
	}
	if (issue) {
		if (parse_date(issue, &o.issue_date))
			return bad_usage("--issue-date must be a date such as "
					 "2026-12-01, not", issue);
		o.has_issue_date = 1;
	} else {
		o.issue_date = month_first_day(o.period);
	}
	int rc = is_run ? cmd_run(&o) : strcmp(cmd, "check") == 0 ?
		 cmd_check(&o) : cmd_verify(&o);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("svcbill: stdout");
		return rc ? rc : EX_IOERR;
	}
	return rc;
}
