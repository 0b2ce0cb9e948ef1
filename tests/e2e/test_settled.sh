#!/bin/sh
# Settled periods (the ledger index's P rows, bill/settled.h): a run need
# not read the invoices of an old period whose invoices were all paid in
# full before its activity month, while payments.csv still has the same
# payments naming it.  Whatever is left out, the run bills, warns and
# prints exactly what a whole read of the ledger gives: each case below
# is run twice, through the index and with the index removed.
. "$(dirname "$0")/lib.sh"
# gen_data DIR: eight generated contracts running to 2037, recurring
# lines only, no payment yet
gen_data() {
	python3 "$ROOT/tests/bench/gen.py" "$1" 8 >/dev/null
	sed -i 's/,2027-12-31,/,2037-12-31,/' "$1/contracts.csv"
	for f in service_records parts_used charges; do
		head -1 "$1/$f.csv" > "$TMP/t" && mv "$TMP/t" "$1/$f.csv"
	done
	printf 'invoice_no,paid_on,amount\r\n' > "$1/payments.csv"
}
D=$TMP/data
gen_data "$D"
A=$TMP/a
# 20 months, 2026-12 to 2028-07.  Every invoice is paid on its issue date
# but K00001's of 2027-01, paid on 2028-03-10 (recorded once the run of
# 2028-03 is done): it owes late fees until then.
after_month() {
	[ "$1" = 2028-03 ] || return 0
	awk -F, '$1 == "INV-202701-0002" { printf "%s,2028-03-10,%s\r\n", $1, $10 }' \
		"$A/register.csv" >> "$D/payments.csv"
}
bill_months "$D" "$A" 20 '$1 != "INV-202701-0002"'
check_eq "20 months billed" "$billed" 20
check_eq "INV-202701-0002 is K00001's" \
	"$(awk -F, '$1 == "INV-202701-0002" { print $3 }' "$A/register.csv")" K00001
check "K00001 paid late fees on it" \
	grep -q ',late_fee,K00001,.*INV-202701-0002' "$A/lines.csv"
# The P rows: every period before the latest one billed when they were
# written (2028-06), each settled on its issue date (the 1st) but
# 2027-01, settled on 2028-03-10
tr -d '\r' < "$A/ledger-index.csv" | awk -F, '$1 == "P" { print $2 "," $4 }' \
	> "$TMP/p.got"
{ j=0; while [ $j -lt 18 ]; do q=$(month $j)
	if [ "$q" = 2027-01 ]; then echo "$q,2028-03-10"; else echo "$q,$q-01"; fi
	j=$((j + 1)); done; } > "$TMP/p.want"
check "the index has a P row for each settled period, with its settle day" \
	diff "$TMP/p.want" "$TMP/p.got"
check_status "verify takes the index with its P rows" 0 "$SVCBILL" verify --out "$A"
check_status "check --out takes them: payments.csv and the register agree" 0 \
	"$SVCBILL" check --data "$D" --out "$A"

# same NAME PERIOD SKIPPED [RUN-OPTIONS]: in a copy of the archive $C, the
# run of PERIOD with -v left out the invoices of SKIPPED periods, and it
# prints, writes and warns as the same run in a copy without the index
same() {
	sname=$1 per=$2 want=$3
	shift 3
	rm -rf "$TMP/ref"; cp -a "$C" "$TMP/ref"; rm "$TMP/ref/ledger-index.csv"
	"$SVCBILL" run --data "$D" --period "$per" --out "$TMP/ref" --jobs 2 -v \
		"$@" >"$TMP/ref.out" 2>"$TMP/ref.err"
	rrc=$?
	"$SVCBILL" run --data "$D" --period "$per" --out "$C" --jobs 2 -v \
		"$@" >"$TMP/c.out" 2>"$TMP/c.err"
	crc=$?
	check_eq "$sname: the same exit status" "$crc" "$rrc"
	got=$(sed -n 's/.*the invoices of \([0-9]*\) settled period.*/\1/p' "$TMP/c.err")
	check_eq "$sname: settled periods left out" "${got:-0}" "$want"
	# (how many contracts' cycles the index's K rows summed up)
	summed=$(sed -n 's/.*the cycles billed to \([0-9]*\) contract.*/\1/p' "$TMP/c.err")
	# (how many payments.csv rows were summed up and not kept, as the
	# index's P rows said their periods would be left out; and the
	# period whose payments were read again when one was not)
	passed=$(sed -n 's/^payments.csv: \([0-9]*\) payments\{0,1\} of settled periods summed up, not kept$/\1/p' "$TMP/c.err")
	again=$(sed -n 's/^payments.csv: read again (the ledger.s read needs the payments of \(.*\))$/\1/p' "$TMP/c.err")
	grep -v 'settled period\|cycles billed to\|^payments.csv: read again (' \
		"$TMP/c.err" > "$TMP/c.err2"
	check "$sname: the same messages" diff "$TMP/ref.err" "$TMP/c.err2"
	check "$sname: the same output" diff "$TMP/ref.out" "$TMP/c.out"
	if diff -r -x ledger-index.csv -x .lock "$TMP/ref" "$C" >"$TMP/diff" 2>&1; then
		pass "$sname: the same files"
	else
		fail "$sname: the same files" "$(head -c 300 "$TMP/diff")"
	fi
}
fresh() { rm -rf "$TMP/c"; cp -a "$A" "$TMP/c"; C=$TMP/c; }
P=$(month 20)     # 2028-08

# The next month: the 18 periods with P rows (2026-12 to 2028-05) are
# settled before its activity month, and all are left out; the 10 of
# them among the summary's chart (its 12 latest periods, 2027-08 to
# 2028-07) are summed up by contract type as their index rows are passed
# over (the summary's chart is then the whole read's: \`same\` compares
# the summary PDFs)
fresh
same "next month" "$P" 18
# payments.csv's rows of those 18 periods, counted here by their
# numbers: summed up as the file was read, never kept
check_eq "next month: the payments of the 18 periods summed up, not kept" \
	"${passed:-0}" "$(grep -c '^INV-20\(2612\|27[0-9][0-9]\|280[1-5]\)-' "$D/payments.csv")"
check_eq "next month: ... and payments.csv read once" "$again" ""
check_status "next month: verify takes the new index" 0 "$SVCBILL" verify --out "$C"
check "next month: the new index keeps the P rows it left out" \
	sh -c "tr -d '\r' < '$C/ledger-index.csv' | grep -q '^P,2026-12,'"
# ... and the cycles billed of every contract were summed up by the
# index's K rows (struct cycle_sum: the contracts bill them as before),
# not read: one K row for each contract with C rows
check_eq "next month: the cycles of every contract summed up, not read" \
	"${summed:-0}" "$(tr -d '\r' < "$A/ledger-index.csv" |
		awk -F, '$1 == "C" { print $3 }' | sort -u | wc -l)"
# The new index's K rows, worked out here from its C rows: per contract
# the first and last cycle start, and the gcd of the months between any
# two starts (0 for one)
python3 - "$C/ledger-index.csv" > "$TMP/k.want" <<'PY'
import math, sys
text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
starts = {}
for line in text.split("\r\n"):
    f = line.split(",")
    if f[0] == "C":
        starts.setdefault(f[2], []).append(f[3])
month = lambda d: int(d[:4]) * 12 + int(d[5:7])
for k in sorted(starts, key=lambda s: s.encode()):
    s = sorted(starts[k])
    g = 0
    for d in s:
        g = math.gcd(g, month(d) - month(s[0]))
    print("%s,%s,%s,%d" % (k, s[0], s[-1], g))
PY
tr -d '\r' < "$C/ledger-index.csv" |
	awk -F, '$1 == "K" { print $2 "," $3 "," $4 "," $5 }' > "$TMP/k.got"
check "next month: the new index's K rows, worked out from its C rows" \
	diff "$TMP/k.want" "$TMP/k.got"
check "... K00004's (every 6 months, billed from 2027-04) among them" \
	grep -q '^K00004,2027-04-01,2028-04-01,6$' "$TMP/k.got"

# A contract's start moved (K00004 from 2026-10-09 to 2027-04-15): of
# its cycles billed, only the first, 2027-04-01 (a period the index sums
# up), is no longer a cycle of it (2027-10-01 and 2028-04-01 still are).
# Its K row no longer holds, so the C rows are read, and the run stops as
# the whole read does, naming that cycle and its invoice
fresh
cp "$D/contracts.csv" "$TMP/contracts.was"
sed -i 's/^K00004,\(C00004,website\),2026-10-09,/K00004,\1,2027-04-15,/' \
	"$D/contracts.csv"
same "a contract's start moved" "$P" 18
check_eq "... its cycles read, not summed up" "${summed:-0}" 0
check "... the run stops, naming the cycle and its invoice" grep -q \
	"contract K00004 was billed for the cycle starting 2027-04-01 (invoice INV-202704-" \
	"$TMP/c.err"
check_eq "... and only that one" "$(grep -c 'was billed for the cycle' "$TMP/c.err")" 1
cp "$TMP/contracts.was" "$D/contracts.csv"
# K00004 (every 6 months, billed 2027-04, 2027-10 and 2028-04) made
# yearly from 2026-04-01: its first and last cycles billed are still
# cycles of it (12 and 24 months on), 2027-10-01 is not (the gcd of the
# months between its starts, 6, is no multiple of 12): its K row does not
# hold, and the run names that cycle, as the whole read does
fresh
sed -i 's/^K00004,\(C00004,website\),2026-10-09,\([0-9-]*\),6,/K00004,\1,2026-04-01,\2,12,/' \
	"$D/contracts.csv"
same "a contract billed every 6 months made yearly" "$P" 18
check_eq "... its cycles read, not summed up" "${summed:-0}" 0
check "... the cycle between named" grep -q \
	"contract K00004 was billed for the cycle starting 2027-10-01 (invoice INV-202710-" \
	"$TMP/c.err"
check_eq "... and only that one" "$(grep -c 'was billed for the cycle' "$TMP/c.err")" 1
cp "$TMP/contracts.was" "$D/contracts.csv"

# Run again, of an earlier month: 2028-04 (activity month 2028-03).
# INV-202701-0002 was settled on 2028-03-10, inside it: it owes a late
# fee for 2028-03-01..09 and its period is read; 2026-12 and 2027-02 to
# 2028-02 are left out (settled on their first days, before 2028-03-01;
# 2028-03 on its first day is not before it)
fresh
same "a dry run of 2028-04" 2028-04 14 --dry-run
check "... whose invoice of K00001 has the late fee" \
	grep -q ',late_fee,K00001,.*INV-202701-0002' "$C/lines.csv"

# A payment of a settled period made smaller: the digest differs, its
# period is read, and its invoice now owes a late fee
fresh
no=$(awk -F, '$2 == "2027-03" && $11 == "issued" { print $1; exit }' "$C/register.csv")
awk -F, -v no="$no" 'BEGIN { OFS = "," } $1 == no { $3 = "1.00\r" } { print }' \
	"$D/payments.csv" > "$TMP/pay" && cp "$D/payments.csv" "$TMP/pay.was" &&
	cp "$TMP/pay" "$D/payments.csv"
same "a payment made smaller" "$P" 17
# its period's payments were left out as the file was read (its P row
# said it would be settled); the index's read, which judges, read it, so
# payments.csv was read again for it
check_eq "... payments.csv read again for 2027-03" "$again" 2027-03
check "... the invoice owes a late fee" \
	sh -c "tr -d '\r' < '$C/lines.csv' | grep ',late_fee,' | grep -q '$no'"
# ... and when payments.csv is changed between the two reads (a digit of
# its last row, as the run opens the register), the run stops (75):
# what it read first is no longer the file, and nothing is written (the
# plain build: the shim cannot be preloaded before the sanitizers')
fresh
cp -a "$C" "$TMP/c.before"
off=$(($(wc -c < "$D/payments.csv") - 3))
FAILIO_EDIT="register.csv|$D/payments.csv|$off" LD_PRELOAD="$ROOT/build/failio.so" \
	"$ROOT/svcbill" run --data "$D" --period "$P" --out "$C" --jobs 2 \
	>"$TMP/c.out" 2>"$TMP/c.err"
check_eq "payments.csv changed between its two reads: exit 75" "$?" 75
check "... saying so" grep -q "payments.csv changed while this run read it" "$TMP/c.err"
check "... nothing written" diff -r -x .lock "$TMP/c.before" "$C"
check "... the file was changed (the test's own check)" \
	sh -c "! cmp -s '$D/payments.csv' '$TMP/pay'"
rm -rf "$TMP/c.before"
cp "$TMP/pay.was" "$D/payments.csv"

# A payment naming an invoice of a settled period that was never issued:
# the same warning as a whole read gives
fresh
printf 'INV-202702-9999,2027-02-03,10.00\r\n' >> "$D/payments.csv"
same "a payment naming no invoice" "$P" 17
check "... warned of" grep -q "payments.csv:$(grep -c '' "$D/payments.csv"): warning: column 'invoice_no': no such invoice in the register; payment not used (value 'INV-202702-9999')" "$TMP/c.err"
cp "$TMP/pay.was" "$D/payments.csv"

# The payment of an invoice of a settled period dated again, inside the
# activity month: it was owed until then, and pays a late fee
fresh
no=$(awk -F, '$2 == "2026-12" && $11 == "issued" { print $1; exit }' "$C/register.csv")
awk -F, -v no="$no" 'BEGIN { OFS = "," } $1 == no { $2 = "2028-07-20" } { print }' \
	"$TMP/pay.was" > "$D/payments.csv"
same "a payment dated in the activity month" "$P" 17
check "... the invoice owes a late fee" \
	sh -c "tr -d '\r' < '$C/lines.csv' | grep ',late_fee,' | grep -q '$no'"
cp "$TMP/pay.was" "$D/payments.csv"

# An index whose P row comes after the marks (its checksum made again):
# not the index svcbill writes; the run reads the whole ledger
fresh
python3 - "$C/ledger-index.csv" <<'PY'
import os, sys, zlib
p = sys.argv[1]
b = open(p, "rb").read()
rows = b.split(b"\r\n")[:-1]
s = [r for r in rows if r.startswith(b"S,")]
body = [r for r in rows if not r.startswith(b"S,")]
k = next(i for i, r in enumerate(body) if r.startswith(b"P,"))
body.append(body.pop(k))
t = b"".join(r + b"\r\n" for r in body)
st = os.stat(p)
open(p, "wb").write(t + b"S,%08x,,,,,,,,,,,\r\n" % zlib.crc32(t))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
"$SVCBILL" verify --out "$C" > "$TMP/v.out" 2>&1
check "a P row after the marks: verify reports the index" \
	grep -q 'ledger-index.csv: not the index' "$TMP/v.out"
same "a P row after the marks" "$P" 0

# An index with a second name (a hard link): it is not written in place,
# and a whole new index cannot be written from a read that left periods
# out; the run reads the ledger again, leaving nothing out, and writes a
# whole new one (the other name's file as it was)
fresh
ln "$C/ledger-index.csv" "$TMP/second.csv"
same "an index with a second name" "$P" 18
check "... the other name's file untouched" \
	sh -c "tr -d '\r' < '$TMP/second.csv' | grep -q '^E,'"
check "... the index a new file, written whole" \
	test "$(stat -c %i "$C/ledger-index.csv")" != "$(stat -c %i "$TMP/second.csv")"
check_status "... verify takes what is there" 0 "$SVCBILL" verify --out "$C"
"$SVCBILL" run --data "$D" --period "$(month 21)" --out "$C" --quiet --jobs 2 \
	>/dev/null 2>"$TMP/next.err"
check_eq "... the next month runs" "$?" 0
check_status "... and its index agrees with the ledger" 0 "$SVCBILL" verify --out "$C"
check "... with its I rows of the periods left out" \
	sh -c "tr -d '\r' < '$C/ledger-index.csv' | grep -q '^I,2026-12,'"
rm -f "$TMP/second.csv"

# A P row of a period the register never had (an edit, its checksum made
# again, its digest that of the payments naming the period): it would
# take a payment naming no invoice for one of its invoices.  The index is
# not taken; the run warns as a whole read does
fresh
printf 'INV-202001-0001,2020-01-05,100.00\r\n' >> "$D/payments.csv"
python3 - "$C/ledger-index.csv" <<'PY'
import hashlib, os, sys, zlib
p = sys.argv[1]
b = open(p, "rb").read()
d = hashlib.sha256(b"15:INV-202001-0001,2020-01-05,10000\n").hexdigest()
row = b"P,2020-01," + d.encode() + b",2020-01-05,,,,,,,,,\r\n"
k = b.index(b"\r\nP,") + 2
t = b[:k] + row + b[k:b.rindex(b"\r\nS,") + 2]
st = os.stat(p)
open(p, "wb").write(t + b"S,%08x,,,,,,,,,,,\r\n" % zlib.crc32(t))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
same "a P row of a period the register never had" "$P" 0
check "... the payment naming it is warned of" \
	grep -q "no such invoice.*INV-202001-0001" "$TMP/c.err"
cp "$TMP/pay.was" "$D/payments.csv"

# An issue date long before the period (the overdue list is of that day):
# INV-202701-0002, settled on 2028-03-10, was overdue on 2027-06-15, so
# its period is read though it was settled before the activity month, as
# is 2027-07 (settled on 2027-07-01); 2026-12 and 2027-02 to -06 are not
fresh
same "an issue date before the settle day" "$P" 6 --issue-date 2027-06-15
check "... the summary lists it as overdue" \
	sh -c "pdftotext '$C/$P/summary.pdf' - | grep -q INV-202701-0002"

# A young archive (a gap: 2026-12, then 2028-06 and 2028-07): fewer than
# 12 periods up to the run's, so all of them are the summary's chart;
# 2026-12, settled, is left out and summed up for the chart, which still
# shows it
D0=$D
D=$TMP/young
gen_data "$D"
C=$TMP/y
mkdir -m 750 "$C"
for p in 2026-12 2028-06 2028-07; do
	"$SVCBILL" run --data "$D" --period "$p" --out "$C" --quiet >/dev/null 2>&1
	awk -F, -v p="$p" '$2 == p && $11 == "issued" {
		printf "%s,%s,%s\r\n", $1, $5, $10 }' "$C/register.csv" >> "$D/payments.csv"
done
check "a young archive: 2026-12 has a P row" \
	sh -c "tr -d '\r' < '$C/ledger-index.csv' | grep -q '^P,2026-12,'"
same "a young archive" 2028-08 1
check "... its chart shows 2026-12" \
	sh -c "pdftotext '$C/2028-08/summary.pdf' - | grep -q 2026-12"
D=$D0

# A P row edited by hand (its checksum made again): 2027-03 said settled
# on its first day with the payments.csv of after the edit, from which
# one of its invoices' payments is gone.  verify cannot tell (it has no
# payments.csv); check with --data and --out can
fresh
no=$(awk -F, '$2 == "2027-03" && $11 == "issued" { print $1; exit }' "$C/register.csv")
grep -v "^$no," "$TMP/pay.was" > "$D/payments.csv"
python3 - "$C/ledger-index.csv" "$D/payments.csv" <<'PY'
import csv, hashlib, os, sys, zlib
p, pay = sys.argv[1], sys.argv[2]
rows = []
for r in list(csv.reader(open(pay, encoding="utf-8", newline="")))[1:]:
    no, day, amount = r
    if no.split("-")[-2] == "202703":
        y, f = amount.split(".")
        rows.append((no, day, int(y) * 100 + int(f)))
rows.sort()
d = hashlib.sha256("".join("%d:%s,%s,%d\n" % (len(n.encode()), n, day, f)
                           for n, day, f in rows).encode()).hexdigest()
b = open(p, "rb").read()
k = b.index(b"\r\nP,2027-03,") + 2
e = b.index(b"\r\n", k)
t = b[:k] + b"P,2027-03," + d.encode() + b",2027-03-01,,,,,,,,," + b[e:b.rindex(b"\r\nS,") + 2]
st = os.stat(p)
open(p, "wb").write(t + b"S,%08x,,,,,,,,,,,\r\n" % zlib.crc32(t))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
check_status "a P row edited: verify cannot tell" 0 "$SVCBILL" verify --out "$C"
check_status "... check --data --out can (exit 65)" 65 \
	"$SVCBILL" check --data "$D" --out "$C"
check "... and says which row, and what to do" grep -q \
	"ledger-index.csv: its row P,2027-03 says every invoice of 2027-03 was paid in full by 2027-03-01; payments.csv and the register say not: not the index svcbill wrote (edited); remove it, the next run writes it anew" \
	"$TMP/status.out"
cp "$TMP/pay.was" "$D/payments.csv"
# ... or its settle day moved earlier, the payments as they are: 2027-01
# was settled on 2028-03-10, not on 2027-01-01
fresh
python3 - "$C/ledger-index.csv" <<'PY'
import os, sys, zlib
p = sys.argv[1]
b = open(p, "rb").read()
k = b.index(b"\r\nP,2027-01,") + 2
t = b[:k] + b[k:].replace(b",2028-03-10,", b",2027-01-01,", 1)
t = t[:t.rindex(b"\r\nS,") + 2]
st = os.stat(p)
open(p, "wb").write(t + b"S,%08x,,,,,,,,,,,\r\n" % zlib.crc32(t))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
check_status "a settle day edited: check --data --out says so (exit 65)" 65 \
	"$SVCBILL" check --data "$D" --out "$C"
check "... and which" grep -q \
	"its row P,2027-01 says every invoice of 2027-01 was paid in full by 2027-01-01; payments.csv and the register say by 2028-03-10:" \
	"$TMP/status.out"

# Contract ids as ids may be: one a spreadsheet would take for a formula
# (=K4: written '=K4 in the ledger and the index, the guard taken off
# when read), one with a line break (K1<LF>x: its rows quoted over two
# lines, K1's invoices left unpaid here; the index then has no K rows and
# its C rows are read).  Each archive of 20 months is verified, and the
# next month through its index bills as a whole read bills it; with
# =K4's start moved, the run stops as the whole read does (a review
# found the guarded id kept as '=K4 in the index's rows: its K row held
# for a contract the data has not, and the run billed on)
rename_contract() {      # DIR OLD NEW: every value OLD of DIR's files
	python3 - "$@" <<'PY'
import csv, glob, sys
d, old, new = sys.argv[1:]
for p in glob.glob(d + "/*.csv"):
    with open(p, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows = [[new if v == old else v for v in r] for r in rows]
    with open(p, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
PY
}
# A third with a comma (K4,x: its rows quoted on one line) has the
# settled periods of the summary's chart summed up from quoted index
# rows, which the index's reader parses rather than passes over (its
# invoices paid here by Python's csv module: the awk of bill_months
# splits the quoted field).
pay_quoted() {   # REGISTER PAYMENTS PERIOD: K4,x's invoices of PERIOD paid
	python3 - "$@" <<'PY'
import csv, sys
reg, pay, p = sys.argv[1:]
rows = list(csv.reader(open(reg, encoding="utf-8-sig", newline="")))[1:]
with open(pay, "a", encoding="utf-8", newline="") as f:
    for r in rows:
        if r[1] == p and r[2] == "K4,x" and r[10] == "issued":
            f.write("%s,%s,%s\r\n" % (r[0], r[4], r[9]))
PY
}
for case in formula linebreak comma; do
	D=$TMP/data-$case A=$TMP/a-$case
	gen_data "$D"
	if [ $case = formula ]; then
		rename_contract "$D" K00004 "=K4"
	elif [ $case = comma ]; then
		rename_contract "$D" K00004 "K4,x"
	else
		rename_contract "$D" K00001 "K1
x"
	fi
	if [ $case = comma ]; then
		after_month() { pay_quoted "$A/register.csv" "$D/payments.csv" "$1"; }
		bill_months "$D" "$A" 20 '$3 != "\"K4"'
		unset -f after_month
	else
		bill_months "$D" "$A" 20 1
	fi
	check_eq "$case id: 20 months billed" "$billed" 20
	check_status "$case id: verify takes the index" 0 "$SVCBILL" verify --out "$A"
	fresh
	same "$case id: the next month" "$P" "$([ $case = linebreak ] && echo 0 || echo 18)"
	check_status "$case id: verify takes the new index" 0 "$SVCBILL" verify --out "$C"
done
check "formula id: its K row, the guard as in the ledger" \
	grep -q "^K,'=K4,2027-04-01,2028-04-01,6," "$TMP/a-formula/ledger-index.csv"
check "line break id: no K rows" \
	sh -c "! grep -q '^K,' '$TMP/a-linebreak/ledger-index.csv'"
A=$TMP/a-formula D=$TMP/data-formula
fresh
sed -i 's/^=K4,\(C00004,website\),2026-10-09,/=K4,\1,2027-04-15,/' "$D/contracts.csv"
same "formula id: its start moved" "$P" 18
check_eq "... its cycles read, not summed up" "${summed:-0}" 0
check "... the run stops, naming the cycle and its invoice" grep -q \
	"contract =K4 was billed for the cycle starting 2027-04-01 (invoice INV-202704-" \
	"$TMP/c.err"
# An index without K rows (as the one before them wrote; here the rows
# taken out and its checksum made again): verify takes it, and the next
# run reads its C rows and bills as a whole read does
A=$TMP/a D=$TMP/data
fresh
python3 - "$C/ledger-index.csv" <<'PY'
import os, sys, zlib
p = sys.argv[1]
b = open(p, "rb").read()
rows = b.split(b"\r\n")[:-1]
t = b"".join(r + b"\r\n" for r in rows if not r.startswith((b"K,", b"S,")))
st = os.stat(p)
open(p, "wb").write(t + b"S,%08x,,,,,,,,,,,\r\n" % zlib.crc32(t))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
check "an index without K rows: none there" \
	sh -c "! grep -q '^K,' '$C/ledger-index.csv'"
check_status "... verify takes it" 0 "$SVCBILL" verify --out "$C"
same "an index without K rows" "$P" 18
check_eq "... its C rows read" "${summed:-0}" 0
check_status "... verify takes the new index" 0 "$SVCBILL" verify --out "$C"
check "... which has K rows" grep -q '^K,' "$C/ledger-index.csv"
# payments.csv taken away (it is optional): no payment at all, every
# invoice owes, as a whole read finds.  The index's P rows said to leave
# periods out, the ledger's read did not, and payments.csv read again is
# still absent: no change during the run (a review found exit 75)
fresh
mv "$D/payments.csv" "$TMP/pay.gone"
same "payments.csv absent" "$P" 0
check_eq "... payments.csv read again for 2026-12" "$again" 2026-12
mv "$TMP/pay.gone" "$D/payments.csv"
