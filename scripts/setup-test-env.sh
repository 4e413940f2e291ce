#!/usr/bin/env bash
# Sets up everything the tests need on Debian/Ubuntu, as root: Docker engine, OpenSSH server
# (used as relay by the tests, never started as a system service here), Chromium, static
# busybox for the test image, tinyproxy, openssl (throwaway certificates for the https border0
# stand-in and https proxy), debootstrap for the Debian node image, socat (a baseline of the
# throughput and UDP benches, the UDP relay fallback's tests), snmpget (snmp) and python3 for
# the UDP tests. Idempotent: safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

need=()
command -v dockerd >/dev/null || need+=(docker.io)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static || need+=(busybox-static)
command -v tinyproxy >/dev/null || need+=(tinyproxy)
command -v openssl >/dev/null || need+=(openssl)
command -v file >/dev/null || need+=(file)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v snmpget >/dev/null || need+=(snmp)
command -v socat >/dev/null || need+=(socat)
[ -x /usr/bin/python3 ] || need+=(python3-minimal)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

"$here/start-dockerd.sh"
"$here/build-test-image.sh"
"$here/build-debian-node-image.sh"
echo "setup: ready"
