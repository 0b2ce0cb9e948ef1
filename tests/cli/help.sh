# --help: the usage of every command on stdout, exit 0
svcbill --help
