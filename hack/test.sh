#!/usr/bin/env bash
# `make test`: every test. Unit tests need nothing; the integration tests (*IT) need the local
# cluster, which this brings up (or reuses when it is already up) and takes down afterwards
# if it started it; the end-to-end tests (*E2E) need its real node, and skip with the reason
# when it has none (REQUIRE_REAL_NODE=1 makes that an error, as CI does on a machine that can
# run one). KEEP_CLUSTER=1 leaves the cluster running for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

# promtool checks the app's /metrics (PromtoolTest); without it that test skips with the reason.
if ! why=$(hack/ensure-packages.sh promtool:prometheus); then
  echo "PromtoolTest will skip: $why" >&2
fi

started=0
if ! hack/local-cluster.sh status 2>/dev/null; then
  hack/local-cluster.sh up
  started=1
fi
if [ "$started" = 1 ] && [ "${KEEP_CLUSTER:-0}" != 1 ]; then
  # Down, and nothing of it may stay on the machine (processes, mounts, chains, routes, cgroups).
  trap 'rc=$?; hack/local-cluster.sh down && hack/real-node.sh leftovers || rc=1; exit $rc' EXIT
fi
if ! why=$(hack/local-cluster.sh real-node); then
  if [ "${REQUIRE_REAL_NODE:-0}" = 1 ]; then
    echo "REQUIRE_REAL_NODE=1 but $why" >&2
    exit 1
  fi
  echo "the *E2E tests will skip: $why" >&2
fi
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG
./mvnw -B verify "$@"
