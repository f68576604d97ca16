#!/usr/bin/env bash
# A real Kubernetes control plane on this machine without Docker: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler built from source (hack/build-components.sh),
# simulated nodes and pod lifecycle from kwok (hack/kwok/stages.yaml), and one real node
# (containerd, kubelet, kube-proxy: hack/real-node.sh) that pods reach only when they tolerate
# its taint inferops.dev/real-node.
#
#   hack/local-cluster.sh up          start it (harmless when it is already up)
#   hack/local-cluster.sh status      exit 0 when every component runs and is healthy
#   hack/local-cluster.sh kubeconfig  print the kubeconfig path (last line)
#   hack/local-cluster.sh real-node   exit 0 when the real node is part of the cluster, else say why:
#                                     exit 2 when this machine cannot run one, 1 when it could
#   hack/local-cluster.sh pid NAME    the PID of a control-plane component (kube-controller-manager, ...)
#   hack/local-cluster.sh down        stop exactly what `up` started, remove its state, and fail
#                                     if anything of it stayed on the machine
#
# Variables: REAL_NODE=0 (no real node), SIM_NODES / SIM_NODE_CPU / SIM_NODE_MEMORY /
# SIM_NODE_PODS (the simulated nodes: 3 of 4 CPU, 8Gi, 110 pods), CLUSTER_PROFILE=scale (20
# simulated nodes of 32 CPU, 64Gi, 250 pods, for thousands of pods), SERVICE_CIDR (10.96.0.0/16).
set -euo pipefail

LOG_TAG=local-cluster
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CLUSTER_NAME=${CLUSTER_NAME:-inferops}
# kwokctl keeps each cluster (PIDs, certificates, etcd data, logs) under its work dir.
export KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE/kwok}
STATE_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
KUBECONFIG_FILE="$CACHE/$CLUSTER_NAME.kubeconfig"
K8S_VERSION=${K8S_VERSION:-v1.33.13}
ETCD_VERSION=${ETCD_VERSION:-v3.5.24}
if [ "${CLUSTER_PROFILE:-}" = scale ]; then
  SIM_NODES=${SIM_NODES:-20} SIM_NODE_CPU=${SIM_NODE_CPU:-32} SIM_NODE_MEMORY=${SIM_NODE_MEMORY:-64Gi} SIM_NODE_PODS=${SIM_NODE_PODS:-250}
fi
SIM_NODES=${SIM_NODES:-3}
SIM_NODE_CPU=${SIM_NODE_CPU:-4}
SIM_NODE_MEMORY=${SIM_NODE_MEMORY:-8Gi}
SIM_NODE_PODS=${SIM_NODE_PODS:-110}
# Room for thousands of Services (the API server's default is a /24: about 250).
export SERVICE_CIDR=${SERVICE_CIDR:-10.96.0.0/16}
export FAKE_POD_CIDR=${FAKE_POD_CIDR:-10.240.0.0/16} FAKE_NODE_CIDR=${FAKE_NODE_CIDR:-10.241.0.0/24}
export POD_BRIDGE_CIDR=${POD_BRIDGE_CIDR:-10.85.0.0/24}
BRIDGE_IP=${POD_BRIDGE_CIDR%.*}.1
REAL_NODE_NAME=inferops-real
# "yes"; or "skip" (this machine cannot run one, or REAL_NODE=0) or "fail" (it could, but the
# node did not come up), with the reason on the next line.
REAL_NODE_FILE="$CACHE/$CLUSTER_NAME-real-node"
SUPERVISOR_PID="$CACHE/$CLUSTER_NAME-supervisor.pid"
# The cluster whose `up` made the network guard (and the real node, if any): only its `down`
# undoes them, so a second cluster on the machine (CLUSTER_NAME=...) never breaks the first.
NETWORK_OWNER="$CACHE/network-owner"

kctl() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }

none_alive() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 1; done
  return 0
}

# Every component `up` started runs (by PID) and answers its health check, and every node is
# Ready. Prints what is wrong when QUIET is not set.
healthy() {
  local bad=""
  [ -f "$KUBECONFIG_FILE" ] && [ -d "$STATE_DIR/pids" ] || { why "cluster '$CLUSTER_NAME' is not started"; return 1; }
  local f name
  for f in "$STATE_DIR"/pids/*.pid; do
    name=$(basename "$f" .pid)
    kill -0 "$(tr -dc '0-9' <"$f")" 2>/dev/null || bad+=" $name(exited)"
  done
  local port
  for name in kube-controller-manager kube-scheduler; do
    port=$(component_flag "$name" secure-port)
    [ -n "$port" ] && ! curl -skf --max-time 3 "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && bad+=" $name(unhealthy)"
  done
  kctl get --raw /readyz >/dev/null 2>&1 || bad+=" kube-apiserver(not ready)"
  if [ -z "$bad" ]; then
    local want=$SIM_NODES ready
    has_real_node && want=$((want + 1))
    ready=$(kctl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c True || true)
    [ "$ready" -ge "$want" ] || bad+=" nodes($ready of $want Ready)"
    kctl -n default get serviceaccount default >/dev/null 2>&1 || bad+=" default-serviceaccount(missing)"
  fi
  local node_problems
  if has_real_node \
    && ! node_problems=$("$HACK_DIR/real-node.sh" status 2>&1); then
    bad+=" real-node($(sed 's/^\[real-node\] //' <<<"$node_problems" | paste -sd, -))"
  fi
  [ -z "$bad" ] && return 0
  why "unhealthy:$bad"
  return 1
}

# The owning cluster's name, when that cluster is still running (else the ownership is stale).
network_owner() {
  local owner
  owner=$(cat "$NETWORK_OWNER" 2>/dev/null) || return 0
  if [ "$owner" = "$CLUSTER_NAME" ] || [ -f "$KWOK_WORKDIR/clusters/$owner/pids/kube-apiserver.pid" ]; then
    echo "$owner"
  fi
}

# 10.96.0.0/16 -> 10.96.0.1
first_ip() { local base=${1%/*}; echo "${base%.*}.$((${base##*.} + 1))"; }

why() { [ -n "${QUIET:-}" ] || log "$*"; }

# The value of --FLAG on the recorded command line of a kwokctl component.
component_flag() {
  local f="$STATE_DIR/pids/$1.pid"
  [ -f "$f" ] || return 0
  tr '\0' '\n' <"/proc/$(tr -dc '0-9' <"$f")/cmdline" 2>/dev/null | sed -n "s/^--$2=//p" | head -1
}

write_config() {
  local bin=$1 advertise=$2 config="$CACHE/$CLUSTER_NAME-kwokctl.yaml"
  {
    cat <<YAML
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: $K8S_VERSION
  etcdVersion: ${ETCD_VERSION#v}
  kubeApiserverBinary: $bin/kube-apiserver
  kubeControllerManagerBinary: $bin/kube-controller-manager
  kubeSchedulerBinary: $bin/kube-scheduler
  kwokControllerBinary: $bin/kwok
  etcdBinary: $bin/etcd
  kubeAuthorization: true
  kubeAdmission: true
  kubeApiserverCertSANs: [$(first_ip "$SERVICE_CIDR"), $BRIDGE_IP]
componentsPatches:
- name: kube-apiserver
  extraArgs:
  # The \`kubernetes\` Service's endpoint: the real node's bridge address when there is one
  # (hack/real-node.sh relays it to the loopback port), loopback otherwise.
  - {key: advertise-address, value: $advertise}
  - {key: service-cluster-ip-range, value: $SERVICE_CIDR}
  - {key: kubelet-client-certificate, value: $STATE_DIR/pki/admin.crt}
  - {key: kubelet-client-key, value: $STATE_DIR/pki/admin.key}
  - {key: kubelet-preferred-address-types, value: InternalIP}
- name: kube-controller-manager
  extraArgs:
  - {key: service-cluster-ip-range, value: $SERVICE_CIDR}
- name: kwok-controller
  extraArgs:
  # kwok takes only the simulated nodes; the real node has a kubelet of its own.
  - {key: manage-all-nodes, value: "false"}
  - {key: manage-nodes-with-annotation-selector, value: kwok.x-k8s.io/node=fake}
  - {key: cidr, value: $(first_ip "$FAKE_POD_CIDR")/${FAKE_POD_CIDR#*/}}
  - {key: node-ip, value: $(first_ip "$FAKE_NODE_CIDR")}
---
YAML
    cat "$HACK_DIR/kwok/stages.yaml"
  } >"$config"
  echo "$config"
}

up() {
  if QUIET=1 healthy; then
    log "cluster '$CLUSTER_NAME' is already up"
    usage_hint
    return 0
  fi
  local bin
  bin=$("$HACK_DIR/build-components.sh" | tail -n 1)
  local kwokctl="$bin/kwokctl"
  if [ -d "$STATE_DIR" ] || [ -f "$SUPERVISOR_PID" ]; then
    # Left over from a session that ended without `down`, or a component died: start fresh.
    log "removing the old state of cluster '$CLUSTER_NAME'"
    down >/dev/null 2>&1 || true
  fi
  local real=no advertise=127.0.0.1 owner reason rc
  owner=$(network_owner)
  if [ "${REAL_NODE:-1}" = 0 ]; then
    real_node_state skip "no real node: REAL_NODE=0"
  elif [ -n "$owner" ] && [ "$owner" != "$CLUSTER_NAME" ]; then
    real_node_state skip "no real node: this machine's real node belongs to cluster '$owner'"
  else
    rc=0
    reason=$("$HACK_DIR/real-node.sh" preflight) || rc=$?
    case $rc in
      0) real=yes advertise=$BRIDGE_IP ;;
      2) real_node_state skip "$reason" ;;
      *) real_node_state fail "$reason" ;;
    esac
  fi
  if is_root && { [ -z "$owner" ] || [ "$owner" = "$CLUSTER_NAME" ]; }; then
    # Routes and the guard for the Service and fake pod ranges, with or without a real node:
    # nothing sent to them may leave the machine. One cluster owns them; others share them.
    # Without its tools there is no guard, so no cluster either.
    if ! reason=$("$HACK_DIR/ensure-packages.sh" --for "the local cluster" network); then
      log "cannot keep the cluster's packets on this machine: $reason"
      return 1
    fi
    "$HACK_DIR/network-guard.sh" up
    echo "$CLUSTER_NAME" >"$NETWORK_OWNER"
  fi
  local config
  config=$(write_config "$bin" "$advertise")
  local t0=$SECONDS
  log "starting control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) on 127.0.0.1"
  mkdir -p "$(dirname "$KUBECONFIG_FILE")"
  : >"$KUBECONFIG_FILE"
  local up_log="$CACHE/$CLUSTER_NAME-up.log"
  if ! "$kwokctl" --name "$CLUSTER_NAME" -c "$config" create cluster \
    --kubeconfig "$KUBECONFIG_FILE" --wait 2m >"$up_log" 2>&1; then
    cat "$up_log" >&2
    log "kwokctl could not start the cluster; component logs: $STATE_DIR/logs"
    return 1
  fi
  "$kwokctl" --name "$CLUSTER_NAME" get kubeconfig >"$KUBECONFIG_FILE.tmp"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  chmod 600 "$KUBECONFIG_FILE"
  wait_for "the API server" 120 kctl get --raw /readyz
  record_components
  sim_nodes | kctl apply -f - >/dev/null
  if [ "$real" = yes ]; then
    local port
    port=$(kctl config view -o jsonpath='{.clusters[0].cluster.server}' | sed 's/.*://')
    "$HACK_DIR/real-node.sh" up "$bin" "$STATE_DIR/pki" "$port"
    if wait_for "the real node to be Ready" 90 kctl wait --for=condition=Ready "node/$REAL_NODE_NAME" --timeout=5s; then
      echo yes >"$REAL_NODE_FILE"
    else
      real_node_state fail "no real node: $REAL_NODE_NAME did not turn Ready (logs: $CACHE/real-node/logs)"
      "$HACK_DIR/real-node.sh" down >/dev/null 2>&1 || true
    fi
  fi
  wait_for "$SIM_NODES simulated nodes Ready" 120 kctl wait --for=condition=Ready node -l type=kwok --timeout=5s
  wait_for "the default ServiceAccount" 120 kctl -n default get serviceaccount default
  start_supervisor
  log "cluster '$CLUSTER_NAME' is up in $((SECONDS - t0))s: $SIM_NODES simulated nodes, $(real_node)"
  usage_hint
}

# The simulated nodes, sized through annotations that the node-initialize Stage reads.
sim_nodes() {
  local i zones=(zone-a zone-b zone-c)
  for i in $(seq 1 "$SIM_NODES"); do
    cat <<YAML
apiVersion: v1
kind: Node
metadata:
  name: inferops-worker-$i
  annotations:
    kwok.x-k8s.io/node: fake
    inferops.dev/sim-cpu: "$SIM_NODE_CPU"
    inferops.dev/sim-memory: "$SIM_NODE_MEMORY"
    inferops.dev/sim-pods: "$SIM_NODE_PODS"
  labels:
    kubernetes.io/hostname: inferops-worker-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    topology.kubernetes.io/zone: ${zones[$(((i - 1) % 3))]}
---
YAML
  done
}

# Keeps each control-plane component's command line, working directory and log, so the
# supervisor can start an exited one again exactly as kwokctl did.
record_components() {
  mkdir -p "$STATE_DIR/supervise"
  local f name pid
  for f in "$STATE_DIR"/pids/*.pid; do
    name=$(basename "$f" .pid)
    pid=$(tr -dc '0-9' <"$f")
    cp "/proc/$pid/cmdline" "$STATE_DIR/supervise/$name.cmdline"
    readlink "/proc/$pid/cwd" >"$STATE_DIR/supervise/$name.cwd"
  done
}

# Like kubelet or systemd for a control plane: a component that exits (for example the
# controller-manager after losing its lease while the API server stalled) is started again.
supervise() {
  trap 'exit 0' TERM INT
  while sleep 2; do
    local f name pid
    for f in "$STATE_DIR"/supervise/*.cmdline; do
      [ -f "$f" ] || continue
      name=$(basename "$f" .cmdline)
      pid=$(tr -dc '0-9' <"$STATE_DIR/pids/$name.pid" 2>/dev/null || true)
      if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        local args
        mapfile -d '' args <"$f"
        log "$name exited; starting it again"
        (cd "$(cat "$STATE_DIR/supervise/$name.cwd")" && exec nohup "${args[@]}" >>"$STATE_DIR/logs/$name.log" 2>&1 </dev/null) &
        echo $! >"$STATE_DIR/pids/$name.pid"
      fi
    done
    has_real_node && "$HACK_DIR/real-node.sh" supervise-once
  done
}

start_supervisor() {
  nohup "$0" supervise >>"$CACHE/$CLUSTER_NAME-supervisor.log" 2>&1 </dev/null &
  echo $! >"$SUPERVISOR_PID"
}

stop_supervisor() {
  [ -f "$SUPERVISOR_PID" ] || return 0
  local pid
  pid=$(cat "$SUPERVISOR_PID")
  kill "$pid" 2>/dev/null || true
  wait_for "the supervisor to exit" 10 none_alive "$pid" || kill -9 "$pid" 2>/dev/null || true
  rm -f "$SUPERVISOR_PID"
}

usage_hint() {
  log "use it with:  export KUBECONFIG=$KUBECONFIG_FILE   (or: export KUBECONFIG=\$(hack/local-cluster.sh kubeconfig))"
  log "              kubectl get nodes"
  log "stop it with: hack/local-cluster.sh down"
}

down() {
  stop_supervisor
  if [ "$(network_owner)" = "$CLUSTER_NAME" ]; then
    "$HACK_DIR/real-node.sh" down
    "$HACK_DIR/network-guard.sh" down
    rm -f "$NETWORK_OWNER"
  fi
  local bin
  if [ -d "$STATE_DIR" ]; then
    bin=$("$HACK_DIR/build-components.sh" | tail -n 1)
    # kwokctl recorded the PIDs of the components it started; it signals them but does not wait.
    local pids="" f
    for f in "$STATE_DIR"/pids/*.pid; do [ -f "$f" ] && pids+=" $(tr -dc '0-9' <"$f")"; done
    "$bin/kwokctl" --name "$CLUSTER_NAME" delete cluster --kubeconfig "$KUBECONFIG_FILE" >/dev/null 2>&1 || true
    wait_for "the components to exit" 30 none_alive $pids || kill -9 $pids 2>/dev/null || true
    rm -rf "$STATE_DIR"
  fi
  rm -f "$KUBECONFIG_FILE" "$CACHE/$CLUSTER_NAME-kwokctl.yaml" "$REAL_NODE_FILE"
  log "cluster '$CLUSTER_NAME' is down"
  # Nothing of it may stay on the machine (processes, mounts, chains, routes, cgroups), unless
  # another cluster still owns the node and its network.
  if [ -z "$(network_owner)" ]; then
    "$HACK_DIR/real-node.sh" leftovers
  fi
}

# Records why the cluster has no real node (KIND: skip or fail, see REAL_NODE_FILE) and says so.
real_node_state() {
  printf '%s\n%s\n' "$1" "$2" >"$REAL_NODE_FILE"
  log "$2; going on with the simulated nodes only"
}

has_real_node() { [ "$(head -1 "$REAL_NODE_FILE" 2>/dev/null)" = yes ]; }

# Exit 0 with the real node up; 2 when this machine cannot run one (or REAL_NODE=0), so its
# tests may skip; 1 when it could and has none (the cluster is down, or the node failed): then
# skipping its tests would hide a broken setup.
real_node() {
  if has_real_node; then echo "real node $REAL_NODE_NAME is up"; return 0; fi
  if [ ! -f "$REAL_NODE_FILE" ]; then echo "no real node: cluster '$CLUSTER_NAME' is not up"; return 1; fi
  sed -n 2p "$REAL_NODE_FILE"
  [ "$(head -1 "$REAL_NODE_FILE")" = skip ] && return 2
  return 1
}

status() {
  if healthy; then
    log "cluster '$CLUSTER_NAME' is up: $(kctl get --raw /version | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p'), $SIM_NODES simulated nodes Ready, $(real_node)"
    return 0
  fi
  log "cluster '$CLUSTER_NAME' is not healthy (hack/local-cluster.sh up starts it again)"
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kubeconfig) echo "$KUBECONFIG_FILE" ;;
  real-node) real_node ;;
  pid) tr -dc '0-9' <"$STATE_DIR/pids/${2:?component}.pid"; echo ;;
  supervise) supervise ;;
  *) echo "usage: $0 up|down|status|kubeconfig|real-node" >&2; exit 2 ;;
esac
