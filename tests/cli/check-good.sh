# check on good data: nothing to say, exit 0
svcbill check --data samples/basic
