#!/bin/sh
# make install / make uninstall (PREFIX, DESTDIR), the manual page, and
# the examples: the systemd units verified, the cron line run as cron
# would run it (env -i PATH=/usr/bin:/bin).
. "$(dirname "$0")/lib.sh"
mk() { make --no-print-directory -s -C "$ROOT" "$@"; }

# DESTDIR: exactly these files, and uninstall takes exactly them away
D=$TMP/dest
mkdir -p "$D/usr/local/share/doc"
echo other > "$D/usr/local/share/doc/other.txt"     # not ours: stays
check "make install DESTDIR" mk install DESTDIR="$D" PREFIX=/usr/local
got=$(cd "$D" && find . -type f | sort | tr '\n' ' ')
check_eq "installed files" "$got" "./usr/local/bin/svcbill \
./usr/local/share/doc/other.txt \
./usr/local/share/doc/svcbill/README.md \
./usr/local/share/doc/svcbill/examples/svcbill.cron \
./usr/local/share/doc/svcbill/examples/svcbill.service \
./usr/local/share/doc/svcbill/examples/svcbill.timer \
./usr/local/share/man/man1/svcbill.1 "
check "installed program runs" "$D/usr/local/bin/svcbill" --version
check "cron file names the installed path" grep -q \
	' /usr/local/bin/svcbill run ' "$D/usr/local/share/doc/svcbill/examples/svcbill.cron"
check "service names the installed path" grep -qx \
	'ExecStart=/usr/local/bin/svcbill run --data exports --out archive --quiet' \
	"$D/usr/local/share/doc/svcbill/examples/svcbill.service"
check "make uninstall DESTDIR" mk uninstall DESTDIR="$D" PREFIX=/usr/local
got=$(cd "$D" && find . -type f | tr '\n' ' ')
check_eq "uninstall removes exactly what install put" "$got" "./usr/local/share/doc/other.txt "
check "uninstall leaves no folder of ours" test ! -e "$D/usr/local/share/doc/svcbill"

# the manual page: no groff warnings, and man renders it
MAN=$ROOT/docs/svcbill.1
if command -v groff >/dev/null && command -v man >/dev/null; then
	check_eq "groff -ww -z -man: no warnings" "$(groff -ww -z -man "$MAN" 2>&1)" ""
	MANWIDTH=80 man -l "$MAN" > "$TMP/man.txt" 2> "$TMP/man.err"
	check_eq "man -l: no warnings" "$(cat "$TMP/man.err")" ""
	check "man -l renders the sections" sh -c "grep -q '^NAME' '$TMP/man.txt' &&
		grep -q '^EXIT STATUS' '$TMP/man.txt' && grep -q 'svcbill init DIR' '$TMP/man.txt'"
	# every option the program knows is in the manual
	for o in $("$SVCBILL" run --help | grep -o -- '--[a-z-]*' | sort -u); do
		check "man page has $o" grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN"
	done
else
	skip "manual page" "groff or man is not installed"
fi

# a real PREFIX, to run what was installed
P=$TMP/prefix
check "make install PREFIX" mk install PREFIX="$P"
EX=$P/share/doc/svcbill/examples
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$TMP/units"
	sed "s|^WorkingDirectory=.*|WorkingDirectory=$TMP|" "$EX/svcbill.service" > "$TMP/units/svcbill.service"
	cp "$EX/svcbill.timer" "$TMP/units/"
	check_eq "systemd-analyze verify" "$(cd "$TMP/units" &&
		systemd-analyze verify --man=no svcbill.timer svcbill.service 2>&1)" ""
	check "timer: monthly at 06:00 on the 1st" sh -c "systemd-analyze calendar --iterations=2 \
		'$(sed -n 's/^OnCalendar=//p' "$EX/svcbill.timer")' | grep -q 'Iter. #2: .*-..-01 06:00:00'"
else
	skip "systemd-analyze verify" "systemd is not installed"
fi
check "timer: Persistent=true" grep -qx 'Persistent=true' "$EX/svcbill.timer"
check "service: OnFailure= hint" grep -q '^#OnFailure=' "$EX/svcbill.service"

# the cron line, as cron runs it: its PATH is /usr/bin:/bin, in a
# folder of exports (the sample), for the current month
mkdir -p "$TMP/billing"
cp -r "$ROOT/samples/basic" "$TMP/billing/exports"
line=$(grep -v '^#' "$EX/svcbill.cron" | grep .)
cmd=$(echo "$line" | awk '{ $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); print }' |
	sed "s|/srv/billing|$TMP/billing|")
check_eq "cron line: runs as root at 06:00 on the 1st" "$(echo "$line" | awk '{ print $1, $2, $3, $4, $5, $6 }')" "0 6 1 * * root"
env -i PATH=/usr/bin:/bin /bin/sh -c "$cmd" > "$TMP/cron.out" 2>&1
check_eq "cron line under cron's PATH: exit 0, no output" "$? $(cat "$TMP/cron.out")" "0 "
ISO='[0-9]\{4\}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9][+-][0-9][0-9]:[0-9][0-9]'
check_eq "cron line: one time-stamped line in the log" \
	"$(grep -c "^$ISO [0-9]\{4\}-[0-9][0-9]: [0-9]* invoices" "$TMP/billing/svcbill.log") $(wc -l < "$TMP/billing/svcbill.log")" "1 1"
check "make uninstall PREFIX" mk uninstall PREFIX="$P"
check_eq "nothing left under PREFIX" "$(find "$P" -type f)" ""

# plain `make` on a machine without the packages names them and what to
# run, before any compiler error (a copy of the tree, a package that
# cannot be installed)
mkdir -p "$TMP/tree/tests"
cp -r "$ROOT/src" "$ROOT/Makefile" "$TMP/tree/"
cp "$ROOT/tests/deps.sh" "$TMP/tree/tests/"
make --no-print-directory -C "$TMP/tree" PACKAGES=svcbill-no-such-package > "$TMP/make.out" 2>&1
check_eq "plain make without the packages: fails" "$?" 2
check "plain make says what is missing" grep -q '^svcbill needs these Debian packages: svcbill-no-such-package$' "$TMP/make.out"
check "plain make says what to run" grep -q '^run: .*make deps' "$TMP/make.out"
check_eq "plain make: nothing compiled" "$(ls "$TMP/tree/build" 2>/dev/null | grep -c '\.o$')" 0
