#!/usr/bin/env bash
# Issue 13's figures, medians of paired runs (every method once per run, one after the other):
#   page    one A4 colour page at 300 dpi through the pnm backend: `intake scan --output` against
#           `scanimage --format=jpeg` + img2pdf and `scanimage --format=tiff` + `tiff2pdf -j -q 80`
#           (wall, peak RSS, PDF bytes);
#   batch   50 colour pages from the test backend's ADF (5 batches of 10, 200×200 mm, no read delay):
#           pages/minute and peak RSS, one encoder (intake1: INTAKE_ENCODERS=1) and two (intake),
#           against scanimage --batch + img2pdf / tiffcp + tiff2pdf;
#   paced   10 colour pages with the test backend setting the pace (read limit + read delay),
#           registered path (`intake scan --config --profile`): the time from the device's last
#           line to the registered number, as intake's own "registered" line reports it
#           (after_last_line_ms; row stream-after), the upper bound intake's wall minus `scanimage`
#           reading the same pages to /dev/null, and CPU per page on top of that same scanimage run;
#   tables  Huffman tables on the eval-like pages (Benchmarks/stream/tables.sh): sizes with the trained
#           and the per-page optimised tables, same decoded pixels, blank-removal decisions.
#
# usage: Benchmarks/stream/bench.sh   env: RUNS=5 CASES="page batch paced tables"  BIN= WORK= RESULTS=
# Rows appended to $RESULTS: stream  case  method  run  wall_s  peak_rss_kib  pdf_bytes  cpu_s  pages
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
CASES=${CASES:-"page batch paced tables"}
STANDALONE=0
if [[ -z "${BIN:-}" ]]; then
    STANDALONE=1
    for product in intake intake-full; do  # as the .deb ships them
        swift build -c release --static-swift-stdlib --product "$product" 2>&1 | tail -1
    done
    BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)"
fi
if [[ -z "${WORK:-}" ]]; then
    WORK="$(mktemp -d /tmp/intake-stream-bench.XXXXXX)"
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=${RESULTS:-$WORK/results.tsv}
S="$WORK/stream"
mkdir -p "$S/sane"
printf 'test\npnm\n' > "$S/sane/dll.conf"
export SANE_CONFIG_DIR="$S/sane"
[[ -f "$S/pages/colour-00.ppm" ]] || python3 Benchmarks/scan/make-pages.py "$S/pages" 1
PAGE="$S/pages/colour-00.ppm"

sed -e "s|@S@|$S|g" -e "/^#/d" Benchmarks/scan/intake.toml.in > "$S/intake.toml"

STEPS="$S/steps.time"   # one "rss_kib user_s sys_s" line per process of the method
step() { /usr/bin/time -a -o "$STEPS" -f "%M %U %S" "$@"; }
TEST_ADF=(-d test:0 --source "Automatic Document Feeder" --mode Color --resolution 300 -l 0 -t 0 -x 200 -y 200
          --test-picture "Color pattern")
PACED=(--read-limit=yes --read-limit-size 65536 --read-delay=yes --read-delay-duration 1000)
INTAKE_ADF=(--device test:0 --source ADF --mode Color --resolution 300 --page-width-mm 200 --page-height-mm 200
            --option "test-picture=Color pattern")

m_page_intake() { step "$BIN/intake" scan --device pnm:0 --source Flatbed --mode Color --resolution 300 \
    --option "filename=$PAGE" --output "$S/out/page.pdf"; }
m_page_img2pdf() { step scanimage -d pnm:0 --filename "$PAGE" --resolution 300 --format=jpeg -o "$S/tmp/p.jpg" &&
    step img2pdf "$S/tmp/p.jpg" -o "$S/out/page.pdf"; }
m_page_tiff2pdf() { step scanimage -d pnm:0 --filename "$PAGE" --resolution 300 --format=tiff -o "$S/tmp/p.tif" &&
    step tiff2pdf -j -q 80 -o "$S/out/page.pdf" "$S/tmp/p.tif"; }

m_batch_intake() { local i; for ((i = 0; i < 5; i++)); do
    step "$BIN/intake" scan "${INTAKE_ADF[@]}" --output "$S/out/b$i.pdf" || return 1; done; }
m_batch_intake1() { INTAKE_ENCODERS=1 m_batch_intake; }
m_batch_img2pdf() { local i; for ((i = 0; i < 5; i++)); do mkdir -p "$S/tmp/b$i"
    step scanimage "${TEST_ADF[@]}" --format=jpeg --batch="$S/tmp/b$i/p%03d.jpg" || return 1
    step img2pdf "$S"/tmp/b"$i"/p*.jpg -o "$S/out/b$i.pdf" || return 1; done; }
m_batch_tiff2pdf() { local i; for ((i = 0; i < 5; i++)); do mkdir -p "$S/tmp/b$i"
    step scanimage "${TEST_ADF[@]}" --format=tiff --batch="$S/tmp/b$i/p%03d.tif" || return 1
    step tiffcp "$S"/tmp/b"$i"/p*.tif "$S/tmp/b$i.tif" || return 1
    step tiff2pdf -j -q 80 -o "$S/out/b$i.pdf" "$S/tmp/b$i.tif" || return 1; done; }

m_paced_device() { step scanimage "${TEST_ADF[@]}" "${PACED[@]}" --format=pnm --batch="$S/tmp/p%03d.pnm" \
    --batch-print > /dev/null && rm -f "$S"/tmp/p*.pnm; }
m_paced_intake() {
    step "$BIN/intake" scan --config "$S/intake.toml" --profile bench "${INTAKE_ADF[@]}" \
        --option read-limit=yes --option read-limit-size=65536 --option read-delay=yes --option read-delay-duration=1000; }

measure() {  # case method run pages
    local c=$1 m=$2 run=$3 pages=$4
    rm -rf "$S/out" "$S/tmp" "$S/state"; mkdir -p "$S/out" "$S/tmp"; : > "$STEPS"
    local t0 t1
    t0=$(date +%s.%N)
    if ! "m_${c}_$m" > "$S/$c-$m.log" 2>&1; then echo "FAILED: $c $m"; tail -n 8 "$S/$c-$m.log"; exit 1; fi
    t1=$(date +%s.%N)
    local bytes rss cpu
    bytes=$({ find "$S/out" "$S/state" -type f -name '*.pdf' -printf '%s\n' 2>/dev/null || true; } | awk '{s+=$1} END {print s+0}')
    rss=$(awk '{print $1}' "$STEPS" | sort -n | tail -1)
    cpu=$(awk '{s+=$2+$3} END {printf "%.3f", s}' "$STEPS")
    printf 'stream\t%s\t%s\t%s\t%.4f\t%s\t%s\t%s\t%s\n' "$c" "$m" "$run" "$(echo "$t1 - $t0" | bc -l)" "$rss" "$bytes" \
        "$cpu" "$pages" | tee -a "$RESULTS"
    # The registered path says itself how long after the scanner's last line the number was given.
    local after
    after=$(sed -n 's/.*after_last_line_ms=\([0-9.]*\).*/\1/p' "$S/$c-$m.log" | tail -1)
    if [[ -n "$after" ]]; then printf 'stream-after\t%s\t%s\t%s\t%s\n' "$c" "$m" "$run" "$after" | tee -a "$RESULTS"; fi
}

for ((run = 1; run <= RUNS; run++)); do
    for c in $CASES; do
        case $c in
        page) for m in intake img2pdf tiff2pdf; do measure page $m "$run" 1; done ;;
        batch) for m in intake1 intake img2pdf tiff2pdf; do measure batch $m "$run" 50; done ;;
        paced) for m in device intake; do measure paced $m "$run" 10; done ;;
        esac
    done
done

if [[ " $CASES " == *" tables "* ]]; then
    export S BIN RESULTS
    Benchmarks/stream/tables.sh
fi

if [[ $STANDALONE == 1 ]]; then python3 Benchmarks/stream/table.py "$RESULTS"; fi
