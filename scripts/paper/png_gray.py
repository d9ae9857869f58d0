#!/usr/bin/env python3
"""Cut a gray 8-bit tile out of a PNG, standard library only (no PIL, no numpy).

Reads non-interlaced PNGs with 8 bits per channel: gray (color type 0), gray +
alpha (4), RGB (2) and RGBA (6), undoing the five row filters (None, Sub, Up,
Average, Paeth). Color is turned into gray as (R + G + B) // 3; alpha is
dropped. Other PNGs (palette, 16-bit, 1/2/4-bit, Adam7) are refused.

Usage:
  png_gray.py IMAGE.png --x X --y Y --width W --height H --out TILE.raw
  png_gray.py IMAGE.png --info
TILE.raw is W*H bytes, row-major, one byte per pixel.
"""
import argparse
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def read_png_gray(path: str) -> tuple[int, int, bytes]:
    """Returns (width, height, pixels) with one gray byte per pixel, row-major."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, hdr = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if hdr is None:
        raise ValueError(f"{path}: no IHDR")
    width, height, depth, ctype, _comp, _filt, interlace = hdr
    if depth != 8 or ctype not in CHANNELS or interlace != 0:
        raise ValueError(f"{path}: bit depth {depth}, color type {ctype}, interlace "
                         f"{interlace}: only 8-bit non-interlaced gray/RGB(A) is read")
    bpp = CHANNELS[ctype]
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) < height * (stride + 1):
        raise ValueError(f"{path}: image data is short")
    prev = bytearray(stride)
    gray = bytearray()
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:  # Sub
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif ftype == 2:  # Up
            for i in range(stride):
                row[i] = (row[i] + prev[i]) & 255
        elif ftype == 3:  # Average
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif ftype == 4:  # Paeth
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + pred) & 255
        elif ftype != 0:
            raise ValueError(f"{path}: row {y} has filter type {ftype}")
        if ctype == 0:
            gray += row
        elif ctype == 4:
            gray += row[0::2]
        else:
            gray += bytes((row[i] + row[i + 1] + row[i + 2]) // 3
                          for i in range(0, stride, bpp))
        prev = row
    return width, height, bytes(gray)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("png")
    ap.add_argument("--info", action="store_true", help="print width, height, color type")
    ap.add_argument("--x", type=int, default=0)
    ap.add_argument("--y", type=int, default=0)
    ap.add_argument("--width", type=int)
    ap.add_argument("--height", type=int)
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.info:
        with open(args.png, "rb") as f:
            head = f.read(29)
        w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", head[16:29])
        print(f"{args.png}: {w}x{h}, bit depth {depth}, color type {ctype}, interlace {inter}")
        return 0
    if args.width is None or args.height is None or args.out is None:
        ap.error("--width, --height and --out are required")
    w, h, px = read_png_gray(args.png)
    if args.x < 0 or args.y < 0 or args.x + args.width > w or args.y + args.height > h:
        print(f"png_gray: tile {args.width}x{args.height} at ({args.x},{args.y}) is outside "
              f"the {w}x{h} image", file=sys.stderr)
        return 1
    tile = bytearray()
    for y in range(args.y, args.y + args.height):
        tile += px[y * w + args.x:y * w + args.x + args.width]
    with open(args.out, "wb") as f:
        f.write(tile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
