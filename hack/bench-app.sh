#!/usr/bin/env bash
# Load-tests inference-app's POST /predict on this machine with wrk, over loopback only.
# Builds the jar if it is missing, starts the app on 127.0.0.1 on a free port, measures the time
# from process start to the port accepting connections, warms up, then runs wrk at several
# connection counts and prints requests/s, p50 and p99 latency and the app's resident memory
# (VmRSS / VmHWM from /proc/PID/status) under load. Stops the app it started, by its PID.
#
# Knobs: BENCH_CONNECTIONS (default "1 16 64"), BENCH_DURATION (default 10s),
#        BENCH_WARMUP (default 10s), BENCH_THREADS (wrk threads, default 2),
#        JAVA_OPTS (extra JVM flags for the app), HTTP_THREADS (the app's worker pool).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/inference-app/target/inference-app.jar"
CONNECTIONS=${BENCH_CONNECTIONS:-"1 16 64"}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-10s}
WRK_THREADS=${BENCH_THREADS:-2}

log() { printf '[bench-app] %s\n' "$*" >&2; }

if ! command -v wrk > /dev/null 2>&1; then
  log "wrk is not installed; on Debian/Ubuntu: apt-get update && apt-get install -y wrk"
  exit 1
fi
if ! command -v java > /dev/null 2>&1; then
  log "java is not installed (Java 17 or newer is needed)"
  exit 1
fi

if [ ! -f "$JAR" ]; then
  log "building $JAR"
  # -f on the module: works whether or not the other reactor modules are present.
  (cd "$ROOT" && ./mvnw -B -q -f inference-app/pom.xml package -DskipTests)
fi

WORK=$(mktemp -d)
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2> /dev/null; then
    kill -TERM "$APP_PID" 2> /dev/null || true
    wait "$APP_PID" 2> /dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/predict.lua" << 'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"age":63,"sex":1,"cp":3,"trestbps":145,"chol":233,"fbs":1,"restecg":0,'
  .. '"thalach":150,"exang":0,"oldpeak":2.3,"slope":0,"ca":0,"thal":1}'

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
EOF

now_ms() { date +%s%3N; }

# PORT=0 lets the kernel pick a free port; the app logs the one it got.
START_MS=$(now_ms)
# shellcheck disable=SC2086
PORT=0 BIND_ADDRESS=127.0.0.1 java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!

PORT=""
READY_MS=""
for _ in $(seq 1 3000); do
  if ! kill -0 "$APP_PID" 2> /dev/null; then
    log "the app exited during start-up:"
    cat "$WORK/app.log" >&2
    exit 1
  fi
  if [ -z "$PORT" ]; then
    PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$WORK/app.log" | head -n 1)
  fi
  if [ -n "$PORT" ] && (exec 3<> "/dev/tcp/127.0.0.1/$PORT") 2> /dev/null; then
    READY_MS=$(now_ms)
    break
  fi
  sleep 0.01
done
if [ -z "$READY_MS" ]; then
  log "the app did not accept connections within 30 s"
  cat "$WORK/app.log" >&2
  exit 1
fi
URL="http://127.0.0.1:$PORT/predict"

proc_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$APP_PID/status"; }

echo "inference-app benchmark: POST /predict (one instance per request), loopback"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "java: $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "start to accepting connections: $((READY_MS - START_MS)) ms (PID $APP_PID, port $PORT)"
echo "memory after start: VmRSS $(proc_kb VmRSS) kB"

log "warming up for $WARMUP"
wrk -t "$WRK_THREADS" -c 16 -d "$WARMUP" -s "$WORK/predict.lua" "$URL" > /dev/null

printf '\n%-12s %12s %10s %10s %10s %8s %14s\n' connections "requests/s" "p50 ms" "p99 ms" requests errors "VmRSS kB"
for c in $CONNECTIONS; do
  threads=$WRK_THREADS
  [ "$c" -lt "$threads" ] && threads=$c
  wrk -t "$threads" -c "$c" -d "$DURATION" --latency -s "$WORK/predict.lua" "$URL" > "$WORK/wrk-$c.txt" &
  WRK_PID=$!
  # Sample resident memory half-way through the run, i.e. under load.
  sleep "$(awk -v d="${DURATION%s}" 'BEGIN { print d / 2 }')"
  rss=$(proc_kb VmRSS)
  wait "$WRK_PID"
  read -r _ rps p50 p99 requests errors < <(grep '^RESULT' "$WORK/wrk-$c.txt")
  printf '%-12s %12s %10s %10s %10s %8s %14s\n' "$c" "$rps" "$p50" "$p99" "$requests" "$errors" "$rss"
done

echo
echo "peak memory: VmHWM $(proc_kb VmHWM) kB; now VmRSS $(proc_kb VmRSS) kB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

kill -TERM "$APP_PID"
STOP_MS=$(now_ms)
status=0
wait "$APP_PID" || status=$?
APP_PID=""
echo "stopped with SIGTERM: exit status $status after $(($(now_ms) - STOP_MS)) ms"
