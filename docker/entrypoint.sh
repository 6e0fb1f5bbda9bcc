#!/bin/sh
# Starts the bot as this process (exec), so the container's init hands it signals directly and a crash
# of the JVM is the container's exit, which the restart policy acts on.
# Arguments are an aquatrade command line (default from the image: demo --out var/demo).
set -e
# The journal's SQLite driver unpacks its native library before loading it: the container's /tmp is a
# noexec tmpfs, so it goes to a directory of the var volume instead.
mkdir -p /app/var/native
# shellcheck disable=SC2086  # JAVA_OPTS and AQUATRADE_JVM_FLAGS are word lists on purpose
exec java ${JAVA_OPTS} ${AQUATRADE_JVM_FLAGS} -Dorg.sqlite.tmpdir=/app/var/native -jar /app/aquatrade.jar "$@"
