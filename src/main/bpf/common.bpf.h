/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * common.bpf.h - what every syscope BPF object has: the two event buffers, the
 * per-CPU drop counters, self-exclusion, and the context of the syscall tracepoints.
 */
#ifndef SYSCOPE_COMMON_BPF_H
#define SYSCOPE_COMMON_BPF_H

#include "syscope.h"

/*
 * The BPF ring buffer, or per-CPU perf buffers: user space uses one. The ring's size is set
 * before load (a power-of-2 multiple of the page size).
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} sc_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} sc_perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYSCOPE_DROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} sc_drops SEC(".maps");

/* Anchor: keeps the enum in the object's BTF so Java can be checked against it. */
const enum syscope_drop syscope_drop_btf_anchor __attribute__((unused)) = SYSCOPE_DROP_MAX;

static __always_inline void count_drop(__u32 idx)
{
	__u64 *n = bpf_map_lookup_elem(&sc_drops, &idx);

	if (n)
		*n += 1;	/* per-CPU slot: no atomics needed */
}

/*
 * True for syscope's own process. In the initial PID namespace that is its tgid; in another
 * one (a container without pid: host) syscope only knows its tgid there, so it compares the
 * tgid seen from that namespace (dev/inode of /proc/self/ns/pid). All arguments are .rodata
 * constants, so the verifier prunes the branch that is not used.
 */
static __always_inline int is_self(__u32 tgid, __u32 self_tgid, __u64 pidns_dev, __u64 pidns_ino, __u32 ns_tgid)
{
	if (tgid == self_tgid)
		return 1;
	if (pidns_ino) {
		struct bpf_pidns_info ns;

		if (!bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)) && ns.tgid == ns_tgid)
			return 1;
	}
	return 0;
}

/* Contexts of syscalls:sys_{enter,exit}_* (see their format files; not vmlinux's raw_syscalls types). */
struct syscalls_enter_ctx {
	__u64 common;		/* common_type, common_flags, common_preempt_count, common_pid */
	__s32 syscall_nr;
	__u32 pad;
	__u64 args[6];
};

struct syscalls_exit_ctx {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__s64 ret;
};

#endif /* SYSCOPE_COMMON_BPF_H */
