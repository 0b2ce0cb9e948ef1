#!/usr/bin/env python3
"""Write a stress data set: a contract with 300 devices, a device with an
80-record history, hostile ids and text, very long unbroken strings."""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def w(name, rows):
    with open(os.path.join(out, name), 'w', encoding='utf-8', newline='') as f:
        for r in rows:
            f.write(','.join('"%s"' % c.replace('"', '""') for c in r) + '\r\n')


long_word = 'X' * 300
long_zh = '很长的中文描述没有任何空格' * 20
w('issuer.csv', [['name_zh', 'name_en', 'address'],
                 ['压力测试有限公司（一个名字相当长的公司，用来检查换行）',
                  'Stress Test Company With A Rather Long English Name Limited',
                  long_zh]])
w('clients.csv', [['client_id', 'name_zh', 'name_en', 'address'],
                  ['C1', '客户' * 30, 'Client ' * 20, long_word],
                  ['C/2', '(括号) \\反斜杠\\ (paren)', '', '']])
w('contracts.csv', [['contract_id', 'client_id', 'type', 'start', 'end', 'sla_hours',
                     'sla_penalty', 'labour_rate', 'monthly_fee'],
                    ['K-BIG', 'C1', 'device_monthly', '2026-01-01', '2027-12-31', '4', '50', '100',
                     ''],
                    ['K/../2', 'C/2', 'website', '2026-01-01', '2027-12-31', '', '', '', '1200'],
                    ['K\u202eRTL', 'C1', 'device_monthly', '2026-01-01', '2027-12-31', '', '', '',
                     '']])
w('rates.csv', [['contract_id', 'class', 'monthly_fee'], ['K-BIG', 'desktop', '30'],
                ['K\u202eRTL', 'desktop', '30']])
devs = [['device_id', 'contract_id', 'class', 'model', 'serial', 'cpu', 'note']]
for i in range(300):
    devs.append(['BIG-%03d' % i, 'K-BIG', 'desktop',
                 '型号非常非常长的台式计算机 Model With A Long Name %d' % i,
                 'SN%012d' % i, 'Intel Core i7-13700K 16 cores', long_zh if i == 7 else ''])
hostile = ['../../etc/passwd', 'a/b', '.hidden', 'with space', '中文设备编号' * 10 + '末尾',
           '=cmd|calc', 'ctl\x01char', 'H' * 64]
for h in hostile:
    devs.append([h, 'K\u202eRTL', 'desktop', 'm', 's', '', ''])
w('devices.csv', devs)
recs = [['record_id', 'device_id', 'type', 'called_at', 'arrived_at', 'completed_at', 'fault',
         'cause', 'labour_hours', 'technician', 'signed_by']]
for i in range(80):
    m = 1 + i % 11
    recs.append(['R%03d' % i, 'BIG-001', 'repair', '2026-%02d-%02d 09:00' % (m, 1 + i % 27),
                 '2026-%02d-%02d 15:00' % (m, 1 + i % 27),
                 '2026-%02d-%02d 16:00' % (m, 1 + i % 27),
                 ('故障描述 %d：' % i) + ('硬盘损坏需要更换 ' * (1 + i % 4)),
                 'excluded' if i % 3 == 0 else 'covered', '1.5', '张伟', '陈建国'])
for n, h in enumerate(hostile):
    recs.append(['H%d' % n, h, 'repair', '', '', '2026-11-05 10:00', long_word, 'covered',
                 '', '', ''])
w('service_records.csv', recs)
w('charges.csv', [['contract_id', 'date', 'description_zh', 'description_en', 'qty', 'unit_price'],
                  ['K/../2', '2026-11-03', long_zh, long_word, '1', '100'],
                  ['K/../2', '2026-11-03', '=HYPERLINK("http://x")', '+1 (formula)', '1', '-5'],
                  ['K/../2', '2026-11-03', '( ) \\ 特殊字符 <> &', 'PDF specials ( ) \\', '1', '1']])
