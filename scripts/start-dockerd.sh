#!/usr/bin/env bash
# Starts dockerd in the background when no daemon answers, then waits until it does.
# With --live-restore, containers keep running while the daemon restarts; the e2e test that
# restarts Docker relies on it (test-support/dockerd.ts starts the daemon again through this
# script). A daemon that already answers is left as it is, with a note when it runs without
# live-restore: restarting that one would stop every container, so the test is skipped.
set -euo pipefail
LOG=/var/log/clab-publisher-dockerd.log
if docker info >/dev/null 2>&1; then
  if [ "$(docker info --format '{{.LiveRestoreEnabled}}' 2>/dev/null)" != true ]; then
    echo "setup: dockerd already runs without --live-restore; left as it is (the Docker restart e2e test will be skipped)" >&2
  fi
  exit 0
fi
flags=(--live-restore)
# dockerd refuses to start when a setting is both a flag and in daemon.json.
if grep -qs '"live-restore"' /etc/docker/daemon.json; then flags=(); fi
echo "setup: starting dockerd ${flags[*]}"
# Its own session: a Ctrl-C in the terminal that ran the tests must not reach the daemon.
nohup setsid dockerd "${flags[@]}" </dev/null >>"$LOG" 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "setup: dockerd did not answer within 30 s; see $LOG" >&2
tail -20 "$LOG" >&2 || true
exit 1
