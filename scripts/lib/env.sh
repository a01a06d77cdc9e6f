# Sourced by ./syscope and scripts/*.sh: finding a JDK >= 25, and host setup shared by both.

# Sets REPLY to the value of KEY in a JDK/JRE home's `release` file (KEY="value"). Bash alone, and
# no command substitution: the launcher's own start-up counts.
syscope_release_value() {
	local line
	REPLY=
	[ -f "$1/release" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in "$2="*) REPLY=${line#*=}; REPLY=${REPLY//\"/} ;; esac
	done < "$1/release"
}

# Sets REPLY to the major Java version of a JDK/JRE home, from its `release` file (fast) or
# `java -version`.
syscope_java_major_value() {
	syscope_release_value "$1" JAVA_VERSION
	REPLY=${REPLY%%.*}
	if [ -z "$REPLY" ] && [ -x "$1/bin/java" ]; then
		REPLY=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
	fi
	REPLY=${REPLY:-0}
}

# The major Java version of a JDK/JRE home.
syscope_java_major() {
	syscope_java_major_value "$1"
	echo "$REPLY"
}

# A JVM's identity as dev.syscope.cli.AotTraining writes it next to the AOT cache: the real path of
# its home and its runtime version (from its release file).
syscope_java_id() {
	syscope_release_value "$1" JAVA_RUNTIME_VERSION
	echo "$(cd -P "$1" && pwd) $REPLY"
}

# Prints the home of a JDK >= 25 (JAVA_HOME first, then the newest under /usr/lib/jvm), or fails.
# With "jdk" as $1 it also needs javac (to build); otherwise a JRE will do.
syscope_find_java() {
	local need=${1:-jre} best= bestv=0 d v
	for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
		[ -n "$d" ] && [ -x "$d/bin/java" ] || continue
		[ "$need" = jdk ] && [ ! -x "$d/bin/javac" ] && continue
		syscope_java_major_value "$d"
		v=$REPLY
		if [ "$v" -ge 25 ] && { [ "$d" = "${JAVA_HOME:-}" ] || [ "$v" -gt "$bestv" ]; }; then
			best=$d bestv=$v
			[ "$d" = "${JAVA_HOME:-}" ] && break
		fi
	done
	if [ -z "$best" ]; then
		echo "syscope: no JDK >= 25 found in JAVA_HOME or /usr/lib/jvm/*; install one (e.g. Temurin 25) or set JAVA_HOME" >&2
		return 1
	fi
	echo "$best"
}

# Mounts tracefs where libbpf looks for tracepoint ids, if it is not mounted and we are root.
syscope_mount_tracefs() {
	if [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ] && [ "$(id -u)" = 0 ]; then
		echo "syscope: mounting tracefs at /sys/kernel/tracing" >&2
		mount -t tracefs tracefs /sys/kernel/tracing || true
	fi
}

# apt-get installs the Debian packages in "$@" that are missing (as root).
syscope_apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "syscope: missing packages: ${missing[*]} (install them as root)" >&2
		return 1
	fi
	echo "syscope: installing ${missing[*]}" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
