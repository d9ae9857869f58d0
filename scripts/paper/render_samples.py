#!/usr/bin/env python3
"""Render drawn samples (text, gray image patches, audio) as SVG or markdown.

Standard library only. Three modes:

  render_samples.py image --width W --height H --out OUT.svg [--title T]
                          [--scale 4] [--mark-row R] NAME=RAWFILE ...
      Each RAWFILE holds W*H gray 8-bit pixels, row-major. The patches are drawn
      side by side, each pixel a --scale x --scale square (one path per gray
      value, made of each row's runs of that value), the NAME as a caption under each. --mark-row R puts a small
      red tick at both sides of each patch where row R begins (where a prompt
      ends and the sample starts).

  render_samples.py audio --rate 16000 --out OUT.svg [--title T] [--mark S]
                          NAME=RAWFILE ...
      Each RAWFILE is mono int16 little-endian. One waveform per row, all on
      the same y scale (-32768..32767), as a polyline, or as one min..max bar
      per pixel column when there are more samples than columns. --mark S draws
      a vertical line before sample S (where a prompt ends).

  render_samples.py text --out OUT.md NAME=FILE ...
      A markdown fragment: per sample a bold caption and a fenced block. Valid
      printable UTF-8 and newlines are shown as they are, every other byte
      (control bytes, tab, CR, invalid UTF-8) as \\xNN, a backslash as \\\\; the
      fence is longer than any run of backticks inside it.
"""
import argparse
import os
import struct
import sys
from xml.sax.saxutils import escape as xml_escape

FONT = 'font-family="sans-serif"'


def parse_pairs(pairs):
    out = []
    for p in pairs:
        name, sep, path = p.partition("=")
        if not sep or not name or not path:
            sys.exit(f"render_samples: expected NAME=FILE, got {p!r}")
        with open(path, "rb") as f:
            out.append((name, f.read()))
    return out


def svg_open(width, height):
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">',
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>']


def write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------- image

def render_image(args):
    items = parse_pairs(args.samples)
    w, h, s = args.width, args.height, args.scale
    for name, px in items:
        if len(px) != w * h:
            sys.exit(f"render_samples: {name}: {len(px)} bytes, expected {w}x{h} = {w * h}")
    gap, margin, cap = 24, 16, 22
    top = margin + (26 if args.title else 0)
    total_w = 2 * margin + len(items) * w * s + (len(items) - 1) * gap
    total_h = top + h * s + cap + margin
    svg = svg_open(total_w, total_h)
    if args.title:
        svg.append(f'<text x="{total_w / 2}" y="{margin + 14}" text-anchor="middle" '
                   f'{FONT} font-size="16">{xml_escape(args.title)}</text>')
    for k, (name, px) in enumerate(items):
        x0 = margin + k * (w * s + gap)
        # One path per gray value, one "M x y h n v 1 h -n z" per run of equal
        # pixels in a row, in pixel units scaled up: a few KB per patch.
        runs = {}
        for y in range(h):
            row = px[y * w:(y + 1) * w]
            x = 0
            while x < w:
                v, end = row[x], x + 1
                while end < w and row[end] == v:
                    end += 1
                runs.setdefault(v, []).append(f"M{x} {y}h{end - x}v1h-{end - x}z")
                x = end
        svg.append(f'<g shape-rendering="crispEdges" transform="translate({x0},{top})">')
        svg.append(f'<g transform="scale({s})">')
        for v in sorted(runs):
            svg.append(f'<path fill="#{v:02x}{v:02x}{v:02x}" d="{"".join(runs[v])}"/>')
        svg.append("</g>")
        svg.append(f'<rect x="0" y="0" width="{w * s}" height="{h * s}" fill="none" '
                   f'stroke="#888" stroke-width="1"/>')
        if args.mark_row is not None and 0 < args.mark_row < h:
            ym = args.mark_row * s
            svg.append(f'<line x1="-6" y1="{ym}" x2="0" y2="{ym}" stroke="red" stroke-width="2"/>')
            svg.append(f'<line x1="{w * s}" y1="{ym}" x2="{w * s + 6}" y2="{ym}" '
                       f'stroke="red" stroke-width="2"/>')
        svg.append("</g>")
        svg.append(f'<text x="{x0 + w * s / 2}" y="{top + h * s + 16}" text-anchor="middle" '
                   f'{FONT} font-size="13">{xml_escape(name)}</text>')
    svg.append("</svg>")
    write(args.out, "\n".join(svg) + "\n")


# ---------------------------------------------------------------- audio

def render_audio(args):
    items = parse_pairs(args.samples)
    waves = []
    for name, raw in items:
        if len(raw) % 2:
            sys.exit(f"render_samples: {name}: odd byte count {len(raw)} for int16 samples")
        waves.append((name, struct.unpack(f"<{len(raw) // 2}h", raw)))
    plot_w, row_h, margin, cap = args.plot_width, 110, 16, 20
    top = margin + (26 if args.title else 0)
    total_w = plot_w + 2 * margin
    total_h = top + len(waves) * (cap + row_h + 10) + margin
    svg = svg_open(total_w, total_h)
    if args.title:
        svg.append(f'<text x="{total_w / 2}" y="{margin + 14}" text-anchor="middle" '
                   f'{FONT} font-size="16">{xml_escape(args.title)}</text>')
    longest = max((len(v) for _, v in waves), default=1) or 1

    def ypix(v):  # -32768..32767 -> row_h..0
        return round(row_h * (32767 - v) / 65535, 2)

    for k, (name, v) in enumerate(waves):
        y0 = top + k * (cap + row_h + 10)
        ms = 1000 * len(v) / args.rate
        svg.append(f'<text x="{margin}" y="{y0 + 14}" {FONT} font-size="13">'
                   f'{xml_escape(name)} ({len(v)} samples, {ms:g} ms at {args.rate} Hz)</text>')
        gy = y0 + cap
        svg.append(f'<g transform="translate({margin},{gy})">')
        svg.append(f'<rect x="0" y="0" width="{plot_w}" height="{row_h}" fill="none" '
                   f'stroke="#bbb" stroke-width="1"/>')
        svg.append(f'<line x1="0" y1="{ypix(0)}" x2="{plot_w}" y2="{ypix(0)}" '
                   f'stroke="#ddd" stroke-width="1"/>')
        # x scale: the longest recording spans the plot, so all rows share one time axis.
        xs = plot_w / longest
        cols = max(1, round(len(v) * xs))  # pixel columns this recording spans
        if len(v) > cols:
            parts = []
            for c in range(cols):
                a, b = c * len(v) // cols, max((c + 1) * len(v) // cols, c * len(v) // cols + 1)
                seg = v[max(a - 1, 0):b]  # from the previous column's last sample: no gaps
                parts.append(f"M{c + 0.5} {ypix(max(seg))}V{ypix(min(seg)) + 0.5}")
            svg.append(f'<path d="{"".join(parts)}" stroke="#1f4e9c" stroke-width="1" fill="none"/>')
        elif v:
            pts = " ".join(f"{round(i * xs, 2)},{ypix(s)}" for i, s in enumerate(v))
            svg.append(f'<polyline points="{pts}" stroke="#1f4e9c" stroke-width="1" fill="none"/>')
        if args.mark is not None and 0 < args.mark < len(v):
            xm = round(args.mark * xs, 2)
            svg.append(f'<line x1="{xm}" y1="0" x2="{xm}" y2="{row_h}" stroke="red" '
                       f'stroke-width="1.5" stroke-dasharray="4 3"/>')
        svg.append("</g>")
    svg.append("</svg>")
    write(args.out, "\n".join(svg) + "\n")


# ---------------------------------------------------------------- text

def show_bytes(data: bytes) -> str:
    out, i = [], 0
    while i < len(data):
        b = data[i]
        n = 1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF \
            else 4 if 0xF0 <= b <= 0xF4 else 0
        ch = None
        if n:
            try:
                ch = data[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                ch = None
        if ch is not None and len(ch) == 1 and (ch == "\n" or ch.isprintable()):
            out.append("\\\\" if ch == "\\" else ch)
            i += n
        else:
            out.append(f"\\x{b:02x}")
            i += 1
    return "".join(out)


def render_text(args):
    items = parse_pairs(args.samples)
    md = []
    for name, data in items:
        body = show_bytes(data)
        run = longest = 0
        for ch in body:
            run = run + 1 if ch == "`" else 0
            longest = max(longest, run)
        fence = "`" * max(3, longest + 1)
        end = "" if body.endswith("\n") else "\n"
        md.append(f"**{xml_escape(name)}** ({len(data)} bytes):\n\n{fence}\n{body}{end}{fence}\n")
    write(args.out, "\n".join(md))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    pi = sub.add_parser("image")
    pi.add_argument("--width", type=int, required=True)
    pi.add_argument("--height", type=int, required=True)
    pi.add_argument("--scale", type=int, default=4)
    pi.add_argument("--mark-row", type=int)
    pi.add_argument("--title")
    pi.add_argument("--out", required=True)
    pi.add_argument("samples", nargs="+", metavar="NAME=RAWFILE")
    pa = sub.add_parser("audio")
    pa.add_argument("--rate", type=int, default=16000)
    pa.add_argument("--plot-width", type=int, default=800)
    pa.add_argument("--mark", type=int)
    pa.add_argument("--title")
    pa.add_argument("--out", required=True)
    pa.add_argument("samples", nargs="+", metavar="NAME=RAWFILE")
    pt = sub.add_parser("text")
    pt.add_argument("--out", required=True)
    pt.add_argument("samples", nargs="+", metavar="NAME=FILE")
    args = ap.parse_args()
    {"image": render_image, "audio": render_audio, "text": render_text}[args.mode](args)


if __name__ == "__main__":
    main()
