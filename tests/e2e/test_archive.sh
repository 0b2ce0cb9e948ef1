#!/bin/sh
# The archive is the truth (SPEC §4): the register's hash chain, what a
# run may repair and nothing else, what verify finds, and an archive that
# is svcbill's alone (no path through a link, pipe or device).
# Ledger files are edited with tests/e2e/ledger_edit.py, which reads and
# writes them with Python's csv module and computes chains and content
# hashes itself: an independent reader.
. "$(dirname "$0")/lib.sh"
umask 022
EDIT="python3 $ROOT/tests/e2e/ledger_edit.py"

# Two website contracts; a charge whose descriptions hold line breaks,
# quotes, a comma and a formula-like start; a client name on two lines.
D=$TMP/d
mkdir -p "$D"
printf 'name_zh,invoice_prefix\r\n测试维护公司,INV\r\n' > "$D/issuer.csv"
printf 'client_id,name_zh\r\nC1,"客户\r\n一号"\r\n' > "$D/clients.csv"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,payment_days,late_fee_pct,tax_pct\r\nW1,C1,website,2026-01-01,2027-12-31,1,100,10,0,6\r\nW2,C1,website,2026-01-01,2027-12-31,1,200,10,0,6\r\n' > "$D/contracts.csv"
printf 'contract_id,date,description_zh,description_en,qty,unit_price\r\nW2,2026-11-20,"设计\r\n第二行","=Design, ""page""\nline two",2,50\r\nW2,2026-12-20,"=1+1",,1,10\r\n' > "$D/charges.csv"
printf 'contract_id,class,monthly_fee\r\n' > "$D/rates.csv"
printf 'device_id,contract_id,class\r\n' > "$D/devices.csv"
printf 'record_id,device_id,type,completed_at\r\n' > "$D/service_records.csv"

bill() {   # bill DIR PERIOD [more]
	o=$1 p=$2
	shift 2
	"$SVCBILL" run --data "$D" --period "$p" --out "$o" --quiet --jobs 1 "$@"
}
# B: November billed.  R: November and December (the reference).
bill "$TMP/B" 2026-11 >/dev/null
cp -a "$TMP/B" "$TMP/R"
bill "$TMP/R" 2026-12 > "$TMP/R.out"
R=$TMP/R
snapshot() { (cd "$1" && find . ! -name .lock -type f -exec sha256sum {} + | sort); }
snapshot "$R" > "$TMP/R.snap"

# ---- line breaks inside values (SPEC §4: kept exactly, inside quotes) ----
check_eq "a line break inside a description is kept in lines.csv" \
	"$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(repr(rows[-1][8]), repr(rows[-1][9]))' "$R/lines.csv")" \
	"'设计\\r\\n第二行' '\\'=Design, \"page\"\\nline two'"
check_eq "... and in summary.csv" "$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(repr(rows[1][3]))' "$R/2026-12/summary.csv")" "'客户\\r\\n一号'"
check_eq "the seal printed is the chain an independent reader computes" \
	"$(sed 's/.*ledger seal //' "$TMP/R.out")" "$($EDIT "$R/register.csv" chain)"
check "the seal is on summary.pdf" sh -c "pdftotext '$R/2026-12/summary.pdf' - |
	tr -d '\n' | grep -q '$($EDIT "$R/register.csv" chain)'"
cp -a "$R" "$TMP/rr"
out=$(bill "$TMP/rr" 2026-12)
check "re-run with multi-line values: nothing new, nothing changed" sh -c \
	"echo '$out' | grep -q '(0 new, 2 unchanged, 0 reissued)' &&
	 diff -r -x .lock '$R' '$TMP/rr'"
check "verify after multi-line values" "$SVCBILL" verify --out "$R"

# ---- damage: run and check --out stop with 65 naming the place, nothing
# written; verify reports it ----
# damaged NAME WANT EDIT...: the edit applied to a copy of R ($X)
damaged() {
	name=$1 want=$2
	shift 2
	rm -rf "$TMP/x"
	cp -a "$R" "$TMP/x"
	X=$TMP/x
	eval "$@"
	snapshot "$X" > "$TMP/x.snap"
	bill "$X" 2027-01 >/dev/null 2>"$TMP/x.err"
	rc=$?
	"$SVCBILL" check --data "$D" --out "$X" >/dev/null 2>"$TMP/x.cerr"
	crc=$?
	"$SVCBILL" verify --out "$X" >"$TMP/x.verr" 2>&1
	vrc=$?
	why=""
	[ $rc = 65 ] || why="$why run exit $rc;"
	[ $crc = 65 ] || why="$why check exit $crc;"
	[ $vrc = "${vwant:-65}" ] || why="$why verify exit $vrc;"
	grep -q "$want" "$TMP/x.err" || why="$why run message lacks '$want';"
	grep -q "$want" "$TMP/x.verr" || why="$why verify lacks '$want';"
	snapshot "$X" | cmp -s - "$TMP/x.snap" || why="$why the run wrote;"
	[ -z "$why" ] && pass "$name" || fail "$name" "$why $(head -c 300 "$TMP/x.err")"
}
bump() {   # a field changed as a person would: a digit, else a letter added
	$EDIT "$1" set "$2" "$3" "$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
v = rows[int(sys.argv[2])][int(sys.argv[3])]
if v and v[-1].isdigit(): print(v[:-1] + str((int(v[-1]) + 1) % 10))
elif v and v[-1] in "abcdef": print(v[:-1] + ("0" if v[-1] != "0" else "1"))
else: print(v + "X")' "$1" "$2" "$3")"
}
col=0
for name in invoice_no period contract_id client_id issue_date due_date \
	currency net tax gross status replaces content_sha256 pdf pdf_sha256 chain; do
	damaged "register: $name of a middle row edited" "register.csv:3:" \
		bump '"$X/register.csv"' 2 $col
	damaged "register: $name of the last row edited" "register.csv:5:" \
		bump '"$X/register.csv"' 4 $col
	col=$((col + 1))
done
damaged "register: issued changed to cancelled" "register.csv:3:" \
	'$EDIT "$X/register.csv" set 2 10 cancelled'
damaged "register: a middle row deleted" "register.csv:3:" '$EDIT "$X/register.csv" delete 2'
damaged "register: a row duplicated" "register.csv:4:" '$EDIT "$X/register.csv" dup 2'
damaged "register: two rows swapped" "register.csv:3:" '$EDIT "$X/register.csv" swap 2'
damaged "register: a row inserted" "register.csv:3:" '$EDIT "$X/register.csv" insert 2'
damaged "register: a forged row with a well-formed hash" "register.csv:6:" \
	'$EDIT "$X/register.csv" forge'
damaged "register: the last row deleted whole (its run had finished)" \
	"lines.csv:5:" '$EDIT "$X/register.csv" delete 4'
damaged "register: net edited with the chain recomputed" "register.csv:3:" \
	'bump "$X/register.csv" 2 7; $EDIT "$X/register.csv" rechain'
damaged "register: due date edited with the chain recomputed" "register.csv:3:" \
	'bump "$X/register.csv" 2 5; $EDIT "$X/register.csv" rechain'
vwant=66   # verify: no register (SPEC §1)
damaged "register missing while the archive has periods" "register.csv" \
	'rm "$X/register.csv"'
damaged "register emptied" "register.csv" ': > "$X/register.csv"'
vwant=65
damaged "register: every row deleted, header kept" "lines.csv:2:" \
	'head -c $($EDIT "$X/register.csv" rowstart 1) "$R/register.csv" > "$X/register.csv"'
col=0
for name in invoice_no line_no kind contract_id device_id record_id cycle_start \
	cycle_end description_zh description_en qty unit_price amount tax_pct; do
	case $name in description_*) col=$((col + 1)); continue ;; esac
	damaged "lines: $name of a committed row edited" "lines.csv:4\|register.csv:4:" \
		bump '"$X/lines.csv"' 3 $col
	col=$((col + 1))
done
echo "SKIP lines: description edits (no hash of SPEC §4 covers the descriptions; see the note)"
damaged "lines: a row deleted" "register.csv:4:" '$EDIT "$X/lines.csv" delete 3'
damaged "lines: a row duplicated" "lines.csv:5\|register.csv:4:" '$EDIT "$X/lines.csv" dup 3'
damaged "lines: rows of two invoices swapped" "lines.csv:5:" '$EDIT "$X/lines.csv" swap 3'
damaged "lines: a row of an unknown invoice inserted" "lines.csv:4:" \
	'$EDIT "$X/lines.csv" insert 3'
damaged "lines: the last (multi-line) row deleted" "register.csv:5:" \
	'$EDIT "$X/lines.csv" delete 5'
damaged "lines: a line and the net changed together" "register.csv:4:" \
	'bump "$X/lines.csv" 3 12; bump "$X/register.csv" 3 7; $EDIT "$X/register.csv" rechain'

# ---- the final CRLF: a complete row lacking only it gets it ----
for f in register lines; do
	rm -rf "$TMP/x"; cp -a "$R" "$TMP/x"
	size=$(stat -c %s "$R/$f.csv")
	head -c $((size - 2)) "$R/$f.csv" > "$TMP/x/$f.csv"
	bill "$TMP/x" 2026-12 >/dev/null 2>"$TMP/x.err"
	check_eq "$f.csv without its final CRLF: the CRLF added, nothing else" \
		"$?:$(snapshot "$TMP/x" | cmp -s - "$TMP/R.snap" && echo same)" "0:same"
done

# ---- a cut at every byte offset of the last two rows ----
# What a crash leaves: the run's PDFs in place, its SHA256SUMS and
# summary.csv not yet written, and one ledger file cut.  Every offset is
# read in-process by the unit test ledger_load_every_cut_is_a_repairable_tail;
# here check --out classifies every 4th offset and the edges (repairable:
# 0), and a full run at a sample completes identically to the
# uninterrupted run.
for f in register lines; do
	if [ $f = register ]; then from=$($EDIT "$R/register.csv" rowstart 3)
	else from=$($EDIT "$R/lines.csv" rowstart 4); fi
	size=$(stat -c %s "$R/$f.csv")
	# the crash state, and the same archive with its run finished
	rm -rf "$TMP/c" "$TMP/k"; cp -a "$R" "$TMP/c"; cp -a "$R" "$TMP/k"
	rm "$TMP/c/2026-12/SHA256SUMS" "$TMP/c/2026-12/summary.csv"
	[ $f = lines ] && cp "$TMP/B/register.csv" "$TMP/c/register.csv"
	bad=0 n=0 runs=0 cbad=0 kn=0
	off=$from
	while [ $off -lt $size ]; do
		edge=0
		[ $off -ge $((size - 3)) ] || [ $off = $from ] && edge=1
		if [ $((off % 4)) = 0 ] || [ $edge = 1 ]; then
			head -c $off "$R/$f.csv" > "$TMP/c/$f.csv"
			"$SVCBILL" check --data "$D" --out "$TMP/c" >/dev/null 2>&1 ||
				{ bad=$((bad + 1)); echo "crash cut $f at $off: check refused"; }
			n=$((n + 1))
		fi
		if [ $((off % 61)) = 0 ] || [ $edge = 1 ]; then
			head -c $off "$R/$f.csv" > "$TMP/c/$f.csv"
			rm -rf "$TMP/c2"; cp -a "$TMP/c" "$TMP/c2"
			bill "$TMP/c2" 2026-12 >/dev/null 2>&1 &&
				snapshot "$TMP/c2" | cmp -s - "$TMP/R.snap" ||
				{ bad=$((bad + 1)); echo "crash cut $f at $off: not identical"; }
			runs=$((runs + 1))
		fi
		# the same cut in an archive whose run had finished: the
		# period's SHA256SUMS shows the rows were committed
		if [ $((off % 11)) = 0 ] || [ $off -ge $((size - 3)) ] || [ $off = $from ]; then
			head -c $off "$R/$f.csv" > "$TMP/k/$f.csv"
			"$SVCBILL" check --data "$D" --out "$TMP/k" >/dev/null 2>&1
			krc=$?
			if [ $off -ge $((size - 2)) ]; then want=0; else want=65; fi
			[ $krc = $want ] || { cbad=$((cbad + 1)); echo "committed cut $f at $off: exit $krc"; }
			kn=$((kn + 1))
		fi
		off=$((off + 1))
	done
	check_eq "crash cuts of $f.csv at $n offsets of its last two rows repairable ($runs re-run to identical bytes)" "$bad" 0
	check_eq "$kn of those cuts (every 11th byte, and the last) in a finished run's $f.csv: 65 (committed rows), the final CRLF alone repaired" "$cbad" 0
done

# ---- verify: one test per problem class of SPEC §4 "Integrity" ----
verify_finds() {   # verify_finds NAME WANT EDIT...
	name=$1 want=$2
	shift 2
	rm -rf "$TMP/v"; cp -a "$R" "$TMP/v"
	X=$TMP/v
	eval "$@"
	"$SVCBILL" verify --out "$X" > "$TMP/v.out" 2>&1
	rc=$?
	if [ $rc = 65 ] && grep -q "$want" "$TMP/v.out"; then pass "verify: $name"; else
		fail "verify: $name" "exit $rc: $(head -c 400 "$TMP/v.out")"; fi
}
verify_finds "a chain that does not verify" "register.csv:3: column 'chain'" \
	bump '"$X/register.csv"' 2 3
verify_finds "content_sha256 against the lines" "register.csv:4: .*content_sha256" \
	bump '"$X/lines.csv"' 3 12
verify_finds "gross = net + tax" "register.csv:3: column 'gross': gross is not net + tax" \
	'bump "$X/register.csv" 2 9; $EDIT "$X/register.csv" rechain'
# an amount edited in a register row: what is wrong with that row, and
# nothing of its lines or its PDF (they are still its own; before, the
# row was dropped and each of its lines and its PDF reported as one the
# register does not have)
rm -rf "$TMP/v"; cp -a "$R" "$TMP/v"
python3 - "$TMP/v/register.csv" <<'PY'
import sys
from decimal import Decimal
p = sys.argv[1]
lines = open(p, encoding="utf-8", newline="").read().split("\r\n")
f = lines[2].split(",")          # no quoted field in this row
f[7] = str(Decimal(f[7]) + Decimal("0.05"))
lines[2] = ",".join(f)
open(p, "w", encoding="utf-8", newline="").write("\r\n".join(lines))
PY
"$SVCBILL" verify --out "$TMP/v" > "$TMP/v.out" 2>&1
check_eq "verify: an amount edited, only that row reported" \
	"$?:$(grep -c 'register.csv:3: ' "$TMP/v.out"):$(grep -c 'does not have\|does not name' "$TMP/v.out")" \
	"65:3:0"
verify_finds "the lines adding up to net" "register.csv:4: column 'net': .*do not add up" \
	'bump "$X/lines.csv" 3 12; $EDIT "$X/register.csv" rehash 3 "$X/lines.csv"; $EDIT "$X/register.csv" rechain'
verify_finds "a lines row with no register row" "lines.csv:4: .*register does not have" \
	'$EDIT "$X/lines.csv" insert 3'
verify_finds "a PDF missing" "INV-202612-0001.pdf: missing" \
	'rm "$X/2026-12/invoices/INV-202612-0001.pdf"'
verify_finds "a PDF changed" "INV-202612-0001.pdf: SHA-256 differs from the register" \
	'printf x >> "$X/2026-12/invoices/INV-202612-0001.pdf"'
verify_finds "a PDF the register does not name" "INV-202612-0009.pdf: an invoice the register does not name" \
	'cp "$X/2026-12/invoices/INV-202612-0001.pdf" "$X/2026-12/invoices/INV-202612-0009.pdf"'
verify_finds "SHA256SUMS: a file changed" "summary.csv: SHA-256 differs from SHA256SUMS" \
	'printf x >> "$X/2026-12/summary.csv"'
verify_finds "SHA256SUMS: a file not listed" "extra.txt: not listed in SHA256SUMS" \
	'echo x > "$X/2026-12/extra.txt"'
verify_finds "SHA256SUMS missing" "2026-12/SHA256SUMS: missing" 'rm "$X/2026-12/SHA256SUMS"'
verify_finds "an interrupted run's tail" "register.csv:5: the end of a run that was interrupted" \
	'rm "$X/2026-12/SHA256SUMS"; head -c $(($(stat -c %s "$R/register.csv") - 9)) "$R/register.csv" > "$X/register.csv"'
seal=$($EDIT "$R/register.csv" chain)
check_status "verify --seal with the seal run printed" 0 "$SVCBILL" verify --out "$R" --seal "$seal"
check "... says how many rows it covers" grep -q "rows 1 to 4 unchanged" "$TMP/status.out"
early=$(python3 -c '
import csv, hashlib, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(rows[2][15])' "$R/register.csv")
check_status "verify --seal of an earlier row" 0 "$SVCBILL" verify --out "$R" --seal "$early"
rm -rf "$TMP/v"; cp -a "$R" "$TMP/v"
bump "$TMP/v/register.csv" 2 3
$EDIT "$TMP/v/register.csv" rechain
# the derived index still describes the ledger as it was: verify sees that
"$SVCBILL" verify --out "$TMP/v" > "$TMP/v.out" 2>&1
check_eq "... the index left as it was gives the forgery away" "$?:$(grep -c 'ledger-index.csv: does not match' "$TMP/v.out")" "65:1"
# a forger who also removes the derived index
rm -f "$TMP/v/ledger-index.csv"
"$SVCBILL" verify --out "$TMP/v" > "$TMP/v.out" 2>&1
check_eq "a client_id changed, the whole chain recomputed and the index removed: verify without the seal cannot see it" "$?" 0
"$SVCBILL" verify --out "$TMP/v" --seal "$seal" > "$TMP/v.out" 2>&1
check_eq "... and the seal does" "$?:$(grep -c 'not in the chain' "$TMP/v.out")" "65:1"
check_status "verify --seal takes 64 hex digits" 64 "$SVCBILL" verify --out "$R" --seal abc
check_status "verify of a missing archive: 66" 66 "$SVCBILL" verify --out "$TMP/nonexistent"
mkdir "$TMP/noreg"
check_status "verify without a register: 66" 66 "$SVCBILL" verify --out "$TMP/noreg"

# ---- a period folder holds only what svcbill wrote there (SPEC §4:
# "any changed or extra archived file, is reported"; SHA256SUMS lists
# every file of the period; damage stops a run before anything is
# written).  Before, verify looked only at the period folder, invoices/
# and sheets/ and skipped hidden names, and a re-run listed the stray
# file in SHA256SUMS as if it were the archive's. ----
# stray NAME PATH SETUP...: SETUP plants PATH (relative to the archive,
# a line feed in it shown as sha256sum shows it, '\n') in a copy of R;
# verify names it (65), and a re-run of its period names it (65) and
# writes nothing, so no SHA256SUMS ever lists it
stray() {
	name=$1 want=$2
	shift 2
	rm -rf "$TMP/s"; cp -a "$R" "$TMP/s"
	X=$TMP/s
	eval "$@"
	snapshot "$X" > "$TMP/s.snap"
	"$SVCBILL" verify --out "$X" > "$TMP/s.verr" 2>&1
	vrc=$?
	if [ $vrc = 65 ] && grep -qF "/s/$want" "$TMP/s.verr"; then
		pass "verify reports $name"
	else
		fail "verify reports $name" "exit $vrc: $(head -c 400 "$TMP/s.verr")"
	fi
	bill "$X" 2026-12 >/dev/null 2>"$TMP/s.err"
	rc=$?
	why=""
	[ $rc = 65 ] || why="$why exit $rc;"
	grep -qF "/s/$want" "$TMP/s.err" || why="$why message does not name it;"
	snapshot "$X" | cmp -s - "$TMP/s.snap" || why="$why the run wrote;"
	[ -z "$why" ] && pass "re-run with $name: refused naming it, nothing written" ||
		fail "re-run with $name" "$why $(head -c 400 "$TMP/s.err")"
}
stray "a file in a new sub-folder" "2026-12/corrected/INV-202612-0001.pdf" \
	'mkdir "$X/2026-12/corrected"; cp "$X/2026-12/invoices/INV-202612-0002.pdf" "$X/2026-12/corrected/INV-202612-0001.pdf"'
check "... (verify names the sub-folder too)" grep -qF "/s/2026-12/corrected: " "$TMP/s.verr"
rm -r "$TMP/s/2026-12/corrected"
bill "$TMP/s" 2026-12 >/dev/null 2>"$TMP/s.err"
check_eq "... the sub-folder taken out: the re-run completes, as the uninterrupted one" \
	"$?:$(diff -r -x .lock "$R" "$TMP/s" >/dev/null && echo same)" "0:same"
stray "a hidden file in invoices/" "2026-12/invoices/.INV-202612-0004.pdf" \
	'cp "$X/2026-12/invoices/INV-202612-0001.pdf" "$X/2026-12/invoices/.INV-202612-0004.pdf"'
stray "a hidden file in the period folder" "2026-12/.summary.csv" \
	'cp "$X/2026-12/summary.csv" "$X/2026-12/.summary.csv"'
stray "an extra empty folder" "2026-12/scans" 'mkdir "$X/2026-12/scans"'
stray "a name with a line feed" '2026-12/INV-202612-0001.pdf\nINV-202612-0002.pdf' \
	'cp "$X/2026-12/invoices/INV-202612-0001.pdf" "$X/2026-12/INV-202612-0001.pdf
INV-202612-0002.pdf"'
check "... sha256sum -c still reads the period's SHA256SUMS" \
	sh -c "cd '$TMP/s/2026-12' && sha256sum -c --quiet SHA256SUMS"
stray "a name with a backslash in invoices/" '2026-12/invoices/INV-202612-0001\\.pdf' \
	'cp "$X/2026-12/invoices/INV-202612-0001.pdf" "$X/2026-12/invoices/INV-202612-0001\.pdf"'
# an archive an earlier svcbill re-ran over a stray file: SHA256SUMS
# lists it, and sha256sum -c agrees; it is still none of the archive's
stray "a stray file an earlier run listed in SHA256SUMS" "2026-12/corrected/INV-202612-0001.pdf" \
	'mkdir "$X/2026-12/corrected"; cp "$X/2026-12/invoices/INV-202612-0002.pdf" "$X/2026-12/corrected/INV-202612-0001.pdf";
	(cd "$X/2026-12" && sha256sum corrected/INV-202612-0001.pdf >> SHA256SUMS)'

# ---- an issued PDF that cannot be restored byte-identically ----
rm -rf "$TMP/x"; cp -a "$R" "$TMP/x"; cp -r "$D" "$TMP/d2"
sed -i 's/客户/顾客/' "$TMP/d2/clients.csv"
# a new contract, drawn before the restore: still nothing may be written
printf 'W0,C1,website,2026-12-01,2027-12-31,1,50,10,0,6\r\n' >> "$TMP/d2/contracts.csv"
rm "$TMP/x/2026-12/invoices/INV-202612-0002.pdf"
snapshot "$TMP/x" > "$TMP/x.snap"
"$SVCBILL" run --data "$TMP/d2" --period 2026-12 --out "$TMP/x" --quiet \
	--jobs 1 >/dev/null 2>"$TMP/x.err"
check_eq "a missing PDF that cannot be restored identically: 65, nothing written" \
	"$?:$(snapshot "$TMP/x" | cmp -s - "$TMP/x.snap" && echo same)" "65:same"
check "... naming it" grep -q "INV-202612-0002.pdf: issued invoice missing or changed" "$TMP/x.err"
rm -rf "$TMP/x"; cp -a "$R" "$TMP/x"
printf x >> "$TMP/x/2026-12/invoices/INV-202612-0001.pdf"
snapshot "$TMP/x" > "$TMP/x.snap"
"$SVCBILL" run --data "$TMP/d2" --period 2026-12 --out "$TMP/x" --quiet \
	>/dev/null 2>"$TMP/x.err"
check_eq "a changed PDF that cannot be restored: 65, SHA256SUMS not rewritten" \
	"$?:$(snapshot "$TMP/x" | cmp -s - "$TMP/x.snap" && echo same)" "65:same"

# A credit note's PDF changed: drawn again from the ledger (SPEC §4: an
# issued PDF of P changed is restored when it can be), the very bytes
# the register recorded, SHA256SUMS as it was.
rm -rf "$TMP/x"; cp -a "$R" "$TMP/x"
cp "$D/clients.csv" "$TMP/d2/clients.csv"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,payment_days,late_fee_pct,tax_pct\r\nW1,C1,website,2026-01-01,2027-12-31,1,110,10,0,6\r\nW2,C1,website,2026-01-01,2027-12-31,1,200,10,0,6\r\n' > "$TMP/d2/contracts.csv"
"$SVCBILL" run --data "$TMP/d2" --period 2026-12 --out "$TMP/x" --quiet --reissue >/dev/null 2>&1
check_eq "(a reissue makes a credit note)" "$(grep -c '^CN-202612-0001,' "$TMP/x/register.csv")" 1
snapshot "$TMP/x" > "$TMP/x.snap"
printf x >> "$TMP/x/2026-12/invoices/CN-202612-0001.pdf"
"$SVCBILL" run --data "$TMP/d2" --period 2026-12 --out "$TMP/x" --quiet >/dev/null 2>"$TMP/x.err"
check_eq "a credit note's PDF changed: restored as recorded (exit 0, the archive as it was)" \
	"$?:$(snapshot "$TMP/x" | cmp -s - "$TMP/x.snap" && echo same)" "0:same"
check "... saying so" grep -q "CN-202612-0001.pdf is missing or damaged: writing it again" "$TMP/x.err"

# A record sheet of an earlier run that this run does not draw (the
# record taken out of the data) is svcbill's, SHA256SUMS lost or not:
# with none, the run lists it again (exit 0) rather than call it a stray.
rm -rf "$TMP/sh" "$TMP/sh-d"
cp -r "$ROOT/samples/basic" "$TMP/sh-d"
python3 - "$TMP/sh-d/service_records.csv" <<'PY'
import sys
p = sys.argv[1]
t = open(p, 'rb').read().decode('utf-16')
t += ('SR-2611-099\tDF-PC-02\trepair\t2026-11-20 09:00\t2026-11-20 09:30\t'
      '2026-11-20 10:00\t检查\t保内\t1\t张伟\t陈建国\t0\t\t\t\r\n')
open(p, 'wb').write(t.encode('utf-16'))
PY
"$SVCBILL" run --data "$TMP/sh-d" --period 2026-12 --out "$TMP/sh" --quiet >/dev/null 2>&1
check "(a record with no line: its device's sheet)" test -s "$TMP/sh/2026-12/sheets/DF-PC-02.pdf"
rm "$TMP/sh/2026-12/SHA256SUMS"
check_status "SHA256SUMS lost, a sheet not drawn again: the run exits 0" 0 \
	"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$TMP/sh" --quiet
check "... and lists the sheet again" grep -q " sheets/DF-PC-02.pdf\$" "$TMP/sh/2026-12/SHA256SUMS"
check_status "... verify: the archive holds" 0 "$SVCBILL" verify --out "$TMP/sh"
# ... but not any file there: one not named after a device of the data,
# SHA256SUMS lost, or one named after a device before the period's first
# run, is a stray (exit 65)
echo "not svcbill's" > "$TMP/sh/2026-12/sheets/notes.pdf"
rm "$TMP/sh/2026-12/SHA256SUMS"
check_status "SHA256SUMS lost, a stray in sheets/: exit 65" 65 \
	"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$TMP/sh" --quiet
check "... naming it" grep -q "sheets/notes.pdf: a file svcbill did not write" "$TMP/status.out"
rm "$TMP/sh/2026-12/sheets/notes.pdf"
mkdir -p "$TMP/sh/2027-01/sheets"
echo "not svcbill's" > "$TMP/sh/2027-01/sheets/DF-PC-02.pdf"
check_status "a device's sheet put in before the period's first run: exit 65" 65 \
	"$SVCBILL" run --data "$ROOT/samples/basic" --period 2027-01 --out "$TMP/sh" --quiet
# ... and a month that billed nothing but drew a sheet is a month an
# earlier run went through too (its summary is there): a website billed
# every six months, its one device's record of January 2027, the
# device's id escaped in its file name.
W=$TMP/web
mkdir -p "$W"
printf 'name_zh,name_en\n测试公司,Test Co\n' > "$W/issuer.csv"
printf 'client_id,name_zh\nC1,客户一\n' > "$W/clients.csv"
printf 'contract_id,client_id,type,start,end,cycle_months,monthly_fee\nK1,C1,website,2026-10-09,2027-12-31,6,1200\n' > "$W/contracts.csv"
printf 'contract_id,class,monthly_fee\n' > "$W/rates.csv"
printf 'device_id,contract_id,class\nWEB 设备/1,K1,server\n' > "$W/devices.csv"
printf 'record_id,device_id,type,called_at,arrived_at,completed_at,cause\nR-W1,WEB 设备/1,repair,2027-01-10 09:00,2027-01-10 10:00,2027-01-10 11:00,covered\n' > "$W/service_records.csv"
printf 'invoice_no,paid_on,amount\n' > "$W/payments.csv"
cp -r "$W" "$TMP/web2"
head -1 "$W/service_records.csv" > "$TMP/web2/service_records.csv"
for p in 2026-12 2027-01 2027-02; do
	"$SVCBILL" run --data "$W" --period $p --out "$TMP/wa" --quiet >/dev/null 2>&1
done
check_eq "(2027-02: no invoice, one sheet)" \
	"$(grep -c ',2027-02,' "$TMP/wa/register.csv"):$(ls "$TMP/wa/2027-02/sheets" | wc -l)" "0:1"
rm "$TMP/wa/2027-02/SHA256SUMS"
check_status "... SHA256SUMS lost, the sheet not drawn again: exit 0" 0 \
	"$SVCBILL" run --data "$TMP/web2" --period 2027-02 --out "$TMP/wa" --quiet
check_eq "... and listed again" "$(grep -c ' sheets/' "$TMP/wa/2027-02/SHA256SUMS")" 1

# ---- the archive is svcbill's alone ----
mkdir -p "$TMP/outside"
echo "not svcbill's" > "$TMP/outside/victim"
cp "$R/register.csv" "$TMP/outside/register.csv"
cp "$R/2026-12/invoices/INV-202612-0001.pdf" "$TMP/outside/pdf"
cp -r "$R/2026-12" "$TMP/outside/month"
snapshot "$TMP/outside" > "$TMP/outside.snap"
# planted NAME PATH-IN-MESSAGE PERIOD SETUP...
planted() {
	name=$1 want=$2 period=$3
	shift 3
	rm -rf "$TMP/p"; cp -a "$R" "$TMP/p"
	X=$TMP/p
	eval "$@"
	timeout 60 "$SVCBILL" run --data "$D" --period "$period" --out "$X" \
		--quiet --jobs 1 >/dev/null 2>"$TMP/p.err"
	rc=$?
	why=""
	[ $rc = 65 ] || why="$why exit $rc;"
	grep -q "$want: is " "$TMP/p.err" || why="$why message does not name $want;"
	snapshot "$TMP/outside" | cmp -s - "$TMP/outside.snap" || why="$why target touched;"
	[ -z "$why" ] && pass "planted $name: refused, target untouched" ||
		fail "planted $name" "$why $(head -c 300 "$TMP/p.err")"
	timeout 60 "$SVCBILL" verify --out "$X" > "$TMP/p.verr" 2>&1
	vrc=$?
	if [ $vrc = 65 ] && grep -q "$want: is " "$TMP/p.verr"; then
		pass "verify reports the planted $name"
	else
		fail "verify reports the planted $name" "exit $vrc $(head -c 300 "$TMP/p.verr")"
	fi
}
planted "link at .lock" "/p/.lock" 2027-01 \
	'rm -f "$X/.lock"; ln -s "$TMP/outside/victim" "$X/.lock"'
planted "link at register.csv" "/p/register.csv" 2027-01 \
	'rm "$X/register.csv"; ln -s "$TMP/outside/register.csv" "$X/register.csv"'
planted "link at lines.csv" "/p/lines.csv" 2027-01 \
	'rm "$X/lines.csv"; ln -s "$TMP/outside/victim" "$X/lines.csv"'
planted "link at the month folder" "/p/2026-12" 2026-12 \
	'rm -r "$X/2026-12"; ln -s "$TMP/outside/month" "$X/2026-12"'
planted "link at a new month's folder" "/p/2027-01" 2027-01 \
	'ln -s "$TMP/outside" "$X/2027-01"'
planted "link at invoices/" "/p/2026-12/invoices" 2026-12 \
	'rm -r "$X/2026-12/invoices"; ln -s "$TMP/outside/month/invoices" "$X/2026-12/invoices"'
planted "link at sheets/" "/p/2026-12/sheets" 2026-12 \
	'ln -s "$TMP/outside" "$X/2026-12/sheets"'
planted "link at a PDF" "/p/2026-12/invoices/INV-202612-0001.pdf" 2026-12 \
	'rm "$X/2026-12/invoices/INV-202612-0001.pdf"; ln -s "$TMP/outside/pdf" "$X/2026-12/invoices/INV-202612-0001.pdf"'
planted "link at a temporary name" "/p/2026-12/invoices/.INV-202612-0003.pdf.4242.tmp" 2026-12 \
	'ln -s "$TMP/outside/victim" "$X/2026-12/invoices/.INV-202612-0003.pdf.4242.tmp"'
planted "named pipe in the month folder" "/p/2026-12/fifo" 2026-12 \
	'mkfifo "$X/2026-12/fifo"'
planted "named pipe at summary.pdf" "/p/2026-12/summary.pdf" 2026-12 \
	'rm "$X/2026-12/summary.pdf"; mkfifo "$X/2026-12/summary.pdf"'
planted "named pipe at register.csv" "/p/register.csv" 2027-01 \
	'rm "$X/register.csv"; mkfifo "$X/register.csv"'
planted "folder at register.csv" "/p/register.csv" 2027-01 \
	'rm "$X/register.csv"; mkdir "$X/register.csv"'
planted "folder at a PDF" "/p/2026-12/invoices/INV-202612-0002.pdf" 2026-12 \
	'rm "$X/2026-12/invoices/INV-202612-0002.pdf"; mkdir "$X/2026-12/invoices/INV-202612-0002.pdf"'
# export hledger opens the archive as run and verify do: a link at a
# ledger file is refused, naming it, and nothing is printed from it.
for f in register.csv lines.csv; do
	rm -rf "$TMP/p"; cp -a "$R" "$TMP/p"
	mkdir -p "$TMP/elsewhere"; cp "$R/$f" "$TMP/elsewhere/$f"
	rm "$TMP/p/$f"; ln -s "$TMP/elsewhere/$f" "$TMP/p/$f"
	"$SVCBILL" export hledger --out "$TMP/p" > "$TMP/h.out" 2> "$TMP/h.err"
	rc=$?
	if [ $rc = 65 ] && grep -q "/p/$f: is " "$TMP/h.err" && [ ! -s "$TMP/h.out" ]; then
		pass "export hledger refuses a link at $f"
	else
		fail "export hledger refuses a link at $f" "exit $rc $(head -c 200 "$TMP/h.err")"
	fi
done
if mknod "$TMP/devtest" c 1 3 2>/dev/null; then
	rm -f "$TMP/devtest"
	planted "device at lines.csv" "/p/lines.csv" 2027-01 \
		'rm "$X/lines.csv"; mknod "$X/lines.csv" c 1 3'
else
	echo "SKIP device at lines.csv: mknod is not allowed here"
fi

# Links planted during a run at the names temporaries had before (and at
# any name like them) take nothing over: names are unpredictable and
# created exclusively.
python3 "$ROOT/tests/bench/gen.py" "$TMP/big" 60 >/dev/null
mkdir -m 750 "$TMP/race"
"$SVCBILL" run --data "$TMP/big" --period 2026-12 --out "$TMP/race" --quiet \
	--jobs 2 >/dev/null 2>"$TMP/race.err" &
pid=$!
# from the first document on (the run has checked the folders by then)
while kill -0 $pid 2>/dev/null &&
	! ls "$TMP/race/2026-12/invoices" 2>/dev/null | grep -q pdf; do sleep 0.02; done
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 400 ]; do
	for d in invoices sheets; do
		for n in 0001 0002 0003 0010 0020 0030; do
			ln -s "$TMP/outside/victim" \
				"$TMP/race/2026-12/$d/.INV-202612-$n.pdf.$pid.tmp" 2>/dev/null
		done
	done
	i=$((i + 1))
done
wait $pid
rc=$?
check_eq "links planted at temporary names during a run: the run completes" "$rc" 0
check "... the outside file untouched" sh -c "snapshot() { (cd \"\$1\" && find . -type f -exec sha256sum {} + | sort); };
	snapshot '$TMP/outside' | cmp -s - '$TMP/outside.snap'"
check_eq "... every archived document a regular file" \
	"$(find "$TMP/race/2026-12" -name '*.pdf' ! -type f | wc -l)" 0
check "... SHA256SUMS holds" sh -c "cd '$TMP/race/2026-12' && sha256sum -c --quiet SHA256SUMS"

# An attacker who puts a link at the very name of each temporary just
# before it is created (FAILIO_PLANT): the exclusive, no-follow create
# fails, the run stops, and the link's target is never written.
rm -rf "$TMP/pl"; cp -a "$TMP/B" "$TMP/pl"
FAILIO_PLANT="$TMP/outside/victim" LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$D" --period 2026-12 --out "$TMP/pl" --quiet \
	>/dev/null 2>"$TMP/pl.err"
check_eq "links planted at each temporary's name as it is made: the run stops (74)" "$?" 74
check "... the target untouched" sh -c "cd '$TMP/outside' && find . -type f -exec sha256sum {} + | sort | cmp -s - '$TMP/outside.snap'"
check_eq "... no archived file is a link" "$(find "$TMP/pl" ! -name '*.tmp' -type l | wc -l)" 0

# Only svcbill's own temporaries are removed.
rm -rf "$TMP/t"; cp -a "$R" "$TMP/t"
touch "$TMP/t/2026-12/invoices/.INV-202612-0001.pdf.0123456789abcdef.tmp" \
	"$TMP/t/2026-12/invoices/.notes.tmp" "$TMP/t/.backup.tmp"
bill "$TMP/t" 2026-12 >/dev/null 2>&1
check_eq "a killed run's temporary removed, other .tmp files kept" \
	"$(ls -a "$TMP/t/2026-12/invoices" "$TMP/t" | grep -c '\.tmp$')" 2

# The root: this user's, writable by nobody else.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir -m 750 "$TMP/theirs"; chown nobody "$TMP/theirs"
	check_status "an archive root of another user: 73" 73 bill "$TMP/theirs" 2026-11
	check "... and nothing written in it" test -z "$(ls -A "$TMP/theirs")"
else
	echo "SKIP archive root of another user (needs root to chown)"
fi
mkdir -m 770 "$TMP/shared"; chmod 770 "$TMP/shared"
check_status "a group-writable archive root: 73" 73 bill "$TMP/shared" 2026-11
check_eq "files 0640 and folders 0750 less the umask (022)" \
	"$(stat -c %a "$R/register.csv" "$R/2026-12" "$R/2026-12/invoices/INV-202612-0001.pdf" | tr '\n' ' ')" \
	"640 750 640 "
(umask 077 && bill "$TMP/m77" 2026-11 >/dev/null)
check_eq "... (077)" "$(stat -c %a "$TMP/m77" "$TMP/m77/register.csv" "$TMP/m77/2026-11" | tr '\n' ' ')" \
	"700 600 700 "

# ---- faults ----
rm -rf "$TMP/x"; cp -a "$R" "$TMP/x"
FAILIO_EIO=register.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$D" --period 2027-01 --out "$TMP/x" --quiet \
	>/dev/null 2>"$TMP/x.err"
check_eq "EIO reading register.csv: exit 74" "$?" 74
check "... with a message" grep -q "register.csv: Input/output error" "$TMP/x.err"
FAILIO_EIO=lines.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" verify --out "$TMP/x" >"$TMP/x.err" 2>&1
check_eq "EIO reading lines.csv in verify: exit 74" "$?" 74
# A large file is mapped, not copied: one cut short by another program
# while svcbill reads it (FAILIO_CUT truncates it once mapped) is named,
# exit 66 (an input file unreadable), and nothing is written.  payments.csv padded with blank lines
# (skipped between records) past the size that is mapped.
cp -a "$D" "$TMP/dcut"
[ -s "$TMP/dcut/payments.csv" ] ||
	printf 'invoice_no,paid_on,amount\r\n' > "$TMP/dcut/payments.csv"
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "\r\n" }' >> "$TMP/dcut/payments.csv"
cp "$TMP/dcut/payments.csv" "$TMP/dcut.payments"
check "... (the padded payments.csv is billed as before)" \
	"$SVCBILL" run --data "$TMP/dcut" --period 2027-01 --out "$TMP/x" --dry-run --quiet
FAILIO_CUT=payments.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$TMP/dcut" --period 2027-01 --out "$TMP/x" --quiet \
	>/dev/null 2>"$TMP/x.err"
check_eq "a data file cut short while mapped: exit 66 (input unreadable)" "$?" 66
check "... naming it" grep -q "payments.csv: cannot be read any more (cut short" "$TMP/x.err"
FAILIO_EIO=payments.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$TMP/dcut" --period 2027-01 --out "$TMP/x" --quiet \
	>/dev/null 2>"$TMP/x.err"
check_eq "a disk error under a large data file's mapping: exit 66, as a small one's" "$?" 66
check "... naming it" grep -q "payments.csv: cannot be read any more" "$TMP/x.err"
check "... the file itself intact (the shim only hides it)" \
	cmp -s "$TMP/dcut/payments.csv" "$TMP/dcut.payments"
# Mapped archive files: a fault under the ledger while the run reads it
# (before the commit) ends it with 74 and nothing written; after the
# commit (the index update reads on) and under the derived index, nothing
# is mapped: the run ends well.  300 contracts: lines.csv and the index
# grow past the size that is mapped.
python3 "$ROOT/tests/bench/gen.py" "$TMP/d300" 300 >/dev/null
mkdir -m 750 "$TMP/m300"
FAILIO_CUT=lines.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$TMP/d300" --period 2026-12 --out "$TMP/m300" \
	--quiet >"$TMP/m300.out" 2>"$TMP/m300.err"
check_eq "lines.csv faulty once its rows are appended (the index update): exit 0" "$?" 0
check "... the run's line printed" grep -q "2026-12: .* invoices" "$TMP/m300.out"
for p in 2027-01 2027-02; do
	"$SVCBILL" run --data "$TMP/d300" --period $p --out "$TMP/m300" --quiet >/dev/null 2>&1
done
check "... (the index is past 64 KiB)" test "$(stat -c %s "$TMP/m300/ledger-index.csv")" -gt 65536
FAILIO_CUT=ledger-index.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$TMP/d300" --period 2027-03 --out "$TMP/m300" \
	--quiet >/dev/null 2>"$TMP/m300.err"
check_eq "the ledger index faulty: the run ends well (it is never mapped)" "$?" 0
check_status "... verify: the archive and its index agree" 0 "$SVCBILL" verify --out "$TMP/m300"
(cd "$TMP/m300" && find . ! -name .lock -type f -exec sha256sum {} + | sort) > "$TMP/m300.snap"
FAILIO_CUT=lines.csv LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$TMP/d300" --period 2027-04 --out "$TMP/m300" \
	--quiet >/dev/null 2>"$TMP/m300.err"
check_eq "lines.csv faulty while the run reads it: exit 74" "$?" 74
check "... naming it" grep -q "lines.csv: cannot be read any more" "$TMP/m300.err"
check "... nothing written" sh -c "cd '$TMP/m300' && find . ! -name .lock -type f -exec sha256sum {} + | sort | cmp -s - '$TMP/m300.snap'"
check "the archive unchanged by the faults" sh -c "cd '$TMP/x' && find . ! -name .lock -type f -exec sha256sum {} + | sort | cmp -s - '$TMP/R.snap'"
rm -rf "$TMP/x"; cp -a "$TMP/B" "$TMP/x"
FAILIO_KILL=INV-202612-0002 LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$D" --period 2026-12 --out "$TMP/x" --quiet \
	--jobs 2 >/dev/null 2>"$TMP/x.err"
check_eq "a worker killed by a signal: the run fails" "$?" 70
check "... naming the document it was drawing" grep -q \
	"worker drawing .*/2026-12/invoices/INV-202612-0002.pdf was killed by signal 9" "$TMP/x.err"
bill "$TMP/x" 2026-12 >/dev/null 2>&1
check "... and the next run completes identically" diff -r -x .lock "$R" "$TMP/x"
