/* glyphcheck FONT TEXTFILE - checks that the font draws every character
 * of the text: each non-space code point must map to a glyph whose outline
 * has points (composite glyphs are followed into their components, so a
 * composite whose components were dropped counts as blank).
 * Prints each character that would render blank; exit 1 if any. */
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>

static void count_point(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st,
			float x, float y, void *u)
{
	(void)f; (void)st; (void)x; (void)y; (void)u;
	++*(unsigned *)data;
}

static void count_curve(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st,
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
	count_curve(f, data, st, a, b, c, d, u);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: glyphcheck FONT TEXTFILE\n");
		return 2;
	}
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(argv[1]);
	if (!blob) {
		fprintf(stderr, "glyphcheck: cannot read %s\n", argv[1]);
		return 2;
	}
	hb_face_t *face = hb_face_create(blob, 0);
	hb_font_t *font = hb_font_create(face);
	hb_draw_funcs_t *df = hb_draw_funcs_create();
	hb_draw_funcs_set_move_to_func(df, count_point, NULL, NULL);
	hb_draw_funcs_set_line_to_func(df, count_point, NULL, NULL);
	hb_draw_funcs_set_quadratic_to_func(df, count_curve, NULL, NULL);
	hb_draw_funcs_set_cubic_to_func(df, count_cubic, NULL, NULL);
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		fprintf(stderr, "glyphcheck: cannot read %s\n", argv[2]);
		return 2;
	}
	static char text[1 << 22];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	hb_buffer_t *buf = hb_buffer_create();
	hb_buffer_add_utf8(buf, text, (int)n, 0, (int)n);
	unsigned len, blank = 0, checked = 0;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &len);
	for (unsigned i = 0; i < len; i++) {
		hb_codepoint_t cp = info[i].codepoint, gid;
		if (cp <= 0x20 || cp == 0x3000 || cp == 0xA0 || cp == 0x0C)
			continue;
		checked++;
		unsigned points = 0;
		if (hb_font_get_nominal_glyph(font, cp, &gid))
			hb_font_get_glyph_shape(font, gid, df, &points);
		if (points == 0) {
			printf("blank: U+%04X\n", cp);
			blank++;
		}
	}
	printf("%u characters checked, %u blank\n", checked, blank);
	return blank ? 1 : 0;
}
