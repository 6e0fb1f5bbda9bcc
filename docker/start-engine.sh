#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine; starts Debian's dockerd by hand if none does
# (CI and sandboxes have no systemd). Idempotent. Used by .ci/run and by DockerStackIT.
#   - its own data root (AQUATRADE_DOCKER_ROOT, default /var/lib/aquatrade-docker)
#   - --iptables=false --bridge=none: no NAT rules or docker0 bridge; the stack uses host networking
# Needs root. Prints where the engine's log is when it starts one.
set -euo pipefail
DOCKER="${DOCKER:-$(command -v /usr/bin/docker || command -v docker)}"
if "$DOCKER" info >/dev/null 2>&1; then
  exit 0
fi
command -v dockerd >/dev/null || { echo "start-engine: dockerd not installed (apt-get install docker.io)" >&2; exit 1; }
root="${AQUATRADE_DOCKER_ROOT:-/var/lib/aquatrade-docker}"
log="${AQUATRADE_DOCKER_LOG:-/var/log/aquatrade-dockerd.log}"
mkdir -p "$root" "$(dirname "$log")"
if [ -n "${DOCKER_HOST:-}" ]; then host="$DOCKER_HOST"; else host="unix:///var/run/docker.sock"; fi
# setsid: the engine outlives this script and the test JVM that may have started it.
setsid dockerd --data-root "$root" -H "$host" --iptables=false --ip6tables=false --bridge=none \
  --log-level=warn >>"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  if "$DOCKER" info >/dev/null 2>&1; then
    echo "start-engine: dockerd started (data root $root, log $log)"
    exit 0
  fi
  sleep 0.5
done
echo "start-engine: dockerd did not answer within 30 s; last log lines:" >&2
tail -20 "$log" >&2
exit 1
