#!/usr/bin/env bash
# Builds the Debian package: .build/deb/intake_<version>_<arch>.deb, then runs lintian on it.
#
#   scripts/package.sh              # version from Sources/IntakeCore/IntakeVersion.swift
#   INTAKE_DEB_VERSION=0.1.1 scripts/package.sh   # e.g. to test an upgrade
#
# Steps: `swift build -c release --static-swift-stdlib` (no Swift library needed on the box),
# man pages from ArgumentParser's generate-manual (scripts/man-pages.sh: Vietnamese letters kept), bash/zsh/fish completions from
# `intake --generate-completion-script`, then dpkg-buildpackage with debian/ (dh_installsystemd,
# dh_installudev, dh_installsysusers, dh_installtmpfiles, conffile /etc/intake/intake.toml).
# Needs: the Swift toolchain, debhelper, dpkg-dev, fakeroot, lintian (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
VERSION="${INTAKE_DEB_VERSION:-$(sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/IntakeCore/IntakeVersion.swift)}"
FLAGS=(-c release --static-swift-stdlib)

# Three binaries (README: Lean processes): /usr/bin/intake, the lean front that scans to a file
# itself; /usr/libexec/intake/intake-full, which it execs for every other command; and beside it
# intake-register-pdf, which alone links cairo and pango to print the register.
for product in intake intake-full intake-register-pdf; do
  echo "==> swift build ${FLAGS[*]} --product $product"
  swift build "${FLAGS[@]}" --product "$product" 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')" | tail -n 2
done
BIN="$(swift build "${FLAGS[@]}" --show-bin-path)/intake"
FULL="$(swift build "${FLAGS[@]}" --show-bin-path)/intake-full"
PRINTER="$(swift build "${FLAGS[@]}" --show-bin-path)/intake-register-pdf"

STAGE=".build/deb/intake-$VERSION"
rm -rf "$STAGE" .build/deb/intake_"$VERSION"_*
mkdir -p "$STAGE/artifacts/man" "$STAGE/artifacts/completions"
cp -r debian config README.md BENCHMARKS.md RELIABILITY.md "$STAGE/"
install -m 0755 "$BIN" "$STAGE/artifacts/intake"
install -m 0755 "$FULL" "$STAGE/artifacts/intake-full"
install -m 0755 "$PRINTER" "$STAGE/artifacts/intake-register-pdf"
# SwiftPM links in a RUNPATH to the toolchain's library directory; nothing is loaded from there
# (the Swift runtime is static, `ldd` names only Debian libraries), so it goes.
patchelf --remove-rpath "$STAGE/artifacts/intake" "$STAGE/artifacts/intake-full" "$STAGE/artifacts/intake-register-pdf"

# Units and udev rule: one copy in systemd/ and udev/, paths of a packaged install.
unit() { sed -e 's|/usr/local/bin/intake|/usr/bin/intake|' -e 's|/usr/local/share/doc/intake|/usr/share/doc/intake|' "$1" > "$2"; }
unit systemd/intake.service "$STAGE/debian/intake.service"
unit systemd/intake-backup.service "$STAGE/debian/intake.intake-backup.service"
unit systemd/intake-backup.timer "$STAGE/debian/intake.intake-backup.timer"
unit systemd/intake-console-font.service "$STAGE/debian/intake.intake-console-font.service"
cp udev/70-intake.rules "$STAGE/debian/intake.udev"

echo "==> completions"
"$BIN" --generate-completion-script bash | sed '1{/^#!/d}' > "$STAGE/artifacts/completions/intake.bash"
"$BIN" --generate-completion-script zsh > "$STAGE/artifacts/completions/_intake"
"$BIN" --generate-completion-script fish > "$STAGE/artifacts/completions/intake.fish"

echo "==> man pages (generate-manual, Vietnamese letters kept; rendered with man -l)"
scripts/man-pages.sh "$BIN" "$STAGE/artifacts/man"

# Version in debian/changelog.
if [ "$VERSION" != "$(dpkg-parsechangelog -l debian/changelog -S Version)" ]; then
  { echo "intake ($VERSION) bookworm; urgency=medium"; echo; echo "  * Build $VERSION."; echo
    echo " -- $(sed -n 's/^Maintainer: //p' debian/control)  $(date -R)"; echo; cat debian/changelog; } > "$STAGE/debian/changelog"
fi

echo "==> dpkg-buildpackage"
(cd "$STAGE" && dpkg-buildpackage -b -us -uc -d > ../build.log 2>&1) || { tail -n 40 .build/deb/build.log; exit 1; }
DEB=$(ls .build/deb/intake_"$VERSION"_*.deb)
echo "==> $DEB ($(( $(stat -c %s "$DEB") / 1048576 )) MB)"

echo "==> contents"
LIST=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for path in ./usr/bin/intake ./usr/libexec/intake/intake-full ./usr/libexec/intake/intake-register-pdf ./etc/intake/intake.toml ./lib/systemd/system/intake.service \
    ./lib/systemd/system/intake-backup.service ./lib/systemd/system/intake-backup.timer \
    ./lib/systemd/system/intake-console-font.service ./etc/default/console-setup.intake \
    ./lib/udev/rules.d/70-intake.rules ./usr/lib/sysusers.d/intake.conf ./usr/lib/tmpfiles.d/intake.conf \
    ./usr/share/man/man1/intake.1.gz ./usr/share/man/man1/intake-backup.1.gz \
    ./usr/share/bash-completion/completions/intake ./usr/share/zsh/vendor-completions/_intake \
    ./usr/share/fish/vendor_completions.d/intake.fish ./usr/share/doc/intake/copyright; do
  grep -qx "$path" <<< "$LIST" || { echo "error: $path missing from $DEB"; exit 1; }
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles | grep -qx /etc/intake/intake.toml || { echo "error: the example config is not a conffile"; exit 1; }
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles | grep -qx /etc/default/console-setup.intake || { echo "error: the console font setting is not a conffile"; exit 1; }
grep -q '^ExecStart=/usr/bin/intake serve' "$STAGE/debian/intake/lib/systemd/system/intake.service"
for binary in usr/bin/intake usr/libexec/intake/intake-full usr/libexec/intake/intake-register-pdf; do
  if ldd "$STAGE/debian/intake/$binary" | grep -i swift; then echo "error: $binary loads a Swift library"; exit 1; fi
done
if ldd "$STAGE/debian/intake/usr/bin/intake" | grep -Ei "cairo|pango|curl|sqlite"; then echo "error: the lean intake front needs a heavy library"; exit 1; fi
if ldd "$STAGE/debian/intake/usr/libexec/intake/intake-full" | grep -Ei "cairo|pango"; then echo "error: intake-full (the daemon) links cairo or pango"; exit 1; fi
"$STAGE/debian/intake/usr/bin/intake" --version > /dev/null
"$STAGE/debian/intake/usr/bin/intake" config --help > /dev/null   # found /usr/libexec/intake/intake-full

echo "==> lintian"
lintian --info --display-info "$DEB" > .build/deb/lintian.txt 2>&1 || true
cat .build/deb/lintian.txt
if grep -qE '^(E|W): ' .build/deb/lintian.txt; then echo "error: lintian errors or warnings (explain a tag in debian/intake.lintian-overrides only with a reason)"; exit 1; fi
echo "lintian: clean (overrides with reasons in debian/intake.lintian-overrides)"
