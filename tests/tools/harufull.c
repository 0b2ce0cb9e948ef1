/* harufull OUT.pdf FONT - embeds FONT whole with libharu 2.3, without our
 * subsetting, and draws hanzi whose glyphs are composites of components
 * numbered above 32767 in WenQuanYi Micro Hei.  The PDF test runs
 * glyphcheck on it to show the check does catch libharu's blank glyphs. */
#include <hpdf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_UseUTFEncodings(pdf);
	const char *name = HPDF_LoadTTFontFromFile2(pdf, argv[2], 0, HPDF_TRUE);
	if (!name)
		return 1;
	HPDF_Font f = HPDF_GetFont(pdf, name, "UTF-8");
	HPDF_Page p = HPDF_AddPage(pdf);
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, f, 14);
	HPDF_Page_TextOut(p, 50, 700, "发票维护仟佰客户金额");
	HPDF_Page_EndText(p);
	HPDF_SaveToFile(pdf, argv[1]);
	HPDF_Free(pdf);
	return 0;
}
