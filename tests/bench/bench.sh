#!/bin/sh
# Benchmark: bill a generated month of 2,000 contracts.
#   sh tests/bench/bench.sh [CONTRACTS]
# Prints CPU time per invoice (single process), wall time with --jobs,
# PDF sizes and peak memory.  Not a test: numbers go in the notes.
set -e
cd "$(dirname "$0")/../.."
N=${1:-2000}
T=$(mktemp -d /tmp/svcbill-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 tests/bench/gen.py "$T/data" "$N"
./svcbill check --data "$T/data" >/dev/null
# start-up: load + check only
/usr/bin/time -f "%U %S %M" -o "$T/t0" ./svcbill run --data "$T/data" \
	--period 2026-12 --out "$T/dry" --dry-run >/dev/null
/usr/bin/time -f "%e %U %S %M" -o "$T/t1" ./svcbill run --data "$T/data" \
	--period 2026-12 --out "$T/o1" --jobs 1 --quiet >/dev/null
/usr/bin/time -f "%e %U %S %M" -o "$T/tn" ./svcbill run --data "$T/data" \
	--period 2026-12 --out "$T/on" --quiet >/dev/null
n=$(ls "$T/o1/2026-12/invoices" | wc -l)
docs=$(find "$T/o1/2026-12" -name '*.pdf' | wc -l)
read u0 s0 m0 < "$T/t0"
read e1 u1 s1 m1 < "$T/t1"
read en un sn mn < "$T/tn"
echo "documents: $docs PDFs ($n invoices, $((docs - n - 1)) record sheets, 1 summary)"
awk -v u0="$u0" -v s0="$s0" -v u1="$u1" -v s1="$s1" -v n="$n" -v e1="$e1" \
	-v docs="$docs" \
	'BEGIN { printf "start-up (read + check + compute, --dry-run): %.2f s CPU\n", u0 + s0;
		 printf "--jobs 1: %.2f s wall, %.2f s user + %.2f s system CPU\n", e1, u1, s1;
		 printf "  %.2f ms CPU per PDF after start-up (%.2f ms user)\n",
			(u1 + s1 - u0 - s0) * 1000 / docs, (u1 - u0) * 1000 / docs }'
echo "--jobs $(nproc): $en s wall"
echo "peak memory: --jobs 1 $((m1 / 1024)) MB, dry run $((m0 / 1024)) MB"
ls -l "$T/o1/2026-12/invoices" | awk 'NR > 1 { print $5 }' | sort -n |
	awk '{ a[NR] = $1; s += $1 } END { printf "PDF size: median %.1f KB, mean %.1f KB, max %.1f KB\n",
		a[int((NR + 1) / 2)] / 1024, s / NR / 1024, a[NR] / 1024 }'
[ -x build/xlsx_bench ] && build/xlsx_bench "$T/data" "$T/o1" 2026-12
cmp "$T/o1/register.csv" "$T/on/register.csv" && diff -r -x .lock "$T/o1" "$T/on" >/dev/null &&
	echo "--jobs 1 and --jobs $(nproc) archives are byte-identical"
