#!/usr/bin/env bash
# `make images-local`: builds both images from their Dockerfiles without Docker (buildah, no
# daemon, nothing pulled) and loads them into the local cluster's real node.
#
#   hack/images-local.sh            build the jars, the images, load them
#   hack/images-local.sh if-real-node   images and load only when the real node is up (make test)
#   hack/images-local.sh build      only build the images (archives under the cache)
#   hack/images-local.sh load       import the built archives into the real node's containerd
#   hack/images-local.sh pack-binary FILE IMAGE OUT   one static binary as an image (the pause image)
#
# The Dockerfiles' base, eclipse-temurin:17-jre, cannot be pulled here: a stand-in with the same
# name is made once from Debian's packages (debootstrap + openjdk-17-jre-headless) and cached.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=images-local
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
IMAGES=$CACHE/images
APP_IMAGE=inferops/inference-app
OPERATOR_IMAGE=inferops/inference-operator:0.1.0
# Two app versions with the same code: rollouts in the tests and the demo can tell them apart
# (the app reports APP_VERSION in every answer).
APP_VERSIONS=(0.1.0 0.2.0)
BASE_IMAGE=docker.io/library/eclipse-temurin:17-jre
SUITE=bookworm

mkdir -p "$IMAGES"
# Own storage (vfs: no overlay mounts left behind) and registry settings, so nothing of the
# machine's container-tools configuration is used or changed.
cat >"$IMAGES/registries.conf" <<'CONF'
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
CONF
export CONTAINERS_REGISTRIES_CONF=$IMAGES/registries.conf
bah() { buildah --root "$IMAGES/storage" --runroot "$IMAGES/run" --storage-driver vfs "$@"; }

has_image() { bah images --quiet "$1" >/dev/null 2>&1; }

# The first Debian mirror apt uses for packages, so debootstrap reads from where apt does.
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v security | head -1)
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | awk '{print $2}' | head -1)
  echo "$uri"
}

base_image() {
  has_image "$BASE_IMAGE" && return 0
  local t0=$SECONDS rootfs="$IMAGES/jre-rootfs"
  log "first run: making the JRE base image from Debian packages (about 1-2 minutes)"
  rm -rf "$rootfs"
  local mirror
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || { log "no Debian mirror found in the apt sources"; exit 1; }
  debootstrap --variant=minbase --include=openjdk-17-jre-headless "$SUITE" "$rootfs" "$mirror" \
    >"$IMAGES/debootstrap.log" 2>&1 || { tail -20 "$IMAGES/debootstrap.log" >&2; exit 1; }
  # debootstrap may leave its own mounts inside the target.
  { awk '{print $5}' /proc/self/mountinfo | grep -E "^$rootfs/" || true; } | sort -r | xargs -r -n1 umount -l
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*
  tar -C "$rootfs" -cf "$IMAGES/jre-rootfs.tar" .
  rm -rf "$rootfs"
  local c
  c=$(bah from scratch)
  bah add "$c" "$IMAGES/jre-rootfs.tar" / >/dev/null
  bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 --label org.opencontainers.image.description="Debian $SUITE + openjdk-17-jre-headless, a local stand-in for $BASE_IMAGE" "$c"
  bah commit --quiet --rm "$c" "$BASE_IMAGE" >/dev/null
  rm -f "$IMAGES/jre-rootfs.tar"
  log "JRE base image ready in $((SECONDS - t0))s"
}

jars() {
  log "building the jars"
  ./mvnw -B -q -DskipTests package
}

archive() { echo "$IMAGES/$(echo "$1" | tr '/:' '__').tar"; }

push_archive() {
  local image=$1 out
  out=$(archive "$image")
  rm -f "$out"
  bah push --quiet "$image" "docker-archive:$out:docker.io/$image" >/dev/null
}

# What the images are made with, installed when missing (a new machine has neither).
ensure_tools() {
  local why
  why=$(hack/ensure-packages.sh --for "the images" images) || { log "$why"; exit 1; }
}

# Builds a Dockerfile from the local images only. The RUN steps need no network (the app's
# self-check talks to itself on loopback); with one, buildah's network backend would leave its
# own iptables chains on the machine.
bud() { bah bud --quiet --pull=never --network=none "$@" . >/dev/null; }

build() {
  ensure_tools
  base_image
  local t0=$SECONDS v
  for v in "${APP_VERSIONS[@]}"; do
    bud --build-arg "APP_VERSION=$v" -f inference-app/Dockerfile -t "$APP_IMAGE:$v"
    push_archive "$APP_IMAGE:$v"
  done
  bud -f operator/Dockerfile -t "$OPERATOR_IMAGE"
  push_archive "$OPERATOR_IMAGE"
  log "built ${APP_VERSIONS[*]/#/$APP_IMAGE:} $OPERATOR_IMAGE in $((SECONDS - t0))s"
}

load() {
  local sock=/run/inferops-node/containerd.sock image
  [ -S "$sock" ] || { log "no real node is running (hack/local-cluster.sh up starts one): not loading"; return 0; }
  for image in "${APP_VERSIONS[@]/#/$APP_IMAGE:}" "$OPERATOR_IMAGE"; do
    ctr -a "$sock" -n k8s.io images import "$(archive "$image")" >/dev/null
    # Pinned: the kubelet never garbage-collects an image that cannot be pulled again.
    ctr -a "$sock" -n k8s.io images label "docker.io/$image" io.cri-containerd.pinned=pinned >/dev/null
  done
  log "loaded into the real node: ${APP_VERSIONS[*]/#/$APP_IMAGE:} $OPERATOR_IMAGE"
}

pack_binary() {
  local file=$1 image=$2 out=$3 c
  ensure_tools
  c=$(bah from scratch)
  bah copy --chmod 0755 "$c" "$file" "/$(basename "$file")" >/dev/null
  bah config --entrypoint "[\"/$(basename "$file")\"]" --user 65535:65535 "$c"
  bah commit --quiet --rm "$c" "$image" >/dev/null
  rm -f "$out"
  bah push --quiet "$image" "docker-archive:$out:$image" >/dev/null
}

case "${1:-all}" in
  all) jars; build; load ;;
  if-real-node)
    # From the Maven build, before the *E2E tier: the jars were just packaged.
    if why=$(hack/local-cluster.sh real-node); then build; load; else log "$why: not building images"; fi ;;
  build) build ;;
  load) load ;;
  pack-binary) pack_binary "$2" "$3" "$4" ;;
  *) echo "usage: $0 [all|build|load|pack-binary FILE IMAGE OUT]" >&2; exit 2 ;;
esac
