#!/usr/bin/env bash
# JMH micro-benchmarks of the user-space hot path (src/test/java/dev/syscope/bench): decoding and
# the text/JSON sinks, in events/s on one core. Builds the test classes, then runs JMH with the
# given options, e.g.:
#   bench/jmh.sh                 # the benchmarks' own warm-up and measurement (about 1 minute)
#   bench/jmh.sh -prof gc        # also bytes allocated per event (gc.alloc.rate.norm)
#   bench/jmh.sh smoke           # one short iteration each: CI checks that they run, not how fast
#   BENCH='SinkBenchmark.json.*' bench/jmh.sh -prof gc    # only the benchmarks matching BENCH
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/env.sh
jdk=$(syscope_find_java jdk)
export JAVA_HOME=$jdk
./mvnw -B -ntp -q test-compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
cp="target/test-classes:target/classes:$(cat target/jmh.classpath)"
args=("$@")
if [ "${1:-}" = smoke ]; then
	args=(-f 1 -wi 0 -i 1 -r 200ms "${@:2}")
fi
exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "${args[@]}" "${BENCH:-dev\.syscope\.bench\..*}"
