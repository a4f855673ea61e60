# Shared by the example scripts (sourced): start a daemon's container and wait
# until it is ready, stop the chain, show its state.
# Needs: $image, $name (the prefix of container and volume names).

say() { echo "$(basename "$0"): $*" >&2; }

# Seconds to wait for a daemon's "ready" log line; a first JVM start on a slow,
# busy machine can take a while.
ready_deadline_seconds=${KIVALOO_READY_DEADLINE:-120}

# start_daemon ROLE DOCKER-RUN-OPTIONS... -- DAEMON [OPTIONS...]: runs the
# container $name-ROLE detached and returns once the daemon logged its ready
# line (it has bound its sockets), so that the next one finds it; fails, with
# the container's log, if the daemon exits or takes too long.
start_daemon() {
    local role=$1
    shift
    local container="$name-$role" run=()
    while [ "$1" != -- ]; do
        run+=("$1")
        shift
    done
    shift
    docker run -d --name "$container" --restart on-failure "${run[@]}" "$image" "$@" >/dev/null
    local deadline=$((SECONDS + ready_deadline_seconds))
    until docker logs "$container" 2>&1 | grep -q ' ready pid='; do
        if [ "$(docker inspect --format '{{.State.Running}}' "$container")" != true ] || [ $SECONDS -ge $deadline ]; then
            say "$container did not become ready; its log:"
            docker logs "$container" >&2 2>&1
            return 1
        fi
        sleep 0.5
    done
    say "$container ready"
}

# Stops mux, kvlds and lbs in that order (SIGTERM) and removes their
# containers; volumes stay unless asked.
stop_chain() {
    local role
    for role in mux kvlds lbs; do
        if docker inspect "$name-$role" >/dev/null 2>&1; then
            docker stop "$name-$role" >/dev/null
            # -v: the anonymous volumes of the image's mount points this container did not name.
            docker rm -v "$name-$role" >/dev/null
            say "$name-$role stopped"
        fi
    done
}

show_chain() {
    local role
    for role in lbs kvlds mux; do
        docker inspect --format "$name-$role {{.State.Status}} health={{.State.Health.Status}}" "$name-$role" 2>/dev/null \
            || echo "$name-$role absent"
    done
}
