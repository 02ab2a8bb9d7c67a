#!/bin/sh
# Registry benchmark: p50/p99 of register() (with fsync) over 1,000 registrations, and the time
# to export a 100,000-entry register as CSV and PDF. Builds in release, runs once.
# usage: Benchmarks/registry/run.sh [work-dir] [registrations] [export-entries]
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product registry-bench
BIN="$(swift build -c release --show-bin-path)/registry-bench"
WORK="${1:-${TMPDIR:-/tmp}/registry-bench}"
"$BIN" "$WORK" "${2:-1000}" "${3:-100000}"
echo "(work dir $WORK on $(df -T "$WORK" | awk 'NR==2 {print $2}'); pdftotext pages: $(pdfinfo "$WORK/register.pdf" 2>/dev/null | awk '/^Pages/ {print $2}'))"
