#!/usr/bin/env bash
# Builds the Debian package: .build/deb/intake_<version>_<arch>.deb, then runs lintian on it.
#
#   scripts/package.sh              # version from Sources/IntakeCLI/IntakeVersion.swift
#   INTAKE_DEB_VERSION=0.1.1 scripts/package.sh   # e.g. to test an upgrade
#
# Steps: `swift build -c release --static-swift-stdlib` (no Swift library needed on the box),
# man pages from ArgumentParser's generate-manual plugin, bash/zsh/fish completions from
# `intake --generate-completion-script`, then dpkg-buildpackage with debian/ (dh_installsystemd,
# dh_installudev, dh_installsysusers, dh_installtmpfiles, conffile /etc/intake/intake.toml).
# Needs: the Swift toolchain, debhelper, dpkg-dev, fakeroot, lintian (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
VERSION="${INTAKE_DEB_VERSION:-$(sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/IntakeCLI/IntakeVersion.swift)}"
FLAGS=(-c release --static-swift-stdlib)

echo "==> swift build ${FLAGS[*]} --product intake"
swift build "${FLAGS[@]}" --product intake 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')" | tail -n 2
BIN="$(swift build "${FLAGS[@]}" --show-bin-path)/intake"

STAGE=".build/deb/intake-$VERSION"
rm -rf ".build/deb"
mkdir -p "$STAGE/artifacts/man" "$STAGE/artifacts/completions"
cp -r debian config README.md BENCHMARKS.md RELIABILITY.md "$STAGE/"
install -m 0755 "$BIN" "$STAGE/artifacts/intake"

# Units and udev rule: one copy in systemd/ and udev/, paths of a packaged install.
unit() { sed -e 's|/usr/local/bin/intake|/usr/bin/intake|' -e 's|/usr/local/share/doc/intake|/usr/share/doc/intake|' "$1" > "$2"; }
unit systemd/intake.service "$STAGE/debian/intake.service"
unit systemd/intake-backup.service "$STAGE/debian/intake.intake-backup.service"
unit systemd/intake-backup.timer "$STAGE/debian/intake.intake-backup.timer"
cp udev/70-intake.rules "$STAGE/debian/intake.udev"

echo "==> completions"
"$BIN" --generate-completion-script bash > "$STAGE/artifacts/completions/intake.bash"
"$BIN" --generate-completion-script zsh > "$STAGE/artifacts/completions/_intake"
"$BIN" --generate-completion-script fish > "$STAGE/artifacts/completions/intake.fish"

echo "==> man pages (generate-manual plugin)"
# The plugin builds the package's products (debug, what `swift test` builds too) and runs its
# generate-manual tool on each executable; no network needed once dependencies are resolved.
swift package plugin generate-manual --multi-page --authors "Intake developers" 2>&1 | tail -n 1
MAN=".build/plugins/GenerateManual/outputs/intake"
[ -d "$MAN" ] || { echo "error: generate-manual wrote nothing in $MAN"; exit 1; }
find "$MAN" -name '*.1' -exec cp {} "$STAGE/artifacts/man/" \;

# Version in debian/changelog.
if [ "$VERSION" != "$(dpkg-parsechangelog -l debian/changelog -S Version)" ]; then
  { echo "intake ($VERSION) bookworm; urgency=medium"; echo; echo "  * Build $VERSION."; echo
    echo " -- Intake developers <intake@localhost.localdomain>  $(date -R)"; echo; cat debian/changelog; } > "$STAGE/debian/changelog"
fi

echo "==> dpkg-buildpackage"
(cd "$STAGE" && dpkg-buildpackage -b -us -uc -d > ../build.log 2>&1) || { tail -n 40 .build/deb/build.log; exit 1; }
DEB=$(ls .build/deb/intake_"$VERSION"_*.deb)
echo "==> $DEB ($(( $(stat -c %s "$DEB") / 1048576 )) MB)"

echo "==> lintian"
lintian --info --display-info "$DEB" 2>&1 | tee .build/deb/lintian.txt
! grep -q '^E: ' .build/deb/lintian.txt
