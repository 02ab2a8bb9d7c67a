#!/usr/bin/env bash
# Installs what Intake needs on Debian 12 and builds it. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  pkg-config libsane-dev libsane1 sane-utils libtiff-dev libtiff-tools libjpeg62-turbo-dev
  libcurl4-openssl-dev libsqlite3-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core libharfbuzz-dev
  qpdf poppler-utils img2pdf time curl python3 python3-numpy systemd faketime e2fsprogs
  libtesseract-dev tesseract-ocr-vie pango1.0-tools
  openssl stunnel4 tinyproxy
  # third-party servers the delivery tests run on 127.0.0.1: promtool, tus (tuspyserver in a venv),
  # paperless-ngx (third_party/paperless-ngx/install.sh lists the same packages)
  prometheus python3-venv
  redis-server redis-tools tesseract-ocr tesseract-ocr-eng ghostscript unpaper pngquant jbig2dec imagemagick
  libmagic1 file libzbar0 icc-profiles-free fonts-liberation gnupg libxml2 libxslt1.1
  debhelper dpkg-dev fakeroot lintian patchelf mmdebstrap
  # the status screen font test: setupcon (console-setup) and psfgettable (kbd)
  console-setup kbd
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null; then
  if [ -x /opt/swift/usr/bin/swift ]; then export PATH=/opt/swift/usr/bin:$PATH
  else echo "error: Swift 6 toolchain not found (expected on PATH or in /opt/swift)"; exit 1; fi
fi

echo "==> swift build"
swift build ${INTAKE_BUILD_FLAGS:-} 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')" | tail -n 3

# The real third-party servers of the whole-system delivery tests (PyPI packages, pinned).
echo "==> tus server (tuspyserver) and paperless-ngx for the delivery tests"
./scripts/tus/tus-server.sh install
PL_ROOT=${INTAKE_PAPERLESS_ROOT:-${TMPDIR:-/tmp}/intake-paperless-ngx} ./third_party/paperless-ngx/install.sh
