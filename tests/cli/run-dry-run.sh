# run --dry-run on the sample: the summary line, nothing written
svcbill run --data samples/basic --period 2026-12 --dry-run
test ! -e out
