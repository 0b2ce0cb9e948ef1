# a value that is not a month (64)
svcbill run --data samples/basic --period 2026-13
