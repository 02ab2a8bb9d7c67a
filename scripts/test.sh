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
swift test --no-parallel 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')"

# The Debian package (CI tier): release build with the static Swift runtime, contents, lintian.
echo "==> package"
./scripts/package.sh
# The package test tier (opt-in: downloads a Debian 12 root with mmdebstrap).
if [ "${INTAKE_PACKAGE_TESTS:-0}" = 1 ]; then
  version="$(sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/IntakeCLI/IntakeVersion.swift)"
  INTAKE_DEB_VERSION="$version+upgradetest1" ./scripts/package.sh
  ./scripts/package-test.sh .build/deb/intake_"$version"_*.deb .build/deb/intake_"$version"+upgradetest1_*.deb
fi
