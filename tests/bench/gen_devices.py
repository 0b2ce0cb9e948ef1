#!/usr/bin/env python3
"""Generate a large devices.csv for the reader throughput benchmark.

usage: gen_devices.py FILE [MEGABYTES]   (default 50)
Rows as a spreadsheet exports them: UTF-8 with BOM, CRLF, Chinese and
inner spaces, some quoted fields with commas, doubled quotes and line
breaks.  Deterministic."""
import random
import sys

path = sys.argv[1]
mb = int(sys.argv[2]) if len(sys.argv) > 2 else 50
rng = random.Random(8)
header = ('产品编号,合同编号,设备类别,型号,序列号,装置日期,原购买价,地址,加入日期,'
          '退出日期,联系人,叫修电话,cpu,内存,硬盘,主板,显示器,备注')
models = ['联想 启天 M428', '戴尔 OptiPlex 3080', 'HP ProDesk 400 G7', '"Acer, Veriton"']
places = ['浦东 8 楼 财务部', '"上海市浦东新区世纪大道 100 号\n环球金融中心 8F"', '徐汇 3 楼']
notes = ['', '财务主管', '"说 ""备用"" 机"', '  带空格  ']
with open(path, 'w', encoding='utf-8', newline='') as f:
    f.write('\ufeff' + header + '\r\n')
    size, i = 0, 0
    while size < mb * 1000000:
        row = ','.join([
            'PC %07d' % i, 'S-2026-%02d' % (i % 50), 'desktop', rng.choice(models),
            'SN%08X' % rng.getrandbits(32), '2024-03-02', '%d.%02d' % (rng.randint(1000, 9999), rng.randint(0, 99)),
            rng.choice(places), '', '', '陈建国', '021-5879 3310', 'i5-9500',
            rng.choice(['8 GB', '16 GB', '32 GB']), '512 GB SSD', 'B365', 'Dell P2219H',
            rng.choice(notes)]) + '\r\n'
        f.write(row)
        size += len(row.encode('utf-8'))
        i += 1
