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

measure() { # label, syscope stats args...
	local label=$1 pid="" r g
	shift
	if [ "$label" != "no tracer" ]; then
		./syscope stats -v "$@" > target/bench-stats.out 2> target/bench-stats.err &
		pid=$!
		until grep -q "attach:" target/bench-stats.err 2>/dev/null; do
			kill -0 "$pid" 2>/dev/null || { cat target/bench-stats.err >&2; exit 1; }
			sleep 0.1
		done
	fi
	r=$(target/loadgen read "$calls")
	g=$(target/loadgen getppid "$calls")
	if [ -n "$pid" ]; then
		kill -TERM "$pid"; wait "$pid" || true # background jobs of a script ignore SIGINT
	fi
	echo "| $label | $r | $g |"
}

echo "| mode | read ns/call | getppid ns/call |"
echo "|---|---|---|"
measure "no tracer"
measure "stats -e read (tracepoints)" -e read --by syscall
measure "stats -e read --attach raw" -e read --attach raw --by syscall
measure "stats (all syscalls, raw)" --by syscall
