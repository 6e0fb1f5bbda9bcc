#!/bin/sh
# Starts the bot as this process (exec), so the container's init hands it signals directly and a crash
# of the JVM is the container's exit, which the restart policy acts on.
# Arguments are an aquatrade command line (default from the image: demo --out var/demo).
set -e
# shellcheck disable=SC2086  # JAVA_OPTS and AQUATRADE_JVM_FLAGS are word lists on purpose
exec java ${JAVA_OPTS} ${AQUATRADE_JVM_FLAGS} -jar /app/aquatrade.jar "$@"
