/* init.c - see init.h.  The headers are SPEC §2.4's Chinese aliases (the
 * English name where a column has none), every column in SPEC order, so
 * an accountant sees every column svcbill reads.  tests/e2e/test_cli.sh
 * checks that `svcbill check` reads each of them without a warning. */
#include "init.h"
#include "fsio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

const struct template_file init_templates[] = {
	{ "issuer.csv", "公司名称,英文名称,地址,邮编,电话,传真,纳税人识别号,"
	  "开户行,账号,发票前缀" },
	{ "clients.csv", "客户编号,客户名称,英文名称,地址,邮编,电话,传真,"
	  "联系人,纳税人识别号" },
	{ "contracts.csv", "合同编号,客户编号,合同类型,起始日期,终止日期,"
	  "结算周期,月费,年费率,零件计价比例,工时费,服务税率,货物税率,"
	  "付款天数,日违约金率,响应时限,紧急响应时限,每日违约金,服务日,"
	  "服务时段,保养周期,币种" },
	{ "rates.csv", "合同编号,设备类别,月费" },
	{ "devices.csv", "产品编号,合同编号,设备类别,型号,序列号,装置日期,"
	  "原购买价,加入日期,退出日期,地址,联系人,叫修电话,cpu,内存,硬盘,"
	  "主板,显示器,备注" },
	{ "service_records.csv", "单号,产品编号,类型,叫修时间,到场时间,"
	  "修复时间,故障摘要,原因,维修级别,维修人员,甲方签认,工时,原厂报价,"
	  "运费,关税" },
	{ "parts.csv", "零件编号,名称,英文名称,定价" },
	{ "parts_used.csv", "单号,零件编号,数量,定价" },
	{ "charges.csv", "合同编号,日期,项目,英文项目,数量,单价,类别" },
	{ "payments.csv", "发票号,付款日期,金额" },
	{ "holidays.csv", "日期,类型,名称" },
	{ "fapiao_items.csv", "项目类别,税收分类编码,项目名称,单位" },
	{ NULL, NULL },
};

static char *path_of(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p) {
		fputs("svcbill: out of memory\n", stderr);
		exit(EX_OSERR);
	}
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
			fprintf(stderr, "svcbill: %s exists; not overwritten\n", p);
			existing++;
		}
		free(p);
	}
	if (existing) {
		fprintf(stderr, "svcbill: nothing written (move %s away first)\n",
			existing == 1 ? "that file" : "those files");
		return EX_CANTCREAT;
	}
	if (mkdir_p(dir) != 0) {
		fprintf(stderr, "svcbill: cannot create %s: %s\n", dir,
			strerror(errno));
		return errno == ENOSPC || errno == EROFS || errno == EIO ?
		       EX_IOERR : EX_CANTCREAT;
	}
	for (const struct template_file *t = init_templates; t->name; t++) {
		char *p = path_of(dir, t->name);
		if (write_new(p, t->header) != 0) {
			int err = errno;
			fprintf(stderr, "svcbill: cannot write %s: %s\n", p,
				strerror(err));
			free(p);
			return err == EEXIST || err == EACCES || err == ENOENT ?
			       EX_CANTCREAT : EX_IOERR;
		}
		free(p);
	}
	if (fsync_dir(dir) != 0) {
		fprintf(stderr, "svcbill: cannot sync %s: %s\n", dir,
			strerror(errno));
		return EX_IOERR;
	}
	printf("%s: %d templates written; fill in issuer.csv, clients.csv, "
	       "contracts.csv and the others that apply, then run "
	       "'svcbill check --data %s'\n", dir,
	       (int)(sizeof init_templates / sizeof *init_templates) - 1, dir);
	return 0;
}
