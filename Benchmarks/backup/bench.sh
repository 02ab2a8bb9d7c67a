#!/usr/bin/env bash
# Backup benchmark: `intake backup` of a register with N documents (default 10,000 of 200 kB of
# distinct random data each, the size of a 2-page colour scan), then `intake restore` of it into
# an empty state directory, and the tar stream (`--to -`). Prints seconds, MB and peak memory.
# Release build with the same flags as scripts/package.sh, so one build serves both.
# usage: Benchmarks/backup/bench.sh [documents=10000] [bytes-per-document=200000] [work-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000}"
BYTES="${2:-200000}"
WORK="${3:-${TMPDIR:-/tmp}/intake-backup-bench}"
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
FLAGS=(-c release --static-swift-stdlib)
swift build "${FLAGS[@]}" --product intake 2>&1 | tail -n 1
swift build "${FLAGS[@]}" --product registry-bench 2>&1 | tail -n 1
BIN="$(swift build "${FLAGS[@]}" --show-bin-path)"

rm -rf "$WORK"
mkdir -p "$WORK"
echo "filling a register with $N documents of $BYTES bytes (registry-bench) ..."
"$BIN/registry-bench" "$WORK/state" "$N" 1 "$BYTES" | grep '^register'
rm -f "$WORK/state/register.csv" "$WORK/state/register.pdf"
cat > "$WORK/intake.toml" <<TOML
organisation_code = "000.00.00.H49"
[paths]
state_dir = "$WORK/state"
socket = "$WORK/intake.sock"
TOML
sync
mb() { du -sm "$1" | cut -f1; }
measure() {  # label, file for the command's output, command...: prints wall seconds and peak RSS
  local label="$1" out="$2"; shift 2
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/rss" "$@" > "$out"
  end=$(date +%s.%N)
  printf "%-9s %6.1f s   peak RSS %s MiB" "$label" "$(awk "BEGIN{print $end - $start}")" "$(( $(cat "$WORK/rss") / 1024 ))"
}
measure backup "$WORK/backup.out" "$BIN/intake" backup --config "$WORK/intake.toml" --to "$WORK/backups" --keep 1
DIR=$(ls -d "$WORK"/backups/intake-backup-*)
echo "   $(mb "$DIR") MB in $(grep -c . "$DIR/SHA256SUMS") files ($N documents)"
mkdir -p "$WORK/restored"
sed "s|$WORK/state|$WORK/restored|" "$WORK/intake.toml" > "$WORK/restore.toml"
measure restore "$WORK/restore.out" "$BIN/intake" restore --config "$WORK/restore.toml" --from "$DIR" --offline
echo "   $(mb "$WORK/restored") MB restored, $(grep -o '[0-9]* entries checked' "$WORK/restore.out")"
measure tar "$WORK/stream.tar" "$BIN/intake" backup --config "$WORK/intake.toml" --to -
echo "   $(( $(stat -c %s "$WORK/stream.tar") / 1048576 )) MB tar stream"
echo "(work dir $WORK on $(df -T "$WORK" | awk 'NR==2 {print $2}'), $(nproc) cores, $(date -u +%FT%TZ))"
rm -rf "$WORK"
