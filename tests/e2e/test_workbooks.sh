#!/bin/sh
# summary.xlsx, fapiao.xlsx (SPEC §5.4, §5.5) and `export hledger` (§4),
# read back by independent programs: Debian's python3-openpyxl, hledger
# and (when installed) LibreOffice.  Expected values come from the CSV
# files of the archive and the input, or are worked out by hand below.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
WB="$ROOT/tests/e2e/workbooks.py"
# the checker, whose crash is a failure too (it prints PASS/FAIL lines)
wb() {
	$PY "$WB" "$@" > "$TMP/wb.out" 2> "$TMP/wb.err"
	rc=$?
	cat "$TMP/wb.out"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$TMP/wb.out"; then
		fail "workbooks.py $1 ran to its end" "$(tail -c 300 "$TMP/wb.err")"
	fi
}
TZ=UTC
export TZ

# The sample, with UTF-8 copies of the files the checker reads, hostile
# texts, and a rebate that makes S-2026-07's net at 6% negative (its
# invoice cannot be a blue fapiao).
D=$TMP/d
cp -r "$ROOT/samples/basic" "$D"
iconv -f GB18030 -t UTF-8 "$ROOT/samples/basic/clients.csv" > "$D/clients.csv"
iconv -f GB18030 -t UTF-8 "$ROOT/samples/basic/charges.csv" > "$D/charges.csv"
printf '%s\r\n' \
	'W-2026-03,2026-11-25,"=HYPERLINK(""http://evil.example"",""点我"")",@SUM(A1:A9),1,10.00,服务' \
	'W-2026-03,2026-11-26,-2 折扣说明,+1 plus,1,20.00,服务' \
	'W-2026-03,2026-11-27,"	制表符 inside",_x0041_ stays,1,30.00,服务' \
	'S-2026-07,2026-11-20,年度返利,Yearly rebate,1,"-1,000.00",服务' >> "$D/charges.csv"

O1=$TMP/o1 O2=$TMP/o2 P=2026-12
"$SVCBILL" run --data "$D" --period $P --out "$O1" --jobs 1 --quiet \
	> "$TMP/run1.out" 2> "$TMP/run1.err"
check_eq "run with workbooks exits 0" "$?" 0
TZ=Asia/Shanghai "$SVCBILL" run --data "$D" --period $P --out "$O2" --jobs 2 \
	--quiet > /dev/null 2>&1
for f in summary.xlsx fapiao.xlsx; do
	check "$f written" test -s "$O1/$P/$f"
	check "$f byte-identical with --jobs 1 and --jobs 2 (and another TZ)" \
		cmp "$O1/$P/$f" "$O2/$P/$f"
	cp "$O1/$P/$f" "$TMP/$f.first"
done
"$SVCBILL" run --data "$D" --period $P --out "$O1" --quiet > /dev/null 2>&1
for f in summary.xlsx fapiao.xlsx; do
	check "$f byte-identical on re-run" cmp "$O1/$P/$f" "$TMP/$f.first"
	check "$f listed in SHA256SUMS" grep -q "  $f\$" "$O1/$P/SHA256SUMS"
done
check "the left-out invoice is named in a warning" \
	grep -q "warning: fapiao.xlsx: INV-202612-0002 left out" "$TMP/run1.err"
check_eq "exactly one fapiao warning" \
	"$(grep -c 'fapiao.xlsx' "$TMP/run1.err")" 1

# read back
wb summary "$O1" $P 2026-12-01 "$D/payments.csv"
wb fapiao "$O1" $P "$D" > "$TMP/fapiao.out"
grep -v '^LEFTOUT' "$TMP/fapiao.out"
check_eq "fapiao.xlsx leaves out exactly the invoice with a negative rate" \
	"$(sed -n 's/^LEFTOUT //p' "$TMP/fapiao.out")" "INV-202612-0002"
wb noformula "$O1/$P/summary.xlsx" "$O1/$P/fapiao.xlsx"
wb texts "$O1/$P/summary.xlsx" "明细 Lines" \
	'=HYPERLINK("http://evil.example","点我")' '@SUM(A1:A9)' \
	'-2 折扣说明' '+1 plus' '制表符 inside' '_x0041_ stays'
# texts no input file can carry (the reader trims a leading tab), and line
# breaks (the ledger of this tree writes them as spaces in lines.csv, so a
# multi-line description does not come back from the register as it was
# billed), through the same sheet writer
"$ROOT/build/xlsx_texts" "$TMP/texts.xlsx" "$(printf '\tleading tab')" \
	'=1+1' '@SUM(A1)' '+A1' '-A1' "$(printf '\rCR first')" '_x0041_' \
	' spaces ' '00123' "$(printf '多行\r\n\t第二行带制表符')" "$(printf 'a\nb')"
wb texts "$TMP/texts.xlsx" texts "$(printf '\tleading tab')" \
	'=1+1' '@SUM(A1)' '+A1' '-A1' "$(printf '\rCR first')" '_x0041_' \
	' spaces ' '00123' "$(printf '多行\r\n\t第二行带制表符')" "$(printf 'a\nb')"
wb noformula "$TMP/texts.xlsx" | grep -v docProps

# verify covers the workbooks through SHA256SUMS
check "verify passes" "$SVCBILL" verify --out "$O1"
printf 'x' >> "$O1/$P/fapiao.xlsx"
"$SVCBILL" verify --out "$O1" > "$TMP/verify.out" 2>&1
check_eq "verify: a changed fapiao.xlsx is exit 65" "$?" 65
check "verify names fapiao.xlsx" grep -q "fapiao.xlsx" "$TMP/verify.out"
cp "$TMP/fapiao.xlsx.first" "$O1/$P/fapiao.xlsx"

# a month that bills nothing still gets both workbooks
O3=$TMP/o3
"$SVCBILL" run --data "$D" --period 2030-01 --out "$O3" --quiet >/dev/null 2>&1
for f in summary.xlsx fapiao.xlsx; do
	check "a month billing nothing: $f written and listed" \
		grep -q "  $f\$" "$O3/2030-01/SHA256SUMS"
done
wb summary "$O3" 2030-01 2030-01-01 "$D/payments.csv" | sed 's/^\(....\) /\1 empty month: /'

# Overdue with payments (SPEC §5.3, §5.4): two months on, of December's
# issued invoices the first is paid in part, the second in full, the third
# in full but only after the issue date; workbooks.py works the list out
# from register.csv and payments.csv
D4=$TMP/d4 O4=$TMP/o4
cp -r "$D" "$D4"
"$SVCBILL" run --data "$D4" --period 2026-12 --out "$O4" --quiet >/dev/null 2>&1
awk -F, 'NR > 1 && $11 == "issued" && $10 > 0 { n++
	if (n == 1) printf "%s,2027-01-10,%.2f\r\n", $1, $10 / 2
	if (n == 2) printf "%s,2027-01-10,%s\r\n", $1, $10
	if (n == 3) printf "%s,2027-02-15,%s\r\n", $1, $10 }' \
	"$O4/register.csv" > "$TMP/pay4"
{ printf 'invoice_no,paid_on,amount\r\n'; cat "$TMP/pay4"; } > "$D4/payments.csv"
check_eq "three December invoices paid (in part, in full, late)" \
	"$(wc -l < "$TMP/pay4")" 3
"$SVCBILL" run --data "$D4" --period 2027-02 --out "$O4" --quiet >/dev/null 2>&1
check_eq "February run with payments exits 0" "$?" 0
wb summary "$O4" 2027-02 2027-02-01 "$D4/payments.csv" | sed 's/^\(....\) /\1 with payments: /'
first=$(head -1 "$TMP/pay4" | cut -d, -f1)
second=$(sed -n 2p "$TMP/pay4" | cut -d, -f1)
check "the invoice paid in part is overdue" \
	grep -q "^$first,.*,issued" "$O4/register.csv"
check "... and named in February's summary.pdf" \
	sh -c "pdftotext '$O4/2027-02/summary.pdf' - | grep -q '$first'"
check "the invoice paid in full is not" \
	sh -c "! pdftotext '$O4/2027-02/summary.pdf' - | grep -q '$second'"

# check: one warning per kind without a row in fapiao_items.csv
"$SVCBILL" check --data "$D" > "$TMP/c0.out" 2>&1
check_eq "check: no fapiao warning with every kind given" \
	"$(grep -c 'fapiao_items.csv' "$TMP/c0.out")" 0
D2=$TMP/d2
cp -r "$D" "$D2"
grep -v '^parts,' "$D/fapiao_items.csv" > "$D2/fapiao_items.csv"
"$SVCBILL" check --data "$D2" > "$TMP/c1.out" 2>&1
check_eq "check: exits 0 with a kind missing" "$?" 0
check_eq "check: exactly one warning for the missing kind 'parts'" \
	"$(grep -c 'fapiao_items.csv' "$TMP/c1.out")" 1
check "check: the warning names the kind" grep -q "value 'parts'" "$TMP/c1.out"
rm "$D2/fapiao_items.csv"
"$SVCBILL" check --data "$D2" > "$TMP/c2.out" 2>&1
check_eq "check: without the file, one warning that says so (not one per kind)" \
	"$(grep -c 'fapiao_items.csv' "$TMP/c2.out"):$(grep -c 'fapiao_items.csv: warning: no such file: 商品和服务税收编码 and 项目名称 stay empty' "$TMP/c2.out")" "1:1"
printf 'kind,tax_code,item_name\r\nparts,123,x\r\nparts,1234567890123456789,y\r\nbogus,1234567890123456789,z\r\n' \
	> "$D2/fapiao_items.csv"
"$SVCBILL" check --data "$D2" > "$TMP/c3.out" 2>&1
check_eq "check: bad fapiao_items.csv rows are data errors" "$?" 65
check_eq "check: short code, duplicate kind, unknown kind each reported" \
	"$(grep -c 'fapiao_items.csv:[234]:' "$TMP/c3.out")" 3

# ---- hledger ------------------------------------------------------------
# The month with a partial payment and a reissue: C001 pays 5,000.00 of
# INV-202612-0003; H-2026-06's labour rate goes from 150 to 200 and its
# invoice INV-202612-0001 is reissued.
H=$TMP/h
cp -r "$D" "$H"
printf 'invoice_no,paid_on,amount\r\nINV-202612-0003,2026-12-15,"5,000.00"\r\n' > "$H/payments.csv"
sed -i 's/^H-2026-06,\(.*\),80,150,/H-2026-06,\1,80,200,/' "$H/contracts.csv"
"$SVCBILL" run --data "$H" --period $P --out "$O1" --reissue --quiet > /dev/null 2> "$TMP/reissue.err"
check_eq "reissue run exits 0" "$?" 0
check_eq "reissue run: the credit note is not a fapiao (no warning for it either)" \
	"$(grep -c 'fapiao.xlsx: CN-' "$TMP/reissue.err")" 0
wb fapiao "$O1" $P "$H" > "$TMP/fapiao2.out"
grep -v '^LEFTOUT' "$TMP/fapiao2.out" | sed 's/^\(....\) /\1 after the reissue: /'
check_eq "fapiao.xlsx after the reissue: no credit note, the new invoice in" \
	"$(sed -n 's/^LEFTOUT //p' "$TMP/fapiao2.out")" "INV-202612-0002"
"$SVCBILL" export hledger --out "$O1" --data "$H" > "$TMP/journal" 2> "$TMP/export.err"
check_eq "export hledger exits 0" "$?" 0
check "hledger -f - check accepts the journal" sh -c "hledger -f - check < '$TMP/journal'"
bal() {   # bal ACCOUNT: its balance as plain yuan ("0" when none)
	v=$(hledger -f "$TMP/journal" bal "$1" -N --flat -E -O csv 2>/dev/null |
		awk -F'","' -v a="$1" '$1 == "\"" a { gsub(/"| CNY/, "", $2); print $2 }')
	echo "${v:-0}"
}
# By hand.  W-2026-03 (C001): 3 months at 1,200.00 = 3,600.00 recurring;
# charges of November: service 3,000 + 8 x 400 + 5 x 150 + 4 x 500 - 500
# + 10 + 20 + 30 = 8,510.00, goods 1,280.00.  Net at 6 %: 12,110.00, tax
# 726.60; at 13 %: tax 166.40.  Gross 13,390.00 + 893.00 = 14,283.00, less
# the 5,000.00 paid: 9,283.00.
check_eq "hledger: C001 owes its gross less the partial payment" \
	"$(bal assets:receivable:C001)" "9283.00"
# H-2026-06 (C003): record SR-2611-104 (excluded, 2.5 h) now bills
# 2.5 x 200 = 500.00 instead of 375.00: net +125.00 at 6 %; the tax at 6 %
# is recomputed on the new net N6 + 125.00.  The credit note cancels the
# old gross, so C003 owes the new gross = old gross + 125.00 + delta tax.
old=$(awk -F, '$1 == "INV-202612-0001" && $11 == "issued" { print $10; exit }' "$O1/register.csv")
n6=$(awk -F, '$1 == "INV-202612-0001" && $NF ~ /^6\r?$/ { s += $(NF-1) } END { printf "%.2f", s }' "$O1/lines.csv")
want=$($PY -c "
from decimal import Decimal as D, ROUND_HALF_UP as H
r = lambda x: x.quantize(D('0.01'), H)
n6 = D('$n6')
print(D('$old') + D('125.00') + r((n6 + 125) * D('0.06')) - r(n6 * D('0.06')))")
check_eq "hledger: C003 owes the reissued invoice's gross (old $old)" \
	"$(bal assets:receivable:C003)" "$want"
# C002: nothing paid: it owes the gross of its one invoice
g2=$(awk -F, '$1 == "INV-202612-0002" { print $10; exit }' "$O1/register.csv")
check_eq "hledger: C002 owes its unpaid gross" "$(bal assets:receivable:C002)" "$g2"
check_eq "hledger: the bank holds the payment" "$(bal assets:bank)" "5000.00"
# revenue by kind = the net of the register's lines by kind (every line in
# lines.csv belongs to an issued invoice or a credit note)
rev_ok=$($PY - "$O1/lines.csv" "$TMP/journal" <<'EOF'
import csv, subprocess, sys
from decimal import Decimal
want = {}
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        want[r["kind"]] = want.get(r["kind"], 0) + Decimal(r["amount"])
out = subprocess.run(["hledger", "-f", sys.argv[2], "bal", "revenue", "-N", "--flat",
                      "-O", "csv"], capture_output=True, text=True).stdout
got = {}
for r in list(csv.reader(out.splitlines()))[1:]:
    got[r[0].split(":", 1)[1]] = -Decimal(r[1].replace(" CNY", ""))
want = {k: v for k, v in want.items() if v != 0}
print("ok" if got == want else "got %r want %r" % (got, want))
EOF
)
check_eq "hledger: revenue by kind = register net by kind" "$rev_ok" "ok"
check "hledger: a credit note is a transaction" grep -q "^2026-12-01 CN-202612-0001 " "$TMP/journal"
check_status "export: unknown format is a usage error" 64 "$SVCBILL" export ledger --out "$O1"

# ---- texts XML cannot hold ------------------------------------------------
# replace_in FILE ENCODING OLD NEW: the first OLD in FILE becomes NEW, in
# which Python's escapes (\x01, \ufffe) stand for their characters
replace_in() {
	python3 - "$@" <<'PY'
import re, sys
p, enc, old, new = sys.argv[1:5]
new = re.sub(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4}))",
             lambda m: chr(int(m.group(1) or m.group(2), 16)), new)
s = open(p, encoding=enc, newline="").read()
assert old in s
open(p, "w", encoding=enc, newline="").write(s.replace(old, new, 1))
PY
}
# A control character in the issuer's name (the workbooks' author): both
# workbooks still open in openpyxl, their author the name without it.
X=$TMP/ctl
cp -r "$D" "$X"
replace_in "$X/issuer.csv" utf-8-sig 上海恒维信息技术有限公司 '上海恒维\x01信息技术有限公司'
"$SVCBILL" run --data "$X" --period $P --out "$TMP/ctl-out" --quiet >/dev/null 2>&1
check_eq "a control character in the issuer's name: exit 0" "$?" 0
check_eq "... both workbooks open in openpyxl, author without it" "$($PY -c '
import sys, openpyxl
print(" ".join(openpyxl.load_workbook(f).properties.creator for f in sys.argv[1:]))
' "$TMP/ctl-out/$P/summary.xlsx" "$TMP/ctl-out/$P/fapiao.xlsx" 2>&1 | tail -n 1)" \
	"上海恒维信息技术有限公司 上海恒维信息技术有限公司"
# U+FFFE and U+FFFF are not characters: no workbook can hold them, so the
# cell is refused (file, line, column), before anything is written.
N=$TMP/nonchar
cp -r "$D" "$N"
replace_in "$N/clients.csv" utf-8 北京天行科技有限公司 '北京天行\ufffe科技有限公司'
line=$(grep -n '^C001,' "$N/clients.csv" | cut -d: -f1)
check_status "U+FFFE in a client's name: exit 65" 65 "$SVCBILL" run --data "$N" \
	--period $P --out "$TMP/nonchar-out"
check "... naming the cell" grep -q "clients.csv:$line: column '客户名称': U+FFFE or U+FFFF" "$TMP/status.out"
check "... nothing written" test ! -e "$TMP/nonchar-out"
# ... but not in a column that does not apply (SPEC §2.2: its value is not
# checked): the monthly fee of a contract that bills per device
N2=$TMP/nonchar2
cp -r "$D" "$N2"
python3 - "$N2/contracts.csv" <<'PY'
import csv, io, sys
p = sys.argv[1]
rows = list(csv.reader(io.StringIO(open(p, encoding="utf-8").read(), newline="")))
for r in rows[1:]:
    if r[0] == "S-2026-07":
        r[6] = "n/a\uffff"
out = io.StringIO(newline="")
csv.writer(out, lineterminator="\r\n").writerows(rows)
open(p, "w", encoding="utf-8", newline="").write(out.getvalue())
PY
check_status "U+FFFF in a monthly fee that does not apply: exit 0" 0 \
	"$SVCBILL" check --data "$N2"

# ---- number texts ----------------------------------------------------------
# An importer reading the sheet XML (the tax platform's) takes a number's
# text as it is.  libxlsxwriter writes 53294 fen / 100.0 as
# "532.9400000000001" (its %.16G), 7 % as a fraction "0.07000000000000001",
# 803 fen "8.029999999999999": each must be the shortest text of its
# double, the amount's two decimals.  A website contract of C001 from
# November, monthly: December's cycle 532.94 (one month, price 532.94),
# and two service charges of November, 0.07 and 8.03, all at 7 %.  By
# hand: net 532.94 + 0.07 + 8.03 = 541.04, tax round(541.04 x 7 %) =
# round(37.8728) = 37.87, gross 578.91.
XC="$PY $ROOT/tests/e2e/xlsx_cells.py"
V=$TMP/num
cp -r "$D" "$V"
printf '%s\r\n' 'W-2026-11,C001,website,2026-11-01,2027-10-31,1,532.94,,,,7,13,10,0,,,,CNY,,,' \
	>> "$V/contracts.csv"
printf '%s\r\n' 'W-2026-11,2026-11-10,域名解析,DNS record,1,0.07,服务' \
	'W-2026-11,2026-11-11,短信通知,SMS notices,1,8.03,服务' >> "$V/charges.csv"
"$SVCBILL" run --data "$V" --period $P --out "$TMP/num-out" --quiet >/dev/null 2>&1
check_eq "number texts: run exits 0" "$?" 0
S=$TMP/num-out/$P/summary.xlsx F=$TMP/num-out/$P/fapiao.xlsx
check_eq "summary.xlsx 明细 Lines: the amounts' texts are their two decimals" \
	"$($XC column "$S" '明细 Lines' 合同编号 W-2026-11 金额)" "532.94 0.07 8.03"
check_eq "... the unit prices' too" \
	"$($XC column "$S" '明细 Lines' 合同编号 W-2026-11 单价)" "532.94 0.07 8.03"
check_eq "... quantities and tax %" \
	"$($XC column "$S" '明细 Lines' 合同编号 W-2026-11 数量) $($XC column "$S" '明细 Lines' 合同编号 W-2026-11 税率%)" \
	"1 1 1 7 7 7"
check_eq "summary.xlsx 账单 Invoices: net, tax, gross" \
	"$($XC column "$S" '账单 Invoices' 合同编号 W-2026-11 不含税金额) $($XC column "$S" '账单 Invoices' 合同编号 W-2026-11 税额) $($XC column "$S" '账单 Invoices' 合同编号 W-2026-11 价税合计)" \
	"541.04 37.87 578.91"
inv=$($XC column "$S" '账单 Invoices' 合同编号 W-2026-11 账单号)
check "... its invoice number" test -n "$inv"
for h in 金额 单价; do
	check_eq "fapiao.xlsx 2-发票明细信息: $inv's $h texts" \
		"$($XC column "$F" 2-发票明细信息 发票流水号 "$inv" $h)" "532.94 0.07 8.03"
done
check_eq "... its tax rate 7 % as the fraction 0.07" \
	"$($XC column "$F" 2-发票明细信息 发票流水号 "$inv" 税率)" "0.07 0.07 0.07"
check_eq "number texts: every number of every sheet is its shortest text, money with at most 2 decimals" \
	"$($XC numbers "$S" "$F" "$O1/$P/summary.xlsx" "$O1/$P/fapiao.xlsx" 2>&1 | head -n 6)" ""
# read back as numbers by openpyxl: the doubles of fen / 100
check_eq "openpyxl: 明细 Lines amounts are the doubles of the fen / 100" \
	"$($XC fen "$S" '明细 Lines' 合同编号 W-2026-11 金额 2>&1)" "53294/100 7/100 803/100"
check_eq "openpyxl: fapiao amounts and rates are those doubles" \
	"$($XC fen "$F" 2-发票明细信息 发票流水号 "$inv" 金额 2>&1) $($XC fen "$F" 2-发票明细信息 发票流水号 "$inv" 税率 2>&1)" \
	"53294/100 7/100 803/100 7/100 7/100 7/100"
check_eq "openpyxl: every money cell of both workbooks is fen / 100" \
	"$($XC money "$S" '账单 Invoices' 不含税金额 税额 价税合计 2>&1
	   $XC money "$S" '明细 Lines' 金额 2>&1
	   $XC money "$F" 2-发票明细信息 金额 折扣金额 2>&1)" ""

# ---- LibreOffice ---------------------------------------------------------
if command -v soffice > /dev/null 2>&1; then
	L=$TMP/lo
	mkdir -p "$L"
	timeout 300 soffice --headless -env:UserInstallation="file://$L/profile" \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
		--outdir "$L" "$O1/$P/summary.xlsx" "$O1/$P/fapiao.xlsx" > "$L/log" 2>&1
	check "LibreOffice: 账单 Invoices converts with the client names" \
		grep -q "北京天行科技有限公司" "$L/summary-账单 Invoices.csv"
	check "LibreOffice: 明细 Lines keeps Chinese descriptions and the hostile text" \
		grep -q '=HYPERLINK(""http://evil.example"",""点我"")' "$L/summary-明细 Lines.csv"
	check "LibreOffice: fapiao 2-发票明细信息 keeps the item names" \
		grep -q '\*信息技术服务\*维护服务费' "$L/fapiao-2-发票明细信息.csv"
	check "LibreOffice: fapiao 1-发票基本信息 has the buyers" \
		grep -q "购买方名称" "$L/fapiao-1-发票基本信息.csv"
else
	echo "SKIP LibreOffice (soffice) not installed: the conversion test did not run"
fi
