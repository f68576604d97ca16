#!/usr/bin/env bash
# Installs the Debian packages behind the given commands (or files) when any is missing, so a new
# machine gets what the scripts use:  hack/ensure-packages.sh COMMAND-OR-PATH:PACKAGE ...
# Prints the one-line reason and fails when they cannot be installed (no apt-get, not root).
set -euo pipefail

missing=""
for pair in "$@"; do
  what=${pair%%:*} pkg=${pair#*:}
  if [[ $what == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
  missing+=" $pkg"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "missing${missing} and cannot install them here (needs apt-get as root)"
  exit 1
fi
log=${TMPDIR:-/tmp}/inferops-apt.log
printf '[ensure-packages] installing%s (Debian packages)\n' "$missing" >&2
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing; } >"$log" 2>&1; then
  echo "could not install${missing} (see $log)"
  exit 1
fi
