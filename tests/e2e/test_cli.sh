#!/bin/sh
# The command line a person expects (short options, help and version per
# command, mistakes named), --quiet's log line, the progress line on a
# terminal only, near-miss file names, and `init`'s templates.  Expected
# texts are written here by hand from SPEC §1, §2 and the README.
. "$(dirname "$0")/lib.sh"
S=$ROOT/samples/basic

# out CMD...: runs svcbill; stdout in $TMP/o, stderr in $TMP/e, status in $rc
out() { "$SVCBILL" "$@" >"$TMP/o" 2>"$TMP/e"; rc=$?; }

for v in -V --version "run --version" "check -V"; do
	out $v
	check_eq "$v" "$rc $(cat "$TMP/o")" "0 svcbill 1.0.0"
done
out -h
check_eq "-h: exit 0, usage of every command" \
	"$rc $(grep -c '^ *\(usage: \)\?svcbill \(run\|check\|verify\|init\)' "$TMP/o")" "0 4"
out run --help
check "run --help lists run's options" grep -q -- '-n, --dry-run' "$TMP/o"
out check -h
check_eq "check -h: only check's options" "$rc $(grep -c -- '--period\|--jobs' "$TMP/o")" "0 0"

out
check_eq "no command: usage error" "$rc $(head -1 "$TMP/e")" "64 svcbill: a command is required"
out bill
check_eq "unknown command named" "$rc $(head -1 "$TMP/e")" "64 svcbill: unknown command 'bill'"
out run --data "$S" --bogus
check_eq "unknown option named" "$rc $(head -1 "$TMP/e")" "64 svcbill run: unknown option '--bogus'"
out run --data "$S" -x
check_eq "unknown short option named" "$rc $(head -1 "$TMP/e")" "64 svcbill run: unknown option '-x'"
out run --data "$S" --perio 2026-12
check_eq "near option suggested" "$rc $(head -1 "$TMP/e")" \
	"64 svcbill run: unknown option '--perio' (did you mean --period?)"
out run --data "$S" --period 2026-12 --period 2026-11 --dry-run
check_eq "repeated option refused" "$rc $(head -1 "$TMP/e")" \
	"64 svcbill run: --period is given more than once"
out run --data "$S" -n --dry-run
check_eq "repeated option refused (short and long)" "$rc $(head -1 "$TMP/e")" \
	"64 svcbill run: --dry-run is given more than once"
out check --data "$S" --period 2026-12
check_eq "another command's option refused" "$rc $(head -1 "$TMP/e")" \
	"64 svcbill check: --period is not an option of 'check'"
out run --data
check_eq "missing value" "$rc $(head -1 "$TMP/e")" "64 svcbill run: --data needs a value"
out run --period 2026-12
check_eq "missing --data" "$rc $(head -1 "$TMP/e")" "64 svcbill run: --data is required"
out init
check_eq "init needs DIR" "$rc $(head -1 "$TMP/e")" "64 svcbill init: DIR is required"

# a missing data folder: one message, exit 66
for c in run check; do
	out $c --data "$TMP/nowhere" --out "$TMP/o1"
	check_eq "$c: missing data folder reported once" "$rc $(cat "$TMP/e")" \
		"66 svcbill: $TMP/nowhere: cannot open the data folder: No such file or directory"
done
check "nothing created for a missing data folder" test ! -e "$TMP/o1"

# near-miss names of input files, optional ones too
mkdir "$TMP/near"
cp "$S"/*.csv "$TMP/near/"
mv "$TMP/near/clients.csv" "$TMP/near/Clients.CSV"
mv "$TMP/near/devices.csv" "$TMP/near/devices (1).csv"
mv "$TMP/near/charges.csv" "$TMP/near/charges.txt"
out check --data "$TMP/near"
check_eq "near-miss names: exit 66" "$rc" 66
for pair in "clients.csv Clients.CSV" "devices.csv devices (1).csv" "charges.csv charges.txt"; do
	want=${pair%% *} got=${pair#* }
	check_eq "near miss '$got' named" "$(grep -c "^$TMP/near/$want: cannot open: no such file, but there is '$got': rename it to $want\$" "$TMP/e")" 1
done
mv "$TMP/near/Clients.CSV" "$TMP/near/clients.csv"
mv "$TMP/near/devices (1).csv" "$TMP/near/devices.csv"
rm "$TMP/near/charges.txt"
out check --data "$TMP/near"
check_eq "no hint without a near miss (charges.csv is optional)" "$rc$(cat "$TMP/e")" 0

# -n is a dry run: the summary, nothing written
out run --data "$S" --period 2026-12 --out "$TMP/dry" -n
check_eq "-n: summary marked, exit 0" "$rc $(grep -c 'dry run: nothing written' "$TMP/o")" "0 1"
check "-n: nothing written" test ! -e "$TMP/dry"

# --quiet: exactly one line, an ISO 8601 time first
ISO='[0-9]\{4\}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9][+-][0-9][0-9]:[0-9][0-9]'
out run --data "$S" --period 2026-12 --out "$TMP/q" -q
check_eq "-q: one line" "$rc $(wc -l < "$TMP/o")" "0 1"
# the summary line the README promises for the sample, seal included
# (its totals are worked out by hand in test_sample.sh, its seal in
# test_rerun.sh), after the time
want=$(awk '/prints the month.s summary/ { m = 1; next }
	m && /^```/ { if (++f == 2) exit; next } m && f == 1' "$ROOT/README.md" | head -n 1)
check_eq "-q: time, then the summary" "$(sed "s/^$ISO //" "$TMP/o")" "$want"
check "-q: the line starts with the time" grep -q "^$ISO 2026-12: " "$TMP/o"
check_eq "-q: nothing on stderr" "$(cat "$TMP/e")" ""
out run --data "$ROOT/samples/errors" --period 2026-12 --out "$TMP/q2" --quiet
check_eq "--quiet failing: one line" "$rc $(wc -l < "$TMP/o")" "65 1"
check "--quiet failing: time, failure and exit status" grep -q \
	"^$ISO svcbill run --data $ROOT/samples/errors: failed, exit status 65 (data error)\$" "$TMP/o"
check "--quiet failing: the reasons on stderr" grep -q 'clients.csv:' "$TMP/e"
out run --data "$S" --period 2026-12 --out "$TMP/q" -qv
check_eq "-qv bundled: still one line" "$rc $(wc -l < "$TMP/o")" "0 1"

# progress: on a terminal (script gives a pty), with one job or several,
# counting documents; nothing when stderr is a file
docs=$(find "$TMP/q/2026-12" -name '*.pdf' | wc -l)
if command -v script >/dev/null; then
	for j in 1 2 3; do
		script -qec "'$SVCBILL' run --data '$S' --period 2026-12 --out '$TMP/p$j' --jobs $j" \
			/dev/null > "$TMP/tty" 2>&1 </dev/null
		last=$(tr '\r' '\n' < "$TMP/tty" | grep 'documents' | tail -1 | sed 's/\x1b\[K//')
		check "progress on a terminal, --jobs $j: '$last'" sh -c \
			"echo '$last' | grep -q '^$docs/$docs documents, [0-9]*\.[0-9]/s, done in 0:[0-9][0-9]\$'"
	done
else
	skip "progress on a terminal" "no script(1)"
fi
out run --data "$S" --period 2026-12 --out "$TMP/p9" --jobs 2
check_eq "no progress when stderr is not a terminal" "$(cat "$TMP/e")" ""

# init: every input file of SPEC §2, Chinese header, BOM, never overwriting
out init "$TMP/new"
check_eq "init: exit 0" "$rc" 0
BOM=$(printf '\357\273\277')
hdr() { head -1 "$TMP/new/$1" | tr -d '\r'; }
check_eq "init: 12 files" "$(ls "$TMP/new" | wc -l)" 12
for f in issuer clients contracts rates devices service_records parts \
	 parts_used charges payments holidays fapiao_items; do
	check "init: $f.csv starts with a BOM" sh -c "head -c 3 '$TMP/new/$f.csv' | grep -q '^$BOM'"
done
check_eq "init: clients.csv header" "$(hdr clients.csv)" "${BOM}客户编号,客户名称,英文名称,地址,邮编,电话,传真,联系人,纳税人识别号"
check_eq "init: rates.csv header" "$(hdr rates.csv)" "${BOM}合同编号,设备类别,月费"
check_eq "init: holidays.csv header" "$(hdr holidays.csv)" "${BOM}日期,类型,名称"
check_eq "init: fapiao_items.csv header" "$(hdr fapiao_items.csv)" "${BOM}项目类别,税收分类编码,项目名称,单位"
check "init: payments.csv header" sh -c "head -1 '$TMP/new/payments.csv' | tr -d '\r' |
	grep -qx '${BOM}\(账单号\|发票号\),付款日期,金额'"
out check --data "$TMP/new"
check_eq "check on the templates: exit 65" "$rc" 65
check_eq "check on the templates says what is missing, nothing else" "$(sed "s|$TMP/new/||" "$TMP/e")" \
"issuer.csv:1: the issuing company's row is missing
clients.csv:1: warning: no clients yet: add one row per client
contracts.csv:1: warning: no contracts yet: nothing to bill"
sum0=$(cat "$TMP/new"/* | sha256sum)
out init "$TMP/new"
check_eq "init again: exit 73, nothing changed" "$rc $(cat "$TMP/new"/* | sha256sum)" "73 $sum0"
mkdir "$TMP/one"
echo keep > "$TMP/one/devices.csv"
out init "$TMP/one"
check_eq "init over one file: 73, it alone named, nothing written" \
	"$rc $(grep -c 'exists' "$TMP/e") $(ls "$TMP/one") $(cat "$TMP/one/devices.csv")" \
	"73 1 devices.csv keep"

# The heap's reservation (main.c, heap_setup: up to 512 MB marked for huge
# pages) is address space only: a run that needs little memory stays
# small (peak resident memory of the whole process, from the kernel).
peak_kb() {   # peak_kb CMD...: the command's peak RSS in KB
	python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
kb=$(peak_kb "$SVCBILL" --version)
check "the heap's reservation is not touched: --version peaks at $kb KB (< 32 MB)" \
	test "$kb" -lt 32768
kb=$(peak_kb "$SVCBILL" run --data "$S" --out "$TMP/peak" --quiet --jobs 1)
check "... nor by a run of the sample: $kb KB (< 100 MB)" test "$kb" -lt 102400
