#!/usr/bin/env bash
# Builds local STAND-IN images for machines that cannot pull from a registry (this project's CI):
#   1. the bot's base image (the name in docker/Dockerfile's `ARG BASE_IMAGE=`), made by debootstrap of
#      Debian bookworm with openjdk-17-jre-headless, then `docker import`ed under that name;
#   2. the Prometheus image that docker-compose.yml names, made from that base plus this machine's
#      Debian `prometheus` binary, laid out like the upstream image (/bin/prometheus, /prometheus owned
#      by nobody, same entrypoint).
# On a normal machine you do NOT need this: `docker compose build` pulls the real images.
# Idempotent: an image that already exists is left alone (FORCE=1 rebuilds). Needs root, debootstrap
# and a running Docker engine (DOCKER_HOST is honoured). Env: DEBIAN_MIRROR, DOCKER (client binary).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
DOCKER="${DOCKER:-docker}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_image="$(sed -n 's/^ARG BASE_IMAGE=//p' "$here/Dockerfile" | head -1)"
prom_image="$(sed -n 's/^ *image: *\(prom\/prometheus:[^ ]*\).*/\1/p' "$here/docker-compose.yml" | head -1)"
[ -n "$base_image" ] || { echo "build-base-image: no 'ARG BASE_IMAGE=' line in $here/Dockerfile" >&2; exit 1; }
[ -n "$prom_image" ] || { echo "build-base-image: no prom/prometheus image in $here/docker-compose.yml" >&2; exit 1; }

have_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

if [ "${FORCE:-0}" = 1 ] || ! have_image "$base_image"; then
  command -v debootstrap >/dev/null || { echo "build-base-image: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  start=$(date +%s)
  root="$(mktemp -d /var/tmp/aquatrade-base.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  echo "build-base-image: debootstrap bookworm + openjdk-17-jre-headless into $root (stand-in for $base_image)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
      bookworm "$root" "$MIRROR" >"$root.log" 2>&1 \
    || { tail -30 "$root.log" >&2; echo "build-base-image: debootstrap failed (log: $root.log)" >&2; exit 1; }
  rm -f "$root.log"
  # Smaller image: package caches, docs and manuals are of no use at run time.
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
         "$root"/var/cache/debconf/*-old "$root"/var/log/*.log
  java_home="$(dirname "$(dirname "$(readlink -f "$root/usr/bin/java" | sed "s#^$root##")")")"
  tar --numeric-owner -C "$root" -c . | "$DOCKER" import \
      --change "ENV JAVA_HOME=$java_home" \
      --change 'ENV LANG=C.UTF-8' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'LABEL io.aquatrade.stand-in="debootstrap bookworm + openjdk-17-jre-headless, built by docker/build-base-image.sh"' \
      --change 'CMD ["bash"]' \
      - "$base_image" >/dev/null
  rm -rf "$root"
  trap - EXIT
  echo "build-base-image: $base_image ready in $(( $(date +%s) - start )) s"
else
  echo "build-base-image: $base_image present"
fi

if [ "${FORCE:-0}" = 1 ] || ! have_image "$prom_image"; then
  prom_bin="$(command -v prometheus || true)"
  [ -n "$prom_bin" ] || { echo "build-base-image: Debian's prometheus is not installed (apt-get install prometheus)" >&2; exit 1; }
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' EXIT
  cp "$prom_bin" "$ctx/prometheus"
  cat >"$ctx/Dockerfile" <<EOF
FROM $base_image
COPY prometheus /bin/prometheus
RUN mkdir -p /prometheus /etc/prometheus && chown 65534:65534 /prometheus
LABEL io.aquatrade.stand-in="Debian's prometheus on the stand-in base, built by docker/build-base-image.sh"
USER 65534:65534
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  DOCKER_BUILDKIT=0 "$DOCKER" build -q --network host -t "$prom_image" "$ctx" >/dev/null
  rm -rf "$ctx"
  trap - EXIT
  echo "build-base-image: $prom_image ready (stand-in)"
else
  echo "build-base-image: $prom_image present"
fi
