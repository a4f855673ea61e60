#!/usr/bin/env bash
# Provisions a private Docker engine for the container suites on a machine that
# has none (CI, see .ci/run), following shared/docs/docker-here.md:
#   1. installs Debian's docker.io if dockerd is missing (apt-get; needs root);
#   2. starts dockerd without touching the host network (no bridge, no
#      iptables, no masquerading) on its own socket, with data-root and
#      exec-root under a scratch directory, and waits until `docker info`
#      answers;
#   3. builds the local Java base image (deploy/docker/build-base-image.sh)
#      unless it exists, built by the current recipe;
#   4. prints, on stdout and nothing else, the environment the tests need:
#        eval "$(tests/docker/docker-up.sh)"
#      Progress and errors go to stderr.
# If an engine started by this script is still running, it is reused.
# Stop it with tests/docker/docker-down.sh (same KIVALOO_DOCKER_DIR).
#
# Environment: KIVALOO_DOCKER_DIR  scratch directory (default /tmp/kivaloo-docker)
#              KIVALOO_BASE_IMAGE  base image to build (default kivaloo-jre:local)
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
dir=${KIVALOO_DOCKER_DIR:-/tmp/kivaloo-docker}
base_image=${KIVALOO_BASE_IMAGE:-kivaloo-jre:local}
sock="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
log="$dir/dockerd.log"
# Long enough for a first start on a slow, busy machine; a normal start takes a few seconds.
start_deadline_seconds=120

say() { echo "docker-up: $*" >&2; }

if ! command -v dockerd >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        say "dockerd is not installed and this is not root: install docker.io (or Docker) first"
        exit 1
    fi
    say "installing Debian's docker.io"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq docker.io >&2
fi

mkdir -p "$dir"
export DOCKER_HOST="unix://$sock"

running() {
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

if running && docker info >/dev/null 2>&1; then
    say "reusing the engine already running (pid $(cat "$pidfile"))"
else
    if running; then
        say "an engine (pid $(cat "$pidfile")) is running but not answering: run docker-down.sh first"
        exit 1
    fi
    rm -f "$sock" "$pidfile"
    say "starting dockerd on $sock (log $log)"
    # setsid: the engine outlives this script and the caller's process group.
    setsid dockerd \
        --bridge=none --iptables=false --ip-masq=false \
        -H "$DOCKER_HOST" \
        --data-root "$dir/data" --exec-root "$dir/exec" \
        --pidfile "$pidfile" \
        </dev/null >>"$log" 2>&1 &
    dockerd_pid=$!
    deadline=$((SECONDS + start_deadline_seconds))
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "$dockerd_pid" 2>/dev/null; then
            say "dockerd exited during start-up; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            say "dockerd did not answer within ${start_deadline_seconds}s; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
        sleep 0.2
    done
    say "engine ready: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
fi

base_script="$here/../../deploy/docker/build-base-image.sh"
# Ours (the default name): rebuilt when an older recipe built it. Another
# name (say a JRE image from a registry) is built here only when missing.
if [ "$base_image" = kivaloo-jre:local ]; then
    "$base_script" --unless-current "$base_image" >&2
elif ! docker image inspect "$base_image" >/dev/null 2>&1; then
    "$base_script" "$base_image" >&2
fi

echo "export DOCKER_HOST='$DOCKER_HOST'"
# The reaper image cannot be pulled here; the tests stop their own containers.
echo "export TESTCONTAINERS_RYUK_DISABLED=true"
# Without it Testcontainers inspects the (absent) bridge network and fails.
echo "export TESTCONTAINERS_HOST_OVERRIDE=localhost"
# The start-up checks run a container from alpine:3.17, which cannot be pulled here.
echo "export TESTCONTAINERS_CHECKS_DISABLE=true"
echo "export KIVALOO_DOCKER_DIR='$dir'"
echo "export KIVALOO_BASE_IMAGE='$base_image'"
