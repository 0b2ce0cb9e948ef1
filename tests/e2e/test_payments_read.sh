#!/bin/sh
# payments.csv, which grows by a row per invoice for the company's life,
# is read a row at a time (csv_read_file_each, schema_read_each): neither
# the file nor its records are held whole, its pages are let go behind
# the parse, and the rows' text lives in a scratch arena freed every few
# thousand rows.  What svcbill says of a file of some megabytes, in each
# encoding it reads, is worked out independently by Python's csv module
# (tests/e2e/bigpayments.py): every row named by its line and value, a
# character of three bytes, a quoted line break and a quoted number with
# a line break placed across the first three MiB.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
D=$TMP/d
O=$TMP/o
mkdir -p "$D" "$O" && chmod 750 "$O"
cp samples/basic/*.csv "$D/"
for enc in utf-8 utf-8-sig utf-16 gb18030; do
	python3 tests/e2e/bigpayments.py "$D/payments.csv" "$enc" "$TMP/want"
	"$SVCBILL" check --data "$D" --out "$O" >"$TMP/out" 2>"$TMP/err"
	check_eq "$enc: check takes the file" "$?" 0
	if diff "$TMP/want" "$TMP/err" >"$TMP/diff"; then
		pass "$enc: every row of $(($(wc -l < "$TMP/want") - 1)) warned of, its line and value as Python's csv module reads them"
	else
		fail "$enc: every row warned of, as Python reads it" "$(head -c 400 "$TMP/diff")"
	fi
done
# the file holds more than a few thousand rows and megabytes (the
# scratch arena and the pages let go more than once)
check "the file is over 3 MiB" test "$(wc -c < "$D/payments.csv")" -gt 3145728
# A payment of 0 on every 997th row: refused on its own line, each one
python3 tests/e2e/bigpayments.py "$D/payments.csv" utf-8 "$TMP/want" zero
"$SVCBILL" check --data "$D" --out "$O" >"$TMP/out" 2>"$TMP/err"
check_eq "payments of 0: check refuses them" "$?" 65
check "... each named by its line, as Python counts them" \
	diff "$TMP/want" "$TMP/err"
