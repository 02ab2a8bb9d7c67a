#!/usr/bin/env python3
"""Turns the rows of Benchmarks/run-all.sh into tables: stdout and BENCHMARKS.md.

usage: report.py RESULTS.tsv [BENCHMARKS.md]     report.py --print RESULTS.tsv
Scan figures are medians over the runs (wall, peak RSS, output size each on its own).
Benchmarks/analysis.md, if present, is copied in after the tables (the written explanation).
"""
import os
import statistics
import sys
from collections import defaultdict

GOAL_WALL, GOAL_RSS, GOAL_SIZE, GOAL_DRAIN, GOAL_IDLE = 0.5, 0.3, 1.0, 1.0, 1.0


def load(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]
    machine = {r[1]: r[2] for r in rows if r[0] == "machine"}
    loads = [(r[1], r[2]) for r in rows if r[0] == "load"]
    sections = {r[1]: int(r[2]) for r in rows if r[0] == "section"}
    scan = defaultdict(list)
    for r in rows:
        if r[0] == "scan":
            _, backend, mode, pages, method, run, wall, rss, size = r
            scan[(backend, mode, int(pages), method)].append((float(wall), int(rss), int(size)))
    drain = {r[1]: (int(r[2]), float(r[3]), r[4] if len(r) > 4 else "") for r in rows if r[0] == "drain"}
    registry = [r for r in rows if r[0] == "registry"]
    idle = [r for r in rows if r[0] == "idle"]
    notes = [r for r in rows if r[0] == "note"]
    fill = [r for r in rows if r[0] == "fill"]
    return machine, loads, sections, scan, drain, registry, idle, notes, fill


def mark(ratio, goal):
    return "met" if ratio <= goal else f"missed ({ratio / goal:.1f}× the goal)"


def render(path):
    machine, loads, sections, scan, drain, registry, idle, notes, fill = load(path)
    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Produced by `Benchmarks/run-all.sh` (one command: release build as the .deb ships it, with the Swift")
    w("runtime linked statically, then every measurement below on")
    w("the same pages in one run). Raw rows of this run: `Benchmarks/last-run.tsv`.")
    w("")
    w("## Machine and load")
    w("")
    for key in ("date", "nproc", "memory", "cpu", "kernel", "filesystem", "swift", "tools"):
        if key in machine:
            w(f"- **{key}**: {machine[key]}")
    w("- **load average (1, 5, 15 min)** — the 2 cores are shared with other engineers' builds, so wall")
    w("  times are noisy; medians of the runs are reported:")
    for when, value in loads:
        w(f"  - {when}: {value}")
    if sections:
        w("- **section durations**: " + ", ".join(f"{k} {v} s" for k, v in sections.items()))
    w("")

    if scan:
        w("## 1. Scan → PDF")
        w("")
        runs = max(len(v) for v in scan.values())
        w(f"Median of {runs} run(s) per cell. Wall: whole method, all processes. Peak RSS: the largest")
        w("process of the method (steps run one after another, never together, so the largest step is what")
        w("the machine must hold; summing would count memory that is never in use at the same time).")
        w("Size: all PDFs the method wrote (registered path: the stored document files).")
        w("")
        for _, backend, mode, text in notes:
            if text.startswith("intake cannot scan"):
                w(f"**{backend} {mode}: {text.strip()}** — only the peers were measured there.")
            else:
                w(f"**{backend} {mode}: {text.strip()}.**")
            w("")
        w("| backend | mode | pages | method | wall s | peak RSS MiB | output MB | s/page |")
        w("| --- | --- | --- | --- | ---: | ---: | ---: | ---: |")
        med = {}
        for key in sorted(scan):
            vals = scan[key]
            m = (statistics.median(v[0] for v in vals), statistics.median(v[1] for v in vals),
                 statistics.median(v[2] for v in vals))
            med[key] = m
            backend, mode, pages, method = key
            w(f"| {backend} | {mode} | {pages} | {method} | {m[0]:.2f} | {m[1] / 1024:.1f} | {m[2] / 1e6:.2f} | {m[0] / pages:.3f} |")
        w("")
        w("Intake's ratios (intake ÷ peer; goals: wall ≤ 0.5×, RSS ≤ 0.3×, size ≤ 1.0×):")
        w("")
        w("| backend | mode | pages | intake method | vs | wall | RSS | size |")
        w("| --- | --- | --- | --- | --- | ---: | ---: | ---: |")
        misses = []
        for (backend, mode, pages, method) in sorted(med):
            if not method.startswith("intake"):
                continue
            i = med[(backend, mode, pages, method)]
            for peer in ("img2pdf", "tiff2pdf"):
                p = med.get((backend, mode, pages, peer))
                if not p:
                    continue
                rw, rr, rs = i[0] / p[0], i[1] / p[1], i[2] / p[2]
                w(f"| {backend} | {mode} | {pages} | {method} | {peer} | {rw:.2f}× | {rr:.2f}× | {rs:.2f}× |")
                for name, ratio, goal in (("wall", rw, GOAL_WALL), ("RSS", rr, GOAL_RSS), ("size", rs, GOAL_SIZE)):
                    if ratio > goal:
                        misses.append(f"{backend} {mode} {pages} p, {method} vs {peer}: {name} {ratio:.2f}× "
                                      f"(goal {goal}×, {ratio / goal:.1f}× over)")
        w("")
        if misses:
            w(f"Goals missed in {len(misses)} comparison(s):")
            w("")
            for m in misses:
                w(f"- {m}")
        else:
            w("All scan goals met.")
        w("")

    if drain:
        w("## 2. Upload drain")
        w("")
        w("| method | documents | seconds | documents/s | peak RSS MiB |")
        w("| --- | ---: | ---: | ---: | ---: |")
        for name, (n, secs, rss) in drain.items():
            rss_text = f"{int(rss) / 1024:.1f}" if rss else "–"
            w(f"| {name} | {n} | {secs:.2f} | {n / secs:.1f} | {rss_text} |")
        if "intake-deliver" in drain and "curl-loop" in drain:
            a = drain["intake-deliver"][0] / drain["intake-deliver"][1]
            b = drain["curl-loop"][0] / drain["curl-loop"][1]
            w("")
            for row in fill:
                w(f"Register filled by registry-bench: {row[1]}")
            w("")
            w(f"Ratio intake ÷ curl loop: **{a / b:.2f}×** (goal ≥ {GOAL_DRAIN}×: {'met' if a / b >= GOAL_DRAIN else 'missed'}).")
        w("")

    if registry:
        w("## 3. Registration latency")
        w("")
        for _, n, p50, p99 in registry:
            w(f"`register()` over {n} registrations of a 200 kB PDF (fsync, WAL, synchronous=FULL; "
              f"Benchmarks/registry): **p50 {p50} ms, p99 {p99} ms**.")
        w("")

    if idle:
        w("## 4. Idle CPU of `intake serve` (button polling on)")
        w("")
        for _, secs, cpu, pct, _ in idle:
            w(f"{cpu} CPU seconds over {secs} s = **{pct} % of one core** (goal ≤ {GOAL_IDLE} %: "
              f"{'met' if float(pct) <= GOAL_IDLE else 'missed, ' + format(float(pct) / GOAL_IDLE, '.1f') + '× the goal'}).")
        w("")

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stream"))
    import table as stream_table  # Benchmarks/stream/table.py
    stream = stream_table.render([line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()])
    if stream:
        w("## 5. Streaming page pipeline (issue 13)")
        w("")
        out.extend(stream)
        w("")

    ocr_delay = [r for r in open(path, encoding="utf-8").read().splitlines() if r.startswith("ocr-delay\t")]
    if ocr_delay:
        w("## 6. Header OCR before delivery (Benchmarks/ocr/delay.sh)")
        w("")
        w("| [ocr] | documents | numbering median ms | registration → delivered median ms | header OCR median s/page |")
        w("| --- | --- | --- | --- | --- |")
        for row in ocr_delay:
            _, label, n, numbering, delay, ocr = row.split("\t")
            w(f"| {label} | {n} | {numbering} | {delay} | {ocr if label == 'on' else '–'} |")
        w("")

    analysis = os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.md")
    if os.path.exists(analysis):
        w(open(analysis, encoding="utf-8").read().rstrip())
        w("")
    return "\n".join(out)


def main():
    if sys.argv[1] == "--print":
        print(render(sys.argv[2]))
        return
    text = render(sys.argv[1])
    print(text)
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
