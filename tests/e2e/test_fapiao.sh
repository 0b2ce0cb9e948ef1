#!/bin/sh
# fapiao.xlsx's rows name what each line is (SPEC §5.5: 项目名称 and
# 商品和服务税收编码 from fapiao_items.csv by the kind of line, 规格型号
# the device or part), and invoice numbers go on within a period whatever
# the prefix (SPEC §4).  The expected names and codes are read from the
# input fapiao_items.csv; which charge or part each line is, by hand.
. "$(dirname "$0")/lib.sh"

base() {   # base DIR: an issuer, a client, the sample's fapiao items
	mkdir -p "$1"
	printf 'name_zh,name_en\n测试公司,Test Co\n' > "$1/issuer.csv"
	printf 'client_id,name_zh\nC1,客户一\n' > "$1/clients.csv"
	printf 'contract_id,class,monthly_fee\n' > "$1/rates.csv"
	printf 'device_id,contract_id,class\n' > "$1/devices.csv"
	printf 'record_id,device_id,type,completed_at\n' > "$1/service_records.csv"
	cp "$ROOT/samples/basic/fapiao_items.csv" "$1/"
}
item() {   # item KIND: "项目名称|编码" of the kind in the sample's file
	tr -d '\r' < "$ROOT/samples/basic/fapiao_items.csv" |
		awk -F, -v k="$1" '$1 == k { print $3 "|" $2 }'
}
detail() {   # detail XLSX: "项目名称|编码|规格型号|金额" per detail row
	/usr/bin/python3 - "$1" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['2-发票明细信息']
for r in list(ws.iter_rows(values_only=True))[1:]:
    print('%s|%s|%s|%s' % (r[1], r[2], r[3] or '', r[7]))
PY
}

# Two charges of one month with the same description, one goods and one
# service: each its own kind (the goods one at 13 %, the service at 6 %).
D=$TMP/d1
base "$D"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee\nK1,C1,website,2027-01-01,2027-12-31,1,100\n' > "$D/contracts.csv"
printf 'contract_id,date,description_zh,qty,unit_price,category\nK1,2026-01-11,打印机,1,2000,goods\nK1,2026-01-11,打印机,1,300,service\n' > "$D/charges.csv"
"$SVCBILL" run --data "$D" --period 2026-02 --out "$TMP/o1" --quiet >/dev/null 2>&1
check_eq "charges of one description: run exit 0" "$?" 0
check_eq "... the goods charge is charge_goods, the service one charge_service" \
	"$(detail "$TMP/o1/2026-02/fapiao.xlsx")" \
	"$(item charge_goods)||2000
$(item charge_service)||300"

# The same two charges at one tax rate (tax_pct = goods_tax_pct): the two
# lines read the same; the first in the file is the first line.
D=$TMP/d2
base "$D"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,tax_pct,goods_tax_pct\nK1,C1,website,2027-01-01,2027-12-31,1,100,6,6\n' > "$D/contracts.csv"
printf 'contract_id,date,description_zh,qty,unit_price,category\nK1,2026-01-11,打印机,1,300,service\nK1,2026-01-12,打印机,1,300,goods\n' > "$D/charges.csv"
"$SVCBILL" run --data "$D" --period 2026-02 --out "$TMP/o2" --quiet >/dev/null 2>&1
check_eq "identical charge lines: each charge's own kind, in file order" \
	"$(detail "$TMP/o2/2026-02/fapiao.xlsx")" \
	"$(item charge_service)||300
$(item charge_goods)||300"

# A part whose share rounds to 0.00 makes no line (0.5 x 0.01 x 50 %):
# the one parts line is the board's, and 规格型号 names it.
D=$TMP/d3
base "$D"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,parts_pct\nK1,C1,website,2027-01-01,2027-12-31,1,100,50\n' > "$D/contracts.csv"
printf 'device_id,contract_id,class\nD1,K1,pc\n' > "$D/devices.csv"
printf 'record_id,device_id,type,completed_at,cause\nR1,D1,repair,2026-01-05 10:00,covered\n' > "$D/service_records.csv"
printf 'part_no,name_zh,list_price\nTIE,扎带,0.01\nBOARD,主板,800\n' > "$D/parts.csv"
printf 'record_id,part_no,qty,list_price\nR1,TIE,0.5,\nR1,BOARD,1,\n' > "$D/parts_used.csv"
"$SVCBILL" run --data "$D" --period 2026-02 --out "$TMP/o3" --quiet >/dev/null 2>&1
check_eq "a part at 0.00 makes no line: run exit 0" "$?" 0
check_eq "... 规格型号 of the parts line names the board (800.00 x 50 %)" \
	"$(detail "$TMP/o3/2026-02/fapiao.xlsx" | grep '维修零件')" \
	"$(item parts)|BOARD|400"

# fapiao_items.csv's kinds in any case, as every enumerated value
# (SPEC §2.2): Recurring is recurring's row.
D=$TMP/d4
base "$D"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee\nK1,C1,WEBSITE,2026-01-01,2026-12-31,1,100\n' > "$D/contracts.csv"
printf 'kind,tax_code,item_name,unit\nRecurring,3040201020000000000,*信息技术服务*维护服务费,月\n' > "$D/fapiao_items.csv"
"$SVCBILL" run --data "$D" --period 2026-01 --out "$TMP/o4" --quiet >/dev/null 2>"$TMP/o4.err"
check_eq "a kind written Recurring: run exit 0" "$?" 0
check_eq "... its row names the recurring line" \
	"$(detail "$TMP/o4/2026-01/fapiao.xlsx" | cut -d'|' -f1,2)" \
	"*信息技术服务*维护服务费|3040201020000000000"
printf 'kind,tax_code,item_name,unit\nRecurring,3040201020000000000,a,月\nrecurring,3040201020000000000,b,月\n' > "$D/fapiao_items.csv"
check_status "... and recurring again: given twice (exit 65)" 65 \
	"$SVCBILL" check --data "$D"

# The prefix changed within a period: the next invoice goes on from the
# highest NNNN of the period (SPEC §4), not from 0001 again.
D=$TMP/d5
base "$D"
printf 'name_zh,invoice_prefix\n测试公司,INV\n' > "$D/issuer.csv"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee\nK1,C1,website,2026-01-01,2026-12-31,1,100\n' > "$D/contracts.csv"
"$SVCBILL" run --data "$D" --period 2026-01 --out "$TMP/o5" --quiet >/dev/null 2>&1
printf 'name_zh,invoice_prefix\n测试公司,HW\n' > "$D/issuer.csv"
printf 'K2,C1,website,2026-01-01,2026-12-31,1,50\n' >> "$D/contracts.csv"
"$SVCBILL" run --data "$D" --period 2026-01 --out "$TMP/o5" --quiet >/dev/null 2>&1
check_eq "a new prefix in a period: run exit 0" "$?" 0
check_eq "... the new invoice is HW-202601-0002" \
	"$(tr -d '\r' < "$TMP/o5/register.csv" | cut -d, -f1 | tail -n +2)" \
	"INV-202601-0001
HW-202601-0002"
check_status "... verify: the archive holds" 0 "$SVCBILL" verify --out "$TMP/o5"
