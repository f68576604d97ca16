#!/usr/bin/env bash
# `make test`: every test. Unit tests need nothing; the integration tests (*IT) need the local
# cluster, which this brings up (or reuses when it is already up) and takes down afterwards if it
# started it; the end-to-end tests (*E2E) need its real node. On a machine that can run one
# (root, cgroups, overlayfs) a missing real node is an error, never a skip; elsewhere the E2E
# tier skips with the reason. Ends with a summary per tier (run, skipped with reasons, failed).
# KEEP_CLUSTER=1 leaves the cluster running for the next run. Arguments go to `mvnw verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=test
source hack/lib.sh

# Everything the tiers need from Debian, once, before anything starts: the network guard, the
# real node, the images, and promtool for the metrics check. As root a failed install fails the
# run (a skip would hide it); without root the tests that need them skip with the reason.
if ! why=$(hack/ensure-packages.sh --for "make test" \
  --without "the *E2E tier and the promtool check will skip" network node images test); then
  log "$why"
  is_root && exit 1
fi

started=0
if ! hack/local-cluster.sh status 2>/dev/null; then
  hack/local-cluster.sh up
  started=1
fi
if [ "$started" = 1 ] && [ "${KEEP_CLUSTER:-0}" != 1 ]; then
  # Down fails when anything of the cluster stayed on the machine.
  trap 'rc=$?; hack/local-cluster.sh down || rc=1; exit $rc' EXIT
fi
rc=0
why=$(hack/local-cluster.sh real-node) || rc=$?
case $rc in
  0) ;;
  2) log "the *E2E tests will skip: $why" ;;
  *) log "$why, although this machine can run one: the *E2E tier would be missing"; exit 1 ;;
esac
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG
# Reports of an earlier run must not pass for this one's in the summary.
rm -rf inference-app/target/surefire-reports operator/target/surefire-reports operator/target/failsafe-reports
rc=0
./mvnw -B verify "$@" || rc=$?
summary_rc=0
hack/test-summary.sh || summary_rc=$?
# A tier that left no report did not run; with no arguments (the whole suite) that is a failure.
if [ "$rc" = 0 ] && [ $# = 0 ] && [ "$summary_rc" != 0 ]; then
  log "a tier did not run"
  rc=1
fi
exit $rc
