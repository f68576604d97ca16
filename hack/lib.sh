# Sourced by every script under hack/: paths, logging, waiting, and the one list of the Debian
# packages the scripts use.  Usage:  LOG_TAG=name; source "$(dirname "$0")/lib.sh"

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HACK_DIR/.." && pwd)
# Components, images, the clusters' state: everything the scripts build or keep between runs.
CACHE=${INFEROPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/inference-operator}
LOG_TAG=${LOG_TAG:-$(basename "$0" .sh)}

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }

# Polls a command every POLL seconds (default 1) until it succeeds, or says what it waited for
# and fails once TIMEOUT seconds have passed:  wait_for WHAT TIMEOUT COMMAND...
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep "${POLL:-1}"
  done
}

is_root() { [ "$(id -u)" = 0 ]; }

# Each group of what the scripts need, as COMMAND-OR-PATH:DEBIAN-PACKAGE. Kept here only, so
# `make demo`, `make test`, the cluster and the benchmarks install the same things.
PACKAGES_NETWORK=(ip:iproute2 iptables:iptables)
PACKAGES_NODE=(containerd:containerd runc:runc /usr/lib/cni/bridge:containernetworking-plugins
  conntrack:conntrack socat:socat gcc:gcc /usr/lib/x86_64-linux-gnu/libc.a:libc6-dev
  openssl:openssl curl:curl)
PACKAGES_IMAGES=(buildah:buildah debootstrap:debootstrap)
PACKAGES_TEST=(promtool:prometheus)
PACKAGES_BENCH_APP=(wrk:wrk nginx:nginx-light)

# The packages of the named groups (network node images test bench-app), one pair a line.
packages_of() {
  local group
  for group in "$@"; do
    case $group in
      network) printf '%s\n' "${PACKAGES_NETWORK[@]}" ;;
      node) printf '%s\n' "${PACKAGES_NODE[@]}" ;;
      images) printf '%s\n' "${PACKAGES_IMAGES[@]}" ;;
      test) printf '%s\n' "${PACKAGES_TEST[@]}" ;;
      bench-app) printf '%s\n' "${PACKAGES_BENCH_APP[@]}" ;;
      *) log "unknown package group '$group'"; return 2 ;;
    esac
  done
}

# The Debian packages of the given pairs whose command or file is missing, space-separated.
missing_packages() {
  local pair what pkg missing=""
  for pair in "$@"; do
    what=${pair%%:*} pkg=${pair#*:}
    if [[ $what == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
    [[ " $missing " == *" $pkg "* ]] || missing+=" $pkg"
  done
  echo "${missing# }"
}

# Prints a template with every ${NAME} replaced by that shell variable's value (an unset one is
# an error): the configuration files under hack/node/ are real files, filled in at run time.
render() {
  local line name
  while IFS= read -r line || [ -n "$line" ]; do
    while [[ $line =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
      name=${BASH_REMATCH[1]}
      line=${line//"\${$name}"/${!name:?"$1 needs \$$name"}}
    done
    printf '%s\n' "$line"
  done <"$1"
}

# A wrk script in $WORK/NAME.lua that POSTs BODY as JSON and prints one line at the end:
# RESULT requests/s p50-ms p99-ms requests errors (the benchmarks' common format).
wrk_script() { # file body
  cat > "$WORK/$1.lua" << EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$2]]

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
EOF
}
