#!/usr/bin/env python3
"""overflow.py PDF: fails when a word lies outside the page margins or two
words on one line overlap (text running into the next column)."""
import re
import subprocess
import sys

html = subprocess.run(['pdftotext', '-bbox', sys.argv[1], '-'], capture_output=True,
                      text=True, check=True).stdout
bad = []
page = 0
words = []
for line in html.splitlines():
    if '<page ' in line:
        page += 1
    m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
    if not m:
        continue
    x0, y0, x1, y1 = map(float, m.groups()[:4])
    words.append((page, x0, y0, x1, y1, m.group(5)))
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
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
