#!/bin/sh
# Does a run get slower as the archive ages?  Builds (once, under build/)
# an archive of MONTHS-1 monthly runs of CONTRACTS generated contracts,
# then prints run and dry-run time and peak memory for month 1 (an empty
# archive) and for month MONTHS (a copy of the built one).  Not a test.
#
#   sh tests/bench/archive.sh [CONTRACTS [MONTHS]]     (300 and 120)
#
# Every month bills the same: recurring lines only (the generator's
# records and charges are dropped), every invoice paid on its issue date
# (payments.csv grows by a month's invoices per run, as it would), so
# month MONTHS differs from month 1 only by the archive behind it.
set -e
cd "$(dirname "$0")/../.."
N=${1:-300}
M=${2:-120}
SVC=${SVCBILL:-./svcbill}
B=build/bench-archive-$N-$M
first=2026-12
month() { date -d "$first-01 +$(($1 - 1)) month" +%Y-%m; }
if [ ! -d "$B/archive" ]; then
	rm -rf "$B"
	mkdir -p "$B"
	python3 tests/bench/gen.py "$B/data" "$N" >/dev/null
	sed -i 's/,2027-12-31,/,2037-12-31,/' "$B/data/contracts.csv"
	for f in service_records parts_used charges; do
		head -1 "$B/data/$f.csv" > "$B/t" && mv "$B/t" "$B/data/$f.csv"
	done
	printf 'invoice_no,paid_on,amount\r\n' > "$B/data/payments.csv"
	cp -r "$B/data" "$B/data1"            # the data as month 1 sees it
	mkdir -m 750 "$B/archive"
fi
if [ ! -f "$B/done" ]; then
	# (resumes where an interrupted build stopped)
	i=$(($(ls "$B/archive" | grep -c '^....-..$' || true) + 1))
	while [ $i -lt "$M" ]; do
		p=$(month $i)
		"$SVC" run --data "$B/data" --period "$p" --out "$B/archive" \
			--quiet --jobs 2 >/dev/null
		# this month's invoices paid on their issue date
		awk -F, -v p="$p" '$2 == p && $11 == "issued" {
			printf "%s,%s,%s\r\n", $1, $5, $10 }' \
			"$B/archive/register.csv" >> "$B/data/payments.csv"
		i=$((i + 1))
	done
	touch "$B/done"
fi
T=$(mktemp -d /tmp/svcbill-age.XXXXXX)
trap 'rm -rf "$T"' EXIT
measure() {   # measure LABEL DATA ARCHIVE PERIOD [--dry-run]
	/usr/bin/time -f "%e %U %S %M" -o "$T/t" "$SVC" run --data "$2" \
		--period "$4" --out "$3" --quiet --jobs 1 $5 >/dev/null
	read e u s m < "$T/t"
	awk -v l="$1" -v e="$e" -v u="$u" -v s="$s" -v m="$m" 'BEGIN {
		printf "%-22s %7.2f s wall %7.2f s CPU %6d MB peak\n", l, e, u + s,
			m / 1024 }'
}
mkdir -m 750 "$T/a1" "$T/d1"
measure "month 1 dry run" "$B/data1" "$T/d1" "$(month 1)" --dry-run
measure "month 1 run" "$B/data1" "$T/a1" "$(month 1)"
cp -a "$B/archive" "$T/aM"
measure "month $M dry run" "$B/data" "$T/aM" "$(month "$M")" --dry-run
measure "month $M run" "$B/data" "$T/aM" "$(month "$M")"
echo "archive: $(wc -l < "$B/archive/register.csv") register rows," \
	"$(wc -l < "$B/archive/lines.csv") lines.csv lines," \
	"$(du -sh "$B/archive" | cut -f1)"
