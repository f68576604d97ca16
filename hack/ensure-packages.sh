#!/usr/bin/env bash
# Installs, in one apt-get run, the Debian packages of the named groups (hack/lib.sh: network,
# node, images, test, bench-app) whose command or file is missing, and says in one line what and
# why. Does nothing when all are there.
#
#   hack/ensure-packages.sh [--for WHO] [--without WHAT] GROUP-OR-COMMAND:PACKAGE...
#
# Fails, printing the one-line reason on stdout, when they cannot be installed: not root or no
# apt-get (then WHAT, "what does not work without them", is part of the reason), or apt-get failed.
set -euo pipefail
LOG_TAG=packages
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

who="" without=""
while [ $# -gt 0 ]; do
  case $1 in
    --for) who=$2; shift 2 ;;
    --without) without=$2; shift 2 ;;
    *) break ;;
  esac
done

declare -A purpose=([network]="the network guard" [node]="the real node"
  [images]="building the images" [test]="the metrics check (promtool)"
  [bench-app]="the load generator and nginx")
pairs=() why=()
for arg in "$@"; do
  if [[ $arg == *:* ]]; then
    pairs+=("$arg")
  else
    mapfile -t group < <(packages_of "$arg")
    pairs+=("${group[@]}")
    # The line names only what the missing packages are for.
    [ -n "$(missing_packages "${group[@]}")" ] && why+=("${purpose[$arg]}")
  fi
done

missing=$(missing_packages "${pairs[@]}")
[ -z "$missing" ] && exit 0
reason=$(IFS=,; echo "${why[*]}" | sed 's/,/, /g')
if ! command -v apt-get >/dev/null || ! is_root; then
  echo "missing $missing (install as root: apt-get install -y $missing)${without:+; $without}"
  exit 1
fi
printf '[packages] %sinstalling %s (Debian packages%s)\n' "${who:+$who: }" "$missing" "${reason:+ for $reason}" >&2
apt_log=${TMPDIR:-/tmp}/inferops-apt.log
# A fresh machine has no package lists yet; policy-rc.d keeps services (nginx, prometheus) from
# being started by their packages' install scripts.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
fi
trap '[ "$own_policy" = 1 ] && rm -f "$policy"' EXIT
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing; } >"$apt_log" 2>&1; then
  echo "could not install $missing (apt-get failed; see $apt_log)"
  exit 1
fi
still=$(missing_packages "${pairs[@]}")
if [ -n "$still" ]; then
  echo "installed, but still missing what $still should provide"
  exit 1
fi
