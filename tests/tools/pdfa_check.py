#!/usr/bin/env python3
"""pdfa_check.py PDF...: the PDF/A-2b requirements that can be read from
the file's objects (qpdf --json), checked one by one.

No full PDF/A validator is packaged for Debian; this checks what svcbill's
documents could get wrong:
  - header: %PDF-1.4 to 1.7, then a comment of 4 bytes >= 128 (6.1.2);
  - trailer: an /ID of two 16-byte strings, no /Encrypt (6.1.3);
  - catalog /Metadata: an XMP stream, unfiltered or FlateDecode
    (PDF/A-2 allows it compressed; PDF/A-1 did not), (/Type /Metadata
    /Subtype /XML) naming pdfaid:part 2 and conformance B, whose
    dc:title, dc:creator, dc:description, pdf:Keywords, pdf:Producer,
    xmp:CreatorTool and xmp:CreateDate equal the Info dictionary's
    Title, Author, Subject, Keywords, Producer, Creator and CreationDate
    (6.6.2);
  - /OutputIntents: a /GTS_PDFA1 intent whose DestOutputProfile is an
    embedded RGB ICC profile with /N 3 (6.2.3);
  - every font embedded: each font dictionary (or its descendant) has a
    FontDescriptor with FontFile, FontFile2 or FontFile3 (6.2.11.4);
  - no transparency (no SMask other than /None, no /CA or /ca below 1, no
    blend mode other than Normal, no transparency group), no JavaScript
    or other actions, no embedded files, no LZWDecode (6.1.7, 6.4, 6.5,
    6.6.1, 6.8).
What it does NOT check: the content streams' operators and the colours
they use, the font programs themselves (glyph widths against /W, cmap
tables, .notdef use), the ICC profile's validity beyond its header, the
XMP's schema conformance beyond the properties above, xref table
formatting and other byte-level syntax (qpdf --check covers some).

Prints one line per failed requirement; exits 1 if any failed.
"""
import base64
import datetime
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {
    'x': 'adobe:ns:meta/',
    'rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    'dc': 'http://purl.org/dc/elements/1.1/',
    'xmp': 'http://ns.adobe.com/xap/1.0/',
    'pdf': 'http://ns.adobe.com/pdf/1.3/',
    'pdfaid': 'http://www.aiim.org/pdfa/ns/id/',
}


def load(path):
    out = subprocess.run(['qpdf', '--json', '--json-stream-data=inline',
                          '--decode-level=generalized', path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)['qpdf'][1]


def text(v):
    """A PDF string of qpdf's JSON as Python text."""
    if isinstance(v, str) and v.startswith('u:'):
        return v[2:]
    if isinstance(v, str) and v.startswith('b:'):
        return bytes.fromhex(v[2:]).decode('latin-1')
    return None


def pdf_date(s):
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
                 r"([Z+-])?(\d{2})?'?(\d{2})?", s or '')
    if not m:
        return None
    y, mo, d, h, mi, se = (int(g) if g else dflt for g, dflt in
                           zip(m.groups()[:6], (0, 1, 1, 0, 0, 0)))
    off = 0
    if m.group(7) in '+-' and m.group(7) and m.group(8):
        off = int(m.group(8)) * 60 + int(m.group(9) or 0)
        off = -off if m.group(7) == '-' else off
    tz = datetime.timezone(datetime.timedelta(minutes=off))
    return datetime.datetime(y, mo, d, h, mi, se, tzinfo=tz)


def xmp_date(s):
    try:
        return datetime.datetime.fromisoformat((s or '').replace('Z', '+00:00'))
    except ValueError:
        return None


def check(path):
    bad = []
    with open(path, 'rb') as f:
        head = f.read(32)
    m = re.match(rb'%PDF-1\.([0-9])\r?\n%(....)', head, re.S)
    if not m or not 4 <= int(m.group(1)) <= 7:
        bad.append('header is not %PDF-1.4 to 1.7')
    elif any(b < 128 for b in m.group(2)):
        bad.append('no binary comment of 4 bytes >= 128 after the header')
    objs = load(path)

    def get(ref):
        o = objs.get('obj:' + ref) if isinstance(ref, str) and \
            ref.endswith(' R') else None
        if o is None:
            return ref
        return o.get('value', o.get('stream'))

    def d(ref):
        v = get(ref)
        if isinstance(v, dict) and 'dict' in v and 'data' in v:
            return v['dict']
        return v if isinstance(v, dict) else {}

    trailer = objs['trailer']['value']
    ids = trailer.get('/ID')
    if not (isinstance(ids, list) and len(ids) == 2 and
            all(isinstance(i, str) and i.startswith('b:') and
                len(i) == 2 + 32 for i in ids)):
        bad.append('trailer /ID missing or not two 16-byte strings')
    if '/Encrypt' in trailer:
        bad.append('encrypted')
    cat = d(trailer['/Root'])
    info = d(trailer.get('/Info', {}))
    # XMP
    md = get(cat.get('/Metadata', ''))
    if not (isinstance(md, dict) and 'data' in md):
        bad.append('no XMP metadata stream in the catalog')
    else:
        md_dict = md['dict']
        if md_dict.get('/Type') != '/Metadata' or \
                md_dict.get('/Subtype') != '/XML':
            bad.append('metadata stream not /Type /Metadata /Subtype /XML')
        # PDF/A-1 wanted it unfiltered; PDF/A-2 allows the standard
        # filters but LZW (checked below for every stream)
        if md_dict.get('/Filter') not in (None, '/FlateDecode',
                                          ['/FlateDecode']):
            bad.append('metadata stream filtered with %s' %
                       md_dict.get('/Filter'))
        raw = base64.b64decode(md['data'])
        try:
            root = ET.fromstring(raw)
        except ET.ParseError as e:
            bad.append('XMP is not well-formed XML: %s' % e)
            root = None
        if root is not None:
            desc = root.findall('.//rdf:Description', NS)

            def prop(tag):
                for dsc in desc:
                    ns, name = tag.split(':')
                    attr = dsc.get('{%s}%s' % (NS[ns], name))
                    if attr is not None:
                        return attr
                    e = dsc.find(tag, NS)
                    if e is not None:
                        li = e.find('.//rdf:li', NS)
                        return (li if li is not None else e).text or ''
                return None
            if prop('pdfaid:part') != '2':
                bad.append('XMP pdfaid:part is not 2')
            if prop('pdfaid:conformance') != 'B':
                bad.append('XMP pdfaid:conformance is not B')
            pairs = [('/Title', 'dc:title'), ('/Author', 'dc:creator'),
                     ('/Subject', 'dc:description'),
                     ('/Keywords', 'pdf:Keywords'),
                     ('/Producer', 'pdf:Producer'),
                     ('/Creator', 'xmp:CreatorTool')]
            for key, tag in pairs:
                iv, xv = text(info.get(key)), prop(tag)
                if iv is not None and iv != xv:
                    bad.append('Info %s %r but XMP %s %r' % (key, iv, tag, xv))
            cd = text(info.get('/CreationDate'))
            if cd is not None and pdf_date(cd) != xmp_date(prop('xmp:CreateDate')):
                bad.append('Info /CreationDate %r but XMP xmp:CreateDate %r' %
                           (cd, prop('xmp:CreateDate')))
    # output intent
    ok = False
    for oi in get(cat.get('/OutputIntents', [])) or []:
        oi = d(oi)
        prof = get(oi.get('/DestOutputProfile', ''))
        if oi.get('/S') != '/GTS_PDFA1' or not isinstance(prof, dict) or \
                'data' not in prof:
            continue
        icc = base64.b64decode(prof['data'])
        if prof['dict'].get('/N') == 3 and len(icc) >= 128 and \
                icc[36:40] == b'acsp' and icc[16:20] == b'RGB ':
            ok = True
    if not ok:
        bad.append('no GTS_PDFA1 output intent with an embedded RGB ICC '
                   'profile')
    # every object: fonts, transparency, actions, filters
    for key, o in objs.items():
        if not key.startswith('obj:'):
            continue
        v = o.get('value', o.get('stream', {}).get('dict'))
        if not isinstance(v, dict):
            continue
        flt = v.get('/Filter')
        if flt == '/LZWDecode' or (isinstance(flt, list) and
                                   '/LZWDecode' in flt):
            bad.append('%s: LZWDecode' % key)
        for k in ('/JS', '/JavaScript', '/AA', '/EmbeddedFiles', '/OpenAction'):
            if k in v:
                bad.append('%s: %s' % (key, k))
        if v.get('/S') in ('/JavaScript', '/Launch', '/Movie', '/Sound',
                           '/ImportData', '/ResetForm', '/SubmitForm'):
            bad.append('%s: action %s' % (key, v.get('/S')))
        if '/SMask' in v and v['/SMask'] != '/None':
            bad.append('%s: soft mask (transparency)' % key)
        for k in ('/CA', '/ca'):
            if k in v and float(v[k]) < 1:
                bad.append('%s: %s %s (transparency)' % (key, k, v[k]))
        if v.get('/BM') not in (None, '/Normal', '/Compatible'):
            bad.append('%s: blend mode %s' % (key, v['/BM']))
        grp = d(v.get('/Group', {}))
        if grp.get('/S') == '/Transparency':
            bad.append('%s: transparency group' % key)
        if v.get('/Type') == '/Font' and v.get('/Subtype') != '/Type3':
            f = v
            if v.get('/Subtype') == '/Type0':
                f = d((v.get('/DescendantFonts') or [''])[0])
            fd = d(f.get('/FontDescriptor', ''))
            if not any(k in fd for k in ('/FontFile', '/FontFile2',
                                          '/FontFile3')):
                bad.append('%s: font %s not embedded' %
                           (key, v.get('/BaseFont')))
    return bad


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    failed = 0
    for path in sys.argv[1:]:
        for b in check(path):
            print('%s: %s' % (path, b))
            failed = 1
    sys.exit(failed)


if __name__ == '__main__':
    main()
