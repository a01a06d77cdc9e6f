#!/usr/bin/env bash
# What `syscope stats` costs a syscall: bench/loadgen's read(fd, buf, 1) loop (CALLS calls,
# default 5,000,000) with no tracer, then under `syscope stats -e read` (per-syscall tracepoints)
# and `syscope stats` (every syscall, raw_syscalls), with the untraced getppid() loop as well.
#   sudo bench/stats-overhead.sh [CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-5000000}
SYSCOPE_ERR=target/bench-stats.err
. bench/lib.sh
loadgen_setup

echo "| mode | read ns/call | getppid ns/call | syscope summary |"
echo "|---|---|---|---|"
measure_loadgen "no tracer"
measure_loadgen "stats -e read (tracepoints)" stats -e read --by syscall
measure_loadgen "stats -e read --attach raw" stats -e read --attach raw --by syscall
measure_loadgen "stats (all syscalls, raw)" stats --by syscall
