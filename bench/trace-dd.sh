#!/usr/bin/env bash
# Trace-mode throughput under `dd bs=1`: runs dd for SECONDS (default 10) with no tracer, then
# under `syscope trace -e read -o FORMAT > /dev/null` for each hook set (per-syscall tracepoints,
# raw_syscalls) and buffer, and reports dd's syscall rate, the events syscope delivered, events/s
# over dd's run, and lost events. FORMAT is json (default) or text.
#   sudo bench/trace-dd.sh [SECONDS] [FORMAT]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
format=${2:-json}
[ -f target/syscope.jar ] || ./syscope --version >/dev/null

. bench/lib.sh

printf '%-16s %12s %11s %12s %10s %8s\n' mode dd_syscalls ns/syscall read_events events/s lost
base=$(run_dd)
printf '%-16s %12d %11.0f %12s %10s %8s\n' none "$base" "$(echo "$secs * 1000000000 / $base" | bc -l)" - - -
for mode in "tracepoint ring" "raw ring" "tracepoint perf"; do
	set -- $mode
	err=$(mktemp)
	./syscope trace -e read -o "$format" --attach "$1" --buffer "$2" --duration $((secs + 3)) >/dev/null 2>"$err" &
	sleep 2 # JVM start, load, attach
	recs=$(run_dd)
	wait
	ev=$(sed -n 's/^syscope: \([0-9]*\) events.*, \([0-9]*\) lost.*/\1/p' "$err")
	lost=$(sed -n 's/^syscope: \([0-9]*\) events.*, \([0-9]*\) lost.*/\2/p' "$err")
	printf '%-16s %12d %11.0f %12d %10.0f %8d\n' "$1-$2" "$recs" "$(echo "$secs * 1000000000 / $recs" | bc -l)" \
		"$ev" "$(echo "$ev / $secs" | bc -l)" "$lost"
	rm -f "$err"
done
