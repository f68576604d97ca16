#!/usr/bin/env bash
# A real Kubernetes control plane on this machine without Docker: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler built from source (hack/build-components.sh),
# with nodes and the pod lifecycle simulated by kwok (hack/kwok/stages.yaml).
#
#   hack/local-cluster.sh up          start it (harmless when it is already up)
#   hack/local-cluster.sh status      exit 0 when it is up and healthy
#   hack/local-cluster.sh kubeconfig  print the kubeconfig path (last line)
#   hack/local-cluster.sh down        stop exactly what `up` started and remove its state
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER_NAME=${CLUSTER_NAME:-inferops}
CACHE=${INFEROPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/inference-operator}
# kwokctl keeps each cluster (PIDs, certificates, etcd data, logs) under its work dir.
export KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE/kwok}
STATE_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
KUBECONFIG_FILE="$CACHE/$CLUSTER_NAME.kubeconfig"
K8S_VERSION=${K8S_VERSION:-v1.33.13}
ETCD_VERSION=${ETCD_VERSION:-v3.5.24}
NODE_COUNT=3

log() { printf '[local-cluster] %s\n' "$*" >&2; }

kctl() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# Polls a command until it succeeds or the deadline passes.
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 1
  done
}

none_alive() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 1; done
  return 0
}

healthy() {
  [ -f "$KUBECONFIG_FILE" ] || return 1
  kctl get --raw /readyz >/dev/null 2>&1 || return 1
  local ready
  ready=$(kctl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c True || true)
  [ "$ready" -ge "$NODE_COUNT" ] || return 1
  kctl -n default get serviceaccount default >/dev/null 2>&1
}

write_config() {
  local bin=$1 config="$CACHE/$CLUSTER_NAME-kwokctl.yaml"
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
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: advertise-address
    value: 127.0.0.1
---
YAML
    cat "$HACK_DIR/kwok/stages.yaml"
  } >"$config"
  echo "$config"
}

up() {
  if healthy; then
    log "cluster '$CLUSTER_NAME' is already up"
    usage_hint
    return 0
  fi
  local bin
  bin=$("$HACK_DIR/build-components.sh" | tail -n 1)
  local kwokctl="$bin/kwokctl"
  if [ -d "$STATE_DIR" ]; then
    # Left over from a session that ended without `down` (its processes are gone): start fresh.
    log "removing stale state of cluster '$CLUSTER_NAME'"
    "$kwokctl" --name "$CLUSTER_NAME" delete cluster --kubeconfig "$KUBECONFIG_FILE" >/dev/null 2>&1 || true
    rm -rf "$STATE_DIR"
  fi
  local config
  config=$(write_config "$bin")
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
  kctl apply -f "$HACK_DIR/kwok/nodes.yaml" >/dev/null
  wait_for "$NODE_COUNT Ready nodes" 120 kctl wait --for=condition=Ready node --all --timeout=5s
  wait_for "the default ServiceAccount" 120 kctl -n default get serviceaccount default
  log "cluster '$CLUSTER_NAME' is up in $((SECONDS - t0))s"
  usage_hint
}

usage_hint() {
  log "use it with:  export KUBECONFIG=$KUBECONFIG_FILE   (or: export KUBECONFIG=\$(hack/local-cluster.sh kubeconfig))"
  log "              kubectl get nodes"
  log "stop it with: hack/local-cluster.sh down"
}

down() {
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
  rm -f "$KUBECONFIG_FILE" "$CACHE/$CLUSTER_NAME-kwokctl.yaml"
  log "cluster '$CLUSTER_NAME' is down"
}

status() {
  if healthy; then
    log "cluster '$CLUSTER_NAME' is up: $(kctl get --raw /version | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p'), $NODE_COUNT nodes Ready"
    return 0
  fi
  log "cluster '$CLUSTER_NAME' is not up (run: hack/local-cluster.sh up)"
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kubeconfig) echo "$KUBECONFIG_FILE" ;;
  *) echo "usage: $0 up|down|status|kubeconfig" >&2; exit 2 ;;
esac
