# check on bad data: every problem as FILE:LINE: column 'NAME': ...,
# in file and line order, then exit 65 (samples/errors/EXPECTED.txt)
svcbill check --data samples/errors
