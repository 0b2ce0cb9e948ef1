#!/usr/bin/env python3
"""Input for a ten-year archive: `make bench` bills it month by month once
(months 1 = 2017-01 to 119 = 2026-11) and keeps it under build/, then
times month 1 on an empty archive against month 120 (2026-12) on the full
one: a run whose cost grows with the archive's age shows here.

usage: gen_archive.py data DIR [CONTRACTS]     (default 300)
       gen_archive.py pay DIR ARCHIVE PERIOD   (after billing PERIOD)

`data` writes every input file once: contracts running 2016-11-01 to
2027-12-31 (a tenth website, the rest per device or per purchase price,
monthly, quarterly or half-yearly), their devices, and service records
in every month of the ten years (a tenth of the devices a month, a third
of them with a part), with website charges now and then.  The same files
serve month 1 and month 120, so the two runs differ only in the archive.

`pay` appends to DIR/payments.csv a payment in full, five days after
issue, for every invoice of PERIOD with a positive total: a company that
is paid, so that the months do not pile up late fees and overdue lists
(which would make later months bigger documents, not slower reading).
Deterministic: the same arguments give the same files."""
import csv
import datetime
import os
import random
import sys


def write(out, name, header, rows):
    with open(os.path.join(out, name), 'w', encoding='utf-8', newline='') as f:
        f.write(header + '\r\n')
        for r in rows:
            f.write(','.join(r) + '\r\n')


def data(out, ncontracts):
    rng = random.Random(20170101)
    os.makedirs(out, exist_ok=True)
    write(out, 'issuer.csv', 'name_zh,name_en,address,phone,tax_id,bank_name,bank_account',
          [['上海恒维信息技术有限公司', 'Shanghai Hengwei IT Co. Ltd.',
            '上海市徐汇区漕溪北路 88 号', '021-6488 2301', '91310104MA1FR3XK2Q',
            '中国工商银行上海漕河泾支行', '1001 2345 0900 6789 012']])
    cities = ['北京', '上海', '广州', '深圳', '苏州', '杭州', '南京', '成都', '武汉', '天津']
    trades = ['科技', '贸易', '物流', '医药', '机械', '电子', '食品', '文化', '建设', '咨询']
    classes = [('desktop', '30'), ('laptop', '50'), ('server', '50')]
    clients, contracts, rates, devices, charges = [], [], [], [], []
    for i in range(ncontracts):
        cid = 'C%05d' % i
        city, trade = rng.choice(cities), rng.choice(trades)
        clients.append([cid, '%s%s%s有限公司' % (city, rng.choice('天地星海云恒瑞华'), trade),
                        'Client %d Co. Ltd.' % i, '%s市中山路 %d 号' % (city, rng.randint(1, 999)),
                        '0%d-%08d' % (rng.randint(10, 99), rng.randint(0, 99999999))])
        kind = rng.choice(['device_monthly'] * 5 + ['price_percent'] * 4 + ['website'])
        k = 'K%05d' % i
        cycle = rng.choice(['1', '1', '3', '6']) if kind != 'device_monthly' else '1'
        fee = '%d' % rng.choice([800, 1200, 1500]) if kind == 'website' else ''
        pct = '8' if kind == 'price_percent' else ''
        # from 2016-11: month 1 (2017-01) and month 120 (2026-12) are then
        # alike, neither the start of a quarterly or half-yearly cycle
        # (from 2016-12, month 120 started one of each and month 1 none:
        # 100 invoices against 83, a bigger month, not slower reading)
        contracts.append([k, cid, kind, '2016-11-01', '2027-12-31', cycle, fee, pct, '80',
                          '120', '8', '2', '100', '0.05'])
        if kind == 'device_monthly':
            for cls, f in classes:
                rates.append([k, cls, f])
        for d in range(0 if kind == 'website' else rng.randint(2, 8)):
            cls = rng.choice(classes)[0] if kind == 'device_monthly' else rng.choice(
                ['barcode printer', 'receiver', 'scanner'])
            price = '%d.00' % rng.randint(2000, 20000) if kind == 'price_percent' else ''
            devices.append(['D%05d-%02d' % (i, d), k, cls, 'Model %d' % rng.randint(100, 999),
                            'SN%08d' % rng.randint(0, 99999999), price, '',
                            'i5-10500', '16 GB', '512 GB SSD'])
        if kind == 'website':
            for m in range(120):
                if rng.random() < 0.3:
                    y, mo = 2016 + (m + 11) // 12, (m + 11) % 12 + 1
                    charges.append([k, '%d-%02d-%02d' % (y, mo, rng.randint(1, 28)),
                                    '页面设计 %d' % m, 'Page design %d' % m,
                                    str(rng.randint(1, 5)), '400.00', 'service'])
    records, parts_used = [], []
    # the activity month of month 1 (2017-01) is 2016-12: records from there on
    for m in range(120):
        y, mo = 2016 + (m + 11) // 12, (m + 11) % 12 + 1
        for dv in devices:
            if rng.random() >= 0.1:
                continue
            rid = 'R%s-%d%02d' % (dv[0][1:], y, mo)
            day = rng.randint(1, 28)
            records.append([rid, dv[0], rng.choice(['repair', 'emergency', 'preventive']),
                            '%d-%02d-%02d 09:00' % (y, mo, day),
                            '%d-%02d-%02d %02d:30' % (y, mo, day, rng.randint(9, 20)),
                            '%d-%02d-%02d 21:00' % (y, mo, day), '故障 %d：更换配件' % rng.randint(1, 99),
                            'excluded' if rng.random() < 0.2 else 'covered', '2', '张伟',
                            '陈建国', '%.1f' % rng.choice([0.5, 1, 1.5, 2])])
            if rng.random() < 0.33:
                parts_used.append([rid, 'P%02d' % rng.randint(0, 19), '1', ''])
    write(out, 'clients.csv', 'client_id,name_zh,name_en,address,phone', clients)
    write(out, 'contracts.csv', 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,'
          'annual_pct,parts_pct,labour_rate,sla_hours,sla_emergency_hours,sla_penalty,'
          'late_fee_pct', contracts)
    write(out, 'rates.csv', 'contract_id,class,monthly_fee', rates)
    write(out, 'devices.csv', 'device_id,contract_id,class,model,serial,purchase_price,from,'
          'cpu,memory,disk', devices)
    write(out, 'service_records.csv', 'record_id,device_id,type,called_at,arrived_at,'
          'completed_at,fault,cause,level,technician,signed_by,labour_hours', records)
    write(out, 'parts.csv', 'part_no,name_zh,name_en,list_price',
          [['P%02d' % p, '配件 %d' % p, 'Part %d' % p, '%d.00' % (50 + 37 * p)]
           for p in range(20)])
    write(out, 'parts_used.csv', 'record_id,part_no,qty,list_price', parts_used)
    write(out, 'charges.csv', 'contract_id,date,description_zh,description_en,qty,unit_price,'
          'category', charges)
    write(out, 'payments.csv', 'invoice_no,paid_on,amount', [])
    print('%s: %d contracts, %d devices, %d service records over ten years' % (
        out, len(contracts), len(devices), len(records)))


def pay(out, archive, period):
    with open(os.path.join(archive, 'register.csv'), encoding='utf-8-sig', newline='') as f:
        rows = [g for g in csv.DictReader(f) if g['period'] == period and
                g['status'] == 'issued' and not g['gross'].startswith('-') and
                g['gross'].strip('0.') != '']
    with open(os.path.join(out, 'payments.csv'), 'a', encoding='utf-8', newline='') as f:
        for g in rows:
            d = datetime.date.fromisoformat(g['issue_date']) + datetime.timedelta(days=5)
            f.write('%s,%s,%s\r\n' % (g['invoice_no'], d.isoformat(), g['gross']))


if sys.argv[1] == 'data':
    data(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 300)
elif sys.argv[1] == 'pay':
    pay(sys.argv[2], sys.argv[3], sys.argv[4])
else:
    sys.exit(__doc__)
