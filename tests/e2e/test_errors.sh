#!/bin/sh
# Bad input: every message pinned, the exit status, nothing written.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
"$SVCBILL" check --data samples/errors > "$TMP/check.txt" 2>&1
check_eq "check on the error sample exits 65" "$?" 65
check "every message as pinned in samples/errors/EXPECTED.txt" \
	diff -u samples/errors/EXPECTED.txt "$TMP/check.txt"
check_status "run on bad data exits 65" 65 "$SVCBILL" run \
	--data samples/errors --period 2026-12 --out "$TMP/out"
check "run on bad data writes nothing" test ! -e "$TMP/out"
check_status "the sanitizer build agrees" 65 "$ASAN_SVCBILL" check --data samples/errors

mkdir -p "$TMP/d"
cp samples/basic/*.csv "$TMP/d/"
rm "$TMP/d/contracts.csv"
check_status "missing input file exits 66" 66 "$SVCBILL" check --data "$TMP/d"
check "missing file named" grep -q "contracts.csv: cannot open" "$TMP/status.out"
cp samples/basic/contracts.csv "$TMP/d/"
: > "$TMP/d/rates.csv"
check_status "empty file exits 65" 65 "$SVCBILL" check --data "$TMP/d"
check_eq "empty file message" "$(cat "$TMP/status.out")" \
	"$TMP/d/rates.csv:1: the file is empty (no header line)"
cp samples/basic/rates.csv "$TMP/d/"
printf 'contract_id,class,monthly_fee\r\nS-2026-07,desktop,30\r\nS-2026-07,\377\376\372,50\r\n' > "$TMP/d/rates.csv"
check_status "invalid bytes exit 65" 65 "$SVCBILL" check --data "$TMP/d"
check_eq "invalid bytes reported on their line" "$(cat "$TMP/status.out")" \
	"$TMP/d/rates.csv:3: bytes that are not valid text (read as GB18030)"
cp samples/basic/rates.csv "$TMP/d/"
rm "$TMP/d/parts.csv" "$TMP/d/payments.csv" "$TMP/d/charges.csv"
check_status "optional files may be absent (but parts_used needs a price)" 65 \
	"$SVCBILL" check --data "$TMP/d"
rm "$TMP/d/parts_used.csv"
check_status "without the optional files the data is fine" 0 "$SVCBILL" check --data "$TMP/d"

check_status "no command: usage" 64 "$SVCBILL"
check_status "unknown option: usage" 64 "$SVCBILL" run --data x --bogus
check_status "bad period: usage" 64 "$SVCBILL" run --data x --period 2026-13
check_status "bad jobs: usage" 64 "$SVCBILL" run --data x --jobs 0
check_status "--help" 0 "$SVCBILL" --help
check_status "missing font exits 66" 66 "$SVCBILL" run --data samples/basic \
	--period 2026-12 --out "$TMP/o" --font /nonexistent/font.ttf
check "missing font named" grep -q "/nonexistent/font.ttf" "$TMP/status.out"
check_status "a font without Chinese is refused" 66 "$SVCBILL" run \
	--data samples/basic --period 2026-12 --out "$TMP/o2" \
	--font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
mkdir -p "$TMP/locked"
flock "$TMP/locked/.lock" sleep 5 &
sleep 0.3
check_status "a second run exits 75" 75 "$SVCBILL" run --data samples/basic \
	--period 2026-12 --out "$TMP/locked"
kill %1 2>/dev/null
wait
echo x > "$TMP/file"
check_status "an archive that cannot be created exits 73" 73 "$SVCBILL" run \
	--data samples/basic --period 2026-12 --out "$TMP/file/out"

# Resource limits: a huge file is refused without being read, deep
# quoting and long fields are handled.
mkdir -p "$TMP/big"
cp samples/basic/*.csv "$TMP/big/"
truncate -s 1G "$TMP/big/parts.csv"
check_status "a 1 GB file is refused" 65 "$SVCBILL" check --data "$TMP/big"
check "... with the limit named" grep -q "parts.csv:1: the file is larger than 512 MiB (the limit)" "$TMP/status.out"
cp samples/basic/parts.csv "$TMP/big/"
rm "$TMP/big/parts_used.csv"
awk 'BEGIN { printf "part_no,name_zh,list_price\r\nP1,\""; for (i = 0; i < 20000; i++) printf "\"\""; printf "\",1\r\n" }' > "$TMP/big/parts.csv"
check_status "20,000 doubled quotes in a field" 0 "$SVCBILL" check --data "$TMP/big"
awk 'BEGIN { printf "part_no,name_zh,list_price\r\nP1,"; for (i = 0; i < 2200000; i++) printf "x"; printf ",1\r\nP2,ok,2\r\n" }' > "$TMP/big/parts.csv"
check_status "a 2 MB field is refused" 65 "$SVCBILL" check --data "$TMP/big"
check "... on its line, in its column" grep -q "parts.csv:2: column 'name_zh': a field is longer than 1 MiB (the limit)" "$TMP/status.out"

# The workbooks are made in a private folder under TMPDIR: one that cannot
# be used is an I/O error said by name, with workers (the workbooks are
# then made while the documents are drawn, and said when written) or not
for j in 1 2; do
	rm -rf "$TMP/o-tmpdir$j"
	check_status "an unusable TMPDIR, --jobs $j: 74" 74 env TMPDIR="$TMP/no-such" \
		"$SVCBILL" run --data samples/basic --period 2026-12 \
		--out "$TMP/o-tmpdir$j" --jobs $j --quiet
	check "... the folder named" grep -q \
		"cannot create a temporary folder in $TMP/no-such" "$TMP/status.out"
done
