#!/usr/bin/env python3
"""Document pages for training (and evaluating) JPEG Huffman tables, drawn with the scan
benchmark's page code (Benchmarks/scan/make-pages.py).

usage: make-training-pages.py OUT_DIR SET      SET: train (seeds 2000…) or eval (seeds 3000…)
Writes letters with a red seal (colour, and gray as a gray scanner gives them), forms (ruled boxes
with text), and near-blank pages (paper tone, noise, a few specks: the back of a sheet).
The scan benchmark's own pages (seeds 1000…) are the third, independent set.
"""
import importlib.util
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("pages", os.path.join(here, "..", "scan", "make-pages.py"))
pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pages)
W, H = pages.W, pages.H


def paper(rng):
    noise = rng.normal(0, 3.0, size=(H, W)).astype(np.int16)
    base = np.empty((H, W, 3), dtype=np.int16)
    base[..., 0], base[..., 1], base[..., 2] = 246 + noise, 244 + noise, 236 + noise
    return base


def form(seed):
    rng = np.random.default_rng(seed)
    colour, _ = pages.page(seed)
    base = colour.astype(np.int16)
    # Ruled boxes over the lower two thirds (a form), light blue rules as printed forms have.
    for y in range(1300, H - 600, 120):
        base[y:y + 3, 250:W - 250] = (90, 120, 200)
    for x in (250, 900, 1600, W - 253):
        base[1300:H - 600, x:x + 3] = (90, 120, 200)
    return np.clip(base, 0, 255).astype(np.uint8)


def near_blank(seed):
    rng = np.random.default_rng(seed)
    base = paper(rng)
    for _ in range(60):  # dust specks
        x, y = int(rng.integers(0, W - 3)), int(rng.integers(0, H - 3))
        base[y:y + 2, x:x + 2] = int(rng.integers(40, 160))
    base[:25, :] -= 60  # feeder shadow along the top edge
    return np.clip(base, 0, 255).astype(np.uint8)


def write(path, img):
    with open(path, "wb") as f:
        if img.ndim == 3:
            f.write(b"P6\n%d %d\n255\n" % (W, H))
        else:
            f.write(b"P5\n%d %d\n255\n" % (W, H))
        f.write(img.tobytes())


def gray(img):
    return ((77 * img[..., 0].astype(np.int32) + 150 * img[..., 1] + 29 * img[..., 2]) >> 8).astype(np.uint8)


def main():
    out, which = sys.argv[1], sys.argv[2]
    seed = 2000 if which == "train" else 3000
    os.makedirs(out, exist_ok=True)
    for n in range(3):
        letter, _ = pages.page(seed + n)
        write(os.path.join(out, f"letter-{n}.ppm"), letter)
        write(os.path.join(out, f"letter-gray-{n}.pgm"), gray(letter))
    for n in range(2):
        write(os.path.join(out, f"form-{n}.ppm"), form(seed + 10 + n))
        write(os.path.join(out, f"nearblank-{n}.ppm"), near_blank(seed + 20 + n))


if __name__ == "__main__":
    main()
