# Shared by the bench scripts; source it after setting $secs.

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
