#!/bin/sh
# At-rest encryption (AES-256-GCM in 1 MiB chunks): seal and open files of several sizes, one
# process per run, and print time, throughput and peak RSS, to show that memory does not grow
# with the document (neither sealing nor opening holds the file in memory).
# usage: Benchmarks/atrest/run.sh [release|debug] [work-dir] [sizes in MiB...]
set -eu
cd "$(dirname "$0")/../.."
MODE="${1:-release}"; shift || true
WORK="${1:-${TMPDIR:-/tmp}/atrest-bench}"; shift || true
SIZES="${*:-8 64 256}"
swift build -c "$MODE" --product atrest-bench >/dev/null
BIN="$(swift build -c "$MODE" --show-bin-path)/atrest-bench"
mkdir -p "$WORK"
openssl rand -hex 32 > "$WORK/key" 2>/dev/null || head -c 32 /dev/urandom > "$WORK/key"
chmod 600 "$WORK/key"
printf 'build\tmode\tbytes\tseconds\tMiB/s\tpeak_rss_KiB\tsha256_matches\n'
for size in $SIZES; do
    rm -f "$WORK/plain" "$WORK/sealed" "$WORK/opened"
    head -c "$((size * 1048576))" /dev/urandom > "$WORK/plain"
    expected=$(sha256sum "$WORK/plain" | cut -d' ' -f1)
    for step in seal open; do
        if [ "$step" = seal ]; then in="$WORK/plain"; out="$WORK/sealed"; else in="$WORK/sealed"; out="$WORK/opened"; fi
        line=$(/usr/bin/time -f '%M' -o "$WORK/rss" "$BIN" "$step" "$in" "$out" "$WORK/key")
        rss=$(tail -1 "$WORK/rss")
        sha=$(printf '%s' "$line" | cut -f5)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$MODE" "$step" "$(printf '%s' "$line" | cut -f2)" "$(printf '%s' "$line" | cut -f3)" \
            "$(printf '%s' "$line" | cut -f4)" "$rss" "$([ "$sha" = "$expected" ] && echo yes || echo NO)"
    done
    cmp -s "$WORK/plain" "$WORK/opened" || { echo "opened file differs from the original" >&2; exit 1; }
done
rm -f "$WORK/plain" "$WORK/sealed" "$WORK/opened"
