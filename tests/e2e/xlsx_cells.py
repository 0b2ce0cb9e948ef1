#!/usr/bin/python3
"""The text of a workbook's cells as its sheet XML holds it: what an
importer that reads the XML (the tax platform's) sees, not the number a
spreadsheet shows.  Read with zipfile and ElementTree only.

usage: xlsx_cells.py column XLSX SHEET KEY_HEADER KEY HEADER
           the texts of column HEADER (a first-row header) in the rows
           whose KEY_HEADER cell is KEY, space-separated, in row order
       xlsx_cells.py numbers XLSX...
           one line per number cell whose <v> is not the shortest decimal
           that reads back as its double, or has more decimals than its
           column may hold: 8 for a quantity or a unit price (数量, 单价;
           lines.csv's), 6 for a tax rate (税率 as a fraction, 税率% as a
           percent), 2 for the rest (money); nothing when all are
       xlsx_cells.py fen XLSX SHEET KEY_HEADER KEY HEADER
           as column, the values openpyxl reads, each as "F/100" when it
           is the double of F fen / 100, else as Python writes it
       xlsx_cells.py money XLSX SHEET HEADER...
           one line per cell of those columns whose value, read by
           openpyxl, is not a whole number of fen over 100"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from decimal import Decimal

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{%s}id" % NS["r"]


def sheets(path):
    """[(name, [(row, {column letters: (kind, text)})])], kind "n" for a
    number's <v> as written, "s" for a text."""
    z = zipfile.ZipFile(path)
    sst = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            sst.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        xml = ET.fromstring(z.read("xl/" + target[s.get(REL)]))
        rows = []
        for row in xml.find("m:sheetData", NS).findall("m:row", NS):
            cells = {}
            for c in row.findall("m:c", NS):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                v = c.find("m:v", NS)
                if c.get("t") == "s":
                    cells[col] = ("s", sst[int(v.text)])
                elif c.get("t") == "inlineStr":
                    cells[col] = ("s", "".join(t.text or "" for t in
                                               c.iter("{%s}t" % NS["m"])))
                elif v is not None:
                    cells[col] = ("n", v.text)
            rows.append((int(row.get("r")), cells))
        out.append((s.get("name"), rows))
    return out


def headers(rows):
    return {col: text for col, (_, text) in rows[0][1].items()}


def column(path, sheet, key_header, key, header):
    rows = dict(sheets(path))[sheet]
    h = {text: col for col, text in headers(rows).items()}
    got = [cells[h[header]][1] for _, cells in rows
           if cells.get(h[key_header], ("", ""))[1] == key and h[header] in cells]
    print(" ".join(got))


def decimals(text):
    e = Decimal(text).as_tuple().exponent
    return -e if e < 0 else 0


def numbers(paths):
    for path in paths:
        for name, rows in sheets(path):
            h = headers(rows)
            for r, cells in rows:
                for col, (kind, text) in cells.items():
                    if kind != "n":
                        continue
                    at = "%s %s!%s%d %s" % (path.rsplit("/", 1)[-1], name, col, r, text)
                    # Python's repr is the shortest round trip: the same
                    # decimal number, or the text is not the shortest
                    if Decimal(text) != Decimal(repr(float(text))):
                        print("not the shortest: " + at)
                    head = h.get(col, "")
                    most = 8 if head in ("数量", "单价") else \
                        6 if head in ("税率", "税率%") else 2
                    if decimals(text) > most:
                        print("more than %d decimals: %s" % (most, at))


def as_fen(v):
    f = round(v * 100)
    return "%d/100" % f if v == f / 100 else repr(v)


def fen(path, sheet, key_header, key, header):
    import openpyxl
    ws = openpyxl.load_workbook(path)[sheet]
    first = [c.value for c in ws[1]]
    k, i = first.index(key_header), first.index(header)
    print(" ".join(as_fen(row[i].value) for row in ws.iter_rows(min_row=2)
                   if row[k].value == key and row[i].value is not None))


def money(path, sheet, heads):
    import openpyxl
    ws = openpyxl.load_workbook(path)[sheet]
    first = [c.value for c in ws[1]]
    for head in heads:
        i = first.index(head)
        for row in ws.iter_rows(min_row=2):
            v = row[i].value
            if isinstance(v, (int, float)) and "/" not in as_fen(v):
                print("%s %s: %r is not fen / 100" % (sheet, row[i].coordinate, v))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "column":
        column(*args)
    elif mode == "numbers":
        numbers(args)
    elif mode == "fen":
        fen(*args)
    elif mode == "money":
        money(args[0], args[1], args[2:])
    else:
        sys.exit("usage: see the docstring")
