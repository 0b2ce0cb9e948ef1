#!/bin/sh
# The stages of src/ may only include headers from their own folder or a
# folder lower in the order below (src/README.md says why).  Prints one
# line per include that runs back up and exits 1 if any is not in the
# list of known back edges; the list may only shrink.
#
#   sh tests/tools/layers.sh [SRC_DIR]
src=${1:-src}
order="base read ledger bill plan docs pdf xlsx out cmd"

# Known back edges left from before the stages were folders, as
# "file -> included header"; each is removed with the code that fixes it.
known='
docs/layout.h -> pdf/fonts.h
'

rank() {
	i=0
	for s in $order; do
		[ "$s" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 99
}

bad=0
for f in "$src"/*/*.c "$src"/*/*.h; do
	rel=${f#"$src"/}
	stage=${rel%%/*}
	me=$(rank "$stage")
	[ "$me" = 99 ] && { echo "unknown stage folder: $rel"; bad=1; continue; }
	for inc in $(sed -n 's/^#include "\([a-z]*\)\/[^"]*".*/\1/p' "$f" | sort -u); do
		them=$(rank "$inc")
		[ "$them" -le "$me" ] && continue
		for h in $(sed -n "s/^#include \"\\($inc\\/[^\"]*\\)\".*/\\1/p" "$f"); do
			edge="$rel -> $h"
			if printf '%s\n' "$known" | grep -qxF "$edge"; then
				echo "known back edge: $edge"
			else
				echo "NEW back edge: $edge (stage $stage may not include $inc)"
				bad=1
			fi
		done
	done
done
exit $bad
