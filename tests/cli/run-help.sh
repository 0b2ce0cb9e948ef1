# a command's --help: its own usage and options
svcbill run --help
