#!/bin/sh
# Runs every test: unit tests (plain and under ASan+UBSan), then the
# end-to-end scripts in tests/e2e.  The last line is "N passed, M failed",
# with ", K skipped" when checks printed SKIP (a skip is never a pass).
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
skip=0
log=build/test-log.txt
: > "$log"

add_counts() {   # a line "...: N passed, M failed"
	p=$(echo "$1" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
	f=$(echo "$1" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
	[ -n "$p" ] || { p=0; f=1; }
	pass=$((pass + p))
	fail=$((fail + f))
}

for bin in build/unit_tests build/asan/unit_tests; do
	out=$($bin 2>>"$log")
	echo "$out" | grep -v '^SKIP' | sed "s|^|$bin: |"
	# a case a unit test leaves out prints SKIP: counted apart, not passed
	s=$(echo "$out" | grep -c '^SKIP')
	[ "$s" -gt 0 ] && echo "$bin: $s cases skipped (SKIP lines in $log)"
	echo "$out" | grep '^SKIP' >>"$log"
	skip=$((skip + s))
	add_counts "$(echo "$out" | grep '^unit: ')"
done

# no floating point, and none of the unchecked C conversions, in the
# modules that handle money, dates and the ledger
if grep -nE '\b(float|double|atoi|atol|atof|strtod|strtok|sprintf|gets)\b' \
	src/base/money.c src/read/fields.c src/bill/rules.c src/bill/invoice.c src/ledger/ledger.c \
	src/read/load.c src/read/schema.c src/read/rowrules.c src/read/link.c \
	src/read/tables.c src/read/words.c src/base/date.c src/ledger/archive.c src/read/csvread.c src/base/textenc.c \
	src/bill/slaclock.c src/bill/pm.c src/docs/report.c src/plan/plan.c \
	>>"$log"; then
	echo "FAIL banned functions or floating point in money code (see $log)"
	fail=$((fail + 1))
else
	echo "no floating point or banned functions in money code"
	pass=$((pass + 1))
fi

# the stages of src/ include only lower stages (src/README.md); the
# check itself must fail on a planted back edge
if sh tests/tools/layers.sh src >>"$log" 2>&1; then
	echo "src/ stages include only lower stages"
	pass=$((pass + 1))
else
	echo "FAIL a stage includes a higher stage (see $log)"
	fail=$((fail + 1))
fi
planted=$(mktemp -d)
cp -r src/. "$planted/"
echo '#include "cmd/run.h"' >> "$planted/base/money.c"
if sh tests/tools/layers.sh "$planted" >>"$log" 2>&1; then
	echo "FAIL the stage check passes a planted back edge (base -> cmd)"
	fail=$((fail + 1))
else
	echo "stage check catches a planted back edge"
	pass=$((pass + 1))
fi
rm -rf "$planted"

# replay the fuzz corpus with the sanitizer build
for t in csv fields check; do
	if out=$(build/asan/replay_$t tests/fuzz/corpus/$t 2>>"$log"); then
		echo "fuzz corpus $t: $out"
		pass=$((pass + 1))
	else
		echo "FAIL fuzz corpus $t"
		fail=$((fail + 1))
	fi
done

for t in tests/e2e/test_*.sh; do
	out=$(sh "$t" 2>>"$log")
	rc=$?
	echo "$out" | grep -E '^(FAIL|SKIP)' || true
	p=$(echo "$out" | grep -c '^PASS')
	f=$(echo "$out" | grep -c '^FAIL')
	s=$(echo "$out" | grep -c '^SKIP')
	skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $t: exited $rc"
		f=1
	fi
	[ "$s" -gt 0 ] && sk=", $s skipped" || sk=""
	echo "$t: $p passed, $f failed$sk"
	pass=$((pass + p))
	fail=$((fail + f))
done

# CLI golden files: exit status, stdout and stderr of each case in
# tests/cli (`make cli-golden` regenerates them), with the plain build and
# the sanitizer build
for b in svcbill build/asan/svcbill; do
	out=$(SVCBILL="$PWD/$b" sh tests/cli/run.sh 2>>"$log")
	echo "$out" | grep '^FAIL' || true
	p=$(echo "$out" | grep -c '^PASS')
	f=$(echo "$out" | grep -c '^FAIL')
	[ "$p" -gt 0 ] || f=$((f + 1))
	echo "tests/cli/run.sh with $b: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
done

# the end-to-end tests again with the AddressSanitizer and
# UndefinedBehaviorSanitizer build (the crash tests preload a shim and
# time runs, so they keep the plain build)
for t in sample errors rerun periods latefees docs input workbooks settled \
	payments_read; do
	out=$(SVCBILL="$PWD/build/asan/svcbill" sh "tests/e2e/test_$t.sh" 2>>"$log")
	rc=$?
	echo "$out" | grep '^FAIL' | sed 's/^FAIL/FAIL (sanitizers)/' || true
	p=$(echo "$out" | grep -c '^PASS')
	f=$(echo "$out" | grep -c '^FAIL')
	skip=$((skip + $(echo "$out" | grep -c '^SKIP')))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	echo "tests/e2e/test_$t.sh under sanitizers: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
done

[ "$fail" -eq 0 ] || echo "(details in $log)"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
