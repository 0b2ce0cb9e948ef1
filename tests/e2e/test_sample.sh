#!/bin/sh
# The basic sample billed for December 2026, every total worked out by hand.
. "$(dirname "$0")/lib.sh"
OUT=$TMP/out
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$OUT" \
	> "$TMP/stdout" 2> "$TMP/stderr"
check_eq "run exits 0" "$?" 0
check_eq "summary line" "$(sed 's/, ledger seal [0-9a-f]\{64\}$//' "$TMP/stdout")" \
	"2026-12: 3 invoices, net 21,651.43, tax 1,794.90, gross 23,446.33 (3 new, 0 unchanged, 0 reissued)"
check_eq "nothing on stderr" "$(cat "$TMP/stderr")" ""

# H-2026-06 (hardware, 8 % a year, 6-month cycle from 2026-12-01):
#  JM-HS-02 joins 12-16: 59.7333 x (16/31 + 5) = 329.50; ZT410 x2 512.00
#  each, TTP-344M 258.00, receivers 140.00 each  = 1,891.50
#  SLA 16 h in service hours, window Mon-Fri 09:00-17:00 (no holiday in
#  November 2026):
#  SR-2611-102 covered: printhead 1,680 x 80 % = 1,344; roller 256;
#    called Fri 11-06 08:30, arrived Sat 11-07 09:15: the clock starts at
#    09:00, Friday gives 8 h, Saturday none: 8 h <= 16 h, no credit (the
#    wall clock's 24.75 h would be one day late)
#  SR-2611-103 level 3: quote 2,350 + freight 120 + duty 85; called Tue
#    11-10 10:00, arrived Wed 11-11 16:00: 7 h + 7 h = 14 h, no credit
#  SR-2611-104 excluded emergency: labour 2.5 h x 150 = 375; LCD 450 +
#    cover 280 at list; emergencies keep the wall clock: 5 h 20 min > 4 h,
#    one 24 h day: -200
#  net 1,891.50 + 1,600 + 2,555 + 375 + 730 - 200 = 6,951.50;
#  6 % of 2,066.50 = 123.99; 13 % of 4,885.00 = 635.05; tax 759.04
row_h=$(row "$OUT/register.csv" INV-202612-0001 | cut -d, -f1-11)
check_eq "hardware invoice" "$row_h" \
	"INV-202612-0001,2026-12,H-2026-06,C003,2026-12-01,2026-12-31,CNY,6951.50,759.04,7710.54,issued"
# S-2026-07 (software, per device per month): 2 laptops + 2 servers 200,
#  5 desktops 150, DF-PC-06 leaves 12-20: 30 x 20/31 = 19.35, DF-PC-07/08
#  join 12-10: 30 x 22/31 = 21.29 each -> 411.93; SLA -100 (emergency,
#  9 h 40 min > 2 h) and -100 (20 h > 8 h); excluded labour 2 h x 120 =
#  240; part 260 at list; memory 2 x 329 = 658 (goods)
#  net 1,369.93; 6 % of 451.93 = 27.12; 13 % of 918 = 119.34
row_s=$(row "$OUT/register.csv" INV-202612-0002 | cut -d, -f1-11)
check_eq "software invoice" "$row_s" \
	"INV-202612-0002,2026-12,S-2026-07,C002,2026-12-01,2026-12-11,CNY,1369.93,146.46,1516.39,issued"
# W-2026-03 (website, 1,200 a month, quarterly from March): 3,600 for
#  Dec-Feb; design charges 3,000 + 3,200 + 750 + 2,000 - 500 = 8,450;
#  SSL certificate 1,280 (goods); 6 % of 12,050 = 723; 13 % of 1,280 = 166.40
row_w=$(row "$OUT/register.csv" INV-202612-0003 | cut -d, -f1-11)
check_eq "website invoice" "$row_w" \
	"INV-202612-0003,2026-12,W-2026-03,C001,2026-12-01,2026-12-11,CNY,13330.00,889.40,14219.40,issued"

check_eq "register has 3 rows" "$(tr -d '\r' < "$OUT/register.csv" | wc -l)" 4
check_eq "register starts with a BOM" \
	"$(head -c 3 "$OUT/register.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check_eq "register rows end with CRLF" "$(crlf_lines "$OUT/register.csv")" 4
check_eq "lines of the hardware invoice" \
	"$(grep -c '^INV-202612-0001,' "$OUT/lines.csv")" 15
# joins 12-10: 22/31 of 30.00 = 21.29; 0.71 x 30 = 21.30, 0.710 too,
# 0.7097 x 30 = 21.291 (SPEC §4: the fewest decimals that multiply out)
check_eq "prorated line" "$(line_of "$OUT/lines.csv" INV-202612-0002 10)" \
	"recurring,S-2026-07,DF-PC-08,,2026-12-01,2026-12-31,0.7097,30.00,21.29,6"
check_eq "SLA line" "$(line_of "$OUT/lines.csv" INV-202612-0002 13)" \
	"sla,S-2026-07,DF-SV-02,SR-2611-002,,,1.00,-100.00,-100.00,6"
check_eq "manufacturer duty line" "$(line_of "$OUT/lines.csv" INV-202612-0001 11)" \
	"oem,H-2026-06,JM-RX-01,SR-2611-103,,,,,85.00,13"
check_eq "discount charge line" "$(line_of "$OUT/lines.csv" INV-202612-0003 7)" \
	"charge,W-2026-03,,,,,1.00,-500.00,-500.00,6"
# a part's two descriptions from parts.csv (ZB-PL-01: ZT410 胶辊, ZT410
# platen roller, 320.00), the record and the contract's parts_pct (80):
# rules.md's templates, the Chinese name only in Chinese, the English
# one only in English
desc() {   # desc FILE INVOICE LINE: its two descriptions, tab apart
	tr -d '\r' < "$1" | python3 -c 'import csv, sys
for r in csv.reader(sys.stdin):
    if r[0] == sys.argv[1] and r[1] == sys.argv[2]: print(r[8] + "\t" + r[9])' "$2" "$3"
}
check_eq "part line descriptions" "$(desc "$OUT/lines.csv" INV-202612-0001 8)" \
	"$(printf '零件 ZB-PL-01 ZT410 胶辊（SR-2611-102，定价 ¥320.00 × 80%%）\tZT410 platen roller ZB-PL-01 (record SR-2611-102, list price CNY 320.00 × 80%%)')"
check_eq "lines sum to each net" "$(tr -d '\r' < "$OUT/lines.csv" | awk -F, \
	'NR>1 { s[$1] += $(NF-1) } END { for (k in s) printf "%s=%.2f\n", k, s[k] }' | sort | tr '\n' ' ')" \
	"INV-202612-0001=6951.50 INV-202612-0002=1369.93 INV-202612-0003=13330.00 "
check_eq "summary.csv" "$(tr -d '\r' < "$OUT/2026-12/summary.csv" | tail -n +2 | cut -d, -f1,4,5,8)" \
"INV-202612-0001,苏州精密物流股份有限公司,price_percent,7710.54
INV-202612-0002,上海东方贸易有限公司,device_monthly,1516.39
INV-202612-0003,北京天行科技有限公司,website,14219.40"
check "SHA256SUMS holds" sh -c "cd '$OUT/2026-12' && sha256sum -c --quiet SHA256SUMS"
check_eq "SHA256SUMS lists every file" "$(cut -c67- "$OUT/2026-12/SHA256SUMS" | tr '\n' ' ')" \
	"fapiao.xlsx invoices/INV-202612-0001.pdf invoices/INV-202612-0002.pdf invoices/INV-202612-0003.pdf sheets/DF-NB-01.pdf sheets/DF-PC-01.pdf sheets/DF-PC-03.pdf sheets/DF-SV-02.pdf sheets/JM-PR-01.pdf sheets/JM-PR-02.pdf sheets/JM-PR-03.pdf sheets/JM-RX-01.pdf summary.csv summary.pdf summary.xlsx "
check "verify passes" "$SVCBILL" verify --out "$OUT"
check_eq "dry run writes nothing" "$("$SVCBILL" run --data "$ROOT/samples/basic" \
	--period 2026-12 --out "$TMP/dry" --dry-run >/dev/null 2>&1; echo $?; ls "$TMP/dry" 2>/dev/null)" 0

# The same run under AddressSanitizer and UndefinedBehaviorSanitizer.
check "sanitizer run" "$ASAN_SVCBILL" run --data "$ROOT/samples/basic" \
	--period 2026-12 --out "$TMP/asan" --jobs 1 --quiet
check "sanitizer run gives the same register" cmp "$OUT/register.csv" "$TMP/asan/register.csv"

# SVCBILL_TIMES=1 (what make bench reads): the steps' times on stderr, one
# tally per kind of document counting its documents, and the same files
SVCBILL_TIMES=1 "$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 \
	--out "$TMP/timed" --jobs 1 --quiet > /dev/null 2> "$TMP/times"
check_eq "timed run: the per-document tallies make bench reads" \
	"$(awk '$3 ~ /^(invoices|sheets):$/ { print $3, $4, $(NF - 4), $(NF - 3) }' "$TMP/times" | tr -d ',')" \
	"invoices: layout in 3
invoices: PDF in 3
invoices: SHA-256 in 3
invoices: writing in 3
sheets: layout in 8
sheets: PDF in 8
sheets: SHA-256 in 8
sheets: writing in 8"
check "... every step of the run timed" grep -q "time: ledger index updated .* ms CPU" "$TMP/times"
check "... and the same archive" diff -r -x .lock "$OUT" "$TMP/timed"
