#!/usr/bin/env bash
# Benchmarks the operator on the local cluster (a benchmark, not a test: it reports figures and
# fails only when something does not converge in time). Brings the cluster up, installs the CRD,
# starts the operator jar on 127.0.0.1 watching one fresh namespace, then measures:
#   - process start to /readyz answering 200;
#   - N InferenceServices applied at once (mostly Deployments, every 5th a ReplicaSet, every
#     10th bare Pods) until all are Ready at their current generation;
#   - an image change of all N (one apply) until all are Ready at the new generation;
#   - resident memory (VmRSS/VmHWM) and CPU time of the operator after each phase, and the SDK's
#     reconciliation counters from /metrics;
#   - "idle writes": resourceVersions that change while nothing changes, over more than one
#     reconcile interval (the operator runs with RECONCILE_INTERVAL_SECONDS so that the periodic
#     reconcile happens inside the window).
# Nodes and pods are simulated by kwok, so the figures are the operator + API server +
# controllers, not container start. Stops the operator it started (by PID) and deletes the
# namespace it created.
#
# Knobs: BENCH_SERVICES (default 50), BENCH_REPLICAS (2), BENCH_TIMEOUT (seconds per phase, 300),
#        BENCH_RECONCILE_INTERVAL (seconds, 10), BENCH_IDLE_WAIT (seconds, 25),
#        BENCH_NAMESPACE (default bench-operator-<epoch>), JAVA_OPTS (extra JVM flags).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JAR=operator/target/inference-operator.jar
N=${BENCH_SERVICES:-50}
REPLICAS=${BENCH_REPLICAS:-2}
TIMEOUT=${BENCH_TIMEOUT:-300}
INTERVAL=${BENCH_RECONCILE_INTERVAL:-10}
IDLE_WAIT=${BENCH_IDLE_WAIT:-25}
NS=${BENCH_NAMESPACE:-bench-operator-$(date +%s)}
IMAGE1=inferops/inference-app:0.1.0
IMAGE2=inferops/inference-app:0.2.0

log() { printf '[bench-operator] %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

WORK=$(mktemp -d -t bench-operator.XXXXXX)
LOG="$WORK/operator.log"
OPERATOR_PID=""
NS_CREATED=false

# Stops only the operator this script started, by its PID, and removes only our namespace.
cleanup() {
  local rc=$?
  if [ -n "$OPERATOR_PID" ] && kill -0 "$OPERATOR_PID" 2> /dev/null; then
    kill -TERM "$OPERATOR_PID" 2> /dev/null || true
    wait "$OPERATOR_PID" 2> /dev/null || true
  fi
  if $NS_CREATED; then
    kubectl delete namespace "$NS" --wait=false > /dev/null 2>&1 || true
  fi
  if [ "$rc" -ne 0 ]; then
    log "failed (exit $rc); operator log kept in $LOG"
  fi
}
trap cleanup EXIT

# A port nobody listens on, found by trying to connect (bash /dev/tcp; no extra tools needed).
free_port() {
  local p
  for p in $(seq 18180 18280); do
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then
      echo "$p"
      return 0
    fi
  done
  log "no free port in 18180-18280"
  return 1
}

# "rss_mib hwm_mib cpu_s" of the operator process, from /proc.
proc_stats() {
  local rss hwm ticks cpu
  rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$OPERATOR_PID/status")
  hwm=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$OPERATOR_PID/status")
  ticks=$(getconf CLK_TCK)
  # The command name (field 2) may contain spaces; strip through ") " before counting fields:
  # utime and stime are then fields 12 and 13.
  cpu=$(sed 's/^.*) //' "/proc/$OPERATOR_PID/stat" | awk -v t="$ticks" '{ printf "%.1f", ($12 + $13) / t }')
  echo "$rss $hwm $cpu"
}

# Sum of the SDK's reconciliation counters (started/success/failed, events received, and total
# and longest reconcile seconds) (Micrometer/Prometheus), one figure per metric name.
# Prints "name=value ..." or "none" when the operator exports no such metric.
reconcile_counters() {
  local out
  out=$(curl -fsS "http://127.0.0.1:$PORT/metrics" 2> /dev/null \
    | grep -E '^operator_sdk_(reconciliations_(started|success|failed)_total|events_received_total|controllers_execution_reconcile_seconds_(sum|max))(\{| )' \
    | awk '{ n = $1; sub(/\{.*/, "", n); s[n] += $NF } END { for (k in s) printf "%s=%g\n", k, s[k] }' \
    | sort | tr '\n' ' ')
  echo "${out:-none}"
}

# Generates N InferenceServices as one multi-document YAML. Every 10th uses bare Pods, every
# 5th (not 10th) a ReplicaSet, the rest Deployments, so all three code paths are exercised.
manifest() {
  local image=$1 i workload
  for i in $(seq 1 "$N"); do
    if [ $((i % 10)) -eq 0 ]; then
      workload=Pod
    elif [ $((i % 5)) -eq 0 ]; then
      workload=ReplicaSet
    else
      workload=Deployment
    fi
    cat << EOF
---
apiVersion: inferops.dev/v1alpha1
kind: InferenceService
metadata:
  name: bench-$i
spec:
  image: $image
  replicas: $REPLICAS
  workload: $workload
EOF
  done
}

# How many InferenceServices are Ready at the generation they currently have.
count_ready() {
  kubectl -n "$NS" get infsvc -o \
    jsonpath='{range .items[*]}{.status.phase}/{.status.observedGeneration}/{.metadata.generation}{"\n"}{end}' \
    | awk -F/ '$1 == "Ready" && $2 == $3 { n++ } END { print n + 0 }'
}

# Polls every second until all N are Ready at their generation; prints elapsed ms since $1.
wait_all_ready() {
  local start=$1 ready last=-1 deadline=$(($(date +%s) + TIMEOUT))
  while :; do
    ready=$(count_ready)
    if [ "$ready" != "$last" ]; then
      log "  $ready/$N Ready at their generation ($(secs $(($(now_ms) - start))) s)"
      last=$ready
    fi
    if [ "$ready" -ge "$N" ]; then
      echo $(($(now_ms) - start))
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${TIMEOUT} s with $ready/$N Ready"
      return 1
    fi
    sleep 1
  done
}

# "kind/name rv" of every object in the namespace that could be written while idle.
resource_versions() {
  kubectl -n "$NS" get "$1" -o \
    jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}' | sort
}

# How many lines of file $2 differ from file $1 (same objects, changed resourceVersion).
changed() { join "$1" "$2" | awk '$2 != $3 { n++ } END { print n + 0 }'; }

# --- 1. Cluster, jar, CRD -----------------------------------------------------------------
log "cluster: hack/local-cluster.sh up"
hack/local-cluster.sh up > "$WORK/cluster.log" 2>&1 || { cat "$WORK/cluster.log" >&2; exit 1; }
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  ./mvnw -q -B -pl operator -am -DskipTests package
fi
log "installing the CRD"
kubectl apply --server-side -f crds/ > /dev/null
kubectl wait --for=condition=Established crd/inferenceservices.inferops.dev --timeout=60s > /dev/null
kubectl create namespace "$NS" > /dev/null
NS_CREATED=true
log "namespace $NS; $N InferenceServices x $REPLICAS replicas"

# --- 2. Operator start to /readyz ---------------------------------------------------------
PORT=$(free_port)
START_MS=$(now_ms)
# shellcheck disable=SC2086
OPERATOR_BIND_ADDRESS=127.0.0.1 OPERATOR_HTTP_PORT=$PORT WATCH_NAMESPACES=$NS \
  RECONCILE_INTERVAL_SECONDS=$INTERVAL java ${JAVA_OPTS:-} -jar "$JAR" > "$LOG" 2>&1 &
OPERATOR_PID=$!
log "operator PID $OPERATOR_PID, port $PORT, log $LOG"
READY_MS=""
for _ in $(seq 1 1200); do
  kill -0 "$OPERATOR_PID" 2> /dev/null || { log "the operator exited:"; tail -n 30 "$LOG" >&2; exit 1; }
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" || true)" = 200 ]; then
    READY_MS=$(($(now_ms) - START_MS))
    break
  fi
  sleep 0.05
done
[ -n "$READY_MS" ] || { log "/readyz never answered 200"; exit 1; }
log "/readyz 200 after ${READY_MS} ms"
sleep 5 # let start-up settle so "idle" means idle
read -r IDLE_RSS IDLE_HWM IDLE_CPU <<< "$(proc_stats)"
IDLE_COUNTERS=$(reconcile_counters)

# Applies all N with the given image in one kubectl apply and prints the ms until all are Ready
# at their new generation.
apply_and_wait() {
  local image=$1 file=$2 t0
  manifest "$image" > "$file"
  t0=$(now_ms)
  kubectl -n "$NS" apply -f "$file" > /dev/null
  wait_all_ready "$t0"
}

# --- 3a. Create N at once -----------------------------------------------------------------
log "creating $N InferenceServices (one kubectl apply)"
CREATE_MS=$(apply_and_wait "$IMAGE1" "$WORK/create.yaml")
log "all $N Ready after $(secs "$CREATE_MS") s"
read -r CONV_RSS CONV_HWM CONV_CPU <<< "$(proc_stats)"
CONV_COUNTERS=$(reconcile_counters)

# --- 3b. Change the image of all N --------------------------------------------------------
log "changing the image of all $N to $IMAGE2 (one kubectl apply)"
ROLLOUT_MS=$(apply_and_wait "$IMAGE2" "$WORK/rollout.yaml")
log "all $N Ready at the new generation after $(secs "$ROLLOUT_MS") s"
read -r ROLL_RSS ROLL_HWM ROLL_CPU <<< "$(proc_stats)"
ROLL_COUNTERS=$(reconcile_counters)

# --- 5. Idle writes -------------------------------------------------------------------------
# Settle first: pods of the rollout may still be terminating (Deployment controller), which
# would count as writes that are not the operator's.
sleep 5
resource_versions infsvc > "$WORK/rv-is-before"
resource_versions deploy,rs,svc,cm,pods > "$WORK/rv-owned-before"
EVENTS_BEFORE=$(kubectl -n "$NS" get events --no-headers 2> /dev/null | wc -l)
IDLE_CPU0=$(proc_stats | awk '{ print $3 }')
log "idle: waiting ${IDLE_WAIT} s (reconcile interval ${INTERVAL} s) for resourceVersion changes"
sleep "$IDLE_WAIT"
resource_versions infsvc > "$WORK/rv-is-after"
resource_versions deploy,rs,svc,cm,pods > "$WORK/rv-owned-after"
EVENTS_AFTER=$(kubectl -n "$NS" get events --no-headers 2> /dev/null | wc -l)
IS_CHANGED=$(changed "$WORK/rv-is-before" "$WORK/rv-is-after")
IS_TOTAL=$(wc -l < "$WORK/rv-is-before")
OWNED_CHANGED=$(changed "$WORK/rv-owned-before" "$WORK/rv-owned-after")
OWNED_TOTAL=$(wc -l < "$WORK/rv-owned-before")
read -r END_RSS END_HWM END_CPU <<< "$(proc_stats)"
END_COUNTERS=$(reconcile_counters)
IDLE_CPU_USED=$(awk -v a="$IDLE_CPU0" -v b="$END_CPU" 'BEGIN { printf "%.1f", b - a }')
if [ "$OWNED_CHANGED" -gt 0 ]; then
  log "owned objects whose resourceVersion changed while idle:"
  join "$WORK/rv-owned-before" "$WORK/rv-owned-after" | awk '$2 != $3 { print "  " $1 }' | head -n 20 >&2
fi

# --- 6. Stop, clean up, summary -------------------------------------------------------------
log "stopping the operator (SIGTERM to PID $OPERATOR_PID)"
T0=$(now_ms)
kill -TERM "$OPERATOR_PID"
STOP_RC=0
wait "$OPERATOR_PID" || STOP_RC=$?
STOP_MS=$(($(now_ms) - T0))
OPERATOR_PID=""
log "deleting namespace $NS"
kubectl delete namespace "$NS" --wait=false > /dev/null
NS_CREATED=false
WARNINGS=$(grep -cE ' (WARN|ERROR) ' "$LOG" || true)

cat << EOF

Operator benchmark: $N InferenceServices x $REPLICAS replicas (every 5th ReplicaSet, every 10th Pod)
| What | Figure |
| --- | --- |
| start to /readyz 200 | ${READY_MS} ms |
| create: all Ready at their generation | $(secs "$CREATE_MS") s |
| image change: all Ready at the new generation | $(secs "$ROLLOUT_MS") s |
| VmRSS / VmHWM idle after start | ${IDLE_RSS} / ${IDLE_HWM} MiB |
| VmRSS / VmHWM after creation | ${CONV_RSS} / ${CONV_HWM} MiB |
| VmRSS / VmHWM after image change | ${ROLL_RSS} / ${ROLL_HWM} MiB |
| VmRSS / VmHWM after idle window | ${END_RSS} / ${END_HWM} MiB |
| CPU (utime+stime) idle / after creation / after image change / end | ${IDLE_CPU} / ${CONV_CPU} / ${ROLL_CPU} / ${END_CPU} s |
| CPU during the ${IDLE_WAIT} s idle window | ${IDLE_CPU_USED} s |
| idle: InferenceServices with a new resourceVersion | ${IS_CHANGED} of ${IS_TOTAL} (expected 0) |
| idle: owned objects (deploy, rs, svc, cm, pods) with a new resourceVersion | ${OWNED_CHANGED} of ${OWNED_TOTAL} |
| idle: new Events | $((EVENTS_AFTER - EVENTS_BEFORE)) |
| SIGTERM to exit | ${STOP_MS} ms (exit status ${STOP_RC}) |
| WARN/ERROR lines in the operator log | ${WARNINGS} |

Reconciliation counters (/metrics, summed over labels):
  idle after start:   ${IDLE_COUNTERS}
  after creation:     ${CONV_COUNTERS}
  after image change: ${ROLL_COUNTERS}
  after idle window:  ${END_COUNTERS}
Operator log: $LOG
EOF
