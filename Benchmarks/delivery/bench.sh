#!/usr/bin/env bash
# Upload throughput: Delivery (CurlTransport + HTTPTarget, one keep-alive handle) against a shell
# loop of `curl -F` (one process and one connection per document), same files, each side to a fresh
# intake-receiver store, in one run.
#
# Usage: Benchmarks/delivery/bench.sh [COUNT] [SIZE_BYTES]     (defaults: 500 documents of 1 MiB)
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-500}
SIZE=${2:-1048576}
WORK=$(mktemp -d /tmp/intake-delivery-bench.XXXXXX)
RECEIVER_PID=""
cleanup() {
    if [[ -n "$RECEIVER_PID" ]]; then kill "$RECEIVER_PID" 2>/dev/null || true; wait "$RECEIVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building release (receiver and tests)"
swift build -c release --product delivery-bench 2>&1 | tail -1
swift build -c release --product intake-receiver 2>&1 | tail -1
BIN=$(swift build -c release --show-bin-path)

echo "== generating $COUNT files of $SIZE bytes"
mkdir -p "$WORK/files" "$WORK/meta"
for i in $(seq -f "%06g" 1 "$COUNT"); do
    { printf '%%PDF-1.7\n'; head -c $((SIZE - 9)) /dev/urandom; } > "$WORK/files/$i.pdf"
done
# Metadata for the curl side (digests precomputed, as the Swift side does before its timed loop).
n=0
for f in "$WORK"/files/*.pdf; do
    n=$((n + 1)); id=$(basename "$f" .pdf); sha=$(sha256sum "$f" | cut -d' ' -f1)
    printf '{"arrivedAt":"2026-11-23T08:30:00+07:00","book":"DEN","classified":false,"documentID":"000.00.00.H49-2026-%s","fields":{},"number":%d,"organisationCode":"000.00.00.H49","pages":1,"secrecy":"thuong","sha256":"%s","urgency":"thuong","year":2026}' \
        "$id" "$n" "$sha" > "$WORK/meta/$id.json"
done

start_receiver() {  # $1 = store directory; sets RECEIVER_PID and URL
    "$BIN/intake-receiver" --port 0 --store "$1" --token bench-token > "$WORK/receiver.out" 2> "$1.log" &
    RECEIVER_PID=$!
    for _ in $(seq 1 100); do
        if [[ -s "$WORK/receiver.out" ]]; then break; fi
        sleep 0.05
    done
    URL=$(sed -n '1s/^listening on //p' "$WORK/receiver.out")
    [[ -n "$URL" ]] || { echo "receiver did not start"; exit 1; }
}
stop_receiver() {
    kill "$RECEIVER_PID"; wait "$RECEIVER_PID" 2>/dev/null || true; RECEIVER_PID=""
}
held() { curl -s -H 'Authorization: Bearer bench-token' "$URL/documents" | grep -o '"receipt"' | wc -l; }

echo "== Swift Delivery (CurlTransport/HTTPTarget)"
start_receiver "$WORK/store-swift"
"$BIN/delivery-bench" "$WORK/files" "$URL" bench-token "$WORK/swift.result"
echo "receiver holds $(held) documents"
stop_receiver
read -r swift_docs swift_secs < "$WORK/swift.result"

echo "== shell loop of curl -F"
start_receiver "$WORK/store-curl"
t0=$(date +%s.%N)
for f in "$WORK"/files/*.pdf; do
    id=$(basename "$f" .pdf)
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Expect:' -H 'Authorization: Bearer bench-token' \
        -H "Idempotency-Key: 000.00.00.H49-2026-$id" \
        -F "metadata=@$WORK/meta/$id.json;type=application/json" -F "file=@$f;type=application/pdf" "$URL/documents")
    [[ "$code" == 201 ]] || { echo "curl upload of $id answered $code"; exit 1; }
done
t1=$(date +%s.%N)
echo "receiver holds $(held) documents"
stop_receiver

curl_secs=$(echo "$t1 - $t0" | bc -l)
awk -v n="$swift_docs" -v s="$swift_secs" -v c="$COUNT" -v cs="$curl_secs" -v size="$SIZE" 'BEGIN {
    sr = n / s; cr = c / cs;
    printf "documents: %d x %d bytes\n", c, size;
    printf "swift Delivery : %7.2f s  %7.1f documents/s\n", s, sr;
    printf "curl -F loop   : %7.2f s  %7.1f documents/s\n", cs, cr;
    printf "ratio swift/curl: %.2f\n", sr / cr;
}'
