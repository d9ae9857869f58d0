#!/usr/bin/env python3
"""Forges a version 4 .lmz so that its first chunk claims 64 MiB of content.

    scripts/forge-claim.py IN.lmz OUT.lmz

The frame's chunk size becomes 2^26 (written as its exponent), the first
record loses its partial size (so it claims a whole chunk), and the header
checksum is recomputed, so that only the payload can give the forgery away:
the attack of issue 15, failure 2 (docs/FORMAT.md, "Decoder work and
memory"). Frames with a layout are refused (their chunk size is tied to it).
"""
import ctypes
import sys

xxhash = ctypes.CDLL("libxxhash.so.0")
xxhash.XXH64.restype = ctypes.c_uint64
xxhash.XXH64.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]


def varint_end(b, at):
    while b[at] & 0x80:
        at += 1
    return at + 1


def forge(b):
    if b[:4] != b"\x89LMZ":
        raise SystemExit("forge-claim: not an lmzip frame")
    if b[4] != 4:
        raise SystemExit("forge-claim: format version %d, not 4" % b[4])
    d = b[5]
    if d & 0x10:
        raise SystemExit("forge-claim: a frame with a layout")
    at = 6
    for _ in range((d & 7) + 1):
        shipped = b[at]
        at += 1 + (4 if shipped else 1 + b[at + 1] + 32)
    size_at = at
    size_end = at + 1 if d & 0x40 else varint_end(b, at)
    stage_end = size_end + (1 if d & 0x08 else 0)
    record = stage_end + 2
    tag = b[record]
    if not tag & 4:
        raise SystemExit("forge-claim: the first chunk is not partial")
    out = bytearray(b)
    del out[record + 1:varint_end(out, record + 1)]  # the partial size
    out[record] = tag & ~4
    out[size_at:size_end] = bytes([26])
    out[5] = d | 0x40
    header_end = size_at + 1 + (stage_end - size_end)
    check = xxhash.XXH64(bytes(out[:header_end]), header_end, 0) & 0xFFFF
    out[header_end:header_end + 2] = check.to_bytes(2, "little")
    return bytes(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    with open(sys.argv[2], "wb") as f:
        f.write(forge(data))
