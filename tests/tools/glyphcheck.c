/* glyphcheck ORIGINAL TEXT FONT CIDTOGID TOUNICODE [FONT CIDTOGID TOUNICODE]...
 *
 * Checks that a PDF draws every character of its text with the right
 * glyph, in each of its fonts.  ORIGINAL is the font the PDF's fonts were
 * made from, TEXT what pdftotext extracted; then, per font of the PDF, its
 * embedded font program, its decoded CIDToGIDMap stream ("-" for
 * Identity) and its decoded ToUnicode CMap.  For each non-space character
 * of the text: the fonts whose ToUnicode map has it (at least one), and in
 * each of them its code, its glyph (through the CIDToGIDMap), which must
 * have an outline (composites are followed into their components) with the
 * same extents and advance as the character's glyph in the original font.
 * (A map with no bfchar or bfrange entries takes each character as its
 * own code.)  Prints each failure and the characters checked per font;
 * exit 1 if any failed. */
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void count_point(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st,
			float x, float y, void *u)
{
	(void)f; (void)st; (void)x; (void)y; (void)u;
	++*(unsigned *)data;
}

static void count_quad(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st,
		       float a, float b, float c, float d, void *u)
{
	(void)a; (void)b; (void)c; (void)d;
	count_point(f, data, st, 0, 0, u);
}

static void count_cubic(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st,
			float a, float b, float c, float d, float e, float g,
			void *u)
{
	(void)e; (void)g;
	count_quad(f, data, st, a, b, c, d, u);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *b = malloc(cap + 1);
	size_t k;
	while ((k = fread(b + len, 1, cap - len, f)) > 0) {
		len += k;
		if (len == cap)
			b = realloc(b, (cap *= 2) + 1);
	}
	fclose(f);
	b[len] = '\0';
	*n = len;
	return b;
}

static hb_font_t *open_font(const char *path)
{
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	if (!blob) {
		fprintf(stderr, "glyphcheck: cannot read %s\n", path);
		exit(2);
	}
	return hb_font_create(hb_face_create(blob, 0));
}

struct pdffont {
	hb_font_t *font;
	unsigned char *map;             /* CIDToGIDMap, NULL: Identity */
	size_t maplen;
	unsigned *code_of;              /* [65536]: character -> code, 0 */
	int entries;
	unsigned checked, bad;
};

static void read_tounicode(struct pdffont *f, char *cmap)
{
	f->code_of = calloc(65536, sizeof *f->code_of);
	/* character -> code, from the bfchar entries */
	for (char *p = strstr(cmap, "beginbfchar"); p;
	     p = strstr(p, "beginbfchar")) {
		char *end = strstr(p, "endbfchar");
		p += strlen("beginbfchar");
		unsigned code, ch;
		while (p && (!end || p < end) &&
		       sscanf(p, " <%x> <%x>", &code, &ch) == 2) {
			if (ch < 65536 && !f->code_of[ch])
				f->code_of[ch] = code;
			f->entries++;
			p = strchr(p, '\n');
			if (p)
				p++;
		}
	}
	/* and from the bfrange entries: <lo> <hi> <first character> */
	for (char *p = strstr(cmap, "beginbfrange"); p;
	     p = strstr(p, "beginbfrange")) {
		char *end = strstr(p, "endbfrange");
		p += strlen("beginbfrange");
		unsigned lo, hi, ch;
		while (p && (!end || p < end) &&
		       sscanf(p, " <%x> <%x> <%x>", &lo, &hi, &ch) == 3) {
			for (unsigned c = lo; c <= hi && c - lo + ch < 65536;
			     c++)
				if (!f->code_of[c - lo + ch])
					f->code_of[c - lo + ch] = c;
			f->entries++;
			p = strchr(p, '\n');
			if (p)
				p++;
		}
	}
}

/* 0 when cp's glyph in f is right; prints the fault otherwise */
static int check_char(struct pdffont *f, int k, hb_font_t *orig,
		      hb_draw_funcs_t *df, unsigned cp)
{
	unsigned code = f->entries ? f->code_of[cp] : cp;
	unsigned gid = code;
	if (f->map) {
		if (2 * (size_t)code + 1 >= f->maplen) {
			printf("U+%04X: font %d: code %04X beyond the "
			       "CIDToGIDMap (%zu entries)\n", cp, k, code,
			       f->maplen / 2);
			return 1;
		}
		gid = (unsigned)f->map[2 * code] << 8 | f->map[2 * code + 1];
	}
	unsigned points = 0;
	if (gid)
		hb_font_get_glyph_shape(f->font, gid, df, &points);
	if (points == 0) {
		printf("U+%04X: font %d: blank (glyph %u)\n", cp, k, gid);
		return 1;
	}
	hb_codepoint_t ogid;
	hb_glyph_extents_t a, b;
	if (!hb_font_get_nominal_glyph(orig, cp, &ogid) ||
	    !hb_font_get_glyph_extents(f->font, gid, &a) ||
	    !hb_font_get_glyph_extents(orig, ogid, &b) ||
	    memcmp(&a, &b, sizeof a) != 0 ||
	    hb_font_get_glyph_h_advance(f->font, gid) !=
	    hb_font_get_glyph_h_advance(orig, ogid)) {
		printf("U+%04X: font %d: drawn with another glyph (%u)\n", cp,
		       k, gid);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6 || (argc - 3) % 3 != 0) {
		fprintf(stderr, "usage: glyphcheck ORIGINAL TEXT FONT CIDTOGID "
			"TOUNICODE [FONT CIDTOGID TOUNICODE]...\n");
		return 2;
	}
	hb_font_t *orig = open_font(argv[1]);
	size_t textlen;
	char *text = slurp(argv[2], &textlen);
	int nf = (argc - 3) / 3;
	struct pdffont *fs = calloc((size_t)nf, sizeof *fs);
	for (int k = 0; k < nf; k++) {
		char **a = argv + 3 + 3 * k;
		size_t culen;
		fs[k].font = open_font(a[0]);
		if (strcmp(a[1], "-")) {
			fs[k].map = (unsigned char *)slurp(a[1], &fs[k].maplen);
			if (!fs[k].map) {
				fprintf(stderr, "glyphcheck: cannot read %s\n",
					a[1]);
				return 2;
			}
		}
		char *cmap = slurp(a[2], &culen);
		if (!cmap) {
			fprintf(stderr, "glyphcheck: cannot read %s\n", a[2]);
			return 2;
		}
		read_tounicode(&fs[k], cmap);
		free(cmap);
	}
	if (!text) {
		fprintf(stderr, "glyphcheck: cannot read %s\n", argv[2]);
		return 2;
	}
	hb_draw_funcs_t *df = hb_draw_funcs_create();
	hb_draw_funcs_set_move_to_func(df, count_point, NULL, NULL);
	hb_draw_funcs_set_line_to_func(df, count_point, NULL, NULL);
	hb_draw_funcs_set_quadratic_to_func(df, count_quad, NULL, NULL);
	hb_draw_funcs_set_cubic_to_func(df, count_cubic, NULL, NULL);
	hb_buffer_t *buf = hb_buffer_create();
	hb_buffer_add_utf8(buf, text, (int)textlen, 0, (int)textlen);
	unsigned len, bad = 0, checked = 0;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &len);
	for (unsigned i = 0; i < len; i++) {
		unsigned cp = info[i].codepoint;
		if (cp <= 0x20 || cp == 0x3000 || cp == 0xA0 || cp > 0xFFFF)
			continue;
		checked++;
		int found = 0, wrong = 0;
		for (int k = 0; k < nf; k++) {
			if (fs[k].entries && !fs[k].code_of[cp])
				continue;
			found = 1;
			fs[k].checked++;
			if (check_char(&fs[k], k + 1, orig, df, cp)) {
				fs[k].bad++;
				wrong = 1;
			}
		}
		if (!found)
			printf("U+%04X: no code in any ToUnicode map\n", cp);
		if (!found || wrong)
			bad++;
	}
	for (int k = 0; k < nf; k++)
		printf("font %d: %u characters checked, %u wrong\n", k + 1,
		       fs[k].checked, fs[k].bad);
	printf("%u characters checked, %u wrong\n", checked, bad);
	return bad ? 1 : 0;
}
