#!/usr/bin/env bash
# Where per-syscall tracepoints stop paying off against raw_syscalls (syscope trace --attach).
#
#   sudo bench/trace-crossover.sh [CALLS]     (default 5,000,000 calls per measurement)
#
# For each hook set it measures, with `syscope trace -e read -o json > /dev/null` running:
#   - a traced syscall:   read(fd, buf, 1) from /dev/zero (pays the full event path)
#   - an untraced one:    getppid() (pays what the hook costs syscalls nobody asked for)
# and how long attaching K per-syscall tracepoints takes. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-5000000}
SYSCOPE_ERR=target/bench-trace.err
. bench/lib.sh
loadgen_setup

echo "| hooks | read ns/call (traced) | getppid ns/call (untraced) | syscope summary |"
echo "|---|---|---|---|"
measure_loadgen "no tracer"
measure_loadgen "tracepoint: syscalls:sys_{enter,exit}_read" trace -e read --attach tracepoint -o json
measure_loadgen "raw: raw_syscalls + bitmap {read}" trace -e read --attach raw -o json

echo
echo "| per-syscall tracepoints attached | attach time (s) |"
echo "|---|---|"
for k in 1 8 32 128; do
	list=$(./syscope list | awk 'NR>1 {print $2}' | while read -r n; do
		[ -d "/sys/kernel/tracing/events/syscalls/sys_enter_$n" ] && echo "$n"; done | grep -v '^exit' | head -n "$k" | paste -sd,)
	start=$(date +%s.%N)
	./syscope trace -e "$list" --attach tracepoint --duration 0.001 -o json > /dev/null 2>&1
	end=$(date +%s.%N)
	echo "| $k | $(echo "$end - $start" | bc) |"
done
