# verify without an archive: exit 66
svcbill verify --out nowhere
