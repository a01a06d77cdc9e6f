#!/usr/bin/env bash
# The Kafka export of `syscope trace` against a real broker on this host (issue 7), as root.
#
#   sudo bench/kafka.sh [-d SECONDS] [-c lz4|zstd|gzip|none] [RATE ...]    sustained rate
#   sudo bench/kafka.sh outage [-d SECONDS] [-k KILL_AT] [-o OUTAGE] [-b SIZE] RATE
#
# A single-node Kafka broker (KRaft, the kafka_2.13 artifacts of the test classpath, 512 MiB heap)
# runs on loopback, on the same 2 CPUs as syscope and the load. For each RATE (default: 50000
# 100000 200000 300000 400000), bench/loadgen makes RATE read(fd, buf, 1) calls per second for
# SECONDS (default 20) under `syscope trace -e read -c loadgen --kafka-bootstrap ...`; once the
# export is idle, syscope stops and its summary line gives delivered, failed, not streamed (Kafka
# buffers full, or the kernel's ring) and lost; /metrics is scraped once a second for the
# buffered bytes, /proc for syscope's CPU and peak RSS. "0 loss" means every call delivered.
#
# outage: the same at one RATE with the broker killed (SIGKILL) KILL_AT seconds in (default 5)
# and restarted OUTAGE seconds later (default 20), with --kafka-buffer SIZE (default 64M): the
# peak of syscope_kafka_buffered_bytes and of syscope's RSS during the outage, the reconciliation
# (delivered + failed + not streamed + dropped + lost = made), and when streaming resumed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/env.sh

mode=rates secs=20 comp=lz4 kill_at=5 outage=20 buf=64M
if [ "${1:-}" = outage ]; then mode=outage; shift; fi
while getopts d:c:k:o:b: opt; do
	case $opt in
		d) secs=$OPTARG ;; c) comp=$OPTARG ;; k) kill_at=$OPTARG ;; o) outage=$OPTARG ;; b) buf=$OPTARG ;;
		*) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(50000 100000 200000 300000 400000)
[ "$mode" = outage ] && [ ${#rates[@]} -ne 1 ] && { echo "bench/kafka.sh outage: one RATE" >&2; exit 2; }

syscope_mount_tracefs
jdk=$(syscope_find_java jdk)
java="$jdk/bin/java"
mkdir -p target/bench
cc -O2 -Wall -static -pthread -o target/bench/loadgen bench/loadgen.c
./syscope --version > /dev/null # builds the jar if it is missing or stale
cp=target/bench/kafka.classpath
[ -s "$cp" ] || JAVA_HOME="$jdk" ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >&2
tmp=$(mktemp -d /tmp/syscope-kafka.XXXXXX)
broker_pid= sc_pid=
cleanup() {
	[ -n "$sc_pid" ] && kill -9 "$sc_pid" 2> /dev/null || true
	[ -n "$broker_pid" ] && kill -9 "$broker_pid" 2> /dev/null || true
	cp "$tmp/broker.log" target/bench/kafka-broker.log 2> /dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port) cport=$(free_port) mport=$(free_port)
cat > "$tmp/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$tmp/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
EOF
broker() { "$java" -Xmx512m -XX:+UseSerialGC -cp "$(cat "$cp")" "$@"; }
broker kafka.tools.StorageTool format -t "$(broker kafka.tools.StorageTool random-uuid 2> /dev/null)" \
	-c "$tmp/server.properties" >> "$tmp/broker.log" 2>&1
start_broker() {
	"$java" -Xmx512m -XX:+UseSerialGC -cp "$(cat "$cp")" kafka.Kafka "$tmp/server.properties" >> "$tmp/broker.log" 2>&1 &
	broker_pid=$!
	until (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do sleep 0.2; done
}
start_broker

cpu_s() { local s; s=$(< "/proc/$1/stat"); s=${s##*) }; set -- $s; awk -v u="${12}" -v k="${13}" -v t="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (u + k) / t}'; }
peak_mib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" | awk '{printf "%.0f", $1 / 1024}'; }
metric() { curl -s "127.0.0.1:$mport/metrics" | awk -v m="$1" '$1 == m {printf "%.0f", $2}'; }

# run RATE TOPIC: one traced load; sets summary, cpu, rss, maxbuf, made, resumed
run() {
	local rate=$1 topic=$2 n=$(($1 * secs)) t0 i last= now killed=0 restarted=0
	"$java" @src/main/jvm/syscope.jvmopts -jar target/syscope.jar trace -e read -c loadgen \
		--kafka-bootstrap "127.0.0.1:$port" --kafka-topic "$topic" --kafka-compression "$comp" \
		--kafka-buffer "$buf" --listen "127.0.0.1:$mport" > /dev/null 2> "$tmp/sc.err" &
	sc_pid=$!
	until grep -q 'tracing into Kafka' "$tmp/sc.err"; do kill -0 "$sc_pid" || { cat "$tmp/sc.err" >&2; exit 1; }; sleep 0.1; done
	target/bench/loadgen -r "$rate" read "$n" > /dev/null &
	local lg=$!
	t0=$(date +%s) maxbuf=0 resumed=-
	while kill -0 "$lg" 2> /dev/null; do
		sleep 1
		now=$(($(date +%s) - t0))
		b=$(metric syscope_kafka_buffered_bytes); [ -n "$b" ] && [ "$b" -gt "$maxbuf" ] && maxbuf=$b
		if [ "$mode" = outage ] && [ $killed = 0 ] && [ "$now" -ge "$kill_at" ]; then
			kill -9 "$broker_pid"; wait "$broker_pid" 2> /dev/null || true; killed=$now
		fi
		if [ "$mode" = outage ] && [ $killed != 0 ] && [ $restarted = 0 ] && [ "$now" -ge $((kill_at + outage)) ]; then
			start_broker; restarted=$now
		fi
		if [ "$resumed" = - ] && grep -q 'acknowledges again' "$tmp/sc.err"; then resumed=$now; fi
	done
	wait "$lg"
	# Idle: delivered + failed + not streamed no longer changing for 2 s (at most 120 s).
	for ((i = 0; i < 120; i++)); do
		now=$(metric 'syscope_kafka_events_total{outcome="delivered"}')-$(metric 'syscope_kafka_events_total{outcome="failed"}')-$(metric syscope_kafka_pending_events)
		[ "$now" = "$last" ] && [ "${now##*-}" = 0 ] && break
		last=$now
		b=$(metric syscope_kafka_buffered_bytes); [ -n "$b" ] && [ "$b" -gt "$maxbuf" ] && maxbuf=$b
		if [ "$resumed" = - ] && grep -q 'acknowledges again' "$tmp/sc.err"; then resumed=$(($(date +%s) - t0)); fi
		sleep 1
	done
	cpu=$(cpu_s "$sc_pid") rss=$(peak_mib "$sc_pid") made=$n
	kill -TERM "$sc_pid"; wait "$sc_pid" 2> /dev/null || true; sc_pid=
	summary=$(grep '^syscope: [0-9]* events' "$tmp/sc.err" || { cat "$tmp/sc.err" >&2; echo "no summary"; })
	grep -E '^syscope: kafka: ' "$tmp/sc.err" | sed 's/^/  /' >&2 || true
}

# fields of the summary line: events delivered failed nsKafka dropped nsKernel lost
fields() { sed -E 's/^syscope: ([0-9]+) events: ([0-9]+) delivered to Kafka, ([0-9]+) failed, ([0-9]+) not streamed \(Kafka buffers full, counted\), ([0-9]+) dropped; ([0-9]+) not streamed \(counted in the kernel\), ([0-9]+) lost.*/\1 \2 \3 \4 \5 \6 \7/' <<< "$1"; }

echo "Machine: $(nproc) CPUs, $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC'), syscope $(git rev-parse --short HEAD), compression $comp, --kafka-buffer $buf; broker on the same CPUs"
if [ "$mode" = rates ]; then
	echo
	echo "| reads/s | made | delivered | not streamed (Kafka / kernel) | failed | lost | 0 loss | peak buffered MiB | syscope CPU s | syscope peak RSS MiB |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	k=0
	for r in "${rates[@]}"; do
		k=$((k + 1))
		run "$r" "bench.rate$k"
		read -r ev de fa nk dr nr lo <<< "$(fields "$summary")"
		ok=no; [ "$de" = "$made" ] && ok=yes
		echo "| $r | $made | $de | $nk / $nr | $fa | $lo | $ok | $(awk -v b="$maxbuf" 'BEGIN{printf "%.1f", b/1048576}') | $cpu | $rss |"
	done
else
	run "${rates[0]}" bench.outage
	read -r ev de fa nk dr nr lo <<< "$(fields "$summary")"
	echo
	echo "Outage: ${rates[0]} reads/s for ${secs} s; broker killed at ${kill_at} s, restarted at $((kill_at + outage)) s; streaming resumed (syscope's log) at ${resumed} s."
	echo
	echo "| made | delivered | failed | not streamed (Kafka / kernel) | dropped | lost | sum | peak buffered MiB (limit $buf) | syscope peak RSS MiB |"
	echo "|---|---|---|---|---|---|---|---|---|"
	echo "| $made | $de | $fa | $nk / $nr | $dr | $lo | $((de + fa + nk + nr + dr + lo)) | $(awk -v b="$maxbuf" 'BEGIN{printf "%.1f", b/1048576}') | $rss |"
fi
