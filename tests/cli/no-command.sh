# no command: a usage error (64), the usage on stderr
svcbill
