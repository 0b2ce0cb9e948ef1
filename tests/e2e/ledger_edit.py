#!/usr/bin/env python3
"""Edits a ledger file the way a person (or an attacker) would, for the
archive tests.  Reads and writes with Python's csv module (RFC 4180, as
SPEC §4 fixes the format), independently of svcbill's own reader.

usage: ledger_edit.py FILE OP [ARGS]
  set ROW COL VALUE   data row ROW (1-based), column COL (0-based)
  delete ROW | dup ROW | swap ROW (with ROW+1) | insert ROW (a copy of ROW
  with its invoice number changed, put before it)
  forge               append a copy of the last row as a new invoice
                      number, with a random but well-formed chain
  rechain             recompute every row's chain (a forger who knows
                      the rule): only a noted seal then tells
  rehash ROW LINES     recompute row ROW's content_sha256 from LINES
                      (SPEC §4's canonical content, written out here)
  chain               print the last row's chain as computed here
  rowstart ROW        print the byte offset where data row ROW starts"""
import csv
import hashlib
import io
import os
import sys

path, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
raw = open(path, 'rb').read()
rows = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
head, data = rows[0], rows[1:]


def chains(data):
    prev = '0' * 64
    out = []
    for r in data:
        prev = hashlib.sha256((prev + '\n' + ''.join(f + '\n' for f in r[:15]))
                              .encode('utf-8')).hexdigest()
        out.append(prev)
    return out


def renumber(no):
    return no[:-4] + '%04d' % (int(no[-4:]) + 50)


if op == 'set':
    data[int(args[0]) - 1][int(args[1])] = args[2]
elif op == 'delete':
    del data[int(args[0]) - 1]
elif op == 'dup':
    data.insert(int(args[0]), list(data[int(args[0]) - 1]))
elif op == 'swap':
    i = int(args[0]) - 1
    data[i], data[i + 1] = data[i + 1], data[i]
elif op == 'insert':
    r = list(data[int(args[0]) - 1])
    r[0] = renumber(r[0])
    data.insert(int(args[0]) - 1, r)
elif op == 'forge':
    r = list(data[-1])
    r[0] = renumber(r[0])
    r[15] = os.urandom(32).hex()
    data.append(r)
elif op == 'rechain':
    for r, c in zip(data, chains(data)):
        r[15] = c
elif op == 'rehash':
    r = data[int(args[0]) - 1]
    lraw = open(args[1], 'rb').read().decode('utf-8-sig')
    lines = [l for l in list(csv.reader(io.StringIO(lraw, newline='')))[1:]
             if l[0] == r[0]]
    text = ''.join('\x1f'.join(l[k] for k in (1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13))
                   + '\n' for l in lines)
    text += 'totals\x1f' + '\x1f'.join(r[k] for k in (7, 8, 9, 4, 5)) + '\n'
    r[12] = hashlib.sha256(text.encode('utf-8')).hexdigest()
elif op == 'chain':
    print(chains(data)[-1])
    sys.exit(0)
elif op == 'rowstart':
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\r\n')
    w.writerow(head)
    for r in data[:int(args[0]) - 1]:
        w.writerow(r)
    print(len(('\ufeff' + buf.getvalue()).encode('utf-8')))
    sys.exit(0)
else:
    sys.exit('unknown op ' + op)

buf = io.StringIO()
w = csv.writer(buf, lineterminator='\r\n')
w.writerow(head)
for r in data:
    w.writerow(r)
open(path, 'wb').write(('\ufeff' + buf.getvalue()).encode('utf-8'))
