#!/usr/bin/env bash
# The kind workflow for users with Docker and kind (the local test cluster of this repository
# simulates nodes and never runs containers, so this is where the images really run).
#
#   hack/kind.sh up        create the kind cluster (harmless when it exists)
#   hack/kind.sh load      load both images into it (build them first: make images)
#   hack/kind.sh deploy    install the operator: Helm chart when helm is on PATH, else deploy/
#   hack/kind.sh undeploy  remove what deploy installed (the CRD too, with its resources)
#
# KIND_CLUSTER, OPERATOR_IMAGE, APP_IMAGE, NAMESPACE and RELEASE override the defaults; HELM_ARGS
# adds Helm flags, e.g. HELM_ARGS="--set inferenceService.enabled=true".
set -euo pipefail

LOG_TAG=kind
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT=$REPO_ROOT
KIND_CLUSTER=${KIND_CLUSTER:-inferops}
OPERATOR_IMAGE=${OPERATOR_IMAGE:-inferops/inference-operator:0.1.0}
APP_IMAGE=${APP_IMAGE:-inferops/inference-app:0.1.0}
NAMESPACE=${NAMESPACE:-inferops-system}
RELEASE=${RELEASE:-inference-operator}
CHART="$ROOT/charts/inference-operator"
MANIFESTS="$ROOT/deploy/inference-operator.yaml"
CRD_NAME=inferenceservices.inferops.dev

need() { command -v "$1" >/dev/null 2>&1 || { log "$1 is not on PATH"; exit 1; }; }

up() {
  need kind
  if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; then
    log "kind cluster '$KIND_CLUSTER' already exists"
  else
    kind create cluster --name "$KIND_CLUSTER" --wait 120s
  fi
  kubectl config use-context "kind-$KIND_CLUSTER" >/dev/null
}

load() {
  need kind
  need docker
  local image
  for image in "$OPERATOR_IMAGE" "$APP_IMAGE"; do
    docker image inspect "$image" >/dev/null 2>&1 || { log "image $image not found: run make images"; exit 1; }
    kind load docker-image --name "$KIND_CLUSTER" "$image"
  done
}

# Images loaded into kind are never pulled, so the pull policy must not be Always.
deploy() {
  need kubectl
  if command -v helm >/dev/null 2>&1; then
    log "helm upgrade --install $RELEASE ($CHART) into namespace $NAMESPACE"
    # shellcheck disable=SC2086
    helm upgrade --install "$RELEASE" "$CHART" --namespace "$NAMESPACE" --create-namespace \
      --set image.repository="${OPERATOR_IMAGE%:*}" --set image.tag="${OPERATOR_IMAGE##*:}" \
      --wait --timeout 3m ${HELM_ARGS:-}
  else
    log "helm is not on PATH: kubectl apply -f deploy/inference-operator.yaml"
    kubectl apply --server-side -f "$MANIFESTS"
    kubectl -n "$NAMESPACE" rollout status deployment/"$RELEASE" --timeout 3m
  fi
  kubectl -n "$NAMESPACE" get deployment,pods -l app.kubernetes.io/name=inference-operator
}

undeploy() {
  need kubectl
  # InferenceServices first: the garbage collector then removes the objects they own.
  kubectl delete inferenceservices --all --all-namespaces --ignore-not-found --wait --timeout 2m || true
  if command -v helm >/dev/null 2>&1 && helm status "$RELEASE" --namespace "$NAMESPACE" >/dev/null 2>&1; then
    helm uninstall "$RELEASE" --namespace "$NAMESPACE" --wait
    # Helm never deletes CRDs from a chart's crds/ folder.
    kubectl delete crd "$CRD_NAME" --ignore-not-found
    kubectl delete namespace "$NAMESPACE" --ignore-not-found
  else
    kubectl delete -f "$MANIFESTS" --ignore-not-found
  fi
}

case "${1:-}" in
  up) up ;;
  load) load ;;
  deploy) deploy ;;
  undeploy) undeploy ;;
  *) echo "usage: $0 up|load|deploy|undeploy" >&2; exit 2 ;;
esac
