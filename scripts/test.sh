#!/usr/bin/env bash
# Runs every test: unit tests, BPF programs on the running kernel, and the packaged jar end to end
# (./mvnw verify). Installs what the tests need (gcc for the test child, libbpf1, setpriv,
# tmux for the pseudo-terminal of the `top` test, and a Prometheus server that scrapes
# `syscope serve`).
# Run as root: the BPF tests load real programs. With CI=true they fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/env.sh

if [ "$(id -u)" != 0 ]; then
	echo "scripts/test.sh: the BPF tests load programs into the kernel; run it as root (sudo scripts/test.sh)" >&2
	exit 1
fi
syscope_apt_install gcc libc6-dev libbpf1 util-linux tmux prometheus
syscope_mount_tracefs
jdk=$(syscope_find_java jdk)
JAVA_HOME="$jdk" ./mvnw -B -ntp verify "$@"
