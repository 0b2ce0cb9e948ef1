#!/bin/sh
# Crashes, full disks and concurrent runs: the archive keeps everything it
# had, and the next run finishes the job with the same bytes.
. "$(dirname "$0")/lib.sh"
python3 "$ROOT/tests/bench/gen.py" "$TMP/data" 100 >/dev/null
# The archive before: November billed.  The reference: December billed
# without interruption.
"$SVCBILL" run --data "$TMP/data" --period 2026-11 --out "$TMP/before" \
	--quiet >/dev/null
cp -r "$TMP/before" "$TMP/ref"
t0=$(date +%s%N)
"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/ref" \
	--quiet >/dev/null
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
same() {   # same DIR: DIR's archive equals the reference
	diff -r -x .lock "$TMP/ref" "$1" >/dev/null
}
unchanged() {   # unchanged DIR: every file of before is still there, as it was
	(cd "$TMP/before" && find . -type f ! -name .lock) | while read -r f; do
		case $f in
		./register.csv|./lines.csv) ;;  # may hold a torn tail, repaired next run
		./ledger-index.csv) ;;  # derived; rewritten once rows are appended
		*) cmp -s "$TMP/before/$f" "$1/$f" || { echo "changed: $f"; return 1; } ;;
		esac
	done
}

# SIGKILL at 30 moments spread over the run; each time the next run must
# finish the job exactly as an uninterrupted run does.
bad=0
for i in $(seq 1 30); do
	rm -rf "$TMP/k"
	cp -r "$TMP/before" "$TMP/k"
	"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/k" \
		--quiet >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v i="$i" -v ms="$ms" 'BEGIN { printf "%.3f", ms * i / 31 / 1000 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unchanged "$TMP/k" > "$TMP/kill.$i" || bad=$((bad + 1))
	"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/k" \
		--quiet >/dev/null 2>&1
	same "$TMP/k" || { bad=$((bad + 1)); echo "kill $i: differs" >> "$TMP/kill.log"; }
	"$SVCBILL" verify --out "$TMP/k" >/dev/null || bad=$((bad + 1))
done
check_eq "30 kills: archive kept, next run identical to an uninterrupted one ($ms ms run)" "$bad" 0

# A torn last register row and orphan lines rows (a run killed between
# its two appends) are cut, and the run completes as if never interrupted.
rm -rf "$TMP/t"
cp -r "$TMP/before" "$TMP/t"
tail -n 3 "$TMP/ref/lines.csv" >> "$TMP/t/lines.csv"
printf 'INV-202612-0001,2026-12,K00' >> "$TMP/t/register.csv"
"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/t" --quiet \
	>/dev/null 2>"$TMP/torn.err"
check "torn rows repaired, then the run completes identically" same "$TMP/t"
check "repair is reported" grep -q "incomplete last row" "$TMP/torn.err"

# A full disk at every stage of the run: exit 74, nothing archived lost,
# and the run after the disk is freed completes identically.
bad=0
n=0
for after in 0 1 2 3 5 8 13 21 40 80 150 300 600 1000 1500; do
	rm -rf "$TMP/f"
	cp -r "$TMP/before" "$TMP/f"
	FAILIO_AFTER=$after LD_PRELOAD="$ROOT/build/failio.so" "$SVCBILL" run \
		--data "$TMP/data" --period 2026-12 --out "$TMP/f" --quiet \
		>/dev/null 2>"$TMP/enospc.err"
	rc=$?
	[ $rc -eq 0 ] && break
	n=$((n + 1))
	[ $rc -eq 74 ] || { bad=$((bad + 1)); echo "after $after: exit $rc"; }
	grep -q "No space left on device" "$TMP/enospc.err" || bad=$((bad + 1))
	unchanged "$TMP/f" || bad=$((bad + 1))
	cmp -s "$TMP/before/register.csv" "$TMP/f/register.csv" || bad=$((bad + 1))
	cmp -s "$TMP/before/lines.csv" "$TMP/f/lines.csv" || bad=$((bad + 1))
	ls -a "$TMP/f/2026-12/invoices" 2>/dev/null | grep -q '\.tmp$' && bad=$((bad + 1))
	"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/f" \
		--quiet >/dev/null 2>&1
	same "$TMP/f" || bad=$((bad + 1))
done
check_eq "disk full at $n points: exit 74, archive kept, then completed" "$bad" 0
check "the shim does fail writes" test "$n" -ge 10

# Read-only archive folder: exit 74 (a place that cannot be written, as
# for a read-only disk below), nothing changed.  Root writes anyway, so as
# root (how CI runs) the run is made as nobody, on a copy nobody owns
# (svcbill refuses an archive of another user), in a folder nobody can
# reach.
RO=$(mktemp -d /tmp/svcbill-ro.XXXXXX)
chmod 755 "$RO"
cp -r "$TMP/before" "$RO/out"
cp -r "$TMP/data" "$RO/data"
cp "$SVCBILL" "$RO/svcbill"
chmod -R a+rX "$RO/data"
as=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chown -R 65534:65534 "$RO/out"
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
# the program must be able to start as nobody at all (a chroot whose
# libraries nobody may read cannot run this check): say so, never pass
if [ -n "$as" ] && ! why=$($as "$RO/svcbill" --version 2>&1 >/dev/null); then
	skip "read-only folder" "the program cannot start as nobody here: $why"
elif [ "$(id -u)" = 0 ] && [ -z "$as" ]; then
	skip "read-only folder" "root writes anyway and setpriv is missing"
else
	chmod -R a-w "$RO/out"
	# shellcheck disable=SC2086
	check_status "read-only archive folder: exit 74" 74 $as "$RO/svcbill" run \
		--data "$RO/data" --period 2026-12 --out "$RO/out"
	check "read-only archive folder unchanged" diff -r "$TMP/before" "$RO/out"
fi
chmod -R u+w "$RO"
rm -rf "$RO"

# Two runs at once on one archive: exactly one proceeds, the other exits
# 75 naming the first.  The first is held (the shim) once it has the
# lock, when it opens the register, until the second has ended: not a
# race the first could win by finishing within a sleep (it did, on a
# fast machine: both exited 0)
# held_run DATA TEXT: a run of 2026-12 on a copy of before at $TMP/c, in
# the background (its pid p1), held by the shim when it first opens a
# path containing TEXT, until $TMP/go exists; returns once it holds the
# archive's lock
held_run() {
	rm -rf "$TMP/c" "$TMP/go" "$TMP/go2"
	cp -r "$TMP/before" "$TMP/c"
	FAILIO_PAUSE="$2|$TMP/go" LD_PRELOAD="$ROOT/build/failio.so" \
		"$SVCBILL" run --data "$1" --period 2026-12 --out "$TMP/c" \
		--quiet >/dev/null 2>"$TMP/c1.err" &
	p1=$!
	i=0
	while ! grep -q "^pid $p1 " "$TMP/c/.lock" 2>/dev/null &&
	      [ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
held_run "$TMP/data" register.csv
"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/c" --quiet \
	>/dev/null 2>"$TMP/c2.err"
rc2=$?
touch "$TMP/go"
wait $p1
rc1=$?
check_eq "two runs at once: the first proceeds, the second exits 75" \
	"$rc1 $rc2" "0 75"
check "the refused run names the holder" grep -q \
	"in use by another run (pid [0-9]* since" "$TMP/c1.err" "$TMP/c2.err"
check "the archive is the reference" same "$TMP/c"

# The same with .lock removed while the first is held after its read, at
# its first invoice (by someone clearing what looks like a stale lock),
# the first billing other rates.  The second locks a new file and draws
# the period, and is held before it names its documents; the first,
# released, draws its own and finds that the lock it holds is no longer
# the archive's: it writes nothing (exit 75) and takes away only its own
# temporaries; the second, released, names its own documents, not the
# first's: the period is billed once, as the reference.
rm -rf "$TMP/data2"
cp -r "$TMP/data" "$TMP/data2"
sed -i 's/,desktop,30/,desktop,35/' "$TMP/data2/rates.csv"
held_run "$TMP/data2" .INV-202612-0001.
rm "$TMP/c/.lock"
FAILIO_PAUSE=".summary.pdf.|$TMP/go2" LD_PRELOAD="$ROOT/build/failio.so" \
	"$SVCBILL" run --data "$TMP/data" --period 2026-12 --out "$TMP/c" --quiet \
	>/dev/null 2>"$TMP/c2.err" &
p2=$!
i=0
while ! ls -a "$TMP/c/2026-12/invoices" 2>/dev/null | grep -q '\.tmp$' && [ $i -lt 600 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 1                          # (the second's workers draw its invoices)
touch "$TMP/go"
wait $p1
rc1=$?
touch "$TMP/go2"
wait $p2
rc2=$?
check_eq ".lock removed under a run: the second bills, the first exits 75" \
	"$rc1 $rc2" "75 0"
check "... saying why" grep -q "\.lock was removed or replaced while this run held it" "$TMP/c1.err"
check "... the archive is the reference (one set of numbers)" same "$TMP/c"
check_status "... verify: the archive holds" 0 "$SVCBILL" verify --out "$TMP/c"

# A real full disk and a read-only archive (a small tmpfs; needs root and
# mount, which CI has).
M=$TMP/mnt
mkdir -p "$M"
if mount -t tmpfs -o size=160k tmpfs "$M" 2>/dev/null; then
	"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 --out "$TMP/basicref" --quiet >/dev/null
	"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 \
		--out "$M/out" --quiet >/dev/null 2>"$TMP/full.err"
	check_eq "full tmpfs: exit 74" "$?" 74
	check_eq "full tmpfs: no register row written" \
		"$(cat "$M/out/register.csv" 2>/dev/null | tr -d '\r' | tail -n +2 | wc -l)" 0
	check "full tmpfs: no temporary left" sh -c "! find '$M/out' -name '*.tmp' | grep -q ."
	mount -o remount,size=4m "$M"
	"$SVCBILL" run --data "$ROOT/samples/basic" --period 2026-12 \
		--out "$M/out" --quiet >/dev/null 2>&1
	check "after space is freed the run completes identically" \
		diff -r -x .lock "$TMP/basicref" "$M/out"
	cp -r "$M/out" "$TMP/ro-before"
	mount -o remount,ro "$M"
	check_status "read-only archive: exit 74" 74 "$SVCBILL" run \
		--data "$ROOT/samples/basic" --period 2027-01 --out "$M/out"
	check "read-only archive unchanged" diff -r -x .lock "$TMP/ro-before" "$M/out"
	umount "$M"
else
	skip "tmpfs tests" "mount is not allowed here"
fi
