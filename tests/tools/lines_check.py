#!/usr/bin/env python3
"""Do the lines multiply out?  (SPEC §4, §5.1)

    lines_check.py ARCHIVE [PDF...]

For every row of ARCHIVE/lines.csv that has a qty and a unit price:
round(qty x unit price) = amount, in exact decimals with halves away from
zero, and qty and unit price written as SPEC §4 says (2 to 8 decimals, no
trailing zeros beyond what is needed for the unit price).  A qty of 8
decimals may miss by 0.01 at most (SPEC: the rare line that no 8 decimals
match).

Then, for each PDF given (invoices and credit notes of the archive), the
lines table is read back from the PDF's text (pdftotext -bbox: words with
their positions, so the columns are the ones printed) and each printed
line's qty, unit price and amount must be those of lines.csv for that
invoice, and multiply out as printed.

Prints one summary line; exits 1 naming every line that fails.  Written
independently of svcbill's code: Python's decimal module does the sums.
"""
import csv
import html
import os
import re
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_UP

DEC = re.compile(r"^-?[0-9]+\.[0-9]{2,8}$")
AMOUNT = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}$")
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" '
                  r'xMax="([0-9.]+)" yMax="([0-9.]+)">(.*?)</word>')

# the invoice's lines table, points from the left edge of the page
# (doc_invoice.c's columns: No. 26, description, qty 44, price 72, ...)
COL_NO = (42.0, 68.0)
COL_QTY = (313.2, 357.2)
COL_PRICE = (357.2, 429.2)
COL_AMOUNT = (429.2, 513.2)


def rounded(v):
    """round() of SPEC §3.6: to the fen, halves away from zero."""
    return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def decimals(s):
    return len(s.split(".")[1])


def check_product(where, qty, price, amount, errors):
    """qty x price = amount (strings as written)."""
    if not DEC.match(qty) or not DEC.match(price):
        errors.append(f"{where}: qty '{qty}' or price '{price}' not "
                      "written with 2 to 8 decimals")
        return False
    got = rounded(Decimal(qty) * Decimal(price))
    want = Decimal(amount.replace(",", ""))
    if got == want:
        return True
    if decimals(qty) == 8 and abs(got - want) <= Decimal("0.01"):
        return True
    errors.append(f"{where}: {qty} x {price} = {got}, amount {want}")
    return False


def read_lines(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def in_col(x_max, col):
    return col[0] < x_max <= col[1] + 0.5


def pdf_rows(pdf):
    """(line_no, qty, price, amount) of each row of the lines table."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    rows = []
    for page in out.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in WORD.findall(page)]
        if any(w[4] == "托管设备清单" for w in words):
            break                       # the device appendix
        for x0, y0, x1, y1, t in words:
            if not (re.fullmatch(r"[0-9]+", t) and in_col(x1, COL_NO)
                    and x0 >= COL_NO[0] - 0.5):
                continue
            line = [w for w in words if abs(w[3] - y1) < 1.0]

            def col(c):
                v = [w[4] for w in line if in_col(w[2], c)
                     and w[0] > c[0] - 0.5]
                return v[0] if len(v) == 1 else ""
            amount = col(COL_AMOUNT)
            if AMOUNT.match(amount):
                rows.append((int(t), col(COL_QTY), col(COL_PRICE), amount))
    return rows


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    errors = []
    by_inv = {}
    checked = missed = 0
    for r in read_lines(os.path.join(root, "lines.csv")):
        by_inv.setdefault(r["invoice_no"], {})[int(r["line_no"])] = r
        where = f"lines.csv {r['invoice_no']} line {r['line_no']}"
        if r["unit_price"]:
            if not r["qty"]:
                errors.append(f"{where}: a unit price without a qty")
                continue
            checked += 1
            check_product(where, r["qty"], r["unit_price"], r["amount"],
                          errors)
            if decimals(r["qty"]) == 8:
                missed += 1
            p = r["unit_price"]
            # fewest decimals: no zero to drop beyond the 2nd, unless the
            # price was rounded at 4 (then it has at most 4)
            if decimals(p) > 2 and p.endswith("0"):
                errors.append(f"{where}: unit price {p} has a trailing zero")
    pdf_lines = 0
    for pdf in sys.argv[2:]:
        number = os.path.basename(pdf)[:-4]
        want = by_inv.get(number, {})
        got = pdf_rows(pdf)
        seen = set()
        for no, qty, price, amount in got:
            where = f"{pdf} line {no}"
            r = want.get(no)
            if r is None:
                errors.append(f"{where}: no such line in lines.csv")
                continue
            seen.add(no)
            pdf_lines += 1
            if (qty, price, amount.replace(",", "")) != \
                    (r["qty"], r["unit_price"], r["amount"]):
                errors.append(f"{where}: prints {qty} x {price} = {amount}, "
                              f"lines.csv has {r['qty']} x "
                              f"{r['unit_price']} = {r['amount']}")
            elif price:
                check_product(where + " (PDF)", qty, price, amount, errors)
        lost = sorted(set(want) - seen)
        if lost:
            errors.append(f"{pdf}: lines {lost} not found in the PDF text")
    for e in errors[:40]:
        print(e)
    print(f"{checked} lines.csv lines with qty x unit price ({missed} at 8 "
          f"decimals), {pdf_lines} PDF lines compared, {len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
