# Shared by the bench scripts: run_dd needs $secs, measure_loadgen $calls and $SYSCOPE_ERR.

# Runs `dd if=/dev/zero of=/dev/null bs=1` for $secs seconds; prints its read+write syscall count.
run_dd() {
	local log pid recs
	log=$(mktemp)
	dd if=/dev/zero of=/dev/null bs=1 2>"$log" &
	pid=$!
	sleep "$secs"
	kill -USR1 "$pid" # dd prints its statistics ...
	sleep 0.2
	kill "$pid" # ... and stops
	wait "$pid" 2>/dev/null || true
	recs=$(sed -n 's/^\([0-9]*\)+0 records out/\1/p' "$log" | head -1)
	rm -f "$log"
	echo $((2 * recs))
}

# Starts `./syscope -v ARGS...` in the background with stderr in $SYSCOPE_ERR, waits until it has
# attached, and sets $syscope_pid. Exits if syscope dies first.
start_syscope() {
	./syscope "$@" -v > /dev/null 2> "$SYSCOPE_ERR" &
	syscope_pid=$!
	until grep -q "attach:" "$SYSCOPE_ERR" 2>/dev/null; do
		kill -0 "$syscope_pid" 2>/dev/null || { cat "$SYSCOPE_ERR" >&2; exit 1; }
		sleep 0.1
	done
}

# Stops what start_syscope started (SIGTERM: background jobs of a script ignore SIGINT).
stop_syscope() {
	kill -TERM "$syscope_pid"
	wait "$syscope_pid" || true
}

# Prepares the loadgen benchmarks: tracefs, target/loadgen, the jar.
loadgen_setup() {
	. scripts/lib/env.sh
	syscope_mount_tracefs
	cc -O2 -o target/loadgen bench/loadgen.c
	[ -f target/syscope.jar ] || ./syscope --version >/dev/null
}

# measure_loadgen LABEL [SYSCOPE ARGS...]: loadgen's ns per call for read and for getppid
# ($calls each), under `./syscope ARGS` (no ARGS: no tracer), as a Markdown table row ending
# with syscope's summary line.
measure_loadgen() {
	local label=$1 pair
	shift
	: > "$SYSCOPE_ERR"
	[ "$#" -gt 0 ] && start_syscope "$@"
	pair="$(target/loadgen read "$calls") | $(target/loadgen getppid "$calls")"
	[ "$#" -gt 0 ] && stop_syscope
	echo "| $label | $pair | $(tail -1 "$SYSCOPE_ERR" | sed 's/^syscope: //') |"
}
