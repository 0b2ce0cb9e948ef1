# verify on the archive a run left: no problem, exit 0
svcbill run --data samples/basic --period 2026-12 --out out --jobs 1 >/dev/null
svcbill verify --out out
