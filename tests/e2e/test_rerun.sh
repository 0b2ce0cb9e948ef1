#!/bin/sh
# Determinism and re-runs: the same inputs give the same bytes, a re-run
# never bills twice, and changed data is refused or reissued.
. "$(dirname "$0")/lib.sh"
DATA=$ROOT/samples/basic
run() { "$SVCBILL" run --data "$1" --period 2026-12 --quiet "$@"; }
"$SVCBILL" run --data "$DATA" --period 2026-12 --out "$TMP/a" --quiet --jobs 1 >/dev/null
"$SVCBILL" run --data "$DATA" --period 2026-12 --out "$TMP/b" --quiet --jobs 4 >/dev/null
check "byte-identical archives (--jobs 1 and --jobs 4)" diff -r -x .lock "$TMP/a" "$TMP/b"
LC_ALL=C TZ=America/New_York "$SVCBILL" run --data "$DATA" --period 2026-12 \
	--out "$TMP/c" --quiet >/dev/null
check "byte-identical under another locale and time zone" diff -r -x .lock "$TMP/a" "$TMP/c"

cp -r "$TMP/a" "$TMP/before"
out=$("$SVCBILL" run --data "$DATA" --period 2026-12 --out "$TMP/a")
# the seal: the last register row's chain, as an independent reader
# (python's csv and hashlib) computes it from the rows
seal=$(python3 -c '
import csv, hashlib, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
prev = "0" * 64
for r in rows[1:]:
    prev = hashlib.sha256((prev + "\n" + "".join(f + "\n" for f in r[:15])).encode()).hexdigest()
print(prev)' "$TMP/a/register.csv")
check_eq "re-run reports nothing new, and the seal" "$out" \
	"2026-12: 3 invoices, net 21,651.43, tax 1,794.90, gross 23,446.33 (0 new, 3 unchanged, 0 reissued), ledger seal $seal"
check "re-run changes no file" diff -r -x .lock "$TMP/before" "$TMP/a"

rm "$TMP/a/2026-12/invoices/INV-202612-0002.pdf"
echo garbage > "$TMP/a/2026-12/invoices/INV-202612-0003.pdf"
"$SVCBILL" run --data "$DATA" --period 2026-12 --out "$TMP/a" --quiet \
	>/dev/null 2>"$TMP/restore.err"
check "missing and damaged PDFs restored byte-identically" \
	diff -r -x .lock "$TMP/before" "$TMP/a"
check_eq "restoring says so" "$(grep -c 'missing or damaged' "$TMP/restore.err")" 2

# Change the data: one more desktop on the software contract.
cp -r "$DATA" "$TMP/data2"
printf 'DF-PC-09,S-2026-07,desktop,联想 M428,PC0A1B09,2026-12-01,,,,,,,,,,,,\r\n' \
	>> "$TMP/data2/devices.csv"
check_status "changed content refused" 65 "$SVCBILL" run --data "$TMP/data2" \
	--period 2026-12 --out "$TMP/a" --quiet
check_eq "refusal names the contract and the totals" \
	"$(grep -o 'contract S-2026-07: invoice INV-202612-0002 of 2026-12 changed: net 1369.93 -> 1399.93' "$TMP/status.out")" \
	"contract S-2026-07: invoice INV-202612-0002 of 2026-12 changed: net 1369.93 -> 1399.93"
check "refusal leaves the archive alone" diff -r -x .lock "$TMP/before" "$TMP/a"

"$SVCBILL" run --data "$TMP/data2" --period 2026-12 --out "$TMP/a" \
	--reissue --quiet > "$TMP/reissue.out"
check_eq "reissue: cancelled row, credit note, new invoice" \
	"$(tr -d '\r' < "$TMP/a/register.csv" | tail -n 3 | cut -d, -f1,3,8,11,12)" \
"INV-202612-0002,S-2026-07,1369.93,cancelled,
CN-202612-0001,S-2026-07,-1369.93,credit,INV-202612-0002
INV-202612-0004,S-2026-07,1399.93,issued,INV-202612-0002"
check "credit note PDF" test -s "$TMP/a/2026-12/invoices/CN-202612-0001.pdf"
pdftotext "$TMP/a/2026-12/invoices/CN-202612-0001.pdf" "$TMP/cn.txt"
check "credit note titled 贷项通知单, names what it cancels" sh -c \
	"grep -q '贷项通知单' '$TMP/cn.txt' && grep -q 'CREDIT NOTE' '$TMP/cn.txt' &&
	 grep -q 'INV-202612-0002' '$TMP/cn.txt' && ! grep -q '红字' '$TMP/cn.txt'"
check "credit note amounts negated" grep -q -- "-1,516.39" "$TMP/cn.txt"
# its totals show the tax of each rate (SPEC §5.1), worked out here from
# the cancelled invoice's lines (§3.6: per rate, round half away from
# zero), negated
pdftotext -layout "$TMP/a/2026-12/invoices/CN-202612-0001.pdf" "$TMP/cn-layout.txt"
check_eq "credit note shows the tax of each rate, negated" "$(python3 -c '
import csv, re, sys
from decimal import Decimal, ROUND_HALF_UP
net = {}
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")):
    if r["invoice_no"] == "INV-202612-0002":
        net[r["tax_pct"]] = net.get(r["tax_pct"], 0) + Decimal(r["amount"])
cent = Decimal("0.01")
want = ["%s%% -%s" % (p, "{:,}".format((n * Decimal(p) / 100).quantize(cent, ROUND_HALF_UP)))
        for p, n in sorted(net.items(), key=lambda x: Decimal(x[0]))]
got = re.findall(r"税额 (\S+)% Tax \S+%\s+(\S+)", open(sys.argv[2], encoding="utf-8").read())
print("ok" if want and [p + "% " + v for p, v in got] == want else "want %s, got %s" % (want, got))
' "$TMP/a/lines.csv" "$TMP/cn-layout.txt")" ok
check_eq "credit note lines negate qty and amount, keep the price" \
	"$(line_of "$TMP/a/lines.csv" CN-202612-0001 13)" \
	"sla,S-2026-07,DF-SV-02,SR-2611-002,,,-1.00,-100.00,100.00,6"
check "verify after reissue" "$SVCBILL" verify --out "$TMP/a"
check "SHA256SUMS after reissue" sh -c "cd '$TMP/a/2026-12' && sha256sum -c --quiet SHA256SUMS"
check_eq "summary.csv shows the current state" \
	"$(tr -d '\r' < "$TMP/a/2026-12/summary.csv" | tail -n +2 | cut -d, -f1,10 | tr '\n' ' ')" \
	"CN-202612-0001,credit INV-202612-0001,issued INV-202612-0002,cancelled INV-202612-0003,issued INV-202612-0004,issued "
cp -r "$TMP/a" "$TMP/after"
"$SVCBILL" run --data "$TMP/data2" --period 2026-12 --out "$TMP/a" --quiet >/dev/null
check "re-run after reissue changes nothing" diff -r -x .lock "$TMP/after" "$TMP/a"
# The credit note's and the cancelled invoice's PDFs lost (SPEC §4: an
# issued PDF of P missing is restored when it can be, byte-identically):
# drawn again from the ledger as they were issued, the bytes the register
# recorded.  (A reissue for a charge added: the cancelled invoice's
# document is its ledger lines, its tax per rate from them, and the data
# it was drawn with, unchanged but for the charge.)
cp -r "$DATA" "$TMP/data-r"
printf 'W-2026-03,2026-11-20,Extra page,Extra page,1,100.00,service\r\n' \
	>> "$TMP/data-r/charges.csv"
"$SVCBILL" run --data "$DATA" --period 2026-12 --out "$TMP/r" --quiet >/dev/null
"$SVCBILL" run --data "$TMP/data-r" --period 2026-12 --out "$TMP/r" --reissue \
	--quiet >/dev/null
check "a reissue for a charge added: a credit note" \
	test -s "$TMP/r/2026-12/invoices/CN-202612-0001.pdf"
cp -r "$TMP/r" "$TMP/r-after"
cn=$(tr -d '\r' < "$TMP/r/register.csv" | awk -F, '$11 == "cancelled" { print $1 }')
rm "$TMP/r/2026-12/invoices/CN-202612-0001.pdf"
echo garbage > "$TMP/r/2026-12/invoices/$cn.pdf"
"$SVCBILL" run --data "$TMP/data-r" --period 2026-12 --out "$TMP/r" --quiet \
	>/dev/null 2>"$TMP/restore2.err"
check_eq "credit note and cancelled invoice lost: the run exits 0" "$?" 0
check "... both restored byte-identically" diff -r -x .lock "$TMP/r-after" "$TMP/r"
check_eq "... saying so" "$(grep -c 'missing or damaged' "$TMP/restore2.err")" 2
# ... one that cannot be drawn the same again is damage, exit 65, nothing
# written: the cancelled invoice of the device added (the contract's
# devices are no longer those it listed), a credit note whose issuer's
# English name changed since
echo garbage > "$TMP/a/2026-12/invoices/INV-202612-0002.pdf"
check_status "... a cancelled invoice that cannot be drawn the same: exit 65" 65 \
	"$SVCBILL" run --data "$TMP/data2" --period 2026-12 --out "$TMP/a" --quiet
check "... naming it" grep -q "INV-202612-0002.pdf: issued invoice missing or changed, and it cannot be restored" "$TMP/status.out"
cp "$TMP/after/2026-12/invoices/INV-202612-0002.pdf" "$TMP/a/2026-12/invoices/"
rm "$TMP/r/2026-12/invoices/CN-202612-0001.pdf"
sed -i 's/Technology Co. Ltd./Technology Co./' "$TMP/data-r/issuer.csv"
check_status "... a credit note whose issuer's name changed: exit 65" 65 \
	"$SVCBILL" run --data "$TMP/data-r" --period 2026-12 --out "$TMP/r" --quiet
check "... naming it" grep -q "CN-202612-0001.pdf: issued credit note missing or changed, and it cannot be restored" "$TMP/status.out"
check "... nothing written" sh -c "! diff -rq -x .lock '$TMP/r-after' '$TMP/r' | grep -v 'Only in $TMP/r-after/2026-12/invoices: CN-202612-0001.pdf'"

# An earlier period may only be re-run unchanged.
"$SVCBILL" run --data "$DATA" --period 2027-01 --out "$TMP/b" --quiet >/dev/null
check_status "earlier period with new invoices refused" 65 \
	"$SVCBILL" run --data "$TMP/data2" --period 2026-12 --out "$TMP/b" --reissue --quiet
check "earlier period re-run unchanged is fine" \
	"$SVCBILL" run --data "$DATA" --period 2026-12 --out "$TMP/b" --quiet
