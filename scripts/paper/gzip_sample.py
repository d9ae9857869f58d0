#!/usr/bin/env python3
"""gzip as a generative model: draw bytes from a compressor (the paper's Figure 3).

"Language Modeling Is Compression" (Deletang et al. 2023, section 3.4) turns any
compressor into a sampler: a compressor that codes a sequence x in L(x) bits
implicitly assigns it the probability 2^-L(x), so the next byte b after a
context c is drawn with

    P(b | c)  proportional to  2^-L(c + b),   b = 0..255.

Here L is the length of zlib's raw DEFLATE stream (level 9, wbits -15, so no
zlib/gzip header or checksum is counted) in bits, i.e. 8 x bytes. The context
is the prompt plus everything drawn so far, limited to its last --context bytes
(default 2048, the paper's chunk size). Each drawn byte costs 256 compressions;
the shared context is compressed once per step with zlib.compressobj and each
candidate continues a .copy() of that state (zlib's deflateCopy), which gives
exactly the lengths of compressing context + b from scratch (check it with
--self-test).

Why gzip's samples look like noise: DEFLATE's output is byte-granular, so the
256 candidate lengths fall into a few classes only (typically 3 to 5 distinct
byte counts, e.g. 47 / 65 / 81 / 63 candidates at 1005 / 1006 / 1007 / 1008
bytes for 2 KB of wikitext, zlib 1.2.13). Each extra byte costs a factor 256,
so nearly all the probability goes to the shortest class, and inside it all
candidates tie: the draw is uniform over a set of "cheap" bytes (a few to a
few dozen, mostly bytes the context uses), with no regard for which would make
sense next. That gives letter soup for text and noise for image and audio
bytes; the paper's Figure 3 shows exactly this.

The draw is exact: weights are integers 256^(Lmax - L(b)) (L in bytes) and one
random.Random(seed).randrange(total) picks the byte, so a given seed, prompt,
--context, Python version and zlib version always give the same bytes.

The sampler only sees bytes, so text, image pixels (8-bit gray, row-major) and
audio (int16 little-endian) are handled the same way. 16-bit audio is drawn
byte by byte: low byte, then high byte, each conditioned on everything before
it, which is a valid factorisation of the sample's probability.

Usage:
  gzip_sample.py --prompt FILE --n N --seed S [--context C] --out FILE
  gzip_sample.py --self-test      (checks the copy trick and determinism)

Python 3.11 standard library only. Writes only the N drawn bytes (not the prompt);
--out - writes them to stdout. Progress goes to stderr (--quiet silences it).
"""
import argparse
import random
import sys
import time
import zlib

LEVEL = 9
WBITS = -15  # raw deflate: no header, no checksum


def keep_heap() -> None:
    """Each candidate's compressor copy allocates ~270 KB and frees it. glibc
    hands the freed top of the heap back to the OS and the next copy faults
    it in again (about 8,000 page faults per drawn byte); under memory load
    that made a drawn byte cost 0.3 s instead of 5 ms. Raising the trim
    threshold keeps those pages. glibc only; elsewhere nothing changes."""
    try:
        import ctypes
        ctypes.CDLL(None).mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD = 64 MiB
    except (OSError, AttributeError):
        pass


def compressed_len(data: bytes) -> int:
    """Raw-deflate length of data in bytes, compressed from scratch."""
    c = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS)
    return len(c.compress(data)) + len(c.flush())


def candidate_lens(context: bytes) -> list[int]:
    """Raw-deflate length in bytes of context + bytes([b]) for b = 0..255,
    compressing the context once and continuing a copy for each candidate."""
    base = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS)
    head = len(base.compress(context))
    lens = []
    for b in range(256):
        c = base.copy()
        lens.append(head + len(c.compress(bytes((b,)))) + len(c.flush()))
    return lens


def draw(lens: list[int], rng: random.Random) -> int:
    """Draw b with P(b) proportional to 2^(-8 * lens[b]), exactly (integers)."""
    top = max(lens)
    weights = [256 ** (top - n) for n in lens]
    r = rng.randrange(sum(weights))
    for b, w in enumerate(weights):
        if r < w:
            return b
        r -= w
    raise AssertionError("unreachable")


def sample(prompt: bytes, n: int, seed: int, context: int = 2048,
           progress=None) -> bytes:
    rng = random.Random(seed)
    history = bytearray(prompt)
    out = bytearray()
    for i in range(n):
        ctx = bytes(history[-context:]) if context > 0 else b""
        b = draw(candidate_lens(ctx), rng)
        history.append(b)
        out.append(b)
        if progress and (i + 1) % 256 == 0:
            progress(i + 1)
    return bytes(out)


def self_test() -> int:
    rng = random.Random(0)
    text = (b"The quick brown fox jumps over the lazy dog. " * 40
            + bytes(rng.randrange(256) for _ in range(300)))
    cases = [b"", b"a", text[:1], text[:200], text[:2048], text[-2048:],
             bytes(range(256)) * 8, b"\x00" * 2048,
             bytes(rng.randrange(256) for _ in range(2048))]
    for ctx in cases:
        fast = candidate_lens(ctx)
        for b in range(256):
            slow = compressed_len(ctx + bytes((b,)))
            if fast[b] != slow:
                print(f"self-test: copy trick differs for context of {len(ctx)} bytes, "
                      f"b={b}: {fast[b]} != {slow}", file=sys.stderr)
                return 1
    print(f"self-test: copy trick == from scratch for {len(cases)} contexts x 256 bytes")
    a = sample(text[:200], 32, 7)
    b = sample(text[:200], 32, 7)
    if a != b:
        print("self-test: same seed gave different bytes", file=sys.stderr)
        return 1
    print(f"self-test: same seed twice -> same {len(a)} bytes")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--prompt", help="file whose bytes the sample continues")
    ap.add_argument("--n", type=int, help="bytes to draw")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--context", type=int, default=2048,
                    help="bytes of context the compressor sees (default 2048)")
    ap.add_argument("--out", help="file for the drawn bytes (- for stdout)")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    keep_heap()
    if args.self_test:
        return self_test()
    if args.n is None or args.out is None:
        ap.error("--n and --out are required")
    if args.n < 0 or args.context < 0:
        ap.error("--n and --context must be >= 0")
    prompt = b""
    if args.prompt:
        with open(args.prompt, "rb") as f:
            prompt = f.read()
    t0 = time.monotonic()

    def progress(i):
        if not args.quiet:
            print(f"gzip_sample: {i}/{args.n} bytes, {time.monotonic() - t0:.1f} s",
                  file=sys.stderr)

    out = sample(prompt, args.n, args.seed, args.context, progress)
    if args.out == "-":
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    else:
        with open(args.out, "wb") as f:
            f.write(out)
    if not args.quiet:
        print(f"gzip_sample: {len(out)} bytes after a {len(prompt)}-byte prompt "
              f"(context {args.context}, seed {args.seed}) in "
              f"{time.monotonic() - t0:.1f} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
