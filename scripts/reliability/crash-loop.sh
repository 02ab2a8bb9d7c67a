#!/usr/bin/env bash
# Crash loop: clients scan continuously while the daemon is killed with SIGKILL at random
# moments (0–1.5 s after each restart: during scanning, PDF writing, the register
# transaction, uploads, recovery) and restarted; now and then the receiver is killed too.
# Then everything drains and the invariants are checked (scripts/reliability/check.py).
#
#   scripts/reliability/crash-loop.sh [ITERATIONS]      (default 200)
# env: INTAKE_BIN (bin dir, default `swift build --show-bin-path`), RELIABILITY_DIR (work dir),
#      CLIENTS (parallel scan clients, default 2: profiles default (gray 40 mm), large (colour 100 mm),
#      urgent (lineart 40 mm, hỏa tốc) in turn), RECEIVER_KILL_EVERY (default 10; 0 = never),
#      SEED (for $RANDOM, default: time); KILL=0 for a control run (same timing, no kills)
#      FALLBACK=same|separate (default same). `intake scan` scans directly when the daemon does not
#        answer (e.g. while it restarts after a kill). "same": those direct scans use the real
#        register, as on an appliance (two writer processes, recovery racing a live registration).
#        "separate": the clients' configuration points the fallback at a throw-away state_dir, so
#        only scans the daemon performed reach the register (isolates the daemon's own recovery).
set -euo pipefail
ITERATIONS="${1:-200}"
CLIENTS="${CLIENTS:-2}"
RECEIVER_KILL_EVERY="${RECEIVER_KILL_EVERY:-10}"
SEED="${SEED:-$(date +%s)}"
RANDOM=$SEED
FALLBACK="${FALLBACK:-same}"
KILL="${KILL:-1}"
source "$(dirname "$0")/common.sh"
new_world "${RELIABILITY_DIR:-$(mktemp -d /tmp/intake-crash.XXXXXX)}"
START=$(date +%s)
MAX_SECONDS=$(( ITERATIONS * 6 + 300 ))   # hard bound on the whole run

CLIENT_PIDS=()
cleanup() {
  touch "$W/stop"
  for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_daemon KILL; stop_receiver KILL
}
trap cleanup EXIT

start_receiver
write_config
CLIENT_CONFIG="$W/intake.toml"
if [ "$FALLBACK" = separate ]; then
  CLIENT_CONFIG="$W/client.toml"
  sed "s|^state_dir = .*|state_dir = \"$W/fallback-state\"|" "$W/intake.toml" > "$CLIENT_CONFIG"
fi
START_FAILURES=0
# Like systemd's Restart=on-failure (RestartSec shortened): up to 5 tries, each failure counted.
restart_daemon() {
  local t
  for t in 1 2 3 4 5; do
    start_daemon 2>>"$W/start-failures.log" && return 0
    START_FAILURES=$((START_FAILURES + 1)); SERVE_PID=""
    sleep 0.5
  done
  echo "daemon failed to start 5 times in a row: $(tail -2 "$W/start-failures.log")" >&2
  return 1
}
restart_daemon

# A scan client: scans in a loop until told to stop (bounded by count and time); keeps
# every "Số đến N — book B Y — … — ID" line it was told.
client() {
  local n=0 out
  while [ ! -f "$W/stop" ] && [ $n -lt 100000 ] && [ $(( $(date +%s) - START )) -lt $MAX_SECONDS ]; do
    n=$((n + 1))
    out=$(timeout 60 "$INTAKE" scan --config "$CLIENT_CONFIG" --profile "$1" 2>"$W/client-$2.last" || true)
    cat "$W/client-$2.last" >> "$W/client-$2.err"
    if [ "$FALLBACK" = separate ] && grep -q "scanning directly" "$W/client-$2.last"; then
      echo "attempt $n: fallback scan into the throw-away register: $out" >> "$W/client-$2.err"
    elif [[ "$out" =~ Số\ đến\ ([0-9]+)\ —\ book\ ([^ ]+)\ ([0-9]+)\ —.*—\ ([^ ]+)$ ]]; then
      echo "${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[1]} ${BASH_REMATCH[4]}" >> "$W/told-$2.txt"
    else
      echo "attempt $n: ${out:-no number}" >> "$W/client-$2.err"
      sleep 0.05
    fi
  done
}
for c in $(seq "$CLIENTS"); do
  case $((c % 3)) in 1) profile=default ;; 2) profile=large ;; *) profile=urgent ;; esac
  client "$profile" "$c" &
  CLIENT_PIDS+=($!)
done

RECEIVER_KILLS=0
for i in $(seq "$ITERATIONS"); do
  [ $(( $(date +%s) - START )) -lt $MAX_SECONDS ] || { echo "time bound reached after $((i-1)) iterations" >&2; break; }
  sleep "$(printf '%d.%03d' $(( RANDOM % 1500 / 1000 )) $(( RANDOM % 1500 % 1000 )))"
  [ "$KILL" = 1 ] || { [ $((i % 20)) -eq 0 ] && echo "iteration $i/$ITERATIONS (control, no kill)"; continue; }
  kill -KILL "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
  if [ "$RECEIVER_KILL_EVERY" -gt 0 ] && [ $(( RANDOM % RECEIVER_KILL_EVERY )) -eq 0 ]; then
    stop_receiver KILL; RECEIVER_KILLS=$((RECEIVER_KILLS + 1))
    start_receiver
  fi
  restart_daemon || break
  [ $((i % 20)) -eq 0 ] && echo "iteration $i/$ITERATIONS: $(cat "$W"/told-*.txt 2>/dev/null | wc -l) numbers told, outbox: $(queue_states)"
done

# Stop the clients, let the outbox drain (≤ 180 s), stop cleanly.
touch "$W/stop"
for p in "${CLIENT_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
CLIENT_PIDS=()
drained() { icfg queue list --json 2>/dev/null | python3 -c 'import json,sys; sys.exit(0 if not [r for r in json.load(sys.stdin) if r["state"]=="pending"] else 1)'; }
[ -n "$SERVE_PID" ] || restart_daemon || true
wait_until 180 drained || echo "outbox did not drain in 180 s: $(queue_states)" >&2
sleep 1
stop_daemon TERM

icfg register list --json > "$W/register.json"
icfg queue list --all --json > "$W/queue.json"
receiver_docs > "$W/received.json"
cat "$W"/told-*.txt > "$W/told.txt" 2>/dev/null || : > "$W/told.txt"

echo
echo "== checks ($W)"
set +e
python3 "$(dirname "$0")/check.py" "$W/register.json" "$W/queue.json" "$W/received.json" "$W/told.txt" | tee "$W/check.txt"
CHECK=${PIPESTATUS[0]}
icfg register verify > "$W/verify.txt" 2>&1; VERIFY=$?
set -e
if [ $VERIFY -eq 0 ]; then echo "PASS  audit chain verifies (intake register verify)"; else echo "FAIL  audit chain: $(tail -2 "$W/verify.txt")"; fi
SUMMARY=$(sed -n 's/^SUMMARY //p' "$W/check.txt")
DURATION=$(( $(date +%s) - START ))
echo
echo "crash loop: iterations=$ITERATIONS daemon_kills=$([ "$KILL" = 1 ] && echo "$ITERATIONS" || echo 0) receiver_kills=$RECEIVER_KILLS daemon_start_failures=$START_FAILURES clients=$CLIENTS fallback=$FALLBACK seed=$SEED duration=${DURATION}s"
echo "summary: $SUMMARY"
echo "clients: $(cat "$W"/client-*.err | grep -c "scanning directly") scans ran directly (daemon down at that instant: the CLI's fallback; FALLBACK=$FALLBACK: $([ "$FALLBACK" = same ] && echo "a second writer on the real register" || echo "into a throw-away register, not counted")); $(cat "$W"/client-*.err | grep -c "closed the connection before answering\|stopped before answering\|Connection reset\|Could not talk") scans cut off by a kill (no number told); $(grep -hc "register recovered work" "$W/serve.log") recoveries found work to do"
echo "outbox: $(queue_states)"
[ $START_FAILURES -eq 0 ] || echo "FAIL  the daemon failed to start $START_FAILURES time(s) after a kill: $(grep -m1 'daemon failed\|exited at start' "$W/start-failures.log" | cut -c1-200)"
[ $CHECK -eq 0 ] && [ $VERIFY -eq 0 ] && [ $START_FAILURES -eq 0 ] && { echo "RESULT: PASS"; exit 0; }
echo "RESULT: FAIL (work dir kept: $W)"; trap - EXIT; cleanup; exit 1
