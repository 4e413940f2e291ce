#!/usr/bin/env bash
# Builds the test node image FROM scratch with Debian's static busybox (no registry needed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp -r "$here/../test-support/image/." "$ctx/"
cp /bin/busybox "$ctx/busybox"
DOCKER_BUILDKIT=0 docker build -q -t clab-publisher-test-node:latest "$ctx" >/dev/null
echo "setup: image clab-publisher-test-node:latest built"
