/* csvread.c - see csvread.h */
#include "read/csvread.h"
#include "base/buf.h"
#include "base/fsio.h"
#include "base/vec.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

/* libcsv's parser states (csv.c); the struct is public, the names are not. */
enum { ROW_NOT_BEGUN = 0, FIELD_MIGHT_HAVE_ENDED = 3 };

/* The bytes of one trimmed character at s (space, tab or the three bytes
 * E3 80 80 of U+3000), or 0.  Each test names the exact bytes it needs:
 * a space is never taken for the first byte of an ideographic space, so
 * "8 GB" keeps its " GB". */
static size_t blank_len(const char *s, size_t avail)
{
	if (avail >= 1 && (s[0] == ' ' || s[0] == '\t'))
		return 1;
	if (avail >= 3 && (unsigned char)s[0] == 0xE3 &&
	    (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

/* The most frequent delimiter of the line starting at s, outside quotes;
 * ties prefer comma, then tab. */
static char line_delim(const char *s, size_t n)
{
	int comma = 0, tab = 0, semi = 0, quoted = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\r' || c == '\n')
			break;
		else if (c == ',')
			comma++;
		else if (c == '\t')
			tab++;
		else if (c == ';')
			semi++;
	}
	if (semi > comma && semi > tab)
		return ';';
	if (tab > comma)
		return '\t';
	return ',';
}

/* Past the blanks at s[i]; a tab is the delimiter, not a blank, when
 * delim is a tab. */
static size_t skip_blanks(const char *s, size_t n, size_t i, char delim)
{
	size_t k;
	while ((k = blank_len(s + i, n - i)) != 0 && s[i] != delim)
		i += k;
	return i;
}

/* Whether the physical line at s, split with its own delimiter, is an
 * empty row (every field empty after trimming: a blank line, blanks only,
 * ",,,,", "\t\t\t", "\"\",\"\"").  A quote still open at the end of the
 * line makes it a record, not an empty row.  *next: the next line. */
static int empty_row_line(const char *s, size_t n, size_t *next)
{
	char delim = line_delim(s, n);
	size_t i = 0;
	int empty = 1;
	for (;;) {
		i = skip_blanks(s, n, i, delim);
		if (i < n && s[i] == '"') {
			/* a quoted field of blanks only: "" or "  " */
			i = skip_blanks(s, n, i + 1, 0);
			if (i >= n || s[i] != '"' ||
			    (i + 1 < n && s[i + 1] == '"')) {
				empty = 0;
				break;
			}
			i = skip_blanks(s, n, i + 1, delim);
		}
		if (i >= n || s[i] == '\r' || s[i] == '\n')
			break;
		if (s[i] != delim) {
			empty = 0;
			break;
		}
		i++;
	}
	while (i < n && s[i] != '\r' && s[i] != '\n')
		i++;
	if (i < n)
		i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
	*next = i;
	return empty;
}

/* Where the header starts: past the empty rows before it (each split with
 * its own delimiter, rules.md §2.1).  *line: its physical line. */
static size_t header_start(const char *s, size_t n, long *line)
{
	size_t i = 0, next;
	*line = 1;
	while (i < n && empty_row_line(s + i, n - i, &next)) {
		/* a line ends at CRLF, LF or a lone CR: one line each */
		i += next;
		++*line;
	}
	return i;
}

char csv_detect_delim(const char *s, size_t n)
{
	long line;
	size_t i = header_start(s, n, &line);
	return line_delim(s + i, n - i);
}

/* The trimmed part of s[0..*n): its start, and *n its length. */
static const char *trim_range(const char *s, size_t *n)
{
	size_t len = *n, k;
	while ((k = blank_len(s, len)) != 0) {
		s += k;
		len -= k;
	}
	for (;;) {
		if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		else if (len >= 3 && blank_len(s + len - 3, 3) == 3)
			len -= 3;
		else
			break;
	}
	*n = len;
	return s;
}

char *csv_trim(char *s)
{
	size_t n = strlen(s);
	char *t = (char *)trim_range(s, &n);
	t[n] = '\0';
	return t;
}

struct reader {
	size_t chunk;               /* tests: feed libcsv at most this much */
	struct arena *a;
	/* csv_read_file_each: each data row to each(), its fields in
	 * scratch (freed every SCRATCH_ROWS rows), and the text read so far
	 * let go every LET_GO_BYTES (let_go, its offset) */
	csv_each_fn *each;
	void *ctx;
	struct arena scratch;
	size_t in_scratch;
	void (*let_go)(struct reader *r, size_t upto);
	struct file_text *raw;
	const char *text;
	size_t text_len, text_off;
	struct diag *d;
	struct csv_table *t;
	char **fields;              /* fields of the record being read */
	int nfields;
	size_t capfields;
	long start_line;
	int bad;                    /* current record already reported */
	int header_dropped;         /* the header line was malformed */
	struct csv_row *rows;
	size_t nrows, caprows;
	int errors;
};

/* The header's name of field i of a data row (as the file writes it, as
 * every other message names a column), or NULL: in the header itself, a
 * field beyond the header's, a header field left empty, or when the
 * header line was dropped as malformed (the row taken for it instead
 * names no column). */
static const char *column_name(const struct reader *r, int i)
{
	const struct csv_row *h = &r->t->header;
	return r->t->has_header && !r->header_dropped && i < h->nfields &&
	       h->fields[i][0] ? h->fields[i] : NULL;
}

/* A bad record, reported once on its first line (rules.md §2.1); column
 * and value as diag_error takes them. */
static void record_error(struct reader *r, const char *column,
			 const char *value, const char *msg)
{
	if (r->bad)
		return;
	if (!r->t->has_header)
		r->header_dropped = 1;
	diag_error(r->d, r->t->file, r->start_line, column, value, "%s", msg);
	r->errors++;
	r->bad = 1;
}

/* The bad quoted field being read (the record's field r->nfields),
 * reported with its text as the file wrote it so far: its opening quote,
 * its text with every quote doubled again, then tail (its closing quote
 * and what follows, blanks at the end left out; or nothing).  Once the
 * closing quote is read, libcsv holds it as the text's last byte (it may
 * yet be the first of a doubled quote): closed leaves it out.  A message
 * shows at most 80 bytes of a value (diag.c): an open quote may have
 * taken the rest of a big file, which is not copied whole. */
#define VALUE_COPIED_MAX 1024
static void quoted_error(struct reader *r, const struct csv_parser *p,
			 int closed, const char *tail, size_t ntail,
			 const char *msg)
{
	if (r->bad)
		return;
	struct buf b;
	buf_init(&b);
	buf_addc(&b, '"');
	const char *e = (const char *)p->entry_buf;
	size_t n = p->entry_pos - (closed && p->entry_pos ? 1 : 0);
	for (size_t i = 0; e && i < n && b.len < VALUE_COPIED_MAX; i++) {
		if (e[i] == '"')
			buf_addc(&b, '"');
		buf_addc(&b, e[i]);
	}
	tail = trim_range(tail, &ntail);
	if (b.len < VALUE_COPIED_MAX)
		buf_add(&b, tail, ntail < VALUE_COPIED_MAX - b.len ? ntail :
			VALUE_COPIED_MAX - b.len);
	record_error(r, column_name(r, r->nfields), b.data, msg);
	buf_free(&b);
}

/* Where a record's fields go: the run's arena, or for a data row given
 * to each(), the scratch arena (the header is the first record) */
static struct arena *record_arena(struct reader *r)
{
	return r->each && r->t->has_header ? &r->scratch : r->a;
}

#define SCRATCH_ROWS 4096
#define LET_GO_BYTES ((size_t)1 << 20)

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	if (len > CSV_MAX_FIELD_BYTES) {
		record_error(r, column_name(r, r->nfields), NULL,
			     "a field is longer than 1 MiB (the limit)");
		len = 0;
	}
	if (r->nfields >= CSV_MAX_FIELDS) {
		record_error(r, NULL, NULL,
			     "a row has more than 1000 fields (the limit)");
		return;
	}
	VEC_GROW(r->fields, (size_t)r->nfields + 1, r->capfields);
	/* trimmed before it is copied: one pass, no strlen */
	const char *v = data ? trim_range(data, &len) : "";
	r->fields[r->nfields++] = arena_strndup(record_arena(r), v,
						data ? len : 0);
}

static void on_record(int term, void *ctx)
{
	(void)term;
	struct reader *r = ctx;
	struct csv_table *t = r->t;
	int n = r->nfields;
	r->nfields = 0;
	if (r->bad) {
		r->bad = 0;
		return;
	}
	int all_empty = 1;
	for (int i = 0; i < n; i++)
		if (r->fields[i][0])
			all_empty = 0;
	if (all_empty)
		return;                 /* blank or ",,,," row: skipped */
	struct csv_row row = { r->start_line, n, NULL };
	row.fields = arena_alloc(record_arena(r), sizeof(char *) * (size_t)n);
	memcpy(row.fields, r->fields, sizeof(char *) * (size_t)n);
	if (!t->has_header) {
		t->has_header = 1;
		t->header = row;
		return;
	}
	if (n != t->header.nfields) {
		diag_error(r->d, t->file, row.line, NULL, NULL,
			   "row has %d fields, the header has %d", n,
			   t->header.nfields);
		r->errors++;
		return;
	}
	if (r->each) {
		r->each(r->ctx, t, &row);
		t->nrows++;
		if (++r->in_scratch == SCRATCH_ROWS) {
			arena_free(&r->scratch);
			r->in_scratch = 0;
		}
		return;
	}
	VEC_GROW(r->rows, r->nrows + 1, r->caprows);
	r->rows[r->nrows++] = row;
}

static int space_func(unsigned char c)
{
	return c == ' ';
}

/* libcsv, at most r->chunk bytes at a time when a test asks for it. */
static void feed(struct csv_parser *p, struct reader *r, const char *s,
		 size_t n)
{
	size_t step = r->chunk ? r->chunk : n;
	for (size_t i = 0; i < n; i += step)
		csv_parse(p, s + i, n - i < step ? n - i : step, on_field,
			  on_record, r);
}

/* Feed one physical line to libcsv in pieces that end at quote characters,
 * so that after a closing quote the parser state can be checked: text after
 * a closing quote ("abc"def) is an error, which libcsv accepts silently
 * unless in strict mode, and strict mode would also reject a quote inside
 * an unquoted field, which Excel writes and we keep. */
static void feed_line(struct csv_parser *p, struct reader *r, const char *s,
		      size_t n)
{
	/* A record on one line without a quote (most rows of most files):
	 * split here as libcsv splits it, with the same calls (each field
	 * without the spaces libcsv drops around an unquoted one, then the
	 * record), not fed byte by byte through its parser (which was most
	 * of reading the data).  Not when a test feeds libcsv in pieces. */
	if (p->pstate == ROW_NOT_BEGUN && !r->chunk && !memchr(s, '"', n)) {
		size_t end = n;
		while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r'))
			end--;
		size_t from = 0;
		for (;;) {
			const char *dl = memchr(s + from, r->t->delim,
						end - from);
			size_t to = dl ? (size_t)(dl - s) : end, next = to + 1;
			while (from < to && space_func((unsigned char)s[from]))
				from++;
			while (to > from && space_func((unsigned char)s[to - 1]))
				to--;
			on_field((void *)(s + from), to - from, r);
			if (!dl)
				break;
			from = next;
		}
		on_record(end < n ? (unsigned char)s[end] : -1, r);
		return;
	}
	size_t i = 0;
	while (i < n) {
		const char *q = memchr(s + i, '"', n - i);
		size_t end = q ? (size_t)(q - s) + 1 : n;
		feed(p, r, s + i, end - i);
		i = end;
		if (!q || p->pstate != FIELD_MIGHT_HAVE_ENDED || !p->quoted)
			continue;
		if (i < n && s[i] == '"')
			continue;           /* a doubled quote */
		/* after a closing quote only blanks (trimmed: not fed to
		 * libcsv, whose space test is one byte wide); a tab is the
		 * delimiter in a tab-separated file, not a blank */
		size_t k = skip_blanks(s, n, i, r->t->delim);
		if (k == n || s[k] == r->t->delim || s[k] == '\r' ||
		    s[k] == '\n') {
			i = k;
			continue;
		}
		/* the record's first line (rules.md §2.1), not this one; the
		 * field as written, to the delimiter or the line's end */
		size_t to = k;
		while (to < n && s[to] != r->t->delim && s[to] != '\r' &&
		       s[to] != '\n')
			to++;
		quoted_error(r, p, 1, s + i - 1, to - (i - 1),
			     "text after a closing quote (a quote inside a "
			     "quoted field must be doubled)");
		/* libcsv would reopen the quoted field and swallow the rest
		 * of the file: end the record here (it is dropped) and skip
		 * the rest of the line */
		csv_fini(p, on_field, on_record, r);
		return;
	}
}

int csv_parse_text(const char *text, size_t len, const char *file,
		   struct arena *a, struct diag *d, struct csv_table *t)
{
	return csv_parse_text_chunked(text, len, 0, file, a, d, t);
}

/* The records of text[0..len) into r (r->t, its file named, else
 * cleared) */
static void parse(struct reader *r0, const char *text, size_t len)
{
	struct reader r = *r0;
	struct csv_table *t = r.t;
	t->delim = csv_detect_delim(text, len);
	size_t let_go_at = LET_GO_BYTES;
	struct csv_parser p;
	if (csv_init(&p, 0) != 0)
		die_out_of_memory();
	csv_set_delim(&p, (unsigned char)t->delim);
	csv_set_space_func(&p, space_func);
	long line;
	size_t i = header_start(text, len, &line);
	while (i < len) {
		/* the line's end: memchr for LF, then for a CR before it */
		const char *lf = memchr(text + i, '\n', len - i);
		size_t j = lf ? (size_t)(lf - text) : len;
		const char *cr = memchr(text + i, '\r', j - i);
		if (cr)
			j = (size_t)(cr - text);
		if (j < len)
			j += (text[j] == '\r' && j + 1 < len &&
			      text[j + 1] == '\n') ? 2 : 1;
		if (p.pstate == ROW_NOT_BEGUN) {
			if (text[i] == '\n' || text[i] == '\r') {
				i = j;          /* blank line between records */
				line++;
				continue;
			}
			r.start_line = line;
		}
		feed_line(&p, &r, text + i, j - i);
		i = j;
		line++;
		if (r.let_go && i >= let_go_at) {
			r.let_go(&r, i);
			let_go_at = i + LET_GO_BYTES;
		}
	}
	if (p.pstate != ROW_NOT_BEGUN && p.quoted &&
	    p.pstate != FIELD_MIGHT_HAVE_ENDED) {
		quoted_error(&r, &p, 0, "", 0,
			     "a quoted field is not closed before the end of "
			     "the file");
	}
	csv_fini(&p, on_field, on_record, &r);
	csv_free(&p);
	free(r.fields);
	arena_free(&r.scratch);
	if (r.nrows) {
		t->rows = arena_alloc(r.a, sizeof *t->rows * r.nrows);
		memcpy(t->rows, r.rows, sizeof *t->rows * r.nrows);
		t->nrows = r.nrows;
	}
	free(r.rows);
	r0->errors = r.errors;
}

int csv_parse_text_chunked(const char *text, size_t len, size_t chunk,
			   const char *file, struct arena *a, struct diag *d,
			   struct csv_table *t)
{
	memset(t, 0, sizeof *t);
	t->file = file;
	struct reader r = { .chunk = chunk, .a = a, .d = d, .t = t };
	parse(&r, text, len);
	return r.errors;
}

/* csv_read_file's return for a file not read (errno from the read):
 * said, and 1 (optional and absent), 0 (too big: a data error) or -1 */
static int not_read(const char *display, int optional, struct diag *d)
{
	if (optional && errno == ENOENT)
		return 1;
	if (errno == EFBIG) {
		diag_error(d, display, 1, NULL, NULL, "the file is "
			   "larger than 512 MiB (the limit)");
		return 0;
	}
	diag_missing(d, display, errno == ENOENT ?
		     "cannot open: no such file" : errno == EISDIR ?
		     "a folder, not a file" : errno == ENOTREG ?
		     "not a regular file (a named pipe, device or "
		     "socket); only files are read" : strerror(errno));
	return -1;
}

/* A file's bytes that text_decode refused, said */
static void not_decoded(const char *display, const struct decoded *dec,
			struct diag *d)
{
	if (dec->why_names_it)
		diag_error(d, display, dec->bad_line, NULL, NULL, "%s",
			   dec->why);
	else
		diag_error(d, display, dec->bad_line, NULL, NULL,
			   "%s (read as %s)", dec->why,
			   text_encoding_name(dec->enc));
}

/* A file read and parsed: its text let go, and said when it had no
 * header; csv_read_file's 0 */
static int read_done(struct csv_table *t, struct decoded *dec,
		     struct file_text *raw, const char *display,
		     struct diag *d)
{
	t->enc = dec->enc;
	if (!dec->borrowed)
		free(dec->text);
	file_text_release(raw);
	if (!t->has_header)
		diag_error(d, display, 1, NULL, NULL,
			   "the file is empty (no header line)");
	return 0;
}

int csv_read_file(const char *path, const char *display, int optional,
		  struct arena *a, struct diag *d, struct csv_table *t)
{
	memset(t, 0, sizeof *t);
	t->file = display;
	struct file_text raw;
	if (file_text_read(path, 0, CSV_MAX_FILE_BYTES, EX_NOINPUT, &raw) != 0)
		return not_read(display, optional, d);
	struct decoded dec;
	int rc = text_decode((const unsigned char *)raw.data, raw.len, &dec);
	if (rc != 0) {
		file_text_release(&raw);
		not_decoded(display, &dec, d);
		return 0;
	}
	csv_parse_text(dec.text, dec.len, display, a, d, t);
	return read_done(t, &dec, &raw, display, d);
}

/* text_decode of raw, UTF-8 checked a piece at a time with the pieces
 * behind let go: what text_decode gives for a file that is UTF-8 (with
 * or without its byte order mark: the text is then raw's own bytes),
 * and text_decode's own answer for any other */
static int decode_once(struct file_text *raw, struct decoded *dec)
{
	const unsigned char *in = (const unsigned char *)raw->data;
	size_t n = raw->len, at = 0;
	if (n >= 2 && ((in[0] == 0xFF && in[1] == 0xFE) ||
		       (in[0] == 0xFE && in[1] == 0xFF)))
		return text_decode(in, n, dec);
	if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
		at = 3;
	size_t from = at;
	while (at < n) {
		size_t step = n - at < LET_GO_BYTES ? n - at : LET_GO_BYTES;
		/* a piece may end inside a character: the next begins at
		 * it; a character is 4 bytes at most, so a piece of valid
		 * text gives at least one */
		size_t ok = utf8_valid_prefix(in + at, step);
		if (ok == 0)
			return text_decode(in, n, dec);    /* says why */
		at += ok;
		file_text_let_go(raw, at, LET_GO_BYTES);
	}
	/* (no NUL byte in valid UTF-8: not UTF-16 that lost its mark) */
	memset(dec, 0, sizeof *dec);
	dec->enc = from ? ENC_UTF8_BOM : ENC_UTF8;
	dec->text = (char *)in + from;
	dec->len = n - from;
	dec->borrowed = 1;
	return 0;
}

static void let_go_raw(struct reader *r, size_t upto)
{
	file_text_let_go(r->raw, r->text_off + upto, LET_GO_BYTES);
}

static void let_go_decoded(struct reader *r, size_t upto)
{
	let_go_pages(r->text, r->text_len, upto, 0);
}

int csv_read_file_each(const char *path, const char *display, int optional,
		       struct arena *a, struct diag *d, struct csv_table *t,
		       csv_each_fn *each, void *ctx)
{
	memset(t, 0, sizeof *t);
	t->file = display;
	struct file_text raw;
	if (file_text_read_once(path, CSV_MAX_FILE_BYTES, EX_NOINPUT,
				&raw) != 0)
		return not_read(display, optional, d);
	struct decoded dec;
	if (decode_once(&raw, &dec) != 0) {
		file_text_release(&raw);
		not_decoded(display, &dec, d);
		return 0;
	}
	struct reader r = { .a = a, .d = d, .t = t, .each = each,
			    .ctx = ctx, .raw = &raw, .text = dec.text,
			    .text_len = dec.len };
	if (dec.borrowed) {
		r.let_go = let_go_raw;
		r.text_off = (size_t)(dec.text - raw.data);
		file_text_let_go(&raw, r.text_off, LET_GO_BYTES);
	} else {
		/* a copy in UTF-8: the file's bytes are done with */
		file_text_release(&raw);
		r.let_go = let_go_decoded;
	}
	parse(&r, dec.text, dec.len);
	return read_done(t, &dec, &raw, display, d);
}
