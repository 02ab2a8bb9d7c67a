#!/usr/bin/env bash
# Cost of the ĐẾN stamp on the registered path: `intake scan --direct` of one 200 × 200 mm colour page at
# 200 dpi from SANE's test scanner, RUNS times with [stamp] enabled = false and RUNS times with
# it on, interleaved. Prints the mean wall time of a whole registration (process start, SANE,
# JPEG, register, stamp) for each, the difference, and the file size added by the stamp (font
# subset + content stream + the update's xref), from the registered PDFs themselves.
#
# usage: Benchmarks/stamp/bench.sh [RUNS=10]   (BIN: directory holding `intake`; default release build)
# Result row: stamp  runs  off_s  on_s  delta_ms  bytes_added
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-10}
if [[ -z "${BIN:-}" ]]; then
    swift build -c release --product intake 2>&1 | tail -1
    BIN="$(swift build -c release --show-bin-path)"
fi
W="$(mktemp -d /tmp/intake-stamp-bench.XXXXXX)"
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/sane"
echo test > "$W/sane/dll.conf"
export SANE_CONFIG_DIR="$W/sane"
config() {  # $1 = on|off
    cat > "$W/$1.toml" <<TOML
organisation_code = "000.00.00.H49"
organisation_name = "Ủy ban nhân dân huyện Đông Anh"
[paths]
state_dir = "$W/state-$1"
socket = "$W/intake.sock"
[device]
name = "test:0"
poll_buttons = false
[profiles.default]
source = "Flatbed"
mode = "Color"
resolution = 200
page_width_mm = 200
page_height_mm = 200
[stamp]
enabled = $([[ $1 == on ]] && echo true || echo false)
TOML
}
config on; config off
"$BIN/intake" scan --direct --config "$W/off.toml" >/dev/null 2>&1   # warm caches, create the registers
"$BIN/intake" scan --direct --config "$W/on.toml" >/dev/null 2>&1
now() { date +%s.%N; }
declare -A total=([on]=0 [off]=0)
for ((i = 0; i < RUNS; i++)); do
    for mode in off on; do
        start=$(now)
        "$BIN/intake" scan --direct --config "$W/$mode.toml" >/dev/null 2>&1
        total[$mode]=$(echo "${total[$mode]} + $(now) - $start" | bc -l)
    done
done
# Bytes the stamp adds: each stamped file minus the offset its update starts at (/Prev's xref
# section ends with %%EOF; the update begins right after the first %%EOF).
added=0; n=0
for f in "$W"/state-on/documents/*/*.pdf; do
    size=$(stat -c %s "$f")
    first=$(grep -abo '%%EOF' "$f" | head -1 | cut -d: -f1)
    added=$((added + size - first - 6)); n=$((n + 1))
done
off=$(echo "${total[off]} / $RUNS" | bc -l); on=$(echo "${total[on]} / $RUNS" | bc -l)
printf "stamp\t%d\t%.3f\t%.3f\t%.1f\t%d\n" "$RUNS" "$off" "$on" "$(echo "($on - $off) * 1000" | bc -l)" $((added / n))
