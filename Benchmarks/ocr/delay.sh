#!/usr/bin/env bash
# The delay header OCR adds between registration and delivery, and numbering latency with and
# without it: the real `intake serve` scans a drawn header page (SANE pnm backend) N times with
# [ocr] off, then on; the reference receiver on loopback is polled every 10 ms. Prints figures
# (and appends rows to $RESULTS when run from run-all.sh). Release build unless BIN is given.
#   Benchmarks/ocr/delay.sh [N=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10}
if [[ -z "${BIN:-}" ]]; then
    for p in intake intake-ocr intake-receiver; do swift build -c release --product $p 2>&1 | tail -n 1; done
    BIN=$(swift build -c release --show-bin-path)
fi
OUT=$(mktemp -d /tmp/intake-ocr-delay.XXXXXX)
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$OUT"' EXIT
python3 Benchmarks/ocr/make-headers.py "$OUT/pages" > /dev/null
python3 Benchmarks/ocr/delay.py "$BIN" "$OUT" "$N"
