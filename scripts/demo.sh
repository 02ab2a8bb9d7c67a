#!/usr/bin/env bash
# The Intake demo on a fresh Debian 12 machine: installs and builds, then runs the reference
# central system (intake-receiver) and the daemon (intake serve) against SANE's `test`
# scanner, presses "scan", stops the centre for a while (documents keep getting numbers and
# queue up), brings it back and watches the backlog drain.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
BIN="$(swift build --show-bin-path)"
DEMO="${INTAKE_DEMO_DIR:-$(mktemp -d /tmp/intake-demo.XXXXXX)}"
mkdir -p "$DEMO/sane" "$DEMO/state" "$DEMO/receiver"
echo "test" > "$DEMO/sane/dll.conf"
export SANE_CONFIG_DIR="$DEMO/sane"
umask 077; echo "demo-token-$(date +%s)" > "$DEMO/token"; umask 022

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill -TERM "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  [ -n "${RECV_PID:-}" ] && kill "$RECV_PID" 2>/dev/null || true
}
trap cleanup EXIT

start_receiver() {
  "$BIN/intake-receiver" --host 127.0.0.1 --port "${PORT:-0}" --store "$DEMO/receiver" --token-file "$DEMO/token" \
      >"$DEMO/receiver.out" 2>>"$DEMO/receiver.log" &
  RECV_PID=$!
  for _ in $(seq 100); do
    if grep -q "listening on" "$DEMO/receiver.out" 2>/dev/null; then break; fi; sleep 0.1
  done
  PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$DEMO/receiver.out" | head -1)
  echo "intake-receiver (the central system) listens on 127.0.0.1:$PORT"
}
held_by_receiver() { curl -s -H "Authorization: Bearer $(cat "$DEMO/token")" "http://127.0.0.1:$PORT/documents" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d))'; }

say "Starting the reference central system"
start_receiver

cat > "$DEMO/intake.toml" <<TOML
organisation_code = "000.00.00.H49"
organisation_name = "Văn phòng UBND tỉnh (demo)"
[paths]
state_dir = "$DEMO/state"
socket = "$DEMO/intake.sock"
[device]
name = "test:0"
poll_buttons = false
[profiles.default]
source = "ADF"
mode = "Color"
resolution = 200
page_width_mm = 200   # the SANE test scanner stops at 200 mm
page_height_mm = 200
[profiles.urgent]
source = "ADF"
mode = "Color"
resolution = 200
urgency = "hoa_toc"
[[targets]]
name = "central"
kind = "http"
url = "http://127.0.0.1:$PORT"
token_file = "$DEMO/token"
connect_timeout_seconds = 2
total_timeout_seconds = 30
[retry]
base_seconds = 1
cap_seconds = 3
[disk]
min_free_mb = 50
TOML
INTAKE=("$BIN/intake")
CFG=(--config "$DEMO/intake.toml")

say "intake config validate"
"${INTAKE[@]}" config validate "${CFG[@]}"

say "Starting the daemon: intake serve (journal lines follow in $DEMO/serve.log)"
"${INTAKE[@]}" serve "${CFG[@]}" 2>"$DEMO/serve.log" &
SERVE_PID=$!
for _ in $(seq 100); do [ -S "$DEMO/intake.sock" ] && break; sleep 0.1; done

say "The clerk presses scan twice"
"${INTAKE[@]}" scan "${CFG[@]}" --profile default --summary "Công văn số 125/UBND-VP về lịch họp"
"${INTAKE[@]}" scan "${CFG[@]}" --profile default --sender "Sở Tài chính"
sleep 2
echo "the centre now holds $(held_by_receiver) document(s)"

say "The network to the centre fails (receiver stopped)"
kill "$RECV_PID"; wait "$RECV_PID" 2>/dev/null || true; RECV_PID=""
"${INTAKE[@]}" scan "${CFG[@]}" --profile default --summary "Giấy mời hội nghị"
"${INTAKE[@]}" scan "${CFG[@]}" --profile urgent --summary "Điện khẩn về phòng chống lụt bão"
sleep 2
"${INTAKE[@]}" status "${CFG[@]}" || true
"${INTAKE[@]}" queue list "${CFG[@]}"

say "The link returns: the backlog drains, hỏa tốc first"
start_receiver
for _ in $(seq 60); do [ "$(held_by_receiver)" -ge 4 ] && break; sleep 0.5; done
echo "the centre now holds $(held_by_receiver) document(s)"
"${INTAKE[@]}" queue list "${CFG[@]}" --all

say "The register book"
"${INTAKE[@]}" register list "${CFG[@]}"
"${INTAKE[@]}" register export "${CFG[@]}" --format pdf --output "$DEMO/so-den.pdf"
"${INTAKE[@]}" register export "${CFG[@]}" --format csv --output "$DEMO/so-den.csv"
"${INTAKE[@]}" register verify "${CFG[@]}"

say "Daemon journal (last lines)"
tail -n 12 "$DEMO/serve.log"
say "Done. Files are in $DEMO (register PDF: $DEMO/so-den.pdf)"
