#!/usr/bin/env bash
# The whole test suite: unit tests, real SANE (test and pnm backends), real SQLite, real
# libcurl against the reference receiver on 127.0.0.1, the intake binary end to end, and the
# unit files through systemd-analyze; then the Debian package (scripts/package.sh: contents and
# lintian). INTAKE_LONG_TESTS=1 runs the long tier (kill -9 loops); INTAKE_PACKAGE_TESTS=1 also
# installs the package into a clean Debian 12 root (scripts/package-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
echo "==> swift test"
# A hang must end the run with every thread's stack, not run out CI's clock: after
# INTAKE_TEST_WATCHDOG_SECONDS (default 50 minutes; the suite takes 8-15) the test process gets
# SIGABRT and Swift's backtracer prints all its threads; whatever the tests started is killed a
# minute later so the pipe below closes.
watchdog_seconds="${INTAKE_TEST_WATCHDOG_SECONDS:-3000}"
(
  sleep "$watchdog_seconds" </dev/null >/dev/null 2>&1
  echo "==> swift test still running after $watchdog_seconds s: aborting it to print every thread's stack" >&2
  pkill -ABRT -f 'IntakePackageTests\.xctest' || true
  sleep 60
  pkill -KILL -f 'IntakePackageTests\.xctest' || true
  pkill -KILL -f "$PWD/\.build/" || true
) &
watchdog=$!
stop_watchdog() { pkill -P "$watchdog" 2>/dev/null || true; kill "$watchdog" 2>/dev/null || true; }
trap stop_watchdog EXIT
SWIFT_BACKTRACE=enable=yes,threads=all,interactive=no,color=no \
  swift test --no-parallel 2>&1 | grep --line-buffered -Ev "^warning: (prohibited flag|'swift-distributed-tracing')"
stop_watchdog

# The Debian package (CI tier): release build with the static Swift runtime, contents, lintian.
echo "==> package"
./scripts/package.sh
# The package test tier (opt-in: downloads a Debian 12 root with mmdebstrap).
if [ "${INTAKE_PACKAGE_TESTS:-0}" = 1 ]; then
  version="$(sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/IntakeCLI/IntakeVersion.swift)"
  INTAKE_DEB_VERSION="$version+upgradetest1" ./scripts/package.sh
  ./scripts/package-test.sh .build/deb/intake_"$version"_*.deb .build/deb/intake_"$version"+upgradetest1_*.deb
fi
