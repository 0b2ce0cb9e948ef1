#!/bin/sh
# Regenerates the LibreOffice exports from source.csv (not run by the
# tests, which use the committed files): a spreadsheet made from the UTF-8
# source, exported as UTF-8, GB18030, GBK (code page 936) and UTF-16
# "Unicode text" (tab-separated).  Needs libreoffice-calc-nogui.
set -e
cd "$(dirname "$0")"
T=$(mktemp -d)
cp source.csv "$T/"
soffice --headless --infilter="CSV:44,34,76,1" --convert-to ods --outdir "$T" "$T/source.csv"
cp "$T/source.ods" .
# LibreOffice's character set numbers: 76 UTF-8, 85 GB18030, 70 MS 936
# (GBK), 65535 UTF-16
for spec in utf8:44,34,76,1 gb18030:44,34,85,1 gbk:44,34,70,1 utf16:9,34,65535,1; do
	rm -rf "$T/x"
	soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):${spec#*:}" \
		--outdir "$T/x" source.ods
	cp "$T/x/source.csv" "clients-${spec%%:*}.csv"
done
rm -rf "$T"
