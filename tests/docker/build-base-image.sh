#!/usr/bin/env bash
# Builds a small Java runtime base image without any registry
# (shared/docs/docker-here.md, "Images without a registry"):
#   - jlink a runtime from the build JDK with the modules the daemons use
#     (jdeps over the daemons and their libraries: netty, picocli, slf4j,
#     logback), under /opt/java;
#   - copy in the shared libraries its binaries link against (ldd), and the
#     programs the launchers need: env (their #! line), bash, readlink, dirname, mktemp, mkfifo,
#     sed, cut, setsid (plus sh, cat, ls, rm, mkdir for debugging);
#   - `docker import` the tree as NAME:TAG.
# Where a registry is reachable, use a normal JRE image instead (for example
# eclipse-temurin:17-jre) through -Dkivaloo.docker.baseImage / KIVALOO_BASE_IMAGE.
#
# Usage: build-base-image.sh [NAME:TAG]   (default kivaloo-jre:local)
# Environment: JAVA_HOME (default: the JDK of `javac` on PATH); DOCKER_HOST as for docker.
set -euo pipefail

image=${1:-kivaloo-jre:local}
# java.management/java.naming/java.xml: logback; jdk.unsupported: netty and
# sun.misc.Signal; jdk.jfr: netty's optional events; jdk.net: socket options.
modules=java.base,java.logging,java.management,java.naming,java.xml,jdk.jfr,jdk.net,jdk.unsupported
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
mkdir -p "$root/usr"
[ -e "$root/usr/bin" ] || ln -s /bin "$root/usr/bin"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
mkdir -p "$root/root"

tar -C "$root" -c . | docker import \
    --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV PATH=/opt/java/bin:/bin:/usr/bin' \
    --change 'WORKDIR /' \
    - "$image" >/dev/null
echo "build-base-image: built $image ($(du -sh "$root" | cut -f1), modules $modules)" >&2
