#!/bin/bash
# Guest-side check of syscope's attach modes with a child whose read/write calls are known, for a
# kernel with kprobes (this host has none). Build first (scripts/test.sh builds the jar and
# target/syscall_child), then boot Debian's 6.1 kernel and run it there:
#   sudo scripts/kernel-matrix.sh --timeout 600 -- bash scripts/kprobe-guest-check.sh
# Exits 1 unless every case saw exactly the child's calls (pipe 3 2: 3 writes then 2 reads;
# write 1000 7: 1000 writes) with 0 lost, and auto mode chose kprobes. It also runs
# `syscope trace` (per-syscall tracepoints and raw_syscalls) on the same child: another kernel's
# tracepoint layouts and CO-RE relocations of pt_regs, and `syscope stats` (CO-RE reads of
# task_struct's group_leader, comm and self_exec_id).
# PARALLEL=1 (default) runs all cases at once, each with its own child and its own syscope
# filtering on that child's pid (the guest CPU is ~20x slower than the host and JVM start-up
# dominates); PARALLEL=0 runs them one after the other. WRITE_TEST=1 adds the 1000x7-byte writer.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib/env.sh"
J=${J:-$(syscope_find_java)/bin/java}
JAR=${JAR:-$here/target/syscope.jar}
CHILD=${CHILD:-$here/target/syscall_child}
DUR=${DUR:-20}
# The guest CPU is emulated (TCG): C1 only and the serial GC start a JVM with far less work.
JOPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
PARALLEL=${PARALLEL:-1}
W=/tmp/sk
rm -rf $W
mkdir -p $W
echo "kernel $(uname -r) ($(uname -v)), $(nproc) CPUs; $($J -version 2>&1 | head -n1); parallel=$PARALLEL duration=$DUR"
now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

wait_for() { # wait_for FILE PATTERN PID SECONDS
	local i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		kill -0 "$3" 2>/dev/null || return 1
		i=$((i + 1))
		[ $i -gt $(($4 * 5)) ] && return 1
		sleep 0.2
	done
}

# case NAME ATTACH BUFFER DURATION CHILD-ARGS...: prints its report on stdout
case_() {
	local name=$1 attach=$2 buffer=$3 dur=$4 d=$W/$1 cpid spid crc src w r t0 tready seq
	shift 4
	mkdir -p "$d"
	mkfifo "$d/fifo"
	"$CHILD" "$@" <"$d/fifo" >"$d/child.out" &
	cpid=$!
	exec 3>"$d/fifo"
	wait_for "$d/child.out" '^ready' $cpid 60 || echo "child not ready"
	t0=$(now)
	local bopt=(--buffer "$buffer")
	[ "$buffer" = default ] && bopt=()
	"$J" "${JOPTS[@]}" -jar "$JAR" --attach "$attach" "${bopt[@]}" -p $cpid --duration "$dur" -v >"$d/out" 2>"$d/err" &
	spid=$!
	wait_for "$d/out" 'Skipping self PID' $spid 400 || echo "syscope did not print 'Skipping self PID'"
	tready=$(since "$t0")
	printf x >&3
	exec 3>&-
	wait $cpid
	crc=$?
	wait $spid
	src=$?
	w=$(grep -c "^$cpid - hello sys_write was called\$" "$d/out")
	r=$(grep -c "^$cpid - hello sys_read was called\$" "$d/out")
	echo
	echo "=== $name: --attach $attach ${bopt[*]} --duration $dur -v -p <child>; child: $* (pid $cpid, exit $crc)"
	echo "syscope exit $src, 'Skipping self PID' after ${tready}s, total $(since "$t0")s"
	seq=$(grep "^$cpid - hello sys_" "$d/out" | sed 's/.*hello sys_\([a-z]*\) was called$/\1/' | uniq -c | awk '{ printf "%s%sx%s", sep, $2, $1; sep = "," }')
	echo "COUNT $name: writes=$w reads=$r other-stdout-lines=$(grep -vc ' - hello sys_' "$d/out") sequence=$seq"
	echo "--- stdout without the $w+$r event lines of pid $cpid:"
	grep -v "^$cpid - hello sys_" "$d/out" | head -n 20
	echo "--- stderr ($(wc -l <"$d/err") lines), without libbpf's log:"
	grep -v '^syscope: libbpf: ' "$d/err"
	echo "--- libbpf: $(grep -c '^syscope: libbpf: ' "$d/err") lines; its attach-related lines:"
	grep -E 'LINUX_HAS_SYSCALL_WRAPPER.: set|kernel BTF|struct pt_regs: found|patched insn #4 |error|fail|Error|invalid' "$d/err" | head -n 8
}

# pipe_child DIR: starts a `pipe 3 2` child that waits for a byte on fd 3 (DIR/fifo); sets the
# caller's cpid once the child is ready
pipe_child() {
	mkdir -p "$1"
	mkfifo "$1/fifo"
	"$CHILD" pipe 3 2 <"$1/fifo" >"$1/child.out" &
	cpid=$!
	exec 3>"$1/fifo"
	wait_for "$1/child.out" '^ready' $cpid 60 || echo "child not ready"
}

# trace_case NAME ATTACH DURATION: `syscope trace -e read,write -o json` on a `pipe 3 2` child
trace_case() {
	local name=$1 attach=$2 dur=$3 d=$W/$1 cpid spid w r
	pipe_child "$d"
	"$J" "${JOPTS[@]}" -jar "$JAR" trace -e read,write --attach "$attach" -o json -p $cpid --duration "$dur" -v >"$d/out" 2>"$d/err" &
	spid=$!
	wait_for "$d/err" 'syscope: attach: ' $spid 400 || echo "syscope trace did not attach"
	printf x >&3
	exec 3>&-
	wait $cpid
	wait $spid
	w=$(grep -c "\"pid\":$cpid,.*\"syscall\":\"write\",\"args\":{\"fd\":[0-9]*,\"buf\":[0-9]*,\"count\":1},\"ret\":1,\"errno\":null" "$d/out")
	r=$(grep -c "\"pid\":$cpid,.*\"syscall\":\"read\",\"args\":{\"fd\":[0-9]*,\"buf\":[0-9]*,\"count\":1},\"ret\":1,\"errno\":null" "$d/out")
	echo
	echo "=== $name: trace -e read,write --attach $attach -o json -p <child>; child: pipe 3 2 (pid $cpid)"
	echo "COUNT $name: writes=$w reads=$r lines=$(wc -l <"$d/out")"
	grep -v '^syscope: libbpf: ' "$d/err"
	head -n 2 "$d/out"
}

# stats_case NAME DURATION: `syscope stats -L -e read,write -o json` on a `pipe 3 2` child (with
# latency: entry and exit hooks, so the child's read(0) that was waiting at attach time is not counted)
stats_case() {
	local name=$1 dur=$2 d=$W/$1 cpid spid
	pipe_child "$d"
	"$J" "${JOPTS[@]}" -jar "$JAR" stats -L -e read,write -o json -p $cpid --duration "$dur" -v >"$d/out" 2>"$d/err" &
	spid=$!
	wait_for "$d/err" 'syscope: attach: ' $spid 400 || echo "syscope stats did not attach"
	printf x >&3
	exec 3>&-
	wait $cpid
	wait $spid
	echo
	echo "=== $name: stats -L -e read,write -o json -p <child>; child: pipe 3 2 (pid $cpid)"
	echo "STATS $name: $(grep -o '"comm":"[^"]*","syscall":"[a-z]*","count":[0-9]*,"errors":[0-9]*' "$d/out" | sort | tr '\n' ' ')"
	grep -v '^syscope: libbpf: ' "$d/err"
	cat "$d/out"
}

# Seed mode: explicit kprobes on the seed's perf buffer, explicit tracepoints on the ring buffer,
# and auto (ring buffer), which must choose kprobes here. (The other buffer of each attach mode is
# tested on the host.)
cases=(
	"kprobe-perf kprobe perf $DUR pipe 3 2"
	"tracepoint-ring tracepoint ring $DUR pipe 3 2"
)
if [ "${WRITE_TEST:-0}" = 1 ]; then
	cases+=("kprobe-ring-write kprobe ring $DUR write /dev/null 1000 7"
		"kprobe-perf-write kprobe perf $DUR write /dev/null 1000 7")
fi
cases+=("auto auto default $DUR pipe 3 2") # as long as the others: the loaded guest can take seconds to run the child

trace_cases=("trace-tracepoint tracepoint $DUR" "trace-raw raw $DUR")

T=$(now)
pids=()
stats_case stats $DUR >$W/stats.report 2>&1 &
pids+=($!)
[ "$PARALLEL" = 1 ] || wait "${pids[@]}"
for c in "${trace_cases[@]}"; do
	# shellcheck disable=SC2086
	set -- $c
	trace_case "$@" >$W/$1.report 2>&1 &
	pids+=($!)
	[ "$PARALLEL" = 1 ] || wait "${pids[@]}"
done
for c in "${cases[@]}"; do
	# shellcheck disable=SC2086
	set -- $c
	if [ "$PARALLEL" = 1 ]; then
		case_ "$@" >$W/$1.report 2>&1 &
		pids+=($!)
	else
		case_ "$@" | tee $W/$1.report
	fi
done
wait "${pids[@]}"
for c in "${trace_cases[@]}"; do
	set -- $c
	cat $W/$1.report
done
cat $W/stats.report
if [ "$PARALLEL" = 1 ]; then
	for c in "${cases[@]}"; do
		set -- $c
		cat $W/$1.report
	done
fi
echo
echo "SUMMARY"
grep -h '^COUNT\|^STATS' $W/*.report 2>/dev/null || true
echo "guest script total $(since "$T")s"

# Verdict: every case exact, nothing lost, auto on kprobes.
fail=0
for c in "${cases[@]}"; do
	set -- $c
	case "$5" in
	pipe) want="writes=3 reads=2 other-stdout-lines=4 sequence=writex3,readx2" ;;
	write) want="writes=1000 reads=0 other-stdout-lines=4 sequence=writex1000" ;;
	esac
	if ! grep -q "^COUNT $1: $want\$" $W/$1.report; then
		echo "FAIL $1: expected '$want'"
		fail=1
	fi
	if ! grep -Eq '^syscope: [0-9]+ events received, 0 lost$' $W/$1/err; then
		echo "FAIL $1: events lost or no summary"
		fail=1
	fi
done
for c in "${trace_cases[@]}"; do
	set -- $c
	# the child's 3 writes and 2 reads, and nothing else (its stdout "ready" is written before the attach)
	if ! grep -q "^COUNT $1: writes=3 reads=2 lines=5\$" $W/$1.report; then
		echo "FAIL $1: expected writes=3 reads=2 lines=5"
		fail=1
	fi
	if ! grep -Eq '^syscope: 5 events, 0 not streamed \(counted in the kernel\), 0 lost$' $W/$1/err; then
		echo "FAIL $1: events lost or no summary"
		fail=1
	fi
done
want='"comm":"syscall_child","syscall":"read","count":2,"errors":0 "comm":"syscall_child","syscall":"write","count":3,"errors":0 '
if ! grep -qF "STATS stats: $want" $W/stats.report || ! grep -q '^syscope: 0 lost, 0 not counted' $W/stats/err; then
	echo "FAIL stats: expected $want, 0 lost, 0 not counted"
	fail=1
fi
if ! grep -q 'attach: auto: using kprobes' $W/auto/err; then
	echo "FAIL auto: did not choose kprobes"
	fail=1
fi
[ $fail = 0 ] && echo "PASS"
exit $fail
