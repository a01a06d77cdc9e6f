#!/usr/bin/env bash
# scripts/docker-base-images.sh: build syscope's container base images locally, with no registry.
#
# The Dockerfile's defaults (maven:3.9-eclipse-temurin-25, eclipse-temurin:25-jre) come from Docker
# Hub. Where no registry can be reached, this script builds two stand-ins from Debian bookworm
# (debootstrap --variant=minbase) and the JDK 25 and Maven installed on this machine:
#
#   syscope-local/build:25     JDK 25 + Maven (mvn on PATH, JAVA_HOME set, CA certificates)
#   syscope-local/runtime:25   JDK 25 (java on PATH, JAVA_HOME set); apt works (host networking)
#
# Use them with:
#   SYSCOPE_BUILD_IMAGE=syscope-local/build:25 SYSCOPE_RUNTIME_IMAGE=syscope-local/runtime:25 \
#     docker-compose build
#
# An image that already exists is kept unless --force is given. The debootstrap root file system is
# cached as a tarball under /var/cache/syscope-docker/, so later runs take seconds. Run as root.
# Progress goes to stderr.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/docker-base-images.sh [--force] [--refresh-rootfs] [--help]

  --force           rebuild the images even if they exist (reuses the cached rootfs)
  --refresh-rootfs  run debootstrap again instead of using the cached rootfs tarball (implies --force)

Environment (defaults in brackets):
  SYSCOPE_JDK_HOME         JDK 25 to copy in      [/usr/lib/jvm/temurin-25-jdk-amd64]
  SYSCOPE_MAVEN_HOME       Maven to copy in       [/usr/share/maven]
  SYSCOPE_DOCKER_CACHE     cache directory        [/var/cache/syscope-docker]
  SYSCOPE_DEBIAN_MIRROR    debootstrap mirror     [http://deb.debian.org/debian]
  SYSCOPE_LOCAL_BUILD_IMAGE / SYSCOPE_LOCAL_RUNTIME_IMAGE
                           image names            [syscope-local/build:25 / syscope-local/runtime:25]
EOF
}

log() { printf '[docker-base-images] %s\n' "$*" >&2; }
die() { printf '[docker-base-images] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0
REFRESH_ROOTFS=0
while (($#)); do
    case "$1" in
        --force) FORCE=1 ;;
        --refresh-rootfs) REFRESH_ROOTFS=1; FORCE=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done

JDK_HOME=${SYSCOPE_JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MAVEN_SRC=${SYSCOPE_MAVEN_HOME:-/usr/share/maven}
CACHE_DIR=${SYSCOPE_DOCKER_CACHE:-/var/cache/syscope-docker}
MIRROR=${SYSCOPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BUILD_IMAGE=${SYSCOPE_LOCAL_BUILD_IMAGE:-syscope-local/build:25}
RUNTIME_IMAGE=${SYSCOPE_LOCAL_RUNTIME_IMAGE:-syscope-local/runtime:25}
SUITE=bookworm
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
# ca-certificates: /etc/ssl/certs for tools other than Java (Java gets its own cacerts, see below).
INCLUDE=ca-certificates
ROOTFS_TAR="$CACHE_DIR/rootfs-$SUITE-minbase-$ARCH.tar"

# Where the JDK and Maven live inside the images (the same places as in the official images).
IMG_JAVA_HOME=/opt/java/openjdk
IMG_MAVEN_HOME=/usr/share/maven
IMG_PATH="$IMG_JAVA_HOME/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# ---- preflight -----------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || die "must run as root (debootstrap and docker need it)"
command -v docker >/dev/null || die "docker is not installed (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "the docker daemon does not answer 'docker info' (start it: dockerd --bridge=none --iptables=false &)"
[[ -x $JDK_HOME/bin/java ]] || die "no JDK at $JDK_HOME (set SYSCOPE_JDK_HOME to a JDK 25)"
jdk_version=$("$JDK_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
[[ $jdk_version == 25 ]] || die "$JDK_HOME is Java '$jdk_version', not 25 (set SYSCOPE_JDK_HOME)"
[[ -e $JDK_HOME/lib/security/cacerts ]] || die "$JDK_HOME/lib/security/cacerts is missing or a dangling symlink (install ca-certificates-java)"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

need_build=0
image_exists "$BUILD_IMAGE" && image_exists "$RUNTIME_IMAGE" || need_build=1
if ((FORCE == 0 && need_build == 0)); then
    log "$BUILD_IMAGE and $RUNTIME_IMAGE already exist; nothing to do (use --force to rebuild)"
    exit 0
fi

WORK=""
cleanup() {
    if [[ -n $WORK && -d $WORK ]]; then
        # Never follow anything out of the scratch tree; it holds a whole root file system.
        rm -rf --one-file-system -- "$WORK"
    fi
}
trap cleanup EXIT
mkdir -p "$CACHE_DIR"
WORK=$(mktemp -d "$CACHE_DIR/work.XXXXXX")

# ---- 1. the Debian root file system (cached) -----------------------------------------------------
if ((REFRESH_ROOTFS)) || [[ ! -s $ROOTFS_TAR ]]; then
    command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
    log "debootstrap --variant=minbase $SUITE ($ARCH, +$INCLUDE) from $MIRROR (about a minute)"
    t0=$SECONDS
    if ! debootstrap --variant=minbase --arch="$ARCH" --include="$INCLUDE" \
            "$SUITE" "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
        tail -n 30 "$WORK/debootstrap.log" >&2 || true
        [[ -f $WORK/rootfs/debootstrap/debootstrap.log ]] && tail -n 30 "$WORK/rootfs/debootstrap/debootstrap.log" >&2
        die "debootstrap failed (see above)"
    fi
    # debootstrap writes only "$SUITE main"; add the updates and security suites, like Debian's images.
    if [[ $MIRROR == http://deb.debian.org/debian ]]; then
        cat >"$WORK/rootfs/etc/apt/sources.list" <<EOF
deb http://deb.debian.org/debian $SUITE main
deb http://deb.debian.org/debian $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
    fi
    # Files that describe this host, not the image; Docker provides them at run time.
    rm -f "$WORK/rootfs/etc/hostname" "$WORK/rootfs/etc/resolv.conf"
    : >"$WORK/rootfs/etc/resolv.conf"
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/* \
        "$WORK"/rootfs/var/log/apt/* "$WORK"/rootfs/tmp/*
    # Keep images small: nothing in the rootfs needs documentation.
    rm -rf "$WORK"/rootfs/usr/share/doc/* "$WORK"/rootfs/usr/share/man/* "$WORK"/rootfs/usr/share/info/*
    log "caching the rootfs as $ROOTFS_TAR"
    tar -C "$WORK/rootfs" --numeric-owner -cf "$ROOTFS_TAR.tmp" .
    mv -f "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf --one-file-system -- "$WORK/rootfs"
    log "rootfs ready in $((SECONDS - t0)) s"
else
    log "using cached rootfs $ROOTFS_TAR (--refresh-rootfs to redo debootstrap)"
fi

# ---- 2. the images -------------------------------------------------------------------------------
# build_image NAME KIND: unpack the rootfs, add the JDK (and Maven for KIND=build), docker import.
build_image() {
    local name=$1 kind=$2 dir="$WORK/$2" old_id="" new_id path
    if ((FORCE == 0)) && image_exists "$name"; then
        log "$name already exists; keeping it (use --force to rebuild)"
        return 0
    fi
    old_id=$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
    log "building $name"
    mkdir -p "$dir"
    tar -C "$dir" --numeric-owner -xpf "$ROOTFS_TAR"

    # -L: the JDK's lib/security/cacerts is a symlink into /etc/ssl/certs/java on Debian hosts.
    # Without dereferencing it the image has no trust anchors and HTTPS (Maven Central) fails.
    mkdir -p "$dir$(dirname "$IMG_JAVA_HOME")"
    cp -aL "$JDK_HOME" "$dir$IMG_JAVA_HOME"
    # The JDK's own man pages, headers and sources are not needed to build or run syscope.
    rm -rf "$dir$IMG_JAVA_HOME/man" "$dir$IMG_JAVA_HOME/lib/src.zip"
    [[ -s $dir$IMG_JAVA_HOME/lib/security/cacerts && ! -L $dir$IMG_JAVA_HOME/lib/security/cacerts ]] \
        || die "cacerts was not copied into $name"

    path=$IMG_PATH
    local -a changes=(
        -c "ENV JAVA_HOME=$IMG_JAVA_HOME"
        -c "ENV LANG=C.UTF-8"
    )
    if [[ $kind == build ]]; then
        [[ -x $MAVEN_SRC/bin/mvn ]] || die "no Maven at $MAVEN_SRC (apt-get install maven, or set SYSCOPE_MAVEN_HOME)"
        # -L: Debian's Maven is mostly symlinks (boot/ and lib/ into /usr/share/java, conf into
        # /etc/maven). Without dereferencing them Maven cannot start in the image.
        mkdir -p "$dir$(dirname "$IMG_MAVEN_HOME")"
        rm -rf "$dir$IMG_MAVEN_HOME"
        cp -aL "$MAVEN_SRC" "$dir$IMG_MAVEN_HOME"
        rm -rf "$dir$IMG_MAVEN_HOME/man"
        path="$IMG_MAVEN_HOME/bin:$path"
        changes+=(-c "ENV MAVEN_HOME=$IMG_MAVEN_HOME")
        # Debian's Maven 3.8 bundles a Guava that calls sun.misc.Unsafe; JDK 24+ warns about that
        # on every run unless told that it is allowed (the option exists since JDK 23).
        changes+=(-c "ENV MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow")
    fi
    changes+=(-c "ENV PATH=$path" -c 'CMD ["bash"]')

    tar -C "$dir" --numeric-owner -c . \
        | docker import "${changes[@]}" -m "syscope local $kind base (debootstrap $SUITE minbase + JDK $jdk_version)" - "$name" >/dev/null \
        || die "docker import of $name failed"
    rm -rf --one-file-system -- "$dir"

    # Sanity checks, so a broken image fails here and not in the middle of a docker build.
    docker run --rm --network=host "$name" java -version >/dev/null 2>&1 \
        || die "$name: 'java -version' does not run"
    if [[ $kind == build ]]; then
        docker run --rm --network=host "$name" mvn -v >/dev/null 2>&1 || die "$name: 'mvn -v' does not run"
    fi

    new_id=$(docker image inspect -f '{{.Id}}' "$name")
    if [[ -n $old_id && $old_id != "$new_id" ]]; then
        docker rmi "$old_id" >/dev/null 2>&1 || log "note: the previous $name ($old_id) is still in use; not removed"
    fi
    log "built $name ($(docker image inspect -f '{{.Size}}' "$name" | awk '{printf "%d MB", $1/1e6}'))"
}

build_image "$BUILD_IMAGE" build
build_image "$RUNTIME_IMAGE" runtime
log "done: $BUILD_IMAGE, $RUNTIME_IMAGE"
