#!/usr/bin/env bash
# Seed-mode throughput under `dd bs=1`: for the baseline (no tracer) and each buffer, runs dd for
# SECONDS (default 10) and reports dd's own syscall rate, the events syscope received, events/s
# and lost. syscope writes its lines to OUT (default /dev/null; "pipe" sends them through `cat`).
#   sudo bench/seed-dd.sh [SECONDS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
out=${2:-/dev/null}
[ -f target/syscope.jar ] || ./syscope --version >/dev/null

. bench/lib.sh

printf '%-9s %14s %14s %14s %12s %8s\n' mode dd_syscalls ns/syscall events events/s lost
base=$(run_dd)
printf '%-9s %14d %14.0f %14s %12s %8s\n' none "$base" "$(echo "$secs * 1000000000 / $base" | bc -l)" - - -
for buf in ring perf; do
	err=$(mktemp)
	if [ "$out" = pipe ]; then
		./syscope --buffer "$buf" --duration $((secs + 3)) 2>"$err" | cat >/dev/null &
	else
		./syscope --buffer "$buf" --duration $((secs + 3)) >"$out" 2>"$err" &
	fi
	sleep 2 # JVM start, load, attach
	recs=$(run_dd)
	wait
	ev=$(sed -n 's/^syscope: \([0-9]*\) events received, \([0-9]*\) lost.*/\1/p' "$err")
	lost=$(sed -n 's/^syscope: \([0-9]*\) events received, \([0-9]*\) lost.*/\2/p' "$err")
	printf '%-9s %14d %14.0f %14d %12.0f %8d\n' "$buf" "$recs" "$(echo "$secs * 1000000000 / $recs" | bc -l)" \
		"$ev" "$(echo "$ev / $secs" | bc -l)" "$lost"
	rm -f "$err"
done
