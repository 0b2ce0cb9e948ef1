#!/bin/sh
# The sample billed under valgrind: no memory errors, no leaks.
. "$(dirname "$0")/lib.sh"
if ! command -v valgrind >/dev/null; then
	fail "valgrind" "valgrind is not installed"
	exit 0
fi
check "sample run under valgrind: no errors, no leaks" valgrind \
	--error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --quiet "$SVCBILL" run \
	--data "$ROOT/samples/basic" --period 2026-12 --out "$TMP/out" \
	--jobs 1 --quiet
check "check on the error sample under valgrind" sh -c "valgrind \
	--error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --quiet '$SVCBILL' check \
	--data '$ROOT/samples/errors' >/dev/null 2>&1; [ \$? -eq 65 ]"
