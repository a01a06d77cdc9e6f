#!/usr/bin/env bash
# Fuzzes syscope's input parsers (src/test/java/dev/syscope/cli/ParserFuzzTest.java) with Jazzer for
# SECONDS (default 60; CI runs 60, a longer run is e.g. `scripts/fuzz.sh 3600`). A finding fails the
# run and Jazzer stores the input under src/test/resources/dev/syscope/cli/ParserFuzzTestInputs/,
# where `./mvnw test` replays it from then on. The working corpus is .cifuzz-corpus/ (not committed).
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/env.sh
seconds=${1:-60}
jdk=$(syscope_find_java jdk)
JAZZER_FUZZ=1 JAVA_HOME="$jdk" ./mvnw -B -ntp test -Dtest=ParserFuzzTest -Djazzer.max_duration="${seconds}s" \
	-Dsurefire.failIfNoSpecifiedTests=false
