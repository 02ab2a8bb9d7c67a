#!/usr/bin/env bash
# Lean executables (issue 13): what a process maps, how fast it starts, how much memory one
# scan to a file takes — the lean `intake` front against intake-full (the monolithic binary that
# was `intake` before the split: same code, every library), each dynamically linked against the
# Swift runtime and with --static-swift-stdlib (what scripts/package.sh ships).
#
# Per variant it prints:
#   start-up   `BIN --version`: median / min wall ms of RUNS runs, and ld.so's relocation count
#              and start-up time from LD_DEBUG=statistics (median);
#   libraries  shared objects the binary needs (ldd), and the ones the scanning process really
#              mapped (/proc/PID/maps sampled during the scan; libsane's dlopened backend included);
#   scan       `BIN scan --device pnm:0 --output x.pdf` of one A4 colour page at 300 dpi
#              (Benchmarks/scan/make-pages.py): median wall ms and median peak RSS (time -f %M).
#
# usage: Benchmarks/lean/bench.sh [OUT.md]      env: RUNS=21 (start-up) SCANS=7  KEEP=1  CONFIG=release|debug
#        STATIC_PRODUCTS="intake intake-full" (--static-swift-stdlib recompiles everything: set it
#        to "intake" to measure the static front alone when time is short)
# Writes a markdown table to OUT.md (default: $WORK/lean.md) and prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-21}
CONFIG=${CONFIG:-release}
SCANS=${SCANS:-7}
WORK="$(mktemp -d /tmp/intake-lean.XXXXXX)"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT
OUT=${1:-$WORK/lean.md}

build() {  # label, products, extra flags…
    local label=$1 products=$2; shift 2
    echo "== swift build -c $CONFIG $* ($products)" >&2
    for product in $products; do
        swift build -c "$CONFIG" "$@" --product "$product" 2>&1 | { grep -E "error:|Compiling|Build complete" || true; } | tail -1 >&2
    done
    local bin; bin="$(swift build -c "$CONFIG" "$@" --show-bin-path)"
    mkdir -p "$WORK/$label"
    for product in $products; do cp "$bin/$product" "$WORK/$label/"; done
}
build dynamic "intake intake-full"
build static "${STATIC_PRODUCTS:-intake intake-full}" --static-swift-stdlib

mkdir -p "$WORK/sane" "$WORK/pages"
printf 'pnm\n' > "$WORK/sane/dll.conf"
export SANE_CONFIG_DIR="$WORK/sane"
python3 Benchmarks/scan/make-pages.py "$WORK/pages" 1 > /dev/null
PAGE="$WORK/pages/colour-00.ppm"
[[ -f "$PAGE" ]] || { echo "error: make-pages.py wrote no $PAGE" >&2; exit 1; }

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
minimum() { sort -n | head -1; }
ms_since() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f\n", (b-a)*1000}'; }

startup() {  # binary → "median min relocations ldso_ms"
    local times=() t0 t1
    for _ in $(seq "$RUNS"); do
        t0=$EPOCHREALTIME; "$1" --version > /dev/null; t1=$EPOCHREALTIME
        times+=("$(ms_since "$t0" "$t1")")
    done
    local relocations=() ldso=()
    for _ in $(seq 5); do
        local stats; stats=$(LD_DEBUG=statistics "$1" --version 2>&1 >/dev/null)
        relocations+=("$(awk '/number of relocations:/ {print $NF; exit}' <<< "$stats")")
        # "total startup time in dynamic loader: 1234567 cycles" (or "… ns" on newer glibc)
        ldso+=("$(awk '/total startup time in dynamic loader/ {print $(NF-1); exit}' <<< "$stats")")
    done
    printf '%s %s %s %s\n' "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${times[@]}" | minimum)" \
        "$(printf '%s\n' "${relocations[@]}" | median)" "$(printf '%s\n' "${ldso[@]}" | median)"
}

scan_args() { echo scan --device pnm:0 --option "filename=$PAGE" --output "$1"; }

scan_rss() {  # binary → "median_ms median_rss_mib"
    local ms=() rss=() t0 t1 kb
    for i in $(seq "$SCANS"); do
        t0=$EPOCHREALTIME
        kb=$( { /usr/bin/time -f '%M' "$1" $(scan_args "$WORK/out-$i.pdf") 2>&1 >/dev/null; } | tail -1)
        t1=$EPOCHREALTIME
        [[ -s "$WORK/out-$i.pdf" ]] || { echo "error: $1 wrote no PDF" >&2; exit 1; }
        ms+=("$(ms_since "$t0" "$t1")")
        rss+=("$(awk -v k="$kb" 'BEGIN {printf "%.1f\n", k/1024}')")
    done
    printf '%s %s\n' "$(printf '%s\n' "${ms[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)"
}

mapped_during_scan() {  # binary → "count heavy-list" of shared objects the scanning process mapped
    "$1" $(scan_args "$WORK/maps.pdf") 2> /dev/null &
    local pid=$! seen=""
    while kill -0 "$pid" 2> /dev/null; do
        local maps; maps=$(cat "/proc/$pid/maps" 2> /dev/null || true)
        grep -q libsane <<< "$maps" && seen=$(printf '%s\n%s\n' "$seen" "$(awk '$6 ~ /\.so/ {print $6}' <<< "$maps")" | sort -u)
    done
    wait "$pid" || true
    local count heavy
    count=$(grep -c '\.so' <<< "$seen" || true)
    heavy=$(grep -oE 'lib(_FoundationICU|Foundation|FoundationInternationalization|icuuc|icudata|cairo|pango-1\.0|pangocairo-1\.0|curl|sqlite3|harfbuzz|harfbuzz-subset)\.so' <<< "$seen" \
        | sed 's/\.so.*//' | sort -u | paste -sd, - || true)
    printf '%s %s\n' "$count" "${heavy:-none}"
}

{
    echo "Lean executables, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);"
    echo "$(swift --version 2>&1 | head -1), -c $CONFIG; start-up: median of $RUNS; scan: one A4 colour page 300 dpi via pnm, median of $SCANS."
    echo
    echo "| binary | linking | --version median / min ms | ld.so relocations | ld.so start-up (LD_DEBUG cycles) | ldd libraries | mapped while scanning | heavy libraries mapped | scan wall ms | scan peak RSS MiB |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$OUT"
for linking in dynamic static; do
    for binary in intake intake-full; do
        bin="$WORK/$linking/$binary"
        [[ -x "$bin" ]] || continue
        read -r s_med s_min relocs ldso <<< "$(startup "$bin")"
        libs=$(ldd "$bin" | grep -c '=>\|ld-linux' || true)
        read -r mapped heavy <<< "$(mapped_during_scan "$bin")"
        read -r scan_ms rss <<< "$(scan_rss "$bin")"
        label=$([[ $binary == intake ]] && echo "intake (lean front)" || echo "intake-full (= old intake)")
        echo "| $label | $linking | $s_med / $s_min | $relocs | $ldso | $libs | $mapped | $heavy | $scan_ms | $rss |" >> "$OUT"
    done
done
echo >> "$OUT"
echo "Binary sizes (bytes): $(for l in dynamic static; do for b in intake intake-full; do [[ -f "$WORK/$l/$b" ]] && printf '%s/%s %s; ' $l $b "$(stat -c %s "$WORK/$l/$b")"; done; done)" >> "$OUT"
cat "$OUT"
