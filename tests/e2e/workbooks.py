#!/usr/bin/python3
"""Reads svcbill's workbooks back with an independent reader (Debian's
python3-openpyxl) and checks them against the CSV files of the archive.

usage: workbooks.py summary ARCHIVE PERIOD ISSUE_DATE PAYMENTS_CSV
       workbooks.py fapiao  ARCHIVE PERIOD DATA_DIR  (UTF-8 input files)
       workbooks.py noformula XLSX...

Prints one "PASS name" or "FAIL name: why" line per check.  Expected
values come from the CSV files (summary.csv, lines.csv, register.csv and
the input files), never from the workbooks themselves."""
import csv
import os
import datetime
import re
import sys
import zipfile
from collections import defaultdict
from decimal import Decimal

import openpyxl

failed = 0


def check(name, ok, why=""):
    global failed
    if ok:
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))


def unguard(s):
    """The CSV formula guard: a leading ' before =+-@ tab CR."""
    if len(s) > 1 and s[0] == "'" and s[1] in "=+-@\t\r":
        return s[1:]
    return s


# the Chinese headers of the input files the tests read (SPEC §2.4)
ALIAS = {"客户编号": "client_id", "客户名称": "name_zh", "纳税人识别号": "tax_id",
         "项目类别": "kind", "税收分类编码": "tax_code", "项目名称": "item_name",
         "单位": "unit", "项目": "description_zh", "类别": "category",
         "发票号": "invoice_no", "账单号": "invoice_no", "付款日期": "paid_on",
         "金额": "amount"}


def read_csv(path):
    if path.endswith(("/lines.csv", "/register.csv")) and not os.path.exists(path):
        return []     # an archive that never billed anything
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = [ALIAS.get(h, h.lower()) for h in rows[0]]
    return [dict(zip(head, [unguard(v) for v in r])) for r in rows[1:]]


def excel_text(v):
    """A text cell as Excel shows it.  openpyxl 3.0 turns the escaped
    underscore _x005F_ back into "_" but leaves the other _xHHHH_ runs,
    which libxlsxwriter writes for control characters (a CR is _x000D_):
    those are decoded here."""
    if not isinstance(v, str):
        return v
    return re.sub(r"_x(00[01][0-9A-Fa-f])_", lambda m: chr(int(m.group(1), 16)), v)


def fen(v):
    return int((Decimal(repr(v)) * 100).to_integral_value())


def cell_eq(cell, want, kind):
    """(ok, why) for one cell against the CSV text want."""
    if want == "":
        return cell.value is None, "want an empty cell, got %r" % (cell.value,)
    if kind == "text":
        ok = cell.data_type == "s" and excel_text(cell.value) == want
        return ok, "want text %r, got %r (%s)" % (want, cell.value, cell.data_type)
    if kind == "date":
        ok = cell.is_date and cell.value.date().isoformat() == want
        return ok, "want date %s, got %r (format %s)" % (want, cell.value, cell.number_format)
    if kind in ("money", "decimals", "plain", "int"):
        fmt = {"money": "#,##0.00", "decimals": "#,##0.00######",
               "plain": "General", "int": "0"}[kind]
        ok = (cell.data_type == "n" and isinstance(cell.value, (int, float))
              and Decimal(repr(cell.value)) == Decimal(want)
              and cell.number_format == fmt)
        return ok, "want number %s (%s), got %r (%s, %s)" % (
            want, fmt, cell.value, cell.data_type, cell.number_format)
    raise ValueError(kind)


def check_sheet(ws, name, heads, rows, kinds, label):
    """heads: header rows; rows: list of lists of CSV texts."""
    nh = len(heads)
    got_heads = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=nh)]
    check(label + ": sheet name and headers", ws.title == name and got_heads == heads,
          "%r %r" % (ws.title, got_heads))
    last_col = openpyxl.utils.get_column_letter(len(heads[0]))
    check(label + ": header frozen", ws.freeze_panes == "A%d" % (nh + 1),
          str(ws.freeze_panes))
    check(label + ": autofilter over header and rows",
          ws.auto_filter.ref == "A%d:%s%d" % (nh, last_col, nh + max(len(rows), 0)),
          str(ws.auto_filter.ref))
    check(label + ": one row per CSV row", ws.max_row == nh + len(rows),
          "%d rows, want %d" % (ws.max_row - nh, len(rows)))
    bad = []
    for i, want in enumerate(rows):
        cells = list(ws.iter_rows(min_row=nh + 1 + i, max_row=nh + 1 + i,
                                  max_col=len(kinds)))[0]
        for c, w, k in zip(cells, want, kinds):
            ok, why = cell_eq(c, w, k)
            if not ok:
                bad.append("%s: %s" % (c.coordinate, why))
    check(label + ": every cell's value, type and format (%d rows)" % len(rows),
          not bad, "; ".join(bad[:5]))
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
              for i in range(len(kinds))]
    check(label + ": column widths set (8 to 63)",
          all(w and 8 <= w <= 63 for w in widths), str(widths))


def summary(archive, period, issued, payments_csv):
    wb = openpyxl.load_workbook("%s/%s/summary.xlsx" % (archive, period))
    check("summary.xlsx: sheet names", wb.sheetnames == ["账单 Invoices", "明细 Lines", "逾期 Overdue"],
          str(wb.sheetnames))
    summ = read_csv("%s/%s/summary.csv" % (archive, period))
    summ.sort(key=lambda r: r["invoice_no"].encode())
    cols = ["invoice_no", "contract_id", "client_id", "client_name", "type",
            "net", "tax", "gross", "due_date", "status"]
    kinds = ["text"] * 5 + ["money"] * 3 + ["date", "text"]
    heads = [["账单号", "合同编号", "客户编号", "客户名称", "合同类型", "不含税金额", "税额",
              "价税合计", "到期日", "状态"],
             ["Invoice no.", "Contract", "Client id", "Client name", "Contract type",
              "Net", "Tax", "Gross", "Due date", "Status"]]
    check_sheet(wb["账单 Invoices"], "账单 Invoices", heads,
                [[r[c] for c in cols] for r in summ], kinds, "summary.xlsx 账单 Invoices")

    numbers = {r["invoice_no"] for r in summ}
    lines = [r for r in read_csv("%s/lines.csv" % archive) if r["invoice_no"] in numbers]
    lines.sort(key=lambda r: (r["invoice_no"].encode(), int(r["line_no"])))
    lcols = ["invoice_no", "line_no", "kind", "contract_id", "device_id", "record_id",
             "cycle_start", "cycle_end", "description_zh", "description_en", "qty",
             "unit_price", "amount", "tax_pct"]
    lkinds = ["text", "int", "text", "text", "text", "text", "date", "date", "text",
              "text", "decimals", "decimals", "money", "plain"]
    lheads = [["账单号", "行号", "类别", "合同编号", "产品编号", "单号", "周期开始", "周期结束",
               "项目", "英文项目", "数量", "单价", "金额", "税率%"],
              ["Invoice no.", "Line", "Kind", "Contract", "Device", "Service record",
               "Cycle start", "Cycle end", "Description", "Description (English)", "Qty",
               "Unit price", "Amount", "Tax %"]]
    check_sheet(wb["明细 Lines"], "明细 Lines", lheads,
                [[r[c] for c in lcols] for r in lines], lkinds, "summary.xlsx 明细 Lines")

    # overdue on the issue date, worked out from register.csv and payments.csv
    reg = read_csv("%s/register.csv" % archive)
    state = {}
    for r in reg:
        state[r["invoice_no"]] = r
    paid = defaultdict(int)
    for p in read_csv(payments_csv):
        if p["paid_on"] <= issued:
            paid[p["invoice_no"]] += int(Decimal(p["amount"].replace(",", "")) * 100)
    want = []
    for no, r in state.items():
        gross = int(Decimal(r["gross"]) * 100)
        if r["status"] != "issued" or r["due_date"] >= issued or gross - paid[no] <= 0:
            continue
        days = (datetime.date.fromisoformat(issued) -
                datetime.date.fromisoformat(r["due_date"])).days
        want.append((r["period"], no, r["client_id"], r["due_date"], str(days),
                     "%.2f" % (gross / 100), "%.2f" % (paid[no] / 100),
                     "%.2f" % ((gross - paid[no]) / 100)))
    want.sort(key=lambda w: (w[0], w[1].encode()))
    names = {r["client_id"]: r["client_name"] for r in summ}
    oheads = [["账单号", "客户编号", "客户名称", "到期日", "逾期天数", "价税合计", "已付", "未付金额"],
              ["Invoice no.", "Client id", "Client name", "Due date", "Days overdue",
               "Gross", "Paid", "Outstanding"]]
    ws = wb["逾期 Overdue"]
    rows = [[w[1], w[2], names.get(w[2], ws.cell(row=3 + i, column=3).value or ""),
             w[3], w[4], w[5], w[6], w[7]] for i, w in enumerate(want)]
    check_sheet(ws, "逾期 Overdue", oheads, rows,
                ["text", "text", "text", "date", "int", "money", "money", "money"],
                "summary.xlsx 逾期 Overdue (%d overdue)" % len(want))
    return lines


def fapiao(archive, period, data):
    items_csv, charges_csv = data + "/fapiao_items.csv", data + "/charges.csv"
    wb = openpyxl.load_workbook("%s/%s/fapiao.xlsx" % (archive, period))
    check("fapiao.xlsx: sheet names", wb.sheetnames == ["1-发票基本信息", "2-发票明细信息"],
          str(wb.sheetnames))
    h1 = ["发票流水号", "发票类型", "是否含税", "购买方名称", "购买方纳税人识别号", "购买方地址",
          "购买方电话", "购买方开户银行", "购买方银行账号", "备注"]
    h2 = ["发票流水号", "项目名称", "商品和服务税收编码", "规格型号", "单位", "数量", "单价", "金额",
          "税率", "折扣金额"]
    s1, s2 = wb["1-发票基本信息"], wb["2-发票明细信息"]
    check("fapiao.xlsx: headers", [c.value for c in s1[1]] == h1 and
          [c.value for c in s2[1]] == h2, "%r %r" % ([c.value for c in s1[1]], [c.value for c in s2[1]]))
    basic = [dict(zip(h1, [c.value for c in r])) for r in s1.iter_rows(min_row=2)]
    detail = [dict(zip(h2, r)) for r in s2.iter_rows(min_row=2)]

    reg = read_csv("%s/register.csv" % archive)
    state = {}
    for r in reg:
        state[r["invoice_no"]] = r
    issued = sorted((no for no, r in state.items()
                     if r["period"] == period and r["status"] == "issued"),
                    key=lambda s: s.encode())
    lines = defaultdict(list)
    for l in read_csv("%s/lines.csv" % archive):
        lines[l["invoice_no"]].append(l)

    def net_by_rate(no):
        d = defaultdict(int)
        for l in lines[no]:
            d[Decimal(l["tax_pct"])] += int(Decimal(l["amount"]) * 100)
        return d

    blue = [no for no in issued if all(v >= 0 for v in net_by_rate(no).values())]
    left_out = [no for no in issued if no not in blue]
    got = [b["发票流水号"] for b in basic]
    check("fapiao.xlsx: one basic row per issued invoice of the period, credit notes "
          "and negative ones left out (%d, %d left out)" % (len(blue), len(left_out)),
          got == blue, "got %r want %r" % (got, blue))
    clients = {c["client_id"]: c for c in read_csv(data + "/clients.csv")}
    bad = [b["发票流水号"] for b in basic
           if b["购买方名称"] != clients[state[b["发票流水号"]]["client_id"]]["name_zh"]
           or (b["购买方纳税人识别号"] or "") ==
           "" != clients[state[b["发票流水号"]]["client_id"]]["tax_id"]]
    check("fapiao.xlsx: buyer name and tax id from clients.csv", not bad, str(bad))
    linked = {d["发票流水号"].value for d in detail}
    check("fapiao.xlsx: the sheets are linked by 发票流水号",
          linked == set(blue) and all(b["发票类型"] == "普通发票" and b["是否含税"] == "否"
                                      for b in basic), "%r vs %r" % (linked, blue))

    items = {r["kind"]: r for r in read_csv(items_csv)}
    goods_desc = {c["description_zh"] for c in read_csv(charges_csv)
                  if c.get("category", "") in ("goods", "货物")}
    bad_sum, bad_qp, bad_code, bad_rate, bad_fold = [], [], [], [], []
    for no in blue:
        rows = [d for d in detail if d["发票流水号"].value == no]
        # Σ 金额 − Σ 折扣金额 per rate = the net at that rate (lines.csv)
        got = defaultdict(int)
        for d in rows:
            rate = Decimal(repr(d["税率"].value))
            disc = fen(d["折扣金额"].value) if d["折扣金额"].value is not None else 0
            if disc < 0 or disc > fen(d["金额"].value):
                bad_sum.append("%s: discount %s on %s" % (no, disc, d["金额"].value))
            got[rate * 100] += fen(d["金额"].value) - disc
        want = {k: v for k, v in net_by_rate(no).items()}
        if {k.normalize(): v for k, v in got.items()} != {k.normalize(): v for k, v in want.items()}:
            bad_sum.append("%s: %r != %r" % (no, dict(got), want))
        # 数量 × 单价 = 金额 within 0.01
        for d in rows:
            q, p = d["数量"].value, d["单价"].value
            if (q is None) != (p is None):
                bad_qp.append("%s: only one of qty and price" % no)
            elif q is not None and abs(Decimal(repr(q)) * Decimal(repr(p)) -
                                       Decimal(repr(d["金额"].value))) > Decimal("0.01"):
                bad_qp.append("%s: %s x %s != %s" % (no, q, p, d["金额"].value))
        # codes and names from fapiao_items.csv, by the kind of each
        # positive line, in line order
        want_items = []
        for l in lines[no]:
            if int(Decimal(l["amount"]) * 100) <= 0:
                continue
            k = l["kind"]
            if k == "charge":
                k = "charge_goods" if l["description_zh"] in goods_desc else "charge_service"
            it = items.get(k)
            want_items.append((it["item_name"] if it else None, it["tax_code"] if it else None,
                               Decimal(l["amount"]), Decimal(l["tax_pct"]) / 100))
        # the folding rule of SPEC §5.5, written out again: a negative
        # line goes to the preceding positive line of its rate, then the
        # following ones, then (only if still left) the earlier ones
        pos = [i for i, l in enumerate(lines[no]) if Decimal(l["amount"]) > 0]
        disc = {i: 0 for i in pos}
        for i, l in enumerate(lines[no]):
            left = -int(Decimal(l["amount"]) * 100)
            if left <= 0:
                continue
            same = [j for j in pos if lines[no][j]["tax_pct"] == l["tax_pct"]]
            before = [j for j in same if j < i]
            order = before[-1:] + [j for j in same if j > i] + before[-2::-1]
            for j in order:
                take = min(left, int(Decimal(lines[no][j]["amount"]) * 100) - disc[j])
                disc[j] += take
                left -= take
        want_disc = [disc[i] for i in pos]
        got_disc = [fen(d["折扣金额"].value) if d["折扣金额"].value is not None else 0
                    for d in rows]
        if want_disc != got_disc:
            bad_fold.append("%s: %r != %r" % (no, got_disc, want_disc))
        got_items = [(d["项目名称"].value, d["商品和服务税收编码"].value,
                      Decimal(repr(d["金额"].value)), Decimal(repr(d["税率"].value)))
                     for d in rows]
        if got_items != want_items:
            bad_code.append("%s: %r != %r" % (no, got_items[:3], want_items[:3]))
        for d in rows:
            if d["商品和服务税收编码"].value is not None and d["商品和服务税收编码"].data_type != "s":
                bad_rate.append("%s: tax code not text" % no)
            if d["税率"].data_type != "n":
                bad_rate.append("%s: rate not a number" % no)
    check("fapiao.xlsx: per invoice and rate, Σ 金额 − Σ 折扣金额 = net at that rate",
          not bad_sum and blue, "; ".join(bad_sum[:4]))
    check("fapiao.xlsx: negative lines folded into 折扣金额 of the preceding positive line "
          "of their rate, then the following ones (%d discounts)" %
          sum(1 for d in detail if d["折扣金额"].value), not bad_fold, "; ".join(bad_fold[:2]))
    check("fapiao.xlsx: 数量 × 单价 = 金额 within 0.01", not bad_qp, "; ".join(bad_qp[:4]))
    check("fapiao.xlsx: 项目名称, 税收编码, 金额, 税率 (a fraction) line by line from "
          "lines.csv and fapiao_items.csv", not bad_code, "; ".join(bad_code[:2]))
    check("fapiao.xlsx: codes are text, rates numbers", not bad_rate, "; ".join(bad_rate[:4]))
    print("LEFTOUT " + " ".join(left_out))


def noformula(paths):
    for p in paths:
        with zipfile.ZipFile(p) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            has_f = [n for n in sheets if b"<f>" in z.read(n) or b"<f " in z.read(n)]
            check("%s: no formula anywhere (%d sheets)" % (p.rsplit("/", 1)[1], len(sheets)),
                  not has_f, str(has_f))
            core = z.read("docProps/core.xml").decode()
            dates = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
            stamps = {i.date_time for i in z.infolist()}
            check("%s: docProps dates are the issue date, zip entries 1980-01-01" %
                  p.rsplit("/", 1)[1],
                  len(dates) == 2 and all(d.endswith("T00:00:00Z") for d in dates)
                  and stamps == {(1980, 1, 1, 0, 0, 0)}, "%r %r" % (dates, stamps))


def texts(path, sheet, wanted):
    """Each wanted text is a text cell of the sheet, exactly."""
    ws = openpyxl.load_workbook(path)[sheet]
    if sheet == "texts":     # build/xlsx_texts: one text per row, in order
        got = [(excel_text(c.value), c.data_type) for (c,) in ws.iter_rows(min_row=3)]
        for w, g in zip(wanted, got):
            check("text %r written through xlsx_sheet stays a text cell" % w,
                  g == (w, "s"), repr(g))
        check("every text written", len(got) == len(wanted), "%d of %d" % (len(got), len(wanted)))
        return
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                cells.setdefault(excel_text(c.value) if c.data_type == "s" else None, c)
    for w in wanted:
        c = cells.get(w)
        check("hostile text %r stays a text cell" % w, c is not None and c.data_type == "s",
              "not found as text" if c is None else c.data_type)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "summary":
        summary(*sys.argv[2:6])
    elif cmd == "fapiao":
        fapiao(*sys.argv[2:5])
    elif cmd == "noformula":
        noformula(sys.argv[2:])
    elif cmd == "texts":
        texts(sys.argv[2], sys.argv[3], sys.argv[4:])
    sys.exit(1 if failed else 0)
