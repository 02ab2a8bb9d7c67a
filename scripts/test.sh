#!/usr/bin/env bash
# The whole test suite: unit tests, real SANE (test and pnm backends), real SQLite, real
# libcurl against the reference receiver on 127.0.0.1, the intake binary end to end, and the
# unit files through systemd-analyze. INTAKE_LONG_TESTS=1 runs the long tier (kill -9 loops).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
echo "==> swift test"
swift test --no-parallel 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')"
