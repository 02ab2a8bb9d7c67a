#!/usr/bin/env bash
# Scan → PDF: `intake scan --output` and the registered path (`intake scan --config --profile`,
# no daemon: scan + PDF + register) against `scanimage --batch` + img2pdf and
# `scanimage --format=tiff` + tiffcp + tiff2pdf, on the same pages in one run.
#
# usage: Benchmarks/scan/bench.sh            (standalone: builds release, prints a table)
#   env: RUNS=3  PAGES="10 50"  BACKENDS="test pnm"  MODES="color lineart"
#        BIN=...  WORK=...  RESULTS=file.tsv   (set by Benchmarks/run-all.sh)
#
# Each result row (tab-separated, appended to $RESULTS):
#   scan  backend  mode  pages  method  run  wall_s  peak_rss_kib  output_bytes
# Peak RSS of a method is the largest of its processes: its steps run one after another, never
# at the same time, so the largest step is what the machine must hold.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
PAGES=${PAGES:-"10 50"}
BACKENDS=${BACKENDS:-"test pnm"}
MODES=${MODES:-"color lineart"}
STANDALONE=0
if [[ -z "${BIN:-}" ]]; then
    STANDALONE=1
    swift build -c release --product intake 2>&1 | tail -1
    BIN="$(swift build -c release --show-bin-path)"
fi
if [[ -z "${WORK:-}" ]]; then
    WORK="$(mktemp -d /tmp/intake-scan-bench.XXXXXX)"
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=${RESULTS:-$WORK/results.tsv}
S="$WORK/scan"
mkdir -p "$S/sane"
printf 'test\npnm\n' > "$S/sane/dll.conf"
export SANE_CONFIG_DIR="$S/sane"

# Document-like A4 pages for the pnm backend: 10 distinct pages, used in turn for 50.
if [[ ! -f "$S/pages/lineart-09.pbm" ]]; then
    python3 Benchmarks/scan/make-pages.py "$S/pages" 10
fi

# Registered path: a configuration whose state directory is emptied before every run.
sed -e "s|@S@|$S|g" -e "/^#/d" Benchmarks/scan/intake.toml.in > "$S/intake.toml"

STEPS="$S/steps.time"   # one peak-RSS line (KiB) per process of the method being measured
step() { /usr/bin/time -a -o "$STEPS" -f "%M" "$@"; }

# measure backend mode pages method run  command...  (output bytes: the files under $S/out)
measure() {
    local backend=$1 mode=$2 pages=$3 method=$4 run=$5; shift 5
    rm -rf "$S/out" "$S/tmp" "$S/state"; mkdir -p "$S/out" "$S/tmp"; : > "$STEPS"
    local t0 t1
    t0=$(date +%s.%N)
    if ! "$@" >"$S/$method.log" 2>&1; then
        echo "FAILED: $backend $mode $pages $method (see below)"; tail -n 8 "$S/$method.log"; exit 1
    fi
    t1=$(date +%s.%N)
    local bytes rss
    if [[ "$method" == intake-registered ]]; then
        bytes=$(find "$S/state/documents" -type f -name '*.pdf' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
    else
        bytes=$(find "$S/out" -type f -name '*.pdf' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
    fi
    rss=$(sort -n "$STEPS" | tail -1)
    printf 'scan\t%s\t%s\t%s\t%s\t%s\t%.3f\t%s\t%s\n' "$backend" "$mode" "$pages" "$method" "$run" \
        "$(echo "$t1 - $t0" | bc -l)" "$rss" "$bytes" | tee -a "$RESULTS"
}

# --- the four methods, for one backend/mode/page count ------------------------------------------
# test backend: the feeder gives 10 pages per batch, so every method scans pages/10 batches and
#   writes one 10-page PDF per batch (intake cannot append to a PDF; the peers do the same).
# pnm backend: one page per scan, so every method runs one scanner process per page; intake writes
#   one PDF (or registers one document) per page, the peers convert all pages into one PDF at the
#   end (fewer process starts for them).
pnm_file() {  # mode page-index
    local n; n=$(printf '%02d' $(( $2 % 10 )))
    if [[ $1 == lineart ]]; then echo "$S/pages/lineart-$n.pbm"; else echo "$S/pages/colour-$n.ppm"; fi
}
scanimage_test_args() {  # mode
    local area=(-l 0 -t 0 -x 200 -y 200)
    local a=(-d test:0 --source "Automatic Document Feeder" --resolution 300 "${area[@]}" --test-picture "Color pattern")
    if [[ $1 == lineart ]]; then a+=(--mode Gray --depth 1); else a+=(--mode Color); fi
    printf '%q ' "${a[@]}"
}

m_intake_pdf() {  # backend mode pages
    local backend=$1 mode=$2 pages=$3 i
    if [[ $backend == test ]]; then
        for ((i = 0; i < pages / 10; i++)); do
            step "$BIN/intake" scan --device test:0 --source ADF --mode "$(mode_name "$mode")" --resolution 300 \
                --page-width-mm 200 --page-height-mm 200 --option "test-picture=Color pattern" --output "$S/out/b$i.pdf" \
                || return 1
        done
    else
        for ((i = 0; i < pages; i++)); do
            step "$BIN/intake" scan --device pnm:0 --source Flatbed --mode "$(mode_name "$mode")" --resolution 300 \
                --option "filename=$(pnm_file "$mode" "$i")" --output "$S/out/p$i.pdf" || return 1
        done
    fi
}
mode_name() { if [[ $1 == lineart ]]; then echo Lineart; else echo Color; fi; }

m_intake_registered() {
    local backend=$1 mode=$2 pages=$3 i
    if [[ $backend == test ]]; then
        for ((i = 0; i < pages / 10; i++)); do
            step "$BIN/intake" scan --config "$S/intake.toml" --profile bench --device test:0 --source ADF \
                --mode "$(mode_name "$mode")" --resolution 300 --page-width-mm 200 --page-height-mm 200 \
                --option "test-picture=Color pattern" || return 1
        done
    else
        for ((i = 0; i < pages; i++)); do
            step "$BIN/intake" scan --config "$S/intake.toml" --profile bench --device pnm:0 --source Flatbed \
                --mode "$(mode_name "$mode")" --resolution 300 --option "filename=$(pnm_file "$mode" "$i")" || return 1
        done
    fi
}

m_img2pdf() {
    local backend=$1 mode=$2 pages=$3 i
    if [[ $backend == test ]]; then
        for ((i = 0; i < pages / 10; i++)); do
            mkdir -p "$S/tmp/b$i"
            eval "step scanimage $(scanimage_test_args "$mode") --format=pnm --batch=$S/tmp/b$i/p%03d.pnm" || return 1
            step img2pdf "$S"/tmp/b"$i"/p*.pnm -o "$S/out/b$i.pdf" || return 1
        done
    else
        for ((i = 0; i < pages; i++)); do
            step scanimage -d pnm:0 --filename "$(pnm_file "$mode" "$i")" --resolution 300 --format=pnm \
                -o "$S/tmp/p$(printf %03d "$i").pnm" || return 1
        done
        step img2pdf "$S"/tmp/p*.pnm -o "$S/out/all.pdf" || return 1
    fi
}

m_tiff2pdf() {
    local backend=$1 mode=$2 pages=$3 i
    # colour: JPEG q80 like intake; lineart: merged as CCITT G4 (lossless, like intake) and passed through.
    local cp=(tiffcp) t2p=(tiff2pdf -j -q 80)
    if [[ $mode == lineart ]]; then cp=(tiffcp -c g4); t2p=(tiff2pdf); fi
    if [[ $backend == test ]]; then
        for ((i = 0; i < pages / 10; i++)); do
            mkdir -p "$S/tmp/b$i"
            eval "step scanimage $(scanimage_test_args "$mode") --format=tiff --batch=$S/tmp/b$i/p%03d.tif" || return 1
            step "${cp[@]}" "$S"/tmp/b"$i"/p*.tif "$S/tmp/b$i.tif" || return 1
            step "${t2p[@]}" -o "$S/out/b$i.pdf" "$S/tmp/b$i.tif" || return 1
        done
    else
        for ((i = 0; i < pages; i++)); do
            step scanimage -d pnm:0 --filename "$(pnm_file "$mode" "$i")" --resolution 300 --format=tiff \
                -o "$S/tmp/p$(printf %03d "$i").tif" || return 1
        done
        step "${cp[@]}" "$S"/tmp/p*.tif "$S/tmp/all.tif" || return 1
        step "${t2p[@]}" -o "$S/out/all.pdf" "$S/tmp/all.tif" || return 1
    fi
}

# Can intake drive this backend at all? (pnm has no 'mode' option; see BENCHMARKS.md.)
intake_can() {  # backend mode → 0 if a one-page intake scan works; else prints the reason
    local backend=$1 mode=$2 args
    if [[ $backend == test ]]; then
        args=(--device test:0 --source ADF --resolution 75 --page-width-mm 20 --page-height-mm 20)
    else
        args=(--device pnm:0 --source Flatbed --resolution 300 --option "filename=$(pnm_file "$mode" 0)")
    fi
    if ! "$BIN/intake" scan "${args[@]}" --mode "$(mode_name "$mode")" --output "$S/probe.pdf" > "$S/probe.log" 2>&1; then
        tr '\n' ' ' < "$S/probe.log"; return 1
    fi
}

for backend in $BACKENDS; do
    for mode in $MODES; do
        methods="intake-pdf intake-registered img2pdf tiff2pdf"
        if [[ $mode != color ]]; then
            # Decree 30/2020 Phụ lục I: a registered copy is a colour image; intake refuses other
            # modes on the registered path (DigitisationRule), so only the file path is measured.
            printf 'note\t%s\t%s\tregistered path: colour only (digitisation rule)\n' "$backend" "$mode" | tee -a "$RESULTS"
            methods="intake-pdf img2pdf tiff2pdf"
        fi
        if ! why=$(intake_can "$backend" "$mode"); then
            printf 'note\t%s\t%s\tintake cannot scan: %s\n' "$backend" "$mode" "$why" | tee -a "$RESULTS"
            methods="img2pdf tiff2pdf"
        fi
        for pages in $PAGES; do
            for ((run = 1; run <= RUNS; run++)); do
                for method in $methods; do
                    measure "$backend" "$mode" "$pages" "$method" "$run" "m_${method//-/_}" "$backend" "$mode" "$pages"
                done
            done
        done
    done
done

if [[ $STANDALONE == 1 ]]; then
    python3 Benchmarks/report.py --print "$RESULTS"
fi
