#!/usr/bin/env bash
# One real node beside the kwok-simulated ones: containerd + runc + the CNI bridge plugin from
# Debian's packages, kubelet and kube-proxy built like the control plane, a pause image made
# here. Used by hack/local-cluster.sh; not meant to be run on its own.
#
#   hack/real-node.sh preflight      exit 0 when this machine can run it, else print why
#   hack/real-node.sh network-up     local routes and the guard that keeps packets on the machine
#   hack/real-node.sh up BIN PKI     containerd, kubelet, kube-proxy and the API server relay
#   hack/real-node.sh status         exit 0 when every component runs and the node is Ready
#   hack/real-node.sh down           stop all of it and undo every change to the machine
#   hack/real-node.sh guard-counters packets the guard dropped (each must stay 0)
#   hack/real-node.sh leftovers      exit 1, naming them, when `down` left anything behind
#
# Network safety: nothing may leave the machine. The Service range goes to a portless bridge,
# kwok's fake pod and node addresses to blackhole routes, pods live on a host-only bridge that
# the host does not forward to or from, and an iptables guard drops (and counts) any packet
# for those ranges that would still leave through another interface.
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${INFEROPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/inference-operator}
NODE_NAME=${REAL_NODE_NAME:-inferops-real}
STATE=${REAL_NODE_STATE:-$CACHE/real-node}
RUN_DIR=/run/inferops-node
SOCK=$RUN_DIR/containerd.sock
BRIDGE=inferops0
BRIDGE_CIDR=${POD_BRIDGE_CIDR:-10.85.0.0/24}
BRIDGE_IP=${BRIDGE_CIDR%.*}.1
SERVICE_CIDR=${SERVICE_CIDR:-10.96.0.0/16}
FAKE_POD_CIDR=${FAKE_POD_CIDR:-10.240.0.0/16}
FAKE_NODE_CIDR=${FAKE_NODE_CIDR:-10.241.0.0/24}
SVC_SINK=inferops-svc
GUARD=INFEROPS-GUARD
PODS_GUARD=INFEROPS-PODS
PAUSE_IMAGE=localhost/inferops/pause:1.0
export CONTAINERD_ADDRESS=$SOCK CONTAINERD_NAMESPACE=k8s.io
# sysctls this script or the components it starts may change; restored by `down`.
SYSCTLS=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet)

# What the node and the image builds need, as COMMAND-OR-PATH:DEBIAN-PACKAGE.
NODE_PACKAGES=(containerd:containerd runc:runc /usr/lib/cni/bridge:containernetworking-plugins
  conntrack:conntrack iptables:iptables socat:socat buildah:buildah debootstrap:debootstrap gcc:gcc
  /usr/lib/x86_64-linux-gnu/libc.a:libc6-dev openssl:openssl curl:curl)

log() { printf '[real-node] %s\n' "$*" >&2; }

# Where the machine cannot run a real node, prints why (one line) and fails.
preflight() {
  local why=""
  if [ "$(id -u)" != 0 ]; then
    why="not root (containerd, kubelet and the pod network need root)"
  elif [ ! -d /sys/fs/cgroup/memory ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    why="no memory cgroup under /sys/fs/cgroup"
  elif ! grep -qw overlay /proc/filesystems; then
    why="the kernel has no overlay filesystem (containerd's snapshotter)"
  elif ! command -v ip >/dev/null || ! command -v iptables >/dev/null; then
    why="ip and iptables are needed for the pod network"
  fi
  if [ -z "$why" ]; then
    why=$("$HACK_DIR/ensure-packages.sh" "${NODE_PACKAGES[@]}") || true
  fi
  if [ -n "$why" ]; then
    echo "no real node: $why"
    return 1
  fi
}


network_up() {
  mkdir -p "$STATE"
  # The sysctls as they were before anything here touched them, recorded once per `up`.
  if [ ! -f "$STATE/sysctl.saved" ]; then
    local k
    for k in "${SYSCTLS[@]}"; do
      sysctl -n "$k" >/dev/null 2>&1 && echo "$k=$(sysctl -n "$k")"
    done >"$STATE/sysctl.saved"
  fi
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr replace "$BRIDGE_IP/${BRIDGE_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # ClusterIPs are routed to a bridge with no ports (a sink; this kernel has no dummy device):
  # kube-proxy's DNAT moves real endpoints to the pod bridge; a packet it does not translate
  # dies there instead of taking the default route.
  ip link show "$SVC_SINK" >/dev/null 2>&1 || ip link add "$SVC_SINK" type bridge
  ip link set "$SVC_SINK" up
  ip route replace "$SERVICE_CIDR" dev "$SVC_SINK"
  ip route replace blackhole "$FAKE_POD_CIDR"
  ip route replace blackhole "$FAKE_NODE_CIDR"
  guard_up
  # Pod → ClusterIP → pod on the same bridge needs forwarding and bridged traffic to pass
  # iptables (conntrack undoes the DNAT on the reply); the guard keeps it inside the bridge.
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
}

guard_up() {
  iptables -N "$GUARD" 2>/dev/null || iptables -F "$GUARD"
  # The bridge's own address is the host's: that traffic never leaves through loopback.
  iptables -A "$GUARD" -o lo -j RETURN
  local r
  for r in "$SERVICE_CIDR" "$FAKE_POD_CIDR" "$FAKE_NODE_CIDR" "$BRIDGE_CIDR"; do
    # Anything for our ranges that would leave through an interface that is not ours.
    iptables -A "$GUARD" -d "$r" ! -o inferops+ -m comment --comment "inferops: $r stays local" -j DROP
  done
  iptables -C OUTPUT -j "$GUARD" 2>/dev/null || iptables -I OUTPUT 1 -j "$GUARD"
  iptables -C FORWARD -j "$GUARD" 2>/dev/null || iptables -I FORWARD 1 -j "$GUARD"
  # Pods talk to each other (also through a ClusterIP) and to the host, never past it.
  local tool
  for tool in iptables ip6tables; do
    "$tool" -N "$PODS_GUARD" 2>/dev/null || "$tool" -F "$PODS_GUARD"
    "$tool" -A "$PODS_GUARD" -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
    "$tool" -A "$PODS_GUARD" -i "$BRIDGE" -m comment --comment "inferops: pods stay local" -j DROP
    "$tool" -A "$PODS_GUARD" -o "$BRIDGE" -m comment --comment "inferops: pods stay local" -j DROP
    "$tool" -C FORWARD -j "$PODS_GUARD" 2>/dev/null || "$tool" -I FORWARD 1 -j "$PODS_GUARD"
  done
}

# Prints "<packets> <comment>" for each DROP rule of the guard.
guard_counters() {
  { iptables -L "$GUARD" -v -n -x; iptables -L "$PODS_GUARD" -v -n -x; } 2>/dev/null | awk '$3=="DROP" {c=""; for(i=1;i<=NF;i++) if($i=="/*") {for(j=i+1;j<=NF && $j!="*/";j++) c=c" "$j}; print $1 c}'
}

# Removes every chain named KUBE-*, CNI-* or INFEROPS-* and every rule jumping to one, in
# iptables and ip6tables: each table is restored from its own dump without those lines, so
# rules of anything else stay as they are.
clean_chains() {
  local tool table saved ours='(KUBE-|CNI-|INFEROPS-)'
  for tool in iptables ip6tables; do
    for table in filter nat mangle raw; do
      saved=$("$tool-save" -t "$table" 2>/dev/null) || continue
      grep -qE "^:$ours" <<<"$saved" || continue
      grep -vE "^:$ours|^-A $ours|-j $ours" <<<"$saved" | "$tool-restore" -T "$table"
    done
  done
}

network_down() {
  clean_chains
  ip route del "$SERVICE_CIDR" dev "$SVC_SINK" 2>/dev/null || true
  ip route del blackhole "$FAKE_POD_CIDR" 2>/dev/null || true
  ip route del blackhole "$FAKE_NODE_CIDR" 2>/dev/null || true
  ip link del "$SVC_SINK" 2>/dev/null || true
  local veth
  for veth in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$veth" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  if [ -f "$STATE/sysctl.saved" ]; then
    local line
    while IFS= read -r line; do sysctl -qw "$line" 2>/dev/null || true; done <"$STATE/sysctl.saved"
    rm -f "$STATE/sysctl.saved"
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

wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then log "timed out after ${timeout}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

write_containerd_config() {
  mkdir -p "$STATE/containerd" "$STATE/cni/net.d" "$RUN_DIR"
  cat >"$STATE/containerd/config.toml" <<TOML
version = 2
root = "$STATE/containerd/root"
state = "$RUN_DIR/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Root here lacks CAP_SYS_RESOURCE: a negative oom_score_adj would fail every sandbox.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
TOML
  cat >"$STATE/cni/net.d/10-inferops.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "inferops",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$STATE/cni/ipam",
        "ranges": [[{"subnet": "$BRIDGE_CIDR", "rangeStart": "${BRIDGE_CIDR%.*}.10", "gateway": "$BRIDGE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
JSON
}

# The sandbox ("pause") image: nothing can be pulled, so a static program that waits for a
# signal and reaps children is built here and packed as an image.
pause_image() {
  grep -qx "$PAUSE_IMAGE" <<<"$(ctr images ls -q 2>/dev/null)" && return 0
  local dir="$STATE/pause"
  mkdir -p "$dir"
  cat >"$dir/pause.c" <<'C'
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void reap(int sig) { (void)sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }
static void stop(int sig) { (void)sig; _exit(0); }
int main(void) {
  signal(SIGINT, stop);
  signal(SIGTERM, stop);
  signal(SIGCHLD, reap);
  for (;;) pause();
}
C
  gcc -static -Os -o "$dir/pause" "$dir/pause.c"
  "$HACK_DIR/images-local.sh" pack-binary "$dir/pause" "$PAUSE_IMAGE" "$dir/pause.tar"
  ctr images import "$dir/pause.tar" >/dev/null
  ctr images label "$PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null
}

# Client certificates signed by the cluster's CA: the Node authorizer and NodeRestriction
# apply to the kubelet as to any real node; kube-proxy gets system:node-proxier by default RBAC.
write_identity() {
  local pki=$1 name=$2 cn=$3 org=$4
  local dir="$STATE/pki"
  mkdir -p "$dir"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -subj "/O=$org/CN=$cn" -out "$dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -out "$dir/$name.crt" 2>/dev/null
  cat >"$STATE/$name.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$pki/ca.crt"}
users:
- name: $name
  user: {client-certificate: "$dir/$name.crt", client-key: "$dir/$name.key"}
contexts:
- name: local
  context: {cluster: local, user: $name}
current-context: local
YAML
}

write_kubelet_config() {
  local pki=$1
  cat >"$STATE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $BRIDGE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$pki/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
# cgroup v1 hybrid hosts: kubelet 1.33 only warns, limits and shares are still enforced.
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$SOCK
# Images are imported, never pulled: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 200Mi, nodefs.available: "2%", imagefs.available: "2%"}
maxPods: 40
resolvConf: ""
registerWithTaints:
- {key: inferops.dev/real-node, value: "true", effect: NoSchedule}
staticPodPath: ""
serializeImagePulls: false
YAML
}

write_proxy_config() {
  cat >"$STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$STATE/kube-proxy.kubeconfig"}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $BRIDGE_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts only on the bridge address, never on the machine's interface or loopback (which
# would need route_localnet).
nodePortAddresses: ["$BRIDGE_IP/32"]
iptables: {localhostNodePorts: false}
# 0 leaves the machine's conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
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
  network_down
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
  local tool
  for tool in iptables ip6tables; do
    # Captured first: grep -q closing the pipe early would fail the pipeline under pipefail.
    grep -qE '^:(KUBE-|CNI-|INFEROPS-)' <<<"$("$tool-save" 2>/dev/null)" && left+=" $tool-chains"
  done
  grep -qE ': inferops' <<<"$(ip link show 2>/dev/null)" && left+=" bridges"
  grep -qE "^(blackhole )?($SERVICE_CIDR|$FAKE_POD_CIDR|$FAKE_NODE_CIDR|$BRIDGE_CIDR) " <<<"$(ip route show 2>/dev/null)" && left+=" routes"
  ls -d /sys/fs/cgroup/*/kubepods >/dev/null 2>&1 && left+=" kubepods-cgroups"
  [ -f "$STATE/sysctl.saved" ] && left+=" unrestored-sysctls"
  if [ -n "$left" ]; then echo "left behind:$left"; return 1; fi
  echo "nothing left behind"
}

case "${1:-}" in
  preflight) preflight ;;
  network-up) network_up ;;
  up) API_PORT=${4:-} up "$2" "$3" ;;
  packages) printf '%s\n' "${NODE_PACKAGES[@]}" ;;
  status) status ;;
  supervise-once) supervise_once ;;
  down) down ;;
  guard-counters) guard_counters ;;
  leftovers) leftovers ;;
  *) echo "usage: $0 preflight|network-up|up BIN PKI PORT|status|supervise-once|down|guard-counters" >&2; exit 2 ;;
esac
