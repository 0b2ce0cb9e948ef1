#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Runs apt-get update first, as a fresh machine's package lists are empty.
# With --check, installs nothing: names what is missing and what to run.
check=0
[ "$1" = --check ] && { check=1; shift; }
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$check" = 1 ]; then
	echo "svcbill needs these Debian packages:$missing" >&2
	if [ "$(id -u)" = 0 ]; then
		echo "run: make deps    (or: make demo, make check: they install them)" >&2
	else
		echo "run: sudo make deps    (or: sudo apt-get install$missing)" >&2
	fi
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "svcbill needs these Debian packages:$missing" >&2
	echo "run: sudo apt-get install$missing" >&2
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq $missing >/dev/null
