#!/usr/bin/env python3
"""Tables for Benchmarks/stream/bench.sh rows (medians over runs; the goals of issue 13).

usage: table.py RESULTS.tsv        (prints markdown); report.py imports render().
"""
import statistics
import sys
from collections import defaultdict

MIB = 1024.0


def collect(rows):
    cells = defaultdict(list)
    for r in rows:
        if r[0] == "stream":
            _, case, method, run, wall, rss, size, cpu, pages = r[:9]
            cells[(case, method)].append((float(wall), int(rss), int(size), float(cpu), int(pages)))
    return cells


def med(values, i):
    return statistics.median(v[i] for v in values)


def render(rows):
    cells = collect(rows)
    if not cells:
        return []
    runs = max(len(v) for v in cells.values())
    out = []
    w = out.append
    w(f"Medians of {runs} paired run(s): in each run every method ran once, one after the other.")
    w("")
    w("| case | method | wall ms | peak RSS MiB | PDF bytes | CPU ms | pages/min |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (case, method), v in sorted(cells.items()):
        wall, pages = med(v, 0), v[0][4]
        w(f"| {case} | {method} | {wall * 1000:.0f} | {med(v, 1) / MIB:.1f} | {med(v, 2):.0f} | {med(v, 3) * 1000:.0f} | "
          f"{pages / wall * 60:.0f} |")
    w("")
    w("Against the goals of issue 13:")
    w("")
    w("| goal | measured | peer | verdict |")
    w("| --- | --- | --- | --- |")

    def row(goal, measured, peer, ok):
        w(f"| {goal} | {measured} | {peer} | {'met' if ok else 'missed'} |")

    if ("page", "intake") in cells:
        i, j, t = cells[("page", "intake")], cells.get(("page", "img2pdf")), cells.get(("page", "tiff2pdf"))
        wall, rss, size = med(i, 0) * 1000, med(i, 1) / MIB, med(i, 2)
        row("A4 colour page ≤ 55 ms wall", f"{wall:.0f} ms", f"img2pdf {med(j, 0) * 1000:.0f} ms" if j else "", wall <= 55)
        row("… ≤ 20 MiB peak RSS", f"{rss:.1f} MiB", f"img2pdf {med(j, 1) / MIB:.1f} MiB" if j else "", rss <= 20)
        if j:
            row("… ≤ 0.3× wall of scanimage + img2pdf", f"{wall / (med(j, 0) * 1000):.2f}×", "", wall / (med(j, 0) * 1000) <= 0.3)
            row("… ≤ 0.5× RSS of scanimage + img2pdf", f"{rss / (med(j, 1) / MIB):.2f}×", "", rss / (med(j, 1) / MIB) <= 0.5)
        if t:
            ratio = size / med(t, 2)
            row("… PDF ≤ 1.03× of tiff2pdf -j -q 80", f"{size:.0f} B ({ratio:.3f}×)", f"tiff2pdf {med(t, 2):.0f} B", ratio <= 1.03)
    peers = ", ".join(f"{m} {50 / med(cells[('batch', m)], 0) * 60:.0f}/min"
                      for m in ("img2pdf", "tiff2pdf") if ("batch", m) in cells)
    peer_rss = ", ".join(f"{m} {med(cells[('batch', m)], 1) / MIB:.1f} MiB" for m in ("img2pdf", "tiff2pdf") if ("batch", m) in cells)
    for method, label, goal in (("intake1", "one encoder", 1700), ("intake", "two encoders", 2500)):
        if ("batch", method) not in cells:
            continue
        i = cells[("batch", method)]
        ppm = 50 / med(i, 0) * 60
        row(f"50 ADF pages ≥ {goal:,} pages/min ({label})", f"{ppm:.0f}/min", peers, ppm >= goal)
        row(f"… peak RSS ≤ 50 MiB ({label})", f"{med(i, 1) / MIB:.1f} MiB", peer_rss, med(i, 1) / MIB <= 50)
    if ("paced", "intake") in cells and ("paced", "device") in cells:
        i, d = cells[("paced", "intake")], cells[("paced", "device")]
        tail = (med(i, 0) - med(d, 0)) * 1000
        cpu = (med(i, 3) - med(d, 3)) * 1000 / i[0][4]
        after = [float(r[4]) for r in rows if r[0] == "stream-after" and r[1] == "paced"]
        if after:
            measured = statistics.median(after)
            row("paced: PDF registered ≤ 10 ms after the last line (intake's own after_last_line_ms)",
                f"{measured:.1f} ms", f"upper bound: intake wall − device-only wall {tail:.0f} ms", measured <= 10)
        else:
            row("paced: PDF registered ≤ 10 ms after the last line (upper bound: intake wall − device-only wall)",
                f"{tail:.0f} ms", f"device alone {med(d, 0) * 1000:.0f} ms", tail <= 10)
        row("paced: CPU per page ≤ 35 ms on top of the backend", f"{cpu:.1f} ms", f"device alone {med(d, 3) * 1000 / d[0][4]:.1f} ms/page", cpu <= 35)
    tables = [r for r in rows if r[0] == "stream-tables"]
    if tables:
        w("")
        w("Huffman tables on the eval-like pages (one A4 page at 300 dpi per PDF, quality 80; "
          "letters/forms/near-blank: Benchmarks/huffman/make-training-pages.py eval set, colour-NN: the scan "
          "benchmark's pages; the tables were trained on a separate set):")
        w("")
        w("| page | trained (default) | jpeg_optimize | tiff2pdf -j -q 80 | trained ÷ tiff2pdf | optimised ÷ tiff2pdf | same pixels | blank removed (expected) |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        tt = to = tp = 0
        for _, name, trained, optimised, peer, same, blank, expected in tables:
            t, o, p = int(trained), int(optimised), int(peer)
            tt, to, tp = tt + t, to + o, tp + p
            w(f"| {name} | {t} | {o} | {p} | {t / p:.3f}× | {o / p:.3f}× | {same} | {blank} ({expected}) |")
        w(f"| **all** | {tt} | {to} | {tp} | {tt / tp:.3f}× | {to / tp:.3f}× | "
          f"{'all' if all(r[5] == 'yes' for r in tables) else 'NOT all'} | "
          f"{'all as expected' if all(r[6] == r[7] for r in tables) else 'DIFFERENT'} |")
    return out


if __name__ == "__main__":
    rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    print("\n".join(render(rows)))
