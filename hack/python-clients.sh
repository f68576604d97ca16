#!/usr/bin/env bash
# The Python clients users call the model server with, KServe's SDK and Triton's HTTP client, in a
# venv of their own: made once under the cache with the versions pinned in
# inference-app/src/test/python/requirements.txt, and made again only when that file changes.
#
#   hack/python-clients.sh                   make the venv if needed; print its python's path
#   hack/python-clients.sh URL MODEL ROWS    then run clients_check.py against a running server:
#                                            metadata and one-row infers with both clients, one
#                                            JSON line out (see the script)
#
# PythonClientsTest runs the second form against the app serving an ONNX model. Needs python3
# with venv and pip; fails with one line saying what is missing or where the install's log is.
set -euo pipefail
LOG_TAG=python-clients
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV=$CACHE/clients-venv
PYTHON_DIR=$REPO_ROOT/inference-app/src/test/python
REQUIREMENTS=$PYTHON_DIR/requirements.txt

if [ $# -ne 0 ] && [ $# -ne 3 ]; then
  log "usage: $0 [BASE_URL MODEL ROWS_JSON]"
  exit 2
fi

if ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
  if ! command -v python3 > /dev/null; then
    log "python3 is not on PATH; the clients need Python 3.11 with venv and pip"
    exit 1
  fi
  mkdir -p "$CACHE"
  install_log=$CACHE/clients-venv.log
  log "making $VENV (kserve, tritonclient; pinned in ${REQUIREMENTS#"$REPO_ROOT"/}); log: $install_log"
  # The copy of the requirements is written last: it marks a finished install.
  rm -rf "$VENV"
  if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check \
    -r "$REQUIREMENTS"; } > "$install_log" 2>&1; then
    log "could not install the clients (see $install_log):"
    tail -n 5 "$install_log" >&2
    exit 1
  fi
  cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

if [ $# -eq 0 ]; then
  echo "$VENV/bin/python"
  exit 0
fi
exec "$VENV/bin/python" "$PYTHON_DIR/clients_check.py" "$@"
