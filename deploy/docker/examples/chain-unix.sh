#!/usr/bin/env bash
# Example: the chain lbs -> kvlds -> mux in three containers of the kivaloo
# image, wired by Unix sockets on one shared volume ($name-run, mounted at
# /run/kivaloo in each), lbs's data on another ($name-data). No container has
# a network (--network none): the sockets are the only way in. Each daemon
# runs with the entrypoint's defaults (docs/operations.md "Containers").
#
# Usage: chain-unix.sh up | down | purge | status | cli ARGS...
#   up      start lbs, kvlds, mux (each once the one below is ready)
#   down    stop and remove the containers; keep the volumes (the data)
#   purge   down, then remove the volumes too
#   status  each container's state and health
#   cli     kivaloo-cli in a throw-away container on the socket volume,
#           e.g. `chain-unix.sh cli set hello world`
# Environment: KIVALOO_IMAGE (default kivaloo:latest), KIVALOO_NAME (prefix of
# container and volume names, default kivaloo-unix).
set -euo pipefail

image=${KIVALOO_IMAGE:-kivaloo:latest}
name=${KIVALOO_NAME:-kivaloo-unix}
# shellcheck source=chain-lib.sh
. "$(dirname "$(readlink -f "$0")")/chain-lib.sh"

case ${1:-} in
    up)
        # lbs writes its data; kvlds and mux need only the sockets.
        start_daemon lbs --network none -v "$name-run:/run/kivaloo" -v "$name-data:/var/lib/kivaloo" -- lbs
        start_daemon kvlds --network none -v "$name-run:/run/kivaloo" -- kvlds
        start_daemon mux --network none -v "$name-run:/run/kivaloo" -- mux
        say "clients connect to /run/kivaloo/kivaloo.sock on volume $name-run"
        ;;
    down) stop_chain ;;
    purge)
        stop_chain
        docker volume rm "$name-run" "$name-data" >/dev/null 2>&1 || true
        say "volumes $name-run and $name-data removed"
        ;;
    status) show_chain ;;
    cli)
        shift
        exec docker run --rm --network none -v "$name-run:/run/kivaloo" "$image" cli -t /run/kivaloo/kivaloo.sock "$@"
        ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2 ;;
esac
