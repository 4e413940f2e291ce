#!/usr/bin/env bash
# Starts dockerd in the background when no daemon answers, then waits until it does.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
echo "setup: starting dockerd"
nohup dockerd >/var/log/clab-publisher-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "setup: dockerd did not answer within 30 s; see /var/log/clab-publisher-dockerd.log" >&2
tail -20 /var/log/clab-publisher-dockerd.log >&2 || true
exit 1
