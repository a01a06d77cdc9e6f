/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * syscope.h - the only definitions shared by the BPF programs and Java.
 *
 * Java mirrors these in dev.syscope.event.{Seed,Trace}EventLayout and
 * dev.syscope.probe.{Seed,Trace}ConfigLayout; LayoutTest checks every offset,
 * size and constant against the BTF that clang emits for this header.
 * Changing this file means: edit, run scripts/gen-bpf.sh, fix the Java side.
 */
#ifndef SYSCOPE_H
#define SYSCOPE_H

#define SYSCOPE_COMM_LEN 16

/* Indexes into the per-CPU array `sc_drops`: events the kernel could not hand over. */
enum syscope_drop {
	SYSCOPE_DROP_RINGBUF = 0,	/* bpf_ringbuf_reserve() failed: ring buffer full */
	SYSCOPE_DROP_PERFBUF = 1,	/* bpf_perf_event_output() failed: perf ring full */
	SYSCOPE_DROP_INFLIGHT = 2,	/* trace: no task storage for the entry (out of memory) */
	SYSCOPE_DROP_STATS_FULL = 3,	/* stats: a (pid, syscall) pair did not fit in sc_stats */
	SYSCOPE_DROP_ERRNO_FULL = 4,	/* stats: a (pid, syscall, errno) triple did not fit in sc_errnos */
	SYSCOPE_DROP_MAX = 5,
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

/* ---- trace mode (trace.bpf.c) ---- */

#define SYSCOPE_NR_MAX 1024	/* syscall numbers below this can be traced */
#define SYSCOPE_PATH_MAX 256	/* bytes of a path argument captured, NUL included */
#define SYSCOPE_MAX_PIDS 16	/* -p may be given this many times */

/* One byte per syscall number in trace_config.syscalls: what the kernel does with it. */
enum syscope_sc {
	SYSCOPE_SC_TRACE = 1,		/* selected by -e */
	SYSCOPE_SC_NORETURN = 2,	/* exit, exit_group: reported at entry, never stored */
	SYSCOPE_SC_EXEC = 4,		/* execve(at): the path is read at entry (the image is gone at exit) */
	SYSCOPE_SC_PATH_SHIFT = 4,	/* bits 4-6: 1 + index of the path argument, 0 for none */
	SYSCOPE_SC_PATH_MASK = 0x70,
	SYSCOPE_SC_BYTES = 0x80,	/* the return value counts bytes transferred (read, write, ...) */
};

/* trace_event.flags */
enum syscope_ev {
	SYSCOPE_EV_NORETURN = 1,	/* no exit: ret and latency_ns are 0 */
	SYSCOPE_EV_PATH = 2,		/* SYSCOPE_PATH_MAX bytes of path follow the struct */
};

/* trace_config.aggregate: what sys_exit does with a completed call. */
enum syscope_agg {
	SYSCOPE_AGG_OFF = 0,		/* trace: emit an event */
	SYSCOPE_AGG_COUNT = 1,		/* stats: count it in sc_stats at exit only (no entry hook, no latency) */
	SYSCOPE_AGG_LATENCY = 2,	/* stats: count it with its latency (entry time stored at sys_enter) */
};

/* One completed syscall (enter paired with exit), 120 bytes plus an optional path. */
struct trace_event {
	__u64 ts_ns;		/* entry, bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 latency_ns;	/* exit minus entry */
	__u64 cgroup_id;	/* cgroup v2 id (inode of the cgroup directory) */
	__u64 args[6];		/* raw arguments at entry */
	__s64 ret;		/* return value; -4095..-1 is -errno */
	__u32 pid;		/* tgid, in the initial PID namespace */
	__u32 tid;
	__u32 uid;
	__s32 syscall_nr;
	__u32 flags;		/* enum syscope_ev */
	__s32 path_len;		/* bytes of path incl. NUL; < 0: -errno of the read; 0: none */
	char comm[SYSCOPE_COMM_LEN];
};

/* What sys_enter stores per thread (task storage) until sys_exit; ts_ns == 0: none. */
struct trace_inflight {
	__u64 ts_ns;
	__u64 args[6];		/* only where sys_exit cannot read them from the saved registers */
};

/* Load-time configuration and in-kernel filters: the .rodata variable `trace_cfg`. */
struct trace_config {
	__u32 self_tgid;	/* as in seed_config */
	__u32 self_ns_tgid;
	__u64 self_pidns_dev;
	__u64 self_pidns_ino;
	__u64 cgroup_id;	/* non-zero: only this cgroup */
	__u64 min_latency_ns;	/* report only calls at least this slow */
	__u32 tid;		/* non-zero: only this thread */
	__u32 uid;		/* only this uid, if filter_uid */
	__u32 filter_uid;
	__u32 failed_only;	/* only calls that returned -errno */
	__s32 errno_only;	/* non-zero: only calls that failed with this errno */
	__u32 use_perf;		/* emit through the perf buffer instead of the ring buffer */
	__u32 aggregate;	/* enum syscope_agg */
	__u32 overload;		/* trace: an event the buffer cannot take is counted in sc_stats */
	__u32 npids;		/* only these tgids, if non-zero */
	__u32 pids[SYSCOPE_MAX_PIDS];
	char comm[SYSCOPE_COMM_LEN];	/* only this comm (NUL-padded), if comm[0] */
	__u8 syscalls[SYSCOPE_NR_MAX];	/* enum syscope_sc per syscall number */
	__u32 filter_cgroups;	/* only tasks whose cgroup id is a key of sc_cgroups (--container) */
};

/* ---- stats mode (trace_config.aggregate), and trace mode's overflow (trace_config.overload) ---- */

#define SYSCOPE_HIST_BUCKETS 32	/* log2 latency: bucket i holds [2^i, 2^(i+1)) ns; 0 holds 0-1 ns */

/*
 * One (process image, syscall): exec_id is the kernel's task->self_exec_id (low 32 bits), which
 * exec increments, so a process that execs starts new rows under its new name.
 */
struct stats_key {
	__u32 pid;		/* tgid */
	__s32 syscall_nr;
	__u32 exec_id;
};

/* Per-CPU aggregate of one (pid, syscall): user space sums the CPUs. */
struct stats_value {
	__u64 count;
	__u64 errors;		/* returned -1..-4095 */
	__u64 bytes;		/* sum of positive returns of SYSCOPE_SC_BYTES syscalls */
	__u64 latency_ns;	/* sum of entry-to-exit times */
	__u64 hist[SYSCOPE_HIST_BUCKETS];
	char comm[SYSCOPE_COMM_LEN];	/* the process's (thread group leader's) comm, set at creation */
	__u64 cgroup_id;	/* the cgroup v2 id of the task that created the row (its container) */
};

/* Failed calls per errno, beside sc_stats (updated on the error path only). */
struct errno_key {
	__u32 pid;		/* the stats_key of the row these failures belong to, */
	__s32 syscall_nr;
	__u32 exec_id;
	__u32 err;		/* and the errno: the return value was -err */
};

#endif /* SYSCOPE_H */
