#!/usr/bin/env bash
# Builds a small Java runtime base image without any registry
# (shared/docs/docker-here.md, "Images without a registry"):
#   - jlink a runtime from the build JDK with the modules the daemons and
#     tools use (jdeps over them and their libraries), under /opt/java;
#   - copy in the shared libraries its binaries link against (ldd), and the
#     programs the launchers need: env (their #! line), bash, readlink, dirname, mktemp, mkfifo,
#     sed, cut, setsid (plus sh, cat, ls, rm, mkdir for debugging);
#   - `docker import` the tree as NAME:TAG.
# The image carries the label io.kivaloo.base-recipe, a hash of this script:
# build-image.sh and tests/docker/docker-up.sh rebuild a local base whose
# label differs (one built by an older recipe, missing a module).
# Where a registry is reachable, use a normal JRE image instead (for example
# eclipse-temurin:17-jre) through build-image.sh --base / KIVALOO_BASE_IMAGE.
#
# Usage: build-base-image.sh [NAME:TAG]   (default kivaloo-jre:local)
#        build-base-image.sh --unless-current [NAME:TAG]
#                                         the same, unless NAME:TAG exists with this recipe
# Environment: JAVA_HOME (default: the JDK of `javac` on PATH); DOCKER_HOST as for docker.
set -euo pipefail

recipe=$(sha256sum "$(readlink -f "$0")" | cut -c1-16)
unless_current=no
if [ "${1:-}" = --unless-current ]; then
    unless_current=yes
    shift
fi
image=${1:-kivaloo-jre:local}
if [ $unless_current = yes ]; then
    built=$(docker image inspect --format '{{ index .Config.Labels "io.kivaloo.base-recipe" }}' "$image" 2>/dev/null || true)
    if [ "$built" = "$recipe" ]; then
        exit 0
    fi
    echo "build-base-image: $image is missing or was built by another recipe: building it" >&2
fi
# java.management/java.naming/java.xml: logback; jdk.unsupported: netty and
# sun.misc.Signal; jdk.jfr: netty's optional events; jdk.net: socket options;
# jdk.httpserver: the --metrics-listen server; jdk.management: the JVM
# metrics' process CPU and memory figures; jdk.crypto.ec: TLS to an object
# store (lbs-s3 over https); java.security.jgss: lbs-s3's HTTP client
# (its Kerberos schemes). jdeps --print-module-deps over each module's jar and
# target/lib/ lists no other.
modules=java.base,java.logging,java.management,java.naming,java.security.jgss,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.net,jdk.unsupported
tools=(env bash sh readlink dirname mktemp mkfifo sed cut setsid cat ls rm mkdir)

if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi
if [ ! -x "$JAVA_HOME/bin/jlink" ] || [ ! -d "$JAVA_HOME/jmods" ]; then
    echo "build-base-image: $JAVA_HOME has no jlink or no jmods (Debian: apt-get install openjdk-17-jdk-headless openjdk-17-jmods)" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kivaloo-base-image.XXXXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/opt" "$root/bin" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"

# jdk.crypto.ec is part of java.base from JDK 22 on: keep only the modules this JDK has.
present=()
IFS=, read -r -a wanted <<<"$modules"
for module in "${wanted[@]}"; do
    [ -f "$JAVA_HOME/jmods/$module.jmod" ] && present+=("$module")
done
modules=$(IFS=,; echo "${present[*]}")

"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$root/opt/java"

for tool in "${tools[@]}"; do
    cp -L "$(command -v "$tool")" "$root/bin/$tool"
done

# Every shared library the runtime and the tools link against, at the same
# path as on this machine, including the dynamic loader.
{
    find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \)
    find "$root/bin" -type f
} | while read -r file; do
    ldd "$file" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }'
done | sort -u | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
# Libraries of the runtime find each other through the runtime's own RPATH;
# the loader path must also exist under the name the ELF headers ask for.
for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    if [ -e "$loader" ] && [ ! -e "$root$loader" ]; then
        mkdir -p "$root$(dirname "$loader")"
        cp -L "$loader" "$root$loader"
    fi
done
# The C.UTF-8 locale (glibc's, Debian: /usr/lib/locale/C.utf8): with it the
# JVM decodes arguments and file names as UTF-8 (kivaloo-cli's keys).
if [ -d /usr/lib/locale/C.utf8 ]; then
    mkdir -p "$root/usr/lib/locale"
    cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
fi
mkdir -p "$root/usr"
[ -e "$root/usr/bin" ] || ln -s /bin "$root/usr/bin"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
mkdir -p "$root/root"

tar -C "$root" -c . | docker import \
    --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV PATH=/opt/java/bin:/bin:/usr/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'WORKDIR /' \
    --change "LABEL io.kivaloo.base-recipe=$recipe" \
    - "$image" >/dev/null
echo "build-base-image: built $image ($(du -sh "$root" | cut -f1), modules $modules)" >&2
