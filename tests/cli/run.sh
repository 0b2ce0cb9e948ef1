#!/bin/sh
# CLI golden files, as zstd's tests/cli-tests: each case tests/cli/NAME.sh
# is a short shell script; its exit status, standard output and standard
# error must equal NAME.exit, NAME.stdout.exact and NAME.stderr.exact.
#
#   sh tests/cli/run.sh [CASE...]           compare; one PASS/FAIL per case
#   sh tests/cli/run.sh --regen [CASE...]   rewrite the expected files
#   (make cli-golden is the second)
#
# A case runs with sh -e in a fresh scratch folder holding a copy of
# samples/ (so messages name `samples/...`, the same on every machine),
# with `svcbill` on PATH ($SVCBILL, default the built ./svcbill), LC_ALL
# C.UTF-8 and TZ UTC.  Regenerated files are not right because svcbill
# wrote them: read the diff (git diff tests/cli) against SPEC and the
# README before committing it.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SVCBILL=${SVCBILL:-$ROOT/svcbill}
regen=0
[ "$1" = --regen ] && { regen=1; shift; }
TMP=$(mktemp -d /tmp/svcbill-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/bin"
ln -s "$SVCBILL" "$TMP/bin/svcbill"
export LC_ALL=C.UTF-8 TZ=UTC PATH="$TMP/bin:$PATH"

if [ $# -gt 0 ]; then cases=$*; else
	cases=$(cd "$ROOT/tests/cli" && ls -- *.sh | grep -vx run.sh | sed 's/\.sh$//')
fi
for c in $cases; do
	t=$ROOT/tests/cli/$c
	[ -f "$t.sh" ] || { echo "FAIL cli $c: no such case"; continue; }
	w=$TMP/work.$c
	mkdir "$w"
	cp -r "$ROOT/samples" "$w/samples"
	(cd "$w" && sh -e "$t.sh" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null)
	echo $? > "$TMP/exit"
	rm -rf "$w"
	if [ $regen = 1 ]; then
		cp "$TMP/exit" "$t.exit"
		cp "$TMP/stdout" "$t.stdout.exact"
		cp "$TMP/stderr" "$t.stderr.exact"
		echo "regenerated $c (exit $(cat "$TMP/exit"))"
		continue
	fi
	bad=
	for f in exit stdout stderr; do
		want=$t.$f.exact
		[ $f = exit ] && want=$t.exit
		if ! cmp -s "$TMP/$f" "$want"; then
			bad="$bad $f"
			diff -u "$want" "$TMP/$f" | head -20 >&2
		fi
	done
	if [ -z "$bad" ]; then echo "PASS cli $c"; else
		echo "FAIL cli $c: differs in$bad"; fi
done
