#!/usr/bin/env bash
# Start-up and memory of syscope, as root (the jar is built if missing).
#
#   sudo bench/startup.sh [-n RUNS] [-m VARIANTS] [-j JAR] [-o JVM_OPTS] [time]   start-up
#   sudo bench/startup.sh [-s SECONDS] [-m VARIANTS] [-j JAR] [-o JVM_OPTS] rss   memory
#
# time: each case (seed, trace -e read, stats -e read, trace -e read --attach raw, --version)
# runs RUNS times (default 9) with --duration 0.1 and SYSCOPE_STARTUP_LOG=1, which makes syscope
# print a timestamp per phase; then, if bpftrace is installed, the peer: bpftrace counting
# sys_enter_read, whose BEGIN probe (which runs once every probe is attached) prints a line and
# exits ("attached" is when that line reaches a reader; "total" includes its detach). The table
# holds the median of each column, in ms:
#   jvm      process start (exec) to main()      parse    main() to the command running (picocli)
#   prep     to bpf_object__open (checks, FFM)   open     open_mem and configuring the object
#   verify   bpf_object__load (maps, verifier)   attach   attach every program, map the buffer
#   attached process start to attached           detach   closing the links at exit
#   total    process start to exit
# rss: `dd if=/dev/zero of=/dev/null bs=1` for SECONDS (default 10) under seed mode,
# `trace -e read -o json`, `trace -e read` and `stats -e read` (stdout to /dev/null): peak RSS
# (VmHWM, from /usr/bin/time) and syscope's summary (events/s, lost; stats has neither).
# -m: `java -jar target/syscope.jar` (jar, with the JDK the launcher picks), ./syscope
# (launcher), both (default), or a list such as 'jar:old.jar jar:target/syscope.jar' (A/B: the
# variants take turns); -j JAR and -o 'JVM OPTIONS' change what jar runs.
# Every measurement holds /tmp/syscope-bench.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=9 secs=10 modes=both what=time jar=target/syscope.jar jvm_opts=
while [ $# -gt 0 ]; do
	case $1 in
		-n) runs=$2; shift 2 ;;
		-s) secs=$2; shift 2 ;;
		-m) modes=$2; shift 2 ;;
		-j) jar=$2; shift 2 ;;
		-o) jvm_opts=$2; shift 2 ;;
		time|rss) what=$1; shift ;;
		*) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
	esac
done
[ "$modes" = both ] && modes="jar launcher"
. scripts/lib/env.sh
syscope_mount_tracefs
[ -f target/syscope.jar ] || ./syscope --version >/dev/null
java="$(syscope_find_java)/bin/java"
lock=/tmp/syscope-bench.lock

# The command line of variant $1: jar, launcher, jar:PATH, or a command.
cmd_of() {
	case $1 in
		jar) echo "$java $jvm_opts -jar $jar" ;;
		jar:*) echo "$java $jvm_opts -jar ${1#jar:}" ;;
		launcher) echo "./syscope" ;;
		*) echo "$1" ;; # any command that runs syscope
	esac
}

# median: the middle value of the numbers on stdin.
median() {
	sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# One timed run of "$@": prints the phase columns of the table, in ms ("-" where a phase is absent).
one_run() {
	local err start end
	err=$(mktemp)
	exec 9> "$lock"
	flock 9
	start=$EPOCHREALTIME
	SYSCOPE_STARTUP_LOG=1 "$@" 9>&- > /dev/null 2> "$err" || { cat "$err" >&2; rm -f "$err"; return 1; }
	end=$EPOCHREALTIME
	exec 9>&-
	awk -v s="$start" -v e="$end" '
		$2 == "startup:" {t[$3] = ($4 - s) * 1000}
		function d(a, b) { return (a in t) && (b == "" || b in t) ? sprintf("%.0f", t[a] - (b == "" ? 0 : t[b])) : "-" }
		END {
			t["end"] = (e - s) * 1000
			print d("main", ""), d("parsed", "main"), d("open", "parsed"), d("load", "open"), d("loaded", "load"),
				d("attached", "loaded"), d("attached", ""), d("detached", "detach"), d("end", "")
		}' "$err"
	rm -f "$err"
}

# row VARIANT CASE FILE: the medians of FILE's columns (one_run's output, one run per line).
row() {
	local col
	printf '%-12s %-10s' "$1" "$2"
	for col in 1 2 3 4 5 6 7 8 9; do
		printf ' %*s' $([ "$col" = 7 ] && echo 8 || echo 6) "$(awk -v c="$col" '$c != "-" {print $c}' "$3" | median)"
	done
	printf '\n'
}

time_table() {
	local mode case label f i
	printf '%-12s %-10s %6s %6s %6s %6s %6s %6s %8s %6s %6s\n' variant case jvm parse prep open verify attach attached detach total
	for case in "seed|--duration 0.1" "trace|trace -e read --duration 0.1" "stats|stats -e read --duration 0.1" \
		"trace-raw|trace -e read --attach raw --duration 0.1" "version|--version" "bpftrace|"; do
		label=${case%%|*}
		if [ "$label" = bpftrace ]; then
			command -v bpftrace > /dev/null || continue
			f=$(mktemp)
			for i in $(seq "$runs"); do
				one_run bash -c 'set -o pipefail; bpftrace -e "tracepoint:syscalls:sys_enter_read { @ = count(); } BEGIN { printf(\"attached\n\"); exit(); }" |
					while read -r l; do [ "$l" != attached ] || echo "x startup: attached $EPOCHREALTIME" >&2; done' >> "$f" ||
					echo "startup: bpftrace failed (above); its row leaves this run out" >&2
			done
			row peer bpftrace "$f"
			rm -f "$f"
			continue
		fi
		f=$(mktemp -d)
		# Variants alternate run by run, and the lock is taken per run, so that load from elsewhere
		# spreads over all of them.
		for i in $(seq "$runs"); do
			for mode in $modes; do
				one_run $(cmd_of "$mode") ${case#*|} >> "$f/${mode//\//_}"
			done
		done
		for mode in $modes; do
			row "$(basename "$mode")" "$label" "$f/${mode//\//_}"
		done
		rm -rf "$f"
	done
}

rss_table() {
	local mode case label err tfile pid ev lost
	. bench/lib.sh
	printf '%-9s %-11s %9s %10s %9s %8s\n' mode case peak_MiB events events/s lost
	for mode in $modes; do
		for case in "seed|" "trace-json|trace -e read -o json" "trace-text|trace -e read" "stats|stats -e read"; do
			label=${case%%|*}
			err=$(mktemp) tfile=$(mktemp)
			exec 9> "$lock"
			flock 9
			# The launcher execs java, so /usr/bin/time's child is the JVM in both modes.
			SYSCOPE_STARTUP_LOG=1 /usr/bin/time -f '%M' -o "$tfile" $(cmd_of "$mode") ${case#*|} 9>&- > /dev/null 2> "$err" &
			pid=$!
			until grep -q "startup: attached" "$err"; do
				kill -0 "$pid" 2>/dev/null || { cat "$err" >&2; exit 1; }
				sleep 0.1
			done
			run_dd > /dev/null
			# SIGTERM: background jobs of a script ignore SIGINT, and so would the JVM.
			kill -TERM "$(pgrep -P "$pid")"
			wait "$pid" || true
			exec 9>&-
			ev=$(sed -n 's/^syscope: \([0-9]*\) events.*/\1/p' "$err")
			lost=$(sed -n 's/^syscope: .*[ (]\([0-9]*\) lost.*/\1/p' "$err")
			printf '%-9s %-11s %9.1f %10s %9s %8s\n' "$mode" "$label" "$(echo "$(tail -1 "$tfile") / 1024" | bc -l)" \
				"${ev:--}" "$([ -n "$ev" ] && echo $((ev / secs)) || echo -)" "${lost:--}"
			rm -f "$err" "$tfile"
		done
	done
}

if [ "$what" = rss ]; then rss_table; else time_table; fi
