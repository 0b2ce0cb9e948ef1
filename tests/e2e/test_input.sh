#!/bin/sh
# Nothing lost on the way in: values with inner spaces in every document
# and in lines.csv, empty rows before the header, damaged UTF-8, files that
# are not regular files (a named pipe would hang a reader that waits on
# it: run under timeout), and the limits of what is computed, each a data
# error with nothing written, --dry-run too.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
OUT=$TMP/out
"$SVCBILL" run --data samples/basic --period 2026-12 --out "$OUT" --quiet \
	> /dev/null 2>&1
check_eq "the sample bills" "$?" 0

# devices.csv: DF-PC-01 has memory "8 GB", model "联想 启天 M428"
pdftotext "$OUT/2026-12/invoices/INV-202612-0002.pdf" "$TMP/inv.txt"
check "the invoice's device list shows 8 GB" grep -qw "8 GB" "$TMP/inv.txt"
check "... and 32 GB" grep -qw "32 GB" "$TMP/inv.txt"
pdftotext "$OUT/2026-12/sheets/DF-PC-01.pdf" "$TMP/sheet.txt"
check "the record sheet shows the model 联想 启天 M428" \
	grep -q "联想 启天 M428" "$TMP/sheet.txt"
# charges.csv (GBK): "代购内存条 16 GB DDR4"; devices.csv: "Honeywell CK65"
check "lines.csv keeps a charge's inner spaces" \
	grep -q "代购内存条 16 GB DDR4" "$OUT/lines.csv"
check "lines.csv keeps a device model's inner space" \
	grep -q "Honeywell CK65 (8% a year" "$OUT/lines.csv"

# Duplicate ids are named whole
D=$TMP/dup
mkdir -p "$D"
cp samples/basic/*.csv "$D/"
printf 'PC 01,S-2026-07,desktop,,,,,,,,,,,,,,,\r\nPC 02,S-2026-07,desktop,,,,,,,,,,,,,,,\r\n' \
	>> "$D/devices.csv"
check_status "devices PC 01 and PC 02 are two devices" 0 \
	"$SVCBILL" check --data "$D"
printf 'PC 01,S-2026-07,desktop,,,,,,,,,,,,,,,\r\n' >> "$D/devices.csv"
check_status "a second PC 01 is a duplicate" 65 "$SVCBILL" check --data "$D"
check_eq "... named whole" "$(cat "$TMP/status.out")" \
	"$D/devices.csv:24: column '产品编号': duplicate id, first on line 22 (value 'PC 01')"

# Empty rows before the header: ",,,," and U+3000 in the GBK clients.csv,
# "\t\t\t" in the UTF-16LE service_records.csv: the same bill
E=$TMP/empty
mkdir -p "$E"
cp samples/basic/*.csv "$E/"
{ printf ',,,,\r\n\241\241\241\241\r\n  \t\r\n'; cat samples/basic/clients.csv; } \
	> "$E/clients.csv"
{ printf '\377\376\t\0\t\0\t\0\r\0\n\0'; tail -c +3 samples/basic/service_records.csv; } \
	> "$E/service_records.csv"
"$SVCBILL" run --data "$E" --period 2026-12 --out "$TMP/out-empty" --quiet \
	> /dev/null 2> "$TMP/empty.err"
check_eq "empty rows before the header are skipped" "$?" 0
check "... the same lines as the sample" cmp "$OUT/lines.csv" \
	"$TMP/out-empty/lines.csv"
check "... the same register" cmp "$OUT/register.csv" \
	"$TMP/out-empty/register.csv"

# UTF-8 with one damaged byte (parts.csv is UTF-8 without BOM): an error
# on its line, never GB18030 mojibake
B=$TMP/badutf8
mkdir -p "$B"
cp samples/basic/*.csv "$B/"
awk 'NR == 3 { printf "\350" } { print }' samples/basic/parts.csv > "$B/parts.csv"
check_status "a damaged byte in a UTF-8 file exits 65" 65 \
	"$SVCBILL" run --data "$B" --period 2026-12 --out "$TMP/out-bad"
check "... on its line" grep -q "^$B/parts.csv:3: invalid UTF-8" \
	"$TMP/status.out"
check "... and nothing written" test ! -e "$TMP/out-bad"
check_status "check agrees" 65 "$SVCBILL" check --data "$B"

# Not regular files: exit 66 at once, naming the path
P=$TMP/pipe
mkdir -p "$P"
cp samples/basic/*.csv "$P/"
rm "$P/rates.csv"
mkfifo "$P/rates.csv"
check_status "a named pipe as an input file: 66 at once" 66 \
	timeout 10 "$SVCBILL" check --data "$P"
check "... named" grep -q "$P/rates.csv: not a regular file" \
	"$TMP/status.out"
check_status "... run too" 66 timeout 10 "$SVCBILL" run --data "$P" \
	--period 2026-12 --out "$TMP/out-pipe"
check "... nothing written" test ! -e "$TMP/out-pipe"
rm "$P/rates.csv"
mkdir "$P/rates.csv"
check_status "a folder as an input file: 66" 66 "$SVCBILL" check --data "$P"
check "... named" grep -q "$P/rates.csv: a folder, not a file" \
	"$TMP/status.out"
mkfifo "$TMP/font.ttf"
check_status "a named pipe as --font: 66 at once" 66 timeout 10 \
	"$SVCBILL" run --data samples/basic --period 2026-12 \
	--out "$TMP/out-font" --font "$TMP/font.ttf"
check "... named" grep -q "$TMP/font.ttf: not a regular file" \
	"$TMP/status.out"
check "... nothing written" test ! -e "$TMP/out-font"
check_status "a device as --font: 66" 66 "$SVCBILL" run --data samples/basic \
	--period 2026-12 --out "$TMP/out-font" --font /dev/zero
check_status "a folder as --font: 66" 66 "$SVCBILL" run --data samples/basic \
	--period 2026-12 --out "$TMP/out-font" --font "$TMP"
# the font is mapped, not read: an empty file cannot be mapped at all
: > "$TMP/empty.ttf"
check_status "an empty file as --font: 66" 66 "$SVCBILL" run --data samples/basic \
	--period 2026-12 --out "$TMP/out-font" --font "$TMP/empty.ttf"
check "... said to be empty" grep -q "empty.ttf: empty, not a font file" \
	"$TMP/status.out"
# a truncated font (its tables point past its end) is refused, not read
head -c 4096 /usr/share/fonts/truetype/wqy/wqy-microhei.ttc > "$TMP/cut.ttc"
check_status "a font cut short as --font: 66" 66 "$SVCBILL" run --data samples/basic \
	--period 2026-12 --out "$TMP/out-font" --font "$TMP/cut.ttc"
check "... nothing written" test ! -e "$TMP/out-font/2026-12"

# Limits of what is computed (SPEC §2.3), each found by --dry-run and by
# run before any file of the period or the register is written
L=$TMP/limits
limit_case() {   # NAME MESSAGE [run options]
	lc=$1 lmsg=$2
	shift 2
	check_status "$lc: --dry-run exits 65" 65 "$SVCBILL" run \
		--data "$L" --period 2026-12 --out "$TMP/out-l" --dry-run "$@"
	check "$lc: --dry-run message" grep -qF "$lmsg" "$TMP/status.out"
	check_status "$lc: run exits 65" 65 "$SVCBILL" run --data "$L" \
		--period 2026-12 --out "$TMP/out-l" --quiet "$@"
	check "$lc: run message" grep -qF "$lmsg" "$TMP/status.out"
	check "$lc: nothing billed" test ! -e "$TMP/out-l/register.csv" \
		-a ! -e "$TMP/out-l/2026-12"
}
mkdir -p "$L"
cp samples/basic/*.csv "$L/"
# qty 999,999 x 9,999,999,999.00: each in its limit, ~1e16 yuan together
printf 'W-2026-03,2026-11-28,big,Big,999999,9999999999,\r\n' >> "$L/charges.csv"
limit_case "a line amount beyond 1e12 yuan" \
	"$L/charges.csv:9: contract W-2026-03: the charge (qty x unit_price) would be 1,000,000,000,000.00 or more (the limit)"
# 99 x 9,999,999,999.99 = 989,999,999,999.01: the gross with tax is over
cp samples/basic/charges.csv "$L/"
printf 'W-2026-03,2026-11-28,big,Big,99,9999999999.99,\r\n' >> "$L/charges.csv"
limit_case "an invoice gross beyond 1e12 yuan" \
	"$L/contracts.csv:2: contract W-2026-03: the invoice's net, tax or gross would be 1,000,000,000,000.00 or more (the limit)"
cp samples/basic/charges.csv "$L/"
limit_case "a due date after 9999-12-31" \
	"$L/contracts.csv:2: contract W-2026-03: the due date (issue date + payment_days) would be after 9999-12-31 (the limit)" \
	--issue-date 9999-12-31

# A line break inside a quoted cell is kept in the model and drawn as a
# line break in the PDF cell (charges.csv is GBK: 网站改版 CRLF 第二期)
N=$TMP/nl
mkdir -p "$N"
cp samples/basic/*.csv "$N/"
printf 'W-2026-03,2026-11-28,"\315\370\325\276\270\304\260\346\r\n\265\332\266\376\306\332","Redesign\r\nphase two",1,100,\r\n' \
	>> "$N/charges.csv"
check_status "a charge with a line break bills" 0 "$SVCBILL" run --data "$N" \
	--period 2026-12 --out "$TMP/out-nl" --quiet
# where pdftotext finds the words: the second line starts at the cell's
# left edge, below the first (a '\n' drawn inside one run would put it on
# the same baseline, to the right)
pdftotext -bbox "$TMP/out-nl/2026-12/invoices/INV-202612-0003.pdf" \
	"$TMP/nl.html"
pos() {   # WORD: "xMin yMin" of its first occurrence
	grep -m1 ">$1</word>" "$TMP/nl.html" |
		sed 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)".*/\1 \2/'
}
below() {   # FIRST SECOND: SECOND starts a line below FIRST, same column
	set -- $(pos "$1") $(pos "$2")
	[ $# -eq 4 ] && [ "$1" = "$3" ] && awk -v a="$2" -v b="$4" \
		'BEGIN { exit !(b > a + 5) }'
}
check "the PDF cell breaks the line where the value does" below 网站改版 第二期
check "... in English too" below Redesign phase

# A required column missing: that one error, not one more for every row of
# the files that refer to the file (before: contracts.csv without 'type'
# gave 31 "no such contract" errors and "no contracts yet"; devices.csv
# without 'class' 9 "no such device").
# (file:header in the file:the column's name in messages)
for c in contracts:type:type devices:设备类别:class; do
	f=${c%%:*} rest=${c#*:}
	head=${rest%%:*} col=${rest#*:}
	M=$TMP/missing-$f
	cp -r samples/basic "$M"
	n=$(head -1 "samples/basic/$f.csv" | tr ',' '\n' | grep -n "$head" | cut -d: -f1)
	cut -d, -f"1-$((n - 1)),$((n + 1))-" "samples/basic/$f.csv" > "$M/$f.csv"
	"$SVCBILL" check --data "$M" > /dev/null 2> "$TMP/missing.err"
	check_eq "$f.csv without '$col': exit 65, that one message" \
		"$?:$(grep -c '' "$TMP/missing.err"):$(grep -c "$f.csv:1: column '$col': required column missing" "$TMP/missing.err")" \
		"65:1:1"
done

# UTF-16 that lost its byte order mark (SPEC §2.1 reads UTF-16 only with
# one): refused, and the message says what the file is and how to save it
# (before: "bytes that are not valid text (read as GB18030)" at line 7)
for e in LE:little BE:big; do
	enc=${e%%:*} word=${e#*:}
	U=$TMP/u16-$enc
	cp -r samples/basic "$U"
	# the sample is UTF-8 with a BOM: its BOM becomes U+FEFF, cut off
	iconv -f UTF-8 -t "UTF-16$enc" samples/basic/devices.csv | tail -c +3 > "$U/devices.csv"
	"$SVCBILL" check --data "$U" > /dev/null 2> "$TMP/u16.err"
	check_eq "UTF-16$enc without a byte order mark: exit 65, said so" \
		"$?:$(grep -c "devices.csv:1: the file looks like UTF-16 ($word-endian) without a byte order mark: save it again as \"CSV UTF-8\" or as \"Unicode text\" (which writes one)\$" "$TMP/u16.err")" \
		"65:1"
done
