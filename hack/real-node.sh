#!/usr/bin/env bash
# One real node beside the kwok-simulated ones: containerd + runc + the CNI bridge plugin from
# Debian's packages, kubelet and kube-proxy built like the control plane, a pause image made
# here. Used by hack/local-cluster.sh; not meant to be run on its own.
#
#   hack/real-node.sh preflight      exit 0 when this machine can run it (its packages installed
#                                    when missing); else print why, exit 2 when the machine
#                                    cannot (not root, no cgroups), 1 when the install failed
#   hack/real-node.sh up BIN PKI     containerd, kubelet, kube-proxy and the API server relay
#   hack/real-node.sh status         exit 0 when every component runs and the node is Ready
#   hack/real-node.sh down           stop all of it and undo every change to the machine
#   hack/real-node.sh leftovers      exit 1, naming them, when `down` (this script's and the
#                                    network guard's) left anything behind
#
# Run as root, after hack/network-guard.sh up (the pod bridge is the guard's).
set -euo pipefail

LOG_TAG=real-node
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
POLL=0.5
NODE_NAME=${REAL_NODE_NAME:-inferops-real}
STATE=${REAL_NODE_STATE:-$CACHE/real-node}
RUN_DIR=/run/inferops-node
SOCK=$RUN_DIR/containerd.sock
BRIDGE=inferops0
BRIDGE_CIDR=${POD_BRIDGE_CIDR:-10.85.0.0/24}
BRIDGE_IP=${BRIDGE_CIDR%.*}.1
RANGE_START=${BRIDGE_CIDR%.*}.10
PAUSE_IMAGE=localhost/inferops/pause:1.0
export CONTAINERD_ADDRESS=$SOCK CONTAINERD_NAMESPACE=k8s.io

# Where this machine cannot run a real node, prints why (one line, "cannot: ...") and exits 2;
# where it could but the node's packages could not be installed, prints why and exits 1.
preflight() {
  local why="" missing
  missing=$(missing_packages "${PACKAGES_NETWORK[@]}" "${PACKAGES_NODE[@]}")
  if ! is_root; then
    why="not root (containerd, kubelet and the pod network need root)"
  elif [ ! -d /sys/fs/cgroup/memory ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    why="no memory cgroup under /sys/fs/cgroup"
  elif ! grep -qw overlay /proc/filesystems; then
    why="the kernel has no overlay filesystem (containerd's snapshotter)"
  elif ! command -v apt-get >/dev/null && [ -n "$missing" ]; then
    why="missing $missing and no apt-get to install them"
  fi
  if [ -n "$why" ]; then
    echo "no real node: $why"
    return 2
  fi
  if ! why=$("$HACK_DIR/ensure-packages.sh" --for "the real node" network node); then
    echo "no real node: $why"
    return 1
  fi
}

pidfile() { echo "$RUN_DIR/$1.pid"; }
alive() { local f; f=$(pidfile "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

# Starts a component in the background with its log under $STATE/logs and records its PID.
# The command line is kept too, so the supervisor can start it again the same way.
launch() {
  local name=$1; shift
  mkdir -p "$STATE/logs" "$RUN_DIR"
  printf '%q ' "$@" >"$RUN_DIR/$name.cmd"
  nohup "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

relaunch() {
  local name=$1
  [ -f "$RUN_DIR/$name.cmd" ] || return 1
  nohup bash -c "exec $(cat "$RUN_DIR/$name.cmd")" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

write_containerd_config() {
  mkdir -p "$STATE/containerd" "$STATE/cni/net.d" "$RUN_DIR"
  render "$HACK_DIR/node/containerd.toml" >"$STATE/containerd/config.toml"
  render "$HACK_DIR/node/cni-bridge.conflist" >"$STATE/cni/net.d/10-inferops.conflist"
}

# The sandbox ("pause") image: nothing can be pulled, so a static program that waits for a
# signal and reaps children is built here and packed as an image.
pause_image() {
  grep -qx "$PAUSE_IMAGE" <<<"$(ctr images ls -q 2>/dev/null)" && return 0
  local dir="$STATE/pause"
  mkdir -p "$dir"
  cp "$HACK_DIR/node/pause.c" "$dir/pause.c"
  gcc -static -Os -o "$dir/pause" "$dir/pause.c"
  "$HACK_DIR/images-local.sh" pack-binary "$dir/pause" "$PAUSE_IMAGE" "$dir/pause.tar"
  ctr images import "$dir/pause.tar" >/dev/null
  ctr images label "$PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null
}

# Client certificates signed by the cluster's CA: the Node authorizer and NodeRestriction
# apply to the kubelet as to any real node; kube-proxy gets system:node-proxier by default RBAC.
write_identity() {
  local CA_DIR=$1 NAME=$2 cn=$3 org=$4
  local CERT_DIR="$STATE/pki"
  mkdir -p "$CERT_DIR"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$CERT_DIR/$NAME.key" -subj "/O=$org/CN=$cn" -out "$CERT_DIR/$NAME.csr" 2>/dev/null
  openssl x509 -req -in "$CERT_DIR/$NAME.csr" -CA "$CA_DIR/ca.crt" -CAkey "$CA_DIR/ca.key" -CAcreateserial \
    -days 30 -out "$CERT_DIR/$NAME.crt" 2>/dev/null
  render "$HACK_DIR/node/component.kubeconfig" >"$STATE/$NAME.kubeconfig"
}

write_kubelet_config() {
  local CA_DIR=$1
  render "$HACK_DIR/node/kubelet.yaml" >"$STATE/kubelet.yaml"
}

write_proxy_config() {
  render "$HACK_DIR/node/kube-proxy.yaml" >"$STATE/kube-proxy.yaml"
}

up() {
  local bin=$1 pki=$2
  API_PORT=${API_PORT:?}
  mkdir -p "$STATE" "$RUN_DIR"
  write_containerd_config
  if ! alive containerd; then
    launch containerd containerd --config "$STATE/containerd/config.toml"
  fi
  wait_for "containerd" 30 ctr version
  pause_image
  write_identity "$pki" kubelet "system:node:$NODE_NAME" system:nodes
  write_identity "$pki" kube-proxy system:kube-proxy system:node-proxier
  write_kubelet_config "$pki"
  write_proxy_config
  alive kubelet || launch kubelet "$bin/kubelet" --config "$STATE/kubelet.yaml" \
    --kubeconfig "$STATE/kubelet.kubeconfig" --root-dir "$STATE/kubelet" --cert-dir "$STATE/kubelet/pki" \
    --hostname-override "$NODE_NAME" --node-ip "$BRIDGE_IP" \
    --node-labels "inferops.dev/real-node=true,type=real,topology.kubernetes.io/zone=zone-real"
  alive kube-proxy || launch kube-proxy "$bin/kube-proxy" --config "$STATE/kube-proxy.yaml"
  # The `kubernetes` Service's endpoint is the bridge address (the API server's advertise
  # address, with its port); the API server itself listens on loopback only, so relay it.
  alive apiserver-relay || launch apiserver-relay socat "TCP-LISTEN:$API_PORT,bind=$BRIDGE_IP,reuseaddr,fork" "TCP:127.0.0.1:$API_PORT"
  log "waiting for node $NODE_NAME to register and turn Ready"
}

status() {
  local c bad=0
  for c in containerd kubelet kube-proxy apiserver-relay; do
    alive "$c" || { log "$c is not running"; bad=1; }
  done
  curl -sf --max-time 3 http://127.0.0.1:10248/healthz >/dev/null || { log "kubelet is not healthy"; bad=1; }
  curl -s --max-time 3 -o /dev/null http://127.0.0.1:10256/healthz || { log "kube-proxy is not answering"; bad=1; }
  return $bad
}

# Restarts any component that exited (as systemd would for a real node).
supervise_once() {
  local c
  for c in containerd kubelet kube-proxy apiserver-relay; do
    if [ -f "$RUN_DIR/$c.cmd" ] && ! alive "$c"; then
      log "$c exited; starting it again"
      relaunch "$c"
    fi
  done
}

stop_pid() {
  local name=$1 f pid
  f=$(pidfile "$name")
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait_for "$name to exit" 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f" "$RUN_DIR/$name.cmd"
}

no_running_tasks() { ! grep -q RUNNING <<<"$(ctr tasks ls 2>/dev/null)"; }

# Every process whose command line names our containerd socket: the shims containerd started.
shim_pids() {
  local p
  for p in /proc/[0-9]*; do
    grep -qF -- "-address $SOCK " <<<"$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)" && echo "${p#/proc/}"
  done
  return 0
}

down() {
  rm -f "$RUN_DIR"/*.cmd
  stop_pid kubelet
  stop_pid kube-proxy
  stop_pid apiserver-relay
  if alive containerd; then
    # Stop and remove every container and sandbox through containerd, then the shims go.
    local id
    for id in $(ctr tasks ls -q 2>/dev/null); do ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    wait_for "containers to stop" 20 no_running_tasks || true
    for id in $(ctr tasks ls -q 2>/dev/null); do ctr tasks rm -f "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr containers ls -q 2>/dev/null); do ctr containers rm "$id" >/dev/null 2>&1 || true; done
  fi
  stop_pid containerd
  local pid
  for pid in $(shim_pids); do kill -9 "$pid" 2>/dev/null || true; done
  unmount_under "$STATE" "$RUN_DIR" /run/netns /var/run/netns
  remove_cgroups
  rm -rf "$RUN_DIR" "$STATE/kubelet" "$STATE/cni/ipam" "$STATE/pki" "$STATE"/*.kubeconfig
}

# Unmounts (deepest first) every mount below the given paths: kubelet volumes, container
# root filesystems, shim state and the pods' network namespaces.
unmount_under() {
  local p m
  for p in "$@"; do
    [ -e "$p" ] || continue
    p=$(readlink -f "$p")
    for m in $(awk '{print $5}' /proc/self/mountinfo | grep -E "^$p(/|$)" | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
  done
  local ns
  for ns in /run/netns/cni-*; do [ -e "$ns" ] && rm -f "$ns"; done
  return 0
}

remove_cgroups() {
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods /sys/fs/cgroup/unified/kubepods; do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  return 0
}

# Prints whatever `down` should have removed and is still there; exit 1 when anything is.
leftovers() {
  local left=""
  [ -n "$(shim_pids)" ] && left+=" shim-processes"
  local c
  for c in containerd kubelet kube-proxy apiserver-relay; do alive "$c" && left+=" $c"; done
  grep -qE " ($(readlink -f "$STATE" 2>/dev/null || echo "$STATE")|$RUN_DIR)(/| )" /proc/self/mountinfo && left+=" mounts"
  ls -d /sys/fs/cgroup/*/kubepods >/dev/null 2>&1 && left+=" kubepods-cgroups"
  local network
  network=$("$HACK_DIR/network-guard.sh" leftovers)
  [ -n "$network" ] && left+=" $network"
  if [ -n "$left" ]; then echo "left behind:$left"; return 1; fi
  echo "nothing left behind"
}

case "${1:-}" in
  preflight) preflight ;;
  up) API_PORT=${4:-} up "$2" "$3" ;;
  status) status ;;
  supervise-once) supervise_once ;;
  down) down ;;
  leftovers) leftovers ;;
  *) echo "usage: $0 preflight|up BIN PKI PORT|status|supervise-once|down|leftovers" >&2; exit 2 ;;
esac
