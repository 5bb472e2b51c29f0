#!/usr/bin/env bash
# HTTP benchmark: an authenticated list of 50 records against /healthz on the same server in
# the same run, with wrk on 127.0.0.1. Prints requests/s, latency percentiles, the ratio,
# and the server's idle resident memory. Usage: bench/http/run.sh [path/to/failsafe]
# Environment: DURATION (default 15s), CONNECTIONS (default 64), THREADS (wrk, default 1),
# PROFILE=FILE: also record the server with `perf record -g` into FILE during the list run
# (inspect with `perf report -i FILE --no-children`); the recording costs some throughput.
set -euo pipefail
bin=${1:-build/bin/failsafe}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-64}
wrk_threads=${THREADS:-1}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
export FAILSAFE_ADMIN_PASSWORD=Bench-Password-2026
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 --log-level warn >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 200); do
  addr=$(grep -oE 'listening on http://[0-9.:]+' "$work/out" | sed 's|.*http://||' || true)
  [ -n "$addr" ] && break
  sleep 0.05
done
[ -n "$addr" ] || { echo "server did not start"; cat "$work/err"; exit 1; }

sleep 1
idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

# Log in, mint a token, create the 50 records the list returns.
jar="$work/cookies"
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$FAILSAFE_ADMIN_PASSWORD\"}" \
  "http://$addr/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["csrf_token"])')
token=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"bench","role":"admin"}' "http://$addr/api/v1/tokens" |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
for i in $(seq 1 50); do
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"record-$i\",\"role\":\"viewer\"}" "http://$addr/api/v1/tokens"
done
list="/api/v1/tokens?all=true&limit=50"
n=$(curl -s -H "Authorization: Bearer $token" "http://$addr$list" |
  python3 -c 'import sys,json; print(len(json.load(sys.stdin)["items"]))')
[ "$n" = 50 ] || { echo "expected 50 records, got $n"; exit 1; }

# CPU time (user + system, clock ticks) the server has used so far.
server_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)

run() {  # name, then wrk args
  local name=$1; shift
  local ticks_before ticks_after
  ticks_before=$(server_ticks)
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$@" >"$work/$name.txt"
  ticks_after=$(server_ticks)
  local rps p50 p99 requests cpu_us
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.txt")
  requests=$(awk '/requests in/ {print $1}' "$work/$name.txt")
  # Server CPU per request: what the route costs the server, whoever else shares the cores.
  cpu_us=$(python3 -c "print(f'{($ticks_after - $ticks_before) / $ticks_per_second * 1e6 / max(1, $requests):.1f}')")
  local errors
  errors=$(grep -E 'Non-2xx|Socket errors' "$work/$name.txt" || true)
  printf '%-28s %12s req/s   p50 %-9s p99 %-9s server CPU %6s us/req %s\n' \
    "$name" "$rps" "$p50" "$p99" "$cpu_us" "$errors"
  echo "$rps" >"$work/$name.rps"
}

echo "failsafe HTTP benchmark — $(nproc) cores, wrk -t$wrk_threads -c$connections -d$duration"
echo "idle resident memory: $((idle_rss_kb / 1024)) MB ($idle_rss_kb kB)"
run healthz "http://$addr/healthz"
if [ -n "${PROFILE:-}" ]; then
  perf record -g -o "$PROFILE" -p "$pid" 2>"$work/perf.err" &
  perf_pid=$!
  sleep 0.5
fi
run "list-50 (bearer)" -H "Authorization: Bearer $token" "http://$addr$list"
if [ -n "${PROFILE:-}" ]; then
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  echo "profile of the list run: $PROFILE"
fi
ratio=$(python3 -c "print(f'{float(open(\"$work/list-50 (bearer).rps\").read())/float(open(\"$work/healthz.rps\").read()):.2f}')")
echo "ratio list-50 / healthz: $ratio"
busy_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "resident memory after load: $((busy_rss_kb / 1024)) MB"
