#!/usr/bin/env bash
# Installs Intake on an appliance (Debian 12): release build, service user, config, unit, udev rule.
# Run as root from a checkout. Safe to run again: existing config and token are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root (sudo $0)"; exit 1; }
./scripts/setup.sh
# The lean front (scans to a file itself), intake-full, which it execs for everything else, and
# intake-register-pdf beside it (the printed register: the only program linking cairo and pango).
for product in intake intake-full intake-register-pdf; do swift build -c release --product "$product" 2>&1 | tail -n 1; done
install -m 0755 "$(swift build -c release --show-bin-path)/intake" /usr/local/bin/intake
install -D -m 0755 "$(swift build -c release --show-bin-path)/intake-full" /usr/local/libexec/intake/intake-full
install -D -m 0755 "$(swift build -c release --show-bin-path)/intake-register-pdf" /usr/local/libexec/intake/intake-register-pdf
getent group scanner >/dev/null || groupadd --system scanner
id intake >/dev/null 2>&1 || useradd --system --home-dir /var/lib/intake --shell /usr/sbin/nologin \
  --groups scanner,input,tty intake
install -d -m 0750 -o root -g intake /etc/intake
[ -e /etc/intake/intake.toml ] || install -m 0640 -g intake config/intake.example.toml /etc/intake/intake.toml
[ -e /etc/intake/token ] || install -m 0600 -o intake -g intake /dev/null /etc/intake/token
install -d /usr/local/share/doc/intake && install -m 0644 README.md /usr/local/share/doc/intake/README.md
install -m 0644 systemd/intake.service /etc/systemd/system/intake.service
install -m 0644 udev/70-intake.rules /etc/udev/rules.d/70-intake.rules
# The status screen's console font (Vietnamese letters) on the consoles named in the file only.
[ -e /etc/default/console-setup.intake ] || install -m 0644 config/console-setup.intake /etc/default/console-setup.intake
install -m 0644 systemd/intake-console-font.service /etc/systemd/system/intake-console-font.service
systemd-analyze verify /etc/systemd/system/intake.service
systemctl daemon-reload
udevadm control --reload 2>/dev/null || true
echo "Installed. Next: edit /etc/intake/intake.toml, write the token to /etc/intake/token, then"
echo "  sudo -u intake intake config validate && sudo systemctl enable --now intake intake-console-font && journalctl -u intake -f"
echo "  sudo intake config timesync   # the centre as time source where the office has none"
