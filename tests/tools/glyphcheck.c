/* glyphcheck FONT CIDTOGID TOUNICODE TEXT ORIGINAL
 *
 * Checks that a PDF draws every character of its text with the right
 * glyph.  FONT is the embedded font program, CIDTOGID the decoded
 * CIDToGIDMap stream ("-" for Identity), TOUNICODE the decoded ToUnicode
 * CMap, TEXT what pdftotext extracted, ORIGINAL the font it came from.
 * For each non-space character: its code (from the ToUnicode map, or the
 * character itself when the map has no bfchar or bfrange entries), its
 * glyph (through
 * the CIDToGIDMap), and that glyph must have an outline (composites are
 * followed into their components) with the same extents and advance as
 * the character's glyph in the original font.  Prints each failure; exit
 * 1 if any. */
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

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: glyphcheck FONT CIDTOGID TOUNICODE "
			"TEXT ORIGINAL\n");
		return 2;
	}
	hb_font_t *font = open_font(argv[1]), *orig = open_font(argv[5]);
	size_t maplen = 0, culen, textlen;
	unsigned char *map = strcmp(argv[2], "-") ?
		(unsigned char *)slurp(argv[2], &maplen) : NULL;
	char *cmap = slurp(argv[3], &culen), *text = slurp(argv[4], &textlen);
	if ((strcmp(argv[2], "-") && !map) || !cmap || !text) {
		fprintf(stderr, "glyphcheck: cannot read the inputs\n");
		return 2;
	}
	/* character -> code, from the bfchar entries */
	static unsigned code_of[65536];
	int entries = 0;
	for (char *p = strstr(cmap, "beginbfchar"); p;
	     p = strstr(p, "beginbfchar")) {
		char *end = strstr(p, "endbfchar");
		p += strlen("beginbfchar");
		unsigned code, ch;
		while (p && (!end || p < end) &&
		       sscanf(p, " <%x> <%x>", &code, &ch) == 2) {
			if (ch < 65536 && !code_of[ch])
				code_of[ch] = code;
			entries++;
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
				if (!code_of[c - lo + ch])
					code_of[c - lo + ch] = c;
			entries++;
			p = strchr(p, '\n');
			if (p)
				p++;
		}
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
		unsigned code = entries ? code_of[cp] : cp;
		if (!code) {
			printf("U+%04X: no code in the ToUnicode map\n", cp);
			bad++;
			continue;
		}
		unsigned gid = code;
		if (map) {
			if (2 * (size_t)code + 1 >= maplen) {
				printf("U+%04X: code %04X beyond the "
				       "CIDToGIDMap (%zu entries)\n", cp, code,
				       maplen / 2);
				bad++;
				continue;
			}
			gid = (unsigned)map[2 * code] << 8 | map[2 * code + 1];
		}
		unsigned points = 0;
		if (gid)
			hb_font_get_glyph_shape(font, gid, df, &points);
		if (points == 0) {
			printf("U+%04X: blank (glyph %u)\n", cp, gid);
			bad++;
			continue;
		}
		hb_codepoint_t ogid;
		hb_glyph_extents_t a, b;
		if (!hb_font_get_nominal_glyph(orig, cp, &ogid) ||
		    !hb_font_get_glyph_extents(font, gid, &a) ||
		    !hb_font_get_glyph_extents(orig, ogid, &b) ||
		    memcmp(&a, &b, sizeof a) != 0 ||
		    hb_font_get_glyph_h_advance(font, gid) !=
		    hb_font_get_glyph_h_advance(orig, ogid)) {
			printf("U+%04X: drawn with another glyph (%u)\n", cp,
			       gid);
			bad++;
		}
	}
	printf("%u characters checked, %u wrong\n", checked, bad);
	return bad ? 1 : 0;
}
