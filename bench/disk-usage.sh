#!/usr/bin/env bash
# Sustained updates against a fresh lbs + kvlds chain, printing the disk the
# store holds over time (kvlds/DESIGN.md, "FREE and cleaning").
#
#   bench/disk-usage.sh [java|c] [N pairs] [seconds] [S cost] [load] [kvlds options...]
#
# Starts lbs (-b 2048, as the original's benchmark script) and kvlds with the
# given storage:I/O cost ratio (default 1.0) and any further kvlds options
# (e.g. --max-span 2) in a temporary directory, from this project's launchers
# (java) or the original's binaries (c: $KIVALOO_C_BIN, default
# ../shared/c-kivaloo/bin), inserts the N benchmark pairs (default 2^20), then
# drives one of these loads for the given time (default 300 s):
#   random      SETs of uniformly random keys (kivaloo-bench disk-usage), a line every 10 s
#   sequential  SETs of the keys in key order, over and over, a line every 10 s
#   mixed       random_mixed's pattern, half GETs and half SETs of random keys, a line every second
#   c-mixed     the C bench program random_mixed itself (it runs 150 s whatever the time given),
#               with the lbs directory's size sampled every second
# Each line: seconds, SETs/s in the interval, bytes in the lbs directory, the
# live data bytes (N × 80) and their ratio. The same client drives both
# implementations, so their curves compare directly. The last line sums up:
# the ratio's mean and maximum after the first 60 s, and for the mixed loads
# the median and the worst 1-second SETs/s (mixed) or random_mixed's figure (c-mixed).
set -euo pipefail

impl=${1:-java}
pairs=${2:-1048576}
seconds=${3:-300}
cost=${4:-1.0}
load=${5:-random}
shift $(( $# < 5 ? $# : 5 ))
kvlds_options=("$@")
case "$load" in
    random|sequential|mixed|c-mixed) ;;
    *) echo "disk-usage.sh: load must be random, sequential, mixed or c-mixed, not $load" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
c_bin=${KIVALOO_C_BIN:-$root/../shared/c-kivaloo/bin}
case "$impl" in
    java) bin="$root/bin" ;;
    c) bin=$c_bin ;;
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
sampler=""
cleanup() {
    [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
    stop "$work/kvlds.pid"
    stop "$work/lbs.pid"
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/blocks"
"$bin/kivaloo-lbs" -s "$work/lbs.sock" -d "$work/blocks" -b 2048 -p "$work/lbs.pid"
"$bin/kivaloo-kvlds" -s "$work/kvlds.sock" -l "$work/lbs.sock" -S "$cost" -p "$work/kvlds.pid" ${kvlds_options[@]+"${kvlds_options[@]}"}
echo "# $impl kvlds -S $cost ${kvlds_options[*]-}, $load load, $pairs pairs, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
"$root/bin/kivaloo-bench" bulk-insert "$work/kvlds.sock" -g "$pairs" > /dev/null
live=$((pairs * 80))

summary() {
    # stdin: the lines above; $1: what else to say
    awk -v extra="$1" '!/^#/ && $1 >= 60 { n++; sum += $5; if ($5 > max) max = $5 }
        END { if (n) printf "# disk/live after 60 s: mean %.2f max %.2f (%d samples)%s\n", sum / n, max, n, extra }'
}

case "$load" in
    random|sequential)
        flag=(); [ "$load" = sequential ] && flag=(--sequential)
        "$root/bin/kivaloo-bench" disk-usage "$work/kvlds.sock" "$pairs" --lbs-dir "$work/blocks" -d "$seconds" --interval 10 \
            ${flag[@]+"${flag[@]}"} | tee "$work/lines"
        summary "" < "$work/lines"
        ;;
    mixed)
        "$root/bin/kivaloo-bench" disk-usage "$work/kvlds.sock" "$pairs" --lbs-dir "$work/blocks" -d "$seconds" --interval 1 \
            --mixed | tee "$work/lines"
        sets=$(awk '!/^#/ && $1 >= 60 { print $2 }' "$work/lines" | sort -n)
        n=$(echo "$sets" | grep -c . || true)
        extra=""
        if [ "$n" -gt 0 ]; then
            median=$(echo "$sets" | sed -n "$(( (n + 1) / 2 ))p")
            worst=$(echo "$sets" | head -1)
            extra="; SETs/s after 60 s: median $median, worst second $worst"
        fi
        summary "$extra" < "$work/lines"
        ;;
    c-mixed)
        echo "# seconds sets/s lbs_bytes live_bytes ratio (sets/s: not measured by random_mixed)"
        (
            start=$SECONDS
            while :; do
                # find fails when lbs deletes a file it is listing: that sample
                # still counts what it saw, and the sampler must not exit.
                bytes=$( (find "$work/blocks" -maxdepth 1 -type f -printf '%s\n' 2>/dev/null || true) | awk '{ s += $1 } END { print s + 0 }')
                awk -v t=$((SECONDS - start)) -v b="$bytes" -v l="$live" 'BEGIN { printf "%d - %d %d %.3f\n", t, b, l, b / l }'
                sleep 1
            done
        ) > "$work/lines" &
        sampler=$!
        figure=$("$c_bin/random_mixed" "$work/kvlds.sock" "$pairs" | tail -1)
        kill "$sampler" 2>/dev/null || true; sampler=""
        cat "$work/lines"
        summary "; random_mixed: $figure ops/s" < "$work/lines"
        ;;
esac
