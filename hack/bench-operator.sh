#!/usr/bin/env bash
# Benchmarks the operator on the local cluster against the cluster's own limit (a benchmark, not a
# test: it reports figures and fails only when something does not converge in time). For each N of
# BENCH_SIZES, in the same run:
#   operator: a fresh namespace, the operator jar started with the image's JVM settings (see
#     JAVA_OPTS below) watching it; N InferenceServices (Deployment workload, with Services)
#     applied at once, until all are Ready at their generation; idle writes over more than one
#     reconcile interval; an image change of all N until all are Ready again; heap used after a
#     full GC (jcmd GC.run, GC.heap_info) and VmRSS; reconciles and CPU seconds per
#     InferenceService; then a restart: process start to its first reconcile.
#   plain: the very Deployments, Services and ConfigMaps the operator produced (server fields and
#     owner references stripped) applied with `kubectl apply --server-side` into a fresh namespace,
#     until all Deployments are available; then the same image change.
# API writes (POST, PUT, PATCH, APPLY, DELETE) come from the API server's apiserver_request_total
# (`kubectl get --raw /metrics`): all of the cluster's writes in a phase (controllers, scheduler
# and kwok included, as they are in both), divided by N. Nodes and pods are simulated by kwok, so
# the figures are the operator + API server + controllers, not container start. Stops only the
# operators it started (by PID) and deletes only the namespaces it created.
#
# Knobs: BENCH_SIZES ("100 500 1000"), BENCH_REPLICAS (1), BENCH_TIMEOUT (seconds per phase,
#        900), BENCH_RECONCILE_INTERVAL (seconds, 10), BENCH_IDLE_WAIT (seconds, 25),
#        BENCH_MEMORY_LIMIT (MiB, the chart's limit, 512), JAVA_OPTS (replaces the JVM flags),
#        BENCH_OUT (file for the summary table, default stdout only).
# For 1000 use the scale cluster: CLUSTER_PROFILE=scale hack/local-cluster.sh up.
set -euo pipefail

LOG_TAG=bench-operator
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT=$REPO_ROOT
cd "$ROOT"
JAR=operator/target/inference-operator.jar
SIZES=${BENCH_SIZES:-100 500 1000}
REPLICAS=${BENCH_REPLICAS:-1}
TIMEOUT=${BENCH_TIMEOUT:-900}
INTERVAL=${BENCH_RECONCILE_INTERVAL:-10}
IDLE_WAIT=${BENCH_IDLE_WAIT:-25}
LIMIT_MIB=${BENCH_MEMORY_LIMIT:-512}
# The image runs `java -XX:MaxRAMPercentage=75 ...` in a container of the chart's memory limit and
# 1 CPU. On the host the JVM would size its heap from the machine's memory: MaxRAM makes it size
# heap (max 75 %, initial 1/64) and collector (serial, with one CPU) as in the container.
JAVA_OPTS=${JAVA_OPTS:-"-XX:MaxRAM=${LIMIT_MIB}m -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"}
IMAGE1=inferops/inference-app:0.1.0
IMAGE2=inferops/inference-app:0.2.0
SELECTOR=app.kubernetes.io/managed-by=inference-operator

now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
per() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.2f", a / n }'; }

WORK=$(mktemp -d -t bench-operator.XXXXXX)
OPERATOR_PID=""
NAMESPACES=()

# Stops only the operator this script started, by its PID, and removes only our namespaces.
cleanup() {
  local rc=$?
  stop_operator
  for ns in "${NAMESPACES[@]}"; do
    kubectl delete namespace "$ns" --wait=false > /dev/null 2>&1 || true
  done
  [ "$rc" -eq 0 ] || log "failed (exit $rc); logs kept in $WORK"
}
trap cleanup EXIT

stop_operator() {
  if [ -n "$OPERATOR_PID" ] && kill -0 "$OPERATOR_PID" 2> /dev/null; then
    kill -TERM "$OPERATOR_PID" 2> /dev/null || true
    wait "$OPERATOR_PID" 2> /dev/null || true
  fi
  OPERATOR_PID=""
}

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

# Starts the operator on namespace $1 with log $2; sets OPERATOR_PID, PORT, START_MS.
start_operator() {
  PORT=$(free_port)
  START_MS=$(now_ms)
  # shellcheck disable=SC2086
  OPERATOR_BIND_ADDRESS=127.0.0.1 OPERATOR_HTTP_PORT=$PORT WATCH_NAMESPACES=$1 \
    RECONCILE_INTERVAL_SECONDS=$INTERVAL java $JAVA_OPTS -jar "$JAR" >> "$2" 2>&1 &
  OPERATOR_PID=$!
}

metric_sum() { # the operator's /metrics, summed over labels, for one metric name
  { curl -fsS "http://127.0.0.1:$PORT/metrics" 2> /dev/null || true; } \
    | awk -v m="$1" '{ n = $1; sub(/\{.*/, "", n) } n == m { s += $NF } END { printf "%d", s }'
}

wait_readyz() {
  local _
  for _ in $(seq 1 1200); do
    kill -0 "$OPERATOR_PID" 2> /dev/null || { log "the operator exited"; return 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" || true)" = 200 ] && return 0
    sleep 0.05
  done
  return 1
}

cpu_s() {
  sed 's/^.*) //' "/proc/$OPERATOR_PID/stat" | awk -v t="$(getconf CLK_TCK)" '{ printf "%.1f", ($12 + $13) / t }'
}
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$OPERATOR_PID/status"; }

# Heap used after a full GC, in MiB: the sum of the generations' "used" (metaspace excluded).
heap_after_gc() {
  jcmd "$OPERATOR_PID" GC.run > /dev/null
  jcmd "$OPERATOR_PID" GC.heap_info \
    | awk '/generation|garbage-first heap|region/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } } END { printf "%.0f", s / 1024 }'
}

# All writes the API server served so far (and, into $1 when given, per resource).
api_writes() {
  kubectl get --raw /metrics | grep '^apiserver_request_total{' \
    | awk -v out="${1:-/dev/null}" '
        match($0, /verb="[A-Z]+"/) {
          verb = substr($0, RSTART + 6, RLENGTH - 7)
          if (verb !~ /^(POST|PUT|PATCH|APPLY|DELETE|DELETECOLLECTION)$/) next
          r = ""; if (match($0, /resource="[^"]*"/)) r = substr($0, RSTART + 10, RLENGTH - 11)
          sr = ""; if (match($0, /subresource="[^"]*"/)) sr = substr($0, RSTART + 13, RLENGTH - 14)
          key = verb " " r (sr == "" ? "" : "/" sr)
          s += $NF; per[key] += $NF
        }
        END { for (k in per) printf "%s %d\n", k, per[k] > out; printf "%d", s }'
}

# Per-resource writes between two snapshots ($1, $2) per InferenceService ($3), largest first.
write_breakdown() {
  join -j 1 <(awk '{ print $1 "_" $2, $3 }' "$1" | sort) <(awk '{ print $1 "_" $2, $3 }' "$2" | sort) \
    | awk -v n="$3" '{ d = $3 - $2; if (d > 0) printf "    %-40s %7.2f\n", $1, d / n }' | sort -k2 -nr | head -n 12
}

manifest() { # N InferenceServices on image $2
  local i
  for i in $(seq 1 "$1"); do
    printf -- '---\napiVersion: inferops.dev/v1alpha1\nkind: InferenceService\nmetadata:\n  name: bench-%d\nspec:\n  image: %s\n  replicas: %d\n  workload: Deployment\n' \
      "$i" "$2" "$REPLICAS"
  done
}

count_ready() { # InferenceServices Ready at their generation in namespace $1
  kubectl -n "$1" get infsvc -o \
    jsonpath='{range .items[*]}{.status.phase}/{.status.observedGeneration}/{.metadata.generation}{"\n"}{end}' \
    | awk -F/ '$1 == "Ready" && $2 == $3 { n++ } END { print n + 0 }'
}

count_available() { # Deployments fully rolled out and available in namespace $1
  kubectl -n "$1" get deploy -o \
    jsonpath='{range .items[*]}{.metadata.generation}/{.status.observedGeneration}/{.spec.replicas}/{.status.updatedReplicas}/{.status.availableReplicas}/{.status.replicas}{"\n"}{end}' \
    | awk -F/ '$1 == $2 && $3 == $4 && $3 == $5 && $3 == $6 { n++ } END { print n + 0 }'
}

# Polls until `$1 $2` reports $3; prints the elapsed ms since $4.
wait_count() {
  local fn=$1 ns=$2 want=$3 start=$4 got last=-1 deadline=$(($(date +%s) + TIMEOUT))
  while :; do
    got=$($fn "$ns")
    if [ "$got" != "$last" ]; then
      log "  $got/$want ($(secs $(($(now_ms) - start))) s)"
      last=$got
    fi
    if [ "$got" -ge "$want" ]; then
      echo $(($(now_ms) - start))
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${TIMEOUT} s with $got/$want"
      return 1
    fi
    sleep 1
  done
}

# The operator's objects as plain manifests: no status, server fields or owner references.
strip_objects() {
  kubectl -n "$1" get deploy,svc,cm -l "$SELECTOR" -o json | jq '
    .items | map(
      del(.status, .metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp,
          .metadata.managedFields, .metadata.generation, .metadata.ownerReferences,
          .metadata.namespace, .metadata.annotations["deployment.kubernetes.io/revision"],
          .spec.clusterIP, .spec.clusterIPs)
      | if .metadata.annotations == {} then del(.metadata.annotations) else . end)
    | { apiVersion: "v1", kind: "List", items: . }'
}

wait_gone() { kubectl delete namespace "$1" --timeout="${TIMEOUT}s" > /dev/null 2>&1 || true; }

# --- Cluster, jar, CRD ------------------------------------------------------------------------
log "cluster: hack/local-cluster.sh up"
hack/local-cluster.sh up > "$WORK/cluster.log" 2>&1 || { cat "$WORK/cluster.log" >&2; exit 1; }
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  ./mvnw -q -B -pl operator -am -DskipTests package
fi
kubectl apply --server-side --force-conflicts -f crds/ > /dev/null
kubectl wait --for=condition=Established crd/inferenceservices.inferops.dev --timeout=60s > /dev/null
NODES=$(kubectl get nodes --no-headers | wc -l)
log "JVM: $JAVA_OPTS; $NODES nodes; sizes $SIZES; $REPLICAS replica(s) each"

ROWS=()
for N in $SIZES; do
  STAMP=$(date +%s)
  NS=bench-op-$N-$STAMP
  PLAIN=bench-plain-$N-$STAMP
  OPLOG="$WORK/operator-$N.log"
  kubectl create namespace "$NS" > /dev/null
  NAMESPACES+=("$NS")

  # --- Operator: start, create N ------------------------------------------------------------
  start_operator "$NS" "$OPLOG"
  wait_readyz || { tail -n 30 "$OPLOG" >&2; exit 1; }
  log "[$N] operator PID $OPERATOR_PID ready after $(($(now_ms) - START_MS)) ms"
  sleep 3
  CPU0=$(cpu_s)
  manifest "$N" "$IMAGE1" > "$WORK/is-$N.yaml"
  W0=$(api_writes "$WORK/w0-$N")
  T0=$(now_ms)
  kubectl -n "$NS" apply --server-side -f "$WORK/is-$N.yaml" > /dev/null
  OP_CREATE_MS=$(wait_count count_ready "$NS" "$N" "$T0")
  W1=$(api_writes "$WORK/w1-$N")
  CPU1=$(cpu_s)
  REC1=$(metric_sum operator_sdk_reconciliations_started_total)
  log "[$N] operator: all Ready after $(secs "$OP_CREATE_MS") s"
  strip_objects "$NS" > "$WORK/plain-$N.json"

  # --- Operator: idle ------------------------------------------------------------------------
  sleep 5
  kubectl -n "$NS" get infsvc,deploy,svc,cm -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}' | sort > "$WORK/rv0-$N"
  WI0=$(api_writes "$WORK/wi0-$N")
  sleep "$IDLE_WAIT"
  WI1=$(api_writes "$WORK/wi1-$N")
  kubectl -n "$NS" get infsvc,deploy,svc,cm -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}' | sort > "$WORK/rv1-$N"
  IDLE_CHANGED=$(join "$WORK/rv0-$N" "$WORK/rv1-$N" | awk '$2 != $3 { n++ } END { print n + 0 }')
  # The cluster's own idle writes (leases, node heartbeats) are in WI1 - WI0 too; the
  # resourceVersions of the operator's objects say whether any of them was the operator's.
  log "[$N] idle ${IDLE_WAIT} s: $IDLE_CHANGED objects changed; cluster writes $((WI1 - WI0))"
  HEAP1=$(heap_after_gc)
  RSS1=$(rss_mib)

  # --- Operator: image change ----------------------------------------------------------------
  manifest "$N" "$IMAGE2" > "$WORK/is2-$N.yaml"
  CPU2=$(cpu_s)
  REC2=$(metric_sum operator_sdk_reconciliations_started_total)
  W2=$(api_writes "$WORK/w2-$N")
  T0=$(now_ms)
  kubectl -n "$NS" apply --server-side -f "$WORK/is2-$N.yaml" > /dev/null
  OP_ROLL_MS=$(wait_count count_ready "$NS" "$N" "$T0")
  W3=$(api_writes "$WORK/w3-$N")
  CPU3=$(cpu_s)
  REC3=$(metric_sum operator_sdk_reconciliations_started_total)
  HEAP2=$(heap_after_gc)
  RSS2=$(rss_mib)
  log "[$N] operator: image change Ready after $(secs "$OP_ROLL_MS") s; heap after GC $HEAP2 MiB, RSS $RSS2 MiB"

  # --- Operator: restart to first reconcile --------------------------------------------------
  # Counted before the restart: stopping it right after its first reconcile interrupts the rest.
  WARNINGS=$(grep -cE ' (WARN|ERROR) ' "$OPLOG" || true)
  stop_operator
  start_operator "$NS" "$OPLOG"
  FIRST_MS=""
  for _ in $(seq 1 1200); do
    if [ "$(metric_sum operator_sdk_reconciliations_started_total)" -gt 0 ]; then
      FIRST_MS=$(($(now_ms) - START_MS))
      break
    fi
    sleep 0.1
  done
  stop_operator
  log "[$N] restart: first reconcile after ${FIRST_MS:-?} ms"
  wait_gone "$NS"

  # --- Plain kubectl apply of the same objects -----------------------------------------------
  kubectl create namespace "$PLAIN" > /dev/null
  NAMESPACES+=("$PLAIN")
  P0=$(api_writes "$WORK/p0-$N")
  T0=$(now_ms)
  kubectl -n "$PLAIN" apply --server-side -f "$WORK/plain-$N.json" > /dev/null
  PLAIN_CREATE_MS=$(wait_count count_available "$PLAIN" "$N" "$T0")
  P1=$(api_writes "$WORK/p1-$N")
  log "[$N] plain apply: all available after $(secs "$PLAIN_CREATE_MS") s"
  jq --arg a "$IMAGE1" --arg b "$IMAGE2" '(.items[] | select(.kind == "Deployment") | .spec.template.spec.containers[].image) |= (if . == $a then $b else . end)' \
    "$WORK/plain-$N.json" > "$WORK/plain2-$N.json"
  P2=$(api_writes)
  T0=$(now_ms)
  kubectl -n "$PLAIN" apply --server-side -f "$WORK/plain2-$N.json" > /dev/null
  PLAIN_ROLL_MS=$(wait_count count_available "$PLAIN" "$N" "$T0")
  P3=$(api_writes)
  wait_gone "$PLAIN"

  OPW=$((W1 - W0)) PLW=$((P1 - P0)) OPW2=$((W3 - W2)) PLW2=$((P3 - P2))
  log "[$N] writes per InferenceService while creating, operator path (largest first):"
  write_breakdown "$WORK/w0-$N" "$WORK/w1-$N" "$N" >&2
  log "[$N] writes per InferenceService, plain apply:"
  write_breakdown "$WORK/p0-$N" "$WORK/p1-$N" "$N" >&2
  ROWS+=("| $N | $(secs "$OP_CREATE_MS") | $(secs "$PLAIN_CREATE_MS") | $(ratio "$OP_CREATE_MS" "$PLAIN_CREATE_MS") | $(per "$OPW" "$N") | $(per "$PLW" "$N") | $(ratio "$OPW" "$PLW") | $(per "$REC1" "$N") | $(awk -v a="$CPU0" -v b="$CPU1" -v n="$N" 'BEGIN { printf "%.3f", (b - a) / n }') | $(secs "$OP_ROLL_MS") | $(secs "$PLAIN_ROLL_MS") | $(ratio "$OP_ROLL_MS" "$PLAIN_ROLL_MS") | $(per "$OPW2" "$N") / $(per "$PLW2" "$N") | $(per $((REC3 - REC2)) "$N") | $(awk -v a="$CPU2" -v b="$CPU3" -v n="$N" 'BEGIN { printf "%.3f", (b - a) / n }') | $HEAP1 / $HEAP2 | $RSS1 / $RSS2 | ${FIRST_MS:-?} | $IDLE_CHANGED | $WARNINGS |")
done

{
  cat << EOF

Operator benchmark $(date -u +%Y-%m-%dT%H:%MZ): Deployment workload with Services, $REPLICAS replica(s), $NODES nodes; JVM $JAVA_OPTS
| N | create: operator s | create: plain apply s | ratio | writes/IS operator | writes/IS plain | ratio | reconciles/IS | CPU s/IS | image change: operator s | plain s | ratio | image change writes/IS operator / plain | reconciles/IS | CPU s/IS | heap after GC MiB (created / changed) | VmRSS MiB (created / changed) | restart to first reconcile ms | idle: objects written | WARN/ERROR log lines |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
  printf '%s\n' "${ROWS[@]}"
  echo "Logs: $WORK"
} | tee -a "${BENCH_OUT:-/dev/null}"
