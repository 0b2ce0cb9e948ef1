# verify on an archive where an invoice PDF was changed after it was
# issued: the file named, exit 65
svcbill run --data samples/basic --period 2026-12 --out out --jobs 1 >/dev/null
printf x >> out/2026-12/invoices/INV-202612-0002.pdf
svcbill verify --out out
