#!/usr/bin/env bash
# Serving a user's ONNX model: inference-app against MLServer and against ONNX Runtime's own run,
# on this machine, over loopback only.
#
# The model is heart-forest.onnx (a scikit-learn random forest, 10 trees, 13 FLOAT features; made
# by models/export.py). Side by side in one run, with wrk driving the Open Inference Protocol
# route POST /v2/models/NAME/infer with the same bodies (1 row and 100 rows per request, FP32)
# at 1, 8 and 64 connections:
#   - app (forest): the jar with MODEL_PATH=heart-forest.onnx, the image's JVM flags under an
#     emulated 256 MiB container limit (as hack/bench-app.sh),
#   - MLServer 1.7.1 with its scikit-learn runtime serving the scikit-learn forest the ONNX file
#     was exported from (trained again here from heart.csv exactly as models/export.py does, and
#     checked against heart-forest.oracle.json; its own venv under the cache; MLServer's defaults
#     but for its ports, 127.0.0.1 and no access log),
#   - app (forest, binary): the same server and rows in the protocol's binary tensor extension
#     (the JSON part, then the values as little-endian FP32), as Triton's and KServe's clients
#     send them by default,
#   - app (heart): the jar with its bundled model (input-0, FP64), the server's own figure for
#     its built-in model.
# Each point runs them one after the other, the order rotated from point to point, so drift
# in the machine's load hits them all. Besides requests/s, rows/s and wrk's p50/p99, each run
# gives the server's CPU time per request (all its threads; MLServer's worker process included),
# the figure least moved by whatever else shares the machine. Before that, in-process from Java
# with no HTTP (OnnxRunBench in the test sources): ONNX Runtime's run, the limit, and the
# server's own scoring (OnnxModel.predict), rows/s for 1-row and 100-row calls with 1 and 2
# threads. Then the resident memory of each server and the figures against the goals of issue
# 19. Stops every process it started, by its PID. Without heart.csv MLServer is left out, saying
# so. First of all, on a machine not yet warmed by the runs, start to ready: 5 starts each of the
# built-in model and the forest, without and with the class-data archive the image makes (from the
# self-check, as inference-app/Dockerfile does).
#
# Knobs: BENCH_CONNECTIONS (default "1 8 64"), BENCH_DURATION (per run, default 5s),
#        BENCH_WARMUP (per server, default 10s), BENCH_THREADS (wrk threads, default 2),
#        BENCH_INPROCESS_SECONDS (per in-process point, default 3), BENCH_MEMORY_LIMIT (the
#        emulated container limit, default 256m), HEART_CSV (default ../shared/data/heart.csv
#        from the repository), JAVA_OPTS (extra JVM flags), BENCH_START_MODEL (another .onnx
#        file to time the start of, beside the built-in model and the forest).
set -euo pipefail

LOG_TAG=bench-models
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT=$REPO_ROOT
JAR="$ROOT/inference-app/target/inference-app.jar"
TEST_CLASSES="$ROOT/inference-app/target/test-classes"
MODEL="$ROOT/inference-app/src/test/resources/onnx/heart-forest.onnx"
ORACLE="$ROOT/inference-app/src/test/resources/onnx/heart-forest.oracle.json"
HEART_CSV=${HEART_CSV:-$(dirname "$ROOT")/shared/data/heart.csv}
MLSERVER_VENV=$CACHE/mlserver-venv
MLSERVER_REQUIREMENTS=$HACK_DIR/bench-models/requirements.txt
CONNECTIONS=${BENCH_CONNECTIONS:-"1 8 64"}
DURATION=${BENCH_DURATION:-5s}
WARMUP=${BENCH_WARMUP:-10s}
WRK_THREADS=${BENCH_THREADS:-2}
INPROCESS_SECONDS=${BENCH_INPROCESS_SECONDS:-3}
MEMORY_LIMIT=${BENCH_MEMORY_LIMIT:-256m}
# The ENTRYPOINT flags of inference-app/Dockerfile, ONNX Runtime's natives unpacked at build time
# as in the image; MaxRAM stands in for the cgroup limit.
IMAGE_JVM_FLAGS="-XX:-UsePerfData -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
IMAGE_JVM_FLAGS+=" -Donnxruntime.native.path=$ROOT/inference-app/target/onnxruntime-native"
START_MODELS="built-in $MODEL ${BENCH_START_MODEL:-}"
export ORT_DISABLE_TELEMETRY=1

if ! why=$("$HACK_DIR/ensure-packages.sh" --for "make bench-models" wrk:wrk java:openjdk-17-jdk-headless); then
  log "$why"
  exit 1
fi

# --- MLServer's venv and the forest it serves ------------------------------------------------
MLSERVER=1
if [ ! -f "$HEART_CSV" ]; then
  log "heart.csv not found at $HEART_CSV (set HEART_CSV): MLServer is left out, as its forest is trained from it"
  MLSERVER=0
elif ! cmp -s "$MLSERVER_REQUIREMENTS" "$MLSERVER_VENV/requirements.txt"; then
  log "making $MLSERVER_VENV (MLServer and scikit-learn, pinned in hack/bench-models/requirements.txt)"
  rm -rf "$MLSERVER_VENV"
  # The copy of the requirements is written last: it marks a finished install.
  if ! { python3 -m venv "$MLSERVER_VENV" && "$MLSERVER_VENV/bin/pip" install -q \
    --disable-pip-version-check -r "$MLSERVER_REQUIREMENTS"; } > "$CACHE/mlserver-venv.log" 2>&1; then
    log "could not install MLServer (see $CACHE/mlserver-venv.log):"
    tail -n 5 "$CACHE/mlserver-venv.log" >&2
    exit 1
  fi
  cp "$MLSERVER_REQUIREMENTS" "$MLSERVER_VENV/requirements.txt"
fi

log "building $JAR and the test classes"
(cd "$ROOT" && ./mvnw -B -q -f inference-app/pom.xml package -DskipTests -Dspotless.check.skip=true)

WORK=$(mktemp -d)
FOREST_PID="" HEART_PID="" MLSERVER_PID="" MLSERVER_TREE=""
stop() { # PID... : SIGTERM, up to 20 s, then SIGKILL; only our own processes
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2> /dev/null || true; done
  for _ in $(seq 1 200); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2> /dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2> /dev/null || true; done
  for pid in "$@"; do wait "$pid" 2> /dev/null || true; done
}
cleanup() {
  stop $FOREST_PID $HEART_PID $MLSERVER_PID
  # MLServer's inference worker and resource tracker, should they outlive it.
  if [ -n "$MLSERVER_TREE" ]; then stop $MLSERVER_TREE; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
proc_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2> /dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
children() { # PID -> its descendants, from /proc
  local pid=$1 child
  for child in $(cat /proc/"$pid"/task/*/children 2> /dev/null); do
    echo "$child"
    children "$child"
  done
}
tree_rss_kb() { # PID -> VmRSS of it and its descendants, summed
  local total=0 p
  for p in "$1" $(children "$1"); do total=$((total + $(proc_kb "$p" VmRSS))); done
  echo "$total"
}

# --- the request bodies ------------------------------------------------------------------------
ROW="63,1,3,145,233,1,0,150,0,2.3,0,0,1"
rows() { local out=$ROW; for _ in $(seq 2 "$1"); do out+=",$ROW"; done; echo "$out"; }
v2_body() { # input-name datatype rows
  echo "{\"id\":\"b\",\"inputs\":[{\"name\":\"$1\",\"datatype\":\"$2\",\"shape\":[$3,13],\"data\":[$(rows "$3")]}]}"
}
BATCHES="1 100"
# The same rows in the protocol's binary tensor extension, as Triton's and KServe's clients send
# them by default: the JSON part, then the values as little-endian FP32.
binary_body() { # rows file -> the JSON part's length
  python3 - "$1" "$2" "$ROW" << 'PY'
import struct, sys
n, path, row = int(sys.argv[1]), sys.argv[2], [float(v) for v in sys.argv[3].split(",")]
head = ('{"id":"b","inputs":[{"name":"input","datatype":"FP32","shape":[%d,13],'
        '"parameters":{"binary_data_size":%d}}]}' % (n, n * 13 * 4)).encode()
with open(path, "wb") as f:
    f.write(head + struct.pack("<%df" % (n * 13), *(row * n)))
print(len(head))
PY
}
for n in $BATCHES; do
  wrk_script "forest-$n" "$(v2_body input FP32 "$n")"
  wrk_script "heart-$n" "$(v2_body input-0 FP64 "$n")"
  json_length=$(binary_body "$n" "$WORK/binary-$n.body")
  wrk_script "binary-$n" ""
  cat >> "$WORK/binary-$n.lua" << EOF
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Inference-Header-Content-Length"] = "$json_length"
local f = io.open("$WORK/binary-$n.body", "rb")
wrk.body = f:read("*a")
f:close()
EOF
done

echo "Serving an ONNX model: inference-app vs MLServer vs ONNX Runtime in-process"
echo "date: $(date -u +%Y-%m-%d), machine: $(nproc) cores," \
  "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "java: $(java -version 2>&1 | head -n 1); app JVM flags: $IMAGE_JVM_FLAGS -XX:MaxRAM=$MEMORY_LIMIT ${JAVA_OPTS:-}"
echo "model: ${MODEL#"$ROOT"/} ($(stat -c %s "$MODEL") bytes)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- start to ready ----------------------------------------------------------------------------
# The image's class-data archive (inference-app/Dockerfile), made the same way from this jar.
# shellcheck disable=SC2086
java $IMAGE_JVM_FLAGS -Xlog:cds=error -XX:ArchiveClassesAtExit="$WORK/app.jsa" -jar "$JAR" self-check \
  > "$WORK/self-check.log" 2>&1 || { log "the self-check failed:"; cat "$WORK/self-check.log" >&2; exit 1; }
start_ms() { # model|built-in [JVM flags] -> ms from exec to the first 200 of GET /ready
  local port t0 pid
  port=$(free_port)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  env PORT="$port" BIND_ADDRESS=127.0.0.1 SHUTDOWN_DRAIN_SECONDS=0 \
    $([ "$1" != built-in ] && echo MODEL_PATH="$1") \
    java $IMAGE_JVM_FLAGS -XX:MaxRAM="$MEMORY_LIMIT" ${2:-} ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/start.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/ready" && break
    sleep 0.005
  done
  echo $((($(date +%s%N) - t0) / 1000000))
  stop "$pid"
}
echo
echo "start to ready: ms from exec to the first 200 of GET /ready, 5 starts each (sorted):"
for m in $START_MODELS; do
  size=""
  [ "$m" != built-in ] && size=" ($(stat -c %s "$m") bytes)"
  echo "  ${m#"$ROOT"/}$size:"
  for archive in "" "-XX:SharedArchiveFile=$WORK/app.jsa"; do
    times=$(for _ in 1 2 3 4 5; do start_ms "$m" "$archive"; done | sort -n | tr '\n' ' ')
    echo "    $([ -n "$archive" ] && echo "with the image's class-data archive" || echo "without an archive"): $times(median $(echo "$times" | cut -d' ' -f3))"
  done
done

# --- ONNX Runtime's run in-process, no HTTP --------------------------------------------------
log "ONNX Runtime in-process: ${INPROCESS_SECONDS}s per point"
# shellcheck disable=SC2086
java $IMAGE_JVM_FLAGS -XX:MaxRAM="$MEMORY_LIMIT" ${JAVA_OPTS:-} -cp "$JAR:$TEST_CLASSES" \
  dev.inferops.app.model.onnx.OnnxRunBench "$MODEL" 2 "$INPROCESS_SECONDS" > "$WORK/inprocess.txt"
echo
echo "In-process, no HTTP (Java, one shared session, 1 intra-op thread): ort = ONNX Runtime's run"
echo "(a direct input buffer filled, outputs copied out); app = the server's scoring, OnnxModel.predict:"
printf '%-6s %-8s %-14s %12s %12s %10s %10s\n' path threads "rows per call" "calls/s" "rows/s" "p50 ms" "p99 ms"
declare -A INPROC
while read -r _ path threads batch cps rps p50 p99; do
  [ "$path" = model ] && path=app
  printf '%-6s %-8s %-14s %12s %12s %10s %10s\n' "$path" "$threads" "$batch" "$cps" "$rps" "$p50" "$p99"
  INPROC[$path-$threads-$batch]=$rps
done < <(grep '^RESULT' "$WORK/inprocess.txt")

# --- the servers ---------------------------------------------------------------------------
start_app() { # name [MODEL_PATH] -> sets APP_PID APP_PORT
  APP_PORT=$(free_port)
  # shellcheck disable=SC2086
  env PORT="$APP_PORT" BIND_ADDRESS=127.0.0.1 SHUTDOWN_DRAIN_SECONDS=0 ${2:+MODEL_PATH="$2"} \
    java $IMAGE_JVM_FLAGS -XX:MaxRAM="$MEMORY_LIMIT" ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/$1.log" 2>&1 &
  APP_PID=$!
}
start_app forest "$MODEL"
FOREST_PID=$APP_PID FOREST_URL="http://127.0.0.1:$APP_PORT"
start_app heart
HEART_PID=$APP_PID HEART_URL="http://127.0.0.1:$APP_PORT"

if [ "$MLSERVER" = 1 ]; then
  mkdir -p "$WORK/mlserver/heart-forest"
  "$MLSERVER_VENV/bin/python" "$HACK_DIR/bench-models/sklearn_forest.py" "$HEART_CSV" "$ORACLE" \
    "$WORK/mlserver/heart-forest" | sed 's/^/MLServer model: /'
  MLSERVER_PORT=$(free_port)
  cat > "$WORK/mlserver/settings.json" << EOF
{"host": "127.0.0.1", "http_port": $MLSERVER_PORT, "grpc_port": $(free_port), "metrics_port": $(free_port),
 "debug": false}
EOF
  cat > "$WORK/mlserver/heart-forest/model-settings.json" << EOF
{"name": "heart-forest", "implementation": "mlserver_sklearn.SKLearnModel",
 "parameters": {"uri": "./model.joblib", "version": "1"}}
EOF
  (cd "$WORK/mlserver" && exec "$MLSERVER_VENV/bin/mlserver" start .) > "$WORK/mlserver.log" 2>&1 &
  MLSERVER_PID=$!
  MLSERVER_URL="http://127.0.0.1:$MLSERVER_PORT"
  echo "MLServer $("$MLSERVER_VENV/bin/mlserver" --version | sed 's/.*version //'), scikit-learn runtime;" \
    "settings: host 127.0.0.1, debug false (no access log), parallel_workers default (1)"
fi

ready() { curl -sf -o /dev/null "$1/v2/models/$2/ready"; }
await_ready() { # name pid url model
  for _ in $(seq 1 1200); do
    ready "$3" "$4" && return 0
    if ! kill -0 "$2" 2> /dev/null; then
      log "$1 exited during start-up:"
      tail -n 20 "$WORK/$1.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  log "$1 was not ready within 120 s:"
  tail -n 20 "$WORK/$1.log" >&2
  exit 1
}
await_ready forest "$FOREST_PID" "$FOREST_URL" heart-forest
await_ready heart "$HEART_PID" "$HEART_URL" heart
SERVERS="forest binary heart"
if [ "$MLSERVER" = 1 ]; then
  await_ready mlserver "$MLSERVER_PID" "$MLSERVER_URL" heart-forest
  MLSERVER_TREE=$(children "$MLSERVER_PID" | tr '\n' ' ')
  SERVERS="forest binary mlserver heart"
fi

url_of() { case $1 in forest | binary) echo "$FOREST_URL/v2/models/heart-forest/infer" ;;
  mlserver) echo "$MLSERVER_URL/v2/models/heart-forest/infer" ;; heart) echo "$HEART_URL/v2/models/heart/infer" ;; esac; }
body_of() { case $1 in heart) echo "heart-$2" ;; binary) echo "binary-$2" ;; *) echo "forest-$2" ;; esac; }
label_of() { case $1 in forest) echo "app (forest)" ;; binary) echo "app (forest, binary)" ;; mlserver) echo "MLServer (forest)" ;; heart) echo "app (heart, built-in)" ;; esac; }

echo
echo "one request of each body (a failure here stops the benchmark):"
for s in $SERVERS; do
  for n in $BATCHES; do
    if [ "$s" = binary ]; then
      status=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
        -H "Inference-Header-Content-Length: $(sed -n 's/.*Length"\] = "\(.*\)"/\1/p' "$WORK/binary-$n.lua")" \
        --data-binary "@$WORK/binary-$n.body" "$(url_of "$s")")
    else
      body=$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' "$WORK/$(body_of "$s" "$n").lua")
      status=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "$body" "$(url_of "$s")")
    fi
    if [ "$status" != 200 ]; then
      log "$(label_of "$s") answered $status to the $n-row body: $(head -c 300 "$WORK/answer.json")"
      exit 1
    fi
    [ "$n" = 1 ] && echo "  $(label_of "$s"), 1 row: $(head -c 300 "$WORK/answer.json")"
  done
done

pid_of() { case $1 in forest | binary) echo "$FOREST_PID" ;; mlserver) echo "$MLSERVER_PID" ;; heart) echo "$HEART_PID" ;; esac; }
TICK=$(getconf CLK_TCK)
cpu_ticks() { # PID -> user + system CPU ticks of it and its descendants
  local total=0 p
  for p in "$1" $(children "$1"); do
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" 2> /dev/null | awk '{ t = $12 + $13 } END { print t + 0 }')))
  done
  echo "$total"
}

# run SERVER BATCH CONNECTIONS [DURATION] -> RPS P50 P99 REQS ERRS CPU_US (server CPU per request)
run() {
  local threads=$WRK_THREADS before
  [ "$3" -lt "$threads" ] && threads=$3
  before=$(cpu_ticks "$(pid_of "$1")")
  wrk -t "$threads" -c "$3" -d "${4:-$DURATION}" --timeout 10s --latency \
    -s "$WORK/$(body_of "$1" "$2").lua" "$(url_of "$1")" > "$WORK/wrk.txt"
  read -r _ RPS P50 P99 REQS ERRS < <(grep '^RESULT' "$WORK/wrk.txt")
  CPU_US=$(awk -v t=$(($(cpu_ticks "$(pid_of "$1")") - before)) -v hz="$TICK" -v n="$REQS" \
    'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
}

log "warming up each server for $WARMUP (1 row) and 3s (100 rows) at 64 connections"
for s in $SERVERS; do
  run "$s" 1 64 "$WARMUP"
  run "$s" 100 64 3s
done

declare -A R
rotation=0
for n in $BATCHES; do
  echo
  echo "POST /v2/models/NAME/infer, $n row(s) per request, $DURATION per run:"
  printf '%-6s %-22s %12s %12s %10s %10s %7s %9s\n' conns server "req/s" "rows/s" "p50 ms" "p99 ms" errors "CPU us"
  for c in $CONNECTIONS; do
    read -r -a order <<< "$SERVERS"
    k=${#order[@]}
    for i in $(seq 0 $((k - 1))); do
      s=${order[$(((i + rotation) % k))]}
      run "$s" "$n" "$c"
      rows_s=$(awk -v r="$RPS" -v n="$n" 'BEGIN { printf "%.0f", r * n }')
      R[$s-$n-$c]="$RPS $rows_s $P50 $P99 $ERRS $CPU_US"
    done
    rotation=$((rotation + 1))
    for s in $SERVERS; do
      read -r rps rows_s p50 p99 errs cpu_us <<< "${R[$s-$n-$c]}"
      printf '%-6s %-22s %12s %12s %10s %10s %7s %9s\n' "$c" "$(label_of "$s")" "$rps" "$rows_s" "$p50" "$p99" "$errs" "$cpu_us"
    done
  done
done

echo
echo "resident memory after the runs:"
echo "  app (forest): VmRSS $(mib "$(proc_kb "$FOREST_PID" VmRSS)") MiB, VmHWM $(mib "$(proc_kb "$FOREST_PID" VmHWM)") MiB"
echo "  app (heart, built-in): VmRSS $(mib "$(proc_kb "$HEART_PID" VmRSS)") MiB, VmHWM $(mib "$(proc_kb "$HEART_PID" VmHWM)") MiB"
if [ "$MLSERVER" = 1 ]; then
  echo "  MLServer: main process VmRSS $(mib "$(proc_kb "$MLSERVER_PID" VmRSS)") MiB;" \
    "with its $(children "$MLSERVER_PID" | wc -l) child processes (inference worker, resource tracker)" \
    "$(mib "$(tree_rss_kb "$MLSERVER_PID")") MiB"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- against the goals -------------------------------------------------------------------------
last_c=${CONNECTIONS##* }
field() { read -r -a f <<< "${R[$1]}"; echo "${f[$2]}"; }
verdict() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { ok = (op == "ge") ? a >= b : a < b; print ok ? "met" : "NOT met" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
# The limit is the faster of the two in-process ways with 2 threads.
limit() { awk -v a="${INPROC[ort-2-$1]}" -v b="${INPROC[app-2-$1]}" 'BEGIN { print (a > b ? a : b) }'; }
echo "against the goals (app serving the forest, JSON bodies unless said; in-process: the faster of"
echo "ort and app with 2 threads, ort with 1 thread in brackets):"
one=$(field "forest-1-$last_c" 0)
r=$(ratio "$one" "$(limit 1)")
echo "  1 row at $last_c connections >= 0.5 x in-process rows/s: $one vs $(limit 1) (${INPROC[ort-1-1]}) = $r: $(verdict "$r" 0.5 ge)"
r=$(ratio "$one" "$(field "heart-1-$last_c" 0)")
echo "  1 row at $last_c connections >= 0.8 x the built-in heart model's req/s: $one vs $(field "heart-1-$last_c" 0) = $r: $(verdict "$r" 0.8 ge)"
batch=$(field "forest-100-$last_c" 1)
r=$(ratio "$batch" "$(limit 100)")
echo "  100 rows at $last_c connections >= 0.7 x in-process rows/s: $batch vs $(limit 100) (${INPROC[ort-1-100]}) = $r: $(verdict "$r" 0.7 ge)"
binary=$(field "binary-100-$last_c" 1)
r=$(ratio "$binary" "$(limit 100)")
echo "    the same in binary tensor data: $binary vs $(limit 100) = $r: $(verdict "$r" 0.7 ge)"
if [[ " $CONNECTIONS " == *" 8 "* ]]; then
  p99=$(field "forest-1-8" 3)
  echo "  p99 < 5 ms at 8 connections (1 row): $p99 ms: $(verdict "$p99" 5 lt); 100 rows: $(field "forest-100-8" 3) ms"
fi
rss=$(mib "$(proc_kb "$FOREST_PID" VmRSS)")
echo "  RSS < 256 MiB with the forest loaded: $rss MiB (VmHWM $(mib "$(proc_kb "$FOREST_PID" VmHWM)") MiB): $(verdict "$rss" 256 lt)"
if [ "$MLSERVER" = 1 ]; then
  echo "  vs MLServer at $last_c connections: 1 row $(ratio "$one" "$(field "mlserver-1-$last_c" 0)") x its req/s," \
    "100 rows $(ratio "$batch" "$(field "mlserver-100-$last_c" 1)") x its rows/s"
fi
