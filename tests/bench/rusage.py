#!/usr/bin/env python3
"""Runs a command and writes what it cost to OUT as one line:
"WALL USER SYS MAXRSS_KB EXIT" (seconds; CPU of the command and of every
child it waited for; peak resident memory of the largest of them).

usage: rusage.py OUT COMMAND [ARG...]   (the command's output goes through)

In Python rather than /usr/bin/time so that the benchmark needs no package
beyond python3 (already one of the build's)."""
import os
import subprocess
import sys
import time

t0 = time.monotonic()
p = subprocess.Popen(sys.argv[2:])
_, status, ru = os.wait4(p.pid, 0)
wall = time.monotonic() - t0
code = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], 'w') as f:
    f.write('%.3f %.3f %.3f %d %d\n' % (wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss, code))
sys.exit(0 if code == 0 else 1)
