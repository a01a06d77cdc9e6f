/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * syscope.h - the only definitions shared by the BPF programs and Java.
 *
 * Java mirrors these in dev.syscope.event.SeedEventLayout and
 * dev.syscope.probe.SeedConfigLayout; LayoutTest checks every offset, size
 * and constant against the BTF that clang emits for this header.
 * Changing this file means: edit, run scripts/gen-bpf.sh, fix the Java side.
 */
#ifndef SYSCOPE_H
#define SYSCOPE_H

#define SYSCOPE_COMM_LEN 16

/* Indexes into the per-CPU array `sc_drops`: events the kernel could not hand over. */
enum syscope_drop {
	SYSCOPE_DROP_RINGBUF = 0,	/* bpf_ringbuf_reserve() failed: ring buffer full */
	SYSCOPE_DROP_PERFBUF = 1,	/* bpf_perf_event_output() failed: perf ring full */
	SYSCOPE_DROP_MAX = 2,
};

/* One syscall entry, as emitted by the seed-mode programs (48 bytes, no padding). */
struct seed_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;		/* tgid, in the initial PID namespace */
	__u32 tid;		/* thread id, in the initial PID namespace */
	__s32 syscall_nr;	/* the architecture's syscall number */
	__s32 fd;		/* first argument */
	__u64 count;		/* third argument */
	char comm[SYSCOPE_COMM_LEN];
};

/* Load-time configuration: the .rodata variable `seed_cfg`, set between open and load. */
struct seed_config {
	__u32 self_tgid;	/* this tgid (initial PID namespace) is skipped (0: none) */
	__u32 filter_tgid;	/* non-zero: report only this tgid */
	/*
	 * When syscope runs in another PID namespace (a container without pid: host) it cannot
	 * know its own initial-namespace tgid; it then skips the task whose tgid in this
	 * namespace (dev/inode of /proc/self/ns/pid) is self_ns_tgid. Zero inode: not used.
	 */
	__u64 self_pidns_dev;
	__u64 self_pidns_ino;
	__u32 self_ns_tgid;
	__u32 reserved;
};

#endif /* SYSCOPE_H */
