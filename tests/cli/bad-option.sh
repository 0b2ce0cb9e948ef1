# an unknown option is named, with the nearest known one (64)
svcbill run --data samples/basic --perio 2026-12
