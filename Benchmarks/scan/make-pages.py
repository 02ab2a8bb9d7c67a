#!/usr/bin/env python3
"""Document-like A4 pages at 300 dpi for SANE's pnm backend.

usage: make-pages.py OUT_DIR [COUNT=10]

Writes COUNT distinct pages in two forms:
  colour-NN.ppm   off-white paper with scanner noise, black text-like strokes, a red round seal
                  and a red header line (what a Vietnamese official letter looks like);
  lineart-NN.pbm  the same layout thresholded to 1 bit (what a lineart scan gives).
Pages are 2480 x 3508 px (A4 at 300 dpi). The text is made of glyph-sized strokes in words and
lines (12 pt-ish: x-height ~ 22 px, line pitch ~ 75 px), so it compresses like printed text.
"""
import os
import sys

import numpy as np

W, H = 2480, 3508


def page(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ink = np.zeros((H, W), dtype=bool)      # black text
    red = np.zeros((H, W), dtype=bool)      # seal and header rule

    def glyph(x: int, y: int, xh: int) -> int:
        w = int(rng.integers(int(xh * 0.5), int(xh * 1.0)))
        stroke = 3
        kind = rng.integers(0, 6)
        top = y - xh
        if kind in (1, 4):                     # ascender (b, d, h, l, k)
            top = y - int(xh * 1.45)
        ink[top:y, x:x + stroke] = True                       # left stem
        if kind in (0, 1, 2):
            ink[y - xh:y, x + w - stroke:x + w] = True        # right stem (n, h, u)
        if kind in (0, 3, 4):
            ink[y - xh:y - xh + stroke, x:x + w] = True       # top bar
        if kind in (2, 3, 5):
            ink[y - stroke:y, x:x + w] = True                 # bottom bar
        if kind == 5:
            ink[y - xh // 2:y - xh // 2 + stroke, x:x + w] = True   # middle bar (e)
        if rng.random() < 0.15:                                # Vietnamese diacritic above
            ink[top - 12:top - 8, x + w // 4:x + w // 4 + max(6, w // 2)] = True
        return w

    margin_l, margin_r = 300, W - 240
    y = 260
    # Header: two centred blocks (cơ quan / quốc hiệu), bold-ish, then a red rule.
    for block_x in (300, 1300):
        for line in range(3):
            x = block_x + int(rng.integers(0, 80))
            for _ in range(int(rng.integers(2, 5))):
                for _ in range(int(rng.integers(3, 8))):
                    x += glyph(x, y + line * 70, 26) + 6
                x += 24
        if block_x == 1300:
            red[y + 230:y + 234, 1450:2050] = True
    y += 420
    # Body: paragraphs of justified text lines.
    while y < H - 700:
        x = margin_l + (90 if rng.random() < 0.3 else 0)
        line_end = margin_r - int(rng.integers(0, 40 if rng.random() < 0.85 else 900))
        while x < line_end - 120:
            for _ in range(int(rng.integers(2, 8))):
                x += glyph(x, y, 22) + 5
            x += 22
        y += 75 if rng.random() < 0.9 else 150
    # Signature block and round red seal, overlapping the signature.
    cx, cy, r = 1750, H - 420, 190
    yy, xx = np.ogrid[:H, :W]
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    red |= (d < r) & (d > r - 14)
    red |= (d < r - 40) & (d > r - 48)
    red |= (np.abs(xx - cx) < 60) & (np.abs(yy - cy) < 8)
    for k in range(0, 360, 9):
        a = np.deg2rad(k)
        px, py = int(cx + (r - 26) * np.cos(a)), int(cy + (r - 26) * np.sin(a))
        red[py - 5:py + 5, px - 5:px + 5] = True
    sx = 1550
    for _ in range(3):
        sx += glyph(sx, H - 430, 30) + 9

    # Colour scan: paper tone plus sensor noise, ink a little grey, seal red and translucent.
    noise = rng.normal(0, 3.0, size=(H, W)).astype(np.int16)
    base = np.empty((H, W, 3), dtype=np.int16)
    base[..., 0] = 246 + noise
    base[..., 1] = 244 + noise
    base[..., 2] = 236 + noise
    base[ink] = (28, 28, 32)
    base[red & ~ink] = (205, 38, 42)
    base[red & ink] = (70, 15, 20)
    colour = np.clip(base, 0, 255).astype(np.uint8)
    # Lineart scan: ink is black; the seal's thin red prints as black where the threshold catches it.
    black = ink | (red & (rng.random((H, W)) < 0.6))
    return colour, black


def main() -> None:
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    os.makedirs(out, exist_ok=True)
    for n in range(count):
        colour, black = page(1000 + n)
        with open(os.path.join(out, f"colour-{n:02d}.ppm"), "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (W, H))
            f.write(colour.tobytes())
        with open(os.path.join(out, f"lineart-{n:02d}.pbm"), "wb") as f:
            f.write(b"P4\n%d %d\n" % (W, H))
            f.write(np.packbits(black, axis=1).tobytes())


if __name__ == "__main__":
    main()
