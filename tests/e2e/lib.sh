# Helpers for the end-to-end tests.  Each check prints PASS or FAIL and a
# name; tests/run.sh counts them.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SVCBILL=${SVCBILL:-$ROOT/svcbill}
ASAN_SVCBILL=$ROOT/build/asan/svcbill
TMP=$(mktemp -d /tmp/svcbill-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
skip() { echo "SKIP $1${2:+: $2}"; }   # counted as skipped, never passed

# check NAME COMMAND...: passes when the command exits 0
check() {
	name=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then pass "$name"; else
		fail "$name" "$(head -c 600 "$TMP/check.out")"; fi
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# check_status NAME WANT COMMAND...: passes when the command exits WANT
check_status() {
	name=$1
	want=$2
	shift 2
	"$@" >"$TMP/status.out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then pass "$name"; else
		fail "$name" "exit $got, want $want: $(head -c 400 "$TMP/status.out")"; fi
}

# A CSV file's row (CRLF stripped) by its first field.
row() {
	tr -d '\r' < "$1" | grep "^$2,"
}

# Fields of a lines.csv row, descriptions left out (they may hold commas):
# kind,contract,device,record,cycle_start,cycle_end,qty,unit_price,amount,tax
line_of() {
	tr -d '\r' < "$1" | grep "^$2,$3," | awk -F, '{
		print $3 "," $4 "," $5 "," $6 "," $7 "," $8 "," $(NF-3) "," \
		      $(NF-2) "," $(NF-1) "," $NF }'
}

# Lines of a file that end with CRLF.
crlf_lines() {
	tr -cd '\r' < "$1" | wc -c
}

# pdf_glyphs PDF DIR: checks with glyphcheck that every character of the
# PDF's text is drawn with its own glyph, in each of its fonts.  Pulls each
# font's embedded program, CIDToGIDMap and ToUnicode map out with qpdf.
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
ref() {   # ref PDF OBJ KEY: the object number KEY refers to in OBJ
	qpdf --show-object="$2" "$1" | tr '\n' ' ' |
		sed -n "s|.*/$3 \[* *\([0-9][0-9]*\) 0 R.*|\1|p"
}
pdf_glyphs() {
	pdf=$1 dir=$2
	mkdir -p "$dir"
	set --
	k=0
	for type0 in $(pdffonts "$pdf" | awk 'NR > 2 { print $(NF-1) }'); do
		k=$((k + 1))
		cid=$(ref "$pdf" "$type0" DescendantFonts)
		tu=$(ref "$pdf" "$type0" ToUnicode)
		map=$(ref "$pdf" "$cid" CIDToGIDMap)
		desc=$(ref "$pdf" "$cid" FontDescriptor)
		ff=$(ref "$pdf" "$desc" FontFile2)
		qpdf --show-object="$ff" --filtered-stream-data "$pdf" > "$dir/font$k.ttf"
		qpdf --show-object="$tu" --filtered-stream-data "$pdf" > "$dir/tounicode$k"
		if [ -n "$map" ]; then
			qpdf --show-object="$map" --filtered-stream-data "$pdf" > "$dir/map$k"
			set -- "$@" "$dir/font$k.ttf" "$dir/map$k" "$dir/tounicode$k"
		else
			set -- "$@" "$dir/font$k.ttf" - "$dir/tounicode$k"
		fi
	done
	pdftotext "$pdf" "$dir/text" 2>/dev/null
	"$ROOT/build/glyphcheck" "$FONT" "$dir/text" "$@"
}

# bill_months DATA ARCHIVE N KEEP: bills the N months from 2026-12 into
# ARCHIVE (made), each followed by the payment, on its issue date, of
# every invoice it issued for which the awk condition KEEP holds ($1 the
# number, $3 the contract); then after_month PERIOD INDEX, when the test
# defines it.  $billed: how many months were billed.
month() { date -d "2026-12-01 +$1 month" +%Y-%m; }
bill_months() {
	mkdir -m 750 "$2"
	billed=0
	while [ $billed -lt "$3" ]; do
		p=$(month $billed)
		"$SVCBILL" run --data "$1" --period "$p" --out "$2" --quiet \
			--jobs 2 >/dev/null 2>"$TMP/build.err" || break
		awk -F, -v p="$p" '$2 == p && $11 == "issued" && ('"$4"') {
			printf "%s,%s,%s\r\n", $1, $5, $10 }' "$2/register.csv" \
			>> "$1/payments.csv"
		command -v after_month >/dev/null && after_month "$p" $billed
		billed=$((billed + 1))
	done
}
