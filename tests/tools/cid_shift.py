#!/usr/bin/env python3
"""cid_shift.py IN.pdf OUT.pdf CHAR: OUT is IN with the first CHAR its
pages draw drawn with the neighbouring glyph id (CID + 1) of the same
font, the font objects left as they are.  A negative control for the PDF
checks: each font's glyphs still equal the original font's (the glyph
check passes), but the page now shows another glyph, which the extracted
text must catch.

Works on qpdf's QDF form (uncompressed, one content stream per page);
fix-qdf repairs the lengths.  Exits 1 when no font maps CHAR or no page
draws it."""
import re
import subprocess
import sys
import tempfile


def tounicode_codes(cmap, ch):
    """The codes a ToUnicode CMap maps to the character ch."""
    cp = ord(ch)
    codes = []
    for lo, hi, first in re.findall(
            rb'<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4})>',
            cmap):
        lo, hi, first = int(lo, 16), int(hi, 16), int(first, 16)
        if first <= cp <= first + hi - lo:
            codes.append(lo + cp - first)
    for code, u in re.findall(
            rb'^<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4})>\s*$', cmap, re.M):
        if int(u, 16) == cp:
            codes.append(int(code, 16))
    return codes


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, dst, ch = sys.argv[1], sys.argv[2], sys.argv[3]
    with tempfile.NamedTemporaryFile(suffix='.pdf') as q:
        subprocess.run(['qpdf', '--qdf', '--object-streams=disable', src,
                        q.name], check=True)
        data = open(q.name, 'rb').read()
    # font resource name -> CIDs of ch, from each Type0 font's ToUnicode
    objs = {int(m.group(1)): m.start() for m in
            re.finditer(rb'^(\d+) 0 obj\n', data, re.M)}

    def obj(n):
        start = objs[n]
        return data[start:data.index(b'endobj', start)]

    def stream(n):
        o = obj(n)
        s = o.index(b'stream\n') + len(b'stream\n')
        return o[s:o.rindex(b'endstream')]
    cids = {}
    for name, n in set(re.findall(rb'/(F\d+) (\d+) 0 R', data)):
        tu = re.search(rb'/ToUnicode (\d+) 0 R', obj(int(n)))
        if tu:
            for c in tounicode_codes(stream(int(tu.group(1))), ch):
                cids[name] = c
    if not cids:
        sys.exit('cid_shift: no font maps %s' % ch)
    # the first "<hex> Tj" after "/Fn size Tf" that draws one of them
    font = None
    out = None
    for m in re.finditer(rb'/(F\d+) [0-9.]+ Tf|<([0-9A-Fa-f]+)> Tj', data):
        if m.group(1):
            font = m.group(1)
            continue
        hexs = m.group(2)
        want = cids.get(font)
        if want is None:
            continue
        for i in range(0, len(hexs), 4):
            if int(hexs[i:i + 4], 16) == want:
                new = b'%04x' % (want + 1)
                at = m.start(2) + i
                out = data[:at] + new + data[at + 4:]
                break
        if out:
            break
    if out is None:
        sys.exit('cid_shift: no page draws %s' % ch)
    with tempfile.NamedTemporaryFile(suffix='.pdf') as t:
        t.write(out)
        t.flush()
        with open(dst, 'wb') as f:
            subprocess.run(['fix-qdf', t.name], stdout=f, check=True)


if __name__ == '__main__':
    main()
