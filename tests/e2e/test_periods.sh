#!/bin/sh
# Four consecutive months of one quarterly contract: billing in advance,
# late fees from partial and late payments, and the true-up of the first
# quarter after devices joined and left.  Every amount worked out by hand.
. "$(dirname "$0")/lib.sh"
D=$TMP/data
mkdir -p "$D"
cat > "$D/issuer.csv" <<'CSV'
name_zh,invoice_prefix
测试维护公司,INV
CSV
cat > "$D/clients.csv" <<'CSV'
client_id,name_zh
C1,测试客户
CSV
cat > "$D/contracts.csv" <<'CSV'
contract_id,client_id,type,start,end,cycle_months,payment_days,late_fee_pct,tax_pct
K1,C1,device_monthly,2026-01-01,2026-12-31,3,10,0.1,6
CSV
cat > "$D/rates.csv" <<'CSV'
contract_id,class,monthly_fee
K1,desktop,100
CSV
printf 'record_id,device_id,type,completed_at\n' > "$D/service_records.csv"
devices_jan() {
	printf 'device_id,contract_id,class,from,to\nD1,K1,desktop,,\nD3,K1,desktop,,\n' > "$D/devices.csv"
}
devices_apr() {   # D2 joined on 15 February, D3 left at the end of February
	printf 'device_id,contract_id,class,from,to\nD1,K1,desktop,,\nD2,K1,desktop,2026-02-15,\nD3,K1,desktop,,2026-02-28\n' > "$D/devices.csv"
}
O=$TMP/out
bill() { "$SVCBILL" run --data "$D" --period "$1" --out "$O" --quiet \
	>/dev/null 2>"$TMP/err.$1"; }
reg() { row "$O/register.csv" "$1" | cut -d, -f1,3,6,8-11; }
lines() { tr -d '\r' < "$O/lines.csv" | grep "^$1," | awk -F, '{ print $3 "," $5 "," $7 "," $(NF-3) "," $(NF-1) }'; }

# January: the first quarter in advance, D1 and D3: 2 x 3 x 100.00.
devices_jan
bill 2026-01
check_eq "January invoice" "$(reg INV-202601-0001)" \
	"INV-202601-0001,K1,2026-01-11,600.00,36.00,636.00,issued"

# February: no cycle starts; late fee on January's 636.00 (due 01-11):
# 8 days x 636.00 (12th-19th), 100.00 paid on the 20th, then 12 days x
# 536.00: 11,520.00 x 0.1 % = 11.52, tax 0.69.
printf 'invoice_no,paid_on,amount\nINV-202601-0001,2026-01-20,100\n' > "$D/payments.csv"
bill 2026-02
check_eq "February: late fee only" "$(reg INV-202602-0001)" \
	"INV-202602-0001,K1,2026-02-11,11.52,0.69,12.21,issued"
check_eq "February: the days counted" "$(lines INV-202602-0001)" \
	"late_fee,,,20.00,11.52"

# March: the rest of January's invoice paid on 10 February: 9 days x
# 536.00 = 4.82; February's 12.21 unpaid from the 12th: 17 days = 0.21.
printf 'invoice_no,paid_on,amount\nINV-202601-0001,2026-01-20,100\nINV-202601-0001,2026-02-10,536\nINV-999999-0001,2026-02-10,5\n' > "$D/payments.csv"
bill 2026-03
check_eq "March: two late fees" "$(reg INV-202603-0001)" \
	"INV-202603-0001,K1,2026-03-11,5.03,0.30,5.33,issued"
check_eq "March: one line per invoice, by number" "$(lines INV-202603-0001)" \
"late_fee,,,9.00,4.82
late_fee,,,17.00,0.21"
check "a payment for an unknown invoice is a warning" grep -q \
	"payments.csv:4: warning: column 'invoice_no': no such invoice in the register; payment not used (value 'INV-999999-0001')" \
	"$TMP/err.2026-03"
# check with --out runs the rules that need the register (SPEC §1): the
# same warning, and still exit 0
"$SVCBILL" check --data "$D" --out "$O" >/dev/null 2>"$TMP/check.err"
check_eq "check --out warns of it too, exit 0" "$?:$(grep -c \
	"payments.csv:4: warning: column 'invoice_no': no such invoice in the register; payment not used (value 'INV-999999-0001')" \
	"$TMP/check.err")" "0:1"

# April: the second quarter in advance for D1 and D2 (D3 has left), the
# first quarter trued up from the device list as it is now: D2 owes
# 100.00 x (14/28 + 1) = 150.00, D3 is credited 300.00 - 200.00; late
# fees for March on February's 12.21 (31 days: 0.38) and March's 5.33
# (20 days: 0.11).  Net 650.49, tax 39.03.
devices_apr
bill 2026-04
check_eq "April invoice" "$(reg INV-202604-0001)" \
	"INV-202604-0001,K1,2026-04-11,650.49,39.03,689.52,issued"
check_eq "April lines in order" "$(lines INV-202604-0001)" \
"recurring,D1,2026-04-01,3.00,300.00
recurring,D2,2026-04-01,3.00,300.00
trueup,D2,2026-01-01,,150.00
trueup,D3,2026-01-01,,-100.00
late_fee,,,31.00,0.38
late_fee,,,20.00,0.11"

# A re-run of April changes nothing; May does not true up again.
cp "$O/register.csv" "$TMP/reg.before"
bill 2026-04
check "April re-run appends nothing" cmp "$O/register.csv" "$TMP/reg.before"
printf 'invoice_no,paid_on,amount\nINV-202601-0001,2026-01-20,100\nINV-202601-0001,2026-02-10,536\nINV-202602-0001,2026-03-01,12.21\nINV-202603-0001,2026-03-01,5.33\nINV-202604-0001,2026-04-11,689.52\n' > "$D/payments.csv"
bill 2026-05
check_eq "May: everything paid in time, no quarter starts: no invoice" \
	"$(grep -c '^INV-202605' "$O/register.csv")" 0

# Cancelled invoices never accrue late fees, and a payment naming one is
# not carried to its replacement: reissue April at a new rate (110.00),
# then bill June.  The replacement: 2 x 330.00, true-ups from today's
# data (the corrected rate too): D1 330.00 - 300.00, D2 165.00, D3 220.00
# - 300.00; no late fees any more (payments.csv now shows February's and
# March's invoices paid on 1 March): 775.00, tax 46.50, gross 821.50,
# unpaid all May: 31 x 821.50 x 0.1 % = 25.47.
sed -i 's/K1,desktop,100/K1,desktop,110/' "$D/rates.csv"
"$SVCBILL" run --data "$D" --period 2026-04 --out "$O" --reissue --quiet >/dev/null 2>&1
check_eq "April reissued" "$(reg INV-202604-0002)" \
	"INV-202604-0002,K1,2026-04-11,775.00,46.50,821.50,issued"
check_eq "the old April invoice is cancelled" \
	"$(tr -d '\r' < "$O/register.csv" | grep '^INV-202604-0001,' | tail -n 1 | cut -d, -f11)" \
	cancelled
# the run's own summary shows each of the month's invoices in its state
# after the run: the register as read, with the cancelling row this run
# appended for an invoice of before it
check_eq "April's summary.csv: the old invoice cancelled, its replacement issued" \
	"$(tr -d '\r' < "$O/2026-04/summary.csv" | grep '^INV-202604-000[12],' | cut -d, -f1,10 | tr '\n' ' ')" \
	"INV-202604-0001,cancelled INV-202604-0002,issued "
bill 2026-06
check_eq "June: late fee on the replacement only" "$(reg INV-202606-0001)" \
	"INV-202606-0001,K1,2026-06-11,25.47,1.53,27.00,issued"
check_eq "June: 31 days" "$(lines INV-202606-0001)" "late_fee,,,31.00,25.47"
check "verify after six months" "$SVCBILL" verify --out "$O"

# Changing a contract's start or cycle after a cycle was billed is an error.
cp "$D/contracts.csv" "$TMP/contracts.keep"
sed -i 's/2026-01-01,2026-12-31,3/2026-01-15,2026-12-31,3/' "$D/contracts.csv"
check_status "changed start refused by check --out" 65 \
	"$SVCBILL" check --data "$D" --out "$O"
check "... naming the contract, the cycle and the invoice" grep -q \
	"contracts.csv:2: column 'start': contract K1 was billed for the cycle starting 2026-01-01 (invoice INV-202601-0001), which is no longer a cycle of the contract" \
	"$TMP/status.out"
check_status "check without --out does not know the register" 0 \
	"$SVCBILL" check --data "$D"
check_status "changed start refused by run" 65 "$SVCBILL" run --data "$D" \
	--period 2026-07 --out "$O"
cp "$TMP/contracts.keep" "$D/contracts.csv"
sed -i 's/2026-01-01,2026-12-31,3/2026-01-01,2026-12-31,2/' "$D/contracts.csv"
check_status "changed cycle refused" 65 "$SVCBILL" check --data "$D" --out "$O"
check "... on the cycle_months column" grep -q "column 'cycle_months'" "$TMP/status.out"
cp "$TMP/contracts.keep" "$D/contracts.csv"
sed -i 's/2026-01-01,2026-12-31,3/2026-01-01,2026-05-31,3/' "$D/contracts.csv"
check_status "an end that only clips a billed cycle is fine" 0 \
	"$SVCBILL" check --data "$D" --out "$O"
sed -i 's/2026-01-01,2026-05-31,3/2026-01-01,2026-03-31,3/' "$D/contracts.csv"
check_status "an end before a billed cycle is refused" 65 \
	"$SVCBILL" check --data "$D" --out "$O"
check "... on the end column" grep -q "column 'end'" "$TMP/status.out"
cp "$TMP/contracts.keep" "$D/contracts.csv"

# verify finds what is wrong with an archive.
cp -r "$O" "$TMP/bad"
printf 'x' >> "$TMP/bad/2026-04/invoices/INV-202604-0002.pdf"
sed -i 's/^\(INV-202603-0001,2,.*\),0.21,6\r$/\1,0.22,6\r/' "$TMP/bad/lines.csv"
rm "$TMP/bad/2026-02/SHA256SUMS"
"$SVCBILL" verify --out "$TMP/bad" > "$TMP/verify.out" 2> "$TMP/verify.err"
check_eq "verify exits 65 on problems" "$?" 65
# the problems are messages, on stderr (SPEC §1); the result line on stdout
check_eq "verify names each problem on stderr" "$(sed "s|^$TMP/bad/||" "$TMP/verify.err")" \
"register.csv:4: column 'invoice_no': its 2 rows in lines.csv (from line 5) do not give the register's content_sha256: this row or a line was changed, or a line removed, cut or added (value 'INV-202603-0001')
2026-04/invoices/INV-202604-0002.pdf: SHA-256 differs from the register (invoice INV-202604-0002)
2026-02/SHA256SUMS: missing
2026-04/invoices/INV-202604-0002.pdf: SHA-256 differs from SHA256SUMS"
check_eq "verify's stdout is its one result line" "$(cat "$TMP/verify.out")" \
"$TMP/bad: 8 register rows checked, 4 problems"

# July, on copies: the second quarter (April to June) trued up.  April's
# first invoice was cancelled and reissued (above), so only the
# replacement's recurring lines billed that quarter: D1 and D2 at 330.00,
# as the devices still are, and no true-up is due.  The run reads April
# and May for the true-ups through the index (it reads June, the latest
# month, whole); with the index removed it reads the whole ledger, and
# bills the same July.
cp -a "$O" "$TMP/jul"
cp -a "$O" "$TMP/jul-whole"
rm "$TMP/jul-whole/ledger-index.csv"
for o in jul jul-whole; do
	"$SVCBILL" run --data "$D" --period 2026-07 --out "$TMP/$o" --quiet \
		>/dev/null 2>"$TMP/$o.err"
done
check "July: no true-up of the second quarter (the cancelled invoice's lines not counted)" \
	sh -c "tr -d '\r' < '$TMP/jul/lines.csv' | grep '^INV-202607-0001,' | grep -q recurring &&
	! tr -d '\r' < '$TMP/jul/lines.csv' | grep '^INV-202607-0001,' | grep -q trueup"
check "July through the index: the register and lines of a whole read" \
	sh -c "cmp '$TMP/jul/register.csv' '$TMP/jul-whole/register.csv' &&
	cmp '$TMP/jul/lines.csv' '$TMP/jul-whole/lines.csv'"
