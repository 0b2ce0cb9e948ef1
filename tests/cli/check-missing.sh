# a required input file missing: named, exit 66
rm samples/basic/devices.csv
svcbill check --data samples/basic
