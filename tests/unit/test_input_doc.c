/* test_input_doc.c - docs/input-files.md against the reader's column
 * tables (read/tables.c), so the input reference cannot drift: every
 * input file has a "## <file>" section whose table lists the file's
 * columns in the table's order, each with its Chinese header and "req"
 * exactly when the column is required.
 *
 * The doc's rows are "| column | 中文 | type | notes |"; a row may group
 * several optional text columns in its first cell ("cpu, memory 内存,
 * ..."), each written "english [中文]".  Run from the repository root
 * (tests/run.sh does). */
#include "harness.h"

#include "read/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC "docs/input-files.md"

struct doc_col {
	char en[64], zh[64];
	int req;
};

/* The cells of a table row "| a | b | c |" (trimmed), at most 8. */
static int cells(char *line, char *cell[8])
{
	int n = 0;
	char *p = line;
	if (*p != '|')
		return 0;
	p++;
	while (*p && n < 8) {
		char *end = strchr(p, '|');
		if (!end)
			break;
		*end = '\0';
		while (*p == ' ')
			p++;
		char *q = end;
		while (q > p && q[-1] == ' ')
			*--q = '\0';
		cell[n++] = p;
		p = end + 1;
	}
	return n;
}

/* Has the type cell the word "req"? */
static int says_req(const char *type)
{
	for (const char *p = type; (p = strstr(p, "req")) != NULL; p += 3)
		if ((p == type || p[-1] == ' ' || p[-1] == ',') &&
		    (p[3] == '\0' || p[3] == ',' || p[3] == ' '))
			return 1;
	return 0;
}

/* The columns the doc lists for `file`, in order; -1 when it has no
 * section for it. */
static int doc_columns(const char *text, const char *file,
		       struct doc_col *out, int max)
{
	char head[128];
	snprintf(head, sizeof head, "\n## %s", file);
	const char *s = strstr(text, head);
	if (!s)
		return -1;
	const char *p = strchr(s + 1, '\n');
	int n = 0, in_table = 0;
	while (p && *++p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len >= 3 && p[0] == '#' && p[1] == '#' && p[2] == ' ')
			break;                          /* the next section */
		char line[1024];
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = eol;
		char *c[8];
		int nc = cells(line, c);
		if (nc < 3) {
			if (in_table)
				break;                  /* one table a section */
			continue;
		}
		if (!in_table) {                        /* the header row */
			in_table = 1;
			continue;
		}
		if (c[0][0] == '-')                     /* |---|---| */
			continue;
		int req = says_req(c[2]);
		if (!strchr(c[0], ',')) {
			if (n < max) {
				snprintf(out[n].en, sizeof out[n].en, "%s", c[0]);
				snprintf(out[n].zh, sizeof out[n].zh, "%s", c[1]);
				out[n].req = req;
			}
			n++;
			continue;
		}
		/* "cpu, memory 内存, disk 硬盘": english [中文], comma-separated */
		for (char *item = strtok(c[0], ","); item;
		     item = strtok(NULL, ",")) {
			while (*item == ' ')
				item++;
			char *sp = strchr(item, ' ');
			if (n < max) {
				if (sp)
					*sp = '\0';
				snprintf(out[n].en, sizeof out[n].en, "%s", item);
				snprintf(out[n].zh, sizeof out[n].zh, "%s",
					 sp ? sp + 1 : "");
				out[n].req = req;
			}
			n++;
		}
	}
	return n;
}

static char *read_doc(void)
{
	FILE *f = fopen(DOC, "rb");
	if (!f)
		return NULL;
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	return n < sizeof text - 1 ? text : NULL;
}

TEST(input_doc_matches_the_column_tables)
{
	char *text = read_doc();
	if (!text) {
		FAIL("cannot read %s (run from the repository root)", DOC);
		return;
	}
	for (int f = 0; f < IN_COUNT; f++) {
		const struct table *t = &input_tables[f];
		struct doc_col dc[SCHEMA_MAX_COLS];
		int n = doc_columns(text, t->file, dc, SCHEMA_MAX_COLS);
		if (n < 0) {
			FAIL("%s: no section '## %s'", DOC, t->file);
			continue;
		}
		if (n != t->ncols)
			FAIL("%s, %s: %d columns, the reader has %d", DOC,
			     t->file, n, t->ncols);
		for (int i = 0; i < n && i < t->ncols; i++) {
			const struct colspec *c = &t->cols[i];
			const char *zh = c->zh ? c->zh : "";
			if (strcmp(dc[i].en, c->en) != 0 ||
			    strcmp(dc[i].zh, zh) != 0 ||
			    dc[i].req != c->required)
				FAIL("%s, %s, column %d: the doc says %s %s%s, "
				     "the reader %s %s%s", DOC, t->file, i + 1,
				     dc[i].en, dc[i].zh, dc[i].req ? " req" : "",
				     c->en, zh, c->required ? " req" : "");
		}
	}
}

/* The parser itself, on a made-up section: a grouped row, req only as a
 * word of the type cell, the next section ending the table. */
TEST(input_doc_parser)
{
	static const char text[] =
		"# x\n\n## a.csv (optional)\n\nintro | not a table\n\n"
		"| column | 中文 | type | notes |\n|---|---|---|---|\n"
		"| id | 编号 | id, req | |\n"
		"| kind | 类型 | [service] | required on goods |\n"
		"| cpu, memory 内存 | | text | |\n\n"
		"## b.csv\n\n| column | 中文 | type |\n|---|---|---|\n"
		"| b | 乙 | req |\n";
	struct doc_col dc[8];
	CHECK_INT(doc_columns(text, "a.csv", dc, 8), 4);
	CHECK_STR(dc[0].en, "id");
	CHECK_STR(dc[0].zh, "编号");
	CHECK_INT(dc[0].req, 1);
	CHECK_INT(dc[1].req, 0);                    /* "required" in notes */
	CHECK_STR(dc[2].en, "cpu");
	CHECK_STR(dc[2].zh, "");
	CHECK_STR(dc[3].en, "memory");
	CHECK_STR(dc[3].zh, "内存");
	CHECK_INT(doc_columns(text, "b.csv", dc, 8), 1);
	CHECK_INT(dc[0].req, 1);
	CHECK_INT(doc_columns(text, "c.csv", dc, 8), -1);
}
