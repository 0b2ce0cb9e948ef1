#!/usr/bin/python3
"""The ReportLab peer of `make bench`: draws the invoices of a billed month
as svcbill lays them out, with the same embedded font, so that the CPU of
the two programs can be compared on the same documents.

usage: peer_reportlab.py FONT DATA ARCHIVE PERIOD OUTDIR

Reads the month's invoices from the archive's ledger (register.csv,
lines.csv: the amounts svcbill computed; the peer only draws) and the
issuer, clients, contracts and devices from DATA, and writes one PDF per
invoice into OUTDIR: A4, the issuer's block, the client and invoice
details, the VAT notice, the line table with every description in Chinese
and English wrapped to its column (the header row repeated on a new page),
net, tax by rate and total, the amount in Chinese capitals and in English,
the payment terms, the appendix of the contract's devices, and the page
number on every page.  Page content deflated and the font embedded as a subset
(ReportLab does both), as svcbill does.  What it does not do that svcbill
does: the record sheets, the summary, the workbooks, the ledger rows,
SHA-256 and fsync of each file; so the comparison favours the peer.

Written plainly with the canvas API (the fastest way ReportLab offers),
character widths cached, the font registered once per process: start-up
is included in what the benchmark measures, as it is for svcbill."""
import csv
import os
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT, DATA, ARCHIVE, PERIOD, OUT = sys.argv[1:6]
pdfmetrics.registerFont(TTFont('F', FONT, subfontIndex=0))
W, H = A4
M = 42.0                 # margin
widths = {}


def width(s, size):
    w = 0.0
    for ch in s:
        k = widths.get(ch)
        if k is None:
            k = widths[ch] = pdfmetrics.stringWidth(ch, 'F', 1000)
        w += k
    return w * size / 1000


def wrap(s, size, limit):
    """Greedy, by character (Chinese has no spaces); breaks English at a
    space when it can, as svcbill does."""
    out, line, lw, last_space = [], '', 0.0, -1
    for ch in s:
        cw = width(ch, size)
        if lw + cw > limit and line:
            if ch != ' ' and last_space > 0:
                out.append(line[:last_space])
                line = line[last_space + 1:]
            else:
                out.append(line)
                line = ''
            lw, last_space = width(line, size), -1
            if ch == ' ' and not line:
                continue
        if ch == ' ':
            last_space = len(line)
        line += ch
        lw += cw
    if line:
        out.append(line)
    return out


def table(name, key):
    with open(os.path.join(DATA, name), encoding='utf-8-sig', newline='') as f:
        rows = list(csv.DictReader(f))
    return rows if key is None else {r[key]: r for r in rows}


def ledger(name):
    with open(os.path.join(ARCHIVE, name), encoding='utf-8-sig', newline='') as f:
        return list(csv.DictReader(f))


DIGITS = '零壹贰叁肆伍陆柒捌玖'


def capitals(fen):
    """Chinese financial capitals (enough for a drawing workload)."""
    yuan, jiao, f = fen // 100, fen // 10 % 10, fen % 10
    s, units = '', ['', '拾', '佰', '仟']
    groups = []
    while True:
        groups.append(yuan % 10000)
        yuan //= 10000
        if not yuan:
            break
    for gi in range(len(groups) - 1, -1, -1):
        g, part, zero = groups[gi], '', False
        for p in range(3, -1, -1):
            d = g // 10 ** p % 10
            if d:
                part += ('零' if zero else '') + DIGITS[d] + units[p]
                zero = False
            elif part:
                zero = True
        if part:
            s += part + ['', '万', '亿'][gi]
    s = (s or '零') + '元'
    if jiao or f:
        s += (DIGITS[jiao] + '角' if jiao else '零') + (DIGITS[f] + '分' if f else '整')
    else:
        s += '整'
    return s


ONES = ('zero one two three four five six seven eight nine ten eleven twelve thirteen '
        'fourteen fifteen sixteen seventeen eighteen nineteen').split()
TENS = 'twenty thirty forty fifty sixty seventy eighty ninety'.split()


def english(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10 - 2] + ('-' + ONES[n % 10] if n % 10 else '')
    if n < 1000:
        return ONES[n // 100] + ' hundred' + (' ' + english(n % 100) if n % 100 else '')
    for div, word in ((10 ** 9, 'billion'), (10 ** 6, 'million'), (1000, 'thousand')):
        if n >= div:
            return english(n // div) + ' ' + word + (' ' + english(n % div) if n % div else '')
    return ''


def fen(s):
    neg = s.startswith('-')
    a, _, b = s.lstrip('-').partition('.')
    v = int(a.replace(',', '')) * 100 + int((b + '00')[:2])
    return -v if neg else v


def money(v):
    s = '{:,}.{:02d}'.format(abs(v) // 100, abs(v) % 100)
    return '-' + s if v < 0 else s


issuer = table('issuer.csv', None)[0]
clients = table('clients.csv', 'client_id')
contracts = table('contracts.csv', 'contract_id')
devices_of = {}
for d in table('devices.csv', None):
    devices_of.setdefault(d['contract_id'], []).append(d)
lines_of = {}
for ln in ledger('lines.csv'):
    lines_of.setdefault(ln['invoice_no'], []).append(ln)
TYPE = {'device_monthly': '按台月费 Monthly per device',
        'price_percent': '按原价比例 Percent of purchase price',
        'website': '网站维护 Website maintenance'}
COLS = [M, M + 30, W - M - 200, W - M - 130, W - M - 60, W - M - 20]   # x of columns
DESC = COLS[2] - COLS[1] - 16


class Doc:
    """A canvas with svcbill's page flow: a running y, a new page (with the
    invoice number and the table header) when the next block does not
    fit."""

    def __init__(self, path, number):
        self.c = canvas.Canvas(path, pagesize=A4, pageCompression=1,
                                  initialFontName='F', initialFontSize=9)
        self.c.setTitle('账单 Invoice ' + number)
        self.number, self.y = number, H - M

    def text(self, x, s, size=9, right=False):
        self.c.setFont('F', size)
        (self.c.drawRightString if right else self.c.drawString)(x, self.y, s)

    def need(self, h, header=None):
        if self.y - h < M + 30:
            self.footer()
            self.c.showPage()
            self.y = H - M
            self.text(M, '账单 INVOICE ' + self.number, 8)
            self.y -= 24
            if header:
                header()

    def footer(self):
        self.c.setFont('F', 8)
        self.c.drawString(M, M, self.number)
        # svcbill also prints the page count ("of M"), known only at the
        # end; the peer leaves it out rather than draw every page twice
        self.c.drawCentredString(W / 2, M, '第 %d 页 Page %d' % (
            self.c.getPageNumber(), self.c.getPageNumber()))

    def save(self):
        self.footer()
        self.c.save()


def table_header(d):
    d.text(COLS[0], '序号', 8)
    d.text(COLS[1], '项目', 8)
    d.text(COLS[2] + 50, '数量', 8, True)
    d.text(COLS[3] + 50, '单价', 8, True)
    d.text(COLS[4] + 40, '金额', 8, True)
    d.text(COLS[5] + 18, '税率', 8, True)
    d.y -= 11
    d.text(COLS[0], 'No.', 8)
    d.text(COLS[1], 'Description', 8)
    d.text(COLS[2] + 50, 'Qty', 8, True)
    d.text(COLS[3] + 50, 'Unit price', 8, True)
    d.text(COLS[4] + 40, 'Amount', 8, True)
    d.text(COLS[5] + 18, 'Tax', 8, True)
    d.c.line(M, d.y - 4, W - M, d.y - 4)
    d.y -= 16


def invoice(g):
    number = g['invoice_no']
    cl = clients.get(g['client_id'], {})
    ct = contracts.get(g['contract_id'], {})
    d = Doc(os.path.join(OUT, number + '.pdf'), number)
    # the issuer, the title
    d.text(M, issuer.get('name_zh', ''), 14)
    d.text(W - M, '账单', 16, True)
    d.y -= 16
    d.text(M, issuer.get('name_en', ''), 9)
    d.text(W - M, 'INVOICE', 12, True)
    d.y -= 13
    d.text(M, issuer.get('address', ''), 8)
    d.y -= 11
    d.text(M, '电话 Phone ' + issuer.get('phone', ''), 8)
    d.text(W - M, number, 10, True)
    d.y -= 11
    d.text(M, '纳税人识别号 Tax ID: ' + issuer.get('tax_id', ''), 8)
    d.y -= 28
    # the client, the invoice's details
    left = ['客户 Client', cl.get('name_zh', ''), cl.get('name_en', ''),
            cl.get('address', ''), '电话 Phone: ' + cl.get('phone', '')]
    right = [('账单号 Invoice No.', number), ('账期 Period', g['period']),
             ('出账日期 Issue date', g['issue_date']), ('付款到期日 Due date', g['due_date']),
             ('', ''), ('合同编号 Contract', g['contract_id']),
             ('合同类型 Contract type', TYPE.get(ct.get('type', ''), '')),
             ('币种 Currency', g['currency'])]
    y0 = d.y
    for i, s in enumerate(left):
        d.text(M, s, 9 if i else 8)
        d.y -= 12
    d.y = y0
    for k, v in right:
        d.text(W / 2 + 10, k, 8)
        d.text(W - M, v, 8, True)
        d.y -= 12
    d.y -= 12
    d.text(M, '本账单不是增值税发票，发票另行开具。 This invoice is not a VAT fapiao; '
           'the fapiao is issued separately.', 8)
    d.y -= 24
    table_header(d)
    # the lines
    by_rate = {}
    for ln in lines_of.get(number, []):
        zh = wrap(ln['description_zh'], 9, DESC)
        en = wrap(ln['description_en'], 8, DESC)
        d.need(11 * (len(zh) + len(en)) + 6, lambda: table_header(d))
        d.text(COLS[0] + 12, ln['line_no'], 9, True)
        d.text(COLS[2] + 50, ln['qty'], 9, True)
        d.text(COLS[3] + 50, ln['unit_price'], 9, True)
        d.text(COLS[4] + 40, money(fen(ln['amount'])), 9, True)
        d.text(COLS[5] + 18, ln['tax_pct'] + '%', 9, True)
        for s in zh:
            d.text(COLS[1], s, 9)
            d.y -= 11
        for s in en:
            d.text(COLS[1], s, 8)
            d.y -= 11
        d.y -= 6
        by_rate[ln['tax_pct']] = by_rate.get(ln['tax_pct'], 0) + fen(ln['amount'])
    # the totals, the amount in words
    d.need(60 + 12 * len(by_rate))
    d.c.line(W / 2, d.y + 4, W - M, d.y + 4)
    d.y -= 10
    d.text(W / 2 + 10, '不含税金额 Net', 9)
    d.text(W - M, money(fen(g['net'])), 9, True)
    d.y -= 12
    for r in sorted(by_rate):
        d.text(W / 2 + 10, '税额 %s%% Tax %s%%' % (r, r), 9)
        d.text(W - M, money(fen(g['tax'])) if len(by_rate) == 1 else
               money(by_rate[r] * int(r) // 100), 9, True)
        d.y -= 12
    gross = fen(g['gross'])
    d.text(W / 2 + 10, '价税合计 Total (%s)' % g['currency'], 10)
    d.text(W - M, money(gross), 10, True)
    d.y -= 22
    d.text(M, '大写金额', 9)
    d.text(M + 110, capitals(abs(gross)), 10)
    d.y -= 12
    d.text(M, 'Amount in words', 8)
    d.y -= 12
    d.text(M + 110, 'Say: %s yuan and %s fen only' % (english(abs(gross) // 100),
                                                    english(abs(gross) % 100)), 8)
    d.y -= 24
    d.need(80)
    d.text(M, '付款条件 Payment terms', 9)
    d.y -= 13
    d.text(M, '开户行 Bank: ' + issuer.get('bank_name', ''), 8)
    d.y -= 11
    d.text(M, '账号 Account: ' + issuer.get('bank_account', ''), 8)
    d.y -= 11
    for s in wrap('请于 %s 前付款，汇款时请注明账单号 %s。 Please pay by %s, quoting invoice %s.'
                  % (g['due_date'], number, g['due_date'], number), 8, W - 2 * M):
        d.text(M, s, 8)
        d.y -= 11
    # the appendix: the contract's devices
    devs = devices_of.get(g['contract_id'], [])
    if devs:
        d.y = M            # a page of its own
        d.need(H)
        d.text(M, '附件：托管设备清单', 11)
        d.y -= 14
        d.text(M, 'Appendix: devices under contract %s (%d)' % (g['contract_id'], len(devs)), 9)
        d.y -= 24

        def dev_header():
            for x, zh, en in ((M, '产品编号', 'Device'), (M + 150, '类别', 'Class'),
                              (M + 260, '型号', 'Model'), (M + 400, '序列号', 'Serial')):
                d.text(x, zh, 8)
                d.y -= 10
                d.text(x, en, 8)
                d.y += 10
            d.y -= 22
        dev_header()
        for v in devs:
            d.need(18, dev_header)
            d.text(M, v['device_id'], 9)
            d.text(M + 150, v['class'], 9)
            d.text(M + 260, v['model'], 9)
            d.text(M + 400, v['serial'], 9)
            d.y -= 18
    d.save()


os.makedirs(OUT, exist_ok=True)
n = 0
for g in ledger('register.csv'):
    if g['period'] == PERIOD and g['status'] == 'issued':
        invoice(g)
        n += 1
print('%d invoices drawn' % n)
