#!/usr/bin/env bash
# `make demo`: the product end to end on the local cluster. Brings the control plane up (the
# first run builds it from source), installs the CRD, runs the operator, applies
# examples/inference-cr.yaml, then changes the image, the replica count and the strategy while
# showing what Kubernetes does. The operator is stopped at the end; the cluster stays up for you
# to explore (`make cluster-down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

NS=${DEMO_NAMESPACE:-inference-demo}
NAME=heart
CRD=crds/inferenceservices.inferops.dev-v1.yml
JAR=operator/target/inference-operator.jar
bold=$(tput bold 2>/dev/null || true); plain=$(tput sgr0 2>/dev/null || true)

say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
explain() { printf '    %s\n' "$@"; }

show() {
  kubectl -n "$NS" get infsvc "$NAME"
  echo
  kubectl -n "$NS" get deploy,rs,pods,svc -l "app.kubernetes.io/instance=$NAME"
  kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{"status.images: "}{range .status.images[*]}{.image} ({.readyReplicas}/{.replicas} ready)  {end}{"\n"}'
}

observed_ready() {
  [ "$(kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{.status.phase}/{.status.observedGeneration}')" \
    = "Ready/$(kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{.metadata.generation}')" ]
}

# Shows the objects every 2 s, printing only what changed, until the InferenceService has
# observed the latest spec and is Ready (bounded, so a broken demo ends instead of hanging).
watch_until_ready() {
  local last="" now i done=false
  for i in $(seq 1 90); do
    observed_ready && done=true
    now=$(show 2>&1)
    if [ "$now" != "$last" ]; then
      printf '\n%s\n' "$now"
      last=$now
    fi
    $done && return 0
    sleep 2
  done
  echo "the InferenceService did not become Ready in time; operator log: $LOG" >&2
  return 1
}

say "1/7 Local Kubernetes control plane"
explain "A real kube-apiserver, controller-manager, scheduler and etcd on 127.0.0.1; kwok simulates" \
  "3 nodes and the kubelet, so pods go Running/Ready (after the app's start delay) without containers."
hack/local-cluster.sh up
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG

say "2/7 Install the InferenceService CRD"
kubectl apply --server-side -f "$CRD"
kubectl wait --for=condition=Established crd/inferenceservices.inferops.dev --timeout=60s

say "3/7 Start the operator (in this shell, against the local cluster)"
if [ ! -f "$JAR" ]; then
  explain "building the operator jar first"
  ./mvnw -q -B -pl operator -am -DskipTests package
fi
LOG=$(mktemp -t inference-operator-demo.XXXXXX.log)
OPERATOR_BIND_ADDRESS=127.0.0.1 OPERATOR_HTTP_PORT=${DEMO_OPERATOR_PORT:-18080} java -jar "$JAR" >"$LOG" 2>&1 &
OPERATOR_PID=$!
trap 'kill "$OPERATOR_PID" 2>/dev/null || true; wait "$OPERATOR_PID" 2>/dev/null || true' EXIT
explain "operator PID $OPERATOR_PID, log in $LOG"

say "4/7 Apply examples/inference-cr.yaml"
explain "One resource instead of a Deployment, probes, resources, a Service and a ConfigMap." \
  "The app starts late (startDelaySeconds), so pods are Running before they are Ready."
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" apply -f examples/inference-cr.yaml
watch_until_ready

say "5/7 Change the image: a rolling update"
explain "The operator only edits the Deployment's template; the Deployment controller replaces pods" \
  "within maxSurge/maxUnavailable. status.images shows old and new pods side by side."
kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"image":"inferops/inference-app:0.2.0"}}'
watch_until_ready

say "6/7 Scale with kubectl scale (the CRD has a scale subresource, so an HPA works too)"
kubectl -n "$NS" scale infsvc "$NAME" --replicas=5
watch_until_ready

say "7/7 Blue-green: the whole new version comes up next to the old one before any old pod goes"
kubectl -n "$NS" patch infsvc "$NAME" --type merge \
  -p '{"spec":{"image":"inferops/inference-app:0.3.0","strategy":{"type":"BlueGreen","maxSurge":null,"maxUnavailable":null}}}'
watch_until_ready

say "Events the operator recorded on the InferenceService"
kubectl -n "$NS" get events --field-selector "involvedObject.kind=InferenceService,involvedObject.name=$NAME" \
  --sort-by=.lastTimestamp | tail -n 15

say "Done"
explain "The cluster is still up:  export KUBECONFIG=$KUBECONFIG" \
  "Try: kubectl -n $NS edit infsvc $NAME   (run the operator with: make run)" \
  "Stop the cluster with: make cluster-down"
