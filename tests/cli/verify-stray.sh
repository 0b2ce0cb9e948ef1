# verify on an archive that gained a file its month's SHA256SUMS does
# not list: named, exit 65
svcbill run --data samples/basic --period 2026-12 --out out --jobs 1 >/dev/null
echo stray > out/2026-12/sheets/notes.pdf
svcbill verify --out out
