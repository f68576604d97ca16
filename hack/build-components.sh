#!/usr/bin/env bash
# Builds the local cluster's components from their Go modules (no binary downloads):
# kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy (the real
# node), etcd, kwok, kwokctl and helm.
# The result is cached per version under $INFEROPS_CACHE (default ~/.cache/inference-operator)
# and reused. If $KUBE_BIN_DIR names a directory that already holds these binaries
# (a Kubernetes release tarball, setup-envtest, ...), it is used instead of building.
# Prints the directory holding the binaries as its last line.
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-v1.33.13}
ETCD_VERSION=${ETCD_VERSION:-v3.5.24}
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
# The Helm CLI users run, for installing the chart in the end-to-end tests.
HELM_VERSION=${HELM_VERSION:-v3.18.6}
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy etcd kwok kwokctl helm)
KUBE_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

LOG_TAG=build-components
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BIN_DIR="$CACHE/bin/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
SRC_DIR="$CACHE/src"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

has_all() {
  local dir=$1 c
  for c in "${COMPONENTS[@]}"; do [ -x "$dir/$c" ] || return 1; done
}

if [ -n "${KUBE_BIN_DIR:-}" ]; then
  if has_all "$KUBE_BIN_DIR"; then
    log "using ready binaries from KUBE_BIN_DIR=$KUBE_BIN_DIR"
    echo "$KUBE_BIN_DIR"
    exit 0
  fi
  # A release tarball or setup-envtest has the Kubernetes binaries but not kwok (nor always
  # etcd): link what it has, build only the rest.
  BIN_DIR="$CACHE/bin/from-$(printf '%s' "$KUBE_BIN_DIR" | sha256sum | cut -c1-12)-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
  mkdir -p "$BIN_DIR"
  for c in "${COMPONENTS[@]}"; do
    if [ -x "$KUBE_BIN_DIR/$c" ]; then
      ln -sfn "$KUBE_BIN_DIR/$c" "$BIN_DIR/$c"
    fi
  done
  log "using the binaries KUBE_BIN_DIR=$KUBE_BIN_DIR has; building the others into $BIN_DIR"
fi

if has_all "$BIN_DIR"; then
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null || { log "Go is required to build the cluster components"; exit 1; }
mkdir -p "$BIN_DIR" "$SRC_DIR"
log "first run: building the local cluster components into $BIN_DIR"
log "this takes a while on a cold cache (about 8-10 minutes on 2 cores); later runs reuse it"

started=$SECONDS
# Runs a build step while printing the elapsed time every 30 s, so a long cold build shows progress.
step() {
  local name=$1; shift
  local t0=$SECONDS
  log "building $name ..."
  ( while sleep 30; do log "  $name: still building, $((SECONDS - t0))s elapsed (total $((SECONDS - started))s)"; done ) &
  local ticker=$!
  local rc=0
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [ $rc -ne 0 ]; then log "$name failed"; exit $rc; fi
  log "$name done in $((SECONDS - t0))s"
}

build_kubernetes() {
  local dir="$SRC_DIR/kubernetes-$K8S_VERSION"
  mkdir -p "$dir"
  local modfile
  modfile=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  local staging=v0${K8S_VERSION#v1}
  {
    echo "module inferops.dev/local-cluster/kubernetes"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    # k8s.io/kubernetes points its staging modules at local paths that a consumer cannot use;
    # pin each to its published release instead.
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#replace \1 => \1 '"$staging"'#p' "$modfile"
  } >"$dir/go.mod"
  cat >"$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local pkg ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$dir" && go mod tidy >/dev/null 2>&1 || go mod tidy)
  local c
  for c in "${KUBE_COMPONENTS[@]}"; do
    [ -x "$BIN_DIR/$c" ] && continue
    step "$c $K8S_VERSION" bash -c "cd '$dir' && go build -trimpath -ldflags '$ldflags' -o '$BIN_DIR/' k8s.io/kubernetes/cmd/$c"
  done
}

build_etcd() {
  # etcd's server module has local replace directives, so `go install` refuses it; a wrapper
  # module that requires it builds the same main package.
  local dir="$SRC_DIR/etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<MOD
module inferops.dev/local-cluster/etcd

go 1.24

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
MOD
  cat >"$dir/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  (cd "$dir" && go mod tidy >/dev/null 2>&1 || go mod tidy)
  step "etcd $ETCD_VERSION" bash -c "cd '$dir' && go build -trimpath -ldflags '-s -w' -o '$BIN_DIR/etcd' go.etcd.io/etcd/server/v3"
}

build_kwok() {
  local c
  for c in kwok kwokctl; do
    [ -x "$BIN_DIR/$c" ] && continue
    step "$c $KWOK_VERSION" env GOBIN="$BIN_DIR" go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/$c@$KWOK_VERSION"
  done
}

build_helm() {
  step "helm $HELM_VERSION" env GOBIN="$BIN_DIR" go install -trimpath -ldflags '-s -w' "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

[ -x "$BIN_DIR/kwok" ] && [ -x "$BIN_DIR/kwokctl" ] || build_kwok
[ -x "$BIN_DIR/helm" ] || build_helm
[ -x "$BIN_DIR/etcd" ] || build_etcd
for c in "${KUBE_COMPONENTS[@]}"; do
  [ -x "$BIN_DIR/$c" ] || { build_kubernetes; break; }
done
has_all "$BIN_DIR" || { log "some components are missing in $BIN_DIR"; exit 1; }
log "all components ready in $((SECONDS - started))s"
echo "$BIN_DIR"
