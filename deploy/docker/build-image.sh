#!/usr/bin/env bash
# Builds the kivaloo operator image from this build's artifacts: the launchers
# in bin/ and each module's target/kivaloo-<module>.jar and target/lib/ (run
# `./mvnw -q -DskipTests package` first), on a base image given as a parameter.
#
# Usage: deploy/docker/build-image.sh [-t NAME:TAG] [--base IMAGE]
#   -t, --tag    the image to build (default kivaloo:latest)
#   --base       a Java 17+ runtime image (default $KIVALOO_BASE_IMAGE, else
#                kivaloo-jre:local: built here by build-base-image.sh when
#                missing or out of date, since no registry is reachable; where
#                one is, e.g. --base eclipse-temurin:17-jre)
# Environment: DOCKER_HOST as for docker; JAVA_HOME for the local base image.
# Prints the image name on stdout when done; progress goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
tag=kivaloo:latest
base=${KIVALOO_BASE_IMAGE:-kivaloo-jre:local}
# The operator's daemons and tools; bench (kivaloo-bench, kivaloo-perf) stays out.
modules=(lbs lbs-s3 kvlds mux cli tools)
launchers=(kivaloo-daemon kivaloo-tool kivaloo-lbs kivaloo-lbs-s3 kivaloo-kvlds kivaloo-mux
    kivaloo-cli kivaloo-kvlds-dump kivaloo-kvlds-undump)

say() { echo "build-image: $*" >&2; }

while [ $# -gt 0 ]; do
    case $1 in
        -t|--tag) tag=$2; shift 2 ;;
        --base) base=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) say "unknown argument: $1 (see --help)"; exit 2 ;;
    esac
done

for module in "${modules[@]}"; do
    if [ ! -f "$root/$module/target/kivaloo-$module.jar" ] || [ ! -d "$root/$module/target/lib" ]; then
        say "$module is not built: run ./mvnw -q -DskipTests package in $root first"
        exit 1
    fi
done

if [ "$base" = kivaloo-jre:local ]; then
    "$here/build-base-image.sh" --unless-current "$base"
fi

context=$(mktemp -d "${TMPDIR:-/tmp}/kivaloo-image.XXXXXXXX")
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/empty" "$context/kivaloo/bin"
cp "$here/Dockerfile" "$here/kivaloo-entrypoint" "$here/kivaloo-healthcheck" "$context/"
for launcher in "${launchers[@]}"; do
    cp "$root/bin/$launcher" "$context/kivaloo/bin/"
done
for module in "${modules[@]}"; do
    mkdir -p "$context/kivaloo/$module/target"
    cp "$root/$module/target/kivaloo-$module.jar" "$context/kivaloo/$module/target/"
    cp -r "$root/$module/target/lib" "$context/kivaloo/$module/target/"
done
# Files and directories readable by every user (the image runs as kivaloo),
# whatever the umask of whoever built the jars.
chmod -R a+rX "$context"

say "building $tag from $root on $base"
# The classic builder: the engine here has no BuildKit. --network host: the
# engine has no bridge network, and RUN needs one.
DOCKER_BUILDKIT=0 docker build --network host --build-arg BASE_IMAGE="$base" -t "$tag" "$context" >&2
echo "$tag"
