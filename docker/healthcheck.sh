#!/bin/bash
# Docker HEALTHCHECK: GET /health on the bot's own port must answer 200 ({"status":"UP"}; 503 when the
# run failed or a rule evaluation is stuck). Uses bash's /dev/tcp so the image needs no curl or wget.
# Its waits (read 2 s + body 2 s) stay inside the healthcheck's 5 s timeout, so a hung bot fails the probe
# with a reason instead of being killed by Docker's timeout without one.
port="${AQUATRADE_HTTP_PORT:-8080}"
host="${AQUATRADE_HEALTH_HOST:-127.0.0.1}"
exec 3<>"/dev/tcp/${host}/${port}" || { echo "health: nothing listening on ${host}:${port}"; exit 1; }
printf 'GET /health HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "${host}" >&3
IFS= read -r -t 2 status <&3 || { echo "health: no answer from ${host}:${port}"; exit 1; }
body="$(timeout 2 cat <&3 | tail -n 1 | head -c 300)"
case "${status}" in
  "HTTP/1."?" 200 "*) echo "${body}"; exit 0 ;;
  *) echo "health: ${status%$'\r'} ${body}"; exit 1 ;;
esac
