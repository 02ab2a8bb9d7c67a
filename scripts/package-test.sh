#!/usr/bin/env bash
# The package test tier (opt-in: INTAKE_PACKAGE_TESTS=1 ./scripts/test.sh, or run it directly
# after scripts/package.sh). Builds a clean Debian 12 root with mmdebstrap from Debian's mirror
# (no Swift toolchain inside), installs the .deb there with apt and checks, inside that root:
# `intake --version`, `intake config validate` on the example configuration, systemd-analyze
# verify on the installed units, no Swift library in `ldd`, the service user in group scanner,
# a register created by the service user and printed by intake-register-pdf, the status
# screen's console font (setupcon variant),
# Vietnamese letters in the man pages, the timesyncd drop-in; then an upgrade to a newer .deb keeps the edited
# configuration and the register; a purge keeps the system user and the register.
# usage: scripts/package-test.sh [old.deb [new.deb]]   (defaults: the two newest in .build/deb*)
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="${1:-$(ls -t .build/deb*/intake_*.deb | tail -n 1)}"
NEW="${2:-$(ls -t .build/deb*/intake_*.deb | head -n 1)}"
MIRROR="${INTAKE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="$(mktemp -d /tmp/intake-package-test.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cp "$OLD" "$WORK/old.deb"
cp "$NEW" "$WORK/new.deb"
echo "==> package test: $OLD, then upgrade to $NEW, in a clean Debian 12 root"

cat > "$WORK/checks.sh" <<'SH'
set -eu
export DEBIAN_FRONTEND=noninteractive
check() { echo "CHECK $*"; }
apt-get install -y -q --no-install-recommends /tmp/old.deb console-setup > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
check "no Swift toolchain in the root"
! command -v swift
! find / -xdev -name 'libswiftCore*' -print -quit | grep -q .
check "intake --version: $(intake --version)"
check "ldd names no Swift library"
! ldd /usr/bin/intake | grep -i swift
! ldd /usr/bin/intake | grep 'not found'
check "empty token file made by the package; config validate on the example once the token is written"
[ "$(stat -c '%U %a %s' /etc/intake/token)" = "intake 600 0" ]
printf 'token-written-by-the-technician\n' > /etc/intake/token
intake config validate --no-device --config /etc/intake/intake.toml
check "systemd-analyze verify on the installed units"
systemd-analyze verify /lib/systemd/system/intake.service /lib/systemd/system/intake-backup.service /lib/systemd/system/intake-backup.timer \
  /lib/systemd/system/intake-console-font.service
check "status screen font: the package's console-setup variant loads Vietnamese-Fixed16 on tty1, system setting untouched"
grep -qx /etc/default/console-setup.intake /var/lib/dpkg/info/intake.conffiles
grep -qx 'ACTIVE_CONSOLES="/dev/tty1"' /etc/default/console-setup.intake
# setupcon drops consoles that do not exist, and a chroot has no /dev/tty1: ask it about a stand-in.
mkdir -p /tmp/home && touch /tmp/tty1
sed 's|^ACTIVE_CONSOLES=.*|ACTIVE_CONSOLES="/tmp/tty1"|' /etc/default/console-setup.intake > /tmp/home/.console-setup.intake
HOME=/tmp/home setupcon --print-commands-only --force --font-only intake | grep -q "'-C' '/tmp/tty1' '/usr/share/consolefonts/Vietnamese-Fixed16.psf.gz'"
[ -f /usr/share/consolefonts/Vietnamese-Fixed16.psf.gz ]
[ -L /etc/systemd/system/multi-user.target.wants/intake-console-font.service ]
! grep -q Vietnamese /etc/default/console-setup
check "man pages keep the Vietnamese letters"
zcat /usr/share/man/man1/intake-register.1.gz | grep -q 'Numbers (số đến)'
check "time sync: nothing for the example's loopback centre; the centre as FallbackNTP once named"
[ ! -e /etc/systemd/timesyncd.conf.d/intake.conf ]
intake config timesync --config /etc/intake/intake.toml --server vanban.hanoi.gov.vn
grep -q '^FallbackNTP=vanban.hanoi.gov.vn ' /etc/systemd/timesyncd.conf.d/intake.conf
check "service user in group scanner; directories from tmpfiles.d"
getent passwd intake
id -nG intake | tr ' ' '\n' | grep -qx scanner
[ "$(stat -c '%U %a' /var/lib/intake)" = "intake 750" ]
[ "$(stat -c '%G %a' /etc/intake/intake.toml)" = "intake 640" ]
check "backup timer enabled, daemon not started before it is configured"
[ -L /etc/systemd/system/timers.target.wants/intake-backup.timer ]
[ ! -e /etc/systemd/system/multi-user.target.wants/intake.service ]
check "the service user can back up (creates the register)"
runuser -u intake -- intake backup --config /etc/intake/intake.toml --to /var/backups/intake
[ -f /var/lib/intake/register.sqlite ]
check "the register prints (intake-register-pdf, cairo and pango from Debian) and the daemon does not link them"
runuser -u intake -- intake register export --format pdf --config /etc/intake/intake.toml --output /var/lib/intake/book.pdf
head -c 5 /var/lib/intake/book.pdf | grep -q '%PDF-'
if ldd /usr/libexec/intake/intake-full | grep -Eq 'cairo|pango'; then echo "intake-full links cairo or pango"; exit 1; fi
rm /var/lib/intake/book.pdf
echo '# edited by the technician' >> /etc/intake/intake.toml
check "upgrade keeps the edited configuration and the register"
apt-get install -y -q --no-install-recommends /tmp/new.deb > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
grep -q '^# edited by the technician' /etc/intake/intake.toml
[ -f /var/lib/intake/register.sqlite ]
runuser -u intake -- intake register verify --config /etc/intake/intake.toml
check "purge keeps the system user and the register"
apt-get purge -y -q intake > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
[ ! -e /usr/bin/intake ]
getent passwd intake
[ -f /var/lib/intake/register.sqlite ]
[ ! -e /etc/systemd/timesyncd.conf.d/intake.conf ]
echo "ALL PACKAGE CHECKS PASSED"
SH

mmdebstrap --quiet --variant=apt --include=systemd,systemd-sysv,ca-certificates bookworm "$WORK/root" "$MIRROR" \
  --customize-hook="copy-in $WORK/old.deb $WORK/new.deb $WORK/checks.sh /tmp" \
  --customize-hook='chroot "$1" sh /tmp/checks.sh' 2>&1 | tee "$WORK/log" | grep -E '^(CHECK|ALL|E:|W:|\+|.*rror)' || true
grep -q "ALL PACKAGE CHECKS PASSED" "$WORK/log" || { echo "package test FAILED"; tail -n 30 "$WORK/log"; exit 1; }
