#!/usr/bin/env bash
# Runs a command as root inside another Linux kernel: Debian 12's 6.1 kernel (which has
# CONFIG_KPROBES, unlike some hosts) booted under qemu with software emulation (TCG), with the
# host's root filesystem shared read-only over 9p plus a tmpfs overlay, so that syscope's kprobe
# mode can be tested on a host whose own kernel lacks it.
#
#   scripts/kernel-matrix.sh [OPTIONS] -- COMMAND [ARGS...]
#
# COMMAND runs as root in the guest, in the same absolute directory as the caller's cwd (seen
# through the read-only root: writes go to /tmp or anywhere else in the guest's tmpfs overlay and
# vanish with the guest). Its stdout and stderr are streamed to this script's stdout and stderr,
# and the script exits with COMMAND's exit code. The guest environment has only PATH and
# JAVA_HOME (passed through when set) and HOME=/root. In the guest proc, sysfs, devtmpfs, tracefs
# (/sys/kernel/tracing), debugfs, bpffs (/sys/fs/bpf) and cgroup2 are mounted; there is no network.
#
# Options:
#   --kernel SERIES   kernel series (default 6.1: the newest linux-image-6.1.0-N-amd64 apt offers),
#                     or an exact ABI such as 6.1.0-56
#   --timeout SECS    give up after SECS seconds, boot included (default 300)
#   --memory SIZE     guest memory (default 2G)      --cpus N   guest CPUs (default 2)
#   --refresh         look up the newest kernel package again instead of using the cached one
#   --prepare         only install packages and fill the cache, do not boot
#   --console         stream the guest's console (kernel log, init messages) to stderr
#   --verbose         progress and timing messages on stderr
#   --keep            keep the host work directory (console log, job script) for inspection
#
# Exit status: COMMAND's; 124 if the timeout hit; 125 if the guest did not run the command (boot
# failure: the tail of the guest console is printed); 2 for usage errors.
#
# Run as root, non-interactively. It installs its apt packages when missing (qemu-system-x86,
# busybox-static, cpio, kmod) and caches the extracted kernel and the initramfs under
# /var/cache/syscope-kernels (override with SYSCOPE_KERNEL_CACHE), so later runs only boot. The
# kernel package is downloaded with apt-get download and unpacked there; it is never installed.
set -euo pipefail

SELF=kernel-matrix
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST_INIT=$HERE/lib/qemu-guest-init.sh
CACHE=${SYSCOPE_KERNEL_CACHE:-/var/cache/syscope-kernels}
KERNEL=6.1
TIMEOUT=300
MEMORY=2G
CPUS=2
REFRESH=0 PREPARE=0 CONSOLE=0 VERBOSE=0 KEEP=0
# The modules the guest needs; their dependencies are resolved with the package's modules.dep.
MODULES=(virtio_pci 9pnet_virtio 9p overlay)

die() { echo "$SELF: error: $*" >&2; exit 125; }
usage() {
	echo "usage: scripts/kernel-matrix.sh [--kernel 6.1] [--timeout SECONDS] [--memory 2G] [--cpus 2]" >&2
	echo "         [--refresh] [--console] [--verbose] [--keep] -- COMMAND [ARGS...]" >&2
	echo "       scripts/kernel-matrix.sh [--kernel 6.1] --prepare" >&2
	exit 2
}
say() { if [ "$VERBOSE" = 1 ]; then echo "$SELF: $*" >&2; fi; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

T0=$(now)
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ $# -ge 2 ] || usage; KERNEL=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; TIMEOUT=$2; shift 2 ;;
	--memory) [ $# -ge 2 ] || usage; MEMORY=$2; shift 2 ;;
	--cpus) [ $# -ge 2 ] || usage; CPUS=$2; shift 2 ;;
	--refresh) REFRESH=1; shift ;;
	--prepare) PREPARE=1; shift ;;
	--console) CONSOLE=1; shift ;;
	--verbose) VERBOSE=1; shift ;;
	--keep) KEEP=1; shift ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) echo "$SELF: unknown option: $1" >&2; usage ;;
	*) break ;;
	esac
done
if [ "$PREPARE" = 0 ] && [ $# -eq 0 ]; then
	echo "$SELF: no command given" >&2
	usage
fi
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || { echo "$SELF: --timeout needs a positive number of seconds" >&2; usage; }
[[ $CPUS =~ ^[1-9][0-9]*$ ]] || { echo "$SELF: --cpus needs a positive number" >&2; usage; }
[[ $KERNEL =~ ^[0-9]+\.[0-9]+(\.[0-9]+-[0-9]+)?$ ]] ||
	{ echo "$SELF: --kernel takes a series like 6.1 or an ABI like 6.1.0-56, not '$KERNEL'" >&2; usage; }
[ "$(id -u)" = 0 ] || die "run this as root (it installs packages and boots qemu with the host's / shared)"
[ -f "$GUEST_INIT" ] || die "missing $GUEST_INIT"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported (the guest kernel is Debian's amd64)"

# ---- host packages -------------------------------------------------------------------------------

APT_UPDATED=0
apt_update() {
	if [ "$APT_UPDATED" = 0 ]; then
		say "apt-get update"
		apt-get update -qq </dev/null >&2 || die "apt-get update failed"
		APT_UPDATED=1
	fi
}
pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
ensure_packages() {
	local missing=() p
	for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2; then
		apt_update
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2 ||
			die "cannot install ${missing[*]} with apt-get"
	fi
}

ensure_packages qemu-system-x86 cpio kmod xz-utils
# busybox-static conflicts with the dynamic busybox package (which e.g. initramfs-tools may have
# pulled in): install it only when that one is absent, otherwise unpack it into the cache.
BUSYBOX=
if pkg_installed busybox-static; then
	BUSYBOX=/bin/busybox
elif ! pkg_installed busybox; then
	ensure_packages busybox-static
	BUSYBOX=/bin/busybox
fi
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found after installing qemu-system-x86"
command -v flock >/dev/null || die "flock (util-linux) not found"

# ---- the kernel and initramfs cache --------------------------------------------------------------

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9 # one preparer at a time; booting afterwards runs in parallel

if [ -z "$BUSYBOX" ]; then
	BUSYBOX=$CACHE/busybox-static/bin/busybox
	if [ ! -x "$BUSYBOX" ]; then
		say "busybox (dynamic) is installed: unpacking busybox-static into $CACHE instead"
		tmpd=$(mktemp -d "$CACHE/.bb.XXXXXX")
		(cd "$tmpd" && apt-get -qq -o APT::Sandbox::User=root download busybox-static </dev/null >&2) ||
			{ apt_update; (cd "$tmpd" && apt-get -qq -o APT::Sandbox::User=root download busybox-static </dev/null >&2); } ||
			die "cannot download busybox-static"
		rm -rf "$CACHE/busybox-static"
		dpkg -x "$tmpd"/busybox-static_*.deb "$CACHE/busybox-static"
		rm -rf "$tmpd"
	fi
fi
[ -x "$BUSYBOX" ] || die "no busybox at $BUSYBOX"
file_is_static() { ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP'; }
if command -v readelf >/dev/null && ! file_is_static "$BUSYBOX"; then
	die "$BUSYBOX is dynamically linked; the initramfs needs busybox-static"
fi

# The newest linux-image-<series>.N-M-amd64 that apt can download (not -cloud/-rt/-dbg/unsigned).
newest_kernel_pkg() {
	local re pkgs p cand
	if [[ $KERNEL =~ ^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+$ ]]; then
		re="^linux-image-${KERNEL//./\\.}-amd64\$"
	else
		re="^linux-image-${KERNEL//./\\.}\\.[0-9]+-[0-9]+-amd64\$"
	fi
	pkgs=$(apt-cache pkgnames linux-image- 2>/dev/null | grep -E "$re" | sort -rV || true)
	for p in $pkgs; do
		cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ { print $2 }')
		if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

SERIES_FILE=$CACHE/kernel-$KERNEL
ABI=
if [ "$REFRESH" = 0 ] && [ -f "$SERIES_FILE" ]; then
	ABI=$(cat "$SERIES_FILE")
	[ -f "$CACHE/$ABI/vmlinux" ] && [ -f "$CACHE/$ABI/modules.list" ] || ABI=
fi
if [ -z "$ABI" ]; then
	PKG=$(newest_kernel_pkg) || { apt_update; PKG=$(newest_kernel_pkg); } ||
		die "apt knows no package linux-image-$KERNEL*-amd64 (check: apt-cache search linux-image-$KERNEL)"
	ABI=${PKG#linux-image-}
	KDIR=$CACHE/$ABI
	if [ ! -f "$KDIR/vmlinux" ] || [ ! -f "$KDIR/modules.list" ]; then
		say "downloading and unpacking $PKG (not installing it)"
		rm -rf "$KDIR"
		tmpd=$(mktemp -d "$CACHE/.kernel.XXXXXX")
		(cd "$tmpd" && apt-get -qq -o APT::Sandbox::User=root download "$PKG" </dev/null >&2) ||
			{ apt_update; (cd "$tmpd" && apt-get -qq -o APT::Sandbox::User=root download "$PKG" </dev/null >&2); } ||
			die "apt-get download $PKG failed"
		deb=$(ls "$tmpd"/*.deb)
		mkdir "$tmpd/x"
		dpkg -x "$deb" "$tmpd/x"
		dpkg-deb -f "$deb" Version >"$tmpd/package-version"
		vmlinuz=$tmpd/x/boot/vmlinuz-$ABI
		[ -f "$vmlinuz" ] || die "$deb has no boot/vmlinuz-$ABI"

		# Cut the uncompressed ELF vmlinux out of the bzImage: it boots directly via PVH
		# (CONFIG_PVH=y), which skips the real-mode setup and the in-guest decompression.
		py=$(command -v /usr/bin/python3 python3 | head -n1 || true)
		if [ -n "$py" ]; then
			"$py" - "$vmlinuz" "$tmpd/vmlinux" <<'EOF' || die "cannot extract vmlinux from $vmlinuz"
import lzma, sys
data = open(sys.argv[1], "rb").read()
for magic, fmt in ((b"\xfd7zXZ\x00", lzma.FORMAT_XZ), (b"\x5d\x00\x00", lzma.FORMAT_ALONE)):
    i = data.find(magic)
    while i >= 0:
        try:
            out = lzma.LZMADecompressor(format=fmt).decompress(data[i:])
            if out[:4] == b"\x7fELF":
                open(sys.argv[2], "wb").write(out)
                sys.exit(0)
        except lzma.LZMAError:
            pass
        i = data.find(magic, i + 1)
sys.exit("no xz/lzma-compressed ELF image found in " + sys.argv[1])
EOF
		else # the extract-vmlinux way: the first xz stream that decompresses to an ELF
			off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1)
			[ -n "$off" ] || die "no xz stream in $vmlinuz"
			tail -c +$((off + 1)) "$vmlinuz" | xz -dc >"$tmpd/vmlinux" 2>/dev/null || true
		fi
		[ "$(head -c4 "$tmpd/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] ||
			die "the image extracted from $vmlinuz is not an ELF file"
		grep -q '^CONFIG_PVH=y' "$tmpd/x/boot/config-$ABI" ||
			die "$PKG lacks CONFIG_PVH=y: its vmlinux cannot be booted directly"

		# The modules and their dependency order (the package ships no modules.dep: depmod makes it).
		depmod -b "$tmpd/x" "$ABI" || die "depmod failed on the unpacked $PKG"
		mdir=$tmpd/x/lib/modules/$ABI
		mkdir "$tmpd/modules"
		declare -A seen=()
		order=()
		add_module() { # add_module relative/path.ko: its dependencies first, then itself
			local rel=$1 dep
			[ -n "${seen[$rel]:-}" ] && return 0
			seen[$rel]=1
			# shellcheck disable=SC2013 # modules.dep paths have no spaces
			for dep in $(awk -v m="$rel:" '$1 == m { $1 = ""; print }' "$mdir/modules.dep"); do
				add_module "$dep"
			done
			order+=("$rel")
		}
		for m in "${MODULES[@]}"; do
			rel=$(awk -F: -v m="$m" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\.(xz|zst|gz))?$/, "", n);
				gsub(/-/, "_", n); if (n == m) { print $1; exit } }' "$mdir/modules.dep")
			if [ -z "$rel" ]; then
				grep -qE "/${m//_/[-_]}\.ko\$" "$mdir/modules.builtin" && continue
				die "$PKG has no module $m (neither in modules.dep nor built in)"
			fi
			add_module "$rel"
		done
		: >"$tmpd/modules.list"
		for rel in "${order[@]}"; do
			name=${rel##*/}
			case $name in
			*.ko.xz) xz -dc "$mdir/$rel" >"$tmpd/modules/${name%.xz}"; name=${name%.xz} ;;
			*.ko.zst) zstd -qdc "$mdir/$rel" >"$tmpd/modules/${name%.zst}"; name=${name%.zst} ;;
			*.ko.gz) gzip -dc "$mdir/$rel" >"$tmpd/modules/${name%.gz}"; name=${name%.gz} ;;
			*) cp "$mdir/$rel" "$tmpd/modules/$name" ;;
			esac
			echo "$name" >>"$tmpd/modules.list"
		done
		cp "$tmpd/x/boot/config-$ABI" "$tmpd/config"
		rm -rf "$tmpd/x" "$deb"
		mv "$tmpd" "$KDIR"
	fi
	echo "$ABI" >"$SERIES_FILE"
fi
KDIR=$CACHE/$ABI
KVERSION=$(cat "$KDIR/package-version" 2>/dev/null || echo '?')

# The initramfs: busybox-static, the modules in load order and the guest init. It is rebuilt when
# any of them changes (the name carries a hash of the inputs).
ihash=$({ sha256sum "$BUSYBOX" "$GUEST_INIT" "$KDIR/modules.list"; (cd "$KDIR/modules" && sha256sum -- *.ko); } |
	awk '{ print $1 }' | sha256sum | cut -c1-16)
INITRD=$KDIR/initramfs-$ihash.cpio
if [ ! -f "$INITRD" ]; then
	say "building $INITRD"
	tmpd=$(mktemp -d "$CACHE/.initramfs.XXXXXX")
	mkdir -p "$tmpd/root/bin" "$tmpd/root/dev" "$tmpd/root/modules"
	cp "$BUSYBOX" "$tmpd/root/bin/busybox"
	ln -s busybox "$tmpd/root/bin/sh"
	cp "$GUEST_INIT" "$tmpd/root/init"
	chmod 755 "$tmpd/root/init" "$tmpd/root/bin/busybox"
	cp "$KDIR/modules.list" "$tmpd/root/modules.list"
	cp "$KDIR"/modules/*.ko "$tmpd/root/modules/"
	mknod -m 600 "$tmpd/root/dev/console" c 5 1 # so that /init has a console from its first line
	mknod -m 666 "$tmpd/root/dev/null" c 1 3
	# Uncompressed: unpacking a compressed archive costs more guest (TCG) time than it saves.
	(cd "$tmpd/root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) >"$tmpd/initramfs.cpio" ||
		die "cpio failed"
	rm -f "$KDIR"/initramfs-*.cpio
	mv "$tmpd/initramfs.cpio" "$INITRD"
	rm -rf "$tmpd"
fi
flock -u 9
say "kernel $ABI (package $KVERSION), cache ready in $(elapsed "$T0" "$(now)") s"
if [ "$PREPARE" = 1 ]; then
	echo "$SELF: cached $ABI (package $KVERSION) in $KDIR"
	exit 0
fi

# ---- the run -------------------------------------------------------------------------------------

WORK=$(mktemp -d /tmp/kernel-matrix.XXXXXX)
OUT=$WORK/out
mkdir "$OUT"
: >"$OUT/stdout"
: >"$OUT/stderr"
: >"$WORK/console.log"
QPID=''
TAILS=()
# shellcheck disable=SC2317 # invoked by the traps
cleanup() {
	local rc=$?
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID" 2>/dev/null || true; fi
	for p in "${TAILS[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ "$KEEP" = 1 ]; then
		echo "$SELF: kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The job, run by the host's bash in the guest with an empty environment.
printf '%s\n' "$BASH" >"$OUT/shell"
{
	echo '# written by scripts/kernel-matrix.sh'
	printf 'export HOME=/root PATH=%q\n' "${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}"
	if [ -n "${JAVA_HOME+set}" ]; then printf 'export JAVA_HOME=%q\n' "$JAVA_HOME"; fi
	printf 'cwd=%q\n' "$PWD"
	# shellcheck disable=SC2016 # expanded in the guest
	echo 'cd -- "$cwd" || { echo "kernel-matrix: cannot cd to $cwd in the guest" >&2; exit 125; }'
	printf 'exec'
	printf ' %q' "$@"
	echo
} >"$OUT/job.sh"

# loglevel=4 (warnings and worse) keeps the slow emulated serial console quiet; --console shows more.
loglevel=4
[ "$CONSOLE" = 1 ] && loglevel=6
cmdline="console=ttyS0 loglevel=$loglevel panic=-1 rdinit=/init mitigations=off 8250.nr_uarts=1"
# shellcheck disable=SC2054 # the commas are qemu's
qemu=(qemu-system-x86_64 -accel tcg -cpu max -m "$MEMORY" -smp "$CPUS"
	-nodefaults -no-user-config -display none -monitor none -no-reboot -net none
	-kernel "$KDIR/vmlinux" -initrd "$INITRD" -append "$cmdline"
	-chardev "file,id=con,path=$WORK/console.log" -serial chardev:con
	-fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=kmout,path=$OUT,security_model=none"
	-device virtio-9p-pci,fsdev=kmout,mount_tag=kmout)
say "booting $ABI under qemu (TCG, ${CPUS} CPUs, $MEMORY), timeout ${TIMEOUT} s: $*"
T1=$(now)
timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null >"$WORK/qemu.log" 2>&1 &
QPID=$!
# Stream the command's output as the guest writes it (9p writes land in these files at once).
tail -q -n +1 -s 0.2 --pid="$QPID" -f "$OUT/stdout" &
TAILS+=($!)
tail -q -n +1 -s 0.2 --pid="$QPID" -f "$OUT/stderr" >&2 &
TAILS+=($!)
if [ "$CONSOLE" = 1 ]; then
	tail -q -n +1 -s 0.2 --pid="$QPID" -f "$WORK/console.log" | sed 's/^/[guest] /' >&2 &
	TAILS+=($!)
fi
qrc=0
wait "$QPID" || qrc=$?
QPID=
for p in "${TAILS[@]}"; do wait "$p" 2>/dev/null || true; done
TAILS=()
T2=$(now)

console_tail() {
	if [ -s "$WORK/console.log" ]; then
		echo "$SELF: last lines of the guest console (--console shows all of it):" >&2
		tail -n 40 "$WORK/console.log" | sed 's/^/  | /' >&2
	else
		echo "$SELF: the guest console is empty: the kernel died before its console came up (too little --memory?)" >&2
	fi
	if [ -s "$WORK/qemu.log" ]; then
		echo "$SELF: qemu said:" >&2
		sed 's/^/  | /' "$WORK/qemu.log" >&2
	fi
}
if [ -f "$OUT/rc" ]; then
	rc=$(cat "$OUT/rc")
	[[ $rc =~ ^[0-9]+$ ]] || die "the guest wrote a bad exit code: '$rc'"
	if [ "$VERBOSE" = 1 ]; then
		boot=$(awk '{ print $1 }' "$OUT/t_start" 2>/dev/null || echo '?')
		cmd=$(awk 'NR == FNR { a = $1; next } { printf "%.1f", $1 - a }' "$OUT/t_start" "$OUT/t_end" 2>/dev/null || echo '?')
		say "guest uptime at command start ${boot} s, command ${cmd} s, qemu wall $(elapsed "$T1" "$T2") s, total $(elapsed "$T0" "$T2") s; exit code $rc"
	fi
	exit "$rc"
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "$SELF: error: timed out after ${TIMEOUT} s (the guest was killed)" >&2
	console_tail
	exit 124
fi
echo "$SELF: error: the guest did not run the command to completion (qemu exit status $qrc)" >&2
console_tail
exit 125
