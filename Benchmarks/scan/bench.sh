#!/usr/bin/env bash
# Scan → PDF: `intake scan` against `scanimage --batch` + img2pdf and `scanimage --format=tiff`
# + tiff2pdf, on the same SANE test-backend pages in one run. Prints wall time, peak RSS and
# PDF size of each, and Intake's ratios. Usage: Benchmarks/scan/bench.sh [pages-per-run]
set -euo pipefail
cd "$(dirname "$0")/../.."
./scripts/setup.sh >/dev/null
swift build -c release --product intake 2>&1 | grep -E "error|Compiling|Build complete" | tail -1
BIN="$(swift build -c release --show-bin-path)"
WORK="$(mktemp -d /tmp/intake-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/sane"; echo test > "$WORK/sane/dll.conf"; export SANE_CONFIG_DIR="$WORK/sane"

# The test backend's feeder gives 10 pages per batch.
measure() { # name, command...
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 || { echo "$name failed:"; tail -5 "$WORK/$name.log"; exit 1; }
  end=$(date +%s.%N)
  local wall rss
  wall=$(python3 -c "print(f'{$end-$start:.3f}')")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.time")
  echo "$name $wall $rss"
}

run_case() { # mode depth-label
  local mode=$1 label=$2
  local area=(-l 0 -t 0 -x 210 -y 297)
  local sargs=(--source "Automatic Document Feeder" --resolution 300 "${area[@]}" --test-picture "Color pattern")
  local smode
  if [ "$mode" = Lineart ]; then smode=(--mode Gray --depth 1); else smode=(--mode "$mode"); fi
  rm -rf "$WORK/batch" "$WORK/tiffs"; mkdir -p "$WORK/batch" "$WORK/tiffs"
  local a b c
  a=$(measure "intake-$label" "$BIN/intake" scan --device test:0 --source ADF --mode "$mode" --resolution 300 \
        --page-width-mm 210 --page-height-mm 297 --option "test-picture=Color pattern" --output "$WORK/intake-$label.pdf")
  b=$(measure "img2pdf-$label" bash -c "cd '$WORK/batch' && scanimage -d test ${sargs[*]@Q} ${smode[*]@Q} --format=pnm --batch=p%03d.pnm && img2pdf p*.pnm -o '$WORK/img2pdf-$label.pdf' 2>/dev/null || (for f in p*.pnm; do pnmtopng \"\$f\" > \"\${f%.pnm}.png\" 2>/dev/null; done; img2pdf p*.png -o '$WORK/img2pdf-$label.pdf')")
  c=$(measure "tiff2pdf-$label" bash -c "cd '$WORK/tiffs' && scanimage -d test ${sargs[*]@Q} ${smode[*]@Q} --format=tiff --batch=p%03d.tif && tiffcp p*.tif all.tif && tiff2pdf -j -q 80 -o '$WORK/tiff2pdf-$label.pdf' all.tif 2>/dev/null || tiff2pdf -o '$WORK/tiff2pdf-$label.pdf' all.tif")
  python3 - "$WORK" "$label" "$a" "$b" "$c" <<'PY'
import os, sys
work, label, *rows = sys.argv[1:]
res = {}
for row in rows:
    name, wall, rss = row.split()
    size = os.path.getsize(os.path.join(work, name + ".pdf"))
    res[name.rsplit("-", 1)[0]] = (float(wall), int(rss), size)
    print(f"  {name:22s} wall {float(wall):7.2f} s   peak RSS {int(rss)/1024:8.1f} MiB   PDF {size/1e6:8.2f} MB")
i = res["intake"]
for peer in ("img2pdf", "tiff2pdf"):
    p = res[peer]
    print(f"  intake / {peer:9s} wall {i[0]/p[0]:.2f}×   RSS {i[1]/p[1]:.2f}×   size {i[2]/p[2]:.2f}×")
PY
}

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
echo "10 pages, colour 300 dpi, A4, SANE test backend (Color pattern):"
run_case Color color
echo "10 pages, lineart 300 dpi, A4:"
run_case Lineart lineart
