#!/usr/bin/env bash
# What `syscope stats` costs a syscall: bench/loadgen's read(fd, buf, 1) loop (CALLS calls,
# default 5,000,000) with no tracer, then under `syscope stats -e read` (per-syscall tracepoints)
# and `syscope stats` (every syscall, raw_syscalls), with the untraced getppid() loop as well.
#   sudo bench/stats-overhead.sh [CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/env.sh
calls=${1:-5000000}
syscope_mount_tracefs
cc -O2 -o target/loadgen bench/loadgen.c
[ -f target/syscope.jar ] || ./syscope --version >/dev/null

SYSCOPE_ERR=target/bench-stats.err
. bench/lib.sh

measure() { # label, syscope stats args... (none: no tracer)
	local label=$1 pair
	shift
	[ "$#" -gt 0 ] && start_syscope stats "$@"
	pair=$(loadgen_pair)
	[ "$#" -gt 0 ] && stop_syscope
	echo "| $label | $pair |"
}

echo "| mode | read ns/call | getppid ns/call |"
echo "|---|---|---|"
measure "no tracer"
measure "stats -e read (tracepoints)" -e read --by syscall
measure "stats -e read --attach raw" -e read --attach raw --by syscall
measure "stats (all syscalls, raw)" --by syscall
