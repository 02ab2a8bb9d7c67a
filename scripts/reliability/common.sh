# Shared helpers for the reliability scripts (sourced, not run).
# Everything listens on 127.0.0.1 only; every wait is bounded.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${INTAKE_BIN:-}"
if [ -z "$BIN" ]; then BIN="$(cd "$REPO" && swift build --show-bin-path)"; fi
INTAKE="$BIN/intake"
RECEIVER="$BIN/intake-receiver"
[ -x "$INTAKE" ] && [ -x "$RECEIVER" ] || { echo "build first: swift build (missing $INTAKE or $RECEIVER)" >&2; exit 2; }

# new_world DIR: SANE test config, token, directories.
new_world() {
  W="$1"
  mkdir -p "$W/sane" "$W/state" "$W/receiver"
  echo "test" > "$W/sane/dll.conf"
  export SANE_CONFIG_DIR="$W/sane"
  export JOURNAL_STREAM=""
  (umask 077; echo "reliability-token-$RANDOM$RANDOM" > "$W/token")
  PORT=0
  RECV_PID=""
  SERVE_PID=""
}

# fill_template FILE: FILE with its ${NAME} placeholders filled from the shell's variables.
fill_template() {
  eval "cat <<TOML
$(grep -v '^#' "$1")
TOML"
}

# write_config [EXTRA_TOML] [STATE_DIR]: a small, fast profile (10 pages of 40 × 40 mm at 200 dpi per ADF batch),
# from the test world's one template (Tests/Fixtures/world/, which the Swift system tests fill in too).
write_config() {
  local extra="${1:-}"
  local ORGANISATION_NAME="Reliability run" NETWORK="internet" HOLD_SECONDS=0 STATE_DIR="${2:-$W/state}" \
    SOCKET="$W/intake.sock" PAGE_MM=40 PROFILE="" MIN_FREE_MB="${MIN_FREE_MB:-10}" OCR="${OCR:-enabled = false}" \
    TOKEN_FILE="$W/token" TOTAL_TIMEOUT="${TOTAL_TIMEOUT:-5}"
  {
    fill_template "$REPO/Tests/Fixtures/world/intake.toml"
    cat <<TOML
[profiles.large]
source = "ADF"
mode = "Color"
resolution = 200
page_width_mm = 100
page_height_mm = 100
urgency = "khan"
TOML
    fill_template "$REPO/Tests/Fixtures/world/target.toml"
    printf '%s\n' "$extra"
  } > "$W/intake.toml"
}

# start_receiver [EXTRA FLAGS…]: starts intake-receiver on 127.0.0.1 (same port as before once chosen).
start_receiver() {
  : > "$W/receiver.out"
  "$RECEIVER" --host 127.0.0.1 --port "$PORT" --store "$W/receiver" --token-file "$W/token" "$@" \
      >"$W/receiver.out" 2>>"$W/receiver.log" &
  RECV_PID=$!
  local i
  for i in $(seq 200); do
    grep -q "listening on" "$W/receiver.out" 2>/dev/null && break
    # The old port may still be in TIME_WAIT for a moment after a kill.
    if ! kill -0 "$RECV_PID" 2>/dev/null; then
      sleep 0.2
      "$RECEIVER" --host 127.0.0.1 --port "$PORT" --store "$W/receiver" --token-file "$W/token" "$@" \
          >"$W/receiver.out" 2>>"$W/receiver.log" &
      RECV_PID=$!
    fi
    sleep 0.05
  done
  local p
  p=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$W/receiver.out" | head -1)
  [ -n "$p" ] || { echo "receiver did not start: $(tail -3 "$W/receiver.log")" >&2; return 1; }
  PORT="$p"
}

stop_receiver() { # stop_receiver [SIGNAL]
  [ -n "$RECV_PID" ] || return 0
  kill "-${1:-TERM}" "$RECV_PID" 2>/dev/null || true
  wait "$RECV_PID" 2>/dev/null || true
  RECV_PID=""
}

# start_daemon: intake serve in the background, waits (≤ 30 s) until it answers on its socket.
start_daemon() {
  rm -f "$W/intake.sock"
  "$INTAKE" serve --config "$W/intake.toml" 2>>"$W/serve.log" &
  SERVE_PID=$!
  local i
  for i in $(seq 300); do
    [ -S "$W/intake.sock" ] && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || { echo "daemon exited at start: $(tail -3 "$W/serve.log")" >&2; return 1; }
    sleep 0.1
  done
  echo "daemon did not open its socket in 30 s" >&2; return 1
}

stop_daemon() { # stop_daemon [SIGNAL]
  [ -n "$SERVE_PID" ] || return 0
  kill "-${1:-TERM}" "$SERVE_PID" 2>/dev/null || true
  local i
  for i in $(seq 300); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
}

export LC_ALL=C.UTF-8

# trim N TEXT: the first N characters (not bytes) on one line.
trim() { local t="${*:2}"; t="${t//$'\n'/ }"; printf '%s' "${t:0:$1}"; }

# errmsg FILE: the CLI's error lines ("intake: …" and its detail), one line.
errmsg() { trim "${2:-140}" "$(grep -E '^(intake:|Error:|  detail:)' "$1" | sed 's/^ *//' | tr '\n' ' ')"; }

icfg() { "$INTAKE" "$@" --config "$W/intake.toml"; }

# receiver_docs: GET /documents (JSON array).
receiver_docs() {
  curl -s --max-time 5 -H "Authorization: Bearer $(cat "$W/token")" "http://127.0.0.1:$PORT/documents"
}
receiver_count() { receiver_docs | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo -1; }

# faults JSON: POST /admin/faults; faults_clear: DELETE /admin/faults.
faults() {
  curl -s --max-time 5 -X POST -H "Authorization: Bearer $(cat "$W/token")" -H "Content-Type: application/json" \
      --data "$1" "http://127.0.0.1:$PORT/admin/faults" >/dev/null
}
faults_clear() {
  curl -s --max-time 5 -X DELETE -H "Authorization: Bearer $(cat "$W/token")" "http://127.0.0.1:$PORT/admin/faults" >/dev/null
}

# queue_states: "state=count …" over the whole outbox.
queue_states() {
  icfg queue list --all --json 2>/dev/null | python3 -c '
import json,sys,collections
rows=json.load(sys.stdin); c=collections.Counter(r["state"] for r in rows)
print(" ".join(f"{k}={v}" for k,v in sorted(c.items())) or "empty")' 2>/dev/null || echo "unreadable"
}

# wait_until SECONDS COMMAND…: polls every 0.25 s.
wait_until() {
  local limit="$1"; shift
  local end=$(( $(date +%s) + limit ))
  while [ "$(date +%s)" -lt "$end" ]; do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  "$@"
}
