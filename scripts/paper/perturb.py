#!/usr/bin/env python3
"""A lightly perturbed copy of a text: in a share of its words (runs of at
least four ASCII letters) two adjacent inner letters swap places. The text
keeps its words, spelling aside, its layout and its length, so a model that
only knows the kind of text pays little for the change, while one that has
the exact text by heart loses what it remembered there.
Deterministic: Python's random.Random(seed).
  perturb.py IN OUT [--share 0.1] [--seed 1]"""
import argparse
import random
import re

ap = argparse.ArgumentParser()
ap.add_argument("inp")
ap.add_argument("out")
ap.add_argument("--share", type=float, default=0.1)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()

rng = random.Random(a.seed)
data = bytearray(open(a.inp, "rb").read())
changed = 0
for m in re.finditer(rb"[A-Za-z]{4,}", bytes(data)):
    if rng.random() >= a.share:
        continue
    i = rng.randrange(m.start() + 1, m.end() - 2)  # an inner pair: the first and last letters stay
    if data[i] != data[i + 1]:
        data[i], data[i + 1] = data[i + 1], data[i]
        changed += 1
open(a.out, "wb").write(data)
print(changed)
