#!/usr/bin/env bash
# Regenerates the compiled-in syscall tables src/main/resources/dev/syscope/syscalls/{x86_64,arm64}.tsv
# from a kernel source's syscall tables (see scripts/gen-syscalls.py for the rules).
#
#   scripts/gen-syscalls.sh                    download Debian's linux-source-6.12 with apt-get
#   scripts/gen-syscalls.sh SOURCE             a linux-source .deb, a kernel tarball or a source tree
#   scripts/gen-syscalls.sh --capture-tracefs [SOURCE]
#                                              first re-capture tracefs-args.txt from this machine's
#                                              /sys/kernel/tracing (the argument names and types)
#   scripts/gen-syscalls.sh --check [SOURCE]   regenerate into a temp dir, fail if the tables differ
#
# Needs python3, xz and, for the download, apt-get (run apt-get update first).
set -euo pipefail
cd "$(dirname "$0")/.."

pkg=${SYSCOPE_KERNEL_PKG:-linux-source-6.12}
res=src/main/resources/dev/syscope/syscalls
check=false capture=() cmd=(scripts/gen-syscalls.sh)
while [ $# -gt 0 ]; do
	case $1 in
		--check) check=true ;;
		--capture-tracefs) capture=(--capture-tracefs /sys/kernel/tracing) ;;
		-*) echo "usage: scripts/gen-syscalls.sh [--check] [--capture-tracefs] [SOURCE]" >&2; exit 2 ;;
		*) break ;;
	esac
	shift
done
src=${1:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The only files the generator reads.
files=(Makefile arch/x86/entry/syscalls/syscall_64.tbl scripts/syscall.tbl
	arch/arm64/kernel/Makefile.syscalls arch/arm64/tools/syscall_64.tbl
	include/uapi/asm-generic/unistd.h include/uapi/asm-generic/fcntl.h include/uapi/asm-generic/bitsperlong.h
	arch/arm64/include/uapi/asm/unistd.h arch/arm64/include/uapi/asm/fcntl.h arch/arm64/include/uapi/asm/bitsperlong.h)

label=
if [ -z "$src" ]; then
	(cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) ||
		{ echo "gen-syscalls: apt-get download $pkg failed (run apt-get update?)" >&2; exit 1; }
	src=$(ls "$tmp"/*.deb)
fi
if [[ $src == *.deb ]]; then
	label="Debian $(dpkg-deb -f "$src" Package) $(dpkg-deb -f "$src" Version)"
	# Recorded as the plain command when the package is the one it would download.
	[ "$(dpkg-deb -f "$src" Package)" = "$pkg" ] || cmd+=("$(basename "$src")")
	dpkg-deb --fsys-tarfile "$src" | tar -x -C "$tmp" --wildcards './usr/src/*.tar.*'
	src=$(ls "$tmp"/usr/src/*.tar.*)
elif [ -n "${1:-}" ]; then
	cmd+=("$(basename "$src")")
fi
if [ -f "$src" ]; then
	[ -n "$label" ] || label=$(basename "$src")
	mkdir "$tmp/k"
	# Debian and kernel.org tarballs hold one top directory; a missing file is fine (older kernels).
	tar -xf "$src" -C "$tmp/k" --wildcards --no-wildcards-match-slash --ignore-failed-read \
		"${files[@]/#/*/}" 2>/dev/null || true
	src=$(ls -d "$tmp"/k/*/)
fi
[ -f "$src/Makefile" ] || { echo "gen-syscalls: no kernel source in $src" >&2; exit 1; }
[ -n "$label" ] || label="source tree $(basename "$src")"

out=$res
if $check; then
	out="$tmp/out" && mkdir "$out"
fi
python3 scripts/gen-syscalls.py --kernel "$src" --source "$label" --command "${cmd[*]}" --out "$out" "${capture[@]}"

if $check; then
	for f in x86_64.tsv arm64.tsv; do
		if ! cmp -s "$out/$f" "$res/$f"; then
			diff -u "$res/$f" "$out/$f" | head -40 >&2
			echo "gen-syscalls: $res/$f differs from a fresh run; run scripts/gen-syscalls.sh and commit it" >&2
			exit 1
		fi
	done
	echo "gen-syscalls: committed syscall tables match"
fi
