#!/usr/bin/env bash
# Example: the chain lbs -> kvlds -> mux in three containers of the kivaloo
# image, talking TCP on the host's loopback (--network host: the engine on
# these machines has no bridge network; docs/operations.md "Containers" says
# how to use a user-defined network instead). lbs's data is on the volume
# $name-data. Clients connect to mux at [127.0.0.1]:$KIVALOO_MUX_PORT.
#
# Usage: chain-tcp.sh up | down | purge | status | cli ARGS...   (as chain-unix.sh)
# Environment: KIVALOO_IMAGE (default kivaloo:latest), KIVALOO_NAME (default
# kivaloo-tcp); ports on 127.0.0.1: KIVALOO_LBS_PORT (7041), KIVALOO_KVLDS_PORT
# (7042), KIVALOO_MUX_PORT (7043), and the metrics listeners (the healthcheck's
# /health) KIVALOO_LBS_METRICS_PORT (9431), KIVALOO_KVLDS_METRICS_PORT (9432),
# KIVALOO_MUX_METRICS_PORT (9433): all containers share the host's ports.
set -euo pipefail

image=${KIVALOO_IMAGE:-kivaloo:latest}
name=${KIVALOO_NAME:-kivaloo-tcp}
lbs="[127.0.0.1]:${KIVALOO_LBS_PORT:-7041}"
kvlds="[127.0.0.1]:${KIVALOO_KVLDS_PORT:-7042}"
mux="[127.0.0.1]:${KIVALOO_MUX_PORT:-7043}"
# shellcheck source=chain-lib.sh
. "$(dirname "$(readlink -f "$0")")/chain-lib.sh"

metrics() {
    echo "KIVALOO_METRICS_LISTEN=127.0.0.1:$1"
}

case ${1:-} in
    up)
        start_daemon lbs --network host -v "$name-data:/var/lib/kivaloo" \
            -e "$(metrics "${KIVALOO_LBS_METRICS_PORT:-9431}")" -- lbs -s "$lbs" -d /var/lib/kivaloo -b 4096
        start_daemon kvlds --network host -e "$(metrics "${KIVALOO_KVLDS_METRICS_PORT:-9432}")" -- kvlds -s "$kvlds" -l "$lbs"
        start_daemon mux --network host -e "$(metrics "${KIVALOO_MUX_METRICS_PORT:-9433}")" -- mux -t "$kvlds" -s "$mux"
        say "clients connect to $mux"
        ;;
    down) stop_chain ;;
    purge)
        stop_chain
        docker volume rm "$name-data" >/dev/null 2>&1 || true
        say "volume $name-data removed"
        ;;
    status) show_chain ;;
    cli)
        shift
        exec docker run --rm --network host "$image" cli -t "$mux" "$@"
        ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2 ;;
esac
