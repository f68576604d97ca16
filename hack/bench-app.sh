#!/usr/bin/env bash
# Load-tests inference-app against nginx on this machine with wrk, over loopback only.
#
# Builds the jar, starts the app on 127.0.0.1 with the image's JVM flags under an emulated
# container memory limit (-XX:MaxRAM, so heap sizing is what the pod gets), measures the time
# from process start to the port accepting connections, and starts an nginx of our own (temp
# config, one worker, 127.0.0.1) answering POST /predict with a constant body of the same size.
# Then, for each connection count, runs wrk against the app and against nginx one after the
# other (flipping which goes first every pair, so drift in the machine's load hits both) and prints requests/s, p50/p99 and their ratio; then a
# batch of 100 rows per request and the Open Inference Protocol route. Resident memory is read
# from /proc/PID/status. Stops both processes it started, by their PIDs.
#
# Knobs: BENCH_CONNECTIONS (default "1 8 64"), BENCH_DURATION (default 10s),
#        BENCH_ROUNDS (app/nginx pairs per connection count, order flipped each time; default 2),
#        BENCH_WARMUP (default 10s), BENCH_THREADS (wrk threads, default 2),
#        BENCH_MEMORY_LIMIT (emulated container limit, default 256m),
#        JAVA_OPTS (extra JVM flags), HTTP_THREADS (the app's event loops).
set -euo pipefail

LOG_TAG=bench-app
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT=$REPO_ROOT
JAR="$ROOT/inference-app/target/inference-app.jar"
CONNECTIONS=${BENCH_CONNECTIONS:-"1 8 64"}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-10s}
WRK_THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-2}
MEMORY_LIMIT=${BENCH_MEMORY_LIMIT:-256m}
# The ENTRYPOINT flags of inference-app/Dockerfile; MaxRAM stands in for the cgroup limit.
IMAGE_JVM_FLAGS="-XX:-UsePerfData -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

if ! why=$("$HACK_DIR/ensure-packages.sh" --for "make bench-app" bench-app java:openjdk-17-jdk-headless); then
  log "$why"
  exit 1
fi

log "building $JAR"
(cd "$ROOT" && ./mvnw -B -q -f inference-app/pom.xml package -DskipTests -Dspotless.check.skip=true)

WORK=$(mktemp -d)
APP_PID=""
NGINX_PID=""
cleanup() {
  for pid in $APP_PID $NGINX_PID; do
    if kill -0 "$pid" 2> /dev/null; then
      kill -TERM "$pid" 2> /dev/null || true
      wait "$pid" 2> /dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

ROW='{"age":63,"sex":1,"cp":3,"trestbps":145,"chol":233,"fbs":1,"restecg":0,"thalach":150,"exang":0,"oldpeak":2.3,"slope":0,"ca":0,"thal":1}'
V2_ROW='{"id":"b","inputs":[{"name":"input-0","datatype":"FP64","shape":[1,13],"data":[63,1,3,145,233,1,0,150,0,2.3,0,0,1]}]}'
BATCH="{\"instances\":[$ROW$(printf ",$ROW%.0s" $(seq 1 99))]}"

wrk_script predict "$ROW"
wrk_script batch "$BATCH"
wrk_script v2 "$V2_ROW"

now_ms() { date +%s%3N; }

# --- the app ---------------------------------------------------------------------------------
# start_app: launches it on a fresh port and waits for the port; sets APP_PID, APP_PORT, APP_START_MS
start_app() {
APP_PORT=$(free_port)
START_MS=$(now_ms)
# shellcheck disable=SC2086
PORT=$APP_PORT BIND_ADDRESS=127.0.0.1 SHUTDOWN_DRAIN_SECONDS=0 \
  java $IMAGE_JVM_FLAGS -XX:MaxRAM="$MEMORY_LIMIT" ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
READY_MS=""
for _ in $(seq 1 3000); do
  if ! kill -0 "$APP_PID" 2> /dev/null; then
    log "the app exited during start-up:"
    cat "$WORK/app.log" >&2
    exit 1
  fi
  if (exec 3<> "/dev/tcp/127.0.0.1/$APP_PORT") 2> /dev/null; then
    READY_MS=$(now_ms)
    break
  fi
  sleep 0.005
done
if [ -z "$READY_MS" ]; then
  log "the app did not accept connections within 15 s"
  cat "$WORK/app.log" >&2
  exit 1
fi
APP_START_MS=$((READY_MS - START_MS))
}

# Start-up is sensitive to whatever else the machine runs: several starts, median reported.
STARTS=()
for _ in 1 2 3 4 5; do
  start_app
  STARTS+=("$APP_START_MS")
  kill -TERM "$APP_PID"
  wait "$APP_PID" || true
done
START_SORTED=$(printf '%s\n' "${STARTS[@]}" | sort -n | tr '\n' ' ')
START_MEDIAN=$(printf '%s\n' "${STARTS[@]}" | sort -n | sed -n 3p)
start_app
APP_URL="http://127.0.0.1:$APP_PORT"
APP_RESPONSE=$(curl -s "$APP_URL/predict" -d "$ROW")

# --- nginx: one worker, same route, constant body of the app's answer -------------------------
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx.conf" << EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /predict {
      default_type application/json;
      return 200 '$APP_RESPONSE';
    }
  }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx.conf" 2> "$WORK/nginx/stderr.log" &
NGINX_PID=$!
for _ in $(seq 1 1000); do
  if (exec 3<> "/dev/tcp/127.0.0.1/$NGINX_PORT") 2> /dev/null; then break; fi
  if ! kill -0 "$NGINX_PID" 2> /dev/null; then
    log "nginx failed to start:"
    cat "$WORK/nginx/stderr.log" "$WORK/nginx/error.log" >&2 || true
    exit 1
  fi
  sleep 0.01
done
NGINX_URL="http://127.0.0.1:$NGINX_PORT"

proc_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# run NAME URL SCRIPT CONNECTIONS -> sets RPS P50 P99 REQS ERRS RSS (RSS of the app mid-run)
run() {
  local threads=$WRK_THREADS
  [ "$4" -lt "$threads" ] && threads=$4
  wrk -t "$threads" -c "$4" -d "$DURATION" --latency -s "$WORK/$3.lua" "$2" > "$WORK/wrk.txt" &
  local wrk_pid=$!
  sleep "$(awk -v d="${DURATION%s}" 'BEGIN { print d / 2 }')"
  RSS=$(proc_kb "$APP_PID" VmRSS)
  wait "$wrk_pid"
  read -r _ RPS P50 P99 REQS ERRS < <(grep '^RESULT' "$WORK/wrk.txt")
}

echo "inference-app benchmark: wrk over loopback, app vs nginx (one worker, constant body)"
echo "date: $(date -u +%Y-%m-%d), machine: $(nproc) cores," \
  "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "java: $(java -version 2>&1 | head -n 1); nginx: $(nginx -v 2>&1 | sed 's/.*\///')"
echo "app JVM flags: $IMAGE_JVM_FLAGS -XX:MaxRAM=$MEMORY_LIMIT ${JAVA_OPTS:-}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "start to accepting connections: median $START_MEDIAN ms of 5 starts ($START_SORTED ms);" \
  "VmRSS after start $(mib "$(proc_kb "$APP_PID" VmRSS)") MiB"

log "warming up both for $WARMUP"
wrk -t "$WRK_THREADS" -c 64 -d "$WARMUP" -s "$WORK/predict.lua" "$APP_URL/predict" > /dev/null
wrk -t "$WRK_THREADS" -c 64 -d 2s -s "$WORK/predict.lua" "$NGINX_URL/predict" > /dev/null

echo
echo "POST /predict, one row, $DURATION per run:"
printf '%-6s %12s %12s %7s %10s %10s %10s %10s %6s %10s\n' conns "app req/s" "nginx req/s" ratio \
  "app p50" "app p99" "ngx p50" "ngx p99" errors "app RSS"
first=app
for c in $CONNECTIONS; do
  for _ in $(seq 1 "$ROUNDS"); do
  for who in $first $([ "$first" = app ] && echo nginx || echo app); do
    if [ "$who" = app ]; then
      run app "$APP_URL/predict" predict "$c"
      A_RPS=$RPS A_P50=$P50 A_P99=$P99 A_ERR=$ERRS A_RSS=$RSS
    else
      run nginx "$NGINX_URL/predict" predict "$c"
      N_RPS=$RPS N_P50=$P50 N_P99=$P99 N_ERR=$ERRS
    fi
  done
  ratio=$(awk -v a="$A_RPS" -v n="$N_RPS" 'BEGIN { printf "%.2f", a / n }')
  printf '%-6s %12s %12s %7s %10s %10s %10s %10s %6s %10s\n' "$c" "$A_RPS" "$N_RPS" "$ratio" \
    "$A_P50" "$A_P99" "$N_P50" "$N_P99" "$((A_ERR + N_ERR))" "$(mib "$A_RSS") MiB"
  first=$([ "$first" = app ] && echo nginx || echo app)
  done
done

echo
echo "other routes of the app (64 connections):"
printf '%-40s %12s %12s %10s %10s %6s\n' route "req/s" "rows/s" "p50 ms" "p99 ms" errors
run app "$APP_URL/predict" batch 64
printf '%-40s %12s %12s %10s %10s %6s\n' "/predict, 100 rows" "$RPS" \
  "$(awk -v r="$RPS" 'BEGIN { printf "%.0f", r * 100 }')" "$P50" "$P99" "$ERRS"
run app "$APP_URL/v2/models/heart/infer" v2 64
printf '%-40s %12s %12s %10s %10s %6s\n' "/v2/models/heart/infer, 1 row" "$RPS" "$RPS" "$P50" "$P99" "$ERRS"

echo
echo "app memory: VmHWM $(mib "$(proc_kb "$APP_PID" VmHWM)") MiB, VmRSS now $(mib "$(proc_kb "$APP_PID" VmRSS)") MiB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

kill -TERM "$APP_PID"
STOP_MS=$(now_ms)
status=0
wait "$APP_PID" || status=$?
APP_PID=""
echo "app stopped with SIGTERM (SHUTDOWN_DRAIN_SECONDS=0): exit status $status after $(($(now_ms) - STOP_MS)) ms"
