#!/usr/bin/env bash
# Regenerates what is derived from the Helm chart and its sources, for `make deploy-manifests`:
#   charts/inference-operator/crds/   <- crds/inferenceservices.inferops.dev-v1.yml
#   charts/inference-operator/files/  <- the app's bundled model (the chart's default model)
#   deploy/inference-operator.yaml    <- the chart's rendering (CRD + templates), for kubectl
# Helm comes from the helm-java test dependency (a native Helm from Maven Central), so no helm
# binary is needed; InstallManifestsTest fails when any of these copies is stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./mvnw -B -q -pl operator test \
  -Dtest=InstallManifestsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dinferops.manifests.update=true
git status --short -- charts/ deploy/ 2>/dev/null || true
echo "rendered deploy/inference-operator.yaml from charts/inference-operator" >&2
