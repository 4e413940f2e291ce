#!/usr/bin/env bash
# Builds a real Debian lab node image from Debian's own packages (no image registry needed):
# debootstrap minbase + openssh-server (SSH, NETCONF-style subsystems), snmpd (SNMP over UDP),
# rsyslog (a syslog listener on UDP 514) and netcat-openbsd (UDP echo). Used by the tests that
# need real servers inside a node: shares over OpenSSH, the browser terminal, UDP publishing.
# About 80-120 s and 300 MB; skipped when the image already exists (build once per machine/CI run).
set -euo pipefail
IMAGE=${CLAB_DEBIAN_NODE_IMAGE:-clab-publisher-debian-node:latest}
if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  echo "setup: image $IMAGE already built"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "setup: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
# The mirror this machine's apt uses (the only one reachable here).
mirror=$(grep -hoE '^URIs: *http[^ ]*debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | awk '{print $2}')
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +http[^ ]*debian/? ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}')
mirror=${mirror:-http://deb.debian.org/debian}
root=$(mktemp -d /var/tmp/clab-debian-node.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "setup: debootstrap bookworm from $mirror (about 2 min)"
debootstrap --variant=minbase --include=openssh-server,snmpd,rsyslog,netcat-openbsd,iproute2 bookworm "$root" "$mirror" >/var/log/clab-publisher-debootstrap.log 2>&1 \
  || { tail -20 /var/log/clab-publisher-debootstrap.log >&2; exit 1; }
# Host keys are made when a container starts (ssh-keygen -A), never baked in: every node has its own.
rm -f "$root"/etc/ssh/ssh_host_*
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
echo "setup: image $IMAGE built"
