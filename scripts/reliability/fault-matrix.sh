#!/usr/bin/env bash
# Fault matrix: one fresh world per scenario (receiver + daemon on 127.0.0.1, SANE test scanner),
# one fault each, expected vs observed outcome, then a table:
#   scenario | expected | observed | pass/fail
#
#   scripts/reliability/fault-matrix.sh [SCENARIO…]     (default: all)
# env: INTAKE_BIN (bin dir), RELIABILITY_DIR (parent work dir, kept on failure)
set -uo pipefail
source "$(dirname "$0")/common.sh"
ROOT="${RELIABILITY_DIR:-$(mktemp -d /tmp/intake-faults.XXXXXX)}"
mkdir -p "$ROOT"
ALL=(receiver_down retry_after reset_mid_body stall_past_timeout garbage_reply client_error_4xx
     scanner_jammed cover_open feeder_empty disk_full clock_set_back database_read_only corrupted_pdf)
SCENARIOS=("${@:-${ALL[@]}}")
ROWS=()
LEAKS=()
FAILED=0
MOUNTS=()

finish_world() { stop_daemon TERM; stop_receiver TERM; }
cleanup() { finish_world; for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || true; done; }
trap cleanup EXIT

# world NAME [EXTRA_TOML]: fresh dirs, receiver, config, daemon.
world() {
  new_world "$ROOT/$1"
  start_receiver || return 1
  write_config "${2:-}"
  start_daemon
}
scan() { timeout 90 "$INTAKE" scan --config "$W/intake.toml" --profile "${1:-default}" >"$W/scan.out" 2>"$W/scan.err"; }
scan_ok() { scan "$@" && grep -q "Số đến" "$W/scan.out"; }
field() { # field STATE_KEY: first outbox row's value
  icfg queue list --all --json 2>/dev/null | python3 -c "import json,sys; r=json.load(sys.stdin); print(r[0]['$1'] if r else '-')"
}
registered_count() { icfg register list --json 2>/dev/null | python3 -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin) if e["state"]=="registered"))'; }
entries_count() { icfg register list --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
posts() { curl -s --max-time 5 -H "Authorization: Bearer $(cat "$W/token")" "http://127.0.0.1:$PORT/admin/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documentPosts"])'; }
delivered_n() { [ "$(receiver_count)" -ge "$1" ] && [ "$(icfg queue list --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ]; }
verify_ok() { icfg register verify >/dev/null 2>&1 && echo "chain ok" || echo "CHAIN BROKEN"; }
row() { # row NAME EXPECTED OBSERVED PASS(0/1)
  local verdict=pass; [ "$4" = 0 ] || { verdict=FAIL; FAILED=$((FAILED + 1)); }
  ROWS+=("$1|$2|$3|$verdict")
  printf '%-20s %s\n  observed: %s\n' "$1: $verdict" "$2" "$3"
}
now_ms() { date +%s%3N; }

# MARK: - delivery faults

receiver_down() {
  world receiver_down || return
  stop_receiver TERM
  local told=0; for _ in 1 2 3; do scan_ok && told=$((told + 1)); done
  sleep 2
  local pend; pend=$(icfg queue list --json | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["state"]=="pending"))')
  local att; att=$(field attempts)
  start_receiver
  local t0; t0=$(now_ms)
  wait_until 60 delivered_n 3; local t=$(( $(now_ms) - t0 ))
  sleep 1
  local held; held=$(receiver_count)
  row receiver_down "3 numbered offline; 3 pending with retries; all 3 delivered once after return" \
      "numbered=$told pending=$pend attempts(first)=$att; after return: receiver holds $held in ${t} ms, outbox $(queue_states), $(verify_ok)" \
      $([ "$told" = 3 ] && [ "$pend" = 3 ] && [ "$held" = 3 ] && [ "$(queue_states)" = "delivered=3" ]; echo $?)
  finish_world
}

retry_after() {
  world retry_after || return
  faults '{"failNext":2,"failStatus":503,"retryAfter":"3"}'
  local t0; t0=$(now_ms)
  scan_ok; wait_until 60 delivered_n 1; local t=$(( $(now_ms) - t0 ))
  local held; held=$(receiver_count); local p; p=$(posts)
  row retry_after "2x 503 Retry-After: 3 → waits ≥ 6 s (not the 0.2–1 s backoff), then delivered once" \
      "delivered after ${t} ms, receiver holds $held, POSTs=$p, attempts=$(field attempts), outbox $(queue_states)" \
      $([ "$held" = 1 ] && [ "$t" -ge 6000 ] && [ "$p" = 3 ]; echo $?)
  finish_world
}

reset_mid_body() {
  world reset_mid_body || return
  faults '{"resetNext":2}'
  scan_ok; wait_until 60 delivered_n 1
  local held; held=$(receiver_count); local p; p=$(posts)
  row reset_mid_body "2 connections closed mid-body → retried, delivered exactly once" \
      "receiver holds $held, POSTs=$p, attempts=$(field attempts), outbox $(queue_states)" \
      $([ "$held" = 1 ] && [ "$p" = 3 ] && [ "$(queue_states)" = "delivered=1" ]; echo $?)
  finish_world
}

stall_past_timeout() {
  TOTAL_TIMEOUT=2 world stall_past_timeout || return
  faults '{"delayMs":6000}'
  scan_ok
  wait_until 20 bash -c "[ \"\$(\"$INTAKE\" queue list --all --json --config \"$W/intake.toml\" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"attempts\"])')\" -ge 2 ]"
  local err; err=$(field last_error); local att; att=$(field attempts)
  faults_clear
  wait_until 60 delivered_n 1
  sleep 1
  local held; held=$(receiver_count)
  row stall_past_timeout "answer delayed 6 s > total_timeout 2 s → attempts time out, retried; after the stall ends delivered once (idempotent replay)" \
      "attempts during stall=$att, last error: ${err:0:70}; receiver holds $held, outbox $(queue_states)" \
      $([ "$att" -ge 2 ] && [ "$held" = 1 ] && [ "$(queue_states)" = "delivered=1" ]; echo $?)
  finish_world
}

garbage_reply() {
  world garbage_reply || return
  faults '{"garbageNext":1}'
  scan_ok; wait_until 60 delivered_n 1
  sleep 1
  local held; held=$(receiver_count)
  row garbage_reply "200 with a junk body (a captive portal's page) → not a delivery without the centre's receipt; retried, the retry answered from the centre's record; centre holds it once" \
      "receiver holds $held, POSTs=$(posts), attempts=$(field attempts), outbox $(queue_states)" \
      $([ "$held" = 1 ] && [ "$(queue_states)" = "delivered=1" ] && [ "$(field attempts)" -ge 2 ]; echo $?)
  finish_world
}

client_error_4xx() {
  world client_error_4xx || return
  faults '{"failNext":1,"failStatus":400,"failMessage":"metadata rejected by the centre"}'
  scan_ok
  wait_until 20 bash -c "\"$INTAKE\" queue list --json --config \"$W/intake.toml\" | grep -q needsAttention"
  local st; st=$(field state); local shown; shown=$(icfg queue list | grep -c "needsAttention\|needs attention")
  sleep 2; local p; p=$(posts)
  row client_error_4xx "400 → needsAttention, not retried, shown in \`queue list\`; receiver holds 0" \
      "state=$st, POSTs=$p, shown in queue list: $([ "$shown" -ge 1 ] && echo yes || echo no) (${shown} line), last error: $(trim 50 "$(field last_error)"), receiver holds $(receiver_count)" \
      $([ "$st" = needsAttention ] && [ "$p" = 1 ] && [ "$shown" -ge 1 ] && [ "$(receiver_count)" = 0 ]; echo $?)
  finish_world
}

# MARK: - scanner faults (the SANE test backend's read-return-value option)

scanner_status() { # NAME SANE_STATUS WORDS-REGEX
  world "$1" "[profiles.fault]
source = \"ADF\"
mode = \"Gray\"
resolution = 200
page_width_mm = 40
page_height_mm = 40
device_options = { \"read-return-value\" = \"$2\" }" || return
  scan fault; local rc=$?
  local msg; msg=$(errmsg "$W/scan.err")
  local n; n=$(entries_count)
  local staging; staging=$(ls "$W/state/staging" 2>/dev/null | wc -l)
  # The same daemon, the default profile (which sets no device option): does the fault profile's
  # option stay set on the open SANE handle?
  scan default; local leak=$?
  local leakmsg; leakmsg=$( (grep -o "Số đến [0-9]*" "$W/scan.out"; grep "^intake:" "$W/scan.err") | head -1); leakmsg=$(trim 45 "$leakmsg")
  LEAKS+=("$1: default-profile scan right after → exit=$leak ($leakmsg)")
  # After a daemon restart (the device is opened afresh) the scanner works, with the next number.
  stop_daemon TERM; start_daemon
  scan_ok; local after; after=$(sed -n 's/.*Số đến \([0-9]*\).*/\1/p' "$W/scan.out")
  local n2; n2=$(entries_count)
  row "$1" "$2 → scan fails with a clear message, nothing registered, no staging file; afterwards scanning works (số 1 or 2)" \
      "exit=$rc, \"$msg\", entries=$n, staging files=$staging; default-profile scan in the same daemon: exit=$leak ($leakmsg); after daemon restart → số $after (entries=$n2), $(verify_ok)" \
      $([ $rc -ne 0 ] && [ "$n" = 0 ] && [ "$staging" = 0 ] && echo "$msg" | grep -Eiq "$3" && [ -n "$after" ]; echo $?)
  finish_world
}
scanner_jammed() { scanner_status scanner_jammed SANE_STATUS_JAMMED "jam|kẹt"; }
cover_open() { scanner_status cover_open SANE_STATUS_COVER_OPEN "cover|nắp"; }
feeder_empty() { scanner_status feeder_empty SANE_STATUS_NO_DOCS "no (paper|document)|empty|feeder|giấy"; }

# MARK: - disk full: state_dir on a 4 MiB tmpfs, filled up

disk_full() {
  new_world "$ROOT/disk_full"
  mkdir -p "$W/small"
  if ! mount -t tmpfs -o size=4m tmpfs "$W/small" 2>/dev/null; then
    row disk_full "state_dir on a full filesystem → clear error" "SKIPPED: cannot mount tmpfs (not root?)" 1; return
  fi
  MOUNTS+=("$W/small")
  start_receiver || return
  MIN_FREE_MB=0 write_config "" "$W/small/state"
  start_daemon || return
  scan_ok; local first=$?
  # Fill the filesystem, leaving ~20 KiB.
  local free; free=$(df -k --output=avail "$W/small" | tail -1)
  dd if=/dev/zero of="$W/small/filler" bs=1k count=$(( free - 20 )) status=none 2>/dev/null
  scan; local rc=$?
  local msg; msg=$(errmsg "$W/scan.err")
  local n; n=$(registered_count); local e; e=$(entries_count)
  local v1; v1=$(verify_ok)
  rm -f "$W/small/filler"
  scan_ok; local after; after=$(sed -n 's/.*Số đến \([0-9]*\).*/\1/p' "$W/scan.out")
  wait_until 30 delivered_n 2
  row disk_full "real ENOSPC (tmpfs 4 MiB, min_free_mb = 0) → scan fails clearly, no half document; after space returns scanning goes on" \
      "first scan ok=$([ $first = 0 ] && echo yes || echo no); full: exit=$rc \"$msg\", registered=$n entries=$e, $v1; after freeing → số $after, outbox $(queue_states)" \
      $([ $first = 0 ] && [ $rc -ne 0 ] && [ "$n" = 1 ] && [ "$v1" = "chain ok" ] && [ -n "$after" ]; echo $?)
  finish_world
  umount "$W/small" 2>/dev/null
}

# MARK: - clock set back (libfaketime moves the daemon's clock one day back)

clock_set_back() {
  world clock_set_back || return
  scan_ok; local first=$?
  stop_daemon TERM
  if ! command -v faketime >/dev/null; then
    row clock_set_back "clock behind the last registration → refuses to number" "SKIPPED: faketime not installed (apt-get install faketime)" 1; finish_world; return
  fi
  rm -f "$W/intake.sock"
  faketime -f "-1d" "$INTAKE" serve --config "$W/intake.toml" 2>>"$W/serve.log" &
  SERVE_PID=$!
  sleep 0.5
  # The faketime wrapper forks: stop the daemon itself (its child), not only the wrapper.
  local inner; inner=$(ps -o pid= --ppid "$SERVE_PID" | head -1 | tr -d ' ')
  [ -n "$inner" ] && SERVE_PID=$inner
  wait_until 30 test -S "$W/intake.sock"
  local status; status=$(faketime -f "-1d" "$INTAKE" status --config "$W/intake.toml" 2>&1 | grep -i "clock\|đồng hồ" | head -1); status=$(trim 90 "$status")
  faketime -f "-1d" "$INTAKE" scan --config "$W/intake.toml" --profile default >"$W/scan.out" 2>"$W/scan.err"; local rc=$?
  local msg; msg=$(errmsg "$W/scan.err")
  local e; e=$(entries_count)
  local t0; t0=$(date +%s); local stopped=yes
  kill -TERM "$SERVE_PID"; wait_until 30 bash -c "! kill -0 $SERVE_PID 2>/dev/null" || stopped="no: SIGKILL after 30 s"
  stop_daemon KILL
  start_daemon
  scan_ok; local after; after=$(sed -n 's/.*Số đến \([0-9]*\).*/\1/p' "$W/scan.out")
  row clock_set_back "daemon clock 1 day behind the last registration → refuses to number with a clock message; fine again when the clock is right" \
      "first scan ok=$([ $first = 0 ] && echo yes || echo no); behind: exit=$rc \"$msg\"; status: \"$status\"; entries=$e; clock right again → số $after; the faketime daemon stopped on SIGTERM: $stopped" \
      $([ $first = 0 ] && [ $rc -ne 0 ] && [ "$e" = 1 ] && [ "$after" = 2 ]; echo $?)
  finish_world
}

# MARK: - register read-only (root ignores file modes, so the daemon runs as nobody here)

database_read_only() {
  new_world "$ROOT/database_read_only"
  chmod 0755 "$ROOT" "$W"; chmod -R a+rX "$W/sane"
  write_config ""
  # No target here: the token file is root's. A first document, registered as nobody.
  sed -i '/\[\[targets\]\]/,/total_timeout/d' "$W/intake.toml"
  chmod 0644 "$W/intake.toml"; chown -R nobody "$W/state"
  local AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups env SANE_CONFIG_DIR="$W/sane" HOME=/tmp)
  "${AS[@]}" "$INTAKE" scan --direct --config "$W/intake.toml" --profile default >"$W/scan.out" 2>"$W/scan.err"; local first=$?
  local db; db=$(ls "$W"/state/*.sqlite 2>/dev/null | head -1)
  chmod 0444 "$db"; chmod 0555 "$W/state"
  "${AS[@]}" "$INTAKE" scan --direct --config "$W/intake.toml" --profile default >"$W/scan2.out" 2>"$W/scan2.err"; local rc=$?
  local msg; msg=$(errmsg "$W/scan2.err")
  timeout 30 "${AS[@]}" "$INTAKE" serve --config "$W/intake.toml" >/dev/null 2>"$W/serve-ro.err"; local src=$?
  local smsg; smsg=$(trim 140 "$(grep -v '^<[0-9]>' "$W/serve-ro.err" | sed 's/^ *//' | tr '\n' ' ')")
  chmod 0755 "$W/state"; chmod 0644 "$db"
  local e; e=$(entries_count)
  row database_read_only "register.sqlite 0444 in a 0555 dir (daemon user, not root) → scan and serve refuse with a clear error, nothing half-registered" \
      "first scan ok=$([ $first = 0 ] && echo yes || echo no); read-only scan exit=$rc \"$msg\"; serve exit=$src \"$smsg\"; entries=$e, $(verify_ok)" \
      $([ $first = 0 ] && [ $rc -ne 0 ] && [ $src -ne 0 ] && [ $src -ne 124 ] && [ "$e" = 1 ]; echo $?)
}

# MARK: - a registered PDF corrupted on disk before upload

corrupted_pdf() {
  world corrupted_pdf || return
  stop_receiver TERM
  scan_ok
  local path; path=$(icfg register list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["path"])')
  printf 'XXXXXXXX' | dd of="$path" bs=1 seek=2000 conv=notrunc status=none
  start_receiver
  wait_until 30 bash -c "\"$INTAKE\" queue list --all --json --config \"$W/intake.toml\" | grep -q '\"corrupt\"'"
  sleep 2
  local st; st=$(field state); local held; held=$(receiver_count)
  local v; v=$(icfg register verify 2>&1 | tail -1); v=$(trim 80 "$v")
  row corrupted_pdf "bytes flipped in a registered PDF while the centre is down → state corrupt, never sent" \
      "state=$st, receiver holds $held, POSTs=$(posts), last error: $(trim 60 "$(field last_error)"); register verify: \"$v\"" \
      $([ "$st" = corrupt ] && [ "$held" = 0 ]; echo $?)
  finish_world
}

START=$(date +%s)
for s in "${SCENARIOS[@]}"; do
  echo "== $s"
  before=${#ROWS[@]}
  "$s"
  if [ ${#ROWS[@]} -eq "$before" ]; then
    row "$s" "(scenario runs)" "setup failed: $(tail -2 "$W/serve.log" "$W/receiver.log" 2>/dev/null | tr '\n' ' ' | cut -c1-150)" 1
    finish_world
  fi
done

if [ ${#LEAKS[@]} -gt 0 ]; then
  leaked=0; for l in "${LEAKS[@]}"; do [[ "$l" == *"exit=0"* ]] || leaked=1; done
  row device_options_reset "a profile's device_options do not stay set for the next scan with another profile (same daemon)" \
      "$(printf '%s; ' "${LEAKS[@]}")" $leaked
fi
echo
echo "scenario | expected | observed | pass/fail"
echo "--- | --- | --- | ---"
for r in "${ROWS[@]}"; do echo "$r" | sed 's/|/ | /g'; done
echo
echo "fault matrix: ${#ROWS[@]} scenarios, $FAILED failed, $(( $(date +%s) - START )) s (work dir: $ROOT)"
[ $FAILED -eq 0 ]
