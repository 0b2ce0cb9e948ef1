#!/bin/sh
# The ledger index (ledger-index.csv): a run reads only the periods it
# needs through it, and an index deleted, cut, edited, linked or left
# stale by a crash never changes what is billed: the run bills as one
# that reads the whole ledger, and verify reports the index.
. "$(dirname "$0")/lib.sh"
D=$TMP/data
python3 "$ROOT/tests/bench/gen.py" "$D" 12 >/dev/null
sed -i 's/,2027-12-31,/,2037-12-31,/' "$D/contracts.csv"
# K00004 (website, 6-month cycles) from August: its cycle of 2027-08 ends
# in January 2028, so the run of February 2028 trues it up
sed -i 's/^K00004,\([^,]*,[^,]*,\)2026-10-09,/K00004,\12026-08-09,/' "$D/contracts.csv"
# a record in January 2028 on a device with one in November 2026: its
# sheet of the 2028-02 run names the invoice that billed the old one
dev=$(sed -n 2p "$D/service_records.csv" | cut -d, -f2)
printf 'R-LATE,%s,repair,2028-01-10 09:00,2028-01-10 10:30,2028-01-10 12:00,late fault,covered,2,张伟,陈建国,1.0\r\n' \
	"$dev" >> "$D/service_records.csv"
printf 'invoice_no,paid_on,amount\r\n' > "$D/payments.csv"
A=$TMP/a
# 14 months; every invoice paid on its issue date but contract K00000's,
# whose late fees reach back to invoices the index sums up
after_month() {
	[ "$2" = 12 ] && cp "$A/ledger-index.csv" "$TMP/index-month13"
}
bill_months "$D" "$A" 14 '$3 != "K00000"'
check_eq "14 months billed" "$billed" 14
check "the index is written" test -f "$A/ledger-index.csv"
check_status "verify: the archive and its index agree" 0 "$SVCBILL" verify --out "$A"
P=$(month 14)
# the reference: the run as a whole read makes it (no index)
cp -a "$A" "$TMP/ref"
rm "$TMP/ref/ledger-index.csv"
"$SVCBILL" run --data "$D" --period $P --out "$TMP/ref" --quiet --jobs 2 >/dev/null 2>&1
check_eq "reference run" "$?" 0
check "the reference month has late fees on frozen invoices" \
	grep -q ',late_fee,K00000,.*INV-202612' "$TMP/ref/lines.csv"
check "its record sheet names the November 2026 invoice" \
	sh -c "pdftotext '$TMP/ref/$P/sheets/$dev.pdf' - | grep -q INV-202612-"

# What a run's read through the index keeps of each line (ledger.c
# keep_text): of the periods before the run's, no descriptions (a month
# of lines that only the true-ups, the cycles and records billed and the
# index look at: their ids, qty, price and amounts); of its own period,
# whole lines.
# Expected: lines.csv's rows as Python's csv module reads them, of the
# invoices the register gives the latest period (2028-01).
lines_read() {   # lines_read NAME PERIOD WHOLE(0|1)
	"$ROOT/build/ledger_read" "$A" "$2" > "$TMP/lr.out" 2>"$TMP/lr.err"
	check_eq "$1: the ledger read" "$?" 0
	check_eq "$1: ... through the index" "$(head -1 "$TMP/lr.out")" "index 1"
	python3 - "$A" "$(month 13)" "$3" "$TMP/lr.out" > "$TMP/lr.want" <<'PY'
import csv, sys
root, latest, whole, got = sys.argv[1:]
with open(root + '/register.csv', encoding='utf-8-sig', newline='') as f:
    period = {r['invoice_no']: r['period'] for r in csv.DictReader(f)}
with open(root + '/lines.csv', encoding='utf-8-sig', newline='') as f:
    rows = [r for r in csv.DictReader(f) if period[r['invoice_no']] == latest]
assert len(rows) > 20, len(rows)
assert any(r['qty'] and r['unit_price'] for r in rows)
for r in rows:
    d = (r['description_zh'], r['description_en']) if whole == '1' else ('', '')
    assert whole == '0' or d[0] and d[1]
    print('\t'.join((r['invoice_no'], r['line_no'], r['contract_id'],
                     r['device_id'], r['record_id']) + d +
                    (r['qty'], r['unit_price'])))
PY
	check "$1: lines.csv's rows of $(month 13), as they are" \
		sh -c "tail -n +2 '$TMP/lr.out' | diff '$TMP/lr.want' -"
}
lines_read "the next month's read" "$P" 0
lines_read "a re-run of the latest month" "$(month 13)" 1

same_as_ref() {   # same_as_ref NAME DIR: the run's output is the reference's
	if diff -r -x ledger-index.csv -x .lock "$TMP/ref" "$2" >"$TMP/diff" 2>&1; then
		pass "$1: bills the same as a whole read"
	else
		fail "$1: bills the same as a whole read" "$(head -c 300 "$TMP/diff")"
	fi
}
# case NAME VERIFY-PATTERN SETUP: set up a copy, verify reports, the run
# bills the same, and its new index agrees with the ledger
case_() {
	cn=$1 want=$2
	rm -rf "$TMP/c"; cp -a "$A" "$TMP/c"
	C=$TMP/c
	eval "$3"
	"$SVCBILL" verify --out "$C" > "$TMP/v.out" 2>&1
	vrc=$?
	if [ "$want" = "-" ]; then
		check_eq "$cn: verify has nothing to report" "$vrc" 0
	elif grep -q "ledger-index.csv: $want" "$TMP/v.out"; then
		pass "$cn: verify reports it"
	else
		fail "$cn: verify reports it" "$(tail -c 300 "$TMP/v.out")"
	fi
	"$SVCBILL" run --data "$D" --period $P --out "$C" --quiet --jobs 2 \
		>/dev/null 2>"$TMP/c.err"
	rrc=$?
	if [ -L "$C/ledger-index.csv" ] || [ -p "$C/ledger-index.csv" ]; then
		# damage (SPEC §4): not svcbill's to follow or remove; the
		# run stops, naming it, and goes on once it is removed
		check_eq "$cn: the run stops (exit 65)" "$rrc" 65
		check "$cn: naming it" grep -q \
			"ledger-index.csv: is a .*: remove it; the next run writes the index anew" \
			"$TMP/c.err"
		check "$cn: nothing written" test ! -e "$C/$P"
		[ -L "$C/ledger-index.csv" ] && check "$cn: its target untouched" \
			cmp -s "$TMP/elsewhere.csv" "$A/ledger-index.csv"
		rm "$C/ledger-index.csv"
		"$SVCBILL" run --data "$D" --period $P --out "$C" --quiet \
			--jobs 2 >/dev/null 2>"$TMP/c.err"
		rrc=$?
	fi
	check_eq "$cn: the run exits 0" "$rrc" 0
	same_as_ref "$cn" "$C"
	check_status "$cn: the new index agrees with the ledger" 0 \
		"$SVCBILL" verify --out "$C"
}
case_ "index intact" - 'stat -c %i "$C/ledger-index.csv" > "$TMP/ino"'
# the run went by the index: it wrote the new periods in place of the
# old index's end, in the same file, not a whole new one
check_eq "index intact: updated in place (the same file)" \
	"$(stat -c %i "$TMP/c/ledger-index.csv")" "$(cat "$TMP/ino")"
# a second name for the index (a hard link): writing in place would
# change the other name's file too, so a whole new index is written
case_ "index with a second name" - \
	'ln "$C/ledger-index.csv" "$TMP/second.csv"; cp "$TMP/second.csv" "$TMP/second.was"'
check "index with a second name: the other name's file untouched" \
	cmp -s "$TMP/second.csv" "$TMP/second.was"
check "... and no longer the index" \
	sh -c "! cmp -s '$TMP/second.csv' '$TMP/c/ledger-index.csv'"
rm -f "$TMP/second.csv" "$TMP/second.was"
# its last row: the CRC-32 (zlib's, computed here) of every byte before it
crc_row() {   # crc_row FILE: "ok" when its S row is the CRC-32 of the rest
	python3 - "$1" <<'PY'
import sys, zlib
b = open(sys.argv[1], 'rb').read()
i = b.rindex(b'\r\nS,') + 2
print('ok' if b[i:].split(b',')[1] == b'%08x' % zlib.crc32(b[:i]) else 'bad')
PY
}
check_eq "the index ends in the CRC-32 of its bytes" "$(crc_row "$A/ledger-index.csv")" ok
# an index an earlier svcbill wrote (its checksum a SHA-256 of the same
# bytes): not damage; verify says so and exits 0, the run bills the same
# and writes it anew
case_ "index of an earlier svcbill" - 'python3 - "$C/ledger-index.csv" <<'"'"'PY'"'"'
import hashlib, os, sys
p = sys.argv[1]
b = open(p, "rb").read()
i = b.rindex(b"\r\nS,") + 2
st = os.stat(p)
open(p, "wb").write(b[:i] + b"S," + hashlib.sha256(b[:i]).hexdigest().encode() + b",,,,,,,,,,,\r\n")
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY'
check "index of an earlier svcbill: verify says so" \
	grep -q "ledger-index.csv: written by an earlier svcbill" "$TMP/v.out"
check_eq "... and the new one ends in its CRC-32" "$(crc_row "$TMP/c/ledger-index.csv")" ok
# ... but one edited since (a gross changed, its SHA-256 left): damage
case_ "index of an earlier svcbill, edited" "not the index" 'python3 - "$C/ledger-index.csv" <<'"'"'PY'"'"'
import hashlib, os, sys
p = sys.argv[1]
b = open(p, "rb").read()
i = b.rindex(b"\r\nS,") + 2
sha = hashlib.sha256(b[:i]).hexdigest().encode()
k = b.index(b"\r\nI,") + 2
f = b[k:b.index(b"\r\n", k)].split(b",")
f[10] = b"1" + f[10]
e = b[:k] + b",".join(f) + b[b.index(b"\r\n", k):i]
st = os.stat(p)
open(p, "wb").write(e + b"S," + sha + b",,,,,,,,,,,\r\n")
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY'
case_ "index deleted" "missing" 'rm "$C/ledger-index.csv"'
case_ "index cut" "not the index" \
	'head -c 700 "$A/ledger-index.csv" > "$C/ledger-index.csv"'
# (the first I row is K00000's unpaid INV-202612-0001: its gross is what
# its late fee is worked out from)
case_ "index edited" "not the index" \
	'sed -i "0,/^I,/s/^\(I,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\)[0-9]/\19/" "$C/ledger-index.csv"'
case_ "index a link" "is a symbolic link" \
	'cp "$C/ledger-index.csv" "$TMP/elsewhere.csv"; rm "$C/ledger-index.csv"; ln -s "$TMP/elsewhere.csv" "$C/ledger-index.csv"'
case_ "index a named pipe" "is a named pipe" \
	'rm "$C/ledger-index.csv"; mkfifo "$C/ledger-index.csv"'
case_ "index stale after a crash" - \
	'cp "$TMP/index-month13" "$C/ledger-index.csv"'
# An index edited with its checksum made again: only verify can tell
# (as with the register's own chain); it does.
rm -rf "$TMP/c"; cp -a "$A" "$TMP/c"
python3 - "$TMP/c/ledger-index.csv" <<'PY'
import sys, zlib
p = sys.argv[1]
b = open(p, 'rb').read()
head, s = b[:b.rindex(b'S,')], None
lines = head.split(b'\r\n')
for i, l in enumerate(lines):
    if l.startswith(b'I,'):
        f = l.split(b',')
        f[10] = b'1' + f[10]          # gross
        lines[i] = b','.join(f)
        break
head = b'\r\n'.join(lines)
open(p, 'wb').write(head + b'S,' + b'%08x' % zlib.crc32(head) + b',,,,,,,,,,,\r\n')
PY
"$SVCBILL" verify --out "$TMP/c" > "$TMP/v.out" 2>&1
check_eq "index forged with its checksum: verify exits 65" "$?" 65
check "... naming the index" grep -q "ledger-index.csv: does not match the ledger" "$TMP/v.out"
# An old row edited (the tax_pct of a row of 2026-12, a period the index
# sums up): lines.csv is then more recent than the index, so the run
# reads the whole ledger and stops as SPEC §4 asks, naming the row,
# before anything is written.
rm -rf "$TMP/c"; cp -a "$A" "$TMP/c"
sed -i '2s/,6\r$/,7\r/' "$TMP/c/lines.csv"
check "... (the row edited)" grep -q ',7.$' "$TMP/c/lines.csv"
( cd "$TMP/c" && find . ! -name .lock -type f -exec sha256sum {} + | sort ) > "$TMP/c.snap"
"$SVCBILL" run --data "$D" --period $P --out "$TMP/c" --quiet --jobs 2 >/dev/null 2>"$TMP/c.err"
check_eq "an old lines.csv row edited: the run stops (exit 65)" "$?" 65
check "... naming the invoice's register row" grep -q "register.csv:2:" "$TMP/c.err"
check "... nothing written" sh -c "cd '$TMP/c' && find . ! -name .lock -type f -exec sha256sum {} + | sort | cmp -s - '$TMP/c.snap'"
# The same edit with the file's size and time put back as they were (so
# that nothing but its bytes shows it): the run goes by the index, whose
# copy of 2026-12 is the one billed, and bills as before; verify finds it.
touch -r "$A/lines.csv" "$TMP/c/lines.csv"
"$SVCBILL" run --data "$D" --period $P --out "$TMP/c" --quiet --jobs 2 >/dev/null 2>"$TMP/c.err"
check_eq "... with its time put back: the run goes by the index (exit 0)" "$?" 0
"$SVCBILL" verify --out "$TMP/c" > "$TMP/v.out" 2>&1
check_eq "... verify still finds the edit" "$?" 65
sed -i '2s/,7\r$/,6\r/' "$TMP/c/lines.csv"
same_as_ref "an old lines.csv row edited, its time put back" "$TMP/c"
# A contract changed so that cycles billed in periods the index sums up
# are no longer its cycles: the same messages as a whole read gives.
# (K00001: monthly from 2026-09; every third month now, so the cycle of
# 2027-01, frozen, is no longer one)
sed 's/^K00001,\([^,]*,[^,]*,[^,]*,[^,]*,\)1,/K00001,\13,/' \
	"$D/contracts.csv" > "$TMP/contracts.changed"
mkdir -p "$TMP/d2"; cp "$D"/*.csv "$TMP/d2/"; cp "$TMP/contracts.changed" "$TMP/d2/contracts.csv"
rm -rf "$TMP/c" "$TMP/r2"; cp -a "$A" "$TMP/c"; cp -a "$A" "$TMP/r2"
rm "$TMP/r2/ledger-index.csv"
"$SVCBILL" run --data "$TMP/d2" --period $P --out "$TMP/r2" --quiet >/dev/null 2>"$TMP/r2.err"
check_eq "a billed cycle no longer the contract's: whole read exits 65" "$?" 65
check "... naming an invoice of 2027-01" grep -q "invoice INV-202701-" "$TMP/r2.err"
"$SVCBILL" run --data "$TMP/d2" --period $P --out "$TMP/c" --quiet >/dev/null 2>"$TMP/c.err"
check_eq "... through the index: exit 65" "$?" 65
check_eq "... the same messages" "$(sed "s|$TMP/c|X|g" "$TMP/c.err")" "$(sed "s|$TMP/r2|X|g" "$TMP/r2.err")"
# A true-up reaches back 6 months (the cycle of 2027-08): the monthly fee
# changed, the run through the index trues it up as a whole read does.
mkdir -p "$TMP/d3"; cp "$D"/*.csv "$TMP/d3/"
sed -i 's/^\(K00004,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\)[0-9]*,/\11999,/' "$TMP/d3/contracts.csv"
rm -rf "$TMP/c" "$TMP/r3"; cp -a "$A" "$TMP/c"; cp -a "$A" "$TMP/r3"
rm "$TMP/r3/ledger-index.csv"
"$SVCBILL" run --data "$TMP/d3" --period $P --out "$TMP/r3" --quiet >/dev/null 2>&1
check "the whole read trues up K00004's cycle of 2027-08" \
	grep -q ',trueup,K00004,,,2027-08-01,' "$TMP/r3/lines.csv"
"$SVCBILL" run --data "$TMP/d3" --period $P --out "$TMP/c" --quiet >/dev/null 2>&1
check_eq "... through the index: exit 0" "$?" 0
if diff -r -x ledger-index.csv -x .lock "$TMP/r3" "$TMP/c" >"$TMP/diff" 2>&1; then
	pass "... the same true-up"
else
	fail "... the same true-up" "$(head -c 300 "$TMP/diff")"
fi
# edit_amount CONTRACT CYCLE_START: a copy of the archive at $TMP/c whose
# first recurring line of CONTRACT for the cycle has its amount's last
# digit changed (the size kept), lines.csv's time put back as it was: an
# edit only the hashes can tell, then the run of $P with $TMP/d3
edit_amount() {
	rm -rf "$TMP/c"; cp -a "$A" "$TMP/c"
	python3 - "$TMP/c/lines.csv" "$1" "$2" <<'PY'
import sys
p, contract, start = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
b = open(p, 'rb').read().split(b'\r\n')
for i, row in enumerate(b):
    f = row.split(b',')
    if len(f) > 12 and f[2] == b'recurring' and f[3] == contract \
            and f[6] == start:
        d = f[12][-1:]
        f[12] = f[12][:-1] + (b'1' if d != b'1' else b'2')
        b[i] = b','.join(f)
        break
else:
    sys.exit('no recurring line of %s for %s' % (contract, start))
open(p, 'wb').write(b'\r\n'.join(b))
PY
	touch -r "$A/lines.csv" "$TMP/c/lines.csv"
	"$SVCBILL" run --data "$TMP/d3" --period $P --out "$TMP/c" --quiet \
		>/dev/null 2>"$TMP/c.err"
}
# The true-up takes the lines of the cycle's first months from lines.csv
# (the run reads only those of periods before its own), checked against
# their invoice as a whole read checks them: one of them edited, and the
# run stops (exit 65) as the whole read does, naming the invoice; it
# trues up nothing from it.
edit_amount K00004 2027-08-01
check_eq "a line the true-up reads edited, its time put back: exit 65" "$?" 65
check "... naming the invoice's content_sha256" grep -q "content_sha256" "$TMP/c.err"
check "... no true-up written" sh -c "! grep -q ',trueup,K00004,' '$TMP/c/lines.csv'"
# The other lines of the months the true-up reaches are checked too, as
# when the run read those months whole: K00001's of 2027-09 (monthly, not
# trued up) edited the same way, and the run stops (exit 65).
edit_amount K00001 2027-09-01
check_eq "another line of the true-up's months edited, its time put back: exit 65" "$?" 65
check "... naming the invoice" grep -q "INV-202709-" "$TMP/c.err"
# ... and their register rows by their chain: K00004's invoice of 2027-08
# made "cancelled" (whose lines are not checked against its hash) and a
# line of it made 6,000 less, both files' sizes and times as they were:
# the run stops (exit 65) as the whole read does.
rm -rf "$TMP/c"; cp -a "$A" "$TMP/c"
python3 - "$TMP/c" <<'PY'
import sys
c = sys.argv[1]
reg = open(c + '/register.csv', 'rb').read().split(b'\r\n')
no = next(r.split(b',')[0] for r in reg
          if r.split(b',')[2:3] == [b'K00004'] and r.split(b',')[1] == b'2027-08')
lines = open(c + '/lines.csv', 'rb').read().split(b'\r\n')
for i, r in enumerate(lines):
    if r.startswith(no + b',1,'):
        f = r.split(b',')
        f[12] = b'%d%s' % (int(f[12].split(b'.')[0]) - 6000, b'.' + f[12].split(b'.')[1])
        f[12] = f[12].rjust(len(r.split(b',')[12]), b'0')
        lines[i] = b','.join(f)
        break
for i, r in enumerate(reg):
    if r.startswith(no + b','):
        f = r.split(b',')
        f[10] = b'cancelled'
        f[14] = f[14][:-3]
        reg[i] = b','.join(f)
        break
open(c + '/lines.csv', 'wb').write(b'\r\n'.join(lines))
open(c + '/register.csv', 'wb').write(b'\r\n'.join(reg))
PY
touch -r "$A/lines.csv" "$TMP/c/lines.csv"
touch -r "$A/register.csv" "$TMP/c/register.csv"
check_eq "... the sizes as they were" \
	"$(stat -c %s "$TMP/c/register.csv" "$TMP/c/lines.csv" | tr '\n' ' ')" \
	"$(stat -c %s "$A/register.csv" "$A/lines.csv" | tr '\n' ' ')"
"$SVCBILL" run --data "$TMP/d3" --period $P --out "$TMP/c" --quiet >/dev/null 2>"$TMP/c.err"
check_eq "a register row of the true-up's months edited, times put back: exit 65" "$?" 65
check "... naming its chain" grep -q "chain does not verify" "$TMP/c.err"
# A month that billed nothing, run again after later months: its summary
# shows the ledger seal as of its end, which the rows read no longer
# hold (the month's last row is one the index sums up): the same seal and
# the same files as the first time. (W-2026-03: a quarterly website
# contract from March, without its late fee: rows in 2026-03 and 2026-06
# only.)
Q=$TMP/q QA=$TMP/qa
mkdir -p "$Q"; mkdir -m 750 "$QA"
cp "$ROOT/samples/basic"/issuer.csv "$ROOT/samples/basic"/clients.csv "$Q/"
"$SVCBILL" init "$TMP/qi" >/dev/null 2>&1
for f in devices service_records parts parts_used charges payments rates; do
	cp "$TMP/qi/$f.csv" "$Q/"
done
{ head -1 "$ROOT/samples/basic/contracts.csv"
  grep '^W-2026-03,' "$ROOT/samples/basic/contracts.csv" |
	sed 's/,0\.05,72,/,0,72,/'; } > "$Q/contracts.csv"   # no late fee
for p in 2026-03 2026-04 2026-05 2026-06; do
	"$SVCBILL" run --data "$Q" --period $p --out "$QA" --quiet >/dev/null 2>&1
done
check_eq "a quarterly contract: rows in March and June only" \
	"$(cut -d, -f2 "$QA/register.csv" | sed 1d | sort -u | tr '\n' ' ')" "2026-03 2026-06 "
cp -a "$QA/2026-04" "$TMP/qa-04"
"$SVCBILL" run --data "$Q" --period 2026-04 --out "$QA" --quiet >/dev/null 2>&1
check_eq "April (nothing billed) run again: exit 0" "$?" 0
check "... its summary.pdf and SHA256SUMS unchanged (the seal of its end)" \
	diff -r "$TMP/qa-04" "$QA/2026-04"
seal4=$(pdftotext "$QA/2026-04/summary.pdf" - | tr -d '\n' | grep -o '[0-9a-f]\{64\}' | head -1)
check_eq "... the seal on it is March's last row's chain" "${seal4:-none}" \
	"$(grep '^INV-202603-' "$QA/register.csv" | tail -1 | tr -d '\r' | awk -F, '{ print $NF }')"
# Another program edits an old register row while a run draws (the shim
# changes a digit of INV-202612-0001's net, size kept, when the run opens
# its first invoice): the run issues its bills (their chain is the one it
# read) but writes no index, so the next run reads the whole ledger and
# stops at the edit, naming it (before this, the index written after the
# edit hid it from every later run; verify alone found it).
rm -rf "$TMP/e"; cp -a "$A" "$TMP/e"
rm -rf "$TMP/e/$P"
off=$(python3 -c 'import sys
b = open(sys.argv[1], "rb").read()
row = b.index(b"\nINV-202612-0001,") + 1
print(row + len(b",".join(b[row:].split(b",")[:7])) + 1)' "$TMP/e/register.csv")
FAILIO_EDIT="INV-${P%-*}${P#*-}-0001|$TMP/e/register.csv|$off" LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$D" --period $P --out "$TMP/e" --quiet --jobs 1 >/dev/null 2>"$TMP/e.err"
check_eq "a row edited while a run draws: the run issues its bills" "$?" 0
check "... and says so" grep -q "changed by another program while this run read them" "$TMP/e.err"
check "... the row was edited" sh -c "! cmp -s '$A/register.csv' '$TMP/e/register.csv' &&
	[ \$(head -c $((off + 1)) '$TMP/e/register.csv' | tail -c 1) != \$(head -c $((off + 1)) '$A/register.csv' | tail -c 1) ]"
"$SVCBILL" run --data "$D" --period $P --out "$TMP/e" --quiet --jobs 1 >/dev/null 2>"$TMP/e2.err"
check_eq "... the next run stops (exit 65)" "$?" 65
check "... naming the row" grep -q "register.csv:[0-9]*:" "$TMP/e2.err"

# An id with a comma (ids are free text) is written quoted in the index's
# rows; the reader takes such an index as it takes any other (the index
# parsed in place once wrote a field's NUL on the comma after it and
# refused every quoted row: verify said 65, every run read the whole
# ledger)
Q=$TMP/quoted
python3 "$ROOT/tests/bench/gen.py" "$Q/d" 3 >/dev/null
sed -i 's/^C00000,/"C0,0000",/' "$Q/d/clients.csv"
sed -i 's/,C00000,/,"C0,0000",/' "$Q/d/contracts.csv"
mkdir -m 750 "$Q/a"
for p in 2026-12 2027-01 2027-02; do
	"$SVCBILL" run --data "$Q/d" --period $p --out "$Q/a" --quiet >/dev/null 2>&1 ||
		fail "quoted ids: run $p" "exit $?"
done
check "quoted ids: the index has rows with the quoted client id" \
	grep -q '"C0,0000"' "$Q/a/ledger-index.csv"
check_status "quoted ids: verify takes the index" 0 "$SVCBILL" verify --out "$Q/a"
check "... and says nothing of it" sh -c "! grep -q ledger-index '$TMP/status.out'"
