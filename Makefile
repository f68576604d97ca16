# inference-operator: `make demo` shows it working, `make test` runs every test.
SHELL := /bin/bash
MVN := ./mvnw -B
APP_JAR := inference-app/target/inference-app.jar
OPERATOR_JAR := operator/target/inference-operator.jar
MODELS_VENV := $(HOME)/.cache/inference-operator/models-venv

.PHONY: help build test fmt generate crds run demo app-run app-image bench-app bench-models bench-operator images images-local models \
	cluster-up cluster-down cluster-status kind-up kind-load deploy undeploy

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

build: ## build both jars (no tests)
	$(MVN) -DskipTests package

test: ## every test: unit, HTTP, and integration tests on the local cluster
	hack/test.sh

fmt: ## format the Java sources (google-java-format)
	$(MVN) spotless:apply

generate: ## write every generated file: crds/, the chart's CRD and model copies, deploy/
	$(MVN) -q -pl operator -Pgenerate process-test-classes
	@git status --short -- crds/ charts/ deploy/ 2>/dev/null || true

crds: generate ## the same as make generate

run: ## install the CRD and run the operator against the current kubeconfig (WATCH_NAMESPACES limits it)
	@test -f $(OPERATOR_JAR) || $(MVN) -q -pl operator -DskipTests package
	kubectl apply --server-side --force-conflicts -f crds/
	OPERATOR_BIND_ADDRESS=$${OPERATOR_BIND_ADDRESS:-127.0.0.1} java -jar $(OPERATOR_JAR)

demo: ## the product end to end on the local cluster
	hack/demo.sh

app-run: ## run the model server on :8000
	@test -f $(APP_JAR) || $(MVN) -q -pl inference-app -DskipTests package
	java -jar $(APP_JAR)

app-image: build ## docker build of the model server image
	docker build -f inference-app/Dockerfile -t inferops/inference-app:0.1.0 .

images: app-image ## docker build of both images (from the jars `make build` makes)
	docker build -f operator/Dockerfile -t inferops/inference-operator:0.1.0 .

images-local: ## build both images without Docker (buildah) and load them into the local cluster's real node
	hack/images-local.sh

models: ## re-export the test ONNX models and oracles from heart.csv (HEART_CSV=path, default ../shared/data/heart.csv)
	@test -x $(MODELS_VENV)/bin/python || python3 -m venv $(MODELS_VENV)
	$(MODELS_VENV)/bin/pip install -q -r models/requirements.txt
	$(MODELS_VENV)/bin/python models/export.py $(HEART_CSV)

bench-app: ## benchmark /predict (needs wrk); prints the figures (docs/benchmarks.md keeps past ones)
	hack/bench-app.sh

bench-models: ## benchmark serving an ONNX model: the app vs MLServer vs ONNX Runtime in-process (needs wrk; a few minutes)
	hack/bench-models.sh

bench-operator: ## benchmark the operator on the local cluster; prints the figures
	hack/bench-operator.sh

cluster-up: ## start the local Kubernetes control plane (first run builds it from source)
	hack/local-cluster.sh up

cluster-down: ## stop the local cluster and remove its state
	hack/local-cluster.sh down

cluster-status: ## exit 0 when the local cluster is up
	hack/local-cluster.sh status

kind-up: ## create the kind cluster 'inferops' (needs Docker and kind)
	hack/kind.sh up

kind-load: ## load both images into kind
	hack/kind.sh load

deploy: ## install CRD, RBAC and operator (Helm if on PATH, else deploy/inference-operator.yaml)
	hack/kind.sh deploy

undeploy: ## remove them
	hack/kind.sh undeploy
