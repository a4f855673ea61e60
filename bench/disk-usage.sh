#!/usr/bin/env bash
# Sustained random updates against a fresh lbs + kvlds chain, printing the
# disk the store holds over time (kvlds/DESIGN.md, "FREE and cleaning").
#
#   bench/disk-usage.sh [java|c] [N pairs] [seconds] [S cost] [random|sequential]
#
# Starts lbs (-b 2048, as the original's benchmark script) and kvlds with the
# given storage:I/O cost ratio (default 1.0) in a temporary directory, from
# this project's launchers (java) or the original's binaries (c:
# $KIVALOO_C_BIN, default ../shared/c-kivaloo/bin), inserts the N benchmark
# pairs (default 2^20), then runs `kivaloo-bench disk-usage` for the given
# time (default 300 s): one line every 10 s with the SETs/s, the bytes in the
# lbs directory, the live data bytes and their ratio. The same client drives
# both implementations, so their curves compare directly.
set -euo pipefail

impl=${1:-java}
pairs=${2:-1048576}
seconds=${3:-300}
cost=${4:-1.0}
order=${5:-random}
case "$order" in
    random) order_flag=() ;;
    sequential) order_flag=(--sequential) ;;
    *) echo "disk-usage.sh: order must be random or sequential, not $order" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
case "$impl" in
    java) bin="$root/bin" ;;
    c) bin=${KIVALOO_C_BIN:-$root/../shared/c-kivaloo/bin} ;;
    *) echo "disk-usage.sh: implementation must be java or c, not $impl" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/kivaloo-disk-usage.XXXXXX")
stop() {
    local pidfile=$1
    [ -f "$pidfile" ] || return 0
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
cleanup() {
    stop "$work/kvlds.pid"
    stop "$work/lbs.pid"
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/blocks"
"$bin/kivaloo-lbs" -s "$work/lbs.sock" -d "$work/blocks" -b 2048 -p "$work/lbs.pid"
"$bin/kivaloo-kvlds" -s "$work/kvlds.sock" -l "$work/lbs.sock" -S "$cost" -p "$work/kvlds.pid"
echo "# $impl kvlds -S $cost, $order updates, $pairs pairs, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
"$root/bin/kivaloo-bench" bulk-insert "$work/kvlds.sock" -g "$pairs" > /dev/null
"$root/bin/kivaloo-bench" disk-usage "$work/kvlds.sock" "$pairs" --lbs-dir "$work/blocks" -d "$seconds" --interval 10 "${order_flag[@]}"
