#!/usr/bin/env bash
# Upload drain: COUNT registered documents of SIZE bytes drained by `intake deliver --all`
# to intake-receiver on loopback, against a shell loop of `curl -F` posting the same files (same
# multipart shape, Bearer token, Idempotency-Key) to a fresh receiver store. Both receivers fsync
# every document. Prints documents per second of both and the ratio.
#
# The register is filled by registry-bench (Benchmarks/registry) with its document-bytes
# argument: COUNT real registrations (numbers, audit chain, outbox rows for target "central") of
# distinct random files behind a "%PDF-1.4" header. Scanning 500 documents would take far longer
# and give files of whatever size the scanner makes; the drain only sees files and rows.
#
# usage: Benchmarks/drain/bench.sh [COUNT=500] [SIZE=1048576]   (BIN, WORK, RESULTS from run-all.sh)
# Result rows: drain  method  documents  seconds  peak_rss_kib
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-500}
SIZE=${2:-1048576}
if [[ -z "${BIN:-}" ]]; then
    swift build -c release 2>&1 | tail -1
    BIN="$(swift build -c release --show-bin-path)"
fi
if [[ -z "${WORK:-}" ]]; then
    WORK="$(mktemp -d /tmp/intake-drain-bench.XXXXXX)"
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=${RESULTS:-$WORK/results.tsv}
D="$WORK/drain"
rm -rf "$D"; mkdir -p "$D"
umask 077; echo "drain-bench-token" > "$D/token"; umask 022
RECEIVER_PID=""
stop_receiver() {
    if [[ -n "$RECEIVER_PID" ]]; then kill "$RECEIVER_PID" 2>/dev/null || true; wait "$RECEIVER_PID" 2>/dev/null || true; fi
    RECEIVER_PID=""
}
trap 'stop_receiver' EXIT
start_receiver() {  # store directory → RECEIVER_PID, URL
    : > "$D/receiver.out"
    "$BIN/intake-receiver" --host 127.0.0.1 --port 0 --store "$1" --token-file "$D/token" \
        > "$D/receiver.out" 2> "$1.log" &
    RECEIVER_PID=$!
    for _ in $(seq 1 200); do grep -q "listening on" "$D/receiver.out" && break; sleep 0.05; done
    URL=$(sed -n 's/^listening on //p' "$D/receiver.out" | head -1)
    [[ -n "$URL" ]] || { echo "receiver did not start"; exit 1; }
}
held() { curl -s -H "Authorization: Bearer $(cat "$D/token")" "$URL/documents" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

echo "filling a register with $COUNT documents of $SIZE bytes (registry-bench)"
fill=$("$BIN/registry-bench" "$D/state" "$COUNT" 1 "$SIZE" | head -1)
echo "$fill"
printf 'fill\t%s\n' "$fill" >> "$RESULTS"

# --- intake deliver --------------------------------------------------------------------
start_receiver "$D/store-intake"
cat > "$D/intake.toml" <<TOML
organisation_code = "000.00.00.H49"
organisation_name = "Benchmark"
# Documents leave at once: these runs measure delivery, not the secrecy hold window.
[release]
hold_seconds = 0
[paths]
state_dir = "$D/state"
socket = "$D/intake.sock"
[device]
name = "test:0"
poll_buttons = false
[profiles.default]
source = "ADF"
mode = "Color"
resolution = 300
[[targets]]
name = "central"
kind = "http"
url = "$URL"
token_file = "$D/token"
connect_timeout_seconds = 5
total_timeout_seconds = 60
[disk]
min_free_mb = 50
TOML
sync
t0=$(date +%s.%N)
/usr/bin/time -o "$D/deliver.time" -f "%M" "$BIN/intake" deliver --all --config "$D/intake.toml" | tail -1
t1=$(date +%s.%N)
n=$(held)
echo "receiver holds $n documents"
[[ "$n" == "$COUNT" ]] || { echo "intake delivered $n of $COUNT"; exit 1; }
printf 'drain\tintake-deliver\t%s\t%.3f\t%s\n' "$COUNT" "$(echo "$t1 - $t0" | bc -l)" "$(tail -1 "$D/deliver.time")" | tee -a "$RESULTS"
stop_receiver

# --- shell loop of curl -F over the same files ------------------------------------------------
# The same stored files; metadata JSON with their sha256 is written before the timed loop (intake
# reads the digest from its register, so neither side hashes inside the timed part... except that
# the receiver checks every digest on both sides).
mkdir -p "$D/meta"
find "$D/state/documents" -type f -name '*.pdf' | sort > "$D/files.txt"
[[ $(wc -l < "$D/files.txt") == "$COUNT" ]] || { echo "expected $COUNT stored files"; exit 1; }
i=0
while read -r f; do
    i=$((i + 1)); sha=$(sha256sum "$f" | cut -d' ' -f1)
    printf '{"documentID":"000.00.00.H49-BENCH-%06d","book":"DEN","year":2026,"number":%d,"organisationCode":"000.00.00.H49","pages":1,"sha256":"%s","urgency":"normal","secrecy":"none"}' \
        "$i" "$i" "$sha" > "$D/meta/$i.json"
done < "$D/files.txt"
start_receiver "$D/store-curl"
sync
TOKEN=$(cat "$D/token")
t0=$(date +%s.%N)
i=0
while read -r f; do
    i=$((i + 1))
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Expect:' -H "Authorization: Bearer $TOKEN" \
        -H "Idempotency-Key: bench-$i" \
        -F "metadata=@$D/meta/$i.json;type=application/json" -F "file=@$f;type=application/pdf" "$URL/documents")
    [[ "$code" == 200 || "$code" == 201 ]] || { echo "curl upload $i answered $code"; exit 1; }
done < "$D/files.txt"
t1=$(date +%s.%N)
n=$(held)
echo "receiver holds $n documents"
printf 'drain\tcurl-loop\t%s\t%.3f\t%s\n' "$COUNT" "$(echo "$t1 - $t0" | bc -l)" "" | tee -a "$RESULTS"
stop_receiver
rm -rf "$D/store-intake" "$D/store-curl" "$D/state"
