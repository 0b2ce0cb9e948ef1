#!/usr/bin/env python3
"""The peer workload: 200 bilingual invoices of exactly twelve lines each.

usage: gen_peer.py DIR [CONTRACTS]   (default 200), for the December 2026 run

Every contract is a price_percent contract on twelve devices billed monthly,
so each invoice has twelve maintenance lines whose Chinese and English
descriptions both wrap (device id, model, purchase price, rate, period), the
kind of line most invoices carry.  No service records and no charges: the
run writes the invoices and the month's summary only, and the ReportLab
peer (peer_reportlab.py) draws the same invoices from the run's ledger.
Deterministic: the same arguments give the same files."""
import os
import random
import sys

out = sys.argv[1]
ncontracts = int(sys.argv[2]) if len(sys.argv) > 2 else 200
LINES = 12
rng = random.Random(20261129)
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
models = ['Zebra ZT410', 'Honeywell CK65', 'TSC TTP-344M Pro', 'Motorola AP-7131 接收机',
          'Datalogic Gryphon 扫描枪', 'Epson TM-T88VI 票据打印机']
clients, contracts, devices = [], [], []
for i in range(ncontracts):
    cid = 'C%05d' % i
    city, trade = rng.choice(cities), rng.choice(trades)
    clients.append([cid, '%s%s%s有限公司' % (city, rng.choice('天地星海云恒瑞华'), trade),
                    'Client %d Co. Ltd.' % i, '%s市中山路 %d 号' % (city, rng.randint(1, 999)),
                    '0%d-%08d' % (rng.randint(10, 99), rng.randint(0, 99999999))])
    k = 'K%05d' % i
    contracts.append([k, cid, 'price_percent', '2026-01-01', '2027-12-31', '1', '',
                      rng.choice(['6', '8', '10']), '80', '120', '8', '2', '100', '0'])
    for d in range(LINES):
        devices.append(['D%05d-%02d' % (i, d), k, rng.choice(['printer', 'scanner', 'receiver']),
                        rng.choice(models), 'SN%08d' % rng.randint(0, 99999999),
                        '%d.00' % rng.randint(2000, 20000), '', '', '', ''])

write('clients.csv', 'client_id,name_zh,name_en,address,phone', clients)
write('contracts.csv', 'contract_id,client_id,type,start,end,cycle_months,monthly_fee,'
      'annual_pct,parts_pct,labour_rate,sla_hours,sla_emergency_hours,sla_penalty,late_fee_pct',
      contracts)
write('rates.csv', 'contract_id,class,monthly_fee', [])
write('devices.csv', 'device_id,contract_id,class,model,serial,purchase_price,from,cpu,memory,disk',
      devices)
write('service_records.csv', 'record_id,device_id,type,called_at,arrived_at,completed_at,fault,'
      'cause,level,technician,signed_by,labour_hours', [])
write('parts.csv', 'part_no,name_zh,name_en,list_price', [])
write('parts_used.csv', 'record_id,part_no,qty,list_price', [])
write('charges.csv', 'contract_id,date,description_zh,description_en,qty,unit_price,category', [])
print('%s: %d contracts of %d devices' % (out, len(contracts), LINES))
