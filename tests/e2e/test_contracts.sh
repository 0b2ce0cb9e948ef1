#!/bin/sh
# The sample's hardware contract as the seed writes it: the service-hour
# SLA clock with China's holiday calendar, and the preventive schedule on
# the record sheets and the summary.  Figures worked out by hand.
. "$(dirname "$0")/lib.sh"
OUT=$TMP/out
"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$OUT" \
	--quiet >/dev/null
check_eq "sample runs" "$?" 0

# Service hours, window Mon-Fri 09:00-17:00, 16 h:
#  SR-2611-102 Fri 11-06 08:30 -> Sat 11-07 09:15: 8 service hours, in time
#  SR-2611-103 Tue 11-10 10:00 -> Wed 11-11 16:00: 7 + 7 = 14, in time
#  SR-2611-104 emergency, wall clock: 5 h 20 min > 4 h: 1 day, -200.00
check_eq "only the emergency is credited on the hardware invoice" \
	"$(tr -d '\r' < "$OUT/lines.csv" | awk -F, '$1 == "INV-202612-0001" && $3 == "sla" { print $6 }')" \
	"SR-2611-104"
# The same data without the window: the wall clock credits SR-2611-102
# (24 h 45 min: 1 day) and SR-2611-103 (30 h: 1 day) too.
D=$TMP/data
mkdir "$D"
cp "$ROOT"/samples/basic/*.csv "$D/"
sed 's/周一至周五,09:00-17:00,3/,,3/' "$ROOT/samples/basic/contracts.csv" > "$D/contracts.csv"
"$SVCBILL" run --data "$D" --period 2026-12 --out "$TMP/wall" --quiet >/dev/null
check_eq "without the window the wall clock credits three records" \
	"$(tr -d '\r' < "$TMP/wall/lines.csv" | awk -F, '$1 == "INV-202612-0001" && $3 == "sla" { print $6 }' | tr '\n' ' ')" \
	"SR-2611-102 SR-2611-103 SR-2611-104 "

# Holidays change the clock: mark Mon 11-09 .. Wed 11-11 as holidays and
# SR-2611-103 (Tue 10:00 -> Wed 16:00) has no service hour at all, while a
# make-up Saturday 11-07 gives SR-2611-102 Fri 8 h + Sat 09:00-09:15 =
# 8 h 15 min: still in time.  Both stay uncredited.
printf 'date,kind,name\n2026-11-09,holiday,x\n2026-11-10,holiday,x\n2026-11-11,holiday,x\n2026-11-07,workday,y\n' > "$D/holidays.csv"
cp "$ROOT/samples/basic/contracts.csv" "$D/contracts.csv"
"$SVCBILL" run --data "$D" --period 2026-12 --out "$TMP/hol" --quiet >/dev/null
check_eq "a holiday file of our own: still only the emergency credited" \
	"$(tr -d '\r' < "$TMP/hol/lines.csv" | awk -F, '$1 == "INV-202612-0001" && $3 == "sla" { print $6 }')" \
	"SR-2611-104"

# Bad input through the command: FILE:LINE, column, exit 65, nothing written
printf 'date,kind,name\n2026-11-09,holiday,x\n2026/11/9,workday,y\n2026-11-10,off,z\n' > "$D/holidays.csv"
check_status "bad holidays.csv exits 65" 65 "$SVCBILL" run --data "$D" \
	--period 2026-12 --out "$TMP/bad"
check_eq "bad holidays.csv messages" "$(cat "$TMP/status.out")" \
"$D/holidays.csv:3: column 'date': this date is already on line 2 (value '2026-11-09')
$D/holidays.csv:4: column 'kind': use holiday (休息) or workday (调休) (value 'off')"
check "nothing written" test ! -e "$TMP/bad"
rm "$D/holidays.csv"
sed 's/周一至周五,09:00-17:00,3/周一到周五,09:00-17:00,3/' "$ROOT/samples/basic/contracts.csv" > "$D/contracts.csv"
check_status "bad service_days exits 65" 65 "$SVCBILL" check --data "$D"
check "bad service_days names FILE:LINE and column" grep -qF \
	"$D/contracts.csv:4: column 'service_days': not a list of service days" "$TMP/status.out"

# Preventive visits every 3 months; at the end of November 2026:
#  JM-PR-01 visited 11-04: next due 2027-02-04, on time
#  JM-PR-02, JM-PR-03, JM-RX-01, JM-RX-02 never visited, under contract from
#   2026-06-01: due 2026-09-01, overdue
#  JM-HS-01 left 11-15, JM-HS-02 joins 12-16: not listed
S=$OUT/2026-12/sheets
pdftotext -layout "$S/JM-PR-01.pdf" "$TMP/pr01.txt"
check "sheet: last visit and next due" grep -qE \
	'上次保养 +2026-11-04 +下次保养 +2027-02-04' "$TMP/pr01.txt"
pdftotext -layout "$S/JM-PR-02.pdf" "$TMP/pr02.txt"
check "sheet: never visited, overdue" grep -qE \
	'上次保养 +— 未保养 none yet +下次保养 +2026-09-01 +已逾期 overdue' "$TMP/pr02.txt"
pdftotext -layout "$S/DF-PC-03.pdf" "$TMP/pc03.txt"
check_eq "no schedule on a contract without pm_months" \
	"$(grep -c '下次保养' "$TMP/pc03.txt")" 0
pdftotext -layout "$OUT/2026-12/summary.pdf" "$TMP/sum.txt"
check_eq "summary: the overdue devices" \
	"$(sed -n '/^逾期保养/,$p' "$TMP/sum.txt" | grep -oE '^(JM|DF|W)-[A-Z0-9-]+' | tr '\n' ' ')" \
	"JM-PR-02 JM-PR-03 JM-RX-01 JM-RX-02 "
check "summary: heading with the month's end" grep -qF \
	"逾期保养 Preventive visits overdue at 2026-11-30" "$TMP/sum.txt"
