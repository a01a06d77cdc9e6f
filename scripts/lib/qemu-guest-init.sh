#!/bin/busybox sh
# The guest side of scripts/kernel-matrix.sh. It runs under busybox-static, in two stages:
#
#   /init (stage 1, PID 1 in the initramfs): loads the virtio/9p/overlay modules listed in
#     /modules.list (in dependency order), mounts the host's / read-only over 9p (tag hostroot),
#     puts a tmpfs overlay on top of it, mounts proc, sysfs, devtmpfs, tracefs, debugfs, bpffs and
#     cgroup2 in it, mounts the writable exchange share (tag kmout) at /.kmatrix/out, and
#     switch_roots into it, running itself again as stage 2.
#   stage 2 (PID 1 in the new root): runs /.kmatrix/out/job.sh (written by the host) with the
#     host's bash, stdout/stderr appended to out/stdout and out/stderr, writes its exit code to
#     out/rc and powers the machine off.
#
# Anything that goes wrong before the command runs is printed on the console (the host shows its
# tail) and the machine is powered off without an out/rc, which the host reports as a boot failure.

BB=/bin/busybox
[ "$1" = stage2 ] && BB=/.kmatrix/busybox

log() { echo "kmatrix-init: $*"; }
die() {
	echo "kmatrix-init: FATAL: $*"
	$BB sync
	$BB poweroff -f
	$BB sleep 5
	exit 1
}

stage1() {
	$BB mkdir -p /proc /sys /dev /lower /rw /newroot
	$BB mount -t proc proc /proc
	$BB mount -t devtmpfs devtmpfs /dev 2>/dev/null

	for m in $($BB cat /modules.list); do
		$BB insmod "/modules/$m" || die "insmod $m failed"
	done

	$BB mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=262144 hostroot /lower ||
		die "cannot mount the host's root (9p tag hostroot)"
	$BB mount -t tmpfs -o mode=0755 rw /rw || die "cannot mount the tmpfs for the overlay"
	$BB mkdir -p /rw/upper /rw/work
	$BB mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
		die "cannot mount the overlay (9p lower, tmpfs upper)"

	R=/newroot
	$BB mkdir -p $R/.kmatrix/out
	$BB cp /bin/busybox /init $R/.kmatrix/ || die "cannot copy busybox into the new root"
	$BB mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 kmout $R/.kmatrix/out ||
		die "cannot mount the exchange share (9p tag kmout)"

	$BB mount -t proc proc $R/proc || die "mount proc"
	$BB mount -t sysfs sysfs $R/sys || die "mount sysfs"
	$BB mount -t devtmpfs devtmpfs $R/dev || die "mount devtmpfs"
	$BB mkdir -p $R/dev/pts $R/dev/shm
	$BB mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
	$BB mount -t tmpfs -o mode=1777 shm $R/dev/shm
	$BB mount -t tracefs tracefs $R/sys/kernel/tracing || die "mount tracefs"
	$BB mount -t debugfs debugfs $R/sys/kernel/debug || log "warning: cannot mount debugfs"
	$BB mount -t bpf bpf $R/sys/fs/bpf || die "mount bpffs"
	$BB mount -t cgroup2 cgroup2 $R/sys/fs/cgroup || die "mount cgroup2"

	$BB umount /dev 2>/dev/null
	$BB umount /proc
	# shellcheck disable=SC2093 # die only runs if the exec itself fails
	exec $BB switch_root /newroot /.kmatrix/busybox sh /.kmatrix/init stage2
	die "switch_root failed"
}

stage2() {
	OUT=/.kmatrix/out
	$BB hostname kmatrix
	$BB ip link set lo up 2>/dev/null
	[ -f $OUT/job.sh ] || die "no job.sh in the exchange share"
	shell=$($BB cat $OUT/shell 2>/dev/null)
	[ -x "$shell" ] || die "the host's shell '$shell' is not visible in the guest"
	$BB cat /proc/uptime >$OUT/t_start
	# PID 1 must not exit: the job runs as a child, with a clean environment (job.sh sets it).
	$BB env -i "$shell" $OUT/job.sh </dev/null >>$OUT/stdout 2>>$OUT/stderr
	rc=$?
	$BB cat /proc/uptime >$OUT/t_end
	echo "$rc" >$OUT/rc.tmp && $BB mv $OUT/rc.tmp $OUT/rc
	$BB sync
	$BB poweroff -f
	$BB sleep 5
}

if [ "$1" = stage2 ]; then
	stage2
else
	stage1
fi
