#!/usr/bin/env bash
# All of Intake's benchmarks in one run, on this machine: builds release as the .deb ships it
# (--static-swift-stdlib), then
#   1. scan → PDF (Benchmarks/scan/bench.sh): intake (file and registered path) against
#      scanimage + img2pdf and scanimage + tiffcp + tiff2pdf, SANE test and pnm backends;
#   2. upload drain (Benchmarks/drain/bench.sh): `intake deliver` against a `curl -F` loop;
#   3. registration latency (Benchmarks/registry/run.sh): p50 / p99 of register();
#   4. idle CPU of `intake serve` with button polling (Benchmarks/idle/bench.sh);
#   5. the streaming page pipeline's goals, paired runs (Benchmarks/stream/bench.sh).
#   6. header OCR before delivery, numbering with and without it (Benchmarks/ocr/delay.sh).
# Prints the figures and writes BENCHMARKS.md (machine, load, tables, ratios against the goals).
#
# usage: Benchmarks/run-all.sh
#   env: RUNS=3 PAGES="10 50" BACKENDS="test pnm" MODES="color lineart"   (scan grid)
#        DRAIN_COUNT=500 DRAIN_SIZE=1048576  REGISTRATIONS=1000  IDLE_SECONDS=60
#        OCR_DOCUMENTS=10
#        SECTIONS="scan drain registry idle ocr"   KEEP=1 keeps the work directory
set -euo pipefail
cd "$(dirname "$0")/.."
SECTIONS=${SECTIONS:-"scan drain registry idle stream ocr"}
# What the .deb ships (scripts/package.sh): release, the Swift runtime linked statically.
echo "== swift build -c release --static-swift-stdlib"
swift build -c release --static-swift-stdlib 2>&1 | grep -E "error:|warning: unre|Compiling|Build complete" | tail -2
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)"
export BIN
WORK="$(mktemp -d /tmp/intake-run-all.XXXXXX)"
export WORK
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.tsv"
export RESULTS
: > "$RESULTS"

machine() {
    printf 'machine\tdate\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'machine\tnproc\t%s\n' "$(nproc)"
    printf 'machine\tmemory\t%s\n' "$(free -h | awk '/^Mem/ {print $2}')"
    printf 'machine\tcpu\t%s\n' "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    printf 'machine\tkernel\t%s\n' "$(uname -r)"
    printf 'machine\tfilesystem\t%s\n' "$(df -T "$WORK" | awk 'NR==2 {print $2}')"
    printf 'machine\tswift\t%s\n' "$(swift --version 2>&1 | head -1)"
    printf 'machine\ttools\tscanimage %s; img2pdf %s; tiff2pdf (libtiff %s); curl %s\n' \
        "$(scanimage --version | awk '{print $NF}' | head -1)" "$(img2pdf --version 2>&1 | awk '{print $NF}')" \
        "$(dpkg-query -W -f '${Version}' libtiff-tools 2>/dev/null)" "$(curl --version | awk 'NR==1 {print $2}')"
}
load() { printf 'load\t%s\t%s\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
machine | tee -a "$RESULTS"

for section in $SECTIONS; do
    load "before $section" | tee -a "$RESULTS"
    t0=$(date +%s)
    case $section in
    scan)
        echo "== 1. scan → PDF"
        Benchmarks/scan/bench.sh ;;
    drain)
        echo "== 2. upload drain"
        Benchmarks/drain/bench.sh "${DRAIN_COUNT:-500}" "${DRAIN_SIZE:-1048576}" ;;
    registry)
        echo "== 3. registration latency (Benchmarks/registry)"
        Benchmarks/registry/run.sh "$WORK/registry" "${REGISTRATIONS:-1000}" 1000 2>&1 | tee "$WORK/registry.out" | grep -v '^\[' || true
        line=$(grep '^register:' "$WORK/registry.out")
        p50=$(sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<< "$line")
        p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<< "$line")
        printf 'registry\t%s\t%s\t%s\n' "${REGISTRATIONS:-1000}" "$p50" "$p99" >> "$RESULTS" ;;
    idle)
        echo "== 4. idle CPU of intake serve, button polling on"
        Benchmarks/idle/bench.sh "${IDLE_SECONDS:-60}" ;;
    stream)
        echo "== 5. streaming page pipeline (issue 13), paired runs"
        Benchmarks/stream/bench.sh ;;
    ocr)
        echo "== 6. header OCR: delay before delivery, numbering with and without it"
        Benchmarks/ocr/delay.sh "${OCR_DOCUMENTS:-10}" ;;
    esac
    printf 'section\t%s\t%s\n' "$section" "$(( $(date +%s) - t0 ))" >> "$RESULTS"
    load "after $section" | tee -a "$RESULTS"
done

cp "$RESULTS" Benchmarks/last-run.tsv
python3 Benchmarks/report.py "$RESULTS" BENCHMARKS.md
echo "== wrote BENCHMARKS.md (raw rows: Benchmarks/last-run.tsv)"
