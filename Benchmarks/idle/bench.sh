#!/usr/bin/env bash
# Idle CPU of `intake serve` with button polling on (poll_buttons = true, button_poll_ms = 250, a
# [[triggers]] kind = "button" so the poll runs) against SANE's test scanner: CPU seconds
# (utime + stime from /proc/PID/stat) over SECONDS of idling, after a 5 s settle.
#
# usage: Benchmarks/idle/bench.sh [SECONDS=60]   (BIN, WORK, RESULTS from run-all.sh)
# Result row: idle  seconds  cpu_seconds  percent_of_one_core  polls_per_second
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-60}
if [[ -z "${BIN:-}" ]]; then
    swift build -c release --product intake 2>&1 | tail -1
    BIN="$(swift build -c release --show-bin-path)"
fi
if [[ -z "${WORK:-}" ]]; then
    WORK="$(mktemp -d /tmp/intake-idle-bench.XXXXXX)"
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=${RESULTS:-$WORK/results.tsv}
I="$WORK/idle"
rm -rf "$I"; mkdir -p "$I/sane"
echo test > "$I/sane/dll.conf"
export SANE_CONFIG_DIR="$I/sane"
cat > "$I/intake.toml" <<TOML
organisation_code = "000.00.00.H49"
organisation_name = "Benchmark"
[paths]
state_dir = "$I/state"
socket = "$I/intake.sock"
[device]
name = "test:0"
poll_buttons = true
button_poll_ms = 250
[profiles.default]
source = "ADF"
mode = "Color"
resolution = 300
[[triggers]]
kind = "button"
button = "scan"
profile = "default"
[disk]
min_free_mb = 50
TOML
"$BIN/intake" serve --config "$I/intake.toml" 2> "$I/serve.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [[ -S "$I/intake.sock" ]] && break; sleep 0.1; done
[[ -S "$I/intake.sock" ]] || { echo "intake serve did not start"; cat "$I/serve.log"; exit 1; }
sleep 5
grep -q "scanner connected" "$I/serve.log" || { echo "the daemon did not open the test scanner"; cat "$I/serve.log"; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
a=$(ticks); t0=$(date +%s.%N)
sleep "$SECS"
b=$(ticks); t1=$(date +%s.%N)
python3 - "$a" "$b" "$HZ" "$t0" "$t1" <<'PY' | tee -a "$RESULTS"
import sys
a, b, hz, t0, t1 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
cpu = (b - a) / hz
wall = t1 - t0
print(f"idle\t{wall:.1f}\t{cpu:.2f}\t{100 * cpu / wall:.2f}\t4")
PY
kill -TERM $PID; wait $PID 2>/dev/null || true
trap - EXIT
