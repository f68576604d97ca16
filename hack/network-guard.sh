#!/usr/bin/env bash
# Keeps every packet for the local cluster's addresses on this machine, with or without a real
# node (hack/local-cluster.sh runs it as root). The Service range goes to a portless bridge,
# kwok's fake pod and node addresses to blackhole routes, pods live on a host-only bridge that
# the host does not forward to or from, and an iptables guard drops (and counts) any packet for
# those ranges that would still leave through another interface. 10/8 as a whole is never
# touched: the machine's DNS resolver may live there.
#
#   hack/network-guard.sh up          routes, bridges, the guard chains and the sysctls they need
#   hack/network-guard.sh down        undo all of it (and every KUBE-/CNI-/INFEROPS- chain)
#   hack/network-guard.sh counters    packets each DROP rule of the guard dropped (each must stay 0)
#   hack/network-guard.sh leftovers   names what `down` left behind (prints nothing when clean)
set -euo pipefail
LOG_TAG=network-guard
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=${REAL_NODE_STATE:-$CACHE/real-node}
BRIDGE=inferops0
BRIDGE_CIDR=${POD_BRIDGE_CIDR:-10.85.0.0/24}
BRIDGE_IP=${BRIDGE_CIDR%.*}.1
SERVICE_CIDR=${SERVICE_CIDR:-10.96.0.0/16}
FAKE_POD_CIDR=${FAKE_POD_CIDR:-10.240.0.0/16}
FAKE_NODE_CIDR=${FAKE_NODE_CIDR:-10.241.0.0/24}
SVC_SINK=inferops-svc
GUARD=INFEROPS-GUARD
PODS_GUARD=INFEROPS-PODS
# sysctls this script or the node's components may change; restored by `down`.
SYSCTLS=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet)

# Never run a tool that is not there: a half-made guard would be worse than a clear error.
require_tools() {
  local missing
  missing=$(missing_packages "${PACKAGES_NETWORK[@]}")
  if [ -n "$missing" ]; then
    log "cannot $1 the network guard: missing $missing (hack/ensure-packages.sh network installs it)"
    exit 1
  fi
}

up() {
  require_tools "set up"
  mkdir -p "$STATE"
  # The sysctls as they were before anything here touched them, recorded once per `up`.
  if [ ! -f "$STATE/sysctl.saved" ]; then
    local k
    for k in "${SYSCTLS[@]}"; do
      sysctl -n "$k" >/dev/null 2>&1 && echo "$k=$(sysctl -n "$k")"
    done >"$STATE/sysctl.saved"
  fi
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  # A bridge without an address of its own takes the lowest MAC of its ports, so it changes as
  # pods come and go; until the pods' neighbour entries for the gateway expire, their answers to
  # this host go to the old MAC and are lost (a connect timeout, a dropped keep-alive connection).
  ip link set "$BRIDGE" address 02:69:6e:66:00:01
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
  guard_chains
  # Pod → ClusterIP → pod on the same bridge needs forwarding and bridged traffic to pass
  # iptables (conntrack undoes the DNAT on the reply); the guard keeps it inside the bridge.
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
}

guard_chains() {
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
counters() {
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

down() {
  # Nothing can have been set up without these tools.
  [ -z "$(missing_packages "${PACKAGES_NETWORK[@]}")" ] || return 0
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

# Prints what `down` should have removed and is still there; exit 1 when anything is.
leftovers() {
  local left="" tool
  if [ -z "$(missing_packages "${PACKAGES_NETWORK[@]}")" ]; then
    for tool in iptables ip6tables; do
      # Captured first: grep -q closing the pipe early would fail the pipeline under pipefail.
      grep -qE '^:(KUBE-|CNI-|INFEROPS-)' <<<"$("$tool-save" 2>/dev/null)" && left+=" $tool-chains"
    done
    grep -qE ': inferops' <<<"$(ip link show 2>/dev/null)" && left+=" bridges"
    grep -qE "^(blackhole )?($SERVICE_CIDR|$FAKE_POD_CIDR|$FAKE_NODE_CIDR|$BRIDGE_CIDR) " <<<"$(ip route show 2>/dev/null)" && left+=" routes"
  fi
  [ -f "$STATE/sysctl.saved" ] && left+=" unrestored-sysctls"
  echo "${left# }"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  counters) counters ;;
  leftovers) leftovers ;;
  *) echo "usage: $0 up|down|counters|leftovers" >&2; exit 2 ;;
esac
