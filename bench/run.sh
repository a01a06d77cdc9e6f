#!/usr/bin/env bash
# syscope against its peers, in one interleaved run (issue 6):
#
#   sudo bench/run.sh [-t THREADS] [--only COND,...] [ROUNDS [N [SLOW_N]]]
#   sudo bench/run.sh --quick          # smoke check: 1 round, N=200000, SLOW_N=20000
#
# bench/loadgen.c makes N read(fd, buf, 1) calls from /dev/zero (split over THREADS threads,
# default 1) under each condition below; every round runs each condition once, in this order
# (A B C ... A B C ...), with a fresh tracer each time: the tracer starts and attaches, the
# waiting loadgen is released, and once its loop is done and the tracer has delivered (a
# streaming tracer: until the reader has counted N events, or its count stalls for 1 s), the
# tracer is sampled (CPU time, peak RSS) and stopped. ROUNDS defaults to 5, N to 3,000,000; the
# tracers that wake a reader per event or stop the tracee (bpftrace printf, BCC, perf trace,
# strace) make SLOW_N calls (default 100,000).
#
#   baseline         no tracer
#   floor-tp         an empty BPF program on tracepoint syscalls:sys_enter_read (bench/floor.c)
#   floor-tp-exit    the same on syscalls:sys_exit_read (the hook `stats` counts on)
#   floor-tp-pair    both (the hooks of `trace`)
#   floor-raw        an empty BPF program on raw_tp sys_enter (every syscall of the host)
#   stats-tp         syscope stats -e read -o json          (per-syscall tracepoints)
#   stats-raw        syscope stats -e read --attach raw -o json
#   stats-lat        syscope stats -L -e read --attach raw -o json (with latency: entry and exit hooks)
#   trace-json       syscope trace -e read -o json | count  (a pipe read by bench/count.c)
#   trace-text       syscope trace -e read | count
#   seed-ring        syscope | count                        (seed mode: reads and writes)
#   seed-perf        syscope --buffer perf | count
#   bpftrace-count   bpftrace: @[pid] = count() on tracepoint:syscalls:sys_enter_read
#   bpftrace-printf  bpftrace: the seed's line per sys_enter_read | count         (SLOW_N)
#   bcc              bench/bcc-seed.py, the seed's BCC design: perf buffer, woken per event (SLOW_N)
#   perf-trace       perf trace -e read -- loadgen                                (SLOW_N)
#   strace           strace -f -e trace=read -- loadgen                           (SLOW_N)
#
# Per condition it prints: median ns per read (min-max), the overhead over the baseline, the
# ratio to the baseline, the overhead over the tp floor's, the loadgen's events delivered
# against the calls it made (min over rounds), events lost as the tracer reports them (sum over
# rounds), the tracer's CPU time while the loadgen ran (median; and from its start), and its peak
# RSS (VmHWM, max) -- then the issue-6 targets with a verdict each. The Markdown goes to stdout
# and target/bench/run-DATE.md, the raw rounds to target/bench/run-DATE.csv. Installs what it
# needs with apt; a peer that cannot run here is reported as n/a with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="sudo bench/run.sh${*:+ $*}"

ALL=(baseline floor-tp floor-tp-exit floor-tp-pair floor-raw stats-tp stats-raw stats-lat trace-json trace-text seed-ring seed-perf
	bpftrace-count bpftrace-printf bcc perf-trace strace)
STATS_FLOOR_MAX=1.3  # stats' overhead / the tp floor's overhead
SEED_MAX=2.7         # seed mode's time / untraced time, with 100% delivered and 0 lost
TRACE_MAX=3.3        # trace -o json's time / untraced time, with 100% delivered and 0 lost
SETTLE=0.3           # seconds between the loadgen's end and sampling a tracer that aggregates
STALL=10             # a streaming tracer is done when its reader's count has not moved for 1 s

declare -A LABEL=(
	[baseline]="no tracer"
	[floor-tp]="floor: empty BPF, tp syscalls:sys_enter_read"
	[floor-tp-exit]="floor: empty BPF, tp syscalls:sys_exit_read (stats' hook)"
	[floor-tp-pair]="floor: empty BPF, tp sys_enter_read + sys_exit_read (trace's hooks)"
	[floor-raw]="floor: empty BPF, raw_tp sys_enter"
	[stats-tp]="syscope stats -e read -o json"
	[stats-raw]="syscope stats -e read --attach raw -o json"
	[stats-lat]="syscope stats -L -e read --attach raw -o json"
	[trace-json]="syscope trace -e read -o json \\| pipe"
	[trace-text]="syscope trace -e read \\| pipe"
	[seed-ring]="syscope (seed mode) \\| pipe"
	[seed-perf]="syscope --buffer perf (seed mode) \\| pipe"
	[bpftrace-count]="bpftrace @[pid] = count()"
	[bpftrace-printf]="bpftrace printf per event (seed's line) \\| pipe"
	[bcc]="BCC, perf buffer woken per event \\| pipe"
	[perf-trace]="perf trace -e read"
	[strace]="strace -f -e trace=read"
)
declare -A SLOW=([bpftrace-printf]=1 [bcc]=1 [perf-trace]=1 [strace]=1)

usage() {
	sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

rounds=5 n=3000000 slow_n=100000 threads=1 only= quick=0
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	-t) threads=${2:?-t needs a number}; shift ;;
	--only) only=${2:?--only needs a list}; shift ;;
	-h | --help) usage ;;
	-*) echo "bench/run.sh: unknown option $1" >&2; usage ;;
	*) args+=("$1") ;;
	esac
	shift
done
[ ${#args[@]} -le 3 ] || usage
if [ "$quick" = 1 ]; then
	rounds=1 n=200000 slow_n=20000
fi
rounds=${args[0]:-$rounds} n=${args[1]:-$n} slow_n=${args[2]:-$slow_n}
for v in "$rounds" "$n" "$slow_n" "$threads"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: not a positive number: $v" >&2; usage; }
done
conds=("${ALL[@]}")
if [ -n "$only" ]; then
	IFS=, read -r -a conds <<< "$only"
	for c in "${conds[@]}"; do
		[ -n "${LABEL[$c]:-}" ] || { echo "bench/run.sh: unknown condition $c (one of: ${ALL[*]})" >&2; exit 2; }
	done
fi
if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh: tracers load BPF programs; run it as root (sudo bench/run.sh)" >&2
	exit 1
fi

# --- Setup: tools, binaries, and which peers can run here ---------------------------------------

. scripts/lib/env.sh
syscope_mount_tracefs
syscope_apt_install gcc libc6-dev clang libbpf-dev bpftool
declare -A NA=() # condition -> why it cannot run here
for pkg in bpftrace python3-bpfcc strace linux-perf; do
	syscope_apt_install "$pkg" || echo "bench/run.sh: could not install $pkg" >&2
done
out_dir=target/bench
mkdir -p "$out_dir"
cc -O2 -Wall -static -pthread -o "$out_dir/loadgen" bench/loadgen.c # static: no read() but the loop's
cc -O2 -Wall -o "$out_dir/count" bench/count.c
clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c bench/floor.bpf.c -o "$out_dir/floor.bpf.o"
cc -O2 -Wall -o "$out_dir/floor" bench/floor.c -lbpf
./syscope --version > /dev/null # builds the jar if it is missing or stale
jdk=$(syscope_find_java)

tmp=$(mktemp -d /tmp/syscope-bench.XXXXXX)
one_pid=
on_exit() {
	if [ -n "$one_pid" ] && kill -0 "$one_pid" 2> /dev/null; then
		kill -TERM "$one_pid" 2> /dev/null || true
		wait "$one_pid" 2> /dev/null || true
	fi
	rm -rf "$tmp"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# probe NAME CMD...: runs CMD (at most 60 s); if it fails, NAME is n/a with the reason it gave.
probe() {
	local name=$1 why rc=0
	shift
	timeout 60 "$@" > "$tmp/probe.out" 2> "$tmp/probe.err" || rc=$?
	if [ "$rc" != 0 ]; then
		if grep -q 'Unable to find kernel headers' "$tmp/probe.out" "$tmp/probe.err"; then
			why="BCC compiles at run time and found no kernel headers for Linux $(uname -r) (no /lib/modules/$(uname -r)/build; no kheaders module)"
		else
			why=$(grep -v -e '^\s*$' -e 'RLIMIT_MEMLOCK' -e '^Traceback' -e '^  ' "$tmp/probe.err" | head -1 | tr -d ',|')
		fi
		NA[$name]="${why:-exit status $rc}"
	fi
}
if command -v bpftrace > /dev/null; then
	probe bpftrace-count bpftrace -e 'tracepoint:syscalls:sys_enter_read { @ = count(); } BEGIN { exit(); }'
	[ -z "${NA[bpftrace-count]:-}" ] || NA[bpftrace-printf]=${NA[bpftrace-count]}
else
	NA[bpftrace-count]="bpftrace is not installed" NA[bpftrace-printf]="bpftrace is not installed"
fi
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import bcc' 2> /dev/null; then
	# BCC compiles its C at run time: it needs the kernel's headers (or CONFIG_IKHEADERS).
	probe bcc /usr/bin/python3 -c 'from bcc import BPF; BPF(text="TRACEPOINT_PROBE(syscalls, sys_enter_read) { return 0; }")'
else
	NA[bcc]="python3-bpfcc is not installed"
fi
if command -v perf > /dev/null; then
	probe perf-trace perf trace -e read -o "$tmp/probe.trace" -- "$out_dir/loadgen" read 3
	[ -n "${NA[perf-trace]:-}" ] || [ "$("$out_dir/count" $'= 1\n' < "$tmp/probe.trace")" = 3 ] ||
		NA[perf-trace]="perf trace did not show the 3 reads of a test run"
else
	NA[perf-trace]="perf is not installed (Debian: linux-perf)"
fi
if command -v strace > /dev/null; then
	probe strace strace -f -qq -e trace=read -o "$tmp/probe.trace" "$out_dir/loadgen" read 3
else
	NA[strace]="strace is not installed"
fi

# --- One measurement -----------------------------------------------------------------------------

fail() {
	printf '%s' "$*" | tr ',\n|' ';;/' > "$tmp/one.reason"
	exit 1
}

# Kills whatever of this measurement still runs (after a failure or an interruption).
cleanup_one() {
	local p
	for p in ${tracer_pid:-} ${cnt_pid:-} ${lg_pid:-} ${wrap_pid:-}; do
		kill -0 "$p" 2> /dev/null && kill -KILL "$p" 2> /dev/null
	done
	wait 2> /dev/null || true
}

# CPU time (utime + stime, in clock ticks) and peak RSS (KiB) of process $1.
cpu_ticks() {
	local s
	s=$(< "/proc/$1/stat")
	s=${s##*) } # the fields after "pid (comm) "; utime and stime are fields 14 and 15
	set -- $s
	echo $((${12} + ${13}))
}
peak_rss() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

# wait_ready FILE REGEX: until FILE matches REGEX; fails if the tracer exits first or in 120 s.
wait_ready() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -qE "$2" "$1" 2> /dev/null && return 0
		kill -0 "$tracer_pid" 2> /dev/null || fail "exited before attaching: $(last_err)"
		sleep 0.1
	done
	fail "not attached within 120 s: $(last_err)"
}
# last_err: the tracer's last message (syscope's own, if it wrote one), not libbpf's log.
last_err() {
	local lines
	lines=$(grep -v -e 'libbpf: ' -e 'RLIMIT_MEMLOCK' -e '^syscope: attach:' "$tmp/one.err" 2> /dev/null || true)
	grep '^syscope: ' <<< "$lines" | tail -1 || tail -1 <<< "$lines"
}

# daemon CMD...: starts a tracer, stderr to one.err; stdout into a pipe read by count (which
# counts $pattern, keeps the count so far in one.progress, signals $mark into one.ready, copies
# lines with $echo to one.echo) when $pattern is set, else into one.out. Sets tracer_pid.
daemon() {
	if [ -n "$pattern" ]; then
		mkfifo "$tmp/one.pipe"
		"$out_dir/count" -p "$tmp/one.progress" ${mark:+-m "$mark" -s "$tmp/one.ready"} ${echo:+-e "$echo"} "$pattern" \
			< "$tmp/one.pipe" > "$tmp/one.count" 2> "$tmp/one.echo" &
		cnt_pid=$!
		"$@" > "$tmp/one.pipe" 2> "$tmp/one.err" &
	else
		"$@" > "$tmp/one.out" 2> "$tmp/one.err" &
	fi
	tracer_pid=$!
}

# foreign_bpf: how many BPF programs of other processes than the tracer's sit on a syscall
# hook (they slow every condition down alike; on a shared machine, other people's tracers).
foreign_bpf() {
	bpftool perf list 2> /dev/null | awk -v me="${tracer_pid:--}" '
		$2 != me && ($(NF - 1) == "tracepoint" || $(NF - 1) == "raw_tracepoint") && $NF ~ /^sys_(enter|exit)/ { n++ }
		END { print n + 0 }'
}

# drain N: waits until the reader has counted N events, or its count has not moved for
# $STALL tenths of a second (the rest was lost, or never comes); at most 10 minutes.
drain() {
	local c last=-1 still=0 i
	for ((i = 0; i < 6000; i++)); do
		c=$(< "$tmp/one.progress")
		[ "$c" -lt "$1" ] || return 0
		if [ "$c" = "$last" ]; then
			still=$((still + 1))
			[ "$still" -lt "$STALL" ] || return 0
		else
			still=0 last=$c
		fi
		sleep 0.1
	done
}

# syscope_lost: events syscope reports lost (+ not counted because its map was full, + not streamed).
syscope_lost() {
	local line lost full unstreamed
	line=$(grep -E '^syscope: .*[0-9]+ lost' "$tmp/one.err" | tail -1) || fail "no summary line: $(last_err)"
	lost=$(sed -E 's/^syscope: (.* )?([0-9]+) lost.*/\2/' <<< "$line")
	full=$(sed -nE 's/.* ([0-9]+) not counted.*/\1/p' <<< "$line")
	# trace --on-overload=aggregate: calls counted in the kernel instead of streamed are not delivered either
	unstreamed=$(sed -nE 's/.* ([0-9]+) not streamed.*/\1/p' <<< "$line")
	echo $((lost + ${full:-0} + ${unstreamed:-0}))
}

# sum_of REGEX FILE...: the sum of the numbers in the lines' matches of REGEX ("Lost N events").
sum_of() {
	local re=$1
	shift
	{ grep -ohE "$re" "$@" || true; } | awk '{ s += $2 } END { print s + 0 }'
}

# run_one COND N: one measurement of COND with N calls; writes "ns delivered lost cpu_load_s
# cpu_total_s peak_rss_kib foreign_bpf" to one.result ("-" where it does not apply).
run_one() {
	local cond=$1 n=$2 launch=() pattern= mark= echo= ns delivered=- lost=- c0 c1 rss=- rc=0
	local cpu_load=- cpu_total=- tck pid foreign
	tracer_pid= cnt_pid= lg_pid= wrap_pid=
	trap cleanup_one EXIT
	trap 'exit 143' TERM
	rm -f "$tmp"/one.*
	: > "$tmp/one.err"
	tck=$(getconf CLK_TCK)

	case $cond in
	perf-trace) launch=(perf trace -e read -o "$tmp/one.out" --) ;;
	strace) launch=(strace -f -qq -e trace=read -o "$tmp/one.out") ;;
	esac
	# The loadgen first, gated: it prints its pid, then waits for SIGUSR1 to start.
	mkfifo "$tmp/one.lg"
	"${launch[@]}" "$out_dir/loadgen" -w -t "$threads" read "$n" > "$tmp/one.lg" 2> "$tmp/one.lgerr" &
	wrap_pid=$!
	exec {lgfd}< "$tmp/one.lg"
	read -r -t 60 -u "$lgfd" lg_pid || fail "loadgen did not start: $(tail -1 "$tmp/one.lgerr")"
	[ ${#launch[@]} -gt 0 ] && tracer_pid=$wrap_pid

	case $cond in
	baseline | perf-trace | strace) ;;
	floor-tp | floor-tp-exit | floor-tp-pair | floor-raw)
		daemon "$out_dir/floor" "$out_dir/floor.bpf.o" "${cond#floor-}"
		wait_ready "$tmp/one.out" '^attached' ;;
	stats-tp | stats-raw | stats-lat)
		case $cond in
		stats-tp) daemon ./syscope stats -e read -o json -v ;;
		stats-raw) daemon ./syscope stats -e read --attach raw -o json -v ;;
		stats-lat) daemon ./syscope stats -L -e read --attach raw -o json -v ;;
		esac
		wait_ready "$tmp/one.err" '^syscope: attach: (tracepoints|raw)' ;;
	trace-json | trace-text)
		if [ "$cond" = trace-json ]; then
			pattern="\"pid\":$lg_pid,"
			daemon ./syscope trace -e read -o json -v
		else
			pattern=" $lg_pid loadgen "
			daemon ./syscope trace -e read -v
		fi
		wait_ready "$tmp/one.err" '^syscope: attach: (tracepoints|raw)' ;;
	seed-ring | seed-perf)
		pattern=$'\n'"$lg_pid - hello sys_read "
		daemon ./syscope --buffer "${cond#seed-}" -v
		wait_ready "$tmp/one.err" '^syscope: attach: using' ;;
	bpftrace-count)
		daemon bpftrace -e 'BEGIN { printf("attached\n"); } tracepoint:syscalls:sys_enter_read { @[pid] = count(); }'
		wait_ready "$tmp/one.out" '^attached' ;;
	bpftrace-printf)
		pattern=$'\n'"$lg_pid - hello sys_read " mark=attached echo=Lost
		daemon bpftrace -e 'BEGIN { printf("attached\n"); }
			tracepoint:syscalls:sys_enter_read { printf("%d - hello sys_read was called\n", pid); }'
		wait_ready "$tmp/one.ready" '^attached' ;;
	bcc)
		pattern=$'\n'"$lg_pid - hello sys_read "
		daemon /usr/bin/python3 bench/bcc-seed.py
		wait_ready "$tmp/one.err" '^bcc-seed: attached' ;;
	*) fail "unknown condition $cond" ;;
	esac

	foreign=$(foreign_bpf)
	[ -n "$tracer_pid" ] && c0=$(cpu_ticks "$tracer_pid")
	kill -USR1 "$lg_pid"
	read -r -t 3600 -u "$lgfd" ns || fail "loadgen failed: $(tail -1 "$tmp/one.lgerr") $(last_err)"
	if [ -n "$tracer_pid" ]; then
		if [ -n "$pattern" ]; then
			drain "$n"
		elif [ ${#launch[@]} = 0 ]; then
			sleep "$SETTLE"
		fi
		kill -0 "$tracer_pid" 2> /dev/null || fail "exited while the loadgen ran: $(last_err)"
		c1=$(cpu_ticks "$tracer_pid")
		rss=$(peak_rss "$tracer_pid")
		cpu_load=$(awk -v t="$((c1 - c0))" -v h="$tck" 'BEGIN { printf "%.2f", t / h }')
		cpu_total=$(awk -v t="$c1" -v h="$tck" 'BEGIN { printf "%.2f", t / h }')
	fi
	# Each pid is forgotten once reaped, so cleanup_one cannot hit a reused one.
	if [ ${#launch[@]} = 0 ] && [ -n "$tracer_pid" ]; then
		kill -"$([ "$cond" = bcc ] && echo INT || echo TERM)" "$tracer_pid"
		wait "$tracer_pid" || rc=$?
		tracer_pid=
		case $rc in 0 | 130 | 143) ;; *) fail "exited with status $rc: $(last_err)" ;; esac
	fi
	if [ -n "$cnt_pid" ]; then
		wait "$cnt_pid" || fail "the reader failed: $(cat "$tmp/one.echo")"
		cnt_pid=
	fi
	kill -USR1 "$lg_pid" # let it exit; a launching tracer exits with it
	rc=0
	wait "$wrap_pid" || rc=$?
	pid=$lg_pid wrap_pid= lg_pid= tracer_pid=
	exec {lgfd}<&-
	[ "$rc" = 0 ] || fail "loadgen (or its tracer) exited with status $rc: $(tail -1 "$tmp/one.lgerr")"

	case $cond in
	stats-*)
		delivered=$(grep -oE "\"pid\":$pid,\"comm\":\"[^\"]*\",\"syscall\":\"read\",\"count\":[0-9]+" "$tmp/one.out" |
			sed 's/.*://' | awk '{ s += $1 } END { print s + 0 }')
		lost=$(syscope_lost) ;;
	trace-* | seed-*)
		delivered=$(< "$tmp/one.count")
		lost=$(syscope_lost) ;;
	bpftrace-count)
		delivered=$(sed -n "s/^@\[$pid\]: //p" "$tmp/one.out")
		lost=$(sum_of 'Lost [0-9]+ events' "$tmp/one.out" "$tmp/one.err") ;;
	bpftrace-printf)
		delivered=$(< "$tmp/one.count")
		lost=$(sum_of 'Lost [0-9]+ events' "$tmp/one.echo" "$tmp/one.err") ;;
	bcc)
		delivered=$(< "$tmp/one.count")
		lost=$(sed -n 's/^bcc-seed: \([0-9]*\) lost$/\1/p' "$tmp/one.err")
		[ -n "$lost" ] || fail "no lost count: $(last_err)" ;;
	perf-trace)
		# Completed calls: "read(fd: ...) = 1", or "[continued]: read()) = 1" when perf trace
		# printed the entry apart (another thread ran between) or never got it.
		delivered=$("$out_dir/count" $'= 1\n' < "$tmp/one.out")
		lost=$(sum_of 'LOST [0-9]+ events' "$tmp/one.out") ;;
	strace)
		delivered=$("$out_dir/count" ' read(' < "$tmp/one.out") ;; # ptrace stops the tracee: nothing is lost
	esac
	[ -n "$delivered" ] || delivered=0
	echo "$ns $delivered $lost $cpu_load $cpu_total $rss $foreign" > "$tmp/one.result"
}

# --- The rounds ----------------------------------------------------------------------------------

stamp=$(date -u +%Y%m%d-%H%M%S)
csv=$out_dir/run-$stamp.csv
md=$out_dir/run-$stamp.md
echo "round,condition,n,threads,ns_per_call,delivered,lost,cpu_load_s,cpu_total_s,peak_rss_kib,foreign_bpf,status" > "$csv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
syscope_failed=0
for ((r = 1; r <= rounds; r++)); do
	for c in "${conds[@]}"; do
		cn=$n
		[ -z "${SLOW[$c]:-}" ] || cn=$slow_n
		if [ -n "${NA[$c]:-}" ]; then
			echo "$r,$c,$cn,$threads,,,,,,,,n/a: ${NA[$c]}" >> "$csv"
			continue
		fi
		rc=0
		run_one "$c" "$cn" &
		one_pid=$!
		wait "$one_pid" || rc=$?
		one_pid=
		if [ "$rc" = 0 ]; then
			read -r ns del lost cl ct rss foreign < "$tmp/one.result"
			echo "$r,$c,$cn,$threads,$ns,$del,$lost,$cl,$ct,$rss,$foreign,ok" >> "$csv"
			printf 'round %d/%d %-16s %9s ns/call  delivered %s/%s  lost %s%s\n' "$r" "$rounds" "$c" "$ns" "$del" "$cn" "$lost" \
				"$([ "$foreign" = 0 ] || echo "  (+$foreign BPF programs of other processes on syscall hooks)")" >&2
		else
			why=$(cat "$tmp/one.reason" 2> /dev/null || echo "status $rc")
			echo "$r,$c,$cn,$threads,,,,,,,,failed: $why" >> "$csv"
			echo "round $r/$rounds $c FAILED: $why" >&2
			case $c in bpftrace-* | bcc | perf-trace | strace) ;; *) syscope_failed=1 ;; esac
		fi
	done
done
elapsed=$(($(date +%s) - started))

# --- The table -----------------------------------------------------------------------------------

# col_stat COND FIELD: "median min max" of FIELD over COND's successful rounds (nothing if none).
col_stat() {
	awk -F, -v c="$1" -v f="$2" '$2 == c && $NF == "ok" && $f != "-" { print $f }' "$csv" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
}
# calc EXPR: bc with 4 decimals.
calc() { echo "scale=4; $1" | bc; }
fmt() { printf "%.${2:-0}f" "$1"; }

read -r base_ns _ <<< "$(col_stat baseline 5)" || true
read -r ftp_ns _ <<< "$(col_stat floor-tp 5)" || true
ftp_over=
[ -n "${base_ns:-}" ] && [ -n "${ftp_ns:-}" ] && ftp_over=$(calc "$ftp_ns - $base_ns")
declare -A VERDICT=()

report() {
	echo "## Interleaved run: \`$command_line\`"
	echo
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $rounds round(s) of N=$n reads (SLOW_N=$slow_n for the tracers marked so), $threads thread(s); $((elapsed / 60)) min $((elapsed % 60)) s."
	echo "- Machine: $(nproc) vCPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after."
	echo "- Software: syscope $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes'), $("$jdk/bin/java" -version 2>&1 | head -1), libbpf $(dpkg-query -W -f='${Version}' libbpf1 2> /dev/null), $(bpftrace --version 2> /dev/null || echo 'no bpftrace'), $(strace -V 2> /dev/null | head -1 || echo 'no strace'), $(perf version 2> /dev/null || echo 'no perf')."
	echo "- Raw rounds: \`$csv\`. $(awk -F, 'NR > 1 && $NF == "ok" { m++; if ($11 > 0) k++ } END { printf "Measurements with another process'"'"'s BPF program on a syscall hook (column foreign_bpf): %d of %d.", k, m }' "$csv")"
	echo
	echo "| condition | N | ns/read median (min–max) | overhead ns | × untraced | ÷ tp floor's overhead | delivered / made (min) | lost or not streamed (sum) | tracer CPU s: during load / total | peak RSS MiB |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	local c cn med min max over ratio fr del lost cl ct rss failed
	for c in "${conds[@]}"; do
		cn=$n
		[ -z "${SLOW[$c]:-}" ] || cn=$slow_n
		if [ -n "${NA[$c]:-}" ]; then
			echo "| ${LABEL[$c]} | $cn | n/a (${NA[$c]}) | | | | | | | |"
			continue
		fi
		failed=$(awk -F, -v c="$c" -v r="$rounds" '$2 == c && $NF ~ /^failed/ { n++; w = $NF } END { if (n) printf "%d of %d rounds %s", n, r, w }' "$csv")
		read -r med min max <<< "$(col_stat "$c" 5)"
		if [ -z "$med" ]; then
			echo "| ${LABEL[$c]} | $cn | n/a (${failed:-no data}) | | | | | | | |"
			continue
		fi
		over= ratio= fr=
		if [ -n "${base_ns:-}" ] && [ "$c" != baseline ]; then
			over=$(calc "$med - $base_ns")
			ratio=$(calc "$med / $base_ns")
			if [ -n "$ftp_over" ] && [ "$(calc "$ftp_over > 0")" = 1 ] && [ "$c" != floor-tp ]; then
				fr=$(calc "$over / $ftp_over")
			fi
		fi
		del=$(awk -F, -v c="$c" '$2 == c && $NF == "ok" && $6 != "-" { p = 100 * $6 / $3; if (!k++ || p < lo) { lo = p; least = $6 } if (p > hi) hi = p }
			END { if (k) { printf "%s%%", pct(lo); if (hi != lo) printf "–%s%%", pct(hi); if (lo != 100) printf " (min %d)", least } }
			function pct(p) { return p == 100 ? "100" : sprintf("%.2f", int(p * 100) / 100) }' "$csv")
		lost=$(awk -F, -v c="$c" '$2 == c && $NF == "ok" && $7 != "-" { s += $7; k++ } END { if (k) print s }' "$csv")
		read -r cl _ <<< "$(col_stat "$c" 8)" || cl=
		read -r ct _ <<< "$(col_stat "$c" 9)" || ct=
		read -r _ _ rss <<< "$(col_stat "$c" 10)" || rss=
		printf '| %s | %s | %s (%s–%s) | %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$c]}${failed:+ ($failed)}" "$cn" \
			"$(fmt "$med")" "$(fmt "$min")" "$(fmt "$max")" "${over:+$(fmt "$over")}" "${ratio:+$(fmt "$ratio" 2)×}" \
			"${fr:+$(fmt "$fr" 2)×}" "${del:-–}" "${lost:-–}" "${cl:+$cl / $ct}" "${rss:+$(fmt "$(calc "$rss / 1024")")}"
		# The issue-6 targets.
		case $c in
		stats-tp)
			if [ -n "$fr" ]; then
				VERDICT[$c]="$(target "$(calc "$fr <= $STATS_FLOOR_MAX")") \`stats -e read\` overhead $(fmt "$over") ns = $(fmt "$fr" 2)× the tp floor's $(fmt "$ftp_over") ns (target ≤ $STATS_FLOOR_MAX×)"
			else
				VERDICT[$c]="n/a: no tp floor overhead to divide by (the floor did not run, or was not slower than the baseline: noise)"
			fi ;;
		seed-ring) [ -n "$ratio" ] && VERDICT[$c]="$(target "$(calc "$ratio <= $SEED_MAX")" "$del" "$lost") seed mode: $(fmt "$ratio" 2)× untraced, delivered $del, lost $lost (target: 100%, 0 lost, ≤ $SEED_MAX× for N=3,000,000)" ;;
		trace-json) [ -n "$ratio" ] && VERDICT[$c]="$(target "$(calc "$ratio <= $TRACE_MAX")" "$del" "$lost") \`trace -e read -o json\` into a pipe: $(fmt "$ratio" 2)× untraced, delivered $del, lost $lost (target: 100%, 0 lost, ≤ $TRACE_MAX×)" ;;
		esac
	done
	local heading="Targets (issue 6; medians; N=$n):"
	for c in stats-tp seed-ring trace-json; do
		[[ " ${conds[*]} " == *" $c "* ]] || continue
		[ -z "$heading" ] || printf '\n%s\n' "$heading"
		heading=
		echo "- ${VERDICT[$c]:-n/a: no data for $c (or for the baseline / tp floor)}"
	done
}
# target FITS [DELIVERED LOST]: PASS when the time fits and, if given, all was delivered, 0 lost.
target() {
	if [ "$1" = 1 ] && { [ $# = 1 ] || { [ "$2" = 100% ] && [ "$3" = 0 ]; }; }; then echo "**PASS**"; else echo "**FAIL**"; fi
}

report | tee "$md"
echo >&2
echo "bench/run.sh: $elapsed s; raw rounds in $csv, table in $md" >&2
[ "$syscope_failed" = 0 ] || { echo "bench/run.sh: some baseline, floor or syscope measurements failed (see above)" >&2; exit 1; }
