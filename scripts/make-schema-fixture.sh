#!/usr/bin/env bash
# Writes Tests/Fixtures/register-schema-N.sqlite: a small register written by THIS version of
# Intake (N = its schema version), for the upgrade test (Tests/RegistryTests/SchemaUpgradeTests).
# Run it once when a release introduces a new schema version and commit the file; never
# regenerate the file of an older version (it stands for registers already on boxes).
#
# It uses the real `intake` binary and SANE's `test` scanner: four documents scanned and
# registered (one hỏa tốc, one mật in the classified book), one edited, one voided, all
# delivered to a directory target, then copied out with `intake backup` (a single SQLite file).
# usage: scripts/make-schema-fixture.sh [N]   (N defaults to the current schema version, 1)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-1}"
OUT="Tests/Fixtures/register-schema-$VERSION.sqlite"
[ -e "$OUT" ] && { echo "$OUT exists; released fixtures are never regenerated"; exit 1; }
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
swift build --product intake 2>&1 | tail -n 1
INTAKE="$(swift build --show-bin-path)/intake"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/sane" "$WORK/out"
echo test > "$WORK/sane/dll.conf"
export SANE_CONFIG_DIR="$WORK/sane"
cat > "$WORK/intake.toml" <<TOML
organisation_code = "000.00.00.H49"
organisation_name = "Văn phòng mẫu (fixture)"
[paths]
state_dir = "$WORK/state"
socket = "$WORK/intake.sock"
[device]
name = "test:0"
[profiles.default]
source = "ADF"
mode = "Lineart"
resolution = 200
page_width_mm = 60
page_height_mm = 60
[profiles.secret]
source = "ADF"
mode = "Lineart"
resolution = 200
page_width_mm = 60
page_height_mm = 60
secrecy = "mat"
[[targets]]
name = "archive"
kind = "directory"
path = "$WORK/out"
secure_network = true
TOML
run() { "$INTAKE" "$@" --config "$WORK/intake.toml"; }
run scan --profile default --summary "Công văn về việc kiểm kê tài sản" --sender "Sở Tài chính"
run scan --profile default --urgency hoa_toc --summary "Công điện khẩn về phòng chống bão"
run scan --profile secret --summary "Văn bản mật thử nghiệm"
run scan --profile default --summary "Quét nhầm"
run register edit 1 --notation "12/STC-KH"
run register void 3 --reason "Quét hai lần (fixture)"
run deliver --all
run register verify
run backup --to "$WORK/backup" --keep 1
cp "$WORK"/backup/intake-backup-*/register.sqlite "$OUT"
echo "wrote $OUT ($(stat -c %s "$OUT") bytes)"
