#!/usr/bin/env bash
# `make test`: every test. Unit tests need nothing; the integration tests (*IT) need the local
# cluster, which this brings up (or reuses when it is already up) and takes down afterwards
# if it started it. KEEP_CLUSTER=1 leaves it running for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

started=0
if ! hack/local-cluster.sh status 2>/dev/null; then
  hack/local-cluster.sh up
  started=1
fi
if [ "$started" = 1 ] && [ "${KEEP_CLUSTER:-0}" != 1 ]; then
  trap 'hack/local-cluster.sh down' EXIT
fi
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG
./mvnw -B verify "$@"
