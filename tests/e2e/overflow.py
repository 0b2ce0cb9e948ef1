#!/usr/bin/env python3
"""overflow.py PDF [TOKENS]: fails when a word lies outside the page
margins, two words on one line overlap (text running into the next
column), or a token is broken inside: its first part ends one line and
the rest starts the next line of the same column.  Tokens are dates
(2026-12-31), amounts (1,344.00) and, from the file TOKENS (one a line),
ids and serials."""
import html as H
import re
import subprocess
import sys

DATE = re.compile(r'\d{4}-\d{2}-\d{2}')
AMOUNT = re.compile(r'-?\d{1,3}(,\d{3})*\.\d{2}')

out = subprocess.run(['pdftotext', '-bbox', sys.argv[1], '-'], capture_output=True,
                     text=True, check=True).stdout
tokens = set()
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding='utf-8') as f:
        tokens = {t.strip() for t in f if len(t.strip()) >= 4}
bad = []
page = 0
words = []
for line in out.splitlines():
    if '<page ' in line:
        page += 1
    m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
    if not m:
        continue
    x0, y0, x1, y1 = map(float, m.groups()[:4])
    words.append((page, x0, y0, x1, y1, H.unescape(m.group(5))))
    if x0 < 42 - 1 or x1 > 595.276 - 42 + 1 or y1 > 841.89 - 20:
        bad.append('outside the margins on page %d: %s' % (page, m.group(5)))
# overlapping words on the same baseline
by_line = {}
for w in words:
    by_line.setdefault((w[0], round(w[4], 1)), []).append(w)
for key, ws in by_line.items():
    ws.sort(key=lambda w: w[1])
    for a, b in zip(ws, ws[1:]):
        if a[3] > b[1] + 0.5:
            bad.append('overlap on page %d: %r / %r' % (key[0], a[5], b[5]))


def whole(s):
    """s is a token, or holds one whole."""
    return DATE.fullmatch(s) or AMOUNT.fullmatch(s) or s in tokens


def broken(a, b):
    """a ends a line, b starts the next: is a token split between them?"""
    joined = a + b
    if DATE.fullmatch(joined) or AMOUNT.fullmatch(joined):
        return not (whole(a) and whole(b))
    for t in tokens:
        if t in joined and t not in a and t not in b:
            # the split falls inside t
            i = joined.find(t)
            if i < len(a) < i + len(t):
                return True
    return False


# a token broken inside: the last word of a line and the first word of
# the next line below it in the same column (left or right aligned)
for p in set(w[0] for w in words):
    ws = [w for w in words if w[0] == p]
    for a in ws:
        h = a[4] - a[2]
        for b in ws:
            if b is a or not (a[4] - 0.5 < b[2] < a[4] + h * 0.9):
                continue
            if abs(b[1] - a[1]) > 1.5 and abs(b[3] - a[3]) > 1.5 and \
                    not (b[1] < a[1] + 1.5 and a[3] < b[3] + 40):
                continue
            if broken(a[5], b[5]):
                bad.append('token broken on page %d: %r / %r' % (p, a[5], b[5]))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
