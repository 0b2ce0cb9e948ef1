#!/bin/sh
# The invoices as a reader and a PDF tool see them.
. "$(dirname "$0")/lib.sh"
OUT=$TMP/out
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$OUT" \
	--quiet >/dev/null 2>&1
INV=$OUT/2026-12/invoices
for f in "$INV"/*.pdf; do
	n=$(basename "$f" .pdf)
	check_eq "$n: pdftotext prints no warnings" \
		"$(pdftotext "$f" /dev/null 2>&1)" ""
	check_eq "$n: pdffonts prints no warnings" \
		"$(pdffonts "$f" 2>&1 >/dev/null)" ""
	check_eq "$n: two fonts (the run's, the invoice's), each embedded, subset, with Unicode map" \
		"$(pdffonts "$f" | awk 'NR>2 { print $(NF-4) $(NF-3) $(NF-2) }' |
		   tr '\n' ' ')" "yesyesyes yesyesyes "
	check "$n: qpdf --check" qpdf --check "$f"
	pdftotext "$f" "$TMP/$n.txt"
	check "$n: every character drawn with its own glyph" \
		pdf_glyphs "$f" "$TMP/$n.glyphs"
	check_eq "$n: A4 pages" "$(pdfinfo "$f" | sed -n 's/^Page size: *//p')" \
		"595.276 x 841.89 pts (A4)"
	check_eq "$n: creation date is the issue date" \
		"$(pdfinfo -isodates "$f" | sed -n 's/^CreationDate: *//p')" \
		"2026-12-01T00:00:00Z"
	check_eq "$n: author is the issuer" \
		"$(pdfinfo "$f" | sed -n 's/^Author: *//p')" "上海恒维信息技术有限公司"
done

has() {   # has NAME FILE TEXT...
	name=$1 file=$2
	shift 2
	for t in "$@"; do
		if ! grep -qF -- "$t" "$file"; then
			fail "$name" "'$t' not in the text"
			return
		fi
	done
	pass "$name"
}
T1=$TMP/INV-202612-0001.txt
T2=$TMP/INV-202612-0002.txt
T3=$TMP/INV-202612-0003.txt
has "bilingual labels" "$T1" "账单" "INVOICE" "客户 Client" "金额" "Amount" \
	"大写金额" "Amount in words" "价税合计"
has "issuer and client blocks" "$T1" "上海恒维信息技术有限公司" \
	"Shanghai Hengwei Information Technology Co. Ltd." \
	"苏州精密物流股份有限公司" "91320594MA1MFQ6T2D" "中国工商银行上海漕河泾支行"
# 7,710.54: units digit 0 and 角 non-zero, so 零 after 元 (SPEC §3.7, as
# 1,680.32 = 壹仟陆佰捌拾元零叁角贰分)
has "amounts in words" "$T1" "柒仟柒佰壹拾元零伍角肆分" \
	"seven thousand seven hundred ten yuan and fifty-four fen only"
has "website amount in words" "$T3" "壹万肆仟贰佰壹拾玖元肆角整"
has "descriptions from the data" "$T3" "主页设计" "Home page design" \
	"代购 SSL 证书（一年）" "老客户优惠"
has "numbers right-aligned with separators" "$T3" "14,219.40" "3,000.00" "-500.00"
has "device appendix" "$T2" "托管设备清单" "DF-SV-02" "Xeon Silver" "ERP 数据库"
has "page numbers" "$T1" "第 1 页 / 共 3 页" "Page 1 of 3"
check_eq "website invoice has no device appendix" \
	"$(grep -c '托管设备清单' "$T3")" 0

# The run font of invoices is the same object in every invoice of a run
# (its characters come from the program and the issuer, not the invoice),
# while each invoice's own font differs.
fontfile() {   # fontfile PDF K: the K-th font's FontFile2 stream, as stored
	type0=$(pdffonts "$1" | awk -v k="$2" 'NR == k + 2 { print $(NF-1) }')
	desc=$(ref "$1" "$(ref "$1" "$type0" DescendantFonts)" FontDescriptor)
	qpdf --show-object="$(ref "$1" "$desc" FontFile2)" --raw-stream-data "$1" |
		sha256sum
}
check_eq "run font the same in invoices of different contracts" \
	"$(fontfile "$INV/INV-202612-0001.pdf" 1)" \
	"$(fontfile "$INV/INV-202612-0003.pdf" 1)"
check "... each invoice's own font not" test \
	"$(fontfile "$INV/INV-202612-0001.pdf" 2)" != \
	"$(fontfile "$INV/INV-202612-0003.pdf" 2)"

# Negative control: the title's 账 drawn with the neighbouring glyph id of
# the same font, the fonts left alone.  Each font's glyphs still equal the
# original font's, so the glyph check passes; the text read back does not.
check_eq "the invoice's title reads 账单" \
	"$(grep -cx '账单' "$TMP/INV-202612-0001.txt")" 1
python3 "$ROOT/tests/tools/cid_shift.py" "$INV/INV-202612-0001.pdf" \
	"$TMP/shifted.pdf" 账
check "negative control (账 drawn with the next glyph id): qpdf --check" \
	qpdf --check "$TMP/shifted.pdf"
check "... the glyph check alone passes it" \
	pdf_glyphs "$TMP/shifted.pdf" "$TMP/shifted.glyphs"
pdftotext "$TMP/shifted.pdf" "$TMP/shifted.txt"
check_eq "... the extracted text catches it: the title no longer reads 账单" \
	"$(grep -cx '账单' "$TMP/shifted.txt")" 0

# The glyph check does catch blank glyphs: libharu embedding the font
# whole drops composite glyph components (票 维 护 ...).
"$ROOT/build/harufull" "$TMP/full.pdf" "$FONT"
check_status "glyph check catches libharu's blank glyphs" 1 \
	pdf_glyphs "$TMP/full.pdf" "$TMP/full.glyphs"
check "... and names them" grep -q "U+7968: font 1: blank" "$TMP/status.out"

# Rendering: the first page rasterises, and has ink.
pdftoppm -png -r 50 -f 1 -l 1 "$INV/INV-202612-0001.pdf" "$TMP/page"
check "first page renders" test -s "$TMP/page-1.png"

# PDF/A-2b as far as the objects show it, on every document kind: invoices,
# a credit note (one more device, reissued), record sheets, the summary
PDFA=$ROOT/tests/tools/pdfa_check.py
cp -r "$ROOT/samples/basic" "$TMP/d2"
printf 'DF-PC-09,S-2026-07,desktop,联想 M428,PC0A1B09,2026-12-01,,,,,,,,,,,,\r\n' \
	>> "$TMP/d2/devices.csv"
"$SVCBILL" run --data "$TMP/d2" --period 2026-12 --out "$OUT" --reissue --quiet >/dev/null
check "a credit note to check" test -s "$INV/CN-202612-0001.pdf"
for f in "$INV"/*.pdf "$OUT"/2026-12/sheets/*.pdf "$OUT/2026-12/summary.pdf"; do
	check "$(basename "$f"): PDF/A-2b requirements (XMP = Info, sRGB intent, /ID, fonts embedded, no transparency)" \
		python3 "$PDFA" "$f"
done
# The output intent's profile (built by pdf.c) is sRGB as Little CMS has
# it: every colour of a grid within 1/255 (Pillow's ImageCms, Debian's
# python3-pil, hence Debian's python3).
/usr/bin/python3 "$ROOT/tests/tools/icc_check.py" "$INV/INV-202612-0001.pdf" \
	>"$TMP/icc.out" 2>&1
case $? in
0) pass "output intent's ICC profile is sRGB (Little CMS)" ;;
77) skip "output intent's ICC profile is sRGB (Little CMS)" "no Pillow ImageCms" ;;
*) fail "output intent's ICC profile is sRGB (Little CMS)" "$(head -c 300 "$TMP/icc.out")" ;;
esac
ids=$(for f in "$INV"/*.pdf "$OUT"/2026-12/sheets/*.pdf; do
	qpdf --show-object=trailer "$f" | grep -o '/ID \[ <[0-9a-f]*>'; done | sort | uniq -d)
check_eq "each document its own /ID" "$ids" ""
check "the checker fails a plain libharu PDF" sh -c \
	"test -s '$TMP/full.pdf' && ! python3 '$PDFA' '$TMP/full.pdf'"
