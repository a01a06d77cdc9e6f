#!/usr/bin/env bash
# Regenerates the committed BPF objects from src/main/bpf/*.bpf.c (one object per mode).
#
#   scripts/gen-bpf.sh          rebuild src/main/bpf/{seed,trace}.{x86,arm64}.bpf.o
#   scripts/gen-bpf.sh --check  rebuild into a temp dir and fail if the committed objects differ
#
# Needs clang 14 (Debian bookworm's `clang`) and libbpf-dev for <bpf/*.h>; another clang
# version produces different bytes, so the check pins the major version.
# The objects are built with -g (BTF is needed for CO-RE and for LayoutTest), then stripped of
# DWARF (llvm-strip -g keeps .BTF/.BTF.ext), compiled from relative paths so the bytes do not
# depend on where the repository is checked out.
set -euo pipefail
cd "$(dirname "$0")/.."

want_clang=14
check=false
[ "${1:-}" = "--check" ] && check=true

clang_bin=$(command -v "clang-$want_clang" || command -v clang || true)
strip_bin=$(command -v "llvm-strip-$want_clang" || command -v llvm-strip || true)
if [ -z "$clang_bin" ] || [ -z "$strip_bin" ] || [ ! -f /usr/include/bpf/bpf_helpers.h ]; then
	echo "gen-bpf: needs clang-$want_clang, llvm-strip and libbpf-dev (apt-get install clang llvm libbpf-dev)" >&2
	exit 1
fi
have=$("$clang_bin" -dumpversion | cut -d. -f1)
if [ "$have" != "$want_clang" ]; then
	echo "gen-bpf: clang $have found, the committed objects are built with clang $want_clang" >&2
	exit 1
fi

out=src/main/bpf
$check && out=$(mktemp -d) && trap 'rm -rf "$out"' EXIT

multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
objects=()
for src in src/main/bpf/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	for arch in x86 arm64; do
		obj="$out/$name.$arch.bpf.o"
		"$clang_bin" -O2 -g -target bpf -D__TARGET_ARCH_$arch \
			-I src/main/bpf -I "/usr/include/$multiarch" \
			-fdebug-prefix-map="$PWD"=. -Wall -Werror -c "$src" -o "$obj"
		"$strip_bin" -g "$obj"
		objects+=("$name.$arch.bpf.o")
	done
done

if $check; then
	for o in "${objects[@]}"; do
		if ! cmp -s "$out/$o" "src/main/bpf/$o"; then
			echo "gen-bpf: src/main/bpf/$o does not match its sources; run scripts/gen-bpf.sh and commit the result" >&2
			exit 1
		fi
	done
	stale=$(cd src/main/bpf && for o in *.bpf.o; do [ -f "$(basename "$o" | cut -d. -f1).bpf.c" ] || echo "$o"; done)
	if [ -n "$stale" ]; then
		echo "gen-bpf: objects without a source: $stale" >&2
		exit 1
	fi
	echo "gen-bpf: committed BPF objects match their sources"
fi
