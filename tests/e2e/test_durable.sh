#!/bin/sh
# The order in which a run makes its files durable (rules.md §4's rule: no
# name before its bytes are durable; every document durable before the
# ledger rows are appended), read from the calls themselves: the failio
# shim logs every close of a temporary, fsync, syncfs, rename and append
# (FAILIO_LOG), and order.awk checks the log.  Once with the archive on
# one file system (one syncfs for all the documents, after an early one
# started in the background once they are drawn, whose result is not
# used: hence two, and the count is what shows the commit's own), once
# with the invoices folder on another (each temporary fsync'd on its own,
# and no syncfs at all).
. "$(dirname "$0")/lib.sh"
python3 "$ROOT/tests/bench/gen.py" "$TMP/data" 40 >/dev/null
bill() {   # bill ARCHIVE PERIOD [ENV...]
	out=$1 period=$2
	shift 2
	env "$@" "$SVCBILL" run --data "$TMP/data" --period "$period" \
		--out "$out" --jobs 2 --quiet >/dev/null 2>>"$TMP/err"
}
# The log of a run, checked: prints "bad=N syncfs=N pdf_fsync=N
# pdf_renames=N appends=N" and, for each fault, a line saying which.
order() {
	awk '
	function dir(p) { sub("/[^/]*$", "", p); return p }
	{ n++ }
	$2 == "close" { closed[$3] = n }
	$2 == "fsync" { synced[$3] = n; if ($3 ~ /\.pdf\.[0-9a-f]+\.tmp$/) pdf_fsync++ }
	$2 == "syncfs" { last_syncfs = n; syncfs++ }
	$2 == "rename" {
		t = $3
		# its bytes durable: fsync of the temporary, or a syncfs after
		# its last byte was written (closed) and before this name
		if (!(t in synced) && !((t in closed) && last_syncfs > closed[t])) {
			print "named before its bytes were durable: " $4; bad++
		}
		if ($4 ~ /\.pdf$/) {
			pdf++
			last_rename[dir($4)] = n
			if (appends) { print "document named after a ledger row: " $4; bad++ }
		}
	}
	$2 == "append" {
		if (!appends++)
			for (d in last_rename)
				if (!(d in synced) || synced[d] < last_rename[d]) {
					print "folder not synced before the ledger rows: " d; bad++
				}
	}
	END { printf "bad=%d syncfs=%d pdf_fsync=%d pdf_renames=%d appends=%d\n",
		bad, syncfs, pdf_fsync, pdf, appends }' "$1"
}

# ---- the order checker itself, on logs written by hand --------------------
A=/a/2026-12/invoices
cat > "$TMP/good.log" <<EOF
1 close $A/.X.pdf.0123456789abcdef.tmp
2 close $A/.Y.pdf.0123456789abcdef.tmp
1 syncfs /a
1 rename $A/.X.pdf.0123456789abcdef.tmp $A/X.pdf
1 rename $A/.Y.pdf.0123456789abcdef.tmp $A/Y.pdf
1 fsync $A
1 append /a/lines.csv
EOF
check_eq "order check: a good log" "$(order "$TMP/good.log" | tail -n 1)" \
	"bad=0 syncfs=1 pdf_fsync=0 pdf_renames=2 appends=1"
# each fault once: the checker must see it.  pick FILE N...: those lines
# of FILE, in that order
pick() { f=$1; shift; for k in "$@"; do sed -n "${k}p" "$f"; done; }
pick "$TMP/good.log" 1 2 4 5 6 7 > "$TMP/bad1.log"      # no syncfs at all
pick "$TMP/good.log" 1 3 2 4 5 6 7 > "$TMP/bad2.log"    # syncfs before Y is closed
pick "$TMP/good.log" 1 2 3 4 5 7 > "$TMP/bad3.log"      # folder never synced
pick "$TMP/good.log" 1 2 3 4 5 7 6 > "$TMP/bad4.log"    # synced after the rows
pick "$TMP/good.log" 1 2 3 6 7 4 5 > "$TMP/bad5.log"    # named after the rows
for k in 1 2 3 4 5; do
	got=$(order "$TMP/bad$k.log" | tail -n 1)
	case $got in
	bad=0*) fail "order check: planted fault $k is seen" "$got" ;;
	*) pass "order check: planted fault $k is seen" ;;
	esac
done

# ---- one file system: the early flush, then the commit's syncfs -----------
bill "$TMP/ref" 2026-11 && bill "$TMP/ref" 2026-12
bill "$TMP/one" 2026-11
bill "$TMP/one" 2026-12 FAILIO_LOG="$TMP/one.log" LD_PRELOAD="$ROOT/build/failio.so"
check_eq "one file system: the run succeeds" "$?" 0
docs=$(find "$TMP/one/2026-12" -name '*.pdf' | wc -l)
res=$(order "$TMP/one.log")
check_eq "one file system: two syncfs (the early flush, the commit's), no document fsync'd alone, every PDF named after them, all before the ledger rows" \
	"$(echo "$res" | tail -n 1)" "bad=0 syncfs=2 pdf_fsync=0 pdf_renames=$docs appends=2"
check "... the archive as without the shim" diff -r -x .lock "$TMP/ref" "$TMP/one"
check "... several documents (invoices and sheets)" test "$docs" -gt 40

# ---- the invoices on another file system: each temporary fsync'd ---------
M=$TMP/two/2026-12/invoices
bill "$TMP/two" 2026-11
mkdir -p "$M"
if mount -t tmpfs -o size=64m tmpfs "$M" 2>/dev/null; then
	bill "$TMP/two" 2026-12 FAILIO_LOG="$TMP/two.log" LD_PRELOAD="$ROOT/build/failio.so"
	check_eq "invoices on another file system: the run succeeds" "$?" 0
	res=$(order "$TMP/two.log")
	check_eq "... no syncfs, each document fsync'd before its name, all before the ledger rows" \
		"$(echo "$res" | tail -n 1)" "bad=0 syncfs=0 pdf_fsync=$docs pdf_renames=$docs appends=2"
	check "... the archive as on one file system" diff -r -x .lock "$TMP/ref" "$TMP/two"
	umount "$M"
else
	skip "invoices on another file system" "mount is not allowed here"
fi
