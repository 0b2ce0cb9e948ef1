#!/bin/sh
# Late fees (rules.md §3.5) and true-ups (§3.4) on five contracts billed
# together over four months, so that each contract's earlier invoices
# must be found among the others' in the register (history sorted by
# contract id, contracts.csv in another order).  Every expected amount is
# worked out by hand below from the rules, never taken from svcbill.
. "$(dirname "$0")/lib.sh"
D=$TMP/data
O=$TMP/out
mkdir -p "$D"
cat > "$D/issuer.csv" <<'CSV'
name_zh,invoice_prefix
测试维护公司,INV
CSV
cat > "$D/clients.csv" <<'CSV'
client_id,name_zh
C4,客户丁
C1,客户甲
C3,客户丙
C2,客户乙
C5,客户戊
CSV
# File order D, A, E, C, B; id order (and invoice numbering) A, B, C, D, E.
# Late fee rates differ so that a fee billed on the wrong contract shows.
contracts() {   # contracts E_MONTHLY_FEE
	cat > "$D/contracts.csv" <<CSV
contract_id,client_id,type,start,end,cycle_months,monthly_fee,annual_pct,tax_pct,payment_days,late_fee_pct
LF-D,C4,device_monthly,2026-01-01,2026-12-31,1,,,6,10,0.03
LF-A,C1,website,2026-01-01,2026-12-31,1,"1,000.00",,6,15,0.1
LF-E,C5,website,2026-01-01,2026-12-31,1,$1,,6,10,0.05
LF-C,C3,price_percent,2026-01-01,2026-12-31,1,,12,6,5,0.05
LF-B,C2,device_monthly,2026-01-01,2026-12-31,3,,,6,20,0.02
CSV
}
contracts 500.00
cat > "$D/rates.csv" <<'CSV'
contract_id,class,monthly_fee
LF-D,desktop,100.00
LF-D,laptop,150.00
LF-B,server,200.00
CSV
devices_jan() {
	cat > "$D/devices.csv" <<'CSV'
device_id,contract_id,class,purchase_price,from,to
DD1,LF-D,desktop,,,
DD2,LF-D,laptop,,,
CP1,LF-C,scanner,"12,345.00",,
CP2,LF-C,printer,"8,000.00",,
BS1,LF-B,server,,,
BS2,LF-B,server,,,
CSV
}
# As known at the start of February: on LF-D, DD2 left on 20 January and
# DD3 joined on 15 January; on LF-C, CP3 joined on 25 January.
devices_feb() {
	cat > "$D/devices.csv" <<'CSV'
device_id,contract_id,class,purchase_price,from,to
DD1,LF-D,desktop,,,
DD2,LF-D,laptop,,,2026-01-20
DD3,LF-D,desktop,,2026-01-15,
CP1,LF-C,scanner,"12,345.00",,
CP2,LF-C,printer,"8,000.00",,
CP3,LF-C,printer,"6,200.00",2026-01-25,
BS1,LF-B,server,,,
BS2,LF-B,server,,,
CSV
}
printf 'record_id,device_id,type,completed_at\n' > "$D/service_records.csv"
devices_jan

bill() {   # bill PERIOD [--reissue]: runs the month, which must succeed
	"$SVCBILL" run --data "$D" --period "$1" --out "$O" --quiet ${2:+"$2"} \
		>/dev/null 2>"$TMP/err.$1"
	check_eq "run $1${2:+ $2}" "$?" 0
}
# invoice_no,contract,due_date,net,tax,gross,status of an invoice's last row
reg() { tr -d '\r' < "$O/register.csv" | grep "^$1," | tail -n 1 |
	cut -d, -f1,3,6,8-11; }
# Every late-fee line of a month's invoices, one per line:
# contract,invoice named in the description,days,amount
latefees() {
	tr -d '\r' < "$O/lines.csv" | grep "^INV-$1-" | awk -F, '$3 == "late_fee" {
		named = "?"
		if (match($0, /,逾期违约金 [A-Z]+-[0-9]+-[0-9]+（/)) {
			named = substr($0, RSTART, RLENGTH)
			gsub(/^,逾期违约金 |（$/, "", named)
		}
		print $4 "," named "," $(NF-3) "," $(NF-1) }'
}
# kind,device,cycle_start,amount of every line of an invoice
lines() { tr -d '\r' < "$O/lines.csv" | grep "^$1," |
	awk -F, '{ print $3 "," $5 "," $7 "," $(NF-1) }'; }

# ---- January: the first cycles in advance -----------------------------
# LF-A website 1,000.00: tax 60.00, gross 1,060.00, due 01-01 + 15 = 01-16
# LF-B 2 servers x 3 months x 200.00 = 1,200.00, tax 72.00, gross
#      1,272.00, due 01-21
# LF-C 12 % a year = 1 % a month of 12,345.00 and 8,000.00: 123.45 + 80.00
#      = 203.45, tax 12.207 -> 12.21, gross 215.66, due 01-06
# LF-D 100.00 + 150.00 = 250.00, tax 15.00, gross 265.00, due 01-11
# LF-E website 500.00: tax 30.00, gross 530.00, due 01-11
bill 2026-01
check_eq "January LF-A" "$(reg INV-202601-0001)" \
	"INV-202601-0001,LF-A,2026-01-16,1000.00,60.00,1060.00,issued"
check_eq "January LF-B" "$(reg INV-202601-0002)" \
	"INV-202601-0002,LF-B,2026-01-21,1200.00,72.00,1272.00,issued"
check_eq "January LF-C" "$(reg INV-202601-0003)" \
	"INV-202601-0003,LF-C,2026-01-06,203.45,12.21,215.66,issued"
check_eq "January LF-D" "$(reg INV-202601-0004)" \
	"INV-202601-0004,LF-D,2026-01-11,250.00,15.00,265.00,issued"
check_eq "January LF-E" "$(reg INV-202601-0005)" \
	"INV-202601-0005,LF-E,2026-01-11,500.00,30.00,530.00,issued"

# LF-E's fee was wrong: 600.00.  200.00 was paid on 0005 before the
# correction; it is not carried to the replacement 0006 (636.00, due
# 01-11 as the issue date stays 01-01).
printf 'invoice_no,paid_on,amount\nINV-202601-0005,2026-01-05,200.00\n' > "$D/payments.csv"
contracts 600.00
bill 2026-01 --reissue
check_eq "January LF-E cancelled" "$(reg INV-202601-0005 | cut -d, -f7)" cancelled
check_eq "January LF-E replaced" "$(reg INV-202601-0006)" \
	"INV-202601-0006,LF-E,2026-01-11,600.00,36.00,636.00,issued"

# ---- February (A = January, 31 days) ----------------------------------
# Payments, in no particular order, naming invoices of every contract:
#  LF-C: 100.00 on its due date 01-06, the rest 115.66 on 01-20
#  LF-B: all 1,272.00 on 01-25, 4 days after its due date 01-21
#  LF-A: 333.33 on 01-10, before its due date; the rest only in February
#  LF-D: nothing in January; LF-E: only the 200.00 on the cancelled 0005
# The due dates are the register's (checked above).
cat > "$D/payments.csv" <<'CSV'
invoice_no,paid_on,amount
INV-202601-0003,2026-01-20,115.66
INV-202601-0005,2026-01-05,200.00
INV-202601-0002,2026-01-25,"1,272.00"
INV-202601-0001,2026-01-10,333.33
INV-202601-0003,2026-01-06,100.00
CSV
devices_feb
bill 2026-02
# Late fees, fee = round(sum over the days of January after the due date
# of the outstanding amount x rate / 100):
#  0001 (LF-A, 0.1 %): days 17..31 = 15, each 1,060.00 - 333.33 = 726.67:
#       10,900.05 x 0.001 = 10.90005 -> 10.90
#  0002 (LF-B, 0.02 %): days 22, 23, 24 at 1,272.00 (paid on the 25th,
#       which counts that day): 3,816.00 x 0.0002 = 0.7632 -> 0.76
#  0003 (LF-C, 0.05 %): days 7..19 = 13 at 115.66 (the 100.00 paid on
#       the due date counts), nothing from the 20th: 1,503.58 x 0.0005 =
#       0.75179 -> 0.75
#  0004 (LF-D, 0.03 %): days 12..31 = 20 at 265.00: 5,300.00 x 0.0003 =
#       1.59
#  0005 cancelled: none.  0006 (LF-E, 0.05 %): days 12..31 = 20 at the
#       whole 636.00: 12,720.00 x 0.0005 = 6.36
check_eq "February: a late fee for each overdue January invoice, none for the cancelled one" \
	"$(latefees 202602)" \
"LF-A,INV-202601-0001,15.00,10.90
LF-B,INV-202601-0002,3.00,0.76
LF-C,INV-202601-0003,13.00,0.75
LF-D,INV-202601-0004,20.00,1.59
LF-E,INV-202601-0006,20.00,6.36"

# True-ups of the January cycles (last day 01-31, in A), same run:
#  LF-D: DD2 billed 150.00, now 150.00 x 20/31 = 96.774 -> 96.77: -53.23;
#        DD3 billed 0, now 100.00 x 17/31 = 54.839 -> 54.84: +54.84
#  LF-C: CP3 billed 0, now 1 % of 6,200.00 = 62.00 x 7/31 = 14.00
#  LF-A, LF-E (websites, unchanged; 0005's 500.00 no longer counts as
#  billed): none
# February recurring: LF-D DD1, DD3 100.00 each (DD2 gone); LF-C CP1
# 123.45, CP2 80.00, CP3 62.00; LF-A 1,000.00; LF-E 600.00; LF-B none
# (quarterly).
check_eq "February LF-D lines: two true-ups" "$(lines INV-202602-0004)" \
"recurring,DD1,2026-02-01,100.00
recurring,DD3,2026-02-01,100.00
trueup,DD2,2026-01-01,-53.23
trueup,DD3,2026-01-01,54.84
late_fee,,,1.59"
check_eq "February LF-C lines: one true-up" "$(lines INV-202602-0003)" \
"recurring,CP1,2026-02-01,123.45
recurring,CP2,2026-02-01,80.00
recurring,CP3,2026-02-01,62.00
trueup,CP3,2026-01-01,14.00
late_fee,,,0.75"
check_eq "February LF-A lines: no true-up" "$(lines INV-202602-0001)" \
"recurring,,2026-02-01,1000.00
late_fee,,,10.90"
check_eq "February LF-E lines: no true-up against the cancelled invoice" \
	"$(lines INV-202602-0005)" \
"recurring,,2026-02-01,600.00
late_fee,,,6.36"
# Totals (tax 6 % of the net, rounded once):
#  LF-A 1,010.90, tax 60.654 -> 60.65, gross 1,071.55, due 02-16
#  LF-B 0.76, tax 0.0456 -> 0.05, gross 0.81, due 02-21
#  LF-C 280.20, tax 16.812 -> 16.81, gross 297.01, due 02-06
#  LF-D 203.20, tax 12.192 -> 12.19, gross 215.39, due 02-11
#  LF-E 606.36, tax 36.3816 -> 36.38, gross 642.74, due 02-11
check_eq "February invoices" "$(for n in 1 2 3 4 5; do reg INV-202602-000$n; done)" \
"INV-202602-0001,LF-A,2026-02-16,1010.90,60.65,1071.55,issued
INV-202602-0002,LF-B,2026-02-21,0.76,0.05,0.81,issued
INV-202602-0003,LF-C,2026-02-06,280.20,16.81,297.01,issued
INV-202602-0004,LF-D,2026-02-11,203.20,12.19,215.39,issued
INV-202602-0005,LF-E,2026-02-11,606.36,36.38,642.74,issued"

# ---- March (A = February, 28 days) ------------------------------------
#  LF-A: the rest of 0001 (726.67) on 02-10; 0201 paid on 02-15, before
#        its due date 02-16
#  LF-B: 0202 (0.81) not paid
#  LF-C: 0203 (297.01): 150.00 on 02-10, 200.00 on 03-02 (after A)
#  LF-D: 0104 paid 300.00 (more than owed) on 02-20; 0204 not paid
#  LF-E: 0106 not paid; 0205 paid exactly on its due date 02-11
cat >> "$D/payments.csv" <<'CSV'
INV-202602-0003,2026-03-02,200.00
INV-202601-0004,2026-02-20,300.00
INV-202602-0005,2026-02-11,642.74
INV-202602-0001,2026-02-15,"1,071.55"
INV-202601-0001,2026-02-10,726.67
INV-202602-0003,2026-02-10,150.00
CSV
bill 2026-03
#  0101 (LF-A, 0.1 %): days 1..9 at 726.67 = 6,540.03 x 0.001 = 6.54003
#       -> 6.54; 0201 paid in time: none
#  0202 (LF-B, 0.02 %): days 22..28 = 7 at 0.81 = 5.67 x 0.0002 = 0.001134
#       -> 0.00: no line, and LF-B has nothing else: no invoice
#  0203 (LF-C, 0.05 %): days 7, 8, 9 at 297.01 = 891.03, days 10..28 = 19
#       at 147.01 = 2,793.19; 3,684.22 x 0.0005 = 1.84211 -> 1.84, 22 days
#  0104 (LF-D, 0.03 %): days 1..19 at 265.00 = 5,035.00 x 0.0003 = 1.5105
#       -> 1.51; 0204: days 12..28 = 17 at 215.39 = 3,661.63 x 0.0003 =
#       1.098489 -> 1.10
#  0106 (LF-E, 0.05 %): 28 days at 636.00 = 17,808.00 x 0.0005 = 8.904
#       -> 8.90; 0105 cancelled, 0205 paid on its due date: none
# Numbers: LF-A 0001, LF-C 0002, LF-D 0003, LF-E 0004.
check_eq "March: late fees on January's and February's invoices" \
	"$(latefees 202603)" \
"LF-A,INV-202601-0001,9.00,6.54
LF-C,INV-202602-0003,22.00,1.84
LF-D,INV-202601-0004,19.00,1.51
LF-D,INV-202602-0004,17.00,1.10
LF-E,INV-202601-0006,28.00,8.90"
# No device changed in February: no true-up.  Totals:
#  LF-A 1,006.54, tax 60.3924 -> 60.39, gross 1,066.93
#  LF-C 265.45 + 1.84 = 267.29, tax 16.0374 -> 16.04, gross 283.33
#  LF-D 200.00 + 1.51 + 1.10 = 202.61, tax 12.1566 -> 12.16, gross 214.77
#  LF-E 608.90, tax 36.534 -> 36.53, gross 645.43
check_eq "March invoices, none for LF-B" \
	"$(tr -d '\r' < "$O/register.csv" | grep '^INV-202603-' | cut -d, -f1,3,8-10)" \
"INV-202603-0001,LF-A,1006.54,60.39,1066.93
INV-202603-0002,LF-C,267.29,16.04,283.33
INV-202603-0003,LF-D,202.61,12.16,214.77
INV-202603-0004,LF-E,608.90,36.53,645.43"
check_eq "March: no true-up" "$(tr -d '\r' < "$O/lines.csv" | grep '^INV-202603-' | grep -c ',trueup,')" 0

# ---- April (A = March, 31 days) ---------------------------------------
# LF-B's first quarter (01-01..03-31) ends in March: BS2 turns out to
# have left on 14 February.  Payments: LF-A 1,000.00 of 0301 (1,066.93,
# due 03-16) on 03-20; LF-C 0302 (283.33) on its due date 03-06; LF-E
# 0304 (645.43, due 03-11) only on 04-01, after A.  LF-B's 0202 and
# LF-D's 0204 and 0303 stay unpaid.
sed 's/^BS2,LF-B,server,,,$/BS2,LF-B,server,,,2026-02-14/' "$D/devices.csv" > "$TMP/dev"
mv "$TMP/dev" "$D/devices.csv"
cat >> "$D/payments.csv" <<'CSV'
INV-202603-0004,2026-04-01,645.43
INV-202603-0001,2026-03-20,"1,000.00"
INV-202603-0002,2026-03-06,283.33
CSV
bill 2026-04
#  0301 (LF-A, 0.1 %): days 17, 18, 19 at 1,066.93 = 3,200.79, days 20..31
#       = 12 at 66.93 = 803.16: 4,003.95 x 0.001 = 4.00395 -> 4.00, 15 days
#  0202 (LF-B, 0.02 %): 31 days at 0.81 = 25.11 x 0.0002 = 0.005022 -> 0.01
#  0203 (LF-C, 0.05 %): 150.00 + 200.00 paid, the 200.00 on 03-02: only
#       03-01 at 147.01 = 0.073505 -> 0.07, 1 day; 0302 paid on its due
#       date: none
#  0204 (LF-D, 0.03 %): 31 days at 215.39 = 6,677.09 x 0.0003 = 2.003127
#       -> 2.00; 0303 (214.77, due 03-11): days 12..31 = 20: 4,295.40 x
#       0.0003 = 1.28862 -> 1.29
#  0106 (LF-E, 0.05 %): 31 days at 636.00 = 19,716.00 x 0.0005 = 9.858 ->
#       9.86; 0304: days 12..31 = 20 at 645.43 (paid in April) =
#       12,908.60 x 0.0005 = 6.4543 -> 6.45
check_eq "April: late fees, LF-B's worth one fen" "$(latefees 202604)" \
"LF-A,INV-202603-0001,15.00,4.00
LF-B,INV-202602-0002,31.00,0.01
LF-C,INV-202602-0003,1.00,0.07
LF-D,INV-202602-0004,31.00,2.00
LF-D,INV-202603-0003,20.00,1.29
LF-E,INV-202601-0006,31.00,9.86
LF-E,INV-202603-0004,20.00,6.45"
# LF-B: the second quarter for BS1, 3 x 200.00; the first quarter trued
# up: BS2 billed 600.00, now 200.00 (January) + 200.00 x 14/28 (February)
# = 300.00: -300.00; BS1 unchanged.  The monthly contracts' March cycles
# did not change: no other true-up.
check_eq "April LF-B lines: the quarter's true-up" "$(lines INV-202604-0002)" \
"recurring,BS1,2026-04-01,600.00
trueup,BS2,2026-01-01,-300.00
late_fee,,,0.01"
check_eq "April: no other true-up" \
	"$(tr -d '\r' < "$O/lines.csv" | grep '^INV-202604-' | grep -c ',trueup,')" 1
#  LF-A 1,004.00, tax 60.24, gross 1,064.24
#  LF-B 600.00 - 300.00 + 0.01 = 300.01, tax 18.0006 -> 18.00, gross 318.01
#  LF-C 265.45 + 0.07 = 265.52, tax 15.9312 -> 15.93, gross 281.45
#  LF-D 200.00 + 2.00 + 1.29 = 203.29, tax 12.1974 -> 12.20, gross 215.49
#  LF-E 600.00 + 9.86 + 6.45 = 616.31, tax 36.9786 -> 36.98, gross 653.29
check_eq "April invoices" \
	"$(tr -d '\r' < "$O/register.csv" | grep '^INV-202604-' | cut -d, -f1,3,8-10)" \
"INV-202604-0001,LF-A,1004.00,60.24,1064.24
INV-202604-0002,LF-B,300.01,18.00,318.01
INV-202604-0003,LF-C,265.52,15.93,281.45
INV-202604-0004,LF-D,203.29,12.20,215.49
INV-202604-0005,LF-E,616.31,36.98,653.29"
check "verify after four months" "$SVCBILL" verify --out "$O"


# Nothing that happened since changes January's, February's or March's
# late fees or true-ups (the later payments are dated after each month
# billed in arrears; BS2's leaving changes only the quarter trued up in
# April): running each month again, and April, appends nothing.
cp "$O/register.csv" "$TMP/reg.before"
cp "$O/lines.csv" "$TMP/lines.before"
for p in 2026-02 2026-03 2026-04; do
	bill $p
	check "run $p again: the register unchanged" cmp "$O/register.csv" "$TMP/reg.before"
done
check "... and lines.csv unchanged" cmp "$O/lines.csv" "$TMP/lines.before"
