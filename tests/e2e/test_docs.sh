#!/bin/sh
# Record sheets, the summary report and documents at their limits.
. "$(dirname "$0")/lib.sh"
OUT=$TMP/out
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$OUT" \
	--quiet >/dev/null
S=$OUT/2026-12/sheets
check_eq "a sheet for each device with a record in November" \
	"$(ls "$S" | tr '\n' ' ')" \
	"DF-NB-01.pdf DF-PC-01.pdf DF-PC-03.pdf DF-SV-02.pdf JM-PR-01.pdf JM-PR-02.pdf JM-PR-03.pdf JM-RX-01.pdf "
pdftotext -layout "$S/JM-PR-01.pdf" "$TMP/pr01.txt"
has() {
	name=$1 file=$2
	shift 2
	for t in "$@"; do
		grep -qF -- "$t" "$file" || { fail "$name" "'$t' not in the text"; return; }
	done
	pass "$name"
}
has "sheet header" "$TMP/pr01.txt" "产品服务维护单" "Maintenance record sheet" \
	"JM-PR-01" "barcode printer" "Zebra ZT410" "18J162503487" "2022-05-12" \
	"苏州园区一号仓 收货区" "刘晓峰" "0512-6265 8810" "苏州精密物流股份有限公司" "H-2026-06"
has "whole history, November marked" "$TMP/pr01.txt" "SR-2610-091" \
	"SR-2611-101" "本月 this month" "标签纸卡纸，更换胶辊" "季度保养"
has "signature boxes" "$TMP/pr01.txt" "到场维修人员签字" "甲方签认" \
	"On-site technician's signature"
pdftotext -layout "$S/JM-PR-02.pdf" "$TMP/pr02.txt"
has "the invoice that billed the record" "$TMP/pr02.txt" "INV-202612-0001" \
	"ZB-PH-203 ×1"
pdftotext -layout "$OUT/2026-12/summary.pdf" "$TMP/sum.txt"
has "summary totals" "$TMP/sum.txt" "月度汇总报告" "21,651.43" "1,794.90" \
	"23,446.33" "按合同类型" "按项目类别" "账单清单" "逾期未付"
has "summary per type" "$TMP/sum.txt" "6,951.50" "1,369.93" "13,330.00"
for f in "$S"/*.pdf "$OUT/2026-12/summary.pdf"; do
	n=$(basename "$f")
	check_eq "$n: no warnings" "$(pdftotext "$f" /dev/null 2>&1; pdffonts "$f" 2>&1 >/dev/null)" ""
	check "$n: qpdf --check" qpdf --check "$f"
	check "$n: glyphs" pdf_glyphs "$f" "$TMP/g.$n"
done
check_eq "summary has bookmarks" "$(qpdf --show-object=1 "$OUT/2026-12/summary.pdf" | grep -c Outlines)" 1

# The chart's figures are the register's: two more months, then compare.
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2027-01 --out "$OUT" --quiet >/dev/null
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2027-02 --out "$OUT" --quiet >/dev/null
pdftotext -layout "$OUT/2027-02/summary.pdf" "$TMP/sum3.txt"
want=$(tr -d '\r' < "$OUT/register.csv" | awk -F, 'NR > 1 && $11 == "issued" {
	g[$2] += $10 } END { for (p in g) printf "%s %.2f\n", p, g[p] }' | sort)
num='-?[0-9,]+\.[0-9]{2}'
got=$(grep -E "^ *20[0-9]{2}-[0-9]{2} +$num +$num +$num +$num *\$" "$TMP/sum3.txt" |
	awk '{ gsub(",", "", $NF); print $1, $NF }' | sort -u)
check_eq "chart totals equal the register's, per period" "$got" "$want"

# A re-run rewrites no report that did not change.
touch -d '2000-01-01' "$OUT/2027-02/summary.pdf"
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2027-02 --out "$OUT" --quiet >/dev/null
check_eq "unchanged report not rewritten" \
	"$(stat -c %Y "$OUT/2027-02/summary.pdf")" "$(date -d 2000-01-01 +%s)"

# Stress: 300 devices, an 80-record history, hostile ids and text.
python3 "$(dirname "$0")/stress.py" "$TMP/stress"
ls -A "$TMP" > "$TMP/before.ls"
"$SVCBILL" run --data "$TMP/stress" --period 2026-12 --out "$TMP/so" --quiet \
	>/dev/null 2>"$TMP/stress.err"
check_eq "stress run succeeds" "$?" 0
# Nothing escapes the archive: the run added only the archive (and its
# log) to $TMP, and inside it every path is one the archive's layout
# names -- the ledger and its lock at the root, a month's files, PDFs in a
# month's invoices/ and sheets/ -- and nothing is a link, pipe or device.
# Paths are taken relative to the archive, so the check can fail (it is
# shown to, on planted escapes, below).
escapes() {
	ls -A "$TMP" | grep -vxF -f "$TMP/before.ls" | grep -vx 'so\|stress.err\|before.ls'
	(cd "$1" && find . -mindepth 1 \( -type d -printf 'dir %p\n' \) -o \
		\( -type f -printf 'file %p\n' \) -o -printf 'other %p\n') |
	grep -vxE 'dir \./[0-9]{4}-[0-9]{2}(/invoices|/sheets)?|file \./(register|lines|ledger-index)\.csv|file \./\.lock|file \./[0-9]{4}-[0-9]{2}/(summary\.(pdf|csv|xlsx)|fapiao\.xlsx|SHA256SUMS)|file \./[0-9]{4}-[0-9]{2}/(invoices|sheets)/[^/]+\.pdf'
}
check_eq "file names stay inside the archive" "$(escapes "$TMP/so")" ""
# each kind of escape, planted and removed one at a time, is caught
S2=$TMP/so/2026-12/sheets
for plant in "touch '$TMP/x.pdf'" "touch '$TMP/so/x.pdf'" "touch '$S2/x.txt'" \
	"mkdir '$S2/x'" "ln -s /etc/passwd '$S2/x.pdf'" "mkfifo '$S2/x.pdf'" \
	"mkdir '$TMP/so/2026-1x'" "touch '$TMP/so/2026-12/x.pdf'"; do
	sh -c "$plant"
	found=$(escapes "$TMP/so")
	rm -rf "$TMP/x.pdf" "$TMP/so/x.pdf" "$S2/x.txt" "$S2/x" "$S2/x.pdf" \
		"$TMP/so/2026-1x" "$TMP/so/2026-12/x.pdf"
	if [ -n "$found" ]; then pass "the escape check catches: $plant"; else
		fail "the escape check misses: $plant"; fi
done
check_eq "the planted escapes are gone" "$(escapes "$TMP/so")" ""
check_eq "hostile ids made safe" "$(ls "$TMP/so/2026-12/sheets" | grep -c '_[0-9a-f]\{8\}\.pdf$')" 7
check "no hidden sheet" sh -c "! ls -a '$TMP/so/2026-12/sheets' | grep -q '^\.[^.]'"
check "every sheet is in SHA256SUMS" sh -c \
	"cd '$TMP/so/2026-12' && [ \$(ls sheets | wc -l) -eq \$(grep -c ' sheets/' SHA256SUMS) ] && sha256sum -c --quiet SHA256SUMS"
# ids and serials of the data: no document may break one inside
tokens() {
	python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    for k in ("device_id", "产品编号", "serial", "序列号"):
        if row.get(k): print(row[k])' "$1"
}
tokens "$TMP/stress/devices.csv" > "$TMP/stress.tok"
tokens "$ROOT/samples/basic/devices.csv" > "$TMP/basic.tok"
for f in "$TMP"/so/2026-12/invoices/*.pdf "$TMP/so/2026-12/sheets/BIG-001.pdf"; do
	n=$(basename "$f")
	check "stress $n: qpdf --check" qpdf --check "$f"
	check_eq "stress $n: no warnings" "$(pdftotext "$f" /dev/null 2>&1)" ""
done
for f in "$TMP"/so/2026-12/invoices/*.pdf "$TMP"/so/2026-12/sheets/*.pdf \
	"$TMP/so/2026-12/summary.pdf"; do
	check "stress $(basename "$f"): nothing outside the margins, overlapping or broken inside" \
		python3 "$(dirname "$0")/overflow.py" "$f" "$TMP/stress.tok"
done
for f in "$OUT"/2026-12/invoices/*.pdf "$OUT"/2026-12/sheets/*.pdf \
	"$OUT/2026-12/summary.pdf"; do
	check "sample $(basename "$f"): nothing outside the margins, overlapping or broken inside" \
		python3 "$(dirname "$0")/overflow.py" "$f" "$TMP/basic.tok"
done
# the device appendix leaves out columns empty for all its devices: the
# printer contract H-2026-06 has no CPU, memory, disk, mainboard, monitor
pdftotext -f 3 -l 3 "$OUT/2026-12/invoices/INV-202612-0001.pdf" "$TMP/app.txt"
check "appendix: empty columns left out, filled ones kept" sh -c \
	"grep -q '^序列号\$' '$TMP/app.txt' && grep -q '^备注\$' '$TMP/app.txt' &&
	 ! grep -q '^CPU\$\|^内存\$\|^硬盘\$\|^主板\$\|^显示器\$' '$TMP/app.txt'"
pdftotext -f 3 -l 3 "$OUT/2026-12/invoices/INV-202612-0002.pdf" "$TMP/app2.txt"
check "appendix: a desktop contract keeps its CPU and monitor columns" sh -c \
	"grep -q '^CPU\$' '$TMP/app2.txt' && grep -q '^显示器\$' '$TMP/app2.txt'"
pages=$(pdfinfo "$TMP/so/2026-12/invoices/INV-202612-0001.pdf" | awk '/^Pages/ { print $2 }')
check "300-device invoice paginates" test "$pages" -ge 5
pdftotext "$TMP/so/2026-12/invoices/INV-202612-0001.pdf" "$TMP/big.txt"
first=0
missing=0
for p in $(seq 1 "$pages"); do
	pdftotext -f "$p" -l "$p" "$TMP/so/2026-12/invoices/INV-202612-0001.pdf" "$TMP/p.txt"
	grep -q '托管设备清单' "$TMP/p.txt" && [ $first -eq 0 ] && first=$p
	[ $first -gt 0 ] && ! grep -q '^序列号$' "$TMP/p.txt" && missing=$((missing + 1))
	[ $first -eq 0 ] && ! grep -q '^Description$' "$TMP/p.txt" && missing=$((missing + 1))
done
check_eq "table headers repeated on every page (lines, then device list from page $first)" "$missing" 0
check "page x of N on the last page" grep -q "第 $pages 页 / 共 $pages 页" "$TMP/big.txt"
sp=$(pdfinfo "$TMP/so/2026-12/sheets/BIG-001.pdf" | awk '/^Pages/ { print $2 }')
check "80-record history paginates" test "$sp" -ge 2
pdftotext "$TMP/so/2026-12/sheets/BIG-001.pdf" "$TMP/h.txt"
check_eq "history header on every page" "$(grep -c '^修复时间$' "$TMP/h.txt")" "$sp"
check_eq "all 80 records on the sheet" "$(grep -c '^R0[0-9][0-9]$' "$TMP/h.txt")" 80
check "formula text guarded in lines.csv" grep -q "\"'=HYPERLINK" "$TMP/so/lines.csv"
check "formula text guarded in lines.csv (+)" grep -q ",'+1 (formula)," "$TMP/so/lines.csv"
pdftotext "$TMP/so/2026-12/invoices/INV-202612-0002.pdf" "$TMP/sp.txt"
check "PDF specials printed as text" grep -qF '( ) \ 特殊字符 <> &' "$TMP/sp.txt"

# ---- wording (SPEC §5) and lines that multiply out (SPEC §4) -------------
LC=$(dirname "$0")/../tools/lines_check.py
# a credit note: one more device on the software contract, reissued
cp -r "$ROOT/samples/basic" "$TMP/data2"
printf 'DF-PC-09,S-2026-07,desktop,联想 M428,PC0A1B09,2026-12-01,,,,,,,,,,,,\r\n' \
	>> "$TMP/data2/devices.csv"
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$TMP/cn" --quiet >/dev/null
"$SVCBILL" run --data "$TMP/data2" --period 2026-12 --out "$TMP/cn" --reissue --quiet >/dev/null
CN=$TMP/cn/2026-12/invoices/CN-202612-0001.pdf
check "a credit note issued" test -s "$CN"
check "sample and its credit note: every line multiplies out, PDF = lines.csv" \
	python3 "$LC" "$TMP/cn" "$TMP"/cn/2026-12/invoices/*.pdf
check "stress: every line multiplies out, PDF = lines.csv" \
	python3 "$LC" "$TMP/so" "$TMP"/so/2026-12/invoices/*.pdf
python3 "$ROOT/tests/bench/gen.py" "$TMP/gen" 150 >/dev/null
"$SVCBILL" run --data "$TMP/gen" --period 2026-12 --out "$TMP/go" --quiet >/dev/null
check "generated month: every line multiplies out, PDF = lines.csv" \
	python3 "$LC" "$TMP/go" "$TMP"/go/2026-12/invoices/*.pdf
# the checker itself: a line that does not multiply out is caught
tr -d '\r' < "$TMP/cn/lines.csv" | sed '0,/,0\.7097,30\.00,/s//,0.71,30.00,/' \
	> "$TMP/bad.csv"
mkdir -p "$TMP/bad" && cp "$TMP/bad.csv" "$TMP/bad/lines.csv"
check_status "the check catches 0.71 x 30.00 = 21.29" 1 python3 "$LC" "$TMP/bad"

NF='本账单不是增值税发票，发票另行开具。 This invoice is not a VAT fapiao; the fapiao is issued separately.'
for f in "$TMP"/cn/2026-12/invoices/*.pdf; do
	n=$(basename "$f" .pdf)
	pdftotext "$f" "$TMP/w.txt"
	case $n in
	CN-*) title='贷项通知单 CREDIT NOTE' ;;
	*) title='账单 INVOICE' ;;
	esac
	check "$n: titled $title, not a fapiao, no 发票 title" sh -c "
		pdfinfo '$f' | grep -q '^Title: *$title $n\$' &&
		tr '\n' ' ' < '$TMP/w.txt' | grep -qF '$NF' &&
		! grep -q '红字\|^发票\|发票号\|开票' '$TMP/w.txt'"
done
pdftotext "$TMP/cn/2026-12/sheets/DF-PC-01.pdf" "$TMP/sh.txt"
check "sheet: the month read as Chinese" grep -q '截至 2026 年 11 月底' "$TMP/sh.txt"
check "sheet: no 发票 wording" sh -c "! grep -q '发票' '$TMP/sh.txt'"
pdftotext "$TMP/cn/2026-12/summary.pdf" "$TMP/su.txt"
check "summary: 账单 wording, no 发票" sh -c \
	"grep -q '账单清单' '$TMP/su.txt' && ! grep -q '发票' '$TMP/su.txt'"

# prorated lines name the dates covered: DF-PC-07/08 join on 12-10,
# DF-PC-06 leaves on 12-20, JM-HS-02 joins on 12-16
pdftotext -layout "$TMP/cn/2026-12/invoices/INV-202612-0001.pdf" "$TMP/i1.txt"
pdftotext -layout "$TMP/cn/2026-12/invoices/INV-202612-0002.pdf" "$TMP/i2.txt"
check "joining device: covered from 2026-12-10" sh -c \
	"grep -q 'DF-PC-07（desktop）2026-12-10 至 2026-12-31' '$TMP/i2.txt' &&
	 grep -q 'DF-PC-07 (desktop) 2026-12-10 to 2026-12-31' '$TMP/i2.txt'"
check "leaving device: covered to 2026-12-20" \
	grep -q 'DF-PC-06（desktop）2026-12-01 至 2026-12-20' "$TMP/i2.txt"
check "lines.csv descriptions name the covered dates" sh -c \
	"grep -q 'DF-PC-06 (desktop) 2026-12-01 to 2026-12-20' '$TMP/cn/lines.csv' &&
	 grep -q 'JM-HS-02.*2026-12-16' '$TMP/cn/lines.csv'"

# A cell the PDFs cannot show as written (a character the font has no
# glyph for, an invisible one) is said, by file, line and column, by run,
# a dry run and check, and the PDF shows what the warning says.  The
# sample, all of whose text the font draws, gets no such warning.
check_eq "no 'cannot show' warning for the sample" \
	"$("$SVCBILL" check --data "$ROOT/samples/basic" 2>&1 | grep -c 'cannot show')" 0
U=$TMP/undrawable
cp -r "$ROOT/samples/basic" "$U"
python3 - "$U/devices.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = "DF-PC-01,S-2026-07,desktop,联想 启天 M428,PC0A1B01,"
assert old in s
s = s.replace(old, "DF-PC-01,S-2026-07,desktop,联想 \U00020BB7天 M428,PC0A1B01\u200b,", 1)
open(p, "w", encoding="utf-8").write(s)
PY
line=$(grep -n '^DF-PC-01,' "$U/devices.csv" | cut -d: -f1)
"$SVCBILL" run --data "$U" --period 2026-12 --out "$TMP/ud" --quiet \
	>/dev/null 2>"$TMP/ud.err"
check_eq "run: exit 0, the two cells said" "$?:$(grep -c "^$U/devices.csv:$line: warning: column '\(model\|serial\)': the PDFs cannot show this cell as written" "$TMP/ud.err")" "0:2"
check "... the glyph the font lacks named, and its fate" grep -qF \
	"column 'model': the PDFs cannot show this cell as written: U+20BB7 '𠮷' prints as ?" "$TMP/ud.err"
check "... the invisible one too" grep -qF \
	"column 'serial': the PDFs cannot show this cell as written: U+200B is left out" "$TMP/ud.err"
pdftotext "$TMP/ud/2026-12/invoices/INV-202612-0002.pdf" "$TMP/ud.txt"
check "the PDF shows what the warning says" sh -c \
	"grep -qF '联想 ?天 M428' '$TMP/ud.txt' && grep -q 'PC0A1B01\$' '$TMP/ud.txt'"
"$SVCBILL" run --data "$U" --period 2026-12 --out "$TMP/ud2" --dry-run \
	--quiet >/dev/null 2>"$TMP/ud.dry"
"$SVCBILL" check --data "$U" >/dev/null 2>"$TMP/ud.check"
check_eq "a dry run and check say the same" \
	"$(grep -c 'cannot show' "$TMP/ud.dry"):$(grep -c 'cannot show' "$TMP/ud.check")" "2:2"

# A row taller than a page goes on over the next pages, its header
# repeated: every line of the cell on the bill (before, the lines below a
# page's height were not drawn, the English under them missing, and a
# cell was cut at 60 lines with '…').  A device note of 900 characters in
# the device list likewise.
T=$TMP/tall
cp -r "$ROOT/samples/basic" "$T"
python3 - "$T" <<'PY'
import sys
d = sys.argv[1]
items = "\n".join("第%d项" % i for i in range(1, 91))
row = 'W-2026-03,2026-11-20,"%s",Item list END,1,10.00,服务\r\n' % items
with open(d + "/charges.csv", "ab") as f:
    f.write(row.encode("gb18030"))
p = d + "/devices.csv"
s = open(p, encoding="utf-8").read()
# ASCII words, which break only at spaces: a page break cannot split one
note = " ".join("note-%03d" % i for i in range(100)) + " 完"   # 900 characters
old = ",Dell P2219H,财务主管"
assert old in s
s = s.replace(old, ",Dell P2219H," + note, 1)
open(p, "w", encoding="utf-8").write(s)
PY
"$SVCBILL" run --data "$T" --period 2026-12 --out "$TMP/tall-out" --quiet >/dev/null 2>&1
check_eq "a cell of 90 lines: exit 0" "$?" 0
pdftotext "$TMP/tall-out/2026-12/invoices/INV-202612-0003.pdf" "$TMP/tall3.txt"
check_eq "... every line of it on the bill, and the English under it" "$(python3 -c '
import sys
t = open(sys.argv[1], encoding="utf-8").read()
missing = [i for i in range(1, 91) if "第%d项" % i not in t]
print("ok" if not missing and "Item list END" in t and "…" not in t else "missing %s, END %s, cut %s" % (missing[:5], "Item list END" in t, "…" in t))
' "$TMP/tall3.txt")" ok
check "... the PDF is sound" qpdf --check "$TMP/tall-out/2026-12/invoices/INV-202612-0003.pdf"
pdftotext "$TMP/tall-out/2026-12/invoices/INV-202612-0002.pdf" "$TMP/tall2.txt"
check_eq "a device note of 900 characters: all of it in the device list" "$(python3 -c '
import sys
t = open(sys.argv[1], encoding="utf-8").read().split()
missing = [i for i in range(100) if "note-%03d" % i not in t]
print("ok" if not missing and "完" in t else "missing %s" % missing[:5])
' "$TMP/tall2.txt")" ok

# An issuer's name longer than the room the title leaves, and one with a
# line break: the head of the summary and of a record sheet sets it on
# more lines, inside the page, clear of the title (before, one line: it
# overlapped the title from some 43 characters and ran off the page from
# some 62), the line break kept.  Word boxes from poppler's pdftotext.
H=$TMP/longname
cp -r "$ROOT/samples/basic" "$H"
python3 - "$H/issuer.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
s = s.replace("上海恒维信息技术有限公司", "上海恒维信息技术有限公司" * 6, 1)
open(p, "w", encoding="utf-8-sig").write(s)
PY
"$SVCBILL" run --data "$H" --period 2026-12 --out "$TMP/ln" --quiet >/dev/null 2>&1
head_ok() {
	pdftotext -bbox -f 1 -l 1 "$1" - | python3 -c '
import re, sys
name, title = sys.argv[1], sys.argv[2]
words = [(float(a), float(b), float(c), float(e), w) for a, b, c, e, w in re.findall(
    r"<word xMin=\"([-\d.]+)\" yMin=\"([-\d.]+)\" xMax=\"([-\d.]+)\" yMax=\"([-\d.]+)\">([^<]*)</word>",
    sys.stdin.read())]
t = [w for w in words if w[4] == title]
if not t:
    print("no title"); sys.exit()
tx0, ty0, tx1, ty1, _ = t[0]
# the name: the words made only of its characters, above the rule
parts = [w for w in words if w[4] and set(w[4]) <= set(name) and w[1] < 90]
text = "".join(w[4] for w in sorted(parts, key=lambda w: (w[1], w[0])))
bad = [w[4] for w in parts if w[0] < 0 or w[2] > 595.3 or
       (w[0] < tx1 and w[2] > tx0 and w[1] < ty1 and w[3] > ty0)]
print("ok" if text == name and not bad else "name %r, outside or over the title: %r" % (text, bad))
' "$2" "$3"
}
N6=$(python3 -c 'print("上海恒维信息技术有限公司" * 6)')
check_eq "a 72-character issuer: summary head, inside the page, clear of the title" \
	"$(head_ok "$TMP/ln/2026-12/summary.pdf" "$N6" 月度汇总报告)" ok
check_eq "... and a record sheet's" \
	"$(head_ok "$TMP/ln/2026-12/sheets/DF-PC-01.pdf" "$N6" 产品服务维护单)" ok
python3 - "$H/issuer.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
s = s.replace("上海恒维信息技术有限公司" * 6, '"上海恒维\n信息技术有限公司"', 1)
open(p, "w", encoding="utf-8-sig").write(s)
PY
"$SVCBILL" run --data "$H" --period 2026-12 --out "$TMP/ln2" --quiet >/dev/null 2>&1
check "an issuer's name with a line break: two lines in the summary's head" sh -c \
	"pdftotext -f 1 -l 1 '$TMP/ln2/2026-12/summary.pdf' - | grep -qx '上海恒维' &&
	 pdftotext -f 1 -l 1 '$TMP/ln2/2026-12/summary.pdf' - | grep -qx '信息技术有限公司'"

# Only cells a document draws: an invisible character in the monthly fee
# of a contract that bills per device (SPEC §2.2: ignored there) or in a
# client's fax (drawn nowhere) is not warned of; eleven distinct
# invisible characters are named eight and "3 other characters".
V=$TMP/notdrawn
cp -r "$U" "$V"
python3 - "$V" <<'PY'
import csv, io, sys
d = sys.argv[1]
def edit(name, key, col, val):
    p = "%s/%s" % (d, name)
    raw = open(p, "rb").read()
    try:
        enc = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        text = raw.decode(enc)
    except UnicodeDecodeError:
        enc = "gb18030"
        text = raw.decode(enc)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for r in rows[1:]:
        if r[0] == key:
            r[col] = val
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    open(p, "wb").write(out.getvalue().encode(enc))
edit("contracts.csv", "S-2026-07", 6, "n/a\u200b")
edit("clients.csv", "C001", 6, "010-1\u200b")
inv = "".join(chr(c) for c in [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a,
                               0x202b, 0x202c, 0x2066, 0x2067, 0x2068])
edit("devices.csv", "DF-PC-02", 17, "a" + inv + "\u2066" * 5)
PY
"$SVCBILL" check --data "$V" >/dev/null 2>"$TMP/nd.err"
check_eq "no warning for a fee that does not apply or a fax; eleven named as eight and 3" \
	"$(grep -c 'contracts.csv.*cannot show\|clients.csv.*cannot show' "$TMP/nd.err"):$(grep -c 'and 3 other characters' "$TMP/nd.err")" "0:1"
# ... and a name of 65 lines: at most four in the head, the last ending in
# '…' (the invoice's issuer block has it whole), so that the page's body
# stays on the page (before: the summary's totals over its footer, a
# record sheet of 1 page grown to 12)
python3 - "$H/issuer.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
s = s.replace('"上海恒维\n信息技术有限公司"', '"%s"' % "\n".join("H%03d" % i for i in range(65)), 1)
open(p, "w", encoding="utf-8-sig").write(s)
PY
"$SVCBILL" run --data "$H" --period 2026-12 --out "$TMP/ln3" --quiet >/dev/null 2>&1
check_eq "a 65-line issuer: the summary's figures above its footer, sheets of the sample's length" "$(
	pdftotext -bbox -f 1 -l 1 "$TMP/ln3/2026-12/summary.pdf" - |
	sed -n 's/.*yMax="\([0-9.]*\)">账单数<.*/\1/p' | head -n 1 | awk '{ print ($1 < 841.89 - 54) ? "above" : "below" }'
):$(pdfinfo "$TMP/ln3/2026-12/sheets/DF-PC-03.pdf" | awk '/^Pages:/ { print $2 }'):$(pdfinfo "$OUT/2026-12/sheets/DF-PC-03.pdf" | awk '/^Pages:/ { print $2 }')" "above:1:1"
check "... four lines of it, the last ending in '…'" sh -c \
	"pdftotext -f 1 -l 1 '$TMP/ln3/2026-12/summary.pdf' - | grep -q '^H003…\$' &&
	 ! pdftotext '$TMP/ln3/2026-12/summary.pdf' - | grep -q '^H004'"
