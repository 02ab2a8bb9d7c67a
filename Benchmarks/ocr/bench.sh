#!/usr/bin/env bash
# Header OCR: seconds per page (median) and the field error rate, on header bands drawn by
# make-headers.py — a tuning set (the layouts the parser was written against) and a held-out set
# (bodies, places, types and marks kept apart, used only here). Release build of intake-ocr.
#   Benchmarks/ocr/bench.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/intake-ocr-bench}
swift build -c release --product intake-ocr 2>&1 | tail -n 1
BIN=$(swift build -c release --show-bin-path)/intake-ocr
python3 Benchmarks/ocr/make-headers.py "$OUT"
python3 - "$BIN" "$OUT" <<'PY'
import json, os, statistics, subprocess, sys, time, unicodedata
binary, out = sys.argv[1], sys.argv[2]
truth = json.load(open(os.path.join(out, "truth.json")))
norm = lambda s: unicodedata.normalize("NFC", s or "").strip().upper()
rows = {"tuning": [], "heldout": []}
for name in sorted(truth):
    start = time.monotonic()
    # The drawn bands are already the top 40 % of an A4 page at 300 dpi (2480 × 1400): read them whole.
    run = subprocess.run([binary, "--band", "1", os.path.join(out, name)], capture_output=True, text=True,
                         env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    wall = time.monotonic() - start
    fields = json.loads(run.stdout)["fields"]
    expected = truth[name]
    keys = sorted(set(expected) | {k for k in ("secrecyMark", "urgencyMark") if fields.get(k)})
    wrong = [k for k in keys if norm((fields.get(k) or {}).get("value")) != norm(expected.get(k))]
    rows[name.split("-")[0]].append((wall, len(keys), wrong))
    print(f"{name}: {wall:.2f} s, {len(keys) - len(wrong)}/{len(keys)} fields right" + (f" (wrong: {', '.join(wrong)})" if wrong else ""))
for set_name, items in rows.items():
    fields = sum(n for _, n, _ in items); wrong = sum(len(w) for _, _, w in items)
    marks_wrong = sum(1 for _, _, w in items for k in w if k.endswith("Mark"))
    print(f"{set_name}: {len(items)} pages, median {statistics.median(t for t, _, _ in items):.2f} s/page, "
          f"field error rate {wrong}/{fields} = {100 * wrong / fields:.1f} %, mark errors {marks_wrong}")
PY
