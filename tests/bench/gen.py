#!/usr/bin/env python3
"""Generate a large, realistic data set for benchmarking svcbill.

usage: gen.py DIR [CONTRACTS]   (default 2000 contracts, ~10,000 devices,
~5,000 service records in November 2026, for the December 2026 run)
Deterministic: the same arguments give the same files."""
import os
import random
import sys

out = sys.argv[1]
ncontracts = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rng = random.Random(20261201)
os.makedirs(out, exist_ok=True)


def write(name, header, rows):
    with open(os.path.join(out, name), 'w', encoding='utf-8', newline='') as f:
        f.write(header + '\r\n')
        for r in rows:
            f.write(','.join(r) + '\r\n')


write('issuer.csv', 'name_zh,name_en,address,phone,tax_id,bank_name,bank_account',
      [['上海恒维信息技术有限公司', 'Shanghai Hengwei IT Co. Ltd.',
        '上海市徐汇区漕溪北路 88 号', '021-6488 2301', '91310104MA1FR3XK2Q',
        '中国工商银行上海漕河泾支行', '1001 2345 0900 6789 012']])

cities = ['北京', '上海', '广州', '深圳', '苏州', '杭州', '南京', '成都', '武汉', '天津']
trades = ['科技', '贸易', '物流', '医药', '机械', '电子', '食品', '文化', '建设', '咨询']
clients, contracts, rates, devices, records, charges, parts_used = [], [], [], [], [], [], []
classes = [('desktop', '30'), ('laptop', '50'), ('server', '50')]
for i in range(ncontracts):
    cid = 'C%05d' % i
    city, trade = rng.choice(cities), rng.choice(trades)
    clients.append([cid, '%s%s%s有限公司' % (city, rng.choice('天地星海云恒瑞华'), trade),
                    'Client %d Co. Ltd.' % i, '%s市中山路 %d 号' % (city, rng.randint(1, 999)),
                    '0%d-%08d' % (rng.randint(10, 99), rng.randint(0, 99999999))])
    kind = rng.choice(['device_monthly', 'device_monthly', 'price_percent', 'website'])
    k = 'K%05d' % i
    start = '2026-%02d-%02d' % (rng.randint(1, 11), rng.randint(1, 28))
    cycle = rng.choice(['1', '1', '3', '6']) if kind != 'device_monthly' else '1'
    fee = '%d' % rng.choice([800, 1200, 1500]) if kind == 'website' else ''
    pct = '8' if kind == 'price_percent' else ''
    contracts.append([k, cid, kind, start, '2027-12-31', cycle, fee, pct, '80', '120',
                      '8', '2', '100', '0.05'])
    if kind == 'device_monthly':
        for cls, fee in classes:
            rates.append([k, cls, fee])
    ndev = 0 if kind == 'website' else rng.randint(2, 8)
    for d in range(ndev):
        did = 'D%05d-%02d' % (i, d)
        cls = rng.choice(classes)[0] if kind == 'device_monthly' else rng.choice(
            ['barcode printer', 'receiver', 'scanner'])
        price = '%d.00' % rng.randint(2000, 20000) if kind == 'price_percent' else ''
        frm = '2026-12-%02d' % rng.randint(2, 28) if rng.random() < 0.1 else ''
        devices.append([did, k, cls, 'Model %d' % rng.randint(100, 999),
                        'SN%08d' % rng.randint(0, 99999999), price, frm,
                        'i5-10500', '16 GB', '512 GB SSD'])
        if rng.random() < 0.5:
            rid = 'R%05d-%02d' % (i, d)
            day = rng.randint(1, 28)
            excluded = rng.random() < 0.2
            records.append([rid, did, rng.choice(['repair', 'emergency', 'preventive']),
                            '2026-11-%02d 09:00' % day, '2026-11-%02d %02d:30' % (day, rng.randint(9, 20)),
                            '2026-11-%02d 21:00' % day, '故障 %d：更换配件' % rng.randint(1, 99),
                            'excluded' if excluded else 'covered', '2', '张伟', '陈建国',
                            '%.1f' % rng.choice([0.5, 1, 1.5, 2])])
            if rng.random() < 0.4:
                parts_used.append([rid, 'P%02d' % rng.randint(0, 19), '1', ''])
    if kind == 'website':
        for c in range(rng.randint(1, 4)):
            charges.append([k, '2026-11-%02d' % rng.randint(1, 30), '页面设计 %d' % c,
                            'Page design %d' % c, str(rng.randint(1, 5)), '400.00', 'service'])

write('clients.csv', 'client_id,name_zh,name_en,address,phone', clients)
write('contracts.csv', 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,'
      'annual_pct,parts_pct,labour_rate,sla_hours,sla_emergency_hours,sla_penalty,late_fee_pct',
      contracts)
write('rates.csv', 'contract_id,class,monthly_fee', rates)
write('devices.csv', 'device_id,contract_id,class,model,serial,purchase_price,from,cpu,memory,disk',
      devices)
write('service_records.csv', 'record_id,device_id,type,called_at,arrived_at,completed_at,fault,'
      'cause,level,technician,signed_by,labour_hours', records)
write('parts.csv', 'part_no,name_zh,name_en,list_price',
      [['P%02d' % p, '配件 %d' % p, 'Part %d' % p, '%d.00' % (50 + 37 * p)] for p in range(20)])
write('parts_used.csv', 'record_id,part_no,qty,list_price', parts_used)
write('charges.csv', 'contract_id,date,description_zh,description_en,qty,unit_price,category',
      charges)
print('%s: %d contracts, %d devices, %d service records, %d charges' % (
    out, len(contracts), len(devices), len(records), len(charges)))
