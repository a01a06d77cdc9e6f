#!/usr/bin/env bash
# scripts/docker-smoke.sh: end-to-end check of syscope's container packaging (Dockerfile and
# docker-compose.yml) against the real kernel.
#
# Run as root from anywhere in a clone:   scripts/docker-smoke.sh [--keep-build-cache]
#
# It installs docker.io, docker-compose and debootstrap if they are missing, starts dockerd
# (host networking only: --bridge=none --iptables=false) if no daemon answers, builds local base
# images (scripts/docker-base-images.sh; no registry is needed), then
#   docker-compose build; docker-compose up -d
# starts a process on the host that reads and writes, and checks that `docker-compose logs` shows
# the seed output: the banner, "Host PID: N", "Skipping self PID: N", and read and write events
# for that process, but none for syscope itself. Then docker-compose stop/down, and checks that
# the container is gone. Everything it created is removed on exit, pass or fail, except the cached
# base images and rootfs (and, with --keep-build-cache, the build stage's layers, which makes the
# next run faster). A daemon it started is stopped again.
#
# Environment:
#   SYSCOPE_BUILD_IMAGE, SYSCOPE_RUNTIME_IMAGE  base images [syscope-local/build:25,
#                                 syscope-local/runtime:25]; set both to registry images (e.g. the
#                                 Dockerfile defaults) to skip building local ones
#   SYSCOPE_SMOKE_PROJECT         docker-compose project name [syscopesmoke]
#   SYSCOPE_SMOKE_TIMEOUT         seconds to wait for the expected log lines [60]
#   SYSCOPE_SMOKE_LOG_DIR         where build, daemon and container logs go [a new
#                                 /tmp/syscope-docker-smoke.* that is removed after a pass]
set -euo pipefail
exec </dev/null

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

KEEP_BUILD_CACHE=0
for arg in "$@"; do
    case "$arg" in
        --keep-build-cache) KEEP_BUILD_CACHE=1 ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "docker-smoke: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

PROJECT=${SYSCOPE_SMOKE_PROJECT:-syscopesmoke}
WAIT_SECONDS=${SYSCOPE_SMOKE_TIMEOUT:-60}
if [[ -n ${SYSCOPE_SMOKE_LOG_DIR:-} ]]; then
    LOG_DIR=$SYSCOPE_SMOKE_LOG_DIR; KEEP_LOG_DIR=1
else
    LOG_DIR=$(mktemp -d /tmp/syscope-docker-smoke.XXXXXX); KEEP_LOG_DIR=0   # removed after a pass
fi
mkdir -p "$LOG_DIR"
T_START=$SECONDS

log() { printf '[docker-smoke +%3ds] %s\n' "$((SECONDS - T_START))" "$*" >&2; }
FAIL_MSG=""
die() {
    FAIL_MSG=$*
    exit 1
}

# ---- state for cleanup ---------------------------------------------------------------------------
DOCKERD_PID=""      # set if this script started dockerd
LOAD_PID=""         # the host process whose syscalls must show up
COMPOSE_USED=0      # set once docker-compose may have created something

compose() {
    docker-compose --project-directory "$REPO_ROOT" -f "$REPO_ROOT/docker-compose.yml" -p "$PROJECT" "$@"
}

# The service's log, without docker-compose's "syscope_1  | " prefix.
service_log() {
    compose logs --no-color syscope 2>/dev/null | sed -n 's/^[^|]*| \{0,1\}//p'
}

stop_load() {
    if [[ -n $LOAD_PID ]]; then
        kill "$LOAD_PID" 2>/dev/null || true
        wait "$LOAD_PID" 2>/dev/null || true
        LOAD_PID=""
    fi
}

prune_build_stage() {
    # The build stage's layers are not part of the final image, so `down --rmi local` leaves them
    # behind as dangling images; the Dockerfile labels them so that they can be found.
    ((KEEP_BUILD_CACHE)) && return 0
    docker image prune -f --filter label=dev.syscope.stage=build >/dev/null 2>&1 || true
}

stop_dockerd() {
    [[ -n $DOCKERD_PID ]] || return 0
    log "stopping the dockerd this script started (pid $DOCKERD_PID)"
    kill -TERM "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 30); do
        kill -0 "$DOCKERD_PID" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then
        log "dockerd did not exit within 30 s; killing it"
        kill -KILL "$DOCKERD_PID" 2>/dev/null || true
    fi
    wait "$DOCKERD_PID" 2>/dev/null || true
    DOCKERD_PID=""
}

on_exit() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    stop_load
    if ((rc != 0)); then
        echo >&2
        log "FAILED: ${FAIL_MSG:-command failed with exit status $rc (see the output above)}"
        if ((COMPOSE_USED)); then
            echo "----- last 50 lines of 'docker-compose logs syscope' -----" >&2
            compose logs --no-color --tail=50 syscope >&2 2>&1
            echo "----- end of log -----" >&2
        fi
        log "logs are kept in $LOG_DIR"
    fi
    if ((COMPOSE_USED)); then
        compose down --rmi local --remove-orphans -t 10 >>"$LOG_DIR/cleanup.log" 2>&1 \
            || log "warning: 'docker-compose down' failed during cleanup (see $LOG_DIR/cleanup.log)"
        prune_build_stage
    fi
    stop_dockerd
    if ((rc == 0)); then
        ((KEEP_LOG_DIR)) || rm -rf -- "$LOG_DIR"
        log "PASS (${SECONDS}s)"
    else
        log "FAIL (${SECONDS}s)"
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'FAIL_MSG="interrupted"; exit 130' INT TERM

# ---- 0. preflight --------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || die "must run as root (it installs packages, starts dockerd and loads BPF programs)"
[[ -f $REPO_ROOT/pom.xml && -d $REPO_ROOT/src && -f $REPO_ROOT/Dockerfile && -f $REPO_ROOT/docker-compose.yml ]] \
    || die "$REPO_ROOT does not look like a syscope checkout (pom.xml, src/, Dockerfile, docker-compose.yml)"
log "repository $REPO_ROOT, compose project '$PROJECT', logs in $LOG_DIR"

export SYSCOPE_BUILD_IMAGE=${SYSCOPE_BUILD_IMAGE:-syscope-local/build:25}
export SYSCOPE_RUNTIME_IMAGE=${SYSCOPE_RUNTIME_IMAGE:-syscope-local/runtime:25}
LOCAL_BASE=0
[[ $SYSCOPE_BUILD_IMAGE == syscope-local/* || $SYSCOPE_RUNTIME_IMAGE == syscope-local/* ]] && LOCAL_BASE=1

# ---- 1. packages ---------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v pgrep >/dev/null || missing+=(procps)
if ((LOCAL_BASE)); then
    command -v debootstrap >/dev/null || missing+=(debootstrap debian-archive-keyring)
    [[ -x ${SYSCOPE_MAVEN_HOME:-/usr/share/maven}/bin/mvn ]] || missing+=(maven)
fi
if ((${#missing[@]})); then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    log "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >"$LOG_DIR/apt.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/apt.log" >&2; die "apt-get update failed"; }
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
fi
for tool in docker dockerd docker-compose pgrep mountpoint timeout; do
    command -v "$tool" >/dev/null || die "$tool is not available"
done

# ---- 2. docker daemon ----------------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
    log "using the running docker daemon"
else
    if [[ -S /var/run/docker.sock ]] && pgrep -x dockerd >/dev/null; then
        log "a dockerd is running but not answering yet; waiting up to 30 s"
        for _ in $(seq 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
    fi
    if ! docker info >/dev/null 2>&1; then
        pgrep -x dockerd >/dev/null && die "a dockerd process exists but 'docker info' fails; stop it or fix it first"
        # No bridge and no iptables: this script uses host networking only.
        log "starting dockerd --bridge=none --iptables=false (log: $LOG_DIR/dockerd.log)"
        setsid dockerd --bridge=none --iptables=false >"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
        DOCKERD_PID=$!
        for _ in $(seq 60); do
            docker info >/dev/null 2>&1 && break
            kill -0 "$DOCKERD_PID" 2>/dev/null || { tail -n 20 "$LOG_DIR/dockerd.log" >&2; DOCKERD_PID=""; die "dockerd exited at start-up (see above)"; }
            sleep 1
        done
        docker info >/dev/null 2>&1 || { tail -n 20 "$LOG_DIR/dockerd.log" >&2; die "dockerd did not answer within 60 s"; }
        log "dockerd is up (pid $DOCKERD_PID)"
    fi
fi

# ---- 3. host kernel interfaces -------------------------------------------------------------------
if ! mountpoint -q /sys/kernel/tracing; then
    log "mounting tracefs on /sys/kernel/tracing"
    mount -t tracefs tracefs /sys/kernel/tracing || die "cannot mount tracefs on /sys/kernel/tracing"
fi
[[ -d /sys/kernel/tracing/events/syscalls ]] \
    || die "/sys/kernel/tracing/events/syscalls is missing: this kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS)"
[[ -r /sys/kernel/btf/vmlinux ]] || die "/sys/kernel/btf/vmlinux is missing: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)"

# ---- 4. base images ------------------------------------------------------------------------------
if ((LOCAL_BASE)); then
    log "base images: $SYSCOPE_BUILD_IMAGE, $SYSCOPE_RUNTIME_IMAGE (scripts/docker-base-images.sh)"
    timeout 900 "$SCRIPT_DIR/docker-base-images.sh" || die "scripts/docker-base-images.sh failed"
else
    log "base images from the registry: $SYSCOPE_BUILD_IMAGE, $SYSCOPE_RUNTIME_IMAGE"
fi

# ---- 5. build and start --------------------------------------------------------------------------
COMPOSE_USED=1
# Leftovers from an interrupted earlier run would make 'up' reuse an old container.
compose down --rmi local --remove-orphans -t 5 >"$LOG_DIR/cleanup.log" 2>&1 || true

log "docker-compose build (output: $LOG_DIR/build.log)"
t0=$SECONDS
if ! timeout 900 docker-compose --project-directory "$REPO_ROOT" -f "$REPO_ROOT/docker-compose.yml" -p "$PROJECT" \
        build --force-rm >"$LOG_DIR/build.log" 2>&1; then
    tail -n 60 "$LOG_DIR/build.log" >&2
    die "docker-compose build failed (last 60 lines above; full log: $LOG_DIR/build.log)"
fi
log "built in $((SECONDS - t0)) s"

log "docker-compose up -d"
timeout 120 docker-compose --project-directory "$REPO_ROOT" -f "$REPO_ROOT/docker-compose.yml" -p "$PROJECT" \
    up -d >"$LOG_DIR/up.log" 2>&1 \
    || { cat "$LOG_DIR/up.log" >&2; die "docker-compose up -d failed"; }
CID=$(compose ps -q syscope)
[[ -n $CID ]] || die "docker-compose up -d created no syscope container"

# ---- 6. a host process with a known PID that reads and writes -------------------------------------
# Builtins only (read, printf), so the read(2) and write(2) calls come from this very process; the
# only child is sleep. About 20 reads and 20 writes a second.
(
    while :; do
        read -r _ </proc/loadavg || :
        printf 'syscope-smoke\n' >/dev/null
        sleep 0.05
    done
) &
LOAD_PID=$!
log "load process on the host: pid $LOAD_PID"

# ---- 7. check the output -------------------------------------------------------------------------
HOST_PID=""
have() { grep -qxF -- "$1" "$LOG_DIR/syscope.log"; }
check_lines() {
    have "Loading eBPF program" || return 1
    have "Monitoring sys_read and sys_write calls..." || return 1
    HOST_PID=$(sed -n 's/^Host PID: \([0-9][0-9]*\)$/\1/p' "$LOG_DIR/syscope.log" | head -n 1)
    [[ -n $HOST_PID ]] || return 1
    have "Skipping self PID: $HOST_PID" || return 1
    have "$LOAD_PID - hello sys_read was called" || return 1
    have "$LOAD_PID - hello sys_write was called" || return 1
}

log "waiting up to ${WAIT_SECONDS}s for the expected lines in 'docker-compose logs syscope'"
deadline=$((SECONDS + WAIT_SECONDS))
ok=0
while ((SECONDS < deadline)); do
    service_log >"$LOG_DIR/syscope.log" || true
    if check_lines; then ok=1; break; fi
    state=$(docker inspect -f '{{.State.Status}}' "$CID" 2>/dev/null || echo missing)
    if [[ $state != running ]]; then
        service_log >"$LOG_DIR/syscope.log" || true
        die "the syscope container is '$state' (exit code $(docker inspect -f '{{.State.ExitCode}}' "$CID" 2>/dev/null || echo '?')) before the expected output appeared"
    fi
    sleep 2
done
if ((ok == 0)); then
    missing_lines=()
    for line in "Loading eBPF program" "Monitoring sys_read and sys_write calls..."; do
        have "$line" || missing_lines+=("'$line'")
    done
    if [[ -z $HOST_PID ]]; then
        missing_lines+=("'Host PID: <N>'")
    else
        have "Skipping self PID: $HOST_PID" || missing_lines+=("'Skipping self PID: $HOST_PID'")
    fi
    have "$LOAD_PID - hello sys_read was called" || missing_lines+=("'$LOAD_PID - hello sys_read was called'")
    have "$LOAD_PID - hello sys_write was called" || missing_lines+=("'$LOAD_PID - hello sys_write was called'")
    die "after ${WAIT_SECONDS}s these lines are missing from the log: ${missing_lines[*]}"
fi
log "found the banner, 'Host PID: $HOST_PID', 'Skipping self PID: $HOST_PID' and read/write events of pid $LOAD_PID"

# The banner must come in the seed's order.
order=()
for line in "Loading eBPF program" "Monitoring sys_read and sys_write calls..." "Host PID: $HOST_PID" "Skipping self PID: $HOST_PID"; do
    order+=("$(grep -nxF -m 1 -- "$line" "$LOG_DIR/syscope.log" | cut -d: -f1)")
done
((order[0] < order[1] && order[1] < order[2] && order[2] < order[3])) \
    || die "the banner lines are out of order (line numbers ${order[*]})"

# "Host PID" must be the PID of the JVM as the host sees it (the container shares the host's PID
# namespace), and syscope must not report its own system calls.
CONTAINER_PID=$(docker inspect -f '{{.State.Pid}}' "$CID")
[[ $CONTAINER_PID == "$HOST_PID" ]] \
    || die "'Host PID: $HOST_PID' is not the container's main process on the host (pid $CONTAINER_PID)"
if self_lines=$(grep -E -m 3 "^$HOST_PID - " "$LOG_DIR/syscope.log"); then
    die "syscope reported its own system calls: $self_lines"
fi
log "Host PID $HOST_PID is the container's process on the host, and no event carries it ($(wc -l <"$LOG_DIR/syscope.log") lines checked)"
stop_load

# ---- 8. stop and take down -----------------------------------------------------------------------
log "docker-compose stop (SIGINT, 10 s grace period)"
t0=$SECONDS
compose stop syscope >>"$LOG_DIR/down.log" 2>&1 || die "docker-compose stop failed"
exit_code=$(docker inspect -f '{{.State.ExitCode}}' "$CID")
case "$exit_code" in
    0|130|143) log "syscope exited with status $exit_code after $((SECONDS - t0)) s" ;;
    137) die "syscope did not stop on SIGINT within the grace period and was killed (status 137)" ;;
    *) die "syscope exited with status $exit_code when stopped" ;;
esac

log "docker-compose down --rmi local"
compose down --rmi local --remove-orphans >>"$LOG_DIR/down.log" 2>&1 \
    || { cat "$LOG_DIR/down.log" >&2; die "docker-compose down failed"; }
left=$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")
[[ -z $left ]] || die "containers of project $PROJECT are still there after 'docker-compose down': $left"
docker inspect "$CID" >/dev/null 2>&1 && die "container $CID still exists after 'docker-compose down'"
if docker image inspect "${PROJECT}_syscope" >/dev/null 2>&1; then
    die "image ${PROJECT}_syscope still exists after 'docker-compose down --rmi local'"
fi
prune_build_stage
COMPOSE_USED=0
log "container and image are gone"
