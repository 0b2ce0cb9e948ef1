#!/bin/sh
# tests/fresh/run.sh - the README's set-up, tried on a bare Debian 12.
#
# Builds a minimal Debian 12 root (debootstrap --variant=minbase bookworm,
# from the mirror this machine's apt sources name), copies the committed
# tree into /root/svcbill, and runs there, as root in a chroot, the two
# commands of README.md's set-up block, read from README.md itself so that
# the README and this test cannot drift apart.  Then checks the demo's
# files and the test command's final "N passed, 0 failed" line.
#
# Caches under build/fresh/: the root as a tar (debootstrap runs once) and
# the downloaded .deb files (apt fetches each package once).  The root is
# unpacked anew every run, so no package is ever installed before the
# README's commands run.  Needs root; prints SKIP when it cannot run.
# Run by `make fresh` and by .ci/run after `make check`, never by
# tests/run.sh: a fresh root's own `make check` must not start another.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
CACHE=$ROOT/build/fresh
MARK=/etc/svcbill-fresh-root     # present inside the fresh root only

pass=0 fail=0
ok()  { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1${2:+: $2}"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
skip() { echo "SKIP fresh Debian 12 root: $1"; exit 0; }
now() { date +%s; }

[ -e "$MARK" ] && skip "already inside one"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (make fresh installs it)"
git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null || skip "not a git work tree"

# The README's commands: the lines of the code block that follows the
# marker comment, comments stripped.  Line 1 runs the demo, line 2 the tests.
cmds=$(awk '/<!-- fresh-machine commands/ { m = 1; next }
	m && /^```/ { if (++f == 2) exit; next }
	m && f == 1 { sub(/[ \t]+#.*/, ""); print }' README.md)
demo_cmd=$(echo "$cmds" | sed -n 1p)
test_cmd=$(echo "$cmds" | sed -n 2p)
# the summary line the README says the demo prints
want_summary=$(awk '/prints the month.s summary/ { m = 1; next }
	m && /^```/ { if (++f == 2) exit; next } m && f == 1' README.md)
if [ -n "$demo_cmd" ] && [ -n "$test_cmd" ] && [ -n "$want_summary" ] &&
   [ "$(echo "$cmds" | wc -l)" -eq 2 ]; then
	ok "README names two set-up commands: '$demo_cmd' / '$test_cmd'"
else
	bad "README set-up block not found" "$cmds"
	finish
fi

# The mirror: the first bookworm source of this machine's apt.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }')
[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
	awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ && u { print u; exit }
	     /^$/ { u = "" }')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

mkdir -p "$CACHE/debs/partial" || exit 1
tarball=$CACHE/bookworm-minbase.tar
t0=$(now)
if [ ! -s "$tarball" ]; then
	echo "debootstrap --variant=minbase bookworm from $mirror (once; cached in $tarball)"
	boot=$(mktemp -d "${TMPDIR:-/var/tmp}/svcbill-boot.XXXXXX") || exit 1
	if debootstrap --variant=minbase bookworm "$boot" "$mirror" \
		>"$CACHE/debootstrap.log" 2>&1 &&
	   tar -C "$boot" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"; then
		ok "debootstrap minbase bookworm ($(( $(now) - t0 )) s)"
	else
		bad "debootstrap" "$(tail -5 "$CACHE/debootstrap.log")"
		rm -f "$tarball.tmp"
	fi
	rm -rf --one-file-system "$boot"
	[ -s "$tarball" ] || finish
fi

R=$(mktemp -d "${TMPDIR:-/var/tmp}/svcbill-fresh.XXXXXX") || exit 1
mounted=""
cleanup() {
	for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m"; done
	# never delete through a mount point that is still there
	if grep -q " $R/" /proc/mounts; then
		echo "fresh root $R still has mounts; left in place" >&2
	else
		rm -rf --one-file-system "$R"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
chmod 755 "$R"    # it is the root: apt's _apt user must get through
tar -C "$R" -xf "$tarball" || { bad "unpack the cached root"; finish; }
touch "$R$MARK"
# apt downloads as its _apt user, into the cache shared between runs
chown "$(awk -F: '$1 == "_apt" { print $3 }' "$R/etc/passwd")" "$CACHE/debs/partial" 2>/dev/null
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null
mkdir -p "$R/root/svcbill"
git -C "$ROOT" archive HEAD | tar -C "$R/root/svcbill" -xf - ||
	{ bad "copy the committed tree"; finish; }
# mounted in this order, unmounted in the reverse one
for m in proc sys dev dev/pts var/cache/apt/archives; do
	case $m in
	proc) mount -t proc proc "$R/proc" ;;
	sys) mount -t sysfs sys "$R/sys" ;;
	var/cache/apt/archives) mount --bind "$CACHE/debs" "$R/$m" ;;
	*) mount --bind "/$m" "$R/$m" ;;
	esac || { bad "mount $m in the fresh root"; finish; }
	mounted="$R/$m $mounted"
done
echo "fresh root ready in $(( $(now) - t0 )) s"

# in_root CMD LOG: runs CMD in /root/svcbill as a root login would, with a
# clean environment and no terminal
# (FRESH_TIMEOUT seconds each, 40 min by default: a hang is a FAIL with
# its log, not a CI run that never ends)
in_root() {
	timeout -k 30 "${FRESH_TIMEOUT:-2400}" chroot "$R" /usr/bin/env -i HOME=/root LOGNAME=root USER=root \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh -c "cd /root/svcbill && $1" </dev/null >"$2" 2>&1
}

t1=$(now)
if in_root "$demo_cmd" "$CACHE/demo.log"; then
	ok "demo command in a fresh root ($(( $(now) - t1 )) s)"
else
	bad "demo command in a fresh root" "exit $?: $(tail -5 "$CACHE/demo.log")"
fi
# each line the README shows the demo printing, whole, the seal included
# (one by one: an empty line among grep -F patterns would match anything)
missing=$(echo "$want_summary" | while IFS= read -r l; do
	[ -n "$l" ] && ! grep -qxF -- "$l" "$CACHE/demo.log" && echo "$l"
done)
if [ -z "$missing" ]; then
	ok "demo prints the README's summary lines"
else
	bad "demo prints the README's summary lines" "missing: $missing; got: $(tail -3 "$CACHE/demo.log")"
fi
o=$R/root/svcbill/out/2026-12
for f in invoices/INV-202612-0001.pdf invoices/INV-202612-0002.pdf \
	 invoices/INV-202612-0003.pdf summary.pdf summary.csv SHA256SUMS; do
	case $f in *.pdf) magic='%PDF-' ;; *) magic='' ;; esac
	if [ -s "$o/$f" ] && [ "$(head -c ${#magic} "$o/$f")" = "$magic" ]; then
		ok "demo wrote out/2026-12/$f"
	else
		bad "demo wrote out/2026-12/$f"
	fi
done
nsheets=$(ls "$o/sheets" 2>/dev/null | grep -c '\.pdf$')
[ "$nsheets" -gt 0 ] && ok "demo wrote $nsheets record sheets" || bad "demo wrote record sheets"
(cd "$o" 2>/dev/null && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1) &&
	ok "demo's SHA256SUMS matches its files" || bad "demo's SHA256SUMS matches its files"

t2=$(now)
in_root "$test_cmd" "$CACHE/check.log"
rc=$?
last=$(tail -1 "$CACHE/check.log")
if [ "$rc" -eq 0 ] && echo "$last" | grep -Eq '^[0-9]+ passed, 0 failed(, [0-9]+ skipped)?$'; then
	ok "test command in the fresh root: $last ($(( $(now) - t2 )) s)"
else
	bad "test command in the fresh root" "exit $rc: $(grep -E '^FAIL|passed' "$CACHE/check.log" | tail -15)"
fi
# what the inner run skipped, for the record
grep '^SKIP' "$CACHE/check.log" | sed 's/^/  inside: /'
echo "fresh machine total $(( $(now) - t0 )) s (logs in build/fresh/)"
finish
