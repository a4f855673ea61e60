#!/usr/bin/env bash
# Stops the Docker engine started by docker-up.sh, by the pid in its pid file
# (SIGTERM, then SIGKILL after 60 s), and removes every container still left.
# The data directory (images) is kept, so a later docker-up.sh starts faster.
#
# Environment: KIVALOO_DOCKER_DIR (default /tmp/kivaloo-docker), as for docker-up.sh.
set -uo pipefail

dir=${KIVALOO_DOCKER_DIR:-/tmp/kivaloo-docker}
pidfile="$dir/dockerd.pid"
stop_deadline_seconds=60

say() { echo "docker-down: $*" >&2; }

if [ ! -f "$pidfile" ]; then
    say "no engine pid file at $pidfile: nothing to stop"
    exit 0
fi
pid=$(cat "$pidfile")
if ! kill -0 "$pid" 2>/dev/null; then
    say "engine pid $pid is not running"
    rm -f "$pidfile"
    exit 0
fi

# Containers the tests failed to stop would otherwise keep the engine busy.
leftover=$(DOCKER_HOST="unix://$dir/docker.sock" docker ps -aq 2>/dev/null || true)
if [ -n "$leftover" ]; then
    say "removing leftover containers: $(echo "$leftover" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    DOCKER_HOST="unix://$dir/docker.sock" docker rm -f $leftover >/dev/null 2>&1 || true
fi

kill -TERM "$pid"
deadline=$((SECONDS + stop_deadline_seconds))
while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
        say "dockerd (pid $pid) did not stop within ${stop_deadline_seconds}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null
        break
    fi
    sleep 0.2
done
rm -f "$pidfile"
say "engine stopped (pid $pid)"
