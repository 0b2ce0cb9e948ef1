# --version: the name and version, exit 0
svcbill --version
