#!/usr/bin/env python3
"""A payments.csv of some megabytes for test_payments_read.sh, and what
svcbill must say of it, worked out here with Python's csv module.

usage: bigpayments.py OUT.csv ENCODING EXPECTED.txt [zero]

Every row names an invoice no register has (so `svcbill check --out` on
an empty archive warns of each, naming its line and value), with a note
column svcbill does not know.  Rows are placed so that a character of
three bytes straddles the first MiB of the text, a quoted field's line
break the second, and a quoted invoice number holding a line break and
a doubled quote straddles the third; blank lines and rows of empty
fields are sprinkled between.  With `zero`, every 997th row pays 0,
which svcbill must refuse on that row's line instead."""
import csv
import io
import sys

out, encoding, expected = sys.argv[1], sys.argv[2], sys.argv[3]
zero = len(sys.argv) > 4 and sys.argv[4] == "zero"
MIB = 1 << 20

parts = ["invoice_no,paid_on,amount,note\r\n"]
size = len(parts[0].encode())


def add(text):
    global size
    parts.append(text)
    size += len(text.encode())


def pad_to(target):
    """A row ending so that the next begins at byte `target`."""
    head = "NOPE-PAD-%d,2026-01-05,1.00," % size
    room = target - size - len(head.encode()) - 2
    assert room >= 0
    add(head + "x" * room + "\r\n")


i = 0
specials = 0
while size < 3 * MIB + 50000:
    i += 1
    if specials == 0 and size > MIB - 300:
        # 发 at MIB-5..MIB-3, 票 at MIB-2..MIB: straddles the first MiB
        pad_to(MIB - 5)
        add("发票甲-%d,2026-02-01,12.34,备注 一\r\n" % i)
        specials += 1
        continue
    if specials == 1 and size > 2 * MIB - 300:
        # the CRLF inside the quoted note at 2 MiB
        head = "NOPE-Q-%d,2026-02-02,5.00,\"line one" % i
        pad_to(2 * MIB - len(head.encode()))
        add(head + "\r\nline two \"\"quoted\"\" 二\"\r\n")
        specials += 1
        continue
    if specials == 2 and size > 3 * MIB - 300:
        # a quoted invoice number holding CRLF and a doubled quote, its
        # line break at 3 MiB
        head = "\"NOPE-MULTI-%d" % i
        pad_to(3 * MIB - len(head.encode()))
        add(head + "\r\nsecond \"\"line\"\"\",2026-02-03,6.00,丙\r\n")
        specials += 1
        continue
    if i % 1009 == 0:
        add("\r\n")
    elif i % 1013 == 0:
        add(",,,\r\n")
    amount = "0" if zero and i % 997 == 0 else "%d.%02d" % (i % 5000 + 1, i % 100)
    note = "备注%d 付款" % i if i % 7 == 0 else "paid"
    add("NOPE-%06d,2026-%02d-%02d,%s,%s\r\n" % (i, i % 12 + 1, i % 28 + 1, amount, note))
assert specials == 3
text = "".join(parts)
with open(out, "wb") as f:
    f.write(text.encode(encoding))


def shown(v):
    return "".join("\\x%02X" % ord(c) if ord(c) < 0x20 or ord(c) == 0x7F else c
                   for c in v)


path = out
msgs = ["%s:1: warning: unknown columns ignored: 'note'" % path]
reader = csv.reader(io.StringIO(text, newline=""))
next(reader)
start = reader.line_num + 1
for rec in reader:
    if any(f.strip() for f in rec):
        if zero and rec[2] == "0":
            msgs.append("%s:%d: column 'amount': a payment must be more than 0 (value '0')" % (path, start))
        elif not zero:
            msgs.append("%s:%d: warning: column 'invoice_no': no such invoice in the register; payment not used (value '%s')" % (path, start, shown(rec[0])))
    start = reader.line_num + 1
with open(expected, "w", encoding="utf-8") as f:
    f.write("\n".join(msgs) + "\n")
