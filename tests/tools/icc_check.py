#!/usr/bin/python3
"""icc_check.py PDF: the ICC profile of the PDF's output intent against
Little CMS's own sRGB (Pillow's ImageCms): every colour of a grid
(0..255 in steps of 5, and 255, per channel) converted from the embedded
profile to Little CMS's sRGB must come out within 1/255 of itself, in the
perceptual and the relative colorimetric intents, and the two profiles'
Lab values must agree within 1.  Exits 1 on a difference, 77 when Pillow
with ImageCms is not there (the test then says SKIP)."""
import io
import re
import subprocess
import sys

try:
    from PIL import Image, ImageCms
except ImportError:
    sys.exit(77)


def main():
    pdf = sys.argv[1]
    cat = subprocess.run(['qpdf', '--show-object=trailer', pdf],
                         capture_output=True, text=True, check=True).stdout
    root = re.search(r'/Root (\d+) 0 R', cat).group(1)
    cat = subprocess.run(['qpdf', '--show-object=' + root, pdf],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r'/DestOutputProfile (\d+) 0 R', cat)
    if not m:
        print('no DestOutputProfile')
        sys.exit(1)
    icc = subprocess.run(['qpdf', '--show-object=' + m.group(1),
                          '--filtered-stream-data', pdf],
                         capture_output=True, check=True).stdout
    mine = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    srgb = ImageCms.createProfile('sRGB')
    vals = list(range(0, 256, 5)) + [255]
    px = [(r, g, b) for r in vals for g in vals for b in vals]
    im = Image.new('RGB', (len(px), 1))
    im.putdata(px)
    bad = 0
    for intent in (ImageCms.Intent.PERCEPTUAL,
                   ImageCms.Intent.RELATIVE_COLORIMETRIC):
        t = ImageCms.buildTransform(mine, srgb, 'RGB', 'RGB',
                                    renderingIntent=intent)
        out = list(ImageCms.applyTransform(im, t).getdata())
        d = max(max(abs(a - b) for a, b in zip(x, y))
                for x, y in zip(px, out))
        if d > 1:
            print('intent %s: a colour moves by %d/255' % (intent, d))
            bad = 1
    lab = ImageCms.createProfile('LAB')
    a = ImageCms.applyTransform(im, ImageCms.buildTransform(
        mine, lab, 'RGB', 'LAB')).getdata()
    b = ImageCms.applyTransform(im, ImageCms.buildTransform(
        srgb, lab, 'RGB', 'LAB')).getdata()
    d = max(max(abs(x - y) for x, y in zip(u, v)) for u, v in zip(a, b))
    if d > 1:
        print('Lab differs by %d' % d)
        bad = 1
    sys.exit(bad)


if __name__ == '__main__':
    main()
