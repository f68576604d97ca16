#!/usr/bin/env bash
# `make demo`: the product end to end on the local cluster. Brings the control plane up (the
# first run builds it from source), builds the images and loads them into the real node,
# installs the CRD, runs the operator, applies examples/inference-cr.yaml on real pods, calls
# /predict through the Service, then changes the image (showing which version answers), the
# replica count and the strategy, shows a crash and restart, and serves a user's ONNX model. Without a real node (REAL_NODE=0
# or a machine that cannot run one) the same runs on simulated pods. The operator is stopped at the end; the cluster stays up for you
# to explore (`make cluster-down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=demo
source hack/lib.sh

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

# A step that did not happen ends the demo with the operator's last words: a broken demo fails.
fail_demo() {
  kubectl -n "$NS" get infsvc,pods -o wide >&2 || true
  echo "--- last lines of the operator's log ($LOG):" >&2
  tail -n 20 "$LOG" >&2 || true
  exit 1
}

PATIENT='{"age":63,"sex":1,"cp":3,"trestbps":145,"chol":233,"fbs":1,"restecg":0,"thalach":150,"exang":0,"oldpeak":2.3,"slope":0,"ca":0,"thal":1}'

# On the real node the example's pods tolerate its taint, select it, and use the loaded images.
place_on_real_node() {
  if $REAL; then
    kubectl patch --local -f - --type merge -o json -p '{"spec":{"imagePullPolicy":"Never","nodeSelector":{"inferops.dev/real-node":"true"},"tolerations":[{"key":"inferops.dev/real-node","operator":"Equal","value":"true","effect":"NoSchedule"}]}}'
  else
    cat
  fi
}

apply_example() {
  kubectl -n "$NS" create --dry-run=client -o json -f "$1" | place_on_real_node | kubectl -n "$NS" apply -f -
}

# Predictions in a loop from this host through the Service, one line a second: which app
# version answered how often, and how many requests failed. Bounded: at most 3 minutes.
start_traffic() {
  (
    end=$((SECONDS + 180))
    while ((SECONDS < end)); do
      line=$(for _ in $(seq 1 10); do
        curl -s -m 2 -o /dev/null -D - "http://$IP:$PORT/predict" -d "$PATIENT" 2>/dev/null \
          | tr -d '\r' | sed -n 's/^[Xx]-[Aa]pp-[Vv]ersion: //p' | grep . || echo FAILED
        sleep 0.1
      done | sort | uniq -c | awk '{printf "%s x%s  ", $2, $1}')
      printf '    [traffic] %s answered: %s\n' "$(date +%T)" "$line"
    done
  ) &
  TRAFFIC_PID=$!
}

# wait_for silences what it polls: progress goes to the terminal through fd 3, once per change.
exec 3>&1
LAST_LINE=""
print_if_changed() {
  local line
  line=$("$1")
  [ "$line" = "$LAST_LINE" ] || printf '%s\n' "$line" >&3
  LAST_LINE=$line
}

stop_traffic() {
  if [ -n "$TRAFFIC_PID" ]; then
    kill "$TRAFFIC_PID" 2>/dev/null || true
    wait "$TRAFFIC_PID" 2>/dev/null || true
    TRAFFIC_PID=""
  fi
}

# Everything the demo needs from Debian, once, before anything is built: the network guard, the
# real node and the images. Without root they cannot be installed, and the demo runs on
# simulated pods only; as root a failed install is an error.
if ! why=$(hack/ensure-packages.sh --for "make demo" \
  --without "the demo runs on simulated pods only (no real node, no images)" network node images); then
  log "$why"
  is_root && exit 1
fi

say "1/10 Local Kubernetes control plane"
explain "A real kube-apiserver, controller-manager, scheduler and etcd on 127.0.0.1; kwok simulates" \
  "3 nodes, and one real node (containerd, kubelet, kube-proxy) runs real containers."
hack/local-cluster.sh up
KUBECONFIG=$(hack/local-cluster.sh kubeconfig | tail -n 1)
export KUBECONFIG
REAL=false
rc=0
REAL_NODE_STATE=$(hack/local-cluster.sh real-node) || rc=$?
case $rc in
  0) REAL=true ;;
  2) ;;
  *) log "$REAL_NODE_STATE (this machine can run one: see the cluster's log above)"; exit 1 ;;
esac

say "2/10 Install the InferenceService CRD"
kubectl apply --server-side --force-conflicts -f "$CRD"
kubectl wait --for=condition=Established crd/inferenceservices.inferops.dev --timeout=60s

say "3/10 Images"
if $REAL; then
  explain "Both images built from their Dockerfiles by buildah (no Docker), loaded into the real node." \
    "The first run also makes the JRE base image from Debian packages (about 1-2 minutes)."
  hack/images-local.sh
else
  explain "$REAL_NODE_STATE: the pods are simulated by kwok, no image is pulled or run."
fi

say "4/10 Start the operator (in this shell, against the local cluster)"
if [ ! -f "$JAR" ]; then
  explain "building the operator jar first"
  ./mvnw -q -B -pl operator -am -DskipTests package
fi
LOG=$(mktemp -t inference-operator-demo.XXXXXX.log)
# With the real node the smoke test's requests reach real pods (the network guard keeps anything
# else on this machine); on simulated pods the operator must not send them.
# The canary's metrics are read through the API server's pod proxy, as under make run.
SMOKE=never
METRICS=never
$REAL && SMOKE=always && METRICS=apiserver
CANARY_METRICS_READS=$METRICS SMOKE_TEST_REQUESTS=$SMOKE OPERATOR_BIND_ADDRESS=127.0.0.1 OPERATOR_HTTP_PORT=${DEMO_OPERATOR_PORT:-18080} java -jar "$JAR" >"$LOG" 2>&1 &
OPERATOR_PID=$!
TRAFFIC_PID=""
trap 'stop_traffic; kill "$OPERATOR_PID" 2>/dev/null || true; wait "$OPERATOR_PID" 2>/dev/null || true' EXIT
explain "operator PID $OPERATOR_PID, log in $LOG"

say "5/10 Apply examples/inference-cr.yaml"
explain "One resource instead of a Deployment, probes, resources, a Service and a ConfigMap." \
  "The app starts late (startDelaySeconds: 5): pods are Running but not Ready (0/1) until it answers /ready."
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# A second run starts from scratch: what an earlier one left (say blue-green settings) is gone.
kubectl -n "$NS" delete infsvc --all --cascade=foreground --timeout=90s
apply_example examples/inference-cr.yaml
watch_until_ready

if $REAL; then
  say "6/10 Predictions from the real pods, through the Service's ClusterIP (kube-proxy)"
  IP=$(kubectl -n "$NS" get svc "$NAME" -o jsonpath='{.spec.clusterIP}')
  PORT=$(kubectl -n "$NS" get svc "$NAME" -o jsonpath='{.spec.ports[0].port}')
  for patient in "$PATIENT" "${PATIENT/\"cp\":3/\"cp\":0}" "${PATIENT/\"chol\":233/\"chol\":900}"; do
    printf '    POST /predict %s\n    -> ' "$patient"
    curl -s -m 3 -w '  (HTTP %{http_code})\n' "http://$IP:$PORT/predict" -d "$patient"
  done
fi

say "7/10 Change the image: a rolling update (maxSurge 1, maxUnavailable 0)"
explain "The operator only edits the Deployment's template; the Deployment controller replaces pods" \
  "one at a time. status.images shows old and new pods side by side."
$REAL && start_traffic
kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"image":"inferops/inference-app:0.2.0"}}'
watch_until_ready
$REAL && stop_traffic

say "8/10 A stuck update, rolled back (strategy.autoRollback)"
explain "This change asks for a node label no node has: the new pod stays Pending (Unschedulable)." \
  "After progressDeadlineSeconds (15 here) the operator puts the last fully available template back;" \
  "the old pods never stopped serving. Degraded says why, until the spec changes."
$REAL && start_traffic
kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"nodeSelector":{"inferops.dev/no-such-node":"true"},"strategy":{"autoRollback":true,"progressDeadlineSeconds":15}}}'
rolled_back() { [ -n "$(kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{.status.rollingUpdate.rolledBackAt}')" ]; }
POLL=2 wait_for "the stuck update to be rolled back" 90 rolled_back || fail_demo
kubectl -n "$NS" get infsvc "$NAME"
kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{"    "}{range .status.conditions[?(@.type=="Degraded")]}{.reason}: {.message}{end}{"\n"}'
kubectl -n "$NS" get deploy "$NAME" -o jsonpath='{"    the Deployment selects nodes by: "}{.spec.template.spec.nodeSelector}{"\n"}'
explain "" "Fix the spec (drop the label) and it is Ready again:"
kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"nodeSelector":{"inferops.dev/no-such-node":null}}}'
watch_until_ready
$REAL && stop_traffic

say "9/10 Scale with kubectl scale (the CRD has a scale subresource, so an HPA works too)"
kubectl -n "$NS" scale infsvc "$NAME" --replicas=4
watch_until_ready

say "10/10 Blue-green: a second version next to the active one, checked, then one switch"
explain "strategy BlueGreen runs one Deployment per revision: the Service $NAME selects the active one," \
  "$NAME-preview the new one. Promotion waits for all new pods Ready, the preview's endpoints, and a" \
  "smoke prediction through the preview Service; here it then waits for you (autoPromotionEnabled: false)."
kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"strategy":{"type":"BlueGreen","maxSurge":null,"maxUnavailable":null,"autoRollback":null,"progressDeadlineSeconds":null,"blueGreen":{"autoPromotionEnabled":false,"scaleDownDelaySeconds":30}}}}'
watch_until_ready
explain "" "Now another image (0.1.0 again): it comes up as the preview, the active Service stays on 0.2.0."
$REAL && start_traffic
kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"image":"inferops/inference-app:0.1.0"}}'
paused() { [ "$(kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{.status.rollout.phase}')" = Paused ]; }
POLL=2 wait_for "the preview to pass its checks and pause for promotion" 180 paused || fail_demo
kubectl -n "$NS" get infsvc "$NAME"
kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{"    rollout: "}{.status.rollout.phase} ({.status.rollout.reason}): {.status.rollout.message}{"\n    smoke test: passed="}{.status.rollout.smokeTest.passed} {.status.rollout.smokeTest.message}{"\n"}'
kubectl -n "$NS" get svc "$NAME" "$NAME-preview" -o 'custom-columns=SERVICE:.metadata.name,SELECTS-REVISION:.spec.selector.inferops\.dev/revision'
explain "" "Promote with one command (abort: inferops.dev/abort=true; afterwards, back: inferops.dev/rollback=true):" \
  "  kubectl annotate infsvc $NAME inferops.dev/promote=true"
kubectl -n "$NS" annotate infsvc "$NAME" inferops.dev/promote=true
watch_until_ready
kubectl -n "$NS" get svc "$NAME" "$NAME-preview" -o 'custom-columns=SERVICE:.metadata.name,SELECTS-REVISION:.spec.selector.inferops\.dev/revision'
$REAL && stop_traffic

if $REAL; then
  say "Canary: the new version gets 25 % then 50 % of the pods, each step judged from the pods' own metrics"
  explain "strategy Canary runs the stable and the new version behind the one Service $NAME: the share of" \
    "traffic follows the share of ready pods. During each pause the operator reads every pod's /metrics" \
    "and compares the canary's error rate and p95 latency with the stable version's; no Prometheus, no mesh."
  kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"strategy":{"type":"Canary","blueGreen":null,"canary":{"steps":[{"setWeight":25},{"pause":{"seconds":20}},{"setWeight":50},{"pause":{"seconds":20}}],"analysis":{"intervalSeconds":5,"minRequests":20}}}}}'
  watch_until_ready
  canary_line() {
    kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{"    "}{.status.rollout.phase} ({.status.rollout.reason}): {.status.rollout.canary.weightMessage}{"\n"}'
  }
  canary_over() {
    print_if_changed canary_line
    local state
    state=$(kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{.metadata.generation}/{.status.observedGeneration}/{.status.rollout.phase}')
    # Only a status written for the edited spec counts.
    [ "${state%%/*}" = "$(cut -d/ -f2 <<<"$state")" ] || return 1
    [ "${state##*/}" = Healthy ] || [ "${state##*/}" = Degraded ]
  }
  start_traffic
  explain "" "Image 0.2.0 as a canary:"
  kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"image":"inferops/inference-app:0.2.0"}}'
  POLL=5 wait_for "the canary to step through 25 % and 50 % and be promoted" 240 canary_over || fail_demo
  kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{range .status.rollout.canary.analyses[*]}{"    step "}{.step}{": "}{.verdict}{", "}{.message}{"\n"}{end}'
  watch_until_ready
  stop_traffic
  start_traffic
  explain "" "A bad canary: image 0.1.0 with the app's fault knob answering half its predictions with 500."
  kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"image":"inferops/inference-app:0.1.0","env":[{"name":"FAULT_INJECTION_ERROR_FRACTION","value":"0.5"}]}}'
  POLL=5 wait_for "the bad canary to be aborted (by its smoke test or the analysis)" 180 canary_over || fail_demo
  kubectl -n "$NS" get infsvc "$NAME" -o jsonpath='{"    "}{.status.rollout.reason}{": "}{.status.rollout.message}{"\n"}'
  explain "" "The stable version has every replica back; fix the spec and it is Ready again:"
  kubectl -n "$NS" patch infsvc "$NAME" --type merge -p '{"spec":{"image":"inferops/inference-app:0.2.0","env":null}}'
  watch_until_ready
  stop_traffic
fi

if $REAL; then
  say "A crash and a restart: examples/probes-crash.yaml (liveness fails after crashAfterSeconds)"
  explain "The app's /health turns 500 after 60 s; here after 12 s. The kubelet's liveness probe fails," \
    "it restarts the container, RESTARTS grows."
  kubectl -n "$NS" create --dry-run=client -o json -f examples/probes-crash.yaml \
    | kubectl patch --local -f - --type merge -o json -p '{"spec":{"replicas":1,"app":{"crashAfterSeconds":12}}}' \
    | place_on_real_node | kubectl -n "$NS" apply -f -
  restarted() {
    local restarts
    restarts=$(kubectl -n "$NS" get pods -l app.kubernetes.io/instance=heart-probes -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}' 2>/dev/null || true)
    [ "${restarts:-0}" -ge 1 ]
  }
  POLL=2 wait_for "the kubelet to restart the crashing container" 120 restarted || fail_demo
  kubectl -n "$NS" get pods -l app.kubernetes.io/instance=heart-probes
  kubectl -n "$NS" get events --field-selector reason=Killing -o custom-columns=OBJECT:.involvedObject.name,MESSAGE:.message | tail -n 3
fi

if $REAL; then
  say "Your own model: an ONNX model exported from scikit-learn, served next to the heart model"
  explain "Put the file in a ConfigMap (or a claim, or a URL with its sha256) and name it in spec.model;" \
    "the app reads the model's inputs and outputs from the graph and serves it on every protocol."
  ONNX=inference-app/src/test/resources/onnx/heart-logreg.onnx
  kubectl -n "$NS" create configmap heart-onnx --from-file=model.onnx="$ONNX" --dry-run=client -o yaml \
    | kubectl -n "$NS" apply -f -
  printf '%s\n' 'apiVersion: inferops.dev/v1alpha1' 'kind: InferenceService' 'metadata: {name: heart-onnx}' \
    'spec: {image: "inferops/inference-app:0.1.0", replicas: 1, model: {configMapName: heart-onnx, key: model.onnx}}' \
    | kubectl -n "$NS" create --dry-run=client -o json -f - | place_on_real_node | kubectl -n "$NS" apply -f -
  onnx_ready() { [ "$(kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{.status.phase}')" = Ready ]; }
  POLL=2 wait_for "the ONNX model's pod to be Ready" 120 onnx_ready || fail_demo
  kubectl -n "$NS" get infsvc
  kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{"    status.model: "}{.status.model.source}, {.status.model.digest}{"\n"}'
  printf '    sha256sum of the file: %s\n' "$(sha256sum "$ONNX" | cut -d' ' -f1)"
  OIP=$(kubectl -n "$NS" get svc heart-onnx -o jsonpath='{.spec.clusterIP}')
  OPORT=$(kubectl -n "$NS" get svc heart-onnx -o jsonpath='{.spec.ports[0].port}')
  printf '    GET /v2/models/heart-logreg\n    -> '
  curl -s -m 3 "http://$OIP:$OPORT/v2/models/heart-logreg"; echo
  printf '    POST /predict %s\n    -> ' "$PATIENT"
  curl -s -m 3 -w '  (HTTP %{http_code})\n' "http://$OIP:$OPORT/predict" -d "$PATIENT"
  printf '    the heart model on the same patient\n    -> '
  curl -s -m 3 -w '  (HTTP %{http_code})\n' "http://$IP:$PORT/predict" -d "$PATIENT"
fi

if $REAL; then
  say "Shadow before promotion: the live pods copy real requests to the new model and compare answers"
  explain "blueGreen.shadow: once a new version passed its smoke test, the live pods copy the predictions" \
    "they answer to it (sampleRate 1: all) and compare labels; promotion needs 95 % of 100 compared" \
    "answers to agree. The live pods learn where to copy from the ConfigMap heart-onnx-shadow, at run" \
    "time: starting and stopping the shadow restarts nobody."
  kubectl -n "$NS" patch infsvc heart-onnx --type merge -p '{"spec":{"strategy":{"type":"BlueGreen","blueGreen":{"scaleDownDelaySeconds":5,"shadow":{"sampleRate":1,"minComparisons":100,"minAgreement":0.95,"probabilityTolerance":1}}}}}'
  bluegreen_ready() {
    [ "$(kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{.status.phase}/{.status.rollout.phase}')" = Ready/Healthy ]
  }
  POLL=2 wait_for "heart-onnx to run blue-green with the shadow settings mounted" 180 bluegreen_ready || fail_demo
  LIVE=$(kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{.status.rollout.activeRevision}')
  live_pods() {
    kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=heart-onnx,inferops.dev/revision=$LIVE" \
      -o jsonpath='{range .items[*]}{.metadata.name}{" restarts="}{.status.containerStatuses[0].restartCount}{"  "}{end}'
  }
  LIVE_BEFORE=$(live_pods)
  explain "" "Traffic: every heart row of the model's oracle in turn, through the Service heart-onnx."
  ORACLE=inference-app/src/test/resources/onnx/heart-logreg.oracle.json
  (
    end=$((SECONDS + 300)) sent=0 failed=0
    while ((SECONDS < end)); do
      # The inputs are the oracle's arrays of 13 numbers; its probabilities have 2.
      while IFS= read -r row && ((SECONDS < end)); do
        code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$OIP:$OPORT/predict" -d "{\"instances\":[$row]}")
        sent=$((sent + 1))
        [ "$code" = 200 ] || failed=$((failed + 1))
        ((sent % 200)) || printf '    [traffic] %s: %d requests, %d failed\n' "$(date +%T)" "$sent" "$failed"
      done < <(grep -o '\[[-0-9.eE, ]*\]' "$ORACLE" | awk -F, 'NF == 13')
    done
  ) &
  TRAFFIC_PID=$!
  explain "" "Now the random forest from the same data: it gives the live model's label on about 91 % of rows."
  kubectl -n "$NS" create configmap heart-onnx --from-file=model.onnx=inference-app/src/test/resources/onnx/heart-forest.onnx \
    --dry-run=client -o yaml | kubectl -n "$NS" apply -f -
  shadow_line() {
    kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{"    "}{.status.rollout.phase} ({.status.rollout.reason}): {.status.rollout.shadow.message}{"\n"}'
  }
  shadow_over() {
    print_if_changed shadow_line
    [ "$(kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{.status.rollout.phase}')" = Degraded ]
  }
  POLL=5 wait_for "the shadow to compare 100 answers and decide" 300 shadow_over || fail_demo
  stop_traffic
  kubectl -n "$NS" get infsvc heart-onnx -o jsonpath='{"    "}{.status.rollout.reason}{": "}{.status.rollout.message}{"\n"}'
  explain "" "The live pods, before and after the shadow (same names, no restart):" \
    "  before: $LIVE_BEFORE" "  after:  $(live_pods)"
fi

say "Events the operator recorded on the InferenceService"
kubectl -n "$NS" get events --field-selector "involvedObject.kind=InferenceService,involvedObject.name=$NAME" \
  --sort-by=.lastTimestamp | tail -n 15

say "Done"
explain "The cluster is still up:  export KUBECONFIG=$KUBECONFIG" \
  "Try: kubectl -n $NS edit infsvc $NAME   (run the operator with: make run)" \
  "Stop the cluster with: make cluster-down"
