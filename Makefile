# inference-operator: `make demo` shows it working, `make test` runs every test.
SHELL := /bin/bash
MVN := ./mvnw -B
APP_JAR := inference-app/target/inference-app.jar
OPERATOR_JAR := operator/target/inference-operator.jar
KUBECONFIG_LOCAL = $(shell hack/local-cluster.sh kubeconfig | tail -n 1)

.PHONY: help build test fmt crds app-run app-image bench-app run cluster-up cluster-down cluster-status

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

build: ## compile, unit-test-free package of both modules
	$(MVN) -DskipTests package

test: ## every test: unit, HTTP, and integration tests on the local cluster
	hack/test.sh

fmt: ## format the Java sources (google-java-format)
	$(MVN) spotless:apply

app-run: ## run the model server on :8000
	@test -f $(APP_JAR) || $(MVN) -q -pl inference-app -DskipTests package
	java -jar $(APP_JAR)

app-image: ## docker build of the model server image
	docker build -f inference-app/Dockerfile -t inferops/inference-app:0.1.0 .

bench-app: ## benchmark /predict (needs wrk); figures go to docs/benchmarks.md
	hack/bench-app.sh

cluster-up: ## start the local Kubernetes control plane (first run builds it from source)
	hack/local-cluster.sh up

cluster-down: ## stop the local cluster and remove its state
	hack/local-cluster.sh down

cluster-status: ## exit 0 when the local cluster is up
	hack/local-cluster.sh status
