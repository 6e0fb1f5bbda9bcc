#!/bin/bash
# Docker HEALTHCHECK: GET /health on the bot's own port must answer 200 ({"status":"UP"}; 503 when the
# run failed). Uses bash's /dev/tcp so the image needs no curl or wget.
port="${AQUATRADE_HTTP_PORT:-8080}"
host="${AQUATRADE_HEALTH_HOST:-127.0.0.1}"
exec 3<>"/dev/tcp/${host}/${port}" || { echo "health: nothing listening on ${host}:${port}"; exit 1; }
printf 'GET /health HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "${host}" >&3
IFS= read -r -t 4 status <&3 || { echo "health: no answer from ${host}:${port}"; exit 1; }
body="$(timeout 2 cat <&3 | tail -n 1 | head -c 300)"
case "${status}" in
  "HTTP/1."?" 200 "*) echo "${body}"; exit 0 ;;
  *) echo "health: ${status%$'\r'} ${body}"; exit 1 ;;
esac
